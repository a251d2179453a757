"""Tests of the shared HTML helpers (hvdesign.views.html): every expected string is
written out by hand here, from the helper's documented format."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from hvdesign.views.html import (
    ERROR_STYLE,
    error_html,
    esc,
    money,
    number,
    percent,
    table_html,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<script>", "&lt;script&gt;"),
        ("R&D \"lab\" 'a'", "R&amp;D &quot;lab&quot; &#x27;a&#x27;"),
        (42, "42"),
        (None, "None"),
    ],
)
def test_esc_escapes_markup_and_quotes(text, expected):
    assert esc(text) == expected


@pytest.mark.parametrize(
    ("x", "decimals", "expected"),
    [
        (0.5, 1, "50 %"),  # no trailing ".0"
        (0.123, 1, "12.3 %"),
        (0.1, 1, "10 %"),  # "10.0" -> "10", not "1"
        (1.0, 1, "100 %"),
        (0.0, 1, "0 %"),
        (0.99999, 3, "99.999 %"),
        (0.12, 3, "12 %"),  # "12.000" -> "12"
        (0.125, 0, "12 %"),  # 12.5 rounds half to even
        (1 / 3, 2, "33.33 %"),
        (None, 1, ""),
        (math.nan, 1, ""),
    ],
)
def test_percent_prints_a_share_without_trailing_zeros(x, decimals, expected):
    assert percent(x, decimals) == expected


@pytest.mark.parametrize(
    ("x", "decimals", "expected"),
    [
        (209628, 0, "209,628"),
        (1234.56, 1, "1,234.6"),
        (0.04, 1, "0.0"),
        (-1500, 0, "-1,500"),
        (None, 0, ""),
        (math.nan, 2, ""),
    ],
)
def test_number_has_thousands_separators(x, decimals, expected):
    assert number(x, decimals) == expected


@pytest.mark.parametrize(
    ("x", "expected"),
    [(263610.4, "$263,610"), (999.5, "$1,000"), (0, "$0"), (12, "$12"), (None, "")],
)
def test_money_rounds_to_the_dollar(x, expected):
    assert money(x) == expected


def test_error_html_is_one_escaped_red_line():
    assert ERROR_STYLE == "color:#b00020;font-weight:600"
    assert error_html("nodes: 'x<1'") == (
        '<div class="hv-error" style="color:#b00020;font-weight:600">'
        "nodes: &#x27;x&lt;1&#x27;</div>"
    )


def _cells(text: str) -> list[str]:
    cells = ("<td>", "<td ", "<th>", "<th ")
    return [line.strip() for line in text.split("\n") if line.strip().startswith(cells)]


def test_table_html_escapes_aligns_numbers_and_leaves_missing_cells_empty():
    df = pd.DataFrame(
        {"<name>": ["a&b", "c"], "ports": [15, None], "ok": [True, False]},
    )
    text = table_html(df)
    assert _cells(text) == [
        "<th>&lt;name&gt;</th>",
        '<th class="hv-num">ports</th>',
        "<th>ok</th>",
        "<td>a&amp;b</td>",
        '<td class="hv-num">15.0</td>',  # a float column (it has a missing value)
        "<td>True</td>",  # booleans are not numbers
        "<td>c</td>",
        '<td class="hv-num"></td>',  # missing: empty, not "nan"
        "<td>False</td>",
    ]
    assert 'class="dataframe hv-table"' in text and "hv-totals" not in text


def test_table_html_nullable_integers_totals_and_wrapper():
    df = pd.DataFrame({"n": pd.array([1, None, 3], dtype="Int64")})
    text = table_html(df, totals=True, css_class="bom <x>")
    assert text.startswith('<div class="hv-table bom &lt;x&gt;">') and text.endswith("</div>")
    assert 'class="dataframe hv-table hv-totals"' in text
    assert [c for c in _cells(text) if c.startswith("<td")] == [
        '<td class="hv-num">1</td>',
        '<td class="hv-num"></td>',  # pd.NA: empty
        '<td class="hv-num">3</td>',
    ]


def test_table_html_can_leave_numeric_cells_plain():
    text = table_html(pd.DataFrame({"a": ["x"], "n": [24]}), align_numbers=False)
    assert _cells(text) == ["<th>a</th>", "<th>n</th>", "<td>x</td>", "<td>24</td>"]


def test_table_html_keeps_thead_intact_when_the_first_column_is_numeric():
    text = table_html(pd.DataFrame({"n": [24], "a": ["x"]}))
    assert "<thead>" in text and "ead>" not in text.replace("<thead>", "").replace("</thead>", "")
    assert _cells(text) == [
        '<th class="hv-num">n</th>',
        "<th>a</th>",
        '<td class="hv-num">24</td>',
        "<td>x</td>",
    ]
