"""The panels of the explorer app: one card of the page each. A panel says what it
depends on (:meth:`Panel.key`) and redraws in :meth:`Panel.update`; the app calls
:meth:`Panel.refresh`, which updates only when the key changed, so moving the node
slider never re-prices the sweep and editing a price never redraws the topology.

Every figure comes from :mod:`hvdesign.views`, every number from the analyses of
:class:`hvdesign.widgets.memo.Context`; user-supplied text is escaped
(:func:`hvdesign.views.html.esc`), tables go through
:func:`hvdesign.views.html.table_html`. Adding a panel is one class and one line of
:data:`PANELS`.

Examples
--------
>>> [p.name for p in PANELS][:4]
['topology', 'workload', 'tradeoff', 'capacity']
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

import ipywidgets as W
import pandas as pd

from hvdesign.cost import TRADEOFF_NODES, downtime_cost, nines
from hvdesign.errors import HvdesignError
from hvdesign.guide import recommend
from hvdesign.report.sections import SERVICE_AVAILABILITY_TEXT, VM_AVAILABILITY_TEXT
from hvdesign.views.cost import (
    CAPACITY_TRADEOFF_TEXT,
    bom_figure,
    bom_table,
    capacity_table,
    capacity_tradeoff_figure,
    tradeoff_figure,
)
from hvdesign.views.coverage import coverage_figure, spof_table
from hvdesign.views.html import error_html, esc, money, number, plural, table_html
from hvdesign.views.sensitivity import birnbaum_table, tornado_figure
from hvdesign.views.tables import counts_tables, tables_html
from hvdesign.views.topology import TOPOLOGY_DYNAMIC, topology_traces
from hvdesign.widgets.memo import Context
from hvdesign.widgets.multipath import recommendation_html
from hvdesign.widgets.slot import FigureSlot


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
        head = [W.HTML(f'<div class="hv-card-title">{esc(self.title)}</div>')]
        if self.note:
            head.append(W.HTML(f'<div class="hv-card-note">{esc(self.note)}</div>'))
        self.widget = W.VBox([*head, self.error, *self.build()])
        for cls in ("hv-card", f"hv-{self.span}", f"hv-panel-{self.name}"):
            self.widget.add_class(cls)
        self.last_key: Any = None
        self.update_ms = 0.0

    def build(self) -> list[W.Widget]:
        """The panel's widgets below its title and note."""
        raise NotImplementedError

    def key(self, ctx: Context) -> Any:
        """What the panel shows depends on (default: the design)."""
        return ctx.design_key

    def update(self, ctx: Context) -> None:
        """Redraw for ``ctx`` (called when :meth:`key` changed)."""
        raise NotImplementedError

    def slow(self, ctx: Context) -> bool:
        """Whether updating for ``ctx`` takes long (the app then draws the other
        panels first and this one right after)."""
        return False

    def stale(self, text: str) -> None:
        """Say that the panel is being recomputed (until its next update)."""
        self.error.value = f'<div class="hv-card-note"><i>{esc(text)}</i></div>'

    def refresh(self, ctx: Context) -> None:
        """Update when what the panel depends on changed; an error shows in red."""
        key = self.key(ctx)
        t0 = time.perf_counter()
        if key != self.last_key:
            try:
                self.update(ctx)
            except HvdesignError as err:
                self.error.value = error_html(err)
            else:
                self.error.value = ""
                self.last_key = key
        self.update_ms = (time.perf_counter() - t0) * 1e3


class TopologyPanel(Panel):
    """The design's topology (:func:`hvdesign.views.topology.topology_traces`)."""

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
    """Capital cost against downtime of every tier, this design ringed (:func:`hvdesign.cost.tradeoff`)."""

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
            inp.rules,
            inp.downtime_cost_per_hour,
            inp.years,
            ctx.sweep_key,
        )

    def slow(self, ctx: Context) -> bool:
        # New options rebuild the sweep: every tier's designs counted and their
        # availability computed (about 100 ms). Prices, reliability, the cost of
        # downtime, the node count and the tier only re-price or re-ring it.
        return not ctx.swept()

    def update(self, ctx: Context) -> None:
        self.table = table = ctx.tradeoff_table()
        new = tradeoff_figure(table, highlight=(ctx.design.tier, ctx.design.nodes))
        new.update_layout(
            height=520,
            title=None,
            margin=dict(t=20, b=50),
            legend=dict(orientation="h", x=0, y=-0.16, yanchor="top", font=dict(size=11)),
        )
        props = ("x", "y", "hovertext", "showlegend")
        self.slot.show(list(new.data), new.layout, props, ("yaxis",))  # log ticks follow


