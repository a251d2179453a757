"""The explorer app as the scenario's editor (domain.md §8): the sidebar's controls,
what they hold read as a :class:`~hvdesign.scenariofile.ScenarioFile`, and a scenario
(an uploaded file) written back into them.

Nothing is clamped or changed silently. Every number is an unbounded ``FloatText`` or
``IntText`` (ipywidgets' bounded controls clamp a typed value without a word) checked
by the package's own validation (:func:`hvdesign.spec.design_from_tier`,
:func:`hvdesign.cost.merge_catalog`, :meth:`hvdesign.reliability.Reliability.replace`,
:func:`hvdesign.scenariofile.rules_from_dict`,
:func:`hvdesign.scenariofile.economics_from_dict`,
:func:`hvdesign.sizing.workload_from_dict`); with a workload the hosts are sized by
:func:`hvdesign.sizing.size` (``sizing`` ``auto``) or set by hand (``manual``: the
override); the sliders span exactly what the
design model allows (``nodes`` 1 to 64 whatever the tier and version: 40 hosts on
Windows Server 2008 R2 is an error naming the limit, not a slider moved to 16). An
error is returned per control (:func:`control_of` maps an error's field to it), so
the app shows it next to the field.

Examples
--------
>>> control_of("reliability.host.mtbf_hours"), control_of("catalog.switches.48.price_usd")
('host.mtbf_hours', 'switch')
>>> control_of("economics.years"), control_of("nodes"), control_of("subnets")
('years', 'nodes', None)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as W
import yaml

from hvdesign.cost import SHARED_OPTIONS, Catalog, merge_catalog
from hvdesign.datafiles import load_yaml_text
from hvdesign.errors import HvdesignError
from hvdesign.reliability import Reliability
from hvdesign.scenariofile import (
    SECTIONS,
    ScenarioFile,
    economics_from_dict,
    rules_from_dict,
    scenario_from_dict,
)
from hvdesign.sizing import Workload, size, vms_per_host
from hvdesign.spec import NODE_LIMITS, TIERS, Design, design_from_tier
from hvdesign.views.html import esc, money

#: Design options that have a control besides ``name``, ``tier`` and ``nodes``.
OPTION_CONTROLS: tuple[str, ...] = SHARED_OPTIONS

#: Reliability controls: (component kind, figure) of :mod:`hvdesign.reliability`.
RELIABILITY_CONTROLS: tuple[tuple[str, str], ...] = (
    ("host", "mtbf_hours"),
    ("host", "mttr_hours"),
    ("switch", "mtbf_hours"),
    ("switch", "mttr_hours"),
)

#: The price controls [USD] and the catalog item each edits (``switch``: the switch
#: model of the design's port count).
PRICE_CONTROLS: tuple[str, ...] = ("server", "switch", "san_base")

#: The rule controls (the other rules come from the scenario loaded, unchanged).
RULE_CONTROLS: tuple[str, ...] = ("reserve", "quorum")

#: The economics controls: (control, field of the ``economics`` section).
ECONOMICS_CONTROLS: tuple[tuple[str, str], ...] = (
    ("downtime_cost_per_hour", "downtime_cost_per_hour_usd"),
    ("years", "years"),
    ("power_usd_per_kwh", "power_usd_per_kwh"),
    ("pue", "pue"),
)

#: The workload's number controls: fields of :class:`hvdesign.sizing.Workload`.
WORKLOAD_CONTROLS: tuple[str, ...] = (
    "vms",
    "vcpus_per_vm",
    "memory_gb_per_vm",
    "storage_gb_per_vm",
)

#: The workload's controls in the sidebar: ``sizing`` (no workload, hosts sized from
#: it, hosts set by hand), the numbers and the ``server_model``.
WORKLOAD_SIDEBAR: tuple[str, ...] = ("sizing", *WORKLOAD_CONTROLS, "server_model")

#: The ``sizing`` control's choices: (label, value).
SIZING_CHOICES: tuple[tuple[str, str], ...] = (
    ("No workload (hosts set by hand)", "none"),
    ("Hosts sized from the workload", "auto"),
    ("Workload, hosts set by hand (override)", "manual"),
)

#: The workload the controls hold when the scenario has none (carried only when the
#: ``sizing`` control says so): 90 VMs of 4 vCPU and 16 GB fill the default
#: four-node N+1 cluster of medium servers (ceil(90 / 31) + 1 = 4 hosts).
DEFAULT_WORKLOAD: dict[str, Any] = {
    "vms": 90,
    "vcpus_per_vm": 4,
    "memory_gb_per_vm": 16.0,
    "storage_gb_per_vm": 100.0,
}

#: The largest node count of any version [hosts]: the node slider's fixed range.
MAX_NODES = max(NODE_LIMITS.values())

#: Source recorded for a price or reliability figure edited in the app.
EDITED_SOURCE = "edited in the hvdesign workbench"

_QUORUM = ("auto", "node_majority", "node_and_disk_majority")
_MULTIPATH = [("MPIO", "mpio"), ("MCS", "mcs"), ("NIC team (unsupported)", "team")]


def control_of(field: str) -> str | None:
    """The control an error's ``field`` belongs to, or None (an option without a
    control: the error shows at the top of the page only)."""
    parts = field.split(".")
    if parts[0] == "catalog":
        return "switch" if "switches" in parts else (parts[1] if len(parts) > 1 else None)
    if parts[0] == "reliability" and len(parts) > 2:
        key = f"{parts[1]}.{parts[2]}"
        return key if tuple(parts[1:3]) in RELIABILITY_CONTROLS else None
    if parts[0] == "economics" and len(parts) > 1:
        return dict((f, c) for c, f in ECONOMICS_CONTROLS).get(parts[1])
    if parts[0] == "workload":  # the whole workload (no VM fits): beside the server
        sub = parts[1] if len(parts) > 1 else "server"
        return "server_model" if sub == "server" else (sub if sub in WORKLOAD_CONTROLS else None)
    if field in ("power_usd_per_kwh", "pue"):
        return field
    name = parts[-1]
    known = {"name", "tier", "nodes", "windows_version", *OPTION_CONTROLS, *RULE_CONTROLS}
    return name if name in known else None


def _control(cls: type, description: str, key: str, label_px: int = 120, **kw: Any) -> Any:
    """A sidebar control: its label ``label_px`` wide, the control filling the rest,
    class ``hv-ctl-<key>`` (dots as hyphens) for the page and its tests."""
    if cls in (W.IntSlider, W.FloatText, W.IntText, W.Text):
        kw.setdefault("continuous_update", False)
    widget = cls(
        description=description,
        style={"description_width": f"{label_px}px"},
        layout=W.Layout(width="100%"),
        **kw,
    )
    widget.add_class("hv-ctl-" + key.replace(".", "-").replace("_", "-"))
    return widget


def _switch_options(catalog: Catalog, ports: int) -> list[tuple[str, int]]:
    return [(f"{p}-port units", p) for p in sorted({*catalog.switches, ports})]


def build_controls(sf: ScenarioFile, values: Mapping[str, Any]) -> dict[str, Any]:
    """Every control of the sidebar, holding ``values`` (the design's options, from
    :func:`design_values`) and ``sf``'s prices, reliability, rules and economics."""
    v = values
    version = v["windows_version"] if v["windows_version"] in NODE_LIMITS else "2019"
    c: dict[str, Any] = {
        "name": _control(
            W.Text,
            "Name",
            "name",
            44,
            value=str(v.get("name") or ""),
            placeholder="e.g. Contoso production cluster",
        ),
        "tier": _control(
            W.Dropdown,
            "Tier",
            "tier",
            44,
            options=[(f"{t.figure}: {t.title}", t.id) for t in TIERS.values()],
            value=v["tier"] if v["tier"] in TIERS else sf.design.tier,
        ),
        "nodes": _control(
            W.IntSlider,
            "Hosts",
            "nodes",
            value=min(max(int(v["nodes"]), 1), MAX_NODES),
            min=1,
            max=MAX_NODES,
        ),
        "windows_version": _control(
            W.Dropdown,
            "Windows Server",
            "windows_version",
            options=list(NODE_LIMITS),
            value=version,
        ),
        "storage_multipath": _control(
            W.Dropdown,
            "Storage multipath",
            "storage_multipath",
            options=_MULTIPATH,
            value=v["storage_multipath"],
        ),
        "cross_switch_teaming": W.Checkbox(
            value=bool(v["cross_switch_teaming"]),
            description="Production team across both switches",
            indent=False,
            layout=W.Layout(width="100%"),
        ),
        "nic_ports_per_card": _control(
            W.IntSlider,
            "NIC ports per card",
            "nic_ports_per_card",
            value=v["nic_ports_per_card"],
            min=1,
            max=8,
        ),
        "san_portals": _control(
            W.IntSlider,
            "SAN target portals",
            "san_portals",
            value=v["san_portals"],
            min=1,
            max=16,
        ),
        "uplinks_per_switch": _control(
            W.IntSlider,
            "Core uplinks/switch",
            "uplinks_per_switch",
            value=v["uplinks_per_switch"],
            min=0,
            max=8,
        ),
        "switch_ports_per_unit": _control(
            W.Dropdown,
            "Switch model",
            "switch_ports_per_unit",
            options=_switch_options(sf.catalog, v["switch_ports_per_unit"]),
            value=v["switch_ports_per_unit"],
        ),
    }
    c["server"] = _control(W.FloatText, "Server", "server", step=500)
    c["switch"] = _control(W.FloatText, "Switch", "switch", step=500)
    c["san_base"] = _control(W.FloatText, "SAN base", "san_base", step=1000)
    for kind, figure in RELIABILITY_CONTROLS:
        label = f"{kind.capitalize()} {figure.split('_')[0].upper()}"
        c[f"{kind}.{figure}"] = _control(W.FloatText, label, f"{kind}.{figure}", step=1)
    c["reserve"] = _control(W.IntText, "Reserve hosts", "reserve")
    c["quorum"] = _control(W.Dropdown, "Quorum", "quorum", options=list(_QUORUM))
    c["downtime_cost_per_hour"] = _control(
        W.FloatText, "Downtime [USD/h]", "downtime_cost_per_hour", step=1000
    )
    c["years"] = _control(W.FloatText, "Horizon [years]", "years", step=1)
    c["power_usd_per_kwh"] = _control(
        W.FloatText, "Power [USD/kWh]", "power_usd_per_kwh", step=0.01
    )
    c["pue"] = _control(W.FloatText, "PUE [total/IT]", "pue", step=0.1)
    c["sizing"] = _control(W.Dropdown, "Hosts", "sizing", 44, options=list(SIZING_CHOICES))
    c["vms"] = _control(W.IntText, "VMs", "vms")
    c["vcpus_per_vm"] = _control(W.IntText, "vCPU per VM", "vcpus_per_vm")
    c["memory_gb_per_vm"] = _control(W.FloatText, "Memory/VM [GB]", "memory_gb_per_vm", step=1)
    c["storage_gb_per_vm"] = _control(W.FloatText, "Storage/VM [GB]", "storage_gb_per_vm", step=10)
    c["server_model"] = _control(W.Dropdown, "Server model", "server_model", options=[""])
    set_scenario_values(c, sf)
    return c


