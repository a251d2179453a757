"""Command-line faces of cost: ``hvdesign cost`` (a design's bill of materials, capital
cost and cost per VM) and ``hvdesign compare`` (every tier at every node count:
capital cost, availability, downtime, total cost and the Pareto frontier).

The commands are plain click commands; :mod:`hvdesign.cli.main` registers them lazily
on its group (the module is imported when a command runs), whose error handling turns every
:class:`~hvdesign.errors.HvdesignError` into one line on stderr and exit status 2.
They only parse options and present what :mod:`hvdesign.cost` returns.
"""

from __future__ import annotations

import json
import math
import sys
from typing import TYPE_CHECKING, Any

import click
import pandas as pd

from hvdesign.cli.common import (  # noqa: F401 (re-exported)
    NODES_ALLOWED,
    SERVICE_SENTENCE,
    VM_SENTENCE,
    apply_options,
    catalog_option,
    design_options,
    economics_options,
    effective_scenario,
    parse_nodes,
    reliability_option,
    resolve_design,
    rules_options,
    target_scenario,
)
from hvdesign.cli.workloadopts import workload_of, workload_options
from hvdesign.cost import (
    DEFAULT_VMS_PER_HOST,
    bill_of_materials,
    compare,
    downtime_cost,
    vms_served,
)
from hvdesign.errors import HvdesignError
from hvdesign.spec import TIERS, Design, parse_value
from hvdesign.views.html import plural

if TYPE_CHECKING:
    from hvdesign.scenariofile import ScenarioFile


def parse_tiers(text: str | None) -> list[str] | None:
    """The tier ids of a ``--tiers`` value (comma-separated); None: all five.

    >>> parse_tiers("cluster-minimal, cluster-redundant-path")
    ['cluster-minimal', 'cluster-redundant-path']
    """
    if text is None:
        return None
    tiers = [t.strip() for t in text.split(",") if t.strip()]
    for t in tiers or [text]:
        if t not in TIERS:
            raise HvdesignError("--tiers", t, "comma-separated tier ids among " + ", ".join(TIERS))
    return tiers


