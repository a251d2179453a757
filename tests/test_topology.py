"""The design graph (hvdesign.topology): node kinds and counts of the guide's tiers,
counted by hand from the tier presets (presets.TIERS and COMMON_DEFAULTS: 2 ports per
NIC card, 2 SAN portals, 1 uplink per switch, 1 ISL between two switches), and the
cache that builds each design's graph once."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pytest

from hvdesign import counts, plans, topology
from hvdesign.availability import availability
from hvdesign.failures import analyse
from hvdesign.spec import design_from_tier


def kinds(G: nx.Graph) -> Counter:
    return Counter(k for _, k in G.nodes(data="kind"))


@pytest.mark.parametrize(
    "tier, nodes, expected",
    [
        # Fig 2.12, 4 nodes: 6 connections per host (p1 s1 h1 m1 p2 s2) -> 24 NICs on
        # 3 two-port cards -> 12 cards; 2 switches, 1 uplink each, 1 ISL; 2 portals.
        (
            "cluster-redundant-path",
            4,
            dict(host=4, nic_card=12, nic=24, switch=2, uplink=2, isl=1, san_port=2, san=1),
        ),
        # Fig 2.10, 2 nodes: p1 s1 h1 = 3 NICs per host on 2 cards; one switch, no ISL.
        (
            "cluster-minimal",
            2,
            dict(host=2, nic_card=4, nic=6, switch=1, uplink=1, isl=0, san_port=2, san=1),
        ),
        # Fig 2.11, 2 nodes: 6 NICs per host on 3 cards, one switch.
        (
            "cluster-redundant-connections",
            2,
            dict(host=2, nic_card=6, nic=12, switch=1, uplink=1, isl=0, san_port=2, san=1),
        ),
        # Fig 2.8: one host, p1 s1 p2 s2 on 2 cards, one switch.
        (
            "single-redundant-connections",
            1,
            dict(host=1, nic_card=2, nic=4, switch=1, uplink=1, isl=0, san_port=2, san=1),
        ),
        # Fig 2.9: the same host on two switches joined by one ISL.
        (
            "single-redundant-path",
            1,
            dict(host=1, nic_card=2, nic=4, switch=2, uplink=2, isl=1, san_port=2, san=1),
        ),
    ],
)
def test_node_kinds_and_counts_by_hand(tier, nodes, expected):
    G = topology.build_graph(design_from_tier(tier, nodes=nodes))
    assert kinds(G) == Counter({**{k: v for k, v in expected.items() if v}, "core": 1})
    # Edges by hand: host-card, card-NIC, NIC-switch, SAN-portal, portal-switch,
    # switch-uplink, uplink-core, and two per ISL.
    e = expected
    edges = e["nic_card"] + 2 * e["nic"] + 2 * e["san_port"] + 2 * e["uplink"] + 2 * e["isl"]
    assert G.number_of_edges() == edges
    cables = sum(1 for *_, c in G.edges(data="cable") if c)
    assert cables == edges - e["nic_card"] - e["nic"] - e["san_port"]


def test_graph_is_cached_and_frozen():
    d = design_from_tier("cluster-redundant-path", nodes=4)
    G = topology.build_graph(d)
    assert topology.build_graph(design_from_tier("cluster-redundant-path", nodes=4)) is G
    assert nx.is_frozen(G)
    with pytest.raises(nx.NetworkXError):
        G.add_node("intruder")
    H = G.copy()  # a caller that needs to change it takes a copy
    H.add_node("intruder")
    assert "intruder" not in G
    assert topology.build_graph(design_from_tier("cluster-redundant-path", nodes=5)) is not G


def test_one_graph_construction_per_report(monkeypatch):
    # One report's worth of calls on one design builds its graph once.
    built = []
    construct = topology._construct

    def counting(design):
        built.append(design.nodes)
        return construct(design)

    monkeypatch.setattr(topology, "_construct", counting)
    topology._GRAPHS.clear()
    d = design_from_tier("cluster-redundant-path", nodes=6)
    counts.summary(d)
    plans.ip_plan(d)
    plans.cabling_plan(d)
    analyse(d, double=True, expand=False)
    analyse(design_from_tier("cluster-redundant-path", nodes=6), method="bruteforce")
    availability(d)
    assert built == [6]
