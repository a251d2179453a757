"""Figures and tables of failure coverage (domain.md §3): what each tier does when one
component (or two) fails.

Everything here presents what :mod:`hvdesign.failures` computes and nothing else:
the outcomes, shares and reasons come from :func:`~hvdesign.failures.analyse` (every
scenario of a design) and :func:`~hvdesign.failures.evaluate_bruteforce` (one picked
scenario). Functions return a plotly ``go.Figure`` or a pandas ``DataFrame``; none
shows, prints or writes anything.

Outcomes are coloured the same way in every figure (:data:`OUTCOME_HEX`):

* **survived** (green): no virtual machine stops;
* **failover** (amber): the VMs of the affected hosts restart on other nodes, an
  outage of a few minutes for those VMs only;
* **outage** (red): some VMs stay down until the failed part is repaired.

A *single point of failure* is a component whose failure alone is an outage.

References
----------
[1] The source guide, "Creating Highly-Available Hyper-V with iSCSI Storage",
    Figs 2.8 to 2.12 (``shared/seed``).
[2] ``shared/domain.md`` section 3.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from hvdesign.failures import Coverage, analyse, evaluate_bruteforce
from hvdesign.scenarios import KINDS, OUTCOMES, FailureRules, Result
from hvdesign.spec import TIERS, Design, design_from_tier
from hvdesign.views.html import esc, percent
from hvdesign.views.topology import topology_traces

#: Fill colour of each outcome in the figures (light, so dark cell text stays legible).
OUTCOME_HEX: dict[str, str] = {
    "survived": "#8fd19e",
    "failover": "#f6c869",
    "outage": "#e8817c",
}

#: A darker shade of each outcome colour, for text on white (titles, the widget).
OUTCOME_TEXT_HEX: dict[str, str] = {
    "survived": "#1b7a3a",
    "failover": "#9a5b00",
    "outage": "#b3261e",
}

#: Fill of a heat-map cell whose tier has no component of that kind.
NA_HEX = "#eceff2"

#: What each outcome means, in words (domain.md §3).
OUTCOME_MEANING: dict[str, str] = {
    "survived": "no VM stops",
    "failover": "the VMs of the affected hosts restart on other nodes",
    "outage": "some VMs stay down until the failed part is repaired",
}

#: Column label of each component kind in the figures and tables.
KIND_LABELS: dict[str, str] = {
    "host": "host",
    "nic": "NIC port",
    "nic_card": "NIC card",
    "switch": "switch",
    "uplink": "uplink",
    "isl": "inter-switch link",
    "san_port": "SAN target portal",
    "san": "SAN",
}

#: Heat-map code of each cell state: the colour scale maps code k to one colour.
OUTCOME_CODE: dict[str, int] = {"n/a": 0, "survived": 1, "failover": 2, "outage": 3}

_FONT = "Helvetica, Arial, sans-serif"
_INK = "#1f2933"
_GRID = "#e5e8ec"


# ------------------------------------------------------------------ helpers


def tier_designs(nodes: int = 4, **options: Any) -> dict[str, Design]:
    """One design per tier, in the guide's order: the single-server tiers with one
    host (as the guide draws them), the cluster tiers with ``nodes`` nodes [hosts].

    >>> {t: d.nodes for t, d in tier_designs(3).items()}  # doctest: +NORMALIZE_WHITESPACE
    {'single-redundant-connections': 1, 'single-redundant-path': 1, 'cluster-minimal': 3,
     'cluster-redundant-connections': 3, 'cluster-redundant-path': 3}
    """
    return {
        tier: design_from_tier(tier, nodes=nodes if info.preset["cluster"] else 1, **options)
        for tier, info in TIERS.items()
    }


def coverage_by_tier(
    nodes: int = 4, *, rules: FailureRules | None = None, double: bool = False
) -> dict[str, Coverage]:
    """:func:`~hvdesign.failures.analyse` of each design of :func:`tier_designs`.

    With ``double`` the pairs are counted (by kind and outcome) but not listed one by
    one, which is all the figures need.
    """
    return {
        tier: analyse(design, rules, double=double, expand=False)
        for tier, design in tier_designs(nodes).items()
    }


def worst_outcome(counts: dict[str, int]) -> str | None:
    """The worst outcome with at least one scenario (outage > failover > survived),
    or ``None`` when there is no scenario.

    >>> worst_outcome({"survived": 3, "failover": 1, "outage": 0})
    'failover'
    """
    for outcome in reversed(OUTCOMES):
        if counts.get(outcome, 0) > 0:
            return outcome
    return None


def _tier_label(design: Design, covered: float | None = None) -> str:
    """Row label of a tier: figure, title, hosts and (optionally) its coverage."""
    info = design.tier_info
    unit = "node" if design.cluster else "host"
    text = f"<b>{esc(info.figure)}</b> {esc(info.title)}<br>{design.nodes} {unit}"
    text += "s" if design.nodes != 1 else ""
    if covered is not None:
        text += f" · coverage {percent(covered)}"
    return text


def _short_label(design: Design) -> str:
    """A tier label for a category axis: figure, title on short lines, hosts."""
    info = design.tier_info
    unit = "node" if design.cluster else "host"
    title = "<br>".join(esc(line) for line in textwrap.wrap(info.title, 22))
    plural = "s" if design.nodes != 1 else ""
    return f"<b>{esc(info.figure)}</b><br>{title}<br>{design.nodes} {unit}{plural}"


def rules_text(rules: FailureRules | None = None, design: Design | None = None) -> str:
    """The failure rules' assumptions in one line (for subtitles and captions).

    >>> rules_text()  # doctest: +NORMALIZE_WHITESPACE
    'CSV redirected I/O on · network health detection: on from Windows Server 2012 R2 ·
     quorum: auto (node majority, + witness disk at an even node count) · reserve: N+1'
    """
    rules = rules or FailureRules()
    if rules.network_health_detection is not None:
        nhd = "on" if rules.network_health_detection else "off"
    elif design is None:
        nhd = "on from Windows Server 2012 R2"
    else:
        nhd = "on" if rules.nhd(design) else "off"
    quorum = {
        "auto": "auto (node majority, + witness disk at an even node count)",
        "node_majority": "node majority",
        "node_and_disk_majority": "node and disk majority",
    }.get(rules.quorum, rules.quorum)
    return (
        f"CSV redirected I/O {'on' if rules.csv_redirected_io else 'off'} · "
        f"network health detection: {nhd} · quorum: {esc(quorum)} · "
        f"reserve: N+{rules.reserve}"
    )


def _layout(title: str, subtitle: str, height: int) -> dict[str, Any]:
    return dict(
        title=dict(
            text=title,
            subtitle=dict(text=subtitle, font=dict(size=12, color="#52606d")),
            x=0.01,
            xanchor="left",
            font=dict(size=17),
        ),
        height=height,
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        font=dict(family=_FONT, color=_INK),
        hoverlabel=dict(font=dict(family=_FONT, size=12)),
    )


def _legend_traces(entries: Iterable[tuple[str, str]]) -> list[go.Scatter]:
    """Legend-only entries (a filled square per colour) for a heat map."""
    return [
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=name,
            marker=dict(
                size=14, symbol="square", color=colour, line=dict(width=1, color="#9aa3ad")
            ),
            hoverinfo="skip",
            showlegend=True,
        )
        for name, colour in entries
    ]


# ------------------------------------------------------------------ tier figures


def coverage_heatmap(
    nodes: int = 4, *, rules: FailureRules | None = None, double: bool = False
) -> go.Figure:
    """The outcome of every single-component failure of each tier, by component kind.

    Rows are the tiers in the guide's order (the single-server tiers with one host,
    the cluster tiers with ``nodes`` nodes), columns the component kinds of
    :data:`hvdesign.scenarios.KINDS`. A cell is coloured by the *worst* outcome of the
    scenarios of that kind (survived green, failover amber, outage red; grey "n/a"
    where the tier has no such component) and says how many scenarios had each
    outcome; hovering gives the shares and names the single points of failure.

    With ``double=True`` a cell covers the double-failure scenarios in which at least
    one of the two failed components is of that kind, and is coloured by the share
    of them that is not an outage [%] (red 0 % to green 100 %).

    Parameters
    ----------
    nodes : int
        Nodes of the cluster tiers [hosts] (the single-server tiers have one).
    rules : FailureRules, optional
        The failure rules (default: :class:`~hvdesign.failures.FailureRules()`).
    double : bool
        Double-failure shares instead of single-failure outcomes.

    Returns
    -------
    plotly.graph_objects.Figure
        One heat-map trace first (``z`` holds :data:`OUTCOME_CODE` codes, or shares
        [%] with ``double``), then legend-only traces.

    Examples
    --------
    >>> fig = coverage_heatmap(4)
    >>> dict(zip(fig.data[0].x, fig.data[0].z[-1]))["san"]  # the SAN: an outage (3)
    3
    """
    coverages = coverage_by_tier(nodes, rules=rules, double=double)
    if double:
        return _double_heatmap(coverages, rules)
    y = [_tier_label(c.design, c.single_failure_coverage) for c in coverages.values()]
    z, text, hover = [], [], []
    for tier, cov in coverages.items():
        table = cov.by_kind()
        z_row, t_row, h_row = [], [], []
        for kind in KINDS:
            counts = table.get(kind, {})
            total = sum(counts.values())
            worst = worst_outcome(counts)
            head = f"<b>{esc(TIERS[tier].title)}</b> ({cov.design.nodes})<br>"
            if worst is None:
                z_row.append(OUTCOME_CODE["n/a"])
                t_row.append("n/a")
                h_row.append(f"{head}no {KIND_LABELS[kind]} in this tier")
                continue
            z_row.append(OUTCOME_CODE[worst])
            lines = [f"{counts[o]} {o}" for o in OUTCOMES if counts.get(o)]
            t_row.append("<br>".join(lines))
            shares = "<br>".join(
                f"{o}: {counts.get(o, 0)} of {total} ({percent(counts.get(o, 0) / total)})"
                for o in OUTCOMES
            )
            spofs = [s for s in cov.single_points_of_failure if _kind(cov, s) == kind]
            tail = ""
            if spofs:
                names = ", ".join(spofs[:4]) + (" ..." if len(spofs) > 4 else "")
                tail = f"<br>single points of failure: {esc(names)}"
            h_row.append(f"{head}{KIND_LABELS[kind]} failures: {total} scenarios<br>{shares}{tail}")
        z.append(z_row)
        text.append(t_row)
        hover.append(h_row)
    colours = [NA_HEX, OUTCOME_HEX["survived"], OUTCOME_HEX["failover"], OUTCOME_HEX["outage"]]
    scale = []
    for k, colour in enumerate(colours):  # one flat band of the scale per code
        scale += [[k / len(colours), colour], [(k + 1) / len(colours), colour]]
    heat = go.Heatmap(
        z=z,
        x=list(KINDS),
        y=y,
        text=text,
        customdata=hover,
        texttemplate="%{text}",
        textfont=dict(size=12, color=_INK, family=_FONT),
        hovertemplate="%{customdata}<extra></extra>",
        colorscale=scale,
        zmin=-0.5,
        zmax=len(colours) - 0.5,
        showscale=False,
        xgap=3,
        ygap=3,
        name="outcome",
    )
    legend = _legend_traces(
        [(f"{o}: {OUTCOME_MEANING[o]}", OUTCOME_HEX[o]) for o in OUTCOMES]
        + [("n/a: no such component", NA_HEX)]
    )
    fig = go.Figure([heat, *legend])
    fig.update_layout(
        _layout(
            "Single-component failures by tier and component kind [scenarios]",
            "Cell colour = worst outcome of that kind; text = scenarios per outcome; "
            "coverage = share of the tier's single failures that are not an outage.<br>"
            f"Cluster tiers at {coverages['cluster-minimal'].design.nodes} nodes, "
            f"single-server tiers at 1 host · {rules_text(rules)}",
            560,
        )
    )
    _grid_axes(fig)
    return fig


def _kind(cov: Coverage, name: str) -> str:
    """Kind of a single-failure component, read from the coverage's scenarios."""
    for s in cov.singles:
        if s.failed[0] == name:
            return s.kinds[0]
    return ""


