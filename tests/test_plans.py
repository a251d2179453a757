"""IP and cabling plans: addresses, VLANs, MTU, gateways, cluster network roles and
out-of-band management (issue 14 item 3).

Expected values come from the documents, not from the code: domain.md §1 (one
address per team, per MPIO connection, per portal), §2 (storage jumbo frames, MTU 9014
on Windows; one VLAN per storage subnet/switch), FACTS.md (cluster network roles 0, 1,
3 and Network ATC's storage VLANs 711-718), the ipaddress module for networks.
"""

from __future__ import annotations

import ipaddress

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hvdesign.counts import summary
from hvdesign.errors import HvdesignError
from hvdesign.plans import (
    NETBOX_COLUMNS,
    cabling_plan,
    ip_plan,
    netbox_cables,
    subnet_plan,
)
from hvdesign.spec import TIERS, design_from_tier
from hvdesign.topology import build_graph, nodes_of_kind


@settings(max_examples=40, deadline=None)
@given(tier=st.sampled_from(list(TIERS)), data=st.data())
def test_ip_plan_gives_every_endpoint_a_unique_address_in_its_network(tier, data):
    cluster = TIERS[tier].preset["cluster"]
    d = design_from_tier(tier, nodes=data.draw(st.integers(2 if cluster else 1, 64)))
    plan = ip_plan(d)
    assert plan.address.is_unique  # no address twice anywhere, oob included
    for row in plan.itertuples():
        assert ipaddress.ip_address(row.address) in ipaddress.ip_network(row.network)
    # gateways: the first usable address of the routed subnets, and only there
    for subnet, rows in plan.groupby("subnet"):
        net = ipaddress.ip_network(rows.network.iloc[0])
        first = str(next(net.hosts()))
        if subnet in ("production", "management", "oob"):
            assert set(rows.gateway) == {first}
            assert rows[rows.device == "gateway"].address.tolist() == [first]
        else:
            assert set(rows.gateway) == {""} and "gateway" not in set(rows.device)
    # the guide's counts are unchanged: oob rows are extra
    endpoints = plan[(plan.device != "gateway") & (plan.subnet != "oob")]
    assert endpoints.groupby("subnet").size().to_dict() == {
        k: v for k, v in summary(d)["ip_addresses_by_subnet"].items() if v
    }
    oob = plan[(plan.subnet == "oob") & (plan.device != "gateway")]
    # one BMC per host, one management port per switch and one for the SAN
    assert len(oob) == d.nodes + d.switches + 1
    assert sorted(oob[oob.interface.str.endswith("-bmc")].device) == sorted(
        f"host{i}" for i in range(1, d.nodes + 1)
    )


def test_storage_paths_get_their_own_subnets():
    # One subnet per storage path: a cluster node recognises one address per subnet.
    plan = ip_plan(design_from_tier("cluster-redundant-path", nodes=2))
    storage = plan[plan.traffic_class == "storage"]
    assert sorted(storage.network.unique()) == ["10.40.0.0/24", "10.40.1.0/24"]
    path1 = storage[storage.subnet == "storage-1"].interface.tolist()
    assert path1 == ["san-port1", "host1-s1", "host2-s1"]


def test_too_small_subnet_is_a_clear_error():
    # 64 hosts + cluster name + gateway = 66 addresses do not fit a /26 (62 usable).
    with pytest.raises(HvdesignError, match=r"subnets.management.*66 usable.*/25"):
        ip_plan(
            design_from_tier(
                "cluster-redundant-path", nodes=64, subnets={"management": "10.20.0.0/26"}
            )
        )


def test_cabling_plan_one_row_per_cable():
    d = design_from_tier("cluster-redundant-path", nodes=4)
    plan = cabling_plan(d)
    # 24 host cables + 2 portal cables + 2 uplinks + 1 ISL.
    assert len(plan) == 24 + 2 + 2 + 1
    assert plan.cable.is_unique
    # No switch port is used twice.
    assert not plan[["switch", "switch_port"]].duplicated().any()
    row = plan[plan.cable == "host3-s2"].iloc[0]
    assert (row.device, row.port, row.switch, row.traffic_class, row.subnet) == (
        "host3",
        "s2",
        "switch-b",
        "storage",
        "storage-2",
    )


def test_netbox_csv_columns():
    nb = netbox_cables(cabling_plan(design_from_tier("cluster-minimal", nodes=2)))
    assert list(nb.columns) == NETBOX_COLUMNS
    assert set(nb.side_a_type) == {"dcim.interface"}
    assert nb.color.str.fullmatch(r"[0-9a-f]{6}").all()


def test_vlans_mtu_and_cluster_roles_by_class():
    d = design_from_tier("cluster-redundant-path", nodes=4)
    plan = ip_plan(d)
    by_subnet = plan.drop_duplicates("subnet").set_index("subnet")
    # domain.md §2: one VLAN per storage subnet (per switch); Network ATC's 711, 712
    assert by_subnet.loc[["storage-1", "storage-2"], "vlan"].tolist() == [711, 712]
    assert by_subnet.vlan.is_unique
    # domain.md §2: storage jumbo frames, 9014 on Windows; the others the standard 1500
    for subnet, mtu in by_subnet.mtu.items():
        assert mtu == (9014 if subnet.startswith("storage") else 1500), subnet
    # FACTS.md: Get-ClusterNetwork Role 0 none (iSCSI), 1 cluster only, 3 cluster and client
    roles = by_subnet.cluster_role.to_dict()
    assert roles["storage-1"] == roles["storage-2"] == 0
    assert roles["heartbeat"] == 1
    assert roles["production"] == roles["management"] == 3
    assert by_subnet.cluster_role.isna()["oob"]
    # every row carries its subnet's values
    for row in plan.itertuples():
        assert row.vlan == by_subnet.vlan[row.subnet]


