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

The request stream is :mod:`hvdesign.workload`; the policies' path choice and the two
engines are :mod:`hvdesign.policies`; this module validates the inputs (pydantic
models: :class:`SimulationSetup`, :class:`PathInputs`), runs an engine and summarises.

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
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
)

from hvdesign.errors import HvdesignError, quote
from hvdesign.policies import (  # noqa: F401 (re-exported: multipath is where they are read)
    MCS_POLICIES,
    MPCLAIM_CODES,
    POLICIES,
    ROTATE,
    SEMANTICS,
    SWRR,
    LoopEngine,
    Paths,
    Run,
    mechanism,
    run_vectorised,
)
from hvdesign.validation import Real, Whole, checked, is_real
from hvdesign.workload import (  # noqa: F401 (re-exported: multipath is where they are read)
    DEFAULT_SIZE_PROBABILITIES,
    DEFAULT_SIZES_BYTES,
    Workload,
    WorkloadInputs,
    make_workload,
)

#: Where the policy is set: per LUN (MPIO) or per session (MCS).
MODES: tuple[str, ...] = ("mpio", "mcs")
#: Simulation engines: ``auto`` picks ``vectorised`` when it can (see :func:`simulate`).
ENGINES: tuple[str, ...] = ("auto", "vectorised", "loop")
#: Paths a simulation may have.
MIN_PATHS, MAX_PATHS = 2, 8
#: Bandwidth of a path [Gbit/s]: above 0, at most this (10 Tbit/s; no overflow of
#: the service time), and at least :data:`MIN_BANDWIDTH_GBPS` (1 Mbit/s).
MIN_BANDWIDTH_GBPS, MAX_BANDWIDTH_GBPS = 0.001, 10_000.0
#: Fixed time of a path [ms]: at most a minute (an hour-long "latency" is a failure).
MAX_LATENCY_MS = 60_000.0
#: A path weight (priority or share) is at most this.
MAX_WEIGHT = 1_000_000.0
#: A fail or restore time [s] is at most this (the longest stream the workload's
#: bounds allow: 10,000,000 requests at 0.01 IO/s).
MAX_EVENT_S = 1e9


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
# The inputs are validated by pydantic models whose fields say what they allow; the
# checks that need more words (one value per path, (path, seconds) events, a size mix)
# are the models' validators and raise HvdesignError themselves.


def _per_path(
    name: str, value: Any, n_paths: int, *, minimum: float, strict: bool, maximum: float
) -> list[float]:
    """A scalar (same for every path) or one finite number per path, each above
    (``strict``) or at least ``minimum``, and at most ``maximum``."""
    rel = ">" if strict else ">="
    allowed = (
        f"a number {rel} {minimum:g} and <= {maximum:g}, or a list of {n_paths} such "
        "numbers (one per path)"
    )
    values = [value] * n_paths if is_real(value) else value
    if isinstance(values, str) or not isinstance(values, Sequence | np.ndarray):
        raise HvdesignError(name, value, allowed)
    if len(values) != n_paths:
        raise HvdesignError(
            name, value, allowed, detail=f"{len(values)} values for {n_paths} paths"
        )
    out = []
    for v in values:
        if not is_real(v) or float(v) < minimum or (strict and float(v) == minimum):
            raise HvdesignError(name, value, allowed)
        if float(v) > maximum:
            raise HvdesignError(name, value, allowed, detail=f"above the limit {maximum:g}")
        out.append(float(v))
    return out


_Inputs = ConfigDict(strict=True, frozen=True)


def _choices(values: Sequence[str]) -> str:
    return ", ".join(values)


class SimulationSetup(BaseModel):
    """The scalar choices of :func:`simulate`, validated."""

    model_config = _Inputs

    n_paths: Whole = Field(
        2, ge=MIN_PATHS, le=MAX_PATHS, description=f"an integer from {MIN_PATHS} to {MAX_PATHS}"
    )
    semantics: Literal["msdsm", "guide"] = Field("msdsm", description=_choices(SEMANTICS))
    mode: Literal["mpio", "mcs"] = Field("mpio", description=_choices(MODES))
    engine: Literal["auto", "vectorised", "loop"] = Field("auto", description=_choices(ENGINES))


