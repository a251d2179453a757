"""The command line: JSON output, formats, and one-line errors with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from hvdesign.cli.main import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def run_process(*args: str) -> subprocess.CompletedProcess:
    """Run the real entry point, so exit status and stderr are what a user sees."""
    return subprocess.run(
        [sys.executable, "-m", "hvdesign", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_summary_json_has_the_documented_keys():
    result = run("summary", "cluster-redundant-path", "--nodes", "8", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    for key in (
        "tier",
        "nodes",
        "switches",
        "connections_per_host",
        "connections_per_host_total",
        "host_connections_total",
        "switch_ports",
        "switch_ports_total",
        "ip_addresses",
    ):
        assert key in data
    assert data["host_connections_total"] == 48  # the guide: eight nodes, 48
    assert set(data["switch_ports"]["switch-a"]) == {"host", "san", "uplink", "isl", "total"}


def test_summary_from_design_file_with_set(tmp_path):
    path = tmp_path / "d.yaml"
    assert run("design", "cluster-minimal", "--nodes", "3", "-o", str(path)).exit_code == 0
    result = run("summary", str(path), "--set", "nodes=4", "--json")
    assert json.loads(result.output)["host_connections_total"] == 12


def test_tiers_lists_five():
    out = run("tiers").output
    assert sum(line.startswith(("single-", "cluster-")) for line in out.splitlines()) == 5


def test_cabling_netbox_csv():
    out = run("cabling", "cluster-minimal", "-n", "2", "--format", "netbox").output
    header, *rows = out.strip().splitlines()
    assert header.startswith("side_a_device,side_a_type,side_a_name,side_b_device")
    # 2 hosts x 3 connections + 2 portals + 1 uplink.
    assert len(rows) == 9


def test_ipplan_csv():
    out = run("ipplan", "cluster-minimal", "-n", "2", "--format", "csv").output
    # The columns ip_plan documents (VLAN, MTU, gateway and cluster role per subnet: issue 14).
    assert out.splitlines()[0] == (
        "subnet,traffic_class,network,address,device,interface,role,vlan,mtu,gateway,cluster_role"
    )


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["summary", "cluster-minimal", "--nodes", "0"], "nodes"),
        (["summary", "cluster-minimal", "--nodes", "-2"], "nodes"),
        (["summary", "cluster-minimal", "--nodes", "2.5"], "nodes"),
        (["summary", "cluster-minimal", "--nodes", "1"], "nodes"),
        (
            ["summary", "cluster-minimal", "--nodes", "17", "--set", "windows_version=2008 R2"],
            "nodes",
        ),
        (["summary", "cluster-maximal", "--nodes", "3"], "TARGET"),
        (["summary", "cluster-minimal", "--set", "colour=red"], "option"),
        (["summary", "no-such-file.yaml"], "design file"),
        (["design", "cluster-maximal"], "TARGET"),
        (
            ["summary", "cluster-minimal", "--nodes", "40", "--set", "windows_version=2008 R2"],
            "nodes",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2(args, field):
    proc = run_process(*args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"hvdesign: error: {field}: ")
    assert "Traceback" not in proc.stderr


def test_malformed_design_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("tier: cluster-minimal\nnodes: 3\n  bad indent: [\n")
    proc = run_process("summary", str(path))
    assert proc.returncode == 2
    assert "design file" in proc.stderr and "line" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_error_leaves_no_output_file(tmp_path):
    out = tmp_path / "plan.csv"
    proc = run_process(
        "ipplan",
        "cluster-redundant-path",
        "-n",
        "64",
        "--set",
        "subnets={management: 10.20.0.0/26}",
        "--format",
        "csv",
        "-o",
        str(out),
    )
    assert proc.returncode == 2
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_unknown_command_option_is_one_line():
    proc = run_process("summary", "cluster-minimal", "--bogus")
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1


def test_coverage_json_double():
    result = run("coverage", "cluster-redundant-path", "-n", "3", "--double", "--json")
    data = json.loads(result.output)
    assert data["single_points_of_failure"] == ["san"]
    for key in ("scenario_classes", "single_failure_coverage", "double_failure_coverage"):
        assert key in data
    assert "scenarios" not in data  # the classes stand for them (issue 9)
    first = data["scenario_classes"][0]
    assert set(first) == {"failed", "kinds", "outcome", "vms_down_fraction", "reason", "count"}
    # 3 hosts x (host + 3 cards + 6 NICs) + 2 switches + 2 uplinks + 1 ISL + 2 portals
    # + SAN = 38 components: 38 singles and 38 * 37 / 2 = 703 pairs.
    assert sum(c["count"] for c in data["scenario_classes"]) == 38 + 703
    assert data["scenarios_total"] == 38 + 703
    singles = [c for c in data["scenario_classes"] if len(c["failed"]) == 1]
    assert sum(c["count"] for c in singles) == 38


def _expand(*args: str) -> list[dict]:
    result = run("coverage", *args, "--expand")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_coverage_expand_lists_every_scenario_once():
    rows = _expand("cluster-redundant-path", "-n", "3", "--double")
    assert len(rows) == 38 + 703  # the count derived in test_coverage_json_double
    assert len({tuple(sorted(r["failed"])) for r in rows}) == 38 + 703
    assert all(
        set(r) == {"failed", "kinds", "outcome", "vms_down_fraction", "reason"} for r in rows
    )
    assert sum(len(r["failed"]) == 1 for r in rows) == 38
    # The same facts as the old "scenarios" list: the SAN is the only single point of failure.
    assert [r["failed"] for r in rows if len(r["failed"]) == 1 and r["outcome"] == "outage"] == [
        ["san"]
    ]


def test_coverage_classes_count_the_expanded_outcomes():
    args = ("cluster-redundant-path", "-n", "3", "--double")
    data = json.loads(run("coverage", *args, "--json").output)
    rows = _expand(*args)
    by_classes: dict[tuple, int] = {}
    for c in data["scenario_classes"]:
        key = (len(c["failed"]), tuple(sorted(c["kinds"])), c["outcome"])
        by_classes[key] = by_classes.get(key, 0) + c["count"]
    by_rows: dict[tuple, int] = {}
    for r in rows:
        key = (len(r["failed"]), tuple(sorted(r["kinds"])), r["outcome"])
        by_rows[key] = by_rows.get(key, 0) + 1
    assert by_classes == by_rows
    # Each class's representative is one of the scenarios it stands for, same outcome.
    outcome = {tuple(r["failed"]): (r["outcome"], r["vms_down_fraction"]) for r in rows}
    for c in data["scenario_classes"]:
        assert outcome[tuple(c["failed"])] == (c["outcome"], c["vms_down_fraction"])


def test_coverage_expand_lines_are_json_dumps_of_the_scenarios():
    from hvdesign.failures import iter_scenarios
    from hvdesign.spec import design_from_tier

    result = run("coverage", "cluster-minimal", "-n", "3", "--double", "--expand")
    design = design_from_tier("cluster-minimal", nodes=3)
    expected = "".join(json.dumps(s.to_dict()) + "\n" for s in iter_scenarios(design, double=True))
    assert result.output == expected


def test_coverage_json_and_expand_together_is_one_line_error():
    proc = run_process("coverage", "cluster-minimal", "--json", "--expand")
    assert proc.returncode == 2
    assert proc.stderr.startswith("hvdesign: error: --json/--expand: ")


def test_coverage_methods_agree_in_the_cli():
    fast = json.loads(run("coverage", "cluster-minimal", "-n", "2", "--double", "--json").output)
    brute = json.loads(
        run(
            "coverage", "cluster-minimal", "-n", "2", "--double", "--json", "--method", "bruteforce"
        ).output
    )
    for data in (fast, brute):
        data.pop("method"), data.pop("scenario_classes")  # brute force: a class per scenario
    assert fast == brute
    args = ("cluster-minimal", "-n", "2", "--double")
    assert _expand(*args) == _expand(*args, "--method", "bruteforce")


def test_figure_topology_as_drawio(tmp_path):
    """``figure topology -o X.drawio`` writes the diagrams.net file without a browser:
    one edge per cable of the cabling plan (counted independently here)."""
    import xml.etree.ElementTree as ET

    from hvdesign.plans import cabling_plan
    from hvdesign.spec import design_from_tier

    out = tmp_path / "d.drawio"
    result = CliRunner().invoke(
        main, ["figure", "topology", "cluster-redundant-path", "-n", "4", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    root = ET.parse(out).getroot()
    assert root.tag == "mxfile"
    edges = [c for c in root.iter("mxCell") if c.get("edge") == "1"]
    plan = cabling_plan(design_from_tier("cluster-redundant-path", nodes=4))
    assert len(edges) == len(plan)
    bad = CliRunner().invoke(main, ["figure", "coverage", "-o", str(tmp_path / "c.drawio")])
    assert bad.exit_code == 2 and "only the topology" in bad.output


def test_figure_size_is_bounded(tmp_path):
    """8000 x 8000 px at scale 8 would be a 16 GB picture: refused before any work."""
    out = tmp_path / "a.png"
    r = CliRunner().invoke(
        main,
        [
            "figure",
            "topology",
            "-o",
            str(out),
            "--width",
            "8000",
            "--height",
            "8000",
            "--scale",
            "8",
        ],
    )
    assert r.exit_code == 2 and "million pixels" in r.output and not out.exists()
