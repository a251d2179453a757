"""The Voilà app's first render: time from ``page.goto`` to the first figure drawn
(the topology's SVG), in Debian's Chromium driven by Playwright.

Two servers are measured on the same notebook (``notebooks/00_explorer.ipynb``):

- reference: plain ``voila`` (a kernel started, the package imported and every panel
  computed per page load; Voilà's lab template, which links Font Awesome on a CDN);
- app: ``python -m hvdesign.widgets.serve`` (a preheated kernel, the network-free
  ``hvdesign`` template), measured once the pool kernel is ready (a user opening the
  app after ``make app`` started) and again right after taking it (the pool refills).

Printed per load: seconds to the first figure, requests that left 127.0.0.1 (aborted
here, as offline) and console errors; then the ratio reference/app. Target (issue 9):
the app's first render under 8 s with zero outside requests.

Run: ``.venv/bin/python benchmarks/bench_app.py`` (``make bench`` runs it too).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "00_explorer.ipynb"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FIRST_FIGURE = ".hv-fig-topology .main-svg"
#: Wait for the pool kernel to have run the notebook before the warm loads [s].
POOL_WARMUP_S = 25
LOADS = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with status {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def start(kind: str, workdir: Path, port: int) -> subprocess.Popen:
    if kind == "reference":
        cmd = [sys.executable, "-m", "voila", NOTEBOOK.name, "--no-browser", f"--port={port}"]
        cmd += ["--Voila.ip=127.0.0.1", "--Voila.port_retries=0"]
    else:
        cmd = [sys.executable, "-m", "hvdesign.widgets.serve", NOTEBOOK.name, f"--port={port}"]
    log = open(workdir / f"{kind}.log", "w")  # noqa: SIM115 (closed with the process)
    env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=workdir, env=env)


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def load(browser, url: str) -> tuple[float, list[str], list[str]]:
    """One page load: (seconds to the first figure, outside requests, console errors)."""
    context = browser.new_context(viewport={"width": 1200, "height": 1500})
    page = context.new_page()
    outside: list[str] = []
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(r):
        if r.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1")):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    t0 = time.perf_counter()
    page.goto(url, timeout=120_000)
    page.wait_for_selector(FIRST_FIGURE, timeout=120_000)
    elapsed = time.perf_counter() - t0
    page.wait_for_timeout(500)
    context.close()
    return elapsed, outside, errors


def measure(browser, kind: str, workdir: Path) -> list[float]:
    port = free_port()
    proc = start(kind, workdir, port)
    times = []
    try:
        wait_for_port(port, proc)
        if kind == "app":
            time.sleep(POOL_WARMUP_S)  # the pool kernel runs the notebook meanwhile
        for i in range(LOADS):
            elapsed, outside, errors = load(browser, f"http://127.0.0.1:{port}/")
            times.append(elapsed)
            print(
                f"  {kind:9} load {i + 1}: {elapsed:5.1f} s to the first figure, "
                f"{len(outside)} outside requests, {len(errors)} console errors"
            )
            for url in outside:
                print(f"      outside: {url}")
            for text in errors:
                print(f"      error: {text[:160]}")
            if kind == "app" and i + 1 < LOADS:
                time.sleep(POOL_WARMUP_S)  # the pool refills
    finally:
        stop(proc)
    return times


def main() -> None:
    if not Path(CHROMIUM).exists():
        print(f"bench_app: skipped ({CHROMIUM} missing: apt-get install chromium)")
        return
    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="bench-app-"))
    shutil.copy(NOTEBOOK, workdir / NOTEBOOK.name)
    print("Voila app: time from goto to the first figure drawn [s]")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            ref = measure(browser, "reference", workdir)
            app = measure(browser, "app", workdir)
        finally:
            browser.close()
    print(
        f"  best: reference {min(ref):.1f} s, app {min(app):.1f} s "
        f"(ratio {min(ref) / min(app):.1f}x; target under 8 s)"
    )
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
