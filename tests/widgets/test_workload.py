"""The app's workload panel, running costs, equal-capacity trade-off and sensitivity
panel (issue 11 item 6), without a browser.

The hand case (domain.md §5): 300 VMs x 4 vCPU x 16 GB on the medium server (32
cores, 512 GB, 8 GB reserved, 4 vCPU per core): by memory floor((512 - 8) / 16) = 31,
by CPU floor(32 x 4 / 4) = 32, so 31 VMs per host, memory-bound; an N+1 cluster needs
ceil(300 / 31) + 1 = 10 + 1 = 11 hosts.
"""

from __future__ import annotations

import math

import pytest

from hvdesign.availability import availability
from hvdesign.bom import bill_of_materials, opex
from hvdesign.catalog import load_catalog
from hvdesign.cost import downtime_cost
from hvdesign.scenariofile import load_scenario, scenario_from_dict
from hvdesign.sensitivity import evaluate, sensitivity
from hvdesign.sizing import Workload, compare_scenario, size
from hvdesign.widgets.app import ExplorerApp, explorer_app


@pytest.fixture
def app(tmp_path) -> ExplorerApp:
    return explorer_app(export_dir=tmp_path / "exports")


def _workload(app: ExplorerApp, vms=300, vcpu=4, memory=16.0, model="medium") -> None:
    c = app.controls
    c["vms"].value, c["vcpus_per_vm"].value, c["memory_gb_per_vm"].value = vms, vcpu, memory
    c["server_model"].value = model
    c["sizing"].value = "auto"


def test_hand_case_300_vms_on_the_medium_server(app) -> None:
    medium = load_catalog().servers["medium"]
    assert (medium.cores, medium.memory_gb) == (32, 512)
    by_memory = math.floor((512 - 8) / 16)
    by_cpu = math.floor(32 * 4 / 4)
    assert (by_memory, by_cpu) == (31, 32)
    _workload(app)
    assert app.message.value == ""
    assert app.design.nodes == math.ceil(300 / 31) + 1 == 11
    assert app.controls["nodes"].value == 11  # the slider shows the count in force
    assert app.scenario.auto_nodes and app.scenario.workload.vms == 300
    html = app.panels["workload"].html.value
    assert "11 hosts, sized from the workload" in html and 'data-in-force="auto"' in html
    assert "<td>31</td>" in html and "<td>memory</td>" in html


@pytest.mark.parametrize(
    ("tier", "vms", "vcpu", "memory", "model"),
    [
        ("cluster-minimal", 100, 8, 8.0, "small"),  # cpu-bound: 16 x 4 / 8 = 8
        ("single-redundant-path", 500, 2, 32.0, "large"),
        ("cluster-redundant-connections", 1000, 4, 16.0, "medium"),
    ],
)
def test_panel_sizes_as_the_package_does(app, tier, vms, vcpu, memory, model) -> None:
    app.controls["tier"].value = tier
    _workload(app, vms, vcpu, memory, model)
    w = Workload(vms, vcpu, memory, server=model)
    s = size(w, tier, load_catalog())
    assert app.design.nodes == s.nodes
    html = app.panels["workload"].html.value
    assert f"<td>{s.vms_per_host}</td>" in html and f"<td>{s.limited_by}</td>" in html


def test_manual_override_stays_and_says_so(app) -> None:
    _workload(app)
    app.controls["nodes"].value = 8
    assert app.controls["sizing"].value == "manual"
    assert app.design.nodes == 8 and not app.scenario.auto_nodes
    html = app.panels["workload"].html.value
    assert "set by hand: the workload needs 11" in html and 'data-in-force="manual"' in html
    app.controls["vms"].value = 100  # a manual count is not re-sized
    assert app.design.nodes == 8
    app.controls["sizing"].value = "auto"
    assert app.design.nodes == math.ceil(100 / 31) + 1 == 5


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("vms", 0, "workload.vms"),
        ("vcpus_per_vm", -1, "workload.vcpus_per_vm"),
        ("memory_gb_per_vm", 0.0, "workload.memory_gb_per_vm"),
        ("storage_gb_per_vm", -5.0, "workload.storage_gb_per_vm"),
        ("power_usd_per_kwh", -0.1, "economics.power_usd_per_kwh"),
        ("pue", 0.9, "economics.pue"),
    ],
)
def test_bad_value_named_beside_its_field(app, key, value, field) -> None:
    _workload(app)
    before = app.scenario
    app.controls[key].value = value
    box = app.field_errors[key]
    assert box.layout.display == "" and field in box.value and "allowed" in box.value
    assert app.scenario is before  # the last valid figures stay
    assert app.controls[key].value == value  # nothing clamped


def test_no_vm_fits_named_beside_the_server_model(app) -> None:
    _workload(app, memory=600.0)  # more than a medium host's 512 GB
    box = app.field_errors["server_model"]
    assert "no VM fits one host" in box.value


