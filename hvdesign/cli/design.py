"""The design commands: ``hvdesign summary`` (connections, ports, addresses),
``hvdesign design`` (the whole scenario file of a TARGET), ``hvdesign ipplan`` and
``hvdesign cabling`` (the plans as tables).

Thin faces over :func:`hvdesign.counts.summary`, :func:`hvdesign.scenariofile.scenario_to_yaml`
and :mod:`hvdesign.plans`; registered lazily by :mod:`hvdesign.cli.main`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from hvdesign.cli.common import (
    catalog_option,
    design_options,
    economics_options,
    effective_scenario,
    emit,
    reliability_option,
    resolve_design,
    rules_options,
)
from hvdesign.views.html import plural

if TYPE_CHECKING:
    import pandas as pd

    from hvdesign.spec import Design


@click.command("summary")
@design_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def summary_cmd(target: str, nodes: str | None, sets: tuple[str, ...], as_json: bool) -> None:
    """Connections, switch ports and IP addresses of a design."""
    from hvdesign.counts import summary

    design = resolve_design(target, nodes, sets)
    s = summary(design)
    if as_json:
        click.echo(json.dumps(s, indent=2))
        return
    click.echo(f"{s['name']}  [{s['tier']}, {design.tier_info.figure}]")
    click.echo(
        f"  hosts: {s['nodes']}{' (cluster)' if s['cluster'] else ''}, "
        f"Windows Server {s['windows_version']}, switches: {s['switches']}"
    )
    per = ", ".join(f"{k} {v}" for k, v in s["connections_per_host"].items() if v)
    click.echo(
        f"  connections per host: {s['connections_per_host_total']} ({per}) "
        f"on {s['subnets_per_host']} subnets"
    )
    click.echo(f"  host connections in total: {s['host_connections_total']}")
    for sw, p in s["switch_ports"].items():
        click.echo(
            f"  {sw}: {p['total']} ports (host {p['host']}, SAN {p['san']}, "
            f"uplink {p['uplink']}, ISL {p['isl']}); {plural(s['switch_units'][sw], 'unit')} "
            f"of {design.switch_ports_per_unit} ports"
        )
    click.echo(f"  switch ports in total: {s['switch_ports_total']}")
    addr = ", ".join(f"{k} {v}" for k, v in s["ip_addresses_by_subnet"].items())
    click.echo(f"  IP addresses per subnet: {addr}")


@click.command("design")
@design_options
@rules_options
@reliability_option
@catalog_option
@economics_options
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout.")
def design(
    target: str,
    nodes: str | None,
    sets: tuple[str, ...],
    output: str | None,
    **_options: object,
) -> None:
    """Print the whole scenario as a scenario file (YAML): every design option, then
    the rules, reliability, catalog and economics with their effective values.

    TARGET is a tier id or a scenario file; the options given override it. The output
    loads back unchanged (hvdesign design OUT.yaml prints it again).
    """
    import dataclasses

    from hvdesign.scenariofile import scenario_to_yaml

    sf = effective_scenario(target, nodes, sets)
    if not sf.design.name:
        sf = dataclasses.replace(
            sf, design=sf.design.model_copy(update={"name": default_name(sf.design)})
        )
    emit(scenario_to_yaml(sf), output)


def default_name(design: Design) -> str:
    """A name for a design that has none, from its tier's title and node count:
    "4-node Hyper-V cluster, redundant path", "3 standalone servers, redundant
    connections" (one server: the tier's title)."""
    title = design.tier_info.title
    if design.cluster:
        return f"{design.nodes}-node {title}"
    head, _, rest = title.partition(", ")
    if design.nodes == 1 or not rest:
        return title
    return f"{plural(design.nodes, 'standalone server')}, {rest}"


@click.command("ipplan")
@design_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout.")
def ipplan(
    target: str, nodes: str | None, sets: tuple[str, ...], fmt: str, output: str | None
) -> None:
    """The IP plan: an address for every endpoint, from a CIDR per traffic class.

    Set the networks with e.g. --set 'subnets={storage: 192.168.50.0/23}'.
    """
    from hvdesign.plans import ip_plan

    plan = ip_plan(resolve_design(target, nodes, sets))
    emit(format_table(plan, fmt), output)


@click.command("cabling")
@design_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "netbox", "json"]),
    default="table",
    show_default=True,
    help="netbox: NetBox's cable bulk-import CSV.",
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout.")
def cabling(
    target: str, nodes: str | None, sets: tuple[str, ...], fmt: str, output: str | None
) -> None:
    """The cabling plan: one row per cable (device, port, NIC card, switch, port)."""
    from hvdesign.plans import cabling_plan, netbox_cables

    plan = cabling_plan(resolve_design(target, nodes, sets))
    if fmt == "netbox":
        emit(netbox_cables(plan).to_csv(index=False), output)
    else:
        emit(format_table(plan, fmt), output)


def format_table(df: pd.DataFrame, fmt: str) -> str:
    """A plan table as ``csv``, ``json`` (records) or a plain-text ``table``."""
    if fmt == "csv":
        return df.to_csv(index=False)
    if fmt == "json":
        return str(df.to_json(orient="records", indent=2))
    return df.to_string(index=False)


#: The commands of this module (registered lazily by :mod:`hvdesign.cli.main`).
COMMANDS: tuple[click.Command, ...] = (summary_cmd, design, ipplan, cabling)
