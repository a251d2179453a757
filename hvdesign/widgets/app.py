"""The architect's workbench: one page where every trade-off of a design is a control
away, served as a web app by Voilà (``make app``, ``notebooks/00_explorer.ipynb``).

On the left, the design (name, tier, hosts, Windows Server version and the options
that shape the layout), the key prices (server, switch, SAN base), the reliability of
hosts and switches (MTBF, MTTR) and the cost of downtime. On the right, at once: the
key figures, the topology in the guide's colours, the trade-off of every tier
(capital cost against downtime, Pareto frontier, this design ringed), availability and
downtime, failure coverage with the single points of failure, the bill of materials,
the counts, the check findings and the multipath advice. Two buttons export the design
as a design file (YAML) and as the HTML report, saved in an ``exports/`` folder beside
the notebook and offered as download links.

Everything shown is computed by the package and drawn by its figure functions; this
module only composes them. The page is a list of panels (:data:`PANELS`): each panel
is a small class with a ``key`` (what it depends on) and an ``update``; the app calls
``update`` only when the key changed, so moving the node slider never re-prices the
sweep and editing a price never redraws the topology. Figures are ``go.FigureWidget``
updated in place (``batch_update``). Adding a panel is one class and one line of
:data:`PANELS`.

A bad combination of options shows the :class:`~hvdesign.errors.HvdesignError`
message in red, never a traceback, and leaves the last valid figures in place. Every
user-supplied string (the design's name above all) is escaped.

Examples
--------
>>> app = explorer_app(nodes=4)
>>> app.controls["nodes"].value = 8
>>> app.design.nodes, app.message.value
(8, '')
"""

from __future__ import annotations

import asyncio
import html
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import anywidget
import ipywidgets as W
import pandas as pd
import traitlets

from hvdesign.availability import AvailabilityResult, availability
from hvdesign.checks import Finding, check_design
from hvdesign.cost import (
    DEFAULT_DOWNTIME_COST_PER_HOUR_USD,
    DEFAULT_YEARS,
    SHARED_OPTIONS,
    Catalog,
    Sweep,
    bill_of_materials,
    downtime_cost,
    load_catalog,
    merge_catalog,
    nines,
    pareto_front,
)
from hvdesign.counts import summary
from hvdesign.datafiles import write_bytes_atomic
from hvdesign.errors import HvdesignError
from hvdesign.failures import Coverage, FailureRules, analyse
from hvdesign.guide import recommend
from hvdesign.reliability import Reliability, load_reliability
from hvdesign.report.build import table_html, write_report
from hvdesign.spec import (
    COMMON_DEFAULTS,
    NODE_LIMITS,
    TIERS,
    Design,
    design_from_tier,
    design_to_yaml,
    min_nodes,
)
from hvdesign.topology import build_graph
from hvdesign.views.cost import bom_figure, tradeoff_figure
from hvdesign.views.coverage import coverage_figure, spof_table
from hvdesign.views.tables import counts_tables, tables_html
from hvdesign.views.topology import TOPOLOGY_DYNAMIC, topology_traces
from hvdesign.widgets.multipath import recommendation_html
from hvdesign.widgets.slot import FigureSlot

#: The design the app opens with.
DEFAULT_TIER = "cluster-redundant-path"
DEFAULT_NODES = 4

#: Node counts of every tier on the trade-off chart (the current design is added when
#: its node count is not one of them). Spaced to keep a change of reliability, which
#: recomputes every availability of the sweep, well under the 200 ms budget.
TRADEOFF_NODES: tuple[int, ...] = (1, 2, 4, 8, 16, 32, 64)

#: Design options that have a control besides ``name``, ``tier`` and ``nodes``: those
#: no tier preset sets, which the trade-off chart applies to every tier (as
#: ``hvdesign figure tradeoff`` does).
OPTION_CONTROLS: tuple[str, ...] = SHARED_OPTIONS

#: Reliability controls: (component kind, figure) of :mod:`hvdesign.reliability`.
RELIABILITY_CONTROLS: tuple[tuple[str, str], ...] = (
    ("host", "mtbf_hours"),
    ("host", "mttr_hours"),
    ("switch", "mtbf_hours"),
    ("switch", "mttr_hours"),
)

#: Where the export buttons save their files (relative to the working directory,
#: which Voilà sets to the notebook's folder).
EXPORT_DIR = "exports"

#: Source recorded for a price or reliability figure edited in the app.
EDITED_SOURCE = "edited in the hvdesign workbench"


_esc = html.escape
_SIDEBAR_PX = 360

