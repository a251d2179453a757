"""Availability (domain.md §4, issue 4): hand-computed cases, the exact method against
brute-force enumeration and Monte Carlo simulation, monotonicity properties, the
reliability file and the command line.

Tolerances: exact against brute force 1e-12 (both sum the same probabilities, only the
floating-point order differs; differences seen are about 1e-16). Hand formulas 1e-12
for the same reason.
"""

from __future__ import annotations

import itertools
import json
import math

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from hvdesign.availability import (
    _port_effect,
    _shared_states,
    availability,
    availability_bruteforce,
    simulate,
)
from hvdesign.errors import HvdesignError
from hvdesign.reliability import HOURS_PER_YEAR, KINDS, load_reliability
from hvdesign.scenarios import FailureRules, FastModel
from hvdesign.spec import TIERS, design_from_tier, load_design
from tests.conftest import CLUSTER_TIERS

BASE = load_reliability()

#: Inflated failure rates (component unavailabilities of 1-25%): every kind of
#: failure, and combinations of them, carry visible probability, so a wrong term in
#: the exact method shows far above the tolerance.
HARSH = BASE.replace(
    {
        kind: {"mtbf_hours": mtbf, "mttr_hours": mttr}
        for kind, mtbf, mttr in [
            ("host", 300, 40),
            ("nic", 500, 50),
            ("nic_card", 800, 60),
            ("switch", 400, 30),
            ("uplink", 300, 50),
            ("isl", 200, 60),
            ("san_port", 300, 40),
            ("san", 1000, 30),
        ]
    }
)


def perfect(rel, *kinds):
    """``rel`` with the given kinds never down (MTTR 0)."""
    return rel.replace({k: {"mttr_hours": 0} for k in kinds})


def binomial_tail(n: int, k: int, p: float) -> float:
    """P(at least k of n independent trials succeed), each with probability p."""
    return math.fsum(math.comb(n, q) * p**q * (1 - p) ** (n - q) for q in range(k, n + 1))


# ------------------------------------------------------------- hand-computed cases


def test_single_server_one_switch_equals_the_series_parallel_formula():
    # single-redundant-connections (Fig 2.8), derived from the failure rules: the host
    # serves when it is up, has a production path (p1 or p2 to the switch and its
    # uplink) and a storage path (s1 to portal 1 or s2 to portal 2, and the SAN).
    # Layout (spec.host_layout): card 1 carries p1 and s1, card 2 carries p2 and s2.
    # Given both cards up, production and storage are independent parallel pairs;
    # with one card up, that card's pair must both work; with none, nothing does.
    rel = HARSH
    a = rel.availability
    a_n, a_c, a_p = a("nic"), a("nic_card"), a("san_port")
    both = (1 - (1 - a_n) ** 2) * (1 - (1 - a_n * a_p) ** 2)
    one = a_n * (a_n * a_p)
    paths = a_c**2 * both + 2 * a_c * (1 - a_c) * one
    expected = a("host") * a("switch") * a("uplink") * a("san") * paths
    d = design_from_tier("single-redundant-connections")
    assert availability(d, rel).availability == pytest.approx(expected, abs=1e-12)
    assert availability_bruteforce(d, rel) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    "tier, n, reserve, quorum, k",
    [
        # k = the number of up hosts the rules need: max(N - reserve, quorum). Node
        # majority needs more than half of N; node and disk majority, with the
        # witness on the SAN claimed by the up hosts (they have storage), q + 1 >
        # (N + 1) / 2, i.e. q >= N/2 for even N.
        ("cluster-minimal", 2, 1, "auto", 1),  # witness: one node of two suffices
        ("cluster-minimal", 3, 1, "auto", 2),  # node majority
        ("cluster-redundant-connections", 4, 1, "auto", 3),  # N+1 decides
        ("cluster-redundant-connections", 6, 4, "auto", 3),  # witness: 3 of 6
        ("cluster-minimal", 6, 4, "node_majority", 4),  # majority: 4 of 6
        ("cluster-minimal", 7, 5, "node_majority", 4),
        ("cluster-minimal", 5, 3, "node_and_disk_majority", 3),
        ("cluster-redundant-connections", 16, 8, "auto", 8),
        ("cluster-minimal", 64, 1, "auto", 63),
    ],
)
def test_cluster_with_perfect_network_is_switch_san_and_k_of_n_hosts(tier, n, reserve, quorum, k):
    # Only hosts, the one switch and the SAN fail: every up host is connected and has
    # production and storage, so all VMs run iff the switch and the SAN are up and at
    # least k hosts are.
    rel = perfect(HARSH, "nic", "nic_card", "uplink", "san_port", "isl")
    rules = FailureRules(reserve=reserve, quorum=quorum)
    a = rel.availability
    expected = a("switch") * a("san") * binomial_tail(n, k, a("host"))
    got = availability(design_from_tier(tier, nodes=n), rel, rules).availability
    assert got == pytest.approx(expected, abs=1e-12)


