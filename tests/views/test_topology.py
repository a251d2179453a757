"""Tests of the figures (hvdesign.views.topology), the count tables (hvdesign.views.tables) and the
tier explorer (hvdesign.widgets.tiers).

Expected numbers come from the design graph itself (cables counted on the graph, not
constants) or from the guide's figures (Fig 2.12: 6 connections per node, 24 for
four nodes, 48 for eight).
"""

from __future__ import annotations

import json
import math

import pytest

from hvdesign.counts import summary
from hvdesign.errors import HvdesignError
from hvdesign.spec import CLASS_HEX, TIERS, design_from_tier
from hvdesign.topology import build_graph
from hvdesign.views.tables import counts_tables, scaling_table, valid_node_counts
from hvdesign.views.topology import (
    CABLE_CLASSES,
    FAILED_HEX,
    TOPOLOGY_TRACES,
    failed_components,
    scaling_figure,
    topology_figure,
)

#: Designs drawn: every preset at small and large node counts, and option variants
#: that change the number of portals, uplinks, ISLs and cards.
CASES = [
    (tier, {"nodes": n})
    for tier in TIERS
    for n in ((1, 3) if tier.startswith("single") else (2, 16))
] + [
    ("cluster-redundant-path", {"nodes": 5, "san_portals": 3, "uplinks_per_switch": 2}),
    ("cluster-redundant-path", {"nodes": 3, "isl_links": 2, "nic_ports_per_card": 4}),
    ("single-redundant-path", {"nodes": 1, "cross_switch_teaming": False}),
    ("cluster-redundant-connections", {"nodes": 4, "uplinks_per_switch": 0}),
    ("cluster-minimal", {"nodes": 2, "storage_multipath": "team", "storage_connections": 2}),
]


def _trace(fig, name):
    (trace,) = [t for t in fig.data if t.name == name]
    return trace


def _line_trace(fig, group):
    """The cable trace of a class (or of failed cables): lines, not hover points."""
    (trace,) = [t for t in fig.data if t.legendgroup == group and t.mode == "lines"]
    return trace


def _segments(trace) -> int:
    """Line segments of a trace: each segment is two points and a gap (NaN/None)."""
    xs = list(trace.x)
    gaps = sum(1 for x in xs if x is None or (isinstance(x, float) and math.isnan(x)))
    assert len(xs) == 3 * gaps
    return gaps


def _cables_by_class(G) -> dict[str, int]:
    counts = dict.fromkeys(CABLE_CLASSES, 0)
    for _, _, d in G.edges(data=True):
        if d.get("cable"):
            counts[d["traffic_class"]] += 1
    return counts


def _drawn_by_class(G) -> dict[str, int]:
    """Lines per class the figure draws: every cable below 16 hosts; from 16 on the
    cables of the first 3 hosts and of the rest of the design, and ONE bundle per
    (class, switch) of the other hosts' NIC ports (issue 14 item 5)."""
    hosts = [n for n, k in G.nodes(data="kind") if k == "host"]
    if len(hosts) < 16:
        return _cables_by_class(G)
    grouped = set(hosts[3:])
    counts = dict.fromkeys(CABLE_CLASSES, 0)
    bundles = set()
    for u, v, d in G.edges(data=True):
        if not d.get("cable"):
            continue
        nic = u if G.nodes[u]["kind"] == "nic" else v if G.nodes[v]["kind"] == "nic" else None
        if nic is not None and G.nodes[nic]["host"] in grouped:
            bundles.add((d["traffic_class"], G.nodes[nic]["switch"]))
        else:
            counts[d["traffic_class"]] += 1
    for cls, _ in bundles:
        counts[cls] += 1
    return counts


@pytest.mark.parametrize("tier, options", CASES)
def test_legend_has_one_trace_per_class_present_in_the_guide_colour(tier, options):
    design = design_from_tier(tier, **options)
    G = build_graph(design)
    fig = topology_figure(design, G)
    present = {c for c, n in _cables_by_class(G).items() if n}
    legend = [t for t in fig.data if t.showlegend]
    assert sorted(t.legendgroup for t in legend) == sorted(present)
    for t in legend:
        assert t.line.color == CLASS_HEX[t.legendgroup]  # guide Fig 2.7


