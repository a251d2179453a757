"""The scenario engine: the failure rules that the coverage analysis
(:mod:`hvdesign.failures`) and the availability (:mod:`hvdesign.availability`) share.

A *scenario* is a set of failed components (graph nodes of kind ``host``, ``nic``,
``nic_card``, ``switch``, ``uplink``, ``isl``, ``san_port``, ``san``: :data:`KINDS`).
Failing a component takes down what it contains (:func:`failed_components`: a host its
NIC cards and NICs, a card its NICs, the SAN its target portals). Its outcome:

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

Two models compute the host states: :class:`GraphModel` searches the design graph for
every host (the reference), and :class:`FastModel` exploits that all hosts of a design
are alike: a host's state only depends on the failed shared components (switches,
uplinks, ISLs, portals, SAN; summarised by :class:`SharedInfra`) and the host's own
failed parts. Both end in :func:`evaluate_groups`, so their results agree whenever
their host states agree.

Examples
--------
>>> from hvdesign.spec import design_from_tier
>>> d = design_from_tier("cluster-redundant-path", nodes=4)
>>> fm = FastModel(d, FailureRules())
>>> fm.evaluate(frozenset(["san"]), []).outcome
'outage'
>>> fm.evaluate(frozenset(["switch-a"]), []).outcome
'survived'
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from hvdesign.errors import HvdesignError
from hvdesign.spec import Design, Port, host_layout, portal_placement
from hvdesign.topology import build_graph, host_names

if TYPE_CHECKING:  # networkx is imported where a graph is searched (coverage starts fast)
    import networkx as nx

__all__ = [
    "DOWN",
    "KINDS",
    "OUTCOMES",
    "SHARED_KINDS",
    "FailureRules",
    "FastModel",
    "GraphModel",
    "Group",
    "HostState",
    "Result",
    "SharedInfra",
    "evaluate_groups",
    "failed_components",
    "group_components",
    "kind_of",
    "local_kind",
    "resolve_rules",
]

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
        """Raise :class:`HvdesignError` when a rule does not fit ``design`` (each rule
        checked by type first: a rule built directly is checked like one from a file)."""
        if not isinstance(self.csv_redirected_io, bool):
            raise HvdesignError("csv_redirected_io", self.csv_redirected_io, "true or false")
        if not isinstance(self.network_health_detection, bool | None):
            raise HvdesignError(
                "network_health_detection", self.network_health_detection, "true, false or null"
            )
        if not isinstance(self.cluster_networks, tuple | list):
            raise HvdesignError(
                "cluster_networks", self.cluster_networks, "a list of traffic classes"
            )
        if self.quorum not in ("auto", "node_majority", "node_and_disk_majority"):
            raise HvdesignError(
                "quorum", self.quorum, "auto, node_majority or node_and_disk_majority"
            )
        bad_type = isinstance(self.reserve, bool) or not isinstance(self.reserve, int)
        if bad_type or self.reserve < 0 or (design.cluster and self.reserve >= design.nodes):
            allowed = (  # a standalone server has no reserve bound but 0
                f"a whole number from 0 to {design.nodes - 1} (fewer than the {design.nodes} nodes)"
                if design.cluster
                else "a whole number >= 0"
            )
            raise HvdesignError("reserve", self.reserve, allowed)
        for cls in self.cluster_networks:
            if cls not in ("heartbeat", "management", "production", "storage"):
                raise HvdesignError(
                    "cluster_networks", cls, "heartbeat, management, production or storage"
                )


def resolve_rules(rules: object) -> FailureRules:
    """``rules``, or the default :class:`FailureRules` for ``None``; anything else is an
    :class:`HvdesignError`."""
    if rules is None:
        return FailureRules()
    if not isinstance(rules, FailureRules):
        raise HvdesignError("rules", type(rules).__name__, "a hvdesign.failures.FailureRules")
    return rules


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
    if not design.cluster:
        return _standalone(design, groups, normal, nhd=nhd, reasons=reasons)
    clauses: list[str] = []
    witness = rules.witness(design)
    total_votes = n + (1 if witness else 0)
    scored = _scored(groups, components)
    quorum = _quorum(scored, total_votes, witness=witness)
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


def _standalone(
    design: Design, groups: Sequence[Group], normal: HostState, *, nhd: bool, reasons: bool
) -> Result:
    """Standalone servers: every host on its own, down without production or storage."""
    clauses: list[str] = []
    down = 0
    for g in groups:
        ok = g.state.up and g.state.production and g.state.storage
        if not ok:
            down += g.count
        if reasons:
            clauses += _host_clauses(design, g, normal, cluster=False, nhd=nhd, redirected=False)
    return _result(Fraction(down, design.nodes), 0, clauses)


_Scored = tuple[int, int, int, dict[int, int], int]


def _scored(groups: Sequence[Group], components: Sequence[dict[int, int]]) -> list[_Scored]:
    """Each component with (votes, serving, direct storage, it, production), in the order
    the witness and the quorum are given: components tied on all of these have the same
    outcome; what ties still is ordered by the lowest group, the same in both models."""
    scored = []
    for comp in components:
        votes = sum(comp.values())
        serving = sum(
            c for i, c in comp.items() if groups[i].state.production and groups[i].state.storage
        )
        direct = sum(c for i, c in comp.items() if groups[i].state.storage)
        production = sum(c for i, c in comp.items() if groups[i].state.production)
        scored.append((votes, serving, direct, comp, production))
    scored.sort(key=lambda t: (-t[0], -t[1], -t[2], -t[4], min(t[3])))
    return scored


def _quorum(scored: list[_Scored], total_votes: int, *, witness: bool) -> dict[int, int] | None:
    """The component with quorum. The witness goes to the best component that can reach
    the SAN directly (the partition that arbitrates the witness disk first)."""
    claim = next((k for k, t in enumerate(scored) if t[2] > 0), None) if witness else None
    for k, (votes, _, _, comp, _) in enumerate(scored):
        if 2 * (votes + (1 if k == claim else 0)) > total_votes:
            return comp
    return None


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


class GraphModel:
    """Graph searches on the design graph (the reference evaluator).

    A scenario's failed names are widened by :func:`failed_components` (what they
    contain fails with them); then every host's connections are searched one by one.
    ``G`` (default: :func:`~hvdesign.topology.build_graph`, cached) is only read.
    """

    def __init__(self, design: Design, rules: FailureRules, G: nx.Graph | None = None) -> None:
        self.design, self.rules = design, rules
        self.G = build_graph(design) if G is None else G
        self.hosts = host_names(design)
        self.layout = host_layout(design)
        self.infra = {n for n, k in self.G.nodes(data="kind") if k in ("switch", "isl")}
        self.cluster_subnets = sorted(
            {p.subnet for p in self.layout if p.traffic_class in rules.cluster_networks}
        )
        self._last: tuple[frozenset[str], frozenset[str]] | None = None

    def down(self, failed: frozenset[str]) -> frozenset[str]:
        """Every node ``failed`` takes down (:func:`failed_components`; the last is kept)."""
        if self._last is None or self._last[0] != failed:
            self._last = (failed, frozenset(failed_components(self.G, failed)))
        return self._last[1]

    def host_state(self, host: str, failed: frozenset[str]) -> HostState:
        """Search the graph from each of the host's working connections."""
        import networkx as nx

        G = self.G
        down = self.down(failed)
        if host in down:
            return DOWN
        view = nx.subgraph_view(G, filter_node=lambda n: n in self.infra and n not in down)
        production, storage, attachments = [], [], set()
        for p in self.layout:
            nic = f"{host}-{p.suffix}"
            sw = G.nodes[nic]["switch"]
            if nic in down or sw in down:
                continue
            # The switches this connection reaches through working ISLs.
            reach = nx.node_connected_component(view, sw)
            group = frozenset(n for n in reach if G.nodes[n]["kind"] == "switch")
            ends = [m for s in group for m in G.neighbors(s) if m not in down]
            if p.traffic_class == "production":
                if any(G.nodes[m]["kind"] == "uplink" for m in ends):
                    production.append(p.suffix)
            elif p.traffic_class == "storage" and any(
                G.nodes[m]["kind"] == "san_port" and G.nodes[m]["subnet"] == p.subnet for m in ends
            ):
                storage.append(p.suffix)
            if p.traffic_class in self.rules.cluster_networks:
                attachments.add((p.subnet, group))
        return HostState(True, tuple(production), tuple(storage), frozenset(attachments))

    def components(self, failed: frozenset[str]) -> list[list[str]]:
        """Up hosts that can talk, by a graph search per cluster subnet: hosts, their
        working cards and connections on that subnet, working switches and ISLs."""
        import networkx as nx

        G = self.G
        down = self.down(failed)
        merged = nx.utils.UnionFind([h for h in self.hosts if h not in down])
        for subnet in self.cluster_subnets:

            def keep(n: str, subnet: str = subnet) -> bool:
                if n in down:
                    return False
                kind = G.nodes[n]["kind"]
                if kind in ("switch", "isl", "host", "nic_card"):
                    return True
                return kind == "nic" and G.nodes[n]["subnet"] == subnet

            view = nx.subgraph_view(G, filter_node=keep)
            for comp in nx.connected_components(view):
                hosts = [n for n in comp if G.nodes[n]["kind"] == "host"]
                if len(hosts) > 1:
                    merged.union(*hosts)
        return [sorted(c, key=self.hosts.index) for c in merged.to_sets()]


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
class SharedInfra:
    """What the shared components still provide under a set of shared failures."""

    group: dict[str, frozenset]  # switch -> switches joined to it by working ISLs
    core: dict[frozenset, bool]
    portal: set  # (subnet, switch group) pairs with a working portal and SAN


