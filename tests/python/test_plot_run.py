"""analysis/plot_run.py writes its figures for a small hand-made results folder."""
import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("plot_run", ROOT / "analysis/plot_run.py")
plot_run = importlib.util.module_from_spec(spec)
spec.loader.exec_module(plot_run)


def test_figures_are_written(tmp_path):
    (tmp_path / "provenance.json").write_text(
        json.dumps({"scenario": "test", "seed": 1, "version": "0"}))
    (tmp_path / "requests.csv").write_text(
        "client,request_id,guard,destination,start_s,end_s,rtt_ms,status,hops,probe\n"
        "0,1,g,d,1,1.4,400,200,3,0\n0,2,g,d,2,2.5,500,200,3,0\n0,3,g,d,3,3.1,100,200,0,1\n")
    (tmp_path / "messages.csv").write_text(
        "id,sent_s,stored_s,delivered_s,sender,recipient,bytes,hops,status,fate,"
        "recipient_swarm,swarm_up_at_store\n"
        "0,1,1.5,4,0,1,100,3,delivered,delivered,1,7\n"
        "1,2,,,0,1,100,3,failed,lost: client gave up,,0\n")
    written = plot_run.plot(tmp_path)
    names = sorted(p.name for p in written)
    assert names == ["delivery_delay_cdf.png", "message_fates.png", "onion_rtt_cdf.png",
                     "probe_rtt_by_hops.png"]
    for p in written:
        assert p.stat().st_size > 1000