def _grid_axes(fig: go.Figure) -> None:
    fig.update_layout(
        xaxis=dict(
            side="top",
            tickmode="array",
            tickvals=list(KINDS),
            ticktext=[KIND_LABELS[k] for k in KINDS],
            showgrid=False,
            zeroline=False,
            title=None,
            fixedrange=True,
        ),
        yaxis=dict(autorange="reversed", showgrid=False, zeroline=False, fixedrange=True),
        legend=dict(
            orientation="h", x=0.0, xanchor="left", y=-0.03, yanchor="top", font=dict(size=12)
        ),
        margin=dict(l=10, r=10, t=130, b=60),
    )


def _double_heatmap(coverages: dict[str, Coverage], rules: FailureRules | None) -> go.Figure:
    y = [_tier_label(c.design, c.double_failure_coverage) for c in coverages.values()]
    z, text, hover = [], [], []
    for tier, cov in coverages.items():
        table = cov.by_kind(double=True)
        z_row: list[float | None] = []
        t_row: list[str] = []
        h_row: list[str] = []
        for kind in KINDS:
            counts = dict.fromkeys(OUTCOMES, 0)
            for key, row in table.items():
                if kind in key.split("+"):
                    for o in OUTCOMES:
                        counts[o] += row[o]
            total = sum(counts.values())
            head = f"<b>{esc(TIERS[tier].title)}</b> ({cov.design.nodes})<br>"
            if not total:
                z_row.append(None)
                t_row.append("n/a")
                h_row.append(f"{head}no {KIND_LABELS[kind]} in this tier")
                continue
            ok = total - counts["outage"]
            z_row.append(100 * ok / total)
            t_row.append(f"{percent(ok / total)}<br>of {total:,}")
            shares = "<br>".join(
                f"{o}: {counts[o]:,} ({percent(counts[o] / total)})" for o in OUTCOMES
            )
            h_row.append(f"{head}pairs with a {KIND_LABELS[kind]}: {total:,} scenarios<br>{shares}")
        z.append(z_row)
        text.append(t_row)
        hover.append(h_row)
    heat = go.Heatmap(
        z=z,
        x=list(KINDS),
        y=y,
        text=text,
        customdata=hover,
        texttemplate="%{text}",
        textfont=dict(size=12, color=_INK, family=_FONT),
        hovertemplate="%{customdata}<extra></extra>",
        colorscale=[
            [0.0, OUTCOME_HEX["outage"]],
            [0.5, OUTCOME_HEX["failover"]],
            [1.0, OUTCOME_HEX["survived"]],
        ],
        zmin=0,
        zmax=100,
        xgap=3,
        ygap=3,
        colorbar=dict(title=dict(text="not an<br>outage [%]"), thickness=14, len=0.8),
        name="double-failure coverage",
    )
    fig = go.Figure([heat])
    n = coverages["cluster-minimal"].design.nodes
    fig.update_layout(
        _layout(
            "Double-component failures by tier and component kind: share that is not an outage [%]",
            "A cell covers every pair of failed components with at least one of that kind; "
            "coverage = share of the tier's double failures that are not an outage.<br>"
            f"Cluster tiers at {n} nodes, single-server tiers at 1 host · {rules_text(rules)}",
            560,
        ),
        plot_bgcolor=NA_HEX,
    )
    _grid_axes(fig)
    return fig


