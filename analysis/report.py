"""A one-page HTML report: every figure the runs have data for (PNG shown, PDF linked) and the
summary tables, written beside the figures. The page checks on load that each figure decoded
and records it in <body data-figures="N" data-figures-loaded="K" data-errors="E">, which the
browser test reads."""
from __future__ import annotations

import html
import json
import os
from pathlib import Path


from . import figures, load

# Summary columns shown when present, in this order (dotted paths into summary.json).
COLUMNS = [
    "messages.sent", "messages.delivered", "messages.delivery_ratio",
    "onion_rtt_ms.p50", "onion_rtt_ms.p99", "delivery_delay_ms.p50", "delivery_delay_ms.p99",
    "survival.lost", "clients.requests_per_client_hour",
    "adversary.fraction", "adversary.onion_requests.guard_and_destination",
    "adversary.onion_requests.expected_guard_and_destination",
    "adversary.relationships.relationship_linkage_rate",
    "adversary.relationships.sender_degree", "operator.relationship_linkage_rate",
    "outage.during.sent", "outage.during.delivered", "outage.mean_extra_delay_s",
]

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }}
table {{ border-collapse: collapse; font-size: 12px; margin-bottom: 1.5em; }}
td, th {{ border: 1px solid #ccc; padding: 3px 6px; text-align: right; }}
th {{ background: #f3f3f3; }}
figure {{ margin: 1.5em 0; }}
figure img {{ max-width: 100%; border: 1px solid #eee; }}
figcaption {{ font-size: 13px; color: #555; }}
.provenance {{ font-size: 12px; color: #555; }}
.explorer {{ font-size: 15px; background: #eef5ff; padding: 0.6em 1em; border-radius: 4px; }}
</style></head>
<body data-figures="{count}" data-figures-loaded="0" data-errors="0">
<h1>{title}</h1>
<p class="provenance">{provenance}</p>
{explorer}
<h2>Runs</h2>
{runs}
<h2>Figures</h2>
{figures}
<script>
window.addEventListener("error", function () {{
  document.body.dataset.errors = String(Number(document.body.dataset.errors) + 1);
}}, true);
window.addEventListener("load", function () {{
  var images = document.querySelectorAll("figure img");
  var loaded = 0;
  images.forEach(function (img) {{ if (img.complete && img.naturalWidth > 0) loaded++; }});
  document.body.dataset.figuresLoaded = String(loaded);
}});
</script>
</body></html>
"""


def runs_html(runs) -> str:
    table = load.runs_table(runs)
    params = load.varying_keys(runs)
    columns = ["folder", "seed"] + params + [c for c in COLUMNS if c in table.columns]
    shown = table[columns].copy()
    # Folders relative to what the runs share ("leakage/adversary.fraction=0.1/run-002").
    common = os.path.commonpath([os.path.abspath(f) for f in shown["folder"]])
    base = os.path.dirname(common) if len(runs) == 1 else common
    shown["folder"] = [os.path.relpath(os.path.abspath(f), base) for f in shown["folder"]]
    return shown.to_html(index=False, na_rep="–", float_format=lambda v: f"{v:.4g}",
                         border=0)


def provenance_text(runs) -> str:
    first = runs[0].folder / "provenance.json"
    p = json.loads(first.read_text()) if first.is_file() else {}
    bits = [f"{len(runs)} run{'s' if len(runs) != 1 else ''}"]
    for key in ("scenario", "seed", "version"):
        if key in p:
            bits.append(f"{key} {p[key]}")
    return html.escape(", ".join(str(b) for b in bits))


def figure_html(name: str, paths: list[Path], out_dir: Path) -> str:
    png = next(p for p in paths if p.suffix == ".png")
    pdf = next((p for p in paths if p.suffix == ".pdf"), None)
    module = getattr(figures, name)
    caption = html.escape(" ".join((module.__doc__ or name).split()))
    link = f' <a href="{pdf.relative_to(out_dir)}">PDF</a>' if pdf else ""
    return (f'<figure id="{name}"><img src="{png.relative_to(out_dir)}" alt="{name}">'
            f"<figcaption>{caption}{link}</figcaption></figure>")


def explorer_html(explorer: Path | None, out_dir: Path) -> str:
    if explorer is None:
        return ""
    href = html.escape(os.path.relpath(explorer, out_dir))
    return (f'<p class="explorer"><a id="explorer-link" href="{href}">Explore the run</a>: '
            "the map of nodes and clients, a message's journey hop by hop, the timeline, what "
            "each party sees and the swarms over time (one offline page).</p>")


def write_report(runs, out_dir, title: str = "sessionsim report",
                 explorer: Path | None = None) -> Path:
    """Draws the figures into out_dir and writes out_dir/report.html (linking to the explorer
    page `explorer`, if given); returns its path."""
    out_dir = Path(out_dir)
    written = figures.plot_all(runs, out_dir)
    page = PAGE.format(
        title=html.escape(title), count=len(written), provenance=provenance_text(runs),
        explorer=explorer_html(explorer, out_dir),
        runs=runs_html(runs),
        figures="\n".join(figure_html(n, p, out_dir) for n, p in written.items())
        or "<p>No figure: these runs hold no data to plot.</p>")
    path = out_dir / "report.html"
    path.write_text(page)
    return path


