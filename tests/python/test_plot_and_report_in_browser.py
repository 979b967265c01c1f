"""`sessionsim plot` writes the report, and headless Chromium opens it without errors with every
figure decoded (the page records that in data attributes) and takes a screenshot."""
import re
import shutil
import subprocess

import pytest

from conftest import run_cli

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--allow-file-access-from-files"]


def chromium(tmp_path, *args):
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
                          capture_output=True, text=True, timeout=120)


def test_report_opens_in_chromium_with_every_figure(small_run, tmp_path):
    out = tmp_path / "plots"
    done = run_cli("plot", small_run, "--out", out)
    assert "report:" in done.stdout
    page = out / "report.html"
    figures = len(re.findall(r"<figure", page.read_text()))
    assert figures >= 4
    if not shutil.which("chromium") and not (shutil.which(CHROMIUM)):
        pytest.fail("chromium is not installed (scripts/setup-debian.sh installs it)")
    dom = chromium(tmp_path, "--virtual-time-budget=5000", "--dump-dom", page.as_uri()).stdout
    body = re.search(r"<body([^>]*)>", dom).group(1)
    attrs = dict(re.findall(r'data-([a-z-]+)="(\d+)"', body))
    assert attrs["figures"] == str(figures)
    assert attrs["figures-loaded"] == str(figures), attrs
    assert attrs["errors"] == "0"
    shot = tmp_path / "report.png"
    chromium(tmp_path, "--window-size=1200,3000", f"--screenshot={shot}", page.as_uri())
    assert shot.stat().st_size > 20000
