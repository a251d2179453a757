"""hvdesign.views.svg: the package's figures as SVG without a browser.

Every expected value is read from the plotly figure's own data (its traces' text,
coordinates, tickvals, z values and legend colours), parsed independently here, or
taken from the guide (Fig 2.7's class colours: production green, storage red,
heartbeat blue, management black); the SVG is read back with ElementTree.
"""

from __future__ import annotations

import html
import math
import re
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hvdesign.cli.common import resolve_design, target_scenario
from hvdesign.cli.figure import coverage, topology, tradeoff
from hvdesign.errors import HvdesignError
from hvdesign.views.svg import figure_svg

NS = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    return root


def _text(el: ET.Element) -> str:
    """A <text> element's characters, its lines joined by newlines."""
    lines: list[str] = []
    for tspan in el.iter(f"{NS}tspan"):
        if tspan.get("dy") is not None or not lines:
            lines.append("")
        lines[-1] += tspan.text or ""
    return "\n".join(lines)


def _plain(plotly_text: str) -> str:
    """Plotly's pseudo-HTML as the characters shown: <br> a line break, tags dropped,
    entities decoded (a parser of its own, not the module's)."""
    return html.unescape(re.sub(r"<(?!br)[^>]*>", "", plotly_text.replace("<br>", "\n")))


