"""Monte Carlo simulation of a design's failures and repairs (domain.md §4): the
cross-check of the exact availability (:mod:`hvdesign.availability`).

Each component alternates exponential up times (mean MTBF) and down times (mean MTTR),
starting from its stationary state; the time spent in states whose outcome (the failure
rules of :mod:`hvdesign.scenarios`) is ``outage`` estimates the unavailability, with a
Student's t 95% interval over independent replications.

References
----------
[1] ``shared/domain.md`` §4 (availability).
[2] Law & Kelton, *Simulation Modeling and Analysis*, §9.4 (independent replications).
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import numpy as np

from hvdesign.errors import HvdesignError
from hvdesign.reliability import HOURS_PER_YEAR, Reliability, resolve_reliability
from hvdesign.scenarios import (
    FailureRules,
    FastModel,
    Group,
    Result,
    evaluate_groups,
    group_components,
    kind_of,
    local_kind,
    resolve_rules,
)
from hvdesign.spec import Design

__all__ = ["DEFAULT_REPLICATIONS", "DEFAULT_YEARS", "simulate"]

#: Monte Carlo defaults: simulated years in all, independent replications.
DEFAULT_YEARS = 1000.0
DEFAULT_REPLICATIONS = 20

#: State changes generated at once: longer runs are simulated in chunks of about this
#: many events (memory stays bounded whatever the years).
MAX_EVENTS_PER_CHUNK = 2_000_000
#: State changes a whole run may simulate (about half a minute on one core): the years
#: a design may simulate follow from its rate of state changes.
MAX_EVENTS = 100_000_000
#: Simulated years are below this whatever the design.
MAX_YEARS = 1e9

#: Fewer outages than this in the simulated time: the intervals are not meaningful.
MIN_OUTAGE_EVENTS = 30


#: Student's t 97.5% quantiles for 1..30 degrees of freedom.
# fmt: off
_T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201,
         2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074,
         2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042)
# fmt: on


def _t975(df: int) -> float:
    """Student's t 97.5% quantile (table to 30 degrees of freedom, then a series)."""
    if df <= 30:
        return _T975[df - 1]
    z = 1.959964
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: a 64-bit hash of each element (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        x = x + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def _toggles(
    rng: np.random.Generator,
    mtbf: np.ndarray,
    mttr: np.ndarray,
    horizon: float,
    down0: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Alternating up/down renewal processes over [0, horizon) hours.

    Each component starts in its stationary state (down with probability
    MTTR / (MTBF + MTTR)); up and down times are exponential with means MTBF and
    MTTR, so the start is stationary too (memorylessness). ``down0`` continues a run
    from the state where the previous chunk ended: by memorylessness the remaining up
    or down time of each component is again exponential with the same mean, so
    chunks joined this way are one run in distribution. Returns the initial down flags
    and the (time, component) of every state change, in time order.
    """
    c_all = len(mtbf)
    if down0 is None:
        with np.errstate(divide="ignore", over="ignore"):
            unavail = np.where(
                np.isinf(mtbf) | (mttr == 0), 0.0, 1.0 / (1.0 + mtbf / np.where(mttr, mttr, 1))
            )
        down0 = rng.random(c_all) < unavail
    times, comps = [], []
    for m_up, m_down in sorted(set(zip(mtbf.tolist(), mttr.tolist(), strict=True))):
        if math.isinf(m_up) or m_down == 0:
            continue
        idx = np.flatnonzero((mtbf == m_up) & (mttr == m_down))
        cycles = horizon / (m_up + m_down)
        k = int(math.ceil(cycles + 6 * math.sqrt(cycles) + 3))
        while True:
            ups = rng.exponential(m_up, (len(idx), k))
            downs = rng.exponential(m_down, (len(idx), k))
            first_down = down0[idx][:, None]
            durations = np.empty((len(idx), 2 * k))
            durations[:, 0::2] = np.where(first_down, downs, ups)
            durations[:, 1::2] = np.where(first_down, ups, downs)
            at = np.cumsum(durations, axis=1)
            if (at[:, -1] >= horizon).all():
                break
            k *= 2
        mask = at < horizon
        times.append(at[mask])
        comps.append(np.broadcast_to(idx[:, None], at.shape)[mask])
    if not times:
        return down0, np.zeros(0), np.zeros(0, dtype=np.int64)
    t = np.concatenate(times)
    c = np.concatenate(comps)
    order = np.argsort(t, kind="stable")
    return down0, t[order], c[order]


def simulate(
    design: Design,
    reliability: Reliability | None = None,
    rules: FailureRules | None = None,
    *,
    years: float = DEFAULT_YEARS,
    seed: int | None = 0,
    replications: int = DEFAULT_REPLICATIONS,
) -> dict[str, Any]:
    """Monte Carlo simulation of every component's failures and repairs.

    Each component alternates exponential up times (mean MTBF) and down times (mean
    MTTR), starting from its stationary state. ``replications`` independent runs of
    ``years / replications`` years each are generated with numpy; a sweep through the
    merged state changes of a run accumulates the time spent in each state, keyed by a
    64-bit hash of the canonical state (the failed shared components plus the multiset
    of the hosts' failed local parts, updated incrementally), and each distinct state is
    evaluated once by the failure rules (the coverage analysis' class-based evaluator).

    The 95% interval of the availability is Student's t over the replications: they
    are independent and identically distributed (independent random streams, each
    started in the stationary distribution, so each replication's down-time share is an
    unbiased estimate); the t interval relies on the replication means being close to
    normal, which needs several outages per replication.

    The VM availability is estimated the same way from the time-weighted share of VMs
    down (each state's ``vms_down_fraction``). Each replication is generated in
    ``chunks`` of at most about :data:`MAX_EVENTS_PER_CHUNK` state changes, continued
    from the state where the previous chunk ended (memory stays bounded).

    Returns ``unavailability``, ``availability``, ``ci95`` (of the availability),
    ``vm_unavailability``, ``vm_availability``, ``vm_ci95``,
    ``replication_unavailability`` and ``replication_vm_unavailability`` (arrays),
    ``outage_events`` (outages entered), ``warning`` (a sentence when fewer than
    :data:`MIN_OUTAGE_EVENTS` outages make the intervals meaningless, else None),
    ``states`` (distinct canonical states), ``evaluations`` (distinct multisets of host
    states the rules evaluated), ``events`` (state changes simulated),
    ``component_years`` and ``chunks`` (per replication).
    """
    rel = resolve_reliability(reliability)
    rules = resolve_rules(rules)
    rules.check(design)
    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 2:
        raise HvdesignError("replications", replications, "a whole number >= 2")
    if isinstance(years, bool) or not isinstance(years, (int, float)) or not 0 < years < MAX_YEARS:
        raise HvdesignError("years", years, f"a positive number of years below {MAX_YEARS:g}")
    fm = FastModel(design, rules)
    n = design.nodes
    templates = fm.local_templates()
    shared = fm.shared_components()
    kinds = [local_kind(t) for t in templates]
    seg = np.array([h for h in range(n) for _ in templates] + [n] * len(shared))
    bit = np.array(
        [j for _ in range(n) for j in range(len(templates))] + list(range(len(shared))),
        dtype=np.uint64,
    )
    comp_kinds = kinds * n + [kind_of(s) for s in shared]
    mtbf = np.array([rel.mtbf_hours(k) for k in comp_kinds], float)
    mttr = np.array([rel.mttr_hours(k) for k in comp_kinds], float)
    horizon = years / replications * HOURS_PER_YEAR
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise HvdesignError("seed", seed, "a whole number >= 0")
    rng = np.random.default_rng(seed)
    salt = np.array([0] * n + [0x5EED5EED5EED5EED], dtype=np.uint64)
    outcomes: dict[tuple, tuple[bool, float]] = {}
    judge = _Judge(fm, shared, templates)
    down_share = np.zeros(replications)
    vm_share = np.zeros(replications)
    finite = ~np.isinf(mtbf) & (mttr > 0)
    rate = float(np.sum(2.0 / (mtbf[finite] + mttr[finite])))  # state changes per hour
    events = rate * years * HOURS_PER_YEAR
    if events > MAX_EVENTS:
        most = MAX_EVENTS / (rate * HOURS_PER_YEAR)
        raise HvdesignError(
            "years",
            years,
            f"a positive number of years up to {most:,.0f} for this design",
            detail=f"about {events:.2g} state changes; at most {MAX_EVENTS:.0e} are simulated",
        )
    chunks = max(1, math.ceil(rate * horizon / MAX_EVENTS_PER_CHUNK))
    span = horizon / chunks
    run = _Run(n, seg, bit, salt, outcomes, judge)
    for r in range(replications):
        state: np.ndarray | None = None
        for _ in range(chunks):
            state = run.chunk(_toggles(rng, mtbf, mttr, span, state), span)
        down_share[r] = run.take_down() / horizon
        vm_share[r] = run.take_vm() / horizon
    events, entries = run.events, run.entries
    mean, ci = _interval(down_share)
    vm_mean, vm_ci = _interval(vm_share)
    warning = None
    if entries < MIN_OUTAGE_EVENTS:
        warning = (
            f"only {entries} outages in {years:g} simulated years (fewer than "
            f"{MIN_OUTAGE_EVENTS}): the 95% intervals are not meaningful; simulate more "
            f"years or use the exact method"
        )
    return {
        "unavailability": mean,
        "availability": 1.0 - mean,
        "ci95": ci,
        "vm_unavailability": vm_mean,
        "vm_availability": 1.0 - vm_mean,
        "vm_ci95": vm_ci,
        "replication_unavailability": down_share,
        "replication_vm_unavailability": vm_share,
        "outage_events": entries,
        "warning": warning,
        "states": len(outcomes),
        "evaluations": judge.evaluations,
        "events": events,
        "component_years": len(mtbf) * years,
        "chunks": chunks,
    }


class _Run:
    """Accumulates the chunks of the replications: time in outage, VM-time lost [h],
    outages entered and state changes."""

    def __init__(
        self,
        n: int,
        seg: np.ndarray,
        bit: np.ndarray,
        salt: np.ndarray,
        outcomes: dict[tuple, tuple[bool, float]],
        judge: _Judge,
    ) -> None:
        self.n, self.seg, self.bit, self.salt = n, seg, bit, salt
        self.outcomes, self.judge = outcomes, judge
        self.down = self.vm = 0.0
        self.events = self.entries = 0
        self.was_out = False

    def take_down(self) -> float:
        """Hours in outage since the last call."""
        out, self.down = self.down, 0.0
        return out

    def take_vm(self) -> float:
        """VM-weighted hours down since the last call; the next replication starts."""
        out, self.vm = self.vm, 0.0
        self.was_out = False
        return out

    def chunk(self, toggles: tuple[np.ndarray, np.ndarray, np.ndarray], span: float) -> np.ndarray:
        """Sweep one chunk; returns the down flags at its end (the next chunk's start)."""
        down0, t, c = toggles
        n, seg, bit = self.n, self.seg, self.bit
        self.events += len(t)
        init = np.zeros(n + 1, dtype=np.uint64)
        np.bitwise_or.at(init, seg[down0], np.uint64(1) << bit[down0])
        spent, pats, seq = _sweep(init, seg[c], np.uint64(1) << bit[c], t, span, self.salt)
        hosts_sorted = np.sort(pats[:, :n], axis=1)
        out = np.zeros(len(spent), dtype=bool)
        frac = np.zeros(len(spent))
        for u in range(len(spent)):
            key = (int(pats[u, n]), hosts_sorted[u].tobytes())
            res = self.outcomes.get(key)
            if res is None:
                res = self.judge.outcome(key[0], hosts_sorted[u])
                self.outcomes[key] = res
            out[u], frac[u] = res
        self.down += float(spent[out].sum())
        self.vm += float(spent @ frac)
        flags = out[seq]
        self.entries += int(np.count_nonzero(flags[1:] & ~flags[:-1]))
        self.entries += int(flags[0] and not self.was_out)
        self.was_out = bool(flags[-1])
        return down0 ^ (np.bincount(c, minlength=len(down0)) % 2 == 1)


def _interval(shares: np.ndarray) -> tuple[float, tuple[float, float]]:
    """Mean unavailability of the replications and the Student's t 95% interval of the
    availability, inside [0, 1]."""
    mean = float(shares.mean())
    half = _t975(len(shares) - 1) * float(shares.std(ddof=1)) / math.sqrt(len(shares))
    return mean, (max(0.0, 1.0 - mean - half), min(1.0, 1.0 - mean + half))


def _sweep(
    init: np.ndarray,
    s: np.ndarray,
    b: np.ndarray,
    t: np.ndarray,
    horizon: float,
    salt: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Time spent in each distinct canonical state of one run, and the state itself.

    ``init`` holds each segment's initial bit pattern of failed parts (segments: the
    hosts, then the shared components); event i toggles bit ``b[i]`` of segment
    ``s[i]`` at time ``t[i]`` (time order). The key of a state is the wrapping sum of
    a 64-bit hash of every segment's pattern (hosts share one hash, so the key does
    not depend on which host is which), updated by one difference per event.
    Returns (hours spent per distinct key, the segment patterns of each key, the key
    index of every interval in time order).
    """
    m = len(t)
    by_seg = np.lexsort((np.arange(m), s))  # per segment, in time order
    ss = s[by_seg]
    acc = np.bitwise_xor.accumulate(b[by_seg])
    starts = np.flatnonzero(np.r_[True, ss[1:] != ss[:-1]]) if m else np.zeros(0, np.int64)
    before_start = np.r_[np.uint64(0), acc[starts[1:] - 1]].astype(np.uint64)
    prefix = np.repeat(before_start[: len(starts)], np.diff(np.r_[starts, m]))
    after = init[ss] ^ acc ^ prefix
    before = after ^ b[by_seg]
    with np.errstate(over="ignore"):
        delta = np.empty(m, dtype=np.uint64)
        delta[by_seg] = _mix(after ^ salt[ss]) - _mix(before ^ salt[ss])
        k0 = _mix(init ^ salt).sum(dtype=np.uint64)
        keys = np.r_[np.uint64(k0), k0 + np.cumsum(delta, dtype=np.uint64)].astype(np.uint64)
    durations = np.diff(np.r_[0.0, t, horizon])
    uniq, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    spent = np.bincount(inverse.ravel(), weights=durations, minlength=len(uniq))
    # The state at the first interval of each key: interval i > 0 follows event i - 1.
    pats = np.repeat(init[None, :], len(uniq), axis=0)
    bounds = np.r_[starts, m]
    for j, g in enumerate(ss[starts].tolist()):
        lo, hi = bounds[j], bounds[j + 1]
        idx = np.searchsorted(by_seg[lo:hi], first - 1, side="right") - 1
        has = idx >= 0
        pats[has, g] = after[lo:hi][idx[has]]
    return spent, pats, inverse.ravel()


class _Judge:
    """Outcomes of canonical states, evaluated once per multiset of host types.

    A state (failed shared components, failed local parts of each host) gives every
    host a :class:`~hvdesign.scenarios.HostState`; the outcome only depends on the
    multiset of their types (up, production path, storage path, attachments; see
    :func:`~hvdesign.scenarios.evaluate_groups`), so states that differ only in which
    redundant part failed share one evaluation.
    """

    def __init__(self, fm: FastModel, shared: list[str], templates: list[str]):
        self.fm, self.shared, self.templates = fm, shared, templates
        self.by_types: dict[tuple, tuple[bool, float]] = {}
        self.failed: dict[int, frozenset] = {}
        self.local: dict[int, frozenset] = {}
        self.types: dict[tuple, tuple] = {}
        self.evaluations = 0

    def _type(self, failed: frozenset, local: frozenset) -> tuple:
        key = (failed, local)
        t = self.types.get(key)
        if t is None:
            st = self.fm.host_state(failed, local)
            t = (st.up, bool(st.production), bool(st.storage), st.attachments)
            self.types[key] = t
        return t

    def outcome(self, shared_pat: int, host_pats: Any) -> tuple[bool, float]:
        """(is it an outage, the share of VMs down) of a canonical state."""
        failed = self.failed.get(shared_pat)
        if failed is None:
            failed = frozenset(s for j, s in enumerate(self.shared) if shared_pat >> j & 1)
            self.failed[shared_pat] = failed
        locals_ = []
        for p in host_pats.tolist():
            if p:
                loc = self.local.get(p)
                if loc is None:
                    loc = frozenset(t for j, t in enumerate(self.templates) if p >> j & 1)
                    self.local[p] = loc
                locals_.append(loc)
        counts = Counter(self._type(failed, loc) for loc in locals_)
        key = (self._type(failed, frozenset()), frozenset(counts.items()))
        out = self.by_types.get(key)
        if out is None:
            res = self._evaluate(failed, locals_)
            out = (res.outcome == "outage", res.vms_down_fraction)
            self.by_types[key] = out
            self.evaluations += 1
        return out

    def _evaluate(self, failed: frozenset, locals_: list[frozenset]) -> Result:
        """The outcome by :func:`evaluate_groups`, hosts in one state forming one group,
        components by :func:`group_components` (as the fast coverage builds them)."""
        fm = self.fm
        states = Counter(fm.host_state(failed, loc) for loc in locals_)
        rest = fm.design.nodes - len(locals_)
        if rest:
            states[fm.host_state(failed, frozenset())] += rest
        groups = [Group(st, c, f"host{i + 1}") for i, (st, c) in enumerate(states.items())]
        comps = group_components(groups)
        normal = fm.host_state(frozenset(), frozenset())
        return evaluate_groups(fm.design, fm.rules, groups, comps, normal, reasons=False)
