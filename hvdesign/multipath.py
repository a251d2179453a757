"""Multipath path selection: a discrete-event simulator of the six load-balance
policies of MCS and MPIO, over two to eight storage paths.

A stream of I/O requests (Poisson arrivals, a mix of sizes, reads and writes, spread
uniformly over LUNs) is sent down ``n_paths`` paths, each with its own bandwidth
[Gbit/s] and latency [ms]. A policy picks the path of every request; paths can fail
and return at chosen times. The simulator reports each path's share of requests and
bytes, its utilisation, latency percentiles, throughput over time, and the requests
retried because their path failed under them.

Model and assumptions (each is a parameter or stated here):

- **One FIFO server per path.** A path serves its requests one at a time, first in
  first out (a single-server queue). The service time of a request on path ``j`` is
  ``latency_ms[j] / 1000 + size_bytes * 8 / (bandwidth_gbps[j] * 1e9)`` [s]; its
  latency is its finish time minus its arrival time (queueing plus service). So a
  request finishes at ``max(arrival, path free at) + service``, so completions need no
  events of their own. Reads and writes share this service model; the mix is
  reported. The initiator, the network and the array are folded into the path.
- **Outstanding requests** of a path are those dispatched to it and not finished
  (queued or in service), counted across ALL LUNs; a request finishing exactly at an
  arrival's time is no longer outstanding. *Bytes in flight* are their sizes.
- **Policy state lives in the policy instance**: MPIO sets a policy PER LUN, so each
  LUN has its own instance (its own round-robin pointer); MCS sets ONE policy per
  session, so all LUNs share one instance.
- **Failures.** When a path fails, the requests outstanding on it are retried, in their
  queue order, at the failure time, on the path their policy picks next
  (``retried_requests`` counts them; their latency runs from the first arrival). Work
  done on the request in service is counted as busy time. With no path left, requests
  wait for the next restore; any still waiting at the end are ``unserved_requests``.
  A fail of a failed path or a restore of a working one changes nothing (the event
  says so). At equal times: completions, then fails, restores, arrivals.
- **Rotation and ties.** Round robin takes the next usable path after the one the
  instance used last (in path-number order, wrapping round). Least Queue Depth and
  Least Blocks break ties the same way: the first least-loaded path after the last
  one used. Weighted Paths (msdsm) breaks equal weights towards the lower number.
- **Engines.** Without failures, the rotation and weight policies are computed with
  numpy (``engine="vectorised"``); the rest run a lean per-request loop. Both give
  the same paths, and a plain event-driven reference in the tests agrees with both.

Policies and the two semantics follow ``shared/domain.md`` section 6; Microsoft's
documented DSM behaviour is the default (``semantics="msdsm"``), the guide's reading
is ``semantics="guide"``. Every result says which it used.

========================  ==  ========================================================
policy                    #   path choice
========================  ==  ========================================================
fail-over-only            1   the first path of ``active`` that is up (then the other
                              paths in number order); traffic returns when it returns
round-robin               2   all working paths in rotation
round-robin-with-subset   3   rotation over the primaries (``active``); msdsm: the
                              standbys only when ALL primaries are down; guide: one
                              standby (in number order) joins per failed primary
least-queue-depth         4   fewest outstanding requests (across all LUNs)
weighted-paths            5   msdsm: all to the least-weighted working path (larger
                              number = lower priority); guide: shares in proportion
                              to the weights (smooth weighted round robin, whose
                              state restarts when the set of working paths changes)
least-blocks (MPIO only)  6   fewest bytes in flight
========================  ==  ========================================================

References
----------
[1] The source guide, "Creating Highly-Available Hyper-V with iSCSI Storage", MCS
    and MPIO sections (``shared/seed``).
[2] Microsoft, "MPIO Policies", Windows Server 2008 R2, TechNet dd851699.
[3] Dell KB 000216791 (DSM_QueryLBPolicy codes 1 to 6).
[4] ``shared/domain.md`` section 6 and ``shared/FACTS.md`` (Multipathing).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import deque
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from heapq import heappop, heappush
from itertools import repeat
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from hvdesign.errors import HvdesignError

#: The six load-balance policies, in mpclaim order (codes 1 to 6).
POLICIES: tuple[str, ...] = (
    "fail-over-only",
    "round-robin",
    "round-robin-with-subset",
    "least-queue-depth",
    "weighted-paths",
    "least-blocks",
)
#: MCS has the first five; Least Blocks needs MPIO's DSM (the guide, MPIO section).
MCS_POLICIES: tuple[str, ...] = POLICIES[:5]
#: mpclaim / DSM_QueryLBPolicy codes (Dell KB 000216791).
MPCLAIM_CODES: dict[str, int] = {p: i + 1 for i, p in enumerate(POLICIES)}
#: Policy semantics: Microsoft's documented DSM behaviour, or the guide's reading.
SEMANTICS: tuple[str, ...] = ("msdsm", "guide")
#: Where the policy is set: per LUN (MPIO) or per session (MCS).
MODES: tuple[str, ...] = ("mpio", "mcs")
#: Simulation engines: ``auto`` picks ``vectorised`` when it can (see :func:`simulate`).
ENGINES: tuple[str, ...] = ("auto", "vectorised", "loop")
#: Paths a simulation may have.
MIN_PATHS, MAX_PATHS = 2, 8
#: Default request sizes [bytes] and their probabilities: an ASSUMED mix of small
#: (4 KiB), medium (64 KiB) and large (256 KiB) I/O; replace with measured sizes.
DEFAULT_SIZES_BYTES: tuple[int, ...] = (4096, 65536, 262144)
DEFAULT_SIZE_PROBABILITIES: tuple[float, ...] = (0.6, 0.3, 0.1)

# Path-choice mechanisms of the engine.
_ROTATE, _LQD, _LB, _SWRR = 0, 1, 2, 3
_BIG = 1 << 62  # "count" of a failed path: never the least


# --------------------------------------------------------------------------- workload
@dataclass(frozen=True)
class Workload:
    """A stream of I/O requests, in arrival order.

    Attributes: ``arrival_s`` arrival times [s]; ``size_bytes`` sizes [bytes];
    ``is_read`` read (True) or write; ``lun`` LUN index (0-based); ``n_luns``;
    ``parameters`` the inputs of :func:`make_workload` (JSON-ready).
    """

    arrival_s: np.ndarray
    size_bytes: np.ndarray
    is_read: np.ndarray
    lun: np.ndarray
    n_luns: int
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def n_ios(self) -> int:
        """Number of requests."""
        return int(self.arrival_s.size)


def make_workload(
    n_ios: int = 10_000,
    arrival_rate_iops: float = 800.0,
    *,
    n_luns: int = 1,
    seed: int | None = 0,
    read_fraction: float = 0.7,
    sizes_bytes: Sequence[int] = DEFAULT_SIZES_BYTES,
    size_probabilities: Sequence[float] | None = None,
) -> Workload:
    """Draw a request stream with a seeded :func:`numpy.random.default_rng`.

    Parameters
    ----------
    n_ios : int
        Number of requests [-], 1 to 10,000,000.
    arrival_rate_iops : float
        Poisson arrival rate [IO/s].
    n_luns : int
        LUNs the requests are spread over, uniformly [-], 1 to 4096.
    seed : int or None
        Seed of the generator (None: fresh entropy).
    read_fraction : float
        Probability that a request is a read [0..1]; 0.7 is an ASSUMED default.
    sizes_bytes, size_probabilities : sequences
        Request sizes [bytes] and their probabilities. None: 0.6/0.3/0.1 for the
        default sizes (an ASSUMED mix), equally likely for others.

    The draws, in this order: inter-arrival times (exponential), sizes, read flags,
    LUNs. The same arguments give the same stream.

    >>> w = make_workload(5, 100.0, n_luns=2, seed=1)
    >>> w.n_ios, w.n_luns, bool((np.diff(w.arrival_s) > 0).all())
    (5, 2, True)
    """
    n_ios = _int_in("n_ios", n_ios, 1, 10_000_000)
    rate = _positive("arrival_rate_iops", arrival_rate_iops)
    n_luns = _int_in("n_luns", n_luns, 1, 4096)
    read_fraction = _fraction("read_fraction", read_fraction)
    sizes, probs = _size_mix(sizes_bytes, size_probabilities)
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0
    ):
        raise HvdesignError("seed", seed, "a whole number >= 0, or None")
    rng = np.random.default_rng(seed)
    arrival_s = np.cumsum(rng.exponential(1.0 / rate, n_ios))
    size_bytes = rng.choice(np.asarray(sizes, dtype=np.int64), size=n_ios, p=probs)
    is_read = rng.random(n_ios) < read_fraction
    lun = rng.integers(0, n_luns, n_ios)
    params = {
        "n_ios": n_ios,
        "arrival_rate_iops": rate,
        "n_luns": n_luns,
        "seed": None if seed is None else int(seed),
        "read_fraction": read_fraction,
        "sizes_bytes": list(sizes),
        "size_probabilities": [float(p) for p in probs],
    }
    return Workload(arrival_s, size_bytes, is_read, lun, n_luns, params)


# --------------------------------------------------------------------------- result
@dataclass(frozen=True)
class SimulationResult:
    """What :func:`simulate` returns. All times are from the first instant (0 s).

    Attributes
    ----------
    policy : str or list of str
        The policy, or one per LUN (MPIO).
    semantics, mode, engine : str
        ``msdsm``/``guide``; ``mpio``/``mcs``; ``vectorised``/``loop`` (how it ran).
    parameters : dict
        Every input, normalised (per-path lists, 1-based path numbers).
    per_path : list of dict
        One per path: ``path`` (1-based), ``n_requests``, ``share_requests`` and
        ``share_bytes`` (fractions of the served requests and bytes), ``utilization``
        (busy time / ``simulated_s``), ``throughput_gbps`` (mean over
        ``simulated_s``), ``latency_ms_p50``, ``latency_ms_p99`` (None when the path
        served nothing) and ``retried_from`` (requests retried off it by failures).
    per_lun : list of dict
        One per LUN: ``lun`` (1-based), ``policy``, ``n_requests``,
        ``share_requests`` (a list, one fraction per path), ``latency_ms_p99``.
    timeline : dict
        ``{"bin_s": width [s], "t_s": [start of each bin], "throughput_gbps":
        [[path 1, one value per bin], [path 2 ...], ...]}``: bits of the requests
        that FINISHED on each path in each bin, divided by the width [Gbit/s].
        ``throughput_gbps[p - 1][b]`` is path ``p`` in bin ``b``.
    latency_ms_p50, latency_ms_p99, latency_ms_mean : float or None
        Over all served requests [ms] (None when none was served).
    retried_requests, unserved_requests : int
    events : list of dict
        The fails and restores, in the order applied: ``t_s``, ``event``, ``path``,
        ``applied`` (False when it changed nothing), ``retried_requests``,
        ``dispatched_waiting`` (requests that waited for a path), ``paths_up``.
    simulated_s : float
        Until the last request finished [s].
    n_reads, n_writes : int
        The read/write mix of the workload.
    """

    policy: str | list[str]
    semantics: str
    mode: str
    engine: str
    parameters: dict[str, Any]
    per_path: list[dict[str, Any]]
    per_lun: list[dict[str, Any]]
    timeline: dict[str, Any]
    latency_ms_p50: float | None
    latency_ms_p99: float | None
    latency_ms_mean: float | None
    retried_requests: int
    unserved_requests: int
    events: list[dict[str, Any]]
    simulated_s: float
    n_reads: int
    n_writes: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of every field."""
        return asdict(self)

    def per_path_frame(self) -> pd.DataFrame:
        """``per_path`` as a DataFrame indexed by path number."""
        return pd.DataFrame(self.per_path).set_index("path")

    def timeline_frame(self) -> pd.DataFrame:
        """``timeline`` as a DataFrame: index ``t_s``, one column per path
        (``"path 1"``, ...), values [Gbit/s]."""
        tl = self.timeline
        cols = {f"path {p + 1}": v for p, v in enumerate(tl["throughput_gbps"])}
        return pd.DataFrame(cols, index=pd.Index(tl["t_s"], name="t_s"))


