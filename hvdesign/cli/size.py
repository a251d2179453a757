"""``hvdesign size``: the nodes every tier needs for a workload (:mod:`hvdesign.sizing`).

A thin face: it parses the options, builds the workload (the scenario file's
``workload`` section with the options given over it) and prints what
:func:`hvdesign.sizing.size_all` returns.
"""

from __future__ import annotations

import json
from typing import Any

import click

from hvdesign.cli.common import catalog_option, target_scenario
from hvdesign.cli.workloadopts import workload_of, workload_options
from hvdesign.errors import HvdesignError

#: Columns of the text table: (column, heading, format).
_SIZE_TEXT = (
    ("tier", "tier", "{}"),
    ("server", "server", "{}"),
    ("nodes", "hosts", "{}"),
    ("vms_per_host", "VMs/host", "{}"),
    ("limited_by", "limited by", "{}"),
    ("reserve", "reserve", "{}"),
    ("cores", "cores", "{}"),
    ("memory_gb", "memory [GB]", "{:g}"),
    ("cpu_utilisation", "CPU used", "{:.0%}"),
    ("memory_utilisation", "memory used", "{:.0%}"),
    ("san_usable_tb", "SAN [TB]", "{:,.1f}"),
)


def size_data(
    sf: Any, params: dict[str, Any], tiers: str | None, all_servers: bool
) -> dict[str, Any]:
    """The JSON object of ``hvdesign size``: ``{"workload": {...}, "designs": [rows],
    "refused": [why a tier or server cannot carry it]}``."""
    from hvdesign.cost import shared_options
    from hvdesign.presets import TIERS
    from hvdesign.sizing import size_all

    workload = workload_of(sf, params)
    if workload is None:
        raise HvdesignError(
            "--vms",
            None,
            "a workload: --vms N --vcpus-per-vm V --memory-gb-per-vm M, or a scenario "
            "file with a workload section",
            detail="missing",
        )
    chosen = None
    if tiers is not None:
        chosen = [t.strip() for t in tiers.split(",") if t.strip()]
        for t in chosen or [tiers]:
            if t not in TIERS:
                raise HvdesignError(
                    "--tiers", t, "comma-separated tier ids among " + ", ".join(TIERS)
                )
    servers = list(sf.catalog.servers) if all_servers else None
    rows, refused = size_all(
        workload,
        sf.catalog,
        tiers=chosen,
        servers=servers,
        reserve=sf.rules.reserve,
        options=shared_options(sf.design),
    )
    return {
        "workload": workload.to_dict(),
        "designs": [r.to_dict() for r in rows],
        "refused": [str(e) for e in refused],
    }


@click.command("size")
@click.argument("target", metavar="[TARGET]", required=False)
@workload_options
@click.option("--all-servers", is_flag=True, help="Size on every server model of the catalog.")
@click.option("--tiers", metavar="A,B", help="Tier ids to size (default: all five).")
@click.option(
    "--reserve", type=int, default=None, help="Hosts in reserve (default: the scenario's, 1)."
)
@catalog_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def size_cmd(
    target: str | None,
    all_servers: bool,
    tiers: str | None,
    reserve: int | None,
    catalog_file: str | None,
    as_json: bool,
    **params: Any,
) -> None:
    """The hosts every tier needs for a workload, and what limits them.

    The workload is TARGET's workload section (a scenario file) with the options given
    over it, or the options alone: --vms N --vcpus-per-vm V --memory-gb-per-vm M.
    VMs per host = min(floor((memory_gb - host_memory_reserved_gb) /
    memory_gb_per_vm), floor(cores x vcpus_per_core / vcpus_per_vm)); a cluster needs
    ceil(vms / VMs per host) + reserve hosts (at least 2), standalone servers
    ceil(vms / VMs per host).

    \b
    --json prints {"workload": {...}, "designs": [rows], "refused": [...]}; each row
    has tier, server, nodes, vms_per_host, limited_by (memory or cpu), reserve,
    cores, memory_gb, host_memory_reserved_gb, vcpus_per_core, cpu_utilisation,
    memory_utilisation (0..1, every host up) and san_usable_tb [TB].
    """
    import dataclasses

    from hvdesign.cli.common import merge_catalog_file
    from hvdesign.scenariofile import resolve_scenario

    sf = (
        target_scenario(target, None, ())
        if target is not None
        else resolve_scenario("cluster-redundant-path")
    )
    if catalog_file is not None:
        sf = sf.replace(catalog=merge_catalog_file(sf, catalog_file))
    if reserve is not None:
        if reserve < 0:
            raise HvdesignError("--reserve", reserve, "a whole number >= 0")
        sf = sf.replace(rules=dataclasses.replace(sf.rules, reserve=reserve))
    data = size_data(sf, params, tiers, all_servers)
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    _print(data)


def _print(data: dict[str, Any]) -> None:
    import pandas as pd

    w = data["workload"]
    click.echo(
        f"workload: {w['vms']} VMs of {w['vcpus_per_vm']} vCPU, {w['memory_gb_per_vm']:g} GB "
        f"memory, {w['storage_gb_per_vm']:g} GB storage; {w['vcpus_per_core']:g} vCPU per "
        f"core, {w['host_memory_reserved_gb']:g} GB kept by each host"
    )
    df = pd.DataFrame(data["designs"])
    table = pd.DataFrame({head: df[col].map(fmt.format) for col, head, fmt in _SIZE_TEXT})
    click.echo(table.to_string(index=False))
    click.echo("CPU and memory used: with every host up, the VMs spread evenly.")
    for why in data["refused"]:
        click.echo(f"cannot carry it: {why}")


#: The commands of this module (registered lazily by :mod:`hvdesign.cli.main`).
COMMANDS: tuple[click.Command, ...] = (size_cmd,)
