"""The draw.io file (hvdesign.views.drawio, issue 14 items 1 and 5), parsed
independently with ElementTree: one vertex per device and per port of the design
graph, one edge per row of the cabling plan, every edge's ends resolving to vertices,
the stroke colour of each cable its class's (guide Fig 2.7, spec.CLASS_HEX), labels
escaped, the whole drawing at 64 hosts.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from hvdesign.plans import cabling_plan, ip_plan
from hvdesign.spec import CLASS_HEX, TIERS, design_from_tier
from hvdesign.topology import build_graph, nodes_of_kind
from hvdesign.views.drawio import drawio_xml

CASES = [
    (tier, {"nodes": n})
    for tier in TIERS
    for n in ((1, 2) if tier.startswith("single") else (2, 5))
] + [
    ("cluster-redundant-path", {"nodes": 3, "san_portals": 3, "uplinks_per_switch": 2}),
    ("cluster-redundant-path", {"nodes": 3, "isl_links": 2, "nic_ports_per_card": 4}),
    ("cluster-redundant-connections", {"nodes": 2, "uplinks_per_switch": 0}),
]


def _cells(text: str) -> list[ET.Element]:
    root = ET.fromstring(text)
    assert root.tag == "mxfile"
    (diagram,) = root.findall("diagram")
    assert diagram.text is None or not diagram.text.strip()  # uncompressed: XML inside
    return diagram.findall("./mxGraphModel/root/mxCell")


def _style(cell: ET.Element) -> dict[str, str]:
    pairs = [p.split("=", 1) for p in cell.get("style", "").split(";") if "=" in p]
    return dict(pairs)


@pytest.mark.parametrize("tier, options", CASES)
def test_one_vertex_per_device_and_port_one_edge_per_cable(tier, options):
    design = design_from_tier(tier, **options)
    G = build_graph(design)
    cells = _cells(drawio_xml(design, G))
    ids = [c.get("id") for c in cells]
    assert len(ids) == len(set(ids))
    vertices = {c.get("id"): c for c in cells if c.get("vertex") == "1"}
    edges = [c for c in cells if c.get("edge") == "1"]
    # devices: hosts, NIC cards, switches, SAN, core (from the graph)
    expected_devices = {
        f"device:{n}" for k in ("host", "switch", "san", "core") for n in nodes_of_kind(G, k)
    } | {f"card:{n}" for n in nodes_of_kind(G, "nic_card")}
    assert {i for i in vertices if i.startswith(("device:", "card:"))} == expected_devices
    # ports: every NIC port and portal, every switch port in use, the core's uplink ends
    switch_ports = {
        f"port:{sw}:{G.edges[sw, m]['switch_port']}"
        for sw in nodes_of_kind(G, "switch")
        for m in G.neighbors(sw)
    }
    expected_ports = (
        {f"port:{n}" for n in nodes_of_kind(G, "nic") + nodes_of_kind(G, "san_port")}
        | switch_ports
        | {f"port:core:{u}" for u in nodes_of_kind(G, "uplink")}
    )
    assert {i for i in vertices if i.startswith("port:")} == expected_ports
    # one edge per cable of the cabling plan, both ends resolve to vertices
    plan = cabling_plan(design, G)
    assert sorted(e.get("id") for e in edges) == sorted(f"cable:{c}" for c in plan.cable)
    colour = dict(zip(plan.cable, plan.traffic_class, strict=True))
    for e in edges:
        assert e.get("source") in vertices and e.get("target") in vertices
        assert e.get("target").startswith("port:switch-")  # the switch end last
        cls = colour[e.get("id").removeprefix("cable:")]
        assert _style(e)["strokeColor"] == CLASS_HEX[cls]
        geometry = e.find("mxGeometry")
        assert geometry is not None and geometry.get("relative") == "1"
    # every vertex has a geometry with a size
    for v in vertices.values():
        g = v.find("mxGeometry")
        assert g is not None and float(g.get("width")) > 0 and float(g.get("height")) > 0


def test_nic_cables_run_from_their_port_to_their_switch_port():
    design = design_from_tier("cluster-redundant-path", nodes=4)
    G = build_graph(design)
    edges = {c.get("id"): c for c in _cells(drawio_xml(design, G)) if c.get("edge") == "1"}
    e = edges["cable:host3-s2"]
    port = G.edges["host3-s2", "switch-b"]["switch_port"]
    assert (e.get("source"), e.get("target")) == ("port:host3-s2", f"port:switch-b:{port}")
    isl = edges["cable:isl1"]
    assert isl.get("source").startswith("port:switch-a:")
    assert isl.get("target").startswith("port:switch-b:")


def test_labels_carry_port_names_and_addresses():
    design = design_from_tier("cluster-redundant-path", nodes=2)
    plan = ip_plan(design)
    address = dict(zip(plan.interface, plan.address, strict=True))
    cells = {c.get("id"): c for c in _cells(drawio_xml(design))}
    assert cells["port:host2-s1"].get("value") == f"s1 {address['host2-s1']}"
    assert address["host1-bmc"] in cells["device:host1"].get("value")
    assert address["host1-production"] in cells["device:host1"].get("value")  # the team's
    assert address["switch-a-mgmt"] in cells["device:switch-a"].get("value")
    assert address["san-mgmt"] in cells["device:san"].get("value")
    assert cells["port:san-port1"].get("value") == f"port1 {address['san-port1']}"


def test_user_text_round_trips_escaped():
    name = """Contoso <&"'> cluster"""
    text = drawio_xml(design_from_tier("cluster-minimal", nodes=2, name=name))
    assert name not in text  # never raw in the file
    root = ET.fromstring(text)
    assert root.find("diagram").get("name") == name
    (title,) = [c for c in root.iter("mxCell") if c.get("id") == "text:title"]
    assert title.get("value").splitlines()[0] == name
    assert "html=1" not in title.get("style")  # plain text: not parsed as HTML either


def test_the_whole_drawing_at_64_hosts():
    # The plotly figure groups hosts alike from 16 on; the draw.io file never does.
    design = design_from_tier("cluster-redundant-path", nodes=64)
    G = build_graph(design)
    cells = _cells(drawio_xml(design, G))
    hosts = [c for c in cells if c.get("id", "").startswith("device:host")]
    assert len(hosts) == 64
    assert sum(c.get("edge") == "1" for c in cells) == len(cabling_plan(design, G)) == 64 * 6 + 5
    # hosts side by side, none overlapping
    xs = sorted(float(c.find("mxGeometry").get("x")) for c in hosts)
    widths = float(hosts[0].find("mxGeometry").get("width"))
    assert all(b - a >= widths for a, b in zip(xs, xs[1:], strict=False))


def test_a_design_whose_subnets_are_too_small_is_drawn_without_addresses():
    design = design_from_tier(
        "cluster-redundant-path", nodes=64, subnets={"management": "10.20.0.0/26"}
    )
    cells = {c.get("id"): c for c in _cells(drawio_xml(design))}
    assert "addresses not shown: subnets.management" in cells["text:title"].get("value")
    assert cells["port:host1-s1"].get("value") == "s1"