def test_standalone_servers_have_no_cluster_role():
    plan = ip_plan(design_from_tier("single-redundant-path", nodes=2))
    assert plan.cluster_role.isna().all()


def test_switches_and_san_are_managed_out_of_band():
    plan = ip_plan(design_from_tier("cluster-redundant-path", nodes=2))
    rows = plan[plan.device.isin(["switch-a", "switch-b", "san"])]
    assert set(rows[rows.interface.str.endswith("mgmt")].subnet) == {"oob"}
    oob = ipaddress.ip_network("10.50.0.0/24")  # the documented default
    assert all(ipaddress.ip_address(a) in oob for a in plan[plan.subnet == "oob"].address)


def test_vlan_mtu_and_oob_options():
    d = design_from_tier("cluster-redundant-path", nodes=2)
    plan = ip_plan(
        d, vlans={"storage": [100, 200], "heartbeat": 7}, mtu={"storage": 9000}, oob="172.16.9.0/28"
    )
    by_subnet = plan.drop_duplicates("subnet").set_index("subnet")
    assert by_subnet.loc[["storage-1", "storage-2", "heartbeat"], "vlan"].tolist() == [100, 200, 7]
    assert by_subnet.mtu["storage-2"] == 9000
    assert by_subnet.network["oob"] == "172.16.9.0/28"
    assert subnet_plan(d, vlans={"storage": 300}).set_index("subnet").vlan["storage-2"] == 301


@pytest.mark.parametrize(
    "options, match",
    [
        (
            {"vlans": {"storage": 20}},
            r"vlans.storage: 20 .*storage-1 and management|management and storage-1",
        ),
        ({"vlans": {"storage": 4094}}, r"vlans.storage: 4095"),
        ({"vlans": {"storage": [1]}}, r"vlans.storage.*a list of 2 VLAN IDs"),
        ({"vlans": {"voice": 5}}, r"vlans.voice.*unknown class"),
        ({"vlans": {"production": True}}, r"vlans.production: True"),
        ({"mtu": {"storage": 10000}}, r"mtu.storage: 10000.*576 to 9216"),
        ({"cluster_roles": {"heartbeat": 2}}, r"cluster_roles.heartbeat: 2.*0 \(none\)"),
        ({"oob": "10.40.1.0/25"}, r"oob: '10.40.1.0/25'.*does not overlap storage-2"),
        ({"oob": "10.50.0.0/29"}, r"oob: '10.50.0.0/29'.*at least 8 usable.*/28"),
        ({"oob": "fe80::/64"}, r"oob: 'fe80::/64'.*IPv4"),
    ],
)
def test_bad_plan_options_are_one_line_errors(options, match):
    # 2 hosts + 2 switches + the SAN + the gateway = 6 oob addresses: a /29 holds 6,
    # so the /29 case uses 4 hosts (8 addresses, a /28 needed).
    nodes = 4 if options.get("oob") == "10.50.0.0/29" else 2
    with pytest.raises(HvdesignError, match=match):
        ip_plan(design_from_tier("cluster-redundant-path", nodes=nodes), **options)


def test_overlapping_design_subnets_are_an_error():
    # spec may refuse the design itself; if not, the plan refuses it
    with pytest.raises(HvdesignError, match=r"subnets.heartbeat.*overlap.*production"):
        ip_plan(
            design_from_tier("cluster-minimal", nodes=2, subnets={"heartbeat": "10.10.0.128/25"})
        )


@pytest.mark.parametrize("tier", list(TIERS))
def test_cabling_plan_carries_each_cable_vlan_and_mtu(tier):
    d = design_from_tier(tier, nodes=1 if tier.startswith("single") else 3)
    subnets = subnet_plan(d).set_index("subnet")
    plan = cabling_plan(d)
    G = build_graph(d)
    switches = nodes_of_kind(G, "switch")
    for row in plan.itertuples():
        if row.subnet:  # an access port: its subnet's VLAN and MTU
            assert (row.vlan, row.mtu, row.tagged_vlans) == (
                subnets.vlan[row.subnet],
                subnets.mtu[row.subnet],
                "",
            )
        else:
            assert row.vlan is pd.NA
    # by hand: an uplink carries the routed subnets (production, management) tagged
    routed = [s for s in ("production", "management") if s in subnets.index]
    expected = ",".join(str(subnets.vlan[s]) for s in sorted(routed, key=subnets.vlan.get))
    for row in plan[plan.cable.str.startswith("uplink")].itertuples():
        assert row.tagged_vlans == expected and row.mtu == 1500
    # an ISL carries the VLANs whose cables (or uplinks) land on both switches
    if len(switches) == 2:
        present = {sw: set() for sw in switches}
        for u, v, data in G.edges(data=True):
            sw = u if u in present else v if v in present else None
            if sw and data.get("subnet"):
                present[sw].add(data["subnet"])
            if sw and G.nodes[u if sw == v else v]["kind"] == "uplink":
                present[sw].update(routed)
        both = present[switches[0]] & present[switches[1]]
        for row in plan[plan.traffic_class == "isl"].itertuples():
            vids = sorted(int(subnets.vlan[s]) for s in both)
            assert row.tagged_vlans == ",".join(map(str, vids))
            assert not any(s.startswith("storage") for s in both)  # one storage VLAN per switch
