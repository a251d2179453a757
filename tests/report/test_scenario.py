"""The report of a scenario (issue 10): every figure is the scenario's own.

The scenario: cluster-redundant-path with 4 nodes (the guide's Fig 2.12) with a server
at $25,000 (shipped $20,000), a SAN base at $60,000 (shipped $30,000), host MTBF
20,000 h, switch MTBF 100,000 h and downtime at $50,000 an hour, named with an HTML
injection attempt. Expected figures are computed here from the same ScenarioFile with
the analyses (cost.capex, availability.availability), formatted as the report formats
them, and the capital cost also by hand: the shipped design costs $195,690
(hvdesign.cost.capex's doctest), 4 servers x $5,000 more and $30,000 more for the SAN
give $245,690.
"""

from __future__ import annotations

import html
import re

import pytest

from hvdesign.datafiles import load_yaml_text
from hvdesign.report import sections
from hvdesign.report.build import network_references, write_report
from hvdesign.report.parameters import SHIPPED, YOURS, prices_table, reliability_table, rules_table
from hvdesign.scenariofile import scenario_from_dict, scenario_of
from hvdesign.spec import design_from_tier
from hvdesign.views.html import money, number, percent

EVIL = "<script>alert('x')</script>"

SCENARIO = {
    "name": EVIL,
    "tier": "cluster-redundant-path",
    "nodes": 4,
    "catalog": {"server": {"price_usd": 25_000}, "san_base": {"price_usd": 60_000}},
    "reliability": {"host": {"mtbf_hours": 20_000}, "switch": {"mtbf_hours": 100_000}},
    "economics": {"downtime_cost_per_hour_usd": 50_000},
}


@pytest.fixture(scope="module")
def scenario():
    return scenario_from_dict(SCENARIO)


@pytest.fixture(scope="module")
def text(scenario, tmp_path_factory):
    path = tmp_path_factory.mktemp("scenario") / "report.html"
    return write_report(scenario, path).read_text(encoding="utf-8")


def _markup(text: str) -> str:
    """The report without its styles and scripts (plotly.js holds every digit)."""
    return re.sub(r"<(style|script)\b.*?</\1>", "", text, flags=re.S)


@pytest.mark.slow
def test_report_shows_the_scenarios_capex_availability_and_vm_downtime(scenario, text):
    from hvdesign.availability import availability
    from hvdesign.cost import capex

    design = scenario.design
    capex_usd = capex(design, scenario.catalog)
    assert capex_usd == 195_690 + 4 * 5_000 + 30_000  # by hand, see the module
    res = availability(design, scenario.reliability, scenario.rules)
    shipped = availability(design)
    assert res.availability < shipped.availability  # the user's MTBFs count
    markup = _markup(text)
    assert f"<b>{money(capex_usd)}</b>" in markup
    assert f"<b>{res.availability:.6f}</b>" in markup
    assert f"<b>{res.vm_availability:.6f}</b>" in markup
    assert f"<b>{res.vm_downtime_minutes_per_year:,.1f}</b>" in markup
    assert f"<b>{res.downtime_minutes_per_year:,.1f}</b>" in markup
    shipped_card = f"<b>{shipped.availability:.6f}</b><span>service availability"
    assert f"{shipped.availability:.6f}" != f"{res.availability:.6f}"
    assert shipped_card not in markup and f"<b>{money(capex(design))}</b>" not in markup
    # Total cost = capex + running costs [USD/year] x 5 years + VM downtime [min/year]
    # / 60 x $50,000/h x 5 years (by hand; running costs: hvdesign.bom.opex).
    from hvdesign.bom import opex

    eco = scenario.economics
    running = opex(design, scenario.catalog, power_usd_per_kwh=eco.power_usd_per_kwh, pue=eco.pue)
    total = capex_usd + running * 5 + res.vm_downtime_minutes_per_year / 60 * 50_000 * 5
    assert f"<b>{money(total)}</b>" in markup
    assert "$50,000/h of downtime" in markup
    # The trade-off rings this design at the same figures.
    assert f"{money(capex_usd)} capital cost, " in markup
    assert f"{number(res.vm_downtime_minutes_per_year, 1)} minutes of VM downtime" in markup


@pytest.mark.slow
def test_report_says_which_availability_is_which(text):
    markup = _markup(text)
    for sentence in (sections.SERVICE_AVAILABILITY_TEXT, sections.VM_AVAILABILITY_TEXT):
        assert html.escape(sentence) in markup
    assert "Downtime here is VM downtime" in markup  # the trade-off says which it uses
    assert "it uses the VM downtime of Availability" in markup  # and the total cost


