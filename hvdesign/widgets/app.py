"""The architect's workbench: one page where every trade-off of a design is a control
away, served as a web app by Voilà (``make app``, ``notebooks/00_explorer.ipynb``),
and the editor of a scenario file (domain.md §8).

On the left, a scenario file to load (an upload control), the design (name, tier,
hosts, Windows Server version and the options that shape the layout), the workload
(none, hosts sized from it or set by hand; VMs, vCPU, memory and storage per VM, the
server model), the key prices (server, switch, SAN base), the reliability of hosts and
switches (MTBF, MTTR), the failure rules (reserve hosts, quorum) and the economics
(cost of downtime, horizon, power price, PUE). On the right, at once: the key figures
(capex, opex a year, total cost among them), the topology in the guide's colours, the
workload panel (VMs per host, what limits them, which node count is in force, capex,
opex and total cost), the trade-off of every tier (capital cost against VM-weighted downtime, Pareto frontier,
this design ringed), the trade-off at equal capacity (every tier on every server
model sized for the workload: :func:`hvdesign.sizing.compare_scenario`), both
availability figures (service and VM, each with the sentence
saying which is which), failure coverage with the single points of failure, the bill
of materials, the counts, the check findings, the multipath advice and the tornado
chart with the Birnbaum importance (:func:`hvdesign.sensitivity.sensitivity`, one to
three seconds: computed when its panel's button is pressed). Two buttons
export the scenario on screen, with every edit: as a scenario file
(:func:`hvdesign.scenariofile.scenario_to_yaml`) and as the HTML report
(:func:`hvdesign.report.build.write_report` of the same
:class:`~hvdesign.scenariofile.ScenarioFile`), saved in an ``exports/`` folder beside
the notebook and offered as download links.

Everything shown is computed by the package and drawn by its figure functions; this
module (the shell: layout, refresh, upload and exports) only composes them, with
:mod:`hvdesign.widgets.editor` (the controls, read as a scenario and set from one),
:mod:`hvdesign.widgets.panels` (the cards), :mod:`hvdesign.widgets.memo` (the derived
state, the trade-off being :func:`hvdesign.cost.tradeoff`) and
:mod:`hvdesign.widgets.assets` (style and browser code, files under ``static/``);
:mod:`hvdesign.widgets.serve` serves it (``make app``). The page is a list of panels
(:data:`PANELS`): each panel is a small class with a ``key`` (what it depends on) and
an ``update``; the app calls ``update`` only when the key changed, so moving the node
slider never re-computes the sweep of every tier and editing a price never redraws
the topology. Figures are ``go.FigureWidget`` updated in place (``batch_update``).

Bad input in any field (host MTBF -5, 40 hosts on Windows Server 2008 R2, a malformed
file) shows the :class:`~hvdesign.errors.HvdesignError` line next to the field, naming
the field and what is allowed, and at the top of the page; the last valid figures stay
on screen. Nothing is clamped or changed silently. Every user-supplied string (the
design's name above all) is escaped.

Examples
--------
>>> app = explorer_app(nodes=4)
>>> app.controls["nodes"].value = 8
>>> app.design.nodes, app.message.value
(8, '')
>>> app.controls["host.mtbf_hours"].value = -5
>>> app.design.nodes, app.inputs.reliability.mtbf_hours("host") > 0
(8, True)
>>> print(app.field_errors["host.mtbf_hours"].value)  # doctest: +ELLIPSIS
<div class="hv-field-error">reliability.host.mtbf_hours: -5.0 is not valid; allowed: a positive number of hours...</div>
"""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path
from typing import Any

import ipywidgets as W

