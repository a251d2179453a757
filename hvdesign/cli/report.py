"""``hvdesign report``: a self-contained HTML report of a design, or of two designs
side by side (``--compare A.yaml B.yaml``).

A thin face over :func:`hvdesign.report.build.write_report` and
:func:`hvdesign.report.compare.compare_paths`; registered lazily by
:mod:`hvdesign.cli.main`.
"""

from __future__ import annotations

import click

from hvdesign.cli.common import (
    catalog_option,
    economics_options,
    effective_scenario,
    given_on_command_line,
    reliability_option,
    rules_options,
)
from hvdesign.errors import HvdesignError

#: The options that shape one scenario (not ``--compare``'s two files).
SCENARIO_PARAMS = (
    "reserve",
    "quorum",
    "csv_redirected_io",
    "network_health_detection",
    "reliability_file",
    "catalog_file",
    "downtime_cost_per_hour_usd",
    "horizon_years",
)


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
@rules_options
@reliability_option
@catalog_option
@economics_options
def report(
    target: str | None,
    nodes: str | None,
    sets: tuple[str, ...],
    compare: tuple[str, str] | None,
    output: str,
    **_options: object,
) -> None:
    """Write a self-contained HTML report of a design (TARGET: a tier id with
    --nodes, or a design file), or of two designs with --compare A.yaml B.yaml.

    The report shows TARGET's whole scenario: its rules, reliability, prices and
    economics, each overridden by the options given (the same figures as 'hvdesign
    availability' and 'hvdesign cost').
    """
    ctx = click.get_current_context()
    if compare:
        given = [p for p in SCENARIO_PARAMS if given_on_command_line(ctx, p)]
        if target or nodes or sets or given:
            raise HvdesignError(
                "--compare",
                " ".join(compare),
                "two design files and -o, without TARGET, --nodes, --set or scenario "
                "options (each file is a whole scenario)",
            )
        from hvdesign.report.compare import compare_paths

        path = compare_paths(compare[0], compare[1], output)
    else:
        if target is None:
            raise HvdesignError(
                "TARGET", None, "a tier id or a design file, or --compare A B", detail="missing"
            )
        from hvdesign.report.build import write_report

        path = write_report(effective_scenario(target, nodes, sets, ctx), output)
    click.echo(f"wrote {path}", err=True)
