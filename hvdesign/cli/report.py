"""``hvdesign report``: a self-contained HTML report of a design, or of two designs
side by side (``--compare A.yaml B.yaml``).

A thin face over :func:`hvdesign.report.build.write_report` and
:func:`hvdesign.report.compare.compare_paths`; registered lazily by
:mod:`hvdesign.cli.main`.
"""

from __future__ import annotations

import click

from hvdesign.cli.common import resolve_design
from hvdesign.errors import HvdesignError


@click.command("report")
@click.argument("target", metavar="TARGET", required=False)
@click.option("--nodes", "-n", metavar="N", help="Number of Hyper-V hosts.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Override an option.")
@click.option(
    "--compare",
    nargs=2,
    metavar="A.yaml B.yaml",
    help="Two design files side by side, their differences marked (instead of TARGET).",
)
@click.option(
    "-o",
    "--output",
    metavar="FILE.html",
    required=True,
    help="The HTML file to write (self-contained; opens offline).",
)
def report(
    target: str | None,
    nodes: str | None,
    sets: tuple[str, ...],
    compare: tuple[str, str] | None,
    output: str,
) -> None:
    """Write a self-contained HTML report of a design (TARGET: a tier id with
    --nodes, or a design file), or of two designs with --compare A.yaml B.yaml."""
    if compare:
        if target or nodes or sets:
            raise HvdesignError(
                "--compare",
                " ".join(compare),
                "two design files and -o, without TARGET, --nodes or --set",
            )
        from hvdesign.report.compare import compare_paths

        path = compare_paths(compare[0], compare[1], output)
    else:
        if target is None:
            raise HvdesignError(
                "TARGET", None, "a tier id or a design file, or --compare A B", detail="missing"
            )
        from hvdesign.report.build import write_report

        path = write_report(resolve_design(target, nodes, sets), output)
    click.echo(f"wrote {path}", err=True)
