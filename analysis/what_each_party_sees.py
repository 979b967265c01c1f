#!/usr/bin/python3
"""What each party sees of one message: a teaching page generated from a run.

Usage: analysis/what_each_party_sees.py RESULTS_DIR [MESSAGE_ID] [--central CENTRAL_DIR] > page.md

RESULTS_DIR must come from a run where the adversary observes every node
(adversary.fraction = 1, as scenarios/what-each-party-sees.toml sets), so that each onion layer
of the message's requests is in observations.csv. Each layer is followed from the client's guard
to the destination through the link-local request ids (the id a node received the layer under,
and the one it forwarded it under), which is how the simulator knows which layers belong
together; no single node could do that join.

CENTRAL_DIR, a run of the same scenario with messenger = "central" (same clients, identities and
workload), adds what the centralized operator logged of the same message (operator_log.csv).
"""
import argparse
from pathlib import Path

import pandas as pd


def load(folder: Path):
    hosts = pd.read_csv(folder / "hosts.csv", keep_default_na=False)
    obs = pd.read_csv(folder / "observations.csv", keep_default_na=False,
                      dtype={"next_node": str, "forwarded_as": str, "account": str})
    messages = pd.read_csv(folder / "messages.csv", keep_default_na=False)
    return hosts, obs, messages


def chains(obs: pd.DataFrame, node_ip: dict, client_ip: str, since: float, until: float):
    """Every request the client sent in [since, until], as the list of its layers' rows."""
    by_link = {(int(r.observer), r.from_ip, int(r.request_id)): r for r in obs.itertuples()}
    out = []
    starts = obs[(obs.from_ip == client_ip) & (obs.from_client == 1) & (obs.time_s >= since)
                 & (obs.time_s <= until)]
    for first in starts.itertuples():
        hops, at = [first], first
        while at.next_node != "" and len(hops) < 32:
            at = by_link.get((int(at.next_node), node_ip[int(at.observer)], int(at.forwarded_as)))
            if at is None:
                break
            hops.append(at)
        if hops[-1].outcome == "executed":
            out.append(hops)
    return out


def describe(hosts: pd.DataFrame, index: int) -> str:
    h = hosts[(hosts.role == "service_node") & (hosts["index"] == index)].iloc[0]
    return f"node {index} ({h.provider}, {h.country}, {h.ipv4})"


def who_sent(hosts: pd.DataFrame, ip: str) -> str:
    h = hosts[hosts.ipv4 == ip]
    if h.empty:
        return ip
    h = h.iloc[0]
    return f"client {h['index']} ({ip})" if h.role == "client" else f"node {h['index']} ({ip})"


def table(hosts, request, account_names) -> list:
    rows = ["| hop | who | handed over by | learns | cannot see | layer bytes |",
            "|---|---|---|---|---|---|"]
    to_swarm = request[-1].method == "store" or "retrieve" in request[-1].method
    for i, hop in enumerate(request):
        last = i == len(request) - 1
        role = "guard" if i == 0 else ("destination" if last else f"relay {i}")
        if last:
            learns = (f"`{hop.method}` for account {account_names.get(hop.account, hop.account[:12] + '…')}")
            hidden = "who sent it (it came from a relay)"
        elif i == 0:
            learns = f"the next hop: node {hop.next_node}"
            hidden = "the account, the method, the destination"
        else:
            learns = f"the next hop: node {hop.next_node}" + (
                " -- a member of the recipient's swarm" if to_swarm and i == len(request) - 2
                else "")
            hidden = "the client, the account"
        rows.append(f"| {role} | {describe(hosts, int(hop.observer))} | "
                    f"{who_sent(hosts, hop.from_ip)} | {learns} | {hidden} | {hop.layer_bytes} |")
    return rows