class FastModel:
    """The class-based model: host states from the failed shared components and a
    host's own failed parts (*templates*: '' the host, 'card1', 'p1', ...), cached.

    >>> from hvdesign.spec import design_from_tier
    >>> fm = FastModel(design_from_tier("cluster-redundant-path", nodes=2), FailureRules())
    >>> fm.local_templates()[:3], fm.shared_components()[:2]
    (['', 'card1', 'card2'], ['switch-a', 'switch-b'])
    """

    def __init__(self, design: Design, rules: FailureRules) -> None:
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
        self._infra: dict[frozenset, SharedInfra] = {}
        self._states: dict[tuple, HostState] = {}

    def shared_components(self) -> list[str]:
        """Names of the shared components: switches, uplinks, ISLs, portals, the SAN."""
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

    def infra(self, failed: frozenset) -> SharedInfra:
        """What the shared components still provide with ``failed`` down (cached)."""
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
        result = SharedInfra(group, core, portal)
        self._infra[failed] = result
        return result

    def host_state(self, shared: frozenset, local: frozenset) -> HostState:
        """The state of a host with ``local`` templates failed, ``shared`` down (cached)."""
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


_PREFIXES = (("switch-", "switch"), ("uplink-", "uplink"), ("isl", "isl"), ("san-port", "san_port"))


