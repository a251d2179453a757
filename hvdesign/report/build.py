"""The design report: one self-contained HTML file with the look of the report
notebook ``hvdesign/report/templates/report.ipynb`` converted by nbconvert's "lab"
template, made in this process, of a scenario (:class:`hvdesign.scenariofile.ScenarioFile`:
the design with its rules, reliability figures, prices and economics; a bare
:class:`~hvdesign.spec.Design` is reported with the shipped defaults).

The notebook is the report's layout: each section is a markdown cell (heading and how
to read it) and a code cell that calls ONE ``*_section`` function of
:mod:`hvdesign.report.sections`. :func:`report_html` reads it as such: it renders each
markdown cell (as nbconvert does: mistune, an ``id`` and an anchor link on every
heading), calls each code cell's ``hr.<name>_section(scenario)`` here, and lays the cells
out with the page template ``templates/report.html.j2`` in nbconvert's lab markup, with
JupyterLab's style as nbconvert inlines it (:func:`hvdesign.report.assets.lab_css`),
the report's print style and print script. No kernel is started; the notebook still
runs in Jupyter, and ``kernel=True`` makes the report the notebook way (papermill and
nbconvert, :mod:`hvdesign.report.kernel`, several seconds more).

The HTML makes no network request: plotly.js is embedded once, in the page head, and
no CDN script is written. Every user-supplied string (the design's name above all) is
HTML-escaped.

Examples
--------
>>> from hvdesign.spec import design_from_tier
>>> d = design_from_tier("cluster-redundant-path", nodes=4)
>>> write_report(d, "report.html")  # doctest: +SKIP
PosixPath('report.html')
>>> from hvdesign.scenariofile import scenario_from_dict
>>> sf = scenario_from_dict({"tier": "cluster-minimal", "nodes": 2,
...                          "catalog": {"server": {"price_usd": 25000}}})
>>> write_report(sf, "mine.html")  # doctest: +SKIP
PosixPath('mine.html')
"""

from __future__ import annotations

import html
import importlib.resources
import json
import os
import re
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from hvdesign.datafiles import write_bytes_atomic, write_text_atomic
from hvdesign.errors import HvdesignError
from hvdesign.report import sections
from hvdesign.report.assets import PRINT_FIT_JS, REPORT_CSS, lab_css, template_text
from hvdesign.report.images import (
    DEFAULT_HEIGHT_PX,
    DRAWN_SCRIPT,
    PRINT_WIDTH_PX,
    SCREEN_WIDTH_PX,
    FigureImages,
    figure_block,
    image_html,
    no_browser,
)
from hvdesign.report.sections import (
    CABLING_COLUMNS,
    COUNT_NOTES,
    EXAMPLE_DESIGN,
    HTML,
    IP_PLAN_COLUMNS,
    OPTION_LABELS,
    SERVICE_AVAILABILITY_TEXT,
    VM_AVAILABILITY_TEXT,
    Section,
    Target,
    as_scenario,
    availability_section,
    cabling_plan_section,
    checks_section,
    cost_section,
    counts_section,
    coverage_section,
    design_file_section,
    design_section,
    design_table,
    example_design_yaml,
    ip_plan_section,
    layout_table,
    multipath_section,
    parameters_section,
    sensitivity_section,
    title_section,
    topology_section,
    tradeoff_section,
    workload_section,
)
from hvdesign.scenariofile import ScenarioFile
from hvdesign.views.html import table_html

__all__ = [
    "CABLING_COLUMNS",
    "COUNT_NOTES",
    "EXAMPLE_DESIGN",
    "HIDDEN_TAGS",
    "HTML",
    "IP_PLAN_COLUMNS",
    "NETWORK_REFERENCE",
    "OPTION_LABELS",
    "PRINT_FIT_JS",
    "REPORT_CSS",
    "SERVICE_AVAILABILITY_TEXT",
    "TEMPLATE",
    "VM_AVAILABILITY_TEXT",
    "ReportCell",
    "ReportError",
    "ReportWarning",
    "Section",
    "Target",
    "as_scenario",
    "availability_section",
    "cabling_plan_section",
    "checks_section",
    "cost_section",
    "counts_section",
    "coverage_section",
    "design_file_section",
    "design_section",
    "design_table",
    "example_design_yaml",
    "figure_html",
    "ip_plan_section",
    "layout_table",
    "markdown_html",
    "multipath_section",
    "network_references",
    "page_html",
    "parameters_section",
    "report_html",
    "run_sections",
    "section_of",
    "table_html",
    "title_section",
    "topology_section",
    "tradeoff_section",
    "sensitivity_section",
    "workload_section",
    "write_pdf",
    "write_report",
]

