"""The explorer app without a browser, the comparison report and ``hvdesign figure``.

The app is checked against the package it composes: after each change its figures
hold what :mod:`hvdesign.views.topology`, :mod:`hvdesign.cost` and :mod:`hvdesign.availability`
return for the design the controls describe. The callback time at 64 nodes is
measured in a kernel (an in-process IPython kernel, so the widget messages are built
and sent as in Voilà) and printed; the budget is 200 ms per interaction (issue 5).
"""

from __future__ import annotations

import asyncio
import datetime
import json
import os
import queue
import re
import statistics
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from hvdesign.availability import availability
from hvdesign.cost import bill_of_materials, capex, load_catalog
from hvdesign.counts import summary
from hvdesign.datafiles import load_yaml_text
from hvdesign.errors import HvdesignError
from hvdesign.report.build import network_references
from hvdesign.report.compare import (
    DIFFERS,
    compare_paths,
    comparison_html,
    side_by_side,
    write_comparison,
)
from hvdesign.scenariofile import SECTIONS, scenario_from_dict
from hvdesign.spec import TIERS, design_from_dict, design_from_tier
from hvdesign.views.topology import topology_traces
from hvdesign.widgets.app import (
    EDITED_SOURCE,
    PANELS,
    TRADEOFF_NODES,
    ExplorerApp,
    explorer_app,
    export_name,
)

XSS_NAME = "<script>alert(1)</script>"

#: The issue's budget for one interaction at 64 nodes [ms].
BUDGET_MS = 200


@pytest.fixture
def app(tmp_path) -> ExplorerApp:
    return explorer_app(export_dir=tmp_path / "exports")


def _trace(fig, name):
    return next(t for t in fig.data if t.name == name)


def _same_xy(trace, expected) -> bool:
    return np.allclose(np.asarray(trace.x, float), expected["x"], equal_nan=True) and np.allclose(
        np.asarray(trace.y, float), expected["y"], equal_nan=True
    )


# ------------------------------------------------------------------ building


def test_app_builds_every_panel_with_its_figure(app):
    assert list(app.panels) == [p.name for p in PANELS]
    assert app.message.value == ""
    for name in ("topology", "tradeoff", "coverage", "cost"):
        fig = app.panels[name].slot.figure
        assert fig is not None and len(fig.data) > 0, name
    d = app.design
    assert (d.tier, d.nodes) == ("cluster-redundant-path", 4)
    s = summary(d)
    counts = app.panels["counts"].html.value
    assert f"<td>{s['host_connections_total']}</td>" in counts  # 24, the guide's Fig 2.12


def test_node_count_redraws_the_topology_and_counts_the_package_computes(app):
    app.controls["nodes"].value = 64
    d = app.design
    assert d.nodes == 64
    traces, _ = topology_traces(d)
    fig = app.panels["topology"].slot.figure
    for expected in traces:
        if expected["name"] in ("nic ports", "production (VM traffic)", "storage (iSCSI)"):
            assert _same_xy(_trace(fig, expected["name"]), expected), expected["name"]
    s = summary(d)
    counts = app.panels["counts"].html.value
    assert "all 64 hosts [connections]" in counts
    assert f"<td>{s['host_connections_total']}</td>" in counts  # 384
    ring = _trace(app.panels["tradeoff"].slot.figure, "current design")
    assert ring.x == (capex(d),)


