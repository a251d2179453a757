"""Plotly figures as standalone SVG 1.1 documents, drawn in Python without a browser.

Kaleido (:mod:`hvdesign.views.image`) draws a figure with plotly.js in a headless
Chromium; starting that browser is most of the 4 s an image takes. The package's own
figures (the topology, the coverage heat map, the cost trade-off) use a small part of
plotly, and :func:`figure_svg` draws exactly that part from the figure's data and
layout, in milliseconds:

- layout: size, margins, paper and plot background, font, title and subtitle, a legend
  of the named, visible traces (vertical on the right, or where ``layout.legend`` puts
  it, horizontal rows when ``orientation="h"``), shapes (rect, line, path of M/L/Z) and
  annotations (data or paper coordinates, font, anchors; arrows are not drawn);
- axes: linear, log and category; ranges as given or computed like plotly's autorange
  (markers padded by their size in pixels), ``autorange="reversed"``; ticks at round
  values (1-2-5 steps) or the figure's ``tickvals``/``ticktext``; tick labels with
  thousands separators (``tickformat`` of the forms ``$,.0f``, ``,~r``, ``,.1f``),
  grid lines, axis titles, ``side="top"``, ``visible=False``;
- scatter traces: modes lines, markers and text; line colour, width, dash and the
  ``hv``/``vh`` step shapes; NaN-separated segments of one trace as one path; marker size,
  colour, opacity, symbol (circle, square, diamond, triangle-up/down, star, cross, x,
  x-thin, each ``-open``) and its outline; text position and font; ``fill="toself"``;
- heatmap traces: one rect per cell coloured by the colorscale between ``zmin`` and
  ``zmax``, ``xgap``/``ygap``, the cell's text (``text`` or ``texttemplate``).

Plotly's pseudo-HTML in labels (``<br>``, ``<b>``, ``<i>``, ``<sup>``, ``<sub>``, entities)
becomes lines and tspans; every text is XML-escaped. Hover text is ignored. Text widths
are estimated from average Helvetica glyph widths (no font metrics are read), so the
drawing is faithful and readable, not pixel-identical to plotly's.

Examples
--------
>>> import plotly.graph_objects as go
>>> fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], text=["a & b", "c"], mode="text"))
>>> svg = figure_svg(fig, 400, 300)
>>> svg.startswith("<svg"), "a &amp; b" in svg
(True, True)
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hvdesign.errors import HvdesignError
from hvdesign.views.svgmarks import (
    _attr,
    _dash,
    _finite,
    _Font,
    _Legend,
    _line,
    _nice_step,
    _num,
    _values,
    colorbar_svg,
    colorbar_width,
    colorscale_at,
    format_tick,
    marker_svg,
    rich_size,
    text_svg,
)

if TYPE_CHECKING:
    import plotly.graph_objects as go

#: Plotly's defaults used when neither the figure nor its template sets a value.
DEFAULT_FONT = _Font("Helvetica, Arial, sans-serif", 12.0, "#444444")
DEFAULT_MARGIN = {"l": 80.0, "r": 80.0, "t": 100.0, "b": 80.0}
DEFAULT_HEIGHT_PX = 450

# --------------------------------------------------------------------------- axes


@dataclass
class Axis:
    """One axis: its type, range (in axis units: log10 for a log axis) and pixels."""

    letter: str
    spec: Any
    template: Any
    kind: str = "linear"
    categories: list[str] = field(default_factory=list)
    lo: float = 0.0
    hi: float = 1.0
    reversed: bool = False
    start_px: float = 0.0
    length_px: float = 1.0

    def get(self, key: str) -> Any:
        """The axis's ``key``, else the template's."""
        value = getattr(self.spec, key, None)
        if value is None and self.template is not None:
            value = getattr(self.template, key, None)
        return value

    def to_unit(self, v: Any) -> float | None:
        """A data value in axis units, None when it cannot be drawn."""
        if self.kind == "category":
            return float(self.categories.index(str(v))) if str(v) in self.categories else None
        if not _finite(v):
            return None
        if self.kind == "log":
            return math.log10(v) if v > 0 else None
        return float(v)

    def px(self, u: float) -> float:
        """Axis units to pixels (x grows right, y grows down)."""
        frac = (u - self.lo) / (self.hi - self.lo) if self.hi != self.lo else 0.5
        if self.reversed:
            frac = 1 - frac
        if self.letter == "y":
            frac = 1 - frac
        return self.start_px + frac * self.length_px

    def data_px(self, v: Any) -> float | None:
        """A data value to pixels, None when it cannot be drawn."""
        u = self.to_unit(v)
        return None if u is None else self.px(u)


def _categories(traces: Sequence[Any], letter: str) -> list[str]:
    cats: list[str] = []
    for t in traces:
        for v in _values(getattr(t, letter, None)):
            if isinstance(v, str) and v not in cats:
                cats.append(v)
    return cats


def _pad_px(traces: Sequence[Any]) -> float:
    """Autorange padding [px]: half the largest visible marker, plus a little."""
    pad = 0.0
    for t in traces:
        mode = getattr(t, "mode", None) or ""
        if t.type == "scatter" and "markers" in mode:
            sizes = [s for s in _values_or_one(t.marker.size, 6) if _finite(s)]
            pad = max(pad, max(sizes, default=6) / 2 + 4)
        elif t.type == "scatter" and "text" in mode:
            pad = max(pad, 8.0)
    return pad


def _values_or_one(v: Any, default: float) -> list[Any]:
    if v is None:
        return [default]
    return _values(v) if isinstance(v, list | tuple) or hasattr(v, "tolist") else [v]


def _autorange(ax: Axis, traces: Sequence[Any]) -> None:
    """``ax.lo``/``ax.hi`` like plotly's autorange: the data's extent, markers padded
    by their size [px] (category axes: -0.5 to n - 0.5)."""
    if ax.kind == "category":
        ax.lo, ax.hi = -0.5, len(ax.categories) - 0.5
        return
    units = [
        u
        for t in traces
        for v in _values(getattr(t, ax.letter, None))
        if (u := ax.to_unit(v)) is not None
    ]
    if not units:
        ax.lo, ax.hi = (0.0, 2.0) if ax.kind == "log" else (-1.0, 6.0)
        return
    lo, hi = min(units), max(units)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    pad = _pad_px(traces)
    if any(t.type == "scatter" and t.fill in (None, "none", "toself") for t in traces):
        pad += 0.05 * ax.length_px  # plotly pads scatter traces by 5 % of the axis
    span = hi - lo
    length = max(ax.length_px - 2 * pad, ax.length_px * 0.5)
    extra = span * pad / length
    ax.lo, ax.hi = lo - extra, hi + extra


def ticks(ax: Axis) -> list[tuple[float, str]]:
    """Tick positions (axis units) and labels: the figure's ``tickvals``/``ticktext``,
    the categories, or round steps (log axes: 1, 10, 100 ... or 1-2-5 within a decade)."""
    tickvals = _values(ax.get("tickvals"))
    ticktext = [str(t) for t in _values(ax.get("ticktext"))]
    fmt = ax.get("tickformat")
    lo, hi = min(ax.lo, ax.hi), max(ax.lo, ax.hi)
    out: list[tuple[float, str]] = []
    if tickvals:
        for i, v in enumerate(tickvals):
            u = ax.to_unit(v)
            if u is None or not lo - 1e-9 <= u <= hi + 1e-9:
                continue
            label = ticktext[i] if i < len(ticktext) else None
            if label is None:
                label = str(v) if ax.kind == "category" else format_tick(float(v), fmt)
            out.append((u, label))
        return out
    if ax.kind == "category":
        return [(float(i), c) for i, c in enumerate(ax.categories)]
    n = max(3.0, min(9.0, ax.length_px / (80 if ax.letter == "x" else 40)))
    if ax.kind == "log":
        for e in range(math.floor(lo), math.ceil(hi) + 1):
            for m in (1, 2, 5) if hi - lo < 2 else (1,):
                u = e + math.log10(m)
                if lo <= u <= hi:
                    out.append((u, format_tick(10**u, fmt or ",~r")))
        return out
    step = _nice_step(hi - lo, n)
    k = math.ceil(lo / step - 1e-9)
    while k * step <= hi + 1e-9 * step:
        v = k * step
        out.append((v, format_tick(0.0 if abs(v) < step * 1e-9 else v, fmt, step)))
        k += 1
    return out


# --------------------------------------------------------------------------- figure


@dataclass
class _Ctx:
    """What a drawing needs: sizes, fonts, axes, the template's layout."""

    width: float
    height: float
    layout: Any
    template: Any
    font: _Font
    x: Axis
    y: Axis
    out: list[str] = field(default_factory=list)

    def lget(self, key: str) -> Any:
        """A layout value, else the template's."""
        value = getattr(self.layout, key, None)
        if value is None and self.template is not None:
            value = getattr(self.template, key, None)
        return value


