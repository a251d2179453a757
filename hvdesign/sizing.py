"""Sizing a design from its workload (domain.md §5, "Sizing from the workload") and
comparing designs that carry the SAME VMs.

Definitions
-----------
workload
    ``vms`` virtual machines of ``vcpus_per_vm`` virtual processors, ``memory_gb_per_vm``
    [GB] of memory and ``storage_gb_per_vm`` [GB] of SAN storage each.
VMs per host
    min(floor((memory_gb - host_memory_reserved_gb) / memory_gb_per_vm),
    floor(cores x vcpus_per_core / vcpus_per_vm)), from the server model's ``cores``
    and ``memory_gb`` (the catalog); ``limited_by`` names the smaller term (``memory``
    or ``cpu``; ``memory`` on a tie).
nodes
    max(the tier's minimum, ceil(vms / VMs per host) + reserve) on a cluster (N +
    ``reserve`` hosts, the failure rules' reserve); ceil(vms / VMs per host) standalone
    servers on a single-server tier (no reserve: a standalone server has no failover).
utilisation [0..1]
    With every host up and the VMs spread evenly: ``cpu_utilisation`` = vms x
    vcpus_per_vm / (nodes x cores x vcpus_per_core), ``memory_utilisation`` = vms x
    memory_gb_per_vm / (nodes x (memory_gb - host_memory_reserved_gb)).
san_usable_tb [TB]
    vms x storage_gb_per_vm / 1000 (decimal TB): what the SAN must hold; the catalog's
    cheapest SAN model of that capacity prices it (:meth:`hvdesign.catalog.Catalog.san_model`).
cost per VM per year [USD/VM/year]
    total cost / (vms x years), the total cost being capex + opex x years + downtime
    cost (:mod:`hvdesign.cost`).

Parameters with defaults (assumptions, no source read: replace them with your own):
``host_memory_reserved_gb`` = :data:`DEFAULT_HOST_MEMORY_RESERVED_GB` (memory the
parent partition keeps), ``vcpus_per_core`` = :data:`DEFAULT_VCPUS_PER_CORE` (virtual
processors per physical core: the CPU overcommit), ``storage_gb_per_vm`` =
:data:`DEFAULT_STORAGE_GB_PER_VM`.

Examples
--------
>>> from hvdesign.catalog import load_catalog
>>> w = Workload(vms=300, vcpus_per_vm=4, memory_gb_per_vm=16)
>>> s = size(w, "cluster-redundant-path", load_catalog())
>>> s.vms_per_host, s.limited_by, s.nodes  # (512 - 8) // 16 = 31 < 32 * 4 // 4 = 32
(31, 'memory', 11)
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hvdesign.errors import HvdesignError

if TYPE_CHECKING:
    import pandas as pd

    from hvdesign.catalog import Catalog, ServerItem
    from hvdesign.failures import FailureRules
    from hvdesign.reliability import Reliability
    from hvdesign.scenariofile import ScenarioFile

#: Memory the Hyper-V parent partition keeps on every host [GB] (an assumption).
DEFAULT_HOST_MEMORY_RESERVED_GB = 8.0
#: Virtual processors per physical core [vCPU/core] (an assumption: a common
#: consolidation ratio; 1 means no overcommit).
DEFAULT_VCPUS_PER_CORE = 4.0
#: SAN storage per VM [GB] when the workload does not say (an assumption).
DEFAULT_STORAGE_GB_PER_VM = 100.0
#: The most VMs a workload may have (the largest cluster: 64 x 1,024, FACTS.md).
MAX_VMS = 65_536

#: What each workload field allows, in words.
WORKLOAD_ALLOWED: dict[str, str] = {
    "vms": f"a whole number of VMs from 1 to {MAX_VMS}",
    "vcpus_per_vm": "a whole number of virtual processors from 1 to 2048",
    "memory_gb_per_vm": "a number of GB above 0, at most 1e+06",
    "storage_gb_per_vm": "a number of GB from 0 to 1e+09",
    "host_memory_reserved_gb": "a number of GB from 0 to 1e+06",
    "vcpus_per_core": "a number of virtual processors per core above 0, at most 64",
    "server": "a server model of the catalog's servers, or null (the catalog's server)",
}

#: Columns of :func:`size_table` (and the rows of ``hvdesign size --json``).
SIZE_COLUMNS: tuple[str, ...] = (
    "tier",
    "server",
    "nodes",
    "vms_per_host",
    "limited_by",
    "reserve",
    "cores",
    "memory_gb",
    "host_memory_reserved_gb",
    "vcpus_per_core",
    "cpu_utilisation",
    "memory_utilisation",
    "san_usable_tb",
)

#: Columns of :func:`compare_workload`.
WORKLOAD_COMPARE_COLUMNS: tuple[str, ...] = (
    *SIZE_COLUMNS,
    "vms",
    "capex_usd",
    "opex_usd_per_year",
    "availability",
    "vm_availability",
    "vm_downtime_minutes_per_year",
    "downtime_cost_usd",
    "total_cost_usd",
    "cost_per_vm_per_year_usd",
    "pareto",
)


@dataclass(frozen=True)
class Workload:
    """What the design must carry, and the sizing parameters (see the module
    docstring): ``vms``, ``vcpus_per_vm``, ``memory_gb_per_vm`` [GB],
    ``storage_gb_per_vm`` [GB], ``host_memory_reserved_gb`` [GB], ``vcpus_per_core``
    [vCPU/core] and ``server`` (a model of the catalog's ``servers``; None: the
    catalog's ``server``). Built checked by :func:`workload_from_dict`."""

    vms: int
    vcpus_per_vm: int
    memory_gb_per_vm: float
    storage_gb_per_vm: float = DEFAULT_STORAGE_GB_PER_VM
    host_memory_reserved_gb: float = DEFAULT_HOST_MEMORY_RESERVED_GB
    vcpus_per_core: float = DEFAULT_VCPUS_PER_CORE
    server: str | None = None

    def __post_init__(self) -> None:
        """Check every field (one :class:`HvdesignError` naming ``workload.FIELD``)."""
        for name in WORKLOAD_ALLOWED:
            _check(name, getattr(self, name))

    @property
    def san_usable_tb(self) -> float:
        """SAN capacity the VMs need [TB]: vms x storage_gb_per_vm / 1000."""
        return self.vms * self.storage_gb_per_vm / 1000.0

    def to_dict(self) -> dict[str, Any]:
        """Plain data in the scenario file's ``workload`` format."""
        return dataclasses.asdict(self)


_BOUNDS: dict[str, tuple[float, float, bool]] = {  # (low, high, low excluded)
    "vms": (1, MAX_VMS, False),
    "vcpus_per_vm": (1, 2048, False),
    "memory_gb_per_vm": (0, 1e6, True),
    "storage_gb_per_vm": (0, 1e9, False),
    "host_memory_reserved_gb": (0, 1e6, False),
    "vcpus_per_core": (0, 64, True),
}


def _check(name: str, value: Any) -> None:
    field, allowed = f"workload.{name}", WORKLOAD_ALLOWED[name]
    if name == "server":
        if value is not None and not isinstance(value, str):
            raise HvdesignError(field, value, allowed)
        return
    whole = name in ("vms", "vcpus_per_vm")
    kinds = int if whole else int | float
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise HvdesignError(field, value, allowed, detail="not a number" if not whole else "")
    low, high, open_low = _BOUNDS[name]
    if math.isnan(value) or value > high or value < low or (open_low and value <= low):
        raise HvdesignError(field, value, allowed)


def workload_from_dict(data: Any, base: Workload | None = None) -> Workload:
    """The ``workload`` section of a scenario file (over ``base``'s values when given;
    ``vms``, ``vcpus_per_vm`` and ``memory_gb_per_vm`` are required without a base).

    >>> workload_from_dict({"vms": 300, "vcpus_per_vm": 4, "memory_gb_per_vm": 16}).vcpus_per_core
    4.0
    >>> workload_from_dict({"vms": 0, "vcpus_per_vm": 4, "memory_gb_per_vm": 16})
    Traceback (most recent call last):
    ...
    hvdesign.errors.HvdesignError: workload.vms: 0 is not valid; allowed: a whole number of VMs from 1 to 65536
    """
    if not isinstance(data, Mapping):
        raise HvdesignError("workload", data, "a mapping of " + ", ".join(WORKLOAD_ALLOWED))
    values: dict[str, Any] = base.to_dict() if base is not None else {}
    for key, value in data.items():
        if key not in WORKLOAD_ALLOWED:
            raise HvdesignError(
                "workload", key, "one of " + ", ".join(WORKLOAD_ALLOWED), detail="unknown field"
            )
        values[key] = value
    for key in ("vms", "vcpus_per_vm", "memory_gb_per_vm"):
        if key not in values:
            raise HvdesignError(f"workload.{key}", None, WORKLOAD_ALLOWED[key], detail="missing")
    floats = {
        k: float(v)
        for k, v in values.items()
        if k in _BOUNDS
        and k not in ("vms", "vcpus_per_vm")
        and isinstance(v, int | float)
        and not isinstance(v, bool)
    }
    for k in floats:
        _check(k, values[k])
    return Workload(**{**values, **floats})


# ------------------------------------------------------------------- sizing


def vms_per_host(server: ServerItem, workload: Workload) -> tuple[int, str]:
    """(VMs one host of ``server`` carries, the binding constraint ``memory`` or
    ``cpu``); an error when not even one VM fits.

    >>> from hvdesign.catalog import load_catalog
    >>> small = load_catalog().servers["small"]  # 16 cores, 256 GB
    >>> vms_per_host(small, Workload(100, 8, 8))  # memory (256-8)//8 = 31, cpu 16*4//8 = 8
    (8, 'cpu')
    """
    by_memory = math.floor(
        (server.memory_gb - workload.host_memory_reserved_gb) / workload.memory_gb_per_vm
    )
    by_cpu = math.floor(server.cores * workload.vcpus_per_core / workload.vcpus_per_vm)
    n, limit = (by_memory, "memory") if by_memory <= by_cpu else (by_cpu, "cpu")
    if n < 1:
        raise HvdesignError(
            "workload",
            f"{workload.vcpus_per_vm} vCPU, {workload.memory_gb_per_vm:g} GB per VM",
            f"VMs that fit one host of the server ({server.cores} cores x "
            f"{workload.vcpus_per_core:g} vCPU/core, {server.memory_gb:g} GB - "
            f"{workload.host_memory_reserved_gb:g} GB reserved)",
            detail=f"no VM fits one host: limited by {limit}; choose a larger server",
        )
    return n, limit


@dataclass(frozen=True)
class Sizing:
    """One sized design: the fields of :data:`SIZE_COLUMNS` (see the module docstring)."""

    tier: str
    server: str
    nodes: int
    vms_per_host: int
    limited_by: str
    reserve: int
    cores: int
    memory_gb: float
    host_memory_reserved_gb: float
    vcpus_per_core: float
    cpu_utilisation: float
    memory_utilisation: float
    san_usable_tb: float

    def to_dict(self) -> dict[str, Any]:
        """Plain data (one row of ``hvdesign size --json``)."""
        return dataclasses.asdict(self)


def server_of(catalog: Catalog, model: str | None) -> tuple[str, ServerItem, Catalog]:
    """(name, server, catalog with it as the design's server) of ``model`` (None: the
    catalog's ``server``, named after the model of ``servers`` it equals, else
    ``server``).

    >>> from hvdesign.catalog import load_catalog
    >>> server_of(load_catalog(), None)[0]  # the shipped server is the medium model
    'medium'
    """

    if model is None:
        name = next((n for n, m in catalog.servers.items() if m == catalog.server), "server")
        return name, catalog.server, catalog
    cat = catalog.with_server(model)
    return model, cat.server, cat


def size(
    workload: Workload,
    tier: str,
    catalog: Catalog | None = None,
    *,
    server: str | None = None,
    reserve: int = 1,
    options: Mapping[str, Any] | None = None,
) -> Sizing:
    """Size ``tier`` for ``workload`` on the server model ``server`` (default: the
    workload's, else the catalog's ``server``) with ``reserve`` hosts (clusters only)
    and the design ``options`` (the Windows Server version sets the node limit).

    An error when no VM fits a host, or when the nodes needed exceed the version's
    cluster node limit.
    """
    from hvdesign.catalog import load_catalog
    from hvdesign.spec import NODE_LIMITS, design_from_tier

    cat = catalog or load_catalog()
    name, item, _ = server_of(cat, server if server is not None else workload.server)
    per_host, limit = vms_per_host(item, workload)
    opts = {k: v for k, v in (options or {}).items() if k not in ("nodes", "tier")}
    probe = design_from_tier(tier, **opts)
    needed = math.ceil(workload.vms / per_host)
    res = reserve if probe.cluster else 0
    nodes = max(2, needed + res) if probe.cluster else needed
    top = NODE_LIMITS[probe.windows_version]
    if nodes > top:
        raise HvdesignError(
            "nodes",
            nodes,
            f"at most {top} on Windows Server {probe.windows_version} (the version's node limit)",
            detail=f"{tier} needs ceil({workload.vms} / {per_host}) + {res} hosts of the "
            f"{name} server for the workload; choose a larger server",
        )
    usable = item.memory_gb - workload.host_memory_reserved_gb
    return Sizing(
        tier=tier,
        server=name,
        nodes=nodes,
        vms_per_host=per_host,
        limited_by=limit,
        reserve=res,
        cores=item.cores,
        memory_gb=item.memory_gb,
        host_memory_reserved_gb=workload.host_memory_reserved_gb,
        vcpus_per_core=workload.vcpus_per_core,
        cpu_utilisation=workload.vms
        * workload.vcpus_per_vm
        / (nodes * item.cores * workload.vcpus_per_core),
        memory_utilisation=workload.vms * workload.memory_gb_per_vm / (nodes * usable),
        san_usable_tb=workload.san_usable_tb,
    )


def size_all(
    workload: Workload,
    catalog: Catalog | None = None,
    *,
    tiers: Iterable[str] | None = None,
    servers: Iterable[str | None] | None = None,
    reserve: int = 1,
    options: Mapping[str, Any] | None = None,
) -> tuple[list[Sizing], list[HvdesignError]]:
    """Every tier of ``tiers`` (default: all five) on every server model of ``servers``
    (default: the workload's or the catalog's server; pass ``catalog.servers`` for all):
    (the sizings that carry the workload, the errors of those that cannot). An error
    when none can."""
    from hvdesign.catalog import load_catalog
    from hvdesign.presets import TIERS

    cat = catalog or load_catalog()
    models = [workload.server] if servers is None else list(servers)
    rows, refused = [], []
    for tier in TIERS if tiers is None else tiers:
        for model in models:
            try:
                rows.append(
                    size(workload, tier, cat, server=model, reserve=reserve, options=options)
                )
            except HvdesignError as err:
                refused.append(err)
    if not rows:
        raise refused[0]
    return rows, refused


def size_table(sizings: Iterable[Sizing]) -> pd.DataFrame:
    """The sizings as a table (columns :data:`SIZE_COLUMNS`)."""
    import pandas as pd

    return pd.DataFrame([s.to_dict() for s in sizings], columns=list(SIZE_COLUMNS))


# ---------------------------------------------------- compare at equal capacity


def compare_workload(
    workload: Workload,
    *,
    tiers: Iterable[str] | None = None,
    servers: Iterable[str | None] | None = None,
    catalog: Catalog | None = None,
    reliability: Reliability | None = None,
    rules: FailureRules | None = None,
    downtime_cost_per_hour: float | None = None,
    years: float | None = None,
    power_usd_per_kwh: float | None = None,
    pue: float | None = None,
    options: Mapping[str, Any] | None = None,
    hba: bool = False,
) -> pd.DataFrame:
    """Every tier (on every server model of ``servers``) sized for the SAME
    ``workload`` (:func:`size_all`), priced and rated: one row per design that carries
    it, columns :data:`WORKLOAD_COMPARE_COLUMNS`: the sizing, ``vms``, ``capex_usd``
    [USD] (the SAN priced by ``san_usable_tb``; Standard licences by the VMs a host may
    run), ``opex_usd_per_year`` [USD/year], ``availability``, ``vm_availability``,
    ``vm_downtime_minutes_per_year``, ``downtime_cost_usd`` and ``total_cost_usd``
    (= capex + opex x years + downtime cost) [USD over ``years``],
    ``cost_per_vm_per_year_usd`` and ``pareto`` (the frontier of total cost against VM
    downtime). ``attrs``: the economics and ``refused`` (why the other designs cannot
    carry the workload). Defaults: the shipped catalog, reliability, rules and
    economics.
    """
    import pandas as pd

    from hvdesign.availability import availability
    from hvdesign.catalog import load_catalog
    from hvdesign.cost import (
        DEFAULT_DOWNTIME_COST_PER_HOUR_USD,
        DEFAULT_YEARS,
        _capex,
        _opex,
        design_counts,
        downtime_cost,
        pareto_front,
    )
    from hvdesign.failures import FailureRules
    from hvdesign.opex import DEFAULT_POWER_USD_PER_KWH, DEFAULT_PUE
    from hvdesign.spec import design_from_tier

    cat = catalog or load_catalog()
    rules = rules or FailureRules()
    per_hour = (
        DEFAULT_DOWNTIME_COST_PER_HOUR_USD
        if downtime_cost_per_hour is None
        else downtime_cost_per_hour
    )
    years = DEFAULT_YEARS if years is None else years
    price = DEFAULT_POWER_USD_PER_KWH if power_usd_per_kwh is None else power_usd_per_kwh
    pue = DEFAULT_PUE if pue is None else pue
    sizings, refused = size_all(
        workload, cat, tiers=tiers, servers=servers, reserve=rules.reserve, options=options
    )
    opts = {k: v for k, v in (options or {}).items() if k not in ("nodes", "tier")}
    rows = []
    for s in sizings:
        design = design_from_tier(s.tier, **opts, nodes=s.nodes)
        _, _, scat = server_of(cat, None if s.server == "server" else s.server)
        c = design_counts(design)
        cap = _capex(c, scat, hba, s.san_usable_tb, s.vms_per_host)
        run = _opex(c, scat, hba, price, pue, s.san_usable_tb, s.vms_per_host)
        r = availability(design, reliability, rules)
        down = downtime_cost(r.vm_downtime_minutes_per_year, per_hour, years)
        total = cap + run * years + down
        rows.append(
            {
                **s.to_dict(),
                "vms": workload.vms,
                "capex_usd": cap,
                "opex_usd_per_year": run,
                "availability": r.availability,
                "vm_availability": r.vm_availability,
                "vm_downtime_minutes_per_year": r.vm_downtime_minutes_per_year,
                "downtime_cost_usd": down,
                "total_cost_usd": total,
                "cost_per_vm_per_year_usd": total / (workload.vms * years),
            }
        )
    df = pd.DataFrame(rows, columns=[c for c in WORKLOAD_COMPARE_COLUMNS if c != "pareto"])
    df["pareto"] = pareto_front(df["total_cost_usd"], df["vm_downtime_minutes_per_year"])
    df.attrs.update(
        downtime_cost_per_hour=per_hour,
        years=years,
        power_usd_per_kwh=price,
        pue=pue,
        workload=workload.to_dict(),
        refused=[str(e) for e in refused],
    )
    return df


def compare_scenario(
    sf: ScenarioFile,
    *,
    all_servers: bool = False,
    tiers: Iterable[str] | None = None,
    hba: bool = False,
    workload: Workload | None = None,
    options: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """:func:`compare_workload` of a scenario with a ``workload`` section (or the
    ``workload`` given): its catalog, reliability, rules, economics and shared design
    options (or ``options``); every server model of the catalog with ``all_servers``,
    else the workload's server. The function the report, the app and ``hvdesign
    compare --vms`` call."""
    from hvdesign.cost import shared_options

    workload = workload or sf.workload
    if workload is None:
        raise HvdesignError(
            "workload",
            None,
            "a workload section (vms, vcpus_per_vm, memory_gb_per_vm)",
            detail="missing",
        )
    econ = sf.economics
    return compare_workload(
        workload,
        tiers=tiers,
        servers=list(sf.catalog.servers) if all_servers else None,
        catalog=sf.catalog,
        reliability=sf.reliability,
        rules=sf.rules,
        downtime_cost_per_hour=econ.downtime_cost_per_hour_usd,
        years=econ.years,
        power_usd_per_kwh=econ.power_usd_per_kwh,
        pue=econ.pue,
        options=shared_options(sf.design) if options is None else options,
        hba=hba,
    )
