"""Plans an installer works from: the subnet plan (network, VLAN, MTU, gateway and
cluster network role of every subnet), the IP plan (an address for every endpoint,
from a CIDR per traffic class, plus the out-of-band management addresses) and the
cabling plan (one row per cable, with its VLAN and MTU), the latter also as NetBox's
cable bulk-import CSV.

Defaults (named constants below; :func:`ip_plan` and :func:`cabling_plan` take
``vlans``, ``mtu``, ``oob`` and ``cluster_roles`` to change them):

- VLAN IDs (:data:`DEFAULT_VLANS`): production 10, management 20, heartbeat 30 (31,
  32, ... for further heartbeat networks), out-of-band 50 (the second octet of each
  default subnet); storage 711, 712, ... one VLAN per storage subnet, i.e. per path
  and switch (Network ATC's default storage VLANs 711 to 718; FACTS.md, "Modern
  Hyper-V networking").
- MTU (:data:`DEFAULT_MTU`) [bytes], as set on the Windows host: storage 9014
  (jumbo frames: Windows' "Jumbo Packet" value, a 9000-byte IP MTU plus the 14-byte
  Ethernet header; domain.md §2; every hop must pass it, switches commonly 9216),
  every other class the standard 1500.
- Gateways: the first usable address of each routed subnet (:data:`ROUTED_SUBNETS`:
  production, management, oob), routed at the production core.
- Cluster network roles (:data:`CLUSTER_ROLES`, Microsoft's ``Get-ClusterNetwork``
  ``Role``; FACTS.md): storage 0 (no cluster use, Microsoft's advice for iSCSI),
  heartbeat 1 (cluster only), production and management 3 (cluster and client; the
  cluster name lives on management). Standalone servers have no cluster: no role.
- Out-of-band management (:data:`OOB_SUBNET`, 10.50.0.0/24): one BMC address
  (iDRAC, iLO, XClarity, ...) per host, and the management ports of the switches and
  the SAN. Switches and SAN are managed out of band, on ``oob`` and not on the
  design's management subnet, because that subnet rides the very switches it would
  manage: a switch that fails or is misconfigured would cut off its own management,
  and a SAN's management must stay reachable when the storage network is the problem.
  The oob network is an existing management network outside the design (like the
  production core): its addresses are extra rows of the IP plan, not host addresses
  of the guide's counts (:func:`hvdesign.counts.summary` is unchanged), and its cables
  are not in the cabling plan.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hvdesign.counts import Endpoint, address_endpoints, subnet_order
from hvdesign.errors import HvdesignError
from hvdesign.spec import CLASS_HEX, Design, storage_subnets
from hvdesign.topology import build_graph, nodes_of_kind

if TYPE_CHECKING:  # pandas is imported when a plan table is made (figures start fast)
    import networkx as nx
    import pandas as pd

#: Subnets that are routed (at the production core) and so reserve their first usable
#: address for a gateway.
ROUTED_SUBNETS = ("production", "management", "oob")

#: The out-of-band management subnet (BMCs, switch and SAN management ports).
OOB_SUBNET = "10.50.0.0/24"

#: Default VLAN ID of each class; storage and heartbeat: the first of their subnets,
#: the next subnets count up (storage-2: 712). Network ATC's storage VLANs: 711-718.
DEFAULT_VLANS: dict[str, int] = {
    "production": 10,
    "management": 20,
    "heartbeat": 30,
    "storage": 711,
    "oob": 50,
}

#: Default MTU of each class [bytes] (storage: Windows' jumbo frame value, 9014).
DEFAULT_MTU: dict[str, int] = {
    "production": 1500,
    "management": 1500,
    "heartbeat": 1500,
    "storage": 9014,
    "oob": 1500,
}

#: Cluster network role of each class (Get-ClusterNetwork Role: 0 none, 1 cluster
#: only, 3 cluster and client; 2 is not used). oob: the hosts' OS has no interface
#: there, so the cluster never sees it (no role).
CLUSTER_ROLES: dict[str, int | None] = {
    "production": 3,
    "management": 3,
    "heartbeat": 1,
    "storage": 0,
    "oob": None,
}

#: MTU accepted [bytes]: IPv4's minimum to the largest jumbo frame switches take.
MTU_RANGE = (576, 9216)

#: Management ports of the SAN on the oob subnet (one; a dual-controller array with
#: a port per controller needs more: pass the count to :func:`oob_endpoints`).
SAN_MANAGEMENT_PORTS = 1


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


@dataclass(frozen=True)
class Subnet:
    """One subnet of the plan: its ``network``, ``vlan`` ID, ``mtu`` [bytes],
    ``gateway`` (its first usable address if routed, else ``""``) and cluster network
    ``cluster_role`` (0, 1, 3; ``None`` outside a cluster or on oob)."""

    subnet: str
    traffic_class: str
    network: ipaddress.IPv4Network
    vlan: int
    mtu: int
    gateway: str
    cluster_role: int | None


def class_of(subnet: str) -> str:
    """The class of a subnet key (``storage-2`` -> ``storage``).

    >>> class_of("storage-2"), class_of("oob")
    ('storage', 'oob')
    """
    return subnet.split("-")[0]


def _whole(field: str, value: Any, lo: int, hi: int, allowed: str) -> int:
    """``value`` as a whole number in [lo, hi], or an error naming ``field``."""
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise HvdesignError(field, value, allowed)
    return int(value)


def _check_keys(field: str, given: Mapping[str, Any] | None, allowed: str) -> dict[str, Any]:
    """A per-class option: a mapping whose keys are classes of :data:`DEFAULT_VLANS`."""
    if given is None:
        return {}
    if not isinstance(given, Mapping):
        raise HvdesignError(field, given, allowed)
    for key in given:
        if key not in DEFAULT_VLANS:
            raise HvdesignError(f"{field}.{key}", given[key], allowed, detail="unknown class")
    return dict(given)


_VLAN_ALLOWED = (
    "a mapping of production, management, heartbeat, storage, oob to VLAN IDs from 1 to "
    "4094 (storage, heartbeat: the first ID, or a list with one ID per subnet), every "
    "subnet on its own VLAN"
)


def _vlan_ids(keys: list[str], vlans: Mapping[str, Any] | None) -> dict[str, int]:
    """VLAN ID of every subnet key (see :data:`DEFAULT_VLANS`)."""
    given = {**DEFAULT_VLANS, **_check_keys("vlans", vlans, _VLAN_ALLOWED)}
    result: dict[str, int] = {}
    for cls, value in given.items():
        members = [k for k in keys if class_of(k) == cls]
        if not members:
            continue
        field = f"vlans.{cls}"
        if isinstance(value, list | tuple):
            if len(value) != len(members):
                raise HvdesignError(
                    field, value, f"a list of {len(members)} VLAN IDs, one per {cls} subnet"
                )
            ids = [_whole(field, v, 1, 4094, _VLAN_ALLOWED) for v in value]
        else:
            first = _whole(field, value, 1, 4094, _VLAN_ALLOWED)
            ids = list(range(first, first + len(members)))
            _whole(field, ids[-1], 1, 4094, _VLAN_ALLOWED)
        result.update(zip(members, ids, strict=True))
    seen: dict[int, str] = {}
    for key in keys:
        vid = result[key]
        if vid in seen:
            raise HvdesignError(
                f"vlans.{class_of(key)}",
                vid,
                _VLAN_ALLOWED,
                detail=f"subnets {seen[vid]} and {key} on one VLAN",
            )
        seen[vid] = key
    return result


def subnets_info(
    design: Design,
    *,
    vlans: Mapping[str, Any] | None = None,
    mtu: Mapping[str, int] | None = None,
    oob: str | None = OOB_SUBNET,
    cluster_roles: Mapping[str, int | None] | None = None,
) -> dict[str, Subnet]:
    """Every subnet of the design, then ``oob`` (unless ``None``), as :class:`Subnet`
    (network, VLAN, MTU, gateway, cluster role); the defaults are this module's
    constants.

    Raises :class:`HvdesignError` for a VLAN ID outside 1..4094 or shared by two
    subnets, an MTU outside :data:`MTU_RANGE`, a role other than 0, 1, 3, an ``oob``
    that is not an IPv4 CIDR, and two subnets that overlap (an address would be
    given twice).

    >>> from hvdesign.spec import design_from_tier
    >>> info = subnets_info(design_from_tier("cluster-redundant-path", nodes=4))
    >>> [(s.subnet, s.vlan, s.mtu, s.gateway, s.cluster_role) for s in info.values()]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('production', 10, 1500, '10.10.0.1', 3), ('management', 20, 1500, '10.20.0.1', 3),
     ('heartbeat', 30, 1500, '', 1), ('storage-1', 711, 9014, '', 0),
     ('storage-2', 712, 9014, '', 0), ('oob', 50, 1500, '10.50.0.1', None)]
    """
    networks = dict(subnet_networks(design))
    if oob is not None:
        networks["oob"] = _oob_network(oob)
    _check_overlaps(design, networks)
    keys = list(networks)
    vlan = _vlan_ids(keys, vlans)
    mtu_allowed = (
        "a mapping of production, management, heartbeat, storage, oob to an MTU from "
        f"{MTU_RANGE[0]} to {MTU_RANGE[1]} [bytes] (Windows jumbo frames: 9014)"
    )
    mtus = {**DEFAULT_MTU, **_check_keys("mtu", mtu, mtu_allowed)}
    role_allowed = (
        "a mapping of production, management, heartbeat, storage to a cluster network "
        "role: 0 (none), 1 (cluster only) or 3 (cluster and client)"
    )
    roles = {**CLUSTER_ROLES, **_check_keys("cluster_roles", cluster_roles, role_allowed)}
    result = {}
    for key, net in networks.items():
        cls = class_of(key)
        size = _whole(f"mtu.{cls}", mtus[cls], *MTU_RANGE, mtu_allowed)
        role = roles[cls]
        if role is not None and (isinstance(role, bool) or role not in (0, 1, 3)):
            raise HvdesignError(f"cluster_roles.{cls}", role, role_allowed)
        routed = key in ROUTED_SUBNETS and net.num_addresses > 2
        result[key] = Subnet(
            key,
            cls,
            net,
            vlan[key],
            size,
            str(net.network_address + 1) if routed else "",
            role if design.cluster and cls != "oob" else None,
        )
    return result


def _oob_network(oob: str) -> ipaddress.IPv4Network:
    """The oob CIDR, checked as the design's subnets are."""
    try:
        net = ipaddress.ip_network(str(oob), strict=True)
    except ValueError as err:
        raise HvdesignError(
            "oob", oob, "an IPv4 network in CIDR notation such as 10.50.0.0/24", detail=str(err)
        ) from None
    if not isinstance(net, ipaddress.IPv4Network):
        raise HvdesignError("oob", oob, "an IPv4 network")
    return net


