"""Tests of hvdesign.report (build, sections, kernel): the self-contained HTML report of a
design.

Expected numbers, for cluster-redundant-path with 4 nodes (the guide's Fig 2.12):

* host connections: "a minimum of six network connections" per node, so 4 x 6 = 24;
* switch A carries p1, s1 and h1 of every host (heartbeat on A), switch B m1, p2 and s2
  (management on B): 4 hosts x 3 connections + 1 SAN portal + 1 core uplink + 1 ISL
  = 15 ports on each switch, 30 in all, one 48-port unit each;
* IP addresses: production 4 (one per team), management 4 + 1 cluster name = 5,
  heartbeat 4, storage-1 and storage-2 each 4 host connections + 1 portal = 5;
  23 in all.

The report is made in this process (about 1.5 s); the slow tests share ONE report, made
by a module-scoped fixture for a design whose name is an HTML injection attempt: every
assertion on the content also checks the escaping. The notebook way (``kernel=True``:
papermill and nbconvert, about 7 s) is the reference the in-process report is checked
against.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from hvdesign.errors import HvdesignError
from hvdesign.report import build as report
from hvdesign.report import kernel, sections
from hvdesign.report.build import ReportError, network_references, write_report
from hvdesign.spec import design_from_tier
from hvdesign.views.html import percent

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


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """One report of cluster-redundant-path, 4 nodes, named ``EVIL``: (path, text, s)."""
    design = design_from_tier("cluster-redundant-path", nodes=4, name=EVIL)
    path = tmp_path_factory.mktemp("report") / "report.html"
    start = time.perf_counter()
    result = write_report(design, path)
    elapsed = time.perf_counter() - start
    return result, path.read_text(encoding="utf-8"), elapsed


def table_after(text: str, title: str) -> pd.DataFrame:
    """The first HTML table after the heading ``<h3>title</h3>``, as strings."""
    from bs4 import BeautifulSoup

    start = text.index(f"<h3>{title}</h3>")
    end = text.index("</table>", start) + len("</table>")
    table = BeautifulSoup(text[start:end], "html.parser").find("table")
    header = [th.get_text(strip=True) for th in table.find("thead").find_all("th")]
    rows = [
        [td.get_text(strip=True) for td in tr.find_all("td")]
        for tr in table.find("tbody").find_all("tr")
    ]
    return pd.DataFrame(rows, columns=header).set_index(header[0])


# --------------------------------------------------------------- the report (slow)


@pytest.mark.slow
def test_report_is_written(made):
    path, text, elapsed = made
    assert path.is_file() and path.suffix == ".html"
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    assert elapsed < 60, f"a report took {elapsed:.1f} s"
    assert not [p for p in path.parent.iterdir() if p != path], "temporary files left"


@pytest.mark.slow
def test_report_counts_match_the_guide(made):
    _, text, _ = made
    conns = table_after(text, "Connections per host")
    assert conns.loc["total"].tolist() == ["6", "24"]  # guide: 6 per node, 24 for four
    ports = table_after(text, "Switch ports per switch")
    assert ports.loc["switch-a", "total [ports]"] == "15"  # 4 x 3 + 1 SAN + 1 uplink + 1 ISL
    assert ports.loc["switch-b", "total [ports]"] == "15"
    assert ports.loc["total", "total [ports]"] == "30"
    assert ports.loc["switch-a", "units [48-port switches]"] == "1"
    ips = table_after(text, "IP addresses per subnet")
    assert ips["addresses [IPv4]"].to_dict() == {
        "production": "4",
        "management": "5",
        "heartbeat": "4",
        "storage-1": "5",
        "storage-2": "5",
        "total": "23",
    }


@pytest.mark.slow
def test_report_has_every_section_and_plan(made):
    _, text, _ = made
    for heading in (
        "Design",
        "Topology",
        "Counts",
        "IP plan",
        "Cabling plan",
        "Failure coverage",
        "Design file",
    ):
        assert f'<h2 id="{heading.replace(" ", "-")}">{heading}' in text
    # IP plan: the gateway and the first SAN portal; cabling plan: host1-p1 on switch-a 1/1.
    assert "<td>10.10.0.1</td>" in text and "<td>san-port1</td>" in text
    assert re.search(r"<td>host1-p1</td>\s*<td>host1</td>\s*<td>p1</td>", text)


@pytest.mark.slow
def test_report_has_one_figure_and_plotlyjs_once(made):
    _, text, _ = made
    # Five figures: the topology, the failure coverage, the bill of materials, the
    # trade-off and the tornado chart of the sensitivity; each also as a static image
    # before it (hvdesign.report.images).
    assert text.count('class="plotly-graph-div"') == 5
    assert text.count("Plotly.newPlot(") == 5
    assert text.count('<img class="hv-figure-image"') == 5
    # The plotly.js bundle starts with its licence header; one copy only (about 4.8 MB).
    assert len(re.findall(r"\* plotly\.js v\d", text)) == 1
    assert len(text) < 8_000_000


@pytest.mark.slow
def test_report_loads_nothing_from_the_network(made):
    _, text, _ = made
    assert network_references(text) == []
    assert not re.search(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(https?:)?//", text, re.I)
    assert not re.search(r"<link\b[^>]*\bhref\s*=\s*[\"']?(https?:)?//", text, re.I)
    assert "require.min.js" not in text and "mathjax@" not in text.lower()
    assert "cdnjs.cloudflare.com" not in text


@pytest.mark.slow
def test_report_shows_no_code_and_no_prompts(made):
    _, text, _ = made
    assert "_section(scenario)" not in text and "scenario_yaml" not in text
    markup = re.sub(r"<(style|script)\b.*?</\1>", "", text, flags=re.S)
    assert "jp-InputPrompt" not in markup and "jp-OutputPrompt" not in markup
    assert "jp-CodeMirrorEditor" not in markup and "In&nbsp;[" not in markup
    assert '"application/vnd.jupyter.widget-state+json"' not in text


@pytest.mark.slow
def test_report_escapes_the_design_name(made):
    _, text, _ = made
    assert EVIL not in text
    assert "&lt;script&gt;alert(1)" in text
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>" in text
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in text


@pytest.mark.slow
def test_failing_notebook_leaves_no_file_and_says_why(tmp_path, monkeypatch):
    """A section that raises: one line naming the section and the error, no file."""
    nb = nbformat.reads(report._template_text(), as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("hr.broken_section(scenario)"))
    monkeypatch.setattr(report, "_template_text", lambda: nbformat.writes(nb))
    path = tmp_path / "report.html"
    for in_kernel in (False, True):
        with pytest.raises(ReportError) as err:
            write_report(design_from_tier("cluster-minimal", nodes=2), path, kernel=in_kernel)
        message = str(err.value)
        assert "broken_section" in message and "AttributeError" in message
        assert "\n" not in message
        assert isinstance(err.value, HvdesignError)
        assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
@pytest.mark.browser
def test_report_renders_offline_in_chromium(made):
    """Open the report from file:// in headless Chromium, every other request aborted
    and counted: the figure renders and no request was attempted."""
    try:
        from playwright import sync_api
    except ImportError:
        sync_api = None
    missing = [
        *([f"{CHROMIUM} (apt-get install chromium)"] if not CHROMIUM.exists() else []),
        *(["playwright (pip install -e '.[dev]')"] if sync_api is None else []),
    ]
    if missing:
        message = "browser test needs " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must run it
        pytest.skip(message)
    path, _, _ = made
    blocked: list[str] = []

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            context.route("**/*", route)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(path.as_uri(), timeout=60_000)
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
            n_traces = page.evaluate("document.querySelector('.js-plotly-plot').data.length")
            title = page.title()
        finally:
            browser.close()
    assert blocked == []
    assert errors == []
    assert n_traces > 0
    assert title == EVIL  # the text, shown as text


# --------------------------------------------------------------- fast


def test_missing_directory_raises_and_writes_nothing(tmp_path):
    path = tmp_path / "no-such-dir" / "report.html"
    with pytest.raises(HvdesignError, match="output.*existing directory"):
        write_report(design_from_tier("cluster-minimal", nodes=2), path)
    assert not path.parent.exists()
    assert list(tmp_path.iterdir()) == []


def test_bad_design_fails_before_a_kernel_starts(tmp_path, monkeypatch):
    """A design that cannot be planned (a /30 for 5 production addresses) raises its own
    HvdesignError (not a ReportError) and writes nothing; with ``kernel=True`` before a
    kernel is started."""
    monkeypatch.setattr(kernel, "execute", lambda *a: pytest.fail("kernel started"))
    design = design_from_tier("cluster-minimal", nodes=4, subnets={"production": "10.0.0.0/30"})
    for in_kernel in (False, True):
        with pytest.raises(HvdesignError, match="subnets.production") as err:
            write_report(design, tmp_path / "report.html", kernel=in_kernel)
        assert not isinstance(err.value, ReportError)
        assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    """Atomic write: when the final rename fails, the previous report is untouched."""
    monkeypatch.setattr(report, "report_html", lambda *a, **kw: "<!DOCTYPE html><p>new</p>")

    def no_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report.os, "replace", no_replace)
    path = tmp_path / "report.html"
    path.write_text("old report", encoding="utf-8")
    with pytest.raises(HvdesignError, match="No space left"):
        write_report(design_from_tier("cluster-minimal", nodes=2), path)
    assert path.read_text(encoding="utf-8") == "old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_sections_escape_user_text():
    design = design_from_tier("cluster-minimal", nodes=2, name=EVIL)
    for section in (report.title_section, report.design_file_section):
        text = section(design).html()
        assert EVIL not in text and "&lt;script&gt;" in text
    t = report.table_html(pd.DataFrame({EVIL: [EVIL], "ports [ports]": [3]}))
    assert EVIL not in t and t.count("&lt;script&gt;") == 2
    assert '<td class="hv-num">3</td>' in t


def test_template_is_a_thin_parameterised_notebook():
    """Parameters cell first, kernelspec set, no outputs, and every section is a
    markdown heading followed by one call of a ``*_section`` function of this module."""
    nb = nbformat.reads(report._template_text(), as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"] == {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    assert nb.metadata["language_info"] == {"name": "python"}
    assert nb.cells[0].metadata["tags"] == ["parameters"]
    assert 'scenario_yaml = ""' in nb.cells[0].source and "report = True" in nb.cells[0].source
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            assert "def " not in cell.source and "class " not in cell.source
    cells = nb.cells[2:]
    assert len(cells) % 2 == 0
    for md, code in zip(cells[::2], cells[1::2], strict=True):
        assert md.cell_type == "markdown" and md.source.startswith("## ")
        call = re.fullmatch(r"hr\.(\w+_section)\(scenario\)", code.source.strip())
        assert call and callable(getattr(sections, call.group(1)))
        assert getattr(report, call.group(1)) is getattr(sections, call.group(1))  # re-export
    assert json.loads(nbformat.writes(nb))  # plain JSON, loadable


def test_kernel_env_puts_this_hvdesign_first():
    import site

    import hvdesign

    env = kernel.kernel_env()
    root = str(Path(hvdesign.__file__).resolve().parent.parent)  # holds hvdesign/

    if root not in {str(Path(p).resolve()) for p in site.getsitepackages()}:
        assert env["PYTHONPATH"].split(os.pathsep)[0] == root


@pytest.mark.slow
def test_report_failure_coverage_matches_the_analysis(made):
    from hvdesign.failures import analyse

    _, text, _ = made
    spof = table_after(text, "Single points of failure")
    design = design_from_tier("cluster-redundant-path", nodes=4)
    cov = analyse(design, double=True, expand=False)
    assert list(spof.index) == cov.single_points_of_failure == ["san"]
    assert percent(cov.double_failure_coverage) in text
    singles = table_after(
        text, "What each single failure does (every other host behaves like host1)"
    )
    # The guide: "Even an entire switch can fail and keep the cluster active".
    assert singles.loc["switch-a", "outcome"] == "survived"


@pytest.mark.slow
def test_report_shows_the_check_findings(made):
    from hvdesign.checks import check_design

    _, text, _ = made
    design = design_from_tier("cluster-redundant-path", nodes=4)
    for finding in check_design(design):
        assert f"<td>{finding.rule}</td>" in text


@pytest.mark.slow
def test_report_availability_and_cost_match_the_package(made):
    from hvdesign.availability import availability
    from hvdesign.cost import capex

    _, text, _ = made
    design = design_from_tier("cluster-redundant-path", nodes=4)
    assert f"{availability(design).availability:.6f}" in text
    assert f"${capex(design):,.0f}" in text


# --------------------------------------------------------------- made in this process


def _plot_arguments(script: str) -> str:
    """The data, layout and config of a figure's ``Plotly.newPlot("id", data, layout,
    config)`` call, as JSON (the id and the script around the call left out)."""
    decoder = json.JSONDecoder()
    rest = script[script.index("Plotly.newPlot(") :]
    rest = rest[rest.index(",") + 1 :]
    args = []
    for _ in range(3):
        value, end = decoder.raw_decode(rest.lstrip())
        args.append(value)
        rest = rest.lstrip()[end:].lstrip().removeprefix(",")
    return json.dumps(args, sort_keys=True)


def _outputs(text: str) -> list[str]:
    """The text of every markdown cell and section output of a report, in order, each
    followed by the arguments of its figures' ``Plotly.newPlot`` calls (other scripts
    left out; the minute the report was made blanked)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    out = []
    for div in soup.select("div.jp-OutputArea-output, div.jp-MarkdownOutput"):
        figures = [
            _plot_arguments(s.get_text())
            for s in div.find_all("script")
            if "Plotly.newPlot" in s.get_text()
        ]
        for s in div.find_all("script"):
            s.decompose()
        words = " ".join(div.get_text(" ").split())
        if words or figures:
            out.append(re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "DATE", words))
            out.extend(figures)
    return out