def test_a_node_count_the_tier_or_version_refuses_is_an_error_not_a_moved_slider(app):
    """Nothing is clamped: the slider spans 1 to 64 whatever the tier and version;
    a count the tier or version refuses says why and keeps the last design."""
    c = app.controls
    c["tier"].value = "single-redundant-connections"
    c["nodes"].value = 1
    assert (app.design.tier, app.design.nodes) == ("single-redundant-connections", 1)
    c["tier"].value = "cluster-minimal"  # a cluster needs two nodes
    assert (c["nodes"].min, c["nodes"].max, c["nodes"].value) == (1, 64, 1)
    assert "nodes" in app.message.value and "nodes" in app.field_errors["nodes"].value
    assert app.design.tier == "single-redundant-connections"  # the last valid design
    c["nodes"].value = 40
    assert app.design.tier == "cluster-minimal" and app.message.value == ""
    c["windows_version"].value = "2008 R2"  # 2008 R2 clusters stop at 16 nodes
    assert c["nodes"].value == 40 and app.design.nodes == 40
    assert app.design.windows_version != "2008 R2"
    box = app.field_errors["nodes"]
    assert box.layout.display != "none"
    assert "nodes: 40 is not valid" in box.value and "at most 16" in box.value
    assert "Windows Server 2008 R2" in box.value
    c["nodes"].value = 16
    assert (app.design.nodes, app.design.windows_version) == (16, "2008 R2")
    assert box.value == "" and box.layout.display == "none"


def test_nodes_outside_the_tier_show_an_error_and_keep_the_last_design(tmp_path):
    app = explorer_app("cluster-minimal", nodes=1, export_dir=tmp_path)
    assert "nodes" in app.message.value and "at least 2" in app.message.value
    assert app.design.nodes == 2  # what the controls hold
    before = app.design
    app.controls["name"].value = "x" * 300  # longer than a design name may be
    assert "name" in app.message.value and "name" in app.field_errors["name"].value
    assert app.design == before


def test_an_unknown_tier_names_the_tiers_and_shows_the_default(tmp_path):
    app = explorer_app("cluster-huge", export_dir=tmp_path)
    assert "tier" in app.message.value and "cluster-minimal" in app.message.value
    assert "Not applied" in app.message.value
    assert app.design.tier == "cluster-redundant-path"


def test_prices_reprice_the_bill_and_the_tradeoff(app):
    c = app.controls
    c["server"].value = 30_000
    cat = app.inputs.catalog
    assert cat.server.price_usd == 30_000 and cat.server.source == EDITED_SOURCE
    assert cat.san_base.source == load_catalog().san_base.source  # untouched: its source
    bom = bill_of_materials(app.design, cat)
    fig = app.panels["cost"].slot.figure
    assert f"${bom['total_usd'].sum():,.0f}" in fig.layout.title.text
    ring = _trace(app.panels["tradeoff"].slot.figure, "current design")
    assert ring.x == (capex(app.design, cat),)
    c["switch_ports_per_unit"].value = 24
    assert c["switch"].value == load_catalog().switches[24].price_usd
    c["switch"].value = 9_000
    assert app.inputs.catalog.switches[24].price_usd == 9_000


def test_reliability_and_downtime_cost_change_the_availability(app):
    c = app.controls
    c["host.mtbf_hours"].value = 20_000
    rel = app.inputs.reliability
    assert rel.mtbf_hours("host") == 20_000
    expected = availability(app.design, rel)
    assert f"{expected.availability:.8f}" in app.panels["availability"].html.value
    assert f"{expected.availability:.6f}" in app.kpis.value
    c["downtime_cost_per_hour"].value = 50_000
    assert app.panels["tradeoff"].table.attrs["downtime_cost_per_hour"] == 50_000


def test_a_node_count_outside_the_sweep_is_added_to_the_tradeoff(app):
    assert 37 not in TRADEOFF_NODES
    app.controls["nodes"].value = 37
    table = app.panels["tradeoff"].table
    row = table[(table["tier"] == "cluster-redundant-path") & (table["nodes"] == 37)]
    assert len(row) == 1 and row["capex_usd"].item() == capex(app.design)


def test_only_the_panels_that_depend_on_a_change_are_redrawn(app):
    app.controls["server"].value = 21_000
    t = app.timings_ms
    assert t["topology"] < 1 and t["coverage"] < 1  # untouched by a price
    assert t["cost"] > 0 and t["tradeoff"] > 0


