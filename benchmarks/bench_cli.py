"""Start-up and output figures of the ``hvdesign`` command (issue 9), each end to end in
a subprocess (best of 5) against a simple reference:

* ``hvdesign tiers``, ``--help``, ``--version`` (target: under 0.3 s) against
  ``python -c pass`` and against importing every command module eagerly (what the
  group did before the lazy registry);
* ``coverage cluster-redundant-path -n 64 --double --json`` (target: under 1 s and
  5 MB) against the old JSON (a row per scenario, ``Coverage.to_dict()``);
* ``... --double --expand`` (target: 200,000 scenarios/s or more) against the same
  scenarios written with ``json.dumps(scenario.to_dict())`` per line.

Run: ``.venv/bin/python benchmarks/bench_cli.py`` (``make bench`` runs it). Prints
figures; asserts nothing (the machine may be busy).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPEAT = 5
#: Best CPU time [s] of each command run by :func:`best`.
CPU: dict[str, float] = {}
SCRIPT = Path(sys.executable).with_name("hvdesign")
HVDESIGN = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "hvdesign"]
COVERAGE = ["coverage", "cluster-redundant-path", "-n", "64", "--double"]

EAGER = (
    "import hvdesign.cli.main, hvdesign.cli.design, hvdesign.cli.coverage, "
    "hvdesign.cli.availability, hvdesign.cli.cost, hvdesign.cli.multipath, "
    "hvdesign.cli.report, hvdesign.cli.figure, hvdesign.counts, hvdesign.failures"
)
OLD_JSON = (
    "import json, sys\n"
    "from hvdesign.failures import analyse\n"
    "from hvdesign.spec import design_from_tier\n"
    "d = design_from_tier('cluster-redundant-path', nodes=64)\n"
    "sys.stdout.write(json.dumps(analyse(d, double=True, expand=True).to_dict()) + '\\n')\n"
)
SIMPLE_EXPAND = (
    "import json, sys\n"
    "from hvdesign.failures import iter_scenarios\n"
    "from hvdesign.spec import design_from_tier\n"
    "d = design_from_tier('cluster-redundant-path', nodes=64)\n"
    "w = sys.stdout.write\n"
    "for s in iter_scenarios(d, double=True):\n"
    "    w(json.dumps(s.to_dict()) + '\\n')\n"
)


def best(cmd: list[str], *, capture: bool = False) -> tuple[float, bytes]:
    """The best wall time [s] of ``REPEAT`` runs of ``cmd`` and its last stdout; also
    records the best CPU time (user + system) in :data:`CPU` (less sensitive to other
    work on a shared machine)."""
    times, cpus, out = [], [], b""
    for _ in range(REPEAT):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(
            cmd,
            stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        out = proc.stdout or b""
    CPU[" ".join(cmd)] = min(cpus)
    return min(times), out


def cpu(cmd: list[str]) -> str:
    """The best CPU time of ``cmd``'s runs, as text."""
    return f"[cpu {CPU[' '.join(cmd)]:.3f} s]"


def count_lines(cmd: list[str]) -> int:
    """Lines ``cmd`` prints (one run, streamed)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    lines = sum(chunk.count(b"\n") for chunk in iter(lambda: proc.stdout.read(1 << 20), b""))
    proc.wait()
    return lines


def main() -> None:
    """Print every figure and its ratio to its reference."""
    python = sys.executable
    t_pass, _ = best([python, "-c", "pass"])
    t_eager, _ = best([python, "-c", EAGER])
    print(f"reference python -c pass:            {t_pass:6.3f} s {cpu([python, '-c', 'pass'])}")
    print(f"reference eager import of commands:  {t_eager:6.3f} s {cpu([python, '-c', EAGER])}")
    meta = [python, "-c", "import importlib.metadata as m; m.version('hvdesign')"]
    t_meta, _ = best(meta)
    c_meta, c_pass = CPU[" ".join(meta)], CPU[" ".join([python, "-c", "pass"])]
    print(
        f"importlib.metadata version lookup:   {t_meta:6.3f} s {cpu(meta)} "
        f"(+{c_meta - c_pass:.3f} s CPU over pass: why --version uses hvdesign.__version__)"
    )
    for args in (["tiers"], ["--help"], ["--version"]):
        t, _ = best([*HVDESIGN, *args])
        print(
            f"hvdesign {' '.join(args):12} {t:6.3f} s {cpu([*HVDESIGN, *args])} (target 0.3 s; "
            f"{t / t_pass:4.1f}x python -c pass, {t_eager / t:4.1f}x faster than eager)"
        )

    t_json, out = best([*HVDESIGN, *COVERAGE, "--json"], capture=True)
    t_old, old = best([python, "-c", OLD_JSON], capture=True)
    print(
        f"coverage -n 64 --double --json:      {t_json:6.3f} s, {len(out) / 1e6:6.3f} MB "
        f"{cpu([*HVDESIGN, *COVERAGE, '--json'])} (targets 1 s, 5 MB)"
    )
    print(
        f"  old JSON (a row per scenario):     {t_old:6.3f} s, {len(old) / 1e6:6.3f} MB "
        f"({t_old / t_json:4.1f}x the time, {len(old) / max(len(out), 1):5.0f}x the size)"
    )

    n = count_lines([*HVDESIGN, *COVERAGE, "--expand"])
    start = [*HVDESIGN, "coverage", "cluster-redundant-path", "-n", "64", "--json"]
    t_start, _ = best(start)
    t_expand, _ = best([*HVDESIGN, *COVERAGE, "--expand"])
    t_simple, _ = best([python, "-c", SIMPLE_EXPAND])
    c_expand = CPU[" ".join([*HVDESIGN, *COVERAGE, "--expand"])]
    c_net = max(c_expand - CPU[" ".join(start)], 1e-9)
    print(
        f"coverage -n 64 --double --expand:    {t_expand:6.3f} s, {n:,} scenarios: "
        f"{n / t_expand:,.0f} scenarios/s end to end (target 200,000/s); cpu {c_expand:.3f} s: "
        f"{n / c_expand:,.0f} per CPU second, {n / c_net:,.0f} per CPU second after the "
        f"start-up (imports and singles: {t_start:.3f} s {cpu(start)})"
    )
    print(
        f"  json.dumps per scenario:           {t_simple:6.3f} s: {n / t_simple:,.0f} "
        f"scenarios/s ({t_simple / t_expand:4.2f}x the time)"
    )


if __name__ == "__main__":
    main()
