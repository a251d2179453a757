"""The scenario file through the command line (issue 10, domain.md §8): every command
that takes a TARGET honours its sections, options override them only when given on the
command line, ``hvdesign design`` prints the whole scenario and loads back unchanged,
and the CLI's figures are the ones computed in Python from the same ScenarioFile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from hvdesign.cli.main import main
from hvdesign.scenariofile import load_scenario, scenario_from_dict, scenario_to_yaml
from hvdesign.scenarios import KINDS

#: Minutes in a year (365.25 days), domain.md §4.
MINUTES_PER_YEAR = 525_960

#: A scenario file with every section set.
SCENARIO = """\
name: Contoso production cluster
tier: cluster-redundant-path
nodes: 8
rules: {reserve: 2, quorum: node_majority, csv_redirected_io: false}
reliability: {host: {mtbf_hours: 40000, mttr_hours: 24}, failover_minutes: 3}
catalog: {server: {price_usd: 25000}}
economics: {downtime_cost_per_hour_usd: 50000, years: 3}
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def fails(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert result.output.startswith("hvdesign: error: ")
    return result.output.removeprefix("hvdesign: error: ")


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.fixture
def scenario(tmp_path: Path) -> str:
    return write(tmp_path, "scenario.yaml", SCENARIO)


def only_hosts_fail(tier: str, nodes: int, mtbf: float, mttr: float, extra: str = "") -> str:
    """A scenario file in which only hosts fail (every other kind repaired at once)."""
    others = "".join(f"  {kind}: {{mttr_hours: 0}}\n" for kind in KINDS if kind != "host")
    return (
        f"tier: {tier}\nnodes: {nodes}\n{extra}reliability:\n"
        f"  host: {{mtbf_hours: {mtbf}, mttr_hours: {mttr}}}\n{others}"
    )


# ------------------------------------------------------------------- design


def test_design_prints_every_section_and_loads_back_unchanged(tmp_path, scenario):
    rel = write(
        tmp_path,
        "rel.yaml",
        "switch: {mtbf_hours: {value: 1e6, source: vendor sheet, year: 2026}}\n",
    )
    cat = write(tmp_path, "cat.yaml", "san_base: {price_usd: 60000, source: quote, year: 2026}\n")
    out = tmp_path / "out.yaml"
    args = [
        "design",
        scenario,
        "--nodes",
        "6",
        "--set",
        "san_portals=4",
        "--reliability",
        rel,
        "--catalog",
        cat,
        "--network-health-detection",
        "off",
        "--years",
        "7",
        "-o",
        str(out),
    ]
    assert run(*args).exit_code == 0
    text = out.read_text()
    for section in ("rules:", "reliability:", "catalog:", "economics:"):
        assert f"\n{section}\n" in text
    sf = load_scenario(out)
    # Every value: the file's, the command line's over it, the defaults elsewhere.
    assert (sf.design.tier, sf.design.nodes, sf.design.san_portals) == (
        "cluster-redundant-path",
        6,
        4,
    )
    assert sf.design.name == "Contoso production cluster"
    assert (sf.rules.reserve, sf.rules.quorum, sf.rules.csv_redirected_io) == (
        2,
        "node_majority",
        False,
    )
    assert sf.rules.network_health_detection is False  # --network-health-detection off
    assert sf.reliability.mtbf_hours("host") == 40_000 and sf.reliability.mttr_hours("host") == 24
    assert sf.reliability.failover_minutes == 3
    assert sf.reliability.mtbf_hours("switch") == 1e6
    assert sf.reliability.figure("switch", "mtbf_hours").source == "vendor sheet"
    assert sf.catalog.server.price_usd == 25_000
    assert sf.catalog.san_base.price_usd == 60_000 and sf.catalog.san_base.source == "quote"
    assert sf.economics.downtime_cost_per_hour_usd == 50_000 and sf.economics.years == 7
    # The same text as Python prints for it, and printed again identically from itself.
    assert text == scenario_to_yaml(sf)
    again = run("design", str(out)).output
    assert again == text
    assert scenario_from_dict(yaml.safe_load(again)) == sf


def test_design_of_a_tier_is_the_default_scenario():
    import yaml

    out = run("design", "cluster-minimal", "-n", "3").output
    # a design without a name gets one from its tier's title and node count
    name = "3-node Hyper-V cluster, minimal configuration"
    expected = scenario_from_dict({"tier": "cluster-minimal", "nodes": 3, "name": name})
    assert scenario_from_dict(yaml.safe_load(out)) == expected
    assert out == scenario_to_yaml(expected)


@pytest.mark.parametrize(
    "args",
    [
        ["summary", "--json"],
        ["check", "--json"],
        ["ipplan", "--format", "csv"],
        ["cabling", "--format", "csv"],
    ],
)
def test_every_target_command_takes_a_scenario_file(scenario, args):
    """The design commands read the design of a file with every section (the sections
    are checked too) and give what they give for the same design file."""
    command, *rest = args
    plain = run(command, "cluster-redundant-path", "-n", "8", *rest)
    result = run(command, scenario, *rest)
    assert result.exit_code == plain.exit_code
    assert result.output == plain.output.replace(
        "Hyper-V cluster, redundant path (8 nodes)", "Contoso production cluster"
    )


# ------------------------------------------- options override only when given


def test_rules_from_the_file_unless_given_on_the_command_line(scenario):
    rules = json.loads(run("coverage", scenario, "--json").output)["rules"]
    assert rules["reserve"] == 2 and rules["quorum"] == "node_majority"
    assert rules["csv_redirected_io"] is False
    # --reserve 1 is the option's default value, but given: it overrides the file's 2.
    rules = json.loads(run("coverage", scenario, "--reserve", "1", "--json").output)["rules"]
    assert rules["reserve"] == 1 and rules["quorum"] == "node_majority"
    rules = json.loads(run("coverage", scenario, "--csv-redirected-io", "--json").output)["rules"]
    assert rules["csv_redirected_io"] is True and rules["reserve"] == 2


def test_rule_options_apply_before_the_rules_are_checked(scenario):
    # The file's reserve 2 does not fit 2 nodes; --reserve 1 given with them does.
    assert fails("coverage", scenario, "-n", "2").startswith("rules.reserve: 2 is not valid")
    rules = json.loads(run("coverage", scenario, "-n", "2", "--reserve", "1", "--json").output)
    assert rules["rules"]["reserve"] == 1 and rules["nodes"] == 2
    assert fails("coverage", scenario, "-n", "2", "--reserve", "2").startswith("reserve: 2 ")


def test_economics_from_the_file_unless_given(scenario):
    data = json.loads(run("cost", scenario, "--json").output)
    assert (data["downtime_cost_per_hour_usd"], data["years"]) == (50_000, 3)
    data = json.loads(run("cost", scenario, "--years", "5", "--json").output)
    assert (data["downtime_cost_per_hour_usd"], data["years"]) == (50_000, 5)


def test_reliability_and_catalog_files_merge_over_the_scenarios(tmp_path, scenario):
    rel = write(tmp_path, "rel.yaml", "san: {mttr_hours: 1}\n")
    cat = write(tmp_path, "cat.yaml", "san_base: {price_usd: 0}\n")
    base = json.loads(run("cost", scenario, "--json").output)
    both = json.loads(
        run("cost", scenario, "--reliability", rel, "--catalog", cat, "--json").output
    )
    # The file's server price stays (8 x 25,000 in both); the SAN base price is gone.
    san_base = next(r for r in base["bom"] if r["item"] == "san_base")
    assert base["capex"] - both["capex"] == pytest.approx(san_base["total_usd"])
    assert all(r["unit_price_usd"] == 25_000 for r in both["bom"] if r["item"] == "server")
    # A faster SAN repair over the file's host figures: less downtime, not the defaults'.
    assert both["vm_downtime_minutes_per_year"] < base["vm_downtime_minutes_per_year"]


# ------------------------------------------------- the figures, by hand too


def test_standalone_servers_closed_form_through_the_cli(tmp_path):
    """N standalone servers, only hosts failing: VM availability = one host's
    availability a = MTBF / (MTBF + MTTR), service availability a^N (domain.md §4);
    no failover, so VM downtime = (1 - a) x 525,960 min/year."""
    path = write(tmp_path, "s.yaml", only_hosts_fail("single-redundant-path", 3, 1000, 10))
    data = json.loads(run("availability", path, "--json").output)
    a = 1000 / 1010
    assert data["vm_availability"] == pytest.approx(a, rel=1e-12)
    assert data["availability"] == pytest.approx(a**3, rel=1e-12)
    assert data["downtime_minutes_per_year"] == pytest.approx((1 - a**3) * MINUTES_PER_YEAR)
    assert data["vm_downtime_minutes_per_year"] == pytest.approx((1 - a) * MINUTES_PER_YEAR)


def test_n_plus_1_cluster_closed_form_through_the_cli(tmp_path):
    """Four nodes, N+1, node and disk majority (witness on the SAN, which never fails),
    only hosts failing, each down with u = MTTR / (MTBF + MTTR): k = 2 hosts down
    strands (k - 1) / (N - 1) = 1/3 of the VMs; k >= 3 loses quorum (2 of 5 votes): all.
    Service availability: at most one host down."""
    extra = "rules: {quorum: node_and_disk_majority}\n"
    path = write(tmp_path, "c.yaml", only_hosts_fail("cluster-minimal", 4, 1000, 50, extra))
    data = json.loads(run("availability", path, "--json").output)
    u = 50 / 1050
    a = 1 - u
    share = 6 * u**2 * a**2 * (1 / 3) + 4 * u**3 * a + u**4
    assert data["vm_availability"] == pytest.approx(1 - share, rel=1e-12)
    assert data["availability"] == pytest.approx(a**4 + 4 * u * a**3, rel=1e-12)
    restarts = data["failover_restarts_per_year"]
    assert data["vm_downtime_minutes_per_year"] == pytest.approx(
        share * MINUTES_PER_YEAR + restarts * 3.5 / 4  # shipped failover_minutes: 3.5
    )


def test_cli_figures_are_pythons_of_the_same_scenario_file(scenario):
    from hvdesign.availability import availability
    from hvdesign.cost import capex, downtime_cost

    sf = load_scenario(scenario)
    r = availability(sf.design, sf.reliability, sf.rules)
    data = json.loads(run("availability", scenario, "--json").output)
    for key in (
        "availability",
        "downtime_minutes_per_year",
        "vm_availability",
        "vm_downtime_minutes_per_year",
    ):
        assert data[key] == getattr(r, key)
    cost = json.loads(run("cost", scenario, "--json").output)
    for key in ("availability", "vm_downtime_minutes_per_year", "vm_availability"):
        assert cost[key] == data[key]
    assert cost["capex"] == capex(sf.design, sf.catalog)
    # 8 servers at the file's 25,000 instead of the shipped 20,000.
    assert cost["capex"] - capex(sf.design) == pytest.approx(8 * 5_000)
    # Total cost = capex + opex x 3 years + VM downtime [min/year] / 60 x 50,000 USD/hour x 3.
    down = r.vm_downtime_minutes_per_year / 60 * 50_000 * 3
    assert cost["downtime_cost_usd"] == pytest.approx(down)
    assert cost["downtime_cost_usd"] == downtime_cost(r.vm_downtime_minutes_per_year, 50_000, 3)
    assert cost["total_cost_usd"] == pytest.approx(
        cost["capex"] + cost["opex_usd_per_year"] * 3 + down
    )
    # 8 nodes, 2 in reserve (the file's rules): 6 x 20 VMs.
    assert cost["vms"] == 120 and cost["cost_per_vm"] == pytest.approx(cost["capex"] / 120)


def test_text_shows_both_figures_each_with_its_sentence(scenario):
    for command in ("availability", "cost"):
        out = run(command, scenario).output
        assert "Service availability: the share of the year in which every VM runs" in out
        assert "VM availability: the share of VM-time the VMs run" in out
        assert "min/year" in out
    out = run("compare", scenario, "--nodes", "8", "--tiers", "cluster-minimal").output
    assert "Service availability: " in out and "VM availability: " in out


# ------------------------------------------------ compare and figure's base


def test_compare_takes_the_scenario_as_the_base_of_every_tier(scenario):
    data = json.loads(
        run(
            "compare", scenario, "--nodes", "8", "--tiers", "cluster-redundant-path", "--json"
        ).output
    )
    (row,) = data["designs"]
    cost = json.loads(run("cost", scenario, "--json").output)
    assert (data["downtime_cost_per_hour"], data["years"]) == (50_000, 3)
    # The file's design is the preset at 8 nodes: the same design, the same figures.
    assert row["capex_usd"] == cost["capex"]
    assert row["vm_downtime_minutes_per_year"] == cost["vm_downtime_minutes_per_year"]
    assert row["total_cost_usd"] == pytest.approx(cost["total_cost_usd"])
    # The file's reserve 2: no 2-node cluster in the sweep (a cluster needs reserve + 1).
    nodes = [
        d["nodes"]
        for d in json.loads(
            run(
                "compare", scenario, "--nodes", "2-3", "--tiers", "cluster-minimal", "--json"
            ).output
        )["designs"]
    ]
    assert nodes == [3]


def test_compare_takes_the_scenarios_shared_options(tmp_path):
    path = write(tmp_path, "w.yaml", "tier: cluster-minimal\nwindows_version: 2008 R2\n")
    data = json.loads(run("compare", path, "--nodes", "15-17", "--json").output)
    # 2008 R2's limit of 16 nodes applies to every tier of the base.
    assert max(d["nodes"] for d in data["designs"]) == 16


@pytest.mark.parametrize(
    "item, why",
    [
        ("nodes=3", "the node counts of compare are --nodes"),
        ("tier=cluster-minimal", "the tiers of compare are --tiers"),
        ("cluster=false", "each tier decides whether it is a cluster"),
    ],
)
def test_compare_refuses_options_that_cannot_apply(item, why):
    message = fails("compare", "--nodes", "4", "--set", item)
    assert message.startswith(f"--set: {item!r} is not valid ({why}); allowed: ")


def test_figure_tradeoff_is_the_scenarios(scenario):
    from hvdesign.cli.figure import tradeoff

    sf = load_scenario(scenario)
    cost = json.loads(run("cost", scenario, "--json").output)
    fig = tradeoff(sf, [2, 4])
    (ringed,) = [t for t in fig.data if t.name == "current design"]
    # The design itself at the file's prices, reliability, rules: what cost prints.
    assert list(ringed.x) == [cost["capex"]]
    assert list(ringed.y) == pytest.approx([cost["vm_downtime_minutes_per_year"]])


# ------------------------------------------------------------------ report


def test_report_passes_the_effective_scenario(monkeypatch, tmp_path, scenario):
    from hvdesign.report import build

    seen = {}

    def fake(sf, path, **kwargs):
        seen["sf"] = sf
        return Path(path)

    monkeypatch.setattr(build, "write_report", fake)
    out = str(tmp_path / "r.html")
    rel = write(tmp_path, "rel.yaml", "san: {mttr_hours: 1}\n")
    run("report", scenario, "-o", out, "--reserve", "1", "--reliability", rel, "--years", "10")
    sf = seen["sf"]
    assert sf.rules.reserve == 1 and sf.rules.quorum == "node_majority"
    assert sf.reliability.mttr_hours("san") == 1 and sf.reliability.mttr_hours("host") == 24
    assert sf.catalog.server.price_usd == 25_000
    assert (sf.economics.downtime_cost_per_hour_usd, sf.economics.years) == (50_000, 10)


def test_report_compare_refuses_scenario_options(tmp_path, scenario):
    message = fails(
        "report", "--compare", scenario, scenario, "-o", str(tmp_path / "c.html"), "--years", "3"
    )
    assert message.startswith("--compare: ")


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    "args, start",
    [
        (["cost", "{s}", "--years", "0"], "--years: 0.0 is not valid; allowed: "),
        (["cost", "{s}", "--downtime-cost-per-hour", "-1"], "--downtime-cost-per-hour: "),
        (["availability", "{s}", "--nodes", "2"], "rules.reserve: 2 is not valid (the scenario"),
        (["coverage", "{s}", "--reserve", "8"], "reserve: 8 is not valid"),
        (["summary", "{s}", "--set", "windows_version=2008 R2", "-n", "40"], "nodes: 40 "),
    ],
)
def test_bad_input_is_one_line_exit_2(scenario, args, start):
    message = fails(*[a.replace("{s}", scenario) for a in args])
    assert message.startswith(start), message


def test_2008_r2_with_40_hosts_says_why(scenario):
    message = fails("cost", scenario, "-n", "40", "--set", "windows_version=2008 R2")
    assert "above the version's cluster node limit" in message
    assert "at most 16 on Windows Server 2008 R2" in message


def test_bad_section_in_the_file_names_it(tmp_path):
    path = write(tmp_path, "b.yaml", "tier: cluster-minimal\neconomics: {years: -1}\n")
    assert fails("summary", path).startswith("economics.years: -1 is not valid")


def test_report_shows_the_cli_figures(tmp_path, scenario):
    """The report of a scenario file carries the capital cost `hvdesign cost` prints
    for it (the file's server price: 8 x 25,000) and its economics."""
    cost = json.loads(run("cost", scenario, "--json").output)
    out = tmp_path / "r.html"
    assert run("report", scenario, "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert f"{cost['capex']:,.0f}" in html
    assert "50,000" in html  # USD/hour of all VMs down, from the file
    assert f"<b>{cost['vm_downtime_minutes_per_year']:.1f}</b><span>VM downtime" in html
    assert f"VM availability ({cost['vm_availability'] * 100:.4f} %)" in html
