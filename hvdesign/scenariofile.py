"""The scenario file (domain.md §8): one design file that carries everything an
architect tunes, so that the app, the report, the CLI and a colleague see the same
figures.

A scenario file is a design file (a tier preset plus overrides, :mod:`hvdesign.spec`)
with optional sections, each a PARTIAL override of the shipped defaults in the format of
the files ``--reliability`` and ``--catalog`` read:

``rules``
    The failure rules (:class:`hvdesign.failures.FailureRules`): ``reserve``,
    ``quorum`` (``auto``, ``node_majority``, ``node_and_disk_majority``),
    ``csv_redirected_io``, ``network_health_detection`` (``auto``, true or false),
    ``cluster_networks``.
``reliability``
    MTBF/MTTR per component kind and ``failover_minutes`` (``data/reliability.yaml``).
``catalog``
    Prices (``data/catalog.yaml``).
``workload``
    What the design carries (:class:`hvdesign.sizing.Workload`): ``vms``,
    ``vcpus_per_vm``, ``memory_gb_per_vm``, ``storage_gb_per_vm``, the sizing
    parameters ``host_memory_reserved_gb`` and ``vcpus_per_core``, and ``server`` (a
    model of the catalog's ``servers``). With it, ``nodes: auto`` sizes the design
    (:func:`hvdesign.sizing.size`) and the SAN is priced by the capacity it needs.
``economics``
    ``downtime_cost_per_hour_usd`` [USD/hour], ``years`` [years], and the running
    costs' ``power_usd_per_kwh`` [USD/kWh] and ``pue`` (:mod:`hvdesign.opex`).

Command-line options override the file; :func:`scenario_to_yaml` prints every section
with its effective values (the sources as comments or fields) and loads back unchanged.

Examples
--------
>>> sf = scenario_from_dict({"tier": "cluster-redundant-path", "nodes": 4,
...                          "reliability": {"host": {"mttr_hours": 24}},
...                          "economics": {"downtime_cost_per_hour_usd": 50000}})
>>> sf.reliability.mttr_hours("host"), sf.economics.downtime_cost_per_hour_usd
(24.0, 50000.0)
>>> scenario_from_dict(load_yaml_text(scenario_to_yaml(sf))) == sf
True
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hvdesign.datafiles import load_yaml_text, read_yaml
from hvdesign.errors import HvdesignError
from hvdesign.presets import TIERS

if TYPE_CHECKING:
    from hvdesign.catalog import Catalog
    from hvdesign.failures import FailureRules
    from hvdesign.reliability import Reliability
    from hvdesign.sizing import Workload
    from hvdesign.spec import Design

#: The optional sections of a scenario file, in the order they are printed.
SECTIONS: tuple[str, ...] = ("rules", "reliability", "catalog", "workload", "economics")

#: Default cost of one hour of downtime of all VMs [USD/hour] (an assumption: replace it
#: with the business's own figure).
DEFAULT_DOWNTIME_COST_PER_HOUR_USD = 10_000.0
#: Default horizon of the total cost [years].
DEFAULT_YEARS = 5.0
#: Bounds of the economics (a horizon beyond a century is not a design question).
MAX_YEARS = 100.0
MAX_DOWNTIME_COST_PER_HOUR_USD = 1e12
#: Defaults and bounds of the running costs' economics (:mod:`hvdesign.opex`).
DEFAULT_POWER_USD_PER_KWH = 0.15
DEFAULT_PUE = 1.5
MAX_POWER_USD_PER_KWH = 100.0
MAX_PUE = 10.0

#: The rules a scenario's ``rules`` section may set, with what each allows.
RULES_ALLOWED: dict[str, str] = {
    "reserve": "a whole number from 0 to the node count - 1",
    "quorum": "auto, node_majority or node_and_disk_majority",
    "csv_redirected_io": "true or false",
    "network_health_detection": "auto, true or false",
    "cluster_networks": "a list of heartbeat, management, production, storage",
}

#: What each economics field allows, in words.
ECONOMICS_ALLOWED: dict[str, str] = {
    "downtime_cost_per_hour_usd": f"a number of USD per hour from 0 to {MAX_DOWNTIME_COST_PER_HOUR_USD:g}",
    "years": f"a number of years above 0, at most {MAX_YEARS:g}",
    "power_usd_per_kwh": f"a number of USD per kWh from 0 to {MAX_POWER_USD_PER_KWH:g}",
    "pue": f"a number from 1 to {MAX_PUE:g} (total facility power / IT power)",
}


@dataclass(frozen=True)
class Economics:
    """What downtime costs and over how long the total cost runs.

    ``downtime_cost_per_hour_usd`` [USD/hour]: the cost of ALL the design's VMs down for
    an hour; ``years`` [years]: the horizon of the total cost; ``power_usd_per_kwh``
    [USD/kWh] and ``pue`` (power usage effectiveness) price the power of the running
    costs (defaults: assumptions, :mod:`hvdesign.opex`).
    """

    downtime_cost_per_hour_usd: float = DEFAULT_DOWNTIME_COST_PER_HOUR_USD
    years: float = DEFAULT_YEARS
    power_usd_per_kwh: float = DEFAULT_POWER_USD_PER_KWH
    pue: float = DEFAULT_PUE

    def to_dict(self) -> dict[str, float]:
        """Plain data in the section's format."""
        return dataclasses.asdict(self)


