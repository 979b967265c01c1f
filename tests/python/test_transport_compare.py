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


def write_attachments(folder, uploads, downloads, broken=0):
    """attachments.csv with one file per upload time; the first len(downloads) were downloaded,
    and `broken` of those came out different from what went in."""
    rows = []
    for i, up in enumerate(uploads):
        down = downloads[i] if i < len(downloads) else None
        rows.append({"message": i, "sender": 0, "recipient": 1, "bytes": 1_000_000,
                     "upload_start_s": 10.0, "uploaded_s": 10.0 + up / 1000,
                     "download_start_s": 20.0 if down is not None else "",
                     "downloaded_s": 20.0 + down / 1000 if down is not None else "",
                     "intact": int(down is not None and i >= broken), "error": ""})
    pd.DataFrame(rows).to_csv(folder / "attachments.csv", index=False)


def test_attachment_times_and_counts_are_compared_when_the_runs_have_files(tmp_path):
    rng = np.random.default_rng(2)
    rtt, delay = rng.lognormal(6, 0.4, 1000), rng.lognormal(7.5, 0.5, 500)
    uploads, downloads = rng.lognormal(8, 0.3, 400), rng.lognormal(8.5, 0.3, 380)
    for name in ("packet", "same", "slow"):
        write_run(tmp_path / name, rtt, delay)
    write_attachments(tmp_path / "packet", uploads, downloads)
    write_attachments(tmp_path / "same", uploads, downloads)
    write_attachments(tmp_path / "slow", uploads, downloads * 1.10, broken=40)
    same = transport_compare.compare(tmp_path / "packet", tmp_path / "same", tmp_path / "o1")
    assert same["all_within_targets"]
    assert same["download_time"]["n_packet"] == 380 and same["files_intact"]["packet"] == 380
    assert "attachment upload, ms" in (tmp_path / "o1" / "compare.md").read_text()

    slow = transport_compare.compare(tmp_path / "packet", tmp_path / "slow", tmp_path / "o2")
    assert slow["upload_time"]["median_within_target"]
    assert slow["download_time"]["median_ratio"] == 1.1
    assert not slow["download_time"]["p90_within_target"]
    # 380 against 340 intact of 400: a difference of 0.1 against an interval of about 0.04.
    assert not slow["files_intact"]["within"] and slow["files_downloaded"]["within"]
    assert not slow["all_within_targets"]


def test_a_sweep_is_compared_value_by_value(tmp_path):
    rtt, delay = np.arange(100, 1100, 1.0), np.arange(1000, 3000, 1.0)
    for level, scale in (("packet", 1.0), ("message", 1.0)):
        (tmp_path / level).mkdir()
        (tmp_path / level / "sweep.csv").write_text("attachments.bytes\n10000\n1000000\n")
        write_run(tmp_path / level / "attachments.bytes=10000", rtt, delay)
        write_run(tmp_path / level / "attachments.bytes=1000000", rtt * scale,
                  delay * (1.2 if level == "message" else 1.0))
    both = transport_compare.compare(tmp_path / "packet", tmp_path / "message", tmp_path / "o")
    assert set(both["sweep"]) == {"attachments.bytes=10000", "attachments.bytes=1000000"}
    assert both["sweep"]["attachments.bytes=10000"]["all_within_targets"]
    assert not both["sweep"]["attachments.bytes=1000000"]["all_within_targets"]
    assert not both["all_within_targets"]
    report = (tmp_path / "o" / "compare.md").read_text()
    assert "## attachments.bytes=10000" in report and "## attachments.bytes=1000000" in report
    assert (tmp_path / "o" / "attachments.bytes=1000000" / "compare_cdf.png").exists()
