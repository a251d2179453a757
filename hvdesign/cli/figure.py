"""``hvdesign figure``: one figure of the package as an SVG or PNG file, for slides.

    hvdesign figure topology cluster-redundant-path --nodes 8 -o topology.svg
    hvdesign figure coverage --nodes 4 -o coverage.png
    hvdesign figure tradeoff design.yaml --sweep 1-16 -o tradeoff.svg

The figures are the package's own (:func:`hvdesign.views.topology.topology_figure`,
:func:`hvdesign.views.coverage.coverage_heatmap`,
:func:`hvdesign.views.cost.tradeoff_figure` over :func:`hvdesign.cost.compare`),
drawn to a file by kaleido, which runs a headless Chrome or Chromium. Kaleido finds
Debian's ``/usr/bin/chromium`` by itself; to use another browser, set the
``BROWSER_PATH`` environment variable to its executable (read by kaleido's browser
driver, choreographer). The file is written atomically (a temporary file in the
same directory, renamed over the target when complete).

The command is a plain click command; :mod:`hvdesign.cli.main` registers it on its group,
whose error handling turns an :class:`~hvdesign.errors.HvdesignError` into one line
and exit status 2. This module imports :mod:`hvdesign.cli.main` only when the command
runs, so either module can be imported first. The failure rules are the defaults
(:class:`~hvdesign.failures.FailureRules`); ``hvdesign coverage`` and ``hvdesign
compare`` take them as options.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import click

from hvdesign.errors import HvdesignError

if TYPE_CHECKING:  # plotly is imported when a figure is drawn: the CLI starts fast
    import plotly.graph_objects as go

    from hvdesign.spec import Design

#: The figures the command draws.
FIGURES: tuple[str, ...] = ("topology", "coverage", "tradeoff")

#: File formats kaleido writes, by file extension.
FORMATS: dict[str, str] = {".svg": "svg", ".png": "png"}

#: The design drawn when no TARGET is given.
DEFAULT_TARGET = "cluster-redundant-path"

#: Node counts of the trade-off sweep when ``--sweep`` is not given.
DEFAULT_SWEEP = "1-16"

#: Options of the design the trade-off applies to every tier (those no tier preset
#: sets; the explorer app's controls).
SHARED_OPTIONS: tuple[str, ...] = (
    "windows_version",
    "storage_multipath",
    "cross_switch_teaming",
    "nic_ports_per_card",
    "san_portals",
    "uplinks_per_switch",
    "switch_ports_per_unit",
)

#: Width of the figures [px] when ``--width`` is not given (a 16:9 slide's content).
DEFAULT_WIDTH_PX = 1200


def image_format(path: str) -> str:
    """The kaleido format of an output path, from its extension.

    >>> image_format("slides/topology.SVG"), image_format("a.png")
    ('svg', 'png')
    >>> image_format("a.pdf")
    Traceback (most recent call last):
    ...
    hvdesign.errors.HvdesignError: -o: 'a.pdf' is not valid (unknown extension '.pdf'); allowed: a file name ending in .svg or .png
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise HvdesignError(
            "-o",
            path,
            "a file name ending in .svg or .png",
            detail=f"unknown extension {suffix!r}" if suffix else "no extension",
        )
    return FORMATS[suffix]


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes, *, field: str = "-o") -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same directory, renamed
    over ``path`` when complete: no half-written file is ever left. Errors name
    ``field`` (the option that gave the path)."""
    target = Path(path)
    if not target.parent.is_dir():
        raise HvdesignError(field, str(path), "a path in an existing directory")
    if target.is_dir():
        raise HvdesignError(field, str(path), "a file path, not a directory")
    tmp = target.parent / f".{target.name}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # umask applies
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise HvdesignError(
            field, str(path), "a writable file path", detail=err.strerror or str(err)
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def render_image(fig: go.Figure, fmt: str, width: int, height: int | None, scale: float) -> bytes:
    """``fig`` as SVG or PNG bytes through kaleido; a missing browser becomes one
    :class:`HvdesignError` saying how to install or point to one."""
    height = height or int(fig.layout.height or 560)
    try:
        return fig.to_image(format=fmt, width=width, height=height, scale=scale)
    except RuntimeError as err:
        if "chrome" not in str(err).lower():
            raise
        raise HvdesignError(
            "kaleido",
            "no browser",
            "Chrome or Chromium installed (Debian: apt-get install chromium), or the "
            "environment variable BROWSER_PATH set to its executable",
            detail="kaleido draws figures in a headless browser and found none",
        ) from None


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
    catalog_file: str | None,
    reliability_file: str | None,
    downtime_cost_per_hour: float,
    years: float,
) -> go.Figure:
    """Capital cost against downtime of every tier over the node counts ``sweep`` (and
    the design's own) with the design's :data:`SHARED_OPTIONS`, the design ringed."""
    from hvdesign.cost import compare, load_catalog
    from hvdesign.views.cost import tradeoff_figure

    reliability = None
    if reliability_file is not None:
        from hvdesign.reliability import load_reliability

        reliability = load_reliability(reliability_file)
    df = compare(
        sorted({*sweep, design.nodes}),
        catalog=load_catalog(catalog_file),
        reliability=reliability,
        downtime_cost_per_hour=downtime_cost_per_hour,
        years=years,
        options={k: getattr(design, k) for k in SHARED_OPTIONS},
    )
    return tradeoff_figure(df, highlight=(design.tier, design.nodes))


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
    if kind == "topology":
        fig = topology(design)
    elif kind == "coverage":
        fig = coverage(design, double)
    else:
        from hvdesign.cli.common import parse_nodes
        from hvdesign.cost import DEFAULT_DOWNTIME_COST_PER_HOUR_USD, DEFAULT_YEARS

        fig = tradeoff(
            design,
            parse_nodes(sweep, "--sweep"),
            catalog_file,
            reliability_file,
            DEFAULT_DOWNTIME_COST_PER_HOUR_USD
            if downtime_cost_per_hour is None
            else downtime_cost_per_hour,
            DEFAULT_YEARS if years is None else years,
        )
    path = write_bytes_atomic(output, render_image(fig, fmt, width, height, scale))
    click.echo(f"wrote {path}", err=True)
