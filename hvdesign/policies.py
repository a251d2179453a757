"""Path selection of the six load-balance policies of MCS and MPIO: which paths a
policy may pick given which are up (:func:`candidates`), how it picks among them
(:func:`mechanism`: rotation, least queue depth, least blocks, smooth weighted round
robin), and the two engines that apply a policy to a whole request stream: numpy
(:func:`run_vectorised`) and a per-request loop with failures (:class:`LoopEngine`).

:func:`hvdesign.multipath.simulate` validates the inputs, picks the engine and
summarises its :class:`Run`; the model, its assumptions and the policies' table are in
:mod:`hvdesign.multipath`. Path indices here are 0-based.

References
----------
[1] The source guide, MCS and MPIO sections (``shared/seed``).
[2] Microsoft, "MPIO Policies", Windows Server 2008 R2, TechNet dd851699.
[3] Dell KB 000216791 (DSM_QueryLBPolicy codes 1 to 6).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from heapq import heappop, heappush
from itertools import repeat
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

if TYPE_CHECKING:
    from hvdesign.workload import Workload

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

#: Path-choice mechanisms: rotation, least queue depth, least blocks, smooth weighted
#: round robin.
ROTATE, LQD, LB, SWRR = 0, 1, 2, 3
_BIG = 1 << 62  # "count" of a failed path: never the least

#: An event of a simulation: (time [s], order at equal times, "fail"/"restore", path).
Event = tuple[float, int, str, int]


@dataclass(frozen=True)
class Paths:
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


def candidates(policy: str, semantics: str, up: list[bool], paths: Paths) -> list[int]:
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


def mechanism(policy: str, semantics: str) -> int:
    """How ``policy`` picks among its candidates: :data:`LQD`, :data:`LB`, :data:`SWRR`
    (the guide's weighted paths) or :data:`ROTATE` (a single candidate, as fail-over
    and msdsm weights give, rotates onto itself).

    >>> mechanism("least-blocks", "msdsm") == LB, mechanism("weighted-paths", "guide") == SWRR
    (True, True)
    """
    if policy == "least-queue-depth":
        return LQD
    if policy == "least-blocks":
        return LB
    if policy == "weighted-paths" and semantics == "guide":
        return SWRR
    return ROTATE


def next_map(cands: list[int], n_paths: int) -> list[int] | None:
    """``m[last]``: the rotation's next path after ``last`` (``m[-1]``: the first)."""
    if not cands:
        return None
    m = [next((c for c in cands if c > x), cands[0]) for x in range(n_paths)]
    return [*m, cands[0]]


