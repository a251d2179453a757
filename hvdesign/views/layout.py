"""Where the topology diagram draws everything (:mod:`hvdesign.views.topology`).

The diagram is laid out in rows, like the guide's figures (Figs 2.8 to 2.12): the
hosts in a row at the top, each with its NIC cards and NIC ports; the switches below
(switch A on the left, switch B on the right, the inter-switch link between them);
the production core below and between the switches with its uplinks; the iSCSI SAN
with its target portals at the bottom. Coordinates are diagram units: one host is
one unit wide, the rows' heights are the ``*_TOP``/``*_BOTTOM`` constants.

At scale (:data:`GROUP_FROM` hosts and more, when asked with ``shown``) the first
``shown`` hosts are laid out in full and the others, alike, as ONE group box
(:class:`Group`) with one bundle port per (traffic class, switch) on its bottom edge:
the cables of the grouped hosts are drawn as one bundle each, so the drawing does not
grow with the node count. :func:`geometry` without ``shown`` lays out every host (the
draw.io file, :mod:`hvdesign.views.drawio`).

Nothing is drawn here: :func:`geometry` returns points and boxes only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from hvdesign.topology import nodes_of_kind

# Vertical layout of the diagram [diagram units].
HOST_TOP, HOST_BOTTOM, CARD_TOP = 9.6, 8.3, 8.85
SWITCH_TOP, SWITCH_BOTTOM = 4.3, 3.75
CORE_Y = 2.35
SAN_TOP, SAN_BOTTOM = 0.9, 0.1

#: Width of a host's chassis [diagram units] (a host's slot is one unit).
HOST_WIDTH = 0.8

#: A box: (x0, y0, x1, y1) [diagram units].
Box = tuple[float, float, float, float]

#: From this many hosts on, the topology figure groups the hosts alike.
GROUP_FROM = 16
#: Hosts drawn in full before the group.
SHOWN_HOSTS = 3
#: Width of the group's slot [diagram units] (a host's slot is one).
GROUP_SLOT = 2.0
#: Name of the group's box in :attr:`Geometry.boxes` (not a node of the graph).
GROUP = "group"


@dataclass
class Group:
    """The hosts alike drawn as one: ``hosts`` (the names it stands for), its
    ``bundles`` (bundle id -> the NIC ports of the grouped hosts it carries, all of
    one class to one switch), each bundle's ``traffic_class`` and ``switch``."""

    hosts: list[str]
    bundles: dict[str, list[str]] = field(default_factory=dict)
    traffic_class: dict[str, str] = field(default_factory=dict)
    switch: dict[str, str] = field(default_factory=dict)


@dataclass
class Geometry:
    """Where everything is drawn: node points, switch-port points, boxes [diagram
    units]. ``port[(switch, end)]`` is where the cable from ``end`` meets the switch
    (or the core); ``width`` is the diagram's width; ``group`` the hosts drawn as one
    (its box is ``boxes[GROUP]``, its bundles have points in ``pos`` and ``port``), or
    ``None`` when every host is drawn."""

    width: float
    pos: dict[str, tuple[float, float]] = field(default_factory=dict)
    port: dict[tuple[str, str], tuple[float, float]] = field(default_factory=dict)
    boxes: dict[str, Box] = field(default_factory=dict)
    group: Group | None = None


def spread(lo: float, hi: float, n: int) -> list[float]:
    """``n`` points evenly inside [lo, hi], each in the middle of its share.

    >>> spread(0, 4, 2)
    [1.0, 3.0]
    """
    return [lo + (hi - lo) * (k + 0.5) / n for k in range(n)]


def _port_key(port: str) -> tuple[int, int]:
    unit, number = port.split("/")
    return int(unit), int(number)


