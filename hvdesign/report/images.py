"""The report's figures as static SVG images, so the report reads without JavaScript
(mail previews, locked-down viewers, print to PDF).

Every figure of the report is drawn twice: as plotly's interactive figure (a div and
its drawing script) and as an SVG image, drawn by kaleido in this process's one
headless browser (:mod:`hvdesign.views.image`). :class:`FigureImages` starts that
browser as soon as it is made and draws the figures in a background thread while the
sections are still being built, in the order they are added.

On the page a figure is one ``<div class="hv-figure">`` holding the image (an ``<img>``
of a base64 ``data:`` URI: no request, and the SVG's own ids cannot clash with the
page's) and, in the interactive report, the plotly div after it. The report's style
(``static/report.css``) hides the plotly figure when no script has run (the page's
first script marks ``<html>`` with ``hv-js``), and the plotly div's drawing script marks
its figure ``hv-drawn`` once plotly has drawn it, which hides the image: without
JavaScript the image shows, with it the interactive figure replaces the image, never
both once drawn. The static report (``static=True``) has the images only and no script.

>>> width_and_height({"layout": {"height": 560}}, SCREEN_WIDTH_PX)
(1048, 560)
>>> alt_text({"layout": {"title": {"text": "Topology<br><sup>4 hosts &amp; 2 switches</sup>"}}})
'Topology: 4 hosts & 2 switches'
"""

from __future__ import annotations

import base64
import html
import re
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from hvdesign.errors import HvdesignError
from hvdesign.views.html import esc

#: Width the report's figures are drawn at on screen [px]: the page's text column
#: (``main``: 1120 px wide less 2 x 36 px of padding, ``static/report.css``).
SCREEN_WIDTH_PX = 1048

#: Width of the printable area of an A4 or Letter page [px at 96 px/inch], as
#: ``static/print-fit.js`` redraws the interactive figures for printing; the PDF's
#: images are drawn at this width, so their text prints at its own size.
PRINT_WIDTH_PX = 680

#: The print layout of ``static/print-fit.js``: a smaller legend font [px] and room
#: above the plot for a legend that wraps [px].
PRINT_LEGEND_PX = 10
PRINT_LEGEND_ROOM_PX = 24

#: Space above a figure's title in the print layout [px].
PRINT_TITLE_TOP_PX = 24

#: Height of a figure that gives none [px] (as :func:`hvdesign.report.build.figure_html`).
DEFAULT_HEIGHT_PX = 525

#: Script run by a plotly figure once drawn (plotly's ``post_script``; ``{plot_id}`` is
#: its div's id): its ``hv-figure`` is marked drawn, which hides the static image.
DRAWN_SCRIPT = (
    "var hvFig = document.getElementById('{plot_id}').closest('.hv-figure');"
    " if (hvFig) { hvFig.classList.add('hv-drawn'); }"
)


def _layout(fig: Any) -> dict[str, Any]:
    """The layout of a figure or of its dict."""
    if isinstance(fig, dict):
        return dict(fig.get("layout") or {})
    return dict(fig.to_plotly_json().get("layout") or {})


def width_and_height(fig: Any, width_px: int) -> tuple[int, int]:
    """The size an image of ``fig`` is drawn at [px]: ``width_px`` wide, as high as
    the figure says (:data:`DEFAULT_HEIGHT_PX` if it says nothing)."""
    height = _layout(fig).get("height") or DEFAULT_HEIGHT_PX
    return int(width_px), int(height)


def alt_text(fig: Any) -> str:
    """The figure's title as plain text (tags dropped, a ``<br>`` as ": ", entities
    decoded): the image's alternative text, escaped where it is written."""
    title = _layout(fig).get("title") or {}
    text = title.get("text", "") if isinstance(title, dict) else str(title)
    text = re.sub(r"<br\s*/?>", ": ", str(text or ""), flags=re.I)
    text = html.unescape(re.sub(r"<[^>]*>", "", text))
    return " ".join(text.split()) or "figure"


