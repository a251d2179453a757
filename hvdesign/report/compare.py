"""Two scenarios side by side: ``hvdesign report --compare A.yaml B.yaml -o FILE.html``.

One self-contained HTML file (no notebook, no kernel): the key figures of both
scenarios (:class:`hvdesign.scenariofile.ScenarioFile`; a bare Design stands for the
design with the shipped defaults) (counts, failure coverage, both availability figures,
downtime, capital cost, total cost, check findings) with their differences marked, then the options, the counts, the single
points of failure, the failure coverage by component kind, the bills of materials,
the check findings, and the two topologies and their capital cost by category as
figures.

Every number comes from the analyses, each with its own scenario's rules,
reliability figures, prices and economics (:mod:`hvdesign.counts`, :mod:`hvdesign.failures`,
:mod:`hvdesign.checks`, :mod:`hvdesign.availability`, :mod:`hvdesign.cost`); this module
only lays them out in rows, one column per design, with a row marked (``hv-diff``,
a tinted band and a "differs" cell) wherever the two designs differ. The style is the
single-design report's (``static/report.css``, with ``static/compare.css`` added), the
table renderer and formatters the package's (:mod:`hvdesign.views.html`). plotly.js is embedded once; the file makes no
network request. Every user-supplied string (design names above all) is escaped.

Examples
--------
>>> from hvdesign.spec import design_from_tier
>>> a = design_from_tier("cluster-redundant-connections", nodes=4)
>>> b = design_from_tier("cluster-redundant-path", nodes=4)
>>> write_comparison(a, b, "compare.html")  # doctest: +SKIP
PosixPath('compare.html')
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from hvdesign.availability import availability
from hvdesign.checks import RULES, check_design
from hvdesign.cost import bill_of_materials, downtime_cost
from hvdesign.counts import summary
from hvdesign.datafiles import write_bytes_atomic
from hvdesign.errors import HvdesignError
from hvdesign.failures import KINDS, analyse
from hvdesign.report.assets import COMPARE_CSS, PRINT_FIT_JS, REPORT_CSS
from hvdesign.report.parameters import user_figures
from hvdesign.report.sections import (
    SERVICE_AVAILABILITY_TEXT,
    VM_AVAILABILITY_TEXT,
    Target,
    as_scenario,
    design_table,
)
from hvdesign.scenariofile import load_scenario
from hvdesign.spec import Design
from hvdesign.views.cost import bom_figure
from hvdesign.views.html import esc, money, number, percent, table_html
from hvdesign.views.topology import topology_figure

#: The marker in the last column of a row whose two values differ.
DIFFERS = "differs"

#: Column titles of the two designs in every table.
COLUMN_A, COLUMN_B = "A", "B"


# ------------------------------------------------------------------ analyses


class _Facts:
    """What the comparison shows of one scenario, each analysis run once with the
    scenario's rules, reliability figures and prices."""

    def __init__(self, target: Target) -> None:
        sf = as_scenario(target)
        self.scenario = sf
        self.design = design = sf.design
        self.summary = summary(design)
        self.coverage = analyse(design, sf.rules, double=True, expand=False)
        self.findings = check_design(design)
        self.availability = availability(design, sf.reliability, sf.rules)
        self.bom = bill_of_materials(design, sf.catalog)
        self.capex_usd = float(self.bom["total_usd"].sum())
        eco = sf.economics
        self.total_cost_usd = self.capex_usd + downtime_cost(
            self.availability.vm_downtime_minutes_per_year,
            eco.downtime_cost_per_hour_usd,
            eco.years,
        )


