"""Figures of the sensitivity analysis (issue 11, item 5): the tornado chart of
:func:`hvdesign.sensitivity.sensitivity` and the Birnbaum importance table.

Nothing is computed here but the layout: every bar is a row of the sensitivity table
(the input at its value / factor and x factor, every other input at the scenario's),
drawn from the base value (the scenario's own figure, marked by a vertical line) to
the value the moved input gives. Rows keep the table's ranking (largest swing of the
total cost first, at the top).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from hvdesign.views.html import esc, money, number

_FONT = "Helvetica, Arial, sans-serif"
_LOW_HEX = "#4c6a92"
_HIGH_HEX = "#d62728"

#: The two panels of the tornado: (metric, axis title with its unit, low column,
#: high column, base attribute of the table).
METRICS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "vm_downtime",
        "VM-weighted downtime [minutes/year]",
        "low_vm_downtime_minutes_per_year",
        "high_vm_downtime_minutes_per_year",
        "base_vm_downtime_minutes_per_year",
    ),
    (
        "total_cost",
        "total cost [USD over the horizon]",
        "low_total_cost_usd",
        "high_total_cost_usd",
        "base_total_cost_usd",
    ),
)


def _value(x: float, unit: str) -> str:
    text = number(x) if abs(x) >= 1000 else f"{x:.4g}"
    return f"x {x:g} the catalog's" if unit == "x" else f"{text} {unit}"


def _label(row: Any) -> str:
    return esc(str(row.input))


def tornado_figure(table: pd.DataFrame, *, top: int | None = None) -> go.Figure:
    """The tornado chart of a :func:`hvdesign.sensitivity.sensitivity` table: two
    panels side by side sharing the inputs (ranked, the largest swing of the total cost
    at the top), VM-weighted downtime [minutes/year] on the left and total cost [USD]
    on the right; for each input a bar from the base value to the value with the input
    / factor (blue) and one to the value with it x factor (red); the base marked by a
    dotted vertical line. ``top``: only the first rows.

    Traces, in order: low and high bars of the downtime panel, then of the cost panel
    (``x`` = the change from the base, ``base`` = the base value).
    """
    rows = table if top is None else table.head(top)
    factor = float(table.attrs.get("factor", 2.0))
    labels = [_label(r) for r in rows.itertuples()][::-1]  # first row at the top
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04)
    for col, (_m, title, low, high, base_key) in enumerate(METRICS, start=1):
        base = float(table.attrs.get(base_key, float("nan")))
        for column, colour, word in (
            (low, _LOW_HEX, f"input / {factor:g}"),
            (high, _HIGH_HEX, f"input x {factor:g}"),
        ):
            values = rows[column].tolist()[::-1]
            moved = rows["low" if column == low else "high"].tolist()[::-1]
            units = rows["unit"].tolist()[::-1]
            fig.add_trace(
                go.Bar(
                    y=labels,
                    x=[v - base for v in values],
                    base=[base] * len(values),
                    orientation="h",
                    name=word,
                    legendgroup=word,
                    showlegend=col == 1,
                    marker_color=colour,
                    hovertext=[
                        f"<b>{lab}</b> at {esc(_value(m, u))}<br>{esc(title)}: {number(v, 2)}"
                        f" (base {number(base, 2)})"
                        for lab, m, u, v in zip(labels, moved, units, values, strict=True)
                    ],
                    hoverinfo="text",
                ),
                row=1,
                col=col,
            )
        fig.add_vline(x=base, line=dict(color="#1f2933", width=1.5, dash="dot"), row=1, col=col)
        shown = money(base) if col == 2 else f"{number(base, 1)} minutes/year"
        fig.update_xaxes(title_text=f"{title}<br>base (dotted): {shown}", row=1, col=col)
    fig.update_xaxes(tickformat="$,.0f", row=1, col=2)
    fig.update_xaxes(tickformat=",.1f", row=1, col=1)
    fig.update_layout(
        title=dict(
            text=f"Which input matters: each moved to / {factor:g} and x {factor:g}, "
            "the others at the scenario's values",
            x=0.01,
            xanchor="left",
        ),
        barmode="overlay",
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        font=dict(family=_FONT, color="#1f2933"),
        height=max(360, 120 + 22 * len(rows)),
        margin=dict(l=200, r=20, t=60, b=80),
        legend=dict(orientation="h", x=0, y=1.0, yanchor="bottom", font=dict(size=11)),
        hovermode="closest",
    )
    fig.update_yaxes(automargin=True)
    return fig


def birnbaum_table(table: pd.DataFrame) -> pd.DataFrame:
    """The Birnbaum importance of each component kind (``table.attrs["birnbaum"]`` of
    a sensitivity table, or a :func:`hvdesign.sensitivity.birnbaum` table) as a table
    to show: kind, the unavailability of one component [0..1] and the importance for
    the service and the VM availability [dA/dA_k]. Every value is text."""
    data = table.attrs.get("birnbaum") if "birnbaum" not in table.columns else table
    frame = pd.DataFrame(data)
    rows = [
        (str(r.kind), f"{r.unavailability:.3g}", f"{r.birnbaum:.3g}", f"{r.birnbaum_vm:.3g}")
        for r in frame.itertuples()
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "component kind",
            "unavailability of one [0..1]",
            "Birnbaum importance, service [dA/dA_k]",
            "Birnbaum importance, VMs [dA_vm/dA_k]",
        ],
    )
