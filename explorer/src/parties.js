// The "What each party sees" view: for a service node, how many onion layers it handled in each
// role and a sample of what each layer revealed to it (observations.csv); for a centralized run,
// the operator's log, which pairs every sender with its recipient.

(() => {
    'use strict';

    const { h, setChildren, formatInt, formatTime, emptyState, shortId, table, countryName } = Explorer;

    /** Long hex keys and accounts shortened; anything else ("client 2's account") as it is. */
    const shortKey = (value) => (/^[0-9a-f]{20,}$/i.test(String(value)) ? shortId(value, 8, 4) : String(value));

    const ROLE_NOTES = {
        as_guard: 'as guard: sees the client\'s address, not the account or the content',
        as_relay: 'as relay: sees only the previous and the next node',
        as_destination: 'as destination: sees the account and the method, not the client',
    };

    function createPartiesView(container, { run, world }) {
        const observed = run.observations.nodes;
        const layersOf = (id) => (observed[String(id)] ? observed[String(id)].layers || 0 : 0);
        // Nodes with observations first, busiest first; then the others by id.
        const ranked = run.nodes.slice().sort((a, b) => layersOf(b.id) - layersOf(a.id) || a.id - b.id);
        const extraIds = Object.keys(observed).map(Number).filter((id) => !run.nodeById.has(id));

        const select = h('select', { id: 'parties-node', 'aria-label': 'Service node' },
            ranked.map((n) => h('option', { value: String(n.id) },
                `node ${n.id} · ${n.city || countryName(n.country)} · ${formatInt(layersOf(n.id))} layers`)),
            extraIds.map((id) => h('option', { value: String(id) }, `node ${id} · (no position) · ${formatInt(layersOf(id))} layers`)));
        const panel = h('div', { id: 'parties-panel', class: 'parties-panel' });
        const operatorLog = run.operatorLog;

        // A centralized run has no onion layers to show: its operator's log takes the node's place.
        const showNodes = !(run.meta.central && operatorLog);
        container.append(h('div', { class: 'view-header' },
            h('div', { class: 'view-intro' },
                h('h2', {}, 'What each party sees'),
                h('p', {}, showNodes
                    ? 'Pick a service node (click it on the map, or from the list, busiest first) to see the onion layers it handled '
                        + 'and what each one revealed to it.'
                    : 'A centralized messenger: every message passes through the operator\'s datacentres, which log who wrote to whom.'))));

        const mapColumn = h('div', { class: 'parties-map' });
        const nodeColumn = h('div', { class: 'parties-node' }, h('label', { class: 'picker' }, 'Service node ', select), panel);
        const columns = [mapColumn, showNodes ? nodeColumn : null, operatorLog ? operatorPanel(operatorLog) : null];
        container.append(h('div', { class: `parties-layout${showNodes && operatorLog ? ' with-operator' : ''}` }, columns));

        const maxLayers = d3.max(Object.values(observed), (o) => o.layers) || 1;
        const radius = d3.scaleSqrt().domain([0, maxLayers]).range([2, 7]);
        const map = Explorer.createWorldMap(mapColumn, run, world, {
            nodeRadius: 2.4, showClients: false,
            onNodeClick: (node) => showNode(node.id),
            extraTooltipRows: (node) => (showNodes ? [['Onion layers seen', formatInt(layersOf(node.id))], ['', 'click to see them']] : []),
        });
        map.nodeCircles
            .attr('fill', (n) => (n.adversary ? '#e15759' : layersOf(n.id) ? '#4e79a7' : '#c8c8c8'))
            .classed('clickable', true);
        map.setNodeRadius((n) => radius(layersOf(n.id)));
        map.legend.append(h('div', { class: 'legend-title' }, 'Service nodes, sized by layers seen'),
            h('div', { class: 'legend-item' }, h('span', { class: 'swatch', style: 'background:#4e79a7' }), h('span', {}, 'honest')),
            h('div', { class: 'legend-item' }, h('span', { class: 'swatch', style: 'background:#e15759' }), h('span', {}, 'adversary (observer)')),
            h('div', { class: 'legend-item' }, h('span', { class: 'swatch', style: 'background:#c8c8c8' }), h('span', {}, 'no layers recorded')));

        // The busiest nodes as a table under the map: one click to any of them.
        const busiest = ranked.filter((n) => layersOf(n.id) > 0).slice(0, 10);
        if (showNodes && busiest.length) {
            const rows = busiest.map((n) => {
                const info = observed[String(n.id)];
                return h('tr', { dataset: { node: String(n.id) }, onclick: () => showNode(n.id) },
                    h('td', { class: 'num' }, String(n.id)),
                    h('td', {}, [n.city, n.country].filter(Boolean).join(', ')),
                    h('td', {}, n.adversary ? h('span', { class: 'badge badge-adversary' }, 'adversary') : ''),
                    ...['layers', 'as_guard', 'as_relay', 'as_destination'].map((key) => h('td', { class: 'num' }, formatInt(info[key] || 0))));
            });
            mapColumn.append(h('h4', {}, `Busiest ${run.nodeNoun}s by layers handled`),
                h('table', { class: 'data-table node-ranking', id: 'parties-ranking' },
                    h('thead', {}, h('tr', {}, ['node', 'place', '', 'layers', 'guard', 'relay', 'destination']
                        .map((label, i) => h('th', { class: i >= 3 || i === 0 ? 'num' : null }, label)))),
                    h('tbody', {}, rows)));
        }

        function showNode(id) {
            select.value = String(id);
            for (const row of container.querySelectorAll('#parties-ranking tr[data-node]')) {
                row.classList.toggle('selected', row.dataset.node === String(id));
            }
            map.nodeCircles.classed('selected', (n) => n.id === id);
            map.nodeCircles.filter((n) => n.id === id).raise();
            const node = run.nodeById.get(id);
            const info = observed[String(id)];
            const title = h('h3', {}, `Service node ${id}`,
                node ? h('span', { class: 'subtle' }, ` · ${[node.city, countryName(node.country)].filter(Boolean).join(', ')} · ${node.provider || ''}`) : null,
                node && node.adversary ? h('span', { class: 'badge badge-adversary' }, 'adversary') : null);
            const sourceNote = h('p', { class: 'note' }, describeSource(run, node));
            if (!info) {
                setChildren(panel, title, emptyState(run.observations.present
                    ? 'No onion layers recorded for this node.'
                    : 'This run recorded no observations (observations.csv is missing or empty).'));
                return;
            }
            const count = (key, text) => h('div', { class: 'stat', title: ROLE_NOTES[key] || '' },
                h('span', { class: 'stat-value', dataset: { count: key } }, formatInt(info[key] || 0)),
                h('span', { class: 'stat-label' }, text));
            const sample = info.sample || [];
            setChildren(panel,
                title, sourceNote,
                h('div', { class: 'stats', id: 'parties-counts' },
                    count('layers', 'layers'), count('as_guard', 'as guard'), count('as_relay', 'as relay'),
                    count('as_destination', 'as destination'), count('clients_seen', 'clients seen'),
                    count('accounts_seen', 'accounts seen')),
                h('ul', { class: 'role-notes' }, Object.values(ROLE_NOTES).map((text) => h('li', {}, text))),
                h('h4', {}, `Sample of the layers (${formatInt(sample.length)} of ${formatInt(info.layers || 0)})`),
                sample.length ? h('div', { class: 'table-scroll' }, table([
                    { label: 'time', class: 'num', value: (r) => formatTime(r.time_s, 3) },
                    { label: 'from', value: (r) => r.from || '' },
                    { label: 'outcome', value: (r) => r.outcome || '' },
                    { label: 'next hop', value: (r) => r.next || '' },
                    { label: 'method', value: (r) => r.method || '' },
                    { label: 'account', class: 'mono', value: (r) => (r.account ? shortKey(r.account) : ''), title: (r) => r.account || '' },
                    // Layers taken from traced journeys name their message.
                    sample.some((r) => r.message !== undefined)
                        ? { label: 'message', class: 'num', value: (r) => (r.message !== undefined ? `${r.message}${r.leg ? ` ${r.leg}` : ''}` : '') } : null,
                ].filter(Boolean), sample, { id: 'parties-sample' })) : emptyState('No sample rows.'));
        }

        select.addEventListener('change', () => showNode(+select.value));
        if (!showNodes) {
            map.nodeCircles.classed('clickable', false).attr('fill', '#4e79a7');
            map.setNodeRadius(5);
            setChildren(map.legend, h('div', { class: 'legend-title' }, `The operator's ${run.nodeNoun}s`));
        } else if (ranked.length || extraIds.length) {
            showNode(ranked.length ? ranked[0].id : extraIds[0]);
        } else {
            select.disabled = true;
            panel.append(emptyState(run.meta.central
                ? 'A centralized run has no service nodes: see what the operator sees instead.'
                : 'This run has no service nodes.'));
        }
        return { showNode };
    }

    /** Where the layers come from, for the note above a node's table. */
    function describeSource(run, node) {
        const source = run.raw.observations && run.raw.observations.source;
        const entry = node && run.raw.observations && run.raw.observations.nodes
            ? run.raw.observations.nodes[String(node.id)] : null;
        if (run.observations.adversary) {
            if (node && node.adversary) {
                return 'This is an adversary run and this node is one of its observers: the table is what the adversary logged.';
            }
            return entry && entry.source === 'journeys.csv'
                ? 'This is an adversary run; this node is honest and logged nothing. The table lists the layers of the '
                    + 'traced messages\' requests it handled, as it would have seen them.'
                : 'This is an adversary run; this node is honest and logged nothing.';
        }
        if (source === 'journeys.csv') {
            return 'This run had no observers: the table lists the layers of the traced messages\' requests this node '
                + 'handled, as it would have seen them (not every request it handled).';
        }
        return 'This run had no observers: the table is what this node would see if it logged everything it handled.';
    }

    // How the operator log's columns are shown; others appear as they are.
    const OPERATOR_COLUMNS = {
        time_s: { label: 'time', class: 'num', value: (v) => formatTime(v, 3) },
        datacentre: { label: 'datacentre', class: 'num' },
        sender_ip: { label: 'sender address', class: 'mono' },
        sender: { label: 'sender', class: 'mono', value: shortKey },
        recipient: { label: 'recipient', class: 'mono', value: shortKey },
        id: { label: 'message', class: 'num' },
        bytes: { label: 'bytes', class: 'num', value: (v) => formatInt(v) },
    };

    function operatorPanel(log) {
        const sample = log.sample || [];
        const pairs = new Set(sample.map((r) => `${r.sender}→${r.recipient}`));
        const names = log.columns || Object.keys(sample[0] || {});
        const columns = names.map((name) => {
            const known = OPERATOR_COLUMNS[name] || { label: name.replace(/_/g, ' ') };
            return { label: known.label, class: known.class,
                     value: (r) => (r[name] === null || r[name] === undefined ? '' : known.value ? known.value(r[name]) : String(r[name])),
                     title: (r) => (r[name] === null || r[name] === undefined ? '' : String(r[name])) };
        });
        return h('div', { class: 'operator-panel', id: 'operator-log' },
            h('h3', {}, 'What the central operator sees'),
            h('p', { class: 'note' }, `Every sender → recipient pair: the operator's servers log each message with both ends, `
                + `its time and its size (${formatInt(log.rows)} rows in this run; ${formatInt(sample.length)} shown, `
                + `${formatInt(pairs.size)} distinct pairs among them).`),
            sample.length ? h('div', { class: 'table-scroll' }, table(columns, sample, { id: 'operator-sample' }))
                : emptyState('The operator log is empty.'));
    }

    Explorer.createPartiesView = createPartiesView;
})();
