"""Reliability figures of the component kinds (domain.md §4): mean time between
failures and mean time to repair per kind, and the minutes a failover costs.

The shipped defaults live in ``data/reliability.yaml``, each figure with its source and
year (most are assumptions to replace with a vendor's figure). A user file overrides
only what it names; :func:`load_reliability` merges it over the defaults and validates
every entry, naming the bad one.

Definitions
-----------
mtbf_hours [h]
    Mean time a component stays up between failures (its mean up time; some vendors
    call this MTTF).
mttr_hours [h]
    Mean time to repair: how long a failed component stays down.
availability [0..1]
    Steady-state availability of one component, MTBF / (MTBF + MTTR), computed as
    1 / (1 + MTTR/MTBF) (MTBF + MTTR would overflow near 1e308).
failure rate [1/h]
    1 / MTBF: the rate of failure while the component is up.
failure frequency [1/h]
    1 / (MTBF + MTTR): failures per hour in the long run (one per up-down cycle).
failover_minutes [min]
    How long the VMs of a failed cluster node are down while the cluster detects the
    failure and boots them on another node.

References
----------
[1] ``shared/domain.md`` §4; ``shared/FACTS.md``, "Reliability figures".
[2] P. Gill, N. Jain, N. Nagappan, "Understanding Network Failures in Data Centers:
    Measurement, Analysis, and Implications", ACM SIGCOMM 2011.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from hvdesign.datafiles import data_path, read_yaml
from hvdesign.errors import HvdesignError
from hvdesign.scenarios import KINDS as _KINDS

#: Component kinds with reliability figures (domain.md §3), in report order: the one
#: tuple of :mod:`hvdesign.scenarios`.
KINDS = _KINDS
#: The figures of each kind.
FIGURES: tuple[str, ...] = ("mtbf_hours", "mttr_hours")
#: Hours in a (Julian) year and minutes in a year: 365.25 days.
HOURS_PER_YEAR = 8766.0
MINUTES_PER_YEAR = 525_960.0

_ALLOWED = {
    "mtbf_hours": "a positive number of hours (.inf: never fails)",
    "mttr_hours": "a number of hours >= 0 (0: repaired at once)",
    "failover_minutes": "a number of minutes >= 0",
    "source": "text",
    "year": "a whole number from 1900 to 2100, or null",
}


@dataclass(frozen=True)
class Figure:
    """One figure with its ``source`` and the ``year`` of that source."""

    value: float
    source: str
    year: int | None


@dataclass(frozen=True)
class Reliability:
    """Validated reliability figures (build with :func:`load_reliability`).

    ``figures`` maps ``(kind, figure)`` pairs (``("switch", "mtbf_hours")``) to their
    :class:`Figure`; the object is immutable and hashable, so analyses can cache on it.

    Examples
    --------
    >>> rel = load_reliability()
    >>> round(rel.availability("switch"), 6)
    0.999954
    >>> rel.failure_rate_per_hour("switch") == 1 / 175320
    True
    """

    figures: tuple[tuple[tuple[str, str], Figure], ...]
    failover: Figure

    def figure(self, kind: str, name: str) -> Figure:
        """The :class:`Figure` ``name`` (``mtbf_hours`` or ``mttr_hours``) of ``kind``."""
        for key, fig in self.figures:
            if key == (kind, name):
                return fig
        raise HvdesignError("reliability", f"{kind}.{name}", _kinds_text())

    def mtbf_hours(self, kind: str) -> float:
        """Mean time between failures of ``kind`` [h]."""
        return self.figure(kind, "mtbf_hours").value

    def mttr_hours(self, kind: str) -> float:
        """Mean time to repair of ``kind`` [h]."""
        return self.figure(kind, "mttr_hours").value

    @property
    def failover_minutes(self) -> float:
        """Minutes the VMs of a failed cluster node are down before they run again."""
        return self.failover.value

    def availability(self, kind: str) -> float:
        """Steady-state availability of one component of ``kind``: MTBF / (MTBF + MTTR),
        as 1 / (1 + MTTR/MTBF) (no overflow for an MTBF near 1e308).

        >>> r = default_reliability().replace({"host": {"mtbf_hours": 1e308, "mttr_hours": 8}})
        >>> r.availability("host"), r.unavailability("host") > 0
        (1.0, True)
        """
        mtbf, mttr = self.mtbf_hours(kind), self.mttr_hours(kind)
        if math.isinf(mtbf) or mttr == 0:
            return 1.0
        return 1.0 / (1.0 + mttr / mtbf)

    def unavailability(self, kind: str) -> float:
        """MTTR / (MTBF + MTTR), computed directly to keep its precision, as
        1 / (1 + MTBF/MTTR) (no overflow; in [0, 1])."""
        mtbf, mttr = self.mtbf_hours(kind), self.mttr_hours(kind)
        if math.isinf(mtbf) or mttr == 0:
            return 0.0
        return 1.0 / (1.0 + mtbf / mttr)

    def failure_rate_per_hour(self, kind: str) -> float:
        """Failure rate while up [1/h]: 1 / MTBF."""
        return 1.0 / self.mtbf_hours(kind)

    def failure_frequency_per_hour(self, kind: str) -> float:
        """Long-run failures per hour of one component [1/h]: 1 / (MTBF + MTTR), as
        availability / MTBF (no overflow)."""
        return self.availability(kind) / self.mtbf_hours(kind)

    def key(self) -> tuple:
        """The numbers only (no sources): what analyses depend on."""
        return tuple((k, f.value) for k, f in self.figures) + (self.failover.value,)

    def replace(self, overrides: Mapping[str, Any]) -> Reliability:
        """A copy with ``overrides`` (the same shape as a reliability file) applied.

        >>> rel = load_reliability().replace({"nic": {"mttr_hours": 0}})
        >>> rel.availability("nic")
        1.0
        """
        return _merge(self, overrides, "overrides")

    def to_dict(self) -> dict[str, Any]:
        """Plain data in the file format (every figure with source and year)."""
        data: dict[str, Any] = {}
        for (kind, name), fig in self.figures:
            data.setdefault(kind, {})[name] = {
                "value": fig.value,
                "source": fig.source,
                "year": fig.year,
            }
        data["failover_minutes"] = {
            "value": self.failover.value,
            "source": self.failover.source,
            "year": self.failover.year,
        }
        return data


def _kinds_text() -> str:
    return "one of " + ", ".join(KINDS) + ", or failover_minutes"


# ------------------------------------------------------------------ validation
#
# A reliability file is validated by pydantic models (the idiom of hvdesign.spec);
# the first pydantic error becomes an HvdesignError that names the entry, its value
# and what is allowed (:func:`_to_hvdesign`).


def _check_value(value: float, name: str) -> float:
    if math.isnan(value):
        raise PydanticCustomError("not_a_number", "not a number", {"value": value})
    bad = value <= 0 if name == "mtbf_hours" else (value < 0 or math.isinf(value))
    if bad:
        raise PydanticCustomError("out_of_range", "out of range", {"value": value})
    return value


class _FigureIn(BaseModel):
    """One figure of a file: a bare number or ``{value, source, year}``."""

    model_config = ConfigDict(extra="forbid", strict=True)
    figure: ClassVar[str] = "mtbf_hours"

    value: float
    source: str | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)

    @model_validator(mode="before")
    @classmethod
    def _bare_number(cls, data: Any) -> Any:
        return data if isinstance(data, Mapping) else {"value": data}

    @field_validator("value")
    @classmethod
    def _value_in_range(cls, value: float) -> float:
        return _check_value(value, cls.figure)

    def build(self, origin: str) -> Figure:
        """The validated :class:`Figure` (default source: the user file)."""
        source = f"user file {origin}" if self.source is None else self.source
        return Figure(float(self.value), source, self.year)


class _MtbfIn(_FigureIn):
    figure: ClassVar[str] = "mtbf_hours"


class _MttrIn(_FigureIn):
    figure: ClassVar[str] = "mttr_hours"


class _FailoverIn(_FigureIn):
    figure: ClassVar[str] = "failover_minutes"


class _KindIn(BaseModel):
    """The figures of one component kind in a file (either may be left out)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    mtbf_hours: _MtbfIn | None = None
    mttr_hours: _MttrIn | None = None


