"""The design report: one self-contained HTML file, made by running the parameterised
notebook ``hvdesign/report/templates/report.ipynb`` (papermill) and converting it without its
code (nbconvert).

The notebook is thin: each section is a markdown cell (heading and how to read it)
and a code cell that calls ONE ``*_section`` function of this module. Those functions
only present what the analyses return (:mod:`hvdesign.counts`, :mod:`hvdesign.plans`,
:mod:`hvdesign.views.topology`, :mod:`hvdesign.views.tables`); they compute nothing themselves. A
later section (failure coverage, availability, cost) is one more markdown cell, one
more code cell and one more ``*_section`` function here.

The HTML makes no network request: plotly.js is embedded once, the CDN scripts of
nbconvert's template (require.js, MathJax, mermaid, widgets) are left out, and the
MathJax CDN tag plotly adds to every figure is stripped. Every user-supplied string
(the design's name above all) is HTML-escaped.

Examples
--------
>>> from hvdesign.spec import design_from_tier
>>> d = design_from_tier("cluster-redundant-path", nodes=4)
>>> write_report(d, "report.html")  # doctest: +SKIP
PosixPath('report.html')
"""

from __future__ import annotations

import html
import importlib.resources
import math
import os
import re
import site
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from hvdesign.errors import HvdesignError
from hvdesign.spec import SWITCH_LETTERS, Design, design_to_yaml, host_layout
from hvdesign.views import tables

#: The report notebook, shipped inside the package.
TEMPLATE = ("templates", "report.ipynb")

#: Cell tags removed from the HTML (papermill's parameter cells).
HIDDEN_TAGS = ("parameters", "injected-parameters")

#: The design the template shows when run on its own (no ``design_yaml`` given).
EXAMPLE_DESIGN: dict[str, Any] = {"tier": "cluster-redundant-path", "nodes": 4}

#: Tags that would load something from the network: a ``<script src>``, ``<link
#: href>``, ``<img src>`` or ``<iframe src>`` with an http(s) address, or an ES-module
#: ``import "https://..."``. Links a reader clicks (``<a href>``) load nothing.
NETWORK_REFERENCE = re.compile(
    r"""<(?:script|link|img|iframe|source|embed)\b[^>]*?\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|\bimport\s*\(?\s*["'](?:https?:)?//""",
    re.IGNORECASE,
)

#: A complete ``<script src="http(s)://..."></script>`` tag (plotly's MathJax CDN tag).
_NETWORK_SCRIPT = re.compile(
    r"""<script\b[^>]*?\bsrc\s*=\s*["'](?:https?:)?//[^"']*["'][^>]*>\s*</script>""",
    re.IGNORECASE,
)