def geometry(G: nx.Graph, shown: int | None = None) -> Geometry:
    """The points and boxes of the diagram of the design graph ``G``
    (:func:`hvdesign.topology.build_graph`).

    ``shown``: with :data:`GROUP_FROM` hosts or more, lay out only the first ``shown``
    hosts in full and the rest as one :class:`Group` (``None``: every host).

    >>> from hvdesign.spec import design_from_tier
    >>> from hvdesign.topology import build_graph
    >>> geo = geometry(build_graph(design_from_tier("cluster-redundant-path", nodes=4)))
    >>> geo.width, geo.boxes["host1"]
    (4.0, (0.09999999999999998, 8.3, 0.9, 9.6))
    >>> geo = geometry(build_graph(design_from_tier("cluster-redundant-path", nodes=64)), 3)
    >>> geo.width, len(geo.group.hosts), len(geo.group.bundles)
    (5.0, 61, 6)
    """
    hosts = nodes_of_kind(G, "host")
    switches = nodes_of_kind(G, "switch")
    grouped: list[str] = []
    if shown is not None and len(hosts) >= GROUP_FROM:
        hosts, grouped = hosts[:shown], hosts[shown:]
    slots = len(hosts) + (GROUP_SLOT if grouped else 0)
    geo = Geometry(float(max(slots, 4)))
    _hosts(G, geo, hosts, slots)
    if grouped:
        _group(G, geo, grouped, (geo.width - slots) / 2 + len(hosts))
    if len(switches) == 2:
        spans = [(0.02 * geo.width, 0.44 * geo.width), (0.56 * geo.width, 0.98 * geo.width)]
        core_x = geo.width / 2
    else:
        spans = [(0.08 * geo.width, 0.92 * geo.width)] * len(switches)
        core_x = spans[0][0] + 0.8 * (spans[0][1] - spans[0][0])
    core_half = max(0.6, 0.05 * geo.width)
    geo.boxes["core"] = (core_x - core_half, CORE_Y - 0.3, core_x + core_half, CORE_Y + 0.3)
    geo.pos["core"] = (core_x, CORE_Y)
    core_ends: list[str] = []
    portal_xs: list[float] = []
    for s, (sw, span) in enumerate(zip(switches, spans, strict=True)):
        _switch(G, geo, sw, span, s, len(switches), core_x, core_ends, portal_xs)
    _uplinks(G, geo, core_x, core_half, core_ends)
    isls = nodes_of_kind(G, "isl")
    if len(switches) == 2 and isls:
        _isls(geo, switches, spans, isls)
    _san(geo, portal_xs)
    return geo


def _hosts(G: nx.Graph, geo: Geometry, hosts: list[str], slots: float) -> None:
    """Hosts, their cards (in card order) and NIC ports (in layout order per card),
    centred as ``slots`` slots would be."""
    left = (geo.width - slots) / 2
    for i, host in enumerate(hosts):
        cx = left + i + 0.5
        geo.boxes[host] = (cx - HOST_WIDTH / 2, HOST_BOTTOM, cx + HOST_WIDTH / 2, HOST_TOP)
        cards = [m for m in G.neighbors(host) if G.nodes[m]["kind"] == "nic_card"]
        cards.sort(key=lambda c: G.nodes[c]["card"])
        inner = HOST_WIDTH - 0.08
        card_w = inner / max(len(cards), 1)
        for k, card in enumerate(cards):
            x0 = cx - inner / 2 + k * card_w + 0.015
            x1 = x0 + card_w - 0.03
            geo.boxes[card] = (x0, HOST_BOTTOM, x1, CARD_TOP)
            nics = [m for m in G.neighbors(card) if G.nodes[m]["kind"] == "nic"]
            for nic, x in zip(nics, spread(x0, x1, len(nics)), strict=True):
                geo.pos[nic] = (x, HOST_BOTTOM)


def _group(G: nx.Graph, geo: Geometry, grouped: list[str], x0: float) -> None:
    """The group of ``grouped`` hosts in the slot from ``x0``: a box and, on its
    bottom edge, one bundle port per (class, switch), in the order of the first
    grouped host's NIC ports."""
    group = Group(grouped)
    members = set(grouped)
    for nic in nodes_of_kind(G, "nic"):
        a = G.nodes[nic]
        if a["host"] in members:
            bundle = f"{GROUP}:{a['traffic_class']}:{a['switch']}"
            group.bundles.setdefault(bundle, []).append(nic)
            group.traffic_class[bundle] = a["traffic_class"]
            group.switch[bundle] = a["switch"]
    first = [n for n in nodes_of_kind(G, "nic") if G.nodes[n]["host"] == grouped[0]]
    order = {f"{GROUP}:{G.nodes[n]['traffic_class']}:{G.nodes[n]['switch']}": i
             for i, n in reversed(list(enumerate(first)))}  # fmt: skip
    group.bundles = dict(sorted(group.bundles.items(), key=lambda kv: order[kv[0]]))
    pad = (GROUP_SLOT - 0.2) / 2
    cx = x0 + GROUP_SLOT / 2
    geo.boxes[GROUP] = (cx - pad, HOST_BOTTOM, cx + pad, HOST_TOP)
    for bundle, x in zip(
        group.bundles, spread(cx - pad, cx + pad, len(group.bundles)), strict=True
    ):
        geo.pos[bundle] = (x, HOST_BOTTOM)
    geo.group = group