def server_choices(catalog: Catalog) -> list[tuple[str, str]]:
    """The ``server_model`` control's choices: every model of the catalog's
    ``servers`` with its cores and memory; first ``""`` (the catalog's own server)
    when that server is none of the models."""
    from hvdesign.sizing import server_of

    out = [
        (f"{name}: {m.cores} cores, {m.memory_gb:,.0f} GB", name)
        for name, m in catalog.servers.items()
    ]
    if server_of(catalog, None)[0] not in catalog.servers:
        s = catalog.server
        out.insert(0, (f"the catalog's server: {s.cores} cores, {s.memory_gb:,.0f} GB", ""))
    return out


#: Number fields repeated under themselves with thousands separators and their unit
#: (a browser's number field shows 175320, beside $195,690 on the page): key -> unit.
READOUT_UNITS: dict[str, str] = {
    "server": "USD",
    "switch": "USD",
    "san_base": "USD",
    **{f"{kind}.{figure}": "hours" for kind, figure in RELIABILITY_CONTROLS},
    "downtime_cost_per_hour": "USD/hour",
    "vms": "VMs",
}


def readout_text(value: float | None, unit: str) -> str:
    """A number field's value as text with thousands separators and its unit.

    >>> readout_text(175320, "hours"), readout_text(20000, "USD"), readout_text(0.5, "hours")
    ('175,320 hours', '$20,000', '0.5 hours')
    >>> readout_text(50000, "USD/hour"), readout_text(None, "USD")
    ('$50,000/hour', '')
    """
    if value is None:
        return ""
    if unit.startswith("USD"):
        return money(value) + unit.removeprefix("USD")
    text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.6g}"
    return f"{text} {unit}"


