"""``hvdesign size``, ``hvdesign compare --vms`` and ``hvdesign sensitivity`` (issue
11): the JSON each prints, parsed and checked against hand-computed sizing and the
library functions, and bad workloads named by their option. The commands are invoked
directly (their registration in ``hvdesign.cli.main`` is the lead's)."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from hvdesign.cli.cost import compare_cmd, cost
from hvdesign.cli.sensitivity import sensitivity_cmd
from hvdesign.cli.size import size_cmd
from hvdesign.errors import HvdesignError
from hvdesign.sizing import SIZE_COLUMNS

WORKLOAD = ["--vms", "300", "--vcpus-per-vm", "4", "--memory-gb-per-vm", "16"]


def _json(command, args):
    result = CliRunner().invoke(command, [*args, "--json"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return json.loads(result.output)


def test_size_json_rows_by_hand():
    data = _json(size_cmd, WORKLOAD)
    assert data["workload"]["vms"] == 300 and data["workload"]["vcpus_per_core"] == 4
    rows = {r["tier"]: r for r in data["designs"]}
    assert len(rows) == 5 and all(list(r) == list(SIZE_COLUMNS) for r in rows.values())
    # medium server: floor(504 / 16) = 31 a host; clusters 10 + 1, standalone 10
    assert {t: r["nodes"] for t, r in rows.items()} == {
        "single-redundant-connections": 10,
        "single-redundant-path": 10,
        "cluster-minimal": 11,
        "cluster-redundant-connections": 11,
        "cluster-redundant-path": 11,
    }
    r = rows["cluster-redundant-path"]
    assert (r["server"], r["vms_per_host"], r["limited_by"], r["reserve"]) == (
        "medium",
        31,
        "memory",
        1,
    )
    assert (r["cores"], r["memory_gb"], r["host_memory_reserved_gb"]) == (32, 512, 8)
    assert r["san_usable_tb"] == 30


def test_size_all_servers_and_options():
    data = _json(
        size_cmd,
        [*WORKLOAD, "--all-servers", "--tiers", "cluster-minimal", "--vcpus-per-core", "1"],
    )
    rows = {r["server"]: r for r in data["designs"]}
    # vcpus_per_core 1: cpu floor(cores / 4): small 4, medium 8, large 16 a host
    assert {s: (r["vms_per_host"], r["limited_by"]) for s, r in rows.items()} == {
        "medium": (8, "cpu"),
        "large": (16, "cpu"),
    }
    assert rows["medium"]["nodes"] == 38 + 1  # ceil(300 / 8) = 38
    assert rows["large"]["nodes"] == 19 + 1  # ceil(300 / 16) = 19
    # small: ceil(300 / 4) + 1 = 76 hosts, above the 64-node limit
    assert len(data["refused"]) == 1 and data["refused"][0].startswith("nodes: 76 ")


def test_size_from_a_scenario_file(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        "tier: cluster-minimal\nnodes: auto\nwindows_version: '2008 R2'\n"
        "workload: {vms: 300, vcpus_per_vm: 4, memory_gb_per_vm: 16, server: large}\n"
    )
    data = _json(size_cmd, [str(path), "--tiers", "cluster-minimal"])
    assert data["designs"][0]["server"] == "large" and data["designs"][0]["nodes"] == 6
    # an option overrides the file's workload
    data = _json(size_cmd, [str(path), "--tiers", "cluster-minimal", "--vms", "600"])
    assert data["designs"][0]["nodes"] == 10 + 1  # ceil(600 / 63) = 10


@pytest.mark.parametrize(
    "args, message",
    [
        ([], r"^--vms: None .*a workload"),
        (["--vms", "300"], r"^--vcpus-per-vm: None .*missing"),
        (["--vms", "0", "--vcpus-per-vm", "4", "--memory-gb-per-vm", "16"], r"^--vms: 0 "),
        ([*WORKLOAD, "--server", "huge"], r"^server: 'huge' "),
        ([*WORKLOAD, "--tiers", "nope"], r"^--tiers: 'nope' "),
    ],
)
def test_size_bad_input_is_named(args, message):
    result = CliRunner().invoke(size_cmd, args)
    assert isinstance(result.exception, HvdesignError)
    assert re.search(message, str(result.exception)), str(result.exception)


def test_compare_at_equal_capacity_json():
    data = _json(compare_cmd, [*WORKLOAD, "--all-servers"])
    assert (
        data["workload"]["vms"] == 300 and data["power_usd_per_kwh"] == 0.15 and data["pue"] == 1.5
    )
    assert len(data["designs"]) == 15
    for r in data["designs"]:
        for key in ("capex_usd", "opex_usd_per_year", "downtime_cost_usd", "total_cost_usd",
                    "vm_downtime_minutes_per_year", "nodes", "server", "cost_per_vm_per_year_usd"):  # fmt: skip
            assert key in r
        total = r["capex_usd"] + r["opex_usd_per_year"] * 5 + r["downtime_cost_usd"]
        assert r["total_cost_usd"] == pytest.approx(total, rel=1e-12)
        assert (r["nodes"] - r["reserve"]) * r["vms_per_host"] >= 300
    assert any(r["pareto"] for r in data["designs"])


def test_compare_without_a_workload_has_opex_too():
    data = _json(compare_cmd, ["--nodes", "2", "--tiers", "cluster-minimal"])
    r = data["designs"][0]
    down = r["vm_downtime_minutes_per_year"] / 60 * 10_000 * 5
    assert r["total_cost_usd"] == pytest.approx(r["capex_usd"] + r["opex_usd_per_year"] * 5 + down)


def test_cost_of_a_sized_scenario(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        "tier: cluster-redundant-path\nnodes: auto\n"
        "workload: {vms: 300, vcpus_per_vm: 4, memory_gb_per_vm: 16}\n"
    )
    data = _json(cost, [str(path)])
    assert data["nodes"] == 11 and data["vms"] == 300 and data["vms_per_host"] == 31
    assert data["capex"] == 435_410  # tests/test_sizing.py::test_worked_example_by_hand
    items = {row["item"] for row in data["bom"]}
    assert {"san_entry", "san_entry_capacity"} <= items
    total = data["capex"] + data["opex_usd_per_year"] * data["years"] + data["downtime_cost_usd"]
    assert data["total_cost_usd"] == pytest.approx(total)


def test_sensitivity_json():
    data = _json(sensitivity_cmd, ["cluster-redundant-path", "-n", "4", "--factor", "3"])
    assert data["factor"] == 3
    rows = {r["input"]: r for r in data["rows"]}
    assert rows["host.mttr_hours"]["low"]["value"] == pytest.approx(8 / 3)
    assert rows["host.mttr_hours"]["high"]["value"] == 24
    assert (
        rows["host.mttr_hours"]["high"]["vm_downtime_minutes_per_year"]
        >= rows["host.mttr_hours"]["low"]["vm_downtime_minutes_per_year"]
    )
    swings = [r["total_cost_swing_usd"] for r in data["rows"]]
    assert swings == sorted(swings, reverse=True)
    assert {b["kind"] for b in data["birnbaum"]} >= {"host", "san", "switch"}