def _with_paths(check: Any) -> Any:
    """A before-validator calling ``check(value, n_paths, positive_weights)`` with the
    validation context's path count and weight rule."""

    def validator(value: Any, info: ValidationInfo) -> Any:
        ctx = info.context or {}
        return check(value, ctx["n_paths"], ctx.get("positive_weights", False))

    return validator


class PathInputs(BaseModel):
    """The paths of :func:`simulate` (validate with ``context={"n_paths": ..,
    "positive_weights": ..}``): per-path figures, active paths, fail and restore
    events (0-based paths inside) and the timeline bin."""

    model_config = _Inputs

    bandwidth_gbps: Annotated[
        list[float],
        BeforeValidator(
            _with_paths(
                lambda v, n, _: _per_path(
                    "bandwidth_gbps",
                    v,
                    n,
                    minimum=MIN_BANDWIDTH_GBPS,
                    strict=False,
                    maximum=MAX_BANDWIDTH_GBPS,
                )
            )
        ),
    ]
    latency_ms: Annotated[
        list[float],
        BeforeValidator(
            _with_paths(
                lambda v, n, _: _per_path(
                    "latency_ms", v, n, minimum=0.0, strict=False, maximum=MAX_LATENCY_MS
                )
            )
        ),
    ]
    weights: Annotated[
        list[float],
        BeforeValidator(
            _with_paths(
                lambda v, n, pos: _per_path(
                    "weights",
                    1.0 if v is None else v,
                    n,
                    minimum=0.0,
                    strict=pos,
                    maximum=MAX_WEIGHT,
                )
            )
        ),
    ]
    active: Annotated[list[int] | None, BeforeValidator(_with_paths(lambda v, n, _: _active(v, n)))]
    fail: Annotated[
        list[tuple[int, float]],
        BeforeValidator(_with_paths(lambda v, n, _: _events("fail", v, n))),
    ]
    restore: Annotated[
        list[tuple[int, float]],
        BeforeValidator(_with_paths(lambda v, n, _: _events("restore", v, n))),
    ]
    bin_s: Annotated[
        Real | None, Field(gt=0, allow_inf_nan=False, description="a finite number > 0")
    ] = None


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
    allowed = (
        f"a list of (path, seconds) pairs, path 1 to {n_paths}, seconds from 0 to {MAX_EVENT_S:g}"
    )
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise HvdesignError(name, value, allowed)
    out = []
    for item in value:
        if isinstance(item, str) or not isinstance(item, Sequence) or len(item) != 2:
            raise HvdesignError(name, item, allowed)
        j = _path_index(name, item[0], item, n_paths, allowed)
        if not is_real(item[1]) or not 0 <= item[1] <= MAX_EVENT_S:
            raise HvdesignError(
                name,
                item,
                allowed,
                detail=f"{quote(item[1])} is not a time from 0 to {MAX_EVENT_S:g} s",
            )
        out.append((j, float(item[1])))
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


def _active(active: Any, n_paths: int) -> list[int] | None:
    """0-based active paths (``None`` when not given)."""
    if active is None:
        return None
    allowed = f"a non-empty list of distinct path numbers from 1 to {n_paths}"
    if isinstance(active, str) or not isinstance(active, Sequence) or not active:
        raise HvdesignError("active", active, allowed)
    first = [_path_index("active", a, active, n_paths, allowed) for a in active]
    if len(set(first)) != len(first):
        raise HvdesignError("active", active, allowed, detail="a path is listed twice")
    return first


