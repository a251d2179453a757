"""The NetBox files, checked without NetBox (tests/netbox imports them into a real one).

Expected values come from NetBox 4.7's import forms (netbox/dcim/forms/bulk_import.py,
netbox/ipam/forms/bulk_import.py: required fields and choice slugs, RECIPES.md's list of
them), from the IP and cabling plans (every address and cable of the plan is in the
files), and from parsing the files with Python's csv module (not the writer's code).
"""

from __future__ import annotations

import csv
import io
import ipaddress
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hvdesign.errors import HvdesignError
from hvdesign.netbox import netbox_files, write_netbox
from hvdesign.plans import cabling_plan, ip_plan
from hvdesign.spec import TIERS, design_from_tier

#: Required columns of each import form (RECIPES.md, "A real NetBox on these machines").
REQUIRED = {
    "sites": {"name", "slug", "status"},
    "manufacturers": {"name", "slug"},
    "device-roles": {"name", "slug", "color"},
    "device-types": {"manufacturer", "model", "slug", "u_height"},
    "devices": {"role", "manufacturer", "device_type", "status", "site"},
    "interfaces": {"device", "name", "type"},
    "vlans": {"vid", "name", "status"},
    "prefixes": {"prefix", "status"},
    "ip-addresses": {"address", "status"},
    "cables": {"side_a_type", "side_a_name", "side_b_type", "side_b_name"},
}

#: Choices of NetBox 4.7 (dcim/choices.py, ipam/choices.py) for the values we use.
STATUS = {
    "sites": {"planned", "staging", "active", "decommissioning", "retired"},
    "devices": {"offline", "active", "planned", "staged", "failed", "inventory", "decommissioning"},
    "vlans": {"active", "reserved", "deprecated"},
    "prefixes": {"container", "active", "reserved", "deprecated"},
    "ip-addresses": {"active", "reserved", "deprecated", "dhcp", "slaac"},
    "cables": {"connected", "planned", "decommissioning"},
}
INTERFACE_TYPES = {"virtual", "lag", "1000base-t", "10gbase-x-sfpp", "25gbase-x-sfp28"}
IP_ROLES = {"", "loopback", "secondary", "anycast", "vip", "vrrp", "hsrp", "glbp", "carp"}

DESIGNS = [
    ("cluster-redundant-path", 4, {}),
    ("single-redundant-path", 1, {}),
    ("single-redundant-connections", 1, {}),
    ("cluster-minimal", 2, {}),
    ("cluster-redundant-connections", 3, {}),
    ("cluster-redundant-path", 16, {}),
    # teamed storage and management, two heartbeat networks, a stacked switch
    (
        "cluster-redundant-path",
        30,
        {
            "storage_multipath": "team",
            "management_connections": 2,
            "heartbeat_connections": 2,
            "switch_ports_per_unit": 24,
        },
    ),
]


def parse(files: dict[str, str]) -> dict[str, list[dict[str, str]]]:
    """Each file parsed by the csv module: ``{object: [row, ...]}``."""
    return {
        re.fullmatch(r"\d\d-([a-z-]+)\.csv", name).group(1): list(  # type: ignore[union-attr]
            csv.DictReader(io.StringIO(text))
        )
        for name, text in files.items()
    }


@pytest.fixture(params=DESIGNS, ids=lambda p: f"{p[0]}-{p[1]}" + ("-options" if p[2] else ""))
def design(request):
    tier, nodes, options = request.param
    return design_from_tier(tier, nodes=nodes, **options)


def test_files_in_import_order_named_after_netbox_objects(design):
    names = list(netbox_files(design))
    assert names == [f"{i:02d}-{obj}.csv" for i, obj in enumerate(REQUIRED, start=1)]


def test_every_file_parses_with_its_required_headers(design):
    for name, text in netbox_files(design).items():
        assert not text.startswith("\ufeff"), name  # a byte-order mark breaks pasted data
        rows = list(csv.reader(io.StringIO(text)))
        header, body = rows[0], rows[1:]
        obj = name[3:-4]
        assert REQUIRED[obj] <= set(header), name
        assert len(set(header)) == len(header), name
        assert body and all(len(r) == len(header) for r in body), name