class AvailabilityPanel(Panel):
    """Both availability figures (service and VM), nines, downtime and its cost per year."""

    name = "availability"
    title = "Availability and downtime"
    note = (
        f"{SERVICE_AVAILABILITY_TEXT} {VM_AVAILABILITY_TEXT} Steady state, components "
        "failing independently with the MTBF and MTTR on the left, under the failure "
        "rules on the left; the trade-off, total cost and cost of downtime use the VM "
        "figure."
    )

    def build(self) -> list[W.Widget]:
        self.html = W.HTML()
        return [self.html]

    def key(self, ctx: Context) -> Any:
        inp = ctx.inputs
        return (ctx.design_key, inp.reliability, inp.rules, inp.downtime_cost_per_hour)

    def update(self, ctx: Context) -> None:
        r = ctx.availability()
        cost_per_year = downtime_cost(
            r.vm_downtime_minutes_per_year, ctx.inputs.downtime_cost_per_hour, 1.0
        )
        rows = [
            ("service availability: every VM runs [0..1]", f"{r.availability:.8f}"),
            ("service nines [-log10(1 - availability)]", f"{nines(r.unavailability):.2f}"),
            (
                "service downtime, not every VM running [minutes/year]",
                f"{r.downtime_minutes_per_year:,.2f}",
            ),
            ("VM availability: share of VM-time running [0..1]", f"{r.vm_availability:.8f}"),
            ("failover restarts [per year]", f"{r.failover_restarts_per_year:,.3f}"),
            ("VM downtime, an average VM [minutes/year]", f"{r.vm_downtime_minutes_per_year:,.2f}"),
            ("expected cost of downtime [USD/year]", f"${cost_per_year:,.0f}"),
        ]
        table = pd.DataFrame(rows, columns=["figure", "value"])
        self.html.value = table_html(table, css_class="hv-right")


class CoveragePanel(Panel):
    """Failure coverage of every single and double failure, and the single points of failure."""

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
        self.spof.value = f"<b>{plural(len(table), 'single point')} of failure</b>" + table_html(
            table, css_class="hv-scroll"
        )


class CostPanel(Panel):
    """The bill of materials as a stacked bar and a table [USD]."""

    name = "cost"
    title = "Bill of materials"
    span = "full"  # the table's six columns unclipped at 1366 px
    note = (
        "What the design buys: quantity x unit price per item, stacked by category. "
        "Prices are the catalog's placeholders unless edited on the left."
    )

    def build(self) -> list[W.Widget]:
        self.slot = FigureSlot("hv-fig-bom")
        self.table = W.HTML()
        return [self.slot.box, self.table]

    def key(self, ctx: Context) -> Any:
        sf = ctx.inputs.scenario
        econ = None if sf is None else (sf.economics.power_usd_per_kwh, sf.economics.pue)
        return (ctx.design_key, ctx.inputs.catalog, ctx.workload(), econ)

    def update(self, ctx: Context) -> None:
        bom = ctx.bom()
        new = bom_figure(bom)  # one bar per item: in place while the items keep their number
        new.update_layout(height=340, margin=dict(t=40, b=40))
        props = ("x", "y", "name", "text", "hovertext", "marker")
        self.slot.show(list(new.data), new.layout, props, ("title",))
        self.table.value = table_html(bom_table(bom), css_class="hv-bom")


class CountsPanel(Panel):
    """Connections, switch ports and IP addresses (:func:`hvdesign.views.tables.counts_tables`)."""

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
    """The check findings (:func:`hvdesign.checks.check_design`)."""

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
                f'<li><span class="hv-sev hv-sev-{esc(f.severity)}">{esc(f.severity)}</span>'
                f" <b>{esc(f.rule)}</b>: {esc(f.message)}</li>"
                for f in findings
            )
            + "</ul>"
        )


class MultipathPanel(Panel):
    """The guide's multipath advice for the design's storage connections."""

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