#: Print-friendly style of the report, embedded inline.
REPORT_CSS = """
:root { --hv-ink: #1f2933; --hv-muted: #5f6b7a; --hv-rule: #d9dee4; --hv-band: #f5f7f9;
        --hv-accent: #1f4f8a; }
body.jp-Notebook { background: #ffffff; color: var(--hv-ink);
  font-family: "Segoe UI", "Helvetica Neue", Helvetica, Arial, "Liberation Sans", sans-serif;
  font-size: 15px; line-height: 1.5; margin: 0; padding: 0; }
body.jp-Notebook main { max-width: 1120px; margin: 0 auto; padding: 28px 36px 48px; }
.jp-Notebook .jp-Cell { padding: 0; }
.jp-Notebook .jp-OutputArea-output, .jp-Notebook .jp-RenderedHTMLCommon,
.jp-Notebook .jp-RenderedMarkdown { padding-left: 0; padding-right: 0; }
.jp-RenderedHTMLCommon { font-family: inherit; font-size: 15px; line-height: 1.5;
  color: var(--hv-ink); }
.jp-RenderedHTMLCommon h1, .jp-RenderedHTMLCommon h1:first-child { font-size: 28px;
  margin: 0 0 4px; line-height: 1.25; }
.jp-RenderedHTMLCommon h2 { font-size: 21px; margin: 34px 0 6px; padding-bottom: 4px;
  border-bottom: 2px solid var(--hv-accent); color: var(--hv-accent); }
.jp-RenderedHTMLCommon h3 { font-size: 16px; font-weight: 600; margin: 22px 0 4px; }
.jp-RenderedHTMLCommon p { margin: 4px 0 10px; max-width: 82ch; }
.jp-RenderedHTMLCommon code, .jp-RenderedHTMLCommon pre { font-size: 13px; }
.hv-subtitle { color: var(--hv-muted); margin: 0 0 6px; }
.hv-kv { display: flex; flex-wrap: wrap; gap: 10px; margin: 14px 0 6px; padding: 0; }
.hv-kv div { border: 1px solid var(--hv-rule); border-radius: 6px; padding: 8px 14px;
  min-width: 120px; background: var(--hv-band); }
.hv-kv b { display: block; font-size: 22px; line-height: 1.2; }
.hv-kv span { color: var(--hv-muted); font-size: 13px; }
.hv-note { color: var(--hv-muted); font-size: 13px; margin: 2px 0 12px; }
.jp-RenderedHTMLCommon table.hv-table { border-collapse: collapse; margin: 6px 0 18px;
  font-size: 13.5px; font-variant-numeric: tabular-nums; table-layout: auto;
  border: none; }
.jp-RenderedHTMLCommon table.hv-table th, .jp-RenderedHTMLCommon table.hv-table td {
  padding: 4px 12px; border: none; border-bottom: 1px solid var(--hv-rule);
  text-align: left; vertical-align: top; max-width: none; }
.jp-RenderedHTMLCommon table.hv-table thead th { border-bottom: 2px solid var(--hv-ink);
  font-weight: 600; background: #ffffff; }
.jp-RenderedHTMLCommon table.hv-table tbody tr:nth-child(odd) { background: var(--hv-band); }
.jp-RenderedHTMLCommon table.hv-table tbody tr:hover { background: #e8eef6; }
.jp-RenderedHTMLCommon table.hv-totals tbody tr:last-child td { font-weight: 600;
  border-top: 1px solid var(--hv-ink); }
.jp-RenderedHTMLCommon table.hv-table td.hv-num, .jp-RenderedHTMLCommon table.hv-table th.hv-num
  { text-align: right; }
pre.hv-file { font-family: "DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 12.5px; line-height: 1.45; background: var(--hv-band);
  border: 1px solid var(--hv-rule); border-radius: 6px; padding: 10px 14px;
  white-space: pre-wrap; }
.jp-RenderedHTMLCommon p.hv-footer { max-width: none; color: var(--hv-muted); font-size: 12px;
  margin-top: 36px; border-top: 1px solid var(--hv-rule); padding-top: 8px; }
table { page-break-inside: auto; }
tr { page-break-inside: avoid; }
thead { display: table-header-group; }
@media print {
  body.jp-Notebook, .jp-RenderedHTMLCommon { font-size: 10pt; }
  .jp-RenderedHTMLCommon h1 { font-size: 20pt; }
  .jp-RenderedHTMLCommon h2 { font-size: 15pt; margin-top: 0; }
  .jp-RenderedHTMLCommon h3 { font-size: 11pt; margin-top: 14px; }
  .jp-RenderedHTMLCommon p { max-width: none; }
  body.jp-Notebook main { max-width: none; padding: 0; }
  .jp-RenderedHTMLCommon h2 { page-break-before: always; break-before: page; }
  .jp-RenderedHTMLCommon h2#Design { page-break-before: auto; break-before: auto; }
  h2, h3 { page-break-after: avoid; break-after: avoid; }
  .js-plotly-plot, .plotly-graph-div, .hv-kv { page-break-inside: avoid; break-inside: avoid; }
  .jp-OutputArea-child { break-inside: auto; }  /* JupyterLab keeps outputs whole */
  .jp-RenderedHTMLCommon > :last-child { margin-bottom: 0; }  /* no spill to a blank page */
  .jp-RenderedHTMLCommon table.hv-table { font-size: 8.5pt; }
  .jp-RenderedHTMLCommon table.hv-table th, .jp-RenderedHTMLCommon table.hv-table td {
    padding: 2px 6px; }
  .jp-RenderedHTMLCommon table.hv-table td { white-space: nowrap; }  /* host1-m1 whole */
  .jp-RenderedHTMLCommon table.hv-table td:last-child { white-space: normal; }
  .jp-RenderedHTMLCommon table.hv-table tbody tr:nth-child(odd) { background: #f3f3f3; }
  .hv-kv { gap: 6px; flex-wrap: nowrap; }
  .hv-kv div { min-width: 0; flex: 1 1 0; padding: 4px 8px; }
  .hv-kv b { font-size: 15pt; }
  .modebar-container { display: none !important; }
}
@page { size: A4; margin: 14mm 14mm 16mm; }
"""

#: The nbconvert template: JupyterLab's, with every CDN script left out and the
#: report's style added.
_HTML_TEMPLATE = (
    "{%- extends 'lab/index.html.j2' -%}\n"
    "{%- block html_head_js -%}{%- endblock html_head_js -%}\n"
    "{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}\n"
    "{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}\n"
    "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n"
    '{%- block html_head_css -%}<style type="text/css">{{ resources.hv_css }}</style>'
    "{%- endblock html_head_css -%}\n"
    "{%- block footer_js -%}<script>{{ resources.hv_js }}</script>{%- endblock footer_js -%}\n"
)
_TEMPLATE_NAME = "hvdesign_report.html.j2"

