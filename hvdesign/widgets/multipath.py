"""Interactive faces of multipathing for the notebooks: the multipath explorer (policy,
semantics, paths, bandwidths, weights, a path failure and its return, driving the
throughput-over-time and latency figures) and the MPIO-versus-MCS guide form.

Everything shown is computed by :func:`hvdesign.multipath.simulate` and
:func:`hvdesign.guide.recommend` and drawn by :mod:`hvdesign.views.multipath`; this
module only wires controls to them. Bad input (a list of bandwidths that does not
parse, a weight of zero under the guide's semantics) shows the
:class:`~hvdesign.errors.HvdesignError` message in red and leaves the last figures.

Each change of a control re-simulates :data:`EXPLORER_IOS` requests: about 40 to 60 ms
for 30,000 I/Os over four paths with a failure (the per-request engine), so the
controls respond at once. Widget callbacks do not run in static HTML.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import ipywidgets as W
import plotly.graph_objects as go

from hvdesign.errors import HvdesignError
from hvdesign.guide import GUEST_OS, Recommendation, recommend
from hvdesign.multipath import (
    MAX_PATHS,
    MCS_POLICIES,
    MIN_PATHS,
    MPCLAIM_CODES,
    POLICIES,
    SimulationResult,
    simulate,
)
from hvdesign.views.html import error_html, esc
from hvdesign.views.multipath import latency_figure, throughput_figure
from hvdesign.widgets.slot import figure_widget

#: Requests each explorer update simulates [-] (see the module docstring for timings).
EXPLORER_IOS = 30_000


def nice_step(x: float) -> float:
    """The largest of 1, 2 or 5 times a power of ten that is at most ``x`` (> 0).

    >>> nice_step(0.2), nice_step(1.333), nice_step(4.9), nice_step(20)
    (0.2, 1.0, 2.0, 20.0)
    """
    power = 10.0 ** math.floor(math.log10(x))
    return next(float(f"{m * power:.12g}") for m in (5, 2, 1) if m * power <= x * (1 + 1e-9))


def round_time(t: float, duration: float) -> float:
    """A default time [s] on a slider over ``duration`` [s], rounded to a round
    tenth of the duration (20 s: 6.67 -> 6.0, 13.33 -> 14.0).

    >>> round_time(20 / 3, 20), round_time(40 / 3, 20), round_time(1 / 3, 1)
    (6.0, 14.0, 0.3)
    """
    step = nice_step(duration / 10)
    return float(f"{min(round(t / step) * step, duration):.12g}")


def _time_slider(value: float, duration: float) -> W.FloatSlider:
    """A time slider [s] over the simulated ``duration``, in round steps."""
    step = nice_step(duration / 100)
    decimals = max(0, -math.floor(math.log10(step)))
    return W.FloatSlider(
        value=value,
        min=0.0,
        max=duration,
        step=step,
        description="at [s]",
        continuous_update=False,
        readout_format=f",.{decimals}f",
        style=_STYLE,
    )


#: The size of the latency figure, beside the per-path table [px].
_LATENCY_SIZE = {"width": 520, "height": 380}
_STYLE = {"description_width": "initial"}


def _numbers(name: str, text: str) -> list[float]:
    """``"10, 10,1"`` -> ``[10.0, 10.0, 1.0]``; an error names the field."""
    out = []
    for item in text.split(","):
        try:
            out.append(float(item.strip()))
        except ValueError:
            raise HvdesignError(
                name, text, "comma-separated numbers, one per path, e.g. 10,10"
            ) from None
    return out


def _resize(text: str, n: int) -> str:
    """A comma list cut or padded (with its last item) to ``n`` items."""
    items = [x.strip() for x in text.split(",") if x.strip()] or ["1"]
    items = (items + [items[-1]] * n)[:n]
    return ",".join(items)


def _per_path_html(r: SimulationResult) -> str:
    """A small table of the per-path figures, with units."""
    p = r.parameters
    head = (
        "<tr><th>path</th><th>bandwidth [Gbit/s]</th><th>latency [ms]</th>"
        "<th>weight</th><th>share of requests</th><th>utilisation</th>"
        "<th>p50 [ms]</th><th>p99 [ms]</th><th>retried from</th></tr>"
    )
    rows = []
    for i, row in enumerate(r.per_path):
        p50 = "-" if row["latency_ms_p50"] is None else f"{row['latency_ms_p50']:.3f}"
        p99 = "-" if row["latency_ms_p99"] is None else f"{row['latency_ms_p99']:.3f}"
        rows.append(
            f"<tr><td>{row['path']}</td><td>{p['bandwidth_gbps'][i]:g}</td>"
            f"<td>{p['latency_ms'][i]:g}</td><td>{p['weights'][i]:g}</td>"
            f"<td>{row['share_requests']:.1%}</td><td>{row['utilization']:.1%}</td>"
            f"<td>{p50}</td><td>{p99}</td><td>{row['retried_from']:,}</td></tr>"
        )
    sem = (
        "Microsoft's documented DSM behaviour" if r.semantics == "msdsm" else "the guide's reading"
    )
    overall = "-" if r.latency_ms_p99 is None else f"{r.latency_ms_p99:.3f} ms"
    return (
        f"<div>Semantics <b>{esc(r.semantics)}</b> ({sem}); "
        f"{r.mode.upper()}; {p['n_ios']:,} I/Os at {p['arrival_rate_iops']:g} IO/s; "
        f"p99 of all requests {overall}; retried {r.retried_requests:,}, "
        f"unserved {r.unserved_requests:,}.</div>"
        '<table style="border-collapse:collapse;font-size:12px" border="1" cellpadding="3">'
        f"{head}{''.join(rows)}</table>"
    )


class MultipathExplorer(W.VBox):
    """The explorer built by :func:`multipath_explorer`.

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        ``policy``, ``semantics``, ``mode``, ``paths``, ``bandwidth_gbps``,
        ``latency_ms``, ``weights``, ``rate_iops``, ``fail`` (checkbox),
        ``fail_path``, ``fail_s``, ``restore`` (checkbox), ``restore_s``.
    throughput, latency : plotly.graph_objects.FigureWidget
        The figures, updated in place.
    table : ipywidgets.HTML
        Per-path figures with units, and the semantics used.
    message : ipywidgets.HTML
        Empty, or the error of the last invalid input (in red).
    result : SimulationResult or None
        The simulation shown.
    """

    def __init__(self, n_ios: int = EXPLORER_IOS, **values: Any):
        self.n_ios = n_ios
        self.result: SimulationResult | None = None
        self._busy = False
        v = {
            "policy": "fail-over-only",
            "semantics": "msdsm",
            "mode": "mpio",
            "paths": 2,
            "bandwidth_gbps": "10,10",
            "latency_ms": "0.5,0.5",
            "weights": "1,1",
            "rate_iops": 1500,
            "fail": True,
            "fail_path": 1,
            "fail_s": None,
            "restore": True,
            "restore_s": None,
            **values,
        }
        duration = n_ios / v["rate_iops"]
        c: dict[str, W.Widget] = {
            "policy": W.Dropdown(
                options=[(f"{MPCLAIM_CODES[p]} {p}", p) for p in POLICIES],
                value=v["policy"],
                description="Policy",
                style=_STYLE,
                layout=W.Layout(width="300px"),
            ),
            "semantics": W.ToggleButtons(
                options=[("msdsm (Microsoft)", "msdsm"), ("guide", "guide")],
                value=v["semantics"],
                description="Semantics",
                style=_STYLE,
            ),
            "mode": W.ToggleButtons(
                options=[("MPIO", "mpio"), ("MCS", "mcs")],
                value=v["mode"],
                description="Mode",
                style=_STYLE,
            ),
            "paths": W.IntSlider(
                value=v["paths"],
                min=MIN_PATHS,
                max=MAX_PATHS,
                description="Paths",
                continuous_update=False,
                style=_STYLE,
            ),
            "bandwidth_gbps": W.Text(
                value=_resize(v["bandwidth_gbps"], v["paths"]),
                description="Bandwidth per path [Gbit/s]",
                continuous_update=False,
                style=_STYLE,
                layout=W.Layout(width="330px"),
            ),
            "latency_ms": W.Text(
                value=_resize(v["latency_ms"], v["paths"]),
                description="Latency per path [ms]",
                continuous_update=False,
                style=_STYLE,
                layout=W.Layout(width="330px"),
            ),
            "weights": W.Text(
                value=_resize(v["weights"], v["paths"]),
                description="Weights",
                continuous_update=False,
                style=_STYLE,
                layout=W.Layout(width="260px"),
            ),
            "rate_iops": W.IntSlider(
                value=v["rate_iops"],
                min=100,
                max=5000,
                step=100,
                description="Arrival rate [IO/s]",
                continuous_update=False,
                style=_STYLE,
            ),
            "fail": W.Checkbox(value=v["fail"], description="Fail path", indent=False),
            "fail_path": W.Dropdown(
                options=list(range(1, v["paths"] + 1)),
                value=v["fail_path"],
                layout=W.Layout(width="70px"),
            ),
            "fail_s": _time_slider(
                round_time(duration / 3, duration) if v["fail_s"] is None else v["fail_s"],
                duration,
            ),
            "restore": W.Checkbox(value=v["restore"], description="and restore it", indent=False),
            "restore_s": _time_slider(
                round_time(2 * duration / 3, duration)
                if v["restore_s"] is None
                else v["restore_s"],
                duration,
            ),
        }
        self.controls = c
        self.message = W.HTML()
        self.table = W.HTML()
        self.timing = W.HTML()
        # The figures are created by the first valid refresh, holding their first
        # drawing (see hvdesign.widgets.slot); empty only if nothing is valid yet.
        self.throughput: go.FigureWidget | None = None
        self.latency: go.FigureWidget | None = None
        self.refresh()
        if self.throughput is None:
            self.throughput = figure_widget()
        if self.latency is None:
            self.latency = figure_widget(layout=_LATENCY_SIZE)
        super().__init__(
            [
                W.HBox([c["policy"], c["mode"]]),
                c["semantics"],
                W.HBox([c["paths"], c["rate_iops"]]),
                W.HBox([c["bandwidth_gbps"], c["latency_ms"], c["weights"]]),
                W.HBox([c["fail"], c["fail_path"], c["fail_s"]]),
                W.HBox([c["restore"], c["restore_s"]]),
                self.message,
                self.throughput,
                W.HBox([self.latency, self.table], layout=W.Layout(flex_flow="row wrap")),
            ]
        )
        for name, widget in c.items():
            widget.observe(partial(self._on_change, name), names="value")

    # ----------------------------------------------------------------- callbacks

    def _on_change(self, name: str, change: dict[str, Any]) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            c = self.controls
            if name == "paths":  # keep the per-path lists and the path picker in step
                n = c["paths"].value
                for key in ("bandwidth_gbps", "latency_ms", "weights"):
                    c[key].value = _resize(c[key].value, n)
                c["fail_path"].options = list(range(1, n + 1))
                if c["fail_path"].value is None or c["fail_path"].value > n:
                    c["fail_path"].value = 1
            if name == "rate_iops":  # the sliders span the simulated time
                duration = self.n_ios / c["rate_iops"].value
                for key in ("fail_s", "restore_s"):
                    frac = c[key].value / c[key].max if c[key].max else 0.0
                    step = nice_step(duration / 100)
                    c[key].max = duration
                    c[key].step = step
                    c[key].readout_format = f",.{max(0, -math.floor(math.log10(step)))}f"
                    c[key].value = round_time(frac * duration, duration)
            if name == "mode":
                allowed = MCS_POLICIES if c["mode"].value == "mcs" else POLICIES
                current = c["policy"].value
                c["policy"].options = [(f"{MPCLAIM_CODES[p]} {p}", p) for p in allowed]
                c["policy"].value = current if current in allowed else allowed[0]
        finally:
            self._busy = False
        self.refresh()

    def kwargs(self) -> dict[str, Any]:
        """The arguments of :func:`~hvdesign.multipath.simulate` the controls give."""
        c = self.controls
        fail = [(c["fail_path"].value, c["fail_s"].value)] if c["fail"].value else []
        restore = (
            [(c["fail_path"].value, c["restore_s"].value)]
            if c["fail"].value and c["restore"].value
            else []
        )
        return dict(
            policy=c["policy"].value,
            n_paths=c["paths"].value,
            semantics=c["semantics"].value,
            mode=c["mode"].value,
            bandwidth_gbps=_numbers("bandwidth_gbps", c["bandwidth_gbps"].value),
            latency_ms=_numbers("latency_ms", c["latency_ms"].value),
            weights=_numbers("weights", c["weights"].value),
            fail=fail,
            restore=restore,
            n_ios=self.n_ios,
            arrival_rate_iops=float(c["rate_iops"].value),
        )

    def refresh(self) -> str | None:
        """Simulate what the controls say and redraw. Returns None, or the error
        message of invalid input (shown in red; the figures stay)."""
        try:
            kw = self.kwargs()
            result = simulate(kw.pop("policy"), kw.pop("n_paths"), **kw)
            tp, lat = throughput_figure(result), latency_figure(result)
        except HvdesignError as err:
            self.message.value = error_html(err)
            return str(err)
        self.message.value = ""
        self.result = result
        lat.update_layout(_LATENCY_SIZE)
        if self.throughput is None or self.latency is None:  # the first drawing
            self.throughput, self.latency = figure_widget(tp), figure_widget(lat)
        else:
            for fw, new in ((self.throughput, tp), (self.latency, lat)):
                with fw.batch_update():
                    fw.data = ()
                    fw.add_traces(new.data)
                    fw.layout = new.layout
        self.table.value = _per_path_html(result)
        return None


def multipath_explorer(n_ios: int = EXPLORER_IOS, **values: Any) -> MultipathExplorer:
    """An interactive explorer of the load-balance policies.

    Choose the policy, the semantics (Microsoft's DSM or the guide's reading), MPIO
    or MCS, 2 to 8 paths with their bandwidths [Gbit/s], latencies [ms] and weights
    (comma lists, resized when the path count changes), the arrival rate [IO/s], and
    a path to fail at a time and bring back later; the throughput of each path over
    time and the latency percentiles follow.

    Parameters
    ----------
    n_ios : int
        Requests per simulation [-] (default :data:`EXPLORER_IOS`).
    **values
        Starting values of the controls: ``policy``, ``semantics``, ``mode``,
        ``paths``, ``bandwidth_gbps`` (text ``"10,10"``), ``latency_ms``, ``weights``,
        ``rate_iops``, ``fail`` / ``restore`` (bool), ``fail_path``, ``fail_s``,
        ``restore_s`` [s].

    Examples
    --------
    >>> ex = multipath_explorer(n_ios=2000, rate_iops=1000)
    >>> ex.result.policy, [e["event"] for e in ex.result.events]
    ('fail-over-only', ['fail', 'restore'])
    >>> ex.controls["paths"].value = 3
    >>> ex.controls["bandwidth_gbps"].value, len(ex.result.per_path)
    ('10,10,10', 3)
    """
    return MultipathExplorer(n_ios, **values)


# --------------------------------------------------------------------------- guide
def recommendation_html(rec: Recommendation) -> str:
    """A recommendation of :func:`hvdesign.guide.recommend` as HTML: the choice, then
    the reasons, warnings and notes as lists."""

    def items(title: str, texts: list[str], colour: str) -> str:
        if not texts:
            return ""
        li = "".join(f"<li>{esc(t)}</li>" for t in texts)
        return f'<div style="color:{colour}"><b>{title}</b><ul>{li}</ul></div>'

    return (
        f'<div style="font-size:16px">Recommendation: <b>{esc(rec.recommendation)}'
        "</b></div>"
        + items("Reasons", rec.reasons, "#1f2933")
        + items("Warnings", rec.warnings, "#a05a00")
        + items("Notes", rec.notes, "#52606d")
    )


class GuideForm(W.VBox):
    """The form built by :func:`guide_form`.

    Attributes: ``controls`` (``no_mcs_support``, ``per_lun_policies``, ``hba``,
    ``high_utilization``, ``storage_teaming`` checkboxes and the ``guest_os``
    dropdown), ``output`` (HTML), ``recommendation`` (the last
    :class:`~hvdesign.guide.Recommendation`).
    """

    LABELS = {
        "no_mcs_support": "The storage device does not support MCS",
        "per_lun_policies": "Different load-balance policies per LUN",
        "hba": "Hardware iSCSI HBAs (e.g. boot from iSCSI)",
        "high_utilization": "Highly utilised Hyper-V hosts",
        "storage_teaming": "The design teams its storage NICs",
    }

    def __init__(self) -> None:
        self.controls: dict[str, W.Widget] = {
            key: W.Checkbox(value=False, description=label, indent=False)
            for key, label in self.LABELS.items()
        }
        self.controls["guest_os"] = W.Dropdown(
            options=[("none (no VM connects to iSCSI directly)", None)]
            + [(g, g) for g in GUEST_OS],
            value=None,
            description="VMs with their own iSCSI connections run",
            style=_STYLE,
            layout=W.Layout(width="560px"),
        )
        self.output = W.HTML()
        self.recommendation: Recommendation | None = None
        super().__init__([*self.controls.values(), self.output])
        self.refresh()
        for widget in self.controls.values():
            widget.observe(lambda _change: self.refresh(), names="value")

    def refresh(self) -> None:
        """Apply the guide's rules to the form's facts and show the result."""
        facts = {k: w.value for k, w in self.controls.items()}
        self.recommendation = recommend(**facts)
        self.output.value = recommendation_html(self.recommendation)


def guide_form() -> GuideForm:
    """The MPIO-versus-MCS decision guide as a small form: the facts as checkboxes
    and a guest OS dropdown; the recommendation with its reasons follows.

    Examples
    --------
    >>> form = guide_form()
    >>> form.recommendation.recommendation
    'either'
    >>> form.controls["guest_os"].value = "windows-7"
    >>> form.recommendation.recommendation
    'MCS'
    """
    return GuideForm()
