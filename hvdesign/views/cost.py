"""Figures of cost and availability (domain.md §5): capital cost against downtime for
every tier and node count with the Pareto frontier, a bill of materials as stacked
bars, total cost and cost per nine against node count.

Every function returns a plotly ``go.Figure`` and nothing else; the data come from
:mod:`hvdesign.cost` (:func:`~hvdesign.cost.compare`,
:func:`~hvdesign.cost.bill_of_materials`), nothing is computed here but the layout.
Figures that the cost explorer updates in place (:func:`tradeoff_figure`,
:func:`total_cost_figure`, :func:`cost_per_nine_figure`) always have the same traces
in the same order: one per tier (:data:`hvdesign.spec.TIERS` order), then the
figure's extra traces (an empty trace stays in place, hidden from the legend).

"High availability scales with your pocketbook": every figure shows what the money
buys, not only the totals.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from hvdesign.cost import CATEGORIES
from hvdesign.spec import TIERS
from hvdesign.views.html import esc, log_axis, money, number, plural
from hvdesign.views.scaling import TIER_HEX

_FONT = "Helvetica, Arial, sans-serif"
_GRID = "#e5e8ec"
_HIGHLIGHT = "#d62728"

#: Marker symbol per tier (with :data:`hvdesign.views.scaling.TIER_HEX` colours).
TIER_SYMBOL: dict[str, str] = {
    "single-redundant-connections": "circle",
    "single-redundant-path": "diamond",
    "cluster-minimal": "square",
    "cluster-redundant-connections": "triangle-up",
    "cluster-redundant-path": "star",
}

#: Colour per bill-of-materials category.
CATEGORY_HEX: dict[str, str] = {
    "servers": "#4c6a92",
    "network": "#e08a2c",
    "storage": "#8f5aa8",
    "licences": "#5b9a68",
}

#: Axis titles of the downtime columns of :func:`hvdesign.cost.compare`.
DOWNTIME_TITLES: dict[str, str] = {
    "vm_downtime_minutes_per_year": "VM-weighted downtime [minutes/year]",
    "downtime_minutes_per_year": "downtime, not every VM running [minutes/year]",
}


#: Readable names of the bill of materials' items (singular, plural), by catalog key;
#: ``nic_card_<N>port`` and ``switch_<N>port`` are named by :func:`item_name`.
ITEM_NAMES: dict[str, tuple[str, str]] = {
    "server": ("server", "servers"),
    "cable": ("cable", "cables"),
    "san_base": ("SAN (controllers and disks)", "SANs (controllers and disks)"),
    "san_portal": ("SAN target portal", "SAN target portals"),
    "hba": ("iSCSI HBA", "iSCSI HBAs"),
    "licence": ("Windows Server licence", "Windows Server licences"),
}


def frontier_trace(x: list[float], y: list[float]) -> go.Scatter:
    """The Pareto frontier of a trade-off chart: a dotted step line through the
    frontier's designs (x: a cost [USD], y: VM downtime [min/year])."""
    return go.Scatter(
        x=x,
        y=y,
        mode="lines",
        name="Pareto frontier (no design is cheaper AND less down)",
        line=dict(color="#1f2933", width=2, dash="dot", shape="hv"),
        hoverinfo="skip",
    )


def item_name(item: str, quantity: int | None = None) -> str:
    """The readable name of a bill-of-materials item (a catalog key such as
    ``nic_card_2port``), with the quantity in front when given (singular or plural);
    an unknown key is returned as it is.

    >>> item_name("nic_card_2port"), item_name("switch_48port", 2), item_name("san_base", 1)
    ('2-port NIC card', '2 48-port switches', '1 SAN (controllers and disks)')
    """
    names = ITEM_NAMES.get(item)
    for prefix, word, words in (
        ("nic_card_", "NIC card", "NIC cards"),
        ("switch_", "switch", "switches"),
    ):
        ports = item.removeprefix(prefix).removesuffix("port")
        if names is None and item.startswith(prefix) and item.endswith("port") and ports.isdigit():
            names = (f"{ports}-port {word}", f"{ports}-port {words}")
    one, many = names or (item, item)
    return one if quantity is None else plural(quantity, one, many)


