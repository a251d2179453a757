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
module (the shell: controls, layout, refresh and exports) only composes them, with
:mod:`hvdesign.widgets.panels` (the cards), :mod:`hvdesign.widgets.memo` (the derived
state, the trade-off being :func:`hvdesign.cost.tradeoff`) and
:mod:`hvdesign.widgets.assets` (style and browser code, files under ``static/``);
:mod:`hvdesign.widgets.serve` serves it (``make app``). The page is a list of panels
(:data:`PANELS`): each panel is a small class with a ``key`` (what it depends on) and
an ``update``; the app calls ``update`` only when the key changed, so moving the node
slider never re-computes the sweep of every tier and editing a price never redraws
the topology. Figures are ``go.FigureWidget``
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
import re
import time
from pathlib import Path
from typing import Any

import ipywidgets as W

from hvdesign.cost import (
    DEFAULT_DOWNTIME_COST_PER_HOUR_USD,
    SHARED_OPTIONS,
    TRADEOFF_NODES,
    Catalog,
    load_catalog,
    merge_catalog,
    shared_options,
)
from hvdesign.counts import summary
from hvdesign.datafiles import write_bytes_atomic
from hvdesign.errors import HvdesignError
from hvdesign.failures import FailureRules
from hvdesign.reliability import Reliability, load_reliability
from hvdesign.report.build import write_report
from hvdesign.spec import (
    COMMON_DEFAULTS,
    NODE_LIMITS,
    TIERS,
    Design,
    design_from_tier,
    design_to_yaml,
    min_nodes,
)
from hvdesign.views.html import error_html, esc
from hvdesign.widgets.assets import DownloadLink, FitFigures, app_style
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

#: The design the app opens with.
DEFAULT_TIER = "cluster-redundant-path"
DEFAULT_NODES = 4

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
    return W.HTML(f"<h4>{esc(title)}</h4>")


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
        super().__init__([W.HTML(app_style()), FitFigures(), topbar, body])
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
            floor = 1.0 if figure == "mtbf_hours" else 0.0
            c[f"{kind}.{figure}"] = _number(rel.figure(kind, figure).value, label, 1, floor)
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
        self.message.value = error_html(f"Invalid design: {text}")

    # ----------------------------------------------------------------- state

    def _current_catalog(self) -> Catalog:
        """The catalog with the edited prices (only those that differ) applied."""
        c, cat = self.controls, self.catalog
        model = cat.switch(c["switch_ports_per_unit"].value)[0]
        edited: dict[str | int, tuple[float, float]] = {
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
                    overrides[str(item)] = entry
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
        return Inputs(
            design=design,
            catalog=self._current_catalog(),
            reliability=self._current_reliability(),
            downtime_cost_per_hour=float(self.controls["downtime_cost_per_hour"].value),
            rules=self.rules,
            sweep_options=shared_options(design),
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
                f'<div class="hv-kpi {cls}"><b>{esc(v)}</b><span>{esc(label)}</span></div>'
                for v, label, cls in cards
            )
            + "</div>"
        )

    # ----------------------------------------------------------------- exports

    def _shown(self) -> Design:
        """The design shown (set by the first refresh)."""
        assert self.design is not None, "the app shows a design once built"
        return self.design

    def _export_path(self, suffix: str) -> Path:
        self.export_dir.mkdir(parents=True, exist_ok=True)
        return self.export_dir / f"{export_name(self._shown())}{suffix}"

    def export_yaml(self) -> Path | None:
        """Save the design file of the design shown in the export folder and offer it
        as a download; returns the path (None on error, shown in the status)."""
        try:
            path = self._export_path(".yaml")
            data = design_to_yaml(self._shown()).encode("utf-8")
            write_bytes_atomic(path, data, field="export")
        except (HvdesignError, OSError) as err:
            self.status.value = error_html(f"Export failed: {err}")
            return None
        self.downloads["yaml"].offer(data, path.name, "application/x-yaml", f"⬇ {path.name}")
        self.status.value = f"Saved <code>{esc(str(path))}</code>"
        return path

    def export_report(self) -> Path | None:
        """Write the HTML report of the design shown (:func:`hvdesign.report.build.write_report`,
        a few seconds) to the export folder and offer it as a download; returns the path
        (None on error, shown in the status)."""
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