def test_redundant_path_cluster_with_perfect_links_needs_one_switch():
    # Fig 2.12 with perfect NICs, cards, uplinks, portals and ISL: either switch alone
    # carries production, storage and a cluster network, so the switches are in
    # parallel: (1 - u_switch^2) x SAN x k-of-n hosts.
    rel = perfect(HARSH, "nic", "nic_card", "uplink", "san_port", "isl")
    a, u = rel.availability, rel.unavailability
    for n in (3, 4, 9):
        expected = (1 - u("switch") ** 2) * a("san") * binomial_tail(n, n - 1, a("host"))
        got = availability(design_from_tier("cluster-redundant-path", nodes=n), rel)
        assert got.availability == pytest.approx(expected, abs=1e-12)


def test_downtime_and_restart_definitions():
    # domain.md §4: downtime = (1 - A) x 525,960 min; restarts = N x 8766 / (MTBF +
    # MTTR) host failures a year; each stops 1/N of the VMs for failover_minutes.
    d = design_from_tier("cluster-redundant-path", nodes=8)
    r = availability(d)
    assert r.downtime_minutes_per_year == pytest.approx(r.unavailability * 525_960)
    restarts = 8 * HOURS_PER_YEAR / (BASE.mtbf_hours("host") + BASE.mttr_hours("host"))
    assert r.failover_restarts_per_year == pytest.approx(restarts)
    # VM downtime = (1 - vm_availability) x 525,960 + restarts x failover_minutes / N.
    vm = (1 - r.vm_availability) * 525_960 + restarts * BASE.failover_minutes / 8
    assert r.vm_downtime_minutes_per_year == pytest.approx(vm)
    assert r.to_dict()["vm_availability"] == r.vm_availability
    single = availability(design_from_tier("single-redundant-path"))
    assert single.failover_restarts_per_year == 0
    # One standalone server: a VM is down exactly when the service is.
    assert single.vm_downtime_minutes_per_year == pytest.approx(single.downtime_minutes_per_year)


# ------------------------------------------------------- exact against brute force

