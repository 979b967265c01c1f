// The world map component the Map, Journey, Timeline and Parties views each embed: countries,
// clients per country, servers and service nodes, with zoom, hover tooltips and node clicks.
//
// All maps share one projection in a fixed 960-wide coordinate system (the SVG's viewBox), so
// country outlines and node positions are computed once per page / per run and reused.

(() => {
    'use strict';

    const { h, tooltip, tooltipRows, formatInt, countryName, throttleToFrame } = Explorer;

    const WIDTH = 960;
    const PADDING = 6;
    const SPHERE = { type: 'Sphere' };
    const projection = d3.geoNaturalEarth1().fitWidth(WIDTH - 2 * PADDING, SPHERE);
    projection.translate([projection.translate()[0] + PADDING, projection.translate()[1] + PADDING]);
    const geoPath = d3.geoPath(projection);
    const HEIGHT = Math.ceil(geoPath.bounds(SPHERE)[1][1] + PADDING);

    // Zooming magnifies the map; marks grow only slowly so dense clusters separate.
    const MARK_GROWTH = 0.25;
    const markScale = (k) => Math.pow(k, MARK_GROWTH - 1);

    let worldPaths = null;  // {sphere, graticule, countries: [{d, name}], borders} built once

    function buildWorldPaths(world) {
        if (worldPaths) return worldPaths;
        worldPaths = {
            sphere: geoPath(SPHERE),
            graticule: geoPath(d3.geoGraticule10()),
            countries: world.countries.features.map((f) => ({ d: geoPath(f), name: f.properties.name })),
            borders: geoPath(world.borders),
        };
        return worldPaths;
    }

    function project(lat, lon) {
        const point = projection([lon, lat]);
        return point && Number.isFinite(point[0]) ? point : null;
    }

    /**
     * Node positions for a run. Many nodes share a city; they are laid out on a small sunflower
     * spiral around it (golden angle), so a city with 40 nodes shows as a visible cluster.
     */
    function nodePositions(run) {
        if (run.nodePositions) return run.nodePositions;   // cached on the prepared run
        const positions = new Map();
        const placed = run.nodes.filter((n) => Number.isFinite(n.lat) && Number.isFinite(n.lon));
        const byPlace = d3.group(placed, (n) => `${n.lat.toFixed(3)},${n.lon.toFixed(3)}`);
        const goldenAngle = Math.PI * (3 - Math.sqrt(5));
        for (const group of byPlace.values()) {
            const centre = project(group[0].lat, group[0].lon);
            if (!centre) continue;
            group.slice().sort((a, b) => a.id - b.id).forEach((node, i) => {
                const radius = 1.5 * Math.sqrt(i);
                positions.set(node.id, [centre[0] + radius * Math.cos(i * goldenAngle),
                                        centre[1] + radius * Math.sin(i * goldenAngle)]);
            });
        }
        run.nodePositions = positions;
        return positions;
    }

    function nodeTooltipRows(run, node) {
        return [
            ['City', [node.city, countryName(node.country)].filter(Boolean).join(', ')],
            ['Provider', node.provider],
            run.meta.central ? null
                : ['Swarm', node.swarm === null || node.swarm === undefined ? 'none (at the end of the run)' : node.swarm],
            ['Requests handled', formatInt(run.requestsByNode.get(node.id) || 0)],
            node.joined_s !== null && node.joined_s !== undefined ? ['Joined at', `${node.joined_s} s`] : null,
            node.adversary ? ['Adversary', 'yes: an observer'] : null,
        ];
    }

    /**
     * Creates a map inside `container`.
     * options: {
     *   nodeRadius: 2.6,                     base radius of a service node
     *   showClients: true, showServers: true,
     *   onNodeClick(node),                   click on a service node
     *   extraTooltipRows(node) -> [[label, value]], appended to the node tooltip
     *   legendOutside: false,               legend under the map instead of over its corner
     *   caption: text under the map
     * }
     */
    function createWorldMap(container, run, world, options = {}) {
        const paths = buildWorldPaths(world);
        const positions = nodePositions(run);
        const baseRadius = options.nodeRadius || 2.6;

        const wrapper = h('div', { class: 'worldmap' });
        container.append(wrapper);
        const svg = d3.select(wrapper).append('svg')
            .attr('class', 'worldmap-svg')
            .attr('viewBox', `0 0 ${WIDTH} ${HEIGHT}`)
            .attr('preserveAspectRatio', 'xMidYMid meet')
            .attr('role', 'img')
            .attr('aria-label', 'World map of the service nodes');
        const root = svg.append('g').attr('class', 'zoom-root');

        const base = root.append('g').attr('class', 'basemap');
        base.append('path').attr('class', 'sphere').attr('d', paths.sphere);
        base.append('path').attr('class', 'graticule').attr('d', paths.graticule);
        base.append('g').attr('class', 'countries').selectAll('path')
            .data(paths.countries).join('path').attr('d', (d) => d.d);
        base.append('path').attr('class', 'borders').attr('d', paths.borders);

        const layers = {
            clients: root.append('g').attr('class', 'clients-layer'),
            servers: root.append('g').attr('class', 'servers-layer'),
            under: root.append('g').attr('class', 'under-layer'),     // views' marks under nodes
            nodes: root.append('g').attr('class', 'nodes-layer'),
            over: root.append('g').attr('class', 'over-layer'),       // views' marks over nodes
        };

        // --- clients per country -----------------------------------------------------------
        const byCountry = (run.clients.by_country || []).filter((c) => Number.isFinite(c.lat) && Number.isFinite(c.lon));
        const maxClients = d3.max(byCountry, (c) => c.count) || 1;
        const clientRadius = d3.scaleSqrt().domain([0, maxClients]).range([0, 18]);
        const clientCircles = layers.clients.selectAll('circle')
            .data(byCountry.filter((c) => project(c.lat, c.lon)))
            .join('circle')
            .attr('class', 'client-country')
            .attr('cx', (c) => project(c.lat, c.lon)[0])
            .attr('cy', (c) => project(c.lat, c.lon)[1])
            .each(function (c) { this.baseRadius = Math.max(1.5, clientRadius(c.count)); })
            .on('pointerenter', (event, c) => tooltip.show(tooltipRows(`${countryName(c.country)} (${c.country})`,
                [['Clients', formatInt(c.count)]]), event))
            .on('pointermove', (event) => tooltip.move(event))
            .on('pointerleave', () => tooltip.hide());
        layers.clients.attr('display', options.showClients === false ? 'none' : null);

        // --- servers (file server, push, datacentres…) ------------------------------------
        const serverSize = 7;
        const serverMarks = layers.servers.selectAll('rect')
            .data(run.servers.filter((s) => Number.isFinite(s.lat) && Number.isFinite(s.lon) && project(s.lat, s.lon)))
            .join('rect')
            .attr('class', 'server')
            .each(function (s) {
                const [x, y] = project(s.lat, s.lon);
                this.centre = [x, y];
            })
            .on('pointerenter', (event, s) => tooltip.show(tooltipRows(String(s.role).replace(/_/g, ' '),
                [['Host', s.host], ['Country', countryName(s.country)]]), event))
            .on('pointermove', (event) => tooltip.move(event))
            .on('pointerleave', () => tooltip.hide());
        layers.servers.attr('display', options.showServers === false ? 'none' : null);

        // --- service nodes -------------------------------------------------------------------
        const placedNodes = run.nodes.filter((n) => positions.has(n.id));
        const nodeCircles = layers.nodes.selectAll('circle')
            .data(placedNodes, (n) => n.id)
            .join('circle')
            .attr('class', 'node')
            .attr('data-node', (n) => n.id)
            .attr('fill', '#4e79a7')
            .attr('cx', (n) => positions.get(n.id)[0])
            .attr('cy', (n) => positions.get(n.id)[1])
            .each(function () { this.baseRadius = baseRadius; });

        // One set of listeners for all nodes (event delegation), not one per circle.
        const nodeOf = (event) => {
            const target = event.target.closest && event.target.closest('circle.node');
            return target ? d3.select(target).datum() : null;
        };
        layers.nodes
            .on('pointerover', (event) => {
                const node = nodeOf(event);
                if (!node) return;
                const extra = options.extraTooltipRows ? options.extraTooltipRows(node) : [];
                const noun = run.nodeNoun[0].toUpperCase() + run.nodeNoun.slice(1);
                tooltip.show(tooltipRows(`${noun} ${node.id}`, [...nodeTooltipRows(run, node), ...extra]), event);
            })
            .on('pointermove', (event) => tooltip.move(event))
            .on('pointerout', () => tooltip.hide())
            .on('click', (event) => {
                const node = nodeOf(event);
                if (node && options.onNodeClick) options.onNodeClick(node);
            });

        // --- zoom ------------------------------------------------------------------------------
        let scale = 1;
        const zoomListeners = [];
        const resizeMarks = () => {
            const factor = markScale(scale);
            nodeCircles.attr('r', function () { return this.baseRadius * factor; });
            clientCircles.attr('r', function () { return this.baseRadius * factor; });
            serverMarks.each(function () {
                const size = serverSize * factor;
                d3.select(this).attr('x', this.centre[0] - size / 2).attr('y', this.centre[1] - size / 2)
                    .attr('width', size).attr('height', size);
            });
            for (const listener of zoomListeners) listener(factor, scale);
        };
        const resizeMarksSoon = throttleToFrame(resizeMarks);
        const zoom = d3.zoom()
            .scaleExtent([1, 40])
            .translateExtent([[0, 0], [WIDTH, HEIGHT]])
            .on('zoom', (event) => {
                root.attr('transform', event.transform);
                if (event.transform.k !== scale) {
                    scale = event.transform.k;
                    resizeMarksSoon();
                }
            });
        svg.call(zoom).on('dblclick.zoom', null);
        resizeMarks();

        const zoomButtons = h('div', { class: 'zoom-buttons' },
            h('button', { type: 'button', title: 'Zoom in', onclick: () => svg.transition().duration(300).call(zoom.scaleBy, 2) }, '+'),
            h('button', { type: 'button', title: 'Zoom out', onclick: () => svg.transition().duration(300).call(zoom.scaleBy, 0.5) }, '−'),
            h('button', { type: 'button', title: 'Whole world', class: 'reset', onclick: () => api.resetZoom() }, '⟲'));
        const legend = h('div', { class: `map-legend${options.legendOutside ? ' outside' : ''}` });
        wrapper.append(zoomButtons, legend);
        if (options.caption) wrapper.append(h('p', { class: 'map-caption' }, options.caption));

        const api = {
            svg, root, layers, nodeCircles, clientCircles, legend, wrapper,
            width: WIDTH, height: HEIGHT,
            project,
            position: (id) => positions.get(id) || null,
            /** The factor marks are drawn at (1 without zoom); views use it for their own marks. */
            markFactor: () => markScale(scale),
            /** Set each node's base radius (number or function of the node); zoom keeps it scaled. */
            setNodeRadius(radius) {
                nodeCircles.each(function (n) { this.baseRadius = typeof radius === 'function' ? radius(n) : radius; });
                resizeMarks();
            },
            onZoom(listener) {
                zoomListeners.push(listener);
                listener(markScale(scale), scale);
            },
            setClientsVisible(visible) { layers.clients.attr('display', visible ? null : 'none'); },
            setServersVisible(visible) { layers.servers.attr('display', visible ? null : 'none'); },
            /** Zooms so that all points ([x, y] in map coordinates) fit, with some margin. */
            zoomToPoints(points, { maxScale = 6, duration = 600 } = {}) {
                const valid = points.filter(Boolean);
                if (valid.length === 0) return api.resetZoom(duration);
                const [x0, x1] = d3.extent(valid, (p) => p[0]);
                const [y0, y1] = d3.extent(valid, (p) => p[1]);
                const margin = 40;
                const k = Math.max(1, Math.min(maxScale,
                    0.9 / Math.max((x1 - x0 + margin) / WIDTH, (y1 - y0 + margin) / HEIGHT)));
                const transform = d3.zoomIdentity.translate(WIDTH / 2, HEIGHT / 2).scale(k)
                    .translate(-(x0 + x1) / 2, -(y0 + y1) / 2);
                (duration ? svg.transition().duration(duration) : svg).call(zoom.transform, transform);
            },
            resetZoom(duration = 400) {
                (duration ? svg.transition().duration(duration) : svg).call(zoom.transform, d3.zoomIdentity);
            },
        };
        return api;
    }

    Object.assign(Explorer, { createWorldMap, projectLatLon: project, nodePositions, MAP_WIDTH: WIDTH, MAP_HEIGHT: HEIGHT });
})();
