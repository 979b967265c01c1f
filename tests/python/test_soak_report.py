"""sessionsim.analysis.soak_report: bounded memory and consistent accounting pass; memory that
keeps growing, or messages that do not add up, fail (exit 1)."""
import json

import pandas as pd

from sessionsim.analysis import soak_report


def write_run(folder, rss, lost=2, delivered=90):
    folder.mkdir(parents=True)
    hours = range(len(rss))
    pd.DataFrame({"sim_s": [h * 3600 for h in hours], "wall_s": [h * 10.0 for h in hours],
                  "rss_mib": rss, "events": [h * 1000 for h in hours],
                  "stored_messages": [min(h, 6) * 100 for h in hours],
                  "nodes_running": [290] * len(rss)}).to_csv(folder / "resources.csv",
                                                               index=False)
    summary = {"messages": {"sent": 100, "stored": 98, "delivered": delivered, "failed": 2},
               "survival": {"delivered": delivered - 5, "delivered_late": 5,
                            "pending_at_end": 8, "awaiting_recipient": 0, "lost": lost},
               "onion_requests": {"total": 10, "ok": 9, "timeouts": 1, "other_errors": 0},
               "network": {"clients": 10000, "service_nodes": 300}}
    (folder / "summary.json").write_text(json.dumps(summary))


def test_a_plateau_passes_and_the_curve_is_written(tmp_path):
    run = tmp_path / "run"
    write_run(run, [100, 200, 300, 320, 330, 335, 336, 337, 338])
    assert soak_report.main(["soak_report", str(run)]) == 0
    result = json.loads((run / "soak.json").read_text())
    assert result["rss_mib"]["peak"] == 338
    assert result["rss_mib"]["at_half"] == 330  # hour 4 of 8
    assert abs(result["late_growth"] - (338 - 330) / 330) < 1e-3
    assert result["stored_messages"]["peak"] == 600
    assert (run / "soak.png").stat().st_size > 0
    assert "| 6 | 336.0 | - | 600 | 290 | 60 |" in (run / "soak.md").read_text()


def test_memory_that_keeps_growing_fails(tmp_path):
    run = tmp_path / "run"
    write_run(run, [100 * (h + 1) for h in range(9)])  # 500 -> 900 MiB over the second half
    assert soak_report.main(["soak_report", str(run)]) == 1


def test_messages_that_do_not_add_up_fail(tmp_path):
    run = tmp_path / "run"
    write_run(run, [100] * 9, lost=7)  # 90 + 8 + 7 != 100
    assert soak_report.main(["soak_report", str(run)]) == 1


def test_the_runs_own_records_are_set_apart_from_the_networks_memory(tmp_path):
    run = tmp_path / "run"
    write_run(run, [100 + 60 * h for h in range(9)])  # grows by 240 MiB in the second half
    r = pd.read_csv(run / "resources.csv")
    r.insert(3, "records_mib", [60.0 * h for h in range(9)])  # ... all of it the records
    r.to_csv(run / "resources.csv", index=False)
    assert soak_report.main(["soak_report", str(run)]) == 0
    result = json.loads((run / "soak.json").read_text())
    assert result["state_mib"] == {"at_half": 100, "end": 100, "records_measured": True}
    assert "| 4 | 340.0 | 240.0 |" in (run / "soak.md").read_text()