BRUTE_FORCE_CASES = [
    # (tier, options, kinds made perfect, rules, evaluator); C = components enumerated
    ("single-redundant-connections", {}, (), FailureRules(), "graph"),  # C = 12
    ("single-redundant-path", {}, ("uplink",), FailureRules(), "graph"),  # C = 13
    ("single-redundant-path", {"cross_switch_teaming": False}, (), FailureRules(), "fast"),
    # two standalone servers: both must serve (C = 14)
    ("single-redundant-connections", {"nodes": 2}, ("nic_card", "uplink"), FailureRules(), "fast"),
    # two-node clusters: a witness, one node may serve alone
    (
        "cluster-minimal",
        {"nodes": 2, "nic_ports_per_card": 3, "san_portals": 1},
        ("switch", "uplink"),
        FailureRules(),
        "graph",
    ),  # C = 12
    (
        "cluster-minimal",
        {"nodes": 2, "nic_ports_per_card": 3, "san_portals": 1},
        (),
        FailureRules(quorum="node_majority"),
        "fast",
    ),  # C = 14
    (
        "cluster-redundant-connections",
        {"nodes": 2, "nic_ports_per_card": 6, "san_portals": 1},
        ("uplink", "switch", "san_port"),
        FailureRules(),
        "fast",
    ),  # C = 17
    # two switches: the ISL splits the cluster networks when it fails
    (
        "cluster-redundant-path",
        {"nodes": 2, "nic_ports_per_card": 6, "san_portals": 1},
        ("nic_card", "san", "uplink", "host"),
        FailureRules(network_health_detection=False),
        "fast",
    ),  # C = 15
    (
        "cluster-redundant-path",
        {"nodes": 2, "nic_ports_per_card": 6, "san_portals": 1, "windows_version": "2008 R2"},
        ("nic_card", "san", "uplink", "nic"),
        FailureRules(csv_redirected_io=False),
        "fast",
    ),
    # three and four nodes: halves that can split, the witness between two halves
    (
        "cluster-minimal",
        {"nodes": 3, "nic_ports_per_card": 3, "san_portals": 1},
        ("switch", "uplink", "nic_card", "san_port"),
        FailureRules(),
        "fast",
    ),  # C = 13
    (
        "cluster-minimal",
        {"nodes": 4, "nic_ports_per_card": 3, "san_portals": 1},
        ("switch", "uplink", "nic_card", "san", "san_port"),
        FailureRules(reserve=2),
        "fast",
    ),
    (
        "cluster-minimal",
        {"nodes": 4, "nic_ports_per_card": 3, "san_portals": 1},
        ("switch", "uplink", "nic_card", "san", "san_port"),
        FailureRules(reserve=3, network_health_detection=False),
        "fast",
    ),
]


@pytest.mark.parametrize("tier, options, kinds, rules, evaluator", BRUTE_FORCE_CASES)
def test_exact_equals_brute_force(tier, options, kinds, rules, evaluator):
    d = design_from_tier(tier, **options)
    rel = perfect(HARSH, *kinds)
    expected = availability_bruteforce(d, rel, rules, evaluator=evaluator)
    assert availability(d, rel, rules).availability == pytest.approx(expected, abs=1e-12)


def test_brute_force_refuses_large_designs():
    with pytest.raises(HvdesignError, match="at most 20"):
        availability_bruteforce(design_from_tier("cluster-redundant-path", nodes=4))


def test_port_effects_restate_the_fast_model_host_states():
    # The exact method derives host types from per-connection effects; they must give
    # what FastModel.host_state gives for every shared state and local failure set
    # (production path, direct storage, attachments).
    for tier in TIERS:
        d = design_from_tier(tier, nodes=2 if TIERS[tier].preset["cluster"] else 1)
        fm = FastModel(d, FailureRules())
        locals_ = fm.local_templates()[1:]
        for _, failed in _shared_states(fm, HARSH):
            infra = fm.infra(failed)
            effects = [_port_effect(fm, infra, p) for p in fm.layout]
            for size in range(len(locals_) + 1):
                if size > 3:
                    break
                for combo in itertools.combinations(locals_, size):
                    st = fm.host_state(failed, frozenset(combo))
                    live = [
                        e
                        for p, e in zip(fm.layout, effects, strict=True)
                        if e and p.suffix not in combo and f"card{p.card}" not in combo
                    ]
                    assert bool(st.production) == any(e[0] for e in live)
                    assert bool(st.storage) == any(e[1] for e in live)
                    assert st.attachments == {e[2] for e in live if e[2]}


# --------------------------------------------------------------------- Monte Carlo


