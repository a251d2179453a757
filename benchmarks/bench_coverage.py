"""Benchmark: all double failures of cluster-redundant-path, fast against brute force.

The fast evaluator counts every class of equivalent scenarios once with its
multiplicity; the brute-force reference searches the graph for every scenario. At 4
nodes brute force runs on every pair; at 16 and 64 nodes it runs on a random sample of
pairs and its time is extrapolated to all pairs (printed as such).

Run: python benchmarks/bench_coverage.py
"""

from __future__ import annotations

import itertools
import random
import time

from hvdesign.failures import analyse, components, evaluate_bruteforce
from hvdesign.scenarios import FailureRules, GraphModel
from hvdesign.spec import design_from_tier

SAMPLE = 2000


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    print("All double failures, cluster-redundant-path (seconds)")
    header = (
        f"{'nodes':>5} {'pairs':>8} {'fast count':>11} {'fast + list':>12} "
        f"{'brute force':>12} {'ratio':>8}"
    )
    print(header)
    for nodes in (4, 16, 64):
        d = design_from_tier("cluster-redundant-path", nodes=nodes)
        names = components(d)
        pairs = list(itertools.combinations(names, 2))
        count_s = best_of(lambda d=d: analyse(d, double=True, expand=False))
        list_s = best_of(lambda d=d: analyse(d, double=True), repeat=1)
        rules = FailureRules()
        model = GraphModel(d, rules)
        sample = pairs if len(pairs) <= SAMPLE else random.Random(1).sample(pairs, SAMPLE)
        t0 = time.perf_counter()
        for pair in sample:
            evaluate_bruteforce(d, pair, rules, model)
        brute_s = (time.perf_counter() - t0) * len(pairs) / len(sample)
        note = "" if len(sample) == len(pairs) else f" (extrapolated from {len(sample)})"
        print(
            f"{nodes:>5} {len(pairs):>8} {count_s:>11.4f} {list_s:>12.3f} {brute_s:>12.1f} "
            f"{brute_s / count_s:>7.0f}x{note}"
        )
    print("fast count: coverage, single points of failure and counts by kind and outcome;")
    print("fast + list: the same plus every scenario with its reason (what --json prints).")
    print("ratio: brute force / fast count.")


if __name__ == "__main__":
    main()
