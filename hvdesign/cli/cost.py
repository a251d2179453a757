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
from typing import Any

import click
import pandas as pd

from hvdesign.cli.common import (  # noqa: F401 (re-exported)
    NODES_ALLOWED,
    design_options,
    make_rules,
    parse_nodes,
    resolve_design,
    rules_options,
)
from hvdesign.cost import (
    DEFAULT_DOWNTIME_COST_PER_HOUR_USD,
    DEFAULT_VMS_PER_HOST,
    DEFAULT_YEARS,
    bill_of_materials,
    compare,
    cost_per_vm,
    load_catalog,
    vms_served,
)
from hvdesign.errors import HvdesignError
from hvdesign.spec import TIERS, Design, parse_value


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
    """The JSON object of ``hvdesign cost --json``: ``tier``, ``nodes``, ``name``,
    ``currency``, ``capex``, ``hba``, ``vms_per_host``, ``vms``, ``cost_per_vm`` and
    ``bom`` (rows of :func:`hvdesign.cost.bill_of_materials`)."""
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


@click.command("cost")
@design_options
@click.option(
    "--catalog",
    "catalog_file",
    metavar="FILE",
    help="Your prices (YAML, partial: overrides only what it names).",
)
@click.option("--hba", is_flag=True, help="Add hardware iSCSI HBAs on every host.")
@click.option(
    "--vms-per-host",
    type=int,
    default=DEFAULT_VMS_PER_HOST,
    show_default=True,
    help="VMs one host can run (an assumption; for the cost per VM).",
)
@click.option(
    "--reserve",
    type=int,
    default=1,
    show_default=True,
    help="Hosts' capacity a cluster keeps free (N+1 = 1); for the cost per VM.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def cost(
    target: str,
    nodes: str | None,
    sets: tuple[str, ...],
    catalog_file: str | None,
    hba: bool,
    vms_per_host: int,
    reserve: int,
    as_json: bool,
) -> None:
    """Bill of materials, capital cost and cost per VM of a design."""
    from hvdesign.failures import FailureRules

    design = resolve_design(target, nodes, sets)
    catalog = load_catalog(catalog_file)
    rules = FailureRules(reserve=reserve)
    bom = bill_of_materials(design, catalog, hba=hba)
    vms = vms_served(design, vms_per_host, rules)
    per_vm = cost_per_vm(design, vms_per_host, catalog, hba=hba, rules=rules)
    data = cost_dict(design, bom, per_vm, vms_per_host, vms, catalog.currency, hba)
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
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
        }
    )
    click.echo(_left(table, "category", "item").to_string(index=False))
    click.echo(f"capital cost: {data['capex']:,.0f} USD")
    click.echo(
        f"cost per VM: {per_vm:,.0f} USD/VM ({vms} VMs: {vms_per_host} per host"
        + (f", {reserve} host(s) in reserve)" if design.cluster else ")")
    )
    if table["item"].str.endswith(" *").any():
        click.echo("* placeholder price: replace it with a quote (--catalog FILE)")


#: Columns of the text table of ``hvdesign compare``: (column, heading, format).
_COMPARE_TEXT = (
    ("tier", "tier", "{}"),
    ("nodes", "hosts", "{}"),
    ("capex_usd", "capex [USD]", "{:,.0f}"),
    ("availability", "availability", "{:.6f}"),
    ("downtime_minutes_per_year", "downtime [min/year]", "{:,.1f}"),
    ("vm_downtime_minutes_per_year", "VM downtime [min/year]", "{:,.1f}"),
    ("total_cost_usd", "total cost [USD]", "{:,.0f}"),
    ("cost_per_nine_usd", "cost per nine [USD]", "{:,.0f}"),
)


@click.command("compare")
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
@click.option(
    "--downtime-cost-per-hour",
    type=float,
    show_default=True,
    default=DEFAULT_DOWNTIME_COST_PER_HOUR_USD,
    help="Cost of one hour of downtime of all VMs [USD/hour] (an assumption).",
)
@click.option(
    "--years",
    type=float,
    default=DEFAULT_YEARS,
    show_default=True,
    help="Horizon of the total cost [years].",
)
@click.option("--catalog", "catalog_file", metavar="FILE", help="Your prices (YAML, partial).")
@click.option(
    "--reliability",
    "reliability_file",
    metavar="FILE",
    help="Your MTBF/MTTR figures (YAML, partial).",
)
@click.option("--hba", is_flag=True, help="Add hardware iSCSI HBAs on every host.")
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="KEY=VALUE",
    help="A design option for every tier (repeatable), e.g. --set windows_version=2016.",
)
@rules_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV, one row per design.")
def compare_cmd(
    nodes_text: str,
    tiers: str | None,
    downtime_cost_per_hour: float,
    years: float,
    catalog_file: str | None,
    reliability_file: str | None,
    hba: bool,
    sets: tuple[str, ...],
    reserve: int,
    quorum: str,
    csv_redirected_io: bool,
    network_health_detection: str,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Every tier at every node count: capital cost, availability, downtime, total
    cost, and the Pareto frontier of capital cost against VM-weighted downtime."""
    if as_json and as_csv:
        raise HvdesignError("--json/--csv", "both", "one of --json or --csv")
    nodes = parse_nodes(nodes_text)
    options: dict[str, Any] = {}
    for item in sets:
        if "=" not in item:
            raise HvdesignError("--set", item, "KEY=VALUE, a design option for every tier")
        key, value = item.split("=", 1)
        options[key.strip()] = parse_value(key.strip(), value)
    catalog = load_catalog(catalog_file)
    reliability = None
    if reliability_file is not None:
        from hvdesign.reliability import load_reliability

        reliability = load_reliability(reliability_file)
    rules = make_rules(reserve, quorum, csv_redirected_io, network_health_detection)
    df = compare(
        nodes,
        tiers=parse_tiers(tiers),
        catalog=catalog,
        reliability=reliability,
        rules=rules,
        downtime_cost_per_hour=downtime_cost_per_hour,
        years=years,
        hba=hba,
        options=options,
        progress=sys.stderr.isatty(),
    )
    if as_csv:
        click.echo(df.to_csv(index=False), nl=False)
        return
    if as_json:
        data = {
            "currency": catalog.currency,
            "downtime_cost_per_hour": downtime_cost_per_hour,
            "years": years,
            "designs": _records(df),
        }
        click.echo(json.dumps(data, indent=2))
        return
    table = pd.DataFrame({head: df[col].map(fmt.format) for col, head, fmt in _COMPARE_TEXT})
    table["Pareto"] = df["pareto"].map({True: "*", False: ""})
    click.echo(_left(table, "tier").to_string(index=False))
    click.echo(
        f"* on the Pareto frontier of capital cost against VM-weighted downtime "
        f"({int(df['pareto'].sum())} of {len(df)} designs); total cost = capital cost + "
        f"downtime at {downtime_cost_per_hour:,.0f} USD/hour over {years:g} years"
    )


#: The commands of this module (registered lazily by :mod:`hvdesign.cli.main`).
COMMANDS: tuple[click.Command, ...] = (cost, compare_cmd)
