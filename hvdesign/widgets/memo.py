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
    tradeoff,
)
from hvdesign.failures import Coverage, FailureRules, analyse
from hvdesign.reliability import Reliability
from hvdesign.scenariofile import ScenarioFile
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
        """The design's bill of materials with the edited prices [USD]."""
        cat = self.inputs.catalog
        return self.memo.get(
            "bom", (self.design_key, cat), lambda: bill_of_materials(self.design, cat)
        )

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
