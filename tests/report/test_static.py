"""Tests of the report without JavaScript (issue 14 item 4): every figure also a static
SVG image (:mod:`hvdesign.report.images`), the static report without plotly.js
(``--static``), the PDF (``--pdf``, :mod:`hvdesign.report.pdf`).

Fast tests draw the images with a stand-in for kaleido (an SVG that names the figure it
was given), so they check the page's structure without a browser. The slow tests draw
them with kaleido and open the pages in Debian's Chromium through Playwright, once
with JavaScript disabled (the images show in the topology, coverage, cost and
trade-off sections) and once enabled (plotly's figures replace them: no figure shown
twice). Sizes and page counts are checked with parsers of their own (ElementTree for
the SVG, the PDF's page objects), not with what the code reports.
"""

from __future__ import annotations

import base64
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from hvdesign.cli.main import main
from hvdesign.errors import HvdesignError
from hvdesign.report import images
from hvdesign.report.build import (
    ReportWarning,
    network_references,
    report_html,
    write_pdf,
    write_report,
)
from hvdesign.spec import design_from_tier, load_design
from hvdesign.views import image

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DESIGN = ROOT / "data" / "designs" / "default.yaml"
EVIL = "<script>alert(1)</script>"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: The report's sections with a figure, by heading id, and the figure's title as the
#: figure functions write it (a prefix of the plain text).
FIGURE_SECTIONS = {
    "Topology": "",  # the design's own title
    "Failure-coverage": "Failure coverage:",
    "Cost-and-bill-of-materials": "Bill of materials",
    "Trade-off:-cost-against-availability": "Capital cost against downtime",
}

#: Largest static report of the default design [bytes] (issue 14: at most 1.5 MB).
STATIC_MAX_BYTES = 1_500_000

DATA_URI = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')


def fake_svg(fig: dict, width: int, height: int) -> bytes:
    """A stand-in for kaleido's SVG: its size and the figure's title as text."""
    title = images.alt_text(fig)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">'
        f"<text>{title.replace('&', '&amp;').replace('<', '&lt;')}</text></svg>"
    ).encode()


@pytest.fixture
def fake_kaleido(monkeypatch):
    """kaleido replaced: no browser starts, every image is :func:`fake_svg`."""
    monkeypatch.setattr(image, "start_browser", lambda **_: None)
    monkeypatch.setattr(
        image,
        "render_image",
        lambda fig, fmt, width, height, scale=1.0: fake_svg(fig, width, height),
    )


@pytest.fixture
def no_kaleido_browser(monkeypatch):
    """kaleido finds no browser (what :func:`hvdesign.views.image.render_image` raises)."""
    monkeypatch.setattr(image, "start_browser", lambda **_: None)

    def render(*_args, **_kwargs):
        raise image._no_browser()

    monkeypatch.setattr(image, "render_image", render)


