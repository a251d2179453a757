"""The design commands: ``hvdesign summary`` (connections, ports, addresses),
``hvdesign design`` (a tier's full design file), ``hvdesign ipplan`` and
``hvdesign cabling`` (the plans as tables).

Thin faces over :func:`hvdesign.counts.summary`, :func:`hvdesign.spec.design_to_yaml`
and :mod:`hvdesign.plans`; registered lazily by :mod:`hvdesign.cli.main`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from hvdesign.cli.common import design_options, emit, resolve_design
from hvdesign.errors import HvdesignError
from hvdesign.presets import TIERS

if TYPE_CHECKING:
    import pandas as pd


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
            f"uplink {p['uplink']}, ISL {p['isl']}); {s['switch_units'][sw]} unit(s) "
            f"of {design.switch_ports_per_unit} ports"
        )
    click.echo(f"  switch ports in total: {s['switch_ports_total']}")
    addr = ", ".join(f"{k} {v}" for k, v in s["ip_addresses_by_subnet"].items())
    click.echo(f"  IP addresses per subnet: {addr}")


@click.command("design")
@click.argument("tier", metavar="TIER")
@click.option("--nodes", "-n", metavar="N", help="Number of Hyper-V hosts.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Override an option.")
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout.")
def design(tier: str, nodes: str | None, sets: tuple[str, ...], output: str | None) -> None:
    """Print the full design (every option) as a design file (YAML)."""
    from hvdesign.spec import design_to_yaml

    if tier not in TIERS:
        raise HvdesignError("TIER", tier, "one of " + ", ".join(TIERS))
    emit(design_to_yaml(resolve_design(tier, nodes, sets)), output)


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
