"""Failure coverage: what a design does when components fail (domain.md §3).

Every single failure (and every pair) of a design's components is a scenario; the
rules that give its outcome are the scenario engine, :mod:`hvdesign.scenarios`
(re-exported here: :class:`FailureRules`, :class:`Result`, :data:`KINDS`, ...).

Two evaluators give identical results: :func:`evaluate_bruteforce` searches the
graph for every host of every scenario (the reference), and :func:`analyse` with
``method="fast"`` exploits that all hosts of a design are alike: the per-host state
only depends on the failed shared components (switches, uplinks, ISLs, portals, SAN)
and the host's own failed parts, so every class of equivalent scenarios is evaluated
once and counted with its multiplicity (:class:`ScenarioClass`;
:meth:`Coverage.classes`). :func:`iter_scenarios` lists the concrete scenarios lazily.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from hvdesign.errors import HvdesignError
from hvdesign.scenarios import (
    DOWN,
    KINDS,
    OUTCOMES,
    SHARED_KINDS,
    FailureRules,
    FastModel,
    GraphModel,
    Group,
    HostState,
    Result,
    evaluate_groups,
    group_components,
    kind_of,
    local_kind,
    resolve_rules,
)
from hvdesign.spec import Design
from hvdesign.topology import host_names

__all__ = [
    "BRUTEFORCE_MAX_SCENARIOS",
    "DOWN",
    "KINDS",
    "OUTCOMES",
    "SHARED_KINDS",
    "Coverage",
    "FailureRules",
    "Group",
    "HostState",
    "Result",
    "Scenario",
    "ScenarioClass",
    "analyse",
    "components",
    "evaluate_bruteforce",
    "evaluate_groups",
    "group_components",
    "iter_scenarios",
]

#: The most scenarios the brute-force reference is asked to search (minutes, not hours).
BRUTEFORCE_MAX_SCENARIOS = 20_000
# Old private names, for callers that used them (benchmarks, notebooks).
_GraphModel = GraphModel
_FastModel = FastModel
_kind_of = kind_of


@dataclass(slots=True)
class Scenario:
    """One failure scenario and its outcome (a row of ``hvdesign coverage --json``)."""

    failed: tuple[str, ...]
    kinds: tuple[str, ...]
    outcome: str
    vms_down_fraction: float
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Plain data: failed, kinds, outcome, vms_down_fraction, reason."""
        return {
            "failed": list(self.failed),
            "kinds": list(self.kinds),
            "outcome": self.outcome,
            "vms_down_fraction": self.vms_down_fraction,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ScenarioClass:
    """A class of equivalent scenarios: one evaluation stands for ``count`` of them.

    ``failed``, ``kinds`` and ``reason`` are those of a representative scenario (the
    first of the class in :func:`components` order); ``outcome`` and
    ``vms_down_fraction`` [0..1] are the same for every scenario of the class.
    """

    failed: tuple[str, ...]
    kinds: tuple[str, ...]
    outcome: str
    vms_down_fraction: float
    reason: str
    count: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data: a :meth:`Scenario.to_dict` of the representative, and count."""
        rep = Scenario(self.failed, self.kinds, self.outcome, self.vms_down_fraction, self.reason)
        return {**rep.to_dict(), "count": self.count}


def evaluate_bruteforce(
    design: Design,
    failed: Iterable[str],
    rules: FailureRules | None = None,
    model: GraphModel | None = None,
) -> Result:
    """The outcome of one scenario by graph search on every host (the reference)."""
    rules = rules or FailureRules()
    model = model or GraphModel(design, rules)
    failed = frozenset(failed)
    unknown = failed - set(model.G.nodes) or {
        f for f in failed if model.G.nodes[f]["kind"] not in KINDS
    }
    if unknown:
        raise HvdesignError(
            "failed",
            sorted(unknown)[0],
            "component names of the design (hosts, NICs, cards, switches, "
            "uplinks, ISLs, SAN ports, san)",
        )
    states = {h: model.host_state(h, failed) for h in model.hosts}
    normal = model.host_state(model.hosts[0], frozenset())
    special = [h for h in model.hosts if any(f == h or f.startswith(h + "-") for f in failed)]
    groups: list[Group] = []
    index: dict[str, int] = {}
    for h in special:
        index[h] = len(groups)
        groups.append(Group(states[h], 1, h))
    rest = [h for h in model.hosts if h not in special]
    by_state: dict[HostState, list[str]] = {}
    for h in rest:
        by_state.setdefault(states[h], []).append(h)
    for st, hs in by_state.items():
        for h in hs:
            index[h] = len(groups)
        groups.append(Group(st, len(hs), hs[0]))
    comps = []
    for comp in model.components(failed):
        comps.append(dict(Counter(index[h] for h in comp)))
    return evaluate_groups(design, rules, groups, comps, normal)


# ------------------------------------------------------------------------- analysis


@dataclass
class Coverage:
    """All single (and optionally double) failure scenarios of a design."""

    design: Design
    rules: FailureRules
    singles: list[Scenario]
    doubles: list[Scenario] | None
    method: str
    single_counts: Counter = field(default_factory=Counter)
    double_counts: Counter = field(default_factory=Counter)
    single_classes: list[ScenarioClass] = field(default_factory=list)
    double_classes: list[ScenarioClass] | None = None

    def classes(self, double: bool = False) -> list[ScenarioClass]:
        """The classes of the single failures (the pairs with ``double``): their counts
        sum to the number of scenarios. Brute force: one class per scenario."""
        if not double:
            return self.single_classes
        return self.double_classes or []

    @property
    def scenarios_total(self) -> int:
        """How many scenarios were analysed (singles and pairs)."""
        return sum(self.single_counts.values()) + sum(self.double_counts.values())

    @property
    def single_points_of_failure(self) -> list[str]:
        """Components whose failure alone is an outage."""
        return [s.failed[0] for s in self.singles if s.outcome == "outage"]

    @property
    def single_failure_coverage(self) -> float:
        """Share of single-failure scenarios that are not an outage (0..1)."""
        return _share(self.single_counts)

    @property
    def double_failure_coverage(self) -> float | None:
        """Share of double-failure scenarios that are not an outage (0..1)."""
        return None if self.doubles is None else _share(self.double_counts)

    def by_kind(self, double: bool = False) -> dict[str, dict[str, int]]:
        """Scenario counts by component kind (pairs: 'kind+kind') and outcome."""
        counts = self.double_counts if double else self.single_counts
        table: dict[str, dict[str, int]] = {}
        for (kinds, outcome), c in counts.items():
            key = "+".join(kinds)
            table.setdefault(key, dict.fromkeys(OUTCOMES, 0))[outcome] += c
        return table

    def to_dict(self, scenarios: bool = True) -> dict[str, Any]:
        """Plain data: the summary, and with ``scenarios`` a row per scenario."""
        data: dict[str, Any] = {
            "tier": self.design.tier,
            "nodes": self.design.nodes,
            "method": self.method,
            "rules": {
                "csv_redirected_io": self.rules.csv_redirected_io,
                "network_health_detection": self.rules.nhd(self.design),
                "quorum": self.rules.quorum,
                "witness_disk": self.rules.witness(self.design),
                "reserve": self.rules.reserve,
                "cluster_networks": list(self.rules.cluster_networks),
            },
            "single_points_of_failure": self.single_points_of_failure,
            "single_failure_coverage": self.single_failure_coverage,
            "single_failures_by_kind": self.by_kind(),
        }
        if self.doubles is not None:
            data["double_failure_coverage"] = self.double_failure_coverage
            data["double_failures_by_kind"] = self.by_kind(double=True)
        if scenarios:
            data["scenarios"] = [s.to_dict() for s in self.singles] + (
                [s.to_dict() for s in self.doubles] if self.doubles else []
            )
        return data

    def to_json_dict(self) -> dict[str, Any]:
        """The summary of :meth:`to_dict` with the scenario classes (singles, then
        pairs) and ``scenarios_total`` instead of a row per scenario: its size grows
        with the design's shape, not with its node count."""
        data = self.to_dict(scenarios=False)
        classes = self.classes() + (self.classes(double=True) if self.doubles is not None else [])
        data["scenario_classes"] = [c.to_dict() for c in classes]
        data["scenarios_total"] = self.scenarios_total
        return data


def _share(counts: Counter) -> float:
    total = sum(counts.values())
    ok = sum(c for (_, outcome), c in counts.items() if outcome != "outage")
    return ok / total if total else 1.0


def components(design: Design) -> list[str]:
    """Every component of ``design`` that can fail, hosts first, in a stable order."""
    fm = FastModel(design, FailureRules())
    local = [f"{h}-{t}" if t else h for h in host_names(design) for t in fm.local_templates()]
    return local + fm.shared_components()


def _scenario(names: Sequence[str], result: Result, reason: str | None = None) -> Scenario:
    failed = tuple(names)
    prefix = " and ".join(failed) + " down"
    return Scenario(
        failed,
        tuple(kind_of(n) for n in failed),
        result.outcome,
        result.vms_down_fraction,
        f"{prefix}: {reason or result.reason}",
    )


def analyse(
    design: Design,
    rules: FailureRules | None = None,
    *,
    double: bool = False,
    method: Literal["fast", "bruteforce"] = "fast",
    expand: bool = True,
) -> Coverage:
    """Evaluate every single failure (and every pair with ``double``) of ``design``.

    ``method="fast"`` evaluates each class of equivalent scenarios once and counts it
    with its multiplicity; ``"bruteforce"`` searches the graph for every scenario.
    With ``expand=False`` the fast method only counts (no per-scenario list beyond the
    single failures), which is what sweeps need; :meth:`Coverage.classes` is there
    either way.

    Examples
    --------
    >>> from hvdesign.spec import design_from_tier
    >>> cov = analyse(design_from_tier("cluster-redundant-path", nodes=4))
    >>> cov.single_points_of_failure
    ['san']
    >>> sum(c.count for c in cov.classes()) == len(cov.singles)
    True
    """
    if not isinstance(design, Design):
        raise HvdesignError("design", type(design).__name__, "a hvdesign Design")
    rules = resolve_rules(rules)
    rules.check(design)
    if method == "bruteforce":
        n = len(components(design))
        scenarios = n + (n * (n - 1) // 2 if double else 0)
        if scenarios > BRUTEFORCE_MAX_SCENARIOS:
            raise HvdesignError(
                "method",
                "bruteforce",
                f"fast for this design: brute force would search the graph for {scenarios:,} "
                f"scenarios (at most {BRUTEFORCE_MAX_SCENARIOS:,}; it is the reference for "
                "small designs)",
            )
        return _analyse_bruteforce(design, rules, double)
    if method != "fast":
        raise HvdesignError("method", method, "fast or bruteforce")
    return _analyse_fast(design, rules, double, expand)


def _analyse_bruteforce(design: Design, rules: FailureRules, double: bool) -> Coverage:
    model = GraphModel(design, rules)
    names = components(design)
    singles = [_scenario([c], evaluate_bruteforce(design, [c], rules, model)) for c in names]
    doubles = None
    if double:
        doubles = [
            _scenario(pair, evaluate_bruteforce(design, pair, rules, model))
            for pair in itertools.combinations(names, 2)
        ]
    cov = Coverage(design, rules, singles, doubles, "bruteforce")
    cov.single_counts = Counter((_kinds_key(s.kinds), s.outcome) for s in singles)
    cov.single_classes = [_own_class(s) for s in singles]
    if doubles is not None:
        cov.double_counts = Counter((_kinds_key(s.kinds), s.outcome) for s in doubles)
        cov.double_classes = [_own_class(s) for s in doubles]
    return cov


def _own_class(s: Scenario) -> ScenarioClass:
    return ScenarioClass(s.failed, s.kinds, s.outcome, s.vms_down_fraction, s.reason, 1)


def _kinds_key(kinds: Iterable[str]) -> tuple[str, ...]:
    """Kinds of a scenario in :data:`KINDS` order: the key of the counts by kind."""
    return tuple(sorted(kinds, key=KINDS.index))


# ------------------------------------------------------------ classes of scenarios


class _ClassTable:
    """Every class of equivalent scenarios of a design, each evaluated once.

    Per-host components are *templates* ('' = the host, 'card1', 'p1', ...) placed on
    a host; a class is a set of failed shared components plus the templates failed on
    up to two distinct hosts. Reasons name hosts through placeholders ({h0}, {h1} for
    the hosts with failed parts, {b} for the first other host), filled in when the
    class is expanded into its concrete scenarios. Pairs are keyed by the kind of
    pair: ``ss`` (two shared), ``ls`` (a host's part and a shared one), ``ll`` (two
    parts of one host), ``hh`` (parts of two hosts: the lower-numbered host fails the
    first template).
    """

    def __init__(self, design: Design, rules: FailureRules) -> None:
        self.fm = fm = FastModel(design, rules)
        self.hosts = host_names(design)
        self.shared = fm.shared_components()
        self.templates = fm.local_templates()
        self.single_local = {t: fm.evaluate(frozenset(), [frozenset([t])]) for t in self.templates}
        self.single_shared = {s: fm.evaluate(frozenset([s]), []) for s in self.shared}
        self._pairs: dict[str, dict[tuple[str, str], Result]] | None = None

    def pairs(self) -> dict[str, dict[tuple[str, str], Result]]:
        """The results of every class of pairs, by kind of pair (evaluated once)."""
        if self._pairs is None:
            fm, none = self.fm, frozenset[str]()
            self._pairs = {
                "ss": {
                    (a, b): fm.evaluate(frozenset([a, b]), [])
                    for a, b in itertools.combinations(self.shared, 2)
                },
                "ls": {
                    (t, s): fm.evaluate(frozenset([s]), [frozenset([t])])
                    for t in self.templates
                    for s in self.shared
                },
                "ll": {
                    (a, b): fm.evaluate(none, [frozenset([a, b])])
                    for a, b in itertools.combinations(self.templates, 2)
                },
                "hh": {}
                if len(self.hosts) < 2
                else {
                    (a, b): fm.evaluate(none, [frozenset([a]), frozenset([b])])
                    for a in self.templates
                    for b in self.templates
                },
            }
        return self._pairs

    def first_other(self, *exclude: str) -> str:
        """The first host not in ``exclude`` (the {b} of reasons), '' if none."""
        return next((h for h in self.hosts[:3] if h not in exclude), "")

    # ------------------------------------------------------------ class lists

    def single_classes(self) -> list[ScenarioClass]:
        """The classes of single failures: each template on a host, each shared one."""
        h = self.hosts[0]
        out = [
            _class((_name(h, t),), res, res.reason.format(h0=h, b=self.first_other(h)), n)
            for t, res in self.single_local.items()
            for n in [len(self.hosts)]
        ]
        out += [
            _class((s,), res, res.reason.format(b=h), 1) for s, res in self.single_shared.items()
        ]
        return out

    def double_classes(self) -> list[ScenarioClass]:
        """The classes of pairs, representatives on host1 (and host2)."""
        hosts, n = self.hosts, len(self.hosts)
        h0 = hosts[0]
        b0 = self.first_other(h0)
        pairs = self.pairs()
        out = [_class(k, r, r.reason.format(b=h0), 1) for k, r in pairs["ss"].items()]
        out += [
            _class((_name(h0, t), s), r, r.reason.format(h0=h0, b=b0), n)
            for (t, s), r in pairs["ls"].items()
        ]
        out += [
            _class((_name(h0, a), _name(h0, b)), r, r.reason.format(h0=h0, b=b0), n)
            for (a, b), r in pairs["ll"].items()
        ]
        if n >= 2:
            h1 = hosts[1]
            b01 = self.first_other(h0, h1)
            # The lower host fails a, the higher b: n (n - 1) / 2 host pairs each.
            out += [
                _class(
                    (_name(h0, a), _name(h1, b)),
                    r,
                    r.reason.format(h0=h0, h1=h1, b=b01),
                    math.comb(n, 2),
                )
                for (a, b), r in pairs["hh"].items()
            ]
        return out

    # ------------------------------------------------------- concrete scenarios

    def iter_singles(self) -> Iterator[Scenario]:
        """Every single failure in :func:`components` order."""
        for h in self.hosts:
            b = self.first_other(h)
            for t, res in self.single_local.items():
                x = _name(h, t)
                yield Scenario(
                    (x,),
                    (local_kind(t),),
                    res.outcome,
                    res.vms_down_fraction,
                    f"{x} down: {res.reason.format(h0=h, b=b)}",
                )
        for s, res in self.single_shared.items():
            yield Scenario(
                (s,),
                (kind_of(s),),
                res.outcome,
                res.vms_down_fraction,
                f"{s} down: {res.reason.format(b=self.hosts[0])}",
            )

    def iter_pairs(self) -> Iterator[Scenario]:
        """Every pair in :func:`components` order (``itertools.combinations``).

        The hot loop (parts of two hosts: nearly every pair of a large design) runs
        over precomputed rows (template, kind, outcome, share down, reason, whether
        the reason names hosts) so that each scenario costs one format and one object.
        """
        pairs = self.pairs()
        hosts, templates = self.hosts, self.templates
        kinds = {t: local_kind(t) for t in templates} | {s: kind_of(s) for s in self.shared}

        def rows(results: dict[tuple[str, str], Result], t: str, others: Sequence[str]) -> list:
            out = []
            for o in others:
                r = results[(t, o)]
                out.append((o, kinds[o], r.outcome, r.vms_down_fraction, r.reason, "{" in r.reason))
            return out

        same = {t: rows(pairs["ll"], t, templates[k + 1 :]) for k, t in enumerate(templates)}
        other = {t: rows(pairs["hh"], t, templates) for t in templates} if len(hosts) > 1 else {}
        shared = {t: rows(pairs["ls"], t, self.shared) for t in templates}
        local_names = [[_name(h2, t2) for t2 in templates] for h2 in hosts]
        for i, h in enumerate(hosts):
            b = self.first_other(h)
            here = {"h0": h, "b": b}
            # {b} is the same for every later host but the first three: for those
            # the reason is formatted in full, for the others only {h1} is put in.
            partial = {"h0": h, "b": b, "h1": "\0"}
            later = [
                (h2, local_names[i + 1 + j], {"h0": h, "h1": h2, "b": b2}, b2 != b)
                for j, h2 in enumerate(hosts[i + 1 :])
                for b2 in [self.first_other(h, h2)]
            ]
            for t in templates:
                x = _name(h, t)
                kx, pre = kinds[t], x + " and "
                for t2, k2, outcome, frac, reason, named in same[t]:
                    y = f"{h}-{t2}"
                    r = reason.format_map(here) if named else reason
                    yield Scenario((x, y), (kx, k2), outcome, frac, f"{pre}{y} down: {r}")
                row = other.get(t, [])
                pieces = [r[4].format_map(partial).split("\0") if r[5] else None for r in row]
                for h2, ys, names, special in later:
                    for (_, k2, outcome, frac, reason, _named), pc, y in zip(
                        row, pieces, ys, strict=True
                    ):
                        if pc is None:
                            r = reason
                        elif special:
                            r = reason.format_map(names)
                        else:
                            r = h2.join(pc)
                        yield Scenario((x, y), (kx, k2), outcome, frac, f"{pre}{y} down: {r}")
                for s, k2, outcome, frac, reason, named in shared[t]:
                    r = reason.format_map(here) if named else reason
                    yield Scenario((x, s), (kx, k2), outcome, frac, f"{pre}{s} down: {r}")
        names = {"b": hosts[0]}
        for (s1, s2), res in pairs["ss"].items():
            yield _pair(s1, s2, kinds[s1], kinds[s2], res, names)


def _name(host: str, template: str) -> str:
    return f"{host}-{template}" if template else host


def _class(failed: tuple[str, ...], res: Result, reason: str, count: int) -> ScenarioClass:
    prefix = " and ".join(failed) + " down"
    return ScenarioClass(
        failed,
        tuple(kind_of(n) for n in failed),
        res.outcome,
        res.vms_down_fraction,
        f"{prefix}: {reason}",
        count,
    )


def _pair(x: str, y: str, kx: str, ky: str, res: Result, names: dict[str, str]) -> Scenario:
    reason = res.reason
    if "{" in reason:
        reason = reason.format_map(names)
    return Scenario(
        (x, y), (kx, ky), res.outcome, res.vms_down_fraction, f"{x} and {y} down: {reason}"
    )


def _counts(classes: Iterable[ScenarioClass]) -> Counter:
    counts: Counter = Counter()
    for c in classes:
        counts[(_kinds_key(c.kinds), c.outcome)] += c.count
    return counts


def _analyse_fast(design: Design, rules: FailureRules, double: bool, expand: bool) -> Coverage:
    """Evaluate each class of equivalent scenarios once (see :class:`_ClassTable`)."""
    table = _ClassTable(design, rules)
    single_classes = table.single_classes()
    cov = Coverage(
        design,
        rules,
        list(table.iter_singles()),
        None,
        "fast",
        single_counts=_counts(single_classes),
        single_classes=single_classes,
    )
    if double:
        cov.double_classes = table.double_classes()
        cov.double_counts = _counts(cov.double_classes)
        cov.doubles = list(table.iter_pairs()) if expand else []
    return cov


def iter_scenarios(
    design: Design, rules: FailureRules | None = None, *, double: bool = False
) -> Iterator[Scenario]:
    """Every concrete scenario of ``design``, generated lazily: the single failures,
    then (with ``double``) every pair, in the order and with the reasons of
    ``analyse(design, rules, double=double, expand=True)`` (each class is evaluated
    once, up front).

    Examples
    --------
    >>> from hvdesign.spec import design_from_tier
    >>> it = iter_scenarios(design_from_tier("cluster-redundant-path", nodes=2), double=True)
    >>> next(it).reason
    'host1 down: the VMs of host1 restart on other nodes'
    """
    rules = rules or FailureRules()
    rules.check(design)  # here, not at the first next()
    table = _ClassTable(design, rules)
    if not double:
        return table.iter_singles()
    return itertools.chain(table.iter_singles(), table.iter_pairs())
