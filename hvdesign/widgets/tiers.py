"""The interactive tier explorer of the notebooks: controls for a design's options
driving its topology diagram, its count tables and the scaling figures.

Everything shown is computed by the package (:mod:`hvdesign.views.topology`,
:mod:`hvdesign.views.tables`); this module only wires controls to those functions. A bad
combination of options shows the :class:`~hvdesign.errors.HvdesignError` message in
red, never a traceback, and leaves the last valid figure in place.

Widget callbacks do not run in static HTML: the report draws fixed figures instead.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import pandas as pd
import plotly.graph_objects as go

from hvdesign.errors import HvdesignError
from hvdesign.spec import COMMON_DEFAULTS, NODE_LIMITS, TIERS, Design, design_from_tier, min_nodes
from hvdesign.topology import build_graph
from hvdesign.views.html import error_html, esc
from hvdesign.views.tables import counts_tables, scaling_table, tables_html
from hvdesign.views.topology import (
    TOPOLOGY_DYNAMIC,
    highlight_trace,
    scaling_figure,
    topology_traces,
)
from hvdesign.widgets.slot import figure_widget, update_traces

#: Options that have a control, besides ``tier`` and ``nodes``.
CONTROLLED = (
    "windows_version",
    "cross_switch_teaming",
    "storage_multipath",
    "nic_ports_per_card",
    "san_portals",
    "uplinks_per_switch",
)

#: Node counts the scaling figures of the explorer span.
SCALING_NODES = range(1, 17)

#: The metrics of the explorer's scaling figures, in order.
SCALING_METRICS = ("host_connections_total", "switch_ports_total")


class TierExplorer(W.VBox):
    """The explorer built by :func:`tier_explorer`.

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        ``tier``, ``nodes`` and one control per option of :data:`CONTROLLED`.
    topology : plotly.graph_objects.FigureWidget
        The topology diagram, updated in place.
    tables : ipywidgets.HTML
        The count tables.
    scaling : dict of str to plotly.graph_objects.FigureWidget
        ``host_connections_total`` and ``switch_ports_total`` against node count.
    message : ipywidgets.HTML
        Empty, or the error message of an invalid combination (in red).
    design : Design or None
        The design shown (the last valid one).
    """

    def __init__(self, tier: str, nodes: int, options: dict[str, Any]):
        values = {**COMMON_DEFAULTS, **options}
        self.extra = {k: v for k, v in options.items() if k not in CONTROLLED}
        self.design: Design | None = None
        self._scaling_options: dict[str, Any] | None = None
        self._table: pd.DataFrame | None = None
        self._busy = False
        style = {"description_width": "initial"}
        tier_ok = tier in TIERS
        version = values["windows_version"]
        limit = NODE_LIMITS.get(version, 64)
        c: dict[str, W.Widget] = {
            "tier": W.Dropdown(
                options=[(f"{t.figure}: {t.title}", t.id) for t in TIERS.values()],
                value=tier if tier_ok else next(iter(TIERS)),
                description="Tier",
                style=style,
                layout=W.Layout(width="420px"),
            ),
            "nodes": W.IntSlider(
                value=nodes,
                min=min_nodes(tier) if tier_ok else 1,
                max=limit,
                description="Hosts",
                continuous_update=False,
                style=style,
                layout=W.Layout(width="360px"),
            ),
            "windows_version": W.Dropdown(
                options=list(NODE_LIMITS),
                value=version if version in NODE_LIMITS else "2019",
                description="Windows Server",
                style=style,
                layout=W.Layout(width="220px"),
            ),
            "cross_switch_teaming": W.Checkbox(
                value=bool(values["cross_switch_teaming"]),
                description="Cross-switch teaming (production across both switches)",
                indent=False,
                layout=W.Layout(width="400px"),
            ),
            "storage_multipath": W.Dropdown(
                options=[("MPIO", "mpio"), ("MCS", "mcs"), ("NIC team (not supported)", "team")],
                value=values["storage_multipath"],
                description="Storage multipath",
                style=style,
                layout=W.Layout(width="300px"),
            ),
            "nic_ports_per_card": W.IntSlider(
                value=values["nic_ports_per_card"],
                min=1,
                max=8,
                description="NIC ports per card",
                continuous_update=False,
                style=style,
            ),
            "san_portals": W.IntSlider(
                value=values["san_portals"],
                min=1,
                max=16,
                description="SAN target portals",
                continuous_update=False,
                style=style,
            ),
            "uplinks_per_switch": W.IntSlider(
                value=values["uplinks_per_switch"],
                min=0,
                max=8,
                description="Uplinks per switch",
                continuous_update=False,
                style=style,
            ),
        }
        self.controls = c
        self.header = W.HTML()
        self.message = W.HTML()
        self.tables = W.HTML()
        # The figures are created by the first valid refresh, holding their first
        # drawing (see hvdesign.widgets.slot): show what was asked for; if that is
        # invalid (e.g. a cluster tier with one node), keep its error and draw what
        # the controls hold instead.
        self.topology: go.FigureWidget | None = None
        self.scaling: dict[str, go.FigureWidget] = {}
        requested = {"tier": tier, "nodes": nodes, **options}
        error = self.refresh(requested)
        if error:
            self.refresh()
            self._show_error(error)
        if self.topology is None:  # nothing valid to draw yet
            self.topology = figure_widget()
        for metric in SCALING_METRICS:
            if self.scaling.get(metric) is None:
                self.scaling[metric] = figure_widget()
        rows = W.VBox(
            [
                W.HBox([c["tier"], c["nodes"], c["windows_version"]]),
                W.HBox([c["storage_multipath"], c["cross_switch_teaming"]]),
                W.HBox([c["nic_ports_per_card"], c["san_portals"], c["uplinks_per_switch"]]),
            ]
        )
        super().__init__(
            [
                self.header,
                rows,
                self.message,
                self.topology,
                self.tables,
                W.HBox(
                    list(self.scaling.values()),
                    layout=W.Layout(width="100%", flex_flow="row wrap"),
                ),
            ]
        )
        for widget in c.values():
            widget.observe(self._on_change, names="value")

    # ----------------------------------------------------------------- callbacks

    def options(self) -> dict[str, Any]:
        """The options the controls (and the fixed extras) give, ``tier`` included."""
        return {**self.extra, **{name: w.value for name, w in self.controls.items()}}

    def _on_change(self, change: dict[str, Any]) -> None:
        if self._busy:
            return
        self._busy = True
        try:  # keep the node slider within what the tier and version allow
            c = self.controls
            c["nodes"].max = NODE_LIMITS[c["windows_version"].value]
            c["nodes"].min = min_nodes(c["tier"].value)
        finally:
            self._busy = False
        self.refresh()

    def _show_error(self, text: str) -> None:
        self.message.value = error_html(f"Invalid design: {text}")

    def refresh(self, options: dict[str, Any] | None = None) -> str | None:
        """Rebuild the design from ``options`` (default: the controls) and update the
        figures and tables in place. Returns ``None``, or the error message of an
        invalid combination, which is then shown in red (the figures stay as they
        were)."""
        opts = dict(self.options() if options is None else options)
        tier = opts.pop("tier")
        try:
            design = design_from_tier(tier, **opts)
            G = build_graph(design)
            traces, layout = topology_traces(design, G)
            tables = counts_tables(design, G)
        except HvdesignError as err:
            self._show_error(str(err))
            return str(err)
        self.message.value = ""
        self.design = design
        info = design.tier_info
        self.header.value = (
            f"<b>{esc(info.figure)}: {esc(info.title)}</b> &mdash; {esc(info.summary)}"
        )
        fig = self.topology
        if fig is None:
            self.topology = figure_widget(traces, layout)
        else:
            with fig.batch_update():
                update_traces(fig, traces, TOPOLOGY_DYNAMIC)
                fig.layout.update(layout)
        self.tables.value = tables_html(tables)
        scaled = {k: v for k, v in opts.items() if k != "nodes"}
        self._update_scaling(scaled, (design.tier, design.nodes))
        return None

    def _update_scaling(self, options: dict[str, Any], current: tuple[str, int]) -> None:
        """Redraw the scaling figures when the options change; else move the ring."""
        if options == self._scaling_options and self._table is not None:
            for metric, fw in self.scaling.items():
                ring = highlight_trace(self._table, metric, *current)
                fw.data[-1].update(x=ring.x, y=ring.y)
            return
        try:
            table = scaling_table(SCALING_NODES, options)
        except HvdesignError:  # an option no tier accepts at every node count: keep old
            return
        self._table, self._scaling_options = table, options
        for metric in SCALING_METRICS:
            new = scaling_figure(SCALING_NODES, metric=metric, highlight=current, table=table)
            new.update_layout(width=560, height=400)
            fw = self.scaling.get(metric)
            if fw is None:  # first drawing: the widget is created holding it
                self.scaling[metric] = figure_widget(new)
                continue
            with fw.batch_update():
                # the layout does not depend on the options: only the data (or, after
                # an empty start, everything)
                if not update_traces(fw, new.data, ("x", "y")):
                    fw.layout = new.layout


def tier_explorer(
    tier: str = "cluster-redundant-path", nodes: int = 4, **options: Any
) -> TierExplorer:
    """An interactive explorer of the tiers: pick a tier, the number of hosts and the
    options; the topology, the count tables and the scaling figures follow.

    Parameters
    ----------
    tier : str
        The tier to start from (one of :data:`hvdesign.spec.TIERS`).
    nodes : int
        Hosts to start with [hosts].
    **options
        Starting values of the controlled options (``windows_version``,
        ``cross_switch_teaming``, ``storage_multipath``, ``nic_ports_per_card``,
        ``san_portals``, ``uplinks_per_switch``) and any other design option, which
        is then fixed (e.g. ``switch_ports_per_unit=24``).

    Examples
    --------
    >>> ex = tier_explorer("cluster-minimal", nodes=3)
    >>> ex.controls["nodes"].value = 5
    >>> ex.design.nodes, ex.message.value
    (5, '')
    """
    return TierExplorer(tier, nodes, options)
