// Writes a synthetic data bundle that follows explorer/DATA.md, so the explorer can be built and
// tested before (and independently of) the Python writer.
//
//   node tests/make_fixture.mjs                      -> tests/fixture.json (small, committed)
//   node tests/make_fixture.mjs --large OUT.json     -> a 2,000-node, 10,000-client bundle, for
//                                                       load-time measurements
//
// Everything is drawn from a seeded generator, so the output is the same on every run. The numbers
// are only plausible, not simulated: the timeline, the journeys and the observations are consistent
// with each other (a journey's hops are nodes that exist, its replicas are its recipient's swarm),
// which is what the explorer's tests rely on.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));

function seededRandom(seed) {
    // mulberry32: small, fast, good enough for test data.
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const CITIES = [
    ['Paris', 'FR', 48.85, 2.35], ['Frankfurt', 'DE', 50.11, 8.68], ['Amsterdam', 'NL', 52.37, 4.9],
    ['London', 'GB', 51.51, -0.13], ['Helsinki', 'FI', 60.17, 24.94], ['Tallinn', 'EE', 59.44, 24.75],
    ['Toronto', 'CA', 43.65, -79.38], ['New York', 'US', 40.71, -74.01], ['Dallas', 'US', 32.78, -96.8],
    ['San Jose', 'US', 37.34, -121.89], ['Sydney', 'AU', -33.87, 151.21], ['Singapore', 'SG', 1.35, 103.82],
    ['Tokyo', 'JP', 35.68, 139.69], ['São Paulo', 'BR', -23.55, -46.63], ['Johannesburg', 'ZA', -26.2, 28.05],
    ['Warsaw', 'PL', 52.23, 21.01], ['Stockholm', 'SE', 59.33, 18.07], ['Madrid', 'ES', 40.42, -3.7],
    ['Mumbai', 'IN', 19.08, 72.88], ['Seoul', 'KR', 37.57, 126.98], ['Vienna', 'AT', 48.21, 16.37],
    ['Zurich', 'CH', 47.37, 8.54], ['Kyiv', 'UA', 50.45, 30.52], ['Bucharest', 'RO', 44.43, 26.1],
    ['Miami', 'US', 25.76, -80.19], ['Auckland', 'NZ', -36.85, 174.76],
];
const COUNTRY_CENTRES = {
    FR: [46.2, 2.2], DE: [51.2, 10.4], NL: [52.1, 5.3], GB: [54.0, -2.0], FI: [64.0, 26.0], EE: [58.6, 25.0],
    CA: [56.1, -106.3], US: [39.8, -98.6], AU: [-25.3, 133.8], SG: [1.35, 103.8], JP: [36.2, 138.3],
    BR: [-14.2, -51.9], ZA: [-30.6, 22.9], PL: [51.9, 19.1], SE: [60.1, 18.6], ES: [40.5, -3.7],
    IN: [20.6, 79.0], KR: [35.9, 127.8], AT: [47.5, 14.6], CH: [46.8, 8.2], UA: [48.4, 31.2],
    RO: [45.9, 25.0], NZ: [-40.9, 174.9], MX: [23.6, -102.6], NG: [9.1, 8.7], EG: [26.8, 30.8],
    AR: [-38.4, -63.6], ID: [-0.8, 113.9], TR: [39.0, 35.2], RU: [61.5, 105.3],
};
const PROVIDERS = ['Hetzner', 'OVH', 'Vultr', 'DigitalOcean', 'AWS', 'Contabo', 'Linode'];
const U64 = 1n << 64n;

function swarmIdAt(fraction) {
    // A u64 swarm id at a given position on the ring, as the decimal string DATA.md uses.
    const id = (BigInt(Math.floor(fraction * 2 ** 32)) << 32n) + 0xffffffffn;
    return (id % U64).toString();
}

function round(value, digits = 6) {
    return Number(value.toFixed(digits));
}

function makeRun({ name, seed, nodeCount, clientCount, swarmCount, durationS, binS, messageCount,
                   adversaryFraction, countryCount, snapshotCount, sampleRows }) {
    const random = seededRandom(seed);
    const pick = (list) => list[Math.floor(random() * list.length)];
    const bins = Math.round(durationS / binS);

    // --- service nodes, their swarms --------------------------------------------------------
    const swarmIds = [];
    for (let s = 0; s < swarmCount; s++) swarmIds.push(swarmIdAt((s + 0.5 * random()) / swarmCount));
    const nodes = [];
    for (let id = 0; id < nodeCount; id++) {
        const [city, country, lat, lon] = pick(CITIES);
        const provider = random() < 0.2 ? `local-${country}` : pick(PROVIDERS);
        nodes.push({
            id, lat, lon, city, country, provider,
            adversary: random() < adversaryFraction,
            swarm: id < swarmCount * 6 ? swarmIds[id % swarmCount] : null,  // the rest: not yet in one
            joined_s: id === nodeCount - 1 ? round(durationS * 0.4, 1) : null,
        });
    }
    const membersOf = (swarmId) => nodes.filter((n) => n.swarm === swarmId).map((n) => n.id);

    // --- clients ----------------------------------------------------------------------------
    const countries = Object.keys(COUNTRY_CENTRES);
    const byCountry = [];
    let remaining = clientCount;
    for (let c = 0; c < countryCount && remaining > 0; c++) {
        let code = countries[c % countries.length];
        let [lat, lon] = COUNTRY_CENTRES[code];
        if (c >= countries.length) {
            // Large runs: more "countries" than this table knows; made-up codes, spread out.
            code = `X${String(c).padStart(2, '0')}`;
            lat = round(-50 + 110 * random(), 2);
            lon = round(-170 + 340 * random(), 2);
        }
        const count = c === countryCount - 1 ? remaining
            : Math.max(1, Math.min(remaining, Math.round(clientCount * (0.5 * random() + 0.1) / countryCount * 2)));
        remaining -= count;
        byCountry.push({ country: code, count, lat, lon });
    }
    const clientCountry = [];
    for (const entry of byCountry) for (let i = 0; i < entry.count; i++) clientCountry.push(entry);

    // --- timeline ---------------------------------------------------------------------------
    const zeros = () => new Array(bins).fill(0);
    const timeline = {
        bin_s: binS, bins, requests: zeros(), failures: zeros(), messages_sent: zeros(),
        messages_delivered: zeros(), messages_held: zeros(), node_requests: {}, events: [], outages: [],
    };
    const outage = { start_s: round(durationS * 0.42, 1), end_s: round(durationS * 0.53, 1), what: 'provider Hetzner' };
    timeline.outages.push(outage);
    const perNodeBins = new Map();
    const requestsPerBin = Math.max(3, Math.round(clientCount / 4 * binS / 10));
    for (let k = 0; k < bins; k++) {
        const t = k * binS;
        const ramp = Math.min(1, (t + binS) / (durationS * 0.1));
        const inOutage = t >= outage.start_s && t < outage.end_s;
        const requests = Math.round(requestsPerBin * ramp * (0.7 + 0.6 * random()));
        timeline.requests[k] = requests;
        timeline.failures[k] = Math.round(requests * (inOutage ? 0.25 : 0.02) * random() * 2);
        for (let r = 0; r < requests; r++) {
            // Each request has a guard and a destination; both count for node_requests.
            for (const node of [Math.floor(random() * nodeCount), Math.floor(random() * nodeCount)]) {
                if (!perNodeBins.has(node)) perNodeBins.set(node, new Map());
                const counts = perNodeBins.get(node);
                counts.set(k, (counts.get(k) || 0) + 1);
            }
        }
    }
    for (const [node, counts] of [...perNodeBins].sort((a, b) => a[0] - b[0])) {
        // Flat [bin, count, bin, count, …], as DATA.md asks.
        timeline.node_requests[String(node)] = [...counts].sort((a, b) => a[0] - b[0]).flat();
    }
    const eventKinds = ['down', 'up', 'decommissioned', 'recommissioned', 'deregistered'];
    const eventCount = Math.max(4, Math.round(nodeCount / 6));
    for (let e = 0; e < eventCount; e++) {
        const kind = e < 2 ? ['down', 'up'][e] : pick(eventKinds);
        const time = e < 2 ? [20.5, 35.25][e] : round(durationS * random(), 3);
        timeline.events.push({ time_s: time, node: e < 2 ? 7 : Math.floor(random() * nodeCount), event: kind, detail: '' });
    }
    timeline.events.push({ time_s: nodes[nodeCount - 1].joined_s, node: nodeCount - 1, event: 'joined', detail: 'registered' });
    timeline.events.sort((a, b) => a.time_s - b.time_s);

    // --- messages and their journeys --------------------------------------------------------
    const messages = [];
    const journeys = {};
    const nodeObservations = new Map();
    const observe = (node, row) => {
        if (!nodeObservations.has(node)) nodeObservations.set(node, []);
        nodeObservations.get(node).push(row);
    };
    let requestId = 1;
    const makeRequest = (client, startS, destination, method, account) => {
        // Guard and relay: two distinct nodes, neither the destination (as real path selection does).
        const path = [];
        while (path.length < 2) {
            const node = Math.floor(random() * nodeCount);
            if (node !== destination && !path.includes(node)) path.push(node);
        }
        path.push(destination);
        const hops = [];
        let time = startS;
        path.forEach((node, i) => {
            time += 0.04 + 0.25 * random();
            const outcome = i === path.length - 1 ? 'handled' : 'forwarded';
            hops.push({ node, time_s: round(time), outcome });
            observe(node, {
                time_s: round(time), from: i === 0 ? `client ${client}` : `node ${path[i - 1]}`, outcome,
                next: i === path.length - 1 ? '' : `node ${path[i + 1]}`,
                method: i === path.length - 1 ? method : '', account: i === path.length - 1 ? account : '',
                role: i === 0 ? 'guard' : i === path.length - 1 ? 'destination' : 'relay',
            });
        });
        const endS = round(time + (time - startS) * (0.9 + 0.2 * random()));
        return { client, request_id: requestId++, start_s: round(startS), end_s: endS, status: 200,
                 guard: path[0], destination, hops };
    };
    const swarmsWithMembers = swarmIds.filter((id) => membersOf(id).length > 0);
    for (let id = 0; id < messageCount; id++) {
        const sender = Math.floor(random() * clientCount);
        let recipient = Math.floor(random() * clientCount);
        if (recipient === sender) recipient = (recipient + 1) % clientCount;
        const sentS = round(durationS * 0.1 + random() * durationS * 0.75);
        const failed = id === 3;                         // never stored: no journey
        const lost = id === 5;                           // stored, never fetched
        const account = `05${(id * 2654435761 >>> 0).toString(16).padStart(8, '0')}${'ab'.repeat(28)}`;
        const swarm = pick(swarmsWithMembers);
        const members = membersOf(swarm);
        const message = { id, sent_s: sentS, stored_s: null, delivered_s: null, sender, recipient,
                          status: 'failed', fate: 'failed', delay_ms: null };
        messages.push(message);
        if (failed) continue;
        const store = makeRequest(sender, sentS + 0.002, pick(members), 'store', account);
        const arrivedS = store.hops[store.hops.length - 1].time_s;
        const replicas = members.map((node) => ({
            node, time_s: node === store.destination ? arrivedS : round(arrivedS + 0.03 + 0.3 * random()),
        }));
        message.stored_s = store.end_s;
        message.status = 'stored';
        message.fate = lost ? 'lost' : 'delivered';
        let poll = null;
        if (!lost) {
            poll = makeRequest(recipient, round(arrivedS + 0.2 + 2.5 * random()), pick(members), 'retrieve', account);
            message.delivered_s = poll.end_s;
            message.status = 'delivered';
            message.delay_ms = round((poll.end_s - sentS) * 1000, 1);
        }
        const senderPlace = clientCountry[sender];
        const recipientPlace = clientCountry[recipient];
        journeys[String(id)] = {
            sender_lat: senderPlace.lat, sender_lon: senderPlace.lon, sender_country: senderPlace.country,
            recipient_lat: recipientPlace.lat, recipient_lon: recipientPlace.lon,
            recipient_country: recipientPlace.country,
            store, replicas, poll,
        };
    }
    for (const message of messages) {
        const bin = (t) => Math.min(bins - 1, Math.floor(t / binS));
        timeline.messages_sent[bin(message.sent_s)] += 1;
        if (message.delivered_s !== null) timeline.messages_delivered[bin(message.delivered_s)] += 1;
        for (let k = 0; k < bins; k++) {
            const end = (k + 1) * binS;
            if (message.stored_s !== null && message.stored_s <= end
                && (message.delivered_s === null || message.delivered_s > end)) timeline.messages_held[k] += 1;
        }
    }
    const delivered = messages.filter((m) => m.delay_ms !== null);
    const slowest = delivered.reduce((a, b) => (b.delay_ms > a.delay_ms ? b : a), delivered[0]);
    const lostMessage = messages.find((m) => m.fate === 'lost');

    // --- observations -----------------------------------------------------------------------
    const observations = { nodes: {}, adversary: adversaryFraction > 0 };
    for (const [node, rows] of [...nodeObservations].sort((a, b) => a[0] - b[0])) {
        // Pad with background traffic so the counts are larger than the journeys alone.
        const extra = Math.floor(random() * 40);
        const count = (role) => rows.filter((r) => r.role === role).length;
        observations.nodes[String(node)] = {
            layers: rows.length + extra, as_guard: count('guard') + Math.floor(extra / 3),
            as_relay: count('relay') + Math.floor(extra / 3),
            as_destination: count('destination') + extra - 2 * Math.floor(extra / 3),
            clients_seen: count('guard') + Math.floor(extra / 5),
            accounts_seen: count('destination') + Math.floor(extra / 7),
            sample: rows.sort((a, b) => a.time_s - b.time_s).slice(0, sampleRows)
                .map(({ role, ...row }) => row),
        };
    }

    // --- swarm snapshots --------------------------------------------------------------------
    const snapshots = [];
    let current = swarmIds.map((id) => ({ id, members: membersOf(id) })).filter((s) => s.members.length);
    for (let s = 0; s < snapshotCount; s++) {
        const changes = { created: [], dissolved: [], moved: [] };
        if (s > 0) {
            // One new swarm from two members of the largest swarm, one swarm dissolved into others.
            current = current.map((sw) => ({ id: sw.id, members: [...sw.members] }));
            const largest = current.reduce((a, b) => (b.members.length > a.members.length ? b : a));
            const createdId = swarmIdAt(random());
            const moving = largest.members.splice(0, 2);
            current.push({ id: createdId, members: moving });
            changes.created.push(createdId);
            for (const node of moving) changes.moved.push([node, largest.id, createdId]);
            if (s % 2 === 1 && current.length > 3) {
                const victim = current.splice(Math.floor(random() * (current.length - 1)), 1)[0];
                changes.dissolved.push(victim.id);
                victim.members.forEach((node, i) => {
                    const target = current[i % current.length];
                    target.members.push(node);
                    changes.moved.push([node, victim.id, target.id]);
                });
            }
        }
        snapshots.push({ time_s: round((durationS / snapshotCount) * s, 1), height: 1 + s,
                         swarms: current.map((sw) => ({ id: sw.id, members: [...sw.members].sort((a, b) => a - b) })),
                         changes });
    }

    const stored = messages.filter((m) => m.stored_s !== null).length;
    return {
        name,
        meta: { scenario: `fixture-${name}`, seed, version: '0.0.0-fixture', duration_s: durationS,
                transport: 'packet', central: false },
        summary: {
            sent: messages.length, stored, delivered: delivered.length,
            delivery_ratio: round(delivered.length / messages.length, 3),
            lost: messages.filter((m) => m.fate === 'lost').length,
            onion_requests: timeline.requests.reduce((a, b) => a + b, 0),
            onion_failures: timeline.failures.reduce((a, b) => a + b, 0),
            onion_rtt_ms_p50: 412.7, onion_rtt_ms_p90: 1034.5, delivery_delay_ms_p50: 2198.2,
            service_nodes: nodeCount, clients: clientCount, swarms: swarmsWithMembers.length,
        },
        nodes,
        clients: { count: clientCount, by_country: byCountry },
        servers: [{ host: nodeCount + clientCount, role: 'file_server', lat: 50.11, lon: 8.68, country: 'DE' }],
        timeline,
        messages,
        sampled: { messages: { kept: messages.length, of: messages.length, rule: 'all messages kept' } },
        picks: { slowest: slowest ? slowest.id : null, lost: lostMessage ? lostMessage.id : null, first: 0 },
        journeys,
        observations,
        operator_log: null,
        swarms: snapshots,
    };
}

function makeCentralRun() {
    // A centralized-messenger run: no service nodes, no onion paths, the operator's log instead.
    const random = seededRandom(99);
    const durationS = 60;
    const bins = 60;
    const zeros = () => new Array(bins).fill(0);
    const sample = [];
    const account = (n) => `05${n.toString(16).padStart(4, '0')}${'cd'.repeat(30)}`;
    for (let i = 0; i < 25; i++) {
        sample.push({ time_s: round(10 + i * 1.9 + random(), 3), sender: account(i % 7),
                      recipient: account((i * 3 + 1) % 7), bytes: 326 });
    }
    const requests = zeros().map(() => Math.round(4 + 4 * random()));
    return {
        name: 'central',
        meta: { scenario: 'fixture-central', seed: 2, version: '0.0.0-fixture', duration_s: durationS,
                transport: 'packet', central: true },
        summary: { sent: 25, delivered: 25, delivery_ratio: 1.0, datacentres: 3, clients: 12 },
        nodes: [],
        clients: { count: 12, by_country: [{ country: 'US', count: 7, lat: 39.8, lon: -98.6 },
                                           { country: 'DE', count: 5, lat: 51.2, lon: 10.4 }] },
        servers: [
            { host: 0, role: 'datacentre', lat: 38.9, lon: -77.0, country: 'US' },
            { host: 1, role: 'datacentre', lat: 53.35, lon: -6.26, country: 'IE' },
            { host: 2, role: 'datacentre', lat: 1.35, lon: 103.82, country: 'SG' },
        ],
        timeline: { bin_s: 1, bins, requests, failures: zeros(), messages_sent: zeros(),
                    messages_delivered: zeros(), messages_held: zeros(), node_requests: {}, events: [], outages: [] },
        messages: [],
        sampled: { messages: { kept: 0, of: 25, rule: 'central runs: no per-message journeys' } },
        picks: { slowest: null, lost: null, first: null },
        journeys: {},
        observations: { nodes: {}, adversary: false },
        operator_log: { rows: sample.length, sample },
        swarms: [],
    };
}

const args = process.argv.slice(2);
if (args[0] === '--large') {
    const out = args[1] || '/tmp/sessionsim-large.json';
    const run = makeRun({ name: 'large', seed: 7, nodeCount: 2000, clientCount: 10000, swarmCount: 300,
                          durationS: 3600, binS: 10, messageCount: 500, adversaryFraction: 0.1,
                          countryCount: 200, snapshotCount: 30, sampleRows: 20 });
    run.sampled.messages = { kept: 500, of: 60000, rule: 'first 500 messages by id' };
    writeFileSync(out, JSON.stringify({ format: 1, runs: [run] }));
    console.log(`wrote ${out}`);
} else {
    const out = args[0] || path.join(here, 'fixture.json');
    const run = makeRun({ name: 'default', seed: 1, nodeCount: 30, clientCount: 40, swarmCount: 4,
                          durationS: 60, binS: 1, messageCount: 8, adversaryFraction: 0.15,
                          countryCount: 8, snapshotCount: 2, sampleRows: 12 });
    // Indented for reading, but arrays of plain values on one line each.
    const text = JSON.stringify({ format: 1, runs: [run, makeCentralRun()] }, null, 1)
        .replace(/\[\s+([^[\]{}]*?)\s+\]/g, (_, inner) => `[${inner.replace(/\s*\n\s*/g, ' ')}]`);
    writeFileSync(out, text + '\n');
    console.log(`wrote ${out}`);
}