@pytest.mark.slow
def test_report_escapes_user_text_and_loads_nothing(text):
    assert EVIL not in text
    assert html.escape(EVIL) in text
    assert "<title>&lt;script&gt;alert(" in text and "<h1>&lt;script&gt;alert(" in text
    assert network_references(text) == []


@pytest.mark.slow
def test_design_file_section_is_the_whole_scenario_and_loads_back(scenario, text):
    m = re.search(r'<pre class="hv-file">(.*?)</pre>', text, flags=re.S)
    assert m
    shown = html.unescape(m.group(1))
    assert shown.count("\nrules:") == shown.count("\nreliability:") == 1
    assert shown.count("\ncatalog:") == shown.count("\neconomics:") == 1
    assert scenario_from_dict(load_yaml_text(shown)) == scenario


def test_parameters_mark_the_users_figures(scenario):
    rel = reliability_table(scenario).set_index("component kind")
    assert rel.loc["host", "from"] == rel.loc["switch", "from"] == f"{YOURS}: MTBF"
    assert rel.loc["host", "MTBF [h]"] == 20_000 and rel.loc["switch", "MTBF [h]"] == 100_000
    assert set(rel.drop(index=["host", "switch"])["from"]) == {SHIPPED}
    prices = prices_table(scenario).set_index("item")
    assert prices.loc["server", "price [USD]"] == 25_000
    assert prices.loc["san_base", "price [USD]"] == 60_000
    assert set(prices.loc[prices["from"] == YOURS].index) == {"server", "san_base"}
    rules = rules_table(scenario).set_index("scenario file key")
    assert rules.loc["economics.downtime_cost_per_hour_usd", "from"] == YOURS
    assert set(rules.drop(index="economics.downtime_cost_per_hour_usd")["from"]) == {SHIPPED}
    text = sections.parameters_section(scenario).html()
    assert "Your figures</b> (5)" in text
    for name in (
        "host MTBF",
        "switch MTBF",
        "price: server",
        "price: SAN (controllers and disks)",
        "per hour",
    ):
        assert name in text


def test_a_design_is_reported_with_the_shipped_defaults():
    design = design_from_tier("cluster-minimal", nodes=3)
    assert sections.as_scenario(design) == scenario_of(design)
    text = sections.parameters_section(design).html()
    assert "Every figure is a shipped default" in text
    with pytest.raises(ValueError, match="scenario"):
        sections.as_scenario("cluster-minimal")


def test_coverage_and_cost_follow_the_scenarios_rules_and_economics():
    """Reserve 2 and no CSV redirected I/O change the coverage (computed with those
    rules); 3 years at $1,000/h change the total cost (by hand)."""
    from hvdesign.availability import availability
    from hvdesign.cost import capex
    from hvdesign.failures import analyse

    sf = scenario_from_dict(
        {
            "tier": "cluster-redundant-path",
            "nodes": 6,
            "rules": {"reserve": 2, "csv_redirected_io": False},
            "economics": {"downtime_cost_per_hour_usd": 1000, "years": 3},
        }
    )
    cov_text = sections.coverage_section(sf).html()
    assert "reserve 2 hosts (N+2)" in cov_text and "CSV redirected I/O off" in cov_text
    cov = analyse(sf.design, sf.rules, double=True, expand=False)
    assert percent(cov.double_failure_coverage) in cov_text
    res = availability(sf.design, sf.reliability, sf.rules)
    from hvdesign.bom import opex

    running = opex(sf.design, sf.catalog)  # the shipped power price and PUE
    total = (
        capex(sf.design, sf.catalog)
        + running * 3
        + res.vm_downtime_minutes_per_year / 60 * 1000 * 3
    )
    cost_text = sections.cost_section(sf).html()
    assert f"<b>{money(total)}</b>" in cost_text
    assert "total over 3 years [USD] at $1,000/h of downtime" in cost_text
    trade = sections.tradeoff_section(sf).html()
    assert "total cost over 3 years [USD]" in trade


@pytest.mark.slow
def test_the_notebook_way_shows_the_same_scenario(scenario, text, tmp_path):
    """The notebook run in a kernel gets the scenario as its scenario file text
    (scenario_to_yaml) and shows the same figures, user sources included."""
    from tests.report.test_build import _outputs

    reference = write_report(scenario, tmp_path / "kernel.html", kernel=True)
    mine, theirs = _outputs(text), _outputs(reference.read_text(encoding="utf-8"))
    assert len(mine) == len(theirs) > 20
    for a, b in zip(mine, theirs, strict=True):
        assert a == b
