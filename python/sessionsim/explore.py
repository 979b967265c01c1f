"""sessionsim explore RESULTS... : one self-contained HTML file to explore runs in a browser.

    sessionsim explore results/default                    # -> results/default/plots/explorer.html
    sessionsim explore results/a results/b --out ab.html  # two runs, a selector between them

The page works offline: the map (world-atlas), d3 and the data are inside the file. Views: the
map of nodes and clients; a message's journey hop by hop on a time slider; the timeline, whose
brush filters the map; what each party sees; the swarms over time (explorer/DATA.md).
"""
from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path

from .analysis import explorer_data

PLACEHOLDERS = ("/*@STYLE@*/", "/*@VENDOR@*/", "/*@WORLD@*/", "/*@DATA@*/", "/*@SCRIPT@*/")


def assets_dir() -> Path:
    """explorer/ (template, scripts, style, and the npm libraries in its node_modules/), linked
    into the build's package (python/link_package.cmake) or installed beside this module."""
    return Path(__file__).parent / "explorer"


def _script_safe(text: str) -> str:
    # Inside <script>, only "</" can end the element early; JSON and JavaScript both read "<\/"
    # as "</".
    return text.replace("</", "<\\/")


def render(bundle: dict, assets: Path | None = None) -> str:
    """The page: explorer/template.html with every placeholder replaced by its files' text."""
    assets = assets or assets_dir()
    files = json.loads((assets / "files.json").read_text(encoding="utf-8"))

    def read(relative: str) -> str:
        path = assets / relative
        if not path.exists() and relative.startswith("node_modules/"):
            raise FileNotFoundError(
                f"{path} is missing: the build fetches the explorer's libraries with npm "
                f"(scripts/build.sh, or: cd {assets.resolve()} && npm ci)")
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing (files.json names it)")
        return path.read_text(encoding="utf-8")

    parts = {
        "/*@STYLE@*/": "\n".join(read(f) for f in files["style"]),
        "/*@VENDOR@*/": _script_safe("\n;\n".join(read(f) for f in files["vendor"])),
        "/*@WORLD@*/": _script_safe(read(files["world"])),
        "/*@DATA@*/": _script_safe(json.dumps(bundle, separators=(",", ":"), allow_nan=False)),
        "/*@SCRIPT@*/": _script_safe("\n".join(read(f) for f in files["script"])),
    }
    page = (assets / "template.html").read_text(encoding="utf-8")
    for placeholder in PLACEHOLDERS:
        if page.count(placeholder) != 1:
            raise ValueError(f"{assets / 'template.html'}: {placeholder} must appear once")
        page = page.replace(placeholder, parts[placeholder])
    return page


def write_explorer(folders, out: Path, shared_dir: Path,
                   max_messages: int = explorer_data.MAX_MESSAGES) -> Path:
    bundle = explorer_data.build_bundle(folders, shared_dir, max_messages)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(bundle), encoding="utf-8")
    return out


def default_shared_dir() -> Path:
    from . import _core
    return Path(_core.default_shared_dir)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="sessionsim explore", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", nargs="*", help="results folders of `sessionsim run`")
    parser.add_argument("--from-bundle", metavar="JSON",
                        help="draw this data bundle (explorer/DATA.md) instead of results "
                             "folders: the explorer's own tests and development")
    parser.add_argument("--out", help="the HTML file (default: <first results folder>/plots/"
                                      "explorer.html)")
    parser.add_argument("--max-messages", type=int, default=explorer_data.MAX_MESSAGES,
                        help="messages listed, the rest downsampled (default: %(default)s)")
    parser.add_argument("--shared", help="the shared/ folder with data/ (default: the build's)")
    args = parser.parse_args(argv)
    if args.from_bundle:
        if not args.out:
            print("sessionsim explore: --from-bundle needs --out", file=sys.stderr)
            return 2
        bundle = json.loads(Path(args.from_bundle).read_text(encoding="utf-8"))
        Path(args.out).write_text(render(bundle), encoding="utf-8")
        print(f"explorer: {args.out} (from {args.from_bundle})")
        return 0
    if not args.results:
        print("sessionsim explore: name at least one results folder", file=sys.stderr)
        return 2
    for folder in args.results:
        if not (Path(folder) / "hosts.csv").exists():
            print(f"sessionsim explore: {folder}: not a results folder of `sessionsim run` "
                  f"(no hosts.csv)", file=sys.stderr)
            return 2
    if args.max_messages < 1:
        print("sessionsim explore: --max-messages: must be at least 1", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else Path(args.results[0]) / "plots" / "explorer.html"
    shared = Path(args.shared) if args.shared else default_shared_dir()
    try:
        path = write_explorer(args.results, out, shared, args.max_messages)
    except (ValueError, FileNotFoundError) as e:
        print(f"sessionsim explore: {e}", file=sys.stderr)
        return 2
    size_mb = path.stat().st_size / 1e6
    plural = "s" if len(args.results) != 1 else ""
    print(f"explorer: {path} ({len(args.results)} run{plural}, {size_mb:.1f} MB; open it in a "
          f"browser, it works offline)")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
