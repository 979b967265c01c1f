// The Timeline view: requests, failures and messages per time bin, messages held, node events and
// outages over the run. Brushing the chart selects a window of whole bins; the map below then
// shows the requests each node handled in that window and #window-counts the window's totals.
//
// Window rule: the brush snaps to bin edges; bins k with t0 <= k*bin_s and (k+1)*bin_s <= t1 are
// counted, i.e. bins [t0/bin_s, t1/bin_s). Events count when t0 <= time_s < t1. No brush: the
// whole run.

(() => {
    'use strict';

    const { h, setChildren, formatInt, formatTime, emptyState, tooltip, tooltipRows, cleanNumber, throttleToFrame } = Explorer;

    const COLOURS = {
        ok: '#4e79a7', failed: '#e15759', sent: '#76b7b2', delivered: '#59a14f', held: '#edc948',
        outage: 'rgba(225, 87, 89, 0.10)',
    };
    const EVENT_COLOURS = {
        down: '#e15759', up: '#59a14f', decommissioned: '#f28e2b', recommissioned: '#76b7b2',
        deregistered: '#b07aa1', joined: '#4e79a7',
    };
    const MARGIN = { top: 4, right: 18, bottom: 32, left: 96 };
    const EVENT_ROW_HEIGHT = 12;

    function createTimelineView(container, { run, world }) {
        const tl = run.timeline;
        const binLabel = `${+tl.binS.toFixed(3)} s`;

        const clearButton = h('button', { type: 'button', id: 'clear-brush', disabled: true }, 'Clear selection');
        container.append(h('div', { class: 'view-header' },
            h('div', { class: 'view-intro' },
                h('h2', {}, 'The run over time'),
                h('p', {}, `Counts per ${binLabel} bin. Drag across the chart to select a time window (it snaps to whole bins); `
                    + 'the map and the counts below follow it. Click the chart outside the selection to clear it.')),
            h('div', { class: 'controls' }, clearButton)));

        const chartHolder = h('div', { class: 'timeline-chart', id: 'timeline-chart' });
        container.append(chartHolder);
        if (!tl.present || tl.bins === 0) {
            chartHolder.append(emptyState('The bundle has no timeline for this run.'));
        }

        const label = h('div', { id: 'window-label', class: 'window-label' });
        const countsPanel = h('div', { id: 'window-counts', class: 'window-counts' });
        const eventsList = h('div', { class: 'window-events' });
        const mapColumn = h('div', { class: 'timeline-map' });
        container.append(h('div', { class: 'timeline-lower' }, mapColumn,
            h('div', { class: 'window-panel' }, h('h3', {}, 'Selected window'), label, countsPanel, eventsList)));
        const map = Explorer.createWorldMap(mapColumn, run, world, {
            nodeRadius: 2, showClients: false,
            extraTooltipRows: (node) => [['Requests in the window', formatInt(windowNodeRequests.get(node.id) || 0)]],
        });

        let windowBins = null;              // [k0, k1) or null for the whole run
        let windowNodeRequests = new Map();
        let chart = null;                   // {x, brush, brushGroup, svg}

        // --- the window: counts panel, map -----------------------------------------------------

        function binsOfWindow() {
            return windowBins || [0, tl.bins];
        }

        function renderWindow() {
            const [k0, k1] = binsOfWindow();
            const t0 = cleanNumber(k0 * tl.binS);
            const t1 = cleanNumber(k1 * tl.binS);
            label.dataset.t0 = String(t0);
            label.dataset.t1 = String(t1);
            label.textContent = windowBins
                ? `${formatTime(t0, 1)} – ${formatTime(t1, 1)} (${formatInt(k1 - k0)} bins of ${binLabel})`
                : `the whole run: ${formatTime(t0, 1)} – ${formatTime(t1, 1)}`;
            const counts = run.countsInBins(k0, k1);
            const stat = (key, text, colour) => h('div', { class: 'stat' },
                h('span', { class: 'stat-value', dataset: { count: key }, style: colour ? `color:${colour}` : null }, String(Math.round(counts[key]))),
                h('span', { class: 'stat-label' }, text));
            setChildren(countsPanel,
                stat('requests', 'onion requests'), stat('failures', 'failed requests', counts.failures > 0 ? COLOURS.failed : null),
                stat('messages_sent', 'messages sent'), stat('messages_delivered', 'messages delivered'),
                stat('events', 'node events'));

            const events = tl.events.filter((e) => e.time_s >= t0 && e.time_s < t1);
            setChildren(eventsList, events.length
                ? h('ul', { class: 'event-list' }, events.slice(0, 6).map((e) => h('li', {},
                    h('span', { class: 'event-dot', style: `background:${EVENT_COLOURS[e.event] || '#999'}` }),
                    `${formatTime(e.time_s, 1)} · ${run.describeNode(e.node)} ${e.event}${e.detail ? ` (${e.detail})` : ''}`)),
                    events.length > 6 ? h('li', { class: 'more' }, `… and ${events.length - 6} more`) : null)
                : h('p', { class: 'footnote' }, 'No node events in this window.'));
            clearButton.disabled = !windowBins;
            renderMap();
        }

        function renderMap() {
            const [k0, k1] = binsOfWindow();
            windowNodeRequests = run.nodeRequestsInBins(k0, k1);
            const max = d3.max(windowNodeRequests.values()) || 1;
            // Smaller marks when nodes are many: big circles would hide each other in a city.
            const radius = d3.scaleSqrt().domain([0, max]).range([1.3, run.nodes.length > 300 ? 5 : 9]);
            const colour = (count) => d3.interpolateBlues(0.4 + 0.6 * Math.sqrt(count / max));
            const t0 = k0 * tl.binS;
            const t1 = k1 * tl.binS;
            const nodesWithEvents = new Set(tl.events.filter((e) => e.time_s >= t0 && e.time_s < t1).map((e) => e.node));
            map.nodeCircles
                .attr('fill', (n) => (windowNodeRequests.has(n.id) ? colour(windowNodeRequests.get(n.id)) : '#c8c8c8'))
                .classed('idle', (n) => !windowNodeRequests.has(n.id))
                .classed('had-event', (n) => nodesWithEvents.has(n.id));
            map.setNodeRadius((n) => (windowNodeRequests.has(n.id) ? radius(windowNodeRequests.get(n.id)) : 1.3));
            // Busiest nodes drawn last, on top.
            map.nodeCircles.sort((a, b) => (windowNodeRequests.get(a.id) || 0) - (windowNodeRequests.get(b.id) || 0));

            const sizes = [max, Math.max(1, Math.round(max / 4))].filter((v, i, all) => all.indexOf(v) === i);
            setChildren(map.legend,
                h('div', { class: 'legend-title' }, 'Requests handled in the window', h('br'), h('small', {}, '(as guard or destination)')),
                ...sizes.map((value) => h('div', { class: 'legend-item' },
                    h('span', { class: 'swatch-circle', style: `width:${2 * radius(value)}px;height:${2 * radius(value)}px;background:${colour(value)}` }),
                    h('span', {}, formatInt(value)))),
                h('div', { class: 'legend-item' }, h('span', { class: 'swatch-circle', style: 'width:5px;height:5px;background:#c8c8c8' }), h('span', {}, 'none')),
                nodesWithEvents.size ? h('div', { class: 'legend-item' }, h('span', { class: 'swatch-circle event-ring' }), h('span', {}, 'had a node event')) : null);
        }

        const renderWindowSoon = throttleToFrame(renderWindow);

        // --- the chart --------------------------------------------------------------------------

        function snapToBins(selection, x) {
            let k0 = Math.round(x.invert(selection[0]) / tl.binS);
            let k1 = Math.round(x.invert(selection[1]) / tl.binS);
            k0 = Math.max(0, Math.min(tl.bins - 1, k0));
            k1 = Math.max(k0 + 1, Math.min(tl.bins, k1));
            return [k0, k1];
        }

        function drawChart() {
            chartHolder.querySelectorAll('svg').forEach((s) => s.remove());
            if (!tl.present || tl.bins === 0) return;
            const width = Math.max(480, chartHolder.clientWidth || 1200);
            const innerWidth = width - MARGIN.left - MARGIN.right;
            const eventTypes = [...new Set(tl.events.map((e) => e.event))];
            const panels = [
                { key: 'requests', title: 'Onion requests per bin: succeeded / failed', height: 80 },
                { key: 'messages', title: 'Messages per bin: sent / delivered', height: 52 },
                { key: 'held', title: 'Messages held (stored, not yet delivered) at the bin\'s end', height: 38 },
                { key: 'events', title: eventTypes.length ? 'Node events' : 'Node events: none in this run',
                  height: Math.max(1, eventTypes.length) * EVENT_ROW_HEIGHT },
            ];
            const PANEL_GAP = 18;
            let y = MARGIN.top;
            for (const panel of panels) {
                panel.top = y + 14;   // room for the title
                y = panel.top + panel.height + PANEL_GAP;
            }
            const plotBottom = panels[panels.length - 1].top + panels[panels.length - 1].height;
            const height = plotBottom + MARGIN.bottom;

            const x = d3.scaleLinear().domain([0, tl.durationS]).range([0, innerWidth]);
            const svg = d3.select(chartHolder).append('svg')
                .attr('width', width).attr('height', height).attr('class', 'timeline-svg');
            const plot = svg.append('g').attr('transform', `translate(${MARGIN.left},0)`);

            // Outage bands behind everything, across all panels.
            const bands = plot.append('g').attr('class', 'outages');
            for (const outage of tl.outages) {
                const x0 = x(Math.max(0, outage.start_s));
                const x1 = x(Math.min(tl.durationS, outage.end_s));
                bands.append('rect').attr('x', x0).attr('width', Math.max(1, x1 - x0))
                    .attr('y', panels[0].top).attr('height', plotBottom - panels[0].top).attr('fill', COLOURS.outage);
            }

            const binsIndex = d3.range(tl.bins + 1);   // edges; the last edge repeats the last value
            const valueAt = (series, k) => series[Math.min(k, tl.bins - 1)] || 0;
            const drawPanelFrame = (panel, yScale, unitLabel) => {
                const g = plot.append('g').attr('class', `panel panel-${panel.key}`);
                g.append('text').attr('class', 'panel-title').attr('x', 0).attr('y', panel.top - 5).text(panel.title);
                if (yScale) {
                    // Counts are whole numbers: no ticks between them.
                    const ticks = yScale.ticks(panel.height > 60 ? 4 : 2).filter(Number.isInteger);
                    g.append('g').attr('class', 'axis y-axis')
                        .call(d3.axisLeft(yScale).tickValues(ticks).tickSizeOuter(0).tickFormat(d3.format('~s')));
                    g.append('text').attr('class', 'axis-unit').attr('transform', `translate(${-MARGIN.left + 12},${panel.top + panel.height / 2}) rotate(-90)`)
                        .attr('text-anchor', 'middle').text(unitLabel);
                }
                return g;
            };

            // Requests: stacked step areas, successes under failures.
            {
                const panel = panels[0];
                const total = (k) => valueAt(tl.requests, k);
                const failed = (k) => Math.min(total(k), valueAt(tl.failures, k));
                const yScale = d3.scaleLinear().domain([0, d3.max(tl.requests) || 1]).nice()
                    .range([panel.top + panel.height, panel.top]);
                const g = drawPanelFrame(panel, yScale, `per ${binLabel}`);
                const area = (lower, upper) => d3.area().curve(d3.curveStepAfter)
                    .x((k) => x(k * tl.binS)).y0((k) => yScale(lower(k))).y1((k) => yScale(upper(k)));
                g.append('path').attr('fill', COLOURS.ok).attr('d', area(() => 0, (k) => total(k) - failed(k))(binsIndex));
                g.append('path').attr('fill', COLOURS.failed).attr('d', area((k) => total(k) - failed(k), total)(binsIndex));
                legendRow(g, panel, [['succeeded', COLOURS.ok], ['failed', COLOURS.failed]], innerWidth);
            }
            // Messages sent / delivered: step lines.
            {
                const panel = panels[1];
                const yScale = d3.scaleLinear()
                    .domain([0, d3.max([...tl.messagesSent, ...tl.messagesDelivered]) || 1]).nice()
                    .range([panel.top + panel.height, panel.top]);
                const g = drawPanelFrame(panel, yScale, `per ${binLabel}`);
                const line = (series) => d3.line().curve(d3.curveStepAfter)
                    .x((k) => x(k * tl.binS)).y((k) => yScale(valueAt(series, k)))(binsIndex);
                g.append('path').attr('class', 'series-line').attr('stroke', COLOURS.sent).attr('d', line(tl.messagesSent));
                g.append('path').attr('class', 'series-line').attr('stroke', COLOURS.delivered).attr('d', line(tl.messagesDelivered));
                legendRow(g, panel, [['sent', COLOURS.sent], ['delivered', COLOURS.delivered]], innerWidth);
            }
            // Messages held: area.
            {
                const panel = panels[2];
                const yScale = d3.scaleLinear().domain([0, d3.max(tl.messagesHeld) || 1]).nice()
                    .range([panel.top + panel.height, panel.top]);
                const g = drawPanelFrame(panel, yScale, 'messages');
                g.append('path').attr('fill', COLOURS.held).attr('opacity', 0.85)
                    .attr('d', d3.area().curve(d3.curveStepAfter).x((k) => x(k * tl.binS))
                        .y0(yScale(0)).y1((k) => yScale(valueAt(tl.messagesHeld, k)))(binsIndex));
            }
            // Node events: one row of ticks per event type.
            {
                const panel = panels[3];
                const g = drawPanelFrame(panel, null);
                const row = d3.scaleBand().domain(eventTypes).range([panel.top, panel.top + panel.height]).padding(0.15);
                g.selectAll('text.event-type').data(eventTypes).join('text').attr('class', 'event-type')
                    .attr('x', -8).attr('y', (t) => row(t) + row.bandwidth() / 2).attr('dy', '0.35em')
                    .attr('text-anchor', 'end').text((t) => t);
                g.selectAll('rect.event').data(tl.events).join('rect').attr('class', 'event')
                    .attr('x', (e) => x(e.time_s) - 1).attr('width', 2.5)
                    .attr('y', (e) => row(e.event)).attr('height', row.bandwidth())
                    .attr('fill', (e) => EVENT_COLOURS[e.event] || '#888');
            }

            plot.append('g').attr('class', 'axis x-axis').attr('transform', `translate(0,${plotBottom + 2})`)
                .call(d3.axisBottom(x).ticks(Math.min(12, Math.floor(innerWidth / 80))).tickFormat((t) => `${d3.format('~g')(t)}`));
            plot.append('text').attr('class', 'axis-unit').attr('x', innerWidth).attr('y', plotBottom + 30)
                .attr('text-anchor', 'end').text('simulated time (s)');

            // Outage labels above the data, so the areas do not hide them.
            plot.append('g').attr('class', 'outage-labels').selectAll('text').data(tl.outages).join('text')
                .attr('class', 'outage-label').attr('x', (o) => x(Math.max(0, o.start_s)) + 3).attr('y', panels[0].top + 10)
                .text((o) => `outage: ${o.what}`);

            // Hover readout line (under the brush, which owns the pointer).
            const hoverLine = plot.append('line').attr('class', 'hover-line')
                .attr('y1', panels[0].top).attr('y2', plotBottom).attr('visibility', 'hidden');

            const brush = d3.brushX()
                .extent([[0, panels[0].top], [innerWidth, plotBottom]])
                .on('brush', (event) => {
                    if (!event.sourceEvent || !event.selection) return;
                    windowBins = snapToBins(event.selection, x);
                    renderWindowSoon();
                })
                .on('end', (event) => {
                    if (!event.selection) {
                        windowBins = null;
                        renderWindow();
                        return;
                    }
                    const snapped = snapToBins(event.selection, x);
                    const snappedPixels = snapped.map((k) => x(k * tl.binS));
                    if (event.sourceEvent && (Math.abs(snappedPixels[0] - event.selection[0]) > 0.5
                        || Math.abs(snappedPixels[1] - event.selection[1]) > 0.5)) {
                        brushGroup.transition().duration(120).call(brush.move, snappedPixels);
                        // The transition's end event applies the window; show it right away too.
                    }
                    windowBins = snapped;
                    renderWindow();
                });
            const brushGroup = plot.append('g').attr('class', 'brush').call(brush);

            // Readout of the values under the pointer; the brush overlay receives the events.
            brushGroup.on('pointermove.readout', (event) => {
                const [mx] = d3.pointer(event, plot.node());
                const t = x.invert(mx);
                const k = Math.max(0, Math.min(tl.bins - 1, Math.floor(t / tl.binS)));
                hoverLine.attr('x1', x(k * tl.binS + tl.binS / 2)).attr('x2', x(k * tl.binS + tl.binS / 2)).attr('visibility', 'visible');
                const near = tl.events.filter((e) => Math.abs(x(e.time_s) - mx) <= 3);
                const inOutage = tl.outages.filter((o) => t >= o.start_s && t < o.end_s);
                tooltip.show(tooltipRows(`${formatTime(k * tl.binS, 1)} – ${formatTime((k + 1) * tl.binS, 1)}`, [
                    ['Requests', formatInt(tl.requests[k])], ['Failed', formatInt(tl.failures[k])],
                    ['Messages sent', formatInt(tl.messagesSent[k])], ['Delivered', formatInt(tl.messagesDelivered[k])],
                    ['Held', formatInt(tl.messagesHeld[k])],
                    ...inOutage.map((o) => ['Outage', o.what]),
                    ...near.slice(0, 4).map((e) => [`${e.event}`, `${run.describeNode(e.node)} at ${formatTime(e.time_s, 2)}`]),
                ]), event);
            }).on('pointerleave.readout', () => {
                hoverLine.attr('visibility', 'hidden');
                tooltip.hide();
            });

            chart = { x, brush, brushGroup, svg, panels, plotBottom };
            if (windowBins) brushGroup.call(brush.move, windowBins.map((k) => x(k * tl.binS)));
        }

        function legendRow(g, panel, entries, innerWidth) {
            const legend = g.append('g').attr('class', 'inline-legend')
                .attr('transform', `translate(${innerWidth},${panel.top - 5})`);
            let offset = 0;
            for (const [text, colour] of entries.slice().reverse()) {
                const item = legend.append('g').attr('transform', `translate(${-offset},0)`);
                const label = item.append('text').attr('text-anchor', 'end').text(text);
                const textWidth = label.node().getComputedTextLength();
                item.append('rect').attr('x', -textWidth - 14).attr('y', -9).attr('width', 10).attr('height', 10).attr('fill', colour);
                offset += textWidth + 26;
            }
        }

        // The chart is sized to its container, so it is drawn when the view first shows and
        // redrawn when the window is resized (main.js calls show() for both).
        let drawnWidth = 0;
        function ensureChart() {
            const width = chartHolder.clientWidth;
            if (!chart || (width && Math.abs(width - drawnWidth) > 2)) {
                drawnWidth = width;
                drawChart();
            }
        }

        renderWindow();

        const api = {
            show: ensureChart,
            brush(t0, t1) {
                ensureChart();
                if (!chart) return;
                const k0 = Math.round(t0 / tl.binS);
                const k1 = Math.round(t1 / tl.binS);
                chart.brushGroup.call(chart.brush.move, [k0, Math.max(k0 + 1, k1)].map((k) => chart.x(Math.min(tl.bins, k) * tl.binS)));
            },
            clearBrush() {
                if (chart) chart.brushGroup.call(chart.brush.move, null);
                windowBins = null;
                renderWindow();
            },
            /** Client (viewport) x of simulated time t on the chart. */
            timelineX(t) {
                ensureChart();
                if (!chart) return null;
                const box = chart.svg.node().getBoundingClientRect();
                return box.left + MARGIN.left + chart.x(t);
            },
            /** A client y inside the brush area (the middle of the requests panel). */
            timelineY() {
                ensureChart();
                if (!chart) return null;
                const box = chart.svg.node().getBoundingClientRect();
                return box.top + chart.panels[0].top + chart.panels[0].height / 2;
            },
        };
        clearButton.addEventListener('click', () => api.clearBrush());
        return api;
    }

    Explorer.createTimelineView = createTimelineView;
})();
