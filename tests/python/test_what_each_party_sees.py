"""analysis/what_each_party_sees.py on hand-made records: the chain is joined link by link."""
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("weps", ROOT / "analysis/what_each_party_sees.py")
weps = importlib.util.module_from_spec(spec)
spec.loader.exec_module(weps)

HOSTS = """host,role,index,ipv4,country,provider,adversary
0,service_node,0,10.0.0.1,DE,Hetzner,1
1,service_node,1,10.0.1.1,FR,OVH,1
2,service_node,2,10.0.2.1,US,AWS,1
3,service_node,3,10.0.3.1,SG,Vultr,1
4,client,0,20.0.0.1,DE,isp-DE,0
5,client,1,20.0.1.1,GB,isp-GB,0
"""
HEADER = ("time_s,observer,from_ip,request_id,from_client,outcome,next_node,forwarded_as,"
          "method,account,namespace,layer_bytes\n")
# Client 0 stores for client 1: guard 0 -> 1 -> 2 -> destination 3. A decoy layer at node 1
# carries the same link id but arrives from another address and must not be joined.
OBS = HEADER + """10.0,0,20.0.0.1,5,1,forwarded,1,7,,,,900
10.1,1,10.0.3.1,7,0,forwarded,2,1,,,,700
10.1,1,10.0.0.1,7,0,forwarded,2,9,,,,700
10.2,2,10.0.1.1,9,0,forwarded,3,4,,,,500
10.3,3,10.0.2.1,4,0,executed,,,store,05bob,,300
"""
MESSAGES = ("id,sent_s,stored_s,delivered_s,sender,recipient,bytes,hops,status,fate,"
            "recipient_swarm,swarm_up_at_store\n0,9.9,10.5,,0,1,100,3,stored,pending,1,4\n")


def folder(tmp_path, obs=OBS):
    (tmp_path / "hosts.csv").write_text(HOSTS)
    (tmp_path / "observations.csv").write_text(obs)
    (tmp_path / "messages.csv").write_text(MESSAGES)
    return tmp_path


def test_the_store_is_followed_link_by_link(tmp_path):
    text = weps.page(folder(tmp_path))
    assert "| guard | node 0 (Hetzner, DE, 10.0.0.1) | client 0 (20.0.0.1) | the next hop: node 1" in text
    assert "| relay 1 | node 1 (OVH, FR, 10.0.1.1) | node 0 (10.0.0.1) |" in text
    assert "node 3 -- a member of the recipient's swarm" in text
    assert "`store` for account client 1 (the recipient)" in text
    assert "| node 3 (10.0.3.1) |" not in text  # the decoy layer (from node 3) was not joined


def test_without_every_node_observed_it_says_so(tmp_path):
    broken = "\n".join(OBS.splitlines()[:-1]) + "\n"  # the destination was not observed
    with pytest.raises(SystemExit, match="adversary.fraction = 1"):
        weps.page(folder(tmp_path, broken))


def test_central_section_names_what_the_operator_logged(tmp_path):
    central = tmp_path / "central"
    central.mkdir()
    (central / "hosts.csv").write_text(
        "host,role,index,ipv4,country,provider,adversary\n"
        "0,datacentre,0,30.0.0.1,US,operator,0\n1,client,0,20.0.0.1,DE,isp-DE,0\n"
        "2,client,1,20.0.1.1,GB,isp-GB,0\n")
    (central / "messages.csv").write_text(MESSAGES)
    (central / "operator_log.csv").write_text(
        "time_s,datacentre,sender_ip,sender,recipient,id,bytes\n"
        "9.95,0,20.0.0.1,05alice0123456789,05bob0123456789,1,420\n")
    text = "\n".join(weps.central_section(central, 0, 0, 1))
    assert "sender client 0's address 20.0.0.1" in text
    assert "recipient client 1's account `05bob0123456…`" in text
    assert "420 bytes" in text
    with pytest.raises(SystemExit):
        weps.central_section(central, 0, 1, 0)  # not the same message