def double_coverage_figure(nodes: int = 4, *, rules: FailureRules | None = None) -> go.Figure:
    """Single- and double-failure coverage of each tier [%]: the share of the
    scenarios with one (two) failed components that are not an outage.

    Examples
    --------
    >>> fig = double_coverage_figure(4)
    >>> [t.name for t in fig.data]
    ['single failures', 'double failures']
    """
    coverages = coverage_by_tier(nodes, rules=rules, double=True)
    x = [_short_label(c.design) for c in coverages.values()]
    traces = []
    for name, colour, attr, counts in (
        ("single failures", "#4c6ef5", "single_failure_coverage", "single_counts"),
        ("double failures", "#1c2b6b", "double_failure_coverage", "double_counts"),
    ):
        values = [100 * getattr(c, attr) for c in coverages.values()]
        totals = [sum(getattr(c, counts).values()) for c in coverages.values()]
        traces.append(
            go.Bar(
                x=x,
                y=values,
                name=name,
                marker=dict(color=colour),
                text=[percent(v / 100) for v in values],
                textposition="outside",
                customdata=totals,
                hovertemplate=f"{name}: %{{y:.1f}} % of %{{customdata:,}} scenarios<extra></extra>",
            )
        )
    fig = go.Figure(traces)
    n = coverages["cluster-minimal"].design.nodes
    fig.update_layout(
        _layout(
            "Failure coverage by tier: scenarios that are not an outage [%]",
            f"Every single and every double component failure. Cluster tiers at {n} nodes, "
            f"single-server tiers at 1 host.<br>{rules_text(rules)}",
            480,
        ),
        barmode="group",
        bargap=0.25,
        yaxis=dict(
            title=dict(text="coverage [% of scenarios]"),
            range=[0, 109],
            gridcolor=_GRID,
            zeroline=False,
        ),
        xaxis=dict(tickfont=dict(size=12)),
        legend=dict(
            orientation="h", x=0.01, y=0.99, yanchor="top", bgcolor="rgba(255,255,255,0.9)"
        ),
        margin=dict(l=70, r=10, t=110, b=20),
    )
    return fig