def _check_overlaps(design: Design, networks: dict[str, ipaddress.IPv4Network]) -> None:
    """No two subnets share an address."""
    keys = list(networks)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if networks[a].overlaps(networks[b]):
                cls = class_of(b)
                field = "oob" if cls == "oob" else f"subnets.{cls}"
                given = str(networks["oob"]) if cls == "oob" else design.subnets[cls]
                raise HvdesignError(
                    field,
                    given,
                    f"a network that does not overlap {a} ({networks[a]})",
                    detail=f"subnet {b} ({networks[b]}) overlaps {a}",
                )


def subnet_plan(design: Design, **options: Any) -> pd.DataFrame:
    """One row per subnet: ``subnet``, ``traffic_class``, ``network``, ``vlan``,
    ``mtu`` [bytes], ``gateway``, ``cluster_role`` (options as for :func:`subnets_info`).

    >>> from hvdesign.spec import design_from_tier
    >>> subnet_plan(design_from_tier("cluster-minimal", nodes=2)).vlan.tolist()
    [10, 30, 711, 50]
    """
    import pandas as pd

    rows = [
        (s.subnet, s.traffic_class, str(s.network), s.vlan, s.mtu, s.gateway, s.cluster_role)
        for s in subnets_info(design, **options).values()
    ]
    df = pd.DataFrame(rows, columns=SUBNET_COLUMNS)
    df["cluster_role"] = df["cluster_role"].astype("Int64")
    return df


