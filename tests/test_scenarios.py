"""The scenario engine (hvdesign.scenarios) and the scenario classes of the coverage
analysis: one tuple of kinds, one containment rule, classes whose counts add up to
every scenario, and the lazy scenario list against the expanded analysis."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import pytest

from hvdesign import failures, reliability, scenarios
from hvdesign.errors import HvdesignError
from hvdesign.failures import ScenarioClass, analyse, components, iter_scenarios
from hvdesign.scenarios import (
    KINDS,
    FailureRules,
    FastModel,
    GraphModel,
    failed_components,
    kind_of,
)
from hvdesign.spec import TIERS, design_from_tier
from hvdesign.topology import build_graph


def test_one_kinds_tuple():
    assert reliability.KINDS is failures.KINDS is scenarios.KINDS is KINDS
    assert KINDS == ("host", "nic", "nic_card", "switch", "uplink", "isl", "san_port", "san")


def test_kind_of_matches_the_graph():
    for tier in TIERS:
        d = design_from_tier(tier)
        G = build_graph(d)
        for name in components(d):
            assert kind_of(name) == G.nodes[name]["kind"], name


def test_containment_by_hand():
    # Fig 2.12 layout (spec.host_layout): card1 = p1 s1, card2 = h1 m1, card3 = p2 s2.
    G = build_graph(design_from_tier("cluster-redundant-path", nodes=2))
    assert failed_components(G, ["host1-card2"]) == {"host1-card2", "host1-h1", "host1-m1"}
    host = failed_components(G, ["host2"])
    assert host == {"host2"} | {f"host2-card{c}" for c in (1, 2, 3)} | {
        f"host2-{s}" for s in ("p1", "s1", "h1", "m1", "p2", "s2")
    }
    assert failed_components(G, ["san"]) == {"san", "san-port1", "san-port2"}
    # A switch contains nothing: its cables are not containment.
    assert failed_components(G, ["switch-a"]) == {"switch-a"}
    with pytest.raises(HvdesignError, match="failed: 'core'"):
        failed_components(G, ["core"])


def test_graph_model_and_fast_model_agree_on_host_states():
    d = design_from_tier("cluster-redundant-path", nodes=3)
    rules = FailureRules()
    gm, fm = GraphModel(d, rules), FastModel(d, rules)
    shared = fm.shared_components()
    for failed in itertools.chain([()], ((s,) for s in shared), itertools.combinations(shared, 2)):
        for t in fm.local_templates():
            local = f"host1-{t}" if t else "host1"
            g = gm.host_state("host1", frozenset((*failed, local)))
            f = fm.host_state(frozenset(failed), frozenset([t]))
            assert g == f, (failed, t)


def test_rules_are_checked_when_the_iterator_is_made():
    d = design_from_tier("cluster-minimal", nodes=2)
    with pytest.raises(HvdesignError, match="reserve"):
        iter_scenarios(d, FailureRules(reserve=5))


# ------------------------------------------------------------------- scenario classes


def test_class_counts_at_64_nodes():
    # Fig 2.12 at 64 nodes: per host 1 host + 3 cards + 6 NICs = 10 components, 640 in
    # all; shared: 2 switches, 2 uplinks, 1 ISL, 2 portals, the SAN = 8. 648 singles,
    # C(648, 2) = 209,628 pairs.
    cov = analyse(design_from_tier("cluster-redundant-path", nodes=64), double=True, expand=False)
    singles, pairs = cov.classes(), cov.classes(double=True)
    assert sum(c.count for c in singles) == 648
    assert sum(c.count for c in pairs) == math.comb(648, 2) == 209_628
    # Classes: 10 templates + 8 shared; pairs: C(8,2) shared + 10 x 8 part-and-shared
    # + C(10,2) two parts of one host + 10 x 10 parts of two hosts (ordered).
    assert len(singles) == 18
    assert len(pairs) == 28 + 80 + 45 + 100
    data = cov.to_json_dict()
    assert data["scenarios_total"] == 648 + 209_628
    assert "scenarios" not in data
    assert len(data["scenario_classes"]) == len(singles) + len(pairs)
    assert set(data["scenario_classes"][0]) == {
        "failed",
        "kinds",
        "outcome",
        "vms_down_fraction",
        "reason",
        "count",
    }


@pytest.mark.parametrize("tier", list(TIERS))
def test_classes_stand_for_the_expanded_scenarios(tier):
    # Each class's count is the number of concrete scenarios with its kinds and
    # outcome: summed, the classes give the same counts as the scenario rows.
    d = design_from_tier(tier, nodes=3 if TIERS[tier].preset["cluster"] else 1)
    cov = analyse(d, double=True)
    for double, rows in ((False, cov.singles), (True, cov.doubles)):
        by_class: Counter = Counter()
        for c in cov.classes(double=double):
            by_class[(tuple(sorted(c.kinds)), c.outcome)] += c.count
        by_row = Counter((tuple(sorted(s.kinds)), s.outcome) for s in rows)
        assert by_class == by_row
    # Every representative is one of the scenarios, with its reason.
    rows = {s.failed: s for s in cov.singles + cov.doubles}
    for c in cov.classes() + cov.classes(double=True):
        assert rows[c.failed].reason == c.reason
        assert rows[c.failed].outcome == c.outcome


def test_bruteforce_classes_are_the_scenarios():
    d = design_from_tier("cluster-minimal", nodes=2)
    cov = analyse(d, double=True, method="bruteforce")
    classes = cov.classes(double=True)
    assert all(c.count == 1 for c in classes)
    assert [c.failed for c in classes] == [s.failed for s in cov.doubles]
    assert isinstance(classes[0], ScenarioClass)
    assert classes[0].to_dict()["count"] == 1


@pytest.mark.parametrize(
    "tier, nodes",
    [
        ("single-redundant-connections", 1),
        ("single-redundant-path", 1),
        ("cluster-minimal", 2),
        ("cluster-redundant-connections", 3),
        ("cluster-redundant-path", 4),
    ],
)
def test_iter_scenarios_equals_the_expanded_analysis(tier, nodes):
    d = design_from_tier(tier, nodes=nodes)
    cov = analyse(d, double=True, expand=True)
    assert list(iter_scenarios(d, double=True)) == cov.singles + cov.doubles
    assert list(iter_scenarios(d)) == cov.singles


def test_iter_scenarios_equals_bruteforce():
    # The independent reference: a graph search per scenario, reasons included. Four
    # nodes: for some pairs of hosts the {b} host of the reasons is the first other
    # host of the first failed one (the shortcut in iter_pairs), for others it is not.
    d = design_from_tier("cluster-redundant-path", nodes=4, windows_version="2008 R2")
    rules = FailureRules(csv_redirected_io=False)
    brute = analyse(d, rules, double=True, method="bruteforce")
    assert list(iter_scenarios(d, rules, double=True)) == brute.singles + brute.doubles
