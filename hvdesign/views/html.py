"""HTML helpers shared by every face (the report, the app, the explorers): one
escaper, one formatter per kind of number, one error box and one table renderer.

User-supplied text (design names, labels, reasons) goes through :func:`esc`, tables
through :func:`table_html`, which escapes every value and header.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

#: Inline style of an error message in a widget or the app.
ERROR_STYLE = "color:#b00020;font-weight:600"


def esc(text: Any) -> str:
    """``text`` (any value) as escaped HTML text.

    >>> esc("<b>Contoso & co</b>")
    '&lt;b&gt;Contoso &amp; co&lt;/b&gt;'
    """
    return html.escape(str(text))


def percent(x: float | None, decimals: int = 1) -> str:
    """A share (0..1) as a percentage with ``decimals`` decimals and no trailing ".0";
    empty for ``None``.

    >>> percent(0.5), percent(0.1234), percent(1 / 3, 2), percent(None)
    ('50 %', '12.3 %', '33.33 %', '')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    text = f"{100 * x:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + " %"


def number(x: float | None, decimals: int = 0) -> str:
    """A number with thousands separators; empty for ``None`` or NaN.

    >>> number(195690), number(13.26, 1), number(None)
    ('195,690', '13.3', '')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return f"{x:,.{decimals}f}"


def plural(n: int, word: str, words: str | None = None) -> str:
    """``n`` with thousands separators and the word, singular or plural (never "(s)").

    >>> plural(1, "switch", "switches"), plural(2, "uplink"), plural(1_000, "host")
    ('1 switch', '2 uplinks', '1,000 hosts')
    """
    return f"{n:,} {word if n == 1 else words or word + 's'}"


def money(x: float | None) -> str:
    """An amount in US dollars, rounded to the dollar; empty for ``None``.

    >>> money(263610.4), money(None)
    ('$263,610', '')
    """
    return "" if x is None else f"${x:,.0f}"


#: Tick labels of a log axis: full numbers with thousands separators (1, 10, 100,
#: 1,000; 0.1 and 0.01 below 1), never plotly's bare minor digits "2" and "5".
LOG_TICKFORMAT = ",~r"


def log_axis(values: Any = None) -> dict[str, Any]:
    """Plotly axis properties of a log axis labelled 1, 10, 100, 1,000 (no bare minor
    "2" and "5"): a tick at every power of ten; given the axis' ``values`` (positive
    numbers) that span less than two powers of ten, ticks at 1, 2 and 5 times the
    powers of ten instead, each labelled in full (0.2, 0.5, 1, 2, 5, 10).

    >>> log_axis()
    {'type': 'log', 'tickformat': ',~r', 'dtick': 1}
    >>> log_axis([0.3, 4])["tickvals"]
    [0.2, 0.5, 1, 2, 5]
    >>> log_axis([1, 5000])["tickvals"]
    [1, 10, 100, 1000, 10000]
    """
    axis: dict[str, Any] = {"type": "log", "tickformat": LOG_TICKFORMAT}
    positive = [float(v) for v in values if v is not None and v > 0] if values is not None else []
    if not positive or not all(math.isfinite(v) for v in positive):
        return {**axis, "dtick": 1}
    lo, hi = min(positive), max(positive)
    first, last = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    steps = (1,) if math.log10(hi / lo) >= 2 else (1, 2, 5)
    ticks = [m * 10.0**e for e in range(first, last + 1) for m in steps]
    below = [t for t in ticks if t <= lo]
    above = [t for t in ticks if t >= hi]
    kept = [t for t in ticks if (below and t >= below[-1]) and (not above or t <= above[0])]
    return {**axis, "tickvals": [int(t) if t >= 1 else round(t, 12) for t in kept]}


def error_html(text: Any) -> str:
    """An error message as a red line (escaped).

    >>> error_html("nodes: <0>")
    '<div class="hv-error" style="color:#b00020;font-weight:600">nodes: &lt;0&gt;</div>'
    """
    return f'<div class="hv-error" style="{ERROR_STYLE}">{esc(text)}</div>'


def table_html(
    df: pd.DataFrame, *, totals: bool = False, css_class: str = "", align_numbers: bool = True
) -> str:
    """``df`` as an HTML table: every value and header escaped (pandas ``to_html``),
    numeric columns right-aligned (``class="hv-num"``; ``align_numbers=False`` leaves
    the cells plain, for a page whose own style aligns them), empty cells for missing
    values; ``totals`` sets the last row in bold; ``css_class`` wraps the table in a
    ``<div class="hv-table ...">``.

    >>> import pandas as pd
    >>> t = table_html(pd.DataFrame({"name": ["<b>"], "ports": [15]}))
    >>> "<td>&lt;b&gt;</td>" in t, '<td class="hv-num">15</td>' in t
    (True, True)
    """
    import pandas as pd

    classes = ["hv-table", *(["hv-totals"] if totals else [])]
    numeric = [
        pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
        for c in df.columns
    ]
    if df.isna().to_numpy().any():  # empty cells, also for nullable integers (pd.NA)
        df = df.astype(object).where(df.notna(), "")
    text = df.to_html(
        index=False, escape=True, border=0, classes=classes, justify="left", na_rep=""
    )
    text = _align_numbers(text, numeric) if align_numbers and any(numeric) else text
    return f'<div class="hv-table {esc(css_class)}">{text}</div>' if css_class else text


def _align_numbers(text: str, numeric: list[bool]) -> str:
    """Add ``class="hv-num"`` to the header and data cells of numeric columns."""
    out: list[str] = []
    col = 0
    for line in text.split("\n"):
        stripped = line.lstrip()
        cell = line
        if stripped.startswith("<tr"):
            col = 0
        elif stripped.startswith(("<th>", "<th ", "<td>", "<td ")):  # not <thead>
            if col < len(numeric) and numeric[col]:
                tag = stripped[:3]
                cell = line.replace(tag, f'{tag} class="hv-num"', 1)
            col += 1
        out.append(cell)
    return "\n".join(out)