from hvdesign.cost import TRADEOFF_NODES, shared_options
from hvdesign.counts import summary
from hvdesign.datafiles import write_bytes_atomic
from hvdesign.errors import HvdesignError
from hvdesign.report.build import write_report
from hvdesign.report.sections import SERVICE_AVAILABILITY_TEXT, VM_AVAILABILITY_TEXT
from hvdesign.scenariofile import ScenarioFile, scenario_from_dict, scenario_to_yaml
from hvdesign.spec import COMMON_DEFAULTS, NODE_LIMITS, TIERS, Design, min_nodes
from hvdesign.views.html import error_html, esc
from hvdesign.widgets.assets import DownloadLink, FitFigures, app_style
from hvdesign.widgets.editor import (
    ECONOMICS_CONTROLS,
    EDITED_SOURCE,
    OPTION_CONTROLS,
    RELIABILITY_CONTROLS,
    RULE_CONTROLS,
    WORKLOAD_CONTROLS,
    WORKLOAD_SIDEBAR,
    build_controls,
    control_of,
    field_error_html,
    number_readouts,
    parse_scenario,
    read_scenario,
    set_design_values,
    set_scenario_values,
    switch_model,
    uploaded_file,
)
from hvdesign.widgets.memo import Context, Inputs, Memo
from hvdesign.widgets.panels import PANELS, Panel

__all__ = [
    "DEFAULT_NODES",
    "DEFAULT_TIER",
    "EDITED_SOURCE",
    "EXPORT_DIR",
    "OPTION_CONTROLS",
    "PANELS",
    "RELIABILITY_CONTROLS",
    "TRADEOFF_NODES",
    "Context",
    "DownloadLink",
    "ExplorerApp",
    "FitFigures",
    "Inputs",
    "Memo",
    "Panel",
    "explorer_app",
    "export_name",
]

#: What the opex card's tooltip says.
OPEX_TIP = "Running costs a year: power (with the PUE), hardware support, licence subscriptions."

#: The design the app opens with.
DEFAULT_TIER = "cluster-redundant-path"
DEFAULT_NODES = 4

#: Where the export buttons save their files (relative to the working directory,
#: which Voilà sets to the notebook's folder).
EXPORT_DIR = "exports"


def export_name(design: Design) -> str:
    """A safe file name stem for ``design``'s exports: its name (or tier and node
    count) in lower case, letters, digits and hyphens only.

    >>> from hvdesign.spec import design_from_tier
    >>> export_name(design_from_tier("cluster-minimal", nodes=3))
    'cluster-minimal-3-nodes'
    >>> export_name(design_from_tier("cluster-minimal", nodes=3, name="<script>alert(1)</script>"))
    'script-alert-1-script'
    """
    base = design.name or f"{design.tier}-{design.nodes}-nodes"
    stem = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")
    return stem[:80] or "design"


# --------------------------------------------------------------------- the app


