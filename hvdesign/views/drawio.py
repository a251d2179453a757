"""The topology as an editable diagrams.net (draw.io) file: ``hvdesign figure topology
TARGET -o design.drawio``.

:func:`drawio_xml` writes an UNCOMPRESSED mxfile (``mxfile > diagram > mxGraphModel >
root > mxCell``), laid out like the topology figure (:func:`hvdesign.views.layout.
geometry`, the same rows: hosts with their NIC cards and ports at the top, the
switches, the production core, the SAN with its target portals at the bottom). It is
the WHOLE drawing at any node count: every host, every port, every cable (the plotly
figure groups hosts alike from 16 hosts on; this file does not).

Cells and their ids (stable, so a test or a script can find them):

- devices (vertices): ``device:<name>`` for hosts, switches, ``san`` and ``core``;
  ``card:<name>`` for NIC cards (inside their host);
- ports (vertices): ``port:<nic>`` for NIC ports, ``port:<san-portN>`` for SAN target
  portals, ``port:<switch>:<unit/port>`` for switch ports, ``port:core:<uplink>`` for
  the core's end of an uplink;
- cables (edges, one per row of :func:`hvdesign.plans.cabling_plan`): ``cable:<cable>``,
  from the device end's port to the switch port, stroked in the guide's class colour
  (:data:`hvdesign.spec.CLASS_HEX`);
- text: ``text:title`` and ``legend:<class>``.

Labels carry port names and addresses (from :func:`hvdesign.plans.ip_plan`): a NIC
port its own address (MPIO/MCS storage, heartbeat) or its team's (production,
management), a host its BMC, a switch and the SAN their management addresses, a
portal its address. Every label is plain text (no ``html=1``) and XML-escaped by
:mod:`xml.etree.ElementTree`.

References
----------
[1] diagrams.net file format: mxGraph's XML model (``mxGraphModel``, ``mxCell`` with
    ``vertex``/``edge``, ``mxGeometry``), as saved uncompressed by diagrams.net.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

from hvdesign.errors import HvdesignError
from hvdesign.spec import CLASS_HEX, Design
from hvdesign.topology import build_graph, nodes_of_kind
from hvdesign.views.layout import HOST_TOP, SAN_BOTTOM, Geometry, geometry

if TYPE_CHECKING:
    import networkx as nx

#: Pixels per diagram unit, across and down (a host's slot is 150 px wide).
PX_X, PX_Y = 150.0, 100.0
#: Margin around the drawing and room for the title above it [px].
MARGIN_PX, TITLE_PX = 40.0, 70.0
#: The narrowest page [px]: room for the title and the legend.
MIN_WIDTH_PX = 1040.0
#: Side of a port square [px].
PORT_PX = 10.0

_FONT = "fontFamily=Helvetica;"
_STYLE = {
    "host": "rounded=1;arcSize=6;fillColor=#eef1f5;strokeColor=#56606b;verticalAlign=top;"
    "fontStyle=1;fontSize=11;whiteSpace=wrap;",
    "nic_card": "rounded=0;fillColor=#ffffff;strokeColor=#9aa3ad;verticalAlign=top;"
    "align=left;spacingLeft=2;fontSize=8;fontColor=#56606b;",
    "switch": "rounded=1;arcSize=10;fillColor=#eef1f5;strokeColor=#56606b;fontStyle=1;"
    "fontSize=12;whiteSpace=wrap;",
    "san": "rounded=1;arcSize=8;fillColor=#eef1f5;strokeColor=#56606b;fontStyle=1;"
    "fontSize=12;verticalAlign=bottom;whiteSpace=wrap;",
    "core": "ellipse;fillColor=#eef1f5;strokeColor=#56606b;fontSize=11;whiteSpace=wrap;",
    "port": "rounded=0;strokeColor=#ffffff;fontSize=8;horizontal=0;labelPosition=center;"
    "verticalLabelPosition=top;align=left;verticalAlign=middle;",
    "switch_port": "rounded=0;fillColor=#ffffff;strokeColor=#56606b;fontSize=7;"
    "horizontal=0;labelPosition=center;verticalLabelPosition=bottom;align=right;"
    "verticalAlign=middle;",
    "text": "text;align=left;verticalAlign=top;whiteSpace=wrap;fontSize=12;",
}


class _Cells:
    """The ``root`` element of the diagram and the cells added to it."""

    def __init__(self, root: ET.Element, top: float) -> None:
        self.root = root
        self.top = top  # the highest y [diagram units], drawn at the top
        self.ids: set[str] = set()

    def x(self, x: float) -> float:
        return round(MARGIN_PX + x * PX_X, 1)

    def y(self, y: float) -> float:
        return round(MARGIN_PX + TITLE_PX + (self.top - y) * PX_Y, 1)

    def vertex(
        self,
        cell_id: str,
        value: str,
        style: str,
        geo: tuple[float, float, float, float],
        parent: str = "1",
    ) -> None:
        """A vertex at ``geo`` = (x, y, width, height) [px, absolute]."""
        assert cell_id not in self.ids, cell_id  # ids are unique by construction
        self.ids.add(cell_id)
        attrib = {"id": cell_id, "value": value, "style": _FONT + style}
        cell = _element(self.root, "mxCell", **attrib, vertex="1", parent=parent)
        x, y, w, h = geo
        size = {"width": _num(w), "height": _num(h)}
        _element(cell, "mxGeometry", x=_num(x), y=_num(y), **size, **{"as": "geometry"})

    def box(self, cell_id: str, value: str, style: str, box: tuple[float, ...]) -> None:
        """A vertex drawn over a layout box (x0, y0, x1, y1) [diagram units]."""
        x0, y0, x1, y1 = box
        self.vertex(
            cell_id, value, style, (self.x(x0), self.y(y1), (x1 - x0) * PX_X, (y1 - y0) * PX_Y)
        )

    def port(self, cell_id: str, value: str, style: str, point: tuple[float, float]) -> None:
        """A port square centred on ``point`` [diagram units]."""
        half = PORT_PX / 2
        self.vertex(
            cell_id,
            value,
            style,
            (self.x(point[0]) - half, self.y(point[1]) - half, PORT_PX, PORT_PX),
        )

    def edge(self, cell_id: str, value: str, source: str, target: str, colour: str) -> None:
        """A straight cable from ``source`` to ``target`` in ``colour``."""
        assert cell_id not in self.ids and {source, target} <= self.ids, cell_id
        self.ids.add(cell_id)
        style = (
            f"{_FONT}endArrow=none;startArrow=none;html=0;strokeWidth=2;"
            f"strokeColor={colour};fontSize=8;labelBackgroundColor=#ffffff;"
        )
        attrib = {"id": cell_id, "value": value, "style": style, "edge": "1", "parent": "1"}
        cell = _element(self.root, "mxCell", **attrib, source=source, target=target)
        _element(cell, "mxGeometry", relative="1", **{"as": "geometry"})


def _element(into: ET.Element, tag: str, /, **attrib: str) -> ET.Element:
    """A child element with attributes (``parent`` and ``as`` are attributes too)."""
    return ET.SubElement(into, tag, attrib)


def _num(v: float) -> str:
    """A coordinate [px] to 0.1 px, as diagrams.net writes it (no ``.0``).

    >>> _num(40.0), _num(63.25), _num(1234567.0)
    ('40', '63.2', '1234567')
    """
    return f"{v:.1f}".removesuffix(".0")


def drawio_xml(design: Design, G: nx.Graph | None = None, **plan_options: Any) -> str:
    """The whole topology of ``design`` as an uncompressed diagrams.net file.

    Parameters
    ----------
    design : Design
        The design to draw.
    G : networkx.Graph, optional
        Its graph (:func:`hvdesign.topology.build_graph`; built if not given).
    **plan_options
        ``vlans``, ``mtu``, ``oob``, ``cluster_roles`` for the addresses
        (:func:`hvdesign.plans.ip_plan`).

    Returns
    -------
    str
        The XML text (UTF-8 declaration, ``<mxfile>`` root); see the module docstring
        for the cells. A design whose subnets cannot hold its addresses is still drawn,
        without addresses, and the title says why.

    Examples
    --------
    >>> import xml.etree.ElementTree as ET
    >>> from hvdesign.spec import design_from_tier
    >>> root = ET.fromstring(drawio_xml(design_from_tier("cluster-redundant-path", nodes=4)))
    >>> cells = root.findall("./diagram/mxGraphModel/root/mxCell")
    >>> sum(c.get("edge") == "1" for c in cells)  # one edge per cable: 24 + 2 + 2 + 1
    29
    """
    from hvdesign.plans import cabling_plan, ip_plan

    G = build_graph(design) if G is None else G
    geo = geometry(G)
    try:
        plan = ip_plan(design, G, **plan_options)
        addresses = dict(zip(plan.interface, plan.address, strict=True))
        note = ""
    except HvdesignError as err:
        addresses, note = {}, f"\naddresses not shown: {err}"
    mxfile = ET.Element("mxfile", host="hvdesign", type="device")
    diagram = ET.SubElement(mxfile, "diagram", id="topology", name=design.title)
    width_px = max(2 * MARGIN_PX + (geo.width + 0.5) * PX_X, MIN_WIDTH_PX)
    height_px = 2 * MARGIN_PX + TITLE_PX + (HOST_TOP + 0.3 - SAN_BOTTOM + 0.4) * PX_Y
    model = ET.SubElement(
        diagram,
        "mxGraphModel",
        dx=_num(width_px),
        dy=_num(height_px),
        grid="1",
        gridSize="10",
        guides="1",
        tooltips="1",
        connect="1",
        arrows="0",
        fold="1",
        page="1",
        pageScale="1",
        pageWidth=_num(round(width_px)),
        pageHeight=_num(round(height_px)),
        math="0",
        shadow="0",
    )
    root = ET.SubElement(model, "root")
    _element(root, "mxCell", id="0")
    _element(root, "mxCell", id="1", parent="0")
    cells = _Cells(root, HOST_TOP + 0.3)
    _title(cells, design, G, note, width_px)
    _devices(cells, G, geo, addresses)
    _ports(cells, G, geo, addresses)
    for r in cabling_plan(design, G, **_cabling_options(plan_options)).itertuples():
        _cable(cells, G, r)
    ET.indent(mxfile)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(mxfile, encoding="unicode") + "\n"
    )


def _cabling_options(plan_options: dict[str, Any]) -> dict[str, Any]:
    """The options of :func:`ip_plan` that the cabling plan takes too."""
    return {k: v for k, v in plan_options.items() if k in ("vlans", "mtu")}


def _title(cells: _Cells, design: Design, G: nx.Graph, note: str, width_px: float) -> None:
    """The title (the design's name, its pattern, counts) and a legend of colours."""
    n_hosts = len(nodes_of_kind(G, "host"))
    n_nics = len(nodes_of_kind(G, "nic"))
    text = (
        f"{design.title}\n{design.tier_info.figure} pattern · {n_hosts} "
        f"host{'s' if n_hosts != 1 else ''} · {n_nics} host connections{note}"
    )
    cells.vertex(
        "text:title", text, _STYLE["text"], (MARGIN_PX, 10.0, width_px - 2 * MARGIN_PX, 50.0)
    )
    labels = {
        "production": "production (VM traffic)",
        "storage": "storage (iSCSI)",
        "heartbeat": "heartbeat (cluster)",
        "management": "management + Live Migration",
        "isl": "inter-switch link",
    }
    for k, (cls, label) in enumerate(labels.items()):
        cells.vertex(
            f"legend:{cls}",
            label,
            f"text;align=left;verticalAlign=middle;fontSize=10;fontColor={CLASS_HEX[cls]};"
            "fontStyle=1;",
            (MARGIN_PX + k * 190.0, 62.0, 185.0, 20.0),
        )


def _devices(cells: _Cells, G: nx.Graph, geo: Geometry, addresses: dict[str, str]) -> None:
    """Hosts (with their cards), switches, SAN and core, each over its layout box."""

    def line(label: str, interface: str) -> str:
        return f"\n{label} {addresses[interface]}" if interface in addresses else ""

    for host in nodes_of_kind(G, "host"):
        teams = "".join(
            line(cls, f"{host}-{cls}") for cls in ("production", "management", "storage")
        )
        cells.box(
            f"device:{host}",
            host + line("BMC", f"{host}-bmc") + teams,
            _STYLE["host"],
            geo.boxes[host],
        )
        for card in (m for m in G.neighbors(host) if G.nodes[m]["kind"] == "nic_card"):
            cells.box(f"card:{card}", card.split("-", 1)[1], _STYLE["nic_card"], geo.boxes[card])
    for sw in nodes_of_kind(G, "switch"):
        cells.box(f"device:{sw}", sw + line("mgmt", f"{sw}-mgmt"), _STYLE["switch"], geo.boxes[sw])
    cells.box("device:san", "iSCSI SAN" + line("mgmt", "san-mgmt"), _STYLE["san"], geo.boxes["san"])
    cells.box("device:core", "production core", _STYLE["core"], geo.boxes["core"])


def _ports(cells: _Cells, G: nx.Graph, geo: Geometry, addresses: dict[str, str]) -> None:
    """NIC ports, SAN portals, switch ports and the core's uplink ports."""
    for nic in nodes_of_kind(G, "nic"):
        a = G.nodes[nic]
        suffix = nic.split("-", 1)[1]
        address = addresses.get(nic, "")
        style = _STYLE["port"] + f"fillColor={CLASS_HEX[a['traffic_class']]};"
        cells.port(f"port:{nic}", f"{suffix} {address}".strip(), style, geo.pos[nic])
    for portal in nodes_of_kind(G, "san_port"):
        value = f"{portal.removeprefix('san-')} {addresses.get(portal, '')}".strip()
        style = (
            _STYLE["port"]
            + f"fillColor={CLASS_HEX['storage']};verticalLabelPosition=bottom;align=right;"
        )
        cells.port(f"port:{portal}", value, style, geo.pos[portal])
    for sw in nodes_of_kind(G, "switch"):
        for end in G.neighbors(sw):
            port = G.edges[sw, end]["switch_port"]
            style = _STYLE["switch_port"]
            if G.nodes[end]["kind"] == "nic":  # host ports on the top edge: label above
                style += "verticalLabelPosition=top;align=left;"
            cells.port(f"port:{sw}:{port}", port, style, geo.port[sw, end])
    for up in nodes_of_kind(G, "uplink"):
        cells.port(f"port:core:{up}", up, _STYLE["switch_port"], geo.port["core", up])


def _cable(cells: _Cells, G: nx.Graph, r: Any) -> None:
    """The edge of one row of the cabling plan."""
    switch_port = f"port:{r.switch}:{r.switch_port}"
    if r.traffic_class == "isl":
        source, value = f"port:{r.device}:{r.port}", f"{r.cable} ({r.tagged_vlans})"
    elif r.device == "core":
        source, value = f"port:core:{r.cable}", f"{r.cable} ({r.tagged_vlans})"
    else:
        source, value = f"port:{r.cable}", ""
    cells.edge(f"cable:{r.cable}", value, source, switch_port, CLASS_HEX[str(r.traffic_class)])
