"""The app's and explorers' polish (issue 14 item 6), without a browser: the bill of
materials names its items as the catalog describes them, the multipath explorer
starts at round times, and slider readouts carry thousands separators. (The layout
at 1366x768 is checked in Chromium: tests/widgets/test_browser.py.)"""

from __future__ import annotations

import pytest

from hvdesign.cost import bill_of_materials, load_catalog
from hvdesign.widgets.app import explorer_app
from hvdesign.widgets.cost import cost_explorer
from hvdesign.widgets.multipath import EXPLORER_IOS, multipath_explorer, nice_step, round_time

#: Catalog keys a user must never see (issue 14 item 6).
KEYS = ("nic_card_", "switch_48port", "switch_24port", "san_base", "san_portal")


def test_app_bill_of_materials_shows_descriptions_not_keys(tmp_path):
    app = explorer_app(export_dir=tmp_path)
    html = app.panels["cost"].table.value
    for key in KEYS:
        assert key not in html
    bom = bill_of_materials(app.design, app.inputs.catalog)
    for description in bom["description"]:
        assert description in html  # escaped text equal to the plain catalog text here
    assert "$195,690" in html  # the guide's Fig 2.12 at 4 nodes, cost.capex's doctest
    fig = app.panels["cost"].slot.figure
    assert not any(k in t for tr in fig.data for t in tr.text for k in KEYS)


def test_multipath_explorer_starts_at_round_times():
    c = multipath_explorer().controls
    duration = EXPLORER_IOS / c["rate_iops"].value  # 30,000 I/Os at 1,500 IO/s: 20 s
    assert duration == 20
    # a third and two thirds of 20 s, rounded to 2 s (a tenth of 20 s, a round step)
    assert (c["fail_s"].value, c["restore_s"].value) == (6.0, 14.0)
    assert c["fail_s"].step == 0.2 and c["fail_s"].readout_format == ",.1f"
    # 1,200 IO/s: 25 s; the times keep their share (7.5 s, 17.5 s), rounded to 2 s
    c["rate_iops"].value = 1200
    assert (c["fail_s"].value, c["restore_s"].value) == (8.0, 18.0)


@pytest.mark.parametrize(
    ("x", "step"), [(0.2, 0.2), (0.33, 0.2), (1.0, 1.0), (4.99, 2.0), (7, 5.0), (30, 20.0)]
)
def test_nice_step_is_one_two_or_five_times_a_power_of_ten(x, step):
    assert nice_step(x) == step


def test_round_time_stays_within_the_duration():
    assert round_time(19.9, 20) == 20.0 and round_time(0.04, 20) == 0.0


def test_cost_explorer_readouts_have_thousands_separators():
    c = cost_explorer().controls
    assert c["server"].readout_format == ",d"
    assert c["server"].value == round(load_catalog().server.price_usd)


def test_sidebar_number_fields_are_repeated_with_separators_and_units(tmp_path):
    app = explorer_app(export_dir=tmp_path)
    r, c = app.readouts, app.controls
    # the shipped figures (data/catalog.yaml: server 20000 USD; data/reliability.yaml)
    assert r["server"].value == f"${load_catalog().server.price_usd:,.0f}" == "$20,000"
    c["switch.mtbf_hours"].value = 175_320
    assert r["switch.mtbf_hours"].value == "175,320 hours"
    c["host.mttr_hours"].value = 0.5
    assert r["host.mttr_hours"].value == "0.5 hours"
    c["downtime_cost_per_hour"].value = 125_000
    assert r["downtime_cost_per_hour"].value == "$125,000/hour"
