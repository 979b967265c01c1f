"""scripts/transport-agreement-record.py and the agreement table scripts/validation-report.py
writes from it: a row carries the comparison, the run's size, version and cost, a row recorded
again replaces itself, and the page judges each row against its targets again (so a row
outside them shows "no" whatever its stored flags say)."""
import json
import runpy
import subprocess
import sys

from conftest import ROOT

RECORD = ROOT / "scripts" / "transport-agreement-record.py"
report = runpy.run_path(str(ROOT / "scripts" / "validation-report.py"))


def write_level(folder, level, events, version="0.1.0+abcdef123456"):
    folder.mkdir(parents=True)
    (folder / "provenance.json").write_text(json.dumps(
        {"version": version, "scenario": "scenarios/default.toml", "seed": 1, "transport": level,
         "simulated_s": 90.0, "events": events, "wall_clock_s": 12.5,
         "host": {"peak_rss_mib": 321.0}}))
    (folder / "config.toml").write_text("seed = 1\n[network]\nservice_nodes = 2000\n"
                                        "clients = 10000\n")


def sample(median_ratio, p90_ratio=1.0, ks=0.001, n=1000):
    return {"n_packet": n, "n_message": n, "median_ratio": median_ratio, "p90_ratio": p90_ratio,
            "ks_distance": ks, "ks_p_value": 1.0}


def count(packet, message, of, interval):
    return {"packet": packet, "message": message, "packet_of": of, "message_of": of,
            "difference": round((message - packet) / of, 5), "interval_95": interval,
            "within": True}  # deliberately stale: the page must judge for itself


def write_compare(out, median_ratio, lost_message=10, packet_version="0.1.0+abcdef123456"):
    write_level(out / "packet", "packet", 5_000_000, packet_version)
    write_level(out / "message", "message", 1_000_000)
    compare = {"packet": str(out / "packet"), "message": str(out / "message"),
               "targets": {"median_ratio": 0.03, "p90_ratio": 0.05, "ks_distance": 0.05},
               "onion_rtt": sample(median_ratio), "delivery_delay": sample(1.0),
               "delivered": count(900, 900, 1000, 0.02),
               "lost": count(10, lost_message, 1000, 0.0087)}
    (out / "compare.json").write_text(json.dumps(compare))


def record(out, run, table, *extra):
    return subprocess.run([sys.executable, str(RECORD), str(out), "--run", run, "--table",
                           str(table), "--command", "scripts/transport-compare.sh x", *extra],
                          capture_output=True, text=True)


def test_rows_are_recorded_replaced_and_judged_again(tmp_path):
    table = tmp_path / "agreement.json"
    write_compare(tmp_path / "a", 1.0)
    assert record(tmp_path / "a", "agreeing run", table).returncode == 0
    write_compare(tmp_path / "b", 1.04)  # onion RTT median 4% apart: outside 3%
    assert record(tmp_path / "b", "slow run", table).returncode == 0
    write_compare(tmp_path / "c", 1.0, lost_message=40)  # 10 against 40 lost of 1,000
    assert record(tmp_path / "c", "lossy run", table).returncode == 0
    assert record(tmp_path / "c", "lossy run", table).returncode == 0  # replaces, not appends
    rows = json.loads(table.read_text())
    assert [r["run"] for r in rows] == ["agreeing run", "slow run", "lossy run"]
    assert rows[0]["clients"] == 10000 and rows[0]["cost"]["packet"]["events"] == 5_000_000
    assert rows[0]["version"] == "0.1.0+abcdef123456"

    page, within = report["render_agreement"](rows)
    assert within == 1
    assert "**1 of 3 whole runs within their targets.**" in page
    lines = {line.split(" | ")[0][2:]: line for line in page.splitlines() if line.startswith("| ")}
    assert "| yes |" in lines["agreeing run"]
    assert "| **no** |" in lines["slow run"] and "1.040" in lines["slow run"]
    assert "| **no** |" in lines["lossy run"] and "10 / 40" in lines["lossy run"]
    assert "`abcdef1`" in lines["agreeing run"] and "5.0 M, 12, 321" in lines["agreeing run"]


def test_a_folder_without_a_comparison_is_refused(tmp_path):
    done = record(tmp_path, "nothing", tmp_path / "agreement.json")
    assert done.returncode == 2 and "compare.json: no such file" in done.stderr
    assert not (tmp_path / "agreement.json").exists()


def test_packet_runs_of_another_version_need_saying_so_and_the_row_names_both(tmp_path):
    table = tmp_path / "agreement.json"
    write_compare(tmp_path / "a", 1.0, packet_version="0.1.0+0123456789ab-dirty")
    refused = record(tmp_path / "a", "message level changed", table)
    assert refused.returncode != 0 and "differ in version" in refused.stderr
    assert not table.exists()
    assert record(tmp_path / "a", "message level changed", table, "--packet-reused").returncode == 0
    row = json.loads(table.read_text())[0]
    assert row["version"] == "0.1.0+abcdef123456"
    assert row["packet_version"] == "0.1.0+0123456789ab-dirty"
    page, _ = report["render_agreement"]([row])
    assert "`abcdef1` (packet: `0123456-dirty`)" in page