def _money_rows(ctx: Context) -> list[tuple[str, str]]:
    k = ctx.costs()
    years = k["years"]
    return [
        ("capital cost (capex) [USD]", money(k["capex_usd"])),
        (
            "running cost (opex: power, support, subscriptions) [USD/year]",
            money(k["opex_usd_per_year"]),
        ),
        (f"expected cost of VM downtime over {years:g} years [USD]", money(k["downtime_cost_usd"])),
        (
            f"total cost = capex + opex x {years:g} years + downtime cost [USD]",
            money(k["total_cost_usd"]),
        ),
    ]


class WorkloadPanel(Panel):
    """The workload, the hosts it needs (:func:`hvdesign.sizing.size`) and which node
    count is in force; the capex, opex and total cost of the design."""

    name = "workload"
    title = "Workload, sizing and total cost"
    note = (
        "VMs per host = min(floor((host memory - reserved) / memory per VM), floor(cores x "
        "vCPU per core / vCPU per VM)); hosts = ceil(VMs / VMs per host) + the reserve "
        "(standalone servers: no reserve). Total cost = capex + opex x years + the "
        "expected cost of VM downtime."
    )

    def build(self) -> list[W.Widget]:
        self.html = W.HTML()
        return [self.html]

    def key(self, ctx: Context) -> Any:
        return ctx.scenario_key()

    def update(self, ctx: Context) -> None:
        w, d = ctx.workload(), ctx.design
        rows: list[tuple[str, str]] = []
        if w is None:
            head = (
                f"<p><b>{plural(d.nodes, 'host')}, set by hand</b>: no workload (choose "
                "<i>Hosts sized from the workload</i> on the left to size them).</p>"
            )
        else:
            s = ctx.sizing()
            auto = ctx.inputs.scenario is not None and ctx.inputs.scenario.auto_nodes
            if isinstance(s, HvdesignError):
                head = f"<p><b>{plural(d.nodes, 'host')}, set by hand</b>.</p>" + error_html(s)
            else:
                if auto:
                    state = "sized from the workload"
                elif s.nodes == d.nodes:
                    state = "set by hand (the workload needs as many)"
                else:
                    fit = "the VMs do not all fit" if d.nodes < s.nodes else "more than needed"
                    state = f"set by hand: the workload needs {s.nodes} ({fit})"
                head = f'<p data-in-force="{"auto" if auto else "manual"}"><b>{plural(d.nodes, "host")}, {esc(state)}</b>.</p>'
                rows = [
                    ("VMs [VMs]", number(w.vms)),
                    ("server model", esc(s.server) + f" ({s.cores} cores, {s.memory_gb:,.0f} GB)"),
                    ("VMs per host [VMs]", str(s.vms_per_host)),
                    ("limited by", s.limited_by),
                    ("hosts the workload needs [hosts]", f"{s.nodes} (reserve {s.reserve})"),
                    ("CPU utilisation, all hosts up [0..1]", f"{s.cpu_utilisation:.2f}"),
                    ("memory utilisation, all hosts up [0..1]", f"{s.memory_utilisation:.2f}"),
                    ("SAN capacity needed [TB]", f"{s.san_usable_tb:,.1f}"),
                ]
        table = pd.DataFrame(rows + _money_rows(ctx), columns=["figure", "value"])
        self.html.value = head + table_html(table, css_class="hv-right")


class CapacityPanel(Panel):
    """Every tier on every server model sized for the same workload
    (:func:`hvdesign.sizing.compare_scenario`): total cost against VM downtime."""

    name = "capacity"
    title = "Trade-off at equal capacity"
    span = "full"

    def build(self) -> list[W.Widget]:
        self.slot = FigureSlot("hv-fig-capacity")
        self.sentence = W.HTML(f'<div class="hv-card-note">{esc(CAPACITY_TRADEOFF_TEXT)}</div>')
        self.html = W.HTML()
        self.table: pd.DataFrame | None = None
        return [self.slot.box, self.sentence, self.html]

    def key(self, ctx: Context) -> Any:
        w = ctx.workload()
        return None if w is None else (ctx.capacity_key(), ctx.design.tier, ctx.design.nodes)

    def slow(self, ctx: Context) -> bool:
        # Every tier on every server model rated: 30 to 80 ms, about 0.3 s the first time.
        return ctx.workload() is not None and not ctx.memo.has("capacity", ctx.capacity_key())

    def update(self, ctx: Context) -> None:
        if ctx.workload() is None:
            self.table = None
            self.slot.box.layout.display = self.sentence.layout.display = "none"
            self.html.value = (
                "<i>No workload: choose a workload on the left (Hosts sized from the "
                "workload) to compare every tier carrying the same VMs.</i>"
            )
            return
        self.slot.box.layout.display = self.sentence.layout.display = ""
        self.table = df = ctx.capacity()
        s = ctx.sizing()
        ring = None if isinstance(s, HvdesignError) else (s.tier, s.server)
        new = capacity_tradeoff_figure(df, highlight=ring)
        new.update_layout(
            margin=dict(t=70, b=50),
            legend=dict(orientation="h", x=0, y=-0.16, yanchor="top", font=dict(size=11)),
            height=620,
        )
        props = ("x", "y", "text", "hovertext", "showlegend")
        # the title (the workload) and the log ticks follow; a whole layout costs 300 ms
        self.slot.show(list(new.data), new.layout, props, ("title", "yaxis"))
        refused = df.attrs.get("refused") or []
        extra = "".join(f"<li>{esc(r)}</li>" for r in refused)
        self.html.value = table_html(capacity_table(df), css_class="hv-scroll hv-capacity") + (
            f"<p><b>Cannot carry the workload:</b></p><ul>{extra}</ul>" if extra else ""
        )


