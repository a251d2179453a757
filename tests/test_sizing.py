"""Sizing from the workload (domain.md §5, issue 11): VMs per host and nodes by
hand-computed cases (memory-bound and CPU-bound), the node limit and the tier minimum
as errors or floors, the scenario file's ``workload`` and ``nodes: auto``, and the
comparison at equal capacity (every design carries the VMs; total = capex + opex x
years + downtime cost; the Pareto frontier by brute force)."""

from __future__ import annotations

import math

import pytest

from hvdesign.catalog import load_catalog
from hvdesign.cost import capex, design_counts
from hvdesign.datafiles import load_yaml_text
from hvdesign.errors import HvdesignError
from hvdesign.scenariofile import scenario_from_dict, scenario_to_yaml
from hvdesign.sizing import (
    SIZE_COLUMNS,
    Workload,
    compare_scenario,
    compare_workload,
    size,
    size_all,
    size_table,
    vms_per_host,
    workload_from_dict,
)
from hvdesign.spec import design_from_tier

CAT = load_catalog()
#: The worked example of the README: 300 VMs of 4 vCPU and 16 GB.
EXAMPLE = Workload(vms=300, vcpus_per_vm=4, memory_gb_per_vm=16)


def test_memory_bound_by_hand():
    # medium: 32 cores, 512 GB; 8 GB kept, 4 vCPU per core.
    # memory: floor((512 - 8) / 16) = floor(31.5) = 31; cpu: floor(32 x 4 / 4) = 32.
    assert vms_per_host(CAT.servers["medium"], EXAMPLE) == (31, "memory")
    s = size(EXAMPLE, "cluster-redundant-path", CAT, server="medium")
    # ceil(300 / 31) = 10 (9 x 31 = 279 < 300) + 1 reserve = 11
    assert (s.nodes, s.vms_per_host, s.limited_by, s.reserve) == (11, 31, "memory", 1)
    assert s.cpu_utilisation == pytest.approx(300 * 4 / (11 * 32 * 4))  # 0.852
    assert s.memory_utilisation == pytest.approx(300 * 16 / (11 * 504))  # 0.866
    assert s.san_usable_tb == 300 * 100 / 1000 == 30
    # standalone servers: no reserve
    single = size(EXAMPLE, "single-redundant-path", CAT, server="medium")
    assert (single.nodes, single.reserve) == (10, 0)


