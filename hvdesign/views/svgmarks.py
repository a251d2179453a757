"""Drawing primitives of :mod:`hvdesign.views.svg`: plotly's pseudo-HTML text as SVG
text (lines, bold, small), estimated text widths, marker symbols, colour scales.

Every text and attribute is XML-escaped here (:func:`_attr`); numbers are written
with at most two decimals (:func:`_num`).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

#: Average glyph widths of Helvetica [em], for text-width estimates.
_NARROW = set("il.,:;'|!()[]{}Ijft ")
_WIDE = set("mwMW%@")

#: Dash patterns of plotly's named dashes, in line widths.
_DASHES = {"dash": (3, 3), "dot": (1, 2), "dashdot": (3, 2, 1, 2), "longdash": (5, 3)}


def _num(v: float) -> str:
    """A coordinate for the SVG: at most two decimals, no trailing zeros."""
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _attr(s: object) -> str:
    """``s`` escaped for an XML attribute or text node."""
    return html.escape(str(s), quote=True)


# --------------------------------------------------------------------------- text


@dataclass
class _Span:
    text: str
    bold: bool = False
    italic: bool = False
    small: bool = False  # <sup>/<sub>: 70 % size


_TAG = re.compile(r"<(/?)(b|i|sup|sub|br|em|span)\s*/?>", re.IGNORECASE)


def rich_lines(text: object) -> list[list[_Span]]:
    """Plotly's pseudo-HTML ``text`` as lines of spans (bold, italic, small), entities
    decoded; other tags are kept as text.

    >>> [[s.text for s in line] for line in rich_lines("a <b>&lt;b&gt;</b><br>c")]
    [['a ', '<b>'], ['c']]
    """
    lines: list[list[_Span]] = [[]]
    state = {"b": False, "i": False, "small": False}
    pos = 0
    raw = "" if text is None else str(text)
    for m in _TAG.finditer(raw):
        if m.start() > pos:
            lines[-1].append(_Span(html.unescape(raw[pos : m.start()]), **_flags(state)))
        closing, tag = m.group(1) == "/", m.group(2).lower()
        if tag == "br":
            lines.append([])
        elif tag in ("b", "i", "em"):
            state["b" if tag == "b" else "i"] = not closing
        elif tag in ("sup", "sub"):
            state["small"] = not closing
        pos = m.end()
    if pos < len(raw):
        lines[-1].append(_Span(html.unescape(raw[pos:]), **_flags(state)))
    return lines


def _flags(state: dict[str, bool]) -> dict[str, bool]:
    return {"bold": state["b"], "italic": state["i"], "small": state["small"]}


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated width [px] of plain ``text`` at font ``size`` [px] in Helvetica."""
    em = 0.0
    for ch in text:
        if ch in _NARROW:
            em += 0.28
        elif ch in _WIDE:
            em += 0.83
        elif ch.isupper():
            em += 0.67
        else:
            em += 0.515
    return em * size * (1.07 if bold else 1.0)


def _line_width(line: list[_Span], size: float) -> float:
    return sum(text_width(s.text, size * (0.7 if s.small else 1), s.bold) for s in line)


def rich_size(text: object, size: float) -> tuple[float, float]:
    """Estimated width and height [px] of plotly ``text`` at font ``size`` [px]."""
    lines = rich_lines(text)
    width = max((_line_width(line, size) for line in lines), default=0.0)
    return width, len(lines) * size * 1.3


@dataclass
class _Font:
    family: str
    size: float
    color: str

    def merged(self, spec: Any) -> _Font:
        """This font with the fields ``spec`` (a plotly font or dict) sets."""
        get = _getter(spec)
        return _Font(
            str(get("family") or self.family),
            float(get("size") or self.size),
            str(get("color") or self.color),
        )


def _getter(obj: Any) -> Any:
    if obj is None:
        return lambda key: None
    if isinstance(obj, dict):
        return obj.get
    return lambda key: getattr(obj, key, None)


