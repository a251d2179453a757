"""Figures of a design: the topology diagram (the guide's Figs 2.8 to 2.12).

Every function returns a plotly ``go.Figure`` (or its traces as plain data) and
nothing else: no function here shows, prints or writes a figure. The faces
(notebooks, widgets, the report) decide what to do with it.

The topology diagram is laid out in rows, like the guide's figures
(:mod:`hvdesign.views.layout`): the hosts in a row at the top, each with its NIC
cards and NIC ports; the switches below; the production core below and between the
switches with its uplinks; the iSCSI SAN with its target portals at the bottom.
Cables are coloured by traffic class (guide Fig 2.7, :data:`hvdesign.spec.CLASS_HEX`),
one trace per class, so the legend toggles a whole network.

From :data:`~hvdesign.views.layout.GROUP_FROM` (16) hosts on, the first
:data:`~hvdesign.views.layout.SHOWN_HOSTS` (3) hosts are drawn in full and the
others, alike, as one group labelled with how many it stands for ("+ 61 hosts
alike"); their cables are bundled, one line per class and switch with the count in
its hover, so the figure's size does not grow with the node count. A failed
component of a grouped host is marked on the group. The whole drawing, every host,
is the draw.io file (:func:`hvdesign.views.drawio.drawio_xml`).

The figure always has the same traces in the same order (:data:`TOPOLOGY_TRACES`),
whatever the design: a trace for a class the design lacks is empty and hidden from
the legend. That lets a ``go.FigureWidget`` be updated in place.

The scaling figures (connections and switch ports against the node count) live in
:mod:`hvdesign.views.scaling` and are re-exported here; the containment rule of a
failure is :func:`hvdesign.scenarios.failed_components` (re-exported too).

References
----------
[1] The source guide, "Creating Highly-Available Hyper-V with iSCSI Storage",
    Figs 2.7 to 2.12 (``shared/seed``).
[2] ``shared/domain.md`` sections 1 to 3.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import plotly.graph_objects as go

from hvdesign.counts import switch_ports, switch_units
from hvdesign.errors import HvdesignError
from hvdesign.scenarios import failed_components
from hvdesign.spec import CLASS_HEX, TRAFFIC_CLASSES, Design
from hvdesign.topology import build_graph, nodes_of_kind
from hvdesign.views.html import esc, plural
from hvdesign.views.layout import (
    CARD_TOP,
    GROUP,
    HOST_BOTTOM,
    HOST_TOP,
    SHOWN_HOSTS,
    Box,
    Geometry,
    geometry,
)

if TYPE_CHECKING:
    from hvdesign.views.scaling import (
        SCALING_METRICS,
        TIER_HEX,
        highlight_trace,
        scaling_figure,
    )

__all__ = [
    "CABLE_CLASSES",
    "CLASS_LABELS",
    "FAILED_HEX",
    "SCALING_METRICS",
    "TIER_HEX",
    "TOPOLOGY_DYNAMIC",
    "TOPOLOGY_TRACES",
    "failed_components",
    "highlight_trace",
    "scaling_figure",
    "topology_figure",
    "plural",
    "topology_traces",
]

#: Names re-exported from :mod:`hvdesign.views.scaling`, imported when first used:
#: the scaling figures need pandas, the topology diagram does not (``hvdesign figure
#: topology`` starts 0.3 to 0.5 s sooner without it).
_SCALING_NAMES = ("SCALING_METRICS", "TIER_HEX", "highlight_trace", "scaling_figure")


def __getattr__(name: str) -> Any:
    """The lazy re-exports of :data:`_SCALING_NAMES`."""
    if name in _SCALING_NAMES:
        from hvdesign.views import scaling

        return getattr(scaling, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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

FAILED_HEX = "#a8a8a8"
_CHASSIS_FILL, _CHASSIS_LINE = "#eef1f5", "#56606b"
_CARD_FILL, _CARD_LINE = "#ffffff", "#9aa3ad"
_FAILED_FILL = "#e4e4e4"
_FONT = "Helvetica, Arial, sans-serif"

#: Cable classes and the "failed" bucket, in trace order.
_CABLE_KEYS: tuple[str, ...] = (*CABLE_CLASSES, "failed")


class _Columns:
    """Parallel lists (one per named column) that a trace's arrays are built from."""

    def __init__(self, *names: str) -> None:
        self.data: dict[str, list[Any]] = {n: [] for n in names}

    def add(self, *values: Any) -> None:
        for column, value in zip(self.data.values(), values, strict=True):
            column.append(value)

    def __getitem__(self, name: str) -> list[Any]:
        return self.data[name]


