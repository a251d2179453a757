"""The I/O request stream of the multipath simulator (:mod:`hvdesign.multipath`):
Poisson arrivals, a mix of sizes, reads and writes, spread uniformly over LUNs, drawn
from a seeded generator so the same arguments give the same stream.

The inputs are validated by :class:`WorkloadInputs` (a pydantic model whose fields
say what they allow); every problem is one :class:`~hvdesign.errors.HvdesignError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator

from hvdesign.errors import HvdesignError
from hvdesign.validation import Real, Whole, checked

#: Default request sizes [bytes] and their probabilities: an ASSUMED mix of small
#: (4 KiB), medium (64 KiB) and large (256 KiB) I/O; replace with measured sizes.
DEFAULT_SIZES_BYTES: tuple[int, ...] = (4096, 65536, 262144)
DEFAULT_SIZE_PROBABILITIES: tuple[float, ...] = (0.6, 0.3, 0.1)
#: Arrival rate bounds [IO/s]: at the slowest, 10,000,000 requests span 1e9 s, where a
#: double still resolves 1e-7 s (a latency below the path's own cannot appear).
MIN_RATE_IOPS, MAX_RATE_IOPS = 0.01, 10_000_000.0
#: The largest request [bytes]: 1 GiB.
MAX_SIZE_BYTES = 2**30


def _sizes(sizes_bytes: Any) -> list[int]:
    sizes = [sizes_bytes] if isinstance(sizes_bytes, int | np.integer) else sizes_bytes
    if (
        isinstance(sizes, str)
        or not isinstance(sizes, Sequence | np.ndarray)
        or not len(sizes)
        or any(
            isinstance(x, bool)
            or not isinstance(x, int | np.integer)
            or not 0 < x <= MAX_SIZE_BYTES
            for x in sizes
        )
    ):
        allowed = f"a non-empty list of whole numbers from 1 to {MAX_SIZE_BYTES} [bytes]"
        raise HvdesignError("sizes_bytes", sizes_bytes, allowed)
    return [int(x) for x in sizes]


def _probabilities(sizes: list[int], size_probabilities: Any) -> tuple[float, ...]:
    """The probability of each size, normalised to sum exactly 1."""
    if size_probabilities is None:  # the default mix, or equally likely sizes
        if tuple(sizes) == DEFAULT_SIZES_BYTES:
            return DEFAULT_SIZE_PROBABILITIES
        return tuple([1.0 / len(sizes)] * len(sizes))
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
    return tuple(float(x) for x in probs / probs.sum())


class WorkloadInputs(BaseModel):
    """The inputs of :func:`make_workload`, validated; each field says what it allows."""

    model_config = ConfigDict(strict=True, frozen=True)

    n_ios: Whole = Field(ge=1, le=10_000_000, description="an integer from 1 to 10000000")
    arrival_rate_iops: Real = Field(
        ge=MIN_RATE_IOPS,
        le=MAX_RATE_IOPS,
        allow_inf_nan=False,
        description=f"a number from {MIN_RATE_IOPS:g} to {MAX_RATE_IOPS:g} [IO/s]",
    )
    n_luns: Whole = Field(ge=1, le=4096, description="an integer from 1 to 4096")
    read_fraction: Real = Field(ge=0, le=1, allow_inf_nan=False, description="a number from 0 to 1")
    sizes_bytes: Annotated[list[int], BeforeValidator(_sizes)]
    size_probabilities: tuple[float, ...]
    seed: Annotated[Whole | None, Field(ge=0, description="a whole number >= 0, or None")]

    @field_validator("size_probabilities", mode="before")
    @classmethod
    def _mix(cls, value: Any, info: ValidationInfo) -> tuple[float, ...]:
        if "sizes_bytes" not in info.data:  # the sizes are wrong: that is the error
            return ()
        return _probabilities(info.data["sizes_bytes"], value)


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
        Poisson arrival rate [IO/s], 0.01 to 10,000,000.
    n_luns : int
        LUNs the requests are spread over, uniformly [-], 1 to 4096.
    seed : int or None
        Seed of the generator (None: fresh entropy).
    read_fraction : float
        Probability that a request is a read [0..1]; 0.7 is an ASSUMED default.
    sizes_bytes, size_probabilities : sequences
        Request sizes [bytes, 1 to 2**30] and their probabilities. None: 0.6/0.3/0.1 for the
        default sizes (an ASSUMED mix), equally likely for others.

    The draws, in this order: inter-arrival times (exponential), sizes, read flags,
    LUNs. The same arguments give the same stream.

    >>> w = make_workload(5, 100.0, n_luns=2, seed=1)
    >>> w.n_ios, w.n_luns, bool((np.diff(w.arrival_s) > 0).all())
    (5, 2, True)
    """
    inputs = checked(
        WorkloadInputs,
        {
            "n_ios": n_ios,
            "arrival_rate_iops": arrival_rate_iops,
            "n_luns": n_luns,
            "read_fraction": read_fraction,
            "sizes_bytes": sizes_bytes,
            "size_probabilities": size_probabilities,
            "seed": seed,
        },
    )
    n_ios, rate, n_luns = inputs.n_ios, inputs.arrival_rate_iops, inputs.n_luns
    read_fraction, sizes, seed = inputs.read_fraction, inputs.sizes_bytes, inputs.seed
    probs = np.asarray(inputs.size_probabilities)
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