_FileIn = create_model(
    "_FileIn",
    __config__=ConfigDict(extra="forbid", strict=True),
    failover_minutes=(_FailoverIn | None, None),
    **{kind: (_KindIn | None, None) for kind in KINDS},  # type: ignore[call-overload]
)


def _to_hvdesign(err: ValidationError) -> HvdesignError:
    """The first error of a reliability file's validation, as hvdesign reports it."""
    errors = err.errors()
    # Unknown keys first, as a reader fixes a typo before a missing value.
    first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    loc = [str(x) for x in first["loc"]]
    kind, typ, value = loc[0], first["type"], first.get("input")
    if kind == "failover_minutes":
        return _figure_error("reliability.failover_minutes", "failover_minutes", loc[1:], first)
    if len(loc) == 1:
        if typ == "extra_forbidden":
            return HvdesignError(
                "reliability", kind, _kinds_text(), detail="unknown component kind"
            )
        return HvdesignError(
            f"reliability.{kind}", value, "a mapping with mtbf_hours and/or mttr_hours"
        )
    if len(loc) == 2 and typ == "extra_forbidden":
        return HvdesignError(
            f"reliability.{kind}", loc[1], "mtbf_hours or mttr_hours", detail="unknown figure"
        )
    return _figure_error(f"reliability.{kind}.{loc[1]}", loc[1], loc[2:], first)


