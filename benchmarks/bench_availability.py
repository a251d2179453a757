"""Benchmark: exact availability, brute force and Monte Carlo, each beside its baseline.

1. Exact availability of one 64-node design: cold (the design shape is built: shared
   states, host types, closed-form terms) and warm (cached), beside the 50 ms target;
   brute force over its 2^C component states is extrapolated from its time per state.
2. The sweep of the 5 tiers at 1..64 nodes (318 designs), cold, beside the 1 s target.
3. Brute force against exact on small designs (every component state enumerated).
4. Monte Carlo: component-years simulated per second (components x years / seconds),
   beside the 1,000,000 target, with the default figures.
5. Precision per second: Monte Carlo's 95% half-width after its run, and the time
   Monte Carlo would need to bring its half-width down to 1% of the unavailability
   (half-width scales as 1/sqrt(time)), beside the exact method's time.

Run: python benchmarks/bench_availability.py
"""

from __future__ import annotations

import math
import time

from hvdesign import availability as av
from hvdesign.failures import components
from hvdesign.reliability import KINDS, load_reliability
from hvdesign.scenarios import FailureRules, kind_of
from hvdesign.simulation import simulate
from hvdesign.spec import TIERS, design_from_tier


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def best_of(fn, repeat: int = 5) -> float:
    return min(timed(fn)[1] for _ in range(repeat))


