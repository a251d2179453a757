"""``hvdesign figure``: one figure of the package as an SVG or PNG file, for slides.

    hvdesign figure topology cluster-redundant-path --nodes 8 -o topology.svg
    hvdesign figure coverage --nodes 4 -o coverage.png
    hvdesign figure tradeoff design.yaml --sweep 1-16 -o tradeoff.svg

The figures are the package's own (:func:`hvdesign.views.topology.topology_figure`,
:func:`hvdesign.views.coverage.coverage_heatmap`,
:func:`hvdesign.views.cost.tradeoff_figure` over :func:`hvdesign.cost.tradeoff`, the
one trade-off of the package, which rings the design itself), drawn to a file by
kaleido, which runs a headless Chrome or Chromium. Kaleido finds Debian's
``/usr/bin/chromium`` by itself; to use another browser, set the ``BROWSER_PATH``
environment variable to its executable (read by kaleido's browser driver,
choreographer). The file is written atomically (a temporary file in the same
directory, renamed over the target when complete).

Speed: the browser is started (:func:`hvdesign.views.image.start_browser`) as soon as
the output path and the design are known to be valid (bad input fails at once, with
no browser), and loads plotly.js while this process builds the figure; ``benchmarks/bench_figure.py`` measures each step.

The command is a plain click command; :mod:`hvdesign.cli.main` registers it on its group,
whose error handling turns an :class:`~hvdesign.errors.HvdesignError` into one line
and exit status 2. This module imports :mod:`hvdesign.cli.main` only when the command
runs, so either module can be imported first. The failure rules are the defaults
(:class:`~hvdesign.failures.FailureRules`); ``hvdesign coverage`` and ``hvdesign
compare`` take them as options.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from hvdesign.datafiles import write_bytes_atomic
from hvdesign.views.image import image_format, render_image, start_browser, stop_browser

if TYPE_CHECKING:  # plotly is imported when a figure is drawn: the CLI starts fast
    import plotly.graph_objects as go

    from hvdesign.catalog import Catalog
    from hvdesign.reliability import Reliability
    from hvdesign.spec import Design

#: The figures the command draws.
FIGURES: tuple[str, ...] = ("topology", "coverage", "tradeoff")

#: The design drawn when no TARGET is given.
DEFAULT_TARGET = "cluster-redundant-path"

#: Node counts of the trade-off sweep when ``--sweep`` is not given.
DEFAULT_SWEEP = "1-16"

#: Width of the figures [px] when ``--width`` is not given (a 16:9 slide's content).
DEFAULT_WIDTH_PX = 1200


def topology(design: Design) -> go.Figure:
    """The design's topology (:func:`hvdesign.views.topology.topology_figure`)."""
    from hvdesign.views.topology import topology_figure

    return topology_figure(design, height=560 if design.nodes <= 16 else 640)


def coverage(design: Design, double: bool) -> go.Figure:
    """Single- (or double-) failure outcomes of every tier by component kind at the
    design's node count (clusters: at least 2)."""
    from hvdesign.views.coverage import coverage_heatmap

    return coverage_heatmap(max(2, design.nodes), double=double)


def tradeoff(
    design: Design,
    sweep: list[int],
    catalog: Catalog | None,
    reliability: Reliability | None,
    downtime_cost_per_hour: float,
    years: float,
) -> go.Figure:
    """Capital cost against downtime of every tier over the node counts ``sweep``
    [hosts] with the design's :data:`~hvdesign.cost.SHARED_OPTIONS`, and the design
    itself, ringed (:func:`hvdesign.cost.tradeoff`), priced with ``catalog`` and
    ``reliability`` (``None``: the shipped ones)."""
    from hvdesign.cost import tradeoff as tradeoff_table
    from hvdesign.views.cost import tradeoff_figure

    df = tradeoff_table(
        design,
        sweep,
        catalog=catalog,
        reliability=reliability,
        downtime_cost_per_hour=downtime_cost_per_hour,
        years=years,
    )
    return tradeoff_figure(df, highlight=df.attrs["highlight"])


