"""Counts derived from the design graph: connections per host and class, switch
ports per switch (host, SAN, uplink, ISL), switch units, and IP addresses per subnet.

Everything here walks the graph built by :func:`hvdesign.topology.build_graph`; no
count comes from a table of formulas, so any design the model can express (a preset
or a design file with its own layout) is counted the same way.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

import networkx as nx

from hvdesign.spec import TRAFFIC_CLASSES, Design, host_layout, storage_subnets
from hvdesign.topology import build_graph, nodes_of_kind

#: Switch port categories, by the kind of node at the far end of the cable.
PORT_CATEGORY = {"nic": "host", "san_port": "san", "uplink": "uplink", "isl": "isl"}

#: Classes whose connections on one host are teamed below TCP/IP: one address per host.
TEAMED_CLASSES = ("production", "management")


def connections_per_host(G: nx.Graph) -> dict[str, dict[str, int]]:
    """Connections of each host by traffic class: ``{host: {class: n}}``.

    >>> from hvdesign.spec import design_from_tier
    >>> G = build_graph(design_from_tier("cluster-minimal", nodes=2))
    >>> connections_per_host(G)["host1"]
    {'production': 1, 'storage': 1, 'heartbeat': 1, 'management': 0}
    """
    result = {h: dict.fromkeys(TRAFFIC_CLASSES, 0) for h in nodes_of_kind(G, "host")}
    for n in nodes_of_kind(G, "nic"):
        attrs = G.nodes[n]
        if any(G.edges[n, m].get("cable") for m in G.neighbors(n)):
            result[attrs["host"]][attrs["traffic_class"]] += 1
    return result


def switch_ports(G: nx.Graph) -> dict[str, dict[str, int]]:
    """Ports used on each switch, split into ``host``, ``san``, ``uplink``, ``isl``
    and their ``total``.

    >>> from hvdesign.spec import design_from_tier
    >>> G = build_graph(design_from_tier("cluster-redundant-path", nodes=4))
    >>> switch_ports(G)["switch-a"]
    {'host': 12, 'san': 1, 'uplink': 1, 'isl': 1, 'total': 15}
    """
    result = {}
    for sw in nodes_of_kind(G, "switch"):
        ports = dict.fromkeys(("host", "san", "uplink", "isl"), 0)
        for m in G.neighbors(sw):
            ports[PORT_CATEGORY[G.nodes[m]["kind"]]] += 1
        ports["total"] = sum(ports.values())
        result[sw] = ports
    return result


def switch_units(ports: dict[str, dict[str, int]], ports_per_unit: int) -> dict[str, int]:
    """Switch units (boxes) each logical switch needs at ``ports_per_unit`` ports a unit.

    A logical switch that needs more ports than one unit has becomes a stack of units;
    the stacking links themselves are not counted.

    >>> switch_units({"switch-a": {"total": 49}}, 48)
    {'switch-a': 2}
    """
    return {sw: max(1, math.ceil(p["total"] / ports_per_unit)) for sw, p in ports.items()}


@dataclass(frozen=True)
class Endpoint:
    """One address the design needs: on ``subnet``, for ``device``'s ``interface``."""

    subnet: str
    traffic_class: str
    device: str
    interface: str
    role: str


