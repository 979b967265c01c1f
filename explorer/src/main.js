// Start-up: reads the inlined blocks, fills the header (run picker, run facts, summary numbers),
// switches between the five views (each built the first time it is shown) and publishes
// window.sessionsimExplorer, the API the tests drive.

(() => {
    'use strict';

    const { h, setChildren, formatInt, formatMs, formatDuration, emptyState } = Explorer;

    const VIEWS = {
        map: Explorer.createMapView,
        journey: Explorer.createJourneyView,
        timeline: Explorer.createTimelineView,
        parties: Explorer.createPartiesView,
        swarms: Explorer.createSwarmsView,
    };

    // Summary numbers worth a place in the header, in this order, when the bundle has them.
    const HEADLINE_NUMBERS = [
        ['service_nodes', 'service nodes'], ['clients', 'clients'], ['sent', 'messages sent'],
        ['delivered', 'delivered'], ['delivery_ratio', 'delivery ratio'], ['lost', 'lost'],
        ['delivery_delay_ms_p50', 'delivery delay p50'], ['onion_rtt_ms_p50', 'onion RTT p50'],
        ['onion_requests', 'onion requests'],
    ];

    const api = {
        ready: false,
        readyAt: null,       // performance.now() when the first view was drawn (ms since navigation start)
        showView,
        selectRun,
        selectMessage(id) {
            const view = showView('journey');
            if (view) view.selectMessage(id);
        },
        brush(t0, t1) {
            const view = showView('timeline');
            if (view) view.brush(t0, t1);
        },
        clearBrush() {
            const view = showView('timeline');
            if (view) view.clearBrush();
        },
        /** Client x of simulated time t on the timeline (shows the timeline first). */
        timelineX(t) {
            const view = showView('timeline');
            return view ? view.timelineX(t) : null;
        },
        /** A client y inside the timeline's brush area. */
        timelineY() {
            const view = showView('timeline');
            return view ? view.timelineY() : null;
        },
        /** Shows swarm snapshot `index` (negative: from the end, -1 the last). */
        showSwarmSnapshot(index) {
            const view = showView('swarms');
            if (view && view.showSnapshot) view.showSnapshot(index);
        },
        currentView: () => state.view,
    };
    window.sessionsimExplorer = api;

    const state = {
        bundle: null, world: null, runIndex: 0, run: null,
        view: null,          // name of the view shown
        views: {},           // name -> the view's API, for the current run
    };

    function showFatal(message) {
        setChildren(document.getElementById('views'), h('div', { class: 'fatal' },
            h('h2', {}, 'This page cannot show the run'), h('p', {}, message)));
        console.error(`sessionsim explorer: ${message}`);
    }

    function formatSummaryValue(key, value) {
        if (typeof value !== 'number') return String(value);
        if (key.endsWith('_ms') || /_ms_/.test(key)) return formatMs(value);
        if (key.endsWith('_ratio') || key.endsWith('_fraction')) return `${d3.format('.1~%')(value)}`;
        if (Number.isInteger(value)) return formatInt(value);
        return d3.format(',.4~r')(value);
    }

    function renderHeader() {
        const { run, bundle } = state;
        const meta = run.meta;
        const picker = document.getElementById('run-picker');
        const select = document.getElementById('run-select');
        picker.hidden = bundle.runs.length < 2;
        if (select.options.length !== bundle.runs.length) {
            setChildren(select, ...bundle.runs.map((r, i) => h('option', { value: String(i) },
                `${r.name || `run ${i + 1}`}${r.meta && r.meta.scenario ? ` · ${r.meta.scenario}` : ''}`)));
            select.onchange = () => selectRun(+select.value);
        }
        select.value = String(state.runIndex);

        const fact = (label, value) => (value === null || value === undefined || value === '' ? null
            : h('span', { class: 'fact' }, h('span', { class: 'fact-label' }, label), ' ', h('span', { class: 'fact-value' }, String(value))));
        setChildren(document.getElementById('run-meta'),
            h('span', { class: 'run-name' }, run.name),
            fact('scenario', meta.scenario), fact('seed', meta.seed), fact('version', meta.version),
            fact('duration', formatDuration(meta.duration_s)), fact('transport', meta.transport),
            meta.central ? h('span', { class: 'badge' }, 'centralized messenger') : null,
            run.observations.adversary ? h('span', { class: 'badge badge-adversary' }, 'adversary run') : null);

        // The network's size comes from the bundle itself when the summary does not give it.
        const summary = { service_nodes: meta.central ? undefined : run.nodes.length, clients: run.clients.count, ...run.summary };
        const headline = HEADLINE_NUMBERS.filter(([key]) => summary[key] !== undefined && summary[key] !== null);
        const chips = headline.map(([key, label]) => h('div', { class: 'chip', dataset: { summary: key } },
            h('span', { class: 'chip-value' }, formatSummaryValue(key, summary[key])), h('span', { class: 'chip-label' }, label)));
        const allRows = Object.entries(run.summary).filter(([, v]) => typeof v !== 'object');
        const details = allRows.length ? h('details', { class: 'all-summary' },
            h('summary', {}, `all ${allRows.length} numbers`),
            h('table', { class: 'data-table compact' }, h('tbody', {}, allRows.map(([key, value]) =>
                h('tr', {}, h('th', {}, key), h('td', { class: 'num' }, formatSummaryValue(key, value))))))) : null;
        setChildren(document.getElementById('run-summary'), ...chips, details);
    }

    /** Shows a view, building it the first time; returns its API (or null if it failed). */
    function showView(name) {
        if (!VIEWS[name]) throw new Error(`unknown view "${name}"; views: ${Object.keys(VIEWS).join(', ')}`);
        state.view = name;
        for (const button of document.querySelectorAll('#tabs button')) {
            const active = button.dataset.view === name;
            button.classList.toggle('active', active);
            button.setAttribute('aria-selected', String(active));
        }
        for (const section of document.querySelectorAll('#views > .view')) section.hidden = section.dataset.view !== name;
        Explorer.tooltip.hide();
        if (location.hash !== `#${name}`) history.replaceState(null, '', `#${name}`);

        const container = document.getElementById(`view-${name}`);
        if (!(name in state.views)) {
            try {
                state.views[name] = VIEWS[name](container, { run: state.run, world: state.world }) || {};
            } catch (error) {
                state.views[name] = null;
                setChildren(container, emptyState(`This view failed to draw: ${error.message}`, 'error'));
                console.error(error);
            }
        }
        const view = state.views[name];
        if (view && view.show) view.show();
        for (const [other, otherView] of Object.entries(state.views)) {
            if (other !== name && otherView && otherView.hide) otherView.hide();
        }
        return view;
    }

    function selectRun(index) {
        if (!state.bundle.runs[index]) throw new Error(`no run ${index}`);
        for (const view of Object.values(state.views)) if (view && view.hide) view.hide();
        state.runIndex = index;
        state.run = Explorer.prepareRun(state.bundle.runs[index]);
        state.views = {};
        for (const section of document.querySelectorAll('#views > .view')) setChildren(section);
        renderHeader();
        showView(state.view || 'map');
    }

    function start() {
        for (const button of document.querySelectorAll('#tabs button')) {
            button.addEventListener('click', () => showView(button.dataset.view));
        }
        const { bundle, error } = Explorer.readBundle();
        if (error) return showFatal(`The data bundle could not be read: ${error}.`);
        const { world, error: worldError } = Explorer.readWorld();
        if (worldError) return showFatal(`The world map could not be read: ${worldError}.`);
        state.bundle = bundle;
        state.world = world;
        const requested = location.hash.slice(1);
        state.view = VIEWS[requested] ? requested : 'map';
        selectRun(0);
        window.addEventListener('resize', Explorer.throttleToFrame(() => {
            const view = state.views[state.view];
            if (view && view.show) view.show();
        }));
        api.readyAt = performance.now();
        api.ready = true;
        document.documentElement.dataset.ready = 'true';
    }

    try {
        start();
    } catch (error) {
        showFatal(`${error.message}`);
        throw error;
    }
})();
