"""Best-practice checks of a design (``shared/domain.md`` section 7).

:func:`check_design` applies one rule per practice of the guide to any design the
model can express (a tier preset, overrides, or a design file with its own layout)
and returns :class:`Finding` objects: ``severity`` (``error``, ``warning`` or
``info``), ``rule`` (a short id), ``message`` (words, naming the components) and
``components`` (the names of the graph nodes, subnets or hosts concerned, on every
host; see :func:`hvdesign.topology.build_graph` for the names).

What the model can express, and so what the rules look at:

* every connection of a traffic class lands on that class's subnet (storage: one per
  path), so storage can share production's network only through overlapping CIDRs in
  ``subnets``. The model refuses overlapping subnets (:mod:`hvdesign.addressing`), so
  the overlap rules below fire only on a design built without validation
  (``Design.model_construct``); they stay as the checks' own account. Sharing a physical switch is what
  every one-switch tier of the guide does (Figs 2.8, 2.10, 2.11 separate traffic by
  subnet) and is not flagged; on two-switch designs the placement rules below apply;
* every host has the same layout (:func:`hvdesign.spec.host_layout`), so a rule
  checks the layout once and names host1's components in its message ("the same on
  every host"), and all hosts' components in ``components``;
* a design above the Windows Server version's node limit cannot be built (the model
  raises :class:`~hvdesign.errors.HvdesignError`, exit status 2 in the CLI), so
  ``node-limit`` reports how close a cluster is to the limit.

==========================  ========  ===================================================
rule                        severity  fires when
==========================  ========  ===================================================
storage-teamed              error     ``storage_multipath`` is ``team``: NIC teaming for
                                      iSCSI is unsupported (Microsoft KB 2535811, most
                                      storage vendors)
storage-subnet              error     a storage subnet overlaps production, management or
                                      heartbeat
storage-subnet-per-path     error /   two storage paths share a network (error on a
                            warning   cluster: a node recognises one address per subnet)
storage-path-portal         warning   a storage path has no SAN target portal on its subnet
heartbeat-network           error     a cluster has no heartbeat connection, or its
                                      heartbeat subnet overlaps another class's
heartbeat-unused            info      a standalone server has heartbeat connections
management-network          warning / a mature cluster (``mature_cluster_nodes`` or more
                            info      nodes, or redundant connections) has no management
                                      network (info below that); or management overlaps
                                      production
nic-card                    warning   every member of a team, an MPIO/MCS set or the
                                      heartbeat networks is on one NIC card
switch-redundancy           warning / on two switches, all production or all storage
                            info      connections land on one switch (info: production on
                                      switch A without ``cross_switch_teaming``, the
                                      guide's documented option)
team-across-switches        warning   a team (production, management) spans both switches
                                      while ``cross_switch_teaming`` is off
san-portals                 warning   on two switches, the SAN target portals sit on one
uplinks                     error /   no uplink to the production core at all (error), or
                            warning   uplinks on one switch only of two (warning)
inter-switch-link           info      two switches without an inter-switch link
ip-per-connection           info      every MPIO/MCS connection has its own address, each
                                      path its own subnet (the model always does this)
node-limit                  info      a cluster's node count against its version's limit
shared-storage              info      a cluster shares the SAN's LUNs (CSV)
==========================  ========  ===================================================

References
----------
[1] The source guide, "Creating Highly-Available Hyper-V with iSCSI Storage", NIC
    teaming, MPIO and MCS, Figs 2.7 to 2.12 (``shared/seed``).
[2] Microsoft iSCSI Software Target 3.3, KB 2535811: do not team adapters for iSCSI;
    put them in their own subnets and use MPIO (``shared/FACTS.md``).
[3] ``shared/domain.md`` sections 1, 2, 6 and 7.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from hvdesign.errors import HvdesignError
from hvdesign.plans import subnet_networks
from hvdesign.spec import (
    SWITCH_LETTERS,
    TIERS,
    TRAFFIC_CLASSES,
    Design,
    Port,
    design_from_tier,
    host_layout,
    portal_placement,
    storage_subnets,
)
from hvdesign.topology import build_graph, host_names, nodes_of_kind

#: Severities, most severe first.
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")

#: Every rule id and the practice it checks (domain.md §7), in report order.
RULES: dict[str, str] = {
    "storage-teamed": "storage is not teamed: MPIO or MCS instead (KB 2535811)",
    "storage-subnet": "storage on its own subnet, separate from production",
    "storage-subnet-per-path": "one storage subnet per MPIO/MCS path",
    "storage-path-portal": "every storage path reaches a SAN target portal on its subnet",
    "heartbeat-network": "clusters have a heartbeat network separate from the others",
    "heartbeat-unused": "heartbeat connections only where there is a cluster",
    "management-network": "mature clusters separate management (and Live Migration) "
    "from VM traffic",
    "nic-card": "redundant members on different NIC cards",
    "switch-redundancy": "redundant path: redundant members on different switches",
    "team-across-switches": "a team spans two switches only where they aggregate links "
    "across devices",
    "san-portals": "redundant path: SAN target portals on both switches",
    "uplinks": "redundant path: uplinks to the production core on both switches",
    "inter-switch-link": "two switches joined by an inter-switch link",
    "ip-per-connection": "every MPIO/MCS connection has its own IP address",
    "node-limit": "node count within the Windows Server version's limit",
    "shared-storage": "shared storage (CSV) for clusters",
}

#: Default of :func:`check_design`'s ``mature_cluster_nodes``: an ASSUMPTION. The guide
#: calls management separation a best practice "as Hyper-V clusters are scaled out" and
#: "with mature implementations", and first draws it with redundant connections (Fig
#: 2.11); its minimal cluster (Fig 2.10) has none. Three nodes is where we call a
#: cluster scaled out beyond a pair.
MATURE_CLUSTER_NODES = 3


@dataclass(frozen=True)
class Finding:
    """One result of :func:`check_design`.

    Attributes
    ----------
    severity : str
        ``error`` (against a documented requirement or unsupported), ``warning``
        (against a best practice) or ``info`` (a fact worth knowing, or a documented
        option).
    rule : str
        The rule id, a key of :data:`RULES`.
    message : str
        What was found, naming the components, and why it matters.
    components : list of str
        Names of the components concerned (graph nodes such as ``host1-p1``,
        ``host1-card1``, ``switch-a``, ``san-port1``, or subnet keys such as
        ``storage-1``), on every host.
    """

    severity: str
    rule: str
    message: str
    components: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: ``severity``, ``rule``, ``message``, ``components``."""
        return asdict(self)