def test_slow_panels_are_drawn_after_the_callback_in_a_kernel(app):
    """In a kernel (a running event loop) a new sweep of every tier is drawn right
    after the callback returns, so the rest of the page does not wait for it."""

    async def change() -> tuple[bool, bool]:
        app.controls["san_portals"].value = 4
        stale = "Recomputing" in app.panels["tradeoff"].error.value
        await asyncio.sleep(0.05)  # the event loop runs the deferred update
        return stale, "deferred" in app.timings_ms

    stale, done = asyncio.run(change())
    assert stale and done
    assert app.panels["tradeoff"].error.value == ""
    table = app.panels["tradeoff"].table
    assert set(table["tier"]) == set(TIERS)  # every tier swept
    assert app.inputs.sweep_options["san_portals"] == 4


def test_design_name_is_escaped_everywhere(app):
    app.controls["name"].value = XSS_NAME
    assert app.design.name == XSS_NAME
    for html_text in (app.heading.value, app.kpis.value, app.panels["coverage"].spof.value):
        assert "<script>" not in html_text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in app.heading.value
    assert export_name(app.design) == "script-alert-1-script"


# ------------------------------------------------------------------ exports


def test_export_yaml_writes_a_design_file_that_loads_back(app, tmp_path):
    c = app.controls
    c["name"].value = XSS_NAME
    c["nodes"].value = 6
    c["san_portals"].value = 4
    path = app.export_yaml()
    assert path == tmp_path / "exports" / "script-alert-1-script.yaml"
    data = load_yaml_text(path.read_text(encoding="utf-8"))
    assert design_from_dict({k: v for k, v in data.items() if k not in SECTIONS}) == app.design
    assert scenario_from_dict(data) == app.scenario
    link = app.downloads["yaml"]
    assert link.data == path.read_bytes() and link.filename == path.name
    assert "Saved" in app.status.value and "<script>" not in app.status.value


#: The edits of the issue's example: (control, value) and where the scenario holds it.
EDITS = [
    ("server", 25_000.0),
    ("san_base", 60_000.0),
    ("host.mtbf_hours", 20_000.0),
    ("host.mttr_hours", 24.0),
    ("switch.mtbf_hours", 90_000.0),
    ("downtime_cost_per_hour", 50_000.0),
    ("years", 3.0),
    ("reserve", 2),
    ("quorum", "node_majority"),
]


def _held(sf, key):
    """The value scenario ``sf`` holds for control ``key``."""
    if key in ("server", "san_base"):
        return getattr(sf.catalog, key).price_usd
    if "." in key:
        kind, figure = key.split(".")
        return sf.reliability.figure(kind, figure).value
    if key == "downtime_cost_per_hour":
        return sf.economics.downtime_cost_per_hour_usd
    if key == "years":
        return sf.economics.years
    return getattr(sf.rules, key)


def test_the_exported_yaml_holds_every_edit(app):
    for key, value in EDITS:
        app.controls[key].value = value
    assert app.message.value == ""
    data = load_yaml_text(app.export_yaml().read_text(encoding="utf-8"))
    sf = scenario_from_dict(data)
    for key, value in EDITS:
        assert _held(sf, key) == value, key
    assert sf == app.scenario
    # The capital cost by hand: the shipped bill with the two edited unit prices.
    shipped = bill_of_materials(app.design, load_catalog())
    by_item = dict(zip(shipped["item"], shipped["quantity"], strict=True))
    servers = by_item[next(i for i in by_item if "server" in i.lower())]
    delta = servers * (25_000 - load_catalog().server.price_usd) + (
        60_000 - load_catalog().san_base.price_usd
    )
    assert capex(sf.design, sf.catalog) == pytest.approx(shipped["total_usd"].sum() + delta)
    assert f"${capex(sf.design, sf.catalog):,.0f}" in app.kpis.value