def test_costs_shown_are_capex_opex_years_and_downtime(app) -> None:
    _workload(app)
    app.controls["power_usd_per_kwh"].value = 0.2
    app.controls["pue"].value = 1.8
    sf = app.scenario
    assert (sf.economics.power_usd_per_kwh, sf.economics.pue) == (0.2, 1.8)
    # by the package's parts: the SAN for 300 x 100 GB = 30 TB, 31 VMs a host
    kw = {"san_usable_tb": 30.0, "vms_per_host": 31}
    cap = bill_of_materials(sf.design, sf.catalog, **kw)["total_usd"].sum()
    run = opex(sf.design, sf.catalog, power_usd_per_kwh=0.2, pue=1.8, **kw)
    r = availability(sf.design, sf.reliability, sf.rules)
    down = downtime_cost(r.vm_downtime_minutes_per_year, 10_000, 5)
    total = cap + run * 5 + down
    assert evaluate(sf)[1] == pytest.approx(total)  # the sensitivity's own evaluation
    kpis, panel = app.kpis.value, app.panels["workload"].html.value
    for figure in (cap, run, total):
        assert f"${figure:,.0f}" in kpis and f"${figure:,.0f}" in panel
    assert "total cost over 5 years" in kpis


def test_exported_scenario_loads_back_with_the_workload(app) -> None:
    _workload(app, vms=200, model="large")
    app.controls["power_usd_per_kwh"].value = 0.25
    app.controls["pue"].value = 1.3
    path = app.export_yaml()
    back = load_scenario(path)
    assert back.workload == app.scenario.workload
    assert back.workload.vms == 200 and back.workload.server == "large"
    assert back.auto_nodes and back.design.nodes == app.design.nodes
    assert (back.economics.power_usd_per_kwh, back.economics.pue) == (0.25, 1.3)
    assert back == app.scenario
    # loaded into a fresh app: the same controls
    other = explorer_app(export_dir=path.parent)
    assert other.load_file(path.name, path.read_bytes()) is None
    c = other.controls
    assert (c["sizing"].value, c["vms"].value, c["server_model"].value) == ("auto", 200, "large")
    assert other.scenario == app.scenario


def test_manual_export_prints_the_count(app) -> None:
    _workload(app)
    app.controls["nodes"].value = 12
    back = load_scenario(app.export_yaml())
    assert back.design.nodes == 12 and not back.auto_nodes and back.workload.vms == 300


def test_no_workload_by_default(app) -> None:
    assert app.controls["sizing"].value == "none" and app.scenario.workload is None
    assert "no workload" in app.panels["workload"].html.value
    assert app.panels["capacity"].table is None
    assert app.controls["vms"].disabled and app.controls["server_model"].disabled
    app.controls["sizing"].value = "manual"
    assert not app.controls["vms"].disabled and app.scenario.workload.vms == 90
    assert app.design.nodes == 4  # the default workload fills the default design


def test_capacity_panel_is_compare_scenario(app) -> None:
    _workload(app)
    table = app.panels["capacity"].table
    want = compare_scenario(app.scenario, all_servers=True)
    assert table[["tier", "server", "nodes", "total_cost_usd"]].values.tolist() == (
        want[["tier", "server", "nodes", "total_cost_usd"]].values.tolist()
    )
    children = app.panels["capacity"].widget.children
    at = children.index(app.panels["capacity"].slot.box)
    assert "same VMs" in children[at + 1].value  # the sentence under the chart
    fig = app.panels["capacity"].slot.figure
    ring = fig.data[-1]
    row = want[(want["tier"] == app.design.tier) & (want["server"] == "medium")]
    assert ring.x == pytest.approx(tuple(row["total_cost_usd"]))


def test_sensitivity_on_its_button(app) -> None:
    panel = app.panels["sensitivity"]
    assert panel.table is None and "Press the button" in panel.state.value
    table = panel.compute()
    want = sensitivity(app.scenario)
    assert table["input"].tolist() == want["input"].tolist()
    assert table["total_cost_swing_usd"].tolist() == pytest.approx(
        want["total_cost_swing_usd"].tolist()
    )
    fig = panel.slot.figure
    assert list(fig.data[0].y) == want["input"].tolist()[::-1]
    assert "Birnbaum" in panel.html.value
    print(f"sensitivity of the default design: {panel.compute_ms:.0f} ms")
    app.controls["server"].value = app.controls["server"].value + 1000
    assert "changed" in panel.state.value  # marked stale, not recomputed on every edit


def test_scenario_with_workload_loads_into_the_controls(tmp_path) -> None:
    text = (
        "tier: cluster-minimal\nnodes: 7\nworkload: {vms: 120, vcpus_per_vm: 2, "
        "memory_gb_per_vm: 8, host_memory_reserved_gb: 16}\n"
    )
    app = explorer_app(export_dir=tmp_path)
    assert app.load_file("w.yaml", text.encode()) is None
    c = app.controls
    assert (c["sizing"].value, c["vms"].value, c["nodes"].value) == ("manual", 120, 7)
    sf = scenario_from_dict(
        {
            "tier": "cluster-minimal",
            "nodes": 7,
            "workload": {
                "vms": 120,
                "vcpus_per_vm": 2,
                "memory_gb_per_vm": 8,
                "host_memory_reserved_gb": 16,
            },
        }
    )
    assert app.scenario.workload.host_memory_reserved_gb == 16  # kept, no control
    assert app.scenario == sf


def test_edited_price_of_a_chosen_model_exports_and_loads_back(app) -> None:
    _workload(app, vms=200, model="large")
    large = load_catalog().servers["large"].price_usd
    assert app.controls["server"].value == large  # the model's price
    app.controls["server"].value = large + 2000
    assert app.scenario.catalog.server.price_usd == large + 2000
    back = load_scenario(app.export_yaml())
    assert back.catalog.server.price_usd == large + 2000 and back == app.scenario
    app.controls["server_model"].value = "small"
    assert app.controls["server"].value == load_catalog().servers["small"].price_usd
    app.controls["server_model"].value = "large"  # the edit, as last made
    assert app.controls["server"].value == large + 2000
