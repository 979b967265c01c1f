"""`sessionsim explore`: the page, opened in Debian's Chromium by puppeteer-core
(explorer/tests/drive.mjs), shows what the results tables say. The expected values are computed
here from the CSV files, not read back from the page's data: a known message's hops are its
store request's guard and destination in requests.csv (by key, through hosts.csv) and the relays
journeys.csv names between them; a brushed window's counts are the rows of requests.csv,
messages.csv and node_events.csv inside it. Screenshots of every view are kept in
BUILD/test-artefacts/explorer/<run>/ (CI keeps the build folder's artefacts)."""
import json
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from matplotlib import image

from conftest import BUILD, ROOT, run_cli, small_overrides

DRIVER = ROOT / "explorer" / "tests" / "drive.mjs"
ARTEFACTS = BUILD.resolve() / "test-artefacts" / "explorer"
VIEWS = ("map", "journey", "timeline", "parties", "swarms")


def drive(html, out, *args):
    if not shutil.which("node"):
        pytest.fail("node is not installed (scripts/setup-debian.sh installs nodejs)")
    done = subprocess.run(["node", str(DRIVER), "--html", str(html.resolve()),
                           "--out", str(out.resolve()), *args],
                          capture_output=True, text=True, cwd=ROOT / "explorer", timeout=300)
    assert done.returncode == 0, done.stderr + done.stdout
    return json.loads(done.stdout)


def explore(run, out):
    done = run_cli("explore", run, "--out", out)
    assert "explorer:" in done.stdout
    return out


def node_of_key(run):
    hosts = pd.read_csv(run / "hosts.csv", dtype={"pubkey": str})
    nodes = hosts[hosts["role"] == "service_node"]
    return dict(zip(nodes["pubkey"], nodes["index"].astype(int)))


def expected_hops(run, message_id):
    """The store and poll legs of a message as the tables give them: [(leg, step, node)]."""
    messages = pd.read_csv(run / "messages.csv").set_index("id")
    requests = pd.read_csv(run / "requests.csv", dtype={"guard": str, "destination": str})
    journeys = pd.read_csv(run / "journeys.csv")
    keys = node_of_key(run)
    m = messages.loc[message_id]
    hops = []
    for leg, client, column in (("store", m["sender"], "store_request"),
                                ("poll", m["recipient"], "poll_request")):
        rows = journeys[(journeys["message"] == message_id) & (journeys["leg"] == leg)]
        nodes = list(rows.sort_values("step")["node"].astype(int))
        request = requests[(requests["client"] == client) &
                           (requests["request_id"] == int(m[column]))]
        assert len(request) == 1, f"{leg} request of message {message_id} not in requests.csv"
        # The hops begin at the request's guard and end at its destination.
        assert nodes[0] == keys[request["guard"].iloc[0]]
        assert nodes[-1] == keys[request["destination"].iloc[0]]
        hops += [(leg, step, node) for step, node in enumerate(nodes)]
    return hops


def simulate(tmp_path_factory, name, seed, *overrides):
    """A results folder of `sessionsim run` with the overrides KEY=VALUE."""
    out = tmp_path_factory.mktemp(name) / "run"
    sets = [arg for o in overrides for arg in ("--set", o)]
    run_cli("run", "--quiet", "--seed", seed, "--out", out, *sets)
    return out


@pytest.fixture(scope="module")
def central_run(tmp_path_factory):
    return simulate(tmp_path_factory, "central", 3, "messenger=central", "network.clients=12",
                    "duration_s=120", "central.outage_at_s=40", "central.outage_duration_s=30")


@pytest.fixture(scope="module")
def churn_run(tmp_path_factory):
    """Twenty nodes join five minutes in: the swarms change during the run."""
    return simulate(tmp_path_factory, "churn", 5, "network.service_nodes=60",
                    "network.clients=10", "churn.joins=20", "churn.join_at_s=300",
                    "duration_s=600")


def test_a_known_messages_hops_are_drawn_exactly(small_run, tmp_path):
    html = explore(small_run, tmp_path / "explorer.html")
    messages = pd.read_csv(small_run / "messages.csv")
    delivered = messages.dropna(subset=["delivered_s"])
    # The slowest delivered message: the journey a user picks first.
    message = int(delivered.loc[(delivered["delivered_s"] - delivered["sent_s"]).idxmax(), "id"])
    out = ARTEFACTS / "small"
    shown = drive(html, out, "--message", str(message), "--brush", "40,100")
    assert shown["console_errors"] == []
    drawn = [(h["leg"], h["step"], h["node"]) for h in shown["hops"]]
    assert drawn == expected_hops(small_run, message)
    journeys = pd.read_csv(small_run / "journeys.csv")
    replicas = journeys[(journeys["message"] == message) & (journeys["leg"] == "replica")]
    assert sorted(shown["replicas"]) == sorted(replicas["node"].astype(int))
    (out / "load.json").write_text(json.dumps({"load_ms": shown["load_ms"]}))


