"""Figures of the multipath simulator: throughput per path over time (failover and
return made visible), latency percentiles, and the six policies side by side.

Every function returns a plotly ``go.Figure`` and nothing else; it draws what
:func:`hvdesign.multipath.simulate` and :func:`hvdesign.multipath.compare_policies`
computed and never simulates. Every title says which semantics the figure uses
(``msdsm``: Microsoft's documented DSM behaviour; ``guide``: the guide's reading).

Units: time [s], throughput [Gbit/s], latency [ms], shares as fractions [0..1].
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from hvdesign.errors import HvdesignError
from hvdesign.multipath import MPCLAIM_CODES, SimulationResult
from hvdesign.views.html import esc, log_axis

#: One colour per path (paths 1 to 8), a qualitative palette (Tableau 10).
PATH_HEX: tuple[str, ...] = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
)
#: Colours of the event lines: a path failing, a path returning.
EVENT_HEX: dict[str, str] = {"fail": "#b00020", "restore": "#2e7d32"}
#: Colours of the latency percentiles.
PERCENTILE_HEX: dict[str, str] = {"p50": "#7f9cc0", "p99": "#1f3b63"}

_FONT = "Helvetica, Arial, sans-serif"
_GRID = "#e5e8ec"


def _base_layout(title: str, **kwargs: Any) -> dict[str, Any]:
    layout = dict(
        title=dict(text=title, x=0.01, xanchor="left"),
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        font=dict(family=_FONT, color="#1f2933"),
        margin=dict(l=70, r=20, t=60, b=50),
        height=420,
    )
    layout.update(kwargs)
    return layout


def _policy_label(result: SimulationResult) -> str:
    if isinstance(result.policy, str):
        return result.policy
    names = list(dict.fromkeys(result.policy))
    return names[0] if len(names) == 1 else "per-LUN: " + ", ".join(names)


def _check_result(result: Any, name: str = "result") -> SimulationResult:
    if not isinstance(result, SimulationResult):
        raise HvdesignError(name, type(result).__name__, "a SimulationResult from simulate()")
    return result


# --------------------------------------------------------------------------- throughput
def throughput_figure(result: SimulationResult, *, stacked: bool = False) -> go.Figure:
    """Throughput of each path over time, with path failures and returns as
    vertical lines.

    Parameters
    ----------
    result : SimulationResult
        From :func:`hvdesign.multipath.simulate`.
    stacked : bool
        Stack the paths (the total on top) instead of one line each.

    The value of a bin is the bits of the requests that finished on the path in it,
    divided by the bin width [Gbit/s], drawn as a step over the bin. Events that
    changed nothing (a fail of a failed path) are not drawn.

    Examples
    --------
    >>> from hvdesign.multipath import simulate
    >>> r = simulate("fail-over-only", 2, n_ios=2000, fail=[(1, 1.0)], restore=[(1, 2.0)])
    >>> fig = throughput_figure(r)
    >>> [t.name for t in fig.data], len(fig.layout.shapes)
    (['path 1', 'path 2'], 2)
    """
    r = _check_result(result)
    tl = r.timeline
    bin_s = tl["bin_s"]
    x = [*tl["t_s"], tl["t_s"][-1] + bin_s]  # the last step needs its end
    traces = []
    for p, series in enumerate(tl["throughput_gbps"]):
        colour = PATH_HEX[p % len(PATH_HEX)]
        traces.append(
            go.Scatter(
                x=x,
                y=[*series, series[-1]],
                mode="lines",
                line=dict(shape="hv", color=colour, width=2),
                name=f"path {p + 1}",
                stackgroup="paths" if stacked else None,
                hovertemplate=f"path {p + 1}: %{{y:.3f}} Gbit/s from %{{x:.3g}} s<extra></extra>",
            )
        )
    fig = go.Figure(
        data=traces,
        layout=_base_layout(
            f"Throughput per path: {esc(_policy_label(r))} "
            f"({esc(r.semantics)} semantics, {r.mode.upper()})",
            xaxis=dict(title=dict(text="time [s]"), gridcolor=_GRID, zeroline=False),
            yaxis=dict(
                title=dict(text="throughput [Gbit/s]"),
                rangemode="tozero",
                separatethousands=True,
                gridcolor=_GRID,
                zeroline=False,
            ),
            hovermode="x unified",
            legend=dict(title=dict(text=f"bins of {bin_s:g} s"), traceorder="normal"),
        ),
    )
    applied = [e for e in r.events if e["applied"]]
    for k, e in enumerate(applied):
        colour = EVENT_HEX[e["event"]]
        fig.add_shape(
            type="line",
            x0=e["t_s"],
            x1=e["t_s"],
            y0=0,
            y1=1,
            xref="x",
            yref="paper",
            line=dict(color=colour, width=1.5, dash="dash" if e["event"] == "fail" else "dot"),
        )
        what = "fails" if e["event"] == "fail" else "returns"
        fig.add_annotation(
            x=e["t_s"],
            y=1.0 - 0.07 * (k % 4),
            xref="x",
            yref="paper",
            text=f"path {e['path']} {what} ({e['t_s']:g} s)",
            showarrow=False,
            xanchor="left",
            yanchor="top",
            font=dict(size=11, color=colour),
            bgcolor="rgba(255,255,255,0.8)",
        )
    return fig


# --------------------------------------------------------------------------- latency
def _latency_rows(data: Any) -> tuple[pd.DataFrame, str, str]:
    """Rows ``label``, ``p50``, ``p99`` [ms], the x-axis title and the semantics."""
    if isinstance(data, SimulationResult):
        rows = [
            {
                "label": f"path {p['path']}",
                "p50": p["latency_ms_p50"],
                "p99": p["latency_ms_p99"],
            }
            for p in data.per_path
        ]
        rows.append({"label": "all", "p50": data.latency_ms_p50, "p99": data.latency_ms_p99})
        return pd.DataFrame(rows), "path", data.semantics
    if isinstance(data, pd.DataFrame):
        missing = {"policy", "latency_ms_p50", "latency_ms_p99"} - set(data.columns)
        if missing:
            raise HvdesignError(
                "results",
                f"a DataFrame without {', '.join(sorted(missing))}",
                "a compare_policies() DataFrame",
            )
        df = pd.DataFrame(
            {
                "label": data["policy"].astype(str),
                "p50": data["latency_ms_p50"],
                "p99": data["latency_ms_p99"],
            }
        )
        sem = ", ".join(dict.fromkeys(data["semantics"])) if "semantics" in data else ""
        return df, "policy", sem
    if isinstance(data, Mapping):
        items = list(data.items())
    elif isinstance(data, Sequence) and not isinstance(data, str):
        items = [(_policy_label(_check_result(r, "results")), r) for r in data]
    else:
        raise HvdesignError(
            "results",
            type(data).__name__,
            "a SimulationResult, a list or dict of them, or a compare_policies() DataFrame",
        )
    rows = [
        {
            "label": str(label),
            "p50": _check_result(r, "results").latency_ms_p50,
            "p99": r.latency_ms_p99,
        }
        for label, r in items
    ]
    sem = ", ".join(dict.fromkeys(_check_result(r, "results").semantics for _, r in items))
    return pd.DataFrame(rows), "policy", sem


def latency_figure(
    results: SimulationResult | Sequence[SimulationResult] | Mapping[str, SimulationResult],
    *,
    log_y: bool | None = None,
) -> go.Figure:
    """Latency percentiles p50 and p99 [ms] as grouped bars.

    Parameters
    ----------
    results
        One :class:`~hvdesign.multipath.SimulationResult` (bars per path, then all
        requests), a list of them (bars per policy), a dict label -> result, or a
        :func:`~hvdesign.multipath.compare_policies` DataFrame.
    log_y : bool or None
        Logarithmic latency axis; None: when p99 spans more than a factor 30.

    Examples
    --------
    >>> from hvdesign.multipath import compare_policies
    >>> fig = latency_figure(compare_policies(2, n_ios=500))
    >>> [t.name for t in fig.data], len(fig.data[0].x)
    (['p50', 'p99'], 6)
    """
    df, axis, semantics = _latency_rows(results)
    values = [v for v in [*df["p50"], *df["p99"]] if v is not None and v > 0]
    if log_y is None:
        log_y = bool(values) and max(values) / min(values) > 30
    traces = [
        go.Bar(
            x=df["label"].tolist(),
            y=df[q].tolist(),
            name=q,
            marker=dict(color=PERCENTILE_HEX[q]),
            hovertemplate=f"%{{x}}: {q} %{{y:.3f}} ms<extra></extra>",
        )
        for q in ("p50", "p99")
    ]
    what = "per path" if axis == "path" else "per policy"
    sem = f" ({esc(semantics)} semantics)" if semantics else ""
    return go.Figure(
        data=traces,
        layout=_base_layout(
            f"Latency percentiles {what}{sem}",
            barmode="group",
            xaxis=dict(title=dict(text=axis)),
            yaxis=dict(
                title=dict(text="latency [ms]" + (" (log scale)" if log_y else "")),
                **(log_axis(values) if log_y else {"type": "linear"}),
                gridcolor=_GRID,
            ),
        ),
    )


# --------------------------------------------------------------------------- policies
def policies_figure(df: pd.DataFrame) -> go.Figure:
    """The policies of a :func:`~hvdesign.multipath.compare_policies` table side by
    side: each policy's share of requests per path (stacked bars, left) and its
    latency p99 with p50 as a marker (right, log scale).

    Examples
    --------
    >>> from hvdesign.multipath import compare_policies
    >>> fig = policies_figure(compare_policies(3, n_ios=600))
    >>> [t.name for t in fig.data]
    ['path 1', 'path 2', 'path 3', 'p99 latency', 'p50 latency']
    """
    if not isinstance(df, pd.DataFrame) or "policy" not in df:
        raise HvdesignError("df", type(df).__name__, "a compare_policies() DataFrame")
    share_cols = [c for c in df.columns if c.startswith("share_requests_path")]
    if not share_cols:
        raise HvdesignError("df", "no share_requests_path<k> columns", "a compare_policies() table")
    labels = [f"{p} ({MPCLAIM_CODES[p]})" if p in MPCLAIM_CODES else str(p) for p in df["policy"]]
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        column_widths=[0.6, 0.4],
        horizontal_spacing=0.03,
        subplot_titles=("share of requests per path", "latency: p99 (bar), p50 (marker) [ms]"),
    )
    for c in share_cols:
        k = int(c.removeprefix("share_requests_path"))
        fig.add_trace(
            go.Bar(
                y=labels,
                x=df[c].tolist(),
                orientation="h",
                name=f"path {k}",
                marker=dict(color=PATH_HEX[(k - 1) % len(PATH_HEX)]),
                hovertemplate=f"%{{y}}: path {k} %{{x:.1%}} of requests<extra></extra>",
            ),
            row=1,
            col=1,
        )
    fig.add_trace(
        go.Bar(
            y=labels,
            x=df["latency_ms_p99"].tolist(),
            orientation="h",
            name="p99 latency",
            marker=dict(color=PERCENTILE_HEX["p99"]),
            hovertemplate="%{y}: p99 %{x:.3f} ms<extra></extra>",
        ),
        row=1,
        col=2,
    )
    fig.add_trace(
        go.Scatter(
            y=labels,
            x=df["latency_ms_p50"].tolist(),
            mode="markers",
            name="p50 latency",
            marker=dict(color="#ffffff", size=9, symbol="diamond", line=dict(width=1.5)),
            hovertemplate="%{y}: p50 %{x:.3f} ms<extra></extra>",
        ),
        row=1,
        col=2,
    )
    sem = ", ".join(dict.fromkeys(df["semantics"])) if "semantics" in df else "?"
    mode = ", ".join(m.upper() for m in dict.fromkeys(df["mode"])) if "mode" in df else ""
    fig.update_layout(
        **_base_layout(
            f"The policies on the same workload ({esc(sem)} semantics{', ' if mode else ''}"
            f"{esc(mode)})",
            barmode="stack",
            height=max(320, 60 + 45 * len(df)),
            legend=dict(orientation="h", y=-0.15, traceorder="normal"),
            margin=dict(l=200, r=20, t=70, b=80),
        )
    )
    fig.update_yaxes(autorange="reversed", row=1, col=1)
    fig.update_xaxes(range=[0, 1], tickformat=".0%", gridcolor=_GRID, row=1, col=1)
    latencies = [*df["latency_ms_p99"], *df["latency_ms_p50"]]
    fig.update_xaxes(**log_axis(latencies), gridcolor=_GRID, row=1, col=2)
    return fig
