"""Figures of a design: the topology diagram (the guide's Figs 2.8 to 2.12) and the
scaling of connections and switch ports with the node count.

Every function returns a plotly ``go.Figure`` and nothing else: no function here
shows, prints or writes a figure. The faces (notebooks, widgets, the report) decide
what to do with it.

The topology diagram is laid out in rows, like the guide's figures: the hosts in a
row at the top, each with its NIC cards and NIC ports; the switches below (switch A
on the left, switch B on the right, the inter-switch link between them); the
production core below and between the switches with its uplinks; the iSCSI SAN with
its target portals at the bottom. Cables are coloured by traffic class (guide
Fig 2.7, :data:`hvdesign.spec.CLASS_HEX`), one trace per class, so the legend
toggles a whole network.

The figure always has the same traces in the same order (:data:`TOPOLOGY_TRACES`),
whatever the design: a trace for a class the design lacks is empty and hidden from
the legend. That lets a ``go.FigureWidget`` be updated in place.

References
----------
[1] The source guide, "Creating Highly-Available Hyper-V with iSCSI Storage",
    Figs 2.7 to 2.12 (``shared/seed``).
[2] ``shared/domain.md`` sections 1 to 3.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from hvdesign.counts import switch_ports, switch_units
from hvdesign.errors import HvdesignError
from hvdesign.spec import CLASS_HEX, TIERS, TRAFFIC_CLASSES, Design
from hvdesign.topology import build_graph, nodes_of_kind
from hvdesign.views.tables import scaling_table

#: Classes of cable drawn, in legend order: the four traffic classes and the ISL.
CABLE_CLASSES: tuple[str, ...] = (*TRAFFIC_CLASSES, "isl")

#: Legend label of each cable class.
CLASS_LABELS: dict[str, str] = {
    "production": "production (VM traffic)",
    "storage": "storage (iSCSI)",
    "heartbeat": "heartbeat (cluster)",
    "management": "management + Live Migration",
    "isl": "inter-switch link",
}

#: Names of the topology figure's traces, in order (the same for every design).
TOPOLOGY_TRACES: tuple[str, ...] = (
    "chassis",
    "cards",
    "failed boxes",
    *(CLASS_LABELS[c] for c in CABLE_CLASSES),
    "failed (down)",
    *(f"cable hover {c}" for c in (*CABLE_CLASSES, "failed")),
    "nic ports",
    "components",
    "labels",
    "failed component",
)

#: Trace properties of the topology figure that change with the design or a failure
#: (names, colours and modes are the same for every design): what a FigureWidget
#: showing the topology updates in place.
TOPOLOGY_DYNAMIC = (
    "x",
    "y",
    "text",
    "hovertext",
    "textposition",
    "textfont",
    "marker",
    "line",
    "showlegend",
)

#: Metrics :func:`scaling_figure` can draw: summary key -> (title, axis title, unit).
SCALING_METRICS: dict[str, tuple[str, str, str]] = {
    "host_connections_total": (
        "Network connections of all hosts against node count",
        "host connections",
        "connections",
    ),
    "switch_ports_total": (
        "Switch ports used on all switches against node count",
        "switch ports",
        "switch ports",
    ),
}

#: One colour per tier in the scaling figures (not the class colours, to avoid a
#: green "tier" being read as production traffic).
TIER_HEX: dict[str, str] = {
    "single-redundant-connections": "#f2c14e",
    "single-redundant-path": "#8c5a00",
    "cluster-minimal": "#17a2b8",
    "cluster-redundant-connections": "#b9a3e0",
    "cluster-redundant-path": "#3b2a8c",
}

#: Line width [px], dash, marker symbol and size [px] per tier. Tiers whose counts
#: coincide (Figs 2.8/2.9 for connections, 2.11/2.12) are drawn thick-under-thin with
#: different markers, so neither hides the other.
_TIER_STYLE: dict[str, tuple[float, str, str, int]] = {
    "single-redundant-connections": (5, "solid", "circle", 10),
    "single-redundant-path": (2, "dash", "diamond", 6),
    "cluster-minimal": (2, "solid", "square", 7),
    "cluster-redundant-connections": (5, "solid", "circle", 10),
    "cluster-redundant-path": (2, "dash", "diamond", 6),
}

FAILED_HEX = "#a8a8a8"
_CHASSIS_FILL, _CHASSIS_LINE = "#eef1f5", "#56606b"
_CARD_FILL, _CARD_LINE = "#ffffff", "#9aa3ad"
_FAILED_FILL = "#e4e4e4"
_FONT = "Helvetica, Arial, sans-serif"

# Vertical layout of the diagram [diagram units].
_HOST_TOP, _HOST_BOTTOM, _CARD_TOP = 9.6, 8.3, 8.85
_SWITCH_TOP, _SWITCH_BOTTOM = 4.3, 3.75
_CORE_Y = 2.35
_SAN_TOP, _SAN_BOTTOM = 0.9, 0.1

_esc = html.escape


# --------------------------------------------------------------------- geometry


@dataclass
class _Geometry:
    """Where everything is drawn: node points, switch-port points, boxes."""

    width: float
    pos: dict[str, tuple[float, float]] = field(default_factory=dict)
    port: dict[tuple[str, str], tuple[float, float]] = field(default_factory=dict)
    boxes: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)


def _spread(lo: float, hi: float, n: int) -> list[float]:
    """``n`` points evenly inside [lo, hi], each in the middle of its share."""
    return [lo + (hi - lo) * (k + 0.5) / n for k in range(n)]


def _port_key(port: str) -> tuple[int, int]:
    unit, number = port.split("/")
    return int(unit), int(number)


def _geometry(design: Design, G: nx.Graph) -> _Geometry:
    hosts = nodes_of_kind(G, "host")
    switches = nodes_of_kind(G, "switch")
    n = len(hosts)
    width = float(max(n, 4))
    geo = _Geometry(width)
    left = (width - n) / 2
    host_w = 0.8

    # Hosts, their cards (in card order) and NIC ports (in layout order per card).
    for i, host in enumerate(hosts):
        cx = left + i + 0.5
        geo.boxes[host] = (cx - host_w / 2, _HOST_BOTTOM, cx + host_w / 2, _HOST_TOP)
        cards = [m for m in G.neighbors(host) if G.nodes[m]["kind"] == "nic_card"]
        cards.sort(key=lambda c: G.nodes[c]["card"])
        inner = host_w - 0.08
        card_w = inner / max(len(cards), 1)
        for k, card in enumerate(cards):
            x0 = cx - inner / 2 + k * card_w + 0.015
            x1 = x0 + card_w - 0.03
            geo.boxes[card] = (x0, _HOST_BOTTOM, x1, _CARD_TOP)
            nics = [m for m in G.neighbors(card) if G.nodes[m]["kind"] == "nic"]
            for nic, x in zip(nics, _spread(x0, x1, len(nics)), strict=True):
                geo.pos[nic] = (x, _HOST_BOTTOM)

    # Switch bars.
    if len(switches) == 2:
        spans = [(0.02 * width, 0.44 * width), (0.56 * width, 0.98 * width)]
    else:
        spans = [(0.08 * width, 0.92 * width)] * len(switches)
    core_x = width / 2 if len(switches) == 2 else spans[0][0] + 0.8 * (spans[0][1] - spans[0][0])
    core_half = max(0.6, 0.05 * width)
    geo.boxes["core"] = (core_x - core_half, _CORE_Y - 0.3, core_x + core_half, _CORE_Y + 0.3)
    geo.pos["core"] = (core_x, _CORE_Y)
    core_ends: list[str] = []
    portal_xs: list[float] = []
    for s, (sw, (x0, x1)) in enumerate(zip(switches, spans, strict=True)):
        geo.boxes[sw] = (x0, _SWITCH_BOTTOM, x1, _SWITCH_TOP)
        w = x1 - x0
        ends = list(G.neighbors(sw))
        kind = {m: G.nodes[m]["kind"] for m in ends}
        order = {m: _port_key(G.edges[sw, m]["switch_port"]) for m in ends}
        nics = sorted((m for m in ends if kind[m] == "nic"), key=order.__getitem__)
        margin = min(0.1, w / 20)
        for m, x in zip(nics, _spread(x0 + margin, x1 - margin, len(nics)), strict=True):
            geo.port[sw, m] = (x, _SWITCH_TOP)
        # Bottom edge: SAN links straight down to their portals; uplinks towards the
        # core (switch A: right end; switch B, or a lone switch's core side: left end).
        portals = sorted((m for m in ends if kind[m] == "san_port"), key=order.__getitem__)
        uplinks = sorted((m for m in ends if kind[m] == "uplink"), key=order.__getitem__)
        if len(switches) == 2 and s == 1:
            san_zone, up_zone = (x0 + 0.4 * w, x1 - margin), (x0 + margin, x0 + 0.3 * w)
        else:
            san_zone, up_zone = (x0 + margin, x0 + 0.6 * w), (x0 + 0.7 * w, x1 - margin)
        if len(switches) == 1:
            up_zone = (core_x - 0.05 * w, core_x + 0.05 * w)
        for m, x in zip(portals, _spread(*san_zone, len(portals)), strict=True):
            geo.port[sw, m] = (x, _SWITCH_BOTTOM)
            geo.pos[m] = (x, _SAN_TOP)
            portal_xs.append(x)
        for m, x in zip(uplinks, _spread(*up_zone, len(uplinks)), strict=True):
            geo.port[sw, m] = (x, _SWITCH_BOTTOM)
            core_ends.append(m)
    # Uplinks land on the core's top edge, in switch order; the uplink itself is drawn
    # half-way between its switch port and the core.
    for m, x in zip(
        core_ends,
        _spread(core_x - 0.6 * core_half, core_x + 0.6 * core_half, len(core_ends)),
        strict=True,
    ):
        top = (x, _CORE_Y + 0.3)
        geo.port["core", m] = top
        sx, sy = geo.port[G.nodes[m]["switch"], m]
        geo.pos[m] = ((sx + top[0]) / 2, (sy + top[1]) / 2)
    # Inter-switch links: from switch A's right edge to switch B's left edge.
    isls = nodes_of_kind(G, "isl")
    if len(switches) == 2 and isls:
        a, b = switches
        ys = _spread(_SWITCH_BOTTOM + 0.1, _SWITCH_TOP - 0.1, len(isls))
        for isl, y in zip(isls, ys, strict=True):
            geo.port[a, isl] = (spans[0][1], y)
            geo.port[b, isl] = (spans[1][0], y)
            geo.pos[isl] = (width / 2, y)
    # The SAN spans its portals.
    if portal_xs:
        lo, hi = min(portal_xs), max(portal_xs)
        pad = max(0.35, (2.0 - (hi - lo)) / 2)
        geo.boxes["san"] = (lo - pad, _SAN_BOTTOM, hi + pad, _SAN_TOP)
    else:
        geo.boxes["san"] = (width / 2 - 1, _SAN_BOTTOM, width / 2 + 1, _SAN_TOP)
    return geo


# --------------------------------------------------------------------- failures


#: Component kinds that can fail (domain.md §3).
FAILABLE_KINDS = ("host", "nic_card", "nic", "switch", "uplink", "isl", "san_port", "san")


def failed_components(G: nx.Graph, failed: Iterable[str]) -> set[str]:
    """The nodes ``failed`` takes down: each failed node, plus what it contains (a host
    its NIC cards and NIC ports, a card its ports, the SAN its target portals).

    >>> from hvdesign.spec import design_from_tier
    >>> G = build_graph(design_from_tier("cluster-redundant-path", nodes=2))
    >>> sorted(failed_components(G, ["host1-card1"]))
    ['host1-card1', 'host1-p1', 'host1-s1']
    """
    down: set[str] = set()
    for name in failed:
        if name not in G or G.nodes[name]["kind"] not in FAILABLE_KINDS:
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
            for m in G.neighbors(node):
                if not G.edges[node, m].get("cable") and _contains(G, node, m):
                    stack.append(m)
    return down


_CONTAINS = {"host": "nic_card", "nic_card": "nic", "san": "san_port"}


def _contains(G: nx.Graph, outer: str, inner: str) -> bool:
    return _CONTAINS.get(G.nodes[outer]["kind"]) == G.nodes[inner]["kind"]


# --------------------------------------------------------------------- topology


def _scatter(**props: Any) -> dict[str, Any]:
    """A scatter trace as plain data: coordinates as float arrays (``None`` -> NaN, a
    gap in the line) and text as object arrays, which plotly validates in bulk
    instead of element by element (10x faster at 64 nodes)."""
    for key in ("x", "y"):
        props[key] = np.array(props[key], dtype=float)
    for key in ("text", "hovertext"):
        if isinstance(props.get(key), list):
            props[key] = np.array(props[key], dtype=object)
    return {"type": "scatter", **props}


def _box_path(boxes: Iterable[tuple[float, float, float, float]]) -> tuple[list, list]:
    xs: list = []
    ys: list = []
    for x0, y0, x1, y1 in boxes:
        xs += [x0, x1, x1, x0, x0, None]
        ys += [y0, y0, y1, y1, y0, None]
    return xs, ys


def _sizes(n: int) -> tuple[int, int, int, float]:
    """Host label font size [px], NIC marker size [px], host label stride (label
    every k-th host) and cable width [px] for ``n`` hosts."""
    if n <= 8:
        return 12, 9, 1, 1.8
    if n <= 16:
        return 11, 7, 1, 1.3
    if n <= 24:
        return 10, 6, 1, 1.0
    return 9, 4, math.ceil(n / 16), 0.7


def topology_figure(
    design: Design,
    G: nx.Graph | None = None,
    *,
    failed: Iterable[str] = (),
    title: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """The topology of ``design``, drawn like the guide's Figs 2.8 to 2.12.

    Parameters
    ----------
    design : Design
        The design to draw.
    G : networkx.Graph, optional
        Its graph from :func:`hvdesign.topology.build_graph` (built if not given).
    failed : iterable of str
        Names of failed components (hosts, nic_cards, nics, switches, uplinks, isls,
        san_ports, san). They, what they contain and every cable touching them are
        drawn grey and dashed; each named component gets an "X" marker.
    title : str, optional
        Figure title (default: the design's title). HTML-escaped.
    height : int, optional
        Figure height [px] (default 560).

    Returns
    -------
    plotly.graph_objects.Figure
        Traces named as in :data:`TOPOLOGY_TRACES`; cables are line segments
        separated by gaps (NaN in the arrays, ``null`` in JSON), one trace per cable
        class, plus one invisible hover point per cable at its middle.

    Examples
    --------
    >>> from hvdesign.spec import design_from_tier
    >>> fig = topology_figure(design_from_tier("cluster-redundant-path", nodes=4))
    >>> [t.name for t in fig.data if t.showlegend]  # doctest: +NORMALIZE_WHITESPACE
    ['production (VM traffic)', 'storage (iSCSI)', 'heartbeat (cluster)',
     'management + Live Migration', 'inter-switch link']
    """
    traces, layout = topology_traces(design, G, failed=failed, title=title, height=height)
    return go.Figure(data=traces, layout=layout)


def topology_traces(
    design: Design,
    G: nx.Graph | None = None,
    *,
    failed: Iterable[str] = (),
    title: str | None = None,
    height: int | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The traces and layout of :func:`topology_figure` as plain data, for updating a
    ``go.FigureWidget`` in place without building (and validating) a figure twice.
    Parameters as for :func:`topology_figure`."""
    G = build_graph(design) if G is None else G
    named_failed = list(dict.fromkeys(failed))
    down = failed_components(G, named_failed)
    geo = _geometry(design, G)
    hosts = nodes_of_kind(G, "host")
    font_size, nic_size, stride, cable_width = _sizes(len(hosts))
    networks = _networks(design)
    ports_used = switch_ports(G)
    units_used = switch_units(ports_used, design.switch_ports_per_unit)

    def tag(node: str) -> str:
        return " <b>(failed)</b>" if node in down else ""

    # Boxes: chassis (hosts, switches, SAN), NIC cards, and failed boxes on their own.
    chassis, cards, failed_boxes = [], [], []
    for node, box in geo.boxes.items():
        if node in down:
            failed_boxes.append(box)
        elif G.nodes[node]["kind"] == "nic_card":
            cards.append(box)
        else:
            chassis.append(box)

    # Cables: one trace per class (segments joined by None) + a hover point per cable.
    seg = {c: ([], []) for c in (*CABLE_CLASSES, "failed")}
    mid = {c: ([], [], []) for c in (*CABLE_CLASSES, "failed")}
    for u, v, d in G.edges(data=True):
        if not d.get("cable"):
            continue
        if G.nodes[u]["kind"] in ("switch", "core"):
            u, v = v, u  # the switch (or core) end last
        cls = d["traffic_class"]
        key = "failed" if (u in down or v in down) else cls
        p = geo.pos[u]
        q = geo.port[v, u] if (v, u) in geo.port else geo.pos[v]
        xs, ys = seg[key]
        xs += [p[0], q[0], None]
        ys += [p[1], q[1], None]
        mx, my, mt = mid[key]
        mx.append((p[0] + q[0]) / 2)
        my.append((p[1] + q[1]) / 2)
        mt.append(
            _cable_hover(G, u, v, d, networks) + ("<br><b>down</b>" if key == "failed" else "")
        )

    # NIC ports.
    nic_x, nic_y, nic_c, nic_t = [], [], [], []
    for nic in nodes_of_kind(G, "nic"):
        a = G.nodes[nic]
        x, y = geo.pos[nic]
        nic_x.append(x)
        nic_y.append(y)
        nic_c.append(FAILED_HEX if nic in down else CLASS_HEX[a["traffic_class"]])
        sw = a["switch"]
        nic_t.append(
            f"<b>{_esc(nic)}</b>{tag(nic)}<br>{_esc(a['traffic_class'])} connection "
            f"{a['member']}<br>NIC card: {_esc(a['card'])}<br>switch: {_esc(sw)}, port "
            f"{_esc(G.edges[nic, sw]['switch_port'])}<br>subnet: "
            f"{_subnet_text(a['subnet'], networks)}"
        )

    # Other components: SAN portals, uplinks, ISLs.
    comp_x, comp_y, comp_c, comp_s, comp_z, comp_t = [], [], [], [], [], []

    def component(node: str, colour: str, symbol: str, size: int, text: str) -> None:
        x, y = geo.pos[node]
        comp_x.append(x)
        comp_y.append(y)
        comp_c.append(FAILED_HEX if node in down else colour)
        comp_s.append(symbol)
        comp_z.append(size)
        comp_t.append(text + tag(node))

    for portal in nodes_of_kind(G, "san_port"):
        a = G.nodes[portal]
        sw = a["switch"]
        component(
            portal,
            CLASS_HEX["storage"],
            "square",
            11,
            f"<b>{_esc(portal)}</b>: iSCSI target portal<br>subnet: "
            f"{_subnet_text(a['subnet'], networks)}<br>switch: {_esc(sw)}, port "
            f"{_esc(G.edges[portal, sw]['switch_port'])}",
        )
    for up in nodes_of_kind(G, "uplink"):
        sw = G.nodes[up]["switch"]
        component(
            up,
            CLASS_HEX["production"],
            "diamond",
            10,
            f"<b>{_esc(up)}</b>: uplink to the production core<br>switch: {_esc(sw)}, port "
            f"{_esc(G.edges[sw, up]['switch_port'])}",
        )
    for isl in nodes_of_kind(G, "isl"):
        ends = ", ".join(
            f"{_esc(sw)} port {_esc(G.edges[sw, isl]['switch_port'])}" for sw in G.neighbors(isl)
        )
        component(
            isl, CLASS_HEX["isl"], "diamond", 10, f"<b>{_esc(isl)}</b>: inter-switch link<br>{ends}"
        )

    # Labels (with hover for the boxes they name).
    lab_x, lab_y, lab_t, lab_h, lab_p = [], [], [], [], []

    def label(x: float, y: float, text: str, hover: str, position: str = "middle center") -> None:
        lab_x.append(x)
        lab_y.append(y)
        lab_t.append(text)
        lab_h.append(hover)
        lab_p.append(position)

    for i, host in enumerate(hosts):
        x0, _, x1, _ = geo.boxes[host]
        host_cards = [m for m in G.neighbors(host) if G.nodes[m]["kind"] == "nic_card"]
        n_nics = sum(1 for c in host_cards for m in G.neighbors(c) if G.nodes[m]["kind"] == "nic")
        text = _esc(host) if i % stride == 0 or i == len(hosts) - 1 else ""
        label(
            (x0 + x1) / 2,
            (_CARD_TOP + _HOST_TOP) / 2 if stride == 1 else _HOST_TOP + 0.22,
            text,
            f"<b>{_esc(host)}</b>{tag(host)}<br>Hyper-V host: {n_nics} network connections on "
            f"{len(host_cards)} NIC card(s)",
        )
    for sw in nodes_of_kind(G, "switch"):
        x0, y0, x1, y1 = geo.boxes[sw]
        p = ports_used[sw]
        units = units_used[sw]
        label(
            (x0 + x1) / 2,
            (y0 + y1) / 2,
            f"<b>{_esc(sw)}</b>",
            f"<b>{_esc(sw)}</b>{tag(sw)}<br>ports used: {p['host']} host, {p['san']} SAN, "
            f"{p['uplink']} uplink, {p['isl']} ISL = {p['total']}<br>{units} unit(s) of "
            f"{design.switch_ports_per_unit} ports",
        )
    x0, y0, x1, y1 = geo.boxes["san"]
    n_portals = len(nodes_of_kind(G, "san_port"))
    label(
        (x0 + x1) / 2,
        (y0 + y1) / 2 - 0.1,
        "<b>iSCSI SAN</b>",
        f"<b>iSCSI SAN</b>{tag('san')}<br>{n_portals} target portal(s); multipath: "
        f"{_esc(design.storage_multipath.upper())}",
    )
    for portal in nodes_of_kind(G, "san_port"):
        x, y = geo.pos[portal]
        label(x, y - 0.3, _esc(portal.removeprefix("san-")), f"<b>{_esc(portal)}</b>")
    cx, cy = geo.pos["core"]
    n_up = len(nodes_of_kind(G, "uplink"))
    label(
        cx,
        cy,
        "production core",
        f"<b>production network core</b><br>{n_up} uplink(s); outside the design (does not fail)",
    )

    # "X" on every component named in ``failed``.
    fx, fy, ft = [], [], []
    for node in named_failed:
        if node in geo.boxes:
            x0, y0, x1, y1 = geo.boxes[node]
            x, y = (x0 + x1) / 2, (y0 + y1) / 2  # over the box's label: crossed out
            if node == "san":
                y -= 0.1
            elif G.nodes[node]["kind"] == "host":
                y = (_CARD_TOP + _HOST_TOP) / 2
        else:
            x, y = geo.pos[node]
        fx.append(x)
        fy.append(y)
        ft.append(f"<b>{_esc(node)}</b> failed")

    present = {c for c in CABLE_CLASSES if seg[c][0] or mid[c][0]}
    traces = [
        _boxes_trace("chassis", chassis, _CHASSIS_FILL, _CHASSIS_LINE, "solid", 1.4),
        _boxes_trace("cards", cards, _CARD_FILL, _CARD_LINE, "solid", 0.8),
        _boxes_trace("failed boxes", failed_boxes, _FAILED_FILL, FAILED_HEX, "dash", 1.2),
    ]
    for c in (*CABLE_CLASSES, "failed"):
        colour = FAILED_HEX if c == "failed" else CLASS_HEX[c]
        traces.append(
            _scatter(
                x=seg[c][0],
                y=seg[c][1],
                mode="lines",
                name=CLASS_LABELS.get(c, "failed (down)"),
                legendgroup=c,
                showlegend=bool(seg[c][0]) and (c in present or c == "failed"),
                line=dict(
                    color=colour, width=cable_width, dash="dash" if c == "failed" else "solid"
                ),
                hoverinfo="skip",
            )
        )
    for c in (*CABLE_CLASSES, "failed"):
        traces.append(
            _scatter(
                x=mid[c][0],
                y=mid[c][1],
                hovertext=mid[c][2],
                mode="markers",
                name=f"cable hover {c}",
                legendgroup=c,
                showlegend=False,
                marker=dict(size=8, opacity=0, color=FAILED_HEX if c == "failed" else CLASS_HEX[c]),
                hoverinfo="text",
            )
        )
    traces += [
        _scatter(
            x=nic_x,
            y=nic_y,
            hovertext=nic_t,
            mode="markers",
            name="nic ports",
            showlegend=False,
            marker=dict(
                size=nic_size, color=nic_c, symbol="square", line=dict(width=0.6, color="#ffffff")
            ),
            hoverinfo="text",
        ),
        _scatter(
            x=comp_x,
            y=comp_y,
            hovertext=comp_t,
            mode="markers",
            name="components",
            showlegend=False,
            marker=dict(
                size=comp_z, color=comp_c, symbol=comp_s, line=dict(width=1, color=_CHASSIS_LINE)
            ),
            hoverinfo="text",
        ),
        _scatter(
            x=lab_x,
            y=lab_y,
            text=lab_t,
            hovertext=lab_h,
            textposition=lab_p,
            mode="text",
            name="labels",
            showlegend=False,
            textfont=dict(size=font_size, color="#1f2933", family=_FONT),
            hoverinfo="text",
        ),
        _scatter(
            x=fx,
            y=fy,
            hovertext=ft,
            mode="markers",
            name="failed component",
            showlegend=bool(fx),
            marker=dict(
                size=16, color="#5a5a5a", symbol="x-thin", line=dict(width=3, color="#5a5a5a")
            ),
            hoverinfo="text",
        ),
    ]
    heading = _esc(title if title is not None else design.title)
    info = design.tier_info
    n_conn = len(nic_x)
    sub = (
        f"{_esc(info.figure)} pattern · {n_conn // max(len(hosts), 1)} connections per host · "
        f"{n_conn} host connections · {len(ports_used)} switch(es)"
    )
    if named_failed:
        sub += f" · failed: {_esc(', '.join(named_failed))}"
    layout = dict(
        title=dict(
            text=f"{heading}<br><sup>{sub}</sup>", x=0.01, xanchor="left", font=dict(size=16)
        ),
        height=height or 560,
        margin=dict(l=10, r=10, t=90, b=10),
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        font=dict(family=_FONT, color="#1f2933"),
        xaxis=dict(visible=False, range=[-0.25, geo.width + 0.25], fixedrange=False),
        yaxis=dict(visible=False, range=[-0.1, _HOST_TOP + 0.45]),
        legend=dict(orientation="h", x=0.01, y=1.0, yanchor="bottom", font=dict(size=12)),
        hovermode="closest",
        hoverlabel=dict(font=dict(family=_FONT, size=12)),
        showlegend=True,
    )
    return traces, layout


def _boxes_trace(name, boxes, fill, line, dash, width) -> dict:
    xs, ys = _box_path(boxes)
    return _scatter(
        x=xs,
        y=ys,
        mode="lines",
        fill="toself",
        fillcolor=fill,
        line=dict(color=line, width=width, dash=dash),
        name=name,
        showlegend=False,
        hoverinfo="skip",
    )


def _networks(design: Design) -> dict[str, str]:
    """CIDR of each subnet key, or nothing if the design's subnets do not split."""
    from hvdesign.plans import subnet_networks

    try:
        return {k: str(v) for k, v in subnet_networks(design).items()}
    except HvdesignError:
        return {}


def _subnet_text(subnet: str | None, networks: dict[str, str]) -> str:
    if not subnet:
        return ""
    cidr = networks.get(subnet)
    return f"{_esc(subnet)} ({_esc(cidr)})" if cidr else _esc(subnet)


def _cable_hover(G: nx.Graph, u: str, sw: str, d: dict, networks: dict[str, str]) -> str:
    """Hover text of the cable from ``u`` to ``sw`` (a switch, or the core)."""
    cls = d["traffic_class"]
    port = d.get("switch_port")
    to = f"{_esc(sw)} port {_esc(port)}" if port else _esc(sw)
    if sw == "core":
        to = "production core"
    lines = [f"<b>{_esc(u)} → {to}</b>", f"{_esc(CLASS_LABELS[cls])}"]
    a = G.nodes[u]
    if a["kind"] == "nic":
        lines.append(f"NIC card: {_esc(a['card'])}")
    if d.get("subnet"):
        lines.append(f"subnet: {_subnet_text(d['subnet'], networks)}")
    return "<br>".join(lines)


# --------------------------------------------------------------------- scaling


def scaling_figure(
    nodes: Iterable[int] = range(1, 17),
    *,
    metric: str = "host_connections_total",
    options: dict[str, Any] | None = None,
    highlight: tuple[str, int] | None = None,
    table: pd.DataFrame | None = None,
) -> go.Figure:
    """For every tier, ``metric`` against the node count (lines and markers).

    Parameters
    ----------
    nodes : iterable of int
        Node counts to draw; each tier keeps those it accepts (single-server tiers
        N >= 1 standalone servers, cluster tiers N >= 2).
    metric : str
        ``host_connections_total`` [connections] or ``switch_ports_total``
        [switch ports], keys of :func:`hvdesign.counts.summary`.
    options : dict, optional
        Overrides applied to every tier (e.g. ``{"san_portals": 4}``).
    highlight : (tier, nodes), optional
        A design to mark with a ring (the explorer's current design); the figure then
        has one more trace, ``current design``.
    table : pandas.DataFrame, optional
        A :func:`hvdesign.views.tables.scaling_table` already computed for ``nodes`` and
        ``options`` (the explorer draws both metrics from one table).

    Examples
    --------
    >>> fig = scaling_figure(range(1, 9))
    >>> dict(zip(fig.data[4].x, fig.data[4].y))[8]  # Fig 2.12: 8 nodes, 48 connections
    48
    """
    if metric not in SCALING_METRICS:
        raise HvdesignError("metric", metric, "one of " + ", ".join(SCALING_METRICS))
    title, axis_title, unit = SCALING_METRICS[metric]
    nodes = list(nodes)
    if table is None:
        table = scaling_table(nodes, options)
    traces = []
    for tier, info in TIERS.items():
        rows = table[table["tier"] == tier]
        width, dash, symbol, size = _TIER_STYLE[tier]
        traces.append(
            go.Scatter(
                x=rows["nodes"].tolist(),
                y=rows[metric].tolist(),
                mode="lines+markers",
                name=f"{_esc(info.figure)}: {_esc(info.title)}",
                legendgroup=tier,
                line=dict(color=TIER_HEX[tier], width=width, dash=dash),
                marker=dict(size=size, color=TIER_HEX[tier], symbol=symbol),
                hovertemplate=f"{_esc(info.figure)}: %{{y}} {unit}<extra></extra>",
            )
        )
    if highlight is not None:
        traces.append(highlight_trace(table, metric, *highlight))
    return go.Figure(
        data=traces,
        layout=go.Layout(
            title=dict(
                text=title,
                x=0.01,
                xanchor="left",
            ),
            xaxis=dict(
                title=dict(text="hosts [cluster nodes or standalone servers]"),
                dtick=1 if len(nodes) <= 20 else None,
                gridcolor="#e5e8ec",
                zeroline=False,
            ),
            yaxis=dict(
                title=dict(text=f"{axis_title} [{unit}]"),
                rangemode="tozero",
                gridcolor="#e5e8ec",
                zeroline=False,
            ),
            plot_bgcolor="#ffffff",
            paper_bgcolor="#ffffff",
            font=dict(family=_FONT, color="#1f2933"),
            hovermode="x unified",
            height=420,
            margin=dict(l=70, r=10, t=50, b=50),
            legend=dict(font=dict(size=11)),
        ),
    )


def highlight_trace(table: pd.DataFrame, metric: str, tier: str, n: int) -> go.Scatter:
    """The ring marking design (``tier``, ``n`` hosts) on a scaling figure of ``metric``,
    read from a :func:`hvdesign.views.tables.scaling_table` (empty if not in it)."""
    unit = SCALING_METRICS[metric][2]
    row = table[(table["tier"] == tier) & (table["nodes"] == n)]
    return go.Scatter(
        x=row["nodes"].tolist(),
        y=row[metric].tolist(),
        mode="markers",
        name="current design",
        marker=dict(size=16, symbol="circle-open", color="#d62728", line=dict(width=2.5)),
        hovertemplate=f"current design: %{{x}} host(s), %{{y}} {unit}<extra></extra>",
    )