def number_readouts(c: Mapping[str, Any]) -> dict[str, W.HTML]:
    """One readout per number field of :data:`READOUT_UNITS` (class ``hv-readout``),
    kept equal to :func:`readout_text` of the field's value."""
    out: dict[str, W.HTML] = {}
    for key, unit in READOUT_UNITS.items():
        box = out[key] = W.HTML(readout_text(c[key].value, unit))
        box.add_class("hv-readout")

        def follow(change: dict[str, Any], box: W.HTML = box, unit: str = unit) -> None:
            box.value = readout_text(change["new"], unit)

        c[key].observe(follow, "value")
    return out


def switch_model(catalog: Catalog, ports: int) -> tuple[int, Any]:
    """(model, catalog item or None) of the switch for ``ports`` ports per unit."""
    if ports <= max(catalog.switches):
        return catalog.switch(ports)
    return ports, None


def set_scenario_values(c: Mapping[str, Any], sf: ScenarioFile) -> None:
    """Put ``sf``'s prices, reliability, rules and economics into the controls."""
    cat, rel = sf.catalog, sf.reliability
    model, switch = switch_model(cat, int(c["switch_ports_per_unit"].value))
    c["server"].value = cat.server.price_usd
    c["switch"].value = switch.price_usd if switch else 0.0
    c["switch"].description = f"Switch ({model} ports)"
    c["san_base"].value = cat.san_base.price_usd
    for kind, figure in RELIABILITY_CONTROLS:
        c[f"{kind}.{figure}"].value = rel.figure(kind, figure).value
    c["reserve"].value = sf.rules.reserve
    c["quorum"].value = sf.rules.quorum
    for key, field in ECONOMICS_CONTROLS:
        c[key].value = getattr(sf.economics, field)
    set_workload_values(c, sf)