@pytest.mark.parametrize(
    "tier, nodes, years",
    [
        ("cluster-redundant-path", 4, 200),
        ("cluster-minimal", 3, 200),
        ("single-redundant-path", 1, 400),
    ],
)
def test_monte_carlo_interval_contains_the_exact_value(tier, nodes, years):
    # Inflated failure rates (MTBF 2,000-10,000 h, MTTR 30-60 h) make outages frequent:
    # each of the 20 replications sees dozens of them, so the replication means are
    # close to normal and the t interval is honest; a fixed seed makes it repeatable.
    rel = BASE.replace(
        {
            k: {"mtbf_hours": m * 10, "mttr_hours": HARSH.mttr_hours(k)}
            for k, m in ((k, HARSH.mtbf_hours(k)) for k in KINDS)
        }
    )
    d = design_from_tier(tier, nodes=nodes)
    exact = availability(d, rel).availability
    mc = availability(d, rel, method="montecarlo", years=years, seed=1)
    lo, hi = mc.ci95
    assert lo <= exact <= hi
    assert mc.method == "montecarlo" and mc.years == years and mc.seed == 1
    assert hi - lo < 0.01


def test_monte_carlo_is_repeatable_and_counts_component_years():
    d = design_from_tier("cluster-redundant-connections", nodes=3)
    a = simulate(d, HARSH, years=20, seed=7)
    b = simulate(d, HARSH, years=20, seed=7)
    assert a["unavailability"] == b["unavailability"]
    assert a["component_years"] == (3 * 10 + 5) * 20  # host, 3 cards, 6 NICs; 5 shared


def test_monte_carlo_rejects_bad_settings():
    d = design_from_tier("cluster-minimal", nodes=2)
    with pytest.raises(HvdesignError, match="replications"):
        simulate(d, replications=1)
    with pytest.raises(HvdesignError, match="years"):
        simulate(d, years=-1)


# ----------------------------------------------------------------- monotonicity

NHD_VERSIONS = ["2012 R2", "2016", "2019"]


@settings(max_examples=40, deadline=None)
@given(
    tier=st.sampled_from(CLUSTER_TIERS),
    nodes=st.integers(2, 12),
    kind=st.sampled_from(KINDS),
    factor=st.sampled_from([1.5, 3.0, 10.0]),
    version=st.sampled_from(NHD_VERSIONS),
    mtbf=st.sampled_from([200, 1000, 5000]),
)
def test_a_better_mtbf_never_lowers_availability(tier, nodes, kind, factor, version, mtbf):
    # With network health detection (2012 R2 and later) the rules are coherent: a
    # component coming back never stops a VM. (Without it they are not: see the next
    # test.)
    rel = BASE.replace({k: {"mtbf_hours": mtbf, "mttr_hours": 20} for k in KINDS})
    better = rel.replace({kind: {"mtbf_hours": mtbf * factor}})
    d = design_from_tier(tier, nodes=nodes, windows_version=version)
    assert availability(d, better).availability >= availability(d, rel).availability - 1e-13


@settings(max_examples=30, deadline=None)
@given(
    tier=st.sampled_from(list(TIERS)),
    nodes=st.integers(2, 10),
    change=st.sampled_from(["san_portals", "uplinks_per_switch", "isl_links"]),
)
def test_an_added_redundant_path_never_lowers_availability(tier, nodes, change):
    d = design_from_tier(tier, nodes=nodes if TIERS[tier].preset["cluster"] else 1)
    if change == "isl_links" and d.switches == 1:
        return
    more = design_from_tier(d.tier, nodes=d.nodes, **{change: getattr(d, change) + 1})
    assert availability(more, HARSH).availability >= availability(d, HARSH).availability - 1e-13