def test_cpu_bound_by_hand():
    w = Workload(vms=200, vcpus_per_vm=8, memory_gb_per_vm=4)
    # small: 16 cores, 256 GB. memory: floor(248 / 4) = 62; cpu: floor(16 x 4 / 8) = 8.
    assert vms_per_host(CAT.servers["small"], w) == (8, "cpu")
    s = size(w, "cluster-minimal", CAT, server="small")
    assert (s.nodes, s.limited_by) == (200 // 8 + 1, "cpu")  # 25 + 1 = 26
    # vcpus_per_core 2: floor(16 x 2 / 8) = 4 a host: 50 + 1 = 51
    w2 = Workload(vms=200, vcpus_per_vm=8, memory_gb_per_vm=4, vcpus_per_core=2)
    assert size(w2, "cluster-minimal", CAT, server="small").nodes == 51
    # a reserve of 2: 25 + 2
    assert size(w, "cluster-minimal", CAT, server="small", reserve=2).nodes == 27


def test_a_tie_reports_memory():
    w = Workload(vms=10, vcpus_per_vm=4, memory_gb_per_vm=15.75, host_memory_reserved_gb=8)
    # memory: floor(504 / 15.75) = 32 = cpu: floor(128 / 4)
    assert vms_per_host(CAT.servers["medium"], w) == (32, "memory")


def test_tier_minimum_is_a_floor():
    w = Workload(vms=10, vcpus_per_vm=2, memory_gb_per_vm=8)
    # large: 63 VMs a host; 1 host + reserve 0 = 1, but a cluster has at least 2
    assert size(w, "cluster-minimal", CAT, server="large", reserve=0).nodes == 2
    assert size(w, "single-redundant-connections", CAT, server="large").nodes == 1


def test_above_the_version_limit_is_an_error():
    # small: floor(248 / 16) = 15 a host: ceil(300 / 15) + 1 = 21 > 16 on 2008 R2
    with pytest.raises(HvdesignError, match=r"^nodes: 21 .*at most 16 on Windows Server 2008 R2"):
        size(
            EXAMPLE, "cluster-minimal", CAT, server="small", options={"windows_version": "2008 R2"}
        )
    big = Workload(vms=5000, vcpus_per_vm=4, memory_gb_per_vm=16)  # 5000 / 31 -> 162 + 1
    with pytest.raises(HvdesignError, match=r"^nodes: 163 .*at most 64"):
        size(big, "cluster-redundant-path", CAT)


def test_a_vm_no_host_carries_is_an_error():
    w = Workload(vms=4, vcpus_per_vm=4, memory_gb_per_vm=600)
    with pytest.raises(HvdesignError, match=r"^workload: .*no VM fits one host: limited by memory"):
        size(w, "cluster-minimal", CAT)
    w = Workload(vms=4, vcpus_per_vm=200, memory_gb_per_vm=1)  # 32 x 4 = 128 vCPU < 200
    with pytest.raises(HvdesignError, match=r"limited by cpu"):
        size(w, "cluster-minimal", CAT)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"vms": 0, "vcpus_per_vm": 4, "memory_gb_per_vm": 16}, r"^workload\.vms: 0 "),
        (
            {"vms": 10, "vcpus_per_vm": 2.5, "memory_gb_per_vm": 16},
            r"^workload\.vcpus_per_vm: 2\.5",
        ),
        ({"vms": 10, "vcpus_per_vm": 2, "memory_gb_per_vm": 0}, r"^workload\.memory_gb_per_vm: 0"),
        ({"vms": True, "vcpus_per_vm": 2, "memory_gb_per_vm": 4}, r"^workload\.vms: True"),
        ({"vms": 10, "vcpus_per_vm": 2}, r"^workload\.memory_gb_per_vm: None .*missing"),
        (
            {"vms": 10, "vcpus_per_vm": 2, "memory_gb_per_vm": 4, "cpus": 1},
            r"^workload: 'cpus' .*unknown",
        ),
        (
            {"vms": 10, "vcpus_per_vm": 2, "memory_gb_per_vm": 4, "vcpus_per_core": 0},
            r"vcpus_per_core: 0",
        ),
        ([1], r"^workload: \[1\] .*a mapping"),
    ],
)
def test_bad_workloads_name_the_field(data, message):
    with pytest.raises(HvdesignError, match=message):
        workload_from_dict(data)


def test_scenario_nodes_auto_sizes_and_round_trips():
    data = {
        "tier": "cluster-redundant-path",
        "nodes": "auto",
        "workload": {"vms": 300, "vcpus_per_vm": 4, "memory_gb_per_vm": 16},
        "economics": {"power_usd_per_kwh": 0.2, "pue": 1.3},
    }
    sf = scenario_from_dict(data)
    assert sf.design.nodes == 11 and sf.auto_nodes and sf.workload == EXAMPLE
    assert (sf.economics.power_usd_per_kwh, sf.economics.pue) == (0.2, 1.3)
    text = scenario_to_yaml(sf)
    assert "nodes: auto  # sized from the workload: 11" in text
    assert scenario_from_dict(load_yaml_text(text)) == sf
    # the workload's server: large, 63 a host: ceil(300 / 63) + 1 = 6
    big = scenario_from_dict({**data, "workload": {**data["workload"], "server": "large"}})
    assert big.design.nodes == 6 and big.catalog.server.cores == 64
    assert big.catalog.licence.cores_per_host == 64
    # a fixed node count stays as given (a manual override)
    assert scenario_from_dict({**data, "nodes": 4}).design.nodes == 4
    # --nodes / --set nodes on an auto scenario: the override stays and prints as such
    from hvdesign.spec import apply_sets

    manual = sf.replace(design=apply_sets(sf.design, ["nodes=5"]))
    assert not manual.auto_nodes and "\nnodes: 5\n" in scenario_to_yaml(manual)
    assert sf.replace(rules=sf.rules).auto_nodes


@pytest.mark.parametrize(
    "data, message",
    [
        ({"tier": "cluster-minimal", "nodes": "auto"}, r"^nodes: 'auto' .*with a workload"),
        (
            {
                "tier": "cluster-minimal",
                "workload": {"vms": 1, "vcpus_per_vm": 1, "memory_gb_per_vm": 1, "server": "huge"},
            },
            r"^server: 'huge' .*small, medium, large",
        ),
        ({"tier": "cluster-minimal", "economics": {"pue": 0.9}}, r"^economics\.pue: 0\.9 "),
        (
            {"tier": "cluster-minimal", "economics": {"power_usd_per_kwh": -1}},
            r"^economics\.power_usd_per_kwh",
        ),
    ],
)
def test_bad_scenario_workload_and_economics(data, message):
    with pytest.raises(HvdesignError, match=message):
        scenario_from_dict(data)


