"""analysis/compare_runs.py overlays runs and scores each metadata holder from summary.json."""
import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("compare_runs", ROOT / "analysis/compare_runs.py")
compare_runs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare_runs)

MESSAGES = ("id,sent_s,stored_s,delivered_s,sender,recipient,bytes,hops,status,fate,"
            "recipient_swarm,swarm_up_at_store\n"
            "0,1,1.5,4,0,1,100,3,delivered,delivered,1,7\n"
            "1,2,,,0,1,100,3,failed,lost: client gave up,,0\n")


def run_folder(path: Path, messenger: str, summary: dict) -> Path:
    path.mkdir()
    (path / "config.toml").write_text(f'messenger = "{messenger}"\n')
    (path / "messages.csv").write_text(MESSAGES)
    (path / "summary.json").write_text(json.dumps(summary))
    return path


def test_both_messengers_are_scored_and_plotted(tmp_path):
    session = run_folder(tmp_path / "s", "session", {"adversary": {
        "fraction": 0.1,
        "relationships": {"relationship_linkage_rate": 0.01, "social_graph": {"fraction": 0.02}},
        "storage": {"held_fraction": 0.5}}})
    central = run_folder(tmp_path / "c", "central", {"operator": {
        "relationship_linkage_rate": 1.0, "social_graph": {"fraction": 1.0},
        "messages_seen": 2, "messages_sent": 2}})
    assert compare_runs.label(session) == "Session, adversary f = 0.1"
    assert compare_runs.label(central) == "centralized messenger"
    assert compare_runs.metadata(json.loads((central / "summary.json").read_text())) == {
        "pairs linked": 1.0, "social graph": 1.0, "messages held or logged": 1.0}
    written = compare_runs.compare(tmp_path / "out", [session, central])
    assert sorted(p.name for p in written) == ["delivery_delay_cdf.png", "metadata.png"]
    for p in written:
        assert p.stat().st_size > 1000
