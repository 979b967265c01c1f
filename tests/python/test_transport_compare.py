"""sessionsim.analysis.transport_compare: the agreement figures come from the two folders'
tables, and each target and count interval can fail."""
import json

import numpy as np
import pandas as pd

from sessionsim.analysis import transport_compare


def write_run(folder, rtts, delays, lost=0, failed_requests=0):
    folder.mkdir(parents=True)
    rows = [{"client": 0, "request_id": i, "guard": "g", "destination": "d", "start_s": 0,
             "end_s": r / 1000, "rtt_ms": r, "status": 200, "hops": 3, "probe": 0}
            for i, r in enumerate(rtts)]
    rows += [{"client": 0, "request_id": 10_000 + i, "guard": "g", "destination": "d",
              "start_s": 0, "end_s": 10, "rtt_ms": 10_000, "status": 0, "hops": 3, "probe": 0}
             for i in range(failed_requests)]
    pd.DataFrame(rows).to_csv(folder / "requests.csv", index=False)
    msgs = [{"id": i, "sent_s": 1.0, "stored_s": 1.1, "delivered_s": 1.0 + d / 1000}
            for i, d in enumerate(delays)]
    msgs += [{"id": len(delays) + i, "sent_s": 1.0, "stored_s": "", "delivered_s": ""}
             for i in range(lost)]
    pd.DataFrame(msgs).to_csv(folder / "messages.csv", index=False)
    sent = len(delays) + lost
    (folder / "summary.json").write_text(json.dumps(
        {"messages": {"sent": sent, "delivered": len(delays)},
         "survival": {"delivered": len(delays), "lost": lost}}))


def test_identical_runs_agree_and_a_shifted_one_does_not(tmp_path):
    rng = np.random.default_rng(1)
    rtt = rng.lognormal(6, 0.4, 4000)
    delay = rng.lognormal(7.5, 0.5, 2000)
    write_run(tmp_path / "packet", rtt, delay)
    write_run(tmp_path / "same", rtt, delay)
    same = transport_compare.compare(tmp_path / "packet", tmp_path / "same", tmp_path / "o1")
    assert same["all_within_targets"]
    assert same["onion_rtt"]["ks_distance"] == 0.0 and same["onion_rtt"]["median_ratio"] == 1.0

    write_run(tmp_path / "slow", rtt * 1.04, delay)  # medians 4% apart: outside 3%
    slow = transport_compare.compare(tmp_path / "packet", tmp_path / "slow", tmp_path / "o2")
    assert slow["onion_rtt"]["median_ratio"] == 1.04
    assert not slow["onion_rtt"]["median_within_target"]
    assert slow["onion_rtt"]["p90_within_target"]  # 4% is within the p90's 5%
    assert not slow["all_within_targets"]
    assert (tmp_path / "o2" / "compare_cdf.png").stat().st_size > 1000
    assert json.loads((tmp_path / "o2" / "compare.json").read_text()) == slow


def test_counts_are_judged_by_their_binomial_interval(tmp_path):
    rtt = np.arange(100, 1100, 1.0)
    delay = np.arange(1000, 3000, 1.0)  # 2,000 delivered
    write_run(tmp_path / "packet", rtt, delay, lost=20)
    write_run(tmp_path / "close", rtt, delay, lost=24)
    write_run(tmp_path / "far", rtt, delay, lost=80, failed_requests=100)
    close = transport_compare.compare(tmp_path / "packet", tmp_path / "close", tmp_path / "a")
    assert close["lost"]["within"] and close["delivered"]["within"]
    far = transport_compare.compare(tmp_path / "packet", tmp_path / "far", tmp_path / "b")
    # 20 against 80 lost of about 2,000: the interval is about +-0.0087, the difference 0.029.
    assert not far["lost"]["within"]
    assert far["lost"]["interval_95"] < far["lost"]["difference"]
    assert not far["requests_answered"]["within"]
    assert "outside" in (tmp_path / "b" / "compare.md").read_text()