def _upload(app, text: str, name: str = "mine.yaml") -> None:
    content = text.encode("utf-8")
    app.upload.value = (
        {
            "name": name,
            "type": "",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        },
    )


SCENARIO_TEXT = """
name: Contoso
tier: cluster-redundant-connections
nodes: 6
windows_version: "2016"
san_portals: 4
switch_ports_per_unit: 24
rules: {reserve: 2, quorum: node_majority}
reliability:
  host: {mtbf_hours: 2e4, mttr_hours: 24}
  switch: {mttr_hours: 4}
catalog:
  server: {price_usd: 2.5E+4}
  switches: {24: {price_usd: 9000}}
economics: {downtime_cost_per_hour_usd: 5e4, years: 3}
"""


def test_a_loaded_scenario_file_sets_every_control(app):
    _upload(app, SCENARIO_TEXT)
    c = app.controls
    assert "Loaded" in app.upload_message.value and "mine.yaml" in app.upload_message.value
    assert app.upload.value == ()  # ready for the next file
    expected = {
        "name": "Contoso",
        "tier": "cluster-redundant-connections",
        "nodes": 6,
        "windows_version": "2016",
        "san_portals": 4,
        "switch_ports_per_unit": 24,
        "reserve": 2,
        "quorum": "node_majority",
        "server": 25_000,
        "switch": 9_000,
        "host.mtbf_hours": 20_000,
        "host.mttr_hours": 24,
        "switch.mttr_hours": 4,
        "downtime_cost_per_hour": 50_000,
        "years": 3,
    }
    assert {k: c[k].value for k in expected} == expected
    assert app.scenario == scenario_from_dict(load_yaml_text(SCENARIO_TEXT))
    # The exported file is the loaded one (nothing lost, nothing added).
    again = scenario_from_dict(load_yaml_text(app.export_yaml().read_text(encoding="utf-8")))
    assert again == app.scenario
    r = availability(app.design, app.scenario.reliability, app.scenario.rules)
    assert f"{r.vm_availability:.6f}" in app.kpis.value


@pytest.mark.parametrize(
    "text, field",
    [
        ("tier: cluster-minimal\nnodes: [1\n", "scenario file bad.yaml"),
        (
            "tier: cluster-minimal\nreliability: {host: {mtbf_hours: -5}}\n",
            "reliability.host.mtbf_hours",
        ),
        ("tier: cluster-minimal\nnodes: 40\nwindows_version: 2008 R2\n", "nodes"),
        ("tier: cluster-minimal\neconomics: {years: 0}\n", "economics.years"),
        ("- a list\n", "design file"),
    ],
    ids=["malformed", "mtbf", "2008r2", "years", "list"],
)
def test_a_bad_scenario_file_is_named_beside_the_upload_and_changes_nothing(app, text, field):
    before, values = app.scenario, {k: w.value for k, w in app.controls.items()}
    _upload(app, text, "bad.yaml")
    assert field in app.upload_message.value and "allowed" in app.upload_message.value
    assert app.scenario is before
    assert {k: w.value for k, w in app.controls.items()} == values


@pytest.mark.parametrize(
    "key, value, field",
    [
        ("host.mtbf_hours", -5.0, "reliability.host.mtbf_hours"),
        ("host.mtbf_hours", 0.0, "reliability.host.mtbf_hours"),
        ("switch.mttr_hours", -1.0, "reliability.switch.mttr_hours"),
        ("server", -1.0, "catalog.server.price_usd"),
        ("switch", -500.0, "catalog.switches.48.price_usd"),
        ("downtime_cost_per_hour", -1.0, "economics.downtime_cost_per_hour_usd"),
        ("years", 0.0, "economics.years"),
        ("years", 101.0, "economics.years"),
        ("reserve", 4, "reserve"),
        ("reserve", -1, "reserve"),
    ],
)
def test_bad_input_is_named_beside_its_field_and_keeps_the_last_figures(app, key, value, field):
    before, kpis = app.scenario, app.kpis.value
    app.controls[key].value = value
    assert app.controls[key].value == value  # not clamped
    box = app.field_errors[key]
    assert box.layout.display != "none"
    assert f"{field}: " in box.value and "allowed" in box.value
    assert field in app.message.value
    assert app.scenario is before and app.kpis.value == kpis


