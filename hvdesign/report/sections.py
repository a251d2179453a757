"""The sections of the design report: one function per section, each taking the
scenario (:class:`hvdesign.scenariofile.ScenarioFile`: the design with its failure
rules, reliability figures, prices and economics; a bare :class:`~hvdesign.spec.Design`
stands for the design with the shipped defaults) and returning a :class:`Section`
(HTML fragments and plotly figures, in order). Every figure is computed from the
scenario's own parts: coverage and availability with its rules, availability with its
reliability, cost and the bill of materials with its catalog, total cost with its
economics, the trade-off (:func:`hvdesign.cost.tradeoff`) with all of them.

The report notebook ``hvdesign/report/templates/report.ipynb`` is thin: each section is
a markdown cell (heading and how to read it) and a code cell that calls ONE
``*_section`` function of this module. Those functions only present what the analyses
return (:mod:`hvdesign.counts`, :mod:`hvdesign.plans`, :mod:`hvdesign.failures`,
:mod:`hvdesign.availability`, :mod:`hvdesign.cost`, :mod:`hvdesign.views.topology`,
:mod:`hvdesign.views.tables`); they compute nothing themselves. Every user-supplied
string (the design's name above all) is escaped (:func:`hvdesign.views.html.esc`,
:func:`hvdesign.views.html.table_html`). A later section is one more markdown cell,
one more code cell and one more ``*_section`` function here.

Examples
--------
>>> from hvdesign.spec import design_from_tier
>>> d = design_from_tier("cluster-redundant-path", nodes=4, name="<Contoso>")
>>> title_section(d).html().splitlines()[0]
'<h1>&lt;Contoso&gt;</h1>'
>>> as_scenario(d).economics.downtime_cost_per_hour_usd  # the shipped default
10000.0
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from hvdesign.errors import HvdesignError
from hvdesign.report.parameters import (
    SHIPPED,
    YOURS,
    prices_table,
    reliability_table,
    rules_table,
    user_figures,
)
from hvdesign.scenariofile import ScenarioFile, scenario_of, scenario_to_yaml
from hvdesign.spec import SWITCH_LETTERS, Design, design_to_yaml, host_layout
from hvdesign.views import tables
from hvdesign.views.html import esc, money, number, percent, table_html

if TYPE_CHECKING:
    from hvdesign.availability import AvailabilityResult

#: The design the template shows when run on its own (no ``scenario_yaml`` given).
EXAMPLE_DESIGN: dict[str, Any] = {"tier": "cluster-redundant-path", "nodes": 4}

#: What a report is made of: a scenario, or a design (with the shipped defaults).
Target = ScenarioFile | Design

#: The two availability figures, each with the sentence that says which is which
#: (domain.md §4); every face uses these words.
SERVICE_AVAILABILITY_TEXT = (
    "Service availability: the share of the year in which every VM runs (an SLA figure)."
)
VM_AVAILABILITY_TEXT = (
    "VM availability: the share of VM-time the VMs run (a partial outage counts by the "
    "share of VMs it stops)."
)


def as_scenario(target: Target) -> ScenarioFile:
    """``target`` as a scenario: a :class:`~hvdesign.scenariofile.ScenarioFile` as it
    is, a :class:`~hvdesign.spec.Design` with the shipped rules, reliability, prices
    and economics (:func:`hvdesign.scenariofile.scenario_of`)."""
    if isinstance(target, ScenarioFile):
        return target
    if isinstance(target, Design):
        return scenario_of(target)
    raise HvdesignError(
        "scenario",
        type(target).__name__,
        "a ScenarioFile (hvdesign.scenariofile.load_scenario) or a Design",
    )


# --------------------------------------------------------------- display objects


class HTML:
    """An HTML fragment for IPython's display (its ``_repr_html_``).

    The text is used as given: build it with :func:`hvdesign.views.html.esc` and
    :func:`hvdesign.views.html.table_html`.
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
    """The design file text of :data:`EXAMPLE_DESIGN`."""
    from hvdesign.spec import design_from_dict

    return design_to_yaml(design_from_dict(EXAMPLE_DESIGN))


def example_scenario_yaml() -> str:
    """The scenario file text of :data:`EXAMPLE_DESIGN` with the shipped defaults (the
    template's standalone run)."""
    from hvdesign.scenariofile import scenario_from_dict

    return scenario_to_yaml(scenario_from_dict(EXAMPLE_DESIGN))