#: The page's style (one ``<style>`` for the whole app; classes are set with
#: ``add_class``).
APP_CSS = f"""
<style>
.hv-app {{ font-family: "Segoe UI", "Helvetica Neue", Helvetica, Arial, sans-serif;
  color: #1f2933; background: #eef1f5; }}
.hv-app .widget-label, .hv-app input, .hv-app select {{ font-size: 13px; }}
.hv-app .widget-html-content {{ font-size: 13px; line-height: 1.45; }}
.hv-topbar {{ background: #1f3a5f; padding: 8px 16px; align-items: center; gap: 10px;
  flex-wrap: wrap; }}
.hv-topbar .widget-html-content {{ color: #fff; }}
.hv-brand {{ font-size: 19px; font-weight: 600; white-space: nowrap; }}
.hv-brand small {{ font-weight: 400; opacity: .8; margin-left: 8px; font-size: 13px; }}
.hv-topbar .jupyter-button {{ background: #fff; color: #1f3a5f; border-radius: 4px;
  font-weight: 600; }}
.hv-topbar .jupyter-button:hover {{ background: #e3ebf5; }}
.hv-status code {{ color: #fff; background: rgba(255,255,255,.12); }}
.hv-download {{ color: #fff; font-weight: 600; margin-right: 6px; }}
.hv-body {{ align-items: flex-start; gap: 14px; padding: 12px; }}
.hv-sidebar {{ width: {_SIDEBAR_PX}px; min-width: {_SIDEBAR_PX}px; background: #fff;
  border: 1px solid #d9dee4; border-radius: 8px; padding: 4px 12px 10px;
  position: sticky; top: 8px; max-height: calc(100vh - 16px); overflow-y: auto; }}
.hv-sidebar h4 {{ margin: 12px 0 2px; font-size: 11.5px; text-transform: uppercase;
  letter-spacing: .6px; color: #5f6b7a; border-bottom: 1px solid #e5e8ec;
  padding-bottom: 3px; }}
.hv-main {{ flex: 1 1 auto; min-width: 0; gap: 12px; }}
.hv-grid {{ flex-flow: row wrap; gap: 12px; }}
.hv-card {{ background: #fff; border: 1px solid #d9dee4; border-radius: 8px;
  padding: 10px 14px; box-sizing: border-box; overflow: hidden; }}
.hv-full {{ flex: 1 1 100%; }}
.hv-half {{ flex: 1 1 calc(50% - 12px); min-width: 440px; }}
.hv-slot > * {{ flex: 1 1 auto; width: 100%; min-width: 0; }}
.hv-slot .js-plotly-plot {{ width: 100%; }}
.hv-card-title {{ font-size: 15px; font-weight: 600; color: #1f3a5f; }}
.hv-card-note {{ color: #5f6b7a; font-size: 12px; }}
.hv-heading b {{ font-size: 18px; }}
.hv-heading span {{ color: #5f6b7a; }}
.hv-kpis {{ display: flex; flex-wrap: wrap; gap: 10px; }}
.hv-kpi {{ flex: 1 1 0; min-width: 84px; box-sizing: border-box; background: #fff; border: 1px solid #d9dee4; border-radius: 8px;
  padding: 6px 10px; border-top: 4px solid #1f4f8a; }}
.hv-kpi b {{ display: block; font-size: 19px; font-variant-numeric: tabular-nums; }}
.hv-kpi span {{ color: #5f6b7a; font-size: 11.5px; }}
.hv-kpi.hv-bad {{ border-top-color: #b3261e; }}
.hv-kpi.hv-warn {{ border-top-color: #d08a00; }}
.hv-kpi.hv-good {{ border-top-color: #1b7a3a; }}
.hv-error {{ color: #b00020; font-weight: 600; }}
.hv-timing {{ color: #8a94a3; font-size: 11.5px; align-self: flex-end; }}
.hv-table {{ overflow-x: auto; }}
.hv-table table {{ border-collapse: collapse; font-size: 12.5px; margin: 4px 0 8px;
  font-variant-numeric: tabular-nums; }}
.hv-table th, .hv-table td {{ padding: 2px 9px; border-bottom: 1px solid #e5e8ec;
  text-align: left; vertical-align: top; }}
.hv-table thead th {{ border-bottom: 2px solid #1f2933; font-weight: 600; }}
.hv-table tbody tr:nth-child(odd) {{ background: #f7f8fa; }}
.hv-table .hv-num, .hv-right td:last-child, .hv-bom td:nth-child(n+2):nth-child(-n+4)
  {{ text-align: right; }}
.hv-bom td:last-child {{ max-width: 210px; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; color: #5f6b7a; }}
.hv-bom tr:last-child td {{ font-weight: 600; }}
.hv-scroll {{ max-height: 300px; overflow: auto; }}
.hv-findings {{ list-style: none; padding: 0; margin: 4px 0; }}
.hv-findings li {{ margin: 0 0 6px; }}
.hv-sev {{ display: inline-block; min-width: 54px; text-align: center; border-radius: 3px;
  padding: 0 6px; font-size: 11px; font-weight: 600; color: #fff; }}
.hv-sev-error {{ background: #b3261e; }}
.hv-sev-warning {{ background: #c77c00; }}
.hv-sev-info {{ background: #52606d; }}
</style>
"""


# --------------------------------------------------------------------- downloads


class DownloadLink(anywidget.AnyWidget):
    """A download link for bytes held by the kernel: the browser makes a ``Blob`` of
    them and the link saves it under ``filename`` (works in Voilà, in JupyterLab and
    offline; no server route, no size limit of ``data:`` URLs).

    Set ``filename``, ``mime`` and ``label`` first and ``data`` last; empty ``data``
    hides the link.
    """

    _esm = """
    function render({ model, el }) {
      const a = document.createElement("a");
      a.className = "hv-download";
      el.appendChild(a);
      let url = null;
      function update() {
        if (url) { URL.revokeObjectURL(url); url = null; }
        const data = model.get("data");
        const size = data ? data.byteLength : 0;
        if (!size) { a.style.display = "none"; a.removeAttribute("href"); return; }
        url = URL.createObjectURL(new Blob([data], { type: model.get("mime") }));
        a.href = url;
        a.download = model.get("filename");
        a.textContent = model.get("label");
        a.title = "Save " + model.get("filename");
        a.style.display = "inline-block";
      }
      model.on("change:data", update);
      model.on("change:label", update);
      update();
      return () => { if (url) URL.revokeObjectURL(url); };
    }
    export default { render };
    """
    data = traitlets.Bytes(b"").tag(sync=True)
    filename = traitlets.Unicode("").tag(sync=True)
    mime = traitlets.Unicode("application/octet-stream").tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)

    def offer(self, data: bytes, filename: str, mime: str, label: str) -> None:
        """Show a link that saves ``data`` as ``filename``."""
        self.filename, self.mime, self.label = filename, mime, label
        self.data = data