def _tradeoff_inputs(
    sweep: str, catalog_file: str | None, reliability_file: str | None
) -> tuple[list[int], Catalog, Reliability | None]:
    """The sweep's node counts, the catalog and the reliability figures, read (and
    checked) before any browser starts."""
    from hvdesign.cli.common import parse_nodes
    from hvdesign.cost import load_catalog

    reliability = None
    if reliability_file is not None:
        from hvdesign.reliability import load_reliability

        reliability = load_reliability(reliability_file)
    return parse_nodes(sweep, "--sweep"), load_catalog(catalog_file), reliability


@click.command("figure")
@click.argument("kind", metavar="(topology|coverage|tradeoff)", type=click.Choice(FIGURES))
@click.argument("target", metavar="[TARGET]", required=False)
@click.option("--nodes", "-n", metavar="N", help="Number of Hyper-V hosts.")
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override an option of the design (repeatable), e.g. --set san_portals=4.",
)
@click.option(
    "-o",
    "--output",
    metavar="FILE.svg|FILE.png",
    required=True,
    help="The image to write; the extension picks the format.",
)
@click.option(
    "--width",
    type=click.IntRange(200, 8000),
    default=DEFAULT_WIDTH_PX,
    show_default=True,
    help="Width [px].",
)
@click.option(
    "--height", type=click.IntRange(200, 8000), help="Height [px] (default: the figure's)."
)
@click.option(
    "--scale",
    type=click.FloatRange(0.25, 8),
    default=1.0,
    show_default=True,
    help="PNG pixel density (2 for sharp slides).",
)
@click.option("--double", is_flag=True, help="coverage: double failures instead of single.")
@click.option(
    "--sweep",
    metavar="NODES",
    default=DEFAULT_SWEEP,
    show_default=True,
    help="tradeoff: node counts of every tier, e.g. 2-16 or 1-4,8,16.",
)
@click.option("--catalog", "catalog_file", metavar="FILE", help="tradeoff: your prices (YAML).")
@click.option(
    "--reliability",
    "reliability_file",
    metavar="FILE",
    help="tradeoff: your MTBF/MTTR figures (YAML).",
)
@click.option(
    "--downtime-cost-per-hour",
    type=click.FloatRange(0),
    default=None,
    help="tradeoff: cost of one hour of downtime of all VMs [USD/hour].",
)
@click.option("--years", type=click.FloatRange(0), default=None, help="tradeoff: horizon [years].")
def figure(
    kind: str,
    target: str | None,
    nodes: str | None,
    sets: tuple[str, ...],
    output: str,
    width: int,
    height: int | None,
    scale: float,
    double: bool,
    sweep: str,
    catalog_file: str | None,
    reliability_file: str | None,
    downtime_cost_per_hour: float | None,
    years: float | None,
) -> None:
    """Draw a figure to an SVG or PNG file (for slides).

    topology: the design's topology; coverage: the failure outcomes of every tier at
    the design's node count; tradeoff: capital cost against downtime of every tier
    over --sweep node counts, the design ringed. TARGET is a tier id or a design file
    (default: cluster-redundant-path).
    """
    from hvdesign.cli.common import resolve_design

    fmt = image_format(output)  # a bad -o fails before any work
    design = resolve_design(target or DEFAULT_TARGET, nodes, sets)
    if kind == "tradeoff":
        inputs = _tradeoff_inputs(sweep, catalog_file, reliability_file)
    start_browser(one_shot=True)  # input checked: plotly.js loads while the figure is built
    try:
        if kind == "topology":
            fig = topology(design)
        elif kind == "coverage":
            fig = coverage(design, double)
        else:
            from hvdesign.cost import DEFAULT_DOWNTIME_COST_PER_HOUR_USD, DEFAULT_YEARS

            fig = tradeoff(
                design,
                *inputs,
                DEFAULT_DOWNTIME_COST_PER_HOUR_USD
                if downtime_cost_per_hour is None
                else downtime_cost_per_hour,
                DEFAULT_YEARS if years is None else years,
            )
        path = write_bytes_atomic(output, render_image(fig, fmt, width, height, scale))
    finally:
        stop_browser()  # before the interpreter exits (its temporary files go with it)
    click.echo(f"wrote {path}", err=True)