def _layout_font(layout: Any, template: Any) -> _Font:
    font = DEFAULT_FONT
    if template is not None:
        font = font.merged(template.font)
    return font.merged(layout.font)


def _legend_items(traces: Sequence[Any], layout: Any) -> list[Any]:
    if layout.showlegend is False:
        return []
    items = [
        t
        for t in traces
        if t.type == "scatter"
        and t.showlegend is not False
        and t.visible in (None, True)
        and t.name
    ]
    if layout.showlegend is None and len(traces) < 2:
        return []
    return items


def _margins(layout: Any, template: Any) -> dict[str, float]:
    m = dict(DEFAULT_MARGIN)
    for src in (template, layout):
        spec = getattr(src, "margin", None) if src is not None else None
        for key in m:
            value = getattr(spec, key, None) if spec is not None else None
            if value is not None:
                m[key] = float(value)
    return m


def _tick_extent(ax: Axis, font: _Font) -> tuple[float, float]:
    """Widest and tallest tick label [px] of ``ax`` (before the range is final, the
    categories or tickvals decide; numbers are estimated from the data's extent)."""
    if ax.get("visible") is False or ax.get("showticklabels") is False:
        return 0.0, 0.0
    labels = [label for _, label in ticks(ax)]
    sizes = [rich_size(label, font.size) for label in labels] or [(0.0, 0.0)]
    return max(w for w, _ in sizes), max(h for _, h in sizes)