# ------------------------------------------------------------------ tables


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def side_by_side(rows: Sequence[tuple[Any, ...]], label: str) -> pd.DataFrame:
    """A table of (``label``, A, B) rows with a last column that says ``differs``
    where A and B differ. A row may carry a fourth item, ``True`` when they differ,
    for values whose text differs where the comparison should not (counts of
    scenarios beside a share).

    >>> side_by_side([("hosts", 4, 4), ("switches", 1, 2)], "figure").values.tolist()
    [['hosts', 4, 4, ''], ['switches', 1, 2, 'differs']]
    """
    data = []
    for row in rows:
        name, a, b = row[:3]
        differs = row[3] if len(row) > 3 else not _same(a, b)
        data.append((name, a, b, DIFFERS if differs else ""))
    return pd.DataFrame(data, columns=[label, COLUMN_A, COLUMN_B, "A vs B"])


def marked_table(df: pd.DataFrame) -> str:
    """``df`` as the report's table (:func:`hvdesign.views.html.table_html`), every row
    whose last cell is ``differs`` given the class ``hv-diff``.

    >>> t = marked_table(side_by_side([("x", 1, 2)], "figure"))
    >>> '<tr class="hv-diff">' in t
    True
    """
    lines = table_html(df).split("\n")
    row_start = None
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("<tr"):
            row_start = i
        elif row_start is not None and stripped.endswith(f">{DIFFERS}</td>"):
            lines[row_start] = lines[row_start].replace("<tr", '<tr class="hv-diff"', 1)
    return "\n".join(lines)


def key_figures(a: _Facts, b: _Facts) -> pd.DataFrame:
    """The figures an architect compares first, one row each."""

    def units(f: _Facts) -> int:
        return sum(f.summary["switch_units"].values())

    def severity(f: _Facts, level: str) -> int:
        return sum(1 for x in f.findings if x.severity == level)

    rows: list[tuple[str, Any, Any]] = [
        ("tier", f"{a.design.tier_info.figure}: {a.design.tier_info.title}",
         f"{b.design.tier_info.figure}: {b.design.tier_info.title}"),
        ("hosts [count]", a.design.nodes, b.design.nodes),
        ("switches [count]", a.summary["switches"], b.summary["switches"]),
        ("switch units [boxes]", units(a), units(b)),
        ("connections per host", a.summary["connections_per_host_total"],
         b.summary["connections_per_host_total"]),
        ("host connections [connections]", a.summary["host_connections_total"],
         b.summary["host_connections_total"]),
        ("switch ports [ports]", a.summary["switch_ports_total"], b.summary["switch_ports_total"]),
        ("IP addresses [IPv4]", sum(a.summary["ip_addresses_by_subnet"].values()),
         sum(b.summary["ip_addresses_by_subnet"].values())),
        ("single points of failure [count]", len(a.coverage.single_points_of_failure),
         len(b.coverage.single_points_of_failure)),
        ("single failures not an outage [%]", percent(a.coverage.single_failure_coverage),
         percent(b.coverage.single_failure_coverage)),
        ("double failures not an outage [%]", percent(a.coverage.double_failure_coverage),
         percent(b.coverage.double_failure_coverage)),
    ]  # fmt: skip
    ra, rb = a.availability, b.availability
    ea, eb = a.scenario.economics, b.scenario.economics
    rows += [
        ("service availability: every VM runs [0..1]", f"{ra.availability:.6f}",
         f"{rb.availability:.6f}"),
        ("service downtime: some VM down [minutes/year]",
         number(ra.downtime_minutes_per_year, 1), number(rb.downtime_minutes_per_year, 1)),
        ("VM availability: share of VM-time run [0..1]", f"{ra.vm_availability:.6f}",
         f"{rb.vm_availability:.6f}"),
        ("VM downtime: an average VM down [minutes/year]",
         number(ra.vm_downtime_minutes_per_year, 1), number(rb.vm_downtime_minutes_per_year, 1)),
        ("capital cost [USD]", money(a.capex_usd), money(b.capex_usd)),
        ("cost of an hour of all VMs down [USD/hour]", money(ea.downtime_cost_per_hour_usd),
         money(eb.downtime_cost_per_hour_usd)),
        ("horizon [years]", f"{ea.years:g}", f"{eb.years:g}"),
        ("total cost: capital + VM downtime over the horizon [USD]", money(a.total_cost_usd),
         money(b.total_cost_usd)),
        ("your figures (not shipped defaults)", _yours(a), _yours(b)),
    ]  # fmt: skip
    rows += [
        (f"check findings: {label} [count]", severity(a, level), severity(b, level))
        for level, label in (("error", "errors"), ("warning", "warnings"), ("info", "info"))
    ]
    return side_by_side(rows, "figure")