@dataclass
class _Scene:
    """What every part of the diagram needs: the design, its graph and geometry, the
    components down (named or contained) and the networks of the subnets."""

    design: Design
    G: nx.Graph
    geo: Geometry
    down: set[str]
    networks: dict[str, str]
    hosts: list[str] = field(default_factory=list)
    named: list[str] = field(default_factory=list)  # the failed components as named

    def tag(self, node: str) -> str:
        """`` (failed)`` after the name of a component that is down."""
        return " <b>(failed)</b>" if node in self.down else ""

    def port_of(self, a: str, b: str) -> str:
        """The switch port of the link between ``a`` and ``b``, escaped."""
        return esc(self.G.edges[a, b]["switch_port"])

    def grouped(self, node: str) -> bool:
        """Whether ``node`` (a host, NIC card or NIC port) belongs to the group."""
        group = self.geo.group
        if group is None or node not in self.G:
            return False
        a = self.G.nodes[node]
        return (node if a["kind"] == "host" else a.get("host")) in group.hosts


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


def _box_path(boxes: Iterable[Box]) -> tuple[list[float | None], list[float | None]]:
    xs: list[float | None] = []
    ys: list[float | None] = []
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
    geo = geometry(G, shown=SHOWN_HOSTS)
    scene = _Scene(
        design,
        G,
        geo,
        failed_components(G, named_failed),
        _networks(design),
        [h for h in nodes_of_kind(G, "host") if h in geo.boxes],
        named_failed,
    )
    font_size, nic_size, stride, cable_width = _sizes(len(scene.hosts))
    seg, mid = _cables(scene)
    nics = _nic_points(scene)
    ports_used = switch_ports(G)
    traces = [
        *_box_traces(scene),
        *_cable_traces(seg, mid, cable_width),
        _scatter(
            x=nics["x"],
            y=nics["y"],
            hovertext=nics["text"],
            mode="markers",
            name="nic ports",
            showlegend=False,
            marker=dict(
                size=nic_size,
                color=nics["colour"],
                symbol="square",
                line=dict(width=0.6, color="#ffffff"),
            ),
            hoverinfo="text",
        ),
        _component_trace(scene),
        _label_trace(scene, stride, font_size, ports_used),
        _failed_trace(scene, named_failed),
    ]
    n_conn = len(nodes_of_kind(G, "nic"))
    sub = (
        f"{esc(design.tier_info.figure)} pattern · "
        f"{n_conn // max(design.nodes, 1)} connections per host · "
        f"{plural(n_conn, 'host connection')} · {plural(len(ports_used), 'switch', 'switches')}"
    )
    if geo.group is not None:
        g = geo.group.hosts
        sub += f" · {esc(g[0])} to {esc(g[-1])} drawn as one"
    if named_failed:
        sub += f" · failed: {esc(', '.join(named_failed))}"
    heading = esc(title if title is not None else design.title)
    return traces, _layout(heading, sub, height or 560, scene.geo.width)


def _layout(heading: str, sub: str, height: int, width: float) -> dict[str, Any]:
    """The topology figure's layout: the title over the subtitle, no axes."""
    return dict(
        title=dict(
            text=f"{heading}<br><sup>{sub}</sup>", x=0.01, xanchor="left", font=dict(size=16)
        ),
        height=height,
        margin=dict(l=10, r=10, t=90, b=10),
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        font=dict(family=_FONT, color="#1f2933"),
        xaxis=dict(visible=False, range=[-0.25, width + 0.25], fixedrange=False),
        yaxis=dict(visible=False, range=[-0.1, HOST_TOP + 0.45]),
        legend=dict(orientation="h", x=0.01, y=1.0, yanchor="bottom", font=dict(size=12)),
        hovermode="closest",
        hoverlabel=dict(font=dict(family=_FONT, size=12)),
        showlegend=True,
    )