def text_svg(
    text: object,
    x: float,
    y: float,
    font: _Font,
    anchor: str = "start",
    valign: str = "middle",
    rotate: float = 0.0,
    extra: str = "",
) -> str:
    """One ``<text>`` element of plotly ``text`` (lines as tspans) at (x, y) [px]:
    ``anchor`` start/middle/end horizontally, ``valign`` top/middle/bottom of its
    lines."""
    lines = rich_lines(text)
    step = font.size * 1.3
    height = len(lines) * step
    top = {"top": y, "bottom": y - height}.get(valign, y - height / 2)
    first = top + step / 2 + font.size * 0.35  # baseline of the first line
    transform = f' transform="rotate({_num(rotate)} {_num(x)} {_num(y)})"' if rotate else ""
    parts = [
        f'<text x="{_num(x)}" y="{_num(first)}" text-anchor="{anchor}" '
        f'font-family="{_attr(font.family)}" font-size="{_num(font.size)}" '
        f'fill="{_attr(font.color)}"{transform}{extra}>'
    ]
    for i, line in enumerate(lines):
        for j, span in enumerate(line or [_Span("")]):
            style = ""
            if span.bold:
                style += ' font-weight="bold"'
            if span.italic:
                style += ' font-style="italic"'
            if span.small:
                style += f' font-size="{_num(font.size * 0.7)}"'
            pos = f' x="{_num(x)}" dy="{_num(step)}"' if i and not j else ""
            parts.append(f"<tspan{pos}{style}>{_attr(span.text)}</tspan>")
    parts.append("</text>")
    return "".join(parts)


def _values(seq: Any) -> list[Any]:
    if seq is None:
        return []
    if hasattr(seq, "tolist"):
        return list(seq.tolist())
    return list(seq)


