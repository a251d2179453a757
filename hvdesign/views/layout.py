"""Where the topology diagram draws everything (:mod:`hvdesign.views.topology`).

The diagram is laid out in rows, like the guide's figures (Figs 2.8 to 2.12): the
hosts in a row at the top, each with its NIC cards and NIC ports; the switches below
(switch A on the left, switch B on the right, the inter-switch link between them);
the production core below and between the switches with its uplinks; the iSCSI SAN
with its target portals at the bottom. Coordinates are diagram units: one host is
one unit wide, the rows' heights are the ``*_TOP``/``*_BOTTOM`` constants.

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


@dataclass
class Geometry:
    """Where everything is drawn: node points, switch-port points, boxes [diagram
    units]. ``port[(switch, end)]`` is where the cable from ``end`` meets the switch
    (or the core); ``width`` is the diagram's width."""

    width: float
    pos: dict[str, tuple[float, float]] = field(default_factory=dict)
    port: dict[tuple[str, str], tuple[float, float]] = field(default_factory=dict)
    boxes: dict[str, Box] = field(default_factory=dict)


def spread(lo: float, hi: float, n: int) -> list[float]:
    """``n`` points evenly inside [lo, hi], each in the middle of its share.

    >>> spread(0, 4, 2)
    [1.0, 3.0]
    """
    return [lo + (hi - lo) * (k + 0.5) / n for k in range(n)]


def _port_key(port: str) -> tuple[int, int]:
    unit, number = port.split("/")
    return int(unit), int(number)


def geometry(G: nx.Graph) -> Geometry:
    """The points and boxes of the diagram of the design graph ``G``
    (:func:`hvdesign.topology.build_graph`).

    >>> from hvdesign.spec import design_from_tier
    >>> from hvdesign.topology import build_graph
    >>> geo = geometry(build_graph(design_from_tier("cluster-redundant-path", nodes=4)))
    >>> geo.width, geo.boxes["host1"]
    (4.0, (0.09999999999999998, 8.3, 0.9, 9.6))
    """
    hosts = nodes_of_kind(G, "host")
    switches = nodes_of_kind(G, "switch")
    geo = Geometry(float(max(len(hosts), 4)))
    _hosts(G, geo, hosts)
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


def _hosts(G: nx.Graph, geo: Geometry, hosts: list[str]) -> None:
    """Hosts, their cards (in card order) and NIC ports (in layout order per card)."""
    left = (geo.width - len(hosts)) / 2
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

    nics = of_kind("nic")
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
