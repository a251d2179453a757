"""Every ``go.FigureWidget`` of the notebook explorers holds its figure from the moment
it is constructed (hvdesign.widgets.slot).

Plotly 7 syncs a FigureWidget's traces and layout as widget state only at
construction; later changes are one-off messages that a page connecting afterwards
(Voilà, a reloaded JupyterLab) never receives. So an explorer must not create an empty
FigureWidget and fill it before display: right after construction, each of its
FigureWidgets holds traces, and the state a page would load (``_widget_data``,
``_widget_layout``) is what the figure holds. No browser needed (tests/test_browser.py
and a Voilà run of the notebooks check the page itself).
"""

from __future__ import annotations

import json

import ipywidgets as W
import plotly.graph_objects as go
import pytest
from plotly.utils import PlotlyJSONEncoder

from hvdesign.widgets.slot import WIDGET_CONFIG, FigureSlot, figure_widget, update_traces


def _figure_widgets(widget: W.Widget) -> list[go.FigureWidget]:
    """The FigureWidgets in the widget tree under ``widget`` (children of boxes), in
    display order."""
    if isinstance(widget, go.FigureWidget):
        return [widget]
    found = []
    for child in getattr(widget, "children", ()):
        found += _figure_widgets(child)
    return found


def _json(value) -> str:
    return json.dumps(value, cls=PlotlyJSONEncoder, sort_keys=True)


def _assert_drawn_at_construction(fw: go.FigureWidget) -> None:
    assert len(fw.data) > 0
    # what a page connecting now would draw: the figure as it is, not an earlier one
    assert _json(fw._widget_data) == _json(fw._data)
    assert _json(fw._widget_layout) == _json(fw._layout_obj._props)
    assert fw._config.get("responsive") is True  # follows its container's size


def _tier():
    from hvdesign.widgets.tiers import tier_explorer

    ex = tier_explorer("cluster-redundant-path", nodes=4)
    return ex, [ex.topology, *ex.scaling.values()]


def _failure():
    from hvdesign.widgets.coverage import failure_explorer

    ex = failure_explorer("cluster-redundant-path", nodes=4)
    return ex, [ex.topology, ex.coverage_plot]


def _cost():
    from hvdesign.widgets.cost import cost_explorer

    ex = cost_explorer("cluster-redundant-path", 4, sweep_nodes=range(1, 7))
    return ex, list(ex.figures.values())


def _multipath():
    from hvdesign.widgets.multipath import multipath_explorer

    ex = multipath_explorer(n_ios=2000)
    return ex, [ex.throughput, ex.latency]


@pytest.mark.parametrize(
    "build, count",
    [(_tier, 3), (_failure, 2), (_cost, 4), (_multipath, 2)],
    ids=["tier", "failure", "cost", "multipath"],
)
def test_every_explorer_figure_holds_traces_when_constructed(build, count):
    ex, attributes = build()
    shown = _figure_widgets(ex)
    assert len(shown) == count
    # the public attributes are the widgets displayed (updated in place later)
    assert {id(f) for f in attributes} == {id(f) for f in shown}
    for fw in shown:
        _assert_drawn_at_construction(fw)


def test_an_invalid_start_still_draws_what_the_controls_hold():
    from hvdesign.widgets.coverage import failure_explorer
    from hvdesign.widgets.tiers import tier_explorer

    for ex in (
        tier_explorer("cluster-minimal", nodes=1),
        failure_explorer("cluster-minimal", nodes=1),
    ):
        assert "at least 2" in ex.message.value
        figures = _figure_widgets(ex)
        assert figures
        for fw in figures:
            _assert_drawn_at_construction(fw)


def test_updates_after_construction_keep_the_same_widgets():
    ex, _ = _tier()
    before = _figure_widgets(ex)
    ex.controls["nodes"].value = 6
    after = _figure_widgets(ex)
    assert [id(f) for f in after] == [id(f) for f in before]
    assert ex.design.nodes == 6


def test_figure_widget_and_update_traces():
    fw = figure_widget([go.Scatter(x=[1], y=[2], name="a")], {"height": 300}, css_class="c")
    assert len(fw.data) == 1 and fw.layout.height == 300
    assert fw._config == WIDGET_CONFIG and "c" in fw._dom_classes
    assert figure_widget()._config["responsive"] is True
    with fw.batch_update():  # same number and type: in place, the name kept
        assert update_traces(fw, [{"type": "scatter", "x": [5], "name": "b"}], ("x",))
    assert list(fw.data[0].x) == [5] and fw.data[0].name == "a"
    with fw.batch_update():  # another type: replaced
        assert not update_traces(fw, [go.Bar(x=[1], y=[1])], ("x",))
    assert [t.type for t in fw.data] == ["bar"]


def test_figure_slot_creates_its_widget_holding_the_first_figure():
    slot = FigureSlot("hv-fig-x")
    assert slot.figure is None and slot.box.children == ()
    slot.show([{"type": "scatter", "x": [1, 2], "y": [3, 4]}], {"height": 200}, ("x", "y"))
    fw = slot.figure
    assert slot.box.children == (fw,) and "hv-fig-x" in fw._dom_classes
    _assert_drawn_at_construction(fw)
    slot.show([{"type": "scatter", "x": [7], "y": [8]}], {"height": 250}, ("x", "y"))
    assert slot.figure is fw and list(fw.data[0].x) == [7] and fw.layout.height == 250