def _finite(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _line(x1: float, y1: float, x2: float, y2: float, color: str, width: float) -> str:
    return (
        f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" '
        f'stroke="{_attr(color)}" stroke-width="{_num(width)}"/>'
    )


def _dash(dash: str | None, width: float) -> str:
    pattern = _DASHES.get(dash or "solid")
    if not pattern:
        return ""
    return f' stroke-dasharray="{",".join(_num(p * width) for p in pattern)}"'


def marker_svg(
    symbol: str, x: float, y: float, size: float, fill: str, line_color: str, line_width: float
) -> str:
    """One plotly marker ``symbol`` of diameter ``size`` [px] centred on (x, y) [px]:
    circle, square, diamond, triangle-up/down, star, cross, x, x-thin, each ``-open``
    (outline in ``fill``'s colour); other symbols are drawn as circles."""
    r = size / 2
    open_ = symbol.endswith("-open")
    base = symbol.removesuffix("-open")
    thin = base.endswith("-thin")
    if open_ or thin:
        style = f'fill="none" stroke="{_attr(fill)}" stroke-width="{_num(max(line_width, 1.5))}"'
    else:
        stroke = (
            f'stroke="{_attr(line_color)}" stroke-width="{_num(line_width)}"'
            if line_width > 0
            else 'stroke="none"'
        )
        style = f'fill="{_attr(fill)}" {stroke}'
    if base == "circle":
        return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" {style}/>'
    pts = _symbol_points(base, r)
    d = "M" + "L".join(f"{_num(x + px)},{_num(y + py)}" for px, py in pts)
    if base in ("x-thin", "cross-thin"):
        a, b, c, e = pts
        d = f"M{_num(x + a[0])},{_num(y + a[1])}L{_num(x + b[0])},{_num(y + b[1])}"
        d += f"M{_num(x + c[0])},{_num(y + c[1])}L{_num(x + e[0])},{_num(y + e[1])}"
        return f'<path class="marker" d="{d}" {style}/>'
    return f'<path class="marker" d="{d}Z" {style}/>'


def _star(r: float) -> list[tuple[float, float]]:
    radii = [r * 1.2 if k % 2 == 0 else r * 0.5 for k in range(10)]
    return [
        (q * math.sin(k * math.pi / 5), -q * math.cos(k * math.pi / 5)) for k, q in enumerate(radii)
    ]


def _cross(r: float, turn: bool) -> list[tuple[float, float]]:
    a, b = r * 0.4, r
    pts = [(a, b), (a, a), (b, a), (b, -a), (a, -a), (a, -b)]
    pts += [(-a, -b), (-a, -a), (-b, -a), (-b, a), (-a, a), (-a, b)]
    c = math.sqrt(0.5)
    return [((x - y) * c, (x + y) * c) for x, y in pts] if turn else pts


_SYMBOLS: dict[str, Any] = {
    "square": lambda r: [(-r, -r), (r, -r), (r, r), (-r, r)],
    "diamond": lambda r: [(0, -1.3 * r), (1.3 * r, 0), (0, 1.3 * r), (-1.3 * r, 0)],
    "triangle-up": lambda r: [(0, -1.15 * r), (1.15 * r, 0.6 * r), (-1.15 * r, 0.6 * r)],
    "triangle-down": lambda r: [(0, 1.15 * r), (1.15 * r, -0.6 * r), (-1.15 * r, -0.6 * r)],
    "star": _star,
    "x-thin": lambda r: [
        (-0.9 * r, -0.9 * r),
        (0.9 * r, 0.9 * r),
        (-0.9 * r, 0.9 * r),
        (0.9 * r, -0.9 * r),
    ],
    "cross-thin": lambda r: [(-1.2 * r, 0), (1.2 * r, 0), (0, -1.2 * r), (0, 1.2 * r)],
    "x": lambda r: _cross(r, True),
    "cross": lambda r: _cross(r, False),
}


def _symbol_points(base: str, r: float) -> list[tuple[float, float]]:
    """Corners of the marker ``base`` of radius ``r`` [px] around (0, 0); an unknown
    symbol is a 16-gon (a circle)."""
    if base in _SYMBOLS:
        return list(_SYMBOLS[base](r))
    return [(r * math.cos(k * math.pi / 8), r * math.sin(k * math.pi / 8)) for k in range(16)]


def _hex_rgb(color: str) -> tuple[int, int, int]:
    c = color.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def colorscale_at(scale: Sequence[Sequence[Any]], frac: float) -> str:
    """The colour of ``scale`` (plotly's [[fraction, '#rrggbb'], ...]) at ``frac``
    (0..1), interpolated between stops; at a repeated stop the later colour wins.

    >>> colorscale_at([[0, "#000000"], [1, "#ffffff"]], 0.5)
    '#808080'
    """
    stops = [(float(s[0]), str(s[1])) for s in scale]
    frac = min(1.0, max(0.0, frac))
    for (f0, c0), (f1, c1) in zip(stops, stops[1:], strict=False):
        if f0 <= frac < f1 or (frac == 1.0 and f1 == 1.0):
            w = (frac - f0) / (f1 - f0) if f1 > f0 else 1.0
            a, b = _hex_rgb(c0), _hex_rgb(c1)
            rgb = (round(a[k] + (b[k] - a[k]) * w) for k in range(3))
            return "#" + "".join(f"{v:02x}" for v in rgb)
    return stops[-1][1]


def _nice_step(span: float, n: float) -> float:
    raw = span / max(n, 1)
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def format_tick(v: float, tickformat: str | None, step: float | None = None) -> str:
    """A tick label: ``tickformat`` of the forms ``$,.0f``, ``,.1f``, ``,~r``, ``,``
    (d3-format's thousands separators, prefix $, fixed or trimmed), or by default the
    value with thousands separators and the decimals of the tick ``step``.

    >>> format_tick(150000, "$,.0f"), format_tick(1000, ",~r"), format_tick(0.5, None, 0.25)
    ('$150,000', '1,000', '0.5')
    """
    fmt = tickformat or ""
    prefix = "$" if fmt.startswith("$") else ""
    sep = "," if "," in fmt else ""
    m = re.search(r"\.(\d+)f", fmt)
    if m:
        return f"{prefix}{v:{sep}.{int(m.group(1))}f}"
    if not fmt or fmt.lstrip("$") in (",", ",~r", "~r", ",r", "r", ",~s", ",~g"):
        sep = "," if not fmt or sep else ""
        if step is not None and step < 1:
            decimals = max(0, -math.floor(math.log10(step) + 1e-9))
            text = f"{v:{sep}.{decimals}f}"
            text = text.rstrip("0").rstrip(".") if "." in text else text
        elif abs(v - round(v)) < 1e-9 * max(1.0, abs(v)):
            text = f"{round(v):{sep}d}"
        else:
            text = f"{v:{sep}.6g}"
        return prefix + ("0" if text == "-0" else text)
    return f"{prefix}{v:{sep}g}"


@dataclass
class _Legend:
    items: list[Any]
    font: _Font
    horizontal: bool
    rows: list[list[tuple[Any, float]]] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    row_h: float = 19.0
    tops: list[float] = field(default_factory=list)

    def measure(self, max_width: float) -> None:
        """Rows of (trace, item width [px]) fitting ``max_width`` [px] and their tops
        [px]: plotly's 19 px rows (more for a large font), 10 px more between two
        legend groups of a vertical legend (its tracegroupgap)."""
        self.row_h = max(19.0, self.font.size * 1.6)
        widths = [(t, 40 + rich_size(t.name, self.font.size)[0] + 10) for t in self.items]
        if not self.horizontal:
            self.rows = [[w] for w in widths]
        else:
            self.rows = [[]]
            for t, w in widths:
                if self.rows[-1] and sum(x for _, x in self.rows[-1]) + w > max_width:
                    self.rows.append([])
                self.rows[-1].append((t, w))
        self.width = max((sum(w for _, w in row) for row in self.rows), default=0) + 10
        grouped = not self.horizontal and any(getattr(t, "legendgroup", None) for t in self.items)
        self.tops, y, group = [], 5.0, None
        for row in self.rows:  # a trace without a group is a group of its own
            first = (getattr(row[0][0], "legendgroup", None) or id(row[0][0])) if row else None
            if self.tops and grouped and first != group:
                y += 10
            self.tops.append(y)
            y, group = y + self.row_h, first
        self.height = y + 5


def colorbar_width(bar: Any, font: _Font) -> float:
    """Width [px] of a heatmap's colour bar: the bar, its tick labels and title."""
    thickness = float(getattr(bar, "thickness", None) or 30)
    title = getattr(getattr(bar, "title", None), "text", None) or ""
    bar_px = thickness + 6 + text_width("100.0", font.size)
    return max(bar_px, rich_size(title, font.size)[0]) + 20  # plotly's xpad: 10 px a side


def colorbar_svg(
    x: float,
    plot_top: float,
    plot_height: float,
    scale: Sequence[Sequence[Any]],
    zrange: tuple[float, float],
    bar: Any,
    font: _Font,
) -> str:
    """A vertical colour bar at ``x`` [px] beside a plot (``len`` of its height,
    centred), the colour scale as a gradient from ``zmin`` (bottom) to ``zmax``, ticks
    at round steps and the title above it."""
    zmin, zmax = zrange
    length = float(getattr(bar, "len", None) or 1.0) * plot_height
    thickness = float(getattr(bar, "thickness", None) or 30)
    top = plot_top + (plot_height - length) / 2
    stops = "".join(
        f'<stop offset="{_num(float(s[0]))}" stop-color="{_attr(s[1])}"/>' for s in scale
    )
    out = [
        f'<g class="colorbar"><defs><linearGradient id="colorbar-{_num(x)}" x1="0" y1="1" '
        f'x2="0" y2="0">{stops}</linearGradient></defs>'
        f'<rect x="{_num(x)}" y="{_num(top)}" width="{_num(thickness)}" '
        f'height="{_num(length)}" fill="url(#colorbar-{_num(x)})"/>'
    ]
    step = _nice_step(zmax - zmin, 5) if zmax > zmin else 1.0
    k = math.ceil(zmin / step - 1e-9)
    while zmax > zmin and k * step <= zmax + 1e-9 * step:
        v = k * step
        y = top + length * (1 - (v - zmin) / (zmax - zmin))
        out.append(text_svg(format_tick(v, None, step), x + thickness + 4, y, font))
        k += 1
    title = getattr(getattr(bar, "title", None), "text", None)
    if title:
        out.append(text_svg(title, x, top - 4, font, "start", "bottom"))
    out.append("</g>")
    return "".join(out)