def _axis_title(ax: Axis) -> str:
    title = ax.get("title")
    text = getattr(title, "text", None) if title is not None else None
    return "" if ax.get("visible") is False else str(text or "")


def _plot_area(ctx: _Ctx, legend: _Legend) -> None:
    """Margins grown like plotly's automargin: tick labels, axis titles and an outside
    legend pushed into the margins; the axes get their pixels and ranges."""
    m = _margins(ctx.layout, ctx.template)
    tfont = ctx.font
    for ax in (ctx.x, ctx.y):  # a first pass with the nominal area, for tick labels
        ax.start_px = m["l"] if ax.letter == "x" else m["t"]
        ax.length_px = (
            ctx.width - m["l"] - m["r"] if ax.letter == "x" else ctx.height - m["t"] - m["b"]
        )
        _set_range(ax, ctx)
    yw, _ = _tick_extent(ctx.y, tfont)
    _, xh = _tick_extent(ctx.x, tfont)
    ytitle = (tfont.size * 1.3 + 15) if _axis_title(ctx.y) else 0
    xtitle = (tfont.size * 1.3 + 15) if _axis_title(ctx.x) else 0
    if yw or ytitle:
        m["l"] = max(m["l"], yw + 8 + ytitle + 4)
    side = ctx.x.get("side") or "bottom"
    if side == "top":
        m["t"] = max(m["t"], xh + 8)
    else:
        m["b"] = max(m["b"], xh + 8 + xtitle)
    spec = ctx.layout.legend
    if legend.items:
        legend.measure(ctx.width - m["l"] - m["r"] if legend.horizontal else 1e9)
        if not legend.horizontal and getattr(spec, "x", None) is None:
            m["r"] += legend.width + 10
        elif legend.horizontal and (getattr(spec, "y", None) or 0) < 0:
            m["b"] = max(m["b"], legend.height + xh + 8)
    m["r"] += _colorbar_room(ctx.layout._traces, tfont)
    ctx.x.start_px, ctx.x.length_px = m["l"], max(10.0, ctx.width - m["l"] - m["r"])
    ctx.y.start_px, ctx.y.length_px = m["t"], max(10.0, ctx.height - m["t"] - m["b"])
    for ax in (ctx.x, ctx.y):
        _set_range(ax, ctx)


def _set_range(ax: Axis, ctx: _Ctx) -> None:
    rng = ax.get("range")
    traces = ctx.layout._traces if hasattr(ctx.layout, "_traces") else []
    ax.reversed = ax.get("autorange") == "reversed"
    if rng is not None and len(rng) == 2 and all(_finite(v) for v in rng):
        ax.lo, ax.hi = float(rng[0]), float(rng[1])  # log axes: given in log10 units
    else:
        _autorange(ax, traces)


