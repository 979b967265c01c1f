#!/usr/bin/python3
"""Run the commands of documentation pages: every fenced block marked runnable.

A block is runnable when the line just before its opening fence is

    <!-- runnable -->          run by the docs test (and by scripts/lab.sh for a lab)
    <!-- runnable: long -->    run only with --long (too slow for every CI run)

and the fence is ```sh, ```bash or ```python. A page's runnable blocks run in order, as one
`bash` process with `set -Eeuo pipefail`, from the repository's root, with PYTHONPATH pointing at
the built Python package and /usr/bin first on PATH (python3 is Debian's); so a variable set in
one shell block is seen by the next (as when a reader pastes them into one terminal), and a
```python block is run by /usr/bin/python3. Each
block is echoed before it runs, so the output reads as a transcript. The first block that fails
stops the page and is named as PAGE:LINE with its exit status.

A page can also pin what its commands print, so that the numbers its text quotes cannot go
stale unnoticed:

    <!-- expect: missed by the checksum: 1542 (7.91%) -->

Each such line (anywhere outside a fence; invisible on the site) names text that must appear in
the page's output (stdout and stderr, as a terminal shows them); a page whose blocks all succeed
but whose output lacks an expected text fails, naming the line. `<!-- output -->` just before a
```text fence does the same for every non-blank line of that block: the output a page shows is
output its commands print.

    scripts/run-doc-commands.py docs/labs/1-identity.md      # run one page
    scripts/run-doc-commands.py --list docs/*.md README.md   # list the runnable blocks
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUTPUT_MARKER = re.compile(r"^\s*<!--\s*output\s*-->\s*$")
EXPECT = re.compile(r"^\s*<!--\s*expect:\s?(?P<text>.*?)\s*-->\s*$")
MARKER = re.compile(r"^\s*<!--\s*runnable(?::\s*(?P<tag>[a-z]+))?\s*-->\s*$")
FENCE_OPEN = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,})\s*(?P<lang>[A-Za-z]*)\s*$")
LANGUAGES = {"sh": "sh", "bash": "sh", "python": "python"}
PYTHON = "/usr/bin/python3"  # Debian's, with pandas and matplotlib


class PageError(Exception):
    """A page whose markers cannot be read: names the file and line."""


@dataclasses.dataclass
class Block:
    page: pathlib.Path
    line: int  # 1-based line of the opening fence
    lang: str  # "sh" or "python"
    code: str
    long: bool
    heading: str

    def where(self) -> str:
        return f"{display(self.page)}:{self.line}"


def display(path: pathlib.Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def extract_blocks(page: pathlib.Path) -> list[Block]:
    """The runnable blocks of a Markdown page, in order."""
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    heading = ""
    in_fence = False  # inside a block that is not runnable: its "# comments" are no headings
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        elif line.startswith("#") and not in_fence:
            heading = line.lstrip("#").strip()
        marker = MARKER.match(line)
        if not marker or in_fence:
            i += 1
            continue
        tag = marker.group("tag")
        if tag not in (None, "long"):
            raise PageError(f"{display(page)}:{i + 1}: unknown runnable tag {tag!r} (only 'long')")
        fence = FENCE_OPEN.match(lines[i + 1]) if i + 1 < len(lines) else None
        if not fence:
            raise PageError(f"{display(page)}:{i + 1}: a runnable marker must be followed "
                            "directly by an opening ``` fence")
        lang = LANGUAGES.get(fence.group("lang").lower())
        if lang is None:
            raise PageError(f"{display(page)}:{i + 2}: runnable blocks must be sh, bash or "
                            f"python, not {fence.group('lang')!r}")
        indent, close = fence.group("indent"), fence.group("fence")
        body: list[str] = []
        j = i + 2
        while j < len(lines) and lines[j].strip() != close:
            body.append(lines[j][len(indent):] if lines[j].startswith(indent) else lines[j])
            j += 1
        if j == len(lines):
            raise PageError(f"{display(page)}:{i + 2}: the runnable block is never closed")
        blocks.append(Block(page, i + 2, lang, "\n".join(body) + "\n", tag == "long", heading))
        i = j + 1
    return blocks


def extract_expectations(page: pathlib.Path) -> list[tuple[int, str]]:
    """(line, text) of every `<!-- expect: TEXT -->` of a page, and of every non-blank line of
    a ```text block marked `<!-- output -->`."""
    out, in_fence, shown = [], False, False
    lines = page.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            shown = in_fence and number > 1 and bool(OUTPUT_MARKER.match(lines[number - 2]))
        elif in_fence and shown and line.strip() not in ("", "...", "…"):  # not elisions
            out.append((number, line.rstrip()))
        elif not in_fence and (m := EXPECT.match(line)):
            out.append((number, m.group("text")))
    return out


def shell_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def page_script(blocks: list[Block]) -> str:
    """One bash script running the blocks in order, echoing each and naming the one that fails."""
    out = [
        "set -Eeuo pipefail",
        "trap 'rc=$?; echo \"run-doc-commands: $__block failed (exit $rc)\" >&2; exit $rc' ERR",
    ]
    for n, block in enumerate(blocks):
        title = f"-- {block.where()}" + (f"  ({block.heading})" if block.heading else "")
        shown = "".join(f"{'$' if block.lang == 'sh' else '>>>'} {l}\n"
                        for l in block.code.rstrip("\n").split("\n"))
        out.append(f"__block={shell_quote(block.where())}")
        out.append(f"printf '\\n%s\\n%s' {shell_quote(title)} {shell_quote(shown)}")
        if block.lang == "sh":
            out.append(block.code.rstrip("\n"))
        else:
            delimiter = f"__SESSIONSIM_PYTHON_{n}__"
            out.append(f"{PYTHON} - <<'{delimiter}'\n{block.code.rstrip(chr(10))}\n{delimiter}")
    return "\n".join(out) + "\n"


def run_page(page: pathlib.Path, include_long: bool) -> int:
    blocks = [b for b in extract_blocks(page) if include_long or not b.long]
    if not blocks:
        print(f"{display(page)}: no runnable blocks")
        return 0
    env = dict(os.environ)
    build_dir = pathlib.Path(env.get("BUILD_DIR", ROOT / "build"))
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in [str(build_dir / "python"), env.get("PYTHONPATH", "")] if p)
    # "python3" in a page means Debian's (the one with pandas), as on the machines the docs
    # describe, even where another python3 comes first on PATH.
    env["PATH"] = os.pathsep.join(["/usr/bin", env.get("PATH", "")])
    with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False) as script:
        script.write(page_script(blocks))
    started = time.monotonic()
    output = []
    try:
        # Shown as it comes (a lab is read as it runs) and kept to check the expectations.
        with subprocess.Popen(["bash", script.name], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, bufsize=1) as bash:
            for line in bash.stdout:
                sys.stdout.write(line)
                sys.stdout.flush()
                output.append(line)
        status = bash.returncode
    finally:
        os.unlink(script.name)
    elapsed = time.monotonic() - started
    missing = []
    if status == 0:
        transcript = "".join(output)
        missing = [(n, text) for n, text in extract_expectations(page) if text not in transcript]
        for n, text in missing:
            print(f"run-doc-commands: {display(page)}:{n}: expected output not seen: {text}",
                  file=sys.stderr)
    verdict = ("ok" if status == 0 and not missing else
               f"FAILED (exit {status})" if status else f"FAILED ({len(missing)} expectations)")
    print(f"\n{display(page)}: {len(blocks)} runnable blocks, {elapsed:.1f} s, {verdict}")
    return status or (1 if missing else 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+", type=pathlib.Path)
    parser.add_argument("--list", action="store_true", help="list the runnable blocks, run none")
    parser.add_argument("--long", action="store_true", help="also run blocks marked long")
    args = parser.parse_args()
    try:
        if args.list:
            for page in args.pages:
                for block in extract_blocks(page):
                    first = block.code.strip().split("\n")[0]
                    print(f"{block.where()}\t{block.lang}{' (long)' if block.long else ''}\t{first}")
            return 0
        status = 0
        for page in args.pages:
            status = run_page(page, args.long) or status
        return status
    except (PageError, OSError) as error:
        print(f"run-doc-commands: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