def _switch(
    G: nx.Graph,
    geo: Geometry,
    sw: str,
    span: tuple[float, float],
    s: int,
    n_switches: int,
    core_x: float,
    core_ends: list[str],
    portal_xs: list[float],
) -> None:
    """Switch bar ``sw`` (the ``s``-th of ``n_switches``) and the ports on it: host
    ports on the top edge; on the bottom edge SAN links straight down to their portals
    and uplinks towards the core (switch A: right end; switch B, or a lone switch's
    core side: left end). Appends the uplinks to ``core_ends``, portal x to
    ``portal_xs``."""
    x0, x1 = span
    geo.boxes[sw] = (x0, SWITCH_BOTTOM, x1, SWITCH_TOP)
    w = x1 - x0
    ends = list(G.neighbors(sw))
    kind = {m: G.nodes[m]["kind"] for m in ends}
    order = {m: _port_key(G.edges[sw, m]["switch_port"]) for m in ends}

    def of_kind(k: str) -> list[str]:
        return sorted((m for m in ends if kind[m] == k), key=order.__getitem__)

    nics = [m for m in of_kind("nic") if m in geo.pos]  # drawn hosts' ports
    if geo.group is not None:
        nics += [b for b in geo.group.bundles if geo.group.switch[b] == sw]
    margin = min(0.1, w / 20)
    for m, x in zip(nics, spread(x0 + margin, x1 - margin, len(nics)), strict=True):
        geo.port[sw, m] = (x, SWITCH_TOP)
    portals, uplinks = of_kind("san_port"), of_kind("uplink")
    if n_switches == 2 and s == 1:
        san_zone, up_zone = (x0 + 0.4 * w, x1 - margin), (x0 + margin, x0 + 0.3 * w)
    else:
        san_zone, up_zone = (x0 + margin, x0 + 0.6 * w), (x0 + 0.7 * w, x1 - margin)
    if n_switches == 1:
        up_zone = (core_x - 0.05 * w, core_x + 0.05 * w)
    for m, x in zip(portals, spread(*san_zone, len(portals)), strict=True):
        geo.port[sw, m] = (x, SWITCH_BOTTOM)
        geo.pos[m] = (x, SAN_TOP)
        portal_xs.append(x)
    for m, x in zip(uplinks, spread(*up_zone, len(uplinks)), strict=True):
        geo.port[sw, m] = (x, SWITCH_BOTTOM)
        core_ends.append(m)


def _uplinks(
    G: nx.Graph, geo: Geometry, core_x: float, core_half: float, core_ends: list[str]
) -> None:
    """Uplinks land on the core's top edge, in switch order; the uplink itself is
    drawn half-way between its switch port and the core."""
    xs = spread(core_x - 0.6 * core_half, core_x + 0.6 * core_half, len(core_ends))
    for m, x in zip(core_ends, xs, strict=True):
        top = (x, CORE_Y + 0.3)
        geo.port["core", m] = top
        sx, sy = geo.port[G.nodes[m]["switch"], m]
        geo.pos[m] = ((sx + top[0]) / 2, (sy + top[1]) / 2)


def _isls(
    geo: Geometry, switches: list[str], spans: list[tuple[float, float]], isls: list[str]
) -> None:
    """Inter-switch links: from switch A's right edge to switch B's left edge."""
    a, b = switches
    ys = spread(SWITCH_BOTTOM + 0.1, SWITCH_TOP - 0.1, len(isls))
    for isl, y in zip(isls, ys, strict=True):
        geo.port[a, isl] = (spans[0][1], y)
        geo.port[b, isl] = (spans[1][0], y)
        geo.pos[isl] = (geo.width / 2, y)


def _san(geo: Geometry, portal_xs: list[float]) -> None:
    """The SAN box spans its portals (at least 2 units wide)."""
    if portal_xs:
        lo, hi = min(portal_xs), max(portal_xs)
        pad = max(0.35, (2.0 - (hi - lo)) / 2)
        geo.boxes["san"] = (lo - pad, SAN_BOTTOM, hi + pad, SAN_TOP)
    else:
        geo.boxes["san"] = (geo.width / 2 - 1, SAN_BOTTOM, geo.width / 2 + 1, SAN_TOP)