@pytest.mark.parametrize("tier, options", CASES)
def test_segments_of_each_class_equal_the_graph_cables(tier, options):
    design = design_from_tier(tier, **options)
    G = build_graph(design)
    fig = topology_figure(design, G)
    # the same traces for every design, so the explorer can update them in place
    assert tuple(t.name for t in fig.data) == TOPOLOGY_TRACES
    for cls, n in _drawn_by_class(G).items():
        assert _segments(_line_trace(fig, cls)) == n, cls
        hover = [t for t in fig.data if t.legendgroup == cls and t.mode == "markers"]
        assert len(hover[0].x) == n  # one hover point per cable (or bundle)
    assert _segments(_line_trace(fig, "failed")) == 0


def test_guide_fig_2_12_counts_on_the_figure():
    """Fig 2.12: six connections per node, 24 for four nodes."""
    fig = topology_figure(design_from_tier("cluster-redundant-path", nodes=4))
    assert len(_trace(fig, "nic ports").x) == 24
    host_cables = sum(
        _segments(_line_trace(fig, c)) for c in ("production", "storage", "heartbeat", "management")
    )
    # 24 host cables + 2 portal cables (storage) + 2 x 2 uplink cable halves (production)
    assert host_cables == 24 + 2 + 4


@pytest.mark.parametrize(
    "failed",
    [["host1-card1"], ["host2"], ["switch-b"], ["san"], ["uplink-a1", "isl1"], ["host3-s2"]],
)
def test_failed_components_are_greyed(failed):
    design = design_from_tier("cluster-redundant-path", nodes=4)
    G = build_graph(design)
    fig = topology_figure(design, G, failed=failed)
    # What goes down, from the graph: the named nodes and what they contain.
    down = set(failed)
    for name in failed:
        kind = G.nodes[name]["kind"]
        if kind == "host":
            cards = [m for m in G.neighbors(name) if G.nodes[m]["kind"] == "nic_card"]
            down |= set(cards) | {n for c in cards for n in G.neighbors(c) if n != name}
        if kind == "nic_card":
            down |= {n for n in G.neighbors(name) if G.nodes[n]["kind"] == "nic"}
        if kind == "san":
            down |= set(G.neighbors(name))
    assert failed_components(G, failed) == down
    touching = sum(1 for u, v, d in G.edges(data=True) if d.get("cable") and {u, v} & down)
    failed_lines = _line_trace(fig, "failed")
    assert _segments(failed_lines) == touching > 0
    assert failed_lines.line.color == FAILED_HEX and failed_lines.line.dash == "dash"
    total = sum(_cables_by_class(G).values())
    assert sum(_segments(_line_trace(fig, c)) for c in CABLE_CLASSES) == total - touching
    nic = _trace(fig, "nic ports")
    nic_names = [n for n, k in G.nodes(data="kind") if k == "nic"]
    for name, colour in zip(nic_names, nic.marker.color, strict=True):
        expected = FAILED_HEX if name in down else CLASS_HEX[G.nodes[name]["traffic_class"]]
        assert colour == expected, name
    marks = _trace(fig, "failed component")
    assert len(marks.x) == len(failed) and marks.showlegend
    assert "x" in marks.marker.symbol
    assert "failed: " + ", ".join(failed) in fig.layout.title.text


@pytest.mark.parametrize("bad", ["host99", "core", "host1-card1-x"])
def test_failing_an_unknown_or_unfailable_component_is_an_error(bad):
    with pytest.raises(HvdesignError, match="failed"):
        topology_figure(design_from_tier("cluster-minimal", nodes=2), failed=[bad])


def test_user_text_is_escaped_in_the_figure():
    evil = "<script>alert(1)</script>"
    design = design_from_tier("cluster-minimal", nodes=2, name=evil)
    for fig in (topology_figure(design), topology_figure(design, title=evil)):
        text = fig.to_json()
        assert "<script>" not in text
        assert (
            "&lt;script&gt;alert(1)&lt;/script&gt;" in json.loads(text)["layout"]["title"]["text"]
        )


@pytest.mark.parametrize("metric", ["host_connections_total", "switch_ports_total"])
def test_scaling_figure_matches_summary(metric):
    nodes = range(1, 9)
    fig = scaling_figure(nodes, metric=metric)
    assert len(fig.data) == len(TIERS)
    for trace, (tier, info) in zip(fig.data, TIERS.items(), strict=True):
        assert info.title in trace.name
        assert list(trace.x) == valid_node_counts(tier, nodes)
        assert list(trace.x)[0] == (2 if info.preset["cluster"] else 1)
        expected = [summary(design_from_tier(tier, nodes=n))[metric] for n in trace.x]
        assert list(trace.y) == expected
    unit = {"host_connections_total": "[connections]", "switch_ports_total": "[switch ports]"}
    assert unit[metric] in fig.layout.yaxis.title.text


