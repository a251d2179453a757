"""``hvdesign netbox``: the CSV files an EMPTY NetBox 4.x needs to hold a design.

    hvdesign netbox cluster-redundant-path -n 4 -o netbox/

Writes ``01-sites.csv`` ... ``10-cables.csv`` (:func:`hvdesign.netbox.netbox_files`) into
the directory ``-o`` (created when missing); paste each, in order, into NetBox's bulk
import (``/dcim/sites/import/`` ...). ``make netbox-test`` proves them against a real
NetBox 4.7.
"""

from __future__ import annotations

from pathlib import Path

import click

from hvdesign.cli.common import design_options, resolve_design
from hvdesign.errors import HvdesignError


@click.command("netbox")
@design_options
@click.option(
    "-o",
    "--output",
    metavar="DIR",
    required=True,
    help="The directory to write the ten CSV files to (created when missing).",
)
def netbox_cmd(target: str, nodes: str | None, sets: tuple[str, ...], output: str) -> None:
    """The CSV files an empty NetBox needs for the design, in import order (sites,
    manufacturers, device roles and types, devices, interfaces, VLANs, prefixes, IP
    addresses, cables)."""
    from hvdesign.netbox import write_netbox

    design = resolve_design(target, nodes, sets)  # bad input: nothing is created
    directory = Path(output)
    if directory.exists() and not directory.is_dir():
        raise HvdesignError("-o", output, "a directory (or a path to create one)")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise HvdesignError(
            "-o", output, "a directory that can be created", detail=err.strerror or str(err)
        ) from None
    written = write_netbox(design, directory)
    click.echo(f"wrote {len(written)} NetBox files to {directory}", err=True)