def _finite(value: Any) -> Any:
    """JSON has no infinity or NaN: None instead."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {str(k): _finite(v.item() if hasattr(v, "item") else v) for k, v in row.items()}
        for row in df.to_dict(orient="records")
    ]


def _left(table: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """``table`` with the text ``columns`` (and their headings) left-aligned."""
    table = table.copy()
    for col in columns:
        width = max(len(col), int(table[col].str.len().max()))
        table[col] = table[col].str.ljust(width)
        table = table.rename(columns={col: col.ljust(width)})
    return table


def cost_dict(
    design: Design,
    bom: pd.DataFrame,
    per_vm: float,
    vms_per_host: int,
    vms: int,
    currency: str,
    hba: bool,
) -> dict[str, Any]:
    """The JSON object of ``hvdesign cost --json`` without the availability part:
    ``tier``, ``nodes``, ``name``, ``currency``, ``capex``, ``hba``, ``vms_per_host``,
    ``vms``, ``cost_per_vm`` and ``bom`` (rows of
    :func:`hvdesign.cost.bill_of_materials`)."""
    return {
        "tier": design.tier,
        "nodes": design.nodes,
        "name": design.title,
        "currency": currency,
        "capex": float(bom["total_usd"].sum()),
        "hba": hba,
        "vms_per_host": vms_per_host,
        "vms": vms,
        "cost_per_vm": per_vm,
        "bom": _records(bom),
    }


def scenario_cost_dict(
    sf: ScenarioFile, *, hba: bool = False, vms_per_host: int | None = None
) -> dict[str, Any]:
    """Everything ``hvdesign cost --json`` prints for the scenario ``sf``:
    :func:`cost_dict`, then both availability figures (``availability``,
    ``downtime_minutes_per_year``: every VM runs; ``vm_availability``,
    ``vm_downtime_minutes_per_year``: the share of VM-time), the economics
    (``downtime_cost_per_hour_usd`` [USD/hour], ``years``, ``power_usd_per_kwh``,
    ``pue``), ``opex_usd_per_year`` (power, support and licence subscriptions
    [USD/year]), ``downtime_cost_usd`` (the VM downtime's cost over the horizon [USD])
    and ``total_cost_usd`` (capex + opex x years + downtime cost).

    With a workload (the scenario's), the SAN is priced by the capacity it needs, the
    VMs per host come from the sizing (unless ``vms_per_host`` is given) and ``vms``
    is the workload's."""
    from hvdesign.availability import availability
    from hvdesign.sizing import vms_per_host as sized_vms_per_host

    design, catalog, econ, w = sf.design, sf.catalog, sf.economics, sf.workload
    san_tb = None if w is None else w.san_usable_tb
    if vms_per_host is None:
        vms_per_host = (
            DEFAULT_VMS_PER_HOST if w is None else sized_vms_per_host(catalog.server, w)[0]
        )
    bom = bill_of_materials(
        design,
        catalog,
        hba=hba,
        san_usable_tb=san_tb,
        vms_per_host=None if w is None else vms_per_host,
        power_usd_per_kwh=econ.power_usd_per_kwh,
        pue=econ.pue,
    )
    vms = vms_served(design, vms_per_host, sf.rules)
    if w is not None:
        vms = min(vms, w.vms)
    data = cost_dict(
        design, bom, float(bom["total_usd"].sum()) / vms, vms_per_host, vms, catalog.currency, hba
    )
    r = availability(design, sf.reliability, sf.rules)
    down = downtime_cost(
        r.vm_downtime_minutes_per_year, econ.downtime_cost_per_hour_usd, econ.years
    )
    data.update(
        availability=r.availability,
        downtime_minutes_per_year=r.downtime_minutes_per_year,
        vm_availability=r.vm_availability,
        vm_downtime_minutes_per_year=r.vm_downtime_minutes_per_year,
        downtime_cost_per_hour_usd=econ.downtime_cost_per_hour_usd,
        years=econ.years,
        power_usd_per_kwh=econ.power_usd_per_kwh,
        pue=econ.pue,
        opex_usd_per_year=float(bom["opex_usd_per_year"].sum()),
        downtime_cost_usd=down,
        total_cost_usd=data["capex"] + float(bom["opex_usd_per_year"].sum()) * econ.years + down,
        reserve=sf.rules.reserve if design.cluster else 0,
        workload=None if w is None else w.to_dict(),
    )
    return data


@click.command("cost")
@design_options
@catalog_option
@click.option("--hba", is_flag=True, help="Add hardware iSCSI HBAs on every host.")
@click.option(
    "--vms-per-host",
    type=int,
    default=None,
    help="VMs one host can run, for the cost per VM [default: sized from the scenario's "
    f"workload, else {DEFAULT_VMS_PER_HOST}, an assumption].",
)
@rules_options
@reliability_option
@economics_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def cost(
    target: str,
    nodes: str | None,
    sets: tuple[str, ...],
    hba: bool,
    vms_per_host: int | None,
    as_json: bool,
    **_options: object,
) -> None:
    """Bill of materials, capital cost, cost per VM and total cost of a design.

    Prices, rules, reliability and economics come from TARGET's scenario file (the
    shipped defaults for a tier id); the options given override them. The total
    cost is the capital cost plus the cost of the VM downtime over the horizon.

    \b
    --json prints one object: "tier", "nodes", "name", "currency", "capex" [USD],
    "hba", "vms_per_host", "vms", "cost_per_vm" [USD/VM], "bom" (rows), then
    "availability", "downtime_minutes_per_year" (every VM runs), "vm_availability",
    "vm_downtime_minutes_per_year" (the share of VM-time), "downtime_cost_per_hour_usd",
    "years", "power_usd_per_kwh", "pue", "opex_usd_per_year" [USD/year],
    "downtime_cost_usd", "total_cost_usd" [USD: capex + opex x years + downtime
    cost], "reserve" and "workload" (null without one).
    """
    sf = effective_scenario(target, nodes, sets)
    data = scenario_cost_dict(sf, hba=hba, vms_per_host=vms_per_host)
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    _print_cost(sf.design, data)


def _print_cost(design: Design, data: dict[str, Any]) -> None:
    bom = pd.DataFrame(data["bom"])
    click.echo(f"{design.title}  [{design.tier}, {design.tier_info.figure}]")
    table = pd.DataFrame(
        {
            "category": bom["category"],
            "item": [
                d + (" *" if str(s).startswith("placeholder") else "")
                for d, s in zip(bom["description"], bom["source"], strict=True)
            ],
            "quantity": bom["quantity"],
            "unit price [USD]": bom["unit_price_usd"].map("{:,.0f}".format),
            "total [USD]": bom["total_usd"].map("{:,.0f}".format),
            "opex [USD/year]": bom["opex_usd_per_year"].map("{:,.0f}".format),
        }
    )
    click.echo(_left(table, "category", "item").to_string(index=False))
    click.echo(f"capital cost: {data['capex']:,.0f} USD")
    click.echo(
        f"running cost: {data['opex_usd_per_year']:,.0f} USD/year (power at "
        f"{data['power_usd_per_kwh']:g} USD/kWh x PUE {data['pue']:g}, support, licence "
        "subscriptions; the perpetual licences are capital cost)"
    )
    click.echo(
        f"cost per VM: {data['cost_per_vm']:,.0f} USD/VM ({data['vms']} VMs: "
        f"{data['vms_per_host']} per host"
        + (f", {plural(data['reserve'], 'host')} in reserve)" if design.cluster else ")")
    )
    click.echo(
        f"service availability: {data['availability']:.6f}, downtime "
        f"{data['downtime_minutes_per_year']:,.1f} min/year. {SERVICE_SENTENCE}"
    )
    click.echo(
        f"VM availability: {data['vm_availability']:.6f}, VM downtime "
        f"{data['vm_downtime_minutes_per_year']:,.1f} min/year. {VM_SENTENCE}"
    )
    click.echo(
        f"total cost: {data['total_cost_usd']:,.0f} USD over {data['years']:g} years = "
        f"capital cost + running cost x years + VM downtime at "
        f"{data['downtime_cost_per_hour_usd']:,.0f} USD/hour of all VMs down "
        f"({data['downtime_cost_usd']:,.0f} USD)"
    )
    if table["item"].str.endswith(" *").any():
        click.echo("* placeholder price: replace it with a quote (--catalog FILE)")


#: Columns of the text table of ``hvdesign compare``: (column, heading, format).
_COMPARE_TEXT = (
    ("tier", "tier", "{}"),
    ("nodes", "hosts", "{}"),
    ("capex_usd", "capex [USD]", "{:,.0f}"),
    ("opex_usd_per_year", "opex [USD/year]", "{:,.0f}"),
    ("availability", "service availability", "{:.6f}"),
    ("downtime_minutes_per_year", "downtime [min/year]", "{:,.1f}"),
    ("vm_downtime_minutes_per_year", "VM downtime [min/year]", "{:,.1f}"),
    ("total_cost_usd", "total cost [USD]", "{:,.0f}"),
    ("cost_per_nine_usd", "cost per nine [USD]", "{:,.0f}"),
)


#: Design options ``compare --set`` refuses, with why they cannot apply to every tier.
COMPARE_REFUSED: dict[str, str] = {
    "nodes": "the node counts of compare are --nodes",
    "tier": "the tiers of compare are --tiers",
    "cluster": "each tier decides whether it is a cluster",
    "connections": "an explicit layout belongs to one tier",
}


def compare_options(base: Design | None, sets: tuple[str, ...]) -> dict[str, Any]:
    """The design options every tier of ``hvdesign compare`` takes: the base
    scenario's :data:`~hvdesign.cost.SHARED_OPTIONS` (none without a TARGET), then
    each ``--set KEY=VALUE``; the options of :data:`COMPARE_REFUSED` are refused.

    >>> compare_options(None, ("san_portals=4",))
    {'san_portals': 4}
    >>> compare_options(None, ("nodes=3",))
    Traceback (most recent call last):
    ...
    hvdesign.errors.HvdesignError: --set: 'nodes=3' is not valid (the node counts of compare are --nodes); allowed: ...
    """
    from hvdesign.cost import shared_options

    options: dict[str, Any] = {} if base is None else shared_options(base)
    allowed = "KEY=VALUE, a design option for every tier (not " + ", ".join(COMPARE_REFUSED) + ")"
    for item in sets:
        if "=" not in item:
            raise HvdesignError("--set", item, allowed)
        key, value = (part.strip() for part in item.split("=", 1))
        if key in COMPARE_REFUSED:
            raise HvdesignError("--set", item, allowed, detail=COMPARE_REFUSED[key])
        options[key] = parse_value(key, value)
    return options


@click.command("compare")
@click.argument("target", metavar="[TARGET]", required=False)
@click.option(
    "--nodes",
    "-n",
    "nodes_text",
    default="1-16",
    show_default=True,
    metavar="N",
    help="Node counts: 4, 2-16, or 2,4,8.",
)
@click.option("--tiers", metavar="A,B", help="Tier ids to compare (default: all five).")
@economics_options
@catalog_option
@reliability_option
@click.option("--hba", is_flag=True, help="Add hardware iSCSI HBAs on every host.")
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="KEY=VALUE",
    help="A design option for every tier (repeatable), e.g. --set windows_version=2016.",
)
@rules_options
@workload_options
@click.option(
    "--all-servers", is_flag=True, help="With a workload: every server model of the catalog."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV, one row per design.")
def compare_cmd(
    target: str | None,
    nodes_text: str,
    tiers: str | None,
    hba: bool,
    sets: tuple[str, ...],
    as_json: bool,
    as_csv: bool,
    all_servers: bool,
    **options_given: Any,
) -> None:
    """Every tier at every node count: capital cost, availability, downtime, total
    cost, and the Pareto frontier of capital cost against VM-weighted downtime.

    TARGET (a tier id or a scenario file) is the base of every tier: its shared
    design options (Windows version, multipath, teaming, NIC ports, SAN portals,
    uplinks, switch size), rules, prices, reliability and economics; the options
    given override them.

    With a workload (TARGET's workload section, or --vms N --vcpus-per-vm V
    --memory-gb-per-vm M) every tier is sized for the SAME VMs instead of swept over
    --nodes (every server model with --all-servers): rows carry the sizing, capex,
    opex per year, VM downtime, total cost (capex + opex x years + downtime cost) and
    the cost per VM per year; the Pareto frontier is of total cost against VM
    downtime.
    """
    from hvdesign.scenariofile import resolve_scenario

    if as_json and as_csv:
        raise HvdesignError("--json/--csv", "both", "one of --json or --csv")
    nodes = parse_nodes(nodes_text)
    base = None if target is None else target_scenario(target, None, ())
    options = compare_options(None if base is None else base.design, sets)
    sf = apply_options(base or resolve_scenario("cluster-redundant-path"), check=False)
    econ = sf.economics
    workload = workload_of(sf, options_given)
    if workload is not None:
        _compare_workload(
            sf, workload, options, parse_tiers(tiers), all_servers, hba, as_json, as_csv
        )
        return
    df = compare(
        nodes,
        tiers=parse_tiers(tiers),
        catalog=sf.catalog,
        reliability=sf.reliability,
        rules=sf.rules,
        downtime_cost_per_hour=econ.downtime_cost_per_hour_usd,
        years=econ.years,
        hba=hba,
        options=options,
        progress=sys.stderr.isatty(),
        power_usd_per_kwh=econ.power_usd_per_kwh,
        pue=econ.pue,
    )
    if as_csv:
        click.echo(df.to_csv(index=False), nl=False)
        return
    if as_json:
        data = {**_economics_json(sf), "designs": _records(df)}
        click.echo(json.dumps(data, indent=2))
        return
    table = pd.DataFrame({head: df[col].map(fmt.format) for col, head, fmt in _COMPARE_TEXT})
    table["Pareto"] = df["pareto"].map({True: "*", False: ""})
    click.echo(_left(table, "tier").to_string(index=False))
    click.echo(
        f"* on the Pareto frontier of capital cost against VM-weighted downtime "
        f"({int(df['pareto'].sum())} of {len(df)} designs); total cost = capital cost + "
        f"opex x years + VM downtime at {econ.downtime_cost_per_hour_usd:,.0f} USD/hour of all VMs down "
        f"over {econ.years:g} years"
    )
    click.echo(f"{SERVICE_SENTENCE} {VM_SENTENCE}")


#: Columns of the text table of ``hvdesign compare`` with a workload.
_WORKLOAD_TEXT = (
    ("tier", "tier", "{}"),
    ("server", "server", "{}"),
    ("nodes", "hosts", "{}"),
    ("vms_per_host", "VMs/host", "{}"),
    ("limited_by", "limited by", "{}"),
    ("capex_usd", "capex [USD]", "{:,.0f}"),
    ("opex_usd_per_year", "opex [USD/year]", "{:,.0f}"),
    ("vm_downtime_minutes_per_year", "VM downtime [min/year]", "{:,.1f}"),
    ("total_cost_usd", "total cost [USD]", "{:,.0f}"),
    ("cost_per_vm_per_year_usd", "per VM [USD/year]", "{:,.0f}"),
)


def _economics_json(sf: ScenarioFile) -> dict[str, Any]:
    """The head of ``compare --json``: the currency and the scenario's economics."""
    econ = sf.economics
    return {
        "currency": sf.catalog.currency,
        "downtime_cost_per_hour": econ.downtime_cost_per_hour_usd,
        "years": econ.years,
        "power_usd_per_kwh": econ.power_usd_per_kwh,
        "pue": econ.pue,
    }


def _compare_workload(
    sf: ScenarioFile,
    workload: Any,
    options: dict[str, Any],
    tiers: list[str] | None,
    all_servers: bool,
    hba: bool,
    as_json: bool,
    as_csv: bool,
) -> None:
    """``hvdesign compare`` at equal capacity (:func:`hvdesign.sizing.compare_scenario`)."""
    from hvdesign.sizing import compare_scenario

    econ = sf.economics
    df = compare_scenario(
        sf, all_servers=all_servers, tiers=tiers, hba=hba, workload=workload, options=options
    )
    if as_csv:
        click.echo(df.to_csv(index=False), nl=False)
        return
    if as_json:
        data = {
            **_economics_json(sf),
            "workload": workload.to_dict(),
            "designs": _records(df),
            "refused": df.attrs["refused"],
        }
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(
        f"{workload.vms} VMs of {workload.vcpus_per_vm} vCPU and {workload.memory_gb_per_vm:g} GB "
        f"({workload.san_usable_tb:,.1f} TB on the SAN), every design sized to carry them"
    )
    table = pd.DataFrame({head: df[col].map(fmt.format) for col, head, fmt in _WORKLOAD_TEXT})
    table["Pareto"] = df["pareto"].map({True: "*", False: ""})
    click.echo(_left(table, "tier", "server").to_string(index=False))
    click.echo(
        f"* on the Pareto frontier of total cost against VM-weighted downtime "
        f"({int(df['pareto'].sum())} of {len(df)} designs); total cost = capital cost + "
        f"opex x {econ.years:g} years + VM downtime at {econ.downtime_cost_per_hour_usd:,.0f} "
        f"USD/hour of all VMs down; power at {econ.power_usd_per_kwh:g} USD/kWh x PUE "
        f"{econ.pue:g}"
    )
    for why in df.attrs["refused"]:
        click.echo(f"cannot carry it: {why}")


#: The commands of this module (registered lazily by :mod:`hvdesign.cli.main`).
COMMANDS: tuple[click.Command, ...] = (cost, compare_cmd)