def test_scaling_figure_guide_figures_and_bad_metric():
    fig = scaling_figure(range(1, 9))
    crp = dict(zip(fig.data[4].x, fig.data[4].y, strict=True))
    assert (crp[4], crp[8]) == (24, 48)  # guide, Fig 2.12
    with pytest.raises(HvdesignError, match="metric"):
        scaling_figure(metric="cost")


def test_scaling_rows_respect_the_windows_version_node_limit():
    # Failover clusters of Windows Server 2008 R2 have at most 16 nodes, of 2012 and
    # later 64 (Microsoft's failover clustering limits; domain.md section 1).
    old = scaling_table(range(1, 33), {"windows_version": "2008 R2"})
    assert not old.empty and old["nodes"].max() == 16
    assert not (old["nodes"] > 16).any()
    for tier in TIERS:
        low = 1 if tier.startswith("single") else 2
        assert sorted(old.loc[old["tier"] == tier, "nodes"]) == list(range(low, 17))
    new = scaling_table(range(1, 33), {"windows_version": "2019"})
    assert new["nodes"].max() == 32
    fig = scaling_figure(range(1, 33), options={"windows_version": "2008 R2"})
    assert all(max(t.x) == 16 for t in fig.data)
    assert valid_node_counts("cluster-minimal", [2, 16, 17, 64], "2008 R2") == [2, 16]


def test_topology_reexports_the_one_containment_rule():
    import hvdesign.scenarios
    import hvdesign.views.topology

    assert hvdesign.views.topology.failed_components is hvdesign.scenarios.failed_components


def test_counts_tables_guide_figures():
    tables = counts_tables(design_from_tier("cluster-redundant-path", nodes=8))
    conn = tables["Connections per host"]
    total = conn[conn["traffic class"] == "total"].iloc[0]
    assert (total["per host [connections]"], total["all 8 hosts [connections]"]) == (6, 48)
    ports = tables["Switch ports per switch"]
    s = summary(design_from_tier("cluster-redundant-path", nodes=8))
    assert ports["total [ports]"].iloc[-1] == s["switch_ports_total"]
    ips = tables["IP addresses per subnet"]
    assert ips["addresses [IPv4]"].iloc[-1] == sum(s["ip_addresses_by_subnet"].values())


# ----------------------------------------------------------------------- widget


def test_explorer_builds_and_the_node_slider_updates_the_figure():
    from hvdesign.widgets.tiers import tier_explorer

    ex = tier_explorer("cluster-redundant-path", nodes=4)
    fig = ex.topology
    assert ex.message.value == ""
    assert len(_trace(fig, "nic ports").x) == 4 * 6
    before = list(_trace(fig, "labels").hovertext)
    ex.controls["nodes"].value = 7
    assert ex.design.nodes == 7
    assert len(_trace(fig, "nic ports").x) == 7 * 6  # the same FigureWidget, updated
    assert list(_trace(fig, "labels").hovertext) != before
    G = build_graph(ex.design)
    for cls, n in _cables_by_class(G).items():
        assert _segments(_line_trace(fig, cls)) == n
    assert "all 7 hosts" in ex.tables.value
    ring = ex.scaling["host_connections_total"].data[-1]
    assert (list(ring.x), list(ring.y)) == ([7], [42])


def test_explorer_slider_respects_tier_and_windows_version():
    from hvdesign.widgets.tiers import tier_explorer

    ex = tier_explorer("single-redundant-connections", nodes=1)
    assert ex.controls["nodes"].min == 1
    ex.controls["tier"].value = "cluster-minimal"
    assert ex.controls["nodes"].min == 2 and ex.design.nodes == 2
    ex.controls["nodes"].value = 40
    ex.controls["windows_version"].value = "2008 R2"
    assert ex.controls["nodes"].max == 16
    assert ex.design.nodes == 16 and ex.message.value == ""


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"tier": "cluster-minimal", "nodes": 1}, ["nodes", "at least 2"]),
        ({"switch_ports_per_unit": 2}, ["switch_ports_per_unit", "from 4 to 128"]),
        ({"name": "<script>" * 30}, ["name", "&lt;script&gt;"]),
    ],
)
def test_explorer_shows_an_invalid_combination_as_a_red_line(kwargs, words):
    from hvdesign.widgets.tiers import tier_explorer

    ex = tier_explorer(**kwargs)
    text = ex.message.value
    assert "Invalid design" in text and "color:#b00020" in text
    assert "Traceback" not in text and "<script>" not in text
    for word in words:
        assert word in text
    ex.controls["san_portals"].value = 3  # still invalid (or valid) without a traceback


