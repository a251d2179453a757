"""Two scenarios side by side (hvdesign.report.compare): each with its own prices,
reliability figures, rules and economics.

A and B are the same design (cluster-minimal, 3 nodes); A has a server at $25,000
(shipped $20,000, so 3 x $5,000 = $15,000 more capital cost, by hand) and a host MTBF
of 20,000 h, B the shipped defaults. Only the figures those change differ.
"""

from __future__ import annotations

import html
import re

from hvdesign.report.compare import compare_paths
from hvdesign.views.html import money


def _differing_rows(text: str) -> list[str]:
    return [html.unescape(r) for r in re.findall(r'<tr class="hv-diff">\s*<td>([^<]*)</td>', text)]


def test_compare_scenario_files_uses_each_scenarios_figures(tmp_path):
    from hvdesign.availability import availability
    from hvdesign.cost import capex
    from hvdesign.scenariofile import load_scenario

    pa, pb = tmp_path / "a.yaml", tmp_path / "b.yaml"
    pa.write_text(
        "tier: cluster-minimal\nnodes: 3\ncatalog: {server: {price_usd: 25000}}\n"
        "reliability: {host: {mtbf_hours: 2e4}}\n",
        encoding="utf-8",
    )
    pb.write_text("tier: cluster-minimal\nnodes: 3\n", encoding="utf-8")
    text = compare_paths(pa, pb, tmp_path / "cmp.html").read_text(encoding="utf-8")
    sa, sb = load_scenario(pa), load_scenario(pb)
    ca, cb = capex(sa.design, sa.catalog), capex(sb.design, sb.catalog)
    assert ca - cb == 3 * 5_000  # by hand
    assert money(ca) in text and money(cb) in text
    ra = availability(sa.design, sa.reliability, sa.rules)
    rb = availability(sb.design, sb.reliability, sb.rules)
    for r in (ra, rb):
        assert f"{r.availability:.6f}" in text and f"{r.vm_availability:.6f}" in text
    rows = _differing_rows(text)
    assert "capital cost [USD]" in rows and "your figures (not shipped defaults)" in rows
    assert "VM downtime: an average VM down [minutes/year]" in rows
    assert "hosts [count]" not in rows and "horizon [years]" not in rows
    assert "host MTBF; price: server" in text