def test_without_network_health_detection_a_better_host_can_lower_availability():
    # A property of the failure rules (domain.md §3), confirmed by graph brute force:
    # on Windows Server 2012 a host that loses production but keeps storage keeps its
    # VMs up but unreachable (an outage), while a host that fails has its VMs restart
    # elsewhere. Making hosts more reliable keeps more of them in the first state.
    rel = perfect(
        BASE.replace(
            {
                "host": {"mtbf_hours": 1000, "mttr_hours": 20},
                "nic": {"mtbf_hours": 1000, "mttr_hours": 100},
            }
        ),
        "switch",
        "uplink",
        "san_port",
        "san",
        "nic_card",
        "isl",
    )
    better = rel.replace({"host": {"mtbf_hours": 3000}})
    d = design_from_tier(
        "cluster-minimal", nodes=3, windows_version="2012", nic_ports_per_card=3, san_portals=1
    )
    before, after = availability(d, rel).availability, availability(d, better).availability
    assert after < before - 5e-4
    assert before == pytest.approx(availability_bruteforce(d, rel), abs=1e-12)
    assert after == pytest.approx(availability_bruteforce(d, better), abs=1e-12)
    with_nhd = design_from_tier(
        "cluster-minimal", nodes=3, windows_version="2012 R2", nic_ports_per_card=3, san_portals=1
    )
    assert availability(with_nhd, better).availability > availability(with_nhd, rel).availability


# -------------------------------------------------------------- every preset, variants


@pytest.mark.parametrize("tier", list(TIERS))
def test_every_preset_at_every_node_count(tier):
    start = 2 if TIERS[tier].preset["cluster"] else 1
    values = [availability(design_from_tier(tier, nodes=n)).availability for n in range(start, 65)]
    assert all(0 < v < 1 for v in values)


@pytest.mark.parametrize(
    "options, rules",
    [
        ({"windows_version": "2008 R2", "nodes": 16}, FailureRules()),
        ({"nic_ports_per_card": 1, "nodes": 8}, FailureRules()),
        ({"nic_ports_per_card": 6, "san_portals": 4, "nodes": 8}, FailureRules()),
        (
            {"cross_switch_teaming": False, "nodes": 5},
            FailureRules(quorum="node_and_disk_majority"),
        ),
        ({"heartbeat_connections": 2, "nodes": 6}, FailureRules(reserve=2)),
        ({"nodes": 64}, FailureRules(reserve=32)),
        ({"nodes": 10, "uplinks_per_switch": 0}, FailureRules()),
    ],
)
def test_variants(options, rules):
    r = availability(design_from_tier("cluster-redundant-path", **options), rules=rules)
    assert 0 <= r.availability <= 1
    if options.get("uplinks_per_switch") == 0:
        assert r.availability == 0  # no production path at all


def test_design_file_with_explicit_connections():
    d = load_design("data/designs/custom-layout.yaml")
    rel = HARSH
    # The production team on one card: the card is a single point for production,
    # so the design is worse than the generated Fig 2.12 layout.
    generated = design_from_tier("cluster-redundant-path", nodes=8)
    assert availability(d, rel).availability < availability(generated, rel).availability


def test_bad_method_and_arguments():
    d = design_from_tier("cluster-minimal", nodes=2)
    with pytest.raises(HvdesignError, match="method"):
        availability(d, method="guess")
    with pytest.raises(HvdesignError, match="reliability"):
        availability(d, reliability={"host": 1})
    with pytest.raises(HvdesignError, match="reserve"):
        availability(d, rules=FailureRules(reserve=2))


# ------------------------------------------------------------------ reliability file


def write(tmp_path, text: str):
    path = tmp_path / "rel.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_figures_have_sources_and_years():
    data = BASE.to_dict()
    assert set(data) == set(KINDS) | {"failover_minutes"}
    for kind in KINDS:
        for name in ("mtbf_hours", "mttr_hours"):
            fig = data[kind][name]
            assert fig["value"] > 0 and fig["source"] and fig["year"]
    # FACTS.md: about 5% of top-of-rack switches fail a year (Gill et al. 2011).
    assert BASE.mtbf_hours("switch") == pytest.approx(8766 / 0.05)
    assert "assumption" in BASE.figure("host", "mtbf_hours").source