# ------------------------------------------------------------------- at scale


def _points(fig) -> int:
    return sum(len(t.x) for t in fig.data)


@pytest.mark.parametrize("tier", ["cluster-minimal", "cluster-redundant-path"])
def test_the_figure_stays_bounded_from_16_hosts(tier):
    figs = {n: topology_figure(design_from_tier(tier, nodes=n)) for n in (4, 15, 16, 64)}
    for fig in figs.values():
        assert tuple(t.name for t in fig.data) == TOPOLOGY_TRACES
    # below 16 every host is drawn: its NIC ports are the graph's
    for n in (4, 15):
        per_host = summary(design_from_tier(tier, nodes=n))["connections_per_host_total"]
        assert len(_trace(figs[n], "nic ports").x) == n * per_host
    # from 16 on the points do not grow with N: 3 hosts in full and one group
    assert _points(figs[16]) == _points(figs[64])
    assert _points(figs[64]) < _points(figs[15])
    d64 = design_from_tier(tier, nodes=64)
    G = build_graph(d64)
    per_host = summary(d64)["connections_per_host_total"]
    bundles = {
        (G.nodes[n]["traffic_class"], G.nodes[n]["switch"])
        for n, k in G.nodes(data="kind")
        if k == "nic" and G.nodes[n]["host"] == "host64"
    }
    assert len(_trace(figs[64], "nic ports").x) == 3 * per_host + len(bundles)


def test_the_group_says_how_many_hosts_it_stands_for():
    for n, alike in ((16, 13), (64, 61)):
        fig = topology_figure(design_from_tier("cluster-redundant-path", nodes=n))
        labels = list(_trace(fig, "labels").text)
        assert f"<b>+ {alike} hosts alike</b><br>host4 to host{n}" in labels
        assert "host1" in labels and "host4" not in labels
        hover = " ".join(t for t in _trace(fig, "cable hover storage").hovertext)
        assert f"{alike} cables bundled: host4 to host{n}" in hover
        assert f"host4 to host{n} drawn as one" in fig.layout.title.text
    fig = topology_figure(design_from_tier("cluster-redundant-path", nodes=15))
    assert not any("alike" in t for t in _trace(fig, "labels").text)


def test_failures_at_scale_show_on_the_drawn_hosts_and_on_the_group():
    design = design_from_tier("cluster-redundant-path", nodes=64)
    G = build_graph(design)
    fig = topology_figure(design, G, failed=["host40-card1", "host2", "switch-b"])
    marks = _trace(fig, "failed component")
    assert len(marks.x) == 3 and "host40-card1" in marks.hovertext[0]
    # the grouped host's card is marked on the group's box
    labels = _trace(fig, "labels")
    (i,) = [k for k, t in enumerate(labels.text) if "hosts alike" in t]
    assert "failed: host40-card1" in labels.text[i]
    assert "host40-s1" in labels.hovertext[i]  # what the card took down
    chassis = _trace(fig, "chassis")
    xs = [x for x in chassis.x if not math.isnan(x)]
    assert min(xs) < marks.x[0] < max(xs)
    # host2 is drawn: its ports grey; switch-b is down: every cable to it is grey,
    # bundles included (one per class landing on switch-b)
    nic = _trace(fig, "nic ports")
    host2 = [
        n for n in G.nodes if G.nodes[n].get("host") == "host2" and G.nodes[n]["kind"] == "nic"
    ]
    start = 6  # host1's 6 ports come first
    assert list(nic.marker.color[start : start + len(host2)]) == [FAILED_HEX] * len(host2)
    on_b = {
        G.nodes[n]["traffic_class"]
        for n in G.neighbors("switch-b")
        if G.nodes[n]["kind"] == "nic" and G.nodes[n]["host"] == "host64"
    }
    down = {"switch-b", "host2"} | set(host2)
    expected = 0
    for u, v, d in G.edges(data=True):
        if not d.get("cable"):
            continue
        ends = {u, v}
        nic_end = [e for e in ends if G.nodes[e]["kind"] == "nic"]
        if nic_end and G.nodes[nic_end[0]]["host"] not in ("host1", "host2", "host3"):
            continue  # a grouped host's cable: in a bundle
        expected += bool(ends & down)
    expected += len(on_b)  # the bundles to switch-b
    assert _segments(_line_trace(fig, "failed")) == expected
