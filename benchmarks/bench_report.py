"""Benchmark: ``hvdesign report`` on the default design (data/designs/default.yaml),
made in this process against the notebook way (the reference, ``kernel=True``: the
template notebook run by papermill in a fresh Jupyter kernel, converted by nbconvert).

Each figure is measured in a fresh Python process, so imports count as they do for a
user: first the phases of each way, then each way end to end (best and median of
``RUNS``), and the ratio. Target of issue 9: ``hvdesign report`` under 5 s.

Phases, in this process: the imports a report needs (pandas, networkx, plotly, the
analyses), the sections without their figures, the figures (topology, bill of
materials, trade-off), the page (markdown, JupyterLab's style, plotly.js, the template)
and the write. Phases, the notebook way: a kernel start alone, papermill (kernel start
and every cell), nbconvert (import and conversion; its import pulls in nbformat's JSON
schema validation).

Run: python benchmarks/bench_report.py
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DESIGN = ROOT / "data" / "designs" / "default.yaml"
RUNS = 3

#: Phases of the in-process report, printed as JSON by a fresh interpreter.
IN_PROCESS = """
import json, sys, time
t = time.perf_counter()
phases = {}
def lap(name):
    global t
    now = time.perf_counter(); phases[name] = now - t; t = now
import pandas, networkx, plotly.graph_objects
from hvdesign.spec import load_design
from hvdesign.report import build, sections
from hvdesign.report.build import run_sections, page_html
from hvdesign.datafiles import write_text_atomic
design = load_design(sys.argv[1])
lap("imports (pandas, networkx, plotly, hvdesign)")
FIGURES = ("topology_section", "cost_section", "tradeoff_section")
spent = {}
def timed(name, fn):
    def run(design):
        start = time.perf_counter()
        try:
            return fn(design)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - start
    return run
for name in [n for n in dir(sections) if n.endswith("_section")]:
    setattr(sections, name, timed(name, getattr(sections, name)))
t = time.perf_counter()
cells = run_sections(design)
figures = sum(v for k, v in spent.items() if k in FIGURES)
phases["sections without figures"] = sum(spent.values()) - figures
phases["sections with figures (topology, cost, trade-off)"] = figures
phases["figures to HTML"] = time.perf_counter() - t - sum(spent.values())
t = time.perf_counter()
text = page_html(cells, design.title)
lap("page (markdown, lab style, plotly.js, template)")
write_text_atomic(sys.argv[2], text)
lap("write")
print(json.dumps(phases))
"""

#: Phases of the notebook way.
KERNEL = """
import json, sys, tempfile, time
from pathlib import Path
t = time.perf_counter()
phases = {}
def lap(name):
    global t
    now = time.perf_counter(); phases[name] = now - t; t = now
from hvdesign.spec import load_design
from hvdesign.report import kernel
design = load_design(sys.argv[1])
import papermill, nbformat
lap("imports (papermill, nbformat)")
from jupyter_client.manager import KernelManager
km = KernelManager(kernel_name="python3")
km.start_kernel(env=kernel.kernel_env())
kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=120)
lap("kernel start alone (not part of the total)")
kc.stop_channels(); km.shutdown_kernel(now=True)
t = time.perf_counter()
with tempfile.TemporaryDirectory() as workdir:
    nb = kernel.execute(design, Path(workdir), 120)
lap("papermill (kernel start and every cell)")
import nbconvert
lap("nbconvert import")
text = kernel.notebook_html(nb, design.title)
lap("nbconvert conversion")
Path(sys.argv[2]).write_text(text, encoding="utf-8")
lap("write")
print(json.dumps(phases))
"""

END_TO_END = {
    "in process (hvdesign report)": [
        str(Path(sys.executable).parent / "hvdesign"),
        "report",
        str(DESIGN),
        "-o",
        "{out}",
    ],
    "notebook way (kernel=True)": [
        sys.executable,
        "-c",
        "import sys; from hvdesign.spec import load_design; "
        "from hvdesign.report.build import write_report; "
        "write_report(load_design(sys.argv[1]), sys.argv[2], kernel=True)",
        str(DESIGN),
        "{out}",
    ],
}


def run(cmd: list[str], out: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of ``cmd`` [s]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([c.replace("{out}", str(out)) for c in cmd], check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def phases(code: str, out: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", code, str(DESIGN), str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.html"
        for title, code in (("in process", IN_PROCESS), ("notebook way", KERNEL)):
            print(f"Phases, {title} [s], default design")
            timed = phases(code, out)
            for name, seconds in timed.items():
                print(f"  {name:52} {seconds:6.2f}")
            total = sum(v for k, v in timed.items() if "not part" not in k)
            print(f"  {'total':52} {total:6.2f}   ({out.stat().st_size / 1e6:.1f} MB)")
        print(f"\nEnd to end, a fresh process each [s], best and median of {RUNS}")
        print(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: wall time")
        print("  grows with the load, CPU time much less)")
        best, best_cpu = {}, {}
        for name, cmd in END_TO_END.items():
            runs = [run(cmd, out) for _ in range(RUNS)]
            walls, cpus = [w for w, _ in runs], [c for _, c in runs]
            best[name], best_cpu[name] = min(walls), min(cpus)
            print(
                f"  {name:30} wall best {min(walls):5.2f} median {statistics.median(walls):5.2f}"
                f"  CPU best {min(cpus):5.2f}   {out.stat().st_size / 1e6:.1f} MB"
            )
        (new, old), (new_cpu, old_cpu) = best.values(), best_cpu.values()
        print(
            f"  ratio notebook way / in process: {old / new:.1f}x wall, "
            f"{old_cpu / new_cpu:.1f}x CPU; target: under 5 s wall"
        )


if __name__ == "__main__":
    main()