def bom_table(bom: pd.DataFrame) -> pd.DataFrame:
    """A bill of materials (:func:`hvdesign.cost.bill_of_materials`) as a table to show:
    the catalog item's description as the item (no catalog keys), quantity [units],
    unit price and total [USD] with thousands separators, the price source, and a
    total row. Every value is text (escape it when rendering: :func:`table_html`)."""
    items: Iterable[Any] = bom.itertuples()
    rows = [
        (
            r.category,
            str(r.description),
            number(r.quantity),
            money(r.unit_price_usd),
            money(r.total_usd),
            str(r.source),
        )
        for r in items
    ]
    rows.append(("total", "", "", "", money(float(bom["total_usd"].sum())), ""))
    columns = ["category", "item", "quantity [units]", "unit price [USD]", "total [USD]"]
    return pd.DataFrame(rows, columns=[*columns, "price source"])


def _tier_name(tier: str) -> str:
    info = TIERS[tier]
    return f"{esc(info.figure)}: {esc(info.title)}"


def _layout(title: str, xtitle: str, ytitle: str, **extra: Any) -> go.Layout:
    return go.Layout(
        title=dict(text=title, x=0.01, xanchor="left"),
        xaxis=dict(title=dict(text=xtitle), gridcolor=_GRID, zeroline=False),
        yaxis=dict(title=dict(text=ytitle), gridcolor=_GRID, zeroline=False),
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        font=dict(family=_FONT, color="#1f2933"),
        height=460,
        margin=dict(l=80, r=10, t=60, b=55),
        legend=dict(font=dict(size=11)),
        **extra,
    )


def _assumptions(df: pd.DataFrame) -> str:
    """The pricing assumptions carried in ``df.attrs`` (set by compare), as text."""
    cost, years = df.attrs.get("downtime_cost_per_hour"), df.attrs.get("years")
    if cost is None or years is None:
        return ""
    return f"downtime at {money(cost)}/hour, over {years:g} years"


def _hover(df: pd.DataFrame, downtime: str) -> list[str]:
    rows: Iterable[Any] = df.itertuples()
    return [
        f"<b>{_tier_name(r.tier)}</b><br>{plural(r.nodes, 'host')}<br>"
        f"capital cost: {money(r.capex_usd)}<br>availability: {r.availability:.6f} "
        f"({r.nines:.2f} nines)<br>{DOWNTIME_TITLES[downtime]}: {number(getattr(r, downtime), 1)}"
        f"<br>total cost: {money(r.total_cost_usd)}"
        + ("<br><i>on the Pareto frontier</i>" if r.pareto else "")
        for r in rows
    ]


def tradeoff_traces(
    df: pd.DataFrame,
    highlight: tuple[str, int] | None = None,
    downtime: str = "vm_downtime_minutes_per_year",
) -> list[go.Scatter]:
    """The traces of :func:`tradeoff_figure`: one per tier, the Pareto frontier, the
    current design (always in this order and number)."""
    traces = []
    for tier in TIERS:
        rows = df[df["tier"] == tier].sort_values("nodes")
        traces.append(
            go.Scatter(
                x=rows["capex_usd"].tolist(),
                y=rows[downtime].tolist(),
                mode="lines+markers",
                name=_tier_name(tier),
                legendgroup=tier,
                showlegend=not rows.empty,
                line=dict(color=TIER_HEX[tier], width=1),
                marker=dict(
                    color=TIER_HEX[tier],
                    symbol=TIER_SYMBOL[tier],
                    size=9,
                    line=dict(color="#ffffff", width=0.5),
                ),
                hovertext=_hover(rows, downtime),
                hoverinfo="text",
            )
        )
    front = df[df["pareto"]].sort_values(["capex_usd", downtime])
    traces.append(frontier_trace(front["capex_usd"].tolist(), front[downtime].tolist()))
    row = df.iloc[0:0]
    if highlight is not None:
        row = df[(df["tier"] == highlight[0]) & (df["nodes"] == highlight[1])]
    traces.append(
        go.Scatter(
            x=row["capex_usd"].tolist(),
            y=row[downtime].tolist(),
            mode="markers",
            name="current design",
            showlegend=not row.empty,
            marker=dict(size=22, symbol="circle-open", color=_HIGHLIGHT, line=dict(width=3)),
            hovertext=_hover(row, downtime),
            hoverinfo="text",
        )
    )
    return traces


