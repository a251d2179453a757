"""VM availability (domain.md §4, issue 10 item 2): 1 - the expected share of VMs down,
the share of each state being the failure rules' ``vms_down_fraction``.

Checked against closed forms written out here (only hosts failing), brute-force
enumeration of every state (small designs, every tier, partial outages made likely by
inflated failure rates) and the Monte Carlo interval.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hvdesign.availability import availability, bruteforce
from hvdesign.errors import HvdesignError
from hvdesign.reliability import MINUTES_PER_YEAR
from hvdesign.scenarios import FailureRules
from hvdesign.spec import design_from_tier
from tests.test_availability import BASE, BRUTE_FORCE_CASES, HARSH, perfect

#: Every kind but the host never fails.
NOT_HOST = ("nic", "nic_card", "switch", "uplink", "isl", "san_port", "san")


# ------------------------------------------------------------------ closed forms


@pytest.mark.parametrize("n", [1, 2, 5, 16, 64])
def test_standalone_servers_with_only_hosts_failing(n):
    # Each server runs 1/N of the VMs and is down with probability q = 1 - A_host,
    # independently: E[share down] = q, so vm_availability = A_host whatever N, while
    # every VM runs only when all N servers are up: availability = A_host^N.
    rel = perfect(HARSH, *NOT_HOST)
    a_host = 300 / (300 + 40)  # HARSH host: MTBF 300 h, MTTR 40 h
    r = availability(design_from_tier("single-redundant-connections", nodes=n), rel)
    assert r.vm_availability == pytest.approx(a_host, abs=1e-12)
    assert r.availability == pytest.approx(a_host**n, abs=1e-12)
    # No failover for standalone servers: the VM downtime is the expected share alone.
    assert r.vm_downtime_minutes_per_year == pytest.approx((1 - a_host) * 525_960, rel=1e-12)


def _cluster_closed_form(n: int, reserve: int, witness: bool, p: float) -> float:
    """1 - sum_k C(N,k) q^k p^(N-k) frac(k): k hosts down, the N - k others all up
    and connected (perfect network) and serving. Quorum: node majority needs
    2 (N - k) > N; with a witness disk the up hosts also hold the witness:
    2 (N - k + 1) > N + 1. With quorum the N - k hosts have capacity
    (N - k) N / (N - reserve) of the N host shares of VMs: frac(k) =
    max(0, 1 - (N - k) / (N - reserve)) (for reserve 1: 0 for k <= 1, (k-1)/(N-1)
    for k >= 2); without quorum frac(k) = 1."""
    q = 1 - p
    lost = 0.0
    for k in range(n + 1):
        up = n - k
        quorum = 2 * (up + 1) > n + 1 if witness else 2 * up > n
        frac = max(0.0, 1 - up / (n - reserve)) if quorum else 1.0
        lost += math.comb(n, k) * q**k * p ** (n - k) * frac
    return 1 - lost


@pytest.mark.parametrize(
    "n, reserve, quorum",
    [
        (2, 1, "auto"),
        (3, 1, "auto"),
        (4, 1, "auto"),
        (4, 2, "node_majority"),
        (5, 0, "node_and_disk_majority"),
        (8, 1, "auto"),
        (9, 3, "auto"),
        (16, 1, "node_majority"),
        (64, 1, "auto"),
    ],
)
def test_n_plus_reserve_cluster_with_only_hosts_failing(n, reserve, quorum):
    rel = perfect(HARSH, *NOT_HOST)
    rules = FailureRules(reserve=reserve, quorum=quorum)
    d = design_from_tier("cluster-minimal", nodes=n)
    p = 300 / (300 + 40)
    expected = _cluster_closed_form(n, reserve, rules.witness(d), p)
    assert availability(d, rel, rules).vm_availability == pytest.approx(expected, abs=1e-12)


def test_two_hosts_down_of_eight_strand_one_seventh():
    # The example: 8 nodes, N+1, two hosts down: 1/7 of the VMs down. With
    # hosts failing rarely the expectation is dominated by k = 1 (share 0) and k = 2:
    # E[share] = C(8,2) q^2 p^6 / 7 + O(q^3), checked against the closed form above.
    rel = perfect(BASE, *NOT_HOST)
    d = design_from_tier("cluster-minimal", nodes=8)
    p = rel.availability("host")
    got = 1 - availability(d, rel).vm_availability
    two = math.comb(8, 2) * (1 - p) ** 2 * p**6 / 7
    assert got == pytest.approx(1 - _cluster_closed_form(8, 1, True, p), rel=1e-9)
    assert got == pytest.approx(two, rel=1e-3)


# ------------------------------------------------------------------ brute force

VM_CASES = BRUTE_FORCE_CASES + [
    # four nodes with a witness: two halves, reserve 0-2, NHD off, redirected I/O off
    (
        "cluster-minimal",
        {"nodes": 4, "nic_ports_per_card": 3, "san_portals": 1},
        ("switch", "uplink", "nic_card", "san", "san_port"),
        FailureRules(reserve=1, network_health_detection=False),
        "fast",
    ),
    (
        "cluster-minimal",
        {"nodes": 4, "nic_ports_per_card": 3, "san_portals": 1},
        ("switch", "uplink", "nic_card", "san", "san_port"),
        FailureRules(reserve=0, csv_redirected_io=False, network_health_detection=False),
        "fast",
    ),
    (
        "cluster-minimal",
        {"nodes": 4, "nic_ports_per_card": 3, "san_portals": 1},
        ("switch", "uplink", "nic_card", "san", "san_port"),
        FailureRules(reserve=2, quorum="node_majority"),
        "fast",
    ),
    # three nodes, node majority, NHD off: unreachable hosts (production lost)
    (
        "cluster-minimal",
        {"nodes": 3, "nic_ports_per_card": 3, "san_portals": 1},
        ("switch", "uplink", "nic_card", "san_port"),
        FailureRules(network_health_detection=False, csv_redirected_io=False),
        "fast",
    ),
    (
        "cluster-redundant-connections",
        {"nodes": 3, "nic_ports_per_card": 6, "san_portals": 1},
        ("uplink", "switch", "san_port", "nic_card", "san", "host"),
        FailureRules(network_health_detection=False, reserve=2),
        "fast",
    ),
    # one node of a redundant-path cluster per switch failure, ISL split, 2008 R2
    (
        "cluster-redundant-path",
        {"nodes": 2, "nic_ports_per_card": 6, "san_portals": 1, "windows_version": "2008 R2"},
        ("nic_card", "san", "uplink", "nic"),
        FailureRules(reserve=0, quorum="node_majority"),
        "fast",
    ),
    # three standalone servers (a share of 1/3 per server down)
    (
        "single-redundant-connections",
        {"nodes": 3},
        ("nic_card", "uplink", "nic"),
        FailureRules(),
        "fast",
    ),
]


@pytest.mark.parametrize("tier, options, kinds, rules, evaluator", VM_CASES)
def test_exact_vm_availability_equals_brute_force(tier, options, kinds, rules, evaluator):
    # Brute force: 1 - sum over every up/down state of P(state) x vms_down_fraction.
    # 1e-12: the exact sum is rounded in floating point only (terms of order 1).
    d = design_from_tier(tier, **options)
    rel = perfect(HARSH, *kinds)
    a, vm = bruteforce(d, rel, rules, evaluator=evaluator)
    r = availability(d, rel, rules)
    assert r.availability == pytest.approx(a, abs=1e-12)
    assert r.vm_availability == pytest.approx(vm, abs=1e-12)
    assert r.availability <= r.vm_availability + 1e-15  # all VMs run => none is down


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(2, 4),
    reserve=st.integers(0, 2),
    nhd=st.booleans(),
    csv=st.booleans(),
    quorum=st.sampled_from(["auto", "node_majority", "node_and_disk_majority"]),
    host_mtbf=st.floats(20, 2000),
    switch_mtbf=st.floats(20, 2000),
    nic_mtbf=st.floats(20, 2000),
)
def test_exact_vm_availability_equals_brute_force_hypothesis(
    n, reserve, nhd, csv, quorum, host_mtbf, switch_mtbf, nic_mtbf
):
    reserve = min(reserve, n - 1)
    d = design_from_tier("cluster-minimal", nodes=n, nic_ports_per_card=3, san_portals=1)
    rel = perfect(HARSH, "uplink", "nic_card", "san_port").replace(
        {
            "host": {"mtbf_hours": host_mtbf, "mttr_hours": 40},
            "switch": {"mtbf_hours": switch_mtbf, "mttr_hours": 30},
            "nic": {"mtbf_hours": nic_mtbf, "mttr_hours": 50},
        }
    )
    rules = FailureRules(
        reserve=reserve, network_health_detection=nhd, csv_redirected_io=csv, quorum=quorum
    )
    a, vm = bruteforce(d, rel, rules, evaluator="fast")
    r = availability(d, rel, rules)
    assert r.availability == pytest.approx(a, abs=1e-12)
    assert r.vm_availability == pytest.approx(vm, abs=1e-12)


# ------------------------------------------------------------ the examples


def test_redundant_path_vm_downtime_does_not_grow_with_nodes():
    # Issue 10: the old figure (any outage counted in full) grew 13.3 -> 14.9 -> 40.2
    # min/year from 4 to 64 nodes. Two of 64 N+1 hosts down strand 1/63 of the VMs, so
    # the expected share down stays of the order of the shared components' outages.
    # The SLA figure still grows (more hosts, more chances that two are down).
    r = {n: availability(design_from_tier("cluster-redundant-path", nodes=n)) for n in (4, 16, 64)}
    vm = [r[n].vm_downtime_minutes_per_year for n in (4, 16, 64)]
    assert max(vm) < 1.05 * min(vm)
    assert r[64].downtime_minutes_per_year > 2.5 * r[4].downtime_minutes_per_year
    for x in r.values():
        assert x.vm_availability >= x.availability


def test_standalone_vm_downtime_is_the_same_for_any_number_of_servers():
    # N standalone servers: each VM is down when its own server is; linearity gives the
    # one-server figure for every N (old: 125, 1,385, 5,398 min/year).
    one = availability(design_from_tier("single-redundant-connections", nodes=1))
    for n in (16, 64):
        r = availability(design_from_tier("single-redundant-connections", nodes=n))
        assert r.vm_downtime_minutes_per_year == pytest.approx(
            one.vm_downtime_minutes_per_year, rel=1e-12
        )
        # The SLA figure falls with N (every server must run; the switch is shared).
        assert r.availability < one.availability


# -------------------------------------------------------------------- Monte Carlo


def test_monte_carlo_interval_contains_exact_vm_availability():
    # Inflated failure rates: tens of thousands of outages in 2,000 years, so the
    # t interval over 20 replications is meaningful (no warning). Fixed seed.
    d = design_from_tier("cluster-redundant-path", nodes=3)
    exact = availability(d, HARSH)
    mc = availability(d, HARSH, method="montecarlo", years=2000, seed=3)
    lo, hi = mc.vm_ci95
    assert lo <= exact.vm_availability <= hi
    assert mc.ci95[0] <= exact.availability <= mc.ci95[1]
    assert mc.warning is None and mc.outage_events > 1000
    data = mc.to_dict()
    assert data["vm_ci95"] == [lo, hi] and data["warning"] is None


def test_monte_carlo_warns_when_too_few_outages():
    # Shipped figures, 8 nodes, 20 years: a handful of outages at most.
    mc = availability(
        design_from_tier("cluster-redundant-path", nodes=8), method="montecarlo", years=20
    )
    assert mc.outage_events < 30
    assert "not meaningful" in mc.warning
    assert mc.to_dict()["warning"] == mc.warning


def test_monte_carlo_in_chunks_is_one_run(monkeypatch):
    # Chunks continue from the state where the previous one ended: with tiny chunks
    # the estimate is still inside the exact value's interval.
    import hvdesign.simulation as sim

    monkeypatch.setattr(sim, "MAX_EVENTS_PER_CHUNK", 500)
    d = design_from_tier("cluster-minimal", nodes=2)
    out = sim.simulate(d, HARSH, years=400, seed=5)
    assert out["chunks"] > 10
    exact = availability(d, HARSH)
    assert out["vm_ci95"][0] <= exact.vm_availability <= out["vm_ci95"][1]
    assert out["ci95"][0] <= exact.availability <= out["ci95"][1]


# --------------------------------------------------------------- impossible figures


def test_huge_mtbf_does_not_overflow():
    # MTBF + MTTR would overflow at 1e308: availability is 1 / (1 + MTTR/MTBF).
    rel = BASE.replace({k: {"mtbf_hours": 1e308} for k in ("host", "switch", "san")})
    assert rel.unavailability("host") == pytest.approx(BASE.mttr_hours("host") / 1e308)
    r = availability(design_from_tier("cluster-redundant-path", nodes=4), rel)
    assert 0 <= r.availability <= 1 and 0 <= r.vm_availability <= 1
    assert not math.isnan(r.vm_downtime_minutes_per_year)


def test_downtime_never_above_a_year():
    # Hosts down almost always and a long failover: the restart term alone exceeds a
    # year; the VM downtime stops at 525,960 min/year.
    rel = BASE.replace({"host": {"mtbf_hours": 1e-3, "mttr_hours": 1e6}, "failover_minutes": 1e9})
    r = availability(design_from_tier("cluster-minimal", nodes=4), rel)
    assert 0 <= r.availability <= 1 and 0 <= r.vm_availability <= 1
    assert r.vm_downtime_minutes_per_year == MINUTES_PER_YEAR
    assert r.downtime_minutes_per_year <= MINUTES_PER_YEAR


@pytest.mark.parametrize("mtbf", [-5, 0, float("nan")])
def test_bad_mtbf_is_refused_naming_the_field(mtbf):
    with pytest.raises(HvdesignError, match=r"reliability\.host\.mtbf_hours"):
        BASE.replace({"host": {"mtbf_hours": mtbf}})
