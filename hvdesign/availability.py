"""Availability of a design (domain.md §4): the steady-state probability that all VMs
can run (service availability) and 1 - the expected share of VMs down (VM
availability), both computed exactly from the failure rules, with a brute-force
reference and a Monte Carlo simulation of failures and repairs
(:mod:`hvdesign.simulation`) as cross-checks.

Definitions
-----------
availability [0..1]
    The steady-state probability that the failure rules (:mod:`hvdesign.scenarios`,
    :func:`~hvdesign.scenarios.evaluate_groups`) give an outcome other than ``outage``
    for the set of components that are down: every VM runs (a failover is a transient,
    not a steady-state loss). Components fail independently; one component of kind
    ``k`` is up with probability MTBF_k / (MTBF_k + MTTR_k) (:mod:`hvdesign.reliability`).
unavailability [0..1]
    1 - availability (computed directly where it matters for precision).
downtime_minutes_per_year [min/year]
    unavailability x 525,960 (365.25 days): minutes a year in which at least one VM is
    down (an SLA figure; any outage counts in full).
vm_availability [0..1]
    1 - E[share of VMs down], the share of each state being the failure rules'
    ``vms_down_fraction`` (as in the coverage analysis): N standalone servers with
    one down lose 1/N; an N+1 cluster with two hosts down 1 - (N-2)/(N-1); no
    quorum, no storage: all.
failover_restarts_per_year [1/year]
    Expected host failures a year, each restarting that host's VMs on other nodes:
    N x 8766 / (MTBF_host + MTTR_host). A host alternates up and down, one failure per
    cycle of mean length MTBF + MTTR, so this is the long-run failure frequency of the
    N hosts. It counts every host failure, also the rare ones that happen while the
    cluster is already in an outage (an overcount of relative order unavailability).
    0 for standalone servers: their host failures are outages, already in the
    unavailability.
vm_downtime_minutes_per_year [min/year]
    The minutes a year an average VM is down: (1 - vm_availability) x 525,960 +
    failover_restarts_per_year x failover_minutes / N, at most 525,960. Each restart
    stops 1/N of the VMs (VMs are spread evenly, domain.md §3) for
    ``failover_minutes``, so in minutes of ALL VMs down a restart weighs
    failover_minutes / N. What the trade-off, the Pareto frontier, total cost and cost
    per nine use.

The exact method
----------------
The structure function is the failure rules themselves, not a series/parallel product.
Components split into *shared* ones (switches, uplinks, inter-switch links, SAN portals,
the SAN) and each host's *local* ones (host, NIC cards, NIC connections).

1. Shared states. Only whether at least one uplink of a switch, one ISL, and one portal
   of a (subnet, switch) pair works matters (interchangeable members are aggregated),
   and the members of a failed switch or of a failed SAN do not matter at all; the
   enumeration skips them. Each shared state gives the infrastructure the hosts see
   (:meth:`FastModel.infra`, the same code the coverage analysis uses).
2. Host types. Given the infrastructure, the hosts are independent and identically
   distributed. What the rules use of a host is its *type*: up or not, whether it has
   a production path, whether it has a direct storage path, and its attachments to the
   cluster networks. Each connection contributes a fixed effect (production, storage,
   attachment) when it works; a type distribution follows by enumerating each NIC
   card's working ports and combining cards (an OR-convolution), exactly.
3. Counting hosts. The outcome depends only on how many hosts have each type. VMs all
   run iff some cluster component Q has quorum, at least N - reserve of its hosts serve,
   and (without network health detection) none of its hosts keeps storage but lost
   production. Two hosts are in one component iff their attachments connect, so the
   event splits by W, the set of attachments of Q: hosts whose attachments lie in W
   form Q, hosts with attachments disjoint from W lie outside it, and any other host
   would merge with Q and make its attachments larger than W (excluded). Summing over
   W is exact because Q's attachment set is unique. The hosts inside W must connect W:
   by Moebius inversion on the lattice of set partitions, the exponential generating
   function of connected host configurations covering W is
   sum over partitions pi of W of (-1)^(|pi|-1) (|pi|-1)! prod over blocks B of
   exp(x L(B)), where L(B) sums the probabilities of the types whose attachments lie in
   B. Every term is an exponential of a linear form, so the number of hosts q in Q and
   the number s of them that serve come out in closed form (a trinomial sum over
   q, s >= N - reserve), with the quorum threshold on q. "At least one host of Q has
   direct storage" (needed for redirected I/O and the witness) is all configurations
   minus those without one. With a witness disk and an even N, a component with exactly
   N/2 hosts needs the witness, which the other half can take: that term subtracts the
   configurations where the other N/2 hosts form one component that sorts first.
   Nothing is truncated; the only approximation is floating point.
4. The expected share. With quorum, a component Q with s hosts that serve and u that
   keep storage but lost production (no network health detection: their VMs up but
   unreachable) runs the share h(s, u) = min(n - u, s n / (n - reserve)) / n of the VMs
   (:func:`~hvdesign.scenarios.evaluate_groups`: 1 - (u + short) / n); without quorum
   none. vm_availability is the same sum as above with 1{s >= n - reserve, u = 0}
   replaced by h(s, u), the unreachable types (delta) counted apart from the other
   non-serving ones: a sum over (q, s, u) with the multinomial q!/(s! u! (q-s-u)!),
   which factorises over v = s + u (:func:`hvdesign.closedform.weighted_form`,
   O(N^2) per term). Configurations without direct storage weigh 0 on both sides of
   the subtraction, and the witness correction uses h instead of its indicator; it is
   skipped when its bound (what the sum counted for components of exactly N/2 hosts)
   is below 1e-15. Standalone servers: P(one host serves), by linearity.

Speed: the shared states, types and terms depend on the design but not on N; they are
computed once per design shape and cached, so a sweep over N only evaluates the closed
forms (about 2 ms per node count for a 64-node redundant-path design).

Ties. With a witness disk, two components of N/2 hosts that tie on
:func:`evaluate_groups`' sort key (votes, hosts that serve with direct storage, hosts
with direct storage) are ordered by group index there, which depends on host numbering.
The exact method breaks such ties by the number of hosts with production (then they
have identical outcomes); the brute force and Monte Carlo follow evaluate_groups. The
difference needs N >= 4, a witness, reserve >= N/2 and two isolated halves.

References
----------
[1] ``shared/domain.md`` §3 (failure rules) and §4 (availability).
[2] R. Stanley, *Enumerative Combinatorics* (see :mod:`hvdesign.closedform`).
[3] Law & Kelton, *Simulation Modeling and Analysis*, §9.4 (independent replications).
"""

