"""Tests of hvdesign.checks and ``hvdesign check``: each best-practice rule of
shared/domain.md section 7 with one design that triggers it and one that does not,
the guide's own tier presets passing, and the CLI's exit status and JSON."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from hvdesign.checks import (
    RULES,
    SEVERITIES,
    Finding,
    check_design,
    findings_frame,
    has_errors,
    severity_counts,
    tier_findings,
)
from hvdesign.cli.main import main
from hvdesign.cli.multipath import COMMANDS, EXIT_ERROR_FINDING
from hvdesign.errors import HvdesignError
from hvdesign.spec import TIERS, design_from_dict, design_from_tier

for _cmd in COMMANDS:  # what the lead's registration will do (idempotent)
    main.add_command(_cmd)

# Two storage paths on switch A of a redundant-path cluster (explicit layout).
STORAGE_ON_A = [
    {"class": "production", "switch": "a", "card": 1},
    {"class": "production", "switch": "b", "card": 2},
    {"class": "storage", "switch": "a", "card": 1},
    {"class": "storage", "switch": "a", "card": 2},
    {"class": "heartbeat", "switch": "a", "card": 3},
    {"class": "management", "switch": "b", "card": 3},
]
STORAGE_SPLIT = [dict(c) for c in STORAGE_ON_A]
STORAGE_SPLIT[3]["switch"] = "b"

# (rule, severity, triggering design, clean design); each design is (tier, options).
CASES = [
    (
        "storage-teamed",
        "error",
        ("cluster-redundant-path", {"storage_multipath": "team"}),
        ("cluster-redundant-path", {}),
    ),
    (
        "storage-subnet",
        "error",
        ("cluster-redundant-path", {"subnets": {"production": "10.40.0.0/16"}}),
        ("cluster-redundant-path", {"subnets": {"production": "10.41.0.0/16"}}),
    ),
    (
        "storage-subnet-per-path",
        "error",
        ("cluster-redundant-path", {"subnets": {"storage": ["10.40.0.0/24", "10.40.0.0/24"]}}),
        ("cluster-redundant-path", {"subnets": {"storage": ["10.40.0.0/24", "10.40.1.0/24"]}}),
    ),
    (
        "storage-subnet-per-path",
        "warning",  # a standalone server: not the cluster's one-address-per-subnet rule
        (
            "single-redundant-connections",
            {"subnets": {"storage": ["10.40.0.0/24", "10.40.0.0/25"]}},
        ),
        ("single-redundant-connections", {}),
    ),
    (
        "storage-path-portal",
        "warning",
        ("single-redundant-connections", {"san_portals": 1}),
        ("single-redundant-connections", {"san_portals": 2}),
    ),
    (
        "heartbeat-network",
        "error",
        ("cluster-minimal", {"heartbeat_connections": 0}),
        ("cluster-minimal", {}),
    ),
    (
        "heartbeat-network",
        "error",
        ("cluster-redundant-path", {"subnets": {"heartbeat": "10.20.0.0/24"}}),
        ("cluster-redundant-path", {"subnets": {"heartbeat": "10.30.0.0/24"}}),
    ),
    (
        "heartbeat-unused",
        "info",
        ("single-redundant-connections", {"heartbeat_connections": 1}),
        ("single-redundant-connections", {}),
    ),
    (
        "management-network",
        "warning",  # four nodes: a mature cluster
        ("cluster-minimal", {"nodes": 4}),
        ("cluster-redundant-connections", {"nodes": 4}),
    ),
    (
        "management-network",
        "info",  # two nodes, minimal connections: the guide's Fig 2.10
        ("cluster-minimal", {"nodes": 2}),
        ("single-redundant-connections", {}),
    ),
    (
        "management-network",
        "warning",
        ("cluster-redundant-path", {"subnets": {"management": "10.10.0.0/25"}}),
        ("cluster-redundant-path", {}),
    ),
    (
        "nic-card",
        "warning",
        ("single-redundant-connections", {"nic_ports_per_card": 4}),
        ("single-redundant-connections", {"nic_ports_per_card": 2}),
    ),
    (
        "switch-redundancy",
        "warning",
        ("cluster-redundant-path", {"connections": STORAGE_ON_A}),
        ("cluster-redundant-path", {"connections": STORAGE_SPLIT}),
    ),
    (
        "switch-redundancy",
        "warning",  # one production connection: no path through switch B
        ("single-redundant-path", {"production_connections": 1}),
        ("single-redundant-path", {}),
    ),
    (
        "switch-redundancy",
        "info",  # the guide's documented option (Fig 2.9's dashed line)
        ("single-redundant-path", {"cross_switch_teaming": False}),
        ("single-redundant-path", {"cross_switch_teaming": True}),
    ),
    (
        "team-across-switches",
        "warning",
        ("cluster-redundant-path", {"management_connections": 2, "cross_switch_teaming": False}),
        ("cluster-redundant-path", {"management_connections": 2, "cross_switch_teaming": True}),
    ),
    (
        "san-portals",
        "warning",
        ("single-redundant-path", {"san_portals": 1}),
        ("single-redundant-path", {"san_portals": 2}),
    ),
    (
        "uplinks",
        "error",
        ("single-redundant-path", {"uplinks_per_switch": 0}),
        ("single-redundant-path", {"uplinks_per_switch": 1}),
    ),
    (
        "inter-switch-link",
        "info",
        ("single-redundant-path", {"isl_links": 0}),
        ("single-redundant-path", {"isl_links": 1}),
    ),
    (
        "ip-per-connection",
        "info",
        ("single-redundant-connections", {}),
        ("single-redundant-connections", {"storage_multipath": "team"}),
    ),
    (
        "node-limit",
        "info",
        ("cluster-minimal", {"nodes": 3}),
        ("single-redundant-connections", {}),
    ),
    (
        "shared-storage",
        "info",
        ("cluster-minimal", {"nodes": 3}),
        ("single-redundant-path", {}),
    ),
]


def _design(spec):
    """The design of a case. The model refuses overlapping subnets (issue 13: a plan
    would give one address twice), so a case with its own ``subnets`` is built
    unvalidated (``model_construct``): the checks still flag what they are handed."""
    tier, options = spec
    if "subnets" not in options:
        return design_from_dict({"tier": tier, **options})
    rest = {k: v for k, v in options.items() if k != "subnets"}
    valid = design_from_dict({"tier": tier, **rest})
    fields = {name: getattr(valid, name) for name in type(valid).model_fields}
    return type(valid).model_construct(
        **{**fields, "subnets": {**valid.subnets, **options["subnets"]}}
    )


OVERLAPPING = [c[2] for c in CASES if "subnets" in c[2][1]]


@pytest.mark.parametrize("bad", OVERLAPPING, ids=lambda b: str(b[1]["subnets"]))
def test_the_model_refuses_overlapping_subnets(bad):
    """Issue 13: every design the subnet rules fire on is refused when built, naming
    both subnets ("subnets.storage: ... overlaps production ...")."""
    tier, options = bad
    with pytest.raises(HvdesignError, match=r"^subnets\.\S+: .* overlaps \S+ \S+/\d+\)"):
        design_from_dict({"tier": tier, **options})


def _of(findings, rule):
    return [f for f in findings if f.rule == rule]


@pytest.mark.parametrize(
    ("rule", "severity", "bad", "good"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_rule_triggers_and_does_not(rule, severity, bad, good):
    hits = _of(check_design(_design(bad)), rule)
    assert hits, f"{rule} did not fire on {bad}"
    assert {f.severity for f in hits} == {severity}
    for f in hits:
        assert f.message and f.components
    clean = _of(check_design(_design(good)), rule)
    assert not [f for f in clean if f.severity == severity], clean


def test_every_rule_is_tested():
    assert {c[0] for c in CASES} == set(RULES)


def test_the_guides_presets_pass(tier):
    """The guide's own designs (Figs 2.8 to 2.12) have no error at any size, and no
    warning except the minimal cluster's missing management network once it has
    three nodes or more."""
    for n in (1, 2, 3, 8, 16, 64):
        if TIERS[tier].preset["cluster"] and n < 2:
            continue
        findings = check_design(design_from_tier(tier, nodes=n))
        assert not has_errors(findings)
        warnings = [f.rule for f in findings if f.severity == "warning"]
        expected = ["management-network"] if tier == "cluster-minimal" and n >= 3 else []
        assert warnings == expected


def test_team_on_one_card_names_the_card():
    """domain.md §3: a team on one card is a hidden single point of failure."""
    d = design_from_tier("single-redundant-connections", nic_ports_per_card=4)
    (prod,) = [f for f in _of(check_design(d), "nic-card") if "production" in f.message]
    assert "host1-p1 and host1-p2" in prod.message and "host1-card1" in prod.message
    assert "hidden single point of failure" in prod.message
    assert {"host1-p1", "host1-p2", "host1-card1"} <= set(prod.components)


def test_components_cover_every_host():
    d = design_from_tier("cluster-redundant-path", nodes=3, storage_multipath="team")
    (f,) = _of(check_design(d), "storage-teamed")
    assert f.components == [f"host{h}-s{m}" for h in (1, 2, 3) for m in (1, 2)]
    assert "KB 2535811" in f.message


def test_example_design_file_with_production_team_on_one_card():
    """data/designs/custom-layout.yaml says the checks flag its production team."""
    from hvdesign.datafiles import data_path
    from hvdesign.spec import load_design

    findings = check_design(load_design(data_path("designs/custom-layout.yaml")))
    assert [f.rule for f in findings if f.severity != "info"] == ["nic-card"]


def test_node_limit_reports_the_limit():
    d = design_from_tier("cluster-redundant-path", nodes=16, windows_version="2008 R2")
    (f,) = _of(check_design(d), "node-limit")
    assert "16 of at most 16" in f.message and "no node can be added" in f.message
    with pytest.raises(HvdesignError, match="node limit"):  # above it: not a design
        design_from_tier("cluster-redundant-path", nodes=17, windows_version="2008 R2")


def test_mature_cluster_nodes_is_a_parameter():
    d = design_from_tier("cluster-minimal", nodes=4)
    assert _of(check_design(d), "management-network")[0].severity == "warning"
    relaxed = check_design(d, mature_cluster_nodes=5)
    assert _of(relaxed, "management-network")[0].severity == "info"
    with pytest.raises(HvdesignError, match="mature_cluster_nodes"):
        check_design(d, mature_cluster_nodes=1)


def test_order_and_helpers():
    d = design_from_tier("cluster-minimal", nodes=4, storage_multipath="team")
    findings = check_design(d)
    ranks = [SEVERITIES.index(f.severity) for f in findings]
    assert ranks == sorted(ranks)
    assert has_errors(findings)
    assert severity_counts(findings) == {
        "error": 1,
        "warning": 1,
        "info": 2,  # node-limit, shared-storage (no ip-per-connection for a team)
    }
    df = findings_frame(findings)
    assert list(df.columns) == ["severity", "rule", "message", "components"]
    assert len(df) == len(findings)
    assert set(tier_findings(4)["tier"]) == set(TIERS)


def test_finding_to_dict():
    f = Finding("warning", "nic-card", "m", ["a"])
    assert f.to_dict() == {
        "severity": "warning",
        "rule": "nic-card",
        "message": "m",
        "components": ["a"],
    }


def test_check_design_needs_a_design():
    with pytest.raises(HvdesignError, match="design"):
        check_design({"tier": "cluster-minimal"})


# --------------------------------------------------------------------------- CLI
def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_cli_exit_1_on_an_error_finding():
    result = run("check", "cluster-minimal", "-n", "3", "--set", "storage_multipath=team")
    assert result.exit_code == EXIT_ERROR_FINDING == 1
    assert "ERROR [storage-teamed]" in result.output


def test_cli_exit_0_without_error_findings():
    """A warning (the minimal cluster at four nodes) does not fail the check."""
    result = run("check", "cluster-minimal", "-n", "4")
    assert result.exit_code == 0
    assert "WARNING [management-network]" in result.output


def test_cli_json_keys():
    result = run("check", "cluster-redundant-path", "-n", "4", "--set", "san_portals=1", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert set(data) == {"name", "tier", "nodes", "counts", "findings"}
    assert set(data["counts"]) == set(SEVERITIES)
    for f in data["findings"]:
        assert set(f) == {"severity", "rule", "message", "components"}
        assert f["severity"] in SEVERITIES and f["rule"] in RULES
    assert "san-portals" in [f["rule"] for f in data["findings"]]


def test_cli_json_error_still_exit_1():
    result = run("check", "single-redundant-path", "--set", "uplinks_per_switch=0", "--json")
    assert result.exit_code == 1
    assert json.loads(result.output)["counts"]["error"] == 1


def test_cli_design_file(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text("tier: cluster-minimal\nnodes: 2\nheartbeat_connections: 0\n")
    result = run("check", str(path))
    assert result.exit_code == 1
    assert "heartbeat-network" in result.output


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["check", "cluster-maximal", "-n", "3"], "TARGET"),
        (["check", "cluster-minimal", "-n", "17", "--set", "windows_version=2008 R2"], "nodes"),
        (["check", "cluster-minimal", "--set", "colour=red"], "option"),
    ],
)
def test_cli_bad_input_exit_2_one_line(args, field):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"hvdesign: error: {field}: ")