@pytest.mark.slow
def test_report_matches_the_notebook_run_in_a_kernel(made, tmp_path):
    """The independent method: the template notebook run by papermill in a kernel and
    converted by nbconvert shows the same headings, tables, notes and figures (the
    figures' data and layout, JSON) as the report made in this process."""
    path, text, _ = made
    design = design_from_tier("cluster-redundant-path", nodes=4, name=EVIL)
    reference = write_report(design, tmp_path / "kernel.html", kernel=True)
    mine, theirs = _outputs(text), _outputs(reference.read_text(encoding="utf-8"))
    assert len(mine) == len(theirs) > 20
    for a, b in zip(mine, theirs, strict=True):
        assert a == b


def test_markdown_is_rendered_as_nbconvert_renders_it():
    """Every markdown cell of the template: :func:`markdown_html` against nbconvert's
    own markdown filter (headings with an id and an anchor link)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    nb = nbformat.reads(report._template_text(), as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert len(cells) >= 12
    for source in [*cells, "## A *b* `c`\n\n**x** & <y>"]:
        assert report.markdown_html(source).strip() == markdown2html_mistune(source).strip()


@pytest.mark.slow
def test_report_has_the_look_of_nbconvert_lab(made):
    """JupyterLab's style as nbconvert inlines it (index.css, theme-light.css and the lab
    template's own style), once, then the report's print style; cells in lab markup."""
    from jupyter_core.paths import jupyter_path

    _, text, _ = made
    static = next(
        Path(d) for d in jupyter_path("nbconvert", "templates", "lab", "static")
        if (Path(d) / "index.css").is_file()
    )  # fmt: skip
    for name in ("index.css", "theme-light.css"):
        css = (static / name).read_text(encoding="utf-8")
        assert text.count(css) == 1
    assert text.count("a.anchor-link {\n  display: none;\n}") == 1
    assert "@media print" in text and "@page { size: A4" in text
    assert '<body class="jp-Notebook" data-jp-theme-light="true"' in text
    assert text.index("theme-light") < text.index("--hv-accent")  # ours overrides lab's
    nb = nbformat.reads(report._template_text(), as_version=4)
    n_markdown = sum(c.cell_type == "markdown" for c in nb.cells)
    assert text.count('class="jp-Cell jp-MarkdownCell jp-Notebook-cell"') == n_markdown == 15


def test_tradeoff_rings_the_design_with_its_own_options():
    """The report's trade-off is the design's own: a cluster-redundant-path of 6 hosts
    with 4 SAN portals on Windows Server 2008 R2 is ringed at its own capital cost (not
    the preset's at 6 hosts), and 2008 R2 (at most 16 nodes a cluster, domain.md) gives
    no point above 16 hosts."""
    from hvdesign.cost import capex

    design = design_from_tier(
        "cluster-redundant-path", nodes=6, san_portals=4, windows_version="2008 R2"
    )
    preset = design_from_tier("cluster-redundant-path", nodes=6)
    section = sections.tradeoff_section(design)
    fig = section.parts[0]
    ringed = next(t for t in fig.data if t.name == "current design")
    assert list(ringed.x) == [capex(design)]
    assert capex(design) != capex(preset)  # the options count
    hosts = [
        int(m)
        for t in fig.data
        for h in t.hovertext or ()
        for m in re.findall(r"(\d+) hosts?<br>", h)
    ]
    assert max(hosts) == 16 and 6 in hosts and 32 not in hosts
    assert f"${capex(design):,.0f} capital cost" in section.html()
