"""Tests of the failure-coverage figures and tables (hvdesign.views.coverage) and the
failure explorer (hvdesign.widgets.coverage).

Expected values are derived from :func:`hvdesign.failures.analyse` (the fast method)
and :func:`hvdesign.failures.evaluate_bruteforce` (graph search per scenario), never
written in as constants, except for the guide's own statements (source guide,
Fig 2.8: "should the switch fail, every Hyper-V virtual machine on the server will
cease to operate"; Fig 2.12: the redundant path survives the loss of a switch).
"""

from __future__ import annotations

import json

import pytest

from hvdesign.errors import HvdesignError
from hvdesign.failures import KINDS, OUTCOMES, FailureRules, analyse, evaluate_bruteforce
from hvdesign.spec import CLASS_HEX, TIERS, design_from_tier
from hvdesign.topology import build_graph
from hvdesign.views.coverage import (
    KIND_LABELS,
    NA_HEX,
    OUTCOME_HEX,
    coverage_figure,
    coverage_heatmap,
    double_coverage_figure,
    kind_table,
    scenario_figure,
    spof_table,
    tier_designs,
)
from hvdesign.views.topology import FAILED_HEX, failed_components

SEVERITY = ["survived", "failover", "outage"]  # domain.md §3, best to worst


def _colour(heat, z) -> str:
    """The colour a heat map's (piecewise constant) colour scale gives value ``z``."""
    t = (z - heat.zmin) / (heat.zmax - heat.zmin)
    scale = [(float(p), c) for p, c in heat.colorscale]
    for (p0, c0), (p1, _) in zip(scale, scale[1:], strict=False):
        if p0 <= t <= p1:
            return c0
    raise AssertionError(f"{z} outside the colour scale")


def _trace(fig, name):
    (trace,) = [t for t in fig.data if t.name == name]
    return trace


# ---------------------------------------------------------------- heat maps


@pytest.mark.parametrize(
    "nodes, rules",
    [(2, None), (5, None), (4, FailureRules(network_health_detection=False))],
)
def test_heatmap_cell_per_tier_and_kind_coloured_by_worst_outcome(nodes, rules):
    fig = coverage_heatmap(nodes, rules=rules)
    heat = fig.data[0]
    assert list(heat.x) == list(KINDS)
    designs = tier_designs(nodes)
    assert len(heat.z) == len(heat.y) == len(designs) == len(TIERS)
    for row, (tier, design) in enumerate(designs.items()):
        assert TIERS[tier].title in heat.y[row]
        assert design.nodes == (nodes if design.cluster else 1)
        table = analyse(design, rules).by_kind()
        for col, kind in enumerate(KINDS):
            z, text = heat.z[row][col], heat.text[row][col]
            counts = table.get(kind)
            if not counts:  # the tier has no component of this kind
                assert _colour(heat, z) == NA_HEX and text == "n/a"
                continue
            worst = max((o for o in OUTCOMES if counts[o]), key=SEVERITY.index)
            assert _colour(heat, z) == OUTCOME_HEX[worst], (tier, kind)
            for outcome in OUTCOMES:
                assert (f"{counts[outcome]} {outcome}" in text) == (counts[outcome] > 0)
            total = sum(counts.values())
            assert f"{total} scenarios" in heat.customdata[row][col]


def test_heatmap_agrees_with_the_guide():
    heat = coverage_heatmap(4).data[0]
    cell = {
        (tier, kind): _colour(heat, heat.z[r][c])
        for r, tier in enumerate(TIERS)
        for c, kind in enumerate(heat.x)
    }
    # Fig 2.8: the one switch stops every VM; Fig 2.12: a switch can fail.
    assert cell["single-redundant-connections", "switch"] == OUTCOME_HEX["outage"]
    assert cell["cluster-redundant-path", "switch"] == OUTCOME_HEX["survived"]
    # A cluster restarts a failed host's VMs elsewhere (domain.md §3).
    assert cell["cluster-minimal", "host"] == OUTCOME_HEX["failover"]


def test_heatmap_legend_title_and_units():
    fig = coverage_heatmap(3)
    names = [t.name for t in fig.data[1:]]
    assert [n.split(":")[0] for n in names] == [*OUTCOMES, "n/a"]
    assert "[scenarios]" in fig.layout.title.text
    assert "3 nodes" in fig.layout.title.subtitle.text
    assert [KIND_LABELS[k] for k in KINDS] == list(fig.layout.xaxis.ticktext)


