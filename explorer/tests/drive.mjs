// Drives an explorer page in headless Chromium and reports what it shows, for the tests.
//
//   node tests/drive.mjs --html FILE --out DIR [--run INDEX] [--message ID] [--brush T0,T1]
//                        [--snapshot INDEX] [--chromium PATH]
//
// Opens file://FILE at 1280×800, waits for window.sessionsimExplorer.ready, then goes through
// the five views by clicking their tabs (after picking run INDEX in the run select, if given), taking a screenshot of each (DIR/map.png, journey.png,
// timeline.png, parties.png, swarms.png). With --message it picks that message in the journey
// view's select (as a user would) before the journey screenshot and reads the drawn hops and
// replicas from the DOM; with --brush it drags the mouse across the timeline from T0 to T1 before
// the timeline screenshot and reads the window label and counts; with --snapshot it moves the
// swarms view's slider to that snapshot (-1: the last) before its screenshot. Prints one JSON object:
//
//   {"load_ms": 812.4, "console_errors": [...], "hops": [{"leg": "store", "step": 0, "node": 17}, ...],
//    "replicas": [9, 13], "journey_note": "", "window": {"t0": 10, "t1": 40},
//    "counts": {"requests": 120, ...}, "screenshots": ["DIR/map.png", ...]}
//
// console_errors collects console errors and warnings, uncaught page errors, failed requests and
// any request that would leave the machine (the page must be self-contained).
// Exit status: 0 when the page was driven (check console_errors), 1 when it never became ready or
// a step failed, 2 on bad arguments or when Chromium could not be launched.

