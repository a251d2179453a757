"""Cost (domain.md §5): a bill of materials computed by hand, the catalog's validation,
the Pareto frontier against a brute-force dominance check, the comparison of every
tier at every node count, and the ``cost`` and ``compare`` commands."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from hvdesign.catalog import load_catalog, merge_catalog
from hvdesign.cli.cost import COMMANDS, parse_nodes
from hvdesign.cli.main import main
from hvdesign.cost import (
    COMPARE_COLUMNS,
    bill_of_materials,
    capex,
    compare,
    cost_per_nine,
    cost_per_vm,
    design_counts,
    nines,
    opex,
    pareto_front,
    total_cost,
    tradeoff,
)
from hvdesign.datafiles import data_path
from hvdesign.errors import HvdesignError
from hvdesign.plans import cabling_plan
from hvdesign.spec import TIERS, design_from_tier
from tests.conftest import CLUSTER_TIERS, SINGLE_TIERS


@pytest.fixture(scope="module")
def raw() -> dict:
    """The shipped catalog file as plain data: the figures the hand computations use."""
    return yaml.safe_load(data_path("catalog.yaml").read_text(encoding="utf-8"))


# ------------------------------------------------------------- bill of materials


def test_bom_of_the_four_node_redundant_path_cluster_by_hand(raw):
    """Fig 2.12 with four nodes, counted by hand from domain.md §2 and the guide:

    * servers: 4;
    * NIC cards: 6 connections per node on 2-port cards = 3 cards per host, 4 x 3 = 12;
    * switches: each of the two switches carries 12 host connections (3 per node: p, s
      and h on A; m, p and s on B) + 1 SAN portal + 1 core uplink + 1 ISL port = 15
      ports, one 48-port unit each: 2;
    * cables: 24 host connections + 2 SAN portals + 2 uplinks + 1 ISL = 29;
    * SAN: one base + 2 target portals;
    * licences: 4 hosts, 2 x 16 cores = 32 cores = 2 x the 16-core price.
    """
    bom = bill_of_materials(design_from_tier("cluster-redundant-path", nodes=4))
    qty = dict(zip(bom["item"], bom["quantity"], strict=True))
    assert qty == {
        "server": 4,
        "nic_card_2port": 12,
        "switch_48port": 2,
        "cable": 29,
        "san_base": 1,
        "san_portal": 2,
        "licence": 4,
    }
    licence = raw["licence"]
    assert (licence["cores_per_host"], licence["processors_per_host"]) == (32, 2)
    per_host_licence = 32 / 16 * licence["price_usd_per_16_cores"]
    assert per_host_licence == 2 * 6155  # FACTS.md: $6,155 per 16 cores
    by_hand = (
        4 * raw["server"]["price_usd"]
        + 12 * raw["nic_cards"][2]["price_usd"]
        + 2 * raw["switches"][48]["price_usd"]
        + 29 * raw["cable"]["price_usd"]
        + raw["san_base"]["price_usd"]
        + 2 * raw["san_portal"]["price_usd"]
        + 4 * per_host_licence
    )
    assert capex(design_from_tier("cluster-redundant-path", nodes=4)) == by_hand
    assert bom["total_usd"].sum() == by_hand
    assert (bom["total_usd"] == bom["quantity"] * bom["unit_price_usd"]).all()
    assert list(bom["category"]) == [
        "servers",
        "network",
        "network",
        "network",
        "storage",
        "storage",
        "licences",
    ]


@pytest.mark.parametrize("tier", list(TIERS))
@pytest.mark.parametrize("nodes", [1, 2, 5, 16, 64])
def test_cables_are_the_rows_of_the_cabling_plan(tier, nodes):
    if nodes == 1 and tier in CLUSTER_TIERS:
        return
    design = design_from_tier(tier, nodes=nodes)
    assert design_counts(design).cables == len(cabling_plan(design))


def test_switch_units_grow_with_the_ports_by_hand(raw):
    # 40 nodes of Fig 2.12: 3 x 40 host ports + SAN + uplink + ISL = 123 ports per switch,
    # ceil(123 / 48) = 3 units per switch, 6 in all.
    bom = bill_of_materials(design_from_tier("cluster-redundant-path", nodes=40))
    assert bom.set_index("item").loc["switch_48port", "quantity"] == 6
    # 24-port units: ceil(123 / 24) = 6 per switch, 12 in all, priced as 24-port switches.
    d = design_from_tier("cluster-redundant-path", nodes=40, switch_ports_per_unit=24)
    row = bill_of_materials(d).set_index("item").loc["switch_24port"]
    assert row["quantity"] == 12 and row["unit_price_usd"] == raw["switches"][24]["price_usd"]


def test_models_are_the_smallest_that_fit(raw):
    # 3 ports per card: the 4-port card; 6 connections on 3-port cards = 2 cards a host.
    d = design_from_tier("cluster-redundant-path", nodes=2, nic_ports_per_card=3)
    row = bill_of_materials(d).set_index("item").loc["nic_card_4port"]
    assert row["quantity"] == 2 * 2 and row["unit_price_usd"] == raw["nic_cards"][4]["price_usd"]
    # a 30-port switch unit: the 48-port switch is the smallest that fits.
    d = design_from_tier("cluster-minimal", nodes=2, switch_ports_per_unit=30)
    assert "switch_48port" in set(bill_of_materials(d)["item"])


def test_no_model_fits_names_the_option():
    with pytest.raises(HvdesignError, match=r"^nic_ports_per_card: 8 .*at most 4"):
        bill_of_materials(design_from_tier("cluster-minimal", nodes=2, nic_ports_per_card=8))
    with pytest.raises(HvdesignError, match=r"^switch_ports_per_unit: 64 .*at most 48"):
        bill_of_materials(design_from_tier("cluster-minimal", nodes=2, switch_ports_per_unit=64))


def test_hba_adds_one_two_port_hba_per_host_for_two_storage_paths(raw):
    d = design_from_tier("cluster-redundant-path", nodes=4)
    with_hba = bill_of_materials(d, hba=True).set_index("item")
    assert with_hba.loc["hba", "quantity"] == 4  # ceil(2 storage connections / 2 ports)
    assert capex(d, hba=True) - capex(d) == 4 * raw["hba"]["price_usd"]


def test_cost_per_vm_keeps_the_reserve_free():
    from hvdesign.failures import FailureRules

    d = design_from_tier("cluster-redundant-path", nodes=4)
    assert cost_per_vm(d, 20) == pytest.approx(capex(d) / (20 * 3))  # N+1: 3 hosts' worth
    assert cost_per_vm(d, 20, rules=FailureRules(reserve=2)) == pytest.approx(capex(d) / 40)
    single = design_from_tier("single-redundant-path", nodes=3)
    assert cost_per_vm(single, 10) == pytest.approx(capex(single) / 30)  # no reserve
    with pytest.raises(HvdesignError, match="^vms_per_host"):
        cost_per_vm(d, 0)


# ---------------------------------------------------------------- Pareto frontier


def dominated_brute_force(x: list[float], y: list[float]) -> list[bool]:
    """O(n^2): i is dominated when some j is <= on both and < on one."""
    n = len(x)
    return [
        any(
            x[j] <= x[i] and y[j] <= y[i] and (x[j] < x[i] or y[j] < y[i])
            for j in range(n)
            if j != i
        )
        for i in range(n)
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=0, max_size=30))
def test_pareto_front_equals_brute_force_dominance(points):
    # small integer grids: many ties in capex, in downtime and in both
    x = [float(p[0]) for p in points]
    y = [float(p[1]) for p in points]
    flags = pareto_front(x, y)
    assert flags.tolist() == [not d for d in dominated_brute_force(x, y)]


def test_pareto_front_ignores_nan():
    assert pareto_front([1.0, np.nan, 2.0], [2.0, 0.0, 1.0]).tolist() == [True, False, True]


# -------------------------------------------------------------------- comparison


@pytest.fixture(scope="module")
def table():
    """Every tier at 1..64 nodes (the issue's sweep)."""
    return compare(range(1, 65))


def test_compare_covers_every_tier_at_every_valid_node_count(table):
    assert list(table.columns) == COMPARE_COLUMNS
    got = set(zip(table["tier"], table["nodes"], strict=True))
    want = {(t, n) for t in SINGLE_TIERS for n in range(1, 65)}  # N standalone servers
    want |= {(t, n) for t in CLUSTER_TIERS for n in range(2, 65)}  # clusters from 2
    assert got == want and len(table) == len(want)


def test_compare_pareto_flags_equal_brute_force(table):
    x = table["capex_usd"].tolist()
    y = table["vm_downtime_minutes_per_year"].tolist()
    assert table["pareto"].tolist() == [not d for d in dominated_brute_force(x, y)]
    assert table["pareto"].any()
    cheapest = table["capex_usd"].idxmin()  # nothing is cheaper: on the frontier unless tied
    assert table.loc[table["capex_usd"] == table.loc[cheapest, "capex_usd"], "pareto"].any()


def test_compare_rows_agree_with_the_single_design_functions(table):
    from hvdesign.availability import availability

    for tier, n in [
        ("cluster-redundant-path", 4),
        ("single-redundant-connections", 1),
        ("cluster-minimal", 7),
    ]:
        d = design_from_tier(tier, nodes=n)
        row = table[(table.tier == tier) & (table.nodes == n)].iloc[0]
        a = availability(d)
        assert row["capex_usd"] == capex(d)
        assert row["availability"] == a.availability
        assert row["vm_downtime_minutes_per_year"] == a.vm_downtime_minutes_per_year
        # total cost = capex + opex x years + VM-weighted downtime / 60 x cost per hour x years
        run = opex(d)
        assert row["opex_usd_per_year"] == pytest.approx(run, rel=1e-12)
        expected = capex(d) + run * 5 + a.vm_downtime_minutes_per_year / 60 * 10_000 * 5
        assert row["total_cost_usd"] == pytest.approx(expected, rel=1e-12)
        assert total_cost(d, 5, 10_000) == pytest.approx(expected, rel=1e-12)
        # cost per nine: capex / VM nines, VM nines = -log10(VM downtime / 525,960)
        per_nine = capex(d) / -math.log10(a.vm_downtime_minutes_per_year / 525_960)
        assert row["cost_per_nine_usd"] == pytest.approx(per_nine, rel=1e-12)
        assert cost_per_nine(d) == pytest.approx(per_nine, rel=1e-12)
        assert row["nines"] == pytest.approx(nines(a.unavailability))
        assert row["vm_availability"] == a.vm_availability
        assert row["vm_nines"] == pytest.approx(
            -math.log10(a.vm_downtime_minutes_per_year / 525_960)
        )


def test_compare_scales_the_downtime_cost_linearly():
    a = compare([2, 4], tiers=["cluster-minimal"], downtime_cost_per_hour=1000, years=1)
    b = compare([2, 4], tiers=["cluster-minimal"], downtime_cost_per_hour=3000, years=2)
    assert np.allclose(b["downtime_cost_usd"], 6 * a["downtime_cost_usd"])
    assert (a["capex_usd"] == b["capex_usd"]).all()


def test_compare_stops_at_the_version_limit_and_rejects_bad_input():
    t = compare([15, 16, 17], tiers=["cluster-minimal"], options={"windows_version": "2008 R2"})
    assert t["nodes"].tolist() == [15, 16]
    with pytest.raises(HvdesignError, match="^tiers: 'cluster'"):
        compare([2], tiers=["cluster"])
    with pytest.raises(HvdesignError, match="^nodes: 0"):
        compare([0, 2])
    with pytest.raises(HvdesignError, match="^nodes: .*no design to compare"):
        compare([1], tiers=["cluster-minimal"])
    with pytest.raises(HvdesignError, match="^downtime_cost_per_hour"):
        compare([2], tiers=["cluster-minimal"], downtime_cost_per_hour=-1)


# --------------------------------------------------------------------- trade-off


@pytest.fixture(scope="module")
def four_portals():
    """A six-node redundant-path cluster with four SAN target portals (the preset has
    two) and its trade-off at the default node counts."""
    design = design_from_tier("cluster-redundant-path", nodes=6, san_portals=4)
    return design, tradeoff(design)


def test_tradeoff_rings_the_design_itself_with_its_own_capex(four_portals, raw):
    design, table = four_portals
    mine = table[table["this_design"]]
    assert len(mine) == 1 and table.attrs["highlight"] == ("cluster-redundant-path", 6)
    # its capex is the sum of ITS bill of materials (two more portals than the preset's)
    bom_total = bill_of_materials(design)["total_usd"].sum()
    assert mine["capex_usd"].item() == bom_total
    preset = design_from_tier("cluster-redundant-path", nodes=6)
    # two more portals, each with its cable to a switch (the cabling plan's rows)
    extra = 2 * (raw["san_portal"]["price_usd"] + raw["cable"]["price_usd"])
    assert bom_total - capex(preset) == extra != 0


def test_tradeoff_replaces_the_sweep_row_at_the_designs_tier_and_nodes():
    # isl_links is not a shared option: the sweep's (tier, 4) row has none, the design 2.
    design = design_from_tier("cluster-redundant-path", nodes=4, isl_links=2)
    table = tradeoff(design, [2, 4])
    at = table[(table["tier"] == design.tier) & (table["nodes"] == 4)]
    assert len(at) == 1 and at["this_design"].item()
    assert at["capex_usd"].item() == capex(design) != capex(design_from_tier(design.tier, nodes=4))
    assert len(table) == 5 * 2  # five tiers at 2 and 4 hosts, the design among them


def test_tradeoff_pareto_is_over_all_rows(four_portals):
    _, table = four_portals
    x = table["capex_usd"].tolist()
    y = table["vm_downtime_minutes_per_year"].tolist()
    assert table["pareto"].tolist() == [not d for d in dominated_brute_force(x, y)]


def test_tradeoff_other_tiers_take_the_designs_shared_options(four_portals):
    _, table = four_portals
    others = table[~table["this_design"]]
    # every sweep row is priced as its tier with four portals (SHARED_OPTIONS)
    for row in others.head(3).itertuples():
        d = design_from_tier(row.tier, nodes=row.nodes, san_portals=4)
        assert row.capex_usd == capex(d)


def test_tradeoff_keeps_to_the_versions_node_limit():
    # Windows Server 2008 R2 clusters stop at 16 nodes (FACTS.md): no 32 or 64 rows.
    design = design_from_tier("cluster-minimal", nodes=4, windows_version="2008 R2")
    table = tradeoff(design)
    assert sorted(set(table["nodes"])) == [1, 2, 4, 8, 16]
    assert set(table["tier"]) == set(TIERS)


# --------------------------------------------------------------------------- CLI


def cli():
    """The ``hvdesign`` group with the cost commands (registered once, as the lead does)."""
    for command in COMMANDS:
        if command.name not in main.commands:
            main.add_command(command)
    return main


def run(*args: str):
    return CliRunner().invoke(cli(), list(args), catch_exceptions=False)


def test_cli_cost_json_keys():
    result = run("cost", "cluster-redundant-path", "--nodes", "4", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"capex", "currency", "bom", "cost_per_vm"} <= set(data)
    both = {"availability", "downtime_minutes_per_year", "vm_availability"}
    assert both | {"vm_downtime_minutes_per_year", "total_cost_usd"} <= set(data)
    assert data["currency"] == "USD"
    assert data["capex"] == capex(design_from_tier("cluster-redundant-path", nodes=4))
    assert {"item", "quantity", "unit_price_usd", "total_usd"} <= set(data["bom"][0])
    assert data["cost_per_vm"] == pytest.approx(data["capex"] / (20 * 3))


def test_cli_cost_with_catalog_hba_and_text(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("server: {price_usd: 1000, source: test, year: 2026}\n")
    out = run(
        "cost",
        "cluster-minimal",
        "-n",
        "2",
        "--catalog",
        str(path),
        "--hba",
        "--vms-per-host",
        "10",
        "--json",
    ).output
    data = json.loads(out)
    assert data["bom"][0]["unit_price_usd"] == 1000 and data["bom"][0]["source"] == "test"
    assert "hba" in {r["item"] for r in data["bom"]}
    text = run("cost", "cluster-minimal", "-n", "2").output
    assert "capital cost:" in text and "[USD]" in text and "placeholder" in text


def test_cli_compare_json_and_csv():
    data = json.loads(
        run("compare", "--nodes", "2,4", "--tiers", "cluster-minimal", "--json").output
    )
    assert [d["nodes"] for d in data["designs"]] == [2, 4]
    assert set(COMPARE_COLUMNS) <= set(data["designs"][0])
    assert data["currency"] == "USD"
    csv = run("compare", "--nodes", "1-3", "--csv").output.splitlines()
    assert csv[0].split(",") == COMPARE_COLUMNS
    assert len(csv) == 1 + 2 * 3 + 3 * 2  # single tiers at 1..3, clusters at 2..3
    text = run("compare", "--nodes", "4", "--tiers", "cluster-redundant-path").output
    assert "capex [USD]" in text and "Pareto" in text


@pytest.mark.parametrize(
    "text, detail",
    [
        ("16-2", "runs backwards"),
        ("2-x", "'x' is not a whole number"),
        ("", "empty"),
        ("0-4", "0 is out of range"),
        ("2,,4", "'' is not a whole number"),
        ("65", "out of range"),
        ("2.5", "'2.5' is not a whole number"),
        ("-3", "'-3' is not a whole number"),
    ],
)
def test_node_range_errors_name_the_option(text, detail):
    with pytest.raises(HvdesignError, match=r"^--nodes: ") as err:
        parse_nodes(text)
    assert detail in str(err.value)
    result = CliRunner().invoke(cli(), ["compare", "--nodes", text])
    assert result.exit_code == 2
    assert result.output.startswith("hvdesign: error: --nodes:")


def test_node_ranges_parse():
    assert parse_nodes("2-16") == list(range(2, 17))
    assert parse_nodes("4") == [4]
    assert parse_nodes("2,4,8") == [2, 4, 8]
    assert parse_nodes(" 8, 1-2 ,2") == [1, 2, 8]


def test_cli_compare_bad_tier_and_bad_catalog(tmp_path):
    result = CliRunner().invoke(cli(), ["compare", "--tiers", "cluster-minimal,nope"])
    assert result.exit_code == 2 and "--tiers: 'nope'" in result.output
    path = tmp_path / "bad.yaml"
    path.write_text("server:\n  price_usd: abc\n")
    result = CliRunner().invoke(
        cli(), ["cost", "cluster-minimal", "-n", "2", "--catalog", str(path)]
    )
    assert result.exit_code == 2
    assert "catalog.server.price_usd: 'abc'" in result.output


# ------------------------------------------------------------- figures and widget


def test_tradeoff_figure_draws_every_design_and_the_frontier(table):
    from hvdesign.views.cost import tradeoff_figure

    fig = tradeoff_figure(table, highlight=("cluster-redundant-path", 4))
    assert len(fig.data) == len(TIERS) + 2 and fig.layout.yaxis.type == "log"
    assert sum(len(t.x) for t in fig.data[: len(TIERS)]) == len(table)
    front = table[table.pareto].sort_values("capex_usd")
    assert list(fig.data[-2].x) == front["capex_usd"].tolist()
    row = table[(table.tier == "cluster-redundant-path") & (table.nodes == 4)].iloc[0]
    assert (fig.data[-1].x[0], fig.data[-1].y[0]) == (
        row["capex_usd"],
        row["vm_downtime_minutes_per_year"],
    )


def test_bom_figures_stack_to_the_capex():
    from hvdesign.views.cost import bom_figure

    d = design_from_tier("cluster-redundant-path", nodes=4)
    fig = bom_figure(bill_of_materials(d))
    assert sum(t.y[0] for t in fig.data) == capex(d)
    boms = {t: bill_of_materials(design_from_tier(t, nodes=4)) for t in TIERS}
    fig = bom_figure(boms)
    assert len(fig.data) == 4  # servers, network, storage, licences
    for i, t in enumerate(TIERS):
        assert sum(tr.y[i] for tr in fig.data) == pytest.approx(boms[t]["total_usd"].sum())


def test_node_count_figures_have_one_line_per_tier(table):
    from hvdesign.views.cost import cost_per_nine_figure, total_cost_figure

    fig = total_cost_figure(table)
    assert len(fig.data) == 2 * len(TIERS)  # total cost, then capital cost alone
    assert "10,000/hour" in fig.layout.title.text
    assert len(cost_per_nine_figure(table).data) == len(TIERS)


def test_cost_explorer_reprices_without_recomputing_availability():
    from hvdesign.widgets.cost import cost_explorer

    ex = cost_explorer("cluster-redundant-path", 4, sweep_nodes=range(1, 9))
    results = ex.sweep._results
    ex.controls["server"].value += 5000
    ex.controls["downtime_cost_per_hour"].value = 1000
    assert ex.sweep._results is results and ex.message.value == ""
    row = ex.table[(ex.table.tier == "cluster-minimal") & (ex.table.nodes == 2)].iloc[0]
    assert row["downtime_cost_usd"] == pytest.approx(
        row["vm_downtime_minutes_per_year"] / 60 * 1000 * 5
    )
    ex.controls["host.mtbf_hours"].value = 20_000
    assert ex.sweep._results is not results
    ex.controls["tier"].value = "single-redundant-path"
    ex.controls["nodes"].value = 1
    assert list(ex.figures["tradeoff"].data[-1].x) == [
        capex(design_from_tier("single-redundant-path", nodes=1), ex.current_catalog())
    ]
    assert ex.timings_ms["total"] > 0


# ------------------------------------------------------------ running costs (issue 11)


def test_opex_by_hand(raw):
    """domain.md §5: opex = Σ watts x 8,766 h / 1000 x PUE x USD/kWh + Σ support (+ no
    subscription: the shipped licences are perpetual). Four-node redundant path: 4
    servers, 12 two-port cards, 2 x 48-port switches, 29 cables, the SAN base, 2
    portals, 4 licences (quantities of test_bill_of_materials_by_hand)."""
    qty = {"server": 4, "card": 12, "switch": 2, "cable": 29, "san": 1, "portal": 2}
    entries = {
        "server": raw["server"],
        "card": raw["nic_cards"][2],
        "switch": raw["switches"][48],
        "cable": raw["cable"],
        "san": raw["san_base"],
        "portal": raw["san_portal"],
    }
    watts = sum(qty[k] * e["power_watts"] for k, e in entries.items())
    support = sum(qty[k] * e["support_usd_per_year"] for k, e in entries.items())
    assert watts == 4 * 500 + 12 * 15 + 2 * 250 + 0 + 600 + 2 * 5 == 3290
    assert support == 4 * 1500 + 2 * 1200 + 3000 == 11400
    power = 3290 * 8766 / 1000 * 1.5 * 0.15  # 28,840 kWh x 1.5 x 0.15 = 6,489.0 USD/year
    d = design_from_tier("cluster-redundant-path", nodes=4)
    assert opex(d) == pytest.approx(power + support, rel=1e-12)
    assert opex(d, power_usd_per_kwh=0.30, pue=1.2) == pytest.approx(
        3290 * 8.766 * 1.2 * 0.30 + support, rel=1e-12
    )
    bom = bill_of_materials(d)
    assert bom["opex_usd_per_year"].sum() == pytest.approx(power + support, rel=1e-12)
    assert bom["power_watts"].sum() == 3290
    # a subscription per 16 cores is opex: 32 cores = 2 x 16, 4 hosts, 500 USD/year
    cat = merge_catalog(
        load_catalog(), {"licence": {"subscription_usd_per_16_cores_per_year": 500}}
    )
    assert opex(d, cat) == pytest.approx(power + support + 4 * 2 * 500, rel=1e-12)


@pytest.mark.parametrize(
    "cores, processors, licensed",
    [(16, 2, 16), (8, 1, 16), (12, 2, 16), (24, 4, 32), (32, 2, 32), (34, 2, 34), (64, 2, 64)],
)
def test_licence_counts_all_cores_at_least_16(cores, processors, licensed):
    """FACTS.md: all physical cores, at least 8 per processor and 16 per server."""
    cat = merge_catalog(
        load_catalog(),
        {
            "servers": {
                "x": {"price_usd": 1, "cores": cores, "processors": processors, "source": "t"}
            }
        },
    ).with_server("x")
    assert cat.licence.licensed_cores == licensed
    assert cat.licence.price_usd == pytest.approx(licensed / 16 * 6155)
    d = design_from_tier("cluster-minimal", nodes=3)
    row = bill_of_materials(d, cat).set_index("item").loc["licence"]
    assert row["quantity"] == 3 and row["total_usd"] == pytest.approx(3 * licensed / 16 * 6155)


def test_standard_licences_every_two_vms():
    """Standard: one licence of all cores covers 2 VMs; 31 VMs a host: 16 licences."""
    cat = load_catalog().with_licence("standard")
    d = design_from_tier("cluster-minimal", nodes=3)
    row = bill_of_materials(d, cat, vms_per_host=31).set_index("item").loc["licence"]
    assert row["quantity"] == 3 * 16
    assert row["unit_price_usd"] == pytest.approx(32 / 16 * 1069)


def test_san_capacity_step():
    """The cheapest SAN model that holds the capacity: entry (20,000 + 400/TB, up to 50 TB)
    then midrange (60,000 + 250/TB): 50 TB costs 40,000, 51 TB 72,750."""
    d = design_from_tier("cluster-redundant-path", nodes=4)

    def san(tb: float) -> float:
        bom = bill_of_materials(d, san_usable_tb=tb)
        return float(
            bom.loc[
                bom["item"].str.startswith("san_") & (bom["item"] != "san_portal"), "total_usd"
            ].sum()
        )

    assert san(50) == 20_000 + 400 * 50
    assert san(50.5) == 60_000 + 250 * 51  # whole TB, the next model
    assert san(200) == 60_000 + 250 * 200
    with pytest.raises(HvdesignError, match=r"^san_usable_tb: 501 .*at most 500 TB"):
        bill_of_materials(d, san_usable_tb=501)


def test_total_is_capex_plus_opex_times_years_plus_downtime_in_every_row():
    t = compare([1, 2, 4], downtime_cost_per_hour=5000, years=3, power_usd_per_kwh=0.2, pue=1.3)
    down = t["vm_downtime_minutes_per_year"] / 60 * 5000 * 3
    assert np.allclose(
        t["total_cost_usd"], t["capex_usd"] + t["opex_usd_per_year"] * 3 + down, rtol=1e-12
    )
    assert np.allclose(t["downtime_cost_usd"], down, rtol=1e-12)