def _by_class(root: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [e for e in root.iter(f"{NS}{tag}") if cls in (e.get("class") or "").split()]


def _trace(fig, name):
    return next(t for t in fig.data if t.name == name)


@pytest.fixture(scope="module", params=[4, 64])
def topo(request):
    fig = topology(resolve_design("cluster-redundant-path", str(request.param), ()))
    return fig, _parse(figure_svg(fig, 1200, None))


def test_topology_one_text_per_host_and_switch_label(topo):
    fig, root = topo
    labels = [_plain(t) for t in _trace(fig, "labels").text]
    drawn = [_text(e) for e in _by_class(root, "text", "label")]
    assert sorted(drawn) == sorted(labels)
    hosts = [x for x in labels if x.startswith("host")]
    assert hosts and all(drawn.count(h) == 1 for h in hosts)
    assert drawn.count("switch-a") == 1 and drawn.count("switch-b") == 1


def _segments(trace) -> int:
    """NaN-separated runs of points of a trace, counted from its coordinates."""
    runs, inside = 0, False
    for x in trace.x:
        finite = x is not None and not math.isnan(x)
        runs += finite and not inside
        inside = finite
    return runs


def test_topology_one_path_per_cable_trace_with_its_segments(topo):
    fig, root = topo
    groups = {g.get("data-name"): g for g in _by_class(root, "g", "trace")}
    cables = [t for t in fig.data if t.legendgroup and t.mode == "lines" and len(t.x)]
    assert cables
    for t in cables:
        paths = [p for p in groups[t.name].iter(f"{NS}path")]
        assert len(paths) == 1, t.name
        assert paths[0].get("d").count("M") == _segments(t), t.name


def _dominant(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    if max(r, g, b) < 0x30:
        return "black"
    return {r: "red", g: "green", b: "blue"}[max(r, g, b)]


def test_topology_cables_in_the_guides_class_colours(topo):
    fig, root = topo
    guide = {
        "production (VM traffic)": "green",
        "storage (iSCSI)": "red",
        "heartbeat (cluster)": "blue",
        "management + Live Migration": "black",
    }
    groups = {g.get("data-name"): g for g in _by_class(root, "g", "trace")}
    for name, colour in guide.items():
        stroke = next(groups[name].iter(f"{NS}path")).get("stroke")
        assert _dominant(stroke) == colour, name
    legend = [_text(e) for e in _by_class(root, "text", "legend-text")]
    assert set(guide) <= set(legend)


def test_a_hostile_design_name_is_escaped_and_round_trips():
    name = """Tom's <b>"R&D"</b> & <script>x</script>"""
    design = resolve_design("cluster-minimal", "3", ()).model_copy(update={"name": name})
    svg = figure_svg(topology(design), 1000, 500)
    assert "<script>" not in svg and "<b>" not in svg
    root = _parse(svg)
    titles = [_text(e) for e in _by_class(root, "text", "title")]
    assert titles[0].split("\n")[0] == name


def test_tradeoff_log_axis_labels_are_the_figures_tickvals():
    fig = tradeoff(target_scenario("cluster-minimal", "6", ()), list(range(2, 9)))
    root = _parse(figure_svg(fig, 1200, None))
    labels = [_text(e) for e in _by_class(root, "text", "ytick")]
    assert fig.layout.yaxis.type == "log"
    tickvals = list(fig.layout.yaxis.tickvals)
    allowed = [f"{v:,.0f}" for v in tickvals]  # thousands separators, no 'k'
    ys = [y for t in fig.data for y in t.y if y]
    inside = [f"{v:,.0f}" for v in tickvals if min(ys) <= v <= max(ys)]
    assert inside and set(inside) <= set(labels) <= set(allowed)
    # the x axis: dollars with separators
    assert all(
        re.fullmatch(r"\$\d{1,3}(,\d{3})*", x) for x in map(_text, _by_class(root, "text", "xtick"))
    )


def test_log_axis_of_decades_labelled_1_10_100_1000():
    import plotly.graph_objects as go

    fig = go.Figure(go.Scatter(x=[0, 1], y=[1, 1000]))
    fig.update_yaxes(type="log", tickvals=[1, 10, 100, 1000], tickformat=",~r")
    labels = [_text(e) for e in _by_class(_parse(figure_svg(fig, 600, 400)), "text", "ytick")]
    assert labels == ["1", "10", "100", "1,000"]


def _heat(double):
    fig = coverage(resolve_design("cluster-redundant-path", "4", ()), double)
    heat = next(t for t in fig.data if t.type == "heatmap")
    root = _parse(figure_svg(fig, 1200, None))
    cells = _by_class(root, "rect", "cell")
    texts = _by_class(root, "text", "cell-text")
    # one rect per cell with a value (a missing value is a gap), one text per cell
    values = [v for row in heat.z for v in row if v is not None]
    assert len(cells) == len(values)
    assert [_text(e) for e in texts] == [_plain(v) for row in heat.text for v in row]
    tick_labels = [_text(e) for e in _by_class(root, "text", "xtick")]
    assert tick_labels == list(fig.layout.xaxis.ticktext)
    return fig, heat, cells, texts, values


def test_heatmap_single_one_rect_per_cell_in_its_outcomes_legend_colour():
    fig, heat, cells, texts, _ = _heat(False)
    assert len(cells) == len(heat.x) * len(heat.y)  # every kind has a value
    legend = {t.name.split(":")[0]: t.marker.color for t in fig.data if t.type == "scatter"}
    for rect, text in zip(cells, texts, strict=True):
        outcome = _text(text).split()[-1]
        assert rect.get("fill").lower() == legend[outcome].lower(), outcome


def _lerp(c0: str, c1: str, w: float) -> tuple[int, ...]:
    a = [int(c0[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(c1[i : i + 2], 16) for i in (1, 3, 5)]
    return tuple(round(x + (y - x) * w) for x, y in zip(a, b, strict=True))


def test_heatmap_double_cells_coloured_along_the_scale_gaps_left_out():
    _, heat, cells, _, values = _heat(True)
    assert len(values) < len(heat.x) * len(heat.y)  # 'n/a' kinds have no value
    (f0, c0), (f1, c1), (f2, c2) = heat.colorscale  # three stops: 0, 0.5, 1
    assert (f0, f1, f2) == (0, 0.5, 1) and (heat.zmin, heat.zmax) == (0, 100)
    for rect, v in zip(cells, values, strict=True):
        w = v / 100
        want = _lerp(c0, c1, w / 0.5) if w < 0.5 else _lerp(c1, c2, (w - 0.5) / 0.5)
        got = tuple(int(rect.get("fill")[i : i + 2], 16) for i in (1, 3, 5))
        assert max(abs(g - e) for g, e in zip(got, want, strict=True)) <= 1, v  # rounding


def test_markers_symbols_and_text_escaped():
    import plotly.graph_objects as go

    fig = go.Figure(
        go.Scatter(
            x=[1, 2, 3, 4],
            y=[1, 2, 3, 4],
            mode="markers+text",
            text=["a&amp;b", "<", "c", "d"],
            marker={"symbol": ["circle", "square", "diamond", "x"], "size": 10},
        )
    )
    root = _parse(figure_svg(fig, 500, 400))
    assert len(list(root.iter(f"{NS}circle"))) == 1
    assert len(_by_class(root, "path", "marker")) == 3
    assert [_text(e) for e in _by_class(root, "text", "label")] == ["a&b", "<", "c", "d"]


def test_an_unsupported_trace_type_is_one_error():
    import plotly.graph_objects as go

    with pytest.raises(HvdesignError, match="^figure: 'bar'"):
        figure_svg(go.Figure(go.Bar(x=[1], y=[2])), 400, 300)


@pytest.mark.parametrize(
    "args",
    [
        ["topology", "cluster-redundant-path", "-n", "4"],
        ["coverage", "-n", "4"],
        ["tradeoff", "cluster-minimal", "-n", "6", "--sweep", "2-4"],
    ],
)
def test_figure_svg_from_the_cli_starts_no_browser(tmp_path, monkeypatch, args):
    import hvdesign.cli.figure as cli_figure
    from hvdesign.views import image

    def no_browser(*_a, **_k):
        raise AssertionError("a browser was started for an SVG")

    for mod in (image, cli_figure):
        monkeypatch.setattr(mod, "start_browser", no_browser)
        monkeypatch.setattr(mod, "render_image", no_browser)
    out = tmp_path / "x.svg"
    result = CliRunner().invoke(cli_figure.figure, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    root = _parse(out.read_text(encoding="utf-8"))
    assert root.get("width") == "1200"
    assert not list(tmp_path.glob(".*.tmp"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=60,
    ).filter(str.strip)
)
def test_any_design_name_round_trips_through_the_svg_title(name):
    """Hypothesis: whatever the name (tags, entities, quotes, any script), the SVG
    parses and its title shows the design's title character for character."""
    base = resolve_design("cluster-minimal", "2", ())
    try:
        design = base.model_copy(update={"name": name})
    except HvdesignError:
        return  # a name the design refuses is not drawn
    root = _parse(figure_svg(topology(design), 800, 400))
    titles = [_text(e) for e in _by_class(root, "text", "title")]
    assert titles[0].split("\n")[0] == design.title


def test_shapes_and_annotations_in_data_and_paper_coordinates():
    import plotly.graph_objects as go

    fig = go.Figure(go.Scatter(x=[0, 10], y=[0, 100], mode="lines"))
    fig.update_layout(
        xaxis_range=[0, 10],
        yaxis_range=[0, 100],
        margin={"l": 50, "r": 50, "t": 50, "b": 50},
        shapes=[
            {
                "type": "rect",
                "xref": "paper",
                "yref": "paper",
                "x0": 0,
                "x1": 0.5,
                "y0": 0,
                "y1": 1,
                "fillcolor": "#ff0000",
                "line": {"width": 0},
            },
            {"type": "line", "x0": 0, "x1": 10, "y0": 50, "y1": 50, "line": {"color": "#00ff00"}},
        ],
        annotations=[
            {
                "x": 5,
                "y": 50,
                "text": "R&D <i>x</i>",
                "showarrow": False,
                "font": {"size": 20, "color": "#123456"},
                "xanchor": "left",
            },
        ],
    )
    root = _parse(figure_svg(fig, 600, 400))
    plot = _by_class(root, "rect", "plot")[0]
    x0, y0 = float(plot.get("x")), float(plot.get("y"))
    w, h = float(plot.get("width")), float(plot.get("height"))
    rect = next(r for r in root.iter(f"{NS}rect") if r.get("fill") == "#ff0000")
    assert float(rect.get("x")) == pytest.approx(x0, abs=0.01)
    assert float(rect.get("width")) == pytest.approx(w / 2, abs=0.01)
    assert float(rect.get("height")) == pytest.approx(h, abs=0.01)
    line = next(e for e in root.iter(f"{NS}line") if e.get("stroke") == "#00ff00")
    assert float(line.get("y1")) == pytest.approx(y0 + h / 2, abs=0.01)  # y = 50 of 0..100
    note = _by_class(root, "text", "annotation")[0]
    assert _text(note) == "R&D x"
    assert note.get("font-size") == "20" and note.get("fill") == "#123456"
    assert note.get("text-anchor") == "start"
    assert float(note.get("x")) == pytest.approx(x0 + w / 2, abs=0.01)  # x = 5 of 0..10