def _yours(f: _Facts) -> str:
    mine = user_figures(f.scenario)
    return "; ".join(mine) if mine else "none"


def options_table(a: Design, b: Design) -> pd.DataFrame:
    """Every option of either design (:func:`hvdesign.report.sections.design_table`), by its
    design file key."""
    ta = design_table(a).set_index("design file key")
    tb = design_table(b).set_index("design file key")
    keys = list(dict.fromkeys([*ta.index, *tb.index]))
    rows = []
    for key in keys:
        label = ta["option"].get(key, tb["option"].get(key, key))
        rows.append((label, ta["value"].get(key, ""), tb["value"].get(key, "")))
    return side_by_side(rows, "option")


def counts_table(a: _Facts, b: _Facts) -> pd.DataFrame:
    """Connections per host by class, ports per switch and addresses per subnet."""
    sa, sb = a.summary, b.summary
    rows: list[tuple[str, Any, Any]] = []
    for cls in sa["connections_per_host"]:
        rows.append(
            (
                f"{cls} connections per host",
                sa["connections_per_host"][cls],
                sb["connections_per_host"].get(cls, 0),
            )
        )
    for sw in dict.fromkeys([*sa["switch_ports"], *sb["switch_ports"]]):
        pa, pb = sa["switch_ports"].get(sw, {}), sb["switch_ports"].get(sw, {})
        rows.append((f"{sw} ports used", pa.get("total", 0), pb.get("total", 0)))
    subnets = dict.fromkeys([*sa["ip_addresses_by_subnet"], *sb["ip_addresses_by_subnet"]])
    for s in subnets:
        rows.append(
            (
                f"addresses on subnet {s}",
                sa["ip_addresses_by_subnet"].get(s, 0),
                sb["ip_addresses_by_subnet"].get(s, 0),
            )
        )
    return side_by_side(rows, "count")


def spof_table(a: _Facts, b: _Facts) -> pd.DataFrame:
    """Each single point of failure of either design: whether it is one in A and B."""
    spa, spb = a.coverage.single_points_of_failure, b.coverage.single_points_of_failure
    names = list(dict.fromkeys([*spa, *spb]))
    yes = {True: "single point of failure", False: "no"}
    return side_by_side([(n, yes[n in spa], yes[n in spb]) for n in names], "component")


def coverage_table(a: _Facts, b: _Facts) -> pd.DataFrame:
    """Single failures by component kind: the share that is not an outage [%] and of
    how many scenarios, for each design; marked where the shares differ."""

    def share(table: dict[str, dict[str, int]], kind: str) -> float | None:
        row = table.get(kind)
        return (sum(row.values()) - row["outage"]) / sum(row.values()) if row else None

    def cell(table: dict[str, dict[str, int]], kind: str) -> str:
        row = table.get(kind)
        return f"{percent(share(table, kind))} of {sum(row.values())}" if row else "n/a"

    ka, kb = a.coverage.by_kind(), b.coverage.by_kind()
    rows = [(k, cell(ka, k), cell(kb, k), share(ka, k) != share(kb, k)) for k in KINDS]
    return side_by_side(rows, "failed component kind")


