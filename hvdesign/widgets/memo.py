"""The explorer app's derived state: what the controls hold (:class:`Inputs`), the
last value of each computation with the key it was computed for (:class:`Memo`) and
the analyses of one state of the app (:class:`Context`), each computed on first use
and reused across refreshes while what it depends on is unchanged.

The trade-off is :func:`hvdesign.cost.tradeoff`, the package's one trade-off (which
caches the sweep of every tier per set of options); this module only remembers its
last table and which options have been swept (so the app knows a change of options
is slow and draws it after the rest of the page).

Examples
--------
>>> memo = Memo()
>>> memo.get("x", 1, lambda: "computed"), memo.has("x", 1), memo.has("x", 2)
('computed', True, False)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import pandas as pd

from hvdesign.availability import AvailabilityResult, availability
from hvdesign.checks import Finding, check_design
from hvdesign.cost import (
    DEFAULT_YEARS,
    TRADEOFF_NODES,
    Catalog,
    bill_of_materials,
    downtime_cost,
    tradeoff,
)
from hvdesign.errors import HvdesignError
from hvdesign.failures import Coverage, FailureRules, analyse
from hvdesign.reliability import Reliability
from hvdesign.scenariofile import Economics, ScenarioFile
from hvdesign.sensitivity import sensitivity
from hvdesign.sizing import Sizing, Workload, compare_scenario, size, vms_per_host
from hvdesign.spec import Design
from hvdesign.topology import build_graph


@dataclass
class Inputs:
    """What the controls hold, validated: the design, the catalog with the edited
    prices, the reliability with the edited figures, the cost of downtime [USD/hour],
    the failure rules, the options every tier of the trade-off takes from the design
    (:func:`hvdesign.cost.shared_options`), the horizon [years] and all of it as the
    scenario the exports write."""

    design: Design
    catalog: Catalog
    reliability: Reliability
    downtime_cost_per_hour: float
    rules: FailureRules
    sweep_options: dict[str, Any]
    years: float = DEFAULT_YEARS
    scenario: ScenarioFile | None = None


class Memo:
    """The last value of each named computation with the key it was computed for, so
    each is recomputed only when what it depends on changed."""

    def __init__(self) -> None:
        self._store: dict[str, tuple[Any, Any]] = {}

    def has(self, name: str, key: Any) -> bool:
        """Whether ``name`` is memoised for ``key``."""
        hit = self._store.get(name)
        return hit is not None and hit[0] == key

    def get(self, name: str, key: Any, compute: Callable[[], Any]) -> Any:
        """``name`` for ``key``: the memoised value, or ``compute()`` kept for it."""
        if not self.has(name, key):
            self._store[name] = (key, compute())
        return self._store[name][1]


class Context:
    """The analyses of one state of the app, each computed on first use and memoised
    across refreshes by what it depends on (the design, the prices, ...)."""

    def __init__(self, inputs: Inputs, memo: Memo) -> None:
        self.inputs = inputs
        self.design = inputs.design
        self.memo = memo
        self.design_key = inputs.design.model_dump_json()
        self.sweep_key = tuple(sorted(inputs.sweep_options.items()))

    def graph(self) -> nx.Graph:
        """The design's graph (:func:`hvdesign.topology.build_graph`)."""
        return self.memo.get("graph", self.design_key, lambda: build_graph(self.design))

    def coverage(self) -> Coverage:
        """Every single and double failure of the design (:func:`hvdesign.failures.analyse`)."""
        rules = self.inputs.rules
        return self.memo.get(
            "coverage",
            (self.design_key, rules),
            lambda: analyse(self.design, rules, double=True, expand=False),
        )

    def availability(self) -> AvailabilityResult:
        """The design's availability with the edited reliability."""
        rel, rules = self.inputs.reliability, self.inputs.rules
        return self.memo.get(
            "availability",
            (self.design_key, rel, rules),
            lambda: availability(self.design, rel, rules),
        )

    def bom(self) -> pd.DataFrame:
        """The design's bill of materials with the edited prices [USD]; with a workload
        the SAN priced by the capacity it needs and Standard licences by the VMs a host
        carries; the opex column at the economics' power price and PUE."""
        cat = self.inputs.catalog
        sf = self.inputs.scenario
        w = sf.workload if sf is not None else None
        econ = sf.economics if sf is not None else Economics()
        per_host = vms_per_host(cat.server, w)[0] if w is not None else None
        return self.memo.get(
            "bom",
            (self.design_key, cat, w, econ.power_usd_per_kwh, econ.pue),
            lambda: bill_of_materials(
                self.design,
                cat,
                san_usable_tb=None if w is None else w.san_usable_tb,
                vms_per_host=per_host,
                power_usd_per_kwh=econ.power_usd_per_kwh,
                pue=econ.pue,
            ),
        )

    def costs(self) -> dict[str, float]:
        """``capex_usd`` [USD], ``opex_usd_per_year`` [USD/year], ``downtime_cost_usd``
        and ``total_cost_usd`` (= capex + opex x years + downtime cost) [USD over the
        horizon] of the design (:func:`hvdesign.cost.downtime_cost` of its VM-weighted
        downtime), and ``years``."""
        bom = self.bom()
        years = self.inputs.years
        cap = float(bom["total_usd"].sum())
        run = float(bom["opex_usd_per_year"].sum())
        down = downtime_cost(
            self.availability().vm_downtime_minutes_per_year,
            self.inputs.downtime_cost_per_hour,
            years,
        )
        return {
            "capex_usd": cap,
            "opex_usd_per_year": run,
            "downtime_cost_usd": down,
            "total_cost_usd": cap + run * years + down,
            "years": years,
        }

    def workload(self) -> Workload | None:
        """The scenario's workload (None: no workload section)."""
        sf = self.inputs.scenario
        return None if sf is None else sf.workload

    def sizing(self) -> Sizing | HvdesignError:
        """The design's tier sized for the workload (:func:`hvdesign.sizing.size`, the
        reserve of the rules), or the error saying why it cannot carry it."""
        w = self.workload()
        assert w is not None, "sizing needs a workload"
        inp = self.inputs
        key = (self.design.tier, self.sweep_key, w, inp.catalog.server, inp.rules.reserve)

        def compute() -> Sizing | HvdesignError:
            try:
                return size(
                    w,
                    self.design.tier,
                    inp.catalog,
                    reserve=inp.rules.reserve,
                    options=inp.sweep_options,
                )
            except HvdesignError as err:
                return err

        result: Sizing | HvdesignError = self.memo.get("sizing", key, compute)
        return result

    def scenario_key(self) -> Any:
        """What the scenario's figures depend on (design, prices, reliability, rules,
        economics, workload)."""
        sf = self.inputs.scenario
        assert sf is not None
        inp = self.inputs
        return (self.design_key, inp.catalog, inp.reliability, inp.rules, sf.economics, sf.workload)

    def capacity_key(self) -> Any:
        """What the equal-capacity comparison depends on (not the node count)."""
        sf = self.inputs.scenario
        assert sf is not None
        inp = self.inputs
        return (self.sweep_key, inp.catalog, inp.reliability, inp.rules, sf.economics, sf.workload)

    def capacity(self) -> pd.DataFrame:
        """Every tier on every server model of the catalog sized for the scenario's
        workload (:func:`hvdesign.sizing.compare_scenario` with ``all_servers``)."""
        sf = self.inputs.scenario
        assert sf is not None and sf.workload is not None
        table: pd.DataFrame = self.memo.get(
            "capacity", self.capacity_key(), lambda: compare_scenario(sf, all_servers=True)
        )
        return table

    def has_sensitivity(self) -> bool:
        """Whether :meth:`sensitivity` is memoised for this scenario."""
        return self.memo.has("sensitivity", self.scenario_key())

    def sensitivity(self) -> pd.DataFrame:
        """The tornado rows and Birnbaum importance of the scenario
        (:func:`hvdesign.sensitivity.sensitivity` at its default factor: seconds)."""
        sf = self.inputs.scenario
        assert sf is not None
        table: pd.DataFrame = self.memo.get(
            "sensitivity", self.scenario_key(), lambda: sensitivity(sf)
        )
        return table

    def findings(self) -> list[Finding]:
        """The check findings of the design (:func:`hvdesign.checks.check_design`)."""
        return self.memo.get("findings", self.design_key, lambda: check_design(self.design))

    def swept(self) -> bool:
        """Whether the sweep of every tier with this design's options was computed
        already (then the trade-off only re-prices and re-rings it: fast)."""
        return self.sweep_key in self._swept()

    def _swept(self) -> set[Any]:
        """The option sets swept so far (:func:`hvdesign.cost.tradeoff` caches their
        sweeps)."""
        swept: set[Any] = self.memo.get("swept", None, set)
        return swept

    def tradeoff_table(self) -> pd.DataFrame:
        """:func:`hvdesign.cost.tradeoff` of the design at :data:`TRADEOFF_NODES` with
        the edited prices, reliability and cost of downtime (the design ringed; its
        own row added when its node count is not in the sweep)."""
        inp = self.inputs
        key = (
            self.design_key,
            inp.catalog,
            inp.reliability,
            inp.rules,
            inp.downtime_cost_per_hour,
            inp.years,
        )
        table = self.memo.get(
            "tradeoff",
            key,
            lambda: tradeoff(
                self.design,
                TRADEOFF_NODES,
                catalog=inp.catalog,
                reliability=inp.reliability,
                rules=inp.rules,
                downtime_cost_per_hour=inp.downtime_cost_per_hour,
                years=inp.years,
            ),
        )
        self._swept().add(self.sweep_key)
        return table