def _axis_type(ax: Axis, traces: Sequence[Any]) -> None:
    kind = ax.get("type")
    if kind in ("log", "category", "linear"):
        ax.kind = kind
    elif any(isinstance(v, str) for t in traces for v in _values(getattr(t, ax.letter, None))):
        ax.kind = "category"
    if ax.kind == "category":
        ax.categories = _categories(traces, ax.letter)


def _draw_axes(ctx: _Ctx) -> None:
    """Grid lines, tick labels and titles of both axes."""
    for ax in (ctx.x, ctx.y):
        if ax.get("visible") is False:
            continue
        grid = ax.get("showgrid") is not False and ax.kind != "category"
        gridcolor = ax.get("gridcolor") or "#eeeeee"
        tick_list = ticks(ax)
        for u, label in tick_list:
            p = ax.px(u)
            if grid:
                ctx.out.append(_grid_line(ctx, ax, p, gridcolor))
            if ax.get("showticklabels") is not False:
                ctx.out.append(_tick_label(ctx, ax, p, label))
        title = _axis_title(ax)
        if title:
            ctx.out.append(_title_svg(ctx, ax, title))


def _grid_line(ctx: _Ctx, ax: Axis, p: float, color: str) -> str:
    if ax.letter == "x":
        a, b = ctx.y.start_px, ctx.y.start_px + ctx.y.length_px
        return _line(p, a, p, b, color, 1)
    a, b = ctx.x.start_px, ctx.x.start_px + ctx.x.length_px
    return _line(a, p, b, p, color, 1)


def _tick_label(ctx: _Ctx, ax: Axis, p: float, label: str) -> str:
    font = ctx.font.merged(ax.get("tickfont"))
    cls = f' class="tick {ax.letter}tick"'
    if ax.letter == "y":
        return text_svg(label, ctx.x.start_px - 6, p, font, anchor="end", extra=cls)
    if (ax.get("side") or "bottom") == "top":
        return text_svg(label, p, ctx.y.start_px - 5, font, "middle", "bottom", extra=cls)
    y0 = ctx.y.start_px + ctx.y.length_px + 5
    return text_svg(label, p, y0, font, "middle", "top", extra=cls)


def _title_svg(ctx: _Ctx, ax: Axis, title: str) -> str:
    font = ctx.font.merged(getattr(ax.get("title"), "font", None))
    font = _Font(font.family, font.size + (2 if font.size == ctx.font.size else 0), font.color)
    if ax.letter == "x":
        _, h = _tick_extent(ax, ctx.font)
        y0 = ctx.y.start_px + ctx.y.length_px + 5 + h + 12
        return text_svg(title, ax.start_px + ax.length_px / 2, y0, font, "middle", "top")
    w, _ = _tick_extent(ax, ctx.font)
    x0 = ctx.x.start_px - 6 - w - 12 - font.size * 0.65
    return text_svg(title, x0, ax.start_px + ax.length_px / 2, font, "middle", rotate=-90)


def _draw_title(ctx: _Ctx) -> None:
    title = ctx.layout.title
    text = getattr(title, "text", None)
    if not text:
        return
    base = ctx.font.merged({"size": ctx.font.size * 1.4})
    font = base.merged(title.font)
    x_frac = title.x if title.x is not None else 0.05
    anchor = {"left": "start", "right": "end", "center": "middle"}.get(
        title.xanchor or "auto", "start" if x_frac < 0.3 else "middle"
    )
    x = x_frac * ctx.width
    top = 12.0
    ctx.out.append(text_svg(text, x, top, font, anchor, "top", extra=' class="title"'))
    sub = getattr(getattr(title, "subtitle", None), "text", None)
    if sub:
        sub_font = ctx.font.merged(title.subtitle.font)
        y_sub = top + rich_size(text, font.size)[1] + 2
        ctx.out.append(text_svg(sub, x, y_sub, sub_font, anchor, "top"))


# --------------------------------------------------------------------------- traces


def _color_at(colors: Any, i: int, default: str) -> str:
    if colors is None:
        return default
    if isinstance(colors, str):
        return colors
    vals = _values(colors)
    return str(vals[i]) if i < len(vals) and isinstance(vals[i], str) else default


