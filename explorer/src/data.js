// Reading the inlined blocks (the data bundle of DATA.md and the world atlas) and preparing a run
// for the views: indexes by id, prefix sums over the timeline, colour scales, ring positions.
// Everything here is computed once per run; the views only look things up.

(() => {
    'use strict';

    const SUPPORTED_FORMAT = 1;
    const TWO_POW_64 = 1n << 64n;

    /** Parses a <script type="application/json"> block; returns {value} or {error}. */
    function readJsonBlock(id) {
        const element = document.getElementById(id);
        if (!element) return { error: `the page has no #${id} block` };
        const text = element.textContent.trim();
        if (!text || text.startsWith('/*@')) return { error: `the #${id} block was never filled in` };
        try {
            return { value: JSON.parse(text) };
        } catch (error) {
            return { error: `the #${id} block is not valid JSON (${error.message})` };
        }
    }

    function readBundle() {
        const { value, error } = readJsonBlock('sessionsim-data');
        if (error) return { error };
        if (value.format !== SUPPORTED_FORMAT) {
            return { error: `this explorer reads data format ${SUPPORTED_FORMAT}, the bundle is format ${value.format}` };
        }
        if (!Array.isArray(value.runs) || value.runs.length === 0) return { error: 'the bundle holds no runs' };
        return { bundle: value };
    }

    function readWorld() {
        const { value, error } = readJsonBlock('sessionsim-world');
        if (error) return { error };
        return {
            world: {
                countries: topojson.feature(value, value.objects.countries),
                borders: topojson.mesh(value, value.objects.countries, (a, b) => a !== b),
            },
        };
    }

    /**
     * Position of a swarm id on the ring, in [0, 1): id / 2^64. Swarm ids are u64 decimal strings,
     * beyond what a double holds exactly, hence BigInt; 53 bits of the fraction are plenty to draw.
     */
    function ringFraction(swarmId) {
        if (swarmId === null || swarmId === undefined) return null;
        try {
            const id = BigInt(swarmId) % TWO_POW_64;
            return Number(id >> 11n) / 2 ** 53;
        } catch (error) {
            return null;
        }
    }

    /** Cyclic colour for a swarm: neighbours on the ring get neighbouring hues. */
    function swarmColour(swarmId) {
        const fraction = ringFraction(swarmId);
        return fraction === null ? '#b9b9b9' : d3.interpolateSinebow(fraction);
    }

    function prefixSums(values) {
        const sums = new Float64Array(values.length + 1);
        for (let i = 0; i < values.length; i++) sums[i + 1] = sums[i] + (+values[i] || 0);
        return sums;
    }

    /**
     * node_requests per node as a flat [bin, count, bin, count, …] array (DATA.md). Bundles that
     * use [[bin, count], …] pairs are accepted too and flattened; the flat form parses an order of
     * magnitude faster (hundreds of thousands of tiny arrays are slow to allocate).
     */
    function flattenNodeRequests(nodeRequests) {
        const flat = {};
        for (const [id, entries] of Object.entries(nodeRequests)) {
            flat[id] = entries.length && Array.isArray(entries[0]) ? entries.flat() : entries;
        }
        return flat;
    }

    /** Fills in what a bundle may leave out, so views can rely on arrays being arrays. */
    function normaliseTimeline(timeline, durationS) {
        const source = timeline || {};
        const binS = source.bin_s > 0 ? source.bin_s : 1;
        const bins = Number.isInteger(source.bins) ? source.bins : Math.ceil((durationS || 0) / binS);
        const series = (name) => {
            const values = Array.isArray(source[name]) ? source[name] : [];
            return values.length === bins ? values : Array.from({ length: bins }, (_, k) => +values[k] || 0);
        };
        return {
            binS, bins, durationS: bins * binS,
            requests: series('requests'), failures: series('failures'),
            messagesSent: series('messages_sent'), messagesDelivered: series('messages_delivered'),
            messagesHeld: series('messages_held'),
            nodeRequests: flattenNodeRequests(source.node_requests || {}),
            events: (source.events || []).slice().sort((a, b) => a.time_s - b.time_s),
            outages: source.outages || [],
            present: Boolean(timeline),
        };
    }

    const PROVIDER_COLOURS = d3.schemeTableau10.filter((c) => c !== '#bab0ac');  // grey is "other"
    const OTHER_COLOUR = '#bab0ac';

    function prepareRun(run) {
        const meta = run.meta || {};
        // All nodes, placed or not: the map skips those without a position, the lists do not.
        const nodes = run.nodes || [];
        const nodeById = new Map(nodes.map((n) => [n.id, n]));
        const timeline = normaliseTimeline(run.timeline, meta.duration_s);
        const messages = (run.messages || []).slice().sort((a, b) => a.id - b.id);
        const messageById = new Map(messages.map((m) => [m.id, m]));

        // Prefix sums give any window's totals in constant time.
        const sums = {
            requests: prefixSums(timeline.requests), failures: prefixSums(timeline.failures),
            messages_sent: prefixSums(timeline.messagesSent), messages_delivered: prefixSums(timeline.messagesDelivered),
        };

        // Requests per node over the whole run, for tooltips and the default map sizes.
        const requestsByNode = new Map();
        for (const [id, entries] of Object.entries(timeline.nodeRequests)) {
            let total = 0;
            for (let i = 1; i < entries.length; i += 2) total += entries[i];
            requestsByNode.set(+id, total);
        }

        // Providers ranked by node count: the nine largest get colours, the rest share "other".
        const providerCounts = d3.rollups(nodes, (v) => v.length, (n) => n.provider || 'unknown')
            .sort((a, b) => b[1] - a[1] || d3.ascending(a[0], b[0]));
        const colouredProviders = providerCounts.slice(0, PROVIDER_COLOURS.length);
        const providerColourMap = new Map(colouredProviders.map(([name], i) => [name, PROVIDER_COLOURS[i]]));
        const providerColour = (provider) => providerColourMap.get(provider || 'unknown') || OTHER_COLOUR;

        const observedNodes = (run.observations && run.observations.nodes) || {};

        return {
            raw: run,
            name: run.name || 'run',
            meta,
            summary: run.summary || {},
            nodes,
            nodeById,
            // In a centralized run the "nodes" are the operator's datacentres.
            nodeNoun: meta.central ? 'datacentre' : 'service node',
            clients: run.clients || { count: 0, by_country: [] },
            servers: (run.servers || []).filter((s) => Number.isFinite(s.lat) && Number.isFinite(s.lon)),
            timeline,
            messages,
            messageById,
            journeys: run.journeys || {},
            picks: run.picks || {},
            sampled: run.sampled || {},
            observations: { nodes: observedNodes, adversary: Boolean(run.observations && run.observations.adversary),
                             present: Boolean(run.observations) && Object.keys(observedNodes).length > 0 },
            operatorLog: run.operator_log || null,
            swarmSnapshots: (run.swarms || []).slice().sort((a, b) => a.time_s - b.time_s),
            requestsByNode,
            providerCounts,
            providerColourMap,
            providerColour,

            /** Totals of the binned series over bins [k0, k1). */
            countsInBins(k0, k1) {
                const total = (name) => sums[name][k1] - sums[name][k0];
                const t0 = k0 * timeline.binS;
                const t1 = k1 * timeline.binS;
                return {
                    requests: total('requests'), failures: total('failures'),
                    messages_sent: total('messages_sent'), messages_delivered: total('messages_delivered'),
                    events: timeline.events.filter((e) => e.time_s >= t0 && e.time_s < t1).length,
                };
            },

            /** Map node id -> requests it handled (as guard or destination) in bins [k0, k1). */
            nodeRequestsInBins(k0, k1) {
                const result = new Map();
                for (const [id, entries] of Object.entries(timeline.nodeRequests)) {
                    let total = 0;
                    for (let i = 0; i < entries.length; i += 2) {
                        if (entries[i] >= k0 && entries[i] < k1) total += entries[i + 1];
                    }
                    if (total > 0) result.set(+id, total);
                }
                return result;
            },

            /** "node 17 (Paris, FR)" */
            describeNode(id) {
                const node = nodeById.get(id);
                const place = node ? [node.city, node.country].filter(Boolean).join(', ') : '';
                return place ? `node ${id} (${place})` : `node ${id}`;
            },
        };
    }

    Object.assign(Explorer, { readBundle, readWorld, prepareRun, ringFraction, swarmColour, OTHER_COLOUR });
})();
