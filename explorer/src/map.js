// The Map view: where the service nodes and clients are, coloured by provider, swarm or adversary.

(() => {
    'use strict';

    const { h, setChildren, formatInt, emptyState, swarmColour, countryName } = Explorer;

    const ADVERSARY_COLOUR = '#e15759';
    const HONEST_COLOUR = '#4e79a7';

    const COLOUR_MODES = {
        provider: {
            label: 'provider',
            fill: (run) => (n) => run.providerColour(n.provider),
            legend(run) {
                const entries = run.providerCounts.slice(0, run.providerColourMap.size)
                    .map(([name, count]) => ({ colour: run.providerColour(name), label: name, count }));
                const others = run.providerCounts.slice(run.providerColourMap.size);
                if (others.length) {
                    entries.push({ colour: Explorer.OTHER_COLOUR, label: `${others.length} other providers`,
                                   count: d3.sum(others, (o) => o[1]) });
                }
                return entries;
            },
        },
        swarm: {
            label: 'swarm',
            fill: () => (n) => swarmColour(n.swarm),
            legend(run) {
                const inSwarm = run.nodes.filter((n) => n.swarm !== null && n.swarm !== undefined);
                const swarms = new Set(inSwarm.map((n) => n.swarm));
                const entries = [{ gradient: true, label: `${swarms.size} swarms: hue = position of the swarm id on the ring`,
                                   count: inSwarm.length }];
                if (inSwarm.length < run.nodes.length) {
                    entries.push({ colour: swarmColour(null), label: 'in no swarm', count: run.nodes.length - inSwarm.length });
                }
                return entries;
            },
        },
        adversary: {
            label: 'adversary',
            fill: () => (n) => (n.adversary ? ADVERSARY_COLOUR : HONEST_COLOUR),
            legend(run) {
                const adversaries = run.nodes.filter((n) => n.adversary).length;
                return [{ colour: ADVERSARY_COLOUR, label: 'adversary (observer)', count: adversaries },
                        { colour: HONEST_COLOUR, label: 'honest', count: run.nodes.length - adversaries }];
            },
        },
    };

    function legendItems(entries) {
        return entries.map((entry) => h('div', { class: 'legend-item' },
            entry.gradient ? h('span', { class: 'swatch swatch-ring' })
                : h('span', { class: 'swatch', style: `background:${entry.colour}` }),
            h('span', { class: 'legend-label' }, entry.label),
            entry.count !== undefined ? h('span', { class: 'legend-count' }, formatInt(entry.count)) : null));
    }

    const plural = (count, noun, nouns = `${noun}s`) => `${formatInt(count)} ${count === 1 ? noun : nouns}`;

    function createMapView(container, { run, world }) {
        const countries = new Set(run.nodes.map((n) => n.country));
        const unplaced = run.nodes.filter((n) => !Number.isFinite(n.lat) || !Number.isFinite(n.lon));
        const clientCountries = (run.clients.by_country || []).length;

        const colourSelect = h('select', { id: 'map-colour-by' },
            Object.entries(COLOUR_MODES).map(([value, mode]) => h('option', { value }, mode.label)));
        const clientsToggle = h('input', { type: 'checkbox', id: 'map-show-clients', checked: true });
        const serversToggle = h('input', { type: 'checkbox', id: 'map-show-servers', checked: true });
        container.append(
            h('div', { class: 'view-header' },
                h('div', { class: 'view-intro' },
                    h('h2', {}, 'Where the network is'),
                    h('p', {}, `${plural(run.nodes.length, run.nodeNoun)} in ${plural(countries.size, 'country', 'countries')}; `
                        + `${plural(run.clients.count || 0, 'client')} in ${plural(clientCountries, 'country', 'countries')} `
                        + '(circles sized by the number of clients). Scroll or use the buttons to zoom, drag to pan.')),
                h('div', { class: 'controls' },
                    // Swarms and adversaries do not exist in a centralized run.
                    run.meta.central ? null : h('label', {}, 'Colour nodes by ', colourSelect),
                    h('label', { class: 'check' }, clientsToggle, ' clients'),
                    run.servers.length ? h('label', { class: 'check' }, serversToggle, ' servers') : null)));

        const mapHolder = h('div', { class: 'map-holder' });
        container.append(mapHolder);
        if (run.nodes.length === 0) {
            mapHolder.append(emptyState(run.meta.central
                ? 'A centralized-messenger run: there are no service nodes, only the operator\'s datacentres (squares) and the clients.'
                : 'This run has no service nodes.', 'inline'));
        } else if (unplaced.length) {
            mapHolder.append(emptyState(`${plural(unplaced.length, run.nodeNoun)} without a known position `
                + `(not on the map): ${unplaced.slice(0, 12).map((n) => n.id).join(', ')}${unplaced.length > 12 ? ', …' : ''}.`, 'inline'));
        }
        // A centralized run's few datacentres get bigger marks than a network's hundreds of nodes.
        const map = Explorer.createWorldMap(mapHolder, run, world, { nodeRadius: run.meta.central ? 5 : 3 });

        function applyColourMode(modeName) {
            const mode = COLOUR_MODES[modeName];
            map.nodeCircles.attr('fill', mode.fill(run));
            const clientsLegend = h('div', { class: 'legend-item' },
                h('span', { class: 'swatch swatch-client' }), h('span', { class: 'legend-label' }, 'clients of a country'),
                h('span', { class: 'legend-count' }, formatInt(run.clients.count || 0)));
            const serverLegend = run.servers.length ? h('div', { class: 'legend-item' },
                h('span', { class: 'swatch swatch-server' }),
                h('span', { class: 'legend-label' }, [...new Set(run.servers.map((s) => s.role.replace(/_/g, ' ')))].join(', ')),
                h('span', { class: 'legend-count' }, formatInt(run.servers.length))) : null;
            const nodeLegend = run.nodes.length ? [h('div', { class: 'legend-title' }, `${run.nodeNoun[0].toUpperCase()}${run.nodeNoun.slice(1)}s by ${mode.label}`),
                ...legendItems(mode.legend(run))] : [h('div', { class: 'legend-title' }, 'On the map')];
            setChildren(map.legend, ...nodeLegend, clientsLegend, serverLegend);
        }

        colourSelect.addEventListener('change', () => applyColourMode(colourSelect.value));
        clientsToggle.addEventListener('change', () => map.setClientsVisible(clientsToggle.checked));
        serversToggle.addEventListener('change', () => map.setServersVisible(serversToggle.checked));
        applyColourMode('provider');

        // The countries with most nodes, as text: what the map shows, for a quick read.
        const topCountries = d3.rollups(run.nodes, (v) => v.length, (n) => n.country)
            .sort((a, b) => b[1] - a[1]).slice(0, 8);
        if (topCountries.length) {
            container.append(h('p', { class: 'footnote' }, `Most ${run.nodeNoun}s: `,
                topCountries.map(([code, count]) => `${countryName(code)} ${count}`).join(' · ')));
        }
        return { map };
    }

    Explorer.createMapView = createMapView;
})();