def set_workload_values(c: Mapping[str, Any], sf: ScenarioFile) -> None:
    """Put ``sf``'s workload (or :data:`DEFAULT_WORKLOAD` when it has none), its server
    model and how its hosts are counted into the controls."""
    from hvdesign.sizing import server_of

    w = sf.workload.to_dict() if sf.workload is not None else DEFAULT_WORKLOAD
    for key in WORKLOAD_CONTROLS:
        c[key].value = w[key]
    choices = server_choices(sf.catalog)
    c["server_model"].options = choices
    name = server_of(sf.catalog, None)[0]
    c["server_model"].value = name if name in sf.catalog.servers else choices[0][1]
    c["sizing"].value = "none" if sf.workload is None else ("auto" if sf.auto_nodes else "manual")


def design_values(design: Design) -> dict[str, Any]:
    """The controlled options of ``design`` (``name``, ``tier``, ``nodes`` and
    :data:`OPTION_CONTROLS`)."""
    keys = ("name", "tier", "nodes", "windows_version", *OPTION_CONTROLS)
    return {k: getattr(design, k) for k in keys}


def set_design_values(c: Mapping[str, Any], sf: ScenarioFile, catalog: Catalog) -> None:
    """Put ``sf``'s design options into the controls (a switch port count outside the
    model list is added to it)."""
    values = design_values(sf.design)
    ports = values["switch_ports_per_unit"]
    c["switch_ports_per_unit"].options = _switch_options(catalog, ports)
    for key, value in values.items():
        c[key].value = "" if key == "name" and value is None else value


# ------------------------------------------------------------------ reading


