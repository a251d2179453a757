"""The app's workload, equal-capacity and sensitivity panels in Voilà and Chromium
(the fixtures of tests/widgets/test_browser.py): choosing *Hosts sized from the
workload* and typing 300 VMs sizes the default N+1 cluster of medium servers to 11
hosts (31 VMs a host, memory-bound: the hand case of tests/widgets/test_workload.py),
the equal-capacity trade-off is drawn, and the tornado chart appears when its button
is pressed (the time printed)."""

from __future__ import annotations

import time

from tests.widgets.test_browser import (  # noqa: F401 (fixtures)
    _type,
    app,
    browser,
    pytestmark,
    voila_url,
)


def test_workload_sizes_the_hosts_and_draws_the_new_panels(app, tmp_path):  # noqa: F811
    page = app.page
    page.select_option(".hv-ctl-sizing select", label="Hosts sized from the workload")
    panel = page.locator(".hv-panel-workload")
    panel.get_by_text("4 hosts, sized from the workload").wait_for(timeout=30_000)
    _type(page, "vms", "300")
    panel.get_by_text("11 hosts, sized from the workload").wait_for(timeout=30_000)
    assert "31" in panel.inner_text() and "memory" in panel.inner_text()
    slider = page.locator(".hv-ctl-nodes .widget-readout").first.inner_text()
    assert slider.strip() == "11"
    page.wait_for_selector(".hv-fig-capacity .main-svg", timeout=60_000)
    assert "same VMs" in page.inner_text(".hv-panel-capacity")
    _type(page, "pue", "0.5")  # named beside its field, not clamped
    error = page.locator(".hv-ferr .hv-field-error").first
    error.wait_for(state="visible", timeout=15_000)
    assert error.inner_text().startswith("economics.pue: 0.5 is not valid")
    _type(page, "pue", "1.5")
    page.wait_for_function("() => !document.querySelector('.hv-ferr .hv-field-error')")
    t0 = time.perf_counter()
    page.click(".hv-sensitivity-button")
    page.wait_for_selector(".hv-fig-tornado .main-svg", timeout=60_000)
    print(f"sensitivity in the browser: {(time.perf_counter() - t0) * 1e3:.0f} ms")
    assert "Birnbaum" in page.inner_text(".hv-panel-sensitivity")
    for name in ("workload", "capacity", "sensitivity"):  # to look at
        shot = tmp_path / f"app-{name}.png"
        page.locator(f".hv-panel-{name}").screenshot(path=str(shot))
        print(f"wrote {shot}")
    assert app.errors == [] and app.dialogs == []
