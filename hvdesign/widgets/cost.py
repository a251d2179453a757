"""The interactive cost explorer of the notebooks: sliders for the design (tier, node
count), the cost of downtime, the horizon, key prices and the reliability of hosts and
switches, driving the trade-off chart, the bill of materials, the total cost and the
cost per nine, all updated in place.

Everything shown is computed by :mod:`hvdesign.cost` (a :class:`~hvdesign.cost.Sweep`
of every tier and node count, counted once) and drawn by :mod:`hvdesign.views.cost`;
this module only wires controls to them. Price and downtime-cost sliders re-price the
sweep without recomputing any availability; only the reliability sliders do. A bad
value shows the :class:`~hvdesign.errors.HvdesignError` message in red, never a
traceback, and leaves the last figures in place.

Widget callbacks do not run in static HTML: the report draws fixed figures instead.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import ipywidgets as W
import pandas as pd
import plotly.graph_objects as go

from hvdesign.cost import (
    DEFAULT_DOWNTIME_COST_PER_HOUR_USD,
    DEFAULT_YEARS,
    Catalog,
    Sweep,
    bill_of_materials,
    load_catalog,
    merge_catalog,
)
from hvdesign.errors import HvdesignError
from hvdesign.report.sections import SERVICE_AVAILABILITY_TEXT, VM_AVAILABILITY_TEXT
from hvdesign.spec import COMMON_DEFAULTS, TIERS, design_from_tier, min_nodes
from hvdesign.views.cost import (
    bom_figure,
    cost_per_nine_figure,
    total_cost_figure,
    tradeoff_figure,
    tradeoff_traces,
)
from hvdesign.views.html import error_html, esc, plural
from hvdesign.widgets.slot import figure_widget, update_traces

#: Node counts the explorer's sweep spans (every tier at each it accepts).
SWEEP_NODES = range(1, 65)

#: Reliability sliders: (kind, field) of :mod:`hvdesign.reliability`.
RELIABILITY_CONTROLS = (
    ("host", "mtbf_hours"),
    ("host", "mttr_hours"),
    ("switch", "mtbf_hours"),
    ("switch", "mttr_hours"),
)

#: The explorer's figures, in order, and the fixed width of the smaller ones [px].
FIGURES = ("tradeoff", "bom", "total_cost", "cost_per_nine")
_SIDE_WIDTH_PX = {"bom": 560, "total_cost": 560, "cost_per_nine": 560}

#: Trace properties updated in place (names, colours and modes stay).
_DYNAMIC = ("x", "y", "text", "hovertext", "showlegend", "name", "marker")
_STYLE = {"description_width": "initial"}


def _sync(fw: go.FigureWidget, fig: go.Figure, layout: bool = True) -> None:
    """Make ``fw`` show ``fig``: trace by trace in place when the traces match (and
    the title and a log axis' ticks, if ``layout``), else replace the traces and the
    layout."""
    with fw.batch_update():
        if not update_traces(fw, fig.data, _DYNAMIC):
            fw.layout = fig.layout
        elif layout:
            fw.layout.title = fig.layout.title
            if fig.layout.yaxis.type == "log":  # the ticks follow the data's range
                fw.layout.yaxis.update(tickvals=fig.layout.yaxis.tickvals)


def _slider(cls: type[W.Widget], value: float, description: str, **kw: Any) -> W.Widget:
    """A slider whose readout has thousands separators (20,000, not 20000)."""
    if cls is W.IntSlider:
        kw.setdefault("readout_format", ",d")
    elif cls is W.FloatSlider:
        kw.setdefault("readout_format", ",.1f")
    return cls(
        value=value,
        description=description,
        continuous_update=False,
        style=_STYLE,
        layout=W.Layout(width="380px"),
        **kw,
    )


class CostExplorer(W.VBox):
    """The explorer built by :func:`cost_explorer`.

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        ``tier``, ``nodes``, ``downtime_cost_per_hour``, ``years``, ``server``,
        ``switch``, ``san_base`` (prices [USD]) and ``host.mtbf_hours``,
        ``host.mttr_hours``, ``switch.mtbf_hours``, ``switch.mttr_hours`` [hours].
    figures : dict of str to plotly.graph_objects.FigureWidget
        ``tradeoff``, ``bom``, ``total_cost``, ``cost_per_nine``, updated in place.
    summary, message : ipywidgets.HTML
        The current design's figures; empty or the error of an invalid value (red).
    table : pandas.DataFrame
        The last :meth:`hvdesign.cost.Sweep.table`.
    timings_ms : dict of str to float
        Duration of the last refresh [ms], and of its parts.
    """

    def __init__(
        self,
        tier: str,
        nodes: int,
        sweep_nodes: Iterable[int],
        catalog: Catalog,
        reliability: Any,
        rules: Any,
        downtime_cost_per_hour: float,
        years: float,
    ):
        from hvdesign.reliability import load_reliability

        self.catalog = catalog
        self.reliability = reliability if reliability is not None else load_reliability()
        self.rules = rules
        self.sweep = Sweep(sweep_nodes)
        self.table: pd.DataFrame | None = None
        self._key: tuple | None = None
        self.timings_ms: dict[str, float] = {}
        self._switch_ports = catalog.switch(COMMON_DEFAULTS["switch_ports_per_unit"])[0]
        tier = tier if tier in TIERS else "cluster-redundant-path"
        rel = _reliability_values(self.reliability)
        c: dict[str, W.Widget] = {
            "tier": W.Dropdown(
                options=[(f"{t.figure}: {t.title}", t.id) for t in TIERS.values()],
                value=tier,
                description="Tier",
                style=_STYLE,
                layout=W.Layout(width="420px"),
            ),
            "nodes": _slider(
                W.IntSlider,
                max(nodes, min_nodes(tier)),
                "Hosts",
                min=min_nodes(tier),
                max=max(self.sweep_nodes()),
            ),
            "downtime_cost_per_hour": _slider(
                W.FloatLogSlider,
                downtime_cost_per_hour,
                "Downtime cost [USD/hour]",
                base=10,
                min=2,
                max=6,
                step=0.05,
                readout_format=",.0f",
            ),
            "years": _slider(
                W.FloatSlider, years, "Horizon [years]", min=1, max=15, step=1, readout_format=".0f"
            ),
            "server": _slider(
                W.IntSlider,
                round(catalog.server.price_usd),
                "Server [USD]",
                min=1000,
                max=100_000,
                step=500,
            ),
            "switch": _slider(
                W.IntSlider,
                round(catalog.switches[self._switch_ports].price_usd),
                f"{self._switch_ports}-port switch [USD]",
                min=500,
                max=60_000,
                step=500,
            ),
            "san_base": _slider(
                W.IntSlider,
                round(catalog.san_base.price_usd),
                "SAN base [USD]",
                min=1000,
                max=250_000,
                step=1000,
            ),
        }
        for kind, field in RELIABILITY_CONTROLS:
            label = f"{kind} {field.split('_')[0].upper()} [hours]"
            if field == "mtbf_hours":
                c[f"{kind}.{field}"] = _slider(
                    W.FloatLogSlider,
                    rel[kind, field],
                    label,
                    base=10,
                    min=3,
                    max=6.5,
                    step=0.05,
                    readout_format=",.0f",
                )
            else:
                c[f"{kind}.{field}"] = _slider(
                    W.FloatSlider, rel[kind, field], label, min=0.5, max=72, step=0.5
                )
        self.controls = c
        self.header, self.message, self.summary = W.HTML(), W.HTML(), W.HTML()
        # The figures are created by the first valid refresh, holding their first
        # drawing (see hvdesign.widgets.slot); empty only if nothing is valid yet.
        self.figures: dict[str, go.FigureWidget] = {}
        self.refresh()
        for key in FIGURES:
            if key not in self.figures:
                self.figures[key] = figure_widget(layout={"width": _SIDE_WIDTH_PX.get(key)})
        rows = [
            W.HBox([c["tier"], c["nodes"]]),
            W.HBox([c["downtime_cost_per_hour"], c["years"]]),
            W.HBox([c["server"], c["switch"], c["san_base"]]),
            W.HBox([c["host.mtbf_hours"], c["host.mttr_hours"]]),
            W.HBox([c["switch.mtbf_hours"], c["switch.mttr_hours"]]),
        ]
        wrap = W.Layout(width="100%", flex_flow="row wrap")
        super().__init__(
            [
                self.header,
                *rows,
                self.message,
                self.summary,
                self.figures["tradeoff"],
                W.HBox([self.figures["bom"], self.figures["total_cost"]], layout=wrap),
                W.HBox([self.figures["cost_per_nine"]], layout=wrap),
            ]
        )
        for widget in c.values():
            widget.observe(self._on_change, names="value")

    def sweep_nodes(self) -> list[int]:
        """The node counts of the sweep."""
        return sorted({d.nodes for d in self.sweep.designs})

    # ----------------------------------------------------------------- callbacks

    def _on_change(self, change: dict[str, Any]) -> None:
        c = self.controls
        if change["owner"] is c["tier"]:
            c["nodes"].min = min_nodes(c["tier"].value)
        self.refresh()

    def current_catalog(self) -> Catalog:
        """The catalog with the price sliders applied (in memory)."""
        c, src = self.controls, {"source": "cost explorer slider", "year": None}
        return merge_catalog(
            self.catalog,
            {
                "server": {"price_usd": c["server"].value, **src},
                "switches": {self._switch_ports: {"price_usd": c["switch"].value, **src}},
                "san_base": {"price_usd": c["san_base"].value, **src},
            },
        )

    def current_reliability(self) -> Any:
        """The reliability with the MTBF/MTTR sliders applied (in memory)."""
        values = {key: self.controls[f"{key[0]}.{key[1]}"].value for key in RELIABILITY_CONTROLS}
        return _reliability_with(self.reliability, values)

    def refresh(self) -> str | None:
        """Recompute what changed and update the figures in place: the whole sweep when
        a price, the cost of downtime, the horizon or a reliability figure moved (its
        availabilities only for the latter); only the ring, the bill of materials and
        the summary when the design moved. Returns ``None`` or the error message (shown
        in red; the figures stay as they were)."""
        c = self.controls
        t0 = time.perf_counter()
        key = tuple(w.value for name, w in c.items() if name not in ("tier", "nodes"))
        repriced = key != self._key or self.table is None
        try:
            catalog = self.current_catalog()
            table = self.table
            if repriced:
                table = self.sweep.table(
                    catalog,
                    self.current_reliability(),
                    self.rules,
                    downtime_cost_per_hour=c["downtime_cost_per_hour"].value,
                    years=c["years"].value,
                )
            design = design_from_tier(c["tier"].value, nodes=c["nodes"].value)
            bom = bill_of_materials(design, catalog)
        except HvdesignError as err:
            self.message.value = error_html(err)
            return str(err)
        t1 = time.perf_counter()
        self.message.value = ""
        self.table, self._key = table, key
        current = (design.tier, design.nodes)
        trade = self.figures.get("tradeoff")
        assert table is not None  # priced above when there was none
        if repriced or trade is None or not trade.data:
            self._show("tradeoff", tradeoff_figure(table, highlight=current))
            self._show("total_cost", total_cost_figure(table))
            self._show("cost_per_nine", cost_per_nine_figure(table))
        else:  # only the ring moves
            ring = tradeoff_traces(table, highlight=current)[-1]
            trade.data[-1].update({k: ring[k] for k in ("x", "y", "hovertext", "showlegend")})
        self._show("bom", bom_figure(bom))
        info = design.tier_info
        self.header.value = (
            f"<b>{esc(info.figure)}: {esc(info.title)}</b> &mdash; {esc(info.summary)}"
        )
        self.summary.value = _summary_html(table, current)
        t2 = time.perf_counter()
        self.timings_ms = {
            "compute": (t1 - t0) * 1e3,
            "figures": (t2 - t1) * 1e3,
            "total": (t2 - t0) * 1e3,
        }
        return None

    def _show(self, key: str, fig: go.Figure) -> None:
        """Show ``fig`` in the figure ``key``: created holding it the first time, then
        updated in place (:func:`_sync`)."""
        if key in _SIDE_WIDTH_PX:
            fig.update_layout(width=_SIDE_WIDTH_PX[key])
        fw = self.figures.get(key)
        if fw is None:
            self.figures[key] = figure_widget(fig)
        else:
            _sync(fw, fig)


def _summary_html(table: pd.DataFrame, current: tuple[str, int]) -> str:
    rows = table[(table["tier"] == current[0]) & (table["nodes"] == current[1])]
    if rows.empty:
        return "<i>This node count is outside the sweep.</i>"
    r = rows.iloc[0]
    front = "on the Pareto frontier" if r["pareto"] else "not on the Pareto frontier"
    return (
        f"<b>{plural(current[1], 'host')}</b>: capital cost <b>${r['capex_usd']:,.0f}</b>; "
        f"service availability {r['availability']:.6f} ({r['nines']:.2f} nines), "
        f"service downtime {r['downtime_minutes_per_year']:,.1f} min/year; VM availability "
        f"{r['vm_availability']:.6f}, VM downtime "
        f"{r['vm_downtime_minutes_per_year']:,.1f} min/year ({r['vm_nines']:.2f} VM nines); "
        f"total cost <b>${r['total_cost_usd']:,.0f}</b>; ${r['cost_per_nine_usd']:,.0f} per "
        f"VM nine; {front}."
        f'<br><span class="hv-note">{esc(SERVICE_AVAILABILITY_TEXT)} '
        f"{esc(VM_AVAILABILITY_TEXT)} VM downtime, the minutes a year an average VM is "
        f"down (failover restarts included), is what the total cost and the cost per "
        f"nine use.</span>"
    )


def _reliability_values(reliability: Any) -> dict[tuple[str, str], float]:
    return {(k, f): reliability.figure(k, f).value for k, f in RELIABILITY_CONTROLS}


def _reliability_with(reliability: Any, values: dict[tuple[str, str], float]) -> Any:
    """``reliability`` with the slider values; the same object when nothing moved (so
    the sweep's cached availabilities stay valid)."""
    if values == _reliability_values(reliability):
        return reliability
    overrides: dict[str, dict[str, Any]] = {}
    for (kind, field), value in values.items():
        overrides.setdefault(kind, {})[field] = {
            "value": float(value),
            "source": "cost explorer slider",
        }
    return reliability.replace(overrides)


def cost_explorer(
    tier: str = "cluster-redundant-path",
    nodes: int = 4,
    *,
    sweep_nodes: Iterable[int] = SWEEP_NODES,
    catalog: Catalog | None = None,
    reliability: Any = None,
    rules: Any = None,
    downtime_cost_per_hour: float = DEFAULT_DOWNTIME_COST_PER_HOUR_USD,
    years: float = DEFAULT_YEARS,
) -> CostExplorer:
    """An interactive explorer of cost against availability.

    Parameters
    ----------
    tier, nodes
        The design to start from (highlighted on the trade-off chart) [tier id, hosts].
    sweep_nodes : iterable of int
        Node counts every tier is compared at (default 1 to 64).
    catalog, reliability, rules
        Starting prices, MTBF/MTTR and failure rules (the shipped defaults when None);
        the sliders override them in memory only.
    downtime_cost_per_hour : float
        Starting cost of one hour of downtime of all VMs [USD/hour].
    years : float
        Starting horizon of the total cost [years].

    Examples
    --------
    >>> ex = cost_explorer("cluster-minimal", 2, sweep_nodes=range(1, 9))
    >>> def capex_of(tier, n):
    ...     return float(ex.table.set_index(["tier", "nodes"]).loc[(tier, n), "capex_usd"])
    >>> before = capex_of("cluster-minimal", 2)
    >>> ex.controls["server"].value = ex.controls["server"].value + 10_000
    >>> capex_of("cluster-minimal", 2) - before  # two servers, 10,000 USD more each
    20000.0
    """
    return CostExplorer(
        tier,
        nodes,
        sweep_nodes,
        catalog or load_catalog(),
        reliability,
        rules,
        downtime_cost_per_hour,
        years,
    )