def page(folder: Path, message_id: int = 0) -> str:
    hosts, obs, messages = load(folder)
    m = messages[messages.id == message_id].iloc[0]
    clients = hosts[hosts.role == "client"]
    node_ip = {int(r["index"]): r.ipv4 for _, r in hosts[hosts.role == "service_node"].iterrows()}
    sender_ip = clients[clients["index"] == m.sender].iloc[0].ipv4
    recipient_ip = clients[clients["index"] == m.recipient].iloc[0].ipv4
    sent = chains(obs, node_ip, sender_ip, m.sent_s, float(m.stored_s or m.sent_s + 60))
    stores = [c for c in sent if c[-1].method == "store"]
    lookups = [c for c in sent if c[-1].method == "get_swarm"]
    if not stores:
        raise SystemExit(f"{folder}: message {message_id}'s store is not in observations.csv "
                         "(was every node observed? adversary.fraction = 1)")
    recipient_account = stores[0][-1].account
    names = {recipient_account: f"client {m.recipient} (the recipient)"}
    # The poll that fetched it may have left before the sender heard back from the store.
    fetched = chains(obs, node_ip, recipient_ip, float(m.sent_s), float(m.delivered_s or 1e12))
    retrieves = [c for c in fetched if "retrieve" in c[-1].method
                 and c[-1].account == recipient_account]
    lines = [
        "# What each party sees: one message, hop by hop",
        "",
        f"Generated by `analysis/what_each_party_sees.py` from the run in `{folder}` "
        "(`sessionsim run scenarios/what-each-party-sees.toml`), message "
        f"{message_id}: client {m.sender} to client {m.recipient}, sent at {m.sent_s:.2f} s. "
        "Every row is what that node's storage server had in hand after decrypting its layer "
        "(the `HopObserved` trace of the real protocol code), nothing more.",
        "",
    ]
    if lookups:
        lines += ["## 1. The sender asks a random node for the recipient's swarm", "",
                  *table(hosts, lookups[-1], names), "",
                  "This lookup already names the recipient to a node outside its swarm.", ""]
    lines += ["## 2. The sender stores the message in the recipient's swarm", "",
              *table(hosts, stores[0], names), "",
              "The destination also copies the message to the other swarm members "
              "(not onion-routed: node to node).", ""]
    if retrieves:
        lines += ["## 3. The recipient polls its swarm and gets the message", "",
                  *table(hosts, retrieves[-1], names), ""]
    lines += [
        "## Who could link sender and recipient",
        "",
        "No single node sees both a client's address and an account: only the guard sees the "
        "address, only the destination the account. An adversary that runs both the sender's "
        "guard and the destination can try to join them by timing; `summary.json` "
        "(`adversary.linkage`) scores how well a timing correlator does, and "
        "`adversary.relationships` how many sender-recipient pairs it links. A passive observer "
        "of links (`adversary.links`: a client's ISP, a country, everything) sees addresses and "
        "timing but no layer's content: at best the sender's address and the destination node.",
        "",
    ]
    return "\n".join(lines)


def central_section(folder: Path, message_id: int, sender: int, recipient: int) -> list:
    """What the centralized operator logged of the same message (same workload, same ids)."""
    hosts = pd.read_csv(folder / "hosts.csv", keep_default_na=False)
    log = pd.read_csv(folder / "operator_log.csv", keep_default_na=False)
    messages = pd.read_csv(folder / "messages.csv", keep_default_na=False)
    m = messages[messages.id == message_id].iloc[0]
    if (int(m.sender), int(m.recipient)) != (sender, recipient):
        raise SystemExit(f"{folder}: message {message_id} is not the same message "
                         "(run the same scenario and seed with messenger = \"central\")")
    clients = hosts[hosts.role == "client"]
    sender_ip = clients[clients["index"] == sender].iloc[0].ipv4
    rows = log[(log.sender_ip == sender_ip) & (log.time_s >= m.sent_s)]
    if rows.empty:
        raise SystemExit(f"{folder}: message {message_id} is not in operator_log.csv")
    r = rows.iloc[0]
    dc = hosts[(hosts.role == "datacentre") & (hosts["index"] == int(r.datacentre))].iloc[0]
    return [
        "## The same message through a centralized messenger",
        "",
        f"From `{folder}` (`--set messenger=central`): the same clients, identities and "
        "workload, connected to one operator's data centres. The content is end-to-end "
        "encrypted as in Session, but the operator routes by account, so its log "
        "(`operator_log.csv`) holds, for this message:",
        "",
        "| who | learns |",
        "|---|---|",
        f"| the operator (data centre {r.datacentre}, {dc.country}) | at {r.time_s:.2f} s, "
        f"sender client {sender}'s address {r.sender_ip} and account `{r.sender[:12]}…`, "
        f"recipient client {recipient}'s account `{r.recipient[:12]}…`, "
        f"{r.bytes} bytes |",
        "",
        "It holds the same for every message: `summary.json`'s `operator` block scores its log "
        "against the truth (linkage rate 1, sender entropy 0, the whole social graph).",
        "",
    ]



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path)
    parser.add_argument("message_id", type=int, nargs="?", default=0)
    parser.add_argument("--central", type=Path, help="a central run of the same scenario")
    args = parser.parse_args()
    text = page(args.results, args.message_id)
    if args.central:
        messages = pd.read_csv(args.results / "messages.csv", keep_default_na=False)
        m = messages[messages.id == args.message_id].iloc[0]
        text += "\n" + "\n".join(
            central_section(args.central, args.message_id, int(m.sender), int(m.recipient)))
    print(text)


if __name__ == "__main__":
    main()
