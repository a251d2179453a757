"""The equal-capacity trade-off (hvdesign.views.cost.capacity_tradeoff_figure and
capacity_table) of hvdesign.sizing.compare_scenario: every point a design carrying
the same VMs, total cost against VM downtime, the Pareto frontier, cost per VM per
year in the hover and the table."""

from __future__ import annotations

import pytest

from hvdesign.scenariofile import scenario_from_dict
from hvdesign.sizing import compare_scenario
from hvdesign.views.cost import CAPACITY_TRADEOFF_TEXT, capacity_table, capacity_tradeoff_figure

WORKLOAD = {"vms": 300, "vcpus_per_vm": 4, "memory_gb_per_vm": 16}


@pytest.fixture(scope="module")
def df():
    sf = scenario_from_dict(
        {"tier": "cluster-redundant-path", "nodes": "auto", "workload": WORKLOAD}
    )
    return compare_scenario(sf, all_servers=True)


def test_points_are_the_rows(df) -> None:
    fig = capacity_tradeoff_figure(df, highlight=("cluster-redundant-path", "medium"))
    points = fig.data[:-2]
    got = sorted((x, y) for t in points for x, y in zip(t.x, t.y, strict=True))
    want = sorted(zip(df["total_cost_usd"], df["vm_downtime_minutes_per_year"], strict=True))
    assert [v for p in got for v in p] == pytest.approx([v for p in want for v in p])
    front = df[df["pareto"]]
    assert sorted(fig.data[-2].x) == pytest.approx(sorted(front["total_cost_usd"]))
    ring = df[(df["tier"] == "cluster-redundant-path") & (df["server"] == "medium")]
    assert fig.data[-1].x == pytest.approx(tuple(ring["total_cost_usd"]))
    assert "total cost" in fig.layout.xaxis.title.text and "[USD]" in fig.layout.xaxis.title.text
    assert "[minutes/year]" in fig.layout.yaxis.title.text
    assert fig.layout.yaxis.type == "log"


def test_hover_and_table_carry_cost_per_vm_per_year(df) -> None:
    fig = capacity_tradeoff_figure(df)
    # the medium N+1 cluster: 11 hosts of 31 VMs (memory-bound), by hand in test_sizing
    trace = next(t for t in fig.data if t.name and t.name.startswith("Fig 2.12"))
    assert list(trace.text) == df.loc[df["tier"] == "cluster-redundant-path", "server"].tolist()
    hover = trace.hovertext[list(trace.text).index("medium")]
    r = df[(df["tier"] == "cluster-redundant-path") & (df["server"] == "medium")].iloc[0]
    per_vm = r["total_cost_usd"] / (300 * df.attrs["years"])
    assert f"${per_vm:,.0f}" in hover and "medium server" in hover
    assert "11 hosts, 31 VMs per host (memory-bound)" in hover
    table = capacity_table(df)
    assert len(table) == len(df)
    row = table[
        (table["server"] == "medium") & table["tier"].str.endswith("cluster-redundant-path")
    ]
    assert row["per VM per year [USD]"].item() == f"${per_vm:,.0f}"
    assert row["hosts"].item() == "11" and row["VMs per host (limited by)"].item() == "31 (memory)"
    # cheapest total first
    totals = [float(v.strip("$").replace(",", "")) for v in table["total cost [USD]"]]
    assert totals == sorted(totals)


def test_sentence_says_what_it_shows() -> None:
    assert "same VMs" in CAPACITY_TRADEOFF_TEXT and "Pareto" in CAPACITY_TRADEOFF_TEXT