def test_no_control_clamps_a_value():
    """Only unbounded number fields; every slider spans exactly what the design
    model allows (its pydantic bounds), so a slider cannot hide a limit."""
    import ipywidgets as W

    from hvdesign.spec import Design

    app = explorer_app()
    for key, widget in app.controls.items():
        assert not isinstance(widget, W.BoundedFloatText | W.BoundedIntText), key
        if isinstance(widget, W.IntSlider) and key != "nodes":
            meta = {type(m).__name__: m for m in Design.model_fields[key].metadata}
            assert (widget.min, widget.max) == (meta["Ge"].ge, meta["Le"].le), key
    assert (app.controls["nodes"].min, app.controls["nodes"].max) == (1, 64)


def test_both_availability_figures_are_shown_with_their_sentences(app):
    r = availability(app.design)
    panel = app.panels["availability"]
    assert f"{r.availability:.8f}" in panel.html.value
    assert f"{r.vm_availability:.8f}" in panel.html.value
    assert f"{r.vm_downtime_minutes_per_year:,.2f}" in panel.html.value
    assert "every VM runs (an SLA figure)" in panel.note
    assert "partial outage counts by the share of VMs it stops" in panel.note
    assert f"{r.availability:.6f}" in app.kpis.value
    assert f"{r.vm_availability:.6f}" in app.kpis.value


def test_export_yaml_reports_an_unwritable_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    app = explorer_app(export_dir=blocker / "exports")
    assert app.export_yaml() is None
    assert "Export failed" in app.status.value


@pytest.mark.slow
def test_export_report_writes_the_html_report(app, tmp_path):
    app.controls["name"].value = XSS_NAME
    for key, value in EDITS:
        app.controls[key].value = value
    path = app.export_report()
    text = path.read_text(encoding="utf-8")
    sf = app.scenario  # the report's figures are the screen's
    r = availability(sf.design, sf.reliability, sf.rules)
    for figure in (
        f"${capex(sf.design, sf.catalog):,.0f}",
        f"{r.availability:.6f}",
        f"{r.vm_availability:.6f}",
    ):
        assert figure in app.kpis.value and figure in text, figure
    assert path.parent == tmp_path / "exports" and path.suffix == ".html"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>alert(1)" not in text
    assert app.downloads["report"].data == path.read_bytes()
    assert not app.buttons["report"].disabled


# ------------------------------------------------------------------ speed


_TIMING_CODE = r"""
import json, time
from IPython.display import display
from hvdesign.widgets.app import explorer_app
app = explorer_app(nodes=64, export_dir=EXPORT_DIR)
display(app)  # the widgets get their comms: every update is serialised and sent
steps = [
    ("node count 64 <-> 63", "nodes", 63),
    ("tier", "tier", "cluster-redundant-connections"),
    ("server price", "server", 25000.0),
    ("switch price", "switch", 15000.0),
    ("SAN base price", "san_base", 40000.0),
    ("host MTBF", "host.mtbf_hours", 40000.0),
    ("switch MTTR", "switch.mttr_hours", 4.0),
    ("downtime cost", "downtime_cost_per_hour", 20000.0),
    ("SAN portals (new sweep after the callback)", "san_portals", 4),
    ("Windows Server (new sweep after the callback)", "windows_version", "2016"),
]
out, later = {}, {}
for repeat in range(2):
    for label, key, value in steps:
        start = app.controls[key].value
        for v in (value, start):  # there and back: two interactions
            t0 = time.perf_counter()
            app.controls[key].value = v
            out.setdefault(label, []).append((time.perf_counter() - t0) * 1e3)
            if "sweep" in label:  # what the event loop runs right after the callback
                t0 = time.perf_counter()
                app.refresh(defer=False)
                later.setdefault(label, []).append((time.perf_counter() - t0) * 1e3)
print("TIMINGS " + json.dumps([out, later]))
"""