def _number(field: str, value: Any, low: float, high: float, *, low_open: bool = False) -> float:
    allowed = ECONOMICS_ALLOWED[field.split(".")[-1]]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise HvdesignError(field, value, allowed, detail="not a number")
    x = float(value)
    if math.isnan(x) or x > high or x < low or (low_open and x <= low):
        raise HvdesignError(field, value, allowed)
    return x


def economics_from_dict(data: Any, base: Economics | None = None) -> Economics:
    """The ``economics`` section over ``base`` (default: the shipped defaults).

    >>> economics_from_dict({"years": 3}).years
    3.0
    >>> economics_from_dict({"years": 0})
    Traceback (most recent call last):
    ...
    hvdesign.errors.HvdesignError: economics.years: 0 is not valid; allowed: a number of years above 0, at most 100
    """
    base = base or Economics()
    if data is None:
        return base
    if not isinstance(data, Mapping):
        raise HvdesignError(
            "economics", _short(data), "a mapping of " + ", ".join(ECONOMICS_ALLOWED)
        )
    values = base.to_dict()
    for key, value in data.items():
        if key not in ECONOMICS_ALLOWED:
            raise HvdesignError(
                "economics",
                _short(key),
                "one of " + ", ".join(ECONOMICS_ALLOWED),
                detail="unknown field",
            )
        if key == "years":
            values[key] = _number("economics.years", value, 0.0, MAX_YEARS, low_open=True)
        elif key == "power_usd_per_kwh":
            values[key] = _number(f"economics.{key}", value, 0.0, MAX_POWER_USD_PER_KWH)
        elif key == "pue":
            values[key] = _number(f"economics.{key}", value, 1.0, MAX_PUE)
        else:
            values[key] = _number(f"economics.{key}", value, 0.0, MAX_DOWNTIME_COST_PER_HOUR_USD)
    return Economics(**values)


def rules_from_dict(
    data: Any, design: Design, base: FailureRules | None = None, *, check: bool = True
) -> FailureRules:
    """The ``rules`` section over ``base`` (default: the default rules), checked
    against ``design`` (unless ``check`` is false: ``nodes: auto`` checks them against
    the sized design).

    >>> from hvdesign.spec import design_from_tier
    >>> rules_from_dict({"reserve": 2, "network_health_detection": "auto"},
    ...                 design_from_tier("cluster-minimal", nodes=4)).reserve
    2
    """
    from hvdesign.failures import FailureRules

    rules = base or FailureRules()
    if data is None:
        if check:
            rules.check(design)
        return rules
    if not isinstance(data, Mapping):
        raise HvdesignError("rules", _short(data), "a mapping of " + ", ".join(RULES_ALLOWED))
    changes: dict[str, Any] = {}
    for key, value in data.items():
        if key not in RULES_ALLOWED:
            raise HvdesignError(
                "rules", _short(key), "one of " + ", ".join(RULES_ALLOWED), detail="unknown rule"
            )
        ok, parsed = _RULE_PARSERS[key](value)
        if not ok:
            raise HvdesignError(f"rules.{key}", _short(value), RULES_ALLOWED[key])
        changes[key] = parsed
    rules = dataclasses.replace(rules, **changes)
    if check:
        rules.check(design)
    return rules