def soup_of(text: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(text, "html.parser")


def section_output(soup, heading_id: str):
    """The output cell that follows the markdown cell of heading ``heading_id``."""
    cell = soup.find(id=heading_id).find_parent(class_="jp-Cell")
    return cell.find_next_sibling(class_="jp-Cell")


def decoded(img) -> bytes:
    return base64.b64decode(DATA_URI.search(str(img)).group(1))


# --------------------------------------------------------------- fast: the page


def test_image_html_is_the_svg_as_a_data_uri_with_escaped_alt_text():
    fig = {"layout": {"title": {"text": f"{EVIL}<br><sup>x &amp; y</sup>"}, "height": 300}}
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"/>'
    tag = images.image_html(svg, fig, 800)
    assert decoded(tag) == svg
    assert 'width="800" height="300"' in tag
    assert EVIL not in tag and "&lt;script&gt;" not in tag  # tags dropped from the title
    assert 'alt="alert(1): x &amp; y"' in tag


def test_each_figure_is_its_image_then_the_plotly_figure(fake_kaleido):
    from hvdesign.views.topology import topology_figure

    design = design_from_tier("cluster-redundant-path", nodes=4, name=EVIL)
    soup = soup_of(report_html(design, images=True))
    figures = soup.select("div.hv-figure")
    assert len(figures) == 5
    for fig in figures:
        children = [c for c in fig.children if getattr(c, "name", None)]
        assert children[0].name == "img" and "hv-figure-image" in children[0]["class"]
        assert children[1].get("class") == ["hv-figure-interactive"]
        assert children[1].select("div.plotly-graph-div")
        assert any("hv-drawn" in s.get_text() for s in fig.find_all("script"))
    # Each section shows the image of its own figure (the stand-in names it).
    topology_title = images.alt_text(topology_figure(design, height=560).to_dict())
    for heading, title in FIGURE_SECTIONS.items():
        out = section_output(soup, heading)
        (img,) = out.select("img.hv-figure-image")
        svg = ET.fromstring(decoded(img))
        assert svg.findtext("{http://www.w3.org/2000/svg}text").startswith(title or topology_title)
        assert int(svg.get("width")) == images.SCREEN_WIDTH_PX
    # The page marks itself scripted first: the style hides the plotly divs otherwise.
    head_scripts = [s.get_text() for s in soup.head.find_all("script")]
    assert 'classList.add("hv-js")' in head_scripts[0]
    text = str(soup)
    assert EVIL not in text


def test_static_page_has_no_script_and_no_plotly(fake_kaleido):
    design = design_from_tier("cluster-redundant-path", nodes=4, name=EVIL)
    text = report_html(design, static=True)
    assert "<script" not in text.lower()
    assert "plotly.js" not in text and "Plotly.newPlot" not in text
    assert 'class="plotly-graph-div"' not in text
    assert len(re.findall(r'<img class="hv-figure-image"', text)) == 5
    assert network_references(text) == []
    assert EVIL not in text and "&lt;script&gt;alert(1)" in text


def test_print_images_are_drawn_at_the_print_width(fake_kaleido):
    design = design_from_tier("cluster-minimal", nodes=2)
    soup = soup_of(report_html(design, static=True, for_print=True))
    widths = {int(ET.fromstring(decoded(i)).get("width")) for i in soup.select("img")}
    assert widths == {images.PRINT_WIDTH_PX}


def test_no_browser_keeps_the_interactive_figures_and_says_so(no_kaleido_browser):
    design = design_from_tier("cluster-minimal", nodes=2)
    with pytest.warns(ReportWarning, match="without static images"):
        text = report_html(design)
    assert text.count('class="plotly-graph-div"') == 5 and "<img" not in text
    for kwargs in ({"images": True}, {"static": True}):
        with pytest.raises(HvdesignError, match="Chromium") as err:
            report_html(design, **kwargs)
        assert err.value.field == "kaleido" and "\n" not in str(err.value)


def test_a_browser_that_fails_to_start_keeps_the_report(monkeypatch):
    """Any failure to draw (here: the browser dies at start, as Chromium does when
    TMPDIR is over 62 characters): the default report keeps its interactive figures
    and says why; a static report or a PDF cannot be made and says so in one line."""
    from hvdesign.report.build import ReportError

    monkeypatch.setattr(image, "start_browser", lambda **_: None)

    def render(*_args, **_kwargs):
        raise RuntimeError("The browser seemed to close immediately after starting.", "more")

    monkeypatch.setattr(image, "render_image", render)
    design = design_from_tier("cluster-minimal", nodes=2)
    with pytest.warns(ReportWarning, match="RuntimeError: The browser seemed to close"):
        text = report_html(design)
    assert text.count('class="plotly-graph-div"') == 5 and "<img" not in text
    with pytest.raises(ReportError, match="could not be drawn") as err:
        report_html(design, static=True)
    assert "\n" not in str(err.value) and "more" not in str(err.value)


def test_without_images_the_report_is_as_before(no_kaleido_browser):
    text = report_html(design_from_tier("cluster-minimal", nodes=2), images=False)
    assert '<div class="hv-figure">' not in text and "<img" not in text


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"static": True, "images": False}, "images"),
        ({"kernel": True, "static": True}, "kernel"),
        ({"kernel": True, "images": True}, "kernel"),
    ],
)
def test_contradictory_options_are_refused(kwargs, field):
    with pytest.raises(HvdesignError) as err:
        report_html(design_from_tier("cluster-minimal", nodes=2), **kwargs)
    assert err.value.field == field


