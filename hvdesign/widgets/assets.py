"""The explorer app's browser side: its style and its two small anywidgets, held as
files under ``hvdesign/widgets/static/`` (``app.css``, ``download_link.js``,
``fit_figures.js``) and read with :mod:`importlib.resources`, so they ship in the
wheel (package data) and are edited as CSS and JavaScript, not as Python strings.

Examples
--------
>>> "hv-sidebar" in static_text("app.css"), app_style().startswith("<style>")
(True, True)
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import anywidget
import traitlets


@cache
def static_text(name: str) -> str:
    """The text of ``hvdesign/widgets/static/<name>`` (read once)."""
    return (files("hvdesign.widgets") / "static" / name).read_text(encoding="utf-8")


def app_style() -> str:
    """The page's style as one ``<style>`` element (``static/app.css``)."""
    return f"<style>\n{static_text('app.css')}</style>\n"


class DownloadLink(anywidget.AnyWidget):
    """A download link for bytes held by the kernel: the browser makes a ``Blob`` of
    them and the link saves it under ``filename`` (works in Voilà, in JupyterLab and
    offline; no server route, no size limit of ``data:`` URLs).

    Set ``filename``, ``mime`` and ``label`` first and ``data`` last; empty ``data``
    hides the link.
    """

    _esm = static_text("download_link.js")
    data = traitlets.Bytes(b"").tag(sync=True)
    filename = traitlets.Unicode("").tag(sync=True)
    mime = traitlets.Unicode("application/octet-stream").tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)

    def offer(self, data: bytes, filename: str, mime: str, label: str) -> None:
        """Show a link that saves ``data`` as ``filename`` (a new link each time,
        even for the same bytes: the browser then knows the export is done)."""
        self.filename, self.mime, self.label = filename, mime, label
        self.data = b""
        self.data = data


class FitFigures(anywidget.AnyWidget):
    """Keeps the page's plotly figures as wide as their cards: a FigureWidget sizes
    itself once, when it is drawn (often before the page is laid out, at plotly's
    default 700 px), and again on a window resize; this widget sends that resize
    whenever the width of the app changes."""

    _esm = static_text("fit_figures.js")