_NETWORKS = ("heartbeat", "management", "production", "storage")

#: One parser per rule: (valid, parsed value).
_RULE_PARSERS: dict[str, Any] = {
    "reserve": lambda v: (isinstance(v, int) and not isinstance(v, bool), v),
    "quorum": lambda v: (v in ("auto", "node_majority", "node_and_disk_majority"), v),
    "csv_redirected_io": lambda v: (isinstance(v, bool), v),
    "network_health_detection": lambda v: (
        v in ("auto", None) or isinstance(v, bool),
        None if v in ("auto", None) else v,
    ),
    "cluster_networks": lambda v: (
        isinstance(v, list) and all(isinstance(c, str) and c in _NETWORKS for c in v),
        tuple(v) if isinstance(v, list) else v,
    ),
}


def rules_to_dict(rules: FailureRules) -> dict[str, Any]:
    """The rules in the section's format (``network_health_detection: auto`` for the
    version's default)."""
    nhd = rules.network_health_detection
    return {
        "reserve": rules.reserve,
        "quorum": rules.quorum,
        "csv_redirected_io": rules.csv_redirected_io,
        "network_health_detection": "auto" if nhd is None else nhd,
        "cluster_networks": list(rules.cluster_networks),
    }


def _short(value: Any, limit: int = 60) -> Any:
    """A value cut for an error message (a long text, a deep structure)."""
    text = value if isinstance(value, str) else None
    if text is None and isinstance(value, int | float | bool) or value is None:
        return value
    text = text if text is not None else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class ScenarioFile:
    """A design with its failure rules, reliability figures, prices and economics: what
    every face of hvdesign computes from. Build it with :func:`load_scenario` or
    :func:`scenario_from_dict`; :meth:`replace` applies command-line overrides."""

    design: Design
    rules: FailureRules
    reliability: Reliability
    catalog: Catalog
    economics: Economics
    #: What the design carries (None: no workload section).
    workload: Workload | None = None
    #: ``nodes: auto``: the design's nodes were sized from the workload.
    auto_nodes: bool = False

    def __eq__(self, other: object) -> bool:
        """Equal when every effective value is equal (sources aside)."""
        if not isinstance(other, ScenarioFile):
            return NotImplemented
        return (
            self.design == other.design
            and self.rules == other.rules
            and self.reliability.key() == other.reliability.key()
            and _catalog_values(self.catalog) == _catalog_values(other.catalog)
            and self.economics == other.economics
            and self.workload == other.workload
            and self.auto_nodes == other.auto_nodes
        )

    __hash__ = None  # type: ignore[assignment]

    def replace(self, **changes: Any) -> ScenarioFile:
        """A copy with some parts replaced (``design=``, ``rules=``, ...); a design of
        another node count is no longer sized from the workload (``auto_nodes`` off:
        the manual override stays)."""
        design = changes.get("design")
        if design is not None and design.nodes != self.design.nodes:
            changes.setdefault("auto_nodes", False)
        return dataclasses.replace(self, **changes)


def _catalog_values(catalog: Catalog) -> Any:
    """The catalog without sources and years: what the figures depend on."""

    def strip(x: Any) -> Any:
        if isinstance(x, Mapping):
            return {k: strip(v) for k, v in x.items() if k not in ("source", "year")}
        return x

    return strip(catalog.to_dict())