# --------------------------------------------------------------------- boxes, cables


def _box_traces(s: _Scene) -> list[dict[str, Any]]:
    """Boxes: chassis (hosts, switches, SAN, core), NIC cards, and failed boxes."""
    chassis: list[Box] = []
    cards: list[Box] = []
    failed_boxes: list[Box] = []
    for node, box in s.geo.boxes.items():
        if node == GROUP and s.geo.group is not None:
            x0, y0, x1, y1 = box  # a stack of hosts: one more chassis behind, offset
            stack = [(x0 + 0.08, y0 + 0.1, x1 + 0.08, y1 + 0.1), box]
            every_down = all(h in s.down for h in s.geo.group.hosts)
            (failed_boxes if every_down else chassis).extend(stack)
        elif node in s.down:
            failed_boxes.append(box)
        elif s.G.nodes[node]["kind"] == "nic_card":
            cards.append(box)
        else:
            chassis.append(box)
    return [
        _boxes_trace("chassis", chassis, _CHASSIS_FILL, _CHASSIS_LINE, "solid", 1.4),
        _boxes_trace("cards", cards, _CARD_FILL, _CARD_LINE, "solid", 0.8),
        _boxes_trace("failed boxes", failed_boxes, _FAILED_FILL, FAILED_HEX, "dash", 1.2),
    ]


def _boxes_trace(
    name: str, boxes: list[Box], fill: str, line: str, dash: str, width: float
) -> dict[str, Any]:
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


_Segments = dict[str, tuple[list[float | None], list[float | None]]]


def _cables(s: _Scene) -> tuple[_Segments, dict[str, _Columns]]:
    """Cables per class (or "failed"): line segments joined by ``None``, and a hover
    point at the middle of each cable."""
    seg: _Segments = {c: ([], []) for c in _CABLE_KEYS}
    mid = {c: _Columns("x", "y", "text") for c in _CABLE_KEYS}
    for a, b, d in s.G.edges(data=True):
        if not d.get("cable"):
            continue
        # the switch (or core) end last
        u, v = (b, a) if s.G.nodes[a]["kind"] in ("switch", "core") else (a, b)
        if u not in s.geo.pos:  # a grouped host's port: in its bundle
            continue
        key = "failed" if (u in s.down or v in s.down) else d["traffic_class"]
        p = s.geo.pos[u]
        q = s.geo.port[v, u] if (v, u) in s.geo.port else s.geo.pos[v]
        xs, ys = seg[key]
        xs += [p[0], q[0], None]
        ys += [p[1], q[1], None]
        down = "<br><b>down</b>" if key == "failed" else ""
        mid[key].add((p[0] + q[0]) / 2, (p[1] + q[1]) / 2, _cable_hover(s, u, v, d) + down)
    for bundle, (key, text) in _bundles(s).items():
        sw = s.geo.group.switch[bundle] if s.geo.group else ""
        p, q = s.geo.pos[bundle], s.geo.port[sw, bundle]
        xs, ys = seg[key]
        xs += [p[0], q[0], None]
        ys += [p[1], q[1], None]
        mid[key].add((p[0] + q[0]) / 2, (p[1] + q[1]) / 2, text)
    return seg, mid