#: Inline script: plotly figures keep the pixel width they were drawn at, so before
#: printing they are redrawn at the printable width of an A4 or Letter page (680 px,
#: with a smaller legend font and room above the plot for a legend that wraps), and
#: afterwards as they were.
PRINT_FIT_JS = """
(function () {
  var PRINT_WIDTH_PX = 680, PRINT_LEGEND_PX = 10, PRINT_LEGEND_ROOM_PX = 24;
  function fit(printing) {
    if (!window.Plotly) { return; }
    document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
      if (printing) {
        var L = gd.layout, font = (L.legend && L.legend.font) || {};
        var top = (L.margin && L.margin.t) || 80;
        gd.hvScreen = {"legend.font.size": font.size || null, "margin.t": top};
        Plotly.relayout(gd, {width: PRINT_WIDTH_PX, "legend.font.size": PRINT_LEGEND_PX,
                             "margin.t": top + PRINT_LEGEND_ROOM_PX});
      } else if (gd.hvScreen) {
        Plotly.relayout(gd, Object.assign({width: null, autosize: true}, gd.hvScreen));
      }
    });
  }
  window.addEventListener("beforeprint", function () { fit(true); });
  window.addEventListener("afterprint", function () { fit(false); });
})();
"""


# --------------------------------------------------------------- display objects


