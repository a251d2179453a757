"""IP and cabling plans."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hvdesign.counts import summary
from hvdesign.errors import HvdesignError
from hvdesign.plans import NETBOX_COLUMNS, cabling_plan, ip_plan, netbox_cables
from hvdesign.spec import TIERS, design_from_tier


@settings(max_examples=40, deadline=None)
@given(tier=st.sampled_from(list(TIERS)), data=st.data())
def test_ip_plan_gives_every_endpoint_a_unique_address_in_its_network(tier, data):
    cluster = TIERS[tier].preset["cluster"]
    d = design_from_tier(tier, nodes=data.draw(st.integers(2 if cluster else 1, 64)))
    plan = ip_plan(d)
    assert plan.address.is_unique
    for row in plan.itertuples():
        assert ipaddress.ip_address(row.address) in ipaddress.ip_network(row.network)
    endpoints = plan[plan.device != "gateway"]
    assert endpoints.groupby("subnet").size().to_dict() == {
        k: v for k, v in summary(d)["ip_addresses_by_subnet"].items() if v
    }


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
