"""Figures of how a design scales: connections and switch ports of every tier against
the node count (the guide's Figs 2.8 to 2.12 counted over N hosts).

Every function returns a plotly figure or trace and nothing else; the numbers come
from :func:`hvdesign.views.tables.scaling_table` (which reshapes
:func:`hvdesign.counts.summary`), nothing is counted here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from hvdesign.errors import HvdesignError
from hvdesign.spec import TIERS
from hvdesign.views.html import esc, plural
from hvdesign.views.tables import scaling_table

#: Metrics :func:`scaling_figure` can draw: summary key -> (title, axis title, unit).
SCALING_METRICS: dict[str, tuple[str, str, str]] = {
    "host_connections_total": (
        "Network connections of all hosts against node count",
        "host connections",
        "connections",
    ),
    "switch_ports_total": (
        "Switch ports used on all switches against node count",
        "switch ports",
        "switch ports",
    ),
}

#: One colour per tier in the scaling and cost figures (not the class colours, to
#: avoid a green "tier" being read as production traffic).
TIER_HEX: dict[str, str] = {
    "single-redundant-connections": "#f2c14e",
    "single-redundant-path": "#8c5a00",
    "cluster-minimal": "#17a2b8",
    "cluster-redundant-connections": "#b9a3e0",
    "cluster-redundant-path": "#3b2a8c",
}

#: Line width [px], dash, marker symbol and size [px] per tier. Tiers whose counts
#: coincide (Figs 2.8/2.9 for connections, 2.11/2.12) are drawn thick-under-thin with
#: different markers, so neither hides the other.
_TIER_STYLE: dict[str, tuple[float, str, str, int]] = {
    "single-redundant-connections": (5, "solid", "circle", 10),
    "single-redundant-path": (2, "dash", "diamond", 6),
    "cluster-minimal": (2, "solid", "square", 7),
    "cluster-redundant-connections": (5, "solid", "circle", 10),
    "cluster-redundant-path": (2, "dash", "diamond", 6),
}

_FONT = "Helvetica, Arial, sans-serif"


def scaling_figure(
    nodes: Iterable[int] = range(1, 17),
    *,
    metric: str = "host_connections_total",
    options: dict[str, Any] | None = None,
    highlight: tuple[str, int] | None = None,
    table: pd.DataFrame | None = None,
) -> go.Figure:
    """For every tier, ``metric`` against the node count (lines and markers).

    Parameters
    ----------
    nodes : iterable of int
        Node counts to draw; each tier keeps those it accepts
        (:func:`hvdesign.spec.node_counts`: single-server tiers N >= 1 standalone
        servers, cluster tiers N >= 2, none above the Windows Server version's limit).
    metric : str
        ``host_connections_total`` [connections] or ``switch_ports_total``
        [switch ports], keys of :func:`hvdesign.counts.summary`.
    options : dict, optional
        Overrides applied to every tier (e.g. ``{"san_portals": 4}``).
    highlight : (tier, nodes), optional
        A design to mark with a ring (the explorer's current design); the figure then
        has one more trace, ``current design``.
    table : pandas.DataFrame, optional
        A :func:`hvdesign.views.tables.scaling_table` already computed for ``nodes`` and
        ``options`` (the explorer draws both metrics from one table).

    Examples
    --------
    >>> fig = scaling_figure(range(1, 9))
    >>> dict(zip(fig.data[4].x, fig.data[4].y))[8]  # Fig 2.12: 8 nodes, 48 connections
    48
    """
    if metric not in SCALING_METRICS:
        raise HvdesignError("metric", metric, "one of " + ", ".join(SCALING_METRICS))
    title, axis_title, unit = SCALING_METRICS[metric]
    nodes = list(nodes)
    if table is None:
        table = scaling_table(nodes, options)
    traces = []
    for tier, info in TIERS.items():
        rows = table[table["tier"] == tier]
        width, dash, symbol, size = _TIER_STYLE[tier]
        traces.append(
            go.Scatter(
                x=rows["nodes"].tolist(),
                y=rows[metric].tolist(),
                mode="lines+markers",
                name=f"{esc(info.figure)}: {esc(info.title)}",
                legendgroup=tier,
                line=dict(color=TIER_HEX[tier], width=width, dash=dash),
                marker=dict(size=size, color=TIER_HEX[tier], symbol=symbol),
                hovertemplate=f"{esc(info.figure)}: %{{y:,}} {unit}<extra></extra>",
            )
        )
    if highlight is not None:
        traces.append(highlight_trace(table, metric, *highlight))
    return go.Figure(
        data=traces,
        layout=go.Layout(
            title=dict(text=title, x=0.01, xanchor="left"),
            xaxis=dict(
                title=dict(text="hosts [cluster nodes or standalone servers]"),
                dtick=1 if len(nodes) <= 20 else None,
                gridcolor="#e5e8ec",
                zeroline=False,
            ),
            yaxis=dict(
                title=dict(text=f"{axis_title} [{unit}]"),
                rangemode="tozero",
                tickformat=",~r",  # 1,000 and 1,500, not 1k
                gridcolor="#e5e8ec",
                zeroline=False,
            ),
            plot_bgcolor="#ffffff",
            paper_bgcolor="#ffffff",
            font=dict(family=_FONT, color="#1f2933"),
            hovermode="x unified",
            height=420,
            margin=dict(l=70, r=10, t=50, b=50),
            legend=dict(font=dict(size=11)),
        ),
    )


def highlight_trace(table: pd.DataFrame, metric: str, tier: str, n: int) -> go.Scatter:
    """The ring marking design (``tier``, ``n`` hosts) on a scaling figure of ``metric``,
    read from a :func:`hvdesign.views.tables.scaling_table` (empty if not in it)."""
    unit = SCALING_METRICS[metric][2]
    row = table[(table["tier"] == tier) & (table["nodes"] == n)]
    return go.Scatter(
        x=row["nodes"].tolist(),
        y=row[metric].tolist(),
        mode="markers",
        name="current design",
        marker=dict(size=16, symbol="circle-open", color="#d62728", line=dict(width=2.5)),
        hovertemplate=f"current design: {plural(n, 'host')}, %{{y:,}} {unit}<extra></extra>",
    )