def _drop_unchanged(overrides: Any, base: Any) -> Any:
    """The overrides that change something: an entry equal to ``base`` is dropped, so
    a file printed by :func:`scenario_to_yaml` (every value, sources as comments)
    loads back with the shipped sources kept."""
    if not isinstance(overrides, Mapping) or not isinstance(base, Mapping):
        return overrides
    out = {}
    for key, value in overrides.items():
        if key in base and isinstance(value, Mapping) and isinstance(base[key], Mapping):
            sub = _drop_unchanged(value, base[key])
            if sub:
                out[key] = sub
        elif key in base and _same(value, base[key]):
            continue
        else:
            out[key] = value
    return out


def _same(value: Any, base: Any) -> bool:
    if isinstance(base, Mapping) and "value" in base and not isinstance(value, Mapping):
        base = base["value"]
    if isinstance(value, bool) or isinstance(base, bool):
        return value is base
    if isinstance(value, int | float) and isinstance(base, int | float):
        return float(value) == float(base)
    return bool(value == base)


def scenario_from_dict(data: Any, *, where: str = "") -> ScenarioFile:
    """A scenario from a scenario file's content: the design keys go to
    :func:`hvdesign.spec.design_from_dict`, each section over the shipped defaults."""
    from hvdesign.catalog import load_catalog, merge_catalog
    from hvdesign.reliability import default_reliability
    from hvdesign.spec import design_from_dict

    if not isinstance(data, Mapping):
        raise HvdesignError(
            "design file", type(data).__name__, "a mapping of design options and sections"
        )
    design_data = {k: v for k, v in data.items() if k not in SECTIONS}
    auto = design_data.get("nodes") == "auto"
    if auto:
        if data.get("workload") is None:
            raise HvdesignError(
                "nodes", "auto", "a node count, or auto with a workload section to size from"
            )
        del design_data["nodes"]
    design = design_from_dict(design_data)
    rules = rules_from_dict(data.get("rules"), design, check=not auto)
    reliability = default_reliability()
    section = data.get("reliability")
    if section is not None:
        if not isinstance(section, Mapping):
            raise HvdesignError(
                "reliability", _short(section), "a mapping of component kinds and failover_minutes"
            )
        changed = _drop_unchanged(section, reliability.to_dict())
        if changed:
            reliability = reliability.replace(changed)
    catalog = load_catalog()
    section = data.get("catalog")
    server_edit: Any = None
    if section is not None:
        if not isinstance(section, Mapping):
            raise HvdesignError("catalog", _short(section), "a mapping of catalog items")
        changed = _drop_unchanged(section, catalog.to_dict())
        if changed:
            catalog = merge_catalog(catalog, changed, origin="scenario file", where=where)
            server_edit = changed.get("server") if isinstance(changed, Mapping) else None
    economics = economics_from_dict(data.get("economics"))
    workload = None
    if data.get("workload") is not None:
        from hvdesign.sizing import workload_from_dict

        workload = workload_from_dict(data["workload"])
        if workload.server is not None:
            catalog = catalog.with_server(workload.server)
            # The file's own server figures stay over the chosen model (those that
            # differ from the model's: a model printed whole loads back as the model).
            edit = (
                _drop_unchanged(server_edit, catalog.to_dict()["server"]) if server_edit else None
            )
            if edit:
                catalog = merge_catalog(
                    catalog, {"server": edit}, origin="scenario file", where=where
                )
    if auto:
        design = _sized(design, design_data, workload, catalog, rules)
        rules.check(design)
    return ScenarioFile(design, rules, reliability, catalog, economics, workload, auto)


def _sized(
    design: Design,
    design_data: dict[str, Any],
    workload: Workload | None,
    catalog: Catalog,
    rules: FailureRules,
) -> Design:
    """The design with the nodes :func:`hvdesign.sizing.size` finds for the workload."""
    from hvdesign.sizing import size
    from hvdesign.spec import design_from_dict

    assert workload is not None  # checked by the caller
    sized = size(workload, design.tier, catalog, reserve=rules.reserve, options=design.options())
    return design_from_dict({**design_data, "nodes": sized.nodes})


