"""Benchmark: all double failures of cluster-redundant-path, fast against brute force.

The fast evaluator counts every class of equivalent scenarios once with its
multiplicity; the brute-force reference searches the graph for every scenario. At 4
nodes brute force runs on every pair; at 16 and 64 nodes it runs on a random sample of
pairs and its time is extrapolated to all pairs (printed as such).

The second table: :func:`hvdesign.failures.iter_scenarios` generating every concrete
scenario lazily at 64 nodes (target: >= 200,000 scenarios/s), against the simple
reference of expanding the whole list with ``analyse(..., expand=True)``, and the
size of the JSON with scenario classes (``Coverage.to_json_dict``) against the JSON with
a row per scenario (``Coverage.to_dict``).

Run: python benchmarks/bench_coverage.py
"""

from __future__ import annotations

import collections
import itertools
import json
import random
import time

from hvdesign.failures import analyse, components, evaluate_bruteforce, iter_scenarios
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
    print()
    lazy()


def lazy() -> None:
    """iter_scenarios throughput and the JSON sizes at 64 nodes."""
    d = design_from_tier("cluster-redundant-path", nodes=64)
    total = 0

    def consume() -> None:
        nonlocal total
        total = sum(1 for _ in iter_scenarios(d, double=True))

    def drain() -> None:  # no counting overhead: a zero-length deque
        collections.deque(iter_scenarios(d, double=True), maxlen=0)

    consume()
    lazy_s = best_of(drain)
    t0 = time.perf_counter()
    first = next(iter_scenarios(d, double=True))
    first_s = time.perf_counter() - t0
    expand_s = best_of(lambda: analyse(d, double=True, expand=True), repeat=1)
    print("iter_scenarios, cluster-redundant-path, 64 nodes, singles and pairs")
    print(f"  scenarios            {total:>12,}")
    print(f"  lazy, all            {lazy_s:>12.3f} s  ({total / lazy_s:,.0f} scenarios/s)")
    print(f"  first scenario       {first_s * 1000:>12.1f} ms ({first.failed[0]})")
    print(
        f"  analyse(expand=True) {expand_s:>12.3f} s  ({total / expand_s:,.0f} scenarios/s; "
        f"lazy / reference = {expand_s / lazy_s:.2f}x)"
    )
    cov = analyse(d, double=True, expand=True)
    rows = len(json.dumps(cov.to_dict()))
    classes = len(json.dumps(cov.to_json_dict()))
    print(
        f"  JSON: a row per scenario {rows / 1e6:,.1f} MB, scenario classes "
        f"{classes / 1e3:,.1f} kB ({rows / classes:,.0f}x smaller)"
    )


if __name__ == "__main__":
    main()