def main() -> None:
    rel = load_reliability()
    rules = FailureRules()
    print("1. Exact availability, one 64-node cluster-redundant-path design")
    d64 = design_from_tier("cluster-redundant-path", nodes=64)
    av._SHAPES.clear()
    r, cold = timed(lambda: av.availability(d64, rel, rules))
    warm = best_of(lambda: av.availability(d64, rel, rules))
    target = 0.050
    print(
        f"   availability {r.availability:.9f}, vm_availability {r.vm_availability:.9f}: "
        f"cold {cold * 1e3:.1f} ms, warm {warm * 1e3:.3f} ms; target {target * 1e3:.0f} ms: "
        f"cold is {target / cold:.1f}x faster than the target"
    )
    shape = av._shape(d64, rules, rel)

    def new_count() -> object:
        shape.results.clear()  # the shape is kept: what each node count of a sweep costs
        return av.availability(d64, rel, rules)

    print(f"   a new node count on a built shape: {best_of(new_count) * 1e3:.1f} ms")
    print(
        f"   downtime {r.downtime_minutes_per_year:.2f} min/year (all VMs run), VM downtime "
        f"{r.vm_downtime_minutes_per_year:.2f} min/year (an average VM)"
    )
    small = design_from_tier("cluster-redundant-path", nodes=2, nic_ports_per_card=6, san_portals=1)
    fixed = rel.replace({k: {"mttr_hours": 0} for k in ("nic_card", "san", "uplink", "host")})
    _, t_bf = timed(lambda: av.availability_bruteforce(small, fixed, rules, evaluator="fast"))
    per_state = t_bf / 2 ** sum(
        1 for c in components(small) if fixed.unavailability(kind_of(c)) > 0
    )
    c64 = len(components(d64))
    log10_years = math.log10(per_state) + c64 * math.log10(2) - math.log10(3.15e7)
    print(
        f"   brute force: 2^{c64} states at {per_state * 1e6:.0f} us each = 10^"
        f"{log10_years:.0f} years (cannot run)"
    )

    print("2. Sweep: 5 tiers x 1..64 nodes")
    designs = [
        design_from_tier(t, nodes=n)
        for t, info in TIERS.items()
        for n in range(2 if info.preset["cluster"] else 1, 65)
    ]
    av._SHAPES.clear()
    _, sweep = timed(lambda: [av.availability(d, rel, rules) for d in designs])
    sweep_warm = best_of(lambda: [av.availability(d, rel, rules) for d in designs])
    print(
        f"   {len(designs)} designs: cold {sweep * 1e3:.0f} ms, warm {sweep_warm * 1e3:.1f} "
        f"ms; target 1000 ms: {1.0 / sweep:.0f}x faster than the target"
    )

    print("3. Brute force (every component state) against exact, small designs")
    cases = [
        ("single-redundant-connections", {}, (), "graph"),
        (
            "cluster-minimal",
            {"nodes": 2, "nic_ports_per_card": 3, "san_portals": 1},
            ("switch", "uplink"),
            "graph",
        ),
        (
            "cluster-redundant-path",
            {"nodes": 2, "nic_ports_per_card": 6, "san_portals": 1},
            ("nic_card", "san", "uplink", "host"),
            "fast",
        ),
    ]
    for tier, options, perfect, evaluator in cases:
        d = design_from_tier(tier, **options)
        rr = rel.replace({k: {"mttr_hours": 0} for k in perfect})
        states = 2 ** sum(1 for c in components(d) if rr.unavailability(kind_of(c)) > 0)
        bf, t_bf = timed(
            lambda d=d, rr=rr, ev=evaluator: av.availability_bruteforce(d, rr, rules, evaluator=ev)
        )
        av._SHAPES.clear()
        ex, t_ex = timed(lambda d=d, rr=rr: av.availability(d, rr, rules))
        print(
            f"   {tier} {options}: {states} states ({evaluator}) {t_bf:.2f} s, exact "
            f"{t_ex * 1e3:.1f} ms cold: {t_bf / t_ex:.0f}x; |difference| "
            f"{abs(bf - ex.availability):.1e}"
        )

    print("4. Monte Carlo speed, default figures")
    for tier, n, years in (
        ("cluster-redundant-path", 64, 10_000),
        ("cluster-redundant-path", 4, 100_000),
    ):
        d = design_from_tier(tier, nodes=n)
        sim, t_mc = timed(lambda d=d, y=years: simulate(d, rel, rules, years=y, seed=1))
        rate = sim["component_years"] / t_mc
        print(
            f"   {tier} {n} nodes, {years} years: {sim['component_years']:.3g} "
            f"component-years in {t_mc:.2f} s = {rate:.3g}/s; target 1e6/s: "
            f"{rate / 1e6:.1f}x ({sim['events']} state changes, {sim['states']} "
            f"distinct states, {sim['evaluations']} evaluations by the rules)"
        )

    # With failure rates 10-100x the defaults (component unavailability 0.5-3%) many
    # more distinct states occur; each new one costs a Python evaluation by the rules.
    fast = rel.replace({k: {"mtbf_hours": rel.mtbf_hours(k) / 50, "mttr_hours": 40} for k in KINDS})
    for n in (4, 16):
        d = design_from_tier("cluster-redundant-path", nodes=n)
        sim, t_mc = timed(lambda d=d: simulate(d, fast, rules, years=200, seed=1))
        rate = sim["component_years"] / t_mc
        print(
            f"   inflated rates, {n} nodes, 200 years: {rate:.3g} component-years/s; target "
            f"1e6/s: {rate / 1e6:.2f}x ({sim['states']} distinct states, "
            f"{sim['evaluations']} evaluations by the rules)"
        )

    print("5. Precision: Monte Carlo against exact, cluster-redundant-path 4 nodes")
    d = design_from_tier("cluster-redundant-path", nodes=4)
    av._SHAPES.clear()
    ex, t_ex = timed(lambda: av.availability(d, rel, rules))
    sim, t_mc = timed(lambda: simulate(d, rel, rules, years=100_000, seed=2))
    lo, hi = sim["ci95"]
    half = (hi - lo) / 2
    need = t_mc * (half / (0.01 * ex.unavailability)) ** 2
    print(
        f"   exact: unavailability {ex.unavailability:.4e} in {t_ex * 1e3:.1f} ms "
        "(floating-point precision)"
    )
    print(
        f"   Monte Carlo: {sim['unavailability']:.4e} +- {half:.1e} (95%) after "
        f"{t_mc:.2f} s; to +-1% of the unavailability it needs about {need:.0f} s = "
        f"{need / t_ex:.0f}x the exact method's time"
    )


if __name__ == "__main__":
    main()