def address_endpoints(G: nx.Graph, design: Design) -> list[Endpoint]:
    """Every IP address the design needs, subnet by subnet, in plan order.

    Rules (domain.md §1): a team (production; management with two or more
    connections; storage when ``storage_multipath`` is ``team``) exposes ONE address
    per host; every MPIO/MCS storage connection and every heartbeat connection has its
    own; each SAN target portal has one on its storage subnet; a cluster has one more
    for the cluster name on the management subnet (on production when the design has
    no management network).
    """
    endpoints: list[Endpoint] = []
    for portal in nodes_of_kind(G, "san_port"):
        endpoints.append(
            Endpoint(G.nodes[portal]["subnet"], "storage", "san", portal, "SAN target portal")
        )
    if design.cluster:
        subnet = "management" if design.management_connections else "production"
        endpoints.append(
            Endpoint(
                subnet, subnet, "cluster", "cluster name", "cluster name (client access point)"
            )
        )
    teamed = set(TEAMED_CLASSES) | ({"storage"} if design.storage_multipath == "team" else set())
    for host in nodes_of_kind(G, "host"):
        nics_by_subnet: dict[str, list[str]] = {}
        for card in G.neighbors(host):
            for nic in G.neighbors(card):
                if nic != host and G.nodes[nic]["kind"] == "nic":
                    nics_by_subnet.setdefault(G.nodes[nic]["subnet"], []).append(nic)
        for subnet, nics in nics_by_subnet.items():
            cls = G.nodes[nics[0]]["traffic_class"]
            if cls in teamed:
                suffixes = "+".join(n.split("-", 1)[1] for n in sorted(nics))
                role = f"{cls} team ({suffixes})" if len(nics) > 1 else cls
                endpoints.append(Endpoint(subnet, cls, host, f"{host}-{cls}", role))
            else:
                for nic in sorted(nics):
                    endpoints.append(Endpoint(subnet, cls, host, nic, f"{cls} connection"))
    order = {s: i for i, s in enumerate(subnet_order(design))}
    return sorted(endpoints, key=lambda e: order[e.subnet])  # stable within a subnet


def subnet_order(design: Design) -> list[str]:
    """The design's subnet keys in plan order."""
    keys = ["production"]
    if design.management_connections:
        keys.append("management")
    keys += sorted({p.subnet for p in host_layout(design) if p.traffic_class == "heartbeat"})
    keys += storage_subnets(design)
    return keys


def ip_addresses(G: nx.Graph, design: Design) -> dict[str, int]:
    """Addresses needed per subnet (see :func:`address_endpoints` for the rules).

    >>> from hvdesign.spec import design_from_tier
    >>> d = design_from_tier("cluster-redundant-path", nodes=4)
    >>> ip_addresses(build_graph(d), d)
    {'production': 4, 'management': 5, 'heartbeat': 4, 'storage-1': 5, 'storage-2': 5}
    """
    counts = Counter(e.subnet for e in address_endpoints(G, design))
    return {s: counts[s] for s in subnet_order(design)}


def summary(design: Design, G: nx.Graph | None = None) -> dict[str, Any]:
    """The counts of a design as one JSON-ready mapping (``hvdesign summary --json``).

    Keys: ``tier``, ``name``, ``nodes``, ``cluster``, ``windows_version``,
    ``switches``, ``connections_per_host`` (by class), ``connections_per_host_total``,
    ``subnets_per_host``, ``host_connections_total``, ``switch_ports`` (per switch:
    ``host``, ``san``, ``uplink``, ``isl``, ``total``), ``switch_ports_total``,
    ``switch_units`` (per switch, at ``switch_ports_per_unit``), ``ip_addresses`` (by
    class) and ``ip_addresses_by_subnet``.

    >>> from hvdesign.spec import design_from_tier
    >>> s = summary(design_from_tier("cluster-redundant-path", nodes=8))
    >>> s["connections_per_host_total"], s["host_connections_total"]
    (6, 48)
    """
    G = build_graph(design) if G is None else G
    per_host = connections_per_host(G)
    first = next(iter(per_host.values()))  # every host of a design has the same layout
    ports = switch_ports(G)
    by_subnet = ip_addresses(G, design)
    by_class = dict.fromkeys(TRAFFIC_CLASSES, 0)
    for e in address_endpoints(G, design):
        by_class[e.traffic_class] += 1
    host1 = nodes_of_kind(G, "host")[0]
    subnets_host1 = {
        G.nodes[n]["subnet"]
        for n in G.nodes
        if G.nodes[n]["kind"] == "nic" and G.nodes[n]["host"] == host1
    }
    return {
        "tier": design.tier,
        "name": design.title,
        "nodes": design.nodes,
        "cluster": design.cluster,
        "windows_version": design.windows_version,
        "switches": len(ports),
        "connections_per_host": first,
        "connections_per_host_total": sum(first.values()),
        "subnets_per_host": len(subnets_host1),
        "host_connections_total": sum(sum(v.values()) for v in per_host.values()),
        "switch_ports": ports,
        "switch_ports_total": sum(p["total"] for p in ports.values()),
        "switch_units": switch_units(ports, design.switch_ports_per_unit),
        "ip_addresses": by_class,
        "ip_addresses_by_subnet": by_subnet,
    }
