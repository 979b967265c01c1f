"""The explorer's data bundle (explorer/DATA.md) from one results folder.

Everything the page shows is computed here, once, when the explorer is written: per-bin counts
for the timeline, per-node request counts per bin for brushing, the messages (downsampled in a
large run, the interesting ones always kept), each kept message's journey, what each node saw,
and the swarms over time. The page itself only draws.
"""
from __future__ import annotations

import csv
import json
import math
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

FORMAT = 1
# A bundle that opens in under 3 s stays under a few MB: these bound what grows with a run.
MAX_MESSAGES = 2000          # messages listed (all of a smaller run)
MAX_BINS = 600               # timeline bins (their width grows with the run's length)
SAMPLE_LAYERS = 40           # layers listed per node in "what each party sees" ...
SAMPLE_LAYERS_TOTAL = 6000   # ... and over all nodes (a 2,000-node run lists 3 per node)
MAX_OPERATOR_ROWS = 200      # rows of the central operator's log shown


def _read_csv(folder: Path, name: str) -> pd.DataFrame | None:
    path = folder / name
    if not path.exists():
        return None
    return pd.read_csv(path, dtype={"swarm": str, "recipient_swarm": str, "pubkey": str,
                                    "guard": str, "destination": str, "account": str})


def _none_if_nan(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return None if math.isnan(float(value)) else float(value)
    return value


class Places:
    """Latitude and longitude of WonderProxy cities (shared/data) and of countries (the mean of
    their cities), by the ids and ISO codes hosts.csv uses."""

    def __init__(self, shared_dir: Path):
        self.cities: dict[int, tuple[float, float, str]] = {}
        by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
        names = _country_codes_by_name()
        servers = Path(shared_dir) / "data" / "servers-2020-07-19.csv"
        if servers.exists():
            with open(servers, newline="", encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    lat, lon = float(row["latitude"]), float(row["longitude"])
                    self.cities[int(row["id"])] = (lat, lon, row["title"])
                    code = names.get(row["country"])
                    if code:
                        by_country[code].append((lat, lon))
        self.countries = {c: (float(np.mean([p[0] for p in pts])), float(np.mean([p[1] for p in pts])))
                          for c, pts in by_country.items()}
        self.numeric = _numeric_codes()

    def of(self, city: int | None, country: str) -> tuple[float | None, float | None, str]:
        if city is not None and city in self.cities:
            lat, lon, name = self.cities[city]
            return lat, lon, name
        lat, lon = self.countries.get(country, (None, None))
        return lat, lon, ""


def _iso_codes() -> list[dict]:
    path = Path("/usr/share/iso-codes/json/iso_3166-1.json")
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8"))["3166-1"]


def _country_codes_by_name() -> dict[str, str]:
    names = {}
    for c in _iso_codes():
        for key in ("name", "common_name", "official_name"):
            if key in c:
                names[c[key]] = c["alpha_2"]
    # The names WonderProxy uses that iso-codes spells otherwise (as sim/net/country_codes.cc).
    names.update({"Russia": "RU", "Turkey": "TR", "Kosovo": "XK", "South Korea": "KR",
                  "Vietnam": "VN", "Taiwan": "TW", "Moldova": "MD", "Iran": "IR",
                  "Bolivia": "BO", "Venezuela": "VE", "Tanzania": "TZ", "Czech Republic": "CZ"})
    return names


def _numeric_codes() -> dict[str, str]:
    """ISO 3166-1 numeric code by alpha-2: the ids of world-atlas's countries."""
    return {c["alpha_2"]: c["numeric"] for c in _iso_codes() if "numeric" in c}


def _meta(folder: Path) -> dict:
    provenance = json.loads((folder / "provenance.json").read_text()) \
        if (folder / "provenance.json").exists() else {}
    config = {}
    if (folder / "config.toml").exists():
        import tomllib
        config = tomllib.loads((folder / "config.toml").read_text())
    return {
        "scenario": provenance.get("scenario", ""),
        "seed": provenance.get("seed", config.get("seed")),
        "version": provenance.get("version", ""),
        "duration_s": float(config.get("duration_s", provenance.get("simulated_s", 0)) or 0),
        "transport": provenance.get("transport", ""),
        "central": config.get("messenger", "session") == "central",
    }


def _summary(folder: Path) -> dict:
    path = folder / "summary.json"
    if not path.exists():
        return {}
    s = json.loads(path.read_text())
    flat = {}
    for key in ("sent", "stored", "delivered", "failed", "delivery_ratio"):
        if key in s.get("messages", {}):
            flat[key] = s["messages"][key]
    for block in ("onion_rtt_ms", "delivery_delay_ms"):
        for p in ("p50", "p90", "p99"):
            if s.get(block, {}).get(p) is not None:
                flat[f"{block}_{p}"] = s[block][p]
    if "lost" in s.get("survival", {}):
        flat["lost"] = s["survival"]["lost"]
    return flat


def _bins(duration_s: float) -> tuple[float, int]:
    """Bins of a whole number of seconds (at most MAX_BINS of them) covering the run."""
    width = max(1.0, math.ceil(duration_s / MAX_BINS)) if duration_s > 0 else 1.0
    return width, max(1, math.ceil(duration_s / width))


def _count_per_bin(times, width: float, bins: int) -> list[int]:
    times = np.asarray([t for t in times if t is not None and not (isinstance(t, float) and math.isnan(t))],
                       dtype=float)
    k = np.clip(np.floor(times / width).astype(int), 0, bins - 1) if len(times) else np.array([], int)
    return np.bincount(k, minlength=bins).astype(int).tolist()


def build_run(folder: Path, places: Places, max_messages: int = MAX_MESSAGES) -> dict:
    """The bundle's RUN object for one results folder (explorer/DATA.md)."""
    folder = Path(folder)
    meta = _meta(folder)
    hosts = _read_csv(folder, "hosts.csv")
    if hosts is None:
        raise ValueError(f"{folder}: no hosts.csv (not a results folder of sessionsim run)")
    messages = _read_csv(folder, "messages.csv")
    requests = _read_csv(folder, "requests.csv")
    events = _read_csv(folder, "node_events.csv")
    journeys = _read_csv(folder, "journeys.csv")
    swarms = _read_csv(folder, "swarms.csv")
    observations = _read_csv(folder, "observations.csv")
    operator_log = _read_csv(folder, "operator_log.csv")

    width, bins = _bins(meta["duration_s"])
    server_role = "datacentre" if meta["central"] else "service_node"
    node_rows = hosts[hosts["role"] == server_role]
    node_of_key = {}
    if "pubkey" in hosts.columns:
        node_of_key = {k: int(i) for k, i in zip(node_rows["pubkey"], node_rows["index"])
                       if isinstance(k, str) and k}

    final_swarm: dict[int, str | None] = {}
    if swarms is not None:
        for node, swarm in zip(swarms["node"], swarms["swarm"]):
            final_swarm[int(node)] = swarm if isinstance(swarm, str) and swarm else None

    def city_of(row):
        city = row.get("city")
        return None if city is None or (isinstance(city, float) and math.isnan(city)) else int(city)

    nodes = []
    for row in node_rows.to_dict("records"):
        lat, lon, city = places.of(city_of(row), row["country"])
        nodes.append({"id": int(row["index"]), "lat": lat, "lon": lon, "city": city,
                      "country": row["country"], "provider": row["provider"],
                      "adversary": bool(row.get("adversary", 0)),
                      "swarm": final_swarm.get(int(row["index"]))})
    client_rows = hosts[hosts["role"] == "client"]
    client_place = {}
    by_country = Counter()
    for row in client_rows.to_dict("records"):
        by_country[row["country"]] += 1
        client_place[int(row["index"])] = places.of(city_of(row), row["country"])
    clients = {"count": int(len(client_rows)), "by_country": [
        {"country": c, "count": n, "lat": places.countries.get(c, (None, None))[0],
         "lon": places.countries.get(c, (None, None))[1], "numeric": places.numeric.get(c)}
        for c, n in sorted(by_country.items(), key=lambda kv: (-kv[1], kv[0]))]}
    servers = []
    for row in hosts[~hosts["role"].isin([server_role, "client"])].to_dict("records"):
        lat, lon, _ = places.of(city_of(row), row["country"])
        servers.append({"host": int(row["host"]), "role": row["role"], "lat": lat, "lon": lon,
                        "country": row["country"]})

    # The timeline: onion requests (not probes, not direct guard tests) and messages per bin.
    timeline = {"bin_s": width, "bins": bins, "requests": [0] * bins, "failures": [0] * bins,
                "messages_sent": [0] * bins, "messages_delivered": [0] * bins,
                "messages_held": [0] * bins, "node_requests": {}, "events": [], "outages": []}
    if requests is not None and len(requests):
        onion = requests[(requests["probe"] == 0) & (requests["hops"] > 0)]
        timeline["requests"] = _count_per_bin(onion["start_s"], width, bins)
        timeline["failures"] = _count_per_bin(onion[onion["status"] != 200]["start_s"], width, bins)
        k = np.clip(np.floor(onion["start_s"].to_numpy() / width).astype(int), 0, bins - 1)
        # A request counts for its guard and its destination (once for a one-hop path, where
        # they are the same node).
        guards = pd.DataFrame({"node": onion["guard"].map(node_of_key), "bin": k})
        distinct = (onion["guard"] != onion["destination"]).to_numpy()
        destinations = pd.DataFrame({"node": onion["destination"].map(node_of_key)[distinct],
                                     "bin": k[distinct]})
        handled = pd.concat([guards, destinations]).dropna()
        counts = handled.astype(int).groupby(["node", "bin"]).size()
        # Flat [bin, count, bin, count, ...]: a page parses it an order of magnitude faster than
        # as many small arrays (half a second on a 10,000-client run).
        per_node: dict[str, list] = defaultdict(list)
        for (node, b), c in counts.items():
            per_node[str(node)] += [int(b), int(c)]
        timeline["node_requests"] = dict(per_node)
    if messages is not None and len(messages):
        timeline["messages_sent"] = _count_per_bin(messages["sent_s"], width, bins)
        timeline["messages_delivered"] = _count_per_bin(messages["delivered_s"], width, bins)
        ends = (np.arange(bins) + 1) * width
        stored = messages["stored_s"].to_numpy(dtype=float)
        delivered = messages["delivered_s"].to_numpy(dtype=float)
        timeline["messages_held"] = [
            int(np.sum((stored <= e) & ~(delivered <= e))) for e in ends]
    if events is not None:
        timeline["events"] = [{"time_s": float(r["time_s"]), "node": int(r["node"]),
                               "event": r["event"], "detail": _none_if_nan(r["detail"]) or ""}
                              for r in events.to_dict("records")]
    timeline["outages"] = _outages(folder, meta["central"])

    message_list, sampled, picks = _messages(messages, max_messages)
    legs = _legs(journeys)
    journey_map = _journeys(legs, messages, requests, node_of_key, client_place,
                            {m["id"] for m in message_list}) if messages is not None else {}

    return {
        "name": folder.name,
        "meta": meta,
        "summary": _summary(folder),
        "nodes": nodes,
        "clients": clients,
        "servers": servers,
        "timeline": timeline,
        "messages": message_list,
        "sampled": sampled,
        "picks": picks,
        "journeys": journey_map,
        "observations": _observations(observations, legs, hosts, messages, meta["central"]),
        "operator_log": _operator_log(operator_log),
        "swarms": _swarm_snapshots(swarms),
    }


def _outages(folder: Path, central: bool) -> list[dict]:
    """The scenario's outage window: a correlated failure (churn.outage_*) in a Session run, the
    operator unreachable (central.outage_*) in a centralized one."""
    if not (folder / "config.toml").exists():
        return []
    import tomllib
    config = tomllib.loads((folder / "config.toml").read_text())
    if central:
        c = config.get("central", {})
        at, duration = c.get("outage_at_s"), c.get("outage_duration_s", 0)
        what = "the operator unreachable"
    else:
        c = config.get("churn", {})
        at, duration = c.get("outage_at_s"), c.get("outage_duration_s", 0)
        group = c.get("outage_group", "")
        if not group:
            return []
        what = f"{group}: {c.get('outage_fraction', 0):.0%} of its nodes down"
    if at is None or not duration:
        return []
    return [{"start_s": float(at), "end_s": float(at) + float(duration), "what": what}]


def _messages(messages: pd.DataFrame | None, limit: int):
    if messages is None or not len(messages):
        return [], {"messages": {"kept": 0, "of": 0, "rule": "all"}}, \
            {"slowest": None, "lost": None, "first": None}
    m = messages.copy()
    m["delay_ms"] = (m["delivered_s"] - m["sent_s"]) * 1000
    delivered = m.dropna(subset=["delay_ms"])
    slowest = int(delivered.loc[delivered["delay_ms"].idxmax(), "id"]) if len(delivered) else None
    lost_rows = m[m["fate"].astype(str).str.startswith("lost")] if "fate" in m else m.iloc[0:0]
    if not len(lost_rows):
        lost_rows = m[m["status"] == "failed"]
    lost = int(lost_rows["id"].iloc[0]) if len(lost_rows) else None
    first = int(m["id"].iloc[0])
    rule = "all"
    if len(m) > limit:
        # Every k-th message by id, plus the picks: an even spread in time keeps the timeline's
        # shape, and the quick picks always have their journey.
        step = math.ceil(len(m) / limit)
        keep = set(m["id"].iloc[::step].astype(int)) | {x for x in (slowest, lost, first) if x is not None}
        m = m[m["id"].isin(keep)]
        rule = f"every {step}th message by id, and the slowest, the first and a lost one"
    rows = []
    for r in m.to_dict("records"):
        rows.append({"id": int(r["id"]), "sent_s": _none_if_nan(r["sent_s"]),
                     "stored_s": _none_if_nan(r["stored_s"]),
                     "delivered_s": _none_if_nan(r["delivered_s"]),
                     "sender": int(r["sender"]), "recipient": int(r["recipient"]),
                     "status": r["status"], "fate": _none_if_nan(r.get("fate")) or "",
                     "delay_ms": None if _none_if_nan(r["delay_ms"]) is None
                     else round(float(r["delay_ms"]), 3)})
    return rows, {"messages": {"kept": len(rows), "of": int(len(messages)), "rule": rule}}, \
        {"slowest": slowest, "lost": lost, "first": first}


def _legs(journeys) -> dict:
    """journeys.csv as {(message, leg): [(node, time_s, outcome), ...] in step order}: one pass
    over the table (grouping it with pandas, one frame per message, is 20 times slower)."""
    legs = defaultdict(list)
    if journeys is None:
        return legs
    ordered = journeys.sort_values(["message", "leg", "step"], kind="stable")
    for message, leg, node, time_s, outcome in zip(
            ordered["message"].to_numpy(), ordered["leg"].to_numpy(), ordered["node"].to_numpy(),
            ordered["time_s"].to_numpy(), ordered["outcome"].to_numpy()):
        legs[(int(message), leg)].append((int(node), float(time_s), outcome))
    return legs


def _journeys(legs, messages, requests, node_of_key, client_place, kept) -> dict:
    if not legs or messages is None:
        return {}
    msg = {int(r["id"]): r for r in messages[messages["id"].isin(kept)].to_dict("records")}
    # The requests.csv rows of the kept messages' store requests and delivering polls.
    wanted = pd.concat([
        pd.DataFrame({"client": messages["sender"], "request_id": messages["store_request"]}),
        pd.DataFrame({"client": messages["recipient"], "request_id": messages["poll_request"]}),
    ]).dropna().astype("int64") if "store_request" in messages else None
    by_request = {}
    if requests is not None and wanted is not None:
        rows = requests.merge(wanted.drop_duplicates(), on=["client", "request_id"])
        by_request = {(int(r["client"]), int(r["request_id"])): r for r in rows.to_dict("records")}
    out = {}
    for message in sorted(msg):
        m = msg[message]
        if not any((message, leg) in legs for leg in ("store", "replica", "poll")):
            continue

        def request(leg: str, client: int, column: str):
            if (message, leg) not in legs:
                return None
            hops = [{"node": n, "time_s": t, "outcome": o} for n, t, o in legs[(message, leg)]]
            req_id = _none_if_nan(m.get(column))
            row = by_request.get((client, int(req_id))) if req_id is not None else None
            result = {"client": client, "request_id": None if req_id is None else int(req_id),
                      "hops": hops}
            if row is not None:
                result.update({"start_s": float(row["start_s"]), "end_s": float(row["end_s"]),
                               "status": int(row["status"]),
                               "guard": node_of_key.get(row["guard"]),
                               "destination": node_of_key.get(row["destination"])})
            return result

        sender, recipient = int(m["sender"]), int(m["recipient"])
        sender_place = client_place.get(sender, (None, None, ""))
        recipient_place = client_place.get(recipient, (None, None, ""))
        out[str(message)] = {
            "store": request("store", sender, "store_request"),
            "replicas": [{"node": n, "time_s": t} for n, t, _ in legs.get((message, "replica"), [])],
            "poll": request("poll", recipient, "poll_request"),
            "sender_lat": sender_place[0], "sender_lon": sender_place[1],
            "recipient_lat": recipient_place[0], "recipient_lon": recipient_place[1],
        }
    return out


def _sample_size(nodes: int) -> int:
    return max(3, min(SAMPLE_LAYERS, SAMPLE_LAYERS_TOTAL // max(1, nodes)))


def _observations(observations, legs, hosts, messages, central: bool) -> dict:
    """What each node saw: observations.csv when the run had an adversary (its nodes' every
    layer), else the traced journeys' layers (every node, but only the traced requests). The
    counts are exact; the layers listed are each node's first few."""
    if central:
        return {"nodes": {}, "adversary": False, "source": "none"}
    messages_by_id = {} if messages is None else {
        int(i): {"sender": int(snd), "recipient": int(rcp)}
        for i, snd, rcp in zip(messages["id"], messages["sender"], messages["recipient"])}
    client_of_ip = {}
    node_of_ip = {}
    for r in hosts.to_dict("records"):
        (node_of_ip if r["role"] == "service_node" else client_of_ip)[r["ipv4"]] = int(r["index"])
    nodes = {}
    if legs:
        # Each traced layer as its node had it: the guard sees the client's address, a relay
        # the node before and the node after, the destination the storage request in clear
        # (the method, and the account: the recipient's for a store, the poller's own for a poll).
        layers = defaultdict(list)
        for (message, leg), rows in legs.items():
            if leg == "replica":
                continue
            m = messages_by_id.get(message, {})
            client = m.get("sender") if leg == "store" else m.get("recipient")
            for i, (node, time_s, outcome) in enumerate(rows):
                last = outcome in ("executed", "to_server")
                layers[node].append({
                    "time_s": time_s,
                    "from": f"client {client}" if i == 0 else f"node {rows[i - 1][0]}",
                    "outcome": outcome,
                    "next": f"node {rows[i + 1][0]}" if i + 1 < len(rows) else "",
                    "method": ("store" if leg == "store" else "retrieve") if last else "",
                    "account": f"client {m.get('recipient')}'s account" if last else "",
                    "message": message, "leg": leg, "guard": i == 0, "destination": last})
        per_node = _sample_size(len(layers))
        for node in sorted(layers):
            rows = sorted(layers[node], key=lambda r: r["time_s"])
            guard = sum(r["guard"] for r in rows)
            destination = sum(r["destination"] and not r["guard"] for r in rows)
            nodes[str(node)] = {
                "source": "journeys.csv", "layers": len(rows), "as_guard": guard,
                "as_relay": len(rows) - guard - destination,
                "as_destination": destination,
                "clients_seen": len({r["from"] for r in rows if r["guard"]}),
                "accounts_seen": len({r["account"] for r in rows if r["account"]}),
                "sample": [{k: v for k, v in r.items() if k not in ("guard", "destination")}
                           for r in rows[:per_node]]}
    if observations is not None and len(observations):
        per_node = _sample_size(observations["observer"].nunique())
        for node, rows in observations.groupby("observer", sort=True):
            guard = rows["from_client"] == 1
            destination = rows["outcome"].isin(["executed", "to_server"]) & ~guard
            sample = []
            for r in rows.head(per_node).to_dict("records"):
                ip = r["from_ip"]
                source = (f"client {client_of_ip[ip]}" if ip in client_of_ip
                          else f"node {node_of_ip[ip]}" if ip in node_of_ip else str(ip))
                nxt = _none_if_nan(r.get("next_node"))
                sample.append({"time_s": float(r["time_s"]), "from": source,
                               "outcome": r["outcome"],
                               "next": "" if nxt is None else f"node {int(nxt)}",
                               "method": _none_if_nan(r.get("method")) or "",
                               "account": (_none_if_nan(r.get("account")) or "")[:16]})
            accounts = rows["account"].dropna() if "account" in rows else []
            nodes[str(int(node))] = {
                "source": "observations.csv", "layers": int(len(rows)), "as_guard": int(guard.sum()),
                "as_relay": int((~guard & ~destination).sum()),
                "as_destination": int(destination.sum()),
                "clients_seen": int(rows.loc[rows["from_client"] == 1, "from_ip"].nunique()),
                "accounts_seen": int(pd.Series(accounts).nunique()),
                "sample": sample}
        # The adversary's nodes show what they logged; the others keep what the traced requests
        # showed them.
        return {"nodes": nodes, "adversary": True, "source": "observations.csv"}
    return {"nodes": nodes, "adversary": False, "source": "journeys.csv"}


def _operator_log(log) -> dict | None:
    if log is None:
        return None
    rows = log.head(MAX_OPERATOR_ROWS).to_dict("records")
    return {"rows": int(len(log)), "columns": list(log.columns),
            "sample": [{k: _none_if_nan(v) for k, v in r.items()} for r in rows]}


def _swarm_snapshots(swarms) -> list[dict]:
    """The swarms at the first view and after each change (swarms.csv lists the changes)."""
    if swarms is None or not len(swarms):
        return []
    current: dict[int, str] = {}
    snapshots = []
    for (time_s, height), rows in swarms.groupby(["time_s", "height"], sort=True):
        before = dict(current)
        moved, left = [], []
        for node, swarm in zip(rows["node"], rows["swarm"]):
            node = int(node)
            swarm = swarm if isinstance(swarm, str) and swarm else None
            if node in before and swarm is not None:
                moved.append([node, before[node], swarm])
            if swarm is None:
                current.pop(node, None)
                if node in before:
                    left.append(node)
            else:
                current[node] = swarm
        ids_before, ids_now = set(before.values()), set(current.values())
        members = defaultdict(list)
        for node, swarm in sorted(current.items()):
            members[swarm].append(node)
        snapshots.append({
            "time_s": float(time_s), "height": int(height),
            "swarms": [{"id": s, "members": members[s]} for s in sorted(members, key=int)],
            "changes": {"created": sorted(ids_now - ids_before, key=int) if before else [],
                        "dissolved": sorted(ids_before - ids_now, key=int),
                        "moved": moved, "left": left}})
    return snapshots


def build_bundle(folders, shared_dir: Path, max_messages: int = MAX_MESSAGES) -> dict:
    places = Places(shared_dir)
    return {"format": FORMAT, "runs": [build_run(Path(f), places, max_messages) for f in folders]}
