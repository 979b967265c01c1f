// Shared helpers: the Explorer namespace every other file registers on, number and time
// formatting, a tiny DOM builder, the shared tooltip and empty states.
//
// The explorer's files are concatenated into one inline <script>; each file keeps its own names
// inside a function scope and publishes what others need on `Explorer`.

// eslint-disable-next-line no-var
var Explorer = window.Explorer || (window.Explorer = {});

(() => {
    'use strict';

    // --- formatting ---------------------------------------------------------------------------

    const integerFormat = d3.format(',d');
    const formatInt = (value) => (value === null || value === undefined ? '–' : integerFormat(Math.round(value)));

    /** Simulated time in seconds, precise enough for journeys (milliseconds). */
    function formatTime(seconds, digits = 3) {
        if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '–';
        return `${seconds.toFixed(digits)} s`;
    }

    /** A duration in seconds for a human: "180 s", "12 min", "2 h 05 min". */
    function formatDuration(seconds) {
        if (seconds === null || seconds === undefined) return '–';
        if (seconds < 120) return `${+seconds.toFixed(1)} s`;
        if (seconds < 7200) return `${+(seconds / 60).toFixed(1)} min`;
        const hours = Math.floor(seconds / 3600);
        const minutes = Math.round((seconds - hours * 3600) / 60);
        return `${hours} h ${String(minutes).padStart(2, '0')} min`;
    }

    /** A time difference, in milliseconds below 10 s. */
    function formatDelta(seconds) {
        if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '';
        if (Math.abs(seconds) < 10) return `+${(seconds * 1000).toFixed(1)} ms`;
        return `+${seconds.toFixed(2)} s`;
    }

    function formatMs(ms) {
        if (ms === null || ms === undefined) return '–';
        return ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
    }

    /** Numbers with a bounded number of decimals and no trailing noise (for data attributes). */
    function cleanNumber(value) {
        return +value.toFixed(9);
    }

    const regionNames = (() => {
        try { return new Intl.DisplayNames(['en'], { type: 'region' }); } catch (error) { return null; }
    })();

    /** "FR" -> "France"; codes Intl does not know are returned unchanged. */
    function countryName(code) {
        if (!code) return 'unknown country';
        if (regionNames && /^[A-Z]{2}$/.test(code)) {
            try { return regionNames.of(code) || code; } catch (error) { return code; }
        }
        return code;
    }

    /** A long hex account or key shortened for tables: "05ab12…9f". */
    function shortId(text, head = 8, tail = 4) {
        const value = String(text);
        return value.length > head + tail + 1 ? `${value.slice(0, head)}…${value.slice(-tail)}` : value;
    }

    function escapeHtml(text) {
        return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
    }

    // --- DOM ------------------------------------------------------------------------------------

    /**
     * Creates an element: h('div', {class: 'x', dataset: {count: 'requests'}}, 'text', child).
     * Attributes starting with "on" are event listeners; null/false attributes are skipped.
     */
    function h(tag, attributes = {}, ...children) {
        const element = document.createElement(tag);
        for (const [name, value] of Object.entries(attributes || {})) {
            if (value === null || value === undefined || value === false) continue;
            if (name === 'dataset') Object.assign(element.dataset, value);
            else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
            else if (name === 'class') element.className = value;
            else if (name in element && typeof value !== 'string') element[name] = value;
            else element.setAttribute(name, value === true ? '' : value);
        }
        for (const child of children.flat()) {
            if (child === null || child === undefined || child === false) continue;
            element.append(child instanceof Node ? child : document.createTextNode(String(child)));
        }
        return element;
    }

    /** Replaces an element's children; null, undefined and false entries are skipped. */
    function setChildren(element, ...children) {
        element.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
        return element;
    }

    /** A grey explanatory box standing in for a chart or table that has nothing to show. */
    function emptyState(text, extraClass = '') {
        return h('div', { class: `empty-state ${extraClass}`.trim() }, text);
    }

    /** A table from column definitions [{label, value(row), class?, title?(row)}]. */
    function table(columns, rows, attributes = {}) {
        const head = h('thead', {}, h('tr', {}, columns.map((c) => h('th', { class: c.class }, c.label))));
        const body = h('tbody', {}, rows.map((row) => h('tr', {}, columns.map((c) =>
            h('td', { class: c.class, title: c.title ? c.title(row) : null }, c.value(row))))));
        return h('table', { class: 'data-table', ...attributes }, head, body);
    }

    // --- tooltip --------------------------------------------------------------------------------

    /** One tooltip for the whole page; content is built by the caller (escaped HTML). */
    const tooltip = {
        element: null,
        show(html, event) {
            if (!this.element) this.element = document.getElementById('tooltip');
            this.element.innerHTML = html;
            this.element.hidden = false;
            this.move(event);
        },
        move(event) {
            if (!this.element || this.element.hidden || !event) return;
            const margin = 14;
            const box = this.element.getBoundingClientRect();
            let x = event.clientX + margin;
            let y = event.clientY + margin;
            if (x + box.width > window.innerWidth - 4) x = event.clientX - box.width - margin;
            if (y + box.height > window.innerHeight - 4) y = event.clientY - box.height - margin;
            this.element.style.left = `${Math.max(4, x)}px`;
            this.element.style.top = `${Math.max(4, y)}px`;
        },
        hide() {
            if (this.element) this.element.hidden = true;
        },
    };

    /** Tooltip rows: [['City', 'Paris'], ...] -> HTML. */
    function tooltipRows(title, rows) {
        const body = rows.filter((row) => row && row[1] !== null && row[1] !== undefined && row[1] !== '')
            .map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('');
        return `<div class="tooltip-title">${escapeHtml(title)}</div><table>${body}</table>`;
    }

    /** Calls fn at most once per animation frame with the latest arguments. */
    function throttleToFrame(fn) {
        let pending = null;
        return (...args) => {
            const first = pending === null;
            pending = args;
            if (first) {
                requestAnimationFrame(() => {
                    const latest = pending;
                    pending = null;
                    fn(...latest);
                });
            }
        };
    }

    Object.assign(Explorer, {
        formatInt, formatTime, formatDuration, formatDelta, formatMs, cleanNumber, countryName, shortId,
        escapeHtml, h, setChildren, emptyState, table, tooltip, tooltipRows, throttleToFrame,
    });
})();