def _setup_paths(n_paths: int, inputs: PathInputs) -> Paths:
    """The engines' :class:`~hvdesign.policies.Paths` of validated inputs."""
    bw, lat = inputs.bandwidth_gbps, inputs.latency_ms
    if inputs.active is None:  # fail-over on path 1; round robin with subset: last standby
        first, primaries = [0], list(range(n_paths - 1))
    else:
        first, primaries = inputs.active, sorted(inputs.active)
    return Paths(
        n_paths,
        bw,
        lat,
        [b * 1e9 for b in bw],
        [x / 1000.0 for x in lat],
        inputs.weights,
        first + [j for j in range(n_paths) if j not in first],
        primaries,
        [j for j in range(n_paths) if j not in primaries],
    )


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
        Bandwidth of each path [Gbit/s], 0.001 to 10,000. Default 1 (1 GbE, the guide's era).
    latency_ms : float or list
        Fixed per-request time of each path [ms], 0 to 60,000: network round trip plus array
        service. Default 0.5 is an ASSUMPTION; replace with a measured figure.
    weights : list or None
        Weight of each path (weighted-paths): msdsm a priority, smaller preferred (>= 0);
        guide a share (> 0); at most 1,000,000. None: all 1 (msdsm then uses path 1; guide shares evenly).
    active : list or None
        1-based paths. fail-over-only: the first is used, the others in the given
        order then the rest take over (default ``[1]``). round-robin-with-subset:
        the primaries, the rest are standbys (default all but the last path).
    fail, restore : list of (path, seconds)
        Path failures and returns [1-based path, s from 0 to 1e9].
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
    setup = checked(
        SimulationSetup,
        {"n_paths": n_paths, "semantics": semantics, "mode": mode, "engine": engine},
    )
    n_paths = setup.n_paths
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
    context = {
        "n_paths": n_paths,
        "positive_weights": semantics == "guide" and "weighted-paths" in inst_policy,
    }
    path_inputs = {
        "bandwidth_gbps": bandwidth_gbps,
        "latency_ms": latency_ms,
        "weights": weights,
        "active": active,
        "fail": fail,
        "restore": restore,
        "bin_s": bin_s,
    }
    inputs = checked(PathInputs, path_inputs, context=context)
    paths = _setup_paths(n_paths, inputs)
    fails, restores, bin_s = inputs.fail, inputs.restore, inputs.bin_s
    events = sorted(
        [(t, 0, "fail", j) for j, t in fails] + [(t, 1, "restore", j) for j, t in restores],
        key=lambda e: (e[0], e[1]),
    )

    mechanisms = {mechanism(p, semantics) for p in inst_policy}
    can_vectorise = not events and mechanisms <= {ROTATE, SWRR}
    if engine == "vectorised" and not can_vectorise:
        why = "failures and least-queue-depth/least-blocks need the loop engine"
        raise HvdesignError("engine", engine, "'auto' or 'loop'", detail=why)
    used = "vectorised" if engine != "loop" and can_vectorise else "loop"
    if used == "vectorised":
        run = run_vectorised(workload, inst_of_lun, inst_policy, semantics, paths)
    else:
        run = LoopEngine(workload, inst_of_lun, inst_policy, semantics, paths, events).run()
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


def _summarise(
    run: Run,
    wl: Workload,
    paths: Paths,
    label: str | list[str],
    lun_policy: list[str],
    params: dict[str, Any],
    bin_s: float | None,
) -> SimulationResult:
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
    checked(SimulationSetup, {"mode": mode})
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
        name = r.policy if isinstance(r.policy, str) else r.policy[0]  # one name given
        row: dict[str, Any] = {"policy": name, "mpclaim_code": MPCLAIM_CODES[name]}
        row.update({key: getattr(r, key) for key in keys})
        row.update(retried_requests=r.retried_requests, unserved_requests=r.unserved_requests)
        row.update({f"share_requests_path{x['path']}": x["share_requests"] for x in r.per_path})
        row.update({f"utilization_path{x['path']}": x["utilization"] for x in r.per_path})
        rows.append(row)
    return pd.DataFrame(rows)
