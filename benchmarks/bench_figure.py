"""Benchmark: ``hvdesign figure`` end to end, and where its time goes.

Target (issue 9): ``hvdesign figure`` under 2 s end to end. An SVG is drawn in Python
by :func:`hvdesign.views.svg.figure_svg` (no browser); a PNG still goes through
kaleido's browser.

Table 1, in one process: Python start, the CLI's imports, resolving the design and
building each figure, drawing it as SVG in Python (figure_svg), then kaleido's
browser: start (Chromium plus loading plotly.js, 4.8 MB of JavaScript, into its
page), drawing each figure, closing it.

Table 2, end to end (a fresh process per run, as a user runs it, median of
``REPEAT``), wall and CPU time (CPU with every child process, the browser's too):
``hvdesign figure ... -o X.svg`` as it is (figure_svg, no browser) against the old
way, the reference: the same command drawing the SVG with kaleido (the browser
started in the background as soon as ``-o`` is valid, as the command did before),
and ``-o X.png`` (kaleido, as it is).

The figures depend heavily on what else the machine is doing (2 shared cores): the
load average is printed with them.

Run: python benchmarks/bench_figure.py
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPEAT = 3

#: The three figures: arguments of ``hvdesign figure`` (without -o).
CASES: dict[str, list[str]] = {
    "topology": ["topology", "cluster-redundant-path", "--nodes", "8"],
    "coverage": ["coverage", "--nodes", "4"],
    "tradeoff": ["tradeoff", "cluster-minimal", "-n", "6", "--sweep", "2-8"],
}

#: The reference: the same command's work one step after the other, with plotly's
#: one-shot export (a browser started per image, after the figure is built).
REFERENCE = """
import sys
from click.testing import CliRunner
import hvdesign.cli.figure as f
import hvdesign.views.image as image

real = image.image_format
image_format = lambda path: "png" if path.endswith(".svg") else real(path)
f.image_format = image_format  # the command takes its kaleido branch for the .svg

def kaleido_svg(fig, fmt, width, height=None, scale=1.0):
    return image.render_image(fig, "svg", width, height, scale)

f.render_image = kaleido_svg
result = CliRunner().invoke(f.figure, sys.argv[1:], catch_exceptions=False)
sys.exit(result.exit_code)
"""

PHASES = """
import sys, time
t0 = time.perf_counter()
import hvdesign.cli.main
from hvdesign.cli.common import resolve_design, target_scenario
import hvdesign.cli.figure as f
t1 = time.perf_counter()
from hvdesign.views import image
image.start_browser()
t_start = time.perf_counter()
image._BROWSER.opened.result()
t_open = time.perf_counter() - t_start
build, draw, py_svg = {}, {}, {}
from hvdesign.views.svg import figure_svg
for kind in ("topology", "coverage", "tradeoff"):
    t = time.perf_counter()
    if kind == "topology":
        fig = f.topology(resolve_design("cluster-redundant-path", "8", ()))
    elif kind == "coverage":
        fig = f.coverage(resolve_design("cluster-redundant-path", "4", ()), False)
    else:
        fig = f.tradeoff(target_scenario("cluster-minimal", "6", ()), list(range(2, 9)))
    build[kind] = time.perf_counter() - t
    t = time.perf_counter()
    figure_svg(fig, 1200)
    py_svg[kind] = time.perf_counter() - t
    t = time.perf_counter()
    image.render_image(fig, "svg", 1200)
    draw[kind] = time.perf_counter() - t
t = time.perf_counter()
image.stop_browser()
t_close = time.perf_counter() - t
print(t1 - t0, t_open, t_close, *(build[k] for k in build), *(draw[k] for k in draw),
      *(py_svg[k] for k in py_svg))
"""


def _run(args: list[str]) -> tuple[float, float]:
    """Wall time [s] and CPU time [s] (user + system, with the browser's processes)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(args, check=False, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[1:])} failed ({done.returncode}):\n{done.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _median(args: list[str]) -> tuple[float, float]:
    runs = [_run(args) for _ in range(REPEAT)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main() -> None:
    py = sys.executable
    hvdesign = [py, "-m", "hvdesign"]
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores shared)")
    start_s = _median([py, "-c", "pass"])[0]
    out = subprocess.run([py, "-c", PHASES], check=True, capture_output=True, text=True)
    imports, opened, closed, *rest = (float(x) for x in out.stdout.split())
    build, draw, py_svg = rest[:3], rest[3:6], rest[6:]
    print("\nWhere the time goes, in one process [s]")
    print(f"  Python start                        {start_s:6.2f}")
    print(f"  imports (hvdesign.cli.main, figure) {imports:6.2f}")
    print(f"  browser start + plotly.js load      {opened:6.2f}")
    for kind, b, d, p in zip(CASES, build, draw, py_svg, strict=True):
        print(f"  {kind:<9} build {b:5.2f}   SVG in Python {p:5.3f}   SVG by kaleido {d:6.2f}")
    print(f"  browser close                       {closed:6.2f}")

    print(f"\nEnd to end, fresh process, median of {REPEAT} [s] (target < 2 s wall)")
    print(
        f"  {'figure':<9} {'SVG now':>8} {'CPU':>6} {'kaleido SVG':>12} {'CPU':>6}"
        f" {'ratio':>6} {'PNG (kaleido)':>14} {'CPU':>6}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for kind, args in CASES.items():
            out_svg = str(Path(tmp) / f"{kind}.svg")
            now = [*hvdesign, "figure", *args, "-o", out_svg]
            ref = [py, "-c", REFERENCE, *args, "-o", out_svg]
            png = [*hvdesign, "figure", *args, "-o", str(Path(tmp) / f"{kind}.png")]
            t_now, cpu_now = _median(now)
            t_ref, cpu_ref = _median(ref)
            t_png, cpu_png = _median(png)
            print(
                f"  {kind:<9} {t_now:8.2f} {cpu_now:6.2f} {t_ref:12.2f} {cpu_ref:6.2f}"
                f" {t_ref / t_now:5.1f}x {t_png:14.2f} {cpu_png:6.2f}"
            )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