def bom_table(a: _Facts, b: _Facts) -> pd.DataFrame:
    """The bills of materials item by item: quantity and total [USD] of each design."""
    ia, ib = a.bom.set_index("item"), b.bom.set_index("item")
    items = {
        label: (t["quantity"].to_dict(), t["total_usd"].to_dict())
        for label, t in ((COLUMN_A, ia), (COLUMN_B, ib))
    }

    def text(label: str, item: str) -> str:
        quantity, total = items[label]
        if item not in quantity:
            return "none"
        return f"{int(quantity[item])} = {money(float(total[item]))}"

    from hvdesign.views.cost import item_name

    rows = [
        (item_name(item), text(COLUMN_A, item), text(COLUMN_B, item))
        for item in dict.fromkeys([*ia.index, *ib.index])
    ]
    rows.append(("total", money(a.capex_usd), money(b.capex_usd)))
    return side_by_side(rows, "item (quantity = total)")


def findings_table(a: _Facts, b: _Facts) -> pd.DataFrame:
    """Each check rule that fired on either design, with its severity in each."""

    def by_rule(f: _Facts) -> dict[str, str]:
        out: dict[str, str] = {}
        for x in f.findings:
            out.setdefault(x.rule, x.severity)
        return out

    ra, rb = by_rule(a), by_rule(b)
    rules = [r for r in RULES if r in ra or r in rb]
    return side_by_side([(r, ra.get(r, "passes"), rb.get(r, "passes")) for r in rules], "rule")


# ------------------------------------------------------------------ the page


def _figures(a: _Facts, b: _Facts) -> str:
    """The two topologies, one under the other, and the capital cost by category, as
    plotly divs (plotly.js is embedded once, in the page head)."""

    def div(fig: Any) -> str:
        return fig.to_html(
            full_html=False,
            include_plotlyjs=False,
            include_mathjax=False,
            config={"displaylogo": False, "responsive": True},
        )

    parts = []
    for label, f in ((COLUMN_A, a), (COLUMN_B, b)):
        height = 560 if f.design.nodes <= 16 else 640
        parts.append(
            div(topology_figure(f.design, title=f"{label}: {f.design.title}", height=height))
        )
    # bom_figure shows the labels as given: escape them (plotly reads tags in text).
    labels = {f"{k}: {esc(f.design.title)}": f.bom for k, f in ((COLUMN_A, a), (COLUMN_B, b))}
    parts.append(div(bom_figure(labels)))
    return "\n".join(parts)


_SECTIONS: list[tuple[str, str, Callable[[_Facts, _Facts], pd.DataFrame]]] = [
    (
        "At a glance",
        "The figures to compare first, each scenario with its own rules, reliability "
        "figures, prices and economics. A tinted row with &ldquo;differs&rdquo; in its last "
        "column is where the two part ways. "
        f"<b>{esc(SERVICE_AVAILABILITY_TEXT)}</b> <b>{esc(VM_AVAILABILITY_TEXT)}</b> "
        "The total cost uses VM downtime.",
        key_figures,
    ),
    (
        "Options",
        "Every option of the two design files, by its meaning; the design file key is in "
        "each design&rsquo;s own report.",
        lambda a, b: options_table(a.design, b.design),
    ),
    (
        "Counts",
        "Connections per host by traffic class, ports used on each switch and addresses "
        "each subnet needs, counted from each design&rsquo;s topology.",
        counts_table,
    ),
    (
        "Single points of failure",
        "Components whose failure alone is an outage (some VMs down until repair), in "
        "either design. A component one design has and the other lacks reads "
        "&ldquo;no&rdquo; there.",
        spof_table,
    ),
    (
        "Failure coverage by component kind",
        "For each kind of component: the share of its single failures that are not an "
        "outage, of how many scenarios; &ldquo;n/a&rdquo; where the design has none. "
        "Each with its own scenario&rsquo;s failure rules.",
        coverage_table,
    ),
    (
        "Bill of materials",
        "Each item as quantity = total [USD], at each scenario&rsquo;s prices (the "
        "shipped placeholders unless its catalog section or file gives your own).",
        bom_table,
    ),
    (
        "Check findings",
        "Each best-practice rule that fires on either design, with its severity in each "
        "(&ldquo;passes&rdquo; where it does not fire). The single-design report gives "
        "the messages.",
        findings_table,
    ),
]