def test_partial_file_overrides_only_what_it_names(tmp_path):
    rel = load_reliability(write(tmp_path, "switch:\n  mtbf_hours: 100000\nfailover_minutes: 2\n"))
    assert rel.mtbf_hours("switch") == 100000
    assert rel.mttr_hours("switch") == BASE.mttr_hours("switch")
    assert rel.mtbf_hours("host") == BASE.mtbf_hours("host")
    assert rel.failover_minutes == 2
    assert "user file" in rel.figure("switch", "mtbf_hours").source
    full = load_reliability(
        write(tmp_path, "nic:\n  mttr_hours: {value: 0, source: spares, year: 2024}\n")
    )
    assert full.availability("nic") == 1.0
    assert load_reliability(write(tmp_path, "")) == BASE


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "switch:\n  mtbf_hours: -5\n",
            "reliability.switch.mtbf_hours: -5.0 is not valid; allowed: a positive number of hours",
        ),
        ("switch:\n  mttr_hours: -1\n", "reliability.switch.mttr_hours"),
        ("switch:\n  mtbf_hours: fast\n", "not a number"),
        ("switch:\n  mtbf_hours: true\n", "not a number"),
        (
            "switchz:\n  mtbf_hours: 5\n",
            "one of host, nic, nic_card, switch, uplink, isl, san_port, san, or failover_minutes",
        ),
        ("switch:\n  mtbf: 5\n", "mtbf_hours or mttr_hours"),
        ("failover_minutes: -3\n", "reliability.failover_minutes"),
        ("host:\n  mtbf_hours: {value: 5, year: 'last'}\n", "reliability.host.mtbf_hours.year"),
        ("host:\n  mtbf_hours: {valu: 5}\n", "unknown key"),
        ("- host\n", "a mapping of component kinds"),
        ("switch:\n  mtbf_hours: [1\n", "line 3"),
    ],
)
def test_bad_reliability_files_are_rejected_with_the_entry(tmp_path, text, message):
    with pytest.raises(HvdesignError) as err:
        load_reliability(write(tmp_path, text))
    assert message in str(err.value)


def test_missing_reliability_file(tmp_path):
    with pytest.raises(HvdesignError, match="readable YAML file"):
        load_reliability(tmp_path / "nope.yaml")


# --------------------------------------------------------------------------- CLI


def _main():
    from hvdesign.cli.availability import availability_cmd
    from hvdesign.cli.main import main

    if "availability" not in main.commands:  # the lead registers it in hvdesign.cli.main
        main.add_command(availability_cmd)
    return main


def cli(*args: str):
    return CliRunner().invoke(_main(), list(args), catch_exceptions=False)


def test_cli_json_keys():
    result = cli("availability", "cluster-redundant-path", "--nodes", "4", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    for key in (
        "availability",
        "unavailability",
        "downtime_minutes_per_year",
        "failover_restarts_per_year",
        "vm_downtime_minutes_per_year",
        "vm_availability",
        "method",
    ):
        assert key in data
    assert data["method"] == "exact" and "ci95" not in data
    mc = json.loads(
        cli(
            "availability",
            "cluster-minimal",
            "-n",
            "3",
            "--method",
            "montecarlo",
            "--years",
            "50",
            "--json",
        ).output
    )
    assert mc["method"] == "montecarlo" and len(mc["ci95"]) == 2


def test_cli_text_has_units_and_uses_reliability_file(tmp_path):
    out = cli("availability", "single-redundant-connections").output
    assert "availability 0.999" in out and "min/year" in out and "%" in out
    path = write(tmp_path, "switch:\n  mttr_hours: 0\n")
    better = json.loads(
        cli(
            "availability", "single-redundant-connections", "--reliability", str(path), "--json"
        ).output
    )
    default = json.loads(cli("availability", "single-redundant-connections", "--json").output)
    assert better["availability"] > default["availability"]


def test_cli_bad_reliability_file_is_one_line_and_status_2(tmp_path):
    path = write(tmp_path, "switch:\n  mtbf_hours: -5\n")
    result = cli_error("availability", "cluster-minimal", "-n", "2", "--reliability", str(path))
    assert result.exit_code == 2
    assert "reliability.switch.mtbf_hours" in result.output


def cli_error(*args: str):
    return CliRunner().invoke(_main(), list(args))
