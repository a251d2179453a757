"""The design graph: hosts, NIC cards and ports, switches, the SAN and its target
portals, uplinks, inter-switch links and the production core, as a networkx graph.

Every component that can fail (domain.md §3) is a node, so a failure scenario is a
set of nodes to remove: ``host``, ``nic_card``, ``nic`` (a NIC port plus its cable),
``switch``, ``uplink`` (a link from a switch to the core), ``isl`` (a link between
the two switches), ``san_port`` (a target portal and its link) and ``san``. The core
(``kind="core"``) is outside the design and does not fail.

Edges are either *internal* (host to its cards, card to its ports, SAN to its
portals) or *cables* (``cable=True``): a NIC port to a switch, a portal to a switch,
a switch to an uplink and an uplink to the core, a switch to an ISL. Cables carry
``traffic_class``, ``colour`` (guide Fig 2.7), ``subnet`` and, at the switch end,
``switch_port`` (``"unit/port"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hvdesign.errors import HvdesignError
from hvdesign.spec import CLASS_COLOURS, Design, DesignCache, host_layout, portal_placement

if TYPE_CHECKING:  # networkx is imported when a graph is built (the CLI starts fast)
    import networkx as nx


def host_names(design: Design) -> list[str]:
    """``host1`` .. ``hostN``."""
    return [f"host{i}" for i in range(1, design.nodes + 1)]


_GRAPHS = DesignCache(maxsize=128)  # more than a trade-off sweep (33 designs) + the design


def build_graph(design: Design) -> nx.Graph:
    """The graph of ``design`` (see the module docstring for its schema).

    Built once per design and cached (bounded LRU, keyed by the design's content), so
    every analysis of one design shares it; it is frozen (``nx.freeze``): adding or
    removing nodes or edges raises ``NetworkXError``. Take ``G.copy()`` to change one.

    Examples
    --------
    >>> from hvdesign.spec import design_from_tier
    >>> G = build_graph(design_from_tier("cluster-redundant-path", nodes=4))
    >>> sum(1 for _, d in G.nodes(data=True) if d["kind"] == "nic")
    24
    >>> G.nodes["host1-s2"]["switch"], G.edges["host1-s2", "switch-b"]["colour"]
    ('switch-b', 'red')
    >>> import networkx as nx
    >>> nx.is_frozen(G), build_graph(design_from_tier("cluster-redundant-path", nodes=4)) is G
    (True, True)
    """
    import networkx as nx

    if not isinstance(design, Design):  # a tier id or a dict: say so, not AttributeError
        raise HvdesignError("design", type(design).__name__, "a hvdesign Design (design_from_tier)")
    return _GRAPHS.get(design, lambda: nx.freeze(_construct(design)))


def _construct(design: Design) -> nx.Graph:
    """Build the graph of ``design`` (uncached)."""
    import networkx as nx

    G = nx.Graph(name=design.title, tier=design.tier)
    switches = design.switch_names
    G.add_node("core", kind="core", label="production core")
    for sw in switches:
        G.add_node(sw, kind="switch", label=sw)
    G.add_node("san", kind="san", label="iSCSI SAN")

    def cable(a: str, b: str, traffic_class: str, subnet: str | None = None) -> None:
        G.add_edge(
            a,
            b,
            cable=True,
            traffic_class=traffic_class,
            colour=CLASS_COLOURS[traffic_class],
            subnet=subnet,
        )

    layout = host_layout(design)
    for host_index, host in enumerate(host_names(design), start=1):
        G.add_node(host, kind="host", index=host_index, label=host)
        for card in sorted({p.card for p in layout}):
            name = f"{host}-card{card}"
            G.add_node(name, kind="nic_card", host=host, card=card, label=name)
            G.add_edge(host, name, cable=False)
        for p in layout:
            nic = f"{host}-{p.suffix}"
            sw = switches[p.switch]
            G.add_node(
                nic,
                kind="nic",
                host=host,
                traffic_class=p.traffic_class,
                member=p.member,
                card=f"{host}-card{p.card}",
                switch=sw,
                subnet=p.subnet,
                label=nic,
            )
            G.add_edge(f"{host}-card{p.card}", nic, cable=False)
            cable(nic, sw, p.traffic_class, p.subnet)

    for j, (subnet, sw_index) in enumerate(portal_placement(design), start=1):
        portal = f"san-port{j}"
        sw = switches[sw_index]
        G.add_node(portal, kind="san_port", switch=sw, subnet=subnet, label=portal)
        G.add_edge("san", portal, cable=False)
        cable(portal, sw, "storage", subnet)

    for sw in switches:
        letter = sw[-1]
        for k in range(1, design.uplinks_per_switch + 1):
            up = f"uplink-{letter}{k}"
            G.add_node(up, kind="uplink", switch=sw, label=up)
            cable(sw, up, "production")
            cable(up, "core", "production")

    if len(switches) == 2:
        for k in range(1, design.isl_links + 1):
            isl = f"isl{k}"
            G.add_node(isl, kind="isl", label=isl)
            cable(switches[0], isl, "isl")
            cable(isl, switches[1], "isl")

    _number_switch_ports(G, design)
    return G


_PORT_ORDER = {"nic": 0, "san_port": 1, "uplink": 2, "isl": 3}


def _number_switch_ports(G: nx.Graph, design: Design) -> None:
    """Give every cable at a switch a port ``unit/port``: host connections first
    (host by host, in layout order), then SAN portals, uplinks and ISLs."""
    per_unit = design.switch_ports_per_unit
    rank = {n: r for r, n in enumerate(G.nodes)}  # insertion order = layout order
    for sw in design.switch_names:
        ends = sorted(G.neighbors(sw), key=lambda n: (_PORT_ORDER[G.nodes[n]["kind"]], rank[n]))
        for i, n in enumerate(ends):
            G.edges[sw, n]["switch"] = sw
            G.edges[sw, n]["switch_port"] = f"{i // per_unit + 1}/{i % per_unit + 1}"


def nodes_of_kind(G: nx.Graph, kind: str) -> list[str]:
    """Names of the graph's nodes of one kind, in insertion order."""
    return [n for n, k in G.nodes(data="kind") if k == kind]
