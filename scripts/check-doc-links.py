#!/usr/bin/python3
"""Checks every link of a built HTML site: each relative href or src must name a file that is
there (anchors are not checked; external http(s) links are not followed, root-absolute ones are
not checked: the site may be served under any prefix). Prints the broken ones
(page, link) and exits 1 if there are any.

Usage: scripts/check-doc-links.py SITE_DIR
"""
from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def broken_links(site: Path) -> list[tuple[str, str]]:
    broken = []
    for page in sorted(site.rglob("*.html")):
        if page.relative_to(site) == Path("404.html"):
            continue  # served at any missing path, so its links are root-absolute by design
        parser = Links()
        parser.feed(page.read_text(errors="replace"))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
                continue  # external, mailto:, javascript:, or an anchor on the same page
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append((str(page.relative_to(site)), link))
    return broken


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    site = Path(argv[1])
    broken = broken_links(site)
    for page, link in broken:
        print(f"{page}: broken link {link}")
    pages = sum(1 for _ in site.rglob("*.html"))
    print(f"links: {pages} pages checked, {len(broken)} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