def comparison_html(design_a: Target, design_b: Target) -> str:
    """The comparison page of two scenarios (or designs, with the shipped defaults) as
    one HTML document (see the module)."""
    from plotly.offline import get_plotlyjs

    from hvdesign import __version__

    a, b = _Facts(design_a), _Facts(design_b)
    design_a, design_b = a.design, b.design
    body = [
        f"<h1>Design comparison: {esc(design_a.title)} and {esc(design_b.title)}</h1>",
        f'<p class="hv-subtitle">Made by hvdesign {esc(__version__)} on '
        f"{datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}</p>",
        '<div class="hv-legend">'
        f"<b>{COLUMN_A}</b><span>{esc(design_a.title)} ({esc(design_a.tier)})</span>"
        f"<b>{COLUMN_B}</b><span>{esc(design_b.title)} ({esc(design_b.tier)})</span></div>",
    ]
    first = True
    for title, note, build in _SECTIONS:
        cls = ' class="hv-first"' if first else ""
        first = False
        body.append(f"<h2{cls}>{esc(title)}</h2>")
        body.append(f'<p class="hv-note">{note}</p>')
        body.append(marked_table(build(a, b)))
    body.append("<h2>Topologies</h2>")
    body.append(
        '<p class="hv-note">Each design drawn like the guide&rsquo;s figures: hosts at the '
        "top, switches below, the SAN at the bottom; cables in the colours of their "
        "traffic class. Then what each design&rsquo;s capital cost buys, by category.</p>"
    )
    body.append(_figures(a, b))
    title = f"Comparison: {design_a.title} and {design_b.title}"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(title)}</title>\n"
        f"<style>{REPORT_CSS}{COMPARE_CSS}</style>\n"
        f'<script type="text/javascript">{get_plotlyjs()}</script>\n'
        "</head>\n"
        '<body class="jp-Notebook"><main><div class="jp-RenderedHTMLCommon">\n'
        + "\n".join(body)
        + "\n</div></main>\n"
        f"<script>{PRINT_FIT_JS}</script>\n</body>\n</html>\n"
    )


def write_comparison(design_a: Target, design_b: Target, path: str | os.PathLike[str]) -> Path:
    """Write the comparison of two scenarios (or designs, with the shipped defaults)
    to ``path`` (HTML) and return the path.

    The file is written atomically (a temporary file in the same directory, renamed
    over ``path`` when complete).

    Raises
    ------
    HvdesignError
        ``path`` is not a file path in an existing directory, or a design cannot be
        analysed.
    """
    path = Path(path)
    if path.is_dir():
        raise HvdesignError("output", str(path), "a file path, not a directory")
    if not path.parent.is_dir():
        raise HvdesignError("output", str(path), "a path in an existing directory")
    return write_bytes_atomic(
        path, comparison_html(design_a, design_b).encode("utf-8"), field="output"
    )


def compare_paths(
    path_a: str | os.PathLike[str],
    path_b: str | os.PathLike[str],
    output: str | os.PathLike[str],
) -> Path:
    """``hvdesign report --compare A.yaml B.yaml -o FILE.html``: load the two scenario
    files (:func:`hvdesign.scenariofile.load_scenario`: design files with their
    optional rules, reliability, catalog and economics sections) and write their
    comparison to ``output``; returns the path written.

    Errors (a missing or invalid design file, a bad output path) are
    :class:`HvdesignError`, which the CLI prints as one line (exit status 2).
    """
    return write_comparison(load_scenario(Path(path_a)), load_scenario(Path(path_b)), output)