def _segments(ctx: _Ctx, t: Any) -> list[list[tuple[float, float]]]:
    """The trace's points in pixels, split at gaps (NaN, None, off a log axis)."""
    segs: list[list[tuple[float, float]]] = [[]]
    for xv, yv in zip(_values(t.x), _values(t.y), strict=False):
        px, py = ctx.x.data_px(xv), ctx.y.data_px(yv)
        if px is None or py is None:
            if segs[-1]:
                segs.append([])
            continue
        segs[-1].append((px, py))
    return [s for s in segs if s]


def _path_d(seg: list[tuple[float, float]], shape: str | None, close: bool) -> str:
    pts: list[tuple[float, float]] = []
    for i, p in enumerate(seg):
        if i and shape == "hv":
            pts.append((p[0], seg[i - 1][1]))
        elif i and shape == "vh":
            pts.append((seg[i - 1][0], p[1]))
        pts.append(p)
    d = "M" + "L".join(f"{_num(x)},{_num(y)}" for x, y in pts)
    return d + ("Z" if close else "")


def _default_color(ctx: _Ctx, index: int) -> str:
    colorway = _values(ctx.lget("colorway")) or ["#1f77b4"]
    return str(colorway[index % len(colorway)])


def _scatter(ctx: _Ctx, t: Any, index: int) -> None:
    mode = t.mode or "lines+markers"
    color = t.line.color or t.marker.color if isinstance(t.marker.color, str) else t.line.color
    color = color or _default_color(ctx, index)
    segs = _segments(ctx, t)
    opacity = "" if t.opacity in (None, 1) else f' opacity="{_num(t.opacity)}"'
    group = f'<g class="trace scatter" data-name="{_attr(t.name or "")}"{opacity}>'
    ctx.out.append(group)
    if t.fill == "toself" and segs:
        d = "".join(_path_d(s, None, True) for s in segs)
        width = t.line.width if t.line.width is not None else 2
        stroke = (
            f'stroke="{_attr(t.line.color or color)}" stroke-width="{_num(width)}"'
            f"{_dash(t.line.dash, width)}"
            if "lines" in mode and width > 0
            else 'stroke="none"'
        )
        fill = t.fillcolor or color
        ctx.out.append(f'<path d="{d}" fill="{_attr(fill)}" {stroke}/>')
    elif "lines" in mode and segs:
        width = t.line.width if t.line.width is not None else 2
        d = "".join(_path_d(s, t.line.shape, False) for s in segs)
        ctx.out.append(
            f'<path class="line" d="{d}" fill="none" stroke="{_attr(t.line.color or color)}" '
            f'stroke-width="{_num(width)}"{_dash(t.line.dash, width)} '
            f'stroke-linejoin="round"/>'
        )
    if "markers" in mode:
        _markers(ctx, t, color)
    if "text" in mode:
        _texts(ctx, t)
    ctx.out.append("</g>")


def _points(ctx: _Ctx, t: Any) -> Iterator[tuple[int, float, float]]:
    for i, (xv, yv) in enumerate(zip(_values(t.x), _values(t.y), strict=False)):
        px, py = ctx.x.data_px(xv), ctx.y.data_px(yv)
        if px is not None and py is not None:
            yield i, px, py


def _at(v: Any, i: int, default: Any) -> Any:
    if v is None:
        return default
    if isinstance(v, str | int | float):
        return v
    vals = _values(v)
    return vals[i] if i < len(vals) and vals[i] is not None else default


def _markers(ctx: _Ctx, t: Any, color: str) -> None:
    m = t.marker
    if m.opacity == 0:
        return  # invisible (hover targets)
    for i, px, py in _points(ctx, t):
        size = float(_at(m.size, i, 6))
        symbol = str(_at(m.symbol, i, "circle"))
        fill = _color_at(m.color, i, color)
        lcolor = _color_at(m.line.color, i, "#444444" if m.line.width else fill)
        lwidth = float(_at(m.line.width, i, 0) or 0)
        ctx.out.append(marker_svg(symbol, px, py, size, fill, lcolor, lwidth))


def _texts(ctx: _Ctx, t: Any) -> None:
    font = ctx.font.merged(t.textfont)
    texts = t.text
    for i, px, py in _points(ctx, t):
        text = _at(texts, i, None) if not isinstance(texts, str) else texts
        if text is None or text == "":
            continue
        pos = str(_at(t.textposition, i, "middle center"))
        v, _, h = pos.partition(" ")
        dy = {"top": -4.0, "bottom": 4.0}.get(v, 0.0)
        dx = {"left": -4.0, "right": 4.0}.get(h, 0.0)
        anchor = {"left": "end", "right": "start"}.get(h, "middle")
        valign = {"top": "bottom", "bottom": "top"}.get(v, "middle")
        ctx.out.append(
            text_svg(text, px + dx, py + dy, font, anchor, valign, extra=' class="label"')
        )