class FitFigures(anywidget.AnyWidget):
    """Keeps the page's plotly figures as wide as their cards: a FigureWidget sizes
    itself once, when it is drawn (often before the page is laid out, at plotly's
    default 700 px), and again on a window resize; this widget sends that resize
    whenever the width of the app changes."""

    _esm = """
    function render({ el }) {
      let timer = null, width = -1;
      const kick = () => {
        clearTimeout(timer);
        timer = setTimeout(() => window.dispatchEvent(new Event("resize")), 80);
      };
      const observer = new ResizeObserver((entries) => {
        const w = Math.round(entries[0].contentRect.width);
        if (w !== width) { width = w; kick(); }
      });
      requestAnimationFrame(() => observer.observe(el.closest(".hv-app") || document.body));
      const late = setTimeout(kick, 1000);
      return () => { observer.disconnect(); clearTimeout(timer); clearTimeout(late); };
    }
    export default { render };
    """


def export_name(design: Design) -> str:
    """A safe file name stem for ``design``'s exports: its name (or tier and node
    count) in lower case, letters, digits and hyphens only.

    >>> export_name(design_from_tier("cluster-minimal", nodes=3))
    'cluster-minimal-3-nodes'
    >>> export_name(design_from_tier("cluster-minimal", nodes=3, name="<script>alert(1)</script>"))
    'script-alert-1-script'
    """
    base = design.name or f"{design.tier}-{design.nodes}-nodes"
    stem = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")
    return stem[:80] or "design"


# --------------------------------------------------------------------- state


@dataclass
class Inputs:
    """What the controls hold, validated: the design, the catalog with the edited
    prices, the reliability with the edited figures, the cost of downtime."""

    design: Design
    catalog: Catalog
    reliability: Reliability
    downtime_cost_per_hour: float
    rules: FailureRules
    sweep_options: dict[str, Any]


class Memo:
    """The last value of each named computation with the key it was computed for, so
    each is recomputed only when what it depends on changed."""

    def __init__(self) -> None:
        self._store: dict[str, tuple[Any, Any]] = {}

    def has(self, name: str, key: Any) -> bool:
        """Whether ``name`` is memoised for ``key``."""
        hit = self._store.get(name)
        return hit is not None and hit[0] == key

    def get(self, name: str, key: Any, compute: Callable[[], Any]) -> Any:
        """``name`` for ``key``: the memoised value, or ``compute()`` kept for it."""
        if not self.has(name, key):
            self._store[name] = (key, compute())
        return self._store[name][1]


class Context:
    """The analyses of one state of the app, each computed on first use and memoised
    across refreshes by what it depends on (the design, the prices, ...)."""

    def __init__(self, inputs: Inputs, memo: Memo) -> None:
        self.inputs = inputs
        self.design = inputs.design
        self.memo = memo
        self.design_key = inputs.design.model_dump_json()
        self.sweep_key = tuple(sorted(inputs.sweep_options.items()))

    def graph(self) -> Any:
        return self.memo.get("graph", self.design_key, lambda: build_graph(self.design))

    def coverage(self) -> Coverage:
        rules = self.inputs.rules
        return self.memo.get(
            "coverage",
            (self.design_key, rules),
            lambda: analyse(self.design, rules, double=True, expand=False),
        )

    def availability(self) -> AvailabilityResult:
        rel, rules = self.inputs.reliability, self.inputs.rules
        return self.memo.get(
            "availability",
            (self.design_key, rel, rules),
            lambda: availability(self.design, rel, rules),
        )

    def bom(self) -> pd.DataFrame:
        cat = self.inputs.catalog
        return self.memo.get(
            "bom", (self.design_key, cat), lambda: bill_of_materials(self.design, cat)
        )

    def findings(self) -> list[Finding]:
        return self.memo.get("findings", self.design_key, lambda: check_design(self.design))

    def tradeoff_table(self) -> pd.DataFrame:
        """:meth:`hvdesign.cost.Sweep.table` of every tier at :data:`TRADEOFF_NODES`
        with the app's options, plus the current design when its node count is not in
        the sweep (the Pareto flags then recomputed over all rows)."""
        inp, opts, okey = self.inputs, self.inputs.sweep_options, self.sweep_key

        def price(sweep: Sweep) -> pd.DataFrame:
            return sweep.table(
                inp.catalog,
                inp.reliability,
                inp.rules,
                downtime_cost_per_hour=inp.downtime_cost_per_hour,
                years=DEFAULT_YEARS,
            )

        sweep = self.memo.get("sweep", okey, lambda: Sweep(TRADEOFF_NODES, options=opts))
        pkey = (okey, inp.catalog, inp.reliability, inp.rules, inp.downtime_cost_per_hour)
        table = self.memo.get("sweep_table", pkey, lambda: price(sweep))
        d = self.design
        if ((table["tier"] == d.tier) & (table["nodes"] == d.nodes)).any():
            return table
        extra = self.memo.get(
            "extra_sweep",
            (okey, d.tier, d.nodes),
            lambda: Sweep([d.nodes], tiers=[d.tier], options=opts),
        )
        both = pd.concat([table, price(extra)], ignore_index=True)
        both["pareto"] = pareto_front(both["capex_usd"], both["vm_downtime_minutes_per_year"])
        both.attrs = dict(table.attrs)
        return both


# --------------------------------------------------------------------- panels


def _html_table(df: pd.DataFrame, css_class: str = "") -> str:
    """``df`` as an escaped HTML table (:func:`hvdesign.report.build.table_html`)."""
    return f'<div class="hv-table {css_class}">{table_html(df)}</div>'