def _run_in_kernel(code: str, timeout_s: float = 180) -> str:
    """Run ``code`` in an in-process IPython kernel; its printed output."""
    from ipykernel.inprocess.manager import InProcessKernelManager

    km = InProcessKernelManager()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.execute(code)
        out, deadline = [], time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                msg = kc.get_iopub_msg(timeout=5)
            except queue.Empty:
                continue
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                raise AssertionError("\n".join(msg["content"]["traceback"]))
            elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
        return "".join(out)
    finally:
        kc.stop_channels()
        km.shutdown_kernel()


@pytest.mark.slow
def test_each_interaction_at_64_nodes_is_timed_in_a_kernel(tmp_path):
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    code = _TIMING_CODE.replace("EXPORT_DIR", repr(str(tmp_path)))
    text = _run_in_kernel(code)
    timings, later = json.loads(text.split("TIMINGS ", 1)[1])
    print("\ncallback time at 64 nodes, in a kernel [ms]: best, median, worst of 4")

    def row(label: str, values: list[float]) -> None:
        stats = (min(values), statistics.median(values), max(values))
        print(f"  {label:48}" + "".join(f"{v:7.0f}" for v in stats))

    for label, values in timings.items():
        row(label, values)
        if label in later:  # the first sweep of new options is the worst
            row("  then the sweep of every tier", later[label])
    # The best of four is what the code costs; the others add the machine's noise.
    # Speed is measured and printed here, not asserted (a loaded CI machine would make
    # a timed assertion flaky): the figures go to the README.
    slow = {k: min(v) for k, v in timings.items() if min(v) >= BUDGET_MS}
    print(f"  over the {BUDGET_MS} ms target: {slow or 'none'}")
    assert set(timings) and all(len(v) == 4 for v in timings.values())


# ------------------------------------------------------------------ comparison


def test_side_by_side_marks_the_rows_that_differ():
    df = side_by_side([("hosts", 4, 4), ("switches", 1, 2), ("x", "a", "b", False)], "figure")
    assert df["A vs B"].tolist() == ["", DIFFERS, ""]


def test_comparison_marks_differences_and_escapes_names():
    a = design_from_tier("cluster-redundant-connections", nodes=4, name=XSS_NAME)
    b = design_from_tier("cluster-redundant-path", nodes=4)
    text = comparison_html(a, b)
    assert "<script>alert(1)" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert network_references(text) == []  # nothing loaded from the network
    assert text.count("plotly.js v") <= 2  # plotly.js embedded once (its banner)
    rows = re.findall(r'<tr class="hv-diff">\s*<td>([^<]*)</td>', text)
    assert "switches [count]" in rows  # 1 against 2
    assert "hosts [count]" not in rows  # 4 and 4
    assert "switch-a" in rows  # a single point of failure of A only
    for section in ("At a glance", "Options", "Counts", "Single points of failure"):
        assert f">{section}</h2>" in text
    for section in ("Bill of materials", "Check findings", "Topologies"):
        assert f">{section}</h2>" in text
    # The key figures come from the analyses.
    ca, cb = capex(a), capex(b)
    assert f"${ca:,.0f}" in text and f"${cb:,.0f}" in text
    aa = availability(a)
    assert f"{aa.availability:.6f}" in text