# --------------------------------------------------------------------------- helpers
def _and(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _every_host(design: Design) -> str:
    return f" (the same on all {design.nodes} hosts)" if design.nodes > 1 else ""


def _switch(index: int) -> str:
    return f"switch-{SWITCH_LETTERS[index]}"


class _Layout:
    """The host layout with the names the graph gives its components."""

    def __init__(self, design: Design):
        self.design = design
        self.ports = host_layout(design)
        self.hosts = host_names(design)

    def of(self, traffic_class: str) -> list[Port]:
        return [p for p in self.ports if p.traffic_class == traffic_class]

    @staticmethod
    def nic(host: str, port: Port) -> str:
        return f"{host}-{port.suffix}"

    def all_nics(self, ports: Iterable[Port]) -> list[str]:
        ports = list(ports)
        return [self.nic(h, p) for h in self.hosts for p in ports]

    def all_cards(self, cards: Iterable[int]) -> list[str]:
        cards = sorted(set(cards))
        return [f"{h}-card{c}" for h in self.hosts for c in cards]


def _group_label(design: Design, traffic_class: str, n: int) -> str:
    """What the members of a class are called: a team, an MPIO pair, ..."""
    if traffic_class == "storage":
        if design.storage_multipath == "team":
            return "storage team"
        tech = design.storage_multipath.upper()
        return f"{tech} pair" if n == 2 else f"{tech} paths"
    if traffic_class == "heartbeat":
        return "heartbeat networks"
    return f"{traffic_class} team"


def _teamed(design: Design, traffic_class: str) -> bool:
    """Whether the class's connections are a NIC team (below TCP/IP)."""
    if traffic_class == "storage":
        return design.storage_multipath == "team"
    return traffic_class in ("production", "management")


def _class_of(subnet_key: str) -> str:
    return subnet_key.split("-", 1)[0]


# --------------------------------------------------------------------------- rules
def _storage_teamed(design: Design, lay: _Layout) -> list[Finding]:
    if design.storage_multipath != "team":
        return []
    ports = lay.of("storage")
    host1 = _and([lay.nic(lay.hosts[0], p) for p in ports])
    what = f"connections {host1} are" if len(ports) > 1 else f"connection {host1} is"
    return [
        Finding(
            "error",
            "storage-teamed",
            f"storage_multipath is 'team': the storage {what} a NIC team"
            f"{_every_host(design)}. NIC teaming for iSCSI is neither supported nor a best "
            "practice (Microsoft KB 2535811 and most storage vendors): give each storage "
            "connection its own subnet and use MPIO or MCS.",
            lay.all_nics(ports),
        )
    ]


def _subnets(design: Design) -> list[Finding]:
    """Overlapping networks: storage with the others, storage paths with each other,
    heartbeat with the others, management with production."""
    nets = subnet_networks(design)
    keys = list(nets)
    out: list[Finding] = []
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if not nets[a].overlaps(nets[b]):
                continue
            ca, cb = _class_of(a), _class_of(b)
            pair = f"{a} ({nets[a]}) and {b} ({nets[b]}) overlap"
            if "storage" in (ca, cb) and ca != cb:
                other = cb if ca == "storage" else ca
                why = (
                    "storage must be on its own subnet, separate from production, so an "
                    "overloaded production network cannot starve VM storage"
                    if other == "production"
                    else f"storage must be on its own subnet, separate from {other}"
                )
                out.append(Finding("error", "storage-subnet", f"{pair}: {why}.", [a, b]))
            elif ca == cb == "storage":
                sev = "error" if design.cluster else "warning"
                out.append(
                    Finding(
                        sev,
                        "storage-subnet-per-path",
                        f"{pair}: each MPIO/MCS path needs its own subnet; a cluster node "
                        "recognises only one address per subnet, so the paths collapse "
                        "into one.",
                        [a, b],
                    )
                )
            elif "heartbeat" in (ca, cb):
                sev = "error" if design.cluster and ca != cb else "warning"
                out.append(
                    Finding(
                        sev,
                        "heartbeat-network",
                        f"{pair}: the cluster heartbeat needs a network separate from the "
                        "others (low tolerance for latency).",
                        [a, b],
                    )
                )
            else:  # management and production
                out.append(
                    Finding(
                        "warning",
                        "management-network",
                        f"{pair}: management (and Live Migration) should be segregated "
                        "from virtual machine traffic.",
                        [a, b],
                    )
                )
    return out


def _storage_portals(design: Design, lay: _Layout) -> list[Finding]:
    served = {subnet for subnet, _ in portal_placement(design)}
    out = []
    for subnet in storage_subnets(design):
        if subnet in served:
            continue
        ports = [p for p in lay.of("storage") if p.subnet == subnet]
        host1 = _and([lay.nic(lay.hosts[0], p) for p in ports])
        out.append(
            Finding(
                "warning",
                "storage-path-portal",
                f"{host1} ({subnet}) has no SAN target portal on its subnet"
                f"{_every_host(design)}: the path carries nothing. With "
                f"san_portals = {design.san_portals}, give the SAN at least "
                f"{len(storage_subnets(design))} portals, one per storage path.",
                [*lay.all_nics(ports), subnet],
            )
        )
    return out


def _heartbeat(design: Design, lay: _Layout) -> list[Finding]:
    n = design.heartbeat_connections
    if design.cluster and n == 0:
        return [
            Finding(
                "error",
                "heartbeat-network",
                f"The cluster of {design.nodes} nodes has no heartbeat connection: "
                "Microsoft's minimum for an iSCSI failover cluster is three connections "
                "on three subnets (production, storage and a heartbeat), the heartbeat "
                "segregated because cluster communication tolerates little latency.",
                list(lay.hosts),
            )
        ]
    if not design.cluster and n > 0:
        ports = lay.of("heartbeat")
        return [
            Finding(
                "info",
                "heartbeat-unused",
                f"{_and([lay.nic(lay.hosts[0], p) for p in ports])} (heartbeat) on a "
                "standalone server carries no cluster traffic: it is only needed once the "
                "server joins a cluster.",
                lay.all_nics(ports),
            )
        ]
    return []


def _management(design: Design, lay: _Layout, mature_nodes: int) -> list[Finding]:
    if not design.cluster or design.management_connections > 0:
        return []
    redundant = design.production_connections > 1 or design.storage_connections > 1
    mature = design.nodes >= mature_nodes or redundant
    if mature:
        why = (
            f"{design.nodes} nodes"
            if design.nodes >= mature_nodes
            else "redundant connections, beyond the minimal configuration"
        )
        return [
            Finding(
                "warning",
                "management-network",
                f"The cluster ({why}) has no management network: management and Live "
                "Migration share the production network with the virtual machines. "
                "Mature clusters segregate them (security domains, Live Migration bursts, "
                "management during an attack on the VMs), as in Fig 2.11.",
                list(lay.hosts),
            )
        ]
    return [
        Finding(
            "info",
            "management-network",
            f"The cluster of {design.nodes} nodes has no management network, as in the "
            "guide's minimal configuration (Fig 2.10); add one (with Live Migration) as "
            f"the cluster grows ({mature_nodes} nodes or more, or redundant connections).",
            list(lay.hosts),
        )
    ]


def _cards(design: Design, lay: _Layout) -> list[Finding]:
    out = []
    host1 = lay.hosts[0]
    for cls in TRAFFIC_CLASSES:
        ports = lay.of(cls)
        cards = {p.card for p in ports}
        if len(ports) < 2 or len(cards) != 1:
            continue
        card = f"{host1}-card{ports[0].card}"
        label = _group_label(design, cls, len(ports))
        both = "both" if len(ports) == 2 else "all"
        out.append(
            Finding(
                "warning",
                "nic-card",
                f"{_and([lay.nic(host1, p) for p in ports])} ({label}) are {both} on "
                f"{card}{_every_host(design)}: one card failure takes the {label} down, a "
                "hidden single point of failure. Put the members on different cards.",
                [*lay.all_nics(ports), *lay.all_cards(cards)],
            )
        )
    return out


def _switches(design: Design, lay: _Layout) -> list[Finding]:
    if design.switches < 2:
        return []
    out = []
    host1 = lay.hosts[0]
    for cls in TRAFFIC_CLASSES:
        ports = lay.of(cls)
        if not ports:
            continue
        used = sorted({p.switch for p in ports})
        names = _and([lay.nic(host1, p) for p in ports])
        label = _group_label(design, cls, len(ports))
        comps = [*lay.all_nics(ports), *(_switch(s) for s in used)]
        if len(used) == 2:
            if _teamed(design, cls) and cls != "storage" and not design.cross_switch_teaming:
                where = ", ".join(f"{lay.nic(host1, p)} on {_switch(p.switch)}" for p in ports)
                out.append(
                    Finding(
                        "warning",
                        "team-across-switches",
                        f"The {label} spans both switches ({where}; the same on every "
                        "host), but cross_switch_teaming is off: an 802.3ad team needs switches "
                        "that aggregate links across two devices. Keep the team on one "
                        "switch or use switches that can.",
                        comps,
                    )
                )
            continue
        sw = _switch(used[0])
        if cls not in ("production", "storage") and len(ports) < 2:
            continue  # Fig 2.12: one heartbeat on A, one management on B
        if len(ports) == 1:
            out.append(
                Finding(
                    "warning",
                    "switch-redundancy",
                    f"{names} is the only {cls} connection{_every_host(design)}, on {sw}: "
                    f"a redundant-path design needs a {cls} path through each switch "
                    f"(a failure of {sw} cuts every host's {cls}).",
                    comps,
                )
            )
        elif cls == "production" and not design.cross_switch_teaming and used[0] == 0:
            out.append(
                Finding(
                    "info",
                    "switch-redundancy",
                    f"{names} ({label}) are all on {sw}{_every_host(design)} because the "
                    "switches cannot aggregate links across two devices "
                    "(cross_switch_teaming off), the guide's documented option (Fig 2.9's "
                    f"dashed line): a failure of {sw} takes production down.",
                    comps,
                )
            )
        else:
            both = "both" if len(ports) == 2 else "all"
            out.append(
                Finding(
                    "warning",
                    "switch-redundancy",
                    f"{names} ({label}) are {both} on {sw}{_every_host(design)} in a "
                    f"redundant-path design: a failure of {sw} takes the {label} down. A "
                    "redundant path separates traffic at every hop: one member on each "
                    "switch.",
                    comps,
                )
            )
    return out


def _san_portals(design: Design) -> list[Finding]:
    if design.switches < 2:
        return []
    placement = portal_placement(design)
    used = sorted({sw for _, sw in placement})
    if len(used) == 2:
        return []
    portals = [f"san-port{j}" for j in range(1, len(placement) + 1)]
    sw = _switch(used[0])
    return [
        Finding(
            "warning",
            "san-portals",
            f"{'Every SAN target portal' if len(portals) > 1 else 'The only SAN target portal'} "
            f"({_and(portals)}) is on {sw}: a failure of {sw} "
            "cuts every host off its storage. A redundant path needs a portal on each "
            "switch (san_portals >= 2, one storage path per switch).",
            [*portals, sw],
        )
    ]


def _uplinks(design: Design) -> list[Finding]:
    G = build_graph(design)
    per_switch: dict[str, list[str]] = {sw: [] for sw in design.switch_names}
    for up in nodes_of_kind(G, "uplink"):
        per_switch[G.nodes[up]["switch"]].append(up)
    without = [sw for sw, ups in per_switch.items() if not ups]
    if len(without) == len(per_switch):
        return [
            Finding(
                "error",
                "uplinks",
                f"No switch has an uplink to the production core (uplinks_per_switch = "
                f"{design.uplinks_per_switch}): the virtual machines cannot reach the "
                "production network.",
                list(per_switch),
            )
        ]
    if without:
        having = [sw for sw in per_switch if sw not in without]
        ups = [u for sw in having for u in per_switch[sw]]
        return [
            Finding(
                "warning",
                "uplinks",
                f"Only {_and(having)} has uplinks to the production core ({_and(ups)}): a "
                f"redundant path needs uplinks on both switches; {_and(without)} has none.",
                [*ups, *without],
            )
        ]
    return []


def _isl(design: Design) -> list[Finding]:
    if design.switches < 2 or design.isl_links > 0:
        return []
    return [
        Finding(
            "info",
            "inter-switch-link",
            "switch-a and switch-b have no inter-switch link (isl_links = 0): a network "
            "with connections on both switches is split in two, and nodes whose working "
            "connections land on different switches cannot talk (the guide's Fig 2.12 "
            "joins the switches).",
            ["switch-a", "switch-b"],
        )
    ]


def _ip_per_connection(design: Design) -> list[Finding]:
    if design.storage_multipath == "team":
        return []  # storage-teamed says it: a team exposes one address
    subnets = storage_subnets(design)
    tech = design.storage_multipath.upper()
    n = design.storage_connections
    if n == 1:
        text = (
            f"The one {tech} storage connection of each host has its own address on "
            f"{subnets[0]}; add a second connection on its own subnet for a second path."
        )
    else:
        text = (
            f"Each of the {n} {tech} storage connections of a host has its own IP address, "
            f"each on its own subnet ({_and(subnets)}): {tech} sits above TCP/IP, so every "
            "connection needs its own address."
        )
    return [Finding("info", "ip-per-connection", text, subnets)]


def _node_limit(design: Design) -> list[Finding]:
    if not design.cluster:
        return []
    limit = design.node_limit
    room = (
        "at the limit: no node can be added"
        if design.nodes == limit
        else f"room for {limit - design.nodes} more"
    )
    return [
        Finding(
            "info",
            "node-limit",
            f"{design.nodes} of at most {limit} nodes in a Windows Server "
            f"{design.windows_version} failover cluster ({room}; 2008 R2: 16, 2012 and "
            "later: 64).",
            host_names(design),
        )
    ]


def _shared_storage(design: Design) -> list[Finding]:
    if not design.cluster:
        return []
    subnets = storage_subnets(design)
    return [
        Finding(
            "info",
            "shared-storage",
            f"The {design.nodes} nodes share the SAN's LUNs as Cluster Shared Volumes "
            f"(CSV, Windows Server 2008 R2 and later) over the storage "
            f"{'subnet' if len(subnets) == 1 else 'subnets'} {_and(subnets)}; "
            "a node that loses its storage paths uses redirected I/O over the cluster "
            "networks, so size them for it.",
            ["san", *host_names(design)],
        )
    ]


# --------------------------------------------------------------------------- API
def check_design(
    design: Design, *, mature_cluster_nodes: int = MATURE_CLUSTER_NODES
) -> list[Finding]:
    """Check ``design`` against the best practices of domain.md §7.

    Parameters
    ----------
    design : Design
        Any valid design (:func:`hvdesign.spec.design_from_tier`, a design file).
    mature_cluster_nodes : int
        Node count from which a cluster counts as mature, so that a missing
        management network is a warning rather than info [nodes]; a cluster with
        redundant connections is mature at any size. Default
        :data:`MATURE_CLUSTER_NODES` (an assumption, see there).

    Returns
    -------
    list of Finding
        Errors first, then warnings, then info; within a severity, in the order of
        :data:`RULES`.

    Examples
    --------
    >>> from hvdesign.spec import design_from_tier
    >>> [f.rule for f in check_design(design_from_tier("single-redundant-connections"))]
    ['ip-per-connection']
    >>> f = check_design(design_from_tier("cluster-minimal", nodes=2, storage_multipath="team"))[0]
    >>> f.severity, f.rule, f.components
    ('error', 'storage-teamed', ['host1-s1', 'host2-s1'])
    """
    if not isinstance(design, Design):
        raise HvdesignError("design", type(design).__name__, "a Design (design_from_tier, ...)")
    if (
        isinstance(mature_cluster_nodes, bool)
        or not isinstance(mature_cluster_nodes, int)
        or mature_cluster_nodes < 2
    ):
        raise HvdesignError("mature_cluster_nodes", mature_cluster_nodes, "a whole number >= 2")
    lay = _Layout(design)
    found = [
        *_storage_teamed(design, lay),
        *_subnets(design),
        *_storage_portals(design, lay),
        *_heartbeat(design, lay),
        *_management(design, lay, mature_cluster_nodes),
        *_cards(design, lay),
        *_switches(design, lay),
        *_san_portals(design),
        *_uplinks(design),
        *_isl(design),
        *_ip_per_connection(design),
        *_node_limit(design),
        *_shared_storage(design),
    ]
    rule_rank = {r: i for i, r in enumerate(RULES)}
    return sorted(found, key=lambda f: (SEVERITIES.index(f.severity), rule_rank[f.rule]))


def has_errors(findings: Iterable[Finding]) -> bool:
    """Whether any finding is an error (the CLI's exit status 1)."""
    return any(f.severity == "error" for f in findings)


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """``{"error": n, "warning": n, "info": n}``."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts


def findings_frame(findings: Iterable[Finding]) -> pd.DataFrame:
    """Findings as a table: ``severity``, ``rule``, ``message``, ``components``
    (joined with ``", "``)."""
    rows = [{**f.to_dict(), "components": ", ".join(f.components)} for f in findings]
    return pd.DataFrame(rows, columns=["severity", "rule", "message", "components"])


def tier_findings(nodes: int = 4, **overrides: Any) -> pd.DataFrame:
    """The findings of every tier preset, one row each, with a ``tier`` column first.

    ``nodes`` applies to the cluster tiers; the single-server tiers have one server,
    as in the guide's figures. ``overrides`` go to every tier.

    >>> df = tier_findings(4)
    >>> sorted(set(df["tier"])) == sorted(TIERS)
    True
    """
    frames = []
    for tier, info in TIERS.items():
        n = nodes if info.preset["cluster"] else 1
        df = findings_frame(check_design(design_from_tier(tier, nodes=n, **overrides)))
        df.insert(0, "tier", tier)
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


__all__ = [
    "MATURE_CLUSTER_NODES",
    "RULES",
    "SEVERITIES",
    "Finding",
    "check_design",
    "findings_frame",
    "has_errors",
    "severity_counts",
    "tier_findings",
]
