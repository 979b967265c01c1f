// The Journey view: one message's way through the network, hop by hop, played back in time.
//
// The store request goes sender → guard → relay(s) → destination; the destination's swarm stores
// replicas; later the recipient's poll request goes recipient → guard → relay(s) → a swarm member
// and brings the message back. Each drawn hop is a <g class="hop" data-node data-leg data-step>
// (the curve from the previous position and the mark at the node), each replica a
// <g class="replica" data-node>; tests read these attributes.

(() => {
    'use strict';

    const { h, setChildren, formatInt, formatTime, formatDelta, formatMs, emptyState, countryName, tooltip, tooltipRows } = Explorer;

    const LEG_COLOURS = { store: '#4e79a7', poll: '#f28e2b', replica: '#59a14f' };
    const PLAYBACK_MS = 6000;  // a whole journey plays in about this long, idle gaps compressed

    // --- geometry -----------------------------------------------------------------------------

    /** Control point of a gentle curve from a to b; store and poll legs bend to opposite sides. */
    function controlPoint(a, b, bend) {
        const mx = (a[0] + b[0]) / 2;
        const my = (a[1] + b[1]) / 2;
        const dx = b[0] - a[0];
        const dy = b[1] - a[1];
        return [mx - dy * bend, my + dx * bend];
    }

    /** The first `fraction` of the quadratic curve a→b (de Casteljau split), as a path. */
    function partialCurve(a, c, b, fraction) {
        const lerp = (p, q, t) => [p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t];
        const ac = lerp(a, c, fraction);
        const cb = lerp(c, b, fraction);
        const end = lerp(ac, cb, fraction);
        return `M${a[0]},${a[1]}Q${ac[0]},${ac[1]} ${end[0]},${end[1]}`;
    }

    // --- turning a journey into steps (table rows) and marks (drawn elements) -----------------

    const roleOfHop = (index, count) => {
        if (count === 1) return 'guard and destination';
        if (index === 0) return 'guard';
        if (index === count - 1) return 'destination';
        return count > 3 ? `relay ${index}` : 'relay';
    };

    function describeJourney(run, message, journey) {
        const project = Explorer.projectLatLon;
        const positions = Explorer.nodePositions(run);
        const position = (id) => positions.get(id) || null;
        const endpoint = (lat, lon) => (Number.isFinite(lat) && Number.isFinite(lon) ? project(lat, lon) : null);
        const senderPoint = endpoint(journey.sender_lat, journey.sender_lon);
        const recipientPoint = endpoint(journey.recipient_lat, journey.recipient_lon);
        const steps = [];
        const marks = [];

        const addRequest = (leg, request, startPoint, who) => {
            const hops = request.hops || [];
            // start_s is missing when requests.csv has no row for the request: the leg then
            // starts at its first hop.
            const started = Number.isFinite(request.start_s);
            if (started) {
                steps.push({ leg, time: request.start_s, what: leg === 'store'
                    ? `${who} sends the store request` : `${who} polls its swarm` });
            }
            let previousPoint = startPoint;
            let previousTime = started ? request.start_s : (hops.length ? hops[0].time_s : null);
            hops.forEach((hop, index) => {
                const point = position(hop.node);
                const role = roleOfHop(index, hops.length);
                marks.push({ kind: 'hop', leg, step: index, node: hop.node, role, from: previousPoint, to: point,
                             startTime: previousTime, time: hop.time_s, bend: leg === 'store' ? 0.18 : -0.18 });
                steps.push({ leg, time: hop.time_s, node: hop.node,
                             what: `${role[0].toUpperCase()}${role.slice(1)}: ${run.describeNode(hop.node)} ${hop.outcome || ''}`.trim() });
                previousPoint = point;
                previousTime = hop.time_s;
            });
            return { lastTime: previousTime, lastNode: hops.length ? hops[hops.length - 1].node : request.destination };
        };

        if (Number.isFinite(message.sent_s)) {
            steps.push({ leg: 'store', time: message.sent_s, what: `Client ${message.sender} sends message ${message.id}` });
        }
        const store = addRequest('store', journey.store, senderPoint, `Client ${journey.store.client}`);
        for (const replica of journey.replicas || []) {
            marks.push({ kind: 'replica', leg: 'replica', node: replica.node, from: position(store.lastNode),
                         to: position(replica.node), startTime: store.lastTime, time: replica.time_s, bend: 0.1,
                         self: replica.node === store.lastNode });
            steps.push({ leg: 'replica', time: replica.time_s, node: replica.node,
                         what: `Replica stored on ${run.describeNode(replica.node)}` });
        }
        if (Number.isFinite(journey.store.end_s)) {
            steps.push({ leg: 'store', time: journey.store.end_s,
                         what: `Sender gets the answer${journey.store.status !== undefined ? ` (status ${journey.store.status})` : ''}` });
        }
        if (journey.poll) {
            addRequest('poll', journey.poll, recipientPoint, `Client ${journey.poll.client}`);
            if (Number.isFinite(journey.poll.end_s)) {
                steps.push({ leg: 'poll', time: journey.poll.end_s,
                             what: `Recipient receives the message${journey.poll.status !== undefined ? ` (status ${journey.poll.status})` : ''}` });
            }
        }
        // Chronological order; the sort is stable, so equal times keep the logical order.
        const ordered = steps.filter((s) => Number.isFinite(s.time)).sort((a, b) => a.time - b.time);
        ordered.forEach((step, i) => { step.delta = i === 0 ? null : step.time - ordered[i - 1].time; });

        const times = [...ordered.map((s) => s.time), ...marks.map((m) => m.startTime)].filter(Number.isFinite);
        return { steps: ordered, marks, senderPoint, recipientPoint, start: d3.min(times), end: d3.max(times) };
    }

    /** Why a message has nothing to draw, in a sentence. */
    function missingJourneyReason(run, message) {
        if (message.stored_s === null || message.stored_s === undefined || message.status === 'failed') {
            return `Message ${message.id} was never stored (status “${message.status}”, fate “${message.fate}”): `
                + 'no store request succeeded, so there is no path through the network to draw.';
        }
        if (run.meta.central) {
            return 'A centralized-messenger run: a message goes from the sender to the operator\'s datacentre and from there '
                + 'to the recipient, with no onion path or swarm to draw (see what the operator sees).';
        }
        if (Object.keys(run.journeys).length === 0) {
            return 'This run recorded no journeys (its results have no journeys.csv: an older run, or one with '
                + 'trace.journeys = false), so no message\'s path can be drawn.';
        }
        return `The bundle holds no journey for message ${message.id} (status “${message.status}”, `
            + `fate “${message.fate}”): its requests were not traced.`;
    }

    // --- the view -------------------------------------------------------------------------------

    function createJourneyView(container, { run, world }) {
        const messages = run.messages;
        const picks = run.picks;

        const select = h('select', { id: 'journey-message', 'aria-label': 'Message' },
            messages.map((m) => h('option', { value: String(m.id) },
                `#${m.id} · ${m.status}${m.delay_ms !== null && m.delay_ms !== undefined ? ` · ${formatMs(m.delay_ms)}` : ''}`)));
        const pickButton = (id, label, messageId, title) => h('button', {
            type: 'button', id, title, disabled: messageId === null || messageId === undefined || !run.messageById.has(messageId),
            onclick: () => showMessage(messageId),
        }, label);
        const summary = h('div', { id: 'journey-summary', class: 'journey-summary' });
        const note = h('p', { id: 'journey-note', class: 'note', hidden: true });
        const stepsHolder = h('div', { class: 'steps-holder' });
        const sampled = run.sampled.messages;

        const side = h('div', { class: 'journey-side' },
            h('h2', {}, 'A message\'s journey'),
            h('div', { class: 'picker' }, h('label', {}, 'Message ', select)),
            h('div', { class: 'picker' }, h('span', { class: 'subtle' }, 'or pick'),
                pickButton('pick-slowest', 'the slowest', picks.slowest, 'The delivered message with the longest delay'),
                pickButton('pick-lost', 'a lost one', picks.lost, picks.lost === null ? 'No message was lost in this run' : 'A message that was never delivered'),
                pickButton('pick-first', 'first', picks.first, 'The first message sent')),
            sampled && sampled.kept < sampled.of
                ? h('p', { class: 'footnote' }, `${formatInt(sampled.kept)} of ${formatInt(sampled.of)} messages kept (${sampled.rule}).`) : null,
            summary, note, stepsHolder);

        const playButton = h('button', { type: 'button', id: 'journey-play', class: 'play', disabled: true }, '▶ Play');
        const slider = h('input', { type: 'range', id: 'journey-slider', min: 0, max: 1, step: 'any', value: 0, disabled: true,
                                    'aria-label': 'Simulated time' });
        const timeLabel = h('span', { id: 'journey-time', class: 'time-label' }, '');
        const mapColumn = h('div', { class: 'journey-map' });
        container.append(h('div', { class: 'journey-layout' }, side, mapColumn));

        if (messages.length === 0) {
            side.append(emptyState('This run has no messages in the bundle, so there is no journey to follow.'));
            select.disabled = true;
        }
        const map = Explorer.createWorldMap(mapColumn, run, world, { nodeRadius: 2.2, showClients: false, legendOutside: true });
        map.nodeCircles.classed('dim', true);
        // Playback controls right under the map, above its legend.
        map.wrapper.insertBefore(h('div', { class: 'playback' }, playButton, slider, timeLabel), map.legend);
        map.legend.append(
            h('div', { class: 'legend-title' }, 'Journey'),
            h('div', { class: 'legend-item' }, h('span', { class: 'swatch swatch-line', style: `background:${LEG_COLOURS.store}` }), h('span', {}, 'store request (sender → swarm)')),
            h('div', { class: 'legend-item' }, h('span', { class: 'swatch swatch-line dashed', style: `border-color:${LEG_COLOURS.replica}` }), h('span', {}, 'replication to the swarm')),
            h('div', { class: 'legend-item' }, h('span', { class: 'swatch swatch-line', style: `background:${LEG_COLOURS.poll}` }), h('span', {}, 'recipient\'s poll (fetch)')),
            h('div', { class: 'legend-item' }, h('span', { class: 'swatch-endpoint sender' }, 'S'), h('span', { class: 'swatch-endpoint recipient' }, 'R'),
                h('span', {}, 'sender / recipient (their country)')),
            h('div', { class: 'legend-item' }, h('span', {}, 'S1 S2 … store hops, P1 P2 … poll hops')));

        const journeyLayer = map.layers.over.append('g').attr('class', 'journey');
        let current = null;     // {message, journey, steps, marks, ...} or null
        let stepRows = [];
        let animation = null;

        // Marks keep their on-screen size while zooming, like the nodes.
        map.onZoom((factor) => {
            journeyLayer.selectAll('.hop-dot, .replica-dot').attr('r', 4 * factor);
            journeyLayer.selectAll('.replica-ring').attr('r', 7 * factor);
            journeyLayer.selectAll('.endpoint').attr('transform', function () {
                return `translate(${this.point[0]},${this.point[1]}) scale(${factor})`;
            });
            journeyLayer.selectAll('.hop-label').attr('font-size', 10 * factor)
                .attr('dx', 5 * factor).attr('dy', -5 * factor);
        });

        function drawMarks(description) {
            journeyLayer.selectAll('*').remove();
            const factor = map.markFactor();
            const endpointMark = (point, letter, className, title) => {
                if (!point) return;
                const g = journeyLayer.append('g').attr('class', `endpoint ${className}`)
                    .attr('transform', `translate(${point[0]},${point[1]}) scale(${factor})`)
                    .on('pointerenter', (event) => tooltip.show(tooltipRows(title, []), event))
                    .on('pointerleave', () => tooltip.hide());
                g.node().point = point;
                g.append('rect').attr('x', -7).attr('y', -7).attr('width', 14).attr('height', 14).attr('rx', 3);
                g.append('text').attr('text-anchor', 'middle').attr('dy', '0.35em').text(letter);
            };
            const { journey } = current;
            endpointMark(description.senderPoint, 'S', 'sender',
                `Sender: client ${current.message.sender}${journey.sender_country ? ` (${countryName(journey.sender_country)})` : ''}`);
            endpointMark(description.recipientPoint, 'R', 'recipient',
                `Recipient: client ${current.message.recipient}${journey.recipient_country ? ` (${countryName(journey.recipient_country)})` : ''}`);

            for (const mark of description.marks) {
                const g = journeyLayer.append('g')
                    .attr('class', mark.kind)
                    .attr('data-node', mark.node)
                    .attr('data-leg', mark.kind === 'hop' ? mark.leg : null)
                    .attr('data-step', mark.kind === 'hop' ? mark.step : null)
                    .style('--leg-colour', LEG_COLOURS[mark.leg]);
                mark.element = g;
                if (mark.from && mark.to && !mark.self) {
                    mark.control = controlPoint(mark.from, mark.to, mark.bend);
                    mark.curve = g.append('path').attr('class', `${mark.kind}-line`);
                }
                if (mark.to) {
                    if (mark.self) {
                        g.append('circle').attr('class', 'replica-ring').attr('cx', mark.to[0]).attr('cy', mark.to[1]).attr('r', 7 * factor);
                    } else {
                        g.append('circle').attr('class', `${mark.kind}-dot`).attr('cx', mark.to[0]).attr('cy', mark.to[1]).attr('r', 4 * factor);
                    }
                    if (mark.kind === 'hop') {
                        g.append('text').attr('class', 'hop-label').attr('x', mark.to[0]).attr('y', mark.to[1])
                            .attr('dx', 5 * factor).attr('dy', -5 * factor).attr('font-size', 10 * factor)
                            .text(`${mark.leg === 'store' ? 'S' : 'P'}${mark.step + 1}`);
                    }
                }
                g.on('pointerenter', (event) => tooltip.show(tooltipRows(
                    mark.kind === 'hop' ? `${mark.leg === 'store' ? 'Store' : 'Poll'} hop ${mark.step + 1}: ${mark.role}` : 'Replica',
                    [['Node', run.describeNode(mark.node)], ['At', formatTime(mark.time)],
                     ['After previous', formatDelta(mark.time - mark.startTime)]]), event))
                    .on('pointermove', (event) => tooltip.move(event))
                    .on('pointerleave', () => tooltip.hide());
            }
            // Hops on top of replication lines.
            journeyLayer.selectAll('.hop').raise();
        }

        function drawSteps(description) {
            stepRows = [];
            if (!description) {
                setChildren(stepsHolder);
                return;
            }
            const rows = description.steps.map((step, index) => {
                const row = h('tr', { dataset: { leg: step.leg, index: String(index) }, onclick: () => { stopPlayback(); setTime(step.time); } },
                    h('td', { class: 'num' }, formatTime(step.time)),
                    h('td', { class: 'num delta' }, formatDelta(step.delta)),
                    h('td', {}, h('span', { class: `leg-badge leg-${step.leg}` }, step.leg)),
                    h('td', {}, step.what));
                stepRows.push({ row, time: step.time });
                return row;
            });
            setChildren(stepsHolder, h('table', { id: 'journey-steps', class: 'data-table steps' },
                h('thead', {}, h('tr', {}, h('th', { class: 'num' }, 'time'), h('th', { class: 'num' }, 'Δ previous'),
                    h('th', {}, 'leg'), h('th', {}, 'step'))),
                h('tbody', {}, rows)));
        }

        /**
         * Shows the journey as it stood at simulated time t; `follow` scrolls the steps table to
         * the current step (playback, slider), not wanted when a message is first shown.
         */
        function setTime(t, follow = true) {
            if (!current || !current.description) return;
            const { description } = current;
            slider.value = String(t);
            for (const mark of description.marks) {
                const span = mark.time - mark.startTime;
                const progress = t >= mark.time ? 1 : span > 0 ? Math.max(0, (t - mark.startTime) / span) : 0;
                const state = progress >= 1 ? 'done' : progress > 0 ? 'active' : 'future';
                mark.element.attr('data-state', state);
                if (mark.curve) mark.curve.attr('d', progress > 0 ? partialCurve(mark.from, mark.control, mark.to, Math.min(1, progress)) : null);
            }
            let currentRow = null;
            for (const entry of stepRows) {
                const reached = entry.time <= t + 1e-9;
                entry.row.classList.toggle('reached', reached);
                entry.row.classList.remove('current');
                if (reached) currentRow = entry.row;
            }
            if (currentRow) {
                currentRow.classList.add('current');
                if (follow) keepRowVisible(currentRow);
            }
            const since = t - description.start;
            timeLabel.textContent = `t = ${formatTime(t)} · ${formatDelta(since).replace('+', '')} after the send`;
        }

        /** Scrolls the steps table (not the page) so that the current row shows. */
        function keepRowVisible(row) {
            const rowBox = row.getBoundingClientRect();
            const holderBox = stepsHolder.getBoundingClientRect();
            const header = 28;   // the sticky table header covers the top of the box
            if (rowBox.top < holderBox.top + header) stepsHolder.scrollTop -= holderBox.top + header - rowBox.top;
            else if (rowBox.bottom > holderBox.bottom) stepsHolder.scrollTop += rowBox.bottom - holderBox.bottom;
        }

        function stopPlayback() {
            if (animation) cancelAnimationFrame(animation.frame);
            animation = null;
            playButton.textContent = '▶ Play';
        }

        /** Plays from the current time to the end, event by event; idle gaps are compressed. */
        function play() {
            const { description } = current;
            let from = +slider.value;
            if (from >= description.end - 1e-9) from = description.start;
            const keyTimes = [...new Set([...description.steps.map((s) => s.time), ...description.marks.map((m) => m.startTime)])]
                .filter((t) => t > from).sort((a, b) => a - b);
            const total = Math.max(1e-9, description.end - description.start);
            const segments = [];
            let previous = from;
            for (const time of keyTimes) {
                const duration = Math.min(1500, Math.max(250, ((time - previous) / total) * PLAYBACK_MS));
                segments.push({ from: previous, to: time, duration });
                previous = time;
            }
            let index = 0;
            let segmentStart = performance.now();
            playButton.textContent = '❚❚ Pause';
            const tick = (now) => {
                if (!animation) return;
                const segment = segments[index];
                if (!segment) { setTime(description.end); stopPlayback(); return; }
                const fraction = Math.min(1, (now - segmentStart) / segment.duration);
                setTime(segment.from + (segment.to - segment.from) * fraction);
                if (fraction >= 1) { index += 1; segmentStart = now; }
                animation.frame = requestAnimationFrame(tick);
            };
            animation = { frame: requestAnimationFrame(tick) };
            setTime(from);
        }

        function describeMessageSummary(message) {
            const delivered = message.delivered_s !== null && message.delivered_s !== undefined;
            return [
                h('div', { class: 'summary-line' }, h('strong', {}, `Message ${message.id}`),
                    ` · client ${message.sender} → client ${message.recipient}`),
                h('div', { class: 'summary-line' },
                    `sent ${formatTime(message.sent_s, 2)}`,
                    message.stored_s !== null && message.stored_s !== undefined ? ` · stored ${formatTime(message.stored_s, 2)}` : '',
                    delivered ? ` · delivered ${formatTime(message.delivered_s, 2)} (${formatMs(message.delay_ms)})` : ''),
                h('div', { class: 'summary-line' }, 'status ', h('span', { class: `status status-${message.status}` }, message.status),
                    ' · fate ', h('span', { class: `status status-${message.fate}` }, message.fate)),
            ];
        }

        function showMessage(messageId) {
            stopPlayback();
            const message = run.messageById.get(+messageId);
            if (!message) return;
            select.value = String(message.id);
            setChildren(summary, ...describeMessageSummary(message));
            const journey = run.journeys[String(message.id)];
            const notes = [];
            current = { message, journey, description: null };
            map.nodeCircles.classed('swarm-member', false);
            if (!journey || !journey.store) {
                journeyLayer.selectAll('*').remove();
                drawSteps(null);
                notes.push(missingJourneyReason(run, message));
                slider.disabled = true;
                playButton.disabled = true;
                timeLabel.textContent = '';
                map.resetZoom();
            } else {
                const description = describeJourney(run, message, journey);
                current.description = description;
                if (!description.senderPoint) notes.push('The bundle gives no position for the sender, so the store path starts at its guard.');
                if (!journey.poll) {
                    notes.push(`The recipient never fetched this message (fate “${message.fate}”): only the store request and the replicas are drawn.`);
                }
                const unplaced = description.marks.filter((m) => !m.to).map((m) => m.node);
                if (unplaced.length) notes.push(`Nodes without a position on the map: ${[...new Set(unplaced)].join(', ')}.`);
                const replicaNodes = new Set((journey.replicas || []).map((r) => r.node));
                map.nodeCircles.classed('swarm-member', (n) => replicaNodes.has(n.id));
                drawMarks(description);
                drawSteps(description);
                slider.min = String(description.start);
                slider.max = String(description.end);
                slider.disabled = false;
                playButton.disabled = false;
                stepsHolder.scrollTop = 0;
                setTime(description.end, false);   // the whole journey first; Play replays it
                map.zoomToPoints([description.senderPoint, description.recipientPoint,
                                  ...description.marks.map((m) => m.to)], { maxScale: 4 });
            }
            note.hidden = notes.length === 0;
            note.textContent = notes.join(' ');
        }

        select.addEventListener('change', () => showMessage(select.value));
        slider.addEventListener('input', () => { stopPlayback(); setTime(+slider.value); });
        playButton.addEventListener('click', () => (animation ? stopPlayback() : play()));

        const initial = [picks.slowest, picks.first, messages.length ? messages[0].id : null]
            .find((id) => id !== null && id !== undefined && run.messageById.has(id));
        if (initial !== undefined) showMessage(initial);

        return {
            selectMessage: (id) => showMessage(id),
            hide: stopPlayback,
        };
    }

    Explorer.createJourneyView = createJourneyView;
})();