def test_choices_are_netbox_slugs(design):
    data = parse(netbox_files(design))
    for obj, allowed in STATUS.items():
        assert {r["status"] for r in data[obj]} <= allowed, obj
    assert {r["type"] for r in data["interfaces"]} <= INTERFACE_TYPES
    assert {r["role"] for r in data["ip-addresses"]} <= IP_ROLES
    for r in data["device-roles"] + data["cables"]:
        assert re.fullmatch(r"[0-9a-f]{6}", r["color"]), r  # six hex digits, no '#'
    assert {r["side_a_type"] for r in data["cables"]} == {"dcim.interface"}
    assert {r["side_b_type"] for r in data["cables"]} == {"dcim.interface"}
    for r in data["sites"] + data["manufacturers"] + data["device-roles"] + data["device-types"]:
        assert re.fullmatch(r"[-a-z0-9_]+", r["slug"]), r


def test_references_resolve(design):
    """Every name a file refers to was created by an earlier file (or the same one,
    earlier: a LAG or parent interface before its members)."""
    data = parse(netbox_files(design))
    sites = {r["name"] for r in data["sites"]}
    roles = {r["name"] for r in data["device-roles"]}
    makers = {r["name"] for r in data["manufacturers"]}
    types = {r["model"] for r in data["device-types"]}
    assert {r["manufacturer"] for r in data["device-types"]} <= makers
    devices = {r["name"] for r in data["devices"]}
    for r in data["devices"]:
        assert r["site"] in sites and r["role"] in roles and r["device_type"] in types
    seen: set[tuple[str, str]] = set()
    for r in data["interfaces"]:
        assert r["device"] in devices, r
        for ref in (r["lag"], r["parent"]):
            assert not ref or (r["device"], ref) in seen, r
        seen.add((r["device"], r["name"]))
    lags = {(r["device"], r["name"]) for r in data["interfaces"] if r["type"] == "lag"}
    assert {(r["device"], r["lag"]) for r in data["interfaces"] if r["lag"]} == lags
    for r in data["ip-addresses"]:
        if r["device"]:
            assert (r["device"], r["interface"]) in seen, r
    for r in data["cables"]:
        assert (r["side_a_device"], r["side_a_name"]) in seen, r
        assert (r["side_b_device"], r["side_b_name"]) in seen, r
    vids = {int(r["vid"]) for r in data["vlans"]}
    assert {int(r["vlan"]) for r in data["prefixes"]} == vids
    assert {r["vlan_site"] for r in data["prefixes"]} <= sites


def test_names_unique_per_device_and_every_device_listed(design):
    data = parse(netbox_files(design))
    pairs = [(r["device"], r["name"]) for r in data["interfaces"]]
    assert len(pairs) == len(set(pairs))
    names = [r["name"] for r in data["devices"]]
    assert len(names) == len(set(names))
    expected = {f"host{i}" for i in range(1, design.nodes + 1)} | set(design.switch_names)
    assert set(names) == expected | {"san", "core"}


def test_every_cable_end_is_used_once(design):
    data = parse(netbox_files(design))
    ends = [(r[f"side_{s}_device"], r[f"side_{s}_name"]) for r in data["cables"] for s in "ab"]
    assert len(ends) == len(set(ends))  # NetBox refuses a second cable on an interface


def test_addresses_are_the_ip_plan(design):
    """Every address of the IP plan, with its subnet's prefix length, on its device
    and interface (the plan's interface without the device's prefix)."""
    plan = ip_plan(design)
    rows = parse(netbox_files(design))["ip-addresses"]
    assert len(rows) == len(plan)
    for r, p in zip(rows, plan.itertuples(), strict=True):
        iface = ipaddress.ip_interface(r["address"])
        assert str(iface.ip) == p.address
        assert iface.network == ipaddress.ip_network(p.network)
        if p.device in ("gateway", "cluster"):
            assert r["device"] == r["interface"] == ""
        else:
            assert r["device"] == p.device
            assert f"{p.device}-{r['interface']}" == p.interface


def test_cables_are_the_cabling_plan(design):
    plan = cabling_plan(design)
    rows = parse(netbox_files(design))["cables"]
    assert [
        (r["side_a_device"], r["side_a_name"], r["side_b_device"], r["side_b_name"]) for r in rows
    ] == [(p.device, p.port, p.switch, p.switch_port) for p in plan.itertuples()]


def test_prefixes_and_vlans_are_the_subnets(design):
    plan = ip_plan(design)
    data = parse(netbox_files(design))
    subnets = plan.drop_duplicates("subnet")
    assert [r["prefix"] for r in data["prefixes"]] == subnets.network.tolist()
    assert [int(r["vid"]) for r in data["vlans"]] == subnets.vlan.tolist()
    assert [r["name"] for r in data["vlans"]] == subnets.subnet.tolist()