# --------------------------------------------------------------------------- engines
def vectorised_paths(
    wl: Workload, inst_of_lun: np.ndarray, inst_policy: list[str], semantics: str, paths: Paths
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
        cands = candidates(pol, semantics, up, paths)
        if mechanism(pol, semantics) == ROTATE:
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


class Run(NamedTuple):
    """What an engine returns (0-based paths; -1 and NaN for unserved requests)."""

    path: np.ndarray
    fin: np.ndarray
    retried: int = 0
    retried_from: list[int] | None = None
    aborted_busy_s: list[float] | None = None
    log: list[dict[str, Any]] | None = None


def run_vectorised(
    wl: Workload, inst_of_lun: np.ndarray, inst_policy: list[str], semantics: str, paths: Paths
) -> Run:
    """Numpy engine: paths from :func:`vectorised_paths`, finish times of each path's
    single-server FIFO queue from Lindley's recursion ``f_k = max(a_k, f_{k-1}) + s_k``
    unrolled: ``f_k = S_k + max_{i<=k}(a_i - S_{i-1})``, ``S`` the cumulative service."""
    path = vectorised_paths(wl, inst_of_lun, inst_policy, semantics, paths)
    service = np.asarray(paths.latency_s)[path] + wl.size_bytes * 8.0 / np.asarray(paths.bps)[path]
    fin = np.empty_like(wl.arrival_s)
    for j in range(paths.n_paths):
        idx = np.flatnonzero(path == j)
        if idx.size:
            s = service[idx]
            cum = np.cumsum(s)
            fin[idx] = cum + np.maximum.accumulate(wl.arrival_s[idx] - (cum - s))
    return Run(path, fin)


class LoopEngine:
    """Per-request engine for queue-state policies and failures.

    Completions need no event of their own: a request's finish time is known when it
    is dispatched (FIFO, one server per path). The requests in flight on a path sit in
    its FIFO ``queues[j]`` (request indices, finish times increasing); before each
    dispatch the queues are popped up to its time, which keeps the outstanding
    requests ``cnt`` and bytes ``inb`` of every path exact. Arrivals are sent in
    stretches between events; retries and waiting requests go through the same
    :meth:`_send`.
    """

    def __init__(
        self,
        wl: Workload,
        inst_of_lun: np.ndarray,
        inst_policy: list[str],
        semantics: str,
        paths: Paths,
        events: Sequence[Event],
    ) -> None:
        n, k = wl.n_ios, paths.n_paths
        self.paths, self.semantics, self.inst_policy = paths, semantics, inst_policy
        self.arr = wl.arrival_s.tolist()
        self.bits = (wl.size_bytes * 8.0).tolist()
        self.size = wl.size_bytes.tolist()
        self.inst = inst_of_lun[wl.lun].tolist()
        self.kind = [mechanism(p, semantics) for p in inst_policy]
        self.events = events  # sorted (t, order, kind, path0)
        self.fin, self.path = [math.nan] * n, [-1] * n
        self.up, self.free = [True] * k, [0.0] * k
        self.queues: list[deque[int]] = [deque() for _ in range(k)]  # in flight on each path, FIFO
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
        self.cands = [candidates(p, self.semantics, self.up, self.paths) for p in self.inst_policy]
        self.nms = [next_map(c, self.paths.n_paths) for c in self.cands]
        self.tot = [sum(self.paths.weights[j] for j in c) for c in self.cands]
        for c in self.cur:
            c[:] = [0.0] * self.paths.n_paths

    def run(self) -> Run:
        """Dispatch every request in arrival order, applying events on the way."""
        kinds = set(self.kind)
        if not self.events and len(kinds) == 1 and kinds <= {LQD, LB}:
            self._run_queue_only(self.kind[0] == LB)
        else:
            start = 0
            for t, _, kind, j in self.events:  # arrivals at an event's time come after it
                stop = max(start, bisect_left(self.arr, t))
                self._send(range(start, stop), self.arr[start:stop])
                start = stop
                self._apply(t, kind, j)
            self._send(range(start, len(self.arr)), self.arr[start:])
        path = np.asarray(self.path, dtype=np.int64)
        return Run(
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

    def _send(self, requests: Iterable[int], times: Iterable[float]) -> None:  # noqa: C901, PLR0912 (the per-request hot loop, every path choice inlined: a call per request is slower)
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
            if kd == ROTATE:
                nm = nms[q]
                if nm is None:
                    waiting.append(i)
                    continue
                j = nm[last[q]]
            elif kd in (LQD, LB):
                load = cnt if kd == LQD else inb
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
            if t > f:  # noqa: PLR1730 (hot loop: max() is a call per request, ~7x slower)
                f = t
            f += lat[j] + bits[i] / bps[j]
            free[j] = f
            fin[i] = f
            path[i] = j
            queues[j].append(i)
            cnt[j] += 1
            inb[j] += size[i]
            if f < nxt:  # noqa: PLR1730 (hot loop, as above)
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
            if t > f:  # noqa: PLR1730 (hot loop: max() is a call per request, ~7x slower)
                f = t
            f += lat[j] + b / bps[j]
            free[j] = f
            fin_append(f)
            path_append(j)
            heappush(heap, (f, j, a))
            load[j] += a
        self.fin, self.path = fin, path