# ------------------------------------------------------------------ one design


def coverage_figure(coverage: Coverage) -> go.Figure:
    """The outcome shares of one design's single (and, if analysed, double) failure
    scenarios [%], as stacked bars; the title gives the coverage.

    The figure always has three traces (survived, failover, outage), so a
    ``go.FigureWidget`` can be updated in place.
    """
    rows = [("single failures", coverage.single_counts)]
    if coverage.double_failure_coverage is not None:
        rows.append(("double failures", coverage.double_counts))
    labels = []
    shares: dict[str, list[float]] = {o: [] for o in OUTCOMES}
    counts_of: dict[str, list[int]] = {o: [] for o in OUTCOMES}
    for label, counts in rows:
        total = sum(counts.values())
        labels.append(f"{label}<br>({total:,} scenarios)")
        for o in OUTCOMES:
            c = sum(v for (_, outcome), v in counts.items() if outcome == o)
            counts_of[o].append(c)
            shares[o].append(100 * c / total if total else 0.0)
    traces = [
        go.Bar(
            y=labels,
            x=shares[o],
            orientation="h",
            name=o,
            marker=dict(color=OUTCOME_HEX[o], line=dict(width=0)),
            text=[percent(s / 100) if s >= 4 else "" for s in shares[o]],
            textposition="inside",
            insidetextanchor="middle",
            textfont=dict(color=_INK),
            customdata=counts_of[o],
            hovertemplate=f"{o}: %{{customdata:,}} scenarios (%{{x:.1f}} %)<extra></extra>",
        )
        for o in OUTCOMES
    ]
    title = f"Failure coverage: {percent(coverage.single_failure_coverage)} of single"
    if coverage.double_failure_coverage is not None:
        title += f" and {percent(coverage.double_failure_coverage)} of double"
    title += " failures are not an outage"
    fig = go.Figure(traces)
    fig.update_layout(
        _layout(title, f"{esc(coverage.design.title)} · outcome shares [%]", 260),
        barmode="stack",
        xaxis=dict(range=[0, 100], ticksuffix=" %", gridcolor=_GRID, zeroline=False),
        yaxis=dict(autorange="reversed"),
        legend=dict(orientation="h", x=0.0, y=-0.15, yanchor="top", traceorder="normal"),
        margin=dict(l=10, r=10, t=80, b=40),
    )
    return fig