def _catalog(
    c: Mapping[str, Any],
    base: Catalog,
    switch_prices: Mapping[int, float],
    server_model: str = "",
) -> Catalog:
    """``base`` with the edited prices (only those that differ) applied; the server's
    price also on its ``server_model`` of ``servers`` (a scenario naming the model takes the
    server from there when loaded)."""
    model, switch = switch_model(base, int(c["switch_ports_per_unit"].value))
    overrides: dict[str, Any] = {}

    def entry(value: Any) -> dict[str, Any]:
        return {"price_usd": value, "source": EDITED_SOURCE, "year": None}

    if c["server"].value != base.server.price_usd:
        overrides["server"] = entry(c["server"].value)
        if server_model:
            overrides["servers"] = {server_model: entry(c["server"].value)}
    if c["san_base"].value != base.san_base.price_usd:
        overrides["san_base"] = entry(c["san_base"].value)
    if switch is not None and c["switch"].value != switch.price_usd:
        overrides["switches"] = {model: entry(c["switch"].value)}
    for other, price in switch_prices.items():  # prices edited under another model
        if other != model and other in base.switches and price != base.switches[other].price_usd:
            overrides.setdefault("switches", {})[other] = entry(price)
    return merge_catalog(base, overrides) if overrides else base


def _reliability(c: Mapping[str, Any], base: Reliability) -> Reliability:
    """``base`` with the edited figures (only those that differ) applied."""
    overrides: dict[str, dict[str, Any]] = {}
    for kind, figure in RELIABILITY_CONTROLS:
        value = c[f"{kind}.{figure}"].value
        if value != base.figure(kind, figure).value:
            overrides.setdefault(kind, {})[figure] = {"value": value, "source": EDITED_SOURCE}
    return base.replace(overrides) if overrides else base


Cache = Callable[[str, Any, Callable[[], Any]], Any]


def _no_cache(_name: str, _key: Any, compute: Callable[[], Any]) -> Any:
    return compute()


def read_scenario(
    c: Mapping[str, Any],
    options: Mapping[str, Any],
    base: ScenarioFile,
    switch_prices: Mapping[int, float],
    cache: Cache = _no_cache,
) -> tuple[ScenarioFile | None, list[HvdesignError]]:
    """The scenario the controls describe: the design of ``options`` (the controls'
    and the fixed ones), ``base``'s catalog, reliability and rules with the edited
    values; or None and every error found (each part is checked, so each bad field
    gets its message). ``cache(name, key, compute)`` (e.g.
    :meth:`hvdesign.widgets.memo.Memo.get`) keeps the same catalog and reliability
    objects while their values are unchanged."""
    errors: list[HvdesignError] = []
    prices = tuple(c[k].value for k in (*PRICE_CONTROLS, "switch_ports_per_unit"))
    figures = tuple(c[f"{k}.{f}"].value for k, f in RELIABILITY_CONTROLS)
    opts = dict(options)
    design = catalog = reliability = rules = economics = workload = None
    sizing = c["sizing"].value
    model = c["server_model"].value if sizing != "none" else ""
    try:
        start = base.catalog.with_server(model) if model else base.catalog
        key = (base.catalog, model, prices, tuple(sorted(switch_prices.items())))
        catalog = cache("catalog", key, lambda: _catalog(c, start, switch_prices, model))
    except HvdesignError as err:
        errors.append(err)
    if sizing != "none":
        workload = _workload(c, model, catalog, errors, base.workload)
    if sizing == "auto" and workload is not None and catalog is not None:
        try:
            opts["nodes"] = _sized_nodes(workload, opts, catalog, c["reserve"].value)
        except HvdesignError as err:
            errors.append(err)
    try:
        design = design_from_tier(opts.pop("tier"), **opts)
    except HvdesignError as err:
        errors.append(err)
    try:
        rkey = (base.reliability, figures)
        reliability = cache("reliability", rkey, lambda: _reliability(c, base.reliability))
    except HvdesignError as err:
        errors.append(err)
    try:
        economics = economics_from_dict({f: c[k].value for k, f in ECONOMICS_CONTROLS})
    except HvdesignError as err:
        errors.append(err)
    if design is not None:
        try:
            rules = rules_from_dict({k: c[k].value for k in RULE_CONTROLS}, design, base.rules)
        except HvdesignError as err:
            errors.append(err)
    if errors:
        return None, errors
    assert design and catalog and reliability and rules and economics
    sf = ScenarioFile(design, rules, reliability, catalog, economics, workload, sizing == "auto")
    return sf, []


