"""Counts derived from the graph, checked against the guide's own figures and hand
counts (issue 2 item 9)."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from hvdesign.counts import summary
from hvdesign.spec import TIERS, design_from_tier
from hvdesign.topology import build_graph, nodes_of_kind
from tests.conftest import CLUSTER_TIERS, SINGLE_TIERS


def test_guide_six_connections_per_node_24_for_four_48_for_eight():
    # Guide, "Hyper-V Cluster, Redundant Path": "Each cluster node requires a minimum
    # of six network connections ... a four-node cluster will require 24 connections,
    # with an eight-node cluster requiring 48 connections".
    assert (
        summary(design_from_tier("cluster-redundant-path", nodes=4))["connections_per_host_total"]
        == 6
    )
    assert (
        summary(design_from_tier("cluster-redundant-path", nodes=4))["host_connections_total"] == 24
    )
    assert (
        summary(design_from_tier("cluster-redundant-path", nodes=8))["host_connections_total"] == 48
    )


def test_guide_minimal_cluster_three_connections_on_three_subnets():
    # Guide, "Hyper-V Cluster, Minimal Configuration": "at least three connections
    # that exist on three different subnets".
    s = summary(design_from_tier("cluster-minimal", nodes=2))
    assert s["connections_per_host_total"] == 3
    assert s["subnets_per_host"] == 3
    assert s["connections_per_host"] == {
        "production": 1,
        "storage": 1,
        "heartbeat": 1,
        "management": 0,
    }


def test_guide_single_server_tiers_have_four_connections():
    # Figs 2.8 and 2.9: production 2 (teamed) + storage 2 (MPIO/MCS).
    for tier in SINGLE_TIERS:
        s = summary(design_from_tier(tier))
        assert s["connections_per_host"] == {
            "production": 2,
            "storage": 2,
            "heartbeat": 0,
            "management": 0,
        }


def test_redundant_path_tiers_have_two_switches():
    for tier in ("single-redundant-path", "cluster-redundant-path"):
        assert summary(design_from_tier(tier))["switches"] == 2
    for tier in (
        "single-redundant-connections",
        "cluster-minimal",
        "cluster-redundant-connections",
    ):
        assert summary(design_from_tier(tier))["switches"] == 1


def test_switch_ports_hand_count():
    # cluster-redundant-path, 4 nodes. Switch A: per host p1, s1, h1 = 3, so 12,
    # + 1 SAN portal + 1 uplink + 1 ISL port = 15. Switch B: p2, s2, m1: the same.
    ports = summary(design_from_tier("cluster-redundant-path", nodes=4))["switch_ports"]
    assert ports["switch-a"] == {"host": 12, "san": 1, "uplink": 1, "isl": 1, "total": 15}
    assert ports["switch-b"] == {"host": 12, "san": 1, "uplink": 1, "isl": 1, "total": 15}
    # cluster-redundant-connections, 4 nodes, one switch: 24 host ports + 2 portals
    # + 1 uplink, no ISL = 27.
    one = summary(design_from_tier("cluster-redundant-connections", nodes=4))
    assert one["switch_ports"]["switch-a"]["total"] == 27


def test_switch_units_from_port_density():
    # 64 nodes x 6 connections on one switch = 384 host ports + 2 SAN + 1 uplink
    # = 387 ports: ceil(387 / 48) = 9 units of 48 ports.
    s = summary(design_from_tier("cluster-redundant-connections", nodes=64))
    assert s["switch_ports"]["switch-a"]["total"] == 387
    assert s["switch_units"]["switch-a"] == math.ceil(387 / 48) == 9


def test_ip_addresses_hand_count():
    # cluster-redundant-path, 4 nodes: production team = 1 per host (4); management
    # 4 + cluster name = 5; heartbeat 4; storage: 8 MPIO connections + 2 portals = 10.
    s = summary(design_from_tier("cluster-redundant-path", nodes=4))
    assert s["ip_addresses"] == {"production": 4, "storage": 10, "heartbeat": 4, "management": 5}
    # The minimal cluster has no management network: the cluster name goes on
    # production (4 + 1).
    m = summary(design_from_tier("cluster-minimal", nodes=4))
    assert m["ip_addresses"]["production"] == 5


def test_teamed_storage_exposes_one_address_per_host():
    # A team sits below TCP/IP and exposes one address; MPIO needs one per connection.
    team = summary(
        design_from_tier("cluster-redundant-connections", nodes=4, storage_multipath="team")
    )
    assert team["ip_addresses"]["storage"] == 4 + 2
    assert team["ip_addresses_by_subnet"] == {
        "production": 4,
        "management": 5,
        "heartbeat": 4,
        "storage": 6,
    }


@settings(max_examples=80, deadline=None)
@given(tier=st.sampled_from(list(TIERS)), data=st.data())
def test_every_preset_at_every_node_count_counts_consistently(tier, data):
    cluster = TIERS[tier].preset["cluster"]
    nodes = data.draw(st.integers(2 if cluster else 1, 64))
    portals = data.draw(st.integers(1, 4))
    uplinks = data.draw(st.integers(0, 3))
    d = design_from_tier(tier, nodes=nodes, san_portals=portals, uplinks_per_switch=uplinks)
    G = build_graph(d)
    s = summary(d, G)
    per_host = sum(s["connections_per_host"].values())
    assert s["host_connections_total"] == per_host * nodes
    assert sum(p["host"] for p in s["switch_ports"].values()) == s["host_connections_total"]
    assert sum(p["san"] for p in s["switch_ports"].values()) == portals
    assert sum(p["uplink"] for p in s["switch_ports"].values()) == uplinks * d.switches
    assert sum(p["isl"] for p in s["switch_ports"].values()) == 2 * d.isl_links
    # The guide: every MPIO/MCS connection has its own address, each portal one.
    assert s["ip_addresses"]["storage"] == (s["connections_per_host"]["storage"] * nodes + portals)
    assert len(nodes_of_kind(G, "host")) == nodes
    assert s["switches"] == (2 if "redundant-path" in tier else 1)


def test_clusters_have_heartbeat_single_servers_do_not():
    for tier in CLUSTER_TIERS:
        assert summary(design_from_tier(tier))["connections_per_host"]["heartbeat"] == 1
    for tier in SINGLE_TIERS:
        assert summary(design_from_tier(tier))["connections_per_host"]["heartbeat"] == 0
