"""analysis/outage_report.py on a hand-made results folder whose numbers are known."""
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("outage_report", ROOT / "analysis/outage_report.py")
outage_report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(outage_report)


def write_folder(d: Path) -> None:
    (d / "summary.json").write_text(json.dumps({"network": {"service_nodes": 100}}))
    (d / "config.toml").write_text("[client]\nsend_attempts = 3\n[onion]\nhops = 3\n")
    rows = ["time_s,node,event,detail"]
    rows += [f"100,{n},down,outage" for n in range(10)]
    rows += [f"200,{n},up,outage" for n in range(10)]
    rows += ["150,50,down,churn"]  # not part of the outage
    (d / "node_events.csv").write_text("\n".join(rows) + "\n")
    header = ("id,sent_s,stored_s,delivered_s,sender,recipient,bytes,hops,status,fate,"
              "recipient_swarm,swarm_up_at_store")
    msgs = [header,
            "0,50,50.5,52,0,1,100,3,delivered,delivered,7,7",
            "1,120,121,200,0,1,100,3,delivered,delivered_late,7,7",
            "2,130,,,0,1,100,3,failed,lost: client gave up,,0",
            "3,140,141,143,0,1,100,3,delivered,delivered,7,6",
            "4,250,251,253,0,1,100,3,delivered,delivered,7,7"]
    (d / "messages.csv").write_text("\n".join(msgs) + "\n")
    reqs = ["client,request_id,guard,destination,start_s,end_s,rtt_ms,status,hops,probe",
            "0,1,g,d,50,51,1000,200,3,0",
            "0,2,g,d,120,130,10000,0,3,0",
            "0,3,g,d,121,122,1000,200,3,0",
            "0,4,g,d,122,123,1000,0,2,1"]  # a probe: ignored
    (d / "requests.csv").write_text("\n".join(reqs) + "\n")


def test_windows_and_expectations(tmp_path):
    write_folder(tmp_path)
    r = outage_report.report(tmp_path)
    assert r["nodes_down"] == 10
    assert r["fraction_down"] == pytest.approx(0.1)
    assert r["outage_s"] == [100.0, 200.0]
    assert r["before"]["sent"] == 1 and r["before"]["lost"] == 0
    during = r["during"]
    assert (during["sent"], during["lost"], during["late"]) == (3, 1, 1)
    assert r["slowed_after_s"] == pytest.approx(2.0)  # the only delivery before took 2 s
    assert during["slowed"] == 2  # 80 s and 3 s, both slower than the 2 s before

    assert during["request_failure"] == pytest.approx(0.5)
    assert r["after"]["sent"] == 1
    e = r["expected"]
    assert e["request_failure_fresh_path"] == pytest.approx(1 - 0.9**4)
    assert e["message_loss_fresh_paths_upper_bound"] == pytest.approx((1 - 0.9**4) ** 3)
    assert e["whole_swarm_down_s7"] == pytest.approx(10 * 9 * 8 * 7 * 6 * 5 * 4 /
                                                     (100 * 99 * 98 * 97 * 96 * 95 * 94))


def test_a_folder_without_an_outage_is_an_error(tmp_path):
    write_folder(tmp_path)
    (tmp_path / "node_events.csv").write_text("time_s,node,event,detail\n1,0,down,churn\n")
    with pytest.raises(SystemExit, match="no outage"):
        outage_report.report(tmp_path)