#: Columns of :func:`subnet_plan`.
SUBNET_COLUMNS = ["subnet", "traffic_class", "network", "vlan", "mtu", "gateway", "cluster_role"]

#: Columns of :func:`ip_plan`.
IP_PLAN_COLUMNS = [
    "subnet",
    "traffic_class",
    "network",
    "address",
    "device",
    "interface",
    "role",
    "vlan",
    "mtu",
    "gateway",
    "cluster_role",
]


def oob_endpoints(G: nx.Graph, san_management_ports: int = SAN_MANAGEMENT_PORTS) -> list[Endpoint]:
    """The out-of-band management addresses: each switch's management port, the
    SAN's management port(s), then one BMC per host (all on ``oob``). Not host
    addresses of the guide's counts."""
    endpoints = [
        Endpoint("oob", "oob", sw, f"{sw}-mgmt", "switch management (out-of-band port)")
        for sw in nodes_of_kind(G, "switch")
    ]
    for k in range(1, san_management_ports + 1):
        suffix = "" if san_management_ports == 1 else str(k)
        endpoints.append(Endpoint("oob", "oob", "san", f"san-mgmt{suffix}", "SAN management"))
    endpoints += [
        Endpoint("oob", "oob", host, f"{host}-bmc", "out-of-band management (BMC: iDRAC/iLO)")
        for host in nodes_of_kind(G, "host")
    ]
    return endpoints