def _bundles(s: _Scene) -> dict[str, tuple[str, str]]:
    """Each bundle of the group: its cable key (its class, or "failed" when its switch
    or every cable in it is down) and its hover text (the count, the ports)."""
    group = s.geo.group
    if group is None:
        return {}
    result = {}
    for bundle, nics in group.bundles.items():
        cls, sw = group.traffic_class[bundle], group.switch[bundle]
        n_down = sum(1 for n in nics if n in s.down)
        key = "failed" if sw in s.down or n_down == len(nics) else cls
        ports = [s.G.edges[n, sw]["switch_port"] for n in nics]
        hosts = group.hosts
        text = (
            f"<b>{plural(len(nics), 'cable')} bundled: {esc(hosts[0])} to {esc(hosts[-1])} "
            f"→ {esc(sw)}</b><br>{esc(CLASS_LABELS[cls])}, one per host alike<br>switch "
            f"ports {esc(ports[0])} to {esc(ports[-1])}"
        )
        if n_down:
            text += f"<br><b>{n_down} down</b>: {esc(', '.join(n for n in nics if n in s.down))}"
        result[bundle] = (key, text)
    return result


def _cable_traces(
    seg: _Segments, mid: dict[str, _Columns], cable_width: float
) -> list[dict[str, Any]]:
    """One line trace per cable class (and failed), then one hover trace each."""
    present = {c for c in CABLE_CLASSES if seg[c][0] or mid[c]["x"]}
    traces = []
    for c in _CABLE_KEYS:
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
    for c in _CABLE_KEYS:
        traces.append(
            _scatter(
                x=mid[c]["x"],
                y=mid[c]["y"],
                hovertext=mid[c]["text"],
                mode="markers",
                name=f"cable hover {c}",
                legendgroup=c,
                showlegend=False,
                marker=dict(size=8, opacity=0, color=FAILED_HEX if c == "failed" else CLASS_HEX[c]),
                hoverinfo="text",
            )
        )
    return traces


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
    return f"{esc(subnet)} ({esc(cidr)})" if cidr else esc(subnet)


def _cable_hover(s: _Scene, u: str, sw: str, d: dict[str, Any]) -> str:
    """Hover text of the cable from ``u`` to ``sw`` (a switch, or the core)."""
    port = d.get("switch_port")
    to = f"{esc(sw)} port {esc(port)}" if port else esc(sw)
    if sw == "core":
        to = "production core"
    lines = [f"<b>{esc(u)} → {to}</b>", f"{esc(CLASS_LABELS[d['traffic_class']])}"]
    a = s.G.nodes[u]
    if a["kind"] == "nic":
        lines.append(f"NIC card: {esc(a['card'])}")
    if d.get("subnet"):
        lines.append(f"subnet: {_subnet_text(d['subnet'], s.networks)}")
    return "<br>".join(lines)


# --------------------------------------------------------------------- points, labels


def _nic_points(s: _Scene) -> _Columns:
    """The NIC ports: position, colour (class, or grey when down) and hover text."""
    nics = _Columns("x", "y", "colour", "text")
    for nic in nodes_of_kind(s.G, "nic"):
        if nic not in s.geo.pos:
            continue
        a = s.G.nodes[nic]
        x, y = s.geo.pos[nic]
        sw = a["switch"]
        nics.add(
            x,
            y,
            FAILED_HEX if nic in s.down else CLASS_HEX[a["traffic_class"]],
            f"<b>{esc(nic)}</b>{s.tag(nic)}<br>{esc(a['traffic_class'])} connection "
            f"{a['member']}<br>NIC card: {esc(a['card'])}<br>switch: {esc(sw)}, port "
            f"{s.port_of(nic, sw)}<br>subnet: {_subnet_text(a['subnet'], s.networks)}",
        )
    for bundle, (key, text) in _bundles(s).items():  # after the drawn hosts' ports
        x, y = s.geo.pos[bundle]
        cls = s.geo.group.traffic_class[bundle] if s.geo.group else ""
        nics.add(x, y, FAILED_HEX if key == "failed" else CLASS_HEX[cls], text)
    return nics


