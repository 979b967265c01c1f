// The Swarms view: the swarm-id ring. A swarm id is an unsigned 64-bit integer; it sits on the
// circle at angle id / 2^64 · 2π (clockwise from the top). Each swarm is a tick with its members
// as dots stacked outwards. A slider walks through the snapshots (one per block height), showing
// what changed: swarms created or dissolved, members moved.

(() => {
    'use strict';

    const { h, setChildren, formatInt, formatTime, emptyState, shortId, tooltip, tooltipRows, ringFraction, throttleToFrame, countryName } = Explorer;

    const SIZE = 640;                 // viewBox, centred on 0,0
    const RING = 190;                 // ring radius
    const DOT_GAP = 7;
    const COLOURS = { member: '#4e79a7', adversary: '#e15759', moved: '#f28e2b', created: '#59a14f', dissolved: '#e15759' };

    const angleOf = (id) => ringFraction(id) * 2 * Math.PI;
    const polar = (angle, radius) => [radius * Math.sin(angle), -radius * Math.cos(angle)];
    const swarmLabel = (id) => `swarm ${shortId(id, 6, 4)}`;

    /** Snapshots from the bundle; without any, one built from the nodes' swarms at the end. */
    function snapshotsOf(run) {
        if (run.swarmSnapshots.length) return { snapshots: run.swarmSnapshots, synthetic: false };
        const bySwarm = d3.group(run.nodes.filter((n) => n.swarm !== null && n.swarm !== undefined), (n) => n.swarm);
        if (bySwarm.size === 0) return { snapshots: [], synthetic: false };
        return {
            synthetic: true,
            snapshots: [{ time_s: run.meta.duration_s || run.timeline.durationS, height: null,
                          swarms: [...bySwarm].map(([id, members]) => ({ id, members: members.map((n) => n.id) })),
                          changes: { created: [], dissolved: [], moved: [] } }],
        };
    }

    function createSwarmsView(container, { run }) {
        const { snapshots, synthetic } = snapshotsOf(run);
        container.append(h('div', { class: 'view-header' },
            h('div', { class: 'view-intro' },
                h('h2', {}, 'Swarms on the ring'),
                h('p', {}, 'Each swarm id is a 64-bit number; it sits on the ring at id / 2⁶⁴ of a turn, clockwise from the top. '
                    + 'An account belongs to the swarm whose id is closest to it, so gaps on the ring are stretches of '
                    + 'accounts one swarm has to serve. Dots are the swarm\'s member nodes.'))));
        if (snapshots.length === 0) {
            container.append(emptyState('The bundle has no swarm snapshots for this run, and no node is in a swarm.'));
            return {};
        }

        const slider = h('input', { type: 'range', id: 'swarm-slider', min: 0, max: snapshots.length - 1, step: 1, value: 0,
                                    'aria-label': 'Snapshot', disabled: snapshots.length < 2 });
        const previous = h('button', { type: 'button', title: 'Previous snapshot', onclick: () => step(-1) }, '◀');
        const next = h('button', { type: 'button', title: 'Next snapshot', onclick: () => step(1) }, '▶');
        const snapshotLabel = h('div', { id: 'swarm-snapshot-label', class: 'snapshot-label' });
        const stats = h('div', { class: 'stats' });
        const changesList = h('div', { id: 'swarm-changes', class: 'swarm-changes' });
        const ringHolder = h('div', { class: 'ring-holder' });
        container.append(h('div', { class: 'swarms-layout' }, ringHolder,
            h('div', { class: 'swarms-side' },
                h('div', { class: 'snapshot-controls' }, previous, slider, next),
                snapshotLabel,
                synthetic ? h('p', { class: 'note' }, 'The bundle has no snapshots over time: this is the ring at the end of the run, from the nodes\' swarms.') : null,
                stats, h('h3', {}, 'Changes since the previous snapshot'), changesList)));

        const svg = d3.select(ringHolder).append('svg')
            .attr('class', 'ring-svg')
            .attr('viewBox', `${-SIZE / 2} ${-SIZE / 2} ${SIZE} ${SIZE}`)
            .attr('role', 'img').attr('aria-label', 'Swarm id ring');
        svg.append('circle').attr('class', 'ring').attr('r', RING);
        const quarterLabels = ['0', '2⁶²', '2⁶³', '3·2⁶²'];
        quarterLabels.forEach((text, i) => {
            const angle = (i * Math.PI) / 2;
            const [x0, y0] = polar(angle, RING - 10);
            const [x1, y1] = polar(angle, RING - 4);
            svg.append('line').attr('class', 'ring-quarter').attr('x1', x0).attr('y1', y0).attr('x2', x1).attr('y2', y1);
            // Labels inside the ring, anchored away from it, so a swarm tick there does not cover them.
            const [tx, ty] = polar(angle, RING - (i % 2 ? 16 : 24));
            svg.append('text').attr('class', 'ring-quarter-label').attr('x', tx).attr('y', ty)
                .attr('text-anchor', ['middle', 'end', 'middle', 'start'][i]).attr('dy', '0.35em').text(text);
        });
        const centre = svg.append('g').attr('class', 'ring-centre');
        const ghosts = svg.append('g').attr('class', 'dissolved-layer');
        const ticks = svg.append('g').attr('class', 'ticks-layer');
        const dots = svg.append('g').attr('class', 'dots-layer');
        const legend = svg.append('g').attr('class', 'ring-legend').attr('transform', `translate(${-SIZE / 2 + 10},${SIZE / 2 - 66})`);
        [['member node', COLOURS.member, 'dot'], ['adversary node', COLOURS.adversary, 'dot'], ['moved since the previous snapshot', COLOURS.moved, 'dot'],
         ['swarm created', COLOURS.created, 'tick'], ['swarm dissolved', COLOURS.dissolved, 'ghost']].forEach(([text, colour, kind], i) => {
            const g = legend.append('g').attr('transform', `translate(0,${i * 13})`);
            if (kind === 'dot') g.append('circle').attr('cx', 5).attr('r', 3.5).attr('fill', colour);
            else g.append('line').attr('x1', 5).attr('x2', 5).attr('y1', -5).attr('y2', 5).attr('stroke', colour)
                .attr('stroke-width', 3).attr('stroke-dasharray', kind === 'ghost' ? '2 2' : null);
            g.append('text').attr('x', 14).attr('dy', '0.35em').text(text);
        });

        const nodeTooltip = (event, d) => {
            const node = run.nodeById.get(d.node);
            tooltip.show(tooltipRows(`Service node ${d.node}`, [
                ['City', node ? [node.city, countryName(node.country)].filter(Boolean).join(', ') : 'unknown'],
                ['Provider', node ? node.provider : ''],
                ['Swarm', d.swarm],
                d.movedFrom ? ['Moved from', d.movedFrom] : null,
                node && node.adversary ? ['Adversary', 'yes'] : null,
            ]), event);
        };
        const swarmTooltip = (event, swarm) => tooltip.show(tooltipRows(`Swarm ${swarm.id}`, [
            ['Position', `${(ringFraction(swarm.id) * 100).toFixed(2)} % of the ring`],
            ['Members', swarm.members.length ? `${swarm.members.length}: nodes ${swarm.members.join(', ')}` : 'none'],
            swarm.status ? ['Change', swarm.status] : null,
        ]), event);

        function render(index) {
            const snapshot = snapshots[index];
            const changes = snapshot.changes || { created: [], dissolved: [], moved: [] };
            const created = new Set(changes.created || []);
            const movedFrom = new Map((changes.moved || []).map(([node, from]) => [node, from]));
            const swarms = (snapshot.swarms || []).map((s) => ({ ...s, status: created.has(s.id) ? 'created' : null,
                                                                 angle: angleOf(s.id) }))
                .filter((s) => Number.isFinite(s.angle));

            ticks.selectAll('line').data(swarms, (s) => s.id).join('line')
                .attr('class', (s) => `swarm-tick${s.status ? ` ${s.status}` : ''}`)
                .attr('data-swarm', (s) => s.id)
                .each(function (s) {
                    const [x0, y0] = polar(s.angle, RING - 7);
                    const [x1, y1] = polar(s.angle, RING + 7);
                    d3.select(this).attr('x1', x0).attr('y1', y0).attr('x2', x1).attr('y2', y1);
                })
                .on('pointerenter', swarmTooltip).on('pointermove', (event) => tooltip.move(event))
                .on('pointerleave', () => tooltip.hide());

            const dissolved = (changes.dissolved || []).map((id) => ({ id, members: [], status: 'dissolved', angle: angleOf(id) }))
                .filter((s) => Number.isFinite(s.angle));
            ghosts.selectAll('line').data(dissolved, (s) => s.id).join('line')
                .attr('class', 'swarm-tick dissolved').attr('data-swarm', (s) => s.id)
                .each(function (s) {
                    const [x0, y0] = polar(s.angle, RING - 12);
                    const [x1, y1] = polar(s.angle, RING + 12);
                    d3.select(this).attr('x1', x0).attr('y1', y0).attr('x2', x1).attr('y2', y1);
                })
                .on('pointerenter', swarmTooltip).on('pointerleave', () => tooltip.hide());

            // Dots shrink when swarms crowd the ring, so neighbours stay apart.
            const dotRadius = Math.max(1.2, Math.min(2.8, ((2 * Math.PI * RING) / Math.max(1, swarms.length)) * 0.4));
            const memberDots = swarms.flatMap((s) => s.members.map((node, j) => {
                const [x, y] = polar(s.angle, RING + 14 + j * DOT_GAP);
                const info = run.nodeById.get(node);
                return { node, swarm: s.id, x, y, movedFrom: movedFrom.get(node) || null, adversary: Boolean(info && info.adversary) };
            }));
            dots.selectAll('circle').data(memberDots, (d) => d.node).join('circle')
                .attr('class', (d) => `member${d.movedFrom ? ' moved' : ''}${d.adversary ? ' adversary' : ''}`)
                .attr('data-node', (d) => d.node)
                .attr('data-swarm', (d) => d.swarm)
                .attr('r', dotRadius)
                .attr('cx', (d) => d.x).attr('cy', (d) => d.y)
                .on('pointerenter', nodeTooltip).on('pointermove', (event) => tooltip.move(event))
                .on('pointerleave', () => tooltip.hide());
            dots.selectAll('circle.moved').raise();

            centre.selectAll('*').remove();
            centre.append('text').attr('class', 'centre-big').attr('text-anchor', 'middle').attr('y', -8)
                .text(`${formatInt(swarms.length)} swarms`);
            centre.append('text').attr('class', 'centre-small').attr('text-anchor', 'middle').attr('y', 14)
                .text(`${formatInt(memberDots.length)} nodes · ${snapshot.height !== null && snapshot.height !== undefined ? `height ${snapshot.height} · ` : ''}t = ${formatTime(snapshot.time_s, 1)}`);

            snapshotLabel.textContent = `Snapshot ${index + 1} of ${snapshots.length} · `
                + `${snapshot.height !== null && snapshot.height !== undefined ? `block height ${snapshot.height} · ` : ''}t = ${formatTime(snapshot.time_s, 1)}`;
            snapshotLabel.dataset.index = String(index);
            const sizes = swarms.map((s) => s.members.length);
            const stat = (value, text) => h('div', { class: 'stat' }, h('span', { class: 'stat-value' }, value), h('span', { class: 'stat-label' }, text));
            setChildren(stats, stat(formatInt(swarms.length), 'swarms'), stat(formatInt(memberDots.length), 'nodes in swarms'),
                stat(sizes.length ? `${d3.min(sizes)}–${d3.max(sizes)}` : '–', 'members per swarm'),
                stat(sizes.length ? d3.format('.1f')(d3.median(sizes)) : '–', 'median size'));
            renderChanges(changes, index);
        }

        function highlight(selector, on) {
            svg.selectAll(selector).classed('highlight', on);
        }

        function renderChanges(changes, index) {
            const section = (title, items, className) => (items.length ? h('div', { class: `change-group ${className}` },
                h('h4', {}, `${title} (${formatInt(items.length)})`),
                h('ul', {}, items.slice(0, 40), items.length > 40 ? h('li', { class: 'more' }, `… and ${formatInt(items.length - 40)} more`) : null)) : null);
            const item = (text, selector, title) => h('li', {
                title, onpointerenter: () => highlight(selector, true), onpointerleave: () => highlight(selector, false),
            }, text);
            const created = (changes.created || []).map((id) => item(swarmLabel(id), `[data-swarm="${id}"]`, id));
            const dissolved = (changes.dissolved || []).map((id) => item(swarmLabel(id), `[data-swarm="${id}"]`, id));
            const moved = (changes.moved || []).map(([node, from, to]) =>
                item(`node ${node}: ${shortId(from, 6, 4)} → ${shortId(to, 6, 4)}`, `circle[data-node="${node}"]`, `${from} → ${to}`));
            // Nodes that left every swarm (decommissioned, deregistered): no longer on the ring.
            const left = (changes.left || []).map((node) => item(`node ${node}`, `circle[data-node="${node}"]`, `node ${node}`));
            const groups = [section('Created', created, 'created'), section('Dissolved', dissolved, 'dissolved'),
                            section('Moved members', moved, 'moved'), section('Left the swarms', left, 'left')]
                .filter(Boolean);
            setChildren(changesList, ...(groups.length ? groups
                : [emptyState(index === 0 ? 'The first snapshot: nothing to compare with.' : 'No changes.')]));
        }

        const renderSoon = throttleToFrame(render);
        function step(delta) {
            const index = Math.max(0, Math.min(snapshots.length - 1, +slider.value + delta));
            slider.value = String(index);
            render(index);
        }
        slider.addEventListener('input', () => renderSoon(+slider.value));
        render(0);
        return {
            showSnapshot(index) {
                slider.value = String(index < 0 ? snapshots.length + index : index);  // the input clamps it
                render(+slider.value);
            },
        };
    }

    Explorer.createSwarmsView = createSwarmsView;
})();
