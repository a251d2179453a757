"""Tests of the presentation polish of issue 14 item 6 in hvdesign.views: readable
bill-of-materials names, log axes labelled 1, 10, 100, 1,000, the failure explorer's
title clear of its legend and the failed-part marker clear of the switch label.

Expected values come from the catalog file (descriptions), the design's counts and
hand calculation (tick values), never from the figure under test.
"""

from __future__ import annotations

import math

import pytest

from hvdesign.catalog import load_catalog
from hvdesign.cost import bill_of_materials, compare
from hvdesign.multipath import compare_policies
from hvdesign.spec import TIERS, design_from_tier
from hvdesign.topology import build_graph
from hvdesign.views.cost import bom_figure, bom_table, item_name, tradeoff_figure
from hvdesign.views.coverage import scenario_figure, scenario_traces
from hvdesign.views.html import log_axis, plural
from hvdesign.views.layout import geometry
from hvdesign.views.multipath import latency_figure, policies_figure

KEYS = ("nic_card_", "switch_", "san_base", "san_portal")


@pytest.mark.parametrize("tier", list(TIERS))
def test_bom_table_and_figure_show_no_catalog_key(tier):
    bom = bill_of_materials(design_from_tier(tier, nodes=4), hba=True)
    table = bom_table(bom)
    cat = load_catalog()
    # the items are the catalog's own descriptions (data/catalog.yaml)
    described = {cat.server.description, cat.cable.description, cat.san_base.description}
    assert described <= set(table["item"])
    text = " ".join(table.astype(str).to_numpy().ravel())
    fig = bom_figure(bom)
    labels = " ".join(t.replace("<br>", " ") for tr in fig.data for t in tr.text)
    for key in KEYS:
        assert key not in text and key not in labels
    assert table["total [USD]"].iloc[-1] == f"${bom['total_usd'].sum():,.0f}"


def test_stacked_labels_name_the_item_and_its_quantity():
    design = design_from_tier("cluster-redundant-path", nodes=4)
    bom = bill_of_materials(design)
    fig = bom_figure(bom)
    labels = [tr.text[0].replace("<br>", " ") for tr in fig.data]
    cards = int(bom.loc[bom["item"].str.startswith("nic_card_"), "quantity"].iloc[0])
    # 4 hosts, 2 switches, 1 SAN (the guide's Fig 2.12 at 4 nodes)
    assert "4 servers" in labels and "2 48-port switches" in labels
    assert f"{cards} 2-port NIC cards" in labels and "1 SAN (controllers and disks)" in labels
    assert fig.layout.uniformtext.mode == "hide"  # too small to read: hidden, not shrunk


def test_item_name_singular_plural_and_unknown_keys():
    assert item_name("switch_24port", 1) == "1 24-port switch"
    assert item_name("nic_card_4port", 1_000) == "1,000 4-port NIC cards"
    assert item_name("licence", 2) == "2 Windows Server licences"
    assert item_name("my_own_item") == "my_own_item"
    assert plural(1, "host") == "1 host" and plural(0, "host") == "0 hosts"


def test_log_axis_ticks_are_whole_labelled_numbers():
    # spanning four powers of ten: a tick at each power, nothing between
    assert log_axis([3, 4000])["tickvals"] == [1, 10, 100, 1000, 10000]
    # less than two powers of ten: 1-2-5 ticks, labelled in full
    assert log_axis([0.6, 7])["tickvals"] == [0.5, 1, 2, 5, 10]
    assert log_axis()["dtick"] == 1 and log_axis()["tickformat"] == ",~r"


def _log_axes(fig):
    return [
        (name, ax)
        for name in dir(fig.layout)
        if name.startswith(("xaxis", "yaxis"))
        and (ax := getattr(fig.layout, name)) is not None
        and ax.type == "log"
    ]


def test_every_log_axis_in_views_is_labelled_in_full():
    figs = [
        tradeoff_figure(compare(range(2, 5))),
        policies_figure(compare_policies(3, n_ios=600)),
        latency_figure(compare_policies(3, n_ios=600), log_y=True),
    ]
    for fig in figs:
        axes = _log_axes(fig)
        assert axes, fig.layout.title.text
        for name, ax in axes:
            assert ax.tickformat == ",~r", name
            assert ax.dtick == 1 or ax.tickvals, name
            for v in ax.tickvals or ():
                m = v / 10 ** math.floor(math.log10(v) + 1e-9)
                assert round(m, 6) in (1, 2, 5), (name, v)


def test_failure_explorer_legend_is_under_the_diagram_and_title_on_top():
    design = design_from_tier("cluster-redundant-path", nodes=4)
    _, layout, _ = scenario_traces(design, ["switch-a", "host2"])
    assert layout["legend"]["yanchor"] == "top" and layout["legend"]["y"] <= 0
    assert layout["title"]["yref"] == "container" and layout["title"]["y"] > 0.9
    fig, result = scenario_figure(design, ["switch-a"])
    why = fig.layout.annotations[-1]
    assert why.text.startswith("<b>Why:</b>") and why.y == 1.0 and why.yanchor == "bottom"


@pytest.mark.parametrize("failed", ["switch-a", "host2", "san"])
def test_failed_marker_is_beside_the_label_not_over_it(failed):
    design = design_from_tier("cluster-redundant-path", nodes=4)
    traces, _, _ = scenario_traces(design, [failed])
    (mark,) = [t for t in traces if t.get("name") == "failed component"]
    x0, y0, x1, y1 = geometry(build_graph(design)).boxes[failed]
    x = float(mark["x"][0])
    assert x0 <= x <= x1  # on the failed box
    # the label is centred on the box: the mark stays in the outer quarter of the box
    assert x <= x0 + (x1 - x0) / 4
