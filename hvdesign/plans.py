"""Plans an installer works from: the IP plan (an address for every endpoint, from a
CIDR per traffic class) and the cabling plan (one row per cable), the latter also
as NetBox's cable bulk-import CSV.
"""

from __future__ import annotations

import ipaddress
import math
from typing import TYPE_CHECKING

from hvdesign.counts import address_endpoints, subnet_order
from hvdesign.errors import HvdesignError
from hvdesign.spec import CLASS_HEX, Design, storage_subnets
from hvdesign.topology import build_graph, nodes_of_kind

if TYPE_CHECKING:  # pandas is imported when a plan table is made (figures start fast)
    import networkx as nx
    import pandas as pd

#: Subnets that are routed and so reserve their first usable address for a gateway.
ROUTED_SUBNETS = ("production", "management")


def subnet_networks(design: Design) -> dict[str, ipaddress.IPv4Network]:
    """The network of every subnet of the design.

    A single storage CIDR is split into equal parts, one per storage path (e.g. a /23
    into two /24s); a list gives one CIDR per path. Heartbeat CIDRs are split the same
    way when a design has several heartbeat networks.

    >>> from hvdesign.spec import design_from_tier
    >>> nets = subnet_networks(design_from_tier("cluster-redundant-path", nodes=4))
    >>> str(nets["storage-1"]), str(nets["storage-2"])
    ('10.40.0.0/24', '10.40.1.0/24')
    """
    result: dict[str, ipaddress.IPv4Network] = {}  # IPv4 only (spec checks)
    keys = subnet_order(design)
    groups = {
        "storage": storage_subnets(design),
        "heartbeat": [k for k in keys if k.startswith("heartbeat")],
    }
    for cls in ("production", "management"):
        if cls in keys:
            result[cls] = _ipv4(design.subnets[cls])
    for cls, members in groups.items():
        if not members:
            continue
        given = design.subnets[cls]
        nets: list[ipaddress.IPv4Network]
        if isinstance(given, list):
            nets = [_ipv4(c) for c in given]
        else:
            net = _ipv4(given)
            if len(members) == 1:
                nets = [net]
            else:
                diff = math.ceil(math.log2(len(members)))
                if net.prefixlen + diff > 30:
                    raise HvdesignError(
                        f"subnets.{cls}",
                        given,
                        f"a network large enough to split into "
                        f"{len(members)} subnets, one per path",
                    )
                nets = list(net.subnets(prefixlen_diff=diff))[: len(members)]
        result.update(zip(members, nets, strict=True))
    return {k: result[k] for k in keys}


def _ipv4(cidr: str | list[str]) -> ipaddress.IPv4Network:
    """A design's subnet (validated by :mod:`hvdesign.spec`: one IPv4 CIDR)."""
    net = ipaddress.ip_network(str(cidr))
    assert isinstance(net, ipaddress.IPv4Network)  # spec rejects IPv6
    return net


def ip_plan(design: Design, G: nx.Graph | None = None) -> pd.DataFrame:
    """One row per address: ``subnet``, ``traffic_class``, ``network``, ``address``,
    ``device``, ``interface``, ``role``.

    Routed subnets (production, management) reserve their first usable address for the
    gateway (a row with device ``gateway``). A subnet too small for its endpoints
    raises :class:`HvdesignError` naming the subnet and the prefix that would fit.

    >>> from hvdesign.spec import design_from_tier
    >>> plan = ip_plan(design_from_tier("cluster-minimal", nodes=2))
    >>> plan[plan.subnet == "storage-1"][["address", "device", "interface"]].values.tolist()
    [['10.40.0.1', 'san', 'san-port1'], ['10.40.0.2', 'san', 'san-port2'], ['10.40.0.3', 'host1', 'host1-s1'], ['10.40.0.4', 'host2', 'host2-s1']]
    """
    import pandas as pd

    G = build_graph(design) if G is None else G
    networks = subnet_networks(design)
    by_subnet: dict[str, list] = {k: [] for k in networks}
    for e in address_endpoints(G, design):
        by_subnet[e.subnet].append(e)
    rows = []
    for subnet, endpoints in by_subnet.items():
        net = networks[subnet]
        routed = subnet in ROUTED_SUBNETS
        need = len(endpoints) + routed
        usable = max(net.num_addresses - 2, 0)
        if need > usable:
            prefix = 32 - math.ceil(math.log2(need + 2))
            cls = subnet.split("-")[0]
            given = design.subnets[cls]
            allowed = f"a network with at least {need} usable addresses (/{prefix} or larger)"
            siblings = [k for k in networks if k.split("-")[0] == cls]
            if isinstance(given, str) and len(siblings) > 1:
                whole = prefix - math.ceil(math.log2(len(siblings)))
                allowed = (
                    f"a /{whole} or larger, split into {len(siblings)} subnets of "
                    f"at least {need} usable addresses each"
                )
            raise HvdesignError(
                f"subnets.{cls}",
                given,
                allowed,
                detail=f"subnet {subnet} ({net}) needs {need} addresses",
            )
        hosts = net.hosts()
        cls = endpoints[0].traffic_class if endpoints else subnet.split("-")[0]
        if routed:
            rows.append(
                (
                    subnet,
                    cls,
                    str(net),
                    str(next(hosts)),
                    "gateway",
                    "",
                    "default gateway (reserved)",
                )
            )
        for e in endpoints:
            rows.append(
                (subnet, e.traffic_class, str(net), str(next(hosts)), e.device, e.interface, e.role)
            )
    return pd.DataFrame(
        rows,
        columns=["subnet", "traffic_class", "network", "address", "device", "interface", "role"],
    )