def _heatmap(ctx: _Ctx, t: Any) -> None:
    z = [_values(row) for row in _values(t.z)]
    xs, ys = _values(t.x) or list(range(len(z[0]) if z else 0)), _values(t.y) or list(range(len(z)))
    flat = [v for row in z for v in row if _finite(v)]
    zmin = t.zmin if t.zmin is not None else min(flat, default=0)
    zmax = t.zmax if t.zmax is not None else max(flat, default=1)
    scale = t.colorscale or [[0, "#0d0887"], [1, "#f0f921"]]
    scale = [[s[0], s[1]] for s in scale]
    font = ctx.font.merged(t.textfont)
    texts = _values(t.text)
    dx = abs(ctx.x.px(1) - ctx.x.px(0))
    dy = abs(ctx.y.px(1) - ctx.y.px(0))
    gx, gy = float(t.xgap or 0), float(t.ygap or 0)
    ctx.out.append(f'<g class="trace heatmap" data-name="{_attr(t.name or "")}">')
    for r, row in enumerate(z):
        for c, v in enumerate(row):
            cx, cy = ctx.x.data_px(xs[c]), ctx.y.data_px(ys[r])
            if cx is None or cy is None:
                continue
            if _finite(v):  # a missing z is a gap (the plot background), its text drawn
                frac = (v - zmin) / (zmax - zmin) if zmax != zmin else 0.5
                ctx.out.append(
                    f'<rect class="cell" x="{_num(cx - dx / 2 + gx / 2)}" '
                    f'y="{_num(cy - dy / 2 + gy / 2)}" width="{_num(max(dx - gx, 0))}" '
                    f'height="{_num(max(dy - gy, 0))}" fill="{colorscale_at(scale, frac)}"/>'
                )
            text = texts[r][c] if r < len(texts) and c < len(_values(texts[r])) else None
            if text not in (None, "") and (t.texttemplate or t.text is not None):
                ctx.out.append(text_svg(text, cx, cy, font, "middle", extra=' class="cell-text"'))
    ctx.out.append("</g>")


def _colorbars(ctx: _Ctx, traces: Sequence[Any]) -> None:
    """The colour bar of each heatmap that shows its scale, right of the plot."""
    for t in traces:
        if t.type != "heatmap" or t.showscale is False:
            continue
        flat = [v for row in _values(t.z) for v in _values(row) if _finite(v)]
        zmin = t.zmin if t.zmin is not None else min(flat, default=0)
        zmax = t.zmax if t.zmax is not None else max(flat, default=1)
        scale = [[s[0], s[1]] for s in t.colorscale or [[0, "#0d0887"], [1, "#f0f921"]]]
        ctx.out.append(
            colorbar_svg(
                ctx.x.start_px + ctx.x.length_px + 10,
                ctx.y.start_px,
                ctx.y.length_px,
                scale,
                (zmin, zmax),
                t.colorbar,
                ctx.font.merged(t.colorbar.tickfont),
            )
        )


def _colorbar_room(traces: Sequence[Any], font: _Font) -> float:
    """Width [px] the colour bars of the heatmaps take right of the plot."""
    bars = [t for t in traces if t.type == "heatmap" and t.showscale is not False]
    return max((10 + colorbar_width(t.colorbar, font) for t in bars), default=0.0)


# --------------------------------------------------------------------------- extras


def _ref_px(ctx: _Ctx, ref: str | None, v: Any, letter: str) -> float | None:
    ax = ctx.x if letter == "x" else ctx.y
    if ref == "paper":
        frac = float(v)
        return ax.start_px + (frac if letter == "x" else 1 - frac) * ax.length_px
    return ax.data_px(v) if ax.kind != "log" else ax.px(float(v))