def test_double_heatmap_and_bar_chart_match_analyse():
    nodes = 3
    heat = coverage_heatmap(nodes, double=True).data[0]
    bars = double_coverage_figure(nodes)
    single, double = _trace(bars, "single failures"), _trace(bars, "double failures")
    for row, design in enumerate(tier_designs(nodes).values()):
        cov = analyse(design, double=True)
        assert double.y[row] == pytest.approx(100 * cov.double_failure_coverage)
        assert single.y[row] == pytest.approx(100 * cov.single_failure_coverage)
        # Each cell: the pairs with at least one component of that kind, by graph
        # search scenario list (independent of the counts the figure uses).
        for col, kind in enumerate(KINDS):
            pairs = [s for s in cov.doubles if kind in s.kinds]
            if not pairs:
                assert heat.z[row][col] is None and heat.text[row][col] == "n/a"
                continue
            ok = sum(s.outcome != "outage" for s in pairs)
            assert heat.z[row][col] == pytest.approx(100 * ok / len(pairs))


# ---------------------------------------------------------------- tables


@pytest.mark.parametrize(
    "tier, nodes",
    [
        (t, n)
        for t, info in TIERS.items()
        for n in ((2, 3, 6) if info.preset["cluster"] else (1, 3))
    ],
)
def test_spof_table_lists_exactly_the_single_points_of_failure(tier, nodes):
    cov = analyse(design_from_tier(tier, nodes=nodes))
    table = spof_table(cov)
    assert list(table.columns) == ["component", "kind", "VMs down [%]", "reason"]
    assert table["component"].tolist() == cov.single_points_of_failure
    by_name = {s.failed[0]: s for s in cov.singles}
    for _, row in table.iterrows():
        s = by_name[row["component"]]
        assert row["kind"] == s.kinds[0] and row["reason"] == s.reason
        assert row["VMs down [%]"] == pytest.approx(100 * s.vms_down_fraction, abs=0.05)
        assert row["VMs down [%]"] > 0


def test_kind_table_counts_every_scenario():
    cov = analyse(design_from_tier("cluster-redundant-connections", nodes=3), double=True)
    for double, scenarios in ((False, cov.singles), (True, cov.doubles)):
        table = kind_table(cov, double=double)
        assert list(table.columns) == ["kind", *OUTCOMES]
        assert table[list(OUTCOMES)].to_numpy().sum() == len(scenarios)
        for _, row in table.iterrows():
            expected = cov.by_kind(double=double)[row["kind"]]
            assert {o: row[o] for o in OUTCOMES} == expected
    assert kind_table(cov)["kind"].tolist() == [k for k in KINDS if k != "isl"]


def test_coverage_figure_shares():
    cov = analyse(design_from_tier("cluster-minimal", nodes=3), double=True, expand=False)
    fig = coverage_figure(cov)
    assert [t.name for t in fig.data] == list(OUTCOMES)
    outage = _trace(fig, "outage")
    assert 100 - outage.x[0] == pytest.approx(100 * cov.single_failure_coverage)
    assert 100 - outage.x[1] == pytest.approx(100 * cov.double_failure_coverage)
    share = f"{100 * cov.single_failure_coverage:.1f}".removesuffix(".0")
    assert f"{share} %" in fig.layout.title.text


# ---------------------------------------------------------------- scenarios


@pytest.mark.parametrize(
    "tier, failed",
    [
        ("cluster-redundant-path", ["switch-a"]),
        ("cluster-redundant-connections", ["switch-a"]),
        ("cluster-redundant-path", ["host2", "switch-b"]),
        ("cluster-minimal", ["host1-card1"]),
        ("single-redundant-path", ["san-port1", "uplink-b1"]),
    ],
)
def test_scenario_figure_greys_failed_parts_and_gives_the_bruteforce_outcome(tier, failed):
    design = design_from_tier(tier, nodes=1 if tier.startswith("single") else 4)
    fig, result = scenario_figure(design, failed)
    assert result == evaluate_bruteforce(design, failed)
    fast = {s.failed: s for s in analyse(design, double=len(failed) == 2).singles}
    if len(failed) == 1:  # the fast method agrees
        assert fast[tuple(failed)].outcome == result.outcome
    assert f"<b>{result.outcome}</b>" in fig.layout.title.text
    G = build_graph(design)
    down = failed_components(G, failed)
    nics = [n for n, k in G.nodes(data="kind") if k == "nic"]
    for name, colour in zip(nics, _trace(fig, "nic ports").marker.color, strict=True):
        expected = FAILED_HEX if name in down else CLASS_HEX[G.nodes[name]["traffic_class"]]
        assert colour == expected, name
    assert len(_trace(fig, "failed component").x) == len(failed)
    assert fig.layout.annotations[0].text.startswith("<b>Why:</b>")


