"""Speed of the multipath simulator: one million I/Os over four paths, per policy.

Run: ``python benchmarks/bench_multipath.py [--n-ios 1000000] [--paths 4]``.

For each policy it prints the engine used, the wall time of :func:`simulate` (workload
generation and summary included, best of ``--repeat``), I/Os per second, and the
time of a plain event-driven reference (one heapq of events, one queue per path: the
``reference_simulate`` of ``tests/test_multipath.py``) run on ``--ref-ios`` I/Os and
scaled linearly to ``--n-ios``, with the ratio. The target of the brief: under 2 s for
one million I/Os over four paths on a 2-core machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import time
from pathlib import Path

from hvdesign.multipath import (
    POLICIES,
    PathInputs,
    SimulationSetup,
    WorkloadInputs,
    make_workload,
    simulate,
)

ROOT = Path(__file__).resolve().parents[1]


def load_reference():
    """``reference_simulate`` from the tests (the one independent implementation)."""
    spec = importlib.util.spec_from_file_location(
        "_multipath_reference", ROOT / "tests" / "test_multipath.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.reference_simulate


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-ios", type=int, default=1_000_000)
    ap.add_argument("--paths", type=int, default=4)
    ap.add_argument(
        "--rate", type=float, default=1000.0, help="arrival rate [IO/s]; 1000 keeps all stable"
    )
    ap.add_argument("--ref-ios", type=int, default=50_000, help="I/Os for the reference run")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    reference = load_reference()

    cases = [(p, "msdsm", {}) for p in POLICIES]
    cases.append(("weighted-paths", "guide", {"weights": list(range(1, args.paths + 1))}))
    events = {"fail": [(1, 100.0)], "restore": [(1, 300.0)]}
    cases.append(("round-robin", "msdsm", events))
    cases.append(("least-queue-depth", "msdsm", events))

    print(f"python {platform.python_version()} on {platform.machine()}")
    print(f"{args.n_ios:,} I/Os over {args.paths} paths at {args.rate:,.0f} IO/s")
    print(f"reference: {args.ref_ios:,} I/Os, scaled x{args.n_ios / args.ref_ios:g}")
    head = (
        f"{'policy':24} {'semantics':9} {'events':6} {'engine':10} {'seconds':>8} "
        f"{'IO/s':>11} {'ref s':>8} {'ratio':>6}"
    )
    print(head)
    print("-" * len(head))
    ref_wl = make_workload(args.ref_ios, args.rate, seed=1)
    rr_seconds = None
    for policy, semantics, extra in cases:
        kw = {"semantics": semantics, **extra}
        r = simulate(policy, args.paths, n_ios=1000, arrival_rate_iops=args.rate, **kw)
        seconds = best_of(
            args.repeat,
            lambda policy=policy, kw=kw: simulate(
                policy, args.paths, n_ios=args.n_ios, arrival_rate_iops=args.rate, **kw
            ),
        )
        if policy == "round-robin" and not extra:
            rr_seconds = seconds
        ref_s = best_of(1, lambda policy=policy, kw=kw: reference(ref_wl, policy, args.paths, **kw))
        ref_scaled = ref_s * args.n_ios / args.ref_ios
        print(
            f"{policy:24} {semantics:9} {'yes' if extra.get('fail') else 'no':6} "
            f"{r.engine:10} {seconds:8.3f} {args.n_ios / seconds:11,.0f} "
            f"{ref_scaled:8.2f} {ref_scaled / seconds:5.1f}x"
        )
    fixed_costs(args.paths, rr_seconds or 1.0)


def fixed_costs(n_paths: int, rr_seconds: float, calls: int = 300) -> None:
    """The cost of one call's input validation (the three pydantic models) and of a
    whole call on 10 I/Os, against the round-robin run of the table above."""
    workload = {
        "n_ios": 10_000,
        "arrival_rate_iops": 800.0,
        "n_luns": 1,
        "read_fraction": 0.7,
        "sizes_bytes": [4096, 65536, 262144],
        "size_probabilities": None,
        "seed": 0,
    }
    setup = {"n_paths": n_paths, "semantics": "msdsm", "mode": "mpio", "engine": "auto"}
    paths = {
        "bandwidth_gbps": 1.0,
        "latency_ms": 0.5,
        "weights": None,
        "active": None,
        "fail": [(1, 1.0)],
        "restore": [(1, 2.0)],
        "bin_s": None,
    }
    context = {"n_paths": n_paths}

    def validate() -> None:
        WorkloadInputs.model_validate(workload)
        SimulationSetup.model_validate(setup)
        PathInputs.model_validate(paths, context=context)

    v_s = best_of(3, lambda: [validate() for _ in range(calls)]) / calls
    small_s = best_of(3, lambda: [simulate("round-robin", n_paths, n_ios=10) for _ in range(calls)])
    small_s /= calls
    print()
    print(f"input validation per call: {v_s * 1e6:8.1f} us (pydantic models)")
    print(f"simulate on 10 I/Os:       {small_s * 1e6:8.1f} us (validation {v_s / small_s:.0%})")
    print(f"validation / the round-robin run above: {v_s / rr_seconds:.2e}")


if __name__ == "__main__":
    main()