def _component_trace(s: _Scene) -> dict[str, Any]:
    """The other components as markers: SAN portals, uplinks, ISLs."""
    comp = _Columns("x", "y", "colour", "symbol", "size", "text")

    def component(node: str, colour: str, symbol: str, size: int, text: str) -> None:
        x, y = s.geo.pos[node]
        comp.add(x, y, FAILED_HEX if node in s.down else colour, symbol, size, text + s.tag(node))

    for portal in nodes_of_kind(s.G, "san_port"):
        sw = s.G.nodes[portal]["switch"]
        component(
            portal,
            CLASS_HEX["storage"],
            "square",
            11,
            f"<b>{esc(portal)}</b>: iSCSI target portal<br>subnet: "
            f"{_subnet_text(s.G.nodes[portal]['subnet'], s.networks)}<br>switch: {esc(sw)}, "
            f"port {s.port_of(portal, sw)}",
        )
    for up in nodes_of_kind(s.G, "uplink"):
        sw = s.G.nodes[up]["switch"]
        component(
            up,
            CLASS_HEX["production"],
            "diamond",
            10,
            f"<b>{esc(up)}</b>: uplink to the production core<br>switch: {esc(sw)}, port "
            f"{s.port_of(sw, up)}",
        )
    for isl in nodes_of_kind(s.G, "isl"):
        ends = ", ".join(f"{esc(sw)} port {s.port_of(sw, isl)}" for sw in s.G.neighbors(isl))
        component(
            isl, CLASS_HEX["isl"], "diamond", 10, f"<b>{esc(isl)}</b>: inter-switch link<br>{ends}"
        )
    return _scatter(
        x=comp["x"],
        y=comp["y"],
        hovertext=comp["text"],
        mode="markers",
        name="components",
        showlegend=False,
        marker=dict(
            size=comp["size"],
            color=comp["colour"],
            symbol=comp["symbol"],
            line=dict(width=1, color=_CHASSIS_LINE),
        ),
        hoverinfo="text",
    )


def _label_trace(
    s: _Scene, stride: int, font_size: int, ports_used: dict[str, dict[str, int]]
) -> dict[str, Any]:
    """Labels of the hosts, switches, SAN, portals and core (with hover for the boxes
    they name); every ``stride``-th host is labelled (and the last)."""
    labels = _Columns("x", "y", "text", "hover", "position")

    def label(x: float, y: float, text: str, hover: str) -> None:
        labels.add(x, y, text, hover, "middle center")

    G, design = s.G, s.design
    for i, host in enumerate(s.hosts):
        x0, _, x1, _ = s.geo.boxes[host]
        host_cards = [m for m in G.neighbors(host) if G.nodes[m]["kind"] == "nic_card"]
        n_nics = sum(1 for c in host_cards for m in G.neighbors(c) if G.nodes[m]["kind"] == "nic")
        text = esc(host) if i % stride == 0 or i == len(s.hosts) - 1 else ""
        label(
            (x0 + x1) / 2,
            (CARD_TOP + HOST_TOP) / 2 if stride == 1 else HOST_TOP + 0.22,
            text,
            f"<b>{esc(host)}</b>{s.tag(host)}<br>Hyper-V host: "
            f"{plural(n_nics, 'network connection')} on {plural(len(host_cards), 'NIC card')}",
        )
    _group_labels(s, label)
    units_used = switch_units(ports_used, design.switch_ports_per_unit)
    for sw in nodes_of_kind(G, "switch"):
        x0, y0, x1, y1 = s.geo.boxes[sw]
        p = ports_used[sw]
        label(
            (x0 + x1) / 2,
            (y0 + y1) / 2,
            f"<b>{esc(sw)}</b>",
            f"<b>{esc(sw)}</b>{s.tag(sw)}<br>ports used: {p['host']} host, {p['san']} SAN, "
            f"{p['uplink']} uplink, {p['isl']} ISL = {p['total']}<br>"
            f"{plural(units_used[sw], 'unit')} of {design.switch_ports_per_unit} ports",
        )
    x0, y0, x1, y1 = s.geo.boxes["san"]
    portals = nodes_of_kind(G, "san_port")
    label(
        (x0 + x1) / 2,
        (y0 + y1) / 2 - 0.1,
        "<b>iSCSI SAN</b>",
        f"<b>iSCSI SAN</b>{s.tag('san')}<br>{plural(len(portals), 'target portal')}; multipath: "
        f"{esc(design.storage_multipath.upper())}",
    )
    for portal in portals:
        x, y = s.geo.pos[portal]
        label(x, y - 0.3, esc(portal.removeprefix("san-")), f"<b>{esc(portal)}</b>")
    cx, cy = s.geo.pos["core"]
    label(
        cx,
        cy,
        "production core",
        f"<b>production network core</b><br>{plural(len(nodes_of_kind(G, 'uplink')), 'uplink')}; "
        "outside the design (does not fail)",
    )
    return _scatter(
        x=labels["x"],
        y=labels["y"],
        text=labels["text"],
        hovertext=labels["hover"],
        textposition=labels["position"],
        mode="text",
        name="labels",
        showlegend=False,
        textfont=dict(size=font_size, color="#1f2933", family=_FONT),
        hoverinfo="text",
    )