def tradeoff_figure(
    df: pd.DataFrame,
    highlight: tuple[str, int] | None = None,
    *,
    downtime: str = "vm_downtime_minutes_per_year",
) -> go.Figure:
    """Capital cost [USD] against downtime [minutes/year, log axis] of every design of
    a :func:`hvdesign.cost.compare` table: one colour and symbol per tier (points of a
    tier joined in node order), the Pareto frontier as a dotted staircase (designs on
    it are not beaten on both cost and downtime; everything above and to the right of
    it is), and ``highlight`` = (tier, nodes) ringed.

    ``downtime`` is ``vm_downtime_minutes_per_year`` (default: the downtime plus the
    failover restarts, each weighted by the share of VMs it stops) or
    ``downtime_minutes_per_year``.
    """
    if downtime not in DOWNTIME_TITLES:
        from hvdesign.errors import HvdesignError

        raise HvdesignError("downtime", downtime, "one of " + ", ".join(DOWNTIME_TITLES))
    title = "Capital cost against downtime: every tier and node count"
    return go.Figure(
        data=tradeoff_traces(df, highlight, downtime),
        layout=_layout(
            title,
            "capital cost [USD]",
            DOWNTIME_TITLES[downtime] + ", log scale",
            hovermode="closest",
        ).update(yaxis=log_axis(df[downtime].tolist()), xaxis_tickformat="$,.0f", height=520),
    )


def bom_figure(bom: pd.DataFrame | Mapping[str, pd.DataFrame]) -> go.Figure:
    """A bill of materials (:func:`hvdesign.cost.bill_of_materials`) as stacked bars.

    One BOM: one bar per category (servers, network, storage, licences), stacked by
    item, hover with quantity x unit price. A mapping ``{label: bom}``: one bar per
    design, stacked by category, to compare what each design's money buys.
    """
    if isinstance(bom, Mapping):
        labels = list(bom)
        traces = []
        for cat in CATEGORIES:
            totals = [float(b.loc[b["category"] == cat, "total_usd"].sum()) for b in bom.values()]
            traces.append(
                go.Bar(
                    x=labels,
                    y=totals,
                    name=cat,
                    marker_color=CATEGORY_HEX[cat],
                    hovertemplate=f"{cat}: $%{{y:,.0f}}<extra>%{{x}}</extra>",
                )
            )
        title = "Capital cost by category"
        xtitle = "design"
    else:
        traces = []
        shade: dict[str, int] = {}
        items: Iterable[Any] = bom.itertuples()
        for r in items:
            k = shade[r.category] = shade.get(r.category, -1) + 1
            traces.append(
                go.Bar(
                    x=[r.category],
                    y=[r.total_usd],
                    name=esc(r.description),
                    marker=dict(
                        color=CATEGORY_HEX[r.category],
                        opacity=1 - 0.22 * (k % 3),
                        line=dict(color="#ffffff", width=1),
                    ),
                    text=["<br>".join(map(esc, textwrap.wrap(item_name(r.item, r.quantity), 13)))],
                    textposition="inside",
                    insidetextanchor="middle",
                    textangle=0,
                    hovertext=[
                        f"<b>{esc(r.description)}</b><br>{number(r.quantity)} x "
                        f"{money(r.unit_price_usd)} = {money(r.total_usd)}<br>"
                        f"price source: {esc(str(r.source))}"
                    ],
                    hoverinfo="text",
                )
            )
        title = f"Bill of materials: {money(bom['total_usd'].sum())} in all"
        xtitle = "category"
    layout = _layout(title, xtitle, "cost [USD]", barmode="stack", hovermode="closest")
    layout.update(yaxis_tickformat="$,.0f", showlegend=isinstance(bom, Mapping))
    # A label too small to read in its segment is hidden (the hover still names it).
    layout.update(uniformtext=dict(minsize=10, mode="hide"), bargap=0.15)
    return go.Figure(data=traces, layout=layout)