def _shapes(ctx: _Ctx) -> None:
    for s in ctx.layout.shapes or ():
        color = s.line.color or "#444444"
        width = s.line.width if s.line.width is not None else 2
        stroke = f'stroke="{_attr(color)}" stroke-width="{_num(width)}"{_dash(s.line.dash, width)}'
        fill = s.fillcolor or "none"
        opacity = "" if s.opacity in (None, 1) else f' opacity="{_num(s.opacity)}"'
        if s.type in ("rect", "line"):
            x0, x1 = _ref_px(ctx, s.xref, s.x0, "x"), _ref_px(ctx, s.xref, s.x1, "x")
            y0, y1 = _ref_px(ctx, s.yref, s.y0, "y"), _ref_px(ctx, s.yref, s.y1, "y")
            if None in (x0, x1, y0, y1):
                continue
            assert x0 is not None and x1 is not None and y0 is not None and y1 is not None
            if s.type == "line":
                ctx.out.append(f"{_line(x0, y0, x1, y1, color, width)[:-2]}{opacity}/>")
                continue
            ctx.out.append(
                f'<rect x="{_num(min(x0, x1))}" y="{_num(min(y0, y1))}" '
                f'width="{_num(abs(x1 - x0))}" height="{_num(abs(y1 - y0))}" '
                f'fill="{_attr(fill)}" {stroke}{opacity}/>'
            )
        elif s.type == "path" and s.path:
            d = _shape_path(ctx, s)
            ctx.out.append(f'<path d="{d}" fill="{_attr(fill)}" {stroke}{opacity}/>')


def _shape_path(ctx: _Ctx, s: Any) -> str:
    """A shape's SVG path of M, L and Z commands in data (or paper) coordinates, in
    pixels."""
    out = []
    for cmd, xs, ys in re.findall(r"([MLZ])\s*([-+\d.eE]*)[\s,]*([-+\d.eE]*)", s.path):
        if cmd == "Z":
            out.append("Z")
            continue
        px, py = _ref_px(ctx, s.xref, float(xs), "x"), _ref_px(ctx, s.yref, float(ys), "y")
        if px is not None and py is not None:
            out.append(f"{cmd}{_num(px)},{_num(py)}")
    return "".join(out)


def _annotations(ctx: _Ctx) -> None:
    for a in ctx.layout.annotations or ():
        if a.visible is False or not a.text:
            continue
        x = _ref_px(ctx, a.xref, a.x if a.x is not None else 0.5, "x")
        y = _ref_px(ctx, a.yref, a.y if a.y is not None else 0.5, "y")
        if x is None or y is None:
            continue
        font = ctx.font.merged(a.font)
        anchor = {"left": "start", "right": "end"}.get(a.xanchor or "auto", "middle")
        valign = {"top": "top", "bottom": "bottom"}.get(a.yanchor or "auto", "middle")
        ctx.out.append(text_svg(a.text, x, y, font, anchor, valign, extra=' class="annotation"'))


def _legend_svg(ctx: _Ctx, legend: _Legend) -> None:
    spec = ctx.layout.legend
    plot_r = ctx.x.start_px + ctx.x.length_px
    if legend.horizontal:
        x_frac = spec.x if spec.x is not None else 0.0
        y_frac = spec.y if spec.y is not None else -0.1
    else:
        x_frac = spec.x if spec.x is not None else 1.02
        y_frac = spec.y if spec.y is not None else 1.0
    x = ctx.x.start_px + x_frac * ctx.x.length_px
    y = ctx.y.start_px + (1 - y_frac) * ctx.y.length_px
    if (spec.xanchor or "left") == "right" or (spec.xanchor is None and x_frac > 1.5):
        x -= legend.width
    yanchor = spec.yanchor or ("top" if y_frac > 0.5 or legend.horizontal else "bottom")
    if yanchor == "bottom":
        y -= legend.height
    elif yanchor == "middle":
        y -= legend.height / 2
    x = min(x, max(plot_r, ctx.width - legend.width)) if not legend.horizontal else x
    ctx.out.append(f'<g class="legend" transform="translate({_num(x)},{_num(y)})">')
    bg = spec.bgcolor
    if bg:
        ctx.out.append(
            f'<rect width="{_num(legend.width)}" height="{_num(legend.height)}" '
            f'fill="{_attr(bg)}"/>'
        )
    for r, row in enumerate(legend.rows):
        cx = 5.0
        cy = legend.tops[r] + legend.row_h / 2
        for t, w in row:
            _legend_item(ctx, t, cx, cy, legend.font)
            cx += w
    ctx.out.append("</g>")