class Panel:
    """One card of the page. Subclasses set ``name``, ``title``, ``note`` and
    ``span`` (``"full"`` or ``"half"`` of the width), build their widgets in
    :meth:`build`, say what they depend on in :meth:`key` and redraw in
    :meth:`update`; the app calls :meth:`refresh`."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    note: ClassVar[str] = ""
    span: ClassVar[str] = "half"

    def __init__(self) -> None:
        self.error = W.HTML()
        head = [W.HTML(f'<div class="hv-card-title">{_esc(self.title)}</div>')]
        if self.note:
            head.append(W.HTML(f'<div class="hv-card-note">{_esc(self.note)}</div>'))
        self.widget = W.VBox([*head, self.error, *self.build()])
        for cls in ("hv-card", f"hv-{self.span}", f"hv-panel-{self.name}"):
            self.widget.add_class(cls)
        self.last_key: Any = None
        self.update_ms = 0.0

    def build(self) -> list[W.Widget]:
        raise NotImplementedError

    def key(self, ctx: Context) -> Any:
        """What the panel shows depends on (default: the design)."""
        return ctx.design_key

    def update(self, ctx: Context) -> None:
        raise NotImplementedError

    def slow(self, ctx: Context) -> bool:
        """Whether updating for ``ctx`` takes long (the app then draws the other
        panels first and this one right after)."""
        return False

    def stale(self, text: str) -> None:
        """Say that the panel is being recomputed (until its next update)."""
        self.error.value = f'<div class="hv-card-note"><i>{_esc(text)}</i></div>'

    def refresh(self, ctx: Context) -> None:
        """Update when what the panel depends on changed; an error shows in red."""
        key = self.key(ctx)
        t0 = time.perf_counter()
        if key != self.last_key:
            try:
                self.update(ctx)
            except HvdesignError as err:
                self.error.value = f'<div class="hv-error">{_esc(str(err))}</div>'
            else:
                self.error.value = ""
                self.last_key = key
        self.update_ms = (time.perf_counter() - t0) * 1e3


class TopologyPanel(Panel):
    name = "topology"
    title = "Topology"
    note = (
        "Hosts with their NIC cards and ports at the top, switches below, the production "
        "core and the iSCSI SAN at the bottom; cables in the guide's colours (production "
        "green, storage red, heartbeat blue, management black). Click a legend entry to "
        "hide a network."
    )
    span = "full"

    def build(self) -> list[W.Widget]:
        self.slot = FigureSlot("hv-fig-topology")
        return [self.slot.box]

    def update(self, ctx: Context) -> None:
        d = ctx.design
        traces, layout = topology_traces(d, ctx.graph(), height=520 if d.nodes <= 16 else 600)
        # The card and the page heading name the design: no title, room for the legend.
        layout.update(title=dict(text=""), margin=dict(l=10, r=10, t=50, b=10))
        self.slot.show(traces, layout, TOPOLOGY_DYNAMIC)


class TradeoffPanel(Panel):
    name = "tradeoff"
    title = "Trade-off of every tier"
    note = (
        "Capital cost against VM-weighted downtime per year (log axis) of every tier at "
        + ", ".join(map(str, TRADEOFF_NODES))
        + " hosts, with this design's options and prices. No design beats one on the "
        "dotted Pareto frontier on both; the red ring is this design."
    )
    span = "full"

    def build(self) -> list[W.Widget]:
        self.slot = FigureSlot("hv-fig-tradeoff")
        self.table: pd.DataFrame | None = None
        return [self.slot.box]

    def key(self, ctx: Context) -> Any:
        inp = ctx.inputs
        return (
            ctx.design_key,
            inp.catalog,
            inp.reliability,
            inp.downtime_cost_per_hour,
            ctx.sweep_key,
        )

    def slow(self, ctx: Context) -> bool:
        # New options rebuild the sweep: every tier's designs counted and their
        # availability computed (about 100 ms). Prices, reliability, the cost of
        # downtime, the node count and the tier only re-price or re-ring it.
        return not ctx.memo.has("sweep", ctx.sweep_key)

    def update(self, ctx: Context) -> None:
        self.table = table = ctx.tradeoff_table()
        new = tradeoff_figure(table, highlight=(ctx.design.tier, ctx.design.nodes))
        new.update_layout(
            height=520,
            title=None,
            margin=dict(t=20, b=50),
            legend=dict(orientation="h", x=0, y=-0.16, yanchor="top", font=dict(size=11)),
        )
        self.slot.show(list(new.data), new.layout, ("x", "y", "hovertext", "showlegend"), ())


class AvailabilityPanel(Panel):
    name = "availability"
    title = "Availability and downtime"
    note = (
        "Steady-state probability that all VMs can run (enough serving hosts, with "
        "quorum), components failing independently with the MTBF and MTTR on the left."
    )

    def build(self) -> list[W.Widget]:
        self.html = W.HTML()
        return [self.html]

    def key(self, ctx: Context) -> Any:
        inp = ctx.inputs
        return (ctx.design_key, inp.reliability, inp.downtime_cost_per_hour)

    def update(self, ctx: Context) -> None:
        r = ctx.availability()
        cost_per_year = downtime_cost(
            r.vm_downtime_minutes_per_year, ctx.inputs.downtime_cost_per_hour, 1.0
        )
        rows = [
            ("availability [0..1]", f"{r.availability:.8f}"),
            ("nines [-log10(1 - availability)]", f"{nines(r.unavailability):.2f}"),
            ("downtime, all VMs not running [minutes/year]", f"{r.downtime_minutes_per_year:,.2f}"),
            ("failover restarts [per year]", f"{r.failover_restarts_per_year:,.3f}"),
            ("VM-weighted downtime [minutes/year]", f"{r.vm_downtime_minutes_per_year:,.2f}"),
            ("expected cost of downtime [USD/year]", f"${cost_per_year:,.0f}"),
        ]
        table = pd.DataFrame(rows, columns=["figure", "value"])
        self.html.value = _html_table(table, "hv-right")


class CoveragePanel(Panel):
    name = "coverage"
    title = "Failure coverage"
    note = (
        "Every single and double component failure: survived (no VM stops), failover "
        "(the VMs of a host restart elsewhere) or outage. Below: the single points of "
        "failure, components whose failure alone is an outage."
    )

    def build(self) -> list[W.Widget]:
        self.slot = FigureSlot("hv-fig-coverage")
        self.spof = W.HTML()
        return [self.slot.box, self.spof]

    def update(self, ctx: Context) -> None:
        cov = ctx.coverage()
        new = coverage_figure(cov)  # always the same three traces: data and title change
        new.update_layout(
            title_text=f"Not an outage: {cov.single_failure_coverage:.1%} of single and "
            f"{cov.double_failure_coverage:.1%} of double failures",
            title_font_size=14,
        )
        self.slot.show(list(new.data), new.layout, ("x", "y", "text", "customdata"), ("title",))
        table = spof_table(cov)
        if table.empty:
            self.spof.value = "<b>No single point of failure.</b>"
            return
        self.spof.value = (
            f"<b>{len(table)} single point(s) of failure</b>"
            f'<div class="hv-scroll">{_html_table(table)}</div>'
        )


class CostPanel(Panel):
    name = "cost"
    title = "Bill of materials"
    note = (
        "What the design buys: quantity x unit price per item, stacked by category. "
        "Prices are the catalog's placeholders unless edited on the left."
    )

    def build(self) -> list[W.Widget]:
        self.slot = FigureSlot("hv-fig-bom")
        self.table = W.HTML()
        return [self.slot.box, self.table]

    def key(self, ctx: Context) -> Any:
        return (ctx.design_key, ctx.inputs.catalog)

    def update(self, ctx: Context) -> None:
        bom = ctx.bom()
        new = bom_figure(bom)  # one bar per item: in place while the items keep their number
        new.update_layout(height=340, margin=dict(t=40, b=40))
        props = ("x", "y", "name", "text", "hovertext", "marker")
        self.slot.show(list(new.data), new.layout, props, ("title",))
        rows = [
            (r.item, r.quantity, f"${r.unit_price_usd:,.0f}", f"${r.total_usd:,.0f}", r.source)
            for r in bom.itertuples()
        ]
        rows.append(("total", "", "", f"${bom['total_usd'].sum():,.0f}", ""))
        columns = ["item", "quantity", "unit price", "total", "price source"]
        self.table.value = _html_table(pd.DataFrame(rows, columns=columns), "hv-bom")


class CountsPanel(Panel):
    name = "counts"
    title = "Counts"
    note = (
        "Connections per host and in all, switch ports and switch units, IP addresses "
        "per subnet: what to order and to plan."
    )

    def build(self) -> list[W.Widget]:
        self.html = W.HTML()
        return [self.html]

    def update(self, ctx: Context) -> None:
        self.html.value = tables_html(counts_tables(ctx.design, ctx.graph()))


class ChecksPanel(Panel):
    name = "checks"
    title = "Design check"
    note = "The guide's best practices applied to this design (as hvdesign check does)."

    def build(self) -> list[W.Widget]:
        self.html = W.HTML()
        return [self.html]

    def update(self, ctx: Context) -> None:
        findings = ctx.findings()
        if not findings:
            self.html.value = "<b>No finding: the design follows every practice checked.</b>"
            return
        self.html.value = (
            '<ul class="hv-findings hv-scroll">'
            + "".join(
                f'<li><span class="hv-sev hv-sev-{_esc(f.severity)}">{_esc(f.severity)}</span>'
                f" <b>{_esc(f.rule)}</b>: {_esc(f.message)}</li>"
                for f in findings
            )
            + "</ul>"
        )


class MultipathPanel(Panel):
    name = "multipath"
    title = "Storage multipathing"
    note = "The guide's advice on MPIO and MCS for this design's storage connections."

    def build(self) -> list[W.Widget]:
        self.html = W.HTML()
        return [self.html]

    def key(self, ctx: Context) -> Any:
        return ctx.design.storage_multipath

    def update(self, ctx: Context) -> None:
        teamed = ctx.design.storage_multipath == "team"
        self.html.value = recommendation_html(recommend(storage_teaming=teamed))


#: The panels of the page, in order. A new panel is a :class:`Panel` subclass above
#: and one line here.
PANELS: tuple[type[Panel], ...] = (
    TopologyPanel,
    TradeoffPanel,
    AvailabilityPanel,
    CoveragePanel,
    CostPanel,
    ChecksPanel,
    CountsPanel,
    MultipathPanel,
)


# --------------------------------------------------------------------- the app


def _running_loop() -> Any:
    """The running asyncio event loop (a kernel's), or None (plain Python)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _control(cls: type, description: str, label_px: int = 120, **kw: Any) -> Any:
    """A sidebar control: its label ``label_px`` wide, the control filling the rest."""
    if cls in (W.IntSlider, W.BoundedFloatText, W.Text):
        kw.setdefault("continuous_update", False)
    return cls(
        description=description,
        style={"description_width": f"{label_px}px"},
        layout=W.Layout(width="100%"),
        **kw,
    )


def _number(value: float, description: str, step: float, low: float = 0.0) -> Any:
    return _control(W.BoundedFloatText, description, value=value, min=low, max=1e9, step=step)


def _section(title: str) -> W.HTML:
    return W.HTML(f"<h4>{_esc(title)}</h4>")


class ExplorerApp(W.VBox):
    """The workbench built by :func:`explorer_app`.

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        ``name``, ``tier``, ``nodes``, one per :data:`OPTION_CONTROLS`, the prices
        ``server``, ``switch``, ``san_base`` [USD], ``host.mtbf_hours``,
        ``host.mttr_hours``, ``switch.mtbf_hours``, ``switch.mttr_hours`` [hours] and
        ``downtime_cost_per_hour`` [USD/hour].
    panels : dict of str to Panel
        The panels of :data:`PANELS`, by name.
    heading, kpis, message, status : ipywidgets.HTML
        The design's title and tier; its key figures; the error of an invalid
        combination (red) or empty; the last export.
    buttons : dict of str to ipywidgets.Button
        ``yaml`` and ``report``.
    downloads : dict of str to DownloadLink
        The links the buttons offer.
    design : Design
        The design shown (the last valid one).
    timings_ms : dict of str to float
        Duration of the last refresh [ms]: ``total``, one entry per panel updated and,
        after a deferred update, ``deferred``.
    """

    def __init__(
        self, tier: str, nodes: int, options: dict[str, Any], export_dir: str | Path
    ) -> None:
        self.export_dir = Path(export_dir)
        self.memo = Memo()
        self.rules = FailureRules()
        self.catalog = load_catalog()
        self.reliability = load_reliability()
        self.design: Design | None = None
        self.inputs: Inputs | None = None
        self.timings_ms: dict[str, float] = {}
        self._busy = False
        self._generation = 0
        requested = {"tier": tier, "nodes": nodes, **options}
        tier = tier if tier in TIERS else DEFAULT_TIER
        self.controls = c = self._build_controls(tier, nodes, {**COMMON_DEFAULTS, **options})
        self.fixed = {k: v for k, v in options.items() if k not in c}
        self.panels = {p.name: p() for p in PANELS}

        self.buttons = {
            "yaml": W.Button(description="Export design (YAML)", layout=W.Layout(width="185px")),
            "report": W.Button(description="Export HTML report", layout=W.Layout(width="175px")),
        }
        self.buttons["yaml"].on_click(lambda _b: self.export_yaml())
        self.buttons["report"].on_click(lambda _b: self.export_report())
        self.downloads = {"yaml": DownloadLink(), "report": DownloadLink()}
        self.heading, self.kpis, self.message, self.status, self.timing = (
            W.HTML() for _ in range(5)
        )
        self.timing.add_class("hv-timing")
        self.status.add_class("hv-status")
        brand = W.HTML(
            '<div class="hv-brand">hvdesign<small>Hyper-V on iSCSI &middot; the '
            "architect&rsquo;s workbench</small></div>"
        )
        topbar = W.HBox(
            [
                brand,
                W.HBox(layout=W.Layout(flex="1 1 auto")),
                self.status,
                self.buttons["yaml"],
                self.downloads["yaml"],
                self.buttons["report"],
                self.downloads["report"],
            ]
        )
        sidebar = W.VBox(
            [
                _section("Design"),
                *(c[k] for k in ("name", "tier", "nodes", *OPTION_CONTROLS)),
                _section("Prices [USD]"),
                *(c[k] for k in ("server", "switch", "san_base")),
                _section("Reliability [hours]"),
                *(c[f"{k}.{f}"] for k, f in RELIABILITY_CONTROLS),
                _section("Cost of downtime [USD/hour]"),
                c["downtime_cost_per_hour"],
            ]
        )
        grid = W.HBox([p.widget for p in self.panels.values()])
        main = W.VBox([self.heading, self.message, self.kpis, grid, self.timing])
        body = W.HBox([sidebar, main])
        for widget, cls in (
            (topbar, "hv-topbar"),
            (sidebar, "hv-sidebar"),
            (grid, "hv-grid"),
            (main, "hv-main"),
            (body, "hv-body"),
        ):
            widget.add_class(cls)
        super().__init__([W.HTML(APP_CSS), FitFigures(), topbar, body])
        self.add_class("hv-app")

        # Show what was asked for; if that is invalid, keep its error and show what
        # the controls hold instead. Drawn at once: FigureSlot creates each figure.
        error = self.refresh(requested, defer=False)
        if error:
            self.refresh(defer=False)
            self._show_error(error)
        for widget in c.values():
            widget.observe(self._on_change, names="value")

    # ----------------------------------------------------------------- controls

    def _build_controls(self, tier: str, nodes: int, values: dict[str, Any]) -> dict[str, Any]:
        cat, rel = self.catalog, self.reliability
        version = values["windows_version"] if values["windows_version"] in NODE_LIMITS else "2019"
        ports = values["switch_ports_per_unit"]
        model, switch = cat.switch(ports) if ports <= max(cat.switches) else (ports, None)
        self._switch_prices = {p: item.price_usd for p, item in cat.switches.items()}
        low, limit, cards = min_nodes(tier), NODE_LIMITS[version], max(cat.nic_cards)
        multipath = [("MPIO", "mpio"), ("MCS", "mcs"), ("NIC team (unsupported)", "team")]
        c: dict[str, Any] = {
            "name": _control(
                W.Text,
                "Name",
                44,
                value=str(values.get("name", "")),
                placeholder="e.g. Contoso production cluster",
            ),
            "tier": _control(
                W.Dropdown,
                "Tier",
                44,
                options=[(f"{t.figure}: {t.title}", t.id) for t in TIERS.values()],
                value=tier,
            ),
            "nodes": _control(
                W.IntSlider, "Hosts", value=max(low, min(int(nodes), limit)), min=low, max=limit
            ),
            "windows_version": _control(
                W.Dropdown, "Windows Server", options=list(NODE_LIMITS), value=version
            ),
            "storage_multipath": _control(
                W.Dropdown,
                "Storage multipath",
                options=multipath,
                value=values["storage_multipath"],
            ),
            "cross_switch_teaming": W.Checkbox(
                value=bool(values["cross_switch_teaming"]),
                description="Production team across both switches",
                indent=False,
                layout=W.Layout(width="100%"),
            ),
            "nic_ports_per_card": _control(
                W.IntSlider,
                "NIC ports per card",
                value=min(values["nic_ports_per_card"], cards),
                min=1,
                max=cards,
            ),
            "san_portals": _control(
                W.IntSlider, "SAN target portals", value=values["san_portals"], min=1, max=16
            ),
            "uplinks_per_switch": _control(
                W.IntSlider, "Core uplinks/switch", value=values["uplinks_per_switch"], min=0, max=8
            ),
            "switch_ports_per_unit": _control(
                W.Dropdown,
                "Switch model",
                options=[(f"{p}-port units", p) for p in sorted({*cat.switches, ports})],
                value=ports,
            ),
            "server": _number(cat.server.price_usd, "Server", 500),
            "switch": _number(switch.price_usd if switch else 0.0, f"Switch ({model} ports)", 500),
            "san_base": _number(cat.san_base.price_usd, "SAN base", 1000),
        }
        for kind, figure in RELIABILITY_CONTROLS:
            label = f"{kind.capitalize()} {figure.split('_')[0].upper()}"
            low = 1.0 if figure == "mtbf_hours" else 0.0
            c[f"{kind}.{figure}"] = _number(rel.figure(kind, figure).value, label, 1, low)
        c["downtime_cost_per_hour"] = _number(DEFAULT_DOWNTIME_COST_PER_HOUR_USD, "Downtime", 1000)
        return c

    def options(self) -> dict[str, Any]:
        """The design options the controls (and the fixed extras) give, ``tier``
        included."""
        c = self.controls
        opts = {**self.fixed, "tier": c["tier"].value, "nodes": c["nodes"].value}
        opts.update({k: c[k].value for k in OPTION_CONTROLS})
        if c["name"].value:
            opts["name"] = c["name"].value
        return opts

    def _on_change(self, change: dict[str, Any]) -> None:
        if self._busy:
            return
        c, owner = self.controls, change["owner"]
        self._busy = True
        try:  # keep the dependent controls consistent before drawing
            if owner in (c["tier"], c["windows_version"]):
                c["nodes"].min = 1
                c["nodes"].max = NODE_LIMITS[c["windows_version"].value]
                c["nodes"].min = min_nodes(c["tier"].value)
            elif owner is c["switch"]:
                model = self.catalog.switch(c["switch_ports_per_unit"].value)[0]
                self._switch_prices[model] = c["switch"].value
            elif owner is c["switch_ports_per_unit"]:
                model = self.catalog.switch(c["switch_ports_per_unit"].value)[0]
                c["switch"].value = self._switch_prices[model]
                c["switch"].description = f"Switch ({model} ports)"
        except HvdesignError as err:  # e.g. no catalog switch that large
            self._show_error(str(err))
            return
        finally:
            self._busy = False
        self.refresh()

    def _show_error(self, text: str) -> None:
        self.message.value = f'<div class="hv-error">Invalid design: {_esc(text)}</div>'

    # ----------------------------------------------------------------- state

    def _current_catalog(self) -> Catalog:
        """The catalog with the edited prices (only those that differ) applied."""
        c, cat = self.controls, self.catalog
        model = cat.switch(c["switch_ports_per_unit"].value)[0]
        edited = {
            "server": (cat.server.price_usd, c["server"].value),
            "san_base": (cat.san_base.price_usd, c["san_base"].value),
            model: (cat.switches[model].price_usd, c["switch"].value),
        }
        overrides: dict[str, Any] = {}
        for item, (old, new) in edited.items():
            if new != old:
                entry = {"price_usd": new, "source": EDITED_SOURCE, "year": None}
                if item == model:
                    overrides["switches"] = {model: entry}
                else:
                    overrides[item] = entry
        key = tuple((str(item), new) for item, (old, new) in edited.items() if new != old)
        return self.memo.get("catalog", key, lambda: merge_catalog(cat, overrides or None))

    def _current_reliability(self) -> Reliability:
        """The reliability with the edited figures (only those that differ) applied."""
        overrides: dict[str, dict[str, Any]] = {}
        for kind, figure in RELIABILITY_CONTROLS:
            value = self.controls[f"{kind}.{figure}"].value
            if value != self.reliability.figure(kind, figure).value:
                overrides.setdefault(kind, {})[figure] = {"value": value, "source": EDITED_SOURCE}
        key = tuple(sorted((k, tuple(sorted(v.items()))) for k, v in overrides.items()))
        return self.memo.get("reliability", str(key), lambda: self.reliability.replace(overrides))

    def _inputs(self, options: dict[str, Any] | None) -> Inputs:
        opts = dict(self.options() if options is None else options)
        design = design_from_tier(opts.pop("tier"), **opts)
        sweep_options = {k: getattr(design, k) for k in OPTION_CONTROLS}
        sweep_options.update({k: v for k, v in self.fixed.items() if k != "name"})
        return Inputs(
            design=design,
            catalog=self._current_catalog(),
            reliability=self._current_reliability(),
            downtime_cost_per_hour=float(self.controls["downtime_cost_per_hour"].value),
            rules=self.rules,
            sweep_options=sweep_options,
        )

    def refresh(self, options: dict[str, Any] | None = None, *, defer: bool = True) -> str | None:
        """Rebuild the design from ``options`` (default: the controls) and update
        every panel whose inputs changed. Returns ``None``, or the error message of an
        invalid combination, which is then shown in red (the panels stay as they were).

        With ``defer`` and a running event loop (a kernel), slow panels (a new sweep of
        every tier) are drawn right after this call returns, so the rest of the page
        does not wait for them; ``timings_ms["deferred"]`` then records their time.
        """
        t0 = time.perf_counter()
        try:
            inputs = self._inputs(options)
        except HvdesignError as err:
            self._show_error(str(err))
            return str(err)
        self.message.value = ""
        self.design, self.inputs = inputs.design, inputs
        self._generation += 1
        ctx = Context(inputs, self.memo)
        loop = _running_loop() if defer else None
        later = [p for p in self.panels.values() if loop is not None and p.slow(ctx)]
        for panel in self.panels.values():
            if panel in later:
                panel.stale("Recomputing every tier with the new options ...")
            else:
                panel.refresh(ctx)
        self._show_heading(ctx)
        self.timings_ms = {p.name: p.update_ms for p in self.panels.values() if p not in later}
        self.timings_ms["total"] = (time.perf_counter() - t0) * 1e3
        self._show_timing()
        if later:
            loop.call_soon(self._refresh_later, later, ctx, self._generation)
        return None

    def _refresh_later(self, panels: list[Panel], ctx: Context, generation: int) -> None:
        """The deferred part of :meth:`refresh` (skipped when a newer refresh came)."""
        if generation != self._generation:
            return
        t0 = time.perf_counter()
        for panel in panels:
            try:
                panel.refresh(ctx)
            except Exception as err:  # a bug: say so in the panel, not in the kernel log
                panel.error.value = f'<div class="hv-error">{_esc(repr(err))}</div>'
        self.timings_ms["deferred"] = (time.perf_counter() - t0) * 1e3
        self._show_timing()

    def _show_timing(self) -> None:
        t = self.timings_ms
        text = f"Last update computed in {t['total']:.0f} ms"
        if "deferred" in t:
            text += f", then the sweep of every tier in {t['deferred']:.0f} ms"
        self.timing.value = (
            f'<span data-update="{self._generation}" data-ms="{t["total"]:.1f}">{text}.</span>'
        )

    def _show_heading(self, ctx: Context) -> None:
        """The design's title and tier, and its key figures as cards."""
        d, info = ctx.design, ctx.design.tier_info
        self.heading.value = (
            f'<div class="hv-heading"><b>{_esc(d.title)}</b> &middot; {_esc(info.figure)}: '
            f"{_esc(info.title)}<br><span>{_esc(info.summary)}</span></div>"
        )
        s = summary(d, ctx.graph())
        r = ctx.availability()
        spofs = len(ctx.coverage().single_points_of_failure)
        levels = [f.severity for f in ctx.findings()]
        n_err, n_warn = levels.count("error"), levels.count("warning")
        cards = [
            (str(d.nodes), "hosts" if d.nodes != 1 else "host", ""),
            (str(s["host_connections_total"]), "host connections", ""),
            (str(s["switch_ports_total"]), "switch ports", ""),
            (str(spofs), "single points of failure", "hv-bad" if spofs else "hv-good"),
            (f"{r.availability:.6f}", "availability", ""),
            (f"{r.vm_downtime_minutes_per_year:,.1f}", "VM downtime [min/year]", ""),
            (f"${ctx.bom()['total_usd'].sum():,.0f}", "capital cost", ""),
            (
                f"{n_err} / {n_warn}",
                "check errors / warnings",
                "hv-bad" if n_err else ("hv-warn" if n_warn else "hv-good"),
            ),
        ]
        self.kpis.value = (
            '<div class="hv-kpis">'
            + "".join(
                f'<div class="hv-kpi {cls}"><b>{_esc(v)}</b><span>{_esc(label)}</span></div>'
                for v, label, cls in cards
            )
            + "</div>"
        )

    # ----------------------------------------------------------------- exports

    def _export_path(self, suffix: str) -> Path:
        self.export_dir.mkdir(parents=True, exist_ok=True)
        return self.export_dir / f"{export_name(self.design)}{suffix}"

    def export_yaml(self) -> Path | None:
        """Save the design file of the design shown in the export folder and offer it
        as a download; returns the path (None on error, shown in the status)."""
        try:
            path = self._export_path(".yaml")
            data = design_to_yaml(self.design).encode("utf-8")
            write_bytes_atomic(path, data, field="export")
        except (HvdesignError, OSError) as err:
            self.status.value = f'<span class="hv-error">Export failed: {_esc(str(err))}</span>'
            return None
        self.downloads["yaml"].offer(data, path.name, "application/x-yaml", f"⬇ {path.name}")
        self.status.value = f"Saved <code>{_esc(str(path))}</code>"
        return path

    def export_report(self) -> Path | None:
        """Write the HTML report of the design shown (:func:`hvdesign.report.build.write_report`,
        a few seconds) to the export folder and offer it as a download; returns the path
        (None on error, shown in the status)."""
        button = self.buttons["report"]
        button.disabled = True
        self.status.value = "Writing the HTML report (a few seconds) ..."
        try:
            path = write_report(self.design, self._export_path(".html"))
            data = path.read_bytes()
        except (HvdesignError, OSError) as err:
            self.status.value = f'<span class="hv-error">Report failed: {_esc(str(err))}</span>'
            return None
        finally:
            button.disabled = False
        self.downloads["report"].offer(data, path.name, "text/html", f"⬇ {path.name}")
        self.status.value = f"Saved <code>{_esc(str(path))}</code>"
        return path


def explorer_app(
    tier: str = DEFAULT_TIER,
    nodes: int = DEFAULT_NODES,
    *,
    export_dir: str | Path = EXPORT_DIR,
    **options: Any,
) -> ExplorerApp:
    """The architect's workbench: one page composing the design controls, prices,
    reliability and cost of downtime with every view of the design (see the module).

    Parameters
    ----------
    tier : str
        The tier to start from (one of :data:`hvdesign.spec.TIERS`).
    nodes : int
        Hosts to start with [hosts].
    export_dir : str or path
        Folder the export buttons save into (created when first used; default
        ``exports`` in the working directory, beside the notebook under Voilà).
    **options
        Starting values of the controlled options (:data:`OPTION_CONTROLS`, ``name``)
        and any other design option, which is then fixed.

    Returns
    -------
    ExplorerApp
        An ``ipywidgets.VBox``: display it (the last line of a notebook cell).
    """
    return ExplorerApp(tier, nodes, options, export_dir)