def spof_table(coverage: Coverage) -> pd.DataFrame:
    """The single points of failure of a design: every component whose failure alone
    is an outage, with its kind, the VMs it stops [%] and why.

    Examples
    --------
    >>> from hvdesign.spec import design_from_tier
    >>> spof_table(analyse(design_from_tier("cluster-redundant-path", nodes=4)))[
    ...     ["component", "kind", "VMs down [%]"]]
      component kind  VMs down [%]
    0       san  san         100.0
    """
    rows = [
        {
            "component": s.failed[0],
            "kind": s.kinds[0],
            "VMs down [%]": round(100 * s.vms_down_fraction, 1),
            "reason": s.reason,
        }
        for s in coverage.singles
        if s.outcome == "outage"
    ]
    return pd.DataFrame(rows, columns=["component", "kind", "VMs down [%]", "reason"])


def kind_table(coverage: Coverage, double: bool = False) -> pd.DataFrame:
    """Scenario counts by component kind (pairs: ``kind+kind``) and outcome, in the
    order of :data:`hvdesign.scenarios.KINDS`.

    Examples
    --------
    >>> from hvdesign.spec import design_from_tier
    >>> kind_table(analyse(design_from_tier("cluster-minimal", nodes=2))).head(2)
      kind  survived  failover  outage
    0  host         0         2       0
    1   nic         6         0       0
    """
    table = coverage.by_kind(double=double)

    def order(key: str) -> tuple[int, ...]:
        return tuple(KINDS.index(k) for k in key.split("+"))

    rows = [{"kind": key, **table[key]} for key in sorted(table, key=order)]
    return pd.DataFrame(rows, columns=["kind", *OUTCOMES])