def _running_loop() -> Any:
    """The running asyncio event loop (a kernel's), or None (plain Python)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _section(title: str) -> W.HTML:
    return W.HTML(f"<h4>{esc(title)}</h4>")


#: The sidebar's sections: (title, control keys).
SIDEBAR: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Design", ("name", "tier", "nodes", *OPTION_CONTROLS)),
    ("Workload", WORKLOAD_SIDEBAR),
    ("Prices [USD]", ("server", "switch", "san_base")),
    ("Reliability [hours]", tuple(f"{k}.{f}" for k, f in RELIABILITY_CONTROLS)),
    ("Failure rules", RULE_CONTROLS),
    ("Economics", tuple(k for k, _f in ECONOMICS_CONTROLS)),
)


class ExplorerApp(W.VBox):
    """The workbench built by :func:`explorer_app`.

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        ``name``, ``tier``, ``nodes``, one per :data:`OPTION_CONTROLS`, the prices
        ``server``, ``switch``, ``san_base`` [USD], ``host.mtbf_hours``,
        ``host.mttr_hours``, ``switch.mtbf_hours``, ``switch.mttr_hours`` [hours], the
        rules ``reserve`` [hosts] and ``quorum``, ``downtime_cost_per_hour``
        [USD/hour], ``years`` [years], ``power_usd_per_kwh`` [USD/kWh], ``pue``, and
        the workload's ``sizing`` (``none``, ``auto``: hosts sized from it, moving the
        hosts slider makes it ``manual``), ``vms``, ``vcpus_per_vm``,
        ``memory_gb_per_vm`` [GB], ``storage_gb_per_vm`` [GB] and ``server_model``.
    field_errors : dict of str to ipywidgets.HTML
        Beside each control: the error of its last value (hidden when empty).
    upload : ipywidgets.FileUpload
        Loads a scenario file (:meth:`load_file`); ``upload_message`` says how it went.
    panels : dict of str to Panel
        The panels of :data:`PANELS`, by name.
    heading, kpis, message, status : ipywidgets.HTML
        The design's title and tier; its key figures; the errors of the last input
        (red) or empty; the last export.
    buttons : dict of str to ipywidgets.Button
        ``yaml`` and ``report``.
    downloads : dict of str to DownloadLink
        The links the buttons offer.
    base : ScenarioFile
        The scenario loaded last (the shipped defaults at first): the prices,
        reliability and rules the controls edit.
    scenario : ScenarioFile
        The scenario shown (the last valid one): what both exports write.
    design : Design
        Its design.
    timings_ms : dict of str to float
        Duration of the last refresh [ms]: ``total``, one entry per panel updated and,
        after a deferred update, ``deferred``.
    """

    def __init__(
        self, tier: str, nodes: int, options: dict[str, Any], export_dir: str | Path
    ) -> None:
        self.export_dir = Path(export_dir)
        self.memo = Memo()
        self.base = scenario_from_dict({"tier": DEFAULT_TIER})
        self.scenario: ScenarioFile | None = None
        self.design: Design | None = None
        self.inputs: Inputs | None = None
        self.timings_ms: dict[str, float] = {}
        self._busy = False
        self._generation = 0
        requested = {"tier": tier, "nodes": nodes, **options}
        self.controls = c = build_controls(self.base, self._start_values(tier, nodes, options))
        self.fixed = {k: v for k, v in options.items() if k not in c}
        self._switch_prices = {p: item.price_usd for p, item in self.base.catalog.switches.items()}
        self._server_prices: dict[str, float] = {}  # edited price per server model
        self.field_errors = {k: self._error_box() for k in c}
        self.readouts = number_readouts(c)  # 175,320 hours under a field showing 175320
        self.panels = {p.name: p() for p in PANELS}

        self.upload = W.FileUpload(
            accept=".yaml,.yml", multiple=False, description="Load scenario (YAML)"
        )
        self.upload.add_class("hv-upload")
        self.upload_message = W.HTML()
        self.buttons = {
            "yaml": W.Button(description="Export scenario (YAML)", layout=W.Layout(width="190px")),
            "report": W.Button(description="Export HTML report", layout=W.Layout(width="175px")),
            "drawio": W.Button(description="Export draw.io", layout=W.Layout(width="130px")),
        }
        self.buttons["yaml"].on_click(lambda _b: self.export_yaml())
        self.buttons["report"].on_click(lambda _b: self.export_report())
        self.buttons["drawio"].on_click(lambda _b: self.export_drawio())
        self.downloads = {
            "yaml": DownloadLink(),
            "report": DownloadLink(),
            "drawio": DownloadLink(),
        }
        self.heading, self.kpis, self.message, self.status, self.timing = (
            W.HTML() for _ in range(5)
        )
        self.timing.add_class("hv-timing")
        self.status.add_class("hv-status")
        self.message.add_class("hv-message")
        super().__init__([W.HTML(app_style()), FitFigures(), *self._layout()])
        self.add_class("hv-app")

        # Show what was asked for; if that is invalid, keep its error and show what
        # the controls hold instead. Drawn at once: FigureSlot creates each figure.
        error = self.refresh(requested, defer=False)
        if error:
            self.refresh(defer=False)
            self.message.value = "".join(
                error_html(f"Not applied: {line}") for line in error.splitlines()
            )
        for widget in c.values():
            widget.observe(self._on_change, names="value")
        self.upload.observe(self._on_upload, names="value")

    @staticmethod
    def _start_values(tier: str, nodes: int, options: dict[str, Any]) -> dict[str, Any]:
        """What the controls start with: the request, moved into what the model allows
        (the request itself is shown first, with its error, when it is not)."""
        values = {**COMMON_DEFAULTS, **options}
        values["tier"] = tier = tier if tier in TIERS else DEFAULT_TIER
        version = values["windows_version"]
        limit = NODE_LIMITS.get(version, max(NODE_LIMITS.values()))
        values["nodes"] = max(min_nodes(tier), min(int(nodes), limit))
        return values

    @staticmethod
    def _error_box() -> W.HTML:
        box = W.HTML(layout=W.Layout(display="none"))
        box.add_class("hv-ferr")
        return box

    def _layout(self) -> list[W.Widget]:
        c = self.controls
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
                self.buttons["drawio"],
                self.downloads["drawio"],
            ]
        )
        items: list[W.Widget] = [_section("Scenario file"), self.upload, self.upload_message]
        for title, keys in SIDEBAR:
            items.append(_section(title))
            for key in keys:
                readout = [self.readouts[key]] if key in self.readouts else []
                items += [c[key], *readout, self.field_errors[key]]
        sidebar = W.VBox(items)
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
        return [topbar, body]

    # ----------------------------------------------------------------- controls

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
        cat = self.base.catalog
        model = switch_model(cat, int(c["switch_ports_per_unit"].value))[0]
        if owner is c["nodes"] and c["sizing"].value == "auto":
            self._set_quietly("sizing", "manual")  # the manual override
        elif owner in (c["server_model"], c["sizing"]):  # the model's price, as last edited
            name = self._server_model()
            server = cat.servers[name] if name else cat.server
            self._set_quietly("server", self._server_prices.get(name, server.price_usd))
        elif owner is c["server"]:
            self._server_prices[self._server_model()] = c["server"].value
        if owner is c["switch"]:
            self._switch_prices[model] = c["switch"].value
        elif owner is c["switch_ports_per_unit"] and model in self._switch_prices:
            self._busy = True
            try:  # the price of the newly chosen model (as last edited)
                c["switch"].value = self._switch_prices[model]
                c["switch"].description = f"Switch ({model} ports)"
            finally:
                self._busy = False
        self.refresh()

    def _server_model(self) -> str:
        """The server model in force ("": the catalog's server, no workload)."""
        c = self.controls
        return str(c["server_model"].value) if c["sizing"].value != "none" else ""

    def _set_quietly(self, key: str, value: Any) -> None:
        """Set a control without refreshing (the caller refreshes)."""
        self._busy = True
        try:
            self.controls[key].value = value
        finally:
            self._busy = False

    def _show_errors(self, errors: list[HvdesignError]) -> str:
        """Each error next to its field and all at the top; returns the text."""
        for box in self.field_errors.values():
            box.value, box.layout.display = "", "none"
        for err in errors:
            key = control_of(err.field)
            if key in self.field_errors:
                box = self.field_errors[key]
                box.value += field_error_html(err)
                box.layout.display = ""
        text = "\n".join(str(e) for e in errors)
        shown = "" if self.scenario is None else " (the figures are the last valid ones)"
        self.message.value = "".join(error_html(f"Not applied{shown}: {e}") for e in errors)
        return text

    def _clear_errors(self) -> None:
        for box in self.field_errors.values():
            if box.value:
                box.value, box.layout.display = "", "none"
        self.message.value = ""

    # ----------------------------------------------------------------- loading

    def _on_upload(self, change: dict[str, Any]) -> None:
        if self._busy:
            return
        got = uploaded_file(change["new"])
        if got is not None:
            self.load_file(*got)
            self._busy = True
            try:  # empty again, so the same file can be loaded after an edit
                self.upload.value = ()
            finally:
                self._busy = False

    def load_file(self, name: str, content: bytes) -> str | None:
        """Load the scenario file ``name`` (its ``content``): every control takes its
        values and the page shows it. Returns None, or the error (shown beside the
        upload control; the controls and figures are then left as they were)."""
        try:
            sf, fixed = parse_scenario(name, content)
        except HvdesignError as err:
            self.upload_message.value = error_html(str(err))
            return str(err)
        self.load_scenario(sf, fixed)
        self.upload_message.value = f"Loaded <code>{esc(name)}</code>"
        return None

    def load_scenario(self, sf: ScenarioFile, fixed: dict[str, Any] | None = None) -> None:
        """Show ``sf``: its design options, prices, reliability, rules and economics
        in the controls (``fixed``: design options without a control, kept)."""
        self.base, self.fixed = sf, dict(fixed or {})
        self._switch_prices = {p: item.price_usd for p, item in sf.catalog.switches.items()}
        self._server_prices = {}
        self._busy = True
        try:
            set_design_values(self.controls, sf, sf.catalog)
            set_scenario_values(self.controls, sf)
        finally:
            self._busy = False
        self.refresh()

    # ----------------------------------------------------------------- state

    def _inputs(self, options: dict[str, Any] | None) -> tuple[Inputs | None, list[HvdesignError]]:
        opts = dict(self.options() if options is None else options)
        sf, errors = read_scenario(
            self.controls, opts, self.base, self._switch_prices, self.memo.get
        )
        if sf is None:
            return None, errors
        inputs = Inputs(
            design=sf.design,
            catalog=sf.catalog,
            reliability=sf.reliability,
            downtime_cost_per_hour=sf.economics.downtime_cost_per_hour_usd,
            rules=sf.rules,
            sweep_options=shared_options(sf.design),
            years=sf.economics.years,
            scenario=sf,
        )
        return inputs, []

    def refresh(self, options: dict[str, Any] | None = None, *, defer: bool = True) -> str | None:
        """Read the scenario from ``options`` (default: the controls) and the other
        controls, and update every panel whose inputs changed. Returns ``None``, or
        the errors of invalid input, which are then shown in red beside their fields
        and at the top (the panels stay as they were).

        With ``defer`` and a running event loop (a kernel), slow panels (a new sweep of
        every tier) are drawn right after this call returns, so the rest of the page
        does not wait for them; ``timings_ms["deferred"]`` then records their time.
        """
        t0 = time.perf_counter()
        inputs, errors = self._inputs(options)
        if inputs is None:
            return self._show_errors(errors)
        self._clear_errors()
        self.design, self.inputs, self.scenario = inputs.design, inputs, inputs.scenario
        if self.controls["nodes"].value != inputs.design.nodes:  # sized from the workload
            self._set_quietly("nodes", inputs.design.nodes)
        off = self.controls["sizing"].value == "none"  # the workload fields do nothing
        for key in (*WORKLOAD_CONTROLS, "server_model"):
            self.controls[key].disabled = off
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
        if later and loop is not None:
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
                panel.error.value = error_html(repr(err))
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
            f'<div class="hv-heading"><b>{esc(d.title)}</b> &middot; {esc(info.figure)}: '
            f"{esc(info.title)}<br><span>{esc(info.summary)}</span></div>"
        )
        s = summary(d, ctx.graph())
        r = ctx.availability()
        spofs = len(ctx.coverage().single_points_of_failure)
        levels = [f.severity for f in ctx.findings()]
        n_err, n_warn = levels.count("error"), levels.count("warning")
        costs = ctx.costs()
        cards = [
            (str(d.nodes), "hosts" if d.nodes != 1 else "host", "", ""),
            (str(s["host_connections_total"]), "host connections", "", ""),
            (str(s["switch_ports_total"]), "switch ports", "", ""),
            (str(spofs), "single points of failure", "hv-bad" if spofs else "hv-good", ""),
            (f"{r.availability:.6f}", "service availability", "", SERVICE_AVAILABILITY_TEXT),
            (f"{r.vm_availability:.6f}", "VM availability", "", VM_AVAILABILITY_TEXT),
            (
                f"{r.vm_downtime_minutes_per_year:,.1f}",
                "VM downtime [min/year]",
                "",
                "The minutes a year an average VM is down, failover restarts included.",
            ),
            (f"${ctx.bom()['total_usd'].sum():,.0f}", "capital cost", "", ""),
            (f"${costs['opex_usd_per_year']:,.0f}", "opex [USD/year]", "", OPEX_TIP),
            (
                f"${costs['total_cost_usd']:,.0f}",
                f"total cost over {costs['years']:g} years",
                "",
                "capex + opex x years + the expected cost of VM downtime",
            ),
            (
                f"{n_err} / {n_warn}",
                "check errors / warnings",
                "hv-bad" if n_err else ("hv-warn" if n_warn else "hv-good"),
                "",
            ),
        ]
        self.kpis.value = (
            '<div class="hv-kpis">'
            + "".join(
                f'<div class="hv-kpi {cls}" title="{esc(tip)}" data-kpi="{esc(label)}">'
                f"<b>{esc(v)}</b><span>{esc(label)}</span></div>"
                for v, label, cls, tip in cards
            )
            + "</div>"
        )

    # ----------------------------------------------------------------- exports

    def _shown(self) -> ScenarioFile:
        """The scenario shown (set by the first refresh)."""
        assert self.scenario is not None, "the app shows a scenario once built"
        return self.scenario

    def _export_path(self, suffix: str) -> Path:
        self.export_dir.mkdir(parents=True, exist_ok=True)
        return self.export_dir / f"{export_name(self._shown().design)}{suffix}"

    def export_yaml(self) -> Path | None:
        """Save the scenario shown as a scenario file
        (:func:`hvdesign.scenariofile.scenario_to_yaml`: the design and every price,
        reliability figure, rule and economics value on screen) in the export folder
        and offer it as a download; returns the path (None on error, shown in the
        status)."""
        try:
            path = self._export_path(".yaml")
            data = scenario_to_yaml(self._shown()).encode("utf-8")
            write_bytes_atomic(path, data, field="export")
        except (HvdesignError, OSError) as err:
            self.status.value = error_html(f"Export failed: {err}")
            return None
        self.downloads["yaml"].offer(data, path.name, "application/x-yaml", f"⬇ {path.name}")
        self.status.value = f"Saved <code>{esc(str(path))}</code>"
        return path

    def export_drawio(self) -> Path | None:
        """Save the topology shown as an editable diagrams.net file
        (:func:`hvdesign.views.drawio.drawio_xml`: every host, port and cable) in the
        export folder and offer it as a download; returns the path (None on error)."""
        from hvdesign.views.drawio import drawio_xml

        try:
            path = self._export_path(".drawio")
            data = drawio_xml(self._shown().design).encode("utf-8")
            write_bytes_atomic(path, data, field="export")
        except (HvdesignError, OSError) as err:
            self.status.value = error_html(f"Export failed: {err}")
            return None
        self.downloads["drawio"].offer(data, path.name, "application/xml", f"⬇ {path.name}")
        self.status.value = f"Saved <code>{esc(str(path))}</code>"
        return path

    def export_report(self) -> Path | None:
        """Write the HTML report of the scenario shown
        (:func:`hvdesign.report.build.write_report` of the same ScenarioFile: the
        capex, availability and downtime on screen) to the export folder and offer it
        as a download; returns the path (None on error, shown in the status)."""
        button = self.buttons["report"]
        button.disabled = True
        self.status.value = "Writing the HTML report (a few seconds) ..."
        try:
            path = write_report(self._shown(), self._export_path(".html"))
            data = path.read_bytes()
        except (HvdesignError, OSError) as err:
            self.status.value = error_html(f"Report failed: {err}")
            return None
        finally:
            button.disabled = False
        self.downloads["report"].offer(data, path.name, "text/html", f"⬇ {path.name}")
        self.status.value = f"Saved <code>{esc(str(path))}</code>"
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