def test_redundant_path_by_hand():
    """Fig 2.12 at four nodes: host1 has p1..s2 on cards 1-3 (host_layout's docstring),
    a production LAG of p1 + p2, management on m1, a BMC; storage ports MTU 9014."""
    data = parse(netbox_files(design_from_tier("cluster-redundant-path", nodes=4)))
    host1 = [r for r in data["interfaces"] if r["device"] == "host1"]
    assert [(r["name"], r["type"], r["lag"], r["parent"]) for r in host1] == [
        ("production", "lag", "", ""),
        ("p1", "25gbase-x-sfp28", "production", ""),
        ("s1", "25gbase-x-sfp28", "", ""),
        ("h1", "25gbase-x-sfp28", "", ""),
        ("m1", "25gbase-x-sfp28", "", ""),
        ("p2", "25gbase-x-sfp28", "production", ""),
        ("s2", "25gbase-x-sfp28", "", ""),
        ("management", "virtual", "", "m1"),
        ("bmc", "1000base-t", "", ""),
    ]
    assert {r["name"]: r["label"] for r in host1 if r["label"]} == {
        "p1": "card1",
        "s1": "card1",
        "h1": "card2",
        "m1": "card2",
        "p2": "card3",
        "s2": "card3",
    }
    assert {r["name"] for r in host1 if r["mtu"] == "9014"} == {"s1", "s2"}
    assert [r["mgmt_only"] for r in host1 if r["name"] == "bmc"] == ["true"]
    switch_a = [r["name"] for r in data["interfaces"] if r["device"] == "switch-a"]
    assert switch_a == [f"1/{p}" for p in range(1, 16)] + ["mgmt"]  # 12 host, SAN, uplink, ISL


def test_user_text_survives_csv_quoting():
    name = 'Büro "Nord", rack 3; <b>A&B</b>\tok'
    files = netbox_files(design_from_tier("cluster-minimal", nodes=2, name=name))
    data = parse(files)
    assert [r["name"] for r in data["sites"]] == [name]
    assert {r["site"] for r in data["devices"]} == {name}
    assert {r["vlan_site"] for r in data["prefixes"]} == {name}
    assert data["sites"][0]["slug"] == "buro-nord-rack-3-b-a-b-b-ok"


def test_site_name_longer_than_netbox_allows_is_refused():
    with pytest.raises(HvdesignError) as err:
        netbox_files(design_from_tier("cluster-minimal", nodes=2, name="x" * 101))
    assert err.value.field == "name"
    assert "100 characters" in str(err.value)


def test_write_netbox_writes_the_files(tmp_path):
    design = design_from_tier("cluster-redundant-path", nodes=4)
    paths = write_netbox(design, tmp_path)
    assert [p.name for p in paths] == list(netbox_files(design))
    for p, text in zip(paths, netbox_files(design).values(), strict=True):
        assert p.read_bytes() == text.encode("utf-8")


def test_write_netbox_refuses_a_path_that_is_not_a_directory(tmp_path):
    target = tmp_path / "file.csv"
    target.write_text("keep")
    for where in (target, tmp_path / "missing"):
        with pytest.raises(HvdesignError) as err:
            write_netbox(design_from_tier("cluster-minimal", nodes=2), where)
        assert err.value.field == "output"
    assert target.read_text() == "keep"
    assert not (tmp_path / "missing").exists()


@settings(max_examples=25, deadline=None)
@given(tier=st.sampled_from(list(TIERS)), data=st.data())
def test_every_design_references_resolve(tier, data):
    cluster = TIERS[tier].preset["cluster"]
    nodes = data.draw(st.integers(2 if cluster else 1, 64))
    test_references_resolve(design_from_tier(tier, nodes=nodes))


def test_plan_options_reach_the_files(tmp_path):
    """The IP plan's options (plans.subnets_info) change VLANs, prefixes and MTU."""
    design = design_from_tier("cluster-redundant-path", nodes=4)
    options = {"vlans": {"production": 100, "storage": [801, 802]}, "mtu": {"storage": 9000}}
    data = parse(netbox_files(design, **options))
    vids = {r["name"]: int(r["vid"]) for r in data["vlans"]}
    assert (vids["production"], vids["storage-1"], vids["storage-2"]) == (100, 801, 802)
    assert {int(r["vlan"]) for r in data["prefixes"]} == set(vids.values())
    storage = [r for r in data["interfaces"] if r["device"] == "host1" and r["name"][0] == "s"]
    assert {r["mtu"] for r in storage} == {"9000"}
    with pytest.raises(HvdesignError):
        write_netbox(design, tmp_path, vlans={"production": 5000})
    assert list(tmp_path.iterdir()) == []  # bad input writes nothing