def _legend_item(ctx: _Ctx, t: Any, x: float, y: float, font: _Font) -> None:
    mode = t.mode or "lines+markers"
    color = t.line.color or (t.marker.color if isinstance(t.marker.color, str) else None)
    color = color or "#444444"
    if "lines" in mode or t.fill == "toself":
        width = min(t.line.width if t.line.width is not None else 2, 5)
        ctx.out.append(
            f'<path d="M{_num(x)},{_num(y)}h30" stroke="{_attr(t.line.color or color)}" '
            f'stroke-width="{_num(width)}"{_dash(t.line.dash, width)} fill="none"/>'
        )
    if "markers" in mode and t.marker.opacity != 0:
        size = min(float(_at(t.marker.size, 0, 6)), 16)
        symbol = str(_at(t.marker.symbol, 0, "circle"))
        fill = _color_at(t.marker.color, 0, color)
        lwidth = float(_at(t.marker.line.width, 0, 0) or 0)
        lcolor = _color_at(t.marker.line.color, 0, "#444444" if lwidth else fill)
        ctx.out.append(marker_svg(symbol, x + 15, y, size, fill, lcolor, lwidth))
    ctx.out.append(text_svg(t.name, x + 40, y, font, extra=' class="legend-text"'))


# --------------------------------------------------------------------------- entry


def figure_svg(fig: go.Figure, width: int, height: int | None = None) -> str:
    """``fig`` as a standalone SVG 1.1 document of ``width`` x ``height`` [px]
    (``height`` default: the figure's layout height, else 450 px), drawn without a
    browser (see the module's docstring for what is supported; hover text is
    ignored). A trace type other than scatter or heatmap is one
    :class:`~hvdesign.errors.HvdesignError`."""
    layout = fig.layout
    template = layout.template.layout if layout.template is not None else None
    traces = list(fig.data)
    for t in traces:
        if t.type not in ("scatter", "heatmap"):
            raise HvdesignError(
                "figure", t.type, "scatter and heatmap traces (drawn without a browser)"
            )
    h = float(height or layout.height or DEFAULT_HEIGHT_PX)
    w = float(width)
    drawn = [t for t in traces if t.visible in (None, True)]
    xa = Axis("x", layout.xaxis, getattr(template, "xaxis", None))
    ya = Axis("y", layout.yaxis, getattr(template, "yaxis", None))
    _axis_type(xa, drawn)
    _axis_type(ya, drawn)
    ctx = _Ctx(w, h, layout, template, _layout_font(layout, template), xa, ya)
    ctx.layout = _LayoutWithTraces(layout, drawn)
    legend_spec = layout.legend
    legend = _Legend(
        _legend_items(traces, layout),
        ctx.font.merged(legend_spec.font),
        legend_spec.orientation == "h",
    )
    _plot_area(ctx, legend)
    paper = ctx.lget("paper_bgcolor") or "#ffffff"
    plot_bg = ctx.lget("plot_bgcolor") or "#ffffff"
    ctx.out.append(
        f'<rect class="paper" width="{_num(w)}" height="{_num(h)}" fill="{_attr(paper)}"/>'
    )
    px0, py0 = xa.start_px, ya.start_px
    ctx.out.append(
        f'<rect class="plot" x="{_num(px0)}" y="{_num(py0)}" width="{_num(xa.length_px)}" '
        f'height="{_num(ya.length_px)}" fill="{_attr(plot_bg)}"/>'
    )
    _draw_axes(ctx)
    ctx.out.append('<g class="traces" clip-path="url(#plot-clip)">')
    for i, t in enumerate(drawn):
        if t.type == "heatmap":
            _heatmap(ctx, t)
        else:
            _scatter(ctx, t, i)
    ctx.out.append("</g>")
    _colorbars(ctx, drawn)
    _shapes(ctx)
    _annotations(ctx)
    _draw_title(ctx)
    if legend.items:
        _legend_svg(ctx, legend)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{_num(w)}" '
        f'height="{_num(h)}" viewBox="0 0 {_num(w)} {_num(h)}">'
        f'<defs><clipPath id="plot-clip"><rect x="{_num(px0)}" y="{_num(py0)}" '
        f'width="{_num(xa.length_px)}" height="{_num(ya.length_px)}"/></clipPath></defs>'
    )
    return head + "\n".join(ctx.out) + "</svg>\n"


class _LayoutWithTraces:
    """The figure's layout with the drawn traces attached (for autorange)."""

    def __init__(self, layout: Any, traces: list[Any]) -> None:
        self._layout = layout
        self._traces = traces

    def __getattr__(self, key: str) -> Any:
        return getattr(self._layout, key)