def _per_tier(
    df: pd.DataFrame,
    column: str,
    dash: str = "solid",
    legend: bool = True,
    suffix: str = "",
    unit: str = "$%{y:,.0f}",
) -> list[go.Scatter]:
    traces = []
    for tier in TIERS:
        rows = df[df["tier"] == tier].sort_values("nodes")
        traces.append(
            go.Scatter(
                x=rows["nodes"].tolist(),
                y=rows[column].tolist(),
                mode="lines+markers",
                name=_tier_name(tier) + suffix,
                legendgroup=tier,
                showlegend=legend and not rows.empty,
                line=dict(color=TIER_HEX[tier], width=2 if dash == "solid" else 1, dash=dash),
                marker=dict(
                    color=TIER_HEX[tier], symbol=TIER_SYMBOL[tier], size=7 if dash == "solid" else 4
                ),
                hovertemplate=f"{esc(TIERS[tier].figure)}{suffix}: {unit}<extra></extra>",
            )
        )
    return traces


def total_cost_figure(df: pd.DataFrame) -> go.Figure:
    """Total cost [USD] (capital cost + expected downtime cost over the horizon)
    against node count, one line per tier; the capital cost alone dotted in the same
    colour, so the gap between the two lines is what downtime costs.
    """
    traces = _per_tier(df, "total_cost_usd") + _per_tier(
        df, "capex_usd", dash="dot", legend=False, suffix=" (capital cost)"
    )
    note = _assumptions(df)
    title = "Total cost (solid) and capital cost alone (dotted) against node count"
    title += f"<br><sup>{note}</sup>" if note else ""
    layout = _layout(
        title, "hosts [cluster nodes or standalone servers]", "cost [USD]", hovermode="x unified"
    )
    layout.update(yaxis_tickformat="$,.0f", yaxis_rangemode="tozero")
    return go.Figure(data=traces, layout=layout)


def cost_per_nine_figure(df: pd.DataFrame) -> go.Figure:
    """Capital cost per nine of availability [USD/nine] (capex / -log10(1 -
    availability)) against node count, one line per tier: what each nine costs."""
    traces = _per_tier(df, "cost_per_nine_usd", unit="$%{y:,.0f} per nine")
    layout = _layout(
        "Capital cost per nine of availability",
        "hosts [cluster nodes or standalone servers]",
        "cost per nine [USD/nine]",
        hovermode="x unified",
    )
    layout.update(yaxis_tickformat="$,.0f", yaxis_rangemode="tozero")
    return go.Figure(data=traces, layout=layout)


#: The sentence under the equal-capacity trade-off: what it shows.
CAPACITY_TRADEOFF_TEXT = (
    "Every design here carries the same VMs (each tier sized for the workload): total "
    "cost over the horizon (capex + opex x years + downtime cost) against the minutes a "
    "year an average VM is down; no design beats one on the dotted Pareto frontier on both."
)


def _capacity_label(tier: str, server: str) -> str:
    return f"{_tier_name(tier)}, {esc(server)} server"


def _capacity_hover(rows: pd.DataFrame) -> list[str]:
    it: Iterable[Any] = rows.itertuples()
    return [
        f"<b>{_capacity_label(r.tier, r.server)}</b><br>{plural(r.nodes, 'host')}, "
        f"{r.vms_per_host} VMs per host ({esc(r.limited_by)}-bound)<br>"
        f"capex: {money(r.capex_usd)}<br>opex: {money(r.opex_usd_per_year)}/year<br>"
        f"downtime cost: {money(r.downtime_cost_usd)}<br>total cost: {money(r.total_cost_usd)}"
        f"<br>VM downtime: {number(r.vm_downtime_minutes_per_year, 1)} minutes/year<br>"
        f"cost per VM per year: {money(r.cost_per_vm_per_year_usd)}"
        + ("<br><i>on the Pareto frontier</i>" if r.pareto else "")
        for r in it
    ]


