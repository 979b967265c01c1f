"""sessionsim.analysis.testbed_compare: the figures it reports are those of the two folders'
tables (KS distance, medians, p90s, ratios, delivery ratios), computed from known samples."""
import json

import numpy as np
import pandas as pd

from sessionsim.analysis import testbed_compare


def write_run(folder, rtts, delays, undelivered=0, extra_requests=()):
    folder.mkdir(parents=True)
    rows = [{"client": 0, "request_id": i, "guard": "g", "destination": "d", "start_s": 0,
             "end_s": r / 1000, "rtt_ms": r, "status": 200, "hops": 3, "probe": 0}
            for i, r in enumerate(rtts)]
    rows += list(extra_requests)
    pd.DataFrame(rows).to_csv(folder / "requests.csv", index=False)
    msgs = [{"id": i, "sent_s": 1.0, "stored_s": 1.1, "delivered_s": 1.0 + d / 1000}
            for i, d in enumerate(delays)]
    msgs += [{"id": len(delays) + i, "sent_s": 1.0, "stored_s": "", "delivered_s": ""}
             for i in range(undelivered)]
    pd.DataFrame(msgs).to_csv(folder / "messages.csv", index=False)


def test_ratios_ks_and_delivery_come_from_the_tables(tmp_path):
    rtt = np.arange(100, 1100, 10.0)  # median 595, p90 991
    # Failed, probe and 1-hop requests are not onion RTTs of the workload.
    noise = [{"client": 0, "request_id": 999, "guard": "g", "destination": "d", "start_s": 0,
              "end_s": 9, "rtt_ms": 9000, "status": 0, "hops": 3, "probe": 0},
             {"client": 0, "request_id": 998, "guard": "g", "destination": "d", "start_s": 0,
              "end_s": 9, "rtt_ms": 9000, "status": 200, "hops": 1, "probe": 1}]
    write_run(tmp_path / "sim", rtt, [1000, 2000, 3000, 4000], extra_requests=noise)
    write_run(tmp_path / "tb", rtt * 1.2, [1000, 2000, 3000, 4000], undelivered=1)
    result = testbed_compare.compare(tmp_path / "sim", tmp_path / "tb", tmp_path / "out")
    r = result["onion_rtt"]
    assert r["n_sim"] == 100 and r["n_testbed"] == 100
    assert r["median_sim_ms"] == 595.0
    assert r["median_ratio"] == 1.2 and r["p90_ratio"] == 1.2
    assert not r["median_within_target"]
    assert 0.1 < r["ks_distance"] < 0.3
    d = result["delivery_delay"]
    assert d["median_ratio"] == 1.0 and d["ks_distance"] == 0.0 and d["median_within_target"]
    assert result["delivery_ratio"] == {"sim": 1.0, "testbed": 0.8, "sent_sim": 4,
                                        "sent_testbed": 5}
    assert json.loads((tmp_path / "out" / "compare.json").read_text()) == result
    assert (tmp_path / "out" / "compare_cdf.png").stat().st_size > 1000
    assert "| onion RTT, ms | 100 / 100 |" in (tmp_path / "out" / "compare.md").read_text()