def test_compare_paths_writes_the_file_and_names_bad_input(tmp_path):
    pa, pb = tmp_path / "a.yaml", tmp_path / "b.yaml"
    pa.write_text("tier: cluster-minimal\nnodes: 3\n", encoding="utf-8")
    pb.write_text("tier: cluster-minimal\nnodes: 5\n", encoding="utf-8")
    out = compare_paths(pa, pb, tmp_path / "cmp.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not list(tmp_path.glob(".*.tmp"))  # the temporary file was renamed
    with pytest.raises(HvdesignError, match="design file"):
        compare_paths(tmp_path / "missing.yaml", pb, tmp_path / "x.html")
    with pytest.raises(HvdesignError, match="output"):
        compare_paths(pa, pb, tmp_path / "no-such-dir" / "x.html")
    assert not (tmp_path / "x.html").exists()


def test_write_comparison_of_a_design_with_itself_marks_nothing(tmp_path):
    d = design_from_tier("cluster-minimal", nodes=3)
    text = write_comparison(d, d, tmp_path / "same.html").read_text(encoding="utf-8")
    assert 'class="hv-diff"' not in text


# ------------------------------------------------------------------ hvdesign figure


def _figure_cli():
    import click

    from hvdesign.cli.figure import figure
    from hvdesign.cli.main import main

    if "figure" not in main.commands:  # until the lead registers it on the group
        group = click.Group(commands={"figure": figure})
        return group
    return main


def _run_figure(*args: str):
    return CliRunner().invoke(_figure_cli(), ["figure", *args], catch_exceptions=True)


def _need_kaleido_browser():
    if not Path("/usr/bin/chromium").exists() and not os.environ.get("BROWSER_PATH"):
        if os.environ.get("CI"):
            pytest.fail("chromium missing: .ci/run installs it")
        pytest.skip("hvdesign figure needs Chromium for kaleido (apt-get install chromium)")


def test_figure_rejects_a_bad_extension_before_any_work(tmp_path):
    from hvdesign.views.image import image_format

    with pytest.raises(HvdesignError, match="^-o: .*svg or .png"):
        image_format(str(tmp_path / "x.pdf"))
    result = _run_figure("topology", "-o", str(tmp_path / "x.jpg"))
    assert result.exit_code != 0 and not (tmp_path / "x.jpg").exists()
    message = str(result.exception) + result.output
    assert "-o" in message and ".svg or .png" in message


@pytest.mark.slow
def test_figure_writes_svg_and_png(tmp_path):
    _need_kaleido_browser()
    svg, png = tmp_path / "topology.svg", tmp_path / "coverage.png"
    result = _run_figure("topology", "cluster-minimal", "--nodes", "3", "-o", str(svg))
    assert result.exit_code == 0, result.output
    text = svg.read_text(encoding="utf-8")
    assert text.startswith("<svg") and "host3" in text
    result = _run_figure("coverage", "--nodes", "4", "-o", str(png), "--width", "900")
    assert result.exit_code == 0, result.output
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(data[16:20], "big")
    assert width == 900
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.slow
def test_figure_tradeoff_rings_the_design(tmp_path):
    _need_kaleido_browser()
    out = tmp_path / "tradeoff.svg"
    result = _run_figure("tradeoff", "cluster-minimal", "-n", "6", "--sweep", "2-8", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "current design" in out.read_text(encoding="utf-8")


def test_export_drawio_writes_the_diagram_of_the_design_on_screen(app, tmp_path):
    """The app's draw.io export: one edge per cable of the shown design's cabling plan
    (counted here from hvdesign.plans), the name escaped in the XML."""
    import xml.etree.ElementTree as ET

    from hvdesign.plans import cabling_plan

    app.controls["name"].value = XSS_NAME
    app.controls["nodes"].value = 6
    path = app.export_drawio()
    assert path is not None and path.suffix == ".drawio"
    root = ET.parse(path).getroot()
    edges = [c for c in root.iter("mxCell") if c.get("edge") == "1"]
    assert len(edges) == len(cabling_plan(app.design)) and app.design.nodes == 6
    assert app.downloads["drawio"].data == path.read_bytes()