#: The report notebook, shipped inside the package.
TEMPLATE = ("templates", "report.ipynb")

#: The page template of the in-process report, under ``hvdesign/report/templates/``.
PAGE_TEMPLATE = "report.html.j2"

#: Cell tags left out of the report (papermill's parameter cells).
HIDDEN_TAGS = ("parameters", "injected-parameters")

#: Tags that would load something from the network: a ``<script src>``, ``<link
#: href>``, ``<img src>`` or ``<iframe src>`` with an http(s) address, or an ES-module
#: ``import "https://..."``. Links a reader clicks (``<a href>``) load nothing.
NETWORK_REFERENCE = re.compile(
    r"""<(?:script|link|img|iframe|source|embed)\b[^>]*?\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|\bimport\s*\(?\s*["'](?:https?:)?//""",
    re.IGNORECASE,
)

#: A section call in a code cell of the template: ``hr.<name>_section(scenario)``.
SECTION_CALL = re.compile(r"^hr\.(\w+_section)\(scenario\)\s*$", re.MULTILINE)

#: Longest reason quoted when the figures' images could not be drawn [characters].
MAX_WHY_CHARS = 400

#: Longest temporary directory Chromium starts in [characters]: its ProcessSingleton
#: socket, TMPDIR/org.chromium.Chromium.XXXXXX/SingletonSocket, must fit the 108 bytes
#: of a Unix socket address.
MAX_CHROMIUM_TMPDIR_CHARS = 62

#: Markdown extensions of nbconvert's markdown filter (``MarkdownWithMath``).
MARKDOWN_PLUGINS = ("strikethrough", "table", "url", "task_lists", "def_list")


class ReportWarning(UserWarning):
    """The report was made, but not entirely as asked (figures without static images:
    no browser to draw them)."""


class ReportError(HvdesignError):
    """The report could not be made (a section failed or timed out; with
    ``kernel=True`` also: the kernel died or did not start)."""

    def __init__(self, message: str) -> None:
        self.field, self.value, self.allowed = "report", None, ""
        ValueError.__init__(self, message)


def network_references(text: str) -> list[str]:
    """Every tag of ``text`` that would load something from the network (see
    :data:`NETWORK_REFERENCE`), with a little context; empty for a report.

    >>> network_references('<script src="https://cdn.example/x.js"></script><a href="https://x">')
    ['<script src="https://cdn.example/x.js">']
    """
    found = []
    for m in NETWORK_REFERENCE.finditer(text):
        end = text.find(">", m.end(), m.end() + 300)
        found.append(text[m.start() : end + 1 if end >= 0 else m.end() + 60])
    return found


def _template_text() -> str:
    return (
        importlib.resources.files("hvdesign.report").joinpath(*TEMPLATE).read_text(encoding="utf-8")
    )


def section_of(source: str) -> str:
    """The name of the ``*_section`` function a code cell calls (``setup`` if none).

    >>> section_of("hr.cost_section(design)"), section_of("import yaml")
    ('cost_section', 'setup')
    """
    m = re.search(r"(\w+_section)\s*\(", source or "")
    return m.group(1) if m else "setup"


# --------------------------------------------------------------- markdown, figures


@cache
def _markdown() -> Callable[[str], Any]:
    import mistune

    class _Renderer(mistune.HTMLRenderer):
        """nbconvert's headings: an ``id`` from the text and a hidden anchor link."""

        def heading(self, text: str, level: int, **attrs: Any) -> str:
            plain = html.unescape(re.sub(r"<[^>]*>", "", text))
            anchor = html.escape(quote(plain.replace(" ", "-"), safe="?/:@!$&'()*+,;="))
            return (
                f'<h{level} id="{anchor}">{text}<a class="anchor-link" '
                f'href="#{anchor}">&#182;</a></h{level}>'
            )

    return mistune.create_markdown(renderer=_Renderer(escape=False), plugins=list(MARKDOWN_PLUGINS))


def markdown_html(source: str) -> str:
    """A markdown cell as HTML, as nbconvert's markdown filter renders it (headings get
    an ``id`` and an anchor link).

    >>> markdown_html("## IP plan\\n\\nOne row per `address`.")
    '<h2 id="IP-plan">IP plan<a class="anchor-link" href="#IP-plan">&#182;</a></h2><p>One row per <code>address</code>.</p>\\n'
    """
    return str(_markdown()(source))


