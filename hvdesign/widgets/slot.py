"""Plotly ``go.FigureWidget`` helpers shared by the notebook explorers and the app.

Plotly 7's ``FigureWidget`` syncs its traces and layout as widget state only when it
is constructed; every later change (``add_traces``, ``layout.update``, a
``batch_update``) is a one-off message to the views present at that moment. Voilà
(and a reloaded JupyterLab page) builds the views from the widget state after the
code ran, so a figure made empty and filled before it is displayed shows empty.
Hence the rule of this module: a ``FigureWidget`` is constructed already holding its
first figure (:func:`figure_widget`) and only later updated in place
(:func:`update_traces` inside ``batch_update``).

The widget does not hear window resizes either: :data:`WIDGET_CONFIG` makes plotly.js
follow the size of the figure's container (``responsive``).

Each ``FigureWidget`` carries plotly's whole front end (a 5 MB ES module) in its widget
state, which a page downloads and evaluates once per figure (20 MB and four
evaluations for the app's four figures). Under :mod:`hvdesign.widgets.serve`, which
serves that bundle and sets :data:`SERVED_BUNDLE_ENV` for its kernels, the figures are
:class:`ServedFigureWidget` instead: the same widget whose front end is a few lines
(``static/plotly_bundle.js``) importing the bundle from the server, downloaded and
evaluated once per page.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

import ipywidgets as W
import plotly.graph_objects as go

from hvdesign.widgets.assets import static_text

#: The plotly.js config of every FigureWidget: follow the container's size, no logo.
WIDGET_CONFIG: dict[str, Any] = {"responsive": True, "displaylogo": False}

#: Environment variable set (to ``1``) by :mod:`hvdesign.widgets.serve`: its server
#: serves plotly's widget bundle, so figures load it from there.
SERVED_BUNDLE_ENV = "HVDESIGN_SERVED_PLOTLY_BUNDLE"


class ServedFigureWidget(go.FigureWidget):
    """A ``go.FigureWidget`` whose front end is imported from the Voilà server of
    :mod:`hvdesign.widgets.serve` (once per page) instead of held in its state."""

    _esm = static_text("plotly_bundle.js")


def _widget_class() -> type[go.FigureWidget]:
    """:class:`ServedFigureWidget` under :mod:`hvdesign.widgets.serve`, else plotly's."""
    return ServedFigureWidget if os.environ.get(SERVED_BUNDLE_ENV) == "1" else go.FigureWidget


def figure_widget(
    data: Any = None, layout: Any = None, *, css_class: str | None = None
) -> go.FigureWidget:
    """A ``go.FigureWidget`` constructed holding its first figure.

    ``data`` is a figure (``go.Figure`` or its dict) or a list of traces, with
    ``layout``; nothing gives an empty figure (only for a widget that has nothing
    valid to show yet: changes made before it is displayed may be lost). The widget
    follows the size of its container (:data:`WIDGET_CONFIG`); ``css_class`` is added
    to it.

    Examples
    --------
    >>> fw = figure_widget([go.Bar(x=[1, 2], y=[3, 4])], {"title": {"text": "t"}})
    >>> len(fw.data), fw._config["responsive"]
    (1, True)
    """
    fw = _widget_class()(data=data, layout=layout)
    fw._config = dict(WIDGET_CONFIG)
    if css_class:
        fw.add_class(css_class)
    return fw


def _trace_type(trace: Any) -> str:
    return trace.get("type", "scatter") if isinstance(trace, dict) else trace.type


def update_traces(fw: go.FigureWidget, traces: Sequence[Any], props: Iterable[str]) -> bool:
    """Make ``fw`` show ``traces`` (dicts or trace objects). When they match its
    traces in number and type, only ``props`` of each are updated in place (names,
    colours and modes stay) and ``True`` is returned; else the traces are replaced
    and ``False`` returned. Call it inside ``fw.batch_update()``."""
    if [t.type for t in fw.data] == [_trace_type(t) for t in traces]:
        props = tuple(props)
        for trace, new in zip(fw.data, traces, strict=True):
            trace.update({k: new[k] for k in props if k in new})
        return True
    fw.data = ()
    fw.add_traces(list(traces))
    return False


class FigureSlot:
    """A place for one plotly figure, shown as a ``go.FigureWidget`` updated in place.

    The widget is created (in :attr:`box`) by the first :meth:`show`, holding that
    figure, and updated in place afterwards (see the module docstring).
    """

    def __init__(self, css_class: str) -> None:
        self.css_class = css_class
        self.figure: go.FigureWidget | None = None
        self.box = W.Box(layout=W.Layout(width="100%"))
        self.box.add_class("hv-slot")

    def show(
        self,
        traces: list[Any],
        layout: Any,
        props: tuple[str, ...],
        layout_keys: tuple[str, ...] | None = None,
    ) -> None:
        """Show ``traces`` and ``layout``. Once shown, the traces are updated in place
        (only ``props``) when they match in number and type, else replaced; the layout
        is updated whole, or only ``layout_keys``."""
        fw = self.figure
        if fw is None:
            self.figure = fw = figure_widget(traces, layout, css_class=self.css_class)
            self.box.children = (fw,)
            return
        with fw.batch_update():
            update_traces(fw, traces, props)
            if layout_keys is None:
                fw.layout.update(layout)
            else:
                fw.layout.update({k: layout[k] for k in layout_keys})