def load_scenario(path: str | Path) -> ScenarioFile:
    """The scenario of the YAML file ``path``."""
    data = read_yaml(path, "design file")
    if data is None:
        raise HvdesignError("design file", str(path), "a YAML mapping with at least a tier")
    return scenario_from_dict(data, where=f"in {path}")


def scenario_of(design: Design) -> ScenarioFile:
    """``design`` with the default rules, reliability, prices and economics."""
    return scenario_from_dict(_design_dict(design))


def _design_dict(design: Design) -> dict[str, Any]:
    from hvdesign.spec import design_to_yaml

    data = load_yaml_text(design_to_yaml(design))
    return dict(data)


def resolve_scenario(target: str) -> ScenarioFile:
    """A TARGET of the command line: a tier id (the preset with the defaults) or a
    scenario file."""
    if target in TIERS:
        return scenario_from_dict({"tier": target})
    return load_scenario(target)


def _yaml_scalar(value: Any) -> str:
    import yaml

    text = yaml.safe_dump(value, default_flow_style=True, width=10_000).strip()
    return text.removesuffix("\n...").removesuffix("...").strip()


def _comment(source: str, year: int | None) -> str:
    text = " ".join(source.split())
    return f"  # {text}" + (f" ({year})" if year else "")


def scenario_to_yaml(sf: ScenarioFile) -> str:
    """The scenario as a scenario file: the design (:func:`hvdesign.spec.design_to_yaml`)
    then every section with its effective values; reliability sources as comments,
    catalog sources as the catalog's own ``source``/``year`` fields. Loads back
    unchanged (:func:`scenario_from_dict`)."""
    import yaml

    from hvdesign.spec import design_to_yaml

    design_text = design_to_yaml(sf.design).rstrip("\n")
    if sf.auto_nodes:  # sized from the workload: print auto, the count as a comment
        lines = design_text.split("\n")
        at = next(i for i, line in enumerate(lines) if line.startswith("nodes:"))
        lines[at] = f"nodes: auto  # sized from the workload: {sf.design.nodes}"
        design_text = "\n".join(lines)
    out = [design_text, ""]
    out.append("# Failure rules (domain.md §3).")
    out.append(yaml.safe_dump({"rules": rules_to_dict(sf.rules)}, sort_keys=False).rstrip())
    out.append("")
    out.append("# Reliability: mean time between failures and to repair [hours] per kind.")
    out.append("reliability:")
    from hvdesign.reliability import default_reliability

    rel, shipped = sf.reliability.to_dict(), default_reliability().to_dict()

    def figure(fig: dict[str, Any], default: dict[str, Any]) -> str:
        if fig == default:  # the shipped figure: its value, the source as a comment
            return _yaml_scalar(fig["value"]) + _comment(fig["source"], fig["year"])
        return _yaml_scalar(fig)  # the user's own: value, source and year as data

    for kind, entry in rel.items():
        if kind == "failover_minutes":
            continue
        out.append(f"  {kind}:")
        for name, fig in entry.items():
            out.append(f"    {name}: {figure(fig, shipped[kind][name])}")
    out.append(
        f"  failover_minutes: {figure(rel['failover_minutes'], shipped['failover_minutes'])}"
    )
    out.append("")
    out.append("# Prices (the catalog's format: every item with its source and year).")
    out.append(
        yaml.safe_dump({"catalog": sf.catalog.to_dict()}, sort_keys=False, width=100).rstrip()
    )
    out.append("")
    if sf.workload is not None:
        out.append(
            "# Workload: what the design carries, and the sizing parameters (hvdesign.sizing)."
        )
        out.append(yaml.safe_dump({"workload": sf.workload.to_dict()}, sort_keys=False).rstrip())
        out.append("")
    out.append(
        "# Economics: the cost of one hour of ALL VMs down [USD/hour], the horizon [years],"
        " power [USD/kWh] and the PUE."
    )
    out.append(yaml.safe_dump({"economics": sf.economics.to_dict()}, sort_keys=False).rstrip())
    return "\n".join(out) + "\n"