from __future__ import annotations

import itertools
import json
import math
from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from hvdesign.closedform import (
    WeightedTerms,
    closed_form,
    multinomial3,
    partitions,
    served_share,
    spread,
    weighted_form,
    zeta,
)
from hvdesign.errors import HvdesignError
from hvdesign.failures import components, evaluate_bruteforce
from hvdesign.reliability import (
    HOURS_PER_YEAR,
    MINUTES_PER_YEAR,
    Reliability,
    resolve_reliability,
)
from hvdesign.scenarios import (
    FailureRules,
    FastModel,
    GraphModel,
    SharedInfra,
    kind_of,
    resolve_rules,
)
from hvdesign.simulation import DEFAULT_REPLICATIONS, DEFAULT_YEARS, simulate
from hvdesign.spec import Design, Port
from hvdesign.topology import host_names

__all__ = [
    "DEFAULT_REPLICATIONS",
    "DEFAULT_YEARS",
    "AvailabilityResult",
    "availability",
    "availability_bruteforce",
    "bruteforce",
    "simulate",
]


@dataclass(frozen=True)
class AvailabilityResult:
    """Availability figures of one design (see the module docstring for definitions).

    ``availability`` is the service availability (every VM runs: an SLA figure),
    ``vm_availability`` the VM availability (1 - the expected share of VMs down: a
    partial outage counts by the share of VMs it stops). ``ci95`` and ``vm_ci95`` are
    their Monte Carlo 95% confidence intervals (None for the exact method); ``years``,
    ``seed``, ``replications`` and ``outage_events`` (outages entered in the simulated
    time) describe the simulation; ``warning`` says when too few outages make the
    intervals meaningless (None otherwise).
    """

    availability: float
    unavailability: float
    downtime_minutes_per_year: float
    failover_restarts_per_year: float
    vm_downtime_minutes_per_year: float
    method: str
    ci95: tuple[float, float] | None = None
    years: float | None = None
    seed: int | None = None
    replications: int | None = None
    vm_availability: float = math.nan
    vm_ci95: tuple[float, float] | None = None
    outage_events: int | None = None
    warning: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data: the figures, ``method`` and, for Monte Carlo, ``ci95``,
        ``years``, ``seed`` and ``replications``."""
        data: dict[str, Any] = {
            "availability": self.availability,
            "unavailability": self.unavailability,
            "downtime_minutes_per_year": self.downtime_minutes_per_year,
            "vm_availability": self.vm_availability,
            "failover_restarts_per_year": self.failover_restarts_per_year,
            "vm_downtime_minutes_per_year": self.vm_downtime_minutes_per_year,
            "method": self.method,
        }
        if self.ci95 is not None:
            data["ci95"] = list(self.ci95)
            data["vm_ci95"] = list(self.vm_ci95) if self.vm_ci95 is not None else None
            data["years"] = self.years
            data["seed"] = self.seed
            data["replications"] = self.replications
            data["outage_events"] = self.outage_events
            data["warning"] = self.warning
        return data


def availability(
    design: Design,
    reliability: Reliability | None = None,
    rules: FailureRules | None = None,
    *,
    method: str = "exact",
    years: float = DEFAULT_YEARS,
    seed: int | None = 0,
    replications: int = DEFAULT_REPLICATIONS,
) -> AvailabilityResult:
    """Availability, downtime and failover figures of ``design``.

    Parameters
    ----------
    design
        The design (:func:`hvdesign.spec.design_from_tier`, ...).
    reliability
        MTBF/MTTR figures (:func:`hvdesign.reliability.load_reliability`); default: the
        shipped ``data/reliability.yaml``.
    rules
        The failure rules (:class:`hvdesign.failures.FailureRules`); default rules.
    method
        ``exact`` (default; cached per design, cheap in sweeps) or ``montecarlo``.
    years, seed, replications
        Monte Carlo only: simulated years in all [years], the random seed, and the
        number of independent replications (each ``years / replications`` long) the
        95% interval comes from.

    Examples
    --------
    >>> from hvdesign.spec import design_from_tier
    >>> r = availability(design_from_tier("cluster-redundant-path", nodes=4))
    >>> 0.9999 < r.availability < 1, r.method
    (True, 'exact')
    >>> single = availability(design_from_tier("single-redundant-connections"))
    >>> single.availability < r.availability
    True
    """
    rel = resolve_reliability(reliability)
    rules = resolve_rules(rules)
    rules.check(design)
    if method == "exact":
        u, vm_u = _exact_unavailability(design, rel, rules)
        return _result(design, rel, u, vm_u, "exact")
    if method == "montecarlo":
        sim = simulate(design, rel, rules, years=years, seed=seed, replications=replications)
        return _result(
            design,
            rel,
            sim["unavailability"],
            sim["vm_unavailability"],
            "montecarlo",
            ci95=sim["ci95"],
            vm_ci95=sim["vm_ci95"],
            years=years,
            seed=seed,
            replications=replications,
            outage_events=sim["outage_events"],
            warning=sim["warning"],
        )
    raise HvdesignError("method", method, "exact or montecarlo")


def _result(
    design: Design,
    rel: Reliability,
    unavailability: float,
    vm_unavailability: float,
    method: str,
    **simulation: Any,
) -> AvailabilityResult:
    """The figures from the two unavailabilities (floating-point noise of order 1e-16
    around 0 or 1 is cut to [0, 1]; the downtimes never exceed a year)."""
    u = min(max(unavailability, 0.0), 1.0)
    vm_u = min(max(vm_unavailability, 0.0), 1.0)
    n, cluster = design.nodes, design.cluster
    restarts = n * HOURS_PER_YEAR * rel.failure_frequency_per_hour("host") if cluster else 0.0
    downtime = u * MINUTES_PER_YEAR
    restart_minutes = restarts * rel.failover_minutes / n
    vm_downtime = min(vm_u * MINUTES_PER_YEAR + restart_minutes, MINUTES_PER_YEAR)
    return AvailabilityResult(
        availability=1.0 - u,
        unavailability=u,
        downtime_minutes_per_year=downtime,
        failover_restarts_per_year=restarts,
        vm_downtime_minutes_per_year=vm_downtime,
        method=method,
        vm_availability=1.0 - vm_u,
        **simulation,
    )


# ============================================================ shared states and types


def _group_state(rel: Reliability, kind: str, names: Sequence[str]) -> list[tuple[float, list]]:
    """States of a group of interchangeable components: at least one up, or all down."""
    u = rel.unavailability(kind) ** len(names)
    return [(p, f) for p, f in ((1.0 - u, []), (u, list(names))) if p > 0]


def _shared_states(fm: FastModel, rel: Reliability) -> list[tuple[float, frozenset]]:
    """(probability, representative failed set) of every aggregated shared state.

    Members of a failed switch's uplink and portal groups, and portals when the SAN is
    down, are irrelevant to :meth:`FastModel.infra` and left out of the enumeration.
    """
    uplinks: dict[str, list[str]] = defaultdict(list)
    for name, sw in fm.uplinks:
        uplinks[sw].append(name)
    portals: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name, subnet, sw in fm.portals:
        portals[(subnet, sw)].append(name)
    a_sw, u_sw = rel.availability("switch"), rel.unavailability("switch")
    out = []
    for ups in itertools.product((True, False), repeat=len(fm.switches)):
        p_sw = math.prod(a_sw if up else u_sw for up in ups)
        if p_sw == 0:
            continue
        live = [s for s, up in zip(fm.switches, ups, strict=True) if up]
        failed_sw = [s for s, up in zip(fm.switches, ups, strict=True) if not up]
        groups = [_group_state(rel, "uplink", uplinks[s]) for s in live if uplinks[s]]
        if len(live) == 2 and fm.isls:
            groups.append(_group_state(rel, "isl", fm.isls))
        a_san, u_san = rel.availability("san"), rel.unavailability("san")
        san_options: list[tuple[float, list, list[str]]] = []
        if a_san > 0:
            live_portals = [g for g in portals if g[1] in live]
            san_options.append(
                (a_san, [_group_state(rel, "san_port", portals[g]) for g in live_portals], [])
            )
        if u_san > 0:
            san_options.append((u_san, [], ["san"]))
        for p_san, more, san_failed in san_options:
            for combo in itertools.product(*(groups + more)):
                p = p_sw * p_san * math.prod(c[0] for c in combo)
                if p == 0:
                    continue
                failed = failed_sw + san_failed + [n for c in combo for n in c[1]]
                out.append((p, frozenset(failed)))
    return out


def _port_effect(fm: FastModel, infra: SharedInfra, port: Port) -> tuple | None:
    """What a working connection gives its host under ``infra`` (as in
    :meth:`FastModel.host_state`): (production path, storage path, attachment)."""
    g = infra.group.get(fm.switches[port.switch])
    if g is None:
        return None
    prod = port.traffic_class == "production" and infra.core[g]
    direct = port.traffic_class == "storage" and (port.subnet, g) in infra.portal
    att = (port.subnet, g) if port.traffic_class in fm.rules.cluster_networks else None
    if not (prod or direct or att):
        return None
    return (prod, direct, att)


_EMPTY: tuple[bool, bool, frozenset] = (False, False, frozenset())


def _or_convolve(d1: dict, d2: dict) -> dict:
    out: dict = defaultdict(float)
    for (p1, s1, a1), x in d1.items():
        for (p2, s2, a2), y in d2.items():
            out[(p1 or p2, s1 or s2, a1 | a2)] += x * y
    return out


def _host_types(effects: tuple, card_ports: list[list[int]], rel: Reliability) -> tuple:
    """The distribution of an up host's type (production, direct storage,
    attachments) under fixed port effects, and the probability the host is down."""
    a_nic, u_nic = rel.availability("nic"), rel.unavailability("nic")
    a_card, u_card = rel.availability("nic_card"), rel.unavailability("nic_card")
    dist: dict = {_EMPTY: 1.0}
    for ports in card_ports:
        live = [effects[i] for i in ports if effects[i] is not None]
        card: dict = defaultdict(float)
        for mask in range(1 << len(live)):
            p, prod, direct, atts = 1.0, False, False, set()
            for j, (e_prod, e_direct, e_att) in enumerate(live):
                if mask >> j & 1:
                    p *= a_nic
                    prod, direct = prod or e_prod, direct or e_direct
                    if e_att is not None:
                        atts.add(e_att)
                else:
                    p *= u_nic
            if p > 0:
                card[(prod, direct, frozenset(atts))] += p * a_card
        if u_card > 0:
            card[_EMPTY] += u_card
        dist = _or_convolve(dist, card)
    a_host = rel.availability("host")
    types = tuple((p * a_host, prod, direct, atts) for (prod, direct, atts), p in dist.items())
    return types, rel.unavailability("host")


@dataclass
class _InfraClass:
    """One class of shared states: its probability and the host type distribution."""

    prob: float
    up: list[tuple[float, bool, bool, int]]  # (p, production, direct, attachment mask)
    down: float
    n_att: int


class _Shape:
    """Everything about a design that does not depend on its node count."""

    def __init__(self, design: Design, rules: FailureRules, rel: Reliability):
        self.nhd = rules.nhd(design)
        self.csv = rules.csv_redirected_io
        fm = FastModel(design, rules)
        cards = sorted({p.card for p in fm.layout})
        card_ports = [[i for i, p in enumerate(fm.layout) if p.card == c] for c in cards]
        by_effects: dict[tuple, float] = defaultdict(float)
        for prob, failed in _shared_states(fm, rel):
            infra = fm.infra(failed)
            by_effects[tuple(_port_effect(fm, infra, p) for p in fm.layout)] += prob
        self.infras: list[_InfraClass] = []
        for effects, prob in by_effects.items():
            types, down = _host_types(effects, card_ports, rel)
            atts = sorted(
                {a for _, _, _, s in types for a in s}, key=lambda a: (a[0], sorted(a[1]))
            )
            index = {a: i for i, a in enumerate(atts)}
            up = [
                (p, prod, direct, sum(1 << index[a] for a in s))
                for p, prod, direct, s in types
                if p > 0
            ]
            self.infras.append(_InfraClass(prob, up, down, len(atts)))
        self._terms: tuple[np.ndarray, ...] | None = None
        self._weighted: WeightedTerms | None = None
        self._raw_cache: dict[tuple[int, int, int], np.ndarray] = {}
        self.results: dict[tuple[int, bool, int], tuple[float, float]] = {}

    # ------------------------------------------------------------ standalone servers

    def standalone_ok(self, n: int) -> float:
        """P(every one of n standalone hosts is up with production and storage)."""
        return math.fsum(
            inf.prob * math.fsum(p for p, prod, direct, _ in inf.up if prod and direct) ** n
            for inf in self.infras
        )

    def standalone_vm(self) -> float:
        """1 - E[share of standalone servers down] = P(one host serves) (linearity:
        each server is down with the same probability, whatever N)."""
        return math.fsum(
            inf.prob * math.fsum(p for p, prod, direct, _ in inf.up if prod and direct)
            for inf in self.infras
        )

    # ------------------------------------------------------------------ clusters

    def _allowed(self, prod: bool, direct: bool) -> bool:
        """Can a host of Q have this type with every VM running? Without network
        health detection a host that keeps storage (direct, or redirected because Q
        has direct storage) but lost production leaves its VMs unreachable."""
        if self.nhd or prod:
            return True
        return not direct and not self.csv

    def _marked(self, prod: bool, direct: bool) -> bool:
        """Does a host of Q of this type serve (given Q has direct storage)?"""
        return prod and (direct or self.csv)

    def terms(self) -> tuple[np.ndarray, ...]:
        """The closed-form terms of every infrastructure class and attachment set W:
        (coefficient, alpha, beta, alpha without direct storage, beta without, gamma,
        delta, delta without direct storage). alpha/beta: probability of an allowed
        type in a block that does not / does serve; delta: of a type whose host keeps
        storage without production and no network health detection (its VMs up but
        unreachable; not allowed when all VMs must run); gamma: of a type outside W."""
        if self._terms is not None:
            return self._terms
        rows: list[np.ndarray] = []
        for inf in self.infras:
            u = inf.n_att
            size = 1 << u
            w = np.zeros((size, 7))  # alpha, beta, alpha_nd, beta_nd, all, delta, delta_nd
            outside = inf.down
            for p, prod, direct, mask in inf.up:
                if mask == 0:
                    outside += p
                    continue
                w[mask, 4] += p
                if self._allowed(prod, direct):
                    col = 1 if self._marked(prod, direct) else 0
                    w[mask, col] += p
                    if not direct:
                        w[mask, col + 2] += p
                else:
                    w[mask, 5] += p
                    if not direct:
                        w[mask, 6] += p
            L = zeta(w, u)
            full = size - 1
            for W in range(1, size):
                if L[W, 1] == 0:
                    continue  # no host of Q could serve
                mu, blocks = partitions(bin(W).count("1"))
                sums = L[spread(W)[blocks]].sum(axis=1)  # (partitions, 7)
                gamma = outside + L[full & ~W, 4]
                block = np.empty((len(mu), 8))
                block[:, 0] = inf.prob * mu
                block[:, 1:5] = sums[:, :4]
                block[:, 5] = gamma
                block[:, 6:8] = sums[:, 5:7]
                rows.append(block)
        self._terms = tuple(np.concatenate(rows).T) if rows else tuple(np.zeros((8, 0)))
        return self._terms

    def cluster_ok(self, n: int, witness: bool, reserve: int) -> float:
        """P(all VMs run) for an n-node cluster."""
        k = n - reserve
        coef, a, b, a_nd, b_nd, g = self.terms()[:6]
        q = np.arange(n + 1)
        quorum = (2 * q >= n) if witness else (2 * q > n)
        total = closed_form(
            n,
            k,
            quorum,
            np.concatenate([coef, -coef]),
            np.concatenate([a, a_nd]),
            np.concatenate([b, b_nd]),
            np.concatenate([g, g]),
        )
        if witness and n % 2 == 0 and k <= n // 2:
            total += self._halves(n, self._half_weights(n, reserve, vm=False))
        return total

    def cluster_vm(self, n: int, witness: bool, reserve: int) -> float:
        """1 - E[share of VMs down] for an n-node cluster: the sum of
        :meth:`cluster_ok` with the indicator 1{s >= n - reserve, u = 0} replaced by the
        served share h(s, u) = min(n - u, s n / (n - reserve)) / n, u counting the
        hosts whose VMs are up but unreachable (delta)."""
        if self._weighted is None:
            coef, a, b, a_nd, b_nd, g, d, d_nd = self.terms()
            pairs = ((coef, -coef), (a, a_nd), (b, b_nd), (d, d_nd), (g, g))
            self._weighted = WeightedTerms(*(np.concatenate(p) for p in pairs))
        q = np.arange(n + 1)
        quorum = (2 * q >= n) if witness else (2 * q > n)
        h = served_share(n, reserve)
        total = weighted_form(n, h, quorum, self._weighted)
        if witness and n % 2 == 0:
            # At most what the sum counted for components of n/2 hosts (n >= 4): skipped
            # below 1e-15, the rounding of the sum (it costs seconds at 64 nodes).
            bound = weighted_form(n, h, q == n // 2, self._weighted)
            if n == 2 or abs(bound) >= 1e-15:
                total += self._halves(n, self._half_weights(n, reserve, vm=True))
        return total

    def _half_weights(self, n: int, reserve: int, *, vm: bool) -> np.ndarray:
        """What a component Q of n/2 hosts with a, b, c, e hosts of each combo (see
        :meth:`_combos`) is worth: 1{all VMs run} (``vm=False``) or the served share
        h(s, u) (``vm=True``); 0 without a host with direct storage."""
        m = n // 2
        a, b, c = np.indices((m + 1,) * 3)
        e = m - a - b - c
        direct = (a + b >= 1) & (e >= 0)
        serving = a + self.csv * c
        unreachable = np.zeros_like(a) if self.nhd else b + self.csv * np.clip(e, 0, None)
        if not vm:
            return (direct & (serving >= n - reserve) & (unreachable == 0)).astype(float)
        share = np.minimum(n - unreachable, serving * n / (n - reserve)) / n
        return np.where(direct, share, 0.0)

    # ------------------------------------------- the witness between two halves

    def _combos(self, i: int) -> np.ndarray:
        """Subset sums over attachment masks of the up types' probabilities by combo:
        a = production and direct storage, b = direct storage only, c = production
        only, e = neither (row 0: the types without attachments)."""
        key = (i, -1, -1)
        if key not in self._raw_cache:
            inf = self.infras[i]
            w4 = np.zeros((1 << inf.n_att, 4))
            for p, prod, direct, mask in inf.up:
                w4[mask, (0 if prod else 1) if direct else (2 if prod else 3)] += p
            L = zeta(w4, inf.n_att)
            L[1:] -= w4[0]  # attachments inside a block: nonempty ones only
            self._raw_cache[key] = np.vstack([w4[:1], L[1:]])
        return self._raw_cache[key]

    def _raw(self, i: int, X: int, m: int) -> np.ndarray:
        """Configurations of m up hosts whose attachments connect exactly X (X = 0: one
        host without attachments), as an array over (a, b, c) (see :meth:`_combos`)."""
        key = (i, X, m)
        if key not in self._raw_cache:
            L = self._combos(i)
            if X == 0:
                out = multinomial3(m, L[:1], np.ones(1))
            else:
                mu, blocks = partitions(bin(X).count("1"))
                sums = np.where(blocks[..., None] > 0, L[spread(X)[blocks]], 0.0).sum(axis=1)
                out = multinomial3(m, sums, mu)
            self._raw_cache[key] = out
        return self._raw_cache[key]

    def _halves(self, n: int, ok: np.ndarray) -> float:
        """With a witness and N even, a component Q of exactly N/2 hosts needs the
        witness. The closed form counted every such Q, worth ``ok`` (over a, b, c: see
        :meth:`_half_weights`); subtract those where
        the other N/2 hosts form one component R with direct storage that sorts first
        (more hosts serving with direct storage, then with direct storage, then with
        production; a full tie counts half each way, the outcomes being equal), and add
        Q = one host without attachments (N = 2), which the closed form leaves out."""
        m = n // 2
        a, b, c = np.indices((m + 1,) * 3)
        direct = a + b >= 1
        total = 0.0
        for i, inf in enumerate(self.infras):
            L = self._combos(i)
            u = inf.n_att
            sets = list(range(1, 1 << u)) + ([0] if m == 1 else [])
            # Q needs a host that serves (a, or c with redirected I/O); R one with
            # direct storage (a or b); other attachment sets contribute nothing.
            serves = [X for X in sets if L[X, 0] > 0 or (self.csv and L[X, 2] > 0)]
            rival = np.zeros((1 << u,) + ok.shape)
            for X in sets:
                if X and L[X, 0] + L[X, 1] > 0:
                    rival[X] = self._raw(i, X, m) * direct
            # R: the other m hosts as one component apart from Q, i.e. with attachments
            # inside the complement of W: subset sums over the complement.
            rival = zeta(rival, u)
            alone = self._raw(i, 0, m) * direct if m == 1 else 0.0  # a host on its own
            full = (1 << u) - 1
            for W in serves:
                pq = self._raw(i, W, m) * ok
                if not pq.any():
                    continue
                flat = (rival[full & ~W] + alone).ravel()
                later = np.cumsum(flat[::-1])[::-1] - flat  # strictly after, lex (a, b, c)
                beaten = float(pq.ravel() @ (later + 0.5 * flat))
                lone = float(pq.sum()) if W == 0 else 0.0
                total += inf.prob * math.comb(n, m) * (lone - beaten)
        return total


# ----------------------------------------------------------------------- caching

_SHAPES: OrderedDict[tuple, _Shape] = OrderedDict()
_MAX_SHAPES = 64


def _shape(design: Design, rules: FailureRules, rel: Reliability) -> _Shape:
    opts = design.options()
    opts.pop("nodes", None)
    opts.pop("name", None)
    key = (
        json.dumps(opts, sort_keys=True),
        rules.csv_redirected_io,
        rules.nhd(design),
        tuple(rules.cluster_networks),
        rel.key(),
    )
    shape = _SHAPES.get(key)
    if shape is None:
        shape = _Shape(design, rules, rel)
        _SHAPES[key] = shape
        while len(_SHAPES) > _MAX_SHAPES:
            _SHAPES.popitem(last=False)
    else:
        _SHAPES.move_to_end(key)
    return shape


def _exact_unavailability(
    design: Design, rel: Reliability, rules: FailureRules
) -> tuple[float, float]:
    """(1 - availability, 1 - vm_availability) by the exact method (cached)."""
    shape = _shape(design, rules, rel)
    n = design.nodes
    witness = rules.witness(design) if design.cluster else False
    key = (n, witness, rules.reserve)
    if key not in shape.results:
        if design.cluster:
            ok = shape.cluster_ok(n, witness, rules.reserve)
            vm = shape.cluster_vm(n, witness, rules.reserve)
        else:
            ok, vm = shape.standalone_ok(n), shape.standalone_vm()
        shape.results[key] = (1.0 - ok, 1.0 - vm)
    return shape.results[key]


# ============================================================ brute-force reference


def availability_bruteforce(
    design: Design,
    reliability: Reliability | None = None,
    rules: FailureRules | None = None,
    *,
    evaluator: str = "graph",
    max_components: int = 20,
) -> float:
    """Availability by enumerating every up/down state of every component that can
    fail: sum of P(state) over the states whose outcome is not ``outage`` (the first
    figure of :func:`bruteforce`)."""
    return bruteforce(
        design, reliability, rules, evaluator=evaluator, max_components=max_components
    )[0]


def bruteforce(
    design: Design,
    reliability: Reliability | None = None,
    rules: FailureRules | None = None,
    *,
    evaluator: str = "graph",
    max_components: int = 20,
) -> tuple[float, float]:
    """(availability, vm_availability) by enumerating every up/down state of every
    component that can fail: the sum of P(state) over the states whose outcome is not
    ``outage``, and 1 - the sum of P(state) x the state's ``vms_down_fraction``.

    ``evaluator="graph"`` decides each state with
    :func:`~hvdesign.failures.evaluate_bruteforce` (a graph search per host, the
    reference); ``"fast"`` with the class-based evaluator of the coverage analysis.
    Components that never fail (MTTR 0 or MTBF infinite) are not enumerated. 2^C states:
    only for small designs (C at most ``max_components``).
    """
    rel = resolve_reliability(reliability)
    rules = resolve_rules(rules)
    rules.check(design)
    if evaluator not in ("graph", "fast"):
        raise HvdesignError("evaluator", evaluator, "graph or fast")
    names = components(design)
    kinds = [kind_of(x) for x in names]
    var = [i for i, kind in enumerate(kinds) if rel.unavailability(kind) > 0]
    if len(var) > max_components:
        raise HvdesignError(
            "design",
            f"{len(var)} components that can fail",
            f"at most {max_components} for brute-force enumeration (2^C states)",
        )
    up_p = [rel.availability(kinds[i]) for i in var]
    down_p = [rel.unavailability(kinds[i]) for i in var]
    if evaluator == "graph":
        model = GraphModel(design, rules)

        def outcome(failed: list[str]) -> tuple[str, float]:
            res = evaluate_bruteforce(design, failed, rules, model)
            return res.outcome, res.vms_down_fraction

    else:
        fm = FastModel(design, rules)
        hosts = host_names(design)
        where = _name_map(fm, hosts)

        def outcome(failed: list[str]) -> tuple[str, float]:
            shared, local = set(), defaultdict(set)
            for x in failed:
                h, t = where[x]
                if h is None:
                    shared.add(t)
                else:
                    local[h].add(t)
            locals_ = [frozenset(local[h]) for h in sorted(local)]
            res = fm.evaluate(frozenset(shared), locals_)
            return res.outcome, res.vms_down_fraction

    ok, lost = [], []
    for state in itertools.product((False, True), repeat=len(var)):
        p = math.prod(d if down else a for down, a, d in zip(state, up_p, down_p, strict=True))
        if p == 0:
            continue
        failed = [names[i] for down, i in zip(state, var, strict=True) if down]
        out, frac = outcome(failed)
        if out != "outage":
            ok.append(p)
        lost.append(p * frac)
    return math.fsum(ok), 1.0 - math.fsum(lost)


def _name_map(fm: FastModel, hosts: list[str]) -> dict[str, tuple[int | None, str]]:
    """Component name -> (host index or None for shared, template or shared name)."""
    where: dict[str, tuple[int | None, str]] = {}
    for h, host in enumerate(hosts):
        for t in fm.local_templates():
            where[f"{host}-{t}" if t else host] = (h, t)
    for s in fm.shared_components():
        where[s] = (None, s)
    return where