def test_size_all_every_server_and_refusals():
    rows, refused = size_all(
        EXAMPLE, CAT, servers=list(CAT.servers), options={"windows_version": "2008 R2"}
    )
    # on 2008 R2 the small server needs 21 cluster hosts (> 16) and 20 standalone ones
    assert {(r.tier, r.server) for r in rows} == {
        (t, s) for t in ("cluster-minimal", "cluster-redundant-connections", "cluster-redundant-path",
                         "single-redundant-connections", "single-redundant-path")
        for s in ("medium", "large")
    }  # fmt: skip
    assert len(refused) == 5 and all("at most 16" in str(e) for e in refused)
    assert list(size_table(rows).columns) == list(SIZE_COLUMNS)


@pytest.fixture(scope="module")
def equal() -> object:
    return compare_workload(
        EXAMPLE, servers=list(CAT.servers), downtime_cost_per_hour=20_000, years=4
    )


def test_every_design_of_the_comparison_carries_the_workload(equal):
    for _, r in equal.iterrows():
        running = r["nodes"] - r["reserve"]
        assert running * r["vms_per_host"] >= 300
        assert (running - 1) * r["vms_per_host"] < 300 or r["nodes"] == 2  # not one host more


def test_total_cost_in_every_row(equal):
    for _, r in equal.iterrows():
        down = r["vm_downtime_minutes_per_year"] / 60 * 20_000 * 4
        assert r["downtime_cost_usd"] == pytest.approx(down, rel=1e-12)
        assert r["total_cost_usd"] == pytest.approx(
            r["capex_usd"] + r["opex_usd_per_year"] * 4 + down, rel=1e-12
        )
        assert r["cost_per_vm_per_year_usd"] == pytest.approx(r["total_cost_usd"] / (300 * 4))


def test_pareto_of_total_cost_against_vm_downtime_by_brute_force(equal):
    x, y = equal["total_cost_usd"].tolist(), equal["vm_downtime_minutes_per_year"].tolist()
    for i in range(len(x)):
        dominated = any(
            x[j] <= x[i] and y[j] <= y[i] and (x[j] < x[i] or y[j] < y[i]) for j in range(len(x))
        )
        assert bool(equal["pareto"].iloc[i]) is (not dominated)


def test_worked_example_by_hand():
    """README's example: 300 VMs of 4 vCPU and 16 GB on cluster-redundant-path with the
    medium server: 11 hosts, 3 two-port cards each, 2 x 48-port switches, 71 cables,
    the entry SAN for 30 TB, 2 portals, 11 Datacenter licences of 32 cores."""
    df = compare_workload(EXAMPLE, tiers=["cluster-redundant-path"])
    r = df.iloc[0]
    d = design_from_tier("cluster-redundant-path", nodes=11)
    assert design_counts(d).cables == 11 * 6 + 2 + 2 + 1 == 71
    hand_capex = (
        11 * 20_000 + 33 * 450 + 2 * 14_000 + 71 * 50 + (20_000 + 30 * 400) + 2 * 800
        + 11 * 2 * 6155
    )  # fmt: skip
    assert hand_capex == 435_410
    assert r["capex_usd"] == hand_capex
    # the flat SAN (30,000) against the SAN of 30 TB (32,000)
    assert capex(d) == hand_capex - 32_000 + 30_000
    watts = 11 * 500 + 33 * 15 + 2 * 250 + 500 + 2 * 5  # 7,005 W
    support = 11 * 1500 + 2 * 1200 + 3000  # 21,900 USD/year
    assert r["opex_usd_per_year"] == pytest.approx(watts * 8.766 * 1.5 * 0.15 + support)
    assert (r["nodes"], r["server"], r["vms_per_host"], r["limited_by"]) == (
        11,
        "medium",
        31,
        "memory",
    )


def test_compare_scenario_needs_a_workload():
    sf = scenario_from_dict({"tier": "cluster-minimal"})
    with pytest.raises(HvdesignError, match=r"^workload: None .*missing"):
        compare_scenario(sf)
    sf = scenario_from_dict(
        {"tier": "cluster-minimal", "nodes": "auto", "workload": EXAMPLE.to_dict()}
    )
    df = compare_scenario(sf, all_servers=True)
    assert set(df["server"]) == {"small", "medium", "large"} and not math.isnan(
        df["total_cost_usd"].sum()
    )
