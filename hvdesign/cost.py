"""Cost of a design (domain.md §5): the bill of materials, capital
cost, cost per VM, total cost over a horizon with a cost of downtime, cost per "nine"
of availability, and the comparison of every tier at every node count with its Pareto
frontier of capital cost against downtime.

Quantities come from the design graph (:mod:`hvdesign.counts`), never from a table of
formulas: servers = hosts; NIC cards = hosts x the distinct cards of the host layout;
switches = the switch units every logical switch needs; cables = one per cable of the
cabling plan (host connections, SAN target portals, core uplinks, inter-switch links);
the SAN = its base plus one price per target portal; optional hardware iSCSI HBAs;
one licence per host. Prices come from the catalog (:mod:`hvdesign.catalog`,
``data/catalog.yaml``, every figure with its source and year; most are placeholders
to replace with a quote).

Definitions
-----------
capital cost [USD]
    The sum of the bill of materials.
opex [USD/year]
    The running costs (:mod:`hvdesign.opex`): power (watts x 8,766 h / 1000 x PUE x
    USD/kWh), hardware support and licence subscriptions (the shipped licences are
    perpetual: capital cost).
total cost [USD]
    capital cost + opex x horizon [years] + expected downtime cost, where the
    expected downtime cost =
    VM-weighted downtime [minutes/year] / 60 x cost of downtime [USD/hour] x horizon
    [years]. The VM-weighted downtime (:mod:`hvdesign.availability`, domain.md §4:
    "what an architect compares") is (1 - vm_availability) x 525,960 (every state
    weighted by the share of VMs it stops) plus every failover restart weighted by the
    share of VMs it stops: the minutes a year an average VM is down, i.e. minutes of
    ALL VMs down; so the cost of downtime per hour is the cost of all the design's
    VMs being down for an hour. Capital cost is not discounted and the design is not
    replaced within the horizon.
nines
    -log10(unavailability): 0.999 is 3 nines, 0.9999 is 4 (``nines``: of the service
    availability; ``vm_nines``: of the VM-weighted downtime,
    -log10(vm_downtime_minutes_per_year / 525,960)).
cost per nine [USD/nine]
    capital cost / VM nines. Undefined (NaN) when the VM downtime is a whole year; 0
    when it is exactly 0.
cost per VM [USD/VM]
    capital cost / the VMs the design runs: ``vms_per_host`` is what one host can run;
    a cluster keeps ``reserve`` hosts' capacity free (N+1), so it runs
    vms_per_host x (nodes - reserve) VMs; N standalone servers run vms_per_host x N.
Pareto frontier
    The designs no other design beats on both capital cost and VM-weighted downtime:
    no other design has lower-or-equal capital cost AND lower-or-equal downtime with
    one of them strictly lower.

References
----------
[1] ``shared/domain.md`` sections 4 and 5.
[2] ``shared/FACTS.md``, "Prices": the Windows Server Datacenter list price.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from hvdesign.bom import (  # noqa: F401 (re-exported: the bill of materials was here)
    BOM_COLUMNS,
    CATEGORIES,
    DesignCounts,
    _capex,
    _opex,
    bill_of_materials,
    design_counts,
    opex,
)
from hvdesign.catalog import (  # noqa: F401 (re-exported: cost is where prices were read)
    CATALOG_ITEMS,
    Catalog,
    Licence,
    PriceItem,
    catalog_from_dict,
    load_catalog,
    merge_catalog,
)
from hvdesign.errors import HvdesignError
from hvdesign.opex import DEFAULT_POWER_USD_PER_KWH, DEFAULT_PUE
from hvdesign.spec import NODE_LIMITS, TIERS, Design, design_from_tier, node_counts
from hvdesign.validation import is_real

if TYPE_CHECKING:
    from hvdesign.availability import AvailabilityResult
    from hvdesign.failures import FailureRules
    from hvdesign.reliability import Reliability

#: Default cost of one hour of downtime of ALL the design's VMs [USD/hour]. An
#: assumption (no source): replace it with your business's figure.
DEFAULT_DOWNTIME_COST_PER_HOUR_USD = 10_000.0

#: Default horizon of the total cost [years] (a common hardware refresh cycle; an
#: assumption).
DEFAULT_YEARS = 5.0

#: Default VMs one host can run [VMs/host] (an assumption; cost per VM only).
DEFAULT_VMS_PER_HOST = 20

#: Sweeps of more designs than this show a progress bar when asked to.
PROGRESS_MIN_DESIGNS = 40

#: Columns of :func:`compare`.
COMPARE_COLUMNS = [
    "tier",
    "nodes",
    "capex_usd",
    "opex_usd_per_year",
    "availability",
    "vm_availability",
    "nines",
    "vm_nines",
    "downtime_minutes_per_year",
    "vm_downtime_minutes_per_year",
    "downtime_cost_usd",
    "total_cost_usd",
    "cost_per_nine_usd",
    "pareto",
]


def capex(design: Design, catalog: Catalog | None = None, *, hba: bool = False) -> float:
    """Capital cost of ``design`` [USD]: the sum of its bill of materials.

    >>> from hvdesign.spec import design_from_tier
    >>> capex(design_from_tier("cluster-redundant-path", nodes=4))
    195690.0
    """
    if catalog is not None and not isinstance(catalog, Catalog):
        raise HvdesignError(
            "catalog", type(catalog).__name__, "a Catalog (hvdesign.catalog.load_catalog)"
        )
    return _capex(design_counts(design), catalog or load_catalog(), hba)


def vms_served(design: Design, vms_per_host: int, rules: FailureRules | None = None) -> int:
    """VMs the design runs [VMs]: ``vms_per_host`` x (nodes - reserve) on a cluster
    (sized for N - reserve hosts, domain.md §4), ``vms_per_host`` x nodes for
    standalone servers.

    >>> from hvdesign.spec import design_from_tier
    >>> vms_served(design_from_tier("cluster-minimal", nodes=4), 20)
    60
    """
    if isinstance(vms_per_host, bool) or not isinstance(vms_per_host, int) or vms_per_host < 1:
        raise HvdesignError("vms_per_host", vms_per_host, "a whole number >= 1")
    if rules is not None:
        rules.check(design)  # a negative or too large reserve is an error here too
    reserve = (rules.reserve if rules is not None else 1) if design.cluster else 0
    if design.nodes - reserve < 1:
        raise HvdesignError(
            "reserve",
            reserve,
            f"less than the {design.nodes} nodes",
            detail="no host capacity left for VMs",
        )
    return vms_per_host * (design.nodes - reserve)


def cost_per_vm(
    design: Design,
    vms_per_host: int = DEFAULT_VMS_PER_HOST,
    catalog: Catalog | None = None,
    *,
    hba: bool = False,
    rules: FailureRules | None = None,
) -> float:
    """Capital cost per VM [USD/VM]: capex / :func:`vms_served`.

    >>> from hvdesign.spec import design_from_tier
    >>> cost_per_vm(design_from_tier("cluster-redundant-path", nodes=4), 20)  # 195690 / 60
    3261.5
    """
    return capex(design, catalog, hba=hba) / vms_served(design, vms_per_host, rules)


def nines(unavailability: float) -> float:
    """Number of nines of an availability, from its unavailability (1 - availability,
    given directly to keep its precision): -log10(unavailability).

    >>> nines(1e-3), nines(0.0)
    (3.0, inf)
    """
    if unavailability <= 0:
        return math.inf
    return -math.log10(unavailability)


def _per_nine(capex_usd: float, n: float) -> float:
    if n <= 0 or math.isnan(n):
        return math.nan
    return capex_usd / n  # 0 when n is infinite


def downtime_cost(
    vm_downtime_minutes_per_year: float, downtime_cost_per_hour: float, years: float
) -> float:
    """Expected downtime cost [USD] = VM-weighted downtime [minutes/year] / 60 x cost
    of downtime [USD/hour] x horizon [years].

    >>> downtime_cost(60.0, 10_000, 5)
    50000.0
    """
    for name, value in (
        ("vm_downtime_minutes_per_year", vm_downtime_minutes_per_year),
        ("downtime_cost_per_hour", downtime_cost_per_hour),
        ("years", years),
    ):
        if not (is_real(value) and 0 <= value < math.inf):
            raise HvdesignError(name, value, "a finite number >= 0")
    return vm_downtime_minutes_per_year / 60.0 * downtime_cost_per_hour * years


def _availability(
    design: Design, reliability: Reliability | None, rules: FailureRules | None
) -> AvailabilityResult:
    from hvdesign.availability import availability

    return availability(design, reliability, rules)


def total_cost(
    design: Design,
    years: float = DEFAULT_YEARS,
    downtime_cost_per_hour: float = DEFAULT_DOWNTIME_COST_PER_HOUR_USD,
    catalog: Catalog | None = None,
    *,
    reliability: Reliability | None = None,
    rules: FailureRules | None = None,
    hba: bool = False,
    power_usd_per_kwh: float = DEFAULT_POWER_USD_PER_KWH,
    pue: float = DEFAULT_PUE,
) -> float:
    """Total cost over ``years`` [USD] = capex + opex [USD/year] x years + expected cost
    of the VM-weighted downtime (see the module docstring) at
    ``downtime_cost_per_hour`` [USD/hour]."""
    result = _availability(design, reliability, rules)
    running = opex(design, catalog, power_usd_per_kwh=power_usd_per_kwh, pue=pue, hba=hba)
    return (
        capex(design, catalog, hba=hba)
        + running * years
        + downtime_cost(result.vm_downtime_minutes_per_year, downtime_cost_per_hour, years)
    )


def cost_per_nine(
    design: Design,
    catalog: Catalog | None = None,
    *,
    reliability: Reliability | None = None,
    rules: FailureRules | None = None,
    hba: bool = False,
) -> float:
    """Capital cost per nine of VM availability [USD/nine] = capex / vm nines, the vm
    nines being -log10(vm_downtime_minutes_per_year / 525,960) (the VM-weighted
    downtime of :func:`hvdesign.availability.availability`, as the trade-off uses).
    NaN when the VM downtime is a whole year, 0 when it is 0.
    """
    result = _availability(design, reliability, rules)
    return _per_nine(capex(design, catalog, hba=hba), vm_nines(result))


def vm_nines(result: AvailabilityResult) -> float:
    """Nines of the VM-weighted downtime: -log10(vm_downtime_minutes_per_year / 525,960)."""
    from hvdesign.reliability import MINUTES_PER_YEAR

    return nines(result.vm_downtime_minutes_per_year / MINUTES_PER_YEAR)


# -------------------------------------------------------------------- comparison


def pareto_front(capex_usd: ArrayLike, downtime: ArrayLike) -> np.ndarray:
    """Which points are on the Pareto frontier (minimise both): a point is dominated
    when another has lower-or-equal capex AND lower-or-equal downtime with one
    strictly lower. Equal points are all on the frontier; NaN is never on it.
    O(n log n).

    >>> pareto_front([1, 2, 3, 2], [5, 3, 4, 3]).tolist()
    [True, True, False, True]
    """
    x = np.asarray(capex_usd, dtype=float)
    y = np.asarray(downtime, dtype=float)
    flags = np.zeros(len(x), dtype=bool)
    ok = np.flatnonzero(~(np.isnan(x) | np.isnan(y)))
    order = ok[np.lexsort((y[ok], x[ok]))]
    best = math.inf  # lowest downtime among points with strictly lower capex
    i = 0
    while i < len(order):
        j = i
        while j < len(order) and x[order[j]] == x[order[i]]:
            j += 1
        group = order[i:j]
        low = y[group].min()
        if low < best:
            flags[group[y[group] == low]] = True
        best = min(best, low)
        i = j
    return flags


def sweep_designs(
    nodes: Iterable[int] = range(2, 17),
    tiers: Iterable[str] | None = None,
    options: Mapping[str, Any] | None = None,
    reserve: int = 1,
) -> list[Design]:
    """Every design of ``tiers`` (default all five) at every node count of ``nodes`` it
    accepts: single-server tiers are N standalone servers (N >= 1), clusters start at
    2 and above ``reserve`` (a cluster needs a host left to run VMs); none above the
    Windows Server version's node limit. ``options`` apply to all.

    >>> [(d.tier, d.nodes) for d in sweep_designs([1, 2], ["cluster-minimal",
    ...                                                   "single-redundant-path"])]
    [('cluster-minimal', 2), ('single-redundant-path', 1), ('single-redundant-path', 2)]
    """
    nodes = list(nodes)
    for n in nodes:
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 1 <= n <= 64:
            raise HvdesignError("nodes", n, "whole numbers from 1 to 64")
    tiers = list(TIERS) if tiers is None else list(tiers)
    for t in tiers:
        if not isinstance(t, str) or t not in TIERS:
            raise HvdesignError("tiers", t, "tier ids among " + ", ".join(TIERS))
    if len(set(tiers)) != len(tiers):
        twice = next(t for t in tiers if tiers.count(t) > 1)
        raise HvdesignError("tiers", twice, "each tier id once", detail="given twice")
    options = dict(options or {})
    options.pop("nodes", None)
    designs = []
    for tier in tiers:
        probe = design_from_tier(tier, **options)  # options valid at the preset's nodes
        counts = node_counts(tier, nodes, probe.windows_version, reserve)
        if not counts and node_counts(tier, nodes, probe.windows_version, 0):  # the reserve
            raise HvdesignError(
                "reserve",
                reserve,
                f"fewer than the largest node count compared ({max(nodes, default=0)})",
                detail=f"no {tier} design keeps a host to run VMs",
            )
        designs += [design_from_tier(tier, **options, nodes=n) for n in counts]
    if not designs:
        raise HvdesignError(
            "nodes",
            nodes,
            "node counts some tier accepts (single-server "
            "tiers from 1, clusters from 2, up to the version's limit)",
            detail="no design to compare",
        )
    return designs


def _bar(items: Sequence[Any], progress: bool, desc: str) -> Iterable[Any]:
    if not progress or len(items) <= PROGRESS_MIN_DESIGNS:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="design", leave=False)


class Sweep:
    """The designs of a comparison, counted once; prices, reliability and the cost of
    downtime applied on demand (:meth:`table`). Availabilities are cached for the last
    reliability and rules, so changing only prices or the cost of downtime is fast
    (the cost explorer re-prices a whole sweep per slider move).

    >>> sw = Sweep(range(2, 5), tiers=["cluster-minimal"])
    >>> [d.nodes for d in sw.designs], sw.capex(load_catalog()).shape
    ([2, 3, 4], (3,))
    """

    def __init__(
        self,
        nodes: Iterable[int] = range(2, 17),
        *,
        tiers: Iterable[str] | None = None,
        options: Mapping[str, Any] | None = None,
        hba: bool = False,
        progress: bool = False,
        reserve: int = 1,
    ):
        self._setup(sweep_designs(nodes, tiers, options, reserve), hba, progress)

    @classmethod
    def of(cls, designs: Sequence[Design], *, hba: bool = False) -> Sweep:
        """A sweep of the given designs as they are (e.g. a design file's own)."""
        sweep = cls.__new__(cls)
        sweep._setup(list(designs), hba, False)
        return sweep

    def _setup(self, designs: list[Design], hba: bool, progress: bool) -> None:
        self.designs = designs
        self.hba = hba
        self.counts = [design_counts(d) for d in _bar(self.designs, progress, "counting")]
        self._key: tuple[Any, Any] | None = None
        self._results: list[AvailabilityResult] = []

    def capex(self, catalog: Catalog) -> np.ndarray:
        """Capital cost of every design [USD]."""
        return np.array([_capex(c, catalog, self.hba) for c in self.counts])

    def availabilities(
        self,
        reliability: Reliability | None = None,
        rules: FailureRules | None = None,
        *,
        progress: bool = False,
    ) -> list[AvailabilityResult]:
        """The availability result of every design (cached for the last arguments)."""
        key = (getattr(reliability, "key", lambda: reliability)(), rules)
        if self._key is None or self._key != key:
            self._results = [
                _availability(d, reliability, rules)
                for d in _bar(self.designs, progress, "availability")
            ]
            self._key = key
        return self._results

    def table(
        self,
        catalog: Catalog | None = None,
        reliability: Reliability | None = None,
        rules: FailureRules | None = None,
        *,
        downtime_cost_per_hour: float = DEFAULT_DOWNTIME_COST_PER_HOUR_USD,
        years: float = DEFAULT_YEARS,
        progress: bool = False,
        power_usd_per_kwh: float = DEFAULT_POWER_USD_PER_KWH,
        pue: float = DEFAULT_PUE,
    ) -> pd.DataFrame:
        """The comparison table (columns :data:`COMPARE_COLUMNS`; ``attrs`` hold
        ``downtime_cost_per_hour`` and ``years``), see :func:`compare`."""
        cat = catalog or load_catalog()
        results = self.availabilities(reliability, rules, progress=progress)
        cap = self.capex(cat)
        run = np.array([_opex(c, cat, self.hba, power_usd_per_kwh, pue) for c in self.counts])
        unavail = np.array([r.unavailability for r in results], dtype=float)
        with np.errstate(divide="ignore"):
            n9 = np.where(unavail > 0, -np.log10(np.where(unavail > 0, unavail, 1.0)), np.inf)
        vm_down = np.array([r.vm_downtime_minutes_per_year for r in results], dtype=float)
        down_cost = downtime_cost(1.0, downtime_cost_per_hour, years) * vm_down
        vm_n9 = np.array([vm_nines(r) for r in results], dtype=float)
        per_nine = np.array([_per_nine(c, n) for c, n in zip(cap, vm_n9, strict=True)])
        df = pd.DataFrame(
            {
                "tier": [d.tier for d in self.designs],
                "nodes": [d.nodes for d in self.designs],
                "capex_usd": cap,
                "opex_usd_per_year": run,
                "availability": [r.availability for r in results],
                "vm_availability": [r.vm_availability for r in results],
                "nines": n9,
                "vm_nines": vm_n9,
                "downtime_minutes_per_year": [r.downtime_minutes_per_year for r in results],
                "vm_downtime_minutes_per_year": vm_down,
                "downtime_cost_usd": down_cost,
                "total_cost_usd": cap + run * years + down_cost,
                "cost_per_nine_usd": per_nine,
                "pareto": pareto_front(cap, vm_down),
            },
            columns=COMPARE_COLUMNS,
        )
        df.attrs.update(downtime_cost_per_hour=downtime_cost_per_hour, years=years)
        return df


def compare(
    nodes: Iterable[int] = range(2, 17),
    *,
    tiers: Iterable[str] | None = None,
    catalog: Catalog | None = None,
    reliability: Reliability | None = None,
    rules: FailureRules | None = None,
    downtime_cost_per_hour: float = DEFAULT_DOWNTIME_COST_PER_HOUR_USD,
    years: float = DEFAULT_YEARS,
    hba: bool = False,
    options: Mapping[str, Any] | None = None,
    progress: bool = False,
    power_usd_per_kwh: float = DEFAULT_POWER_USD_PER_KWH,
    pue: float = DEFAULT_PUE,
) -> pd.DataFrame:
    """Every tier at every valid node count of ``nodes`` [hosts], one row per design
    (single-server tiers: N standalone servers from 1; clusters from 2; up to the
    Windows Server version's limit), with ``options`` applied to every tier.

    ``catalog``, ``reliability`` (:func:`hvdesign.reliability.load_reliability`) and
    ``rules`` (:class:`hvdesign.failures.FailureRules`) default to the shipped ones;
    ``downtime_cost_per_hour`` [USD/hour] and ``years`` price the downtime (module
    docstring), ``power_usd_per_kwh`` and ``pue`` the running costs; ``progress`` shows a tqdm bar on stderr for more than
    :data:`PROGRESS_MIN_DESIGNS` designs.

    Columns: ``tier``, ``nodes``, ``capex_usd`` [USD], ``opex_usd_per_year``
    [USD/year], ``availability`` (service: every
    VM runs) and ``vm_availability`` (1 - expected share of VMs down) [0..1], ``nines``
    (of the availability) and ``vm_nines`` (of the VM-weighted downtime),
    ``downtime_minutes_per_year`` and ``vm_downtime_minutes_per_year``
    [minutes/year], ``downtime_cost_usd`` and ``total_cost_usd`` [USD over the
    horizon; total = capex + opex x years + downtime cost], ``cost_per_nine_usd`` [USD/VM nine], ``pareto`` (on the frontier of capex
    against VM-weighted downtime).
    """
    reserve = rules.reserve if rules is not None else 1
    sweep = Sweep(
        nodes,
        tiers=tiers,
        options=options,
        hba=hba,
        progress=progress,
        reserve=reserve if isinstance(reserve, int) and reserve >= 0 else 1,
    )
    return sweep.table(
        catalog,
        reliability,
        rules,
        downtime_cost_per_hour=downtime_cost_per_hour,
        years=years,
        progress=progress,
        power_usd_per_kwh=power_usd_per_kwh,
        pue=pue,
    )


# --------------------------------------------------------------- the trade-off

#: Options of a design that the trade-off applies to every tier (those no tier preset
#: sets: the explorer app's controls, ``hvdesign figure tradeoff``'s and the report's).
SHARED_OPTIONS: tuple[str, ...] = (
    "windows_version",
    "storage_multipath",
    "cross_switch_teaming",
    "nic_ports_per_card",
    "san_portals",
    "uplinks_per_switch",
    "switch_ports_per_unit",
)

#: Node counts [hosts] of every tier in the trade-off when none are given.
TRADEOFF_NODES: tuple[int, ...] = (1, 2, 4, 8, 16, 32, 64)

_SWEEPS: OrderedDict[tuple[Any, ...], Sweep] = OrderedDict()
_MAX_SWEEPS = 16


def shared_options(design: Design) -> dict[str, Any]:
    """The design's values of :data:`SHARED_OPTIONS` (what every tier of its trade-off
    takes from it).

    >>> shared_options(design_from_tier("cluster-minimal"))["windows_version"]
    '2019'
    """
    return {k: getattr(design, k) for k in SHARED_OPTIONS}


def _cached(key: tuple[Any, ...], build: Callable[[], Sweep]) -> Sweep:
    """A :class:`Sweep` built once per key and reused (its designs are counted once;
    prices and reliability apply on demand)."""
    sweep = _SWEEPS.get(key)
    if sweep is None:
        sweep = _SWEEPS[key] = build()
        if len(_SWEEPS) > _MAX_SWEEPS:
            _SWEEPS.popitem(last=False)
    else:
        _SWEEPS.move_to_end(key)
    return sweep


def tradeoff(
    design: Design,
    nodes: Iterable[int] = TRADEOFF_NODES,
    *,
    catalog: Catalog | None = None,
    reliability: Reliability | None = None,
    rules: FailureRules | None = None,
    downtime_cost_per_hour: float = DEFAULT_DOWNTIME_COST_PER_HOUR_USD,
    years: float = DEFAULT_YEARS,
    hba: bool = False,
) -> pd.DataFrame:
    """The cost-versus-availability trade-off around ``design``: every tier at the node
    counts ``nodes`` [hosts] it accepts (within the design's Windows Server version),
    with the design's :data:`SHARED_OPTIONS`, plus the design itself exactly as it is
    (its row replaces the preset's at its tier and node count), all priced with the
    same ``catalog``, ``reliability``, ``rules`` and cost of downtime. The one
    trade-off of the package: the report, the app, ``hvdesign figure tradeoff`` and
    ``hvdesign compare`` draw it.

    Columns :data:`COMPARE_COLUMNS` plus ``this_design`` (True on the design's row);
    ``attrs["highlight"]`` is the design's ``(tier, nodes)``; ``pareto`` is computed
    over all rows.

    >>> d = design_from_tier("cluster-redundant-path", nodes=3)
    >>> t = tradeoff(d, [2, 4])
    >>> t.loc[t["this_design"], ["tier", "nodes"]].values.tolist()
    [['cluster-redundant-path', 3]]
    >>> len(t)  # 5 tiers at 2 and 4 hosts, and the design
    11
    """
    opts = shared_options(design)
    reserve = rules.reserve if rules is not None else 1
    reserve = reserve if isinstance(reserve, int) and reserve >= 0 else 1
    limit = NODE_LIMITS[design.windows_version]
    base_nodes = tuple(sorted({int(n) for n in nodes if 1 <= int(n) <= limit}))

    def price(sweep: Sweep) -> pd.DataFrame:
        return sweep.table(
            catalog,
            reliability,
            rules,
            downtime_cost_per_hour=downtime_cost_per_hour,
            years=years,
        )

    mine = price(
        _cached(("design", design.model_dump_json(), hba), lambda: Sweep.of([design], hba=hba))
    )
    parts = [mine]
    if base_nodes:
        key = ("sweep", base_nodes, tuple(sorted(opts.items())), reserve, hba)
        try:
            base = price(
                _cached(key, lambda: Sweep(base_nodes, options=opts, reserve=reserve, hba=hba))
            )
        except HvdesignError:  # no tier accepts these node counts: the design alone
            base = None
        if base is not None:
            same = (base["tier"] == design.tier) & (base["nodes"] == design.nodes)
            parts.insert(0, base[~same])
    table = pd.concat(parts, ignore_index=True)
    table.attrs = dict(mine.attrs)
    table["pareto"] = pareto_front(table["capex_usd"], table["vm_downtime_minutes_per_year"])
    table["this_design"] = (table["tier"] == design.tier) & (table["nodes"] == design.nodes)
    table.attrs["highlight"] = (design.tier, design.nodes)
    return table