def _generated_on() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def title_section(scenario: Target) -> Section:
    """The report's heading: the design's title, its tier and the guide's figure."""
    from hvdesign import __version__

    design = as_scenario(scenario).design
    info = design.tier_info
    text = (
        f"<h1>{esc(design.title)}</h1>\n"
        f'<p class="hv-subtitle">Design report &middot; {esc(info.title)} '
        f"(the guide&rsquo;s {esc(info.figure)}) &middot; made by hvdesign "
        f"{esc(__version__)} on {_generated_on()}</p>"
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
        shown = f"{value} ({design.tier_info.figure})" if key == "tier" else value
        rows.append((OPTION_LABELS.get(key, key), _option_value(key, shown), key))
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


def design_section(scenario: Target) -> Section:
    """The design: its tier, key figures, the host layout and every option."""
    from hvdesign.counts import summary

    design = as_scenario(scenario).design
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
    cards = "".join(f"<div><b>{n}</b><span>{esc(label)}</span></div>" for n, label in figures)
    text = (
        f"<p><b>Tier:</b> {esc(info.title)} &mdash; the guide&rsquo;s "
        f"{esc(info.figure)} (<code>{esc(design.tier)}</code>). "
        f"{esc(info.summary)}</p>\n"
        f'<div class="hv-kv">{cards}</div>\n'
        "<h3>Connections of every host</h3>\n"
        + table_html(layout_table(design))
        + "\n<h3>Options</h3>\n"
        + table_html(design_table(design))
    )
    return Section((HTML(text),))


def topology_section(scenario: Target) -> Section:
    """The topology diagram (:func:`hvdesign.views.topology.topology_figure`)."""
    from hvdesign.views.topology import topology_figure

    design = as_scenario(scenario).design
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


def counts_section(scenario: Target) -> Section:
    """The count tables of :func:`hvdesign.views.tables.counts_tables`, one after another,
    each with its title and a note on how to read it."""
    parts = []
    for title, df in tables.counts_tables(as_scenario(scenario).design).items():
        note = COUNT_NOTES.get(title, "")
        parts.append(
            f"<h3>{esc(str(title))}</h3>\n"
            + (f'<p class="hv-note">{esc(note)}</p>\n' if note else "")
            + table_html(df, totals=True)
        )
    return Section((HTML("\n".join(parts)),))


def _kv_cards(figures: list[tuple[str, str]]) -> str:
    """Key figures as the report's cards: (value, label) pairs, escaped."""
    cards = "".join(f"<div><b>{esc(v)}</b><span>{esc(label)}</span></div>" for v, label in figures)
    return f'<div class="hv-kv">{cards}</div>\n'


def coverage_section(scenario: Target) -> Section:
    """Failure coverage: every single and double failure with the scenario's rules, the
    outcome shares as a figure (:func:`hvdesign.views.coverage.coverage_figure`), the
    single points of failure, counts by kind, and what each single failure does."""
    from hvdesign.failures import analyse
    from hvdesign.views.coverage import coverage_figure

    sf = as_scenario(scenario)
    design, rules = sf.design, sf.rules
    cov = analyse(design, rules, double=True, expand=False)
    spofs = cov.single_points_of_failure
    n_pairs = sum(cov.double_counts.values())
    text = _kv_cards(
        [
            (str(len(spofs)), "single points of failure"),
            (
                percent(cov.single_failure_coverage),
                f"of {len(cov.singles)} single failures survived or failed over",
            ),
            (
                percent(cov.double_failure_coverage),
                f"of {n_pairs:,} double failures survived or failed over",
            ),
        ]
    )
    witness = (
        "node and disk majority (witness disk)" if rules.witness(design) else ("node majority")
    )
    nhd = "on" if rules.nhd(design) else "off"
    nhd_why = "" if rules.network_health_detection is not None else " by version"
    csv = "on" if rules.csv_redirected_io else "off"
    text += (
        '<p class="hv-note">Assumptions (the scenario&rsquo;s <code>rules</code>, see '
        f"Parameters): quorum {esc(witness)}; reserve {rules.reserve} host"
        f"{'s' if rules.reserve != 1 else ''} (N+{rules.reserve}); CSV redirected I/O "
        f"{csv}; network health detection {nhd}{nhd_why} (Windows Server "
        f"{esc(design.windows_version)}); cluster traffic on "
        f"{esc(', '.join(rules.cluster_networks))}.</p>\n"
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
    single_rows = [
        (sc.failed[0], sc.kinds[0], sc.outcome, round(100 * sc.vms_down_fraction, 1), sc.reason)
        for sc in shown
    ]
    alike = f" (every other host behaves like {hosts[0]})" if len(hosts) > 1 else ""
    text += f"<h3>What each single failure does{esc(alike)}</h3>\n" + table_html(
        pd.DataFrame(single_rows, columns=["component", "kind", "outcome", "VMs down [%]", "why"])
    )
    return Section((coverage_figure(cov), HTML(text)))


def checks_section(scenario: Target) -> Section:
    """The best-practice checks of domain.md §7: every finding with its severity."""
    from hvdesign.checks import check_design, severity_counts

    findings = check_design(as_scenario(scenario).design)
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


def multipath_section(scenario: Target) -> Section:
    """How the design connects to storage and the guide's MPIO-or-MCS rules."""
    from hvdesign.guide import recommend

    design = as_scenario(scenario).design
    chosen = {
        "mpio": "MPIO (a load-balance policy per LUN)",
        "mcs": "MCS (one policy per iSCSI session)",
        "team": "a NIC team (unsupported for storage)",
    }[design.storage_multipath]
    rec = recommend(storage_teaming=design.storage_multipath == "team")
    text = (
        f"<p><b>This design:</b> {design.storage_connections} storage connection(s) per "
        f"host over {esc(chosen)}. <b>The guide's recommendation</b> with no "
        f"special constraint: <b>{esc(rec.recommendation)}</b>.</p>\n"
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


def availability_cards(res: AvailabilityResult) -> str:
    """The availability figures as the report's cards, each availability with the
    sentence that says which it is (:data:`SERVICE_AVAILABILITY_TEXT`,
    :data:`VM_AVAILABILITY_TEXT`)."""
    text = _kv_cards(
        [
            (
                f"{res.availability:.6f}",
                f"service availability ({100 * res.availability:.4f} %)",
            ),
            (f"{res.downtime_minutes_per_year:,.1f}", "service downtime [minutes/year]"),
            (
                f"{res.vm_availability:.6f}",
                f"VM availability ({100 * res.vm_availability:.4f} %)",
            ),
            (f"{res.vm_downtime_minutes_per_year:,.1f}", "VM downtime [minutes/year]"),
            (f"{res.failover_restarts_per_year:,.2f}", "failover restarts [per year]"),
        ]
    )
    return text + (
        f'<p class="hv-note"><b>{esc(SERVICE_AVAILABILITY_TEXT)}</b> '
        f"<b>{esc(VM_AVAILABILITY_TEXT)}</b></p>\n"
    )


def availability_section(scenario: Target) -> Section:
    """Both availability figures (domain.md §4), from the scenario's reliability and
    rules, and the reliability figures used (each marked yours or shipped)."""
    from hvdesign.availability import availability

    sf = as_scenario(scenario)
    rel = sf.reliability
    res = availability(sf.design, rel, sf.rules)
    text = availability_cards(res)
    text += (
        '<p class="hv-note">Both are steady-state figures computed exactly from the '
        "failure rules above, every component failing independently with availability "
        "MTBF / (MTBF + MTTR). Service downtime = (1 - service availability) x 525,960 "
        "minutes: the minutes a year in which at least one VM is down. VM downtime = "
        "(1 - VM availability) x 525,960 minutes plus the failover restarts (each host "
        f"failure on a cluster restarts that host&rsquo;s VMs elsewhere, "
        f"{rel.failover_minutes:g} minutes for 1/N of the VMs): the minutes a year an "
        "average VM is down. The trade-off, the Pareto frontier and the total cost use "
        "VM downtime. The MTBF and MTTR of every kind are under Parameters.</p>\n"
    )
    return Section((HTML(text),))


def parameters_section(scenario: Target) -> Section:
    """The figures every section computes from: the failure rules, the economics, the
    reliability figures and the prices, each marked yours (not the shipped figure) or
    shipped default (:mod:`hvdesign.report.parameters`)."""
    sf = as_scenario(scenario)
    mine = user_figures(sf)
    if mine:
        lead = (
            f"<p><b>Your figures</b> ({len(mine)}): {esc('; '.join(mine))}. Every other "
            f"figure is a {esc(SHIPPED)}.</p>\n"
        )
    else:
        lead = (
            "<p><b>Every figure is a shipped default</b>: no rule, reliability figure, "
            "price or economics of this scenario is your own.</p>\n"
        )
    note = (
        f'<p class="hv-note">&ldquo;{esc(YOURS)}&rdquo;: the figure differs from the '
        "shipped one in its value or its source (set in the scenario file, a "
        "<code>--catalog</code> or <code>--reliability</code> file or a command-line "
        f"option); &ldquo;{esc(SHIPPED)}&rdquo;: <code>data/reliability.yaml</code>, "
        "<code>data/catalog.yaml</code> or the default rules and economics, whose "
        "sources say which are assumptions or placeholders to replace.</p>\n"
    )
    text = (
        lead
        + note
        + "<h3>Failure rules and economics</h3>\n"
        + table_html(rules_table(sf))
        + "\n<h3>Reliability figures</h3>\n"
        + table_html(reliability_table(sf))
        + "\n<h3>Prices</h3>\n"
        + table_html(_readable_items(prices_table(sf)))
    )
    return Section((HTML(text),))


def _readable_items(prices: pd.DataFrame) -> pd.DataFrame:
    """The prices table with each item named as a reader names it (no catalog keys)."""
    from hvdesign.report.parameters import price_label

    return prices.assign(item=[price_label(k) for k in prices["item"]])


def cost_section(scenario: Target) -> Section:
    """Bill of materials and capital cost (domain.md §5) at the scenario's prices, the
    total cost with its economics, as a table and stacked bars."""
    from hvdesign.bom import opex
    from hvdesign.cost import DEFAULT_VMS_PER_HOST, bill_of_materials, cost_per_vm, total_cost
    from hvdesign.views.cost import bom_figure

    sf = as_scenario(scenario)
    design, cat, eco = sf.design, sf.catalog, sf.economics
    bom = bill_of_materials(design, cat)
    capex_usd = float(bom["total_usd"].sum())
    years, per_hour = eco.years, eco.downtime_cost_per_hour_usd
    kwh_usd, pue = eco.power_usd_per_kwh, eco.pue
    total = total_cost(
        design,
        years,
        per_hour,
        cat,
        reliability=sf.reliability,
        rules=sf.rules,
        power_usd_per_kwh=kwh_usd,
        pue=pue,
    )
    running_usd = opex(design, cat, power_usd_per_kwh=kwh_usd, pue=pue)
    text = _kv_cards(
        [
            (money(capex_usd), "capital cost [USD]"),
            (
                money(cost_per_vm(design, DEFAULT_VMS_PER_HOST, cat, rules=sf.rules)),
                f"per VM [USD] at {DEFAULT_VMS_PER_HOST} VMs a host",
            ),
            (
                money(total),
                f"total over {years:g} years [USD] at {money(per_hour)}/h of downtime",
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
    last = pd.DataFrame([["total", "", pd.NA, pd.NA, capex_usd, "", pd.NA]], columns=table.columns)
    table = pd.concat([table, last], ignore_index=True)
    for col in ("quantity [units]", "unit price [USD]", "total [USD]", "year"):
        table[col] = pd.to_numeric(table[col]).round().astype("Int64")  # whole units, USD
    text += table_html(table, totals=True)
    text += (
        '<p class="hv-note">Total cost = capital cost + running costs '
        f"({money(running_usd)} a year [USD/year]: power at "
        f"${eco.power_usd_per_kwh:,.2f}/kWh x PUE {eco.pue:g}, support, licence "
        f"subscriptions) x the horizon ({years:g} years) + VM downtime [minutes/year] / 60 "
        f"x the cost of an hour of all VMs down ({money(per_hour)}) x the horizon: it "
        "uses the VM downtime of Availability, so a partial outage costs its share of "
        "VMs. Prices marked &ldquo;placeholder&rdquo; are round "
        "figures to replace with a quote: give your own in the scenario file&rsquo;s "
        "<code>catalog</code> section or with <code>--catalog FILE</code> (a partial "
        "file overrides only what it names).</p>\n"
    )
    return Section((HTML(text), bom_figure(bom)))


def tradeoff_section(scenario: Target) -> Section:
    """Capital cost against VM downtime of every tier at
    :data:`hvdesign.cost.TRADEOFF_NODES` hosts with this design's shared options, and
    the design itself as it is, all with the scenario's prices, reliability, rules and
    economics (:func:`hvdesign.cost.tradeoff`), with the Pareto frontier and the
    design ringed."""
    from hvdesign.cost import TRADEOFF_NODES, tradeoff
    from hvdesign.views.cost import tradeoff_figure

    sf = as_scenario(scenario)
    design, eco = sf.design, sf.economics
    df = tradeoff(
        design,
        TRADEOFF_NODES,
        catalog=sf.catalog,
        reliability=sf.reliability,
        rules=sf.rules,
        downtime_cost_per_hour=eco.downtime_cost_per_hour_usd,
        years=eco.years,
    )
    mine = df[df["this_design"]].iloc[0]
    text = (
        f'<p class="hv-note">The ringed point is this design as it is: {esc(design.tier)} '
        f"with {design.nodes} host{'s' if design.nodes != 1 else ''}, "
        f"{money(float(mine['capex_usd']))} capital cost, "
        f"{number(float(mine['vm_downtime_minutes_per_year']), 1)} minutes of VM "
        "downtime a year. Every other point is a tier of the guide with this "
        "design&rsquo;s shared options (Windows Server version, multipathing, teaming, "
        "ports per card and per switch, SAN portals, uplinks), all priced with the "
        "scenario&rsquo;s prices, reliability figures, rules and economics. Downtime "
        "here is VM downtime (the minutes a year an average VM is down), as in the "
        "frontier and the total cost.</p>\n"
    )
    front = df[df["pareto"]]
    rows = list(
        zip(
            front["tier"],
            front["nodes"],
            front["capex_usd"].round().astype(int),
            front["vm_downtime_minutes_per_year"].round(1),
            front["total_cost_usd"].round().astype(int),
            strict=True,
        )
    )
    total_title = f"total cost over {eco.years:g} years [USD]"
    text += "<h3>Designs on the Pareto frontier</h3>\n" + table_html(
        pd.DataFrame(
            rows,
            columns=[
                "tier",
                "hosts",
                "capital cost [USD]",
                "VM downtime [min/year]",
                total_title,
            ],
        )
    )
    return Section((tradeoff_figure(df, highlight=df.attrs["highlight"]), HTML(text)))


#: Column titles of the IP plan in the report.
IP_PLAN_COLUMNS = {
    "subnet": "subnet",
    "traffic_class": "traffic class",
    "network": "network [CIDR]",
    "address": "address [IPv4]",
    "device": "device",
    "interface": "interface",
    "role": "role",
    "vlan": "VLAN",
    "mtu": "MTU [bytes]",
    "gateway": "gateway [IPv4]",
    "cluster_role": "cluster network role (0 none, 1 cluster only, 3 cluster and client)",
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
    "vlan": "VLAN (access)",
    "tagged_vlans": "tagged VLANs (trunk)",
    "mtu": "MTU [bytes]",
}


def ip_plan_section(scenario: Target) -> Section:
    """The IP plan (:func:`hvdesign.plans.ip_plan`) as one table."""
    from hvdesign.plans import ip_plan

    plan = ip_plan(as_scenario(scenario).design).rename(columns=IP_PLAN_COLUMNS)
    return Section((HTML(table_html(plan)),))


def cabling_plan_section(scenario: Target) -> Section:
    """The cabling plan (:func:`hvdesign.plans.cabling_plan`) as one table."""
    from hvdesign.plans import cabling_plan

    plan = cabling_plan(as_scenario(scenario).design).rename(columns=CABLING_COLUMNS)
    return Section((HTML(table_html(plan)),))


def design_file_section(scenario: Target) -> Section:
    """The scenario file the report was made from, every section with its effective
    values (:func:`hvdesign.scenariofile.scenario_to_yaml`; it loads back unchanged)."""
    text = (
        f'<pre class="hv-file">{esc(scenario_to_yaml(as_scenario(scenario)))}</pre>\n'
        '<p class="hv-footer">Made with hvdesign from the guide &ldquo;Creating '
        "Highly-Available Hyper-V with iSCSI Storage&rdquo;, Figs 2.7 to 2.12.</p>"
    )
    return Section((HTML(text),))


# Sections of issue 11 (sizing at equal capacity, sensitivity), in their own module.
from hvdesign.report.insight import sensitivity_section, workload_section  # noqa: E402, F401

__all__ = [name for name in dir() if name.endswith("_section")]
