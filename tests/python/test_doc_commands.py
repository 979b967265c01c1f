"""The docs test: every fenced block marked `<!-- runnable -->` in README.md, docs/ and the labs
runs (scripts/run-doc-commands.py, page by page, as a reader pasting them into one terminal
would) and must succeed; the generated validation page must be what this build prints."""
import os
import runpy
import subprocess
import sys

import pytest

from conftest import BUILD, ROOT

runner = runpy.run_path(str(ROOT / "scripts" / "run-doc-commands.py"))
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
RUNNABLE = [p for p in PAGES if any(not b.long for b in runner["extract_blocks"](p))]


def run_pages(*pages, extra=()):
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "run-doc-commands.py"),
                           *extra, *map(str, pages)], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "BUILD_DIR": str(BUILD)})


def test_the_labs_and_the_main_pages_have_runnable_commands():
    names = {str(p.relative_to(ROOT)) for p in RUNNABLE}
    for lab in range(1, 7):
        assert any(n.startswith(f"docs/labs/{lab}-") for n in names), f"lab {lab}"
    for page in ["README.md", "docs/getting-started.md", "docs/labs/index.md", "docs/concepts.md",
                 "docs/python-api.md", "docs/testbed.md", "docs/sweeps.md"]:
        assert page in names, page


@pytest.mark.parametrize("page", RUNNABLE, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_runnable_command_of_the_page_succeeds(page):
    done = run_pages(page)
    assert done.returncode == 0, (done.stdout[-4000:] + done.stderr[-4000:])
    assert ", ok" in done.stdout


def test_a_failing_block_is_named_by_page_and_line_and_stops_the_page(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# T\n<!-- runnable -->\n```sh\nX=1\n```\nprose\n<!-- runnable -->\n"
                    "```sh\necho \"x=$X\"; false\necho after\n```\n"
                    "<!-- runnable: long -->\n```sh\necho long\n```\n```sh\necho plain\n```\n")
    done = run_pages(page)
    assert done.returncode == 1
    output = done.stdout.splitlines()
    assert "x=1" in output and "after" not in output  # (the transcript echoes "$ echo after")
    assert f"{page}:8 failed (exit 1)" in done.stdout
    listed = run_pages(page, extra=["--list"]).stdout.splitlines()
    assert [line.split("\t")[1] for line in listed] == ["sh", "sh", "sh (long)"]


def test_a_page_fails_when_its_output_lacks_a_text_it_quotes(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("<!-- runnable -->\n```sh\necho 'delivered 611 of 627'; echo oops >&2\n```\n"
                    "<!-- expect: delivered 611 of 627 -->\n<!-- expect: oops -->\n"
                    "```text\n<!-- expect: inside a fence: not an expectation -->\n```\n")
    assert run_pages(page).returncode == 0
    page.write_text(page.read_text() + "<!-- expect: delivered 612 of 627 -->\n")
    done = run_pages(page)
    assert done.returncode == 1
    assert f"{page}:10: expected output not seen: delivered 612 of 627" in done.stderr
    assert "FAILED (1 expectations)" in done.stdout


def test_output_a_page_shows_must_be_output_its_commands_print(tmp_path):
    page = tmp_path / "page.md"
    shown = "<!-- output -->\n```text\ndelivered 611 of 627\n...\n{}\n```\n"
    page.write_text("<!-- runnable -->\n```sh\nprintf 'delivered 611 of 627\\nlost 0\\n'\n```\n"
                    + shown.format("lost 0"))
    assert run_pages(page).returncode == 0, run_pages(page).stderr
    page.write_text(page.read_text().replace("lost 0\n```", "lost 1\n```"))
    done = run_pages(page)
    assert done.returncode == 1
    assert f"{page}:9: expected output not seen: lost 1" in done.stderr


def test_blocks_marked_long_run_only_when_asked(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("<!-- runnable: long -->\n```python\nprint('the long one')\n```\n")
    assert "the long one" not in run_pages(page).stdout
    assert "the long one" in run_pages(page, extra=["--long"]).stdout


@pytest.mark.parametrize("text, reason", [
    ("<!-- runnable -->\nprose\n", ":1: a runnable marker must be followed directly"),
    ("<!-- runnable -->\n```toml\nx = 1\n```\n", ":2: runnable blocks must be sh, bash or python"),
    ("<!-- runnable -->\n```sh\necho open\n", ":2: the runnable block is never closed"),
    ("<!-- runnable: slow -->\n```sh\ntrue\n```\n", ":1: unknown runnable tag 'slow'"),
])
def test_a_bad_marker_is_refused_with_its_line(tmp_path, text, reason):
    page = tmp_path / "page.md"
    page.write_text(text)
    done = run_pages(page)
    assert done.returncode == 2
    assert f"{page}{reason}" in done.stderr


def test_the_validation_page_is_what_this_build_measures():
    # After scripts/test-all.sh's ctest run, the page is rendered from its output (the script
    # runs the tests itself when that output is older than the test programs or incomplete).
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "validation-report.py"),
                           "--stdout", "--build-dir", str(BUILD),
                           "--from-ctest-log", str(BUILD / "ctest-last-output.log")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (ROOT / "docs" / "validation.md").read_text(), (
        "docs/validation.md is stale: run scripts/validation-report.py")