def ip_plan(
    design: Design,
    G: nx.Graph | None = None,
    *,
    vlans: Mapping[str, Any] | None = None,
    mtu: Mapping[str, int] | None = None,
    oob: str = OOB_SUBNET,
    cluster_roles: Mapping[str, int | None] | None = None,
) -> pd.DataFrame:
    """One row per address: ``subnet``, ``traffic_class``, ``network``, ``address``,
    ``device``, ``interface``, ``role``, and the subnet's ``vlan``, ``mtu`` [bytes],
    ``gateway`` and ``cluster_role`` (:func:`subnets_info`, whose options it takes).

    The design's subnets first (:func:`hvdesign.counts.address_endpoints`: the
    addresses the guide counts), then the ``oob`` subnet (:func:`oob_endpoints`:
    switch and SAN management ports and one BMC per host; extra rows, not counted by
    :func:`hvdesign.counts.summary`). Routed subnets (:data:`ROUTED_SUBNETS`) reserve
    their first usable address for the gateway (a row with device ``gateway``). A
    subnet too small for its endpoints raises :class:`HvdesignError` naming the subnet
    and the prefix that would fit.

    >>> from hvdesign.spec import design_from_tier
    >>> plan = ip_plan(design_from_tier("cluster-minimal", nodes=2))
    >>> plan[plan.subnet == "storage-1"][["address", "device", "interface"]].values.tolist()
    [['10.40.0.1', 'san', 'san-port1'], ['10.40.0.2', 'san', 'san-port2'], ['10.40.0.3', 'host1', 'host1-s1'], ['10.40.0.4', 'host2', 'host2-s1']]
    >>> plan[plan.subnet == "oob"][["address", "interface"]].values.tolist()[:3]
    [['10.50.0.1', ''], ['10.50.0.2', 'switch-a-mgmt'], ['10.50.0.3', 'san-mgmt']]
    """
    import pandas as pd

    G = build_graph(design) if G is None else G
    info = subnets_info(design, vlans=vlans, mtu=mtu, oob=oob, cluster_roles=cluster_roles)
    by_subnet: dict[str, list[Endpoint]] = {k: [] for k in info}
    for e in [*address_endpoints(G, design), *oob_endpoints(G)]:
        by_subnet[e.subnet].append(e)
    rows = []
    for subnet, endpoints in by_subnet.items():
        s = info[subnet]
        _check_fits(design, info, s, len(endpoints) + bool(s.gateway))
        extra = (s.vlan, s.mtu, s.gateway, s.cluster_role)
        hosts = s.network.hosts()
        net = str(s.network)
        if s.gateway:
            next(hosts)
            gateway_row = (subnet, s.traffic_class, net, s.gateway, "gateway", "")
            rows.append((*gateway_row, "default gateway (reserved)", *extra))
        for e in endpoints:
            row = (subnet, e.traffic_class, net, str(next(hosts)), e.device, e.interface)
            rows.append((*row, e.role, *extra))
    df = pd.DataFrame(rows, columns=IP_PLAN_COLUMNS)
    df["cluster_role"] = df["cluster_role"].astype("Int64")
    return df


