#!/usr/bin/python3
"""The full-population study (docs/population-study.md): what an adversary running a tenth of
the service nodes learns as the crowd grows from 10,000 to 1,000,000 clients, and how onion
round trips depend on the load each node carries.

Every size runs scenarios/full-scale.toml -- 2,000 service nodes, a tenth of the phones with the
app open, the rest on push -- with the same seed, the same adversary (a random 10% of the nodes,
its timing correlator's window as the scenario sets it) and the same simulated span; only
network.clients changes. The runs' own summaries give the correlator's precision and the sender
entropy; requests.csv gives each node's load and each request's round trip.

Usage: scripts/population-study.py [--sizes 10000,100000,300000] [--duration 60] [--warmup 30]
           [--out results/population-study] [--reuse] [--check] [--figures DIR]

The defaults are the steady state: full-scale.toml's 30-s warm-up (every phone subscribes to push
within it) and 30 s measured after it. A million clients do not fit that span in this machine's
memory yet (docs/performance.md); `--sizes 10000,100000,300000,1000000 --duration 10 --warmup 5`
is the start-up the million can be measured in: the first 10 s, in which every phone subscribes.

It writes OUT/study.json (every number of the page), OUT/study.md (its tables) and two figures,
population.png and rtt_by_load.png (also into DIR as OUTNAME-population.png ... with --figures).
A 300,000-client minute takes about 10 minutes, the million-client start-up about 17 minutes
and 21 GiB; --reuse keeps runs already made with the same settings.
"""
from __future__ import annotations

import argparse
import json
import math
import pathlib
import shutil
import subprocess
import sys
import tomllib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "full-scale.toml"
LOAD_BINS = 8  # guard-load classes (quantiles of the nodes' load) for the RTT figure


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion k/n (95%): how far one run's precision can be
    trusted when it rests on a few true calls."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def run_settings(clients: int, args: argparse.Namespace) -> list[str]:
    return [f"network.clients={clients}", f"duration_s={args.duration:g}",
            f"warmup_s={args.warmup:g}", f"adversary.fraction={args.adversary:g}",
            f"seed={args.seed}"]


def run(clients: int, args: argparse.Namespace) -> pathlib.Path:
    folder = args.out / f"clients-{clients}"
    settings = run_settings(clients, args)
    stamp = folder / "study-settings.json"
    if args.reuse and stamp.exists() and json.loads(stamp.read_text()) == settings \
            and (folder / "summary.json").exists():
        print(f"  {clients:>9,} clients: reusing {folder}", flush=True)
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    command = [str(args.program), "run", str(SCENARIO), "--out", str(folder)]
    for s in settings:
        command += ["--set", s]
    console = args.out / f"clients-{clients}.console"
    print(f"  {clients:>9,} clients: {' '.join(command)} (progress: {console})", flush=True)
    with console.open("w") as log:
        subprocess.run(command, check=True, stdout=log, stderr=subprocess.STDOUT)
    stamp.write_text(json.dumps(settings))
    return folder


def rtt_by_guard_load(folder: pathlib.Path, warmup_s: float, duration_s: float) -> dict:
    """Each node's load (onion requests per second it took as guard or destination, in the
    measured span) and the round trips of requests by the load of their guard."""
    requests = pd.read_csv(folder / "requests.csv",
                           usecols=["guard", "destination", "start_s", "rtt_ms", "status",
                                    "probe"])
    requests = requests[(requests.start_s >= warmup_s) & (requests.probe == 0)]
    span = duration_s - warmup_s
    no_node = "0" * 64  # a server (file server, push server) reached through the path
    ends = pd.concat([requests.guard, requests.destination[requests.destination != no_node]])
    load = ends.value_counts() / span  # requests per second, per node key
    answered = requests[requests.status == 200].copy()
    answered["guard_load"] = answered.guard.map(load)
    edges = np.unique(np.quantile(load.to_numpy(), np.linspace(0, 1, LOAD_BINS + 1)))
    answered["load_class"] = pd.cut(answered.guard_load, edges, include_lowest=True)
    rows = []
    for interval, group in answered.groupby("load_class", observed=True):
        rtt = group.rtt_ms.to_numpy()
        rows.append({"guard_load_from": round(float(interval.left), 3),
                     "guard_load_to": round(float(interval.right), 3),
                     "requests": int(len(rtt)),
                     "rtt_p50_ms": round(float(np.median(rtt)), 1),
                     "rtt_p90_ms": round(float(np.quantile(rtt, 0.9)), 1)})
    return {"nodes_loaded": int(len(load)),
            "load_mean_per_s": round(float(load.mean()), 3),
            "load_max_per_s": round(float(load.max()), 3),
            "load_max_over_mean": round(float(load.max() / load.mean()), 2),
            "rtt_p50_ms": round(float(answered.rtt_ms.median()), 1),
            "rtt_p90_ms": round(float(answered.rtt_ms.quantile(0.9)), 1),
            "by_guard_load": rows}