# --------------------------------------------------------------------------- validation
def _int_in(name: str, value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not lo <= value <= hi:
        raise HvdesignError(name, value, f"an integer from {lo} to {hi}")
    return int(value)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        return None
    v = float(value)
    return v if math.isfinite(v) else None


def _positive(name: str, value: Any) -> float:
    v = _number(value)
    if v is None or v <= 0:
        raise HvdesignError(name, value, "a finite number > 0")
    return v


def _fraction(name: str, value: Any) -> float:
    v = _number(value)
    if v is None or not 0.0 <= v <= 1.0:
        raise HvdesignError(name, value, "a number from 0 to 1")
    return v


def _per_path(name: str, value: Any, n_paths: int, *, minimum: float, strict: bool) -> list[float]:
    """A scalar (same for every path) or one finite number per path, each above
    (``strict``) or at least ``minimum``."""
    rel = ">" if strict else ">="
    allowed = f"a number {rel} {minimum:g}, or a list of {n_paths} such numbers (one per path)"
    values = [value] * n_paths if _number(value) is not None else value
    if isinstance(values, str) or not isinstance(values, Sequence | np.ndarray):
        raise HvdesignError(name, value, allowed)
    if len(values) != n_paths:
        raise HvdesignError(
            name, value, allowed, detail=f"{len(values)} values for {n_paths} paths"
        )
    out = []
    for v in values:
        x = _number(v)
        if x is None or x < minimum or (strict and x == minimum):
            raise HvdesignError(name, value, allowed)
        out.append(x)
    return out


def _size_mix(sizes_bytes: Any, size_probabilities: Any) -> tuple[list[int], np.ndarray]:
    sizes = [sizes_bytes] if isinstance(sizes_bytes, int | np.integer) else sizes_bytes
    if (
        isinstance(sizes, str)
        or not isinstance(sizes, Sequence | np.ndarray)
        or not len(sizes)
        or any(isinstance(x, bool) or not isinstance(x, int | np.integer) or x <= 0 for x in sizes)
    ):
        allowed = "a non-empty list of positive integers [bytes]"
        raise HvdesignError("sizes_bytes", sizes_bytes, allowed)
    sizes = [int(x) for x in sizes]
    if size_probabilities is None:  # the default mix, or equally likely sizes
        default = tuple(sizes) == DEFAULT_SIZES_BYTES
        equal = [1.0 / len(sizes)] * len(sizes)
        return sizes, np.asarray(DEFAULT_SIZE_PROBABILITIES if default else equal)
    try:
        probs = np.asarray(size_probabilities, dtype=float)
    except (TypeError, ValueError):
        probs = np.full(1, np.nan)
    if (
        probs.shape != (len(sizes),)
        or not np.isfinite(probs).all()
        or (probs < 0).any()
        or abs(probs.sum() - 1.0) > 1e-6
    ):
        allowed = f"{len(sizes)} non-negative numbers (one per size) summing to 1"
        raise HvdesignError("size_probabilities", size_probabilities, allowed)
    return sizes, probs / probs.sum()


def _normalise(name: str) -> str:
    """``"Round Robin"``, ``"round_robin"`` -> ``"round-robin"``."""
    return "-".join(name.strip().lower().replace("_", " ").replace("-", " ").split())


def _policy_name(value: Any, allowed: Sequence[str]) -> str:
    if isinstance(value, str) and _normalise(value) in allowed:
        return _normalise(value)
    raise HvdesignError("policy", value, ", ".join(allowed))


def _path_index(name: str, value: Any, whole: Any, n_paths: int, allowed: str) -> int:
    """0-based index of the 1-based path number ``value`` (part of input ``whole``)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | np.integer)
        or not 1 <= value <= n_paths
    ):
        raise HvdesignError(name, whole, allowed, detail=f"there is no path {value!r}")
    return int(value) - 1


def _events(name: str, value: Any, n_paths: int) -> list[tuple[int, float]]:
    """``[(path, seconds)]`` -> ``[(path0, seconds)]``."""
    allowed = f"a list of (path, seconds) pairs, path 1 to {n_paths}, seconds >= 0"
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise HvdesignError(name, value, allowed)
    out = []
    for item in value:
        if isinstance(item, str) or not isinstance(item, Sequence) or len(item) != 2:
            raise HvdesignError(name, item, allowed)
        j = _path_index(name, item[0], item, n_paths, allowed)
        t = _number(item[1])
        if t is None or t < 0:
            raise HvdesignError(name, item, allowed, detail=f"{item[1]!r} is not a time >= 0")
        out.append((j, t))
    return out


def _instances(policy: Any, mode: str, n_luns: int) -> tuple[list[str], np.ndarray]:
    """The policy instances and the instance of each LUN: one per LUN (MPIO) or one
    for the session (MCS)."""
    allowed = MCS_POLICIES if mode == "mcs" else POLICIES
    if isinstance(policy, str):
        if mode == "mcs" and _normalise(policy) == "least-blocks":
            mcs = "MCS policies: " + ", ".join(MCS_POLICIES)
            raise HvdesignError("policy", policy, mcs, detail="Least Blocks needs MPIO's DSM")
        name = _policy_name(policy, allowed)
        if mode == "mcs":
            return [name], np.zeros(n_luns, dtype=np.int64)
        return [name] * n_luns, np.arange(n_luns)
    if not isinstance(policy, Sequence):
        raise HvdesignError("policy", policy, "a policy name or (MPIO) one name per LUN")
    if mode == "mcs":
        why = "MCS sets one policy for all LUNs of a session; per-LUN policies need MPIO"
        raise HvdesignError("policy", list(policy), "one policy name per MCS session", detail=why)
    if len(policy) != n_luns:
        why = f"{len(policy)} policies for {n_luns} LUNs"
        raise HvdesignError("policy", list(policy), f"one name, or {n_luns} names", detail=why)
    return [_policy_name(p, allowed) for p in policy], np.arange(n_luns)


def _setup_paths(n_paths, bandwidth_gbps, latency_ms, weights, active, positive_weights) -> _Paths:
    bw = _per_path("bandwidth_gbps", bandwidth_gbps, n_paths, minimum=0.0, strict=True)
    lat = _per_path("latency_ms", latency_ms, n_paths, minimum=0.0, strict=False)
    w = 1.0 if weights is None else weights
    wts = _per_path("weights", w, n_paths, minimum=0.0, strict=positive_weights)
    allowed = f"a non-empty list of distinct path numbers from 1 to {n_paths}"
    if active is None:  # fail-over on path 1; round robin with subset: last path standby
        first, primaries = [0], list(range(n_paths - 1))
    else:
        if isinstance(active, str) or not isinstance(active, Sequence) or not active:
            raise HvdesignError("active", active, allowed)
        first = [_path_index("active", a, active, n_paths, allowed) for a in active]
        if len(set(first)) != len(first):
            raise HvdesignError("active", active, allowed, detail="a path is listed twice")
        primaries = sorted(first)
    return _Paths(
        n_paths,
        bw,
        lat,
        [b * 1e9 for b in bw],
        [x / 1000.0 for x in lat],
        wts,
        first + [j for j in range(n_paths) if j not in first],
        primaries,
        [j for j in range(n_paths) if j not in primaries],
    )


# --------------------------------------------------------------------------- policies
@dataclass(frozen=True)
class _Paths:
    """Validated path set-up (0-based path indices inside)."""

    n_paths: int
    bandwidth_gbps: list[float]
    latency_ms: list[float]
    bps: list[float]  # [bit/s]
    latency_s: list[float]
    weights: list[float]
    preference: list[int]  # fail-over order: the active paths as given, then the rest
    primaries: list[int]
    standbys: list[int]


def _candidates(policy: str, semantics: str, up: list[bool], paths: _Paths) -> list[int]:
    """Paths (0-based, ascending) the policy may pick from, given which are up."""
    ups = [j for j in range(paths.n_paths) if up[j]]
    if policy == "fail-over-only":
        return [j for j in paths.preference if up[j]][:1]
    if policy == "round-robin-with-subset":
        prim = [j for j in paths.primaries if up[j]]
        stand = [j for j in paths.standbys if up[j]]
        if semantics == "msdsm":
            return prim or stand
        return sorted(prim + stand[: len(paths.primaries) - len(prim)])
    if policy == "weighted-paths" and semantics == "msdsm":
        return [min(ups, key=lambda j: (paths.weights[j], j))] if ups else []
    return ups


def _mechanism(policy: str, semantics: str) -> int:
    if policy == "least-queue-depth":
        return _LQD
    if policy == "least-blocks":
        return _LB
    if policy == "weighted-paths" and semantics == "guide":
        return _SWRR
    return _ROTATE  # a single candidate (fail-over, msdsm weights) rotates onto itself


def _next_map(cands: list[int], n_paths: int) -> list[int] | None:
    """``m[last]``: the rotation's next path after ``last`` (``m[-1]``: the first)."""
    if not cands:
        return None
    m = [next((c for c in cands if c > x), cands[0]) for x in range(n_paths)]
    return [*m, cands[0]]


# --------------------------------------------------------------------------- engines
def _vectorised_paths(
    wl: Workload, inst_of_lun: np.ndarray, inst_policy: list[str], semantics: str, paths: _Paths
) -> np.ndarray:
    """Path of each request when the choice does not depend on queue state or
    failures (rotation and weighted sequences are functions of the pick count)."""
    up = [True] * paths.n_paths
    inst = inst_of_lun[wl.lun]
    out = np.empty(wl.n_ios, dtype=np.int64)
    for q, pol in enumerate(inst_policy):
        idx = np.flatnonzero(inst == q)
        if idx.size == 0:
            continue
        cands = _candidates(pol, semantics, up, paths)
        if _mechanism(pol, semantics) == _ROTATE:
            out[idx] = np.asarray(cands)[np.arange(idx.size) % len(cands)]
        else:  # smooth weighted round robin, same arithmetic as the loop engine
            w, tot, cur = paths.weights, sum(paths.weights[j] for j in cands), [0.0] * paths.n_paths
            seq = [0] * idx.size
            for k in range(idx.size):
                best, bv = -1, -math.inf
                for j in cands:
                    cur[j] += w[j]
                    if cur[j] > bv:
                        best, bv = j, cur[j]
                cur[best] -= tot
                seq[k] = best
            out[idx] = seq
    return out


class _Run(NamedTuple):
    """What an engine returns (0-based paths; -1 and NaN for unserved requests)."""

    path: np.ndarray
    fin: np.ndarray
    retried: int = 0
    retried_from: list[int] | None = None
    aborted_busy_s: list[float] | None = None
    log: list[dict[str, Any]] | None = None


def _run_vectorised(wl, inst_of_lun, inst_policy, semantics, paths) -> _Run:
    """Numpy engine: paths from :func:`_vectorised_paths`, finish times of each path's
    single-server FIFO queue from Lindley's recursion ``f_k = max(a_k, f_{k-1}) + s_k``
    unrolled: ``f_k = S_k + max_{i<=k}(a_i - S_{i-1})``, ``S`` the cumulative service."""
    path = _vectorised_paths(wl, inst_of_lun, inst_policy, semantics, paths)
    service = np.asarray(paths.latency_s)[path] + wl.size_bytes * 8.0 / np.asarray(paths.bps)[path]
    fin = np.empty_like(wl.arrival_s)
    for j in range(paths.n_paths):
        idx = np.flatnonzero(path == j)
        if idx.size:
            s = service[idx]
            cum = np.cumsum(s)
            fin[idx] = cum + np.maximum.accumulate(wl.arrival_s[idx] - (cum - s))
    return _Run(path, fin)


class _Loop:
    """Per-request engine for queue-state policies and failures.

    Completions need no event of their own: a request's finish time is known when it
    is dispatched (FIFO, one server per path). The requests in flight on a path sit in
    its FIFO ``queues[j]`` (request indices, finish times increasing); before each
    dispatch the queues are popped up to its time, which keeps the outstanding
    requests ``cnt`` and bytes ``inb`` of every path exact. Arrivals are sent in
    stretches between events; retries and waiting requests go through the same
    :meth:`_send`.
    """

    def __init__(self, wl, inst_of_lun, inst_policy, semantics, paths, events):
        n, k = wl.n_ios, paths.n_paths
        self.paths, self.semantics, self.inst_policy = paths, semantics, inst_policy
        self.arr = wl.arrival_s.tolist()
        self.bits = (wl.size_bytes * 8.0).tolist()
        self.size = wl.size_bytes.tolist()
        self.inst = inst_of_lun[wl.lun].tolist()
        self.kind = [_mechanism(p, semantics) for p in inst_policy]
        self.events = events  # sorted (t, order, kind, path0)
        self.fin, self.path = [math.nan] * n, [-1] * n
        self.up, self.free = [True] * k, [0.0] * k
        self.queues = [deque() for _ in range(k)]  # in flight on each path, FIFO
        self.cnt, self.inb = [0] * k, [0] * k
        self.last = [-1] * len(inst_policy)
        self.cur = [[0.0] * k for _ in inst_policy]
        # rot[x]: paths in rotation order after path x (rot[-1]: from path 0)
        self.rot = [tuple((x + 1 + d) % k for d in range(k)) for x in range(k)]
        self.rot.append(tuple(range(k)))
        self.aborted_busy_s, self.retried_from = [0.0] * k, [0] * k
        self.waiting: list[int] = []
        self.retried = 0
        self.log: list[dict[str, Any]] = []
        self._refresh()

    def _refresh(self) -> None:
        self.cands = [_candidates(p, self.semantics, self.up, self.paths) for p in self.inst_policy]
        self.nms = [_next_map(c, self.paths.n_paths) for c in self.cands]
        self.tot = [sum(self.paths.weights[j] for j in c) for c in self.cands]
        for c in self.cur:
            c[:] = [0.0] * self.paths.n_paths

    def run(self) -> _Run:
        """Dispatch every request in arrival order, applying events on the way."""
        kinds = set(self.kind)
        if not self.events and len(kinds) == 1 and kinds <= {_LQD, _LB}:
            self._run_queue_only(self.kind[0] == _LB)
        else:
            start = 0
            for t, _, kind, j in self.events:  # arrivals at an event's time come after it
                stop = max(start, bisect_left(self.arr, t))
                self._send(range(start, stop), self.arr[start:stop])
                start = stop
                self._apply(t, kind, j)
            self._send(range(start, len(self.arr)), self.arr[start:])
        path = np.asarray(self.path, dtype=np.int64)
        return _Run(
            path,
            np.asarray(self.fin),
            self.retried,
            self.retried_from,
            self.aborted_busy_s,
            self.log,
        )

    def _apply(self, t: float, kind: str, j: int) -> None:
        fin, size, paths = self.fin, self.size, self.paths
        for p, dq in enumerate(self.queues):  # completions up to the event
            while dq and fin[dq[0]] <= t:
                self.cnt[p] -= 1
                self.inb[p] -= size[dq.popleft()]
        applied = (kind == "fail") == self.up[j]
        retried, woken = 0, 0
        if applied and kind == "fail":
            self.up[j] = False
            moved = list(self.queues[j])  # in queue order
            self.queues[j].clear()
            if moved:  # work already done on the request in service is busy time
                h = moved[0]
                start = fin[h] - (paths.latency_s[j] + self.bits[h] / paths.bps[j])
                self.aborted_busy_s[j] += max(0.0, t - start)
            for i in moved:
                fin[i], self.path[i] = math.nan, -1
            self.cnt[j] = self.inb[j] = _BIG
            self._refresh()
            self._send(moved, repeat(t))
            retried = len(moved)
            self.retried += retried
            self.retried_from[j] += retried
        elif applied:
            self.up[j] = True
            self.cnt[j] = self.inb[j] = 0
            self.free[j] = t
            self._refresh()
            waiting, self.waiting = self.waiting, []
            woken = len(waiting)
            self._send(waiting, repeat(t))
        self.log.append(
            {
                "t_s": t,
                "event": kind,
                "path": j + 1,
                "applied": applied,
                "retried_requests": retried,
                "dispatched_waiting": woken,
                "paths_up": [p + 1 for p in range(paths.n_paths) if self.up[p]],
            }
        )

    def _send(self, requests, times) -> None:
        """Dispatch ``requests`` in order, each at its time from ``times``."""
        size, bits, inst, kind = self.size, self.bits, self.inst, self.kind
        fin, path, free, queues, cnt, inb = (
            self.fin, self.path, self.free, self.queues, self.cnt, self.inb
        )  # fmt: skip
        last, cur, rot, w = self.last, self.cur, self.rot, self.paths.weights
        lat, bps, waiting = self.paths.latency_s, self.paths.bps, self.waiting
        nms, cands, tot = self.nms, self.cands, self.tot
        k_range = range(self.paths.n_paths)
        nxt = min((fin[dq[0]] for dq in queues if dq), default=math.inf)  # earliest head
        for i, t in zip(requests, times, strict=False):
            if t >= nxt:
                nxt = math.inf
                for j in k_range:
                    dq = queues[j]
                    while dq and fin[dq[0]] <= t:
                        cnt[j] -= 1
                        inb[j] -= size[dq.popleft()]
                    if dq and fin[dq[0]] < nxt:
                        nxt = fin[dq[0]]
            q = inst[i]
            kd = kind[q]
            if kd == _ROTATE:
                nm = nms[q]
                if nm is None:
                    waiting.append(i)
                    continue
                j = nm[last[q]]
            elif kd in (_LQD, _LB):
                load = cnt if kd == _LQD else inb
                m = min(load)
                if m >= _BIG:
                    waiting.append(i)
                    continue
                for j in rot[last[q]]:  # the first least-loaded path in rotation order
                    if load[j] == m:
                        break
            else:  # smooth weighted round robin
                cq = cands[q]
                if not cq:
                    waiting.append(i)
                    continue
                cu, bv = cur[q], -math.inf
                for c in cq:
                    cu[c] += w[c]
                    if cu[c] > bv:
                        j, bv = c, cu[c]
                cu[j] -= tot[q]
            last[q] = j
            f = free[j]
            if t > f:
                f = t
            f += lat[j] + bits[i] / bps[j]
            free[j] = f
            fin[i] = f
            path[i] = j
            queues[j].append(i)
            cnt[j] += 1
            inb[j] += size[i]
            if f < nxt:
                nxt = f

    def _run_queue_only(self, by_bytes: bool) -> None:
        """:meth:`_send` specialised to least-queue-depth or least-blocks without
        events: the same choices, faster (one heap of ``(finish, path, amount)``
        instead of a look at every queue)."""
        last, rot, lat, bps, free = (
            self.last,
            self.rot,
            self.paths.latency_s,
            self.paths.bps,
            self.free,
        )
        load = self.inb if by_bytes else self.cnt
        amount = self.size if by_bytes else repeat(1)
        fin: list[float] = []
        path: list[int] = []
        fin_append, path_append = fin.append, path.append
        heap = [(math.inf, -1, 0)]  # in flight; the sentinel is never popped
        for t, b, q, a in zip(self.arr, self.bits, self.inst, amount, strict=False):
            while heap[0][0] <= t:
                _, j, x = heappop(heap)
                load[j] -= x
            m = min(load)
            for j in rot[last[q]]:  # the first least-loaded path in rotation order
                if load[j] == m:
                    break
            last[q] = j
            f = free[j]
            if t > f:
                f = t
            f += lat[j] + b / bps[j]
            free[j] = f
            fin_append(f)
            path_append(j)
            heappush(heap, (f, j, a))
            load[j] += a
        self.fin, self.path = fin, path


# --------------------------------------------------------------------------- simulate
def simulate(
    policy: str | Sequence[str] = "round-robin",
    n_paths: int = 2,
    *,
    semantics: str = "msdsm",
    mode: str = "mpio",
    bandwidth_gbps: float | Sequence[float] = 1.0,
    latency_ms: float | Sequence[float] = 0.5,
    weights: Sequence[float] | None = None,
    active: Sequence[int] | None = None,
    fail: Sequence[tuple[int, float]] = (),
    restore: Sequence[tuple[int, float]] = (),
    n_ios: int = 10_000,
    arrival_rate_iops: float = 800.0,
    n_luns: int = 1,
    seed: int | None = 0,
    read_fraction: float = 0.7,
    sizes_bytes: Sequence[int] = DEFAULT_SIZES_BYTES,
    size_probabilities: Sequence[float] | None = None,
    bin_s: float | None = None,
    workload: Workload | None = None,
    engine: str = "auto",
) -> SimulationResult:
    """Simulate a request stream over ``n_paths`` paths under a load-balance policy.

    Parameters
    ----------
    policy : str or list of str
        One of :data:`POLICIES` (case, spaces and underscores are forgiven), or, in
        MPIO mode, one per LUN (a list of ``n_luns`` names). MCS takes one name and
        not ``least-blocks``.
    n_paths : int
        Paths, 2 to 8.
    semantics : {"msdsm", "guide"}
        Microsoft's documented DSM behaviour (default) or the guide's reading; they
        differ on round-robin-with-subset and weighted-paths.
    mode : {"mpio", "mcs"}
        MPIO sets the policy per LUN (one policy instance per LUN); MCS per session
        (one instance shared by all LUNs).
    bandwidth_gbps : float or list
        Bandwidth of each path [Gbit/s] (> 0). Default 1 (1 GbE, the guide's era).
    latency_ms : float or list
        Fixed per-request time of each path [ms] (>= 0): network round trip plus array
        service. Default 0.5 is an ASSUMPTION; replace with a measured figure.
    weights : list or None
        Weight of each path (weighted-paths): msdsm a priority, smaller preferred (>= 0);
        guide a share (> 0). None: all 1 (msdsm then uses path 1; guide shares evenly).
    active : list or None
        1-based paths. fail-over-only: the first is used, the others in the given
        order then the rest take over (default ``[1]``). round-robin-with-subset:
        the primaries, the rest are standbys (default all but the last path).
    fail, restore : list of (path, seconds)
        Path failures and returns [1-based path, s].
    n_ios, arrival_rate_iops, n_luns, seed, read_fraction, sizes_bytes, size_probabilities
        The workload, see :func:`make_workload` (ignored when ``workload`` is given).
    bin_s : float or None
        Width of the timeline bins [s]; None: a 1-2-5 value giving about 50 bins.
    workload : Workload or None
        A ready stream (to run several policies on the same requests).
    engine : {"auto", "vectorised", "loop"}
        ``vectorised`` (numpy only) needs no failures and no queue-state policy
        (least-queue-depth, least-blocks); ``auto`` uses it when it can, else
        ``loop``. Both give the same paths.

    Returns
    -------
    SimulationResult

    Examples
    --------
    >>> r = simulate("round-robin", 2, n_ios=1000, seed=1)
    >>> [p["n_requests"] for p in r.per_path]
    [500, 500]
    >>> r = simulate("fail-over-only", 2, n_ios=1000, fail=[(1, 0.5)], seed=1)
    >>> r.semantics, r.per_path[1]["n_requests"] > 0
    ('msdsm', True)
    """
    n_paths = _int_in("n_paths", n_paths, MIN_PATHS, MAX_PATHS)
    for name, value, allowed in (
        ("semantics", semantics, SEMANTICS),
        ("mode", mode, MODES),
        ("engine", engine, ENGINES),
    ):
        if value not in allowed:
            raise HvdesignError(name, value, ", ".join(allowed))
    if workload is None:
        workload = make_workload(
            n_ios,
            arrival_rate_iops,
            n_luns=n_luns,
            seed=seed,
            read_fraction=read_fraction,
            sizes_bytes=sizes_bytes,
            size_probabilities=size_probabilities,
        )
    elif not isinstance(workload, Workload):
        raise HvdesignError("workload", type(workload).__name__, "a Workload from make_workload()")
    inst_policy, inst_of_lun = _instances(policy, mode, workload.n_luns)
    positive_weights = semantics == "guide" and "weighted-paths" in inst_policy
    paths = _setup_paths(n_paths, bandwidth_gbps, latency_ms, weights, active, positive_weights)
    fails, restores = _events("fail", fail, n_paths), _events("restore", restore, n_paths)
    events = sorted(
        [(t, 0, "fail", j) for j, t in fails] + [(t, 1, "restore", j) for j, t in restores],
        key=lambda e: (e[0], e[1]),
    )
    if bin_s is not None:
        bin_s = _positive("bin_s", bin_s)

    mechanisms = {_mechanism(p, semantics) for p in inst_policy}
    can_vectorise = not events and mechanisms <= {_ROTATE, _SWRR}
    if engine == "vectorised" and not can_vectorise:
        why = "failures and least-queue-depth/least-blocks need the loop engine"
        raise HvdesignError("engine", engine, "'auto' or 'loop'", detail=why)
    used = "vectorised" if engine != "loop" and can_vectorise else "loop"
    if used == "vectorised":
        run = _run_vectorised(workload, inst_of_lun, inst_policy, semantics, paths)
    else:
        run = _Loop(workload, inst_of_lun, inst_policy, semantics, paths, events).run()
    params = {
        "n_paths": n_paths,
        "semantics": semantics,
        "mode": mode,
        "engine": used,
        "bandwidth_gbps": paths.bandwidth_gbps,
        "latency_ms": paths.latency_ms,
        "weights": paths.weights,
        "active": None if active is None else [int(a) for a in active],
        "fail_over_order": [j + 1 for j in paths.preference],
        "primaries": [j + 1 for j in paths.primaries],
        "standbys": [j + 1 for j in paths.standbys],
        "fail": [[j + 1, t] for j, t in fails],
        "restore": [[j + 1, t] for j, t in restores],
        **workload.parameters,
        "n_luns": workload.n_luns,
    }
    label = inst_policy[0] if isinstance(policy, str) else list(inst_policy)
    lun_policy = [inst_policy[q] for q in inst_of_lun]
    return _summarise(run, workload, paths, label, lun_policy, params, bin_s)


def _pct(x: np.ndarray, q: float) -> float | None:
    return float(np.percentile(x, q)) if x.size else None


def _nice_bin(span_s: float, n_bins: int = 50) -> float:
    raw = span_s / n_bins
    exp = math.floor(math.log10(raw))
    for m in (1.0, 2.0, 5.0, 10.0):
        if m * 10.0**exp >= raw:
            return m * 10.0**exp
    return 10.0 ** (exp + 1)  # pragma: no cover


def _summarise(run, wl, paths, label, lun_policy, params, bin_s) -> SimulationResult:
    """Per-path, per-LUN and overall figures of an engine's run."""
    path, fin = run.path, run.fin
    retried_from = run.retried_from or [0] * paths.n_paths
    aborted_busy_s = np.asarray(run.aborted_busy_s or [0.0] * paths.n_paths)
    k = paths.n_paths
    served = path >= 0
    p = path[served]
    arr = wl.arrival_s[served]
    size = wl.size_bytes[served].astype(float)
    f = fin[served]
    lat_ms = (f - arr) * 1000.0
    service = np.asarray(paths.latency_s)[p] + size * 8.0 / np.asarray(paths.bps)[p]
    busy = np.bincount(p, weights=service, minlength=k) + aborted_busy_s
    n_req = np.bincount(p, minlength=k)
    n_bytes = np.bincount(p, weights=size, minlength=k)
    sim_s = float(f.max()) if f.size else 0.0
    n_served = max(int(served.sum()), 1)
    total_bytes = max(float(n_bytes.sum()), 1.0)
    per_path = []
    for j in range(k):
        lj = lat_ms[p == j]
        per_path.append(
            {
                "path": j + 1,
                "n_requests": int(n_req[j]),
                "share_requests": float(n_req[j] / n_served),
                "share_bytes": float(n_bytes[j] / total_bytes),
                "utilization": float(busy[j] / sim_s) if sim_s else 0.0,
                "throughput_gbps": float(n_bytes[j] * 8 / sim_s / 1e9) if sim_s else 0.0,
                "latency_ms_p50": _pct(lj, 50),
                "latency_ms_p99": _pct(lj, 99),
                "retried_from": int(retried_from[j]),
            }
        )
    lun = wl.lun[served]
    per_lun = []
    for q in range(wl.n_luns):
        m = lun == q
        nq = int(m.sum())
        counts = np.bincount(p[m], minlength=k)
        per_lun.append(
            {
                "lun": q + 1,
                "policy": lun_policy[q],
                "n_requests": nq,
                "share_requests": [float(c / max(nq, 1)) for c in counts],
                "latency_ms_p99": _pct(lat_ms[m], 99),
            }
        )
    if bin_s is None:
        bin_s = _nice_bin(sim_s) if sim_s > 0 else 1.0
    n_bins = max(1, math.ceil(sim_s / bin_s))
    if n_bins > 100_000:
        raise HvdesignError(
            "bin_s", bin_s, f"a width giving at most 100,000 bins (>= {sim_s / 1e5:.3g} s)"
        )
    b = np.minimum((f / bin_s).astype(np.int64), n_bins - 1)
    tp = np.bincount(p * n_bins + b, weights=size * 8.0, minlength=k * n_bins).reshape(k, n_bins)
    timeline = {
        "bin_s": float(bin_s),
        "t_s": [float(x) for x in np.arange(n_bins) * bin_s],
        "throughput_gbps": (tp / bin_s / 1e9).tolist(),
    }
    params = {**params, "bin_s": float(bin_s)}
    n_reads = int(wl.is_read.sum())
    return SimulationResult(
        policy=label,
        semantics=params["semantics"],
        mode=params["mode"],
        engine=params["engine"],
        parameters=params,
        per_path=per_path,
        per_lun=per_lun,
        timeline=timeline,
        latency_ms_p50=_pct(lat_ms, 50),
        latency_ms_p99=_pct(lat_ms, 99),
        latency_ms_mean=float(lat_ms.mean()) if lat_ms.size else None,
        retried_requests=int(run.retried),
        unserved_requests=int((~served).sum()),
        events=run.log or [],
        simulated_s=sim_s,
        n_reads=n_reads,
        n_writes=wl.n_ios - n_reads,
    )


def compare_policies(
    n_paths: int = 2,
    *,
    policies: Sequence[str] | None = None,
    n_ios: int = 10_000,
    arrival_rate_iops: float = 800.0,
    n_luns: int = 1,
    seed: int | None = 0,
    read_fraction: float = 0.7,
    sizes_bytes: Sequence[int] = DEFAULT_SIZES_BYTES,
    size_probabilities: Sequence[float] | None = None,
    mode: str = "mpio",
    **kwargs: Any,
) -> pd.DataFrame:
    """Run several policies (default: all the mode allows, six for MPIO, five for
    MCS) on the SAME workload; one row per policy.

    Other keyword arguments (``semantics``, ``bandwidth_gbps``, ``latency_ms``,
    ``weights``, ``active``, ``fail``, ``restore``, ``bin_s``, ``engine``) go to
    :func:`simulate`. Columns: ``policy``, ``mpclaim_code``, ``semantics``, ``mode``,
    ``latency_ms_p50``, ``latency_ms_p99``, ``latency_ms_mean``, ``retried_requests``,
    ``unserved_requests``, then ``share_requests_path<k>`` and ``utilization_path<k>``
    for each path ``k``.

    >>> df = compare_policies(2, n_ios=500)
    >>> list(df["policy"]) == list(POLICIES)
    True
    """
    if mode not in MODES:
        raise HvdesignError("mode", mode, ", ".join(MODES))
    if policies is None:
        policies = MCS_POLICIES if mode == "mcs" else POLICIES
    wl = make_workload(
        n_ios,
        arrival_rate_iops,
        n_luns=n_luns,
        seed=seed,
        read_fraction=read_fraction,
        sizes_bytes=sizes_bytes,
        size_probabilities=size_probabilities,
    )
    keys = ("semantics", "mode", "latency_ms_p50", "latency_ms_p99", "latency_ms_mean")
    rows = []
    for pol in policies:
        r = simulate(pol, n_paths, mode=mode, workload=wl, **kwargs)
        row = {"policy": r.policy, "mpclaim_code": MPCLAIM_CODES[r.policy]}
        row.update({key: getattr(r, key) for key in keys})
        row.update(retried_requests=r.retried_requests, unserved_requests=r.unserved_requests)
        row.update({f"share_requests_path{x['path']}": x["share_requests"] for x in r.per_path})
        row.update({f"utilization_path{x['path']}": x["utilization"] for x in r.per_path})
        rows.append(row)
    return pd.DataFrame(rows)