def figure_html(fig: Any, *, drawn_script: bool = False) -> str:
    """A plotly figure as a div and its drawing script, as plotly's ``notebook``
    renderer writes it (100 % wide, 525 px high unless the figure says otherwise)
    but without plotly.js, MathJax or a notebook clean-up script: the page embeds
    plotly.js once. ``drawn_script``: once drawn, the figure marks its ``hv-figure``
    drawn (:data:`hvdesign.report.images.DRAWN_SCRIPT`), which hides its static image."""
    import plotly.io as pio

    return str(
        pio.to_html(
            fig,
            config={},
            include_plotlyjs=False,
            include_mathjax=False,
            full_html=False,
            default_width="100%",
            default_height=DEFAULT_HEIGHT_PX,
            validate=False,
            post_script=DRAWN_SCRIPT if drawn_script else None,
        )
    )


# --------------------------------------------------------------- the sections


@dataclass(frozen=True)
class ReportCell:
    """One cell of the report page: ``kind`` ``"markdown"`` (``parts`` is its HTML) or
    ``"output"`` (``parts`` are the HTML of a section's parts, figures as divs;
    ``figures`` counts them); ``cell_id`` is the notebook cell's id."""

    kind: str
    cell_id: str
    parts: tuple[str, ...]
    figures: int = 0


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _run_section(name: str, scenario: ScenarioFile, timeout_s: float) -> Section:
    """``sections.<name>(scenario)``; a failure other than the scenario's own
    :class:`HvdesignError`, or one longer than ``timeout_s``, is a :class:`ReportError`."""
    start = time.monotonic()
    try:
        section = getattr(sections, name)(scenario)
    except HvdesignError:
        raise  # the design's own error, in its own words
    except Exception as err:
        raise ReportError(
            f"report: the notebook failed in {name} ({type(err).__name__}: "
            f"{_one_line(str(err))}); this is a bug in hvdesign"
        ) from err
    if time.monotonic() - start > timeout_s:
        raise ReportError(
            f"report: a section of the report ran longer than timeout_s = {timeout_s:g} s"
        )
    if not isinstance(section, Section):
        raise ReportError(f"report: {name} returned {type(section).__name__}, not a Section")
    return section


def _figure_images(images: bool | None, static: bool, for_print: bool) -> FigureImages | None:
    """The image drawer of a report (its browser starts now), or ``None`` for a report
    without static images."""
    if static and images is False:
        raise HvdesignError("images", False, "images with static=True (its only figures)")
    if images is False and not static:
        return None
    return FigureImages(PRINT_WIDTH_PX if for_print else SCREEN_WIDTH_PX, for_print=for_print)


def _drawn_images(drawer: FigureImages, required: bool) -> list[bytes] | None:
    """The images ``drawer`` drew; when they could not be drawn (no browser, or it
    failed to start) and are not ``required``: ``None``, and a :class:`ReportWarning`
    says why. Required, a missing browser is its :class:`HvdesignError` and any other
    failure a :class:`ReportError`."""
    try:
        return drawer.results()
    except Exception as err:
        first = err.args[0] if err.args and isinstance(err.args[0], str) else str(err)
        why = _one_line(str(err) if no_browser(err) else f"{type(err).__name__}: {first}")
        tmp = tempfile.gettempdir()
        if not no_browser(err) and len(tmp) > MAX_CHROMIUM_TMPDIR_CHARS:
            why += (
                f"; the temporary directory {tmp!r} is too long for Chromium's socket "
                f"(at most {MAX_CHROMIUM_TMPDIR_CHARS} characters: set TMPDIR shorter)"
            )
        if len(why) > MAX_WHY_CHARS:
            why = why[: MAX_WHY_CHARS - 3] + "..."
        if not required:
            warnings.warn(
                ReportWarning(f"report: figures without static images ({why})"),
                stacklevel=3,
            )
            return None
        if no_browser(err):
            raise
        raise ReportError(f"report: a figure could not be drawn as an image ({why})") from err