def kind_of(name: str) -> str:
    """The component kind (one of :data:`KINDS`) of a component name.

    >>> [kind_of(n) for n in ("host2", "host2-card1", "host2-s1", "switch-a", "san-port3")]
    ['host', 'nic_card', 'nic', 'switch', 'san_port']
    """
    if name == "san":
        return "san"
    for prefix, kind in _PREFIXES:
        if name.startswith(prefix):
            return kind
    if "-card" in name:
        return "nic_card"
    return "nic" if "-" in name else "host"


def local_kind(template: str) -> str:
    """The kind of a per-host template: '' (the host), 'card1' (a card), 'p1' (a NIC)."""
    if not template:
        return "host"
    return "nic_card" if template.startswith("card") else "nic"


# ------------------------------------------------------------------ containment

#: What a component contains: failing it takes these down too.
CONTAINS: dict[str, str] = {"host": "nic_card", "nic_card": "nic", "san": "san_port"}


def failed_components(G: nx.Graph, failed: Iterable[str]) -> set[str]:
    """The nodes ``failed`` takes down: each failed node, plus what it contains (a host
    its NIC cards and NIC ports, a card its ports, the SAN its target portals).

    Raises :class:`HvdesignError` for a name that is not a component of ``G`` that can
    fail.

    >>> from hvdesign.spec import design_from_tier
    >>> G = build_graph(design_from_tier("cluster-redundant-path", nodes=2))
    >>> sorted(failed_components(G, ["host1-card1"]))
    ['host1-card1', 'host1-p1', 'host1-s1']
    """
    down: set[str] = set()
    for name in failed:
        if name not in G or G.nodes[name]["kind"] not in KINDS:
            raise HvdesignError(
                "failed",
                name,
                "names of the design's hosts, nic_cards, nics, switches, uplinks, isls, "
                "san_ports or san (e.g. host1, host1-card1, host1-s1, switch-a)",
            )
        stack = [name]
        while stack:
            node = stack.pop()
            if node in down:
                continue
            down.add(node)
            inner = CONTAINS.get(G.nodes[node]["kind"])
            if inner is None:
                continue
            for m in G.neighbors(node):
                if G.nodes[m]["kind"] == inner and not G.edges[node, m].get("cable"):
                    stack.append(m)
    return down