def print_layout(fig: dict[str, Any]) -> dict[str, Any]:
    """``fig`` (a figure's dict, changed in place and returned) laid out as
    ``static/print-fit.js`` lays figures out for printing: legend font
    :data:`PRINT_LEGEND_PX`, :data:`PRINT_LEGEND_ROOM_PX` more room above the plot
    (plotly's default top margin is 80 px).

    >>> print_layout({"layout": {"margin": {"t": 100}}})["layout"]
    {'margin': {'t': 124}, 'legend': {'font': {'size': 10}}}
    >>> print_layout({"layout": {"title": {"text": "Topology"}}})["layout"]["title"]["y"]
    1
    """
    layout = fig.setdefault("layout", {})
    margin = layout.setdefault("margin", {})
    margin["t"] = (margin.get("t") if margin.get("t") is not None else 80) + PRINT_LEGEND_ROOM_PX
    layout.setdefault("legend", {}).setdefault("font", {})["size"] = PRINT_LEGEND_PX
    title = layout.get("title")
    if isinstance(title, dict) and title.get("text") and title.get("y") is None:
        # plotly centres a title in the top margin: the room added would move it down
        # onto the legend; kept at the top, the room is the legend's.
        title.update(y=1, yref="container", yanchor="top", pad={"t": PRINT_TITLE_TOP_PX})
    return fig


def image_html(svg: bytes, fig: Any, width_px: int) -> str:
    """The ``<img>`` of an SVG image of ``fig`` (a base64 ``data:`` URI), its size as
    drawn (scaled down to the column by the style), its title as alternative text."""
    width, height = width_and_height(fig, width_px)
    data = base64.b64encode(svg).decode("ascii")
    return (
        f'<img class="hv-figure-image" alt="{esc(alt_text(fig))}" width="{width}" '
        f'height="{height}" src="data:image/svg+xml;base64,{data}"/>'
    )


def figure_block(image: str, interactive: str = "") -> str:
    """One figure on the page: its image, then (in the interactive report) the plotly
    figure that replaces it once drawn, in a ``hv-figure-interactive`` div (hidden by
    the style where no script runs, so no empty box is left).

    >>> print(figure_block("<img/>", "<div></div>"))
    <div class="hv-figure">
    <img/>
    <div class="hv-figure-interactive"><div></div></div>
    </div>
    """
    if interactive:
        interactive = f'<div class="hv-figure-interactive">{interactive}</div>\n'
    return f'<div class="hv-figure">\n{image}\n{interactive}</div>'


class FigureImages:
    """SVG images of figures, drawn by kaleido in the process's one browser, in a
    background thread, in the order :meth:`add` receives them.

    Made early (the browser starts at once, in the background) and fed the figures as
    the sections return them; :meth:`results` waits for every image.

    ``width_px``: the width the images are drawn at (:data:`SCREEN_WIDTH_PX`, or
    :data:`PRINT_WIDTH_PX` with ``for_print`` for the PDF: the print layout of
    :func:`print_layout`).
    """

    def __init__(self, width_px: int = SCREEN_WIDTH_PX, *, for_print: bool = False) -> None:
        from hvdesign.views.image import start_browser

        self.width_px = int(width_px)
        self.for_print = for_print
        start_browser()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hvdesign-svg")
        self._jobs: list[Future[bytes]] = []

    def _draw(self, fig: Any) -> bytes:
        from hvdesign.views.image import render_image

        width, height = width_and_height(fig, self.width_px)
        return render_image(fig, "svg", width, height)

    def add(self, fig: Any) -> int:
        """Queue an image of ``fig`` (a plotly figure, drawn from a copy: later changes
        to ``fig`` do not show); its index in :meth:`results`."""
        copy = fig.to_dict()
        if self.for_print:
            print_layout(copy)
        self._jobs.append(self._pool.submit(self._draw, copy))
        return len(self._jobs) - 1

    def results(self) -> list[bytes]:
        """Every image, in the order added (waits for them); the first failure is
        raised as it came (an :class:`HvdesignError` when there is no browser)."""
        try:
            return [job.result() for job in self._jobs]
        finally:
            self._pool.shutdown(wait=False, cancel_futures=True)


def no_browser(err: BaseException) -> bool:
    """Whether ``err`` says kaleido found no browser to draw in
    (:func:`hvdesign.views.image.render_image`)."""
    return isinstance(err, HvdesignError) and err.field == "kaleido"
