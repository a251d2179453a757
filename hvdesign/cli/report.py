"""``hvdesign report``: a self-contained HTML report of a design (every figure also
as a static SVG image, shown where scripts do not run), a mail-friendly one without
plotly.js (``--static``), a PDF (``--pdf``), or two designs side by side
(``--compare A.yaml B.yaml``).

A thin face over :func:`hvdesign.report.build.write_report`,
:func:`~hvdesign.report.build.write_pdf` and
:func:`hvdesign.report.compare.compare_paths`; registered lazily by
:mod:`hvdesign.cli.main`. The browser that draws the SVG images (kaleido's, one per
process) is started first, so it loads while the sections are built.
"""

from __future__ import annotations

import warnings

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
    help="The HTML file to write (self-contained; opens offline), or with --pdf the PDF.",
)
@click.option(
    "--static",
    is_flag=True,
    help="No script and no plotly.js: the figures as SVG images only (a small file to "
    "mail; at most 1.5 MB for the default design).",
)
@click.option(
    "--pdf",
    is_flag=True,
    help="Write a PDF (-o FILE.pdf): the static report printed by headless Chromium, "
    "a page break before every section.",
)
@click.option(
    "--images/--no-images",
    default=None,
    help="Every figure also as an SVG image for readers without JavaScript (default: "
    "when a browser is found; --no-images: interactive figures only, faster).",
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
    static: bool,
    pdf: bool,
    images: bool | None,
    **_options: object,
) -> None:
    """Write a self-contained HTML report of a design (TARGET: a tier id with
    --nodes, or a design file), its PDF (--pdf), or of two designs with --compare
    A.yaml B.yaml.

    Every figure is interactive and also a static SVG image, shown where scripts do
    not run (mail previews, locked-down viewers); --static writes the images only,
    without plotly.js, for mail.

    The report shows TARGET's whole scenario: its rules, reliability, prices and
    economics, each overridden by the options given (the same figures as 'hvdesign
    availability' and 'hvdesign cost').
    """
    ctx = click.get_current_context()
    _check_figure_options(compare, output, static, pdf, images)
    if pdf:
        from hvdesign.report.pdf import find_chromium

        find_chromium()  # no browser: say so before any work
    if not compare and (pdf or static or images is not False):
        from hvdesign.views.image import start_browser

        start_browser(one_shot=True)  # loads while the sections are built
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
        from hvdesign.report.build import ReportWarning, write_pdf, write_report

        scenario = effective_scenario(target, nodes, sets, ctx)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ReportWarning)
            if pdf:
                path = write_pdf(scenario, output)
            else:
                path = write_report(scenario, output, static=static, images=images)
        for w in caught:
            click.echo(f"hvdesign: note: {w.message}", err=True)
    click.echo(f"wrote {path}", err=True)


def _check_figure_options(
    compare: tuple[str, str] | None, output: str, static: bool, pdf: bool, images: bool | None
) -> None:
    """Refuse figure options that contradict each other or the output's name."""
    if compare and (static or pdf or images is not None):
        raise HvdesignError(
            "--compare",
            " ".join(compare),
            "without --static, --pdf or --images (the comparison is interactive only)",
        )
    if images is False and (static or pdf):
        raise HvdesignError(
            "--no-images",
            True,
            "without --static or --pdf (their figures are the images)",
        )
    if pdf and not output.lower().endswith(".pdf"):
        raise HvdesignError("-o", output, "a file name ending in .pdf with --pdf")
    if not pdf and output.lower().endswith(".pdf"):
        raise HvdesignError("-o", output, "--pdf to write a PDF (the report is HTML)")