def _check_fits(design: Design, info: dict[str, Subnet], s: Subnet, need: int) -> None:
    """``need`` addresses fit subnet ``s``, or an error naming the prefix that would."""
    net = s.network
    if need <= max(net.num_addresses - 2, 0):
        return
    prefix = 32 - math.ceil(math.log2(need + 2))
    allowed = f"a network with at least {need} usable addresses (/{prefix} or larger)"
    if s.traffic_class == "oob":
        raise HvdesignError("oob", str(net), allowed, detail=f"oob needs {need} addresses")
    cls = s.traffic_class
    given = design.subnets[cls]
    siblings = [k for k in info if class_of(k) == cls]
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
        detail=f"subnet {s.subnet} ({net}) needs {need} addresses",
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
    "vlan",
    "tagged_vlans",
    "mtu",
]


def cabling_plan(
    design: Design,
    G: nx.Graph | None = None,
    *,
    vlans: Mapping[str, Any] | None = None,
    mtu: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """One row per cable: ``cable`` (label), ``device``, ``port``, ``nic_card``,
    ``switch``, ``switch_port``, ``traffic_class``, ``subnet``, ``colour``, ``vlan``,
    ``tagged_vlans`` and ``mtu`` [bytes] (``vlans`` and ``mtu`` as for
    :func:`subnets_info`).

    Host cables run from a NIC port to a switch port; SAN cables from a target portal;
    uplinks from the production core (its port named after the uplink) to a switch;
    inter-switch links from switch A to switch B. A host or SAN cable is an access
    port: ``vlan`` is its subnet's VLAN, ``tagged_vlans`` empty, ``mtu`` its subnet's.
    Uplinks and ISLs are trunks (``vlan`` empty, ``tagged_vlans`` the IDs they carry,
    comma-separated, ``mtu`` the largest of theirs): an uplink carries the routed
    subnets (production, management: their gateways are at the core); an ISL carries
    every VLAN present on both switches (storage VLANs, one per switch, stay off it).

    >>> from hvdesign.spec import design_from_tier
    >>> plan = cabling_plan(design_from_tier("cluster-redundant-path", nodes=4))
    >>> len(plan), plan.iloc[0][["device", "port", "switch", "switch_port"]].tolist()
    (29, ['host1', 'p1', 'switch-a', '1/1'])
    >>> plan.set_index("cable").loc[["host1-s1", "uplink-a1", "isl1"], ["vlan", "tagged_vlans", "mtu"]]
    ... # doctest: +NORMALIZE_WHITESPACE
                vlan tagged_vlans   mtu
    cable
    host1-s1     711                9014
    uplink-a1   <NA>        10,20  1500
    isl1        <NA>        10,20  1500
    """
    import pandas as pd

    G = build_graph(design) if G is None else G
    rows = _cable_rows(G)
    info = subnets_info(design, vlans=vlans, mtu=mtu, oob=None)
    routed = [k for k in ROUTED_SUBNETS if k in info]
    on_switch: dict[str, set[str]] = {sw: set() for sw in nodes_of_kind(G, "switch")}
    for r in rows:
        subnets = [r[7]] if r[7] else routed if r[6] == "production" else []
        on_switch[r[4]].update(subnets)
    a_sw, *rest = on_switch
    shared = on_switch[a_sw].intersection(*(on_switch[b] for b in rest)) if rest else set()
    out = []
    for r in rows:
        if r[7]:
            s = info[r[7]]
            out.append((*r, s.vlan, "", s.mtu))
            continue
        carried = [info[k] for k in (routed if r[6] == "production" else shared)]
        carried.sort(key=lambda s: s.vlan)
        tagged = ",".join(str(s.vlan) for s in carried)
        out.append((*r, None, tagged, max((s.mtu for s in carried), default=None)))
    df = pd.DataFrame(out, columns=CABLING_COLUMNS)
    for col in ("vlan", "mtu"):
        df[col] = df[col].astype("Int64")
    return df


def _cable_rows(G: nx.Graph) -> list[tuple[str, ...]]:
    """The cabling plan's first nine columns, one row per cable."""
    rows: list[tuple[str, ...]] = []
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
    return rows


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