def run_sections(
    scenario: Target,
    timeout_s: float = 120,
    *,
    images: bool | None = False,
    static: bool = False,
    for_print: bool = False,
) -> list[ReportCell]:
    """The report notebook's cells for ``scenario`` (a design: with the shipped
    defaults), made in this process: each
    markdown cell rendered (:func:`markdown_html`), each code cell's section calls
    (:data:`SECTION_CALL`) made and their parts turned into HTML (figures by
    :func:`figure_html`); the parameters cell and code cells without a section call
    show nothing.

    ``timeout_s`` [s] is the longest a section may take (checked when it returns).

    Figures (:mod:`hvdesign.report.images`): ``images`` ``False``: interactive only
    (plotly); ``True``: each also as a static SVG image shown until plotly has drawn
    it (no browser to draw in: an :class:`HvdesignError`); ``None``: the same when a
    browser is found, interactive only otherwise (and a :class:`ReportWarning`).
    ``static``: the images only, no plotly (``images`` must not be ``False``);
    ``for_print``: the images drawn at the print width, in the print layout.
    """
    from plotly.basedatatypes import BaseFigure

    sf = as_scenario(scenario)
    drawer = _figure_images(images, static, for_print)  # its browser starts now
    nb = json.loads(_template_text())
    cells: list[tuple[str, str, list[Any], int]] = []
    for index, cell in enumerate(nb["cells"]):
        cell_id = str(cell.get("id", index))
        source = _source(cell)
        if cell["cell_type"] == "markdown":
            cells.append(("markdown", cell_id, [markdown_html(source)], 0))
            continue
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell["cell_type"] != "code" or tags & set(HIDDEN_TAGS):
            continue
        parts: list[Any] = []
        for name in SECTION_CALL.findall(source):
            for part in _run_section(name, sf, timeout_s).parts:
                if isinstance(part, BaseFigure):
                    parts.append((part, drawer.add(part) if drawer else None))
                else:
                    parts.append(part._repr_html_())
        if parts:
            n_figures = sum(isinstance(p, tuple) for p in parts)
            cells.append(("output", cell_id, parts, n_figures))
    drawn = _drawn_images(drawer, images is True or static) if drawer else None

    def html_of(part: Any) -> str:
        if isinstance(part, str):
            return part
        fig, index = part
        if drawn is None:
            return figure_html(fig)
        image = image_html(drawn[index], fig, drawer.width_px if drawer else SCREEN_WIDTH_PX)
        return figure_block(image, "" if static else figure_html(fig, drawn_script=True))

    return [
        ReportCell(kind, cell_id, tuple(html_of(p) for p in parts), n)
        for kind, cell_id, parts, n in cells
    ]


# --------------------------------------------------------------- the page


@cache
def _page_template() -> Any:
    from jinja2 import Environment

    env = Environment(autoescape=True, keep_trailing_newline=True)
    return env.from_string(template_text(PAGE_TEMPLATE))


def page_html(cells: list[ReportCell], title: str, *, static: bool = False) -> str:
    """The report page: ``cells`` laid out in nbconvert's lab markup, JupyterLab's
    style, the report's style, plotly.js once (when a cell has a figure) and the
    print script; ``title`` (escaped) as its title. ``static``: no script at all
    (no plotly.js, no print script: the figures are images)."""
    plotly_js = ""
    if any(c.figures for c in cells) and not static:
        from plotly.offline import get_plotlyjs

        plotly_js = get_plotlyjs()
    return str(
        _page_template().render(
            title=title,
            lab_css=lab_css(),
            report_css=REPORT_CSS,
            plotly_js=plotly_js,
            cells=cells,
            print_js="" if static else PRINT_FIT_JS,
            scripts=not static,
        )
    )


def report_html(
    scenario: Target,
    *,
    timeout_s: float = 120,
    kernel: bool = False,
    static: bool = False,
    images: bool | None = None,
    for_print: bool = False,
) -> str:
    """The HTML report of ``scenario`` (a design: with the shipped defaults; see the
    module): made in this process, or with ``kernel=True`` by running the notebook in
    a Jupyter kernel and converting it with nbconvert (:mod:`hvdesign.report.kernel`;
    interactive figures only).

    Figures: ``images`` and ``static`` as :func:`run_sections` has them (by default
    each figure is also an SVG image when a browser is found); ``static``: a page
    without any script (no plotly.js), for mail; ``for_print``: images at the print
    width (the PDF's page)."""
    if isinstance(timeout_s, bool) or not isinstance(timeout_s, int | float) or not timeout_s > 0:
        raise HvdesignError("timeout_s", timeout_s, "a positive number of seconds")
    sf = as_scenario(scenario)
    design = sf.design
    if not kernel:
        cells = run_sections(sf, timeout_s, images=images, static=static, for_print=for_print)
        return page_html(cells, design.title, static=static)
    if static or images is True or for_print:
        raise HvdesignError(
            "kernel",
            True,
            "kernel=False for static images, a static report or a PDF (the notebook "
            "way draws interactive figures only)",
        )

    from hvdesign.counts import summary
    from hvdesign.plans import cabling_plan, ip_plan
    from hvdesign.report import kernel as nbkernel

    # Bad input shows here, in its own words, before a kernel is started.
    summary(design)
    ip_plan(design)
    cabling_plan(design)
    with tempfile.TemporaryDirectory(prefix="hvdesign-report-") as workdir:
        nb = nbkernel.execute(sf, Path(workdir), timeout_s)
    return nbkernel.notebook_html(nb, design.title)