class HTML:
    """An HTML fragment for IPython's display (its ``_repr_html_``).

    The text is used as given: build it with :func:`html.escape` and
    :func:`table_html`.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_html_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"HTML({self.text[:60]!r}...)" if len(self.text) > 60 else f"HTML({self.text!r})"


@dataclass(frozen=True)
class Section:
    """What one report section shows: HTML fragments and plotly figures, in order.

    Displayed in a notebook (its ``_ipython_display_``), each part becomes its own
    output, so figures go through plotly's renderer (inline in the report, the
    default renderer in JupyterLab).
    """

    parts: tuple[Any, ...]

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(*self.parts)

    def html(self) -> str:
        """The HTML parts joined (figures left out): for tests and quick looks."""
        return "\n".join(p.text for p in self.parts if isinstance(p, HTML))


def table_html(df: pd.DataFrame, *, totals: bool = False) -> str:
    """``df`` as an HTML table: every value and header escaped (pandas ``to_html``),
    numeric columns right-aligned; ``totals`` sets the last row in bold.

    >>> t = table_html(pd.DataFrame({"name": ["<b>"], "ports": [15]}))
    >>> "<td>&lt;b&gt;</td>" in t, '<td class="hv-num">15</td>' in t
    (True, True)
    """
    classes = ["hv-table", *(["hv-totals"] if totals else [])]
    numeric = [
        pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
        for c in df.columns
    ]
    if df.isna().to_numpy().any():  # empty cells, also for nullable integers (pd.NA)
        df = df.astype(object).where(df.notna(), "")
    text = df.to_html(
        index=False, escape=True, border=0, classes=classes, justify="left", na_rep=""
    )
    return _align_numbers(text, numeric) if any(numeric) else text


def _align_numbers(text: str, numeric: list[bool]) -> str:
    """Add ``class="hv-num"`` to the header and data cells of numeric columns."""
    out: list[str] = []
    col = 0
    for line in text.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith("<tr"):
            col = 0
        elif stripped.startswith(("<th", "<td")):
            if col < len(numeric) and numeric[col]:
                tag = stripped[:3]
                line = line.replace(tag, f'{tag} class="hv-num"', 1)
            col += 1
        out.append(line)
    return "\n".join(out)


# --------------------------------------------------------------- sections

_YES_NO = {True: "yes", False: "no"}

#: Labels of the design options in the design table (design file key -> label).
OPTION_LABELS: dict[str, str] = {
    "tier": "Tier (preset)",
    "nodes": "Hosts [count]",
    "cluster": "Failover cluster",
    "windows_version": "Windows Server version",
    "switches": "Switches [count]",
    "cross_switch_teaming": "Production team across both switches",
    "production_connections": "Production connections per host [count]",
    "storage_connections": "Storage connections per host [count]",
    "heartbeat_connections": "Heartbeat connections per host [count]",
    "management_connections": "Management connections per host [count]",
    "storage_multipath": "Storage multipathing",
    "nic_ports_per_card": "NIC ports per card [ports]",
    "san_portals": "SAN target portals [count]",
    "uplinks_per_switch": "Core uplinks per switch [links]",
    "isl_links": "Inter-switch links [links]",
    "switch_ports_per_unit": "Switch ports per unit [ports]",
}


def example_design_yaml() -> str:
    """The design file text of :data:`EXAMPLE_DESIGN` (the template's standalone run)."""
    from hvdesign.spec import design_from_dict

    return design_to_yaml(design_from_dict(EXAMPLE_DESIGN))


def _generated_on() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def title_section(design: Design) -> Section:
    """The report's heading: the design's title, its tier and the guide's figure."""
    from hvdesign import __version__

    info = design.tier_info
    text = (
        f"<h1>{html.escape(design.title)}</h1>\n"
        f'<p class="hv-subtitle">Design report &middot; {html.escape(info.title)} '
        f"(the guide&rsquo;s {html.escape(info.figure)}) &middot; made by hvdesign "
        f"{html.escape(__version__)} on {_generated_on()}</p>"
    )
    return Section((HTML(text),))


def _option_value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return _YES_NO[value]
    if key == "storage_multipath":
        return {"mpio": "MPIO", "mcs": "MCS", "team": "NIC team (not supported)"}.get(
            value, str(value)
        )
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def design_table(design: Design) -> pd.DataFrame:
    """The design's options: ``option``, ``value``, ``design file key``."""
    rows = []
    options = design.options()
    for key, value in options.items():
        if key in ("name", "connections"):
            continue
        if key == "subnets":
            for cls, cidr in value.items():
                rows.append((f"Subnet: {cls} [CIDR]", _option_value(key, cidr), f"subnets.{cls}"))
            continue
        if key == "tier":
            value = f"{value} ({design.tier_info.figure})"
        rows.append((OPTION_LABELS.get(key, key), _option_value(key, value), key))
    return pd.DataFrame(rows, columns=["option", "value", "design file key"])


def layout_table(design: Design) -> pd.DataFrame:
    """The connections every host has: ``connection``, ``traffic class``, ``switch``,
    ``NIC card``, ``subnet``."""
    rows = [
        (p.suffix, p.traffic_class, f"switch-{SWITCH_LETTERS[p.switch]}", p.card, p.subnet)
        for p in host_layout(design)
    ]
    return pd.DataFrame(
        rows, columns=["connection", "traffic class", "switch", "NIC card [no.]", "subnet"]
    )


def design_section(design: Design) -> Section:
    """The design: its tier, key figures, the host layout and every option."""
    from hvdesign.counts import summary

    info = design.tier_info
    s = summary(design)
    figures = [
        (design.nodes, "hosts" if design.nodes != 1 else "host"),
        (s["switches"], "switches" if s["switches"] != 1 else "switch"),
        (s["connections_per_host_total"], "connections per host"),
        (s["host_connections_total"], "host connections"),
        (s["switch_ports_total"], "switch ports"),
        (sum(s["ip_addresses_by_subnet"].values()), "IP addresses"),
    ]
    cards = "".join(
        f"<div><b>{n}</b><span>{html.escape(label)}</span></div>" for n, label in figures
    )
    text = (
        f"<p><b>Tier:</b> {html.escape(info.title)} &mdash; the guide&rsquo;s "
        f"{html.escape(info.figure)} (<code>{html.escape(design.tier)}</code>). "
        f"{html.escape(info.summary)}</p>\n"
        f'<div class="hv-kv">{cards}</div>\n'
        "<h3>Connections of every host</h3>\n"
        + table_html(layout_table(design))
        + "\n<h3>Options</h3>\n"
        + table_html(design_table(design))
    )
    return Section((HTML(text),))


def topology_section(design: Design) -> Section:
    """The topology diagram (:func:`hvdesign.views.topology.topology_figure`)."""
    from hvdesign.views.topology import topology_figure

    height = 560 if design.nodes <= 16 else 640
    return Section((topology_figure(design, height=height),))


#: One or two sentences under each count table, by the table's title.
COUNT_NOTES: dict[str, str] = {
    tables.CONNECTIONS_TITLE: "Network connections (a NIC port and its cable) by traffic "
    "class: on one host, and on all hosts together. Every host has the same layout.",
    tables.SWITCH_PORTS_TITLE: "Ports used on each switch: host connections, SAN target "
    "portals, uplinks to the production core and the inter-switch link; and the switch "
    "units (boxes) that takes at the design's port density (more ports than one unit has "
    "means a stack of units).",
    tables.ADDRESSES_TITLE: "Addresses each subnet needs: one per NIC team and host, one "
    "per MPIO/MCS storage connection, one per SAN target portal and one for the cluster "
    "name. The gateway address of a routed subnet is not counted; the IP plan lists it.",
}


def counts_section(design: Design) -> Section:
    """The count tables of :func:`hvdesign.views.tables.counts_tables`, one after another,
    each with its title and a note on how to read it."""
    parts = []
    for title, df in tables.counts_tables(design).items():
        note = COUNT_NOTES.get(title, "")
        parts.append(
            f"<h3>{html.escape(str(title))}</h3>\n"
            + (f'<p class="hv-note">{html.escape(note)}</p>\n' if note else "")
            + table_html(df, totals=True)
        )
    return Section((HTML("\n".join(parts)),))


def _kv_cards(figures: list[tuple[str, str]]) -> str:
    """Key figures as the report's cards: (value, label) pairs, escaped."""
    cards = "".join(
        f"<div><b>{html.escape(v)}</b><span>{html.escape(label)}</span></div>"
        for v, label in figures
    )
    return f'<div class="hv-kv">{cards}</div>\n'


def coverage_section(design: Design) -> Section:
    """Failure coverage: every single and double failure with the default rules, the
    single points of failure, counts by kind, and what each single failure does."""
    from hvdesign.failures import FailureRules, analyse

    rules = FailureRules()
    cov = analyse(design, rules, double=True, expand=False)
    spofs = cov.single_points_of_failure
    n_pairs = sum(cov.double_counts.values())
    text = _kv_cards(
        [
            (str(len(spofs)), "single points of failure"),
            (
                f"{cov.single_failure_coverage:.1%}",
                f"of {len(cov.singles)} single failures survived or failed over",
            ),
            (
                f"{cov.double_failure_coverage:.1%}",
                f"of {n_pairs:,} double failures survived or failed over",
            ),
        ]
    )
    witness = (
        "node and disk majority (witness disk)" if rules.witness(design) else ("node majority")
    )
    nhd = "on" if rules.nhd(design) else "off"
    text += (
        '<p class="hv-note">Assumptions (each a parameter of <code>hvdesign coverage</code>): '
        f"quorum {html.escape(witness)}; reserve {rules.reserve} host (N+1); CSV redirected "
        f"I/O on; network health detection {nhd} (Windows Server "
        f"{html.escape(design.windows_version)}); cluster traffic on "
        f"{html.escape(', '.join(rules.cluster_networks))}.</p>\n"
    )
    by_name = {sc.failed[0]: sc for sc in cov.singles}
    text += "<h3>Single points of failure</h3>\n"
    if spofs:
        rows = [
            (
                c,
                by_name[c].kinds[0],
                round(100 * by_name[c].vms_down_fraction, 1),
                by_name[c].reason,
            )
            for c in spofs
        ]
        text += table_html(
            pd.DataFrame(rows, columns=["component", "kind", "VMs down [%]", "what happens"])
        )
    else:
        text += "<p>None: every single component can fail without an outage.</p>\n"
    kinds = []
    for label, table in (("single", cov.by_kind()), ("double", cov.by_kind(double=True))):
        for key, row in table.items():
            total = sum(row.values())
            kinds.append(
                (
                    label,
                    key.replace("+", " + "),
                    row["survived"],
                    row["failover"],
                    row["outage"],
                    round(100 * (total - row["outage"]) / total, 1),
                )
            )
    text += "<h3>Scenarios by component kind</h3>\n" + table_html(
        pd.DataFrame(
            kinds,
            columns=[
                "failures",
                "kinds",
                "survived [scenarios]",
                "failover [scenarios]",
                "outage [scenarios]",
                "not an outage [%]",
            ],
        )
    )
    hosts = [h for h in by_name if "-" not in h and h.startswith("host")]
    shown = [
        sc
        for sc in cov.singles
        if not sc.failed[0].startswith("host")
        or sc.failed[0] == hosts[0]
        or sc.failed[0].startswith(hosts[0] + "-")
    ]
    rows = [
        (sc.failed[0], sc.kinds[0], sc.outcome, round(100 * sc.vms_down_fraction, 1), sc.reason)
        for sc in shown
    ]
    alike = f" (every other host behaves like {hosts[0]})" if len(hosts) > 1 else ""
    text += f"<h3>What each single failure does{html.escape(alike)}</h3>\n" + table_html(
        pd.DataFrame(rows, columns=["component", "kind", "outcome", "VMs down [%]", "why"])
    )
    return Section((HTML(text),))


def checks_section(design: Design) -> Section:
    """The best-practice checks of domain.md §7: every finding with its severity."""
    from hvdesign.checks import check_design, severity_counts

    findings = check_design(design)
    counts = severity_counts(findings)
    text = _kv_cards(
        [
            (str(counts.get(k, 0)), label)
            for k, label in (("error", "errors"), ("warning", "warnings"), ("info", "notes"))
        ]
    )
    rows = [(f.severity, f.rule, f.message) for f in findings]
    text += table_html(pd.DataFrame(rows, columns=["severity", "rule", "finding"]))
    return Section((HTML(text),))


def multipath_section(design: Design) -> Section:
    """How the design connects to storage and the guide's MPIO-or-MCS rules."""
    from hvdesign.guide import recommend

    chosen = {
        "mpio": "MPIO (a load-balance policy per LUN)",
        "mcs": "MCS (one policy per iSCSI session)",
        "team": "a NIC team (unsupported for storage)",
    }[design.storage_multipath]
    rec = recommend(storage_teaming=design.storage_multipath == "team")
    text = (
        f"<p><b>This design:</b> {design.storage_connections} storage connection(s) per "
        f"host over {html.escape(chosen)}. <b>The guide's recommendation</b> with no "
        f"special constraint: <b>{html.escape(rec.recommendation)}</b>.</p>\n"
    )
    items = [("reason", r) for r in rec.reasons] + [("warning", w) for w in rec.warnings]
    items += [("note", n) for n in rec.notes]
    text += table_html(pd.DataFrame(items, columns=["kind", "text"]))
    text += (
        '<p class="hv-note">The recommendation changes with the storage device (no MCS '
        "support: MPIO), per-LUN policies (MPIO), hardware iSCSI HBAs (MPIO), guests on "
        "Windows XP, Vista or 7 connecting to iSCSI themselves (MCS) and highly utilised "
        "hosts (MPIO): see <code>hvdesign guide --help</code>.</p>\n"
    )
    return Section((HTML(text),))


def availability_section(design: Design) -> Section:
    """Availability and downtime (domain.md §4) with the reliability figures used."""
    from hvdesign.availability import availability
    from hvdesign.reliability import KINDS, load_reliability

    rel = load_reliability()
    res = availability(design, rel)
    text = _kv_cards(
        [
            (f"{res.availability:.6f}", f"availability ({100 * res.availability:.4f} %)"),
            (f"{res.downtime_minutes_per_year:,.1f}", "downtime [minutes/year]"),
            (f"{res.failover_restarts_per_year:,.2f}", "failover restarts [per year]"),
            (f"{res.vm_downtime_minutes_per_year:,.1f}", "VM-weighted downtime [min/year]"),
        ]
    )
    text += (
        '<p class="hv-note">Availability is the steady-state probability that every VM '
        "can run (enough serving hosts with quorum), computed exactly from the failure "
        "rules above with every component failing independently. Downtime = (1 - "
        "availability) x 525,960 minutes. Each host failure on a cluster restarts that "
        f"host's VMs elsewhere, {rel.failover_minutes:g} minutes for 1/N of the VMs; the "
        "VM-weighted downtime adds these restarts to the downtime.</p>\n"
    )
    rows = []
    for kind in KINDS:
        mtbf = rel.figure(kind, "mtbf_hours")
        mttr = rel.figure(kind, "mttr_hours")
        rows.append(
            (kind, mtbf.value, mttr.value, round(rel.availability(kind), 7), mtbf.source, mtbf.year)
        )
    text += "<h3>Reliability figures used</h3>\n" + table_html(
        pd.DataFrame(
            rows,
            columns=[
                "component kind",
                "MTBF [h]",
                "MTTR [h]",
                "availability",
                "source (MTBF)",
                "year",
            ],
        )
    )
    return Section((HTML(text),))


def cost_section(design: Design) -> Section:
    """Bill of materials and capital cost (domain.md §5), as a table and stacked bars."""
    from hvdesign.cost import (
        DEFAULT_DOWNTIME_COST_PER_HOUR_USD,
        DEFAULT_VMS_PER_HOST,
        DEFAULT_YEARS,
        bill_of_materials,
        cost_per_vm,
        total_cost,
    )
    from hvdesign.views.cost import bom_figure

    bom = bill_of_materials(design)
    capex_usd = float(bom["total_usd"].sum())
    years, per_hour = DEFAULT_YEARS, DEFAULT_DOWNTIME_COST_PER_HOUR_USD
    text = _kv_cards(
        [
            (f"${capex_usd:,.0f}", "capital cost [USD]"),
            (
                f"${cost_per_vm(design, DEFAULT_VMS_PER_HOST):,.0f}",
                f"per VM [USD] at {DEFAULT_VMS_PER_HOST} VMs a host",
            ),
            (
                f"${total_cost(design, years, per_hour):,.0f}",
                f"total over {years:g} years [USD] at ${per_hour:,.0f}/h of downtime",
            ),
        ]
    )
    table = bom[
        ["category", "description", "quantity", "unit_price_usd", "total_usd", "source", "year"]
    ].rename(
        columns={
            "description": "item",
            "quantity": "quantity [units]",
            "unit_price_usd": "unit price [USD]",
            "total_usd": "total [USD]",
            "source": "price source",
        }
    )
    total = pd.DataFrame([["total", "", pd.NA, pd.NA, capex_usd, "", pd.NA]], columns=table.columns)
    table = pd.concat([table, total], ignore_index=True)
    for col in ("quantity [units]", "unit price [USD]", "total [USD]", "year"):
        table[col] = pd.to_numeric(table[col]).round().astype("Int64")  # whole units, USD
    text += table_html(table, totals=True)
    text += (
        '<p class="hv-note">Prices marked "placeholder" are round figures to replace '
        "with a quote: pass your own catalog with <code>--catalog FILE</code> (a partial "
        "file overrides only what it names).</p>\n"
    )
    return Section((HTML(text), bom_figure(bom)))


def tradeoff_section(design: Design) -> Section:
    """Capital cost against downtime of every tier at several node counts, with the
    Pareto frontier and this design highlighted."""
    from hvdesign.cost import compare
    from hvdesign.views.cost import tradeoff_figure

    nodes = sorted({1, 2, 4, 8, 16, 32, 64, design.nodes} & set(range(1, design.node_limit + 1)))
    df = compare(nodes)
    front = df[df["pareto"]]
    rows = [
        (r.tier, r.nodes, round(r.capex_usd), round(r.vm_downtime_minutes_per_year, 1))
        for r in front.itertuples()
    ]
    text = "<h3>Designs on the Pareto frontier</h3>\n" + table_html(
        pd.DataFrame(
            rows, columns=["tier", "hosts", "capital cost [USD]", "VM-weighted downtime [min/year]"]
        )
    )
    return Section((tradeoff_figure(df, highlight=(design.tier, design.nodes)), HTML(text)))


#: Column titles of the IP plan in the report.
IP_PLAN_COLUMNS = {
    "subnet": "subnet",
    "traffic_class": "traffic class",
    "network": "network [CIDR]",
    "address": "address [IPv4]",
    "device": "device",
    "interface": "interface",
    "role": "role",
}

#: Column titles of the cabling plan in the report.
CABLING_COLUMNS = {
    "cable": "cable label",
    "device": "from device",
    "port": "from port",
    "nic_card": "NIC card",
    "switch": "to switch",
    "switch_port": "switch port [unit/port]",
    "traffic_class": "traffic class",
    "subnet": "subnet",
    "colour": "cable colour",
}


def ip_plan_section(design: Design) -> Section:
    """The IP plan (:func:`hvdesign.plans.ip_plan`) as one table."""
    from hvdesign.plans import ip_plan

    plan = ip_plan(design).rename(columns=IP_PLAN_COLUMNS)
    return Section((HTML(table_html(plan)),))


def cabling_plan_section(design: Design) -> Section:
    """The cabling plan (:func:`hvdesign.plans.cabling_plan`) as one table."""
    from hvdesign.plans import cabling_plan

    plan = cabling_plan(design).rename(columns=CABLING_COLUMNS)
    return Section((HTML(table_html(plan)),))


def design_file_section(design: Design) -> Section:
    """The design file the report was made from (:func:`hvdesign.spec.design_to_yaml`)."""
    text = (
        f'<pre class="hv-file">{html.escape(design_to_yaml(design))}</pre>\n'
        '<p class="hv-footer">Made with hvdesign from the guide &ldquo;Creating '
        "Highly-Available Hyper-V with iSCSI Storage&rdquo;, Figs 2.7 to 2.12.</p>"
    )
    return Section((HTML(text),))


# --------------------------------------------------------------- the report file


class ReportError(HvdesignError):
    """The report could not be made (the notebook failed, the kernel died or timed out)."""

    def __init__(self, message: str) -> None:
        self.field, self.value, self.allowed = "report", None, ""
        ValueError.__init__(self, message)


def network_references(text: str) -> list[str]:
    """Every tag of ``text`` that would load something from the network (see
    :data:`NETWORK_REFERENCE`), with a little context; empty for a report.

    >>> network_references('<script src="https://cdn.example/x.js"></script><a href="https://x">')
    ['<script src="https://cdn.example/x.js">']
    """
    found = []
    for m in NETWORK_REFERENCE.finditer(text):
        end = text.find(">", m.end(), m.end() + 300)
        found.append(text[m.start() : end + 1 if end >= 0 else m.end() + 60])
    return found


def _template_text() -> str:
    return (
        importlib.resources.files("hvdesign.report").joinpath(*TEMPLATE).read_text(encoding="utf-8")
    )


def _kernel_env() -> dict[str, str]:
    """The kernel's environment: this process's, with the directory this hvdesign is
    imported from on ``PYTHONPATH`` (unless it is a site-packages directory), so the
    kernel runs the same hvdesign, installed or not."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    installed = {
        str(Path(p).resolve()) for p in [*site.getsitepackages(), site.getusersitepackages()]
    }
    if root not in installed:
        env["PYTHONPATH"] = os.pathsep.join(
            [root, *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])]
        )
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # no debugger warning
    return env


def _kernel_manager_class(log_path: Path) -> type:
    """A kernel manager that starts the kernel with :func:`_kernel_env` and sends its
    console output to ``log_path`` (quoted when the kernel dies)."""
    from jupyter_client.manager import AsyncKernelManager

    class _ReportKernelManager(AsyncKernelManager):
        async def start_kernel(self, **kw: Any) -> None:
            kw["env"] = _kernel_env()
            log = open(log_path, "ab")  # noqa: SIM115 - closed once the kernel has it
            kw.setdefault("stdout", log)
            kw.setdefault("stderr", log)
            try:
                await super().start_kernel(**kw)
            finally:
                log.close()  # the child has its own descriptor

    return _ReportKernelManager


def _section_of(source: str) -> str:
    m = re.search(r"(\w+_section)\s*\(", source or "")
    return m.group(1) if m else "setup"


def _log_tail(log_path: Path, lines: int = 3) -> str:
    try:
        text = log_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    keep = [ln for ln in text.splitlines() if ln.strip() and "without encryption" not in ln]
    return " | ".join(keep[-lines:])


def _execute(design: Design, workdir: Path, timeout_s: float) -> Any:
    """Run the report notebook for ``design`` in ``workdir``; the executed notebook."""
    try:
        import nbformat
        import papermill
        from jupyter_client.kernelspec import NoSuchKernel
        from nbclient.exceptions import CellTimeoutError, DeadKernelError
    except ImportError as err:
        raise ReportError(
            f"report: needs papermill, nbconvert and ipykernel ({err.name} is missing); "
            "install them with: pip install papermill nbconvert ipykernel"
        ) from None
    import logging

    nb = nbformat.reads(_template_text(), as_version=4)
    log_path = workdir / "kernel.log"
    plog = logging.getLogger("papermill")
    level = plog.level
    plog.setLevel(logging.CRITICAL)  # its messages become the one-line ReportError below
    try:
        return papermill.execute_notebook(
            nb,
            None,
            parameters={"design_yaml": design_to_yaml(design), "report": True},
            kernel_name="python3",
            log_output=False,
            progress_bar=False,
            cwd=str(workdir),
            start_timeout=min(60, math.ceil(timeout_s)),  # whole seconds (nbclient)
            execution_timeout=math.ceil(timeout_s),
            kernel_manager_class=_kernel_manager_class(log_path),
        )
    except papermill.PapermillExecutionError as err:
        section = _section_of(err.source)
        if err.ename in ("HvdesignError", "ReportError"):
            raise ReportError(f"report: {err.evalue}") from None
        raise ReportError(
            f"report: the notebook failed in {section} ({err.ename}: {err.evalue}); "
            "this is a bug in hvdesign"
        ) from None
    except (CellTimeoutError, TimeoutError):
        raise ReportError(
            f"report: a section of the report ran longer than timeout_s = {timeout_s:g} s"
        ) from None
    except NoSuchKernel:
        raise ReportError(
            "report: no Jupyter kernel named 'python3' is installed; install ipykernel "
            "in this environment (pip install ipykernel)"
        ) from None
    except DeadKernelError:
        tail = _log_tail(log_path)
        raise ReportError(
            "report: the Python kernel died while making the report"
            + (f" ({tail})" if tail else "")
        ) from None
    except RuntimeError as err:  # e.g. the kernel did not start
        tail = _log_tail(log_path)
        raise ReportError(
            f"report: could not run the report notebook: {str(err).splitlines()[0]}"
            + (f" ({tail})" if tail else "")
        ) from None
    finally:
        plog.setLevel(level)


def _strip_network_scripts(nb: Any) -> Any:
    """Drop ``<script src="http(s)://...">`` tags from the notebook's HTML outputs
    (plotly's renderer adds a MathJax CDN tag to every figure)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                text = data["text/html"]
                if isinstance(text, list):
                    text = "".join(text)
                data["text/html"] = _NETWORK_SCRIPT.sub("", text)
    return nb


def to_html(nb: Any, title: str) -> str:
    """Convert an executed report notebook to self-contained HTML: no code, no
    prompts, no widget state, no CDN scripts, ``title`` (escaped) as its title."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = set(HIDDEN_TAGS)
    c.ClearMetadataPreprocessor.enabled = True
    exporter = HTMLExporter(
        config=c,
        template_name="lab",
        extra_loaders=[DictLoader({_TEMPLATE_NAME: _HTML_TEMPLATE})],
        template_file=_TEMPLATE_NAME,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    nb = _strip_network_scripts(nb)
    nb.metadata.pop("title", None)
    resources = {"metadata": {"name": title}, "hv_css": REPORT_CSS, "hv_js": PRINT_FIT_JS}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def write_report(design: Design, path: str | os.PathLike[str], *, timeout_s: float = 120) -> Path:
    """Write the HTML report of ``design`` to ``path`` and return the path.

    Runs ``hvdesign/report/templates/report.ipynb`` with papermill in a temporary directory
    (kernel ``python3``) and converts it with nbconvert. The file is written
    atomically: a temporary file in the same directory, renamed over ``path`` only
    when complete, so no failure leaves a half-written (or any new) file.

    Parameters
    ----------
    design : Design
        The design to report on.
    path : str or path
        The HTML file to write, in an existing directory.
    timeout_s : float
        The longest the kernel may take to start, and any one section to run [s].

    Raises
    ------
    HvdesignError
        ``path`` is not in an existing directory, or the design cannot be planned
        (e.g. a subnet too small); :class:`ReportError` (an :class:`HvdesignError`)
        when the notebook fails, the kernel dies or a section times out.
    """
    from hvdesign.counts import summary
    from hvdesign.plans import cabling_plan, ip_plan

    path = Path(path)
    directory = path.parent
    if not directory.is_dir():
        raise HvdesignError(
            "output",
            str(path),
            "a path in an existing directory",
            detail=f"no directory {str(directory)!r}",
        )
    if path.is_dir():
        raise HvdesignError("output", str(path), "a file path, not a directory")
    if timeout_s <= 0:
        raise HvdesignError("timeout_s", timeout_s, "a positive number of seconds")
    # Bad input shows here, in its own words, before a kernel is started.
    summary(design)
    ip_plan(design)
    cabling_plan(design)

    with tempfile.TemporaryDirectory(prefix="hvdesign-report-") as workdir:
        nb = _execute(design, Path(workdir), timeout_s)
    text = to_html(nb, design.title)

    tmp = directory / f".{path.name}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # umask applies
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise HvdesignError(
            "output",
            str(path),
            "a writable file path in an existing directory",
            detail=err.strerror or str(err),
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