def _figure_error(where: str, name: str, rest: list[str], error: Any) -> HvdesignError:
    """The error of one figure ``name`` at ``where``; ``rest``: the key within it."""
    key = rest[0] if rest else "value"
    typ, value = error["type"], error.get("input")
    if typ == "extra_forbidden":
        return HvdesignError(f"{where}.{key}", value, "value, source, year", detail="unknown key")
    if key in ("source", "year"):
        return HvdesignError(f"{where}.{key}", value, _ALLOWED[key])
    if typ == "missing":
        return HvdesignError(f"{where}.value", None, _ALLOWED[name], detail="missing")
    if typ == "out_of_range":
        return HvdesignError(where, error["ctx"]["value"], _ALLOWED[name])
    if typ == "not_a_number":
        value = error["ctx"]["value"]
    return HvdesignError(where, value, _ALLOWED[name], detail="not a number")


def _merge(base: Reliability | None, data: Any, origin: str) -> Reliability:
    """``data`` (a reliability file's content) over ``base`` (None: nothing yet)."""
    if not isinstance(data, Mapping):
        raise HvdesignError(
            "reliability",
            type(data).__name__,
            "a mapping of component kinds (" + ", ".join(KINDS) + ") and failover_minutes",
        )
    unknown = [k for k in data if k not in _FileIn.model_fields]
    if unknown:  # in the file's order (pydantic reports extras after the fields)
        raise HvdesignError(
            "reliability", unknown[0], _kinds_text(), detail="unknown component kind"
        )
    try:
        parsed = _FileIn.model_validate(dict(data))
    except ValidationError as err:
        raise _to_hvdesign(err) from None
    figures = dict(base.figures) if base else {}
    failover = base.failover if base else None
    if parsed.failover_minutes is not None:
        failover = parsed.failover_minutes.build(origin)
    for kind in KINDS:
        entry = getattr(parsed, kind)
        for name in FIGURES if entry is not None else ():
            fig = getattr(entry, name)
            if fig is not None:
                figures[(kind, name)] = fig.build(origin)
    missing = [f"{k}.{n}" for k in KINDS for n in FIGURES if (k, n) not in figures]
    if missing:
        raise HvdesignError(
            f"reliability.{missing[0]}", None, "a figure for every kind", detail="missing"
        )
    if failover is None:
        raise HvdesignError(
            "reliability.failover_minutes", None, _ALLOWED["failover_minutes"], detail="missing"
        )
    ordered = tuple(((k, n), figures[(k, n)]) for k in KINDS for n in FIGURES)
    return Reliability(ordered, failover)


def _read_yaml(path: Path) -> Any:
    data = read_yaml(path, "reliability file")
    return {} if data is None else data


@functools.lru_cache(maxsize=1)
def default_reliability() -> Reliability:
    """The shipped defaults (``data/reliability.yaml``), loaded once."""
    path = data_path("reliability.yaml")
    return _merge(None, _read_yaml(path), str(path))


def resolve_reliability(reliability: object) -> Reliability:
    """``reliability``, or the shipped defaults for ``None``; anything else is an
    :class:`HvdesignError`."""
    if reliability is None:
        return load_reliability()
    if not isinstance(reliability, Reliability):
        raise HvdesignError(
            "reliability",
            type(reliability).__name__,
            "a Reliability from hvdesign.reliability.load_reliability",
        )
    return reliability


def load_reliability(path: str | Path | None = None) -> Reliability:
    """The reliability figures: the shipped defaults, with the file ``path`` (YAML)
    merged over them when given (a partial file overrides only what it names).

    Errors name the bad entry, its value and what is allowed, e.g.
    ``reliability.switch.mtbf_hours: -5 is not valid; allowed: a positive number of
    hours``; unknown kinds list the kinds; malformed YAML gives the line.

    Examples
    --------
    >>> load_reliability().mttr_hours("switch")
    8.0
    """
    defaults = default_reliability()
    if path is None:
        return defaults
    path = Path(path)
    return _merge(defaults, _read_yaml(path), str(path))
