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
    Steady-state availability of one component, MTBF / (MTBF + MTTR).
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

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hvdesign.datafiles import data_path, read_yaml
from hvdesign.errors import HvdesignError

#: Component kinds with reliability figures (domain.md §3), in report order.
KINDS: tuple[str, ...] = ("host", "nic", "nic_card", "switch", "uplink", "isl", "san_port", "san")
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
        """Steady-state availability of one component of ``kind``: MTBF / (MTBF + MTTR)."""
        mtbf, mttr = self.mtbf_hours(kind), self.mttr_hours(kind)
        if math.isinf(mtbf) or mttr == 0:
            return 1.0
        return mtbf / (mtbf + mttr)

    def unavailability(self, kind: str) -> float:
        """MTTR / (MTBF + MTTR), computed directly to keep its precision."""
        mtbf, mttr = self.mtbf_hours(kind), self.mttr_hours(kind)
        if math.isinf(mtbf) or mttr == 0:
            return 0.0
        return mttr / (mtbf + mttr)

    def failure_rate_per_hour(self, kind: str) -> float:
        """Failure rate while up [1/h]: 1 / MTBF."""
        return 1.0 / self.mtbf_hours(kind)

    def failure_frequency_per_hour(self, kind: str) -> float:
        """Long-run failures per hour of one component [1/h]: 1 / (MTBF + MTTR)."""
        return 1.0 / (self.mtbf_hours(kind) + self.mttr_hours(kind))

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


def _number(where: str, value: Any, name: str) -> float:
    allowed = _ALLOWED[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise HvdesignError(where, value, allowed, detail="not a number")
    value = float(value)
    if math.isnan(value):
        raise HvdesignError(where, value, allowed, detail="not a number")
    if name == "mtbf_hours" and value <= 0:
        raise HvdesignError(where, value, allowed)
    if name != "mtbf_hours" and (value < 0 or math.isinf(value)):
        raise HvdesignError(where, value, allowed)
    return value


def _figure(where: str, raw: Any, name: str, old: Figure | None, origin: str) -> Figure:
    """Validate one figure: a bare number or ``{value, source, year}``."""
    if isinstance(raw, Mapping):
        unknown = set(raw) - {"value", "source", "year"}
        if unknown:
            key = sorted(map(str, unknown))[0]
            raise HvdesignError(
                f"{where}.{key}", raw[key], "value, source, year", detail="unknown key"
            )
        if "value" not in raw:
            raise HvdesignError(f"{where}.value", None, _ALLOWED[name], detail="missing")
        value = _number(f"{where}", raw["value"], name)
        source = raw.get("source", f"user file {origin}")
        if not isinstance(source, str):
            raise HvdesignError(f"{where}.source", source, _ALLOWED["source"])
        year = raw.get("year")
        if year is not None and (
            isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100
        ):
            raise HvdesignError(f"{where}.year", year, _ALLOWED["year"])
        return Figure(value, source, year)
    value = _number(where, raw, name)
    return Figure(value, f"user file {origin}", None)


def _merge(base: Reliability | None, data: Any, origin: str) -> Reliability:
    """``data`` (a reliability file's content) over ``base`` (None: nothing yet)."""
    if not isinstance(data, Mapping):
        raise HvdesignError(
            "reliability",
            type(data).__name__,
            "a mapping of component kinds (" + ", ".join(KINDS) + ") and failover_minutes",
        )
    figures = dict(base.figures) if base else {}
    failover = base.failover if base else None
    for kind, entry in data.items():
        if kind == "failover_minutes":
            failover = _figure(
                "reliability.failover_minutes", entry, "failover_minutes", failover, origin
            )
            continue
        if kind not in KINDS:
            raise HvdesignError("reliability", kind, _kinds_text(), detail="unknown component kind")
        if not isinstance(entry, Mapping):
            raise HvdesignError(
                f"reliability.{kind}", entry, "a mapping with mtbf_hours and/or mttr_hours"
            )
        for name, raw in entry.items():
            if name not in FIGURES:
                raise HvdesignError(
                    f"reliability.{kind}", name, "mtbf_hours or mttr_hours", detail="unknown figure"
                )
            where = f"reliability.{kind}.{name}"
            figures[(kind, name)] = _figure(where, raw, name, figures.get((kind, name)), origin)
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


_DEFAULTS: Reliability | None = None


def default_reliability() -> Reliability:
    """The shipped defaults (``data/reliability.yaml``), loaded once."""
    global _DEFAULTS
    if _DEFAULTS is None:
        path = data_path("reliability.yaml")
        _DEFAULTS = _merge(None, _read_yaml(path), str(path))
    return _DEFAULTS


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