import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const VIEWS = ['map', 'journey', 'timeline', 'parties', 'swarms'];
const CHROMIUM_ARGS = [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const VIEWPORT = { width: 1280, height: 800 };
const READY_TIMEOUT_MS = 30000;

function parseArguments(argv) {
    const options = { html: null, out: null, run: null, message: null, brush: null, snapshot: null,
                      chromium: '/usr/bin/chromium' };
    for (let i = 0; i < argv.length; i++) {
        const name = argv[i];
        const value = argv[i + 1];
        if (!['--html', '--out', '--run', '--message', '--brush', '--snapshot', '--chromium'].includes(name) || value === undefined) {
            throw new Error(`unexpected argument ${name}`);
        }
        i += 1;
        if (name === '--brush') {
            const parts = value.split(',').map(Number);
            if (parts.length !== 2 || parts.some((p) => !Number.isFinite(p)) || parts[1] <= parts[0]) {
                throw new Error('--brush wants T0,T1 with T0 < T1');
            }
            options.brush = parts;
        } else {
            options[name.slice(2)] = value;
        }
    }
    if (!options.html || !options.out) throw new Error('--html and --out are required');
    if (!existsSync(options.html)) throw new Error(`no such file: ${options.html}`);
    return options;
}

/** Resolves after the page has painted twice: enough for synchronous renders to land. */
const settle = (page) => page.evaluate(() => new Promise((resolve) =>
    requestAnimationFrame(() => requestAnimationFrame(resolve))));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function showViewByTab(page, name) {
    await page.click(`#tabs button[data-view="${name}"]`);
    await settle(page);
}

async function main() {
    let options;
    try {
        options = parseArguments(process.argv.slice(2));
    } catch (error) {
        console.error(`drive.mjs: ${error.message}\nusage: node tests/drive.mjs --html FILE --out DIR [--run INDEX] [--message ID] [--brush T0,T1] [--snapshot INDEX]`);
        process.exit(2);
    }
    mkdirSync(options.out, { recursive: true });
    const userDataDir = mkdtempSync(path.join(tmpdir(), 'sessionsim-drive-'));
    const result = { load_ms: null, console_errors: [], hops: [], replicas: [], journey_note: null,
                     window: null, counts: null, screenshots: [] };
    let browser;
    try {
        try {
            browser = await puppeteer.launch({
                executablePath: options.chromium,
                headless: false,            // --headless=new is passed explicitly below
                args: [...CHROMIUM_ARGS, `--window-size=${VIEWPORT.width},${VIEWPORT.height}`],
                userDataDir,
                defaultViewport: VIEWPORT,
            });
        } catch (error) {
            console.error(`drive.mjs: could not launch ${options.chromium}: ${error.message}`);
            process.exitCode = 2;
            return;
        }
        const page = await browser.newPage();
        const errors = result.console_errors;
        page.on('console', (message) => {
            if (['error', 'warn', 'warning', 'assert'].includes(message.type())) {
                errors.push(`console.${message.type()}: ${message.text()}`);
            }
        });
        page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
        page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));
        page.on('request', (request) => {
            const url = request.url();
            if (!/^(file|data|about|blob):/.test(url)) errors.push(`network request: ${url}`);
        });

        await page.goto(pathToFileURL(path.resolve(options.html)).href, { waitUntil: 'load' });
        try {
            await page.waitForFunction(() => window.sessionsimExplorer && window.sessionsimExplorer.ready,
                                       { timeout: READY_TIMEOUT_MS });
        } catch (error) {
            errors.push(`the page did not become ready within ${READY_TIMEOUT_MS} ms`);
            process.exitCode = 1;
            return;
        }
        result.load_ms = await page.evaluate(() => Math.round(window.sessionsimExplorer.readyAt * 10) / 10);

        if (options.run !== null) {
            const chosen = await page.select('#run-select', String(options.run));
            if (chosen.length === 0 || chosen[0] !== String(options.run)) {
                errors.push(`run ${options.run} is not in the run picker`);
                process.exitCode = 1;
            }
            await settle(page);
        }

        for (const view of VIEWS) {
            await showViewByTab(page, view);
            if (view === 'journey' && options.message !== null) {
                const chosen = await page.select('#journey-message', String(options.message));
                const found = chosen.length === 1 && chosen[0] === String(options.message);
                if (!found) {
                    errors.push(`message ${options.message} is not in the journey picker`);
                    process.exitCode = 1;
                }
                await settle(page);
                // The hops of another message would mislead: report none when it was not found.
                if (found) Object.assign(result, await page.evaluate(() => {
                    const view = document.getElementById('view-journey');
                    const note = document.getElementById('journey-note');
                    return {
                        hops: [...view.querySelectorAll('.hop')].map((e) => ({
                            leg: e.dataset.leg, step: Number(e.dataset.step), node: Number(e.dataset.node) })),
                        replicas: [...view.querySelectorAll('.replica')].map((e) => Number(e.dataset.node)),
                        journey_note: note && !note.hidden ? note.textContent : '',
                    };
                }));
            }
            if (view === 'timeline' && options.brush) {
                await page.evaluate(() => window.scrollTo(0, 0));
                const [t0, t1] = options.brush;
                const points = await page.evaluate((a, b) => ({
                    x0: window.sessionsimExplorer.timelineX(a), x1: window.sessionsimExplorer.timelineX(b),
                    y: window.sessionsimExplorer.timelineY(),
                }), t0, t1);
                if (![points.x0, points.x1, points.y].every(Number.isFinite)) {
                    errors.push('the timeline has no brushable chart');
                    process.exitCode = 1;
                } else {
                    await page.mouse.move(points.x0, points.y);
                    await page.mouse.down();
                    await page.mouse.move(points.x1, points.y, { steps: 12 });
                    await page.mouse.up();
                    await sleep(200);   // the brush's snap transition
                    await settle(page);
                    Object.assign(result, await page.evaluate(() => {
                        const label = document.getElementById('window-label');
                        const counts = {};
                        for (const element of document.querySelectorAll('#window-counts [data-count]')) {
                            counts[element.dataset.count] = Number(element.textContent);
                        }
                        return { window: { t0: Number(label.dataset.t0), t1: Number(label.dataset.t1) }, counts };
                    }));
                }
            }
            if (view === 'swarms' && options.snapshot !== null) {
                await page.evaluate((index) => window.sessionsimExplorer.showSwarmSnapshot(index), Number(options.snapshot));
                result.snapshot = await page.evaluate(() => {
                    const label = document.getElementById('swarm-snapshot-label');
                    return label ? Number(label.dataset.index) : null;
                });
                await settle(page);
            }
            // Let transitions (zoom to a journey, brush snapping) finish before the picture; park
            // the mouse where it opens no tooltip.
            await page.mouse.move(2, VIEWPORT.height - 2);
            await sleep(view === 'journey' ? 800 : 150);
            const file = path.join(options.out, `${view}.png`);
            await page.screenshot({ path: file });
            result.screenshots.push(file);
        }
    } catch (error) {
        result.console_errors.push(`driver error: ${error.message}`);
        process.exitCode = 1;
    } finally {
        if (browser) await browser.close().catch(() => {});
        rmSync(userDataDir, { recursive: true, force: true });
        if (process.exitCode !== 2) console.log(JSON.stringify(result));
    }
}

main();
