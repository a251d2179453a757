"""The design as the CSV files an EMPTY NetBox 4.x needs to hold it, one file per
object type in import order (``01-sites.csv`` to ``10-cables.csv``), each pasted into
NetBox's bulk import (``/<app>/<object>/import/``, format CSV) in turn.

What each file holds (``NN-<object>``: NetBox's own URL name of the object):

- ``01-sites``: one site, the design (its name; planned).
- ``02-manufacturers``: one placeholder manufacturer, ``Generic`` (replace it).
- ``03-device-roles``: Hyper-V host, iSCSI switch, iSCSI SAN, production core.
- ``04-device-types``: one type per role (the catalog's 10/25 GbE SFP28 parts).
- ``05-devices``: the hosts, the switches, the SAN and the production core (planned).
  A logical switch that spans several units (a stack) is one device with ports
  ``unit/port``.
- ``06-interfaces``: on each host its NIC ports (``p1``, ``s1``, ...; the NIC card in
  the label), one interface per teamed address of the IP plan (``production``: a LAG
  whose members are the team's ports; a "team" of one port is a virtual interface on
  that port) and its BMC; on each switch every used port (``1/1``, ...) and its
  management port; on the SAN its target portals (``port1``, ...) and management
  port; on the core one port per uplink (``uplink-a1``). Ports are 25GBASE-X SFP28
  (the catalog's parts), BMC and management ports 1000BASE-T (management only). MTU
  [bytes] as in the IP plan.
- ``07-vlans``: one VLAN per subnet of the IP plan (at the site; reserved).
- ``08-prefixes``: one prefix per subnet, on its VLAN (reserved).
- ``09-ip-addresses``: every address of the IP plan with its prefix length, assigned
  to its device's interface; the gateways and the cluster name (role VIP) are not on
  a design device and are unassigned. No primary or out-of-band IP is set: NetBox's
  form reads an empty ``is_primary``/``is_oob`` as "clear it", so one column cannot
  set a device's primary address without clearing it on that device's next row.
- ``10-cables``: every cable of the cabling plan (:func:`hvdesign.plans.netbox_cables`,
  planned, in the guide's colours).

The order is issue 14's (interfaces before VLANs), so interfaces carry no 802.1Q mode
(an interface's ``untagged_vlan`` must name a VLAN already imported); each interface's
description names its subnet and VLAN, or the VLANs a trunk (uplink, ISL) tags.
Statuses: planned where NetBox has it (site, devices, cables), else reserved. Values are those NetBox
4.x's import forms accept (``netbox/dcim/forms/bulk_import.py``,
``netbox/ipam/forms/bulk_import.py``): lowercase choice slugs, colours as six hex
digits, no byte-order mark. Proven by importing them into an empty NetBox 4.7
(``tests/netbox``, ``make netbox-test``).
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hvdesign.datafiles import write_text_atomic
from hvdesign.errors import HvdesignError
from hvdesign.plans import OOB_SUBNET, cabling_plan, ip_plan, netbox_cables, subnets_info
from hvdesign.spec import CLASS_HEX, Design
from hvdesign.topology import build_graph, nodes_of_kind

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

#: The files, in import order, with NetBox's URL name of the object and its app.
FILES: dict[str, tuple[str, str]] = {
    "01-sites.csv": ("dcim", "sites"),
    "02-manufacturers.csv": ("dcim", "manufacturers"),
    "03-device-roles.csv": ("dcim", "device-roles"),
    "04-device-types.csv": ("dcim", "device-types"),
    "05-devices.csv": ("dcim", "devices"),
    "06-interfaces.csv": ("dcim", "interfaces"),
    "07-vlans.csv": ("ipam", "vlans"),
    "08-prefixes.csv": ("ipam", "prefixes"),
    "09-ip-addresses.csv": ("ipam", "ip-addresses"),
    "10-cables.csv": ("dcim", "cables"),
}

#: Header of each file (every column one that NetBox 4.x's import form knows).
HEADERS: dict[str, list[str]] = {
    "01-sites.csv": ["name", "slug", "status", "description"],
    "02-manufacturers.csv": ["name", "slug", "description"],
    "03-device-roles.csv": ["name", "slug", "color", "description"],
    "04-device-types.csv": ["manufacturer", "model", "slug", "u_height", "description"],
    "05-devices.csv": [
        "name",
        "role",
        "manufacturer",
        "device_type",
        "status",
        "site",
        "description",
    ],
    "06-interfaces.csv": [
        "device",
        "name",
        "label",
        "type",
        "lag",
        "parent",
        "mtu",
        "mgmt_only",
        "description",
    ],
    "07-vlans.csv": ["site", "vid", "name", "status", "description"],
    "08-prefixes.csv": ["prefix", "status", "vlan_site", "vlan", "description"],
    "09-ip-addresses.csv": [
        "address",
        "status",
        "role",
        "device",
        "interface",
        "description",
    ],
    "10-cables.csv": [
        "side_a_device",
        "side_a_type",
        "side_a_name",
        "side_b_device",
        "side_b_type",
        "side_b_name",
        "status",
        "label",
        "color",
    ],
}

MANUFACTURER = "Generic"

#: Interface type slugs (NetBox's InterfaceTypeChoices).
PORT_TYPE = "25gbase-x-sfp28"  # the catalog's 10/25 GbE SFP28 NIC, switch and SAN ports
MANAGEMENT_PORT_TYPE = "1000base-t"


@dataclass(frozen=True)
class Role:
    """A device role and the one device type of its devices."""

    name: str
    slug: str
    color: str  # six hex digits, no '#'
    model: str
    u_height: int
    description: str


#: Device roles by graph node kind; the colours are the guide's where a class owns
#: the device (storage red for the SAN), NetBox's own palette otherwise.
ROLES: dict[str, Role] = {
    "host": Role(
        "Hyper-V host", "hyper-v-host", "2196f3", "Hyper-V host", 2, "two-socket Hyper-V host"
    ),
    "switch": Role(
        "iSCSI switch",
        "iscsi-switch",
        "ff9800",
        "10/25 GbE SFP28 switch",
        1,
        "10/25 GbE SFP28 data-centre switch",
    ),
    "san": Role(
        "iSCSI SAN",
        "iscsi-san",
        CLASS_HEX["storage"].lstrip("#"),
        "iSCSI SAN",
        2,
        "dual-controller iSCSI SAN",
    ),
    "core": Role(
        "Production core",
        "production-core",
        CLASS_HEX["production"].lstrip("#"),
        "Production core",
        1,
        "the production network the uplinks reach (outside the design)",
    ),
}

#: NetBox's limits on the fields filled from user text [characters].
SITE_NAME_MAX = 100
SLUG_MAX = 100


def netbox_files(
    design: Design,
    G: nx.Graph | None = None,
    *,
    vlans: Mapping[str, Any] | None = None,
    mtu: Mapping[str, int] | None = None,
    oob: str = OOB_SUBNET,
    cluster_roles: Mapping[str, int | None] | None = None,
) -> dict[str, str]:
    """The CSV files an empty NetBox 4.x needs to hold ``design``, in import order:
    ``{file name: CSV text}`` (see the module docstring for what each holds).

    ``vlans``, ``mtu``, ``oob`` and ``cluster_roles`` are the IP plan's options
    (:func:`hvdesign.plans.subnets_info`), passed to the IP and cabling plans.

    Raises :class:`HvdesignError` (field ``name``) when the design's name is longer
    than a NetBox site name may be (100 characters).

    >>> from hvdesign.spec import design_from_tier
    >>> files = netbox_files(design_from_tier("cluster-redundant-path", nodes=4))
    >>> list(files)[:3], files["05-devices.csv"].count("\\n")  # header + 4 + 2 + 2
    (['01-sites.csv', '02-manufacturers.csv', '03-device-roles.csv'], 9)
    """
    G = build_graph(design) if G is None else G
    site = site_name(design)
    plan = ip_plan(design, G, vlans=vlans, mtu=mtu, oob=oob, cluster_roles=cluster_roles)
    cables = cabling_plan(design, G, vlans=vlans, mtu=mtu)
    info = subnets_info(design, vlans=vlans, mtu=mtu, oob=oob, cluster_roles=cluster_roles)
    rows: dict[str, Iterable[Sequence[Any]]] = {
        "01-sites.csv": [(site, site_slug(design), "planned", f"hvdesign: {design.tier}")],
        "02-manufacturers.csv": [(MANUFACTURER, "generic", "placeholder: replace it")],
        "03-device-roles.csv": [(r.name, r.slug, r.color, r.description) for r in ROLES.values()],
        "04-device-types.csv": [
            (MANUFACTURER, r.model, r.slug, r.u_height, r.description) for r in ROLES.values()
        ],
        "05-devices.csv": _device_rows(G, site),
        "06-interfaces.csv": _interface_rows(G, plan, cables),
        "07-vlans.csv": [
            (site, s.vlan, s.subnet, "reserved", f"{s.traffic_class} ({s.network})")
            for s in info.values()
        ],
        "08-prefixes.csv": [
            (str(s.network), "reserved", site, s.vlan, _prefix_description(s))
            for s in info.values()
        ],
        "09-ip-addresses.csv": _address_rows(plan),
        "10-cables.csv": netbox_cables(cables).itertuples(index=False),
    }
    return {name: _csv(HEADERS[name], rows[name]) for name in FILES}


def write_netbox(
    design: Design, directory: str | os.PathLike[str], **plan_options: Any
) -> list[Path]:
    """Write :func:`netbox_files` into ``directory`` (an existing directory; each file
    written atomically) and return the paths in import order; ``plan_options`` as for
    :func:`netbox_files`.

    Raises :class:`HvdesignError` (field ``output``) when ``directory`` is not a
    directory, before anything is written.
    """
    where = Path(directory)
    if not where.is_dir():
        raise HvdesignError(
            "output", str(directory), "an existing directory for the NetBox CSV files"
        )
    files = netbox_files(design, **plan_options)  # computed first: bad input writes nothing
    return [write_text_atomic(where / name, text) for name, text in files.items()]


def site_name(design: Design) -> str:
    """The site's name: the design's title (at most :data:`SITE_NAME_MAX` characters)."""
    name = design.title
    if len(name) > SITE_NAME_MAX:
        raise HvdesignError(
            "name", name, f"at most {SITE_NAME_MAX} characters for a NetBox site name"
        )
    return name


def site_slug(design: Design) -> str:
    """The site's slug: the title in lowercase ASCII letters, digits and hyphens (the
    tier and node count when nothing of the title is left).

    >>> from hvdesign.spec import design_from_tier
    >>> site_slug(design_from_tier("cluster-minimal", nodes=2, name='Café "A", B&C'))
    'cafe-a-b-c'
    """
    ascii_name = unicodedata.normalize("NFKD", design.title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:SLUG_MAX].strip("-")
    return slug or f"{design.tier}-{design.nodes}"


def netbox_interface(device: str, interface: str) -> str:
    """The NetBox interface name of a plan's interface: its name without the device's
    prefix (``host1-s1`` -> ``s1``, ``switch-a-mgmt`` -> ``mgmt``).

    >>> netbox_interface("host1", "host1-production"), netbox_interface("san", "san-port1")
    ('production', 'port1')
    """
    return interface.removeprefix(f"{device}-")


def _csv(header: list[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV text (``\\n`` line ends, quoted where needed, no byte-order mark)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        if len(row) != len(header):  # a programming error, not bad input
            raise AssertionError(f"row {row!r} does not match header {header!r}")
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def _device_rows(G: nx.Graph, site: str) -> list[tuple[Any, ...]]:
    """One row per host, switch, SAN and core."""
    rows = []
    for kind in ("host", "switch", "san", "core"):
        role = ROLES[kind]
        for node in nodes_of_kind(G, kind):
            rows.append(
                (node, role.name, MANUFACTURER, role.model, "planned", site, G.nodes[node]["label"])
            )
    return rows


def _interface_rows(G: nx.Graph, plan: pd.DataFrame, cables: pd.DataFrame) -> list[tuple]:
    """Interfaces of every device, device by device: LAGs first (NetBox looks a
    member's LAG up among the interfaces already imported), then the cabled ports, then
    one-port team interfaces (on their port) and management ports."""
    mtu = {str(s): int(m) for s, m in zip(plan.subnet, plan.mtu, strict=True)}
    vlan = {str(s): int(v) for s, v in zip(plan.subnet, plan.vlan, strict=True)}
    teams = _teams(G, plan)
    lag_of = {
        (d, m): t for (d, t), (members, _s) in teams.items() if len(members) > 1 for m in members
    }
    rows: list[tuple] = []
    for device in (*nodes_of_kind(G, "host"), *nodes_of_kind(G, "switch"), "san", "core"):
        for (dev, team), (members, subnet) in teams.items():
            if dev == device and len(members) > 1:
                text = _on_vlan("team of " + " + ".join(members), subnet, vlan)
                rows.append((device, team, "", "lag", "", "", mtu[subnet], "", text))
        for r in cables.itertuples():
            ends = []
            if r.device == device:  # the device end: NIC port, SAN portal, core port
                ends.append((str(r.port), str(r.nic_card), f"to {r.switch} {r.switch_port}"))
            if r.switch == device:  # the switch end
                ends.append((str(r.switch_port), "", f"to {r.device} {r.port}"))
            for name, label, to in ends:
                lag = lag_of.get((device, name), "")
                text = f"{to}; {_cable_vlans(r)}"
                rows.append((device, name, label, PORT_TYPE, lag, "", r.mtu, "", text))
        for (dev, team), (members, subnet) in teams.items():
            if dev == device and len(members) == 1:
                text = _on_vlan(f"{team} on {members[0]}", subnet, vlan)
                rows.append((device, team, "", "virtual", "", members[0], mtu[subnet], "", text))
        for r in plan.itertuples():
            if r.device == device and r.subnet == "oob":
                name = netbox_interface(device, str(r.interface))
                text = _on_vlan(str(r.role), "oob", vlan)
                rows.append(
                    (device, name, "", MANAGEMENT_PORT_TYPE, "", "", mtu["oob"], "true", text)
                )
    return rows


def _teams(G: nx.Graph, plan: pd.DataFrame) -> dict[tuple[str, str], tuple[list[str], str]]:
    """``{(host, team interface): (member ports, subnet)}`` for every address the IP
    plan puts on a host interface that is not one of its NIC ports (a team)."""
    result: dict[tuple[str, str], tuple[list[str], str]] = {}
    for r in plan.itertuples():
        device = str(r.device)
        if device not in G or G.nodes[device]["kind"] != "host" or r.interface in G:
            continue
        if r.subnet == "oob":
            continue
        members = sorted(
            n.split("-", 1)[1]
            for n in nodes_of_kind(G, "nic")
            if G.nodes[n]["host"] == device and G.nodes[n]["subnet"] == r.subnet
        )
        result[(device, netbox_interface(device, str(r.interface)))] = (members, str(r.subnet))
    return result


def _on_vlan(text: str, subnet: str, vlan: dict[str, int]) -> str:
    """``text`` and the subnet and VLAN it is on (when it is on one)."""
    if subnet and subnet in vlan:
        return f"{text}; {subnet}, VLAN {vlan[subnet]}"
    return text


def _cable_vlans(r: Any) -> str:
    """The VLANs a cable of the cabling plan carries, in words."""
    if r.tagged_vlans:
        tagged = str(r.tagged_vlans)
        return f"tagged VLAN{'s' if ',' in tagged else ''} {tagged}"
    return f"{r.subnet}, VLAN {int(r.vlan)}"


def _prefix_description(s: Any) -> str:
    """A prefix's description: its subnet, class, MTU, gateway and cluster role."""
    name = s.subnet if s.subnet == s.traffic_class else f"{s.subnet} ({s.traffic_class})"
    parts = [f"{name}, MTU {s.mtu} bytes"]
    if s.gateway:
        parts.append(f"gateway {s.gateway}")
    if s.cluster_role is not None:
        parts.append(f"cluster network role {s.cluster_role}")
    return ", ".join(parts)


def _address_rows(plan: pd.DataFrame) -> list[tuple]:
    """One row per address of the IP plan, with its prefix length; assigned to its
    interface unless it is a gateway or the cluster name (not on a design device)."""
    rows = []
    for r in plan.itertuples():
        device = str(r.device)
        address = f"{r.address}/{str(r.network).split('/')[1]}"
        if device in ("gateway", "cluster"):
            role = "vip" if device == "cluster" else ""
            rows.append((address, "reserved", role, "", "", str(r.role)))
        else:
            name = netbox_interface(device, str(r.interface))
            rows.append((address, "reserved", "", device, name, str(r.role)))
    return rows