class SensitivityPanel(Panel):
    """The tornado chart and the Birnbaum importance of the scenario
    (:func:`hvdesign.sensitivity.sensitivity`), computed when its button is pressed
    (about 2 to 3 s: too slow for every edit)."""

    name = "sensitivity"
    title = "Which input matters"
    note = (
        "Each input (MTBF and MTTR per component kind, failover minutes, prices, power "
        "price, cost of downtime) moved to half and to twice its value, the others "
        "unchanged: the bars are the VM downtime and the total cost that gives, ranked by "
        "the swing of the total cost; the dotted line is this design. Below: the Birnbaum "
        "importance of each component kind (how much the availability gains per unit of "
        "the kind's availability)."
    )
    span = "full"

    def build(self) -> list[W.Widget]:
        self.button = W.Button(
            description="Compute the sensitivity", layout=W.Layout(width="220px")
        )
        self.button.add_class("hv-sensitivity-button")
        self.button.on_click(lambda _b: self.compute())
        self.state = W.HTML()
        self.slot = FigureSlot("hv-fig-tornado")
        self.html = W.HTML()
        self.ctx: Context | None = None
        self.table: pd.DataFrame | None = None
        self.compute_ms = 0.0
        return [W.HBox([self.button, self.state]), self.slot.box, self.html]

    def key(self, ctx: Context) -> Any:
        return ctx.scenario_key()

    def update(self, ctx: Context) -> None:
        self.ctx = ctx
        if ctx.has_sensitivity():
            self._draw(ctx.sensitivity())
        elif self.table is not None:
            self.state.value = (
                "<i>The scenario changed: the chart below is of an earlier one. Press the "
                "button to recompute.</i>"
            )
        else:
            self.state.value = "<i>Press the button to compute (a few seconds).</i>"

    def compute(self) -> pd.DataFrame | None:
        """Compute the sensitivity of the scenario shown and draw it; returns its
        table (None before the first refresh or on an error, shown in red)."""
        if self.ctx is None:
            return None
        self.button.disabled = True
        t0 = time.perf_counter()
        try:
            table = self.ctx.sensitivity()
        except HvdesignError as err:
            self.error.value = error_html(err)
            return None
        finally:
            self.button.disabled = False
        self.compute_ms = (time.perf_counter() - t0) * 1e3
        self._draw(table)
        return table

    def _draw(self, table: pd.DataFrame) -> None:
        self.table = table
        new = tornado_figure(table)
        keys = ("title", "shapes", "xaxis", "xaxis2", "height")  # the base lines move
        self.slot.show(list(new.data), new.layout, ("x", "y", "base", "hovertext"), keys)
        self.state.value = (
            f"<i>Computed in {self.compute_ms:,.0f} ms.</i>" if self.compute_ms else ""
        )
        self.html.value = "<b>Birnbaum importance</b>" + table_html(birnbaum_table(table))


#: The panels of the page, in order. A new panel is a :class:`Panel` subclass above
#: and one line here.
PANELS: tuple[type[Panel], ...] = (
    TopologyPanel,
    WorkloadPanel,
    TradeoffPanel,
    CapacityPanel,
    AvailabilityPanel,
    CoveragePanel,
    CostPanel,
    ChecksPanel,
    CountsPanel,
    MultipathPanel,
    SensitivityPanel,
)