def _scenario_title(failed: Sequence[str], result: Result) -> str:
    what = " and ".join(failed) + " down" if failed else "no failure"
    colour = OUTCOME_TEXT_HEX[result.outcome]
    if result.outcome == "outage":
        effect = f"{percent(result.vms_down_fraction)} of VMs down until repair"
    else:
        effect = OUTCOME_MEANING[result.outcome]
    return f"{esc(what)}: <span style='color:{colour}'><b>{result.outcome}</b></span> ({effect})"


def scenario_traces(
    design: Design,
    failed: Iterable[str],
    rules: FailureRules | None = None,
    G: nx.Graph | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any], Result]:
    """The topology of ``design`` with ``failed`` greyed, as plain traces and layout
    (see :func:`hvdesign.views.topology.topology_traces`), and the scenario's
    :class:`~hvdesign.failures.Result` by graph search. The title says the outcome."""
    failed = list(dict.fromkeys(failed))
    result = evaluate_bruteforce(design, failed, rules)
    traces, layout = topology_traces(design, G, failed=failed, title=design.title)
    # The heading is escaped (it holds no "<br>"), so the first <br> ends it: the
    # outcome becomes the heading, the design's title joins the subtitle.
    heading, sub = layout["title"]["text"].split("<br>", 1)
    sub = sub.removeprefix("<sup>").removesuffix("</sup>")
    layout["title"]["text"] = f"{_scenario_title(failed, result)}<br><sup>{heading} · {sub}</sup>"
    # The legend under the diagram (it grows downwards as it wraps on a narrow page),
    # the title pinned to the top: a wrapped legend never overprints the title.
    layout["title"].update(yref="container", y=1 - 26 / layout["height"], yanchor="middle")
    layout["legend"] = {**layout["legend"], "y": 0.0, "yanchor": "top"}
    layout["margin"] = {**layout["margin"], "t": 70, "b": layout["margin"]["b"] + 50}
    return traces, layout, result


def scenario_figure(
    design: Design, failed: Iterable[str], rules: FailureRules | None = None
) -> tuple[go.Figure, Result]:
    """The topology with the failed components greyed, and what the failure does.

    The title gives the outcome and the share of VMs down; the reason is written
    under the diagram.

    Examples
    --------
    >>> from hvdesign.spec import design_from_tier
    >>> fig, result = scenario_figure(design_from_tier("cluster-redundant-path", nodes=4),
    ...                               ["switch-a"])
    >>> result.outcome
    'survived'
    """
    traces, layout, result = scenario_traces(design, failed, rules)
    fig = go.Figure(data=traces, layout=layout)
    lines = textwrap.wrap(result.reason, 140) or [""]
    # The reason between the title and the diagram (the legend is under it).
    fig.add_annotation(
        text="<b>Why:</b> " + "<br>".join(esc(line) for line in lines),
        xref="paper",
        yref="paper",
        x=0.0,
        y=1.0,
        xanchor="left",
        yanchor="bottom",
        yshift=4,
        align="left",
        showarrow=False,
        font=dict(size=12, color=OUTCOME_TEXT_HEX[result.outcome]),
    )
    extra = 18 * len(lines) + 8
    fig.update_layout(height=layout["height"] + extra, margin=dict(t=layout["margin"]["t"] + extra))
    return fig, result
