"""Failure analysis: what a design does when components fail (domain.md §3).

A *scenario* is a set of failed components (graph nodes of kind ``host``, ``nic``,
``nic_card``, ``switch``, ``uplink``, ``isl``, ``san_port``, ``san``). Its outcome:

* each host gets a :class:`HostState`: is it up, which production connections still
  reach the production core, which storage connections still reach a SAN target
  portal on their subnet (and the SAN), and on which cluster networks it can talk
  (``attachments``: a subnet plus the group of switches joined by working ISLs);
* on a cluster, nodes that share an attachment talk to each other; the group holding
  more than half of the votes keeps quorum (:class:`FailureRules` ``quorum``);
* a host *serves* its VMs when it is up, in the quorum group, has a production path,
  and has storage (its own path, or CSV redirected I/O through a node of its group
  that has one); VMs of hosts that do not serve restart on serving hosts
  (``failover``) as long as the serving hosts can carry them (``reserve``); VMs of a
  host that lost only production stay up but unreachable unless network health
  detection moves them; whatever cannot run is down until repair (``outage``).

Two evaluators give identical results: :func:`evaluate_bruteforce` searches the
graph for every host of every scenario (the reference), and :func:`analyse` with
``method="fast"`` exploits that all hosts of a design are alike: the per-host state
only depends on the failed shared components (switches, uplinks, ISLs, portals, SAN)
and the host's own failed parts, so every class of equivalent scenarios is evaluated
once and counted with its multiplicity.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

import networkx as nx

from hvdesign.errors import HvdesignError
from hvdesign.spec import Design, Port, host_layout, portal_placement
from hvdesign.topology import build_graph, host_names

#: Component kinds that can fail, in report order.
KINDS: tuple[str, ...] = ("host", "nic", "nic_card", "switch", "uplink", "isl", "san_port", "san")
SHARED_KINDS = ("switch", "uplink", "isl", "san_port", "san")
#: The most scenarios the brute-force reference is asked to search (minutes, not hours).
BRUTEFORCE_MAX_SCENARIOS = 20_000
OUTCOMES = ("survived", "failover", "outage")
#: Windows Server versions with network health detection (2012 R2 and later).
_NHD_VERSIONS = ("2012 R2", "2016", "2019", "2022", "2025")


@dataclass(frozen=True)
class FailureRules:
    """The assumptions of the failure rules, each a named parameter (domain.md §3).

    Parameters
    ----------
    csv_redirected_io
        A node that lost its own storage paths reaches storage through a node of its
        cluster group that still has one (2008 R2 CSV redirected access). Default on.
    network_health_detection
        A node that loses only its production path live-migrates its VMs away
        (2012 R2 and later) instead of keeping them up but unreachable. ``None``
        (default): on for Windows Server 2012 R2 and later, off before.
    quorum
        ``auto`` (default: node majority for an odd node count, node and disk majority
        for an even one, Microsoft's recommendation), ``node_majority`` or
        ``node_and_disk_majority`` (a witness disk on the SAN).
    reserve
        Hosts the cluster can lose and still run every VM: sized for N - reserve hosts
        ("N+1" = 1, the default).
    cluster_networks
        Traffic classes that carry cluster communication (heartbeat, management and
        production by default; storage networks are excluded, cluster role 0).
    """

    csv_redirected_io: bool = True
    network_health_detection: bool | None = None
    quorum: Literal["auto", "node_majority", "node_and_disk_majority"] = "auto"
    reserve: int = 1
    cluster_networks: tuple[str, ...] = ("heartbeat", "management", "production")

    def nhd(self, design: Design) -> bool:
        """Whether network health detection applies to ``design``."""
        if self.network_health_detection is None:
            return design.windows_version in _NHD_VERSIONS
        return self.network_health_detection

    def witness(self, design: Design) -> bool:
        """Whether the quorum counts a witness disk on the SAN."""
        if self.quorum == "auto":
            return design.nodes % 2 == 0
        return self.quorum == "node_and_disk_majority"

    def check(self, design: Design) -> None:
        """Raise :class:`HvdesignError` when a rule does not fit ``design``."""
        if self.quorum not in ("auto", "node_majority", "node_and_disk_majority"):
            raise HvdesignError(
                "quorum", self.quorum, "auto, node_majority or node_and_disk_majority"
            )
        bad_type = isinstance(self.reserve, bool) or not isinstance(self.reserve, int)
        if bad_type or self.reserve < 0 or (design.cluster and self.reserve >= design.nodes):
            raise HvdesignError(
                "reserve",
                self.reserve,
                f"a whole number from 0 to {max(design.nodes - 1, 0)} "
                f"(fewer than the {design.nodes} nodes)",
            )
        for cls in self.cluster_networks:
            if cls not in ("heartbeat", "management", "production", "storage"):
                raise HvdesignError(
                    "cluster_networks", cls, "heartbeat, management, production or storage"
                )


@dataclass(frozen=True)
class HostState:
    """What one host still has in a scenario.

    ``production`` and ``storage`` list the connection suffixes (``p2``, ``s1``) that
    still reach the core or a portal; ``attachments`` the (subnet, switch group) pairs
    of its working cluster-network connections.
    """

    up: bool
    production: tuple[str, ...] = ()
    storage: tuple[str, ...] = ()
    attachments: frozenset = frozenset()


DOWN = HostState(False)


@dataclass(frozen=True)
class Group:
    """Hosts of a scenario that are in one state: ``count`` hosts, named in reasons by
    ``label`` (the first of them)."""

    state: HostState
    count: int
    label: str


@dataclass(frozen=True)
class Result:
    """The outcome of one scenario."""

    outcome: str
    vms_down_fraction: float
    reason: str


@dataclass
class Scenario:
    """One failure scenario and its outcome (a row of ``hvdesign coverage --json``)."""

    failed: tuple[str, ...]
    kinds: tuple[str, ...]
    outcome: str
    vms_down_fraction: float
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "failed": list(self.failed),
            "kinds": list(self.kinds),
            "outcome": self.outcome,
            "vms_down_fraction": self.vms_down_fraction,
            "reason": self.reason,
        }


# ------------------------------------------------------------------ the common rules


def evaluate_groups(
    design: Design,
    rules: FailureRules,
    groups: Sequence[Group],
    components: Sequence[dict[int, int]],
    normal: HostState,
    *,
    reasons: bool = True,
) -> Result:
    """The outcome of a scenario from its host groups and cluster components.

    ``components`` lists the groups of up hosts that can talk to each other, each as
    ``{group index: hosts of that group in it}`` (only used on clusters). Both
    evaluators end here, so their results agree whenever their host states and
    components agree. ``reasons=False`` skips the words (the outcome and the share of
    VMs down are the same): for availability, which needs only the outcome.
    """
    n = design.nodes
    nhd = rules.nhd(design)
    clauses: list[str] = []
    # ---- standalone servers: every host on its own
    if not design.cluster:
        down = 0
        for g in groups:
            ok = g.state.up and g.state.production and g.state.storage
            if not ok:
                down += g.count
            if reasons:
                clauses += _host_clauses(
                    design, g, normal, cluster=False, nhd=nhd, redirected=False
                )
        frac = Fraction(down, n)
        return _result(frac, 0, clauses)

    witness = rules.witness(design)
    total_votes = n + (1 if witness else 0)
    # Votes of each component; the witness goes to the best component that can reach
    # the SAN directly (the partition that arbitrates the witness disk first).
    scored = []
    for comp in components:
        votes = sum(comp.values())
        serving = sum(
            c for i, c in comp.items() if groups[i].state.production and groups[i].state.storage
        )
        direct = sum(c for i, c in comp.items() if groups[i].state.storage)
        production = sum(c for i, c in comp.items() if groups[i].state.production)
        scored.append((votes, serving, direct, comp, production))
    # Components tied on all of these have the same outcome; what ties still is
    # ordered by the lowest group, the same in both evaluators.
    scored.sort(key=lambda t: (-t[0], -t[1], -t[2], -t[4], min(t[3])))
    quorum: dict[int, int] | None = None
    if witness:
        claim = next((k for k, t in enumerate(scored) if t[2] > 0), None)
        for k, (votes, _, _, comp, _) in enumerate(scored):
            if 2 * (votes + (1 if k == claim else 0)) > total_votes:
                quorum = comp
                break
    else:
        for votes, _, _, comp, _ in scored:
            if 2 * votes > total_votes:
                quorum = comp
                break
    if quorum is None:
        best = scored[0][0] + (1 if witness and scored and scored[0][2] else 0) if scored else 0
        model = "node and disk majority" if witness else "node majority"
        clauses.append(
            f"the cluster loses quorum: the largest group of nodes that can "
            f"talk holds {best} of {total_votes} votes ({model} needs more than "
            f"half); all VMs stop"
        )
        return _result(Fraction(1), 0, clauses)

    any_direct = any(groups[i].state.storage for i in quorum)
    serving = unreachable = restart = 0
    redirected = [False] * len(groups)
    for i, g in enumerate(groups):
        inq = quorum.get(i, 0)
        restart += g.count - inq
        if inq:
            st = g.state
            redirected[i] = not st.storage and rules.csv_redirected_io and any_direct
            has_storage = bool(st.storage) or redirected[i]
            if has_storage and st.production:
                serving += inq
            elif has_storage:
                if not nhd:
                    unreachable += inq
            else:
                restart += inq
    for i, g in enumerate(groups if reasons else ()):  # the same again, in words
        inq = quorum.get(i, 0)
        if inq:
            # Network health detection can only move VMs to a host that serves.
            clauses += _host_clauses(
                design,
                g,
                normal,
                cluster=True,
                nhd=nhd and serving > 0,
                others_serve=serving > 0,
                redirected=redirected[i],
                rules=rules,
            )
        out = g.count - inq
        if out and g.state.up:
            clauses.append(
                f"{_who(g, out)} cut off from the cluster: {_its(out)} VMs restart on other nodes"
            )
        elif not g.state.up:
            clauses += _host_clauses(design, g, normal, cluster=True, nhd=nhd, redirected=False)
    need = n - unreachable  # host shares of VMs that must run on serving hosts
    capacity = Fraction(serving * n, n - rules.reserve)
    short = max(Fraction(0), need - capacity)
    if short > 0 and serving == 0:
        clauses.append("no host can serve VMs: all VMs down until repair")
    elif short > 0:
        clauses.append(
            f"only {serving} hosts serve: the cluster is sized to run all VMs on "
            f"{n - rules.reserve} (reserve {rules.reserve}), the rest stay down until repair"
        )
    frac = (unreachable + short) / n
    return _result(frac, restart, clauses)


def _result(frac: Fraction, restart: int, clauses: list[str]) -> Result:
    if frac > 0:
        outcome = "outage"
    elif restart > 0:
        outcome = "failover"
    else:
        outcome = "survived"
    reason = "; ".join(clauses) if clauses else "no host affected: traffic keeps its paths"
    return Result(outcome, float(frac), reason)


def _who(g: Group, count: int | None = None) -> str:
    count = g.count if count is None else count
    return g.label if count == 1 else f"{g.label} and {count - 1} more hosts"


def _its(count: int) -> str:
    return "its" if count == 1 else "their"


def _host_clauses(
    design: Design,
    g: Group,
    normal: HostState,
    *,
    cluster: bool,
    nhd: bool,
    redirected: bool,
    rules: FailureRules | None = None,
    others_serve: bool = True,
) -> list[str]:
    """What happened to one group of hosts, in words (empty when nothing changed).
    ``others_serve``: some host still serves, so VMs can restart elsewhere."""
    st, label = g.state, g.label
    its = _its(g.count)
    if not st.up:
        fate = "restart on other nodes" if cluster else "stop until repair"
        return [f"the VMs of {_who(g)} {fate}"]
    if st == normal:
        return []
    layout = {p.suffix: p for p in host_layout(design)}
    sw = design.switch_names
    parts: list[str] = []
    if not st.storage:
        if redirected:
            parts.append("storage redirected over a cluster network (CSV redirected I/O)")
        else:
            fate = "restart on other nodes" if cluster and others_serve else "stop until repair"
            parts.append(f"lost storage: {its} VMs {fate}")
    elif st.storage != normal.storage:
        s = st.storage[0]
        parts.append(f"storage via {label}-{s} on {sw[layout[s].switch]}")
    if not st.production:
        if cluster and nhd and (st.storage or redirected):
            parts.append(f"lost production: network health detection live-migrates {its} VMs")
        elif st.storage or redirected:
            parts.append(f"lost production: {its} VMs keep running but are unreachable")
    elif st.production != normal.production:
        p = st.production[0]
        parts.append(f"production via {label}-{p} on {sw[layout[p].switch]}")
    notes = [", ".join(parts)] if parts else []
    if cluster and rules is not None:
        had, has = _classes_of(normal.attachments), _classes_of(st.attachments)
        if "heartbeat" in had and "heartbeat" not in has:
            left = next((c for c in rules.cluster_networks if c in has), None)
            notes.append(f"heartbeat falls back to {left}" if left else "cluster networks lost")
        if "management" in had and "management" not in has:
            notes.append("management lost: the host is unmanageable, its VMs keep running")
    if not notes:
        return []
    suffix = "" if g.count == 1 else f" ({g.count} hosts alike)"
    return [f"{label}: {'; '.join(notes)}{suffix}"]


def _classes_of(attachments: Iterable[tuple[str, Any]]) -> list[str]:
    """Traffic classes of a host's cluster-network attachments."""
    subnets = {s for s, _ in attachments}
    return [
        c
        for c in ("heartbeat", "management", "production", "storage")
        if any(s == c or s.startswith(c + "-") for s in subnets)
    ]


# --------------------------------------------------------------- brute-force (graph)


class _GraphModel:
    """Graph searches on the design graph (the reference evaluator)."""

    def __init__(self, design: Design, rules: FailureRules, G: nx.Graph | None = None):
        self.design, self.rules = design, rules
        self.G = build_graph(design) if G is None else G
        self.hosts = host_names(design)
        self.layout = host_layout(design)
        self.infra = {n for n, k in self.G.nodes(data="kind") if k in ("switch", "isl")}
        self.cluster_subnets = sorted(
            {p.subnet for p in self.layout if p.traffic_class in rules.cluster_networks}
        )

    def host_state(self, host: str, failed: frozenset[str]) -> HostState:
        """Search the graph from each of the host's working connections."""
        G = self.G
        if host in failed:
            return DOWN

        def alive(n: str) -> bool:
            return n not in failed

        view = nx.subgraph_view(G, filter_node=lambda n: n in self.infra and n not in failed)
        production, storage, attachments = [], [], set()
        for p in self.layout:
            nic = f"{host}-{p.suffix}"
            sw = G.nodes[nic]["switch"]
            if not (alive(nic) and alive(G.nodes[nic]["card"]) and alive(sw)):
                continue
            # The switches this connection reaches through working ISLs.
            reach = nx.node_connected_component(view, sw)
            group = frozenset(n for n in reach if G.nodes[n]["kind"] == "switch")
            ends = [m for s in group for m in G.neighbors(s) if alive(m)]
            if p.traffic_class == "production":
                if any(G.nodes[m]["kind"] == "uplink" for m in ends):
                    production.append(p.suffix)
            elif (
                p.traffic_class == "storage"
                and alive("san")
                and any(
                    G.nodes[m]["kind"] == "san_port" and G.nodes[m]["subnet"] == p.subnet
                    for m in ends
                )
            ):
                storage.append(p.suffix)
            if p.traffic_class in self.rules.cluster_networks:
                attachments.add((p.subnet, group))
        return HostState(True, tuple(production), tuple(storage), frozenset(attachments))

    def components(self, failed: frozenset[str]) -> list[list[str]]:
        """Up hosts that can talk, by a graph search per cluster subnet: hosts, their
        working cards and connections on that subnet, working switches and ISLs."""
        G = self.G
        merged = nx.utils.UnionFind([h for h in self.hosts if h not in failed])
        for subnet in self.cluster_subnets:

            def keep(n: str, subnet: str = subnet) -> bool:
                if n in failed:
                    return False
                kind = G.nodes[n]["kind"]
                if kind in ("switch", "isl", "host", "nic_card"):
                    return kind != "nic_card" or G.nodes[n]["host"] not in failed
                return kind == "nic" and G.nodes[n]["subnet"] == subnet

            view = nx.subgraph_view(G, filter_node=keep)
            for comp in nx.connected_components(view):
                hosts = [n for n in comp if G.nodes[n]["kind"] == "host"]
                if len(hosts) > 1:
                    merged.union(*hosts)
        return [sorted(c, key=self.hosts.index) for c in merged.to_sets()]


def evaluate_bruteforce(
    design: Design,
    failed: Iterable[str],
    rules: FailureRules | None = None,
    model: _GraphModel | None = None,
) -> Result:
    """The outcome of one scenario by graph search on every host (the reference)."""
    rules = rules or FailureRules()
    model = model or _GraphModel(design, rules)
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


def group_components(groups: Sequence[Group]) -> list[dict[int, int]]:
    """The cluster components of host groups (the form :func:`evaluate_groups` takes).

    Hosts of one group share their attachments, so an up group with attachments is one
    block; groups sharing an attachment merge; an up host without attachments is alone.
    """
    parent = list(range(len(groups)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, j in itertools.combinations(range(len(groups)), 2):
        a, b = groups[i].state, groups[j].state
        if a.up and b.up and a.attachments & b.attachments:
            parent[find(i)] = find(j)
    blocks: dict[int, dict[int, int]] = {}
    comps: list[dict[int, int]] = []
    for i, g in enumerate(groups):
        if not g.state.up:
            continue
        if g.state.attachments:
            blocks.setdefault(find(i), {})[i] = g.count
        else:
            comps += [{i: 1} for _ in range(g.count)]
    return comps + list(blocks.values())


# --------------------------------------------------------------------- fast (classes)


@dataclass
class _Infra:
    """What the shared components still provide under a set of shared failures."""

    group: dict[str, frozenset]  # switch -> switches joined to it by working ISLs
    core: dict[frozenset, bool]
    portal: set  # (subnet, switch group) pairs with a working portal and SAN


class _FastModel:
    def __init__(self, design: Design, rules: FailureRules):
        self.design, self.rules = design, rules
        self.layout: list[Port] = host_layout(design)
        self.switches = design.switch_names
        self.portals = [
            (f"san-port{j}", subnet, self.switches[sw])
            for j, (subnet, sw) in enumerate(portal_placement(design), start=1)
        ]
        self.uplinks = [
            (f"uplink-{sw[-1]}{k}", sw)
            for sw in self.switches
            for k in range(1, design.uplinks_per_switch + 1)
        ]
        self.isls = (
            [f"isl{k}" for k in range(1, design.isl_links + 1)] if design.switches == 2 else []
        )
        self.cards = sorted({p.card for p in self.layout})
        self._infra: dict[frozenset, _Infra] = {}
        self._states: dict[tuple, HostState] = {}

    def shared_components(self) -> list[str]:
        return (
            list(self.switches)
            + [u for u, _ in self.uplinks]
            + self.isls
            + [p for p, _, _ in self.portals]
            + ["san"]
        )

    def local_templates(self) -> list[str]:
        """Per-host components as suffixes: '' (the host), 'card1', 'p1', ..."""
        return [""] + [f"card{c}" for c in self.cards] + [p.suffix for p in self.layout]

    def infra(self, failed: frozenset) -> _Infra:
        cached = self._infra.get(failed)
        if cached is not None:
            return cached
        live = [s for s in self.switches if s not in failed]
        joined = len(live) == 2 and any(i not in failed for i in self.isls)
        group = {s: frozenset(live) if joined else frozenset([s]) for s in live}
        core = {}
        for g in set(group.values()):
            core[g] = any(sw in g and u not in failed for u, sw in self.uplinks)
        portal = set()
        if "san" not in failed:
            for name, subnet, sw in self.portals:
                if name not in failed and sw in group:
                    portal.add((subnet, group[sw]))
        result = _Infra(group, core, portal)
        self._infra[failed] = result
        return result

    def host_state(self, shared: frozenset, local: frozenset) -> HostState:
        key = (shared, local)
        cached = self._states.get(key)
        if cached is not None:
            return cached
        if "" in local:
            state = DOWN
        else:
            inf = self.infra(shared)
            production, storage, attachments = [], [], set()
            for p in self.layout:
                if p.suffix in local or f"card{p.card}" in local:
                    continue
                g = inf.group.get(self.switches[p.switch])
                if g is None:
                    continue
                if p.traffic_class == "production" and inf.core[g]:
                    production.append(p.suffix)
                elif p.traffic_class == "storage" and (p.subnet, g) in inf.portal:
                    storage.append(p.suffix)
                if p.traffic_class in self.rules.cluster_networks:
                    attachments.add((p.subnet, g))
            state = HostState(True, tuple(production), tuple(storage), frozenset(attachments))
        self._states[key] = state
        return state

    def evaluate(self, shared: frozenset, locals_: Sequence[frozenset]) -> Result:
        """One class: shared failures plus the local failures of k distinct hosts
        (placeholders {h0}, {h1}); the other N - k hosts form the baseline {b}."""
        n = self.design.nodes
        groups = [
            Group(self.host_state(shared, loc), 1, f"{{h{i}}}") for i, loc in enumerate(locals_)
        ]
        if n - len(locals_) > 0:
            groups.append(Group(self.host_state(shared, frozenset()), n - len(locals_), "{b}"))
        comps = group_components(groups)
        normal = self.host_state(frozenset(), frozenset())
        return evaluate_groups(self.design, self.rules, groups, comps, normal)


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


def _share(counts: Counter) -> float:
    total = sum(counts.values())
    ok = sum(c for (_, outcome), c in counts.items() if outcome != "outage")
    return ok / total if total else 1.0


def _kind_of(name: str) -> str:
    if name == "san":
        return "san"
    if name.startswith("switch-"):
        return "switch"
    if name.startswith("uplink-"):
        return "uplink"
    if name.startswith("isl"):
        return "isl"
    if name.startswith("san-port"):
        return "san_port"
    if "-card" in name:
        return "nic_card"
    if "-" in name:
        return "nic"
    return "host"


def components(design: Design) -> list[str]:
    """Every component of ``design`` that can fail, hosts first, in a stable order."""
    fm = _FastModel(design, FailureRules())
    local = [f"{h}-{t}" if t else h for h in host_names(design) for t in fm.local_templates()]
    return local + fm.shared_components()


def _scenario(names: Sequence[str], result: Result, reason: str | None = None) -> Scenario:
    failed = tuple(names)
    prefix = " and ".join(failed) + " down"
    return Scenario(
        failed,
        tuple(_kind_of(n) for n in failed),
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
    single failures), which is what sweeps need.

    Examples
    --------
    >>> from hvdesign.spec import design_from_tier
    >>> cov = analyse(design_from_tier("cluster-redundant-path", nodes=4))
    >>> cov.single_points_of_failure
    ['san']
    """
    rules = rules or FailureRules()
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
    model = _GraphModel(design, rules)
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
    if doubles is not None:
        cov.double_counts = Counter((_kinds_key(s.kinds), s.outcome) for s in doubles)
    return cov


def _kinds_key(kinds: Iterable[str]) -> tuple[str, ...]:
    """Kinds of a scenario in :data:`KINDS` order: the key of the counts by kind."""
    return tuple(sorted(kinds, key=KINDS.index))


def _local_kind(template: str) -> str:
    if not template:
        return "host"
    return "nic_card" if template.startswith("card") else "nic"


def _analyse_fast(design: Design, rules: FailureRules, double: bool, expand: bool) -> Coverage:
    """Evaluate each class of equivalent scenarios once (see the module docstring).

    Per-host components are *templates* ('' = the host, 'card1', 'p1', ...) placed on
    a host; a class is a set of failed shared components plus the templates failed on
    up to two distinct hosts. Reasons name hosts through placeholders ({h0}, {h1} for
    the hosts with failed parts, {b} for the first other host), filled in when the
    class is expanded into its concrete scenarios.
    """
    fm = _FastModel(design, rules)
    hosts = host_names(design)
    n = len(hosts)
    shared = fm.shared_components()
    templates = fm.local_templates()
    order = {c: i for i, c in enumerate(components(design))}

    def name(h: str, t: str) -> str:
        return f"{h}-{t}" if t else h

    def first_other(*exclude: str) -> str:
        for h in hosts[:3]:
            if h not in exclude:
                return h
        return ""

    kinds = {c: _kind_of(c) for c in order}

    singles: list[Scenario] = []
    single_counts: Counter = Counter()
    for t in templates:
        res = fm.evaluate(frozenset(), [frozenset([t])])
        single_counts[((_local_kind(t),), res.outcome)] += n
        for h in hosts:
            singles.append(_scenario([name(h, t)], res, res.reason.format(h0=h, b=first_other(h))))
    for s in shared:
        res = fm.evaluate(frozenset([s]), [])
        single_counts[((_kind_of(s),), res.outcome)] += 1
        singles.append(_scenario([s], res, res.reason.format(b=hosts[0])))
    singles.sort(key=lambda sc: order[sc.failed[0]])
    cov = Coverage(design, rules, singles, None, "fast", single_counts=single_counts)
    if not double:
        return cov

    counts: Counter = Counter()
    rows: list[tuple[tuple[int, int], Scenario]] = []

    def count(kinds: tuple[str, str], res: Result, multiplicity: int) -> None:
        counts[(_kinds_key(kinds), res.outcome)] += multiplicity

    def add(x: str, y: str, res: Result, **names: str) -> None:
        ox, oy = order[x], order[y]
        if ox > oy:
            x, y, ox, oy = y, x, oy, ox
        reason = f"{x} and {y} down: {res.reason.format(**names)}"
        rows.append(
            (
                (ox, oy),
                Scenario((x, y), (kinds[x], kinds[y]), res.outcome, res.vms_down_fraction, reason),
            )
        )

    for s1, s2 in itertools.combinations(shared, 2):  # two shared components
        res = fm.evaluate(frozenset([s1, s2]), [])
        count((_kind_of(s1), _kind_of(s2)), res, 1)
        if expand:
            add(s1, s2, res, b=hosts[0])
    for t in templates:  # a host's part and a shared component
        for s in shared:
            res = fm.evaluate(frozenset([s]), [frozenset([t])])
            count((_local_kind(t), _kind_of(s)), res, n)
            if expand:
                for h in hosts:
                    add(name(h, t), s, res, h0=h, b=first_other(h))
    for t1, t2 in itertools.combinations(templates, 2):  # two parts of one host
        res = fm.evaluate(frozenset(), [frozenset([t1, t2])])
        count((_local_kind(t1), _local_kind(t2)), res, n)
        if expand:
            for h in hosts:
                add(name(h, t1), name(h, t2), res, h0=h, b=first_other(h))
    for k1, k2 in itertools.combinations_with_replacement(range(len(templates)), 2):
        if n < 2:
            break
        t1, t2 = templates[k1], templates[k2]  # parts of two different hosts
        # Groups are ordered by host index in both evaluators: evaluate both
        # assignments (the lower host fails t1, or the lower host fails t2).
        forward = fm.evaluate(frozenset(), [frozenset([t1]), frozenset([t2])])
        backward = fm.evaluate(frozenset(), [frozenset([t2]), frozenset([t1])])
        count((_local_kind(t1), _local_kind(t2)), forward, math.comb(n, 2) * (1 if k1 == k2 else 2))
        if expand:
            for i, j in itertools.permutations(range(n), 2):
                if k1 == k2 and j < i:
                    continue
                h1, h2 = hosts[i], hosts[j]  # h1 fails t1, h2 fails t2
                res, lo, hi = (forward, h1, h2) if i < j else (backward, h2, h1)
                add(name(h1, t1), name(h2, t2), res, h0=lo, h1=hi, b=first_other(h1, h2))
    cov.double_counts = counts
    rows.sort(key=lambda r: r[0])
    cov.doubles = [sc for _, sc in rows]
    return cov