def _check_output(path: Path) -> None:
    """Refuse an output path that is a directory or not in an existing directory."""
    directory = path.parent
    if not directory.is_dir():
        raise HvdesignError(
            "output",
            str(path),
            "a path in an existing directory",
            detail=f"no directory {str(directory)!r}",
        )
    if path.is_dir():
        raise HvdesignError("output", str(path), "a file path, not a directory")


def write_report(
    scenario: Target,
    path: str | os.PathLike[str],
    *,
    timeout_s: float = 120,
    kernel: bool = False,
    static: bool = False,
    images: bool | None = None,
) -> Path:
    """Write the HTML report of ``scenario`` to ``path`` and return the path.

    Every figure is the scenario's: coverage and availability with its rules,
    availability with its reliability figures, cost and the bill of materials with its
    catalog, total cost with its economics, the trade-off
    (:func:`hvdesign.cost.tradeoff`) with all of them; the design file section shows
    the whole scenario (:func:`hvdesign.scenariofile.scenario_to_yaml`, loadable).

    Made in this process (:func:`report_html`; ``kernel=True``: the notebook run by
    papermill in kernel ``python3`` and converted by nbconvert). The file is written
    atomically (:func:`hvdesign.datafiles.write_text_atomic`): a temporary file in
    the same directory, renamed over ``path`` only when complete, so no failure
    leaves a half-written (or any new) file.

    Parameters
    ----------
    scenario : ScenarioFile or Design
        The scenario to report on (:func:`hvdesign.scenariofile.load_scenario`,
        :func:`~hvdesign.scenariofile.scenario_from_dict`); a Design is reported
        with the shipped rules, reliability, prices and economics
        (:func:`hvdesign.scenariofile.scenario_of`).
    path : str or path
        The HTML file to write, in an existing directory.
    timeout_s : float
        The longest any one section may run (and a kernel take to start) [s].
    kernel : bool
        Run the report notebook in a Jupyter kernel (the reference way, slower;
        interactive figures only).
    static : bool
        A page without any script (no plotly.js): the figures as SVG images only, for
        mail (needs a browser to draw them: kaleido's Chromium).
    images : bool or None
        Each figure also as an SVG image shown until plotly has drawn it (what a
        reader without JavaScript sees): ``None`` when a browser is found (otherwise
        without, and a :class:`ReportWarning`), ``True`` always (no browser: an error),
        ``False`` never.

    Raises
    ------
    HvdesignError
        ``path`` is not in an existing directory, or the design cannot be planned
        (e.g. a subnet too small); :class:`ReportError` (an :class:`HvdesignError`)
        when a section fails or times out, or the kernel dies.
    """
    path = Path(path)
    _check_output(path)
    text = report_html(scenario, timeout_s=timeout_s, kernel=kernel, static=static, images=images)
    return write_text_atomic(path, text, field="output")


def write_pdf(scenario: Target, path: str | os.PathLike[str], *, timeout_s: float = 120) -> Path:
    """Write the report of ``scenario`` as PDF to ``path`` and return the path: the
    static report (figures as SVG images drawn at the print width) printed by headless
    Chromium with the report's print style (A4, a page break before every section;
    :func:`hvdesign.report.pdf.html_to_pdf`), written atomically
    (:func:`hvdesign.datafiles.write_bytes_atomic`).

    Raises
    ------
    HvdesignError
        As :func:`write_report`; and no Chromium found (checked first), or it failed.
    """
    from hvdesign.report.pdf import find_chromium, html_to_pdf

    path = Path(path)
    _check_output(path)
    find_chromium()  # no browser: say so before any work
    text = report_html(scenario, timeout_s=timeout_s, static=True, for_print=True)
    return write_bytes_atomic(path, html_to_pdf(text, timeout_s=timeout_s), field="output")