def test_print_layout_keeps_the_title_at_the_top():
    fig = images.print_layout({"layout": {"title": {"text": "T"}, "margin": {"t": 90}}})
    assert fig["layout"]["margin"]["t"] == 90 + images.PRINT_LEGEND_ROOM_PX
    assert fig["layout"]["title"]["yanchor"] == "top"
    assert fig["layout"]["legend"]["font"]["size"] == images.PRINT_LEGEND_PX


# --------------------------------------------------------------- fast: the CLI


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize(
    "args",
    [
        ["--pdf", "-o", "{tmp}/r.html"],
        ["-o", "{tmp}/r.pdf"],
        ["--static", "--no-images", "-o", "{tmp}/r.html"],
        ["--pdf", "--no-images", "-o", "{tmp}/r.pdf"],
    ],
)
def test_cli_refuses_contradictory_figure_options(tmp_path, args):
    result = run("report", "cluster-minimal", "-n", "2", *[a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and result.output.startswith("hvdesign: error:")
    assert list(tmp_path.iterdir()) == []


def test_cli_compare_refuses_static(tmp_path):
    a = tmp_path / "a.yaml"
    a.write_text("tier: cluster-minimal\nnodes: 2\n", encoding="utf-8")
    result = run("report", "--compare", str(a), str(a), "--static", "-o", str(tmp_path / "c.html"))
    assert result.exit_code == 2 and "--compare" in result.output
    assert not (tmp_path / "c.html").exists()


def test_cli_pdf_without_chromium_is_one_line_and_exit_2(tmp_path, monkeypatch):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    out = tmp_path / "report.pdf"
    result = run("report", "cluster-minimal", "-n", "2", "--pdf", "-o", str(out))
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("hvdesign: error: --pdf")
    assert "apt-get install chromium" in lines[0]
    assert not out.exists()


def test_bad_browser_path_is_named(tmp_path, monkeypatch):
    from hvdesign.report.pdf import find_chromium

    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chromium"))
    with pytest.raises(HvdesignError) as err:
        find_chromium()
    assert err.value.field == "BROWSER_PATH"


# --------------------------------------------------------------- slow: kaleido, Chromium


def needs_chromium() -> None:
    """Skip (fail in CI) without Debian's Chromium."""
    if not CHROMIUM.exists():
        message = f"needs {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The default design's interactive report (with images) and static report."""
    needs_chromium()
    out = tmp_path_factory.mktemp("static")
    design = load_design(DEFAULT_DESIGN)
    return (
        write_report(design, out / "report.html", images=True),
        write_report(design, out / "static.html", static=True),
    )


@pytest.mark.slow
def test_static_report_of_the_default_design_is_small_and_scriptless(reports):
    _, static = reports
    assert static.stat().st_size <= STATIC_MAX_BYTES
    text = static.read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b.*?</script>", text, flags=re.S | re.I)
    assert not [s for s in scripts if "plotly" in s.lower()]
    assert scripts == []
    assert network_references(text) == []
    svgs = [ET.fromstring(base64.b64decode(m)) for m in DATA_URI.findall(text)]
    assert len(svgs) == 5
    for svg in svgs:
        assert svg.tag == "{http://www.w3.org/2000/svg}svg"
        assert float(svg.get("width")) == images.SCREEN_WIDTH_PX
        assert svg.iter("{http://www.w3.org/2000/svg}text")  # drawn text, not a blank


@pytest.mark.slow
def test_interactive_report_has_each_image_once_before_its_figure(reports):
    report, _ = reports
    text = report.read_text(encoding="utf-8")
    assert len(DATA_URI.findall(text)) == text.count('class="plotly-graph-div"') == 5
    assert len(re.findall(r"\* plotly\.js v\d", text)) == 1
    assert network_references(text) == []


def _page_count(pdf: bytes) -> tuple[int, list[int]]:
    """Page objects (``/Type /Page``) and the page tree's ``/Count`` values of a PDF."""
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    return pages, [int(c) for c in re.findall(rb"/Count\s+(\d+)", pdf)]


@pytest.mark.slow
def test_pdf_of_the_default_design_has_a_page_per_section(tmp_path):
    needs_chromium()
    import nbformat

    from hvdesign.report.build import _template_text

    path = write_pdf(load_design(DEFAULT_DESIGN), tmp_path / "report.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    pages, counts = _page_count(data)
    # The print style breaks the page before every section (## heading of the template)
    # but the first: at least one page per section.
    nb = nbformat.reads(_template_text(), as_version=4)
    sections = sum(c.cell_type == "markdown" and c.source.startswith("## ") for c in nb.cells)
    assert sections == 15
    assert pages >= sections and max(counts) == pages
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]  # no temporary left


@pytest.mark.slow
def test_cli_writes_the_pdf_and_says_so(tmp_path):
    needs_chromium()
    out = tmp_path / "r.pdf"
    result = run("report", "cluster-minimal", "-n", "2", "--pdf", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    assert out.read_bytes().startswith(b"%PDF") and _page_count(out.read_bytes())[0] > 1


# --------------------------------------------------------------- slow: in Chromium

#: For each figure section: its visible images and plotly figures (drawn ones: an
#: <svg class="main-svg">) with their sizes [px].
VISIBLE = """
(id) => {
  const cell = document.getElementById(id).closest('.jp-Cell').nextElementSibling;
  const size = (el) => { const r = el.getBoundingClientRect(); return [r.width, r.height]; };
  const shown = (el) => { const [w, h] = size(el); return w > 0 && h > 0; };
  return {
    figure: size(cell.querySelector('.hv-figure')),
    images: [...cell.querySelectorAll('img.hv-figure-image')].filter(shown)
      .map((el) => [...size(el), el.complete && el.naturalWidth > 0]),
    plots: [...cell.querySelectorAll('.plotly-graph-div')].filter(shown)
      .map((el) => [...size(el), !!el.querySelector('svg.main-svg')]),
  };
}
"""


def _open(path: Path, javascript: bool) -> tuple[dict, list[str], list[str]]:
    """The figures each section shows, in Chromium from file:// (every other request
    aborted and listed), and the page errors."""
    try:
        from playwright import sync_api
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("browser test needs playwright (pip install -e '.[dev]')")
        pytest.skip("browser test needs playwright (pip install -e '.[dev]')")
    blocked: list[str] = []
    errors: list[str] = []

    def route(r):
        if r.request.url.startswith(("file://", "data:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                java_script_enabled=javascript, viewport={"width": 1200, "height": 900}
            )
            context.route("**/*", route)
            page = context.new_page()
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(path.as_uri(), wait_until="load", timeout=60_000)
            if javascript:
                page.wait_for_function(
                    "document.querySelectorAll('.hv-figure.hv-drawn').length"
                    " === document.querySelectorAll('.hv-figure').length",
                    timeout=60_000,
                )
            shown = {h: page.evaluate(VISIBLE, h) for h in FIGURE_SECTIONS}
        finally:
            browser.close()
    return shown, blocked, errors


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("which", ["interactive", "static"])
def test_figures_show_without_javascript(reports, which):
    report, static = reports
    shown, blocked, errors = _open(report if which == "interactive" else static, False)
    assert blocked == [] and errors == []
    for heading, figs in shown.items():
        assert len(figs["images"]) == 1, heading
        width, height, loaded = figs["images"][0]
        assert width > 600 and height > 200 and loaded, heading
        assert figs["plots"] == [], heading
        assert figs["figure"][1] < height + 30, heading  # no empty plotly box either


@pytest.mark.slow
@pytest.mark.browser
def test_with_javascript_the_interactive_figures_replace_the_images(reports):
    report, _ = reports
    shown, blocked, errors = _open(report, True)
    assert blocked == [] and errors == []
    for heading, figs in shown.items():
        assert figs["images"] == [], heading  # no figure shown twice
        assert len(figs["plots"]) == 1, heading
        width, height, drawn = figs["plots"][0]
        assert width > 600 and height > 200 and drawn, heading