def test_switch_a_examples_of_the_notebook():
    path, _ = scenario_figure(design_from_tier("cluster-redundant-path", nodes=4), ["switch-a"])
    conn, result = scenario_figure(
        design_from_tier("cluster-redundant-connections", nodes=4), ["switch-a"]
    )
    assert "survived" in path.layout.title.text
    assert result.outcome == "outage" and result.vms_down_fraction == 1.0
    with pytest.raises(HvdesignError, match="failed"):
        scenario_figure(design_from_tier("cluster-minimal", nodes=2), ["switch-b"])


# ---------------------------------------------------------------- widget


def test_explorer_builds_and_picking_components_updates_figure_and_text():
    from hvdesign.widgets.coverage import failure_explorer

    ex = failure_explorer("cluster-redundant-path", nodes=4)
    fig = ex.topology
    c = ex.controls
    assert ex.message.value == "" and ex.failed == ["switch-a"]
    assert "survived" in ex.outcome.value
    names = [v for _, v in c["first"].options if v]
    assert names == [s.failed[0] for s in analyse(ex.design).singles]

    c["first"].value = "host2"
    assert ex.topology is fig  # the same FigureWidget, updated in place
    assert ex.result == evaluate_bruteforce(ex.design, ["host2"])
    assert "failover" in ex.outcome.value and "host2" in ex.outcome.value
    G = build_graph(ex.design)
    down = failed_components(G, ["host2"])
    nics = [n for n, k in G.nodes(data="kind") if k == "nic"]
    colours = dict(zip(nics, _trace(fig, "nic ports").marker.color, strict=True))
    assert all((colours[n] == FAILED_HEX) == (n in down) for n in nics)
    assert "host2 down" in fig.layout.title.text

    c["second"].value = "san"
    assert ex.failed == ["host2", "san"]
    assert ex.result == evaluate_bruteforce(ex.design, ["host2", "san"])
    assert "outage" in ex.outcome.value and "100 %" in ex.outcome.value
    assert len(_trace(fig, "failed component").x) == 2

    c["second"].value = "host2"  # the same component twice is one failure
    assert ex.failed == ["host2"]


def test_explorer_design_change_updates_choices_spofs_and_coverage():
    from hvdesign.widgets.coverage import failure_explorer

    ex = failure_explorer("cluster-redundant-path", nodes=3)
    c = ex.controls
    c["second"].value = "isl1"
    c["tier"].value = "cluster-redundant-connections"  # one switch: no isl1
    assert ex.failed == ["switch-a"] and ex.result.outcome == "outage"
    c["nodes"].value = 5
    cov = analyse(ex.design, double=True)
    assert len(c["first"].options) == len(cov.singles) + 1
    for name in cov.single_points_of_failure:
        assert f"<td>{name}</td>" in ex.spof.value
    share = f"{100 * cov.double_failure_coverage:.1f}".removesuffix(".0")
    assert f"{share} %" in ex.coverage_plot.layout.title.text
    c["tier"].value = "single-redundant-connections"
    assert c["nodes"].min == 1 and ex.design.nodes == 5


def test_explorer_escapes_user_text():
    from hvdesign.widgets.coverage import failure_explorer

    evil = "<script>alert(1)</script>"
    ex = failure_explorer("cluster-minimal", nodes=2, name=evil)
    shown = [ex.header.value, ex.outcome.value, ex.spof.value, ex.message.value]
    # plotly's JSON writes "<" as "\u003c": decode it to see the text as drawn.
    shown += [json.dumps(json.loads(f.to_json())) for f in (ex.topology, ex.coverage_plot)]
    for text in shown:
        assert "<script>" not in text
    assert "&lt;script&gt;" in ex.header.value and "&lt;script&gt;" in ex.spof.value
    assert "&lt;script&gt;" in ex.topology.layout.title.text


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"tier": "cluster-minimal", "nodes": 1}, ["nodes", "at least 2"]),
        ({"tier": "no-such-tier"}, ["tier", "cluster-redundant-path"]),
        ({"rules": FailureRules(reserve=9)}, ["reserve", "fewer than the 4 nodes"]),
    ],
)
def test_explorer_shows_errors_as_one_red_line(kwargs, words):
    from hvdesign.widgets.coverage import failure_explorer

    ex = failure_explorer(**kwargs)
    text = ex.message.value
    assert "color:#b00020" in text and "Traceback" not in text and text.count("<div") == 1
    for word in words:
        assert word in text
