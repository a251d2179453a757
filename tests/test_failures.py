"""Failure coverage (domain.md §3, issue 3): the guide's narrative as acceptance tests,
the fast evaluator against the graph-search reference, and monotonicity properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hvdesign.errors import HvdesignError
from hvdesign.failures import FailureRules, analyse, components, evaluate_bruteforce
from hvdesign.spec import TIERS, design_from_tier

CLUSTER_CHAIN = ["cluster-minimal", "cluster-redundant-connections", "cluster-redundant-path"]


def outcomes(cov) -> dict[str, str]:
    return {s.failed[0]: s.outcome for s in cov.singles}


# ---------------------------------------------------------------- the guide's narrative


def test_single_redundant_connections():
    # Fig 2.8: "the switch to which those connections occur becomes a very important
    # single point of failure"; the teamed / MPIO connections survive one NIC.
    cov = analyse(design_from_tier("single-redundant-connections"))
    spof = cov.single_points_of_failure
    assert {"host1", "switch-a", "san"} <= set(spof)
    for name, outcome in outcomes(cov).items():
        if name.startswith("host1-") and "card" not in name:
            assert outcome == "survived", name


def test_single_redundant_path_with_and_without_cross_switch_teaming():
    # Fig 2.9: with production split over both switches no switch is a SPOF; when the
    # switches cannot aggregate across devices, both production links sit on A.
    with_team = analyse(design_from_tier("single-redundant-path", cross_switch_teaming=True))
    assert not any(s.startswith("switch-") for s in with_team.single_points_of_failure)
    without = analyse(design_from_tier("single-redundant-path", cross_switch_teaming=False))
    assert "switch-a" in without.single_points_of_failure
    assert "switch-b" not in without.single_points_of_failure


def test_cluster_minimal():
    # Fig 2.10: the cluster survives the loss of a host (its VMs fail over); the one
    # switch is a single point of failure.
    cov = analyse(design_from_tier("cluster-minimal", nodes=3))
    out = outcomes(cov)
    assert out["host1"] == out["host3"] == "failover"
    assert "switch-a" in cov.single_points_of_failure


def test_cluster_redundant_connections():
    # Fig 2.11: any single connection can fail; the switch is still a SPOF.
    cov = analyse(design_from_tier("cluster-redundant-connections", nodes=4))
    out = outcomes(cov)
    nics = [c for c in out if c.startswith("host") and "-" in c and "card" not in c]
    assert nics and all(out[c] != "outage" for c in nics)
    assert "switch-a" in cov.single_points_of_failure


def test_cluster_redundant_path():
    # Fig 2.12 and "High Availability Scales with Your Pocketbook": "Even an entire
    # switch can fail and keep the cluster active".
    for n in (2, 3, 4, 8):
        out = outcomes(analyse(design_from_tier("cluster-redundant-path", nodes=n)))
        assert out["switch-a"] == "survived" and out["switch-b"] == "survived"


@pytest.mark.parametrize("tier", list(TIERS))
def test_san_is_a_single_point_of_failure_in_every_tier(tier):
    # The guide's next chapter is about the SAN: every tier depends on it.
    cluster = TIERS[tier].preset["cluster"]
    cov = analyse(design_from_tier(tier, nodes=3 if cluster else 1))
    assert "san" in cov.single_points_of_failure


def test_two_node_cluster_quorum_needs_the_witness():
    # Microsoft's quorum table: two nodes need a witness. Node majority: 1 of 2 votes
    # is not more than half. Node and disk majority: 1 node + witness = 2 of 3.
    d = design_from_tier("cluster-redundant-path", nodes=2)
    without = analyse(d, FailureRules(quorum="node_majority"))
    assert outcomes(without)["host1"] == "outage"
    assert "quorum" in next(s.reason for s in without.singles if s.failed == ("host1",))
    with_witness = analyse(d, FailureRules(quorum="node_and_disk_majority"))
    assert outcomes(with_witness)["host1"] == "failover"
    assert outcomes(analyse(d))["host1"] == "failover"  # auto: even count -> witness


def test_quorum_majority_rules_hand_count():
    # Node majority survives failures of half the nodes (rounding up) minus one:
    # seven nodes lose quorum only when four fail. With two failures (the most we
    # evaluate) a three-node cluster is down to 1 of 3 votes: outage.
    d = design_from_tier("cluster-minimal", nodes=3)
    r = evaluate_bruteforce(d, ["host1", "host2"])
    assert r.outcome == "outage" and r.vms_down_fraction == 1.0
    # Four nodes with a witness (5 votes): two hosts down leaves 2 + witness = 3 > 2.5,
    # and 2 hosts carry the VMs of 4 only if reserve >= 2.
    d4 = design_from_tier("cluster-minimal", nodes=4)
    assert evaluate_bruteforce(d4, ["host1", "host2"], FailureRules(reserve=2)).outcome == (
        "failover"
    )
    # With reserve 1 the cluster is sized for 3 hosts: 2 serve 2 x 4/3 = 8/3 host
    # shares of 4, so 4/3 shares (1/3 of the VMs) stay down.
    r = evaluate_bruteforce(d4, ["host1", "host2"])
    assert r.outcome == "outage"
    assert r.vms_down_fraction == pytest.approx(1 / 3)


def test_production_loss_depends_on_network_health_detection():
    # 2008 R2: a host that loses only production keeps its VMs up but unreachable
    # (outage for its share, 1/4); 2012 R2 and later migrate them live (survived).
    d = design_from_tier("cluster-minimal", nodes=4, windows_version="2008 R2")
    r = evaluate_bruteforce(d, ["host1-p1"])
    assert (r.outcome, r.vms_down_fraction) == ("outage", 0.25)
    d19 = design_from_tier("cluster-minimal", nodes=4, windows_version="2019")
    assert evaluate_bruteforce(d19, ["host1-p1"]).outcome == "survived"


def test_csv_redirected_io():
    # A minimal-cluster node that loses its only storage path keeps running through
    # CSV redirected I/O; without it its VMs fail over.
    d = design_from_tier("cluster-minimal", nodes=3)
    assert evaluate_bruteforce(d, ["host1-s1"]).outcome == "survived"
    off = FailureRules(csv_redirected_io=False)
    assert evaluate_bruteforce(d, ["host1-s1"], off).outcome == "failover"


def test_reason_explains_the_switch_failure():
    cov = analyse(design_from_tier("cluster-redundant-path", nodes=4))
    reason = next(s.reason for s in cov.singles if s.failed == ("switch-a",))
    assert reason.startswith("switch-a down: ")
    assert "storage via host1-s2 on switch-b" in reason
    assert "production via host1-p2" in reason
    assert "heartbeat falls back to management" in reason


def test_hidden_single_point_of_failure_of_one_card():
    # A team and an MPIO pair on one card: the card takes all its ports down
    # (domain.md §3). Six ports a card put everything on card1.
    d = design_from_tier("single-redundant-path", nic_ports_per_card=6)
    assert "host1-card1" in analyse(d).single_points_of_failure


def test_bad_rules_and_components():
    d = design_from_tier("cluster-minimal", nodes=2)
    with pytest.raises(HvdesignError, match="reserve"):
        analyse(d, FailureRules(reserve=2))
    with pytest.raises(HvdesignError, match="failed"):
        evaluate_bruteforce(d, ["switch-z"])


# ---------------------------------------------------------- fast equals brute force


@pytest.mark.parametrize("tier", list(TIERS))
@pytest.mark.parametrize("nodes", [2, 3, 4])
def test_fast_equals_bruteforce(tier, nodes):
    cluster = TIERS[tier].preset["cluster"]
    d = design_from_tier(tier, nodes=nodes if cluster else 1)
    fast = analyse(d, double=True, method="fast")
    brute = analyse(d, double=True, method="bruteforce")
    assert [s.to_dict() for s in fast.singles] == [s.to_dict() for s in brute.singles]
    assert [s.to_dict() for s in fast.doubles] == [s.to_dict() for s in brute.doubles]
    assert fast.double_counts == brute.double_counts


@settings(max_examples=25, deadline=None)
@given(
    tier=st.sampled_from(list(TIERS)),
    nodes=st.integers(2, 4),
    cross=st.booleans(),
    ports=st.integers(1, 6),
    portals=st.integers(1, 3),
    version=st.sampled_from(["2008 R2", "2019"]),
    quorum=st.sampled_from(["auto", "node_majority"]),
)
def test_fast_equals_bruteforce_on_variants(tier, nodes, cross, ports, portals, version, quorum):
    cluster = TIERS[tier].preset["cluster"]
    d = design_from_tier(
        tier,
        nodes=nodes if cluster else 1,
        cross_switch_teaming=cross,
        nic_ports_per_card=ports,
        san_portals=portals,
        windows_version=version,
    )
    rules = FailureRules(quorum=quorum)
    fast = analyse(d, rules, double=True)
    brute = analyse(d, rules, double=True, method="bruteforce")
    assert [s.to_dict() for s in fast.singles + fast.doubles] == [
        s.to_dict() for s in brute.singles + brute.doubles
    ]


def test_pair_count_is_every_unordered_pair():
    d = design_from_tier("cluster-redundant-path", nodes=64)
    n = len(components(d))
    cov = analyse(d, double=True, expand=False)
    assert sum(cov.double_counts.values()) == n * (n - 1) // 2


# ----------------------------------------------------------------------- properties


@settings(max_examples=30, deadline=None)
@given(
    tier=st.sampled_from(list(TIERS)),
    nodes=st.integers(2, 4),
    cls=st.sampled_from(["production", "storage", "heartbeat", "management"]),
)
def test_adding_a_redundant_connection_never_turns_survival_into_outage(tier, nodes, cls):
    cluster = TIERS[tier].preset["cluster"]
    base = design_from_tier(tier, nodes=nodes if cluster else 1)
    count = getattr(base, f"{cls}_connections")
    if count == 0 or count >= 4:
        return
    more = design_from_tier(tier, nodes=base.nodes, **{f"{cls}_connections": count + 1})
    before = analyse(base, double=True)
    after = {
        s.failed: s.outcome
        for s in analyse(more, double=True).singles + analyse(more, double=True).doubles
    }
    for s in before.singles + before.doubles:
        if s.outcome != "outage":
            assert after[s.failed] != "outage", s


@pytest.mark.parametrize("nodes", [2, 3, 4, 8, 16, 33, 64])
def test_coverage_never_decreases_up_the_tiers(nodes):
    def cov(tier, n):
        c = analyse(design_from_tier(tier, nodes=n), double=True, expand=False)
        return c.single_failure_coverage, c.double_failure_coverage

    single = [cov(t, 1) for t in ("single-redundant-connections", "single-redundant-path")]
    assert single[0][0] <= single[1][0] and single[0][1] <= single[1][1]
    chain = [cov(t, nodes) for t in CLUSTER_CHAIN]
    for lower, higher in zip(chain, chain[1:], strict=False):
        assert lower[0] <= higher[0] and lower[1] <= higher[1]
