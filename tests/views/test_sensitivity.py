"""The tornado figure and the Birnbaum table (hvdesign.views.sensitivity): every bar is
a row of hvdesign.sensitivity.sensitivity (checked against the table computed here,
not against what the figure printed), ranked, drawn from the base value, which is
marked; units on both axes."""

from __future__ import annotations

import pytest

from hvdesign.scenariofile import scenario_from_dict
from hvdesign.sensitivity import birnbaum, sensitivity
from hvdesign.views.sensitivity import birnbaum_table, tornado_figure


@pytest.fixture(scope="module")
def table():
    return sensitivity(scenario_from_dict({"tier": "cluster-minimal", "nodes": 3}), factor=2)


def test_bars_are_the_sensitivity_rows(table) -> None:
    fig = tornado_figure(table)
    assert len(fig.data) == 4  # low and high bars of downtime, then of cost
    base_down = table.attrs["base_vm_downtime_minutes_per_year"]
    base_cost = table.attrs["base_total_cost_usd"]
    columns = (
        ("low_vm_downtime_minutes_per_year", base_down),
        ("high_vm_downtime_minutes_per_year", base_down),
        ("low_total_cost_usd", base_cost),
        ("high_total_cost_usd", base_cost),
    )
    inputs = table["input"].tolist()
    for trace, (column, base) in zip(fig.data, columns, strict=True):
        assert trace.orientation == "h"
        assert list(trace.y) == inputs[::-1]  # ranked: the first row at the top
        assert trace.base == pytest.approx([base] * len(inputs))
        ends = [b + x for b, x in zip(trace.base, trace.x, strict=True)]
        assert ends == pytest.approx(table[column].tolist()[::-1])
    # the swing of the total cost is |high - low|, largest at the top
    swing = [abs(h - low) for low, h in zip(fig.data[2].x, fig.data[3].x, strict=True)]
    assert swing[::-1] == pytest.approx(table["total_cost_swing_usd"].tolist())
    assert swing[-1] == max(swing)


def test_base_marked_and_units_on_the_axes(table) -> None:
    fig = tornado_figure(table)
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    xs = sorted(s.x0 for s in lines)
    expected = sorted(
        [table.attrs["base_vm_downtime_minutes_per_year"], table.attrs["base_total_cost_usd"]]
    )
    assert xs == pytest.approx(expected)
    assert "[minutes/year]" in fig.layout.xaxis.title.text
    assert "[USD" in fig.layout.xaxis2.title.text
    assert "/ 2" in fig.data[0].name and "x 2" in fig.data[1].name


def test_top_rows_only(table) -> None:
    fig = tornado_figure(table, top=5)
    assert list(fig.data[0].y) == table["input"].head(5).tolist()[::-1]


def test_birnbaum_table_from_the_attrs_and_from_birnbaum(table) -> None:
    sf = scenario_from_dict({"tier": "cluster-minimal", "nodes": 3})
    direct = birnbaum(sf)
    shown = birnbaum_table(table)
    assert shown["component kind"].tolist() == direct["kind"].tolist()
    assert [float(x) for x in shown.iloc[:, 2]] == pytest.approx(
        direct["birnbaum"].tolist(), rel=1e-2
    )
    assert birnbaum_table(direct)["component kind"].tolist() == direct["kind"].tolist()


def test_user_text_escaped(table) -> None:
    t = table.copy()
    t.loc[0, "input"] = "<b>x</b>"
    assert "&lt;b&gt;x&lt;/b&gt;" in tornado_figure(t).data[0].y
