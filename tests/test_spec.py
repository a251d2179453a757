"""The design specification: presets, layout rules, the design file format and the
errors bad input gets (domain.md §2, issue 2 item 5)."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from hvdesign.errors import HvdesignError
from hvdesign.spec import (
    TIERS,
    apply_sets,
    design_from_dict,
    design_from_tier,
    design_to_yaml,
    host_layout,
    load_design,
    portal_placement,
)


def test_five_tiers_with_the_issue_ids():
    assert list(TIERS) == [
        "single-redundant-connections",
        "single-redundant-path",
        "cluster-minimal",
        "cluster-redundant-connections",
        "cluster-redundant-path",
    ]


def test_redundant_path_spreads_storage_and_production_over_both_switches():
    # Fig 2.12: one production and one storage on each switch, heartbeat on A,
    # management on B.
    layout = {
        p.suffix: "ab"[p.switch]
        for p in host_layout(design_from_tier("cluster-redundant-path", nodes=4))
    }
    assert layout == {"p1": "a", "p2": "b", "s1": "a", "s2": "b", "h1": "a", "m1": "b"}


def test_without_cross_switch_teaming_production_stays_on_switch_a():
    # Fig 2.9: production may be split only if the switches aggregate across devices.
    d = design_from_tier("single-redundant-path", cross_switch_teaming=False)
    layout = {p.suffix: "ab"[p.switch] for p in host_layout(d)}
    assert layout["p1"] == layout["p2"] == "a"
    assert (layout["s1"], layout["s2"]) == ("a", "b")


def test_redundant_members_land_on_different_cards_by_default():
    for tier in TIERS:
        layout = host_layout(design_from_tier(tier))
        for cls in ("production", "storage"):
            cards = [p.card for p in layout if p.traffic_class == cls]
            assert len(set(cards)) == len(cards), (tier, cls, cards)


def test_portals_one_per_switch_on_two_switch_designs():
    d = design_from_tier("cluster-redundant-path", nodes=2)
    assert sorted(sw for _, sw in portal_placement(d)) == [0, 1]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"nodes": 0}, "nodes"),
        ({"nodes": -4}, "nodes"),
        ({"nodes": 2.5}, "nodes"),
        ({"nodes": "four"}, "nodes"),
        ({"nodes": True}, "nodes"),
        ({"nodes": 1}, "nodes"),  # a cluster tier with one node
        ({"nodes": 17, "windows_version": "2008 R2"}, "nodes"),  # 2008 R2 limit: 16
        ({"nodes": 65}, "nodes"),  # 2012 and later: 64
        ({"nodez": 3}, "option"),
        ({"windows_version": "2003"}, "windows_version"),
        ({"storage_multipath": "raid"}, "storage_multipath"),
        ({"switches": 3}, "switches"),
        ({"san_portals": 0}, "san_portals"),
        ({"subnets": {"storage": "10.40.0.0/33"}}, "subnets.storage"),
        ({"subnets": {"voice": "10.50.0.0/24"}}, "subnets.voice"),
    ],
)
def test_bad_input_names_the_field(overrides, field):
    with pytest.raises(HvdesignError) as info:
        design_from_tier("cluster-minimal", **overrides)
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}: ")
    assert "allowed:" in str(info.value)


def test_unknown_tier():
    with pytest.raises(HvdesignError, match="tier: 'cluster-maximal'.*cluster-minimal"):
        design_from_tier("cluster-maximal")


def test_limits_follow_the_windows_version():
    assert design_from_tier("cluster-minimal", nodes=16, windows_version="2008 R2").nodes == 16
    assert design_from_tier("cluster-minimal", nodes=64, windows_version="2012").nodes == 64


def test_windows_version_spellings():
    for text in ("2008 R2", "2008r2", "2008-R2", 2019, "2012 r2"):
        design_from_tier("cluster-minimal", windows_version=text)


def test_explicit_connections_and_layout_options_do_not_mix():
    with pytest.raises(HvdesignError, match="production_connections"):
        design_from_dict(
            {
                "tier": "cluster-minimal",
                "production_connections": 2,
                "connections": [{"class": "production"}],
            }
        )


def test_explicit_connections_respect_card_ports():
    with pytest.raises(HvdesignError, match="connections.card"):
        design_from_dict(
            {
                "tier": "cluster-minimal",
                "nic_ports_per_card": 1,
                "connections": [
                    {"class": "production", "card": 1},
                    {"class": "storage", "card": 1},
                ],
            }
        )


def test_malformed_yaml_names_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("tier: cluster-minimal\nnodes: [3\n")
    with pytest.raises(HvdesignError, match="line 3"):
        load_design(path)


def test_yaml_typo_names_the_option(tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text("tier: cluster-minimal\nnode: 3\n")
    with pytest.raises(HvdesignError, match="option: 'node'"):
        load_design(path)


def test_yaml_is_loaded_safely(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text("tier: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(HvdesignError, match="design file"):
        load_design(path)


def test_shipped_designs_load():
    assert load_design("data/designs/default.yaml").nodes == 4
    custom = load_design("data/designs/custom-layout.yaml")
    assert custom.production_connections == 2 and custom.nodes == 8


def test_apply_sets_parses_values():
    d = apply_sets(design_from_tier("cluster-minimal"), ["nodes=5", "san_portals=4"])
    assert (d.nodes, d.san_portals) == (5, 4)
    with pytest.raises(HvdesignError, match="KEY=VALUE"):
        apply_sets(d, ["nodes"])


@settings(max_examples=60, deadline=None)
@given(
    tier=st.sampled_from(list(TIERS)),
    nodes=st.integers(2, 64),
    cross=st.booleans(),
    multipath=st.sampled_from(["mpio", "mcs", "team"]),
    ports=st.integers(1, 8),
    portals=st.integers(1, 6),
)
def test_design_file_round_trip(tier, nodes, cross, multipath, ports, portals):
    single = not TIERS[tier].preset["cluster"]
    d = design_from_tier(
        tier,
        nodes=1 if single else nodes,
        cross_switch_teaming=cross,
        storage_multipath=multipath,
        nic_ports_per_card=ports,
        san_portals=portals,
    )
    assert design_from_dict(yaml.safe_load(design_to_yaml(d))) == d


def test_explicit_layout_round_trip():
    d = load_design("data/designs/custom-layout.yaml")
    assert design_from_dict(yaml.safe_load(design_to_yaml(d))) == d


def test_host_layout_is_computed_once_per_design(monkeypatch):
    # Derived once per design (a cache keyed by the design's content); every caller
    # gets its own list, so changing it does not change the cache.
    from hvdesign import spec

    calls = []
    real = spec._host_layout

    def counting(design):
        calls.append(design.nodes)
        return real(design)

    monkeypatch.setattr(spec, "_host_layout", counting)
    spec._LAYOUTS.clear()
    d = design_from_tier("cluster-redundant-path", nodes=7)
    first = host_layout(d)
    first.pop()
    again = host_layout(design_from_tier("cluster-redundant-path", nodes=7))
    assert len(again) == 6  # p1 s1 h1 m1 p2 s2 (Fig 2.12)
    assert calls == [7]
    host_layout(design_from_tier("cluster-redundant-path", nodes=7, nic_ports_per_card=4))
    assert calls == [7, 7]