def executed_stores(folder: pathlib.Path) -> dict:
    """The message stores the adversary executed (its node was the destination, so it knows the
    recipient): the sender's anonymity among the client addresses its guards saw enter in the
    window. Every other store has the whole population as its set, which dominates the mean."""
    stores = pd.read_csv(folder / "anonymity.csv", usecols=["recipient_known", "candidates",
                                                           "entropy_bits"])
    executed = stores[stores.recipient_known == 1]
    if executed.empty:
        return {"stores": 0, "sender_entropy_bits": None, "candidates_median": None}
    return {"stores": int(len(executed)),
            "sender_entropy_bits": round(float(executed.entropy_bits.mean()), 3),
            "candidates_median": float(executed.candidates.median())}


def facts(clients: int, folder: pathlib.Path, args: argparse.Namespace) -> dict:
    summary = json.loads((folder / "summary.json").read_text())
    provenance = json.loads((folder / "provenance.json").read_text())
    adversary = summary["adversary"]
    correlator = adversary["linkage"]["timing_correlator"]
    relations = adversary["relationships"]
    recipients = adversary["recipient_anonymity"]
    config = tomllib.loads((folder / "config.toml").read_text())
    # Each exit sighting calls every entry sighting of its window: f R w of them at a request
    # rate R, of which its own (when its guard is the adversary's too, probability f, and the
    # correlator catches it, TPR) is the one true call: precision ~ TPR / (R w) (metrics.md
    # §1.8 with n = R w entries in the window).
    rate = adversary["onion_requests"]["total"] / args.duration
    expected_precision = correlator["tpr"] / (rate * correlator["window_s"])
    return {
        "clients": clients,
        "service_nodes": config["network"]["service_nodes"],
        "adversary_nodes": adversary["nodes"],
        "onion_requests": adversary["onion_requests"]["total"],
        "guard_and_destination": adversary["onion_requests"]["guard_and_destination"],
        "correlator": {k: correlator[k] for k in ("window_s", "true_pairs", "called",
                                                  "called_true", "tpr", "fpr", "precision",
                                                  "best_guess_accuracy")},
        "precision_95": [round(x, 6) for x in wilson(correlator["called_true"],
                                                       correlator["called"])],
        "expected_precision": round(expected_precision, 6),
        "requests_per_s": round(rate, 1),
        "message_stores": relations["stores"],
        "sender_entropy_bits": relations["mean_sender_entropy_bits"],
        "sender_set_size": relations["mean_sender_set_size"],
        "sender_degree": relations["sender_degree"],
        "max_entropy_bits": round(math.log2(clients), 6),
        "recipient_entropy_bits": recipients["mean_entropy_bits"],
        "recipients_identified": recipients["identified"],
        "executed": executed_stores(folder),
        "load": rtt_by_guard_load(folder, args.warmup, args.duration),
        "cost": {"wall_clock_s": provenance["wall_clock_s"],
                 "setup_s": provenance["host"]["setup_s"],
                 "sim_s_per_wall_s": provenance["host"]["sim_s_per_wall_s"],
                 "peak_rss_mib": provenance["host"]["peak_rss_mib"],
                 "events": provenance["events"], "version": provenance["version"]},
    }