def _workload(
    c: Mapping[str, Any],
    model: str,
    catalog: Catalog | None,
    errors: list[HvdesignError],
    base: Workload | None = None,
) -> Workload | None:
    """The workload the controls hold over ``base`` (the loaded scenario's: its sizing
    parameters kept), None and the errors appended when invalid: each field checked
    alone, so each bad field gets its message; then whether one VM fits a host of the
    server model."""
    from hvdesign.sizing import workload_from_dict

    values = {k: c[k].value for k in WORKLOAD_CONTROLS}
    bad = False
    for key in WORKLOAD_CONTROLS:
        try:
            workload_from_dict({**DEFAULT_WORKLOAD, key: values[key]})
        except HvdesignError as err:
            errors.append(err)
            bad = True
    if bad:
        return None
    if base is not None and base.server is None and catalog is not None:
        from hvdesign.sizing import server_of

        # the loaded scenario names no model: kept so while its server is chosen
        if model == server_of(catalog, None)[0]:
            model = ""
    workload = workload_from_dict({**values, "server": model or None}, base=base)
    if catalog is not None:
        try:
            vms_per_host(catalog.server, workload)
        except HvdesignError as err:
            errors.append(err)
            return None
    return workload


def _sized_nodes(
    workload: Workload, opts: Mapping[str, Any], catalog: Catalog, reserve: Any
) -> int:
    """The nodes :func:`hvdesign.sizing.size` finds for the design's tier and options
    (``reserve`` hosts: the rule control's value; an invalid one is named by the rules'
    own check)."""
    tier = opts.get("tier")
    if tier not in TIERS:
        design_from_tier(str(tier))  # the tier's own error
    res = reserve if isinstance(reserve, int) and reserve >= 0 else 1
    rest = {k: v for k, v in opts.items() if k not in ("tier", "nodes")}
    return size(workload, str(tier), catalog, reserve=res, options=rest).nodes


# ------------------------------------------------------------------ loading


def uploaded_file(value: Any) -> tuple[str, bytes] | None:
    """(name, content) of the file in a ``FileUpload``'s value, or None when empty."""
    items = list(value.values()) if isinstance(value, Mapping) else list(value or ())
    if not items:
        return None
    item = items[-1]
    return str(item.get("name") or "scenario.yaml"), bytes(item["content"])


def parse_scenario(name: str, content: bytes) -> tuple[ScenarioFile, dict[str, Any]]:
    """The scenario of an uploaded file and its design options that have no control
    (kept fixed). Raises :class:`HvdesignError` naming what is wrong."""
    what = f"scenario file {name}"
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as err:
        raise HvdesignError(what, name, "a UTF-8 YAML text", detail=f"byte {err.start}") from None
    try:
        data = load_yaml_text(text, what)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "malformed"
        raise HvdesignError(what, name, "well-formed YAML", detail=where) from None
    if data is None:
        raise HvdesignError(what, name, "a YAML mapping with at least a tier")
    sf = scenario_from_dict(data, where=f"in {name}")
    controlled = {"name", "tier", "nodes", *OPTION_CONTROLS}  # nodes: auto included
    fixed = {k: v for k, v in data.items() if k not in SECTIONS and k not in controlled}
    return sf, fixed


def field_error_html(err: HvdesignError) -> str:
    """An error next to a field: the package's one line, escaped."""
    return f'<div class="hv-field-error">{esc(str(err))}</div>'


__all__ = [
    "ECONOMICS_CONTROLS",
    "EDITED_SOURCE",
    "MAX_NODES",
    "OPTION_CONTROLS",
    "PRICE_CONTROLS",
    "RELIABILITY_CONTROLS",
    "RULE_CONTROLS",
    "SIZING_CHOICES",
    "WORKLOAD_CONTROLS",
    "WORKLOAD_SIDEBAR",
    "build_controls",
    "control_of",
    "design_values",
    "field_error_html",
    "parse_scenario",
    "read_scenario",
    "set_design_values",
    "server_choices",
    "set_scenario_values",
    "set_workload_values",
    "switch_model",
    "uploaded_file",
]
