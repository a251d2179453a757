"""Report sections of issue 11: the designs that carry the scenario's workload (sizing
at equal capacity) and which input matters most (sensitivity, Birnbaum importance).

Both compute from the scenario only (:mod:`hvdesign.sizing`,
:mod:`hvdesign.sensitivity`); :mod:`hvdesign.report.sections` re-exports them so the
template notebook calls them like every other section.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from hvdesign.views.html import esc, money, number, table_html

if TYPE_CHECKING:
    from hvdesign.report.sections import Section, Target

#: Inputs of the sensitivity shown in the report's tornado chart (the largest swings).
TORNADO_ROWS = 12


def workload_section(scenario: Target) -> Section:
    """Every tier sized for the scenario's workload (the same VMs), with capex, opex,
    VM downtime, total cost and cost per VM per year, and the Pareto frontier of total
    cost against VM downtime; a sentence when the scenario has no workload."""
    from hvdesign.report.sections import HTML, Section, as_scenario

    sf = as_scenario(scenario)
    if sf.workload is None:
        return Section(
            (
                HTML(
                    '<p class="hv-note">This scenario has no <code>workload</code> section, '
                    "so the designs are compared at the node counts above, not at equal "
                    "capacity. Add one (<code>workload: {vms: 300, vcpus_per_vm: 4, "
                    "memory_gb_per_vm: 16}</code>, and <code>nodes: auto</code>) to size "
                    "every tier for the same VMs.</p>\n"
                ),
            )
        )
    from hvdesign.sizing import compare_scenario

    df = compare_scenario(sf)
    w = sf.workload
    cols = {
        "tier": "tier",
        "server": "server",
        "nodes": "hosts",
        "capex_usd": "capex [USD]",
        "opex_usd_per_year": "opex [USD/year]",
        "vm_downtime_minutes_per_year": "VM downtime [min/year]",
        "total_cost_usd": f"total over {sf.economics.years:g} years [USD]",
        "cost_per_vm_per_year_usd": "per VM per year [USD]",
        "pareto": "Pareto",
    }
    shown = df[[c for c in cols if c in df.columns]].copy()
    for c in ("capex_usd", "opex_usd_per_year", "total_cost_usd", "cost_per_vm_per_year_usd"):
        if c in shown:
            shown[c] = [number(float(x)) for x in shown[c]]  # thousands separators
    if "vm_downtime_minutes_per_year" in shown:
        shown["vm_downtime_minutes_per_year"] = [
            number(float(x), 1) for x in shown["vm_downtime_minutes_per_year"]
        ]
    if "pareto" in shown:
        shown["pareto"] = shown["pareto"].map({True: "yes", False: ""})
    text = (
        f"<p>Every tier sized for the same workload: {number(w.vms)} VMs of "
        f"{number(w.vcpus_per_vm)} vCPU and {number(w.memory_gb_per_vm)} GB memory "
        "(hosts = the tier's minimum or ceil(VMs / VMs per host) + reserve). Total cost = "
        "capital cost + running cost (power, support, subscriptions) x years + VM downtime "
        f"at {money(sf.economics.downtime_cost_per_hour_usd)} an hour of all VMs down. "
        "<b>Pareto</b>: no other design carrying these VMs is cheaper in total AND has "
        "less VM downtime.</p>\n"
    )
    return Section((HTML(text + table_html(shown.rename(columns=cols))),))


def sensitivity_section(scenario: Target) -> Section:
    """Which input matters most: each uncertain input moved to / and x 2
    (:func:`hvdesign.sensitivity.sensitivity`), ranked by the swing of the total cost,
    as a tornado chart and a table; the Birnbaum importance of each component kind."""
    from hvdesign.report.sections import HTML, Section, as_scenario
    from hvdesign.sensitivity import sensitivity
    from hvdesign.views.sensitivity import birnbaum_table, tornado_figure

    sf = as_scenario(scenario)
    table = sensitivity(sf)
    top = table.head(TORNADO_ROWS)
    rows = pd.DataFrame(
        {
            "input": top["input"],
            "unit": top["unit"],
            "base": top["base"],
            "VM downtime at low / high [min/year]": [
                f"{a:,.1f} / {b:,.1f}"
                for a, b in zip(
                    top["low_vm_downtime_minutes_per_year"],
                    top["high_vm_downtime_minutes_per_year"],
                    strict=True,
                )
            ],
            "total cost at low / high [USD]": [
                f"{money(a)} / {money(b)}"
                for a, b in zip(top["low_total_cost_usd"], top["high_total_cost_usd"], strict=True)
            ],
        }
    )
    text = (
        f"<p>Each uncertain input of {esc(sf.design.title)} moved to half and to twice its "
        "value (prices as a factor of the catalog's; MTBF, MTTR, failover minutes, the power "
        "price and the cost of downtime as values), the others kept: the bars show how far "
        "the VM downtime and the total cost move, the largest swing on top. An input whose "
        "bars are short does not change the decision; one whose bars are long is worth a "
        "better figure (a quote, a vendor's MTBF).</p>\n"
    )
    birn = (
        "<h3>Birnbaum importance of each component kind</h3>\n"
        '<p class="hv-note">How much the availability changes per unit change of one '
        "component kind's availability (dA/dA_k, by central finite differences on the "
        "exact method): a kind in series with everything (a single point of failure) has "
        "importance close to 1.</p>\n" + table_html(birnbaum_table(table))
    )
    return Section(
        (HTML(text), tornado_figure(table, top=TORNADO_ROWS), HTML(table_html(rows) + birn))
    )