def figures(rows: list[dict], out: pathlib.Path) -> list[pathlib.Path]:
    clients = [r["clients"] for r in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    left.plot(clients, [r["correlator"]["precision"] for r in rows], "o-", label="precision")
    left.plot(clients, [r["expected_precision"] for r in rows], "k--",
              label="TPR / (R w), R = requests per s")
    # A log axis: a run whose best guess was never right has no point.
    left.plot(clients, [r["correlator"]["best_guess_accuracy"] or math.nan for r in rows], "s",
              label="best guess right (none: no point)")
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_xlabel("clients")
    left.set_ylabel("fraction")
    left.set_title(f"timing correlator ({rows[0]['correlator']['window_s']:g} s window), "
                   f"{rows[0]['adversary_nodes']} of {rows[0]['service_nodes']} nodes")
    left.grid(True, which="both", alpha=0.3)
    left.legend()
    right.plot(clients, [r["sender_entropy_bits"] for r in rows], "o-", label="sender entropy")
    executed = [r["executed"]["sender_entropy_bits"] for r in rows]
    right.plot(clients, [math.nan if e is None else e for e in executed], "^-",
               label="sender entropy, stores the adversary executed")
    right.plot(clients, [r["recipient_entropy_bits"] for r in rows], "s-",
               label="recipient entropy")
    right.plot(clients, [r["max_entropy_bits"] for r in rows], "k--", label="log2(clients)")
    right.set_xscale("log")
    right.set_xlabel("clients")
    right.set_ylabel("bits")
    right.set_title("anonymity of a message store")
    right.grid(True, which="both", alpha=0.3)
    right.legend()
    fig.tight_layout()
    population = out / "population.png"
    fig.savefig(population, dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(7, 4.2))
    for r in rows:
        by = r["load"]["by_guard_load"]
        mid = [(b["guard_load_from"] + b["guard_load_to"]) / 2 for b in by]
        line, = ax.plot(mid, [b["rtt_p50_ms"] for b in by], "o-",
                        label=f"{r['clients']:,} clients, median")
        ax.plot(mid, [b["rtt_p90_ms"] for b in by], "o:", color=line.get_color(),
                label=f"{r['clients']:,} clients, p90")
    ax.set_xscale("log")
    ax.set_xlabel("guard's load (onion requests per second as guard or destination)")
    ax.set_ylabel("onion round trip (ms)")
    ax.set_title("onion RTT by the load of the request's guard")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    by_load = out / "rtt_by_load.png"
    fig.savefig(by_load, dpi=110)
    plt.close(fig)
    return [population, by_load]


def executed_text(e: dict) -> str:
    if not e["stores"]:
        return "none"
    return f"{e['sender_entropy_bits']:.3f} ({e['candidates_median']:,.0f}) of {e['stores']:,}"


def tables(rows: list[dict]) -> str:
    lines = ["| clients | onion requests | guard & destination | correlator TPR | FPR | "
             "precision (95% interval) | TPR/(R w) | best guess right | sender entropy (bits) | log2(clients) | "
             "executed stores: sender entropy (median candidates) | recipient entropy | wall s | sim-s per wall-s | peak RSS MiB |",
             "|" + "---|" * 15]
    for r in rows:
        c, cost = r["correlator"], r["cost"]
        lines.append(
            f"| {r['clients']:,} | {r['onion_requests']:,} | {r['guard_and_destination']:.4f} | "
            f"{c['tpr']:.4f} | {c['fpr']:.6f} | {c['precision']:.6f} "
            f"({r['precision_95'][0]:.6f}–{r['precision_95'][1]:.6f}) | "
            f"{r['expected_precision']:.6f} | "
            f"{c['best_guess_accuracy']:.6f} | {r['sender_entropy_bits']:.3f} | "
            f"{r['max_entropy_bits']:.3f} | {executed_text(r['executed'])} | "
            f"{r['recipient_entropy_bits']:.3f} | "
            f"{cost['wall_clock_s']:.0f} | {cost['sim_s_per_wall_s']:.3f} | "
            f"{cost['peak_rss_mib']:,.0f} |")
    lines += ["", "| clients | node load mean /s | max /s | max/mean | guard load class /s | "
              "requests | RTT p50 ms | RTT p90 ms |", "|" + "---|" * 8]
    for r in rows:
        load = r["load"]
        for i, b in enumerate(load["by_guard_load"]):
            head = (f"| {r['clients']:,} | {load['load_mean_per_s']} | {load['load_max_per_s']} | "
                    f"{load['load_max_over_mean']} |" if i == 0 else "| | | | |")
            lines.append(f"{head} {b['guard_load_from']}–{b['guard_load_to']} | "
                         f"{b['requests']:,} | {b['rtt_p50_ms']} | {b['rtt_p90_ms']} |")
    return "\n".join(lines) + "\n"


def check(rows: list[dict]) -> list[str]:
    """What the study must show for its page to stand (the long test runs it with --check): the
    adversary's correlator loses precision and senders gain entropy as the crowd grows, and no
    entropy exceeds its ceiling. Each is a comparison between measured runs, not a constant."""
    problems = []
    for small, large in zip(rows, rows[1:]):
        a, b = small["correlator"]["precision"], large["correlator"]["precision"]
        if not b < a:
            problems.append(f"precision did not fall from {small['clients']:,} to "
                            f"{large['clients']:,} clients: {a} -> {b}")
        a, b = small["sender_entropy_bits"], large["sender_entropy_bits"]
        if not b > a:
            problems.append(f"sender entropy did not rise from {small['clients']:,} to "
                            f"{large['clients']:,} clients: {a} -> {b}")
    for r in rows:
        if r["sender_entropy_bits"] > r["max_entropy_bits"] + 1e-9:
            problems.append(f"{r['clients']:,} clients: sender entropy {r['sender_entropy_bits']} "
                            f"above log2(clients) {r['max_entropy_bits']}")
        if r["correlator"]["true_pairs"] == 0 or r["message_stores"] == 0:
            problems.append(f"{r['clients']:,} clients: nothing to score (no positioned request "
                            "or no message store)")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,300000")
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=30.0)
    parser.add_argument("--adversary", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "results" / "population-study")
    parser.add_argument("--program", type=pathlib.Path, default=ROOT / "build" / "bin" / "sessionsim")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--figures", type=pathlib.Path)
    parser.add_argument("--check", action="store_true",
                        help="exit 1 unless precision falls and entropy rises with the population")
    args = parser.parse_args()
    if not args.program.exists():
        print(f"population-study: no program at {args.program} (scripts/build.sh)", file=sys.stderr)
        return 2
    try:
        sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",")})
    except ValueError:
        print(f"population-study: --sizes takes client counts, not '{args.sizes}'", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    rows = [facts(n, run(n, args), args) for n in sizes]
    (args.out / "study.json").write_text(json.dumps(
        {"scenario": "scenarios/full-scale.toml", "duration_s": args.duration,
         "warmup_s": args.warmup, "adversary_fraction": args.adversary, "seed": args.seed,
         "sizes": rows}, indent=1) + "\n")
    (args.out / "study.md").write_text(tables(rows))
    made = figures(rows, args.out)
    if args.figures:
        args.figures.mkdir(parents=True, exist_ok=True)
        for f in made:
            shutil.copy(f, args.figures / f"{args.out.name}-{f.name}")
    print((args.out / "study.md").read_text())
    print(f"written: {args.out}/study.json, study.md, " + ", ".join(f.name for f in made))
    if args.check:
        problems = check(rows)
        for p in problems:
            print(f"population-study: {p}", file=sys.stderr)
        if len(rows) < 2:
            print("population-study: --check needs two sizes or more", file=sys.stderr)
            return 1
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