def test_every_delivered_messages_journey_runs_from_its_guard_to_its_destination(small_run):
    """journeys.csv against requests.csv for every message: both legs start at the request's
    guard, end at its destination (a node that executed the request) and pass through distinct
    nodes, hop times rising; the replicas include the store's destination."""
    messages = pd.read_csv(small_run / "messages.csv")
    journeys = pd.read_csv(small_run / "journeys.csv")
    delivered = messages.dropna(subset=["delivered_s"])
    assert len(delivered) >= 5
    for message in delivered["id"].astype(int):
        hops = expected_hops(small_run, message)  # asserts guard and destination
        for leg in ("store", "poll"):
            rows = journeys[(journeys["message"] == message) & (journeys["leg"] == leg)]
            rows = rows.sort_values("step")
            assert len(set(rows["node"])) == len(rows) >= 2
            assert rows["time_s"].is_monotonic_increasing
            assert list(rows["outcome"])[-1] == "executed"
        store_destination = [n for leg, _, n in hops if leg == "store"][-1]
        replicas = journeys[(journeys["message"] == message) & (journeys["leg"] == "replica")]
        assert store_destination in set(replicas["node"])


def test_brushing_a_window_counts_the_rows_inside_it(small_run, tmp_path):
    html = explore(small_run, tmp_path / "explorer.html")
    shown = drive(html, tmp_path / "shots", "--brush", "40,100")
    assert shown["console_errors"] == []
    t0, t1 = shown["window"]["t0"], shown["window"]["t1"]
    # The brush snaps to whole bins (1 s here): the window is the one asked for, within a bin.
    assert abs(t0 - 40) <= 1 and abs(t1 - 100) <= 1 and t1 > t0

    def inside(times):
        return int(((times >= t0) & (times < t1)).sum())

    requests = pd.read_csv(small_run / "requests.csv")
    onion = requests[(requests["probe"] == 0) & (requests["hops"] > 0)]
    messages = pd.read_csv(small_run / "messages.csv")
    events = pd.read_csv(small_run / "node_events.csv")
    expected = {"requests": inside(onion["start_s"]),
                "failures": inside(onion[onion["status"] != 200]["start_s"]),
                "messages_sent": inside(messages["sent_s"]),
                "messages_delivered": inside(messages["delivered_s"].dropna()),
                "events": inside(events["time_s"])}
    assert expected["requests"] > 0  # the window holds traffic: a count of 0 would prove little
    assert {k: shown["counts"][k] for k in expected} == expected


@pytest.mark.parametrize("name", ["small", "central", "churn"])
def test_every_view_opens_without_errors_and_is_drawn(name, small_run, central_run, churn_run):
    run = {"small": small_run, "central": central_run, "churn": churn_run}[name]
    out = ARTEFACTS / name
    html = explore(run, out / "explorer.html")
    shown = drive(html, out)
    assert shown["console_errors"] == []
    for view in VIEWS:
        shot = image.imread(out / f"{view}.png")
        # Drawn, not blank: a page of one colour has no spread in its pixels.
        assert shot.shape[0] >= 700 and float(np.std(shot[..., :3])) > 0.02, view


def test_the_swarm_changes_are_those_of_swarms_csv(churn_run, tmp_path):
    """The bundle's swarm snapshots replay swarms.csv: at each change every node is in the swarm
    its last row named (the page draws these snapshots)."""
    from sessionsim.analysis import explorer_data
    bundle = explorer_data.build_bundle([churn_run], ROOT.parent / "shared")
    snapshots = bundle["runs"][0]["swarms"]
    rows = pd.read_csv(churn_run / "swarms.csv", dtype={"swarm": str})
    assert len(snapshots) == rows.groupby(["time_s", "height"]).ngroups
    assert len(snapshots) > 1, "the churn run should change its swarms"
    for snap in snapshots:
        upto = rows[rows["time_s"] <= snap["time_s"]].drop_duplicates("node", keep="last")
        expected = {int(n): s for n, s in zip(upto["node"], upto["swarm"]) if isinstance(s, str)}
        shown = {n: s["id"] for s in snap["swarms"] for n in s["members"]}
        assert shown == expected


def test_the_outage_window_and_the_operators_log_are_the_runs(central_run):
    from sessionsim.analysis import explorer_data
    run = explorer_data.build_bundle([central_run], ROOT.parent / "shared")["runs"][0]
    assert [(o["start_s"], o["end_s"]) for o in run["timeline"]["outages"]] == [(40.0, 70.0)]
    log = pd.read_csv(central_run / "operator_log.csv")
    assert run["operator_log"]["rows"] == len(log) > 0
    assert run["observations"]["source"] == "none"


def test_plot_writes_the_explorer_and_the_report_links_to_it(small_run, tmp_path):
    done = run_cli("plot", small_run, "--out", tmp_path)
    assert (tmp_path / "explorer.html").exists(), done.stdout
    report = (tmp_path / "report.html").read_text()
    assert 'id="explorer-link" href="explorer.html"' in report


def test_a_folder_that_is_no_run_is_refused_in_one_line(tmp_path):
    done = run_cli("explore", tmp_path, check=False)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "not a results folder" in done.stderr
