"""``hvdesign figure``: one figure of the package as an SVG or PNG file, for slides.

    hvdesign figure topology cluster-redundant-path --nodes 8 -o topology.svg
    hvdesign figure coverage --nodes 4 -o coverage.png
    hvdesign figure tradeoff design.yaml --sweep 1-16 -o tradeoff.svg

The figures are the package's own (:func:`hvdesign.views.topology.topology_figure`,
:func:`hvdesign.views.coverage.coverage_heatmap`,
:func:`hvdesign.views.cost.tradeoff_figure` over :func:`hvdesign.cost.tradeoff`, the
one trade-off of the package, which rings the design itself), drawn to a file by
:func:`hvdesign.views.svg.figure_svg` in Python for an SVG (no browser: the command
takes about a second), and by kaleido for a PNG, which runs a headless Chrome or
Chromium. Kaleido finds Debian's
``/usr/bin/chromium`` by itself; to use another browser, set the ``BROWSER_PATH``
environment variable to its executable (read by kaleido's browser driver,
choreographer). The file is written atomically (a temporary file in the same
directory, renamed over the target when complete).

Speed (PNG): the browser is started (:func:`hvdesign.views.image.start_browser`) as soon as
the output path and the design are known to be valid (bad input fails at once, with
no browser), and loads plotly.js while this process builds the figure; ``benchmarks/bench_figure.py`` measures each step.

The command is a plain click command; :mod:`hvdesign.cli.main` registers it on its group,
whose error handling turns an :class:`~hvdesign.errors.HvdesignError` into one line
and exit status 2. TARGET is a scenario file (or a tier id): its rules, prices,
reliability and economics apply (the coverage figure takes the rules, the trade-off
all of them); the options given on the command line override them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from hvdesign.cli.common import (
    catalog_option,
    economics_options,
    reliability_option,
    rules_options,
)
from hvdesign.datafiles import write_bytes_atomic, write_text_atomic
from hvdesign.errors import HvdesignError
from hvdesign.views.image import image_format, render_image, start_browser, stop_browser

if TYPE_CHECKING:  # plotly is imported when a figure is drawn: the CLI starts fast
    import plotly.graph_objects as go

    from hvdesign.failures import FailureRules
    from hvdesign.scenariofile import ScenarioFile
    from hvdesign.spec import Design

#: The figures the command draws.
FIGURES: tuple[str, ...] = ("topology", "coverage", "tradeoff")

#: The design drawn when no TARGET is given.
DEFAULT_TARGET = "cluster-redundant-path"

#: Node counts of the trade-off sweep when ``--sweep`` is not given.
DEFAULT_SWEEP = "1-16"

#: The largest picture drawn [pixels]: 8000 x 6000, e.g. 4000 x 3000 at scale 2.
MAX_PIXELS = 48_000_000

#: Width of the figures [px] when ``--width`` is not given (a 16:9 slide's content).
DEFAULT_WIDTH_PX = 1200


def topology(design: Design) -> go.Figure:
    """The design's topology (:func:`hvdesign.views.topology.topology_figure`)."""
    from hvdesign.views.topology import topology_figure

    return topology_figure(design, height=560 if design.nodes <= 16 else 640)


def coverage(design: Design, double: bool, rules: FailureRules | None = None) -> go.Figure:
    """Single- (or double-) failure outcomes of every tier by component kind at the
    design's node count (clusters: at least 2), under ``rules``."""
    from hvdesign.views.coverage import coverage_heatmap

    return coverage_heatmap(max(2, design.nodes), rules=rules, double=double)


def tradeoff(sf: ScenarioFile, sweep: list[int]) -> go.Figure:
    """Capital cost against VM downtime of every tier over the node counts ``sweep``
    [hosts] with the scenario's :data:`~hvdesign.cost.SHARED_OPTIONS`, and the design
    itself, ringed (:func:`hvdesign.cost.tradeoff`), priced with the scenario's
    catalog, reliability, rules and economics."""
    from hvdesign.cost import tradeoff as tradeoff_table
    from hvdesign.views.cost import tradeoff_figure

    df = tradeoff_table(
        sf.design,
        sweep,
        catalog=sf.catalog,
        reliability=sf.reliability,
        rules=sf.rules,
        downtime_cost_per_hour=sf.economics.downtime_cost_per_hour_usd,
        years=sf.economics.years,
    )
    return tradeoff_figure(df, highlight=df.attrs["highlight"])


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
    metavar="FILE.svg|FILE.png|FILE.drawio",
    required=True,
    help="The file to write; the extension picks the format (topology also as .drawio: an "
    "editable diagrams.net file with every host, port and cable).",
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
@catalog_option
@reliability_option
@economics_options
@rules_options
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
    **_options: object,
) -> None:
    """Draw a figure to an SVG or PNG file (for slides).

    topology: the design's topology; coverage: the failure outcomes of every tier at
    the design's node count; tradeoff: capital cost against downtime of every tier
    over --sweep node counts, the design ringed. TARGET is a tier id or a design file
    (default: cluster-redundant-path).
    """
    from hvdesign.cli.common import effective_scenario, parse_nodes

    if output.lower().endswith(".drawio"):
        if kind != "topology":
            raise HvdesignError(
                "-o",
                output,
                "a .svg or .png file for the coverage and trade-off figures",
                detail="only the topology is drawn as a diagrams.net file",
            )
        from hvdesign.views.drawio import drawio_xml

        sf = effective_scenario(target or DEFAULT_TARGET, nodes, sets)
        path = write_text_atomic(output, drawio_xml(sf.design), field="-o")
        click.echo(f"wrote {path} (diagrams.net, uncompressed)", err=True)
        return
    fmt = image_format(output)  # a bad -o fails before any work
    pixels = width * (height or width) * (scale * scale if fmt == "png" else 1.0)
    if pixels > MAX_PIXELS:
        raise HvdesignError(
            "--scale" if fmt == "png" and scale > 1 else "--width",
            f"{width} x {height or 'auto'} px x {scale:g}",
            f"at most {MAX_PIXELS / 1e6:g} million pixels (width x height x scale squared)",
            detail=f"{pixels / 1e6:,.0f} million pixels",
        )
    sf = effective_scenario(target or DEFAULT_TARGET, nodes, sets)
    if kind == "tradeoff":
        nodes_swept = parse_nodes(sweep, "--sweep")
    if fmt == "svg":  # drawn in Python, no browser (hvdesign.views.svg)
        from hvdesign.views.svg import figure_svg

        fig = _build(kind, sf, double, nodes_swept if kind == "tradeoff" else [])
        svg = figure_svg(fig, width, height or int(fig.layout.height or 560))
        path = write_text_atomic(output, svg, field="-o")
        click.echo(f"wrote {path}", err=True)
        return
    start_browser(one_shot=True)  # input checked: plotly.js loads while the figure is built
    try:
        fig = _build(kind, sf, double, nodes_swept if kind == "tradeoff" else [])
        path = write_bytes_atomic(output, render_image(fig, fmt, width, height, scale))
    finally:
        stop_browser()  # before the interpreter exits (its temporary files go with it)
    click.echo(f"wrote {path}", err=True)


def _build(kind: str, sf: ScenarioFile, double: bool, sweep: list[int]) -> go.Figure:
    """The figure ``kind`` of the scenario ``sf``."""
    if kind == "topology":
        return topology(sf.design)
    if kind == "coverage":
        return coverage(sf.design, double, sf.rules)
    return tradeoff(sf, sweep)