def _group_labels(s: _Scene, label: Any) -> None:
    """The group's label ("+ 61 hosts alike"), its failures, and the count on each
    bundle (near the group's end)."""
    group = s.geo.group
    if group is None:
        return
    x0, _, x1, _ = s.geo.boxes[GROUP]
    hosts = group.hosts
    first = s.G.nodes
    n_nics = sum(1 for n in s.G.nodes if first[n]["kind"] == "nic" and first[n]["host"] == hosts[0])
    down = sorted((n for n in s.down if s.grouped(n)), key=lambda n: list(s.G.nodes).index(n))
    hover = (
        f"<b>{plural(len(hosts), 'host')} alike</b>: {esc(hosts[0])} to {esc(hosts[-1])}, "
        f"drawn as one<br>each with {plural(n_nics, 'network connection')} laid out as "
        f"{esc(s.hosts[0]) if s.hosts else 'the others'}'s<br>every host: the draw.io file "
        "(hvdesign figure topology -o design.drawio)"
    )
    if down:
        hover += f"<br><b>down</b>: {esc(', '.join(down))}"
    text = f"<b>+ {plural(len(hosts), 'host')} alike</b><br>{esc(hosts[0])} to {esc(hosts[-1])}"
    named = [n for n in s.named if s.grouped(n)]
    if named:
        text += f"<br>failed: {esc(', '.join(named))}"
    label((x0 + x1) / 2, (CARD_TOP + HOST_TOP) / 2 - 0.2, text, hover)
    for bundle, nics in group.bundles.items():
        (px, py), (qx, qy) = s.geo.pos[bundle], s.geo.port[group.switch[bundle], bundle]
        t = 0.18
        label(px + t * (qx - px), py + t * (qy - py), f"×{len(nics)}", f"{len(nics)} cables")


def _failed_trace(s: _Scene, named_failed: list[str]) -> dict[str, Any]:
    """An "X" on every component named in ``failed``: inside a failed box at its left
    end, beside the box's label (never over it, so the name stays readable)."""
    marks = _Columns("x", "y", "text")
    n_grouped = 0
    for node in named_failed:
        if s.grouped(node):  # marked on the group, side by side
            x0, y0, x1, y1 = s.geo.boxes[GROUP]
            x, y = x0 + 0.2 + 0.25 * (n_grouped % 6), HOST_BOTTOM + 0.25
            n_grouped += 1
        elif node in s.geo.boxes:
            x0, y0, x1, y1 = s.geo.boxes[node]
            x, y = x0 + min(0.1, (x1 - x0) / 4), (y0 + y1) / 2
            if node == "san":
                y -= 0.1
            elif s.G.nodes[node]["kind"] == "host":
                y = (CARD_TOP + HOST_TOP) / 2
        else:
            x, y = s.geo.pos[node]
        marks.add(x, y, f"<b>{esc(node)}</b> failed")
    return _scatter(
        x=marks["x"],
        y=marks["y"],
        hovertext=marks["text"],
        mode="markers",
        name="failed component",
        showlegend=bool(marks["x"]),
        marker=dict(size=16, color="#5a5a5a", symbol="x-thin", line=dict(width=3, color="#5a5a5a")),
        hoverinfo="text",
    )
