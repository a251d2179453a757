"""The interactive failure explorer of the notebooks: pick a design, fail a component
(or two), and see what happens.

Everything shown is computed by the package: the scenario's outcome by
:func:`hvdesign.failures.evaluate_bruteforce` (through
:func:`hvdesign.views.coverage.scenario_traces`), the single points of failure and
the coverage of the design by :func:`hvdesign.failures.analyse`; this module only
wires controls to those functions. An :class:`~hvdesign.errors.HvdesignError` shows as
one red line, never a traceback, and leaves the last valid figures in place.

Widget callbacks do not run in static HTML: the report draws fixed figures instead.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import plotly.graph_objects as go

from hvdesign.errors import HvdesignError
from hvdesign.failures import Coverage, FailureRules, Result, analyse
from hvdesign.spec import NODE_LIMITS, TIERS, Design, design_from_tier, min_nodes
from hvdesign.topology import build_graph
from hvdesign.views.coverage import (
    KIND_LABELS,
    OUTCOME_HEX,
    OUTCOME_MEANING,
    OUTCOME_TEXT_HEX,
    coverage_figure,
    scenario_traces,
    spof_table,
)
from hvdesign.views.html import error_html, esc, percent, table_html
from hvdesign.views.topology import TOPOLOGY_DYNAMIC
from hvdesign.widgets.slot import figure_widget, update_traces

#: The value of the "no component" entry of the component dropdowns.
NONE = ""


_TABLE_STYLE = (
    "<style>.hv-spof table{border-collapse:collapse;font-size:12px}"
    ".hv-spof th,.hv-spof td{border-bottom:1px solid #e5e8ec;padding:3px 8px;"
    "text-align:left;vertical-align:top}</style>"
)


class FailureExplorer(W.VBox):
    """The explorer built by :func:`failure_explorer`.

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        ``tier``, ``nodes``, ``first`` and ``second`` (the failed components; the
        value ``""`` is "(none)").
    topology : plotly.graph_objects.FigureWidget
        The topology with the failed parts greyed, updated in place.
    outcome : ipywidgets.HTML
        The scenario's outcome, VMs down [%] and reason.
    spof : ipywidgets.HTML
        The single points of failure of the design (a table).
    coverage_plot : plotly.graph_objects.FigureWidget
        Outcome shares of every single and double failure of the design [%].
    message : ipywidgets.HTML
        Empty, or the error of the last change (in red).
    design, coverage, result
        The design shown, its :class:`~hvdesign.failures.Coverage` and the
        :class:`~hvdesign.failures.Result` of the scenario shown.
    """

    def __init__(
        self,
        tier: str,
        nodes: int,
        rules: FailureRules | None,
        options: dict[str, Any],
    ):
        self.rules = rules or FailureRules()
        self.options = dict(options)
        self.design: Design | None = None
        self.coverage: Coverage | None = None
        self.result: Result | None = None
        self._G = None
        self._busy = False
        style = {"description_width": "initial"}
        tier_ok = tier in TIERS
        limit = NODE_LIMITS.get(self.options.get("windows_version", "2019"), 64)
        c: dict[str, W.Widget] = {
            "tier": W.Dropdown(
                options=[(f"{t.figure}: {t.title}", t.id) for t in TIERS.values()],
                value=tier if tier_ok else "cluster-redundant-path",
                description="Tier",
                style=style,
                layout=W.Layout(width="420px"),
            ),
            "nodes": W.IntSlider(
                value=max(1, min(nodes, limit)) if isinstance(nodes, int) else 4,
                min=min_nodes(tier) if tier_ok else 2,
                max=limit,
                description="Hosts",
                continuous_update=False,
                style=style,
                layout=W.Layout(width="360px"),
            ),
            "first": W.Dropdown(
                options=[("(none)", NONE)],
                value=NONE,
                description="Fail",
                style=style,
                layout=W.Layout(width="380px"),
            ),
            "second": W.Dropdown(
                options=[("(none)", NONE)],
                value=NONE,
                description="and also",
                style=style,
                layout=W.Layout(width="380px"),
            ),
        }
        self.controls = c
        self.header = W.HTML()
        self.message = W.HTML()
        self.outcome = W.HTML()
        self.spof = W.HTML()
        # The figures are created by the first valid drawing, holding it (see
        # hvdesign.widgets.slot): show what was asked for; if that is invalid, keep
        # its error and show what the controls hold instead.
        self.coverage_plot: go.FigureWidget | None = None
        self.topology: go.FigureWidget | None = None
        error = self._load(tier, nodes)
        if error:
            self._load(c["tier"].value, c["nodes"].value)
            self._show_error(error)
        if self.design is not None:
            self._pick_default()
            self._show_scenario(keep_message=bool(error))
        if self.topology is None:  # nothing valid to draw yet
            self.topology = figure_widget()
        if self.coverage_plot is None:
            self.coverage_plot = figure_widget()
        super().__init__(
            [
                self.header,
                W.HBox([c["tier"], c["nodes"]]),
                W.HBox([c["first"], c["second"]]),
                self.message,
                self.outcome,
                self.topology,
                self.spof,
                self.coverage_plot,
            ]
        )
        c["tier"].observe(self._on_design, names="value")
        c["nodes"].observe(self._on_design, names="value")
        c["first"].observe(self._on_failure, names="value")
        c["second"].observe(self._on_failure, names="value")

    # ----------------------------------------------------------------- state

    @property
    def failed(self) -> list[str]:
        """The components failed in the controls, without "(none)" and repeats."""
        picked = [self.controls["first"].value, self.controls["second"].value]
        return list(dict.fromkeys(p for p in picked if p))

    def _show_error(self, text: str) -> None:
        self.message.value = error_html(text)

    def _load(self, tier: str, nodes: int) -> str | None:
        """Build the design and its coverage; update the header, the dropdowns, the
        single points of failure and the coverage figure. Returns ``None`` or the
        error message (then shown in red, everything else left as it was)."""
        try:
            design = design_from_tier(tier, **{**self.options, "nodes": nodes})
            coverage = analyse(design, self.rules, double=True, expand=False)
            G = build_graph(design)
        except HvdesignError as err:
            self._show_error(str(err))
            return str(err)
        self.message.value = ""
        self.design, self.coverage, self._G = design, coverage, G
        info = design.tier_info
        self.header.value = (
            f"<b>{esc(design.title)}</b> &mdash; {esc(info.figure)}: "
            f"{esc(info.title)}. {esc(info.summary)}"
        )
        spofs = set(coverage.single_points_of_failure)
        choices = [("(none)", NONE)] + [
            (
                f"{s.failed[0]} · {KIND_LABELS[s.kinds[0]]}"
                + (" · single point of failure" if s.failed[0] in spofs else ""),
                s.failed[0],
            )
            for s in coverage.singles
        ]
        valid = {v for _, v in choices}
        self._busy = True
        try:
            c = self.controls
            c["nodes"].max = design.node_limit
            c["nodes"].min = min_nodes(design.tier)
            for key in ("first", "second"):
                old = c[key].value
                c[key].options = choices
                c[key].value = old if old in valid else NONE
        finally:
            self._busy = False
        self._show_spof(coverage)
        self._show_coverage(coverage)
        return None

    def _pick_default(self) -> None:
        """Start with switch A failed (every tier has it)."""
        names = [v for _, v in self.controls["first"].options]
        if not self.controls["first"].value and "switch-a" in names:
            self._busy = True
            try:
                self.controls["first"].value = "switch-a"
            finally:
                self._busy = False

    # ----------------------------------------------------------------- callbacks

    def _on_design(self, change: dict[str, Any]) -> None:
        if self._busy:
            return
        c = self.controls
        self._busy = True
        try:  # keep the node slider within what the tier allows
            c["nodes"].min = min_nodes(c["tier"].value)
        finally:
            self._busy = False
        if self._load(c["tier"].value, c["nodes"].value) is None:
            self._show_scenario()

    def _on_failure(self, change: dict[str, Any]) -> None:
        if not self._busy:
            self._show_scenario()

    def _show_scenario(self, keep_message: bool = False) -> None:
        """Evaluate the picked scenario and update the topology and the outcome box in
        place (the callback of the component dropdowns)."""
        design = self.design
        if design is None:
            return
        failed = self.failed
        try:
            traces, layout, result = scenario_traces(design, failed, self.rules, self._G)
        except HvdesignError as err:
            self._show_error(str(err))
            return
        if not keep_message:
            self.message.value = ""
        self.result = result
        fig = self.topology
        if fig is None:
            self.topology = figure_widget(traces, layout)
        else:
            with fig.batch_update():
                update_traces(fig, traces, TOPOLOGY_DYNAMIC)
                fig.layout.update(layout)
        what = " and ".join(failed) + " down" if failed else "No failure"
        if result.outcome == "outage":
            effect = f"{percent(result.vms_down_fraction)} of VMs down until repair"
        else:
            effect = OUTCOME_MEANING[result.outcome]
        self.outcome.value = (
            f'<div style="border-left:6px solid {OUTCOME_HEX[result.outcome]};'
            f'padding:6px 10px;background:#f7f8fa">'
            f'{esc(what)}: <b style="color:{OUTCOME_TEXT_HEX[result.outcome]}">'
            f"{esc(result.outcome)}</b> ({esc(effect)}) &middot; VMs down: "
            f"{percent(result.vms_down_fraction)}<br><b>Why:</b> {esc(result.reason)}</div>"
        )

    def _show_spof(self, coverage: Coverage) -> None:
        table = spof_table(coverage)
        head = f"Single points of failure of {esc(coverage.design.title)}"
        gap = '<div style="margin-top:8px"></div>'
        if table.empty:
            self.spof.value = (
                f"{gap}<b>{head}:</b> none: every single component failure is survived "
                "or failed over."
            )
            return
        self.spof.value = (
            f"{_TABLE_STYLE}{gap}<b>{head}: {len(table)}</b> "
            "(components whose failure alone is an outage)"
            '<div class="hv-spof" style="max-height:260px;overflow:auto">'
            f"{table_html(table)}</div>"
        )

    def _show_coverage(self, coverage: Coverage) -> None:
        new = coverage_figure(coverage)
        fw = self.coverage_plot
        if fw is None:
            self.coverage_plot = figure_widget(new)
            return
        with fw.batch_update():
            update_traces(fw, new.data, ("x", "y", "text", "customdata"))
            fw.layout = new.layout


def failure_explorer(
    tier: str = "cluster-redundant-path",
    nodes: int = 4,
    *,
    rules: FailureRules | None = None,
    **options: Any,
) -> FailureExplorer:
    """An interactive explorer of failures: pick a tier and the number of hosts, then
    fail a component (or two); the topology greys the failed parts and a box says
    the outcome, the VMs down [%] and why. The design's single points of failure and
    its single- and double-failure coverage [%] are shown below.

    Parameters
    ----------
    tier : str
        The tier to start from (one of :data:`hvdesign.spec.TIERS`).
    nodes : int
        Hosts to start with [hosts].
    rules : FailureRules, optional
        The failure rules (default: :class:`~hvdesign.failures.FailureRules()`).
    **options
        Other design options, fixed for every design shown (e.g. ``name``,
        ``windows_version="2008 R2"``).

    Examples
    --------
    >>> ex = failure_explorer("cluster-redundant-connections", nodes=3)
    >>> ex.controls["first"].value, ex.result.outcome
    ('switch-a', 'outage')
    >>> ex.controls["first"].value = "host2"
    >>> ex.result.outcome
    'failover'
    """
    return FailureExplorer(tier, nodes, rules, options)