def capacity_tradeoff_figure(
    df: pd.DataFrame, highlight: tuple[str, str] | None = None
) -> go.Figure:
    """Total cost [USD] against VM-weighted downtime [minutes/year, log axis] of the
    designs of :func:`hvdesign.sizing.compare_workload` (every tier sized for the SAME
    workload, on one or more server models): one marker per design (colour and symbol
    of its tier, labelled with its server model), the Pareto frontier as a dotted staircase, and ``highlight`` = (tier,
    server) ringed. The hover gives the nodes, VMs per host, capex, opex, total and the
    cost per VM per year.

    Traces, in order: one per tier (:data:`hvdesign.spec.TIERS` order, empty and out of
    the legend when the table has none of it), the frontier, the ringed design.
    """
    traces: list[go.Scatter] = []
    for tier in TIERS:
        rows = df[df["tier"] == tier]
        traces.append(
            go.Scatter(
                x=rows["total_cost_usd"].tolist(),
                y=rows["vm_downtime_minutes_per_year"].tolist(),
                mode="markers+text",
                text=[esc(str(v)) for v in rows["server"]],
                textposition="top center",
                textfont=dict(size=10, color="#5f6b7a"),
                name=_tier_name(tier),
                legendgroup=tier,
                showlegend=not rows.empty,
                marker=dict(
                    color=TIER_HEX[tier],
                    symbol=TIER_SYMBOL[tier],
                    size=12,
                    line=dict(color="#ffffff", width=0.5),
                ),
                hovertext=_capacity_hover(rows),
                hoverinfo="text",
            )
        )
    front = df[df["pareto"]].sort_values(["total_cost_usd", "vm_downtime_minutes_per_year"])
    traces.append(
        frontier_trace(
            front["total_cost_usd"].tolist(), front["vm_downtime_minutes_per_year"].tolist()
        )
    )
    row = df.iloc[0:0]
    if highlight is not None:
        row = df[(df["tier"] == highlight[0]) & (df["server"] == highlight[1])]
    traces.append(
        go.Scatter(
            x=row["total_cost_usd"].tolist(),
            y=row["vm_downtime_minutes_per_year"].tolist(),
            mode="markers",
            name="current design",
            showlegend=not row.empty,
            marker=dict(size=24, symbol="circle-open", color=_HIGHLIGHT, line=dict(width=3)),
            hovertext=_capacity_hover(row),
            hoverinfo="text",
        )
    )
    w = df.attrs.get("workload") or {}
    sub = _assumptions(df)
    title = "Total cost against VM downtime at equal capacity"
    if w:
        title += (
            f": {number(w['vms'])} VMs of {w['vcpus_per_vm']} vCPU, {w['memory_gb_per_vm']:g} GB"
        )
    title += f"<br><sup>{sub}</sup>" if sub else ""
    layout = _layout(
        title,
        "total cost over the horizon [USD]",
        "VM-weighted downtime [minutes/year], log scale",
        hovermode="closest",
    ).update(
        yaxis=log_axis(df["vm_downtime_minutes_per_year"].tolist()),
        xaxis_tickformat="$,.0f",
        height=520,
    )
    return go.Figure(data=traces, layout=layout)


def capacity_table(df: pd.DataFrame) -> pd.DataFrame:
    """The designs of :func:`hvdesign.sizing.compare_workload` as a table to show,
    cheapest total first: tier, server, hosts, VMs per host and the binding constraint,
    capex [USD], opex [USD/year], VM downtime [minutes/year], total cost [USD] and
    cost per VM per year [USD/VM/year], and whether on the Pareto frontier. Every
    value is text."""
    it: Iterable[Any] = df.sort_values("total_cost_usd").itertuples()
    rows = [
        (
            f"{TIERS[r.tier].figure}: {r.tier}",
            str(r.server),
            number(r.nodes),
            f"{r.vms_per_host} ({r.limited_by})",
            money(r.capex_usd),
            money(r.opex_usd_per_year),
            number(r.vm_downtime_minutes_per_year, 1),
            money(r.total_cost_usd),
            money(r.cost_per_vm_per_year_usd),
            "yes" if r.pareto else "",
        )
        for r in it
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "tier",
            "server",
            "hosts",
            "VMs per host (limited by)",
            "capex [USD]",
            "opex [USD/year]",
            "VM downtime [min/year]",
            "total cost [USD]",
            "per VM per year [USD]",
            "Pareto",
        ],
    )