CABLING_COLUMNS = [
    "cable",
    "device",
    "port",
    "nic_card",
    "switch",
    "switch_port",
    "traffic_class",
    "subnet",
    "colour",
]


def cabling_plan(design: Design, G: nx.Graph | None = None) -> pd.DataFrame:
    """One row per cable: ``cable`` (label), ``device``, ``port``, ``nic_card``,
    ``switch``, ``switch_port``, ``traffic_class``, ``subnet``, ``colour``.

    Host cables run from a NIC port to a switch port; SAN cables from a target portal;
    uplinks from the production core (its port named after the uplink) to a switch;
    inter-switch links from switch A to switch B.

    >>> from hvdesign.spec import design_from_tier
    >>> plan = cabling_plan(design_from_tier("cluster-redundant-path", nodes=4))
    >>> len(plan), plan.iloc[0][["device", "port", "switch", "switch_port"]].tolist()
    (29, ['host1', 'p1', 'switch-a', '1/1'])
    """
    import pandas as pd

    G = build_graph(design) if G is None else G
    rows = []
    for nic in nodes_of_kind(G, "nic"):
        a = G.nodes[nic]
        sw = a["switch"]
        e = G.edges[nic, sw]
        rows.append(
            (
                nic,
                a["host"],
                nic.split("-", 1)[1],
                a["card"].split("-", 1)[1],
                sw,
                e["switch_port"],
                a["traffic_class"],
                a["subnet"],
                e["colour"],
            )
        )
    for portal in nodes_of_kind(G, "san_port"):
        a = G.nodes[portal]
        e = G.edges[portal, a["switch"]]
        rows.append(
            (
                portal,
                "san",
                portal.removeprefix("san-"),
                "",
                a["switch"],
                e["switch_port"],
                "storage",
                a["subnet"],
                e["colour"],
            )
        )
    for up in nodes_of_kind(G, "uplink"):
        sw = G.nodes[up]["switch"]
        e = G.edges[sw, up]
        rows.append((up, "core", up, "", sw, e["switch_port"], "production", "", e["colour"]))
    for isl in nodes_of_kind(G, "isl"):
        a_sw, b_sw = sorted(n for n in G.neighbors(isl))
        rows.append(
            (
                isl,
                a_sw,
                G.edges[a_sw, isl]["switch_port"],
                "",
                b_sw,
                G.edges[isl, b_sw]["switch_port"],
                "isl",
                "",
                G.edges[a_sw, isl]["colour"],
            )
        )
    return pd.DataFrame(rows, columns=CABLING_COLUMNS)


NETBOX_COLUMNS = [
    "side_a_device",
    "side_a_type",
    "side_a_name",
    "side_b_device",
    "side_b_type",
    "side_b_name",
    "status",
    "label",
    "color",
]


def netbox_cables(plan: pd.DataFrame) -> pd.DataFrame:
    """The cabling plan as NetBox's cable bulk-import CSV (columns accepted by NetBox
    3.x to 4.x: ``side_a_device``, ``side_a_type``, ``side_a_name``, ``side_b_device``,
    ``side_b_type``, ``side_b_name``, ``status``, ``label``, ``color``).

    Both ends are ``dcim.interface``; switch interfaces are named after their port
    (``1/17``), host interfaces after the connection (``p1``); status ``planned``;
    colour the guide's class colour as six hex digits.
    """
    import pandas as pd

    rows = [
        (
            r.device,
            "dcim.interface",
            r.port,
            r.switch,
            "dcim.interface",
            r.switch_port,
            "planned",
            r.cable,
            CLASS_HEX[str(r.traffic_class)].lstrip("#"),
        )
        for r in plan.itertuples()
    ]
    return pd.DataFrame(rows, columns=NETBOX_COLUMNS)
