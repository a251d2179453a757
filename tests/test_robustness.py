"""Regression tests of issue 13 ("bad input never crashes, hangs or destroys a file"),
one per finding whose cause lies in the model (spec, presets, catalog, multipath,
workload, checks, failure rules, errors). Each input is the one the hostile try
used; the expected behaviour is the issue's: one :class:`HvdesignError` whose message
is one line of at most 300 characters naming the field, or the right design.

The CLI's own findings (its option parsing, output paths) are in tests/test_fuzz.py,
marked xfail until the CLI is changed.
"""

from __future__ import annotations

import time

import pytest

from hvdesign import multipath
from hvdesign.catalog import catalog_from_dict, load_catalog
from hvdesign.errors import MAX_MESSAGE_CHARS, HvdesignError, quote
from hvdesign.failures import FailureRules, analyse
from hvdesign.spec import (
    Design,
    apply_sets,
    design_from_dict,
    design_from_tier,
    host_layout,
    load_design,
)


def _refused(call, field: str) -> HvdesignError:
    """``call()`` raises one HvdesignError on ``field``, its message one short line."""
    with pytest.raises(HvdesignError) as info:
        call()
    err = info.value
    text = str(err)
    assert "\n" not in text and len(text) <= MAX_MESSAGE_CHARS, text
    assert err.field == field and text.startswith(f"{field}: "), text
    return err


# ------------------------------------------------------------ tracebacks: types


@pytest.mark.parametrize("tier", [["a"], {"a": "b"}, 3, True])
def test_an_unhashable_or_non_text_tier_is_refused(tier):
    _refused(lambda: design_from_dict({"tier": tier}), "tier")
    _refused(lambda: design_from_tier(tier), "tier")


def test_a_tier_list_in_a_design_file_is_refused(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text("tier: [a]\n")
    _refused(lambda: load_design(path), "tier")


def test_a_5000_digit_set_value_is_refused():
    # found by tests/test_fuzz.py: YAML's int() of over 4300 digits raised ValueError
    d = design_from_tier("cluster-minimal", nodes=2)
    err = _refused(lambda: apply_sets(d, ["nodes=" + "9" * 5000]), "--set nodes")  # YAML refuses it
    assert "(5000 characters)" in str(err)


def test_set_tier_to_a_mapping_is_refused():
    d = design_from_tier("cluster-minimal", nodes=2)
    _refused(lambda: apply_sets(d, ["tier={a: b}"]), "tier")


def test_a_connection_class_that_is_a_list_is_refused():
    data = {"tier": "cluster-minimal", "connections": [{"class": ["x"]}]}
    _refused(lambda: design_from_dict(data), "connections.0.class")


def test_non_text_keys_are_refused():
    _refused(lambda: design_from_dict({"tier": "cluster-minimal", 1: 2}), "option")
    data = {"tier": "cluster-minimal", "subnets": {1: "10.0.0.0/24"}}
    _refused(lambda: design_from_dict(data), "subnets.1")


@pytest.mark.parametrize("value", ["²", "٣", "1²"])
def test_superscript_and_other_unicode_digits_are_not_whole_numbers(value):
    # "²".isdigit() is True but int("²") fails: no parser may take it for a number
    assert value.isdigit()
    _refused(lambda: design_from_dict({"tier": "cluster-minimal", "nodes": value}), "nodes")
    d = design_from_tier("cluster-minimal", nodes=2)
    _refused(lambda: apply_sets(d, [f"nodes={value}"]), "nodes")
    _refused(lambda: multipath.simulate(active=[value], n_ios=10), "active")


def test_a_superscript_port_count_in_a_catalog_is_refused():
    data = load_catalog().to_dict()
    data["switches"] = {"²": {"price_usd": 1.0, "source": "x"}}
    err = _refused(lambda: catalog_from_dict(data), "catalog.switches.²")
    assert "port count" in str(err)


def test_a_non_text_field_name_in_a_catalog_entry_is_refused():
    # found by tests/test_fuzz.py: {server: {0: null}} was a KeyError
    data = load_catalog().to_dict()
    data["server"] = {**data["server"], 0: None}
    err = _refused(lambda: catalog_from_dict(data), "catalog.server.0")
    assert "unknown field" in str(err)


def test_card_true_is_not_card_1():
    # a bool is not a card number (YAML 'card: yes' or 'card: true')
    conns = [
        {"class": "production", "card": True},
        {"class": "storage", "card": 2},
        {"class": "heartbeat", "card": 2},
    ]
    data = {"tier": "cluster-minimal", "connections": conns}
    _refused(lambda: design_from_dict(data), "connections.0.card")
    conns[0]["card"] = 1  # the same with a number is a design
    assert [p.card for p in host_layout(design_from_dict(data))] == [1, 2, 2]


@pytest.mark.parametrize(
    "option, value",
    [("cluster", 1), ("cluster", "yes"), ("cross_switch_teaming", 0), ("nodes", 2.0)],
)
def test_bools_and_whole_numbers_are_not_converted(option, value):
    _refused(lambda: design_from_dict({"tier": "cluster-minimal", option: value}), option)


def test_a_graph_of_something_that_is_not_a_design_is_refused():
    from hvdesign.topology import build_graph

    _refused(lambda: build_graph("cluster-minimal"), "design")  # type: ignore[arg-type]


def test_failure_rules_of_the_wrong_type_are_refused():
    d = design_from_tier("cluster-minimal", nodes=2)
    _refused(lambda: analyse(d, FailureRules(cluster_networks=5)), "cluster_networks")  # type: ignore[arg-type]
    _refused(lambda: analyse(d, FailureRules(csv_redirected_io="no")), "csv_redirected_io")  # type: ignore[arg-type]
    _refused(lambda: analyse(d, {"reserve": 1}), "rules")  # type: ignore[arg-type]
    _refused(lambda: analyse("cluster-minimal"), "design")  # type: ignore[arg-type]


def test_a_negative_reserve_on_a_standalone_server_says_what_is_allowed():
    # compare --reserve -1 said "allowed: a whole number from 0 to 0 (fewer than the 1
    # nodes)" on the single-server tiers: the bound below the node count is a cluster's
    d = design_from_tier("single-redundant-path")
    err = _refused(lambda: FailureRules(reserve=-1).check(d), "reserve")
    assert str(err).endswith("allowed: a whole number >= 0")
    cluster = design_from_tier("cluster-minimal", nodes=4)
    err = _refused(lambda: FailureRules(reserve=4).check(cluster), "reserve")
    assert "from 0 to 3 (fewer than the 4 nodes)" in str(err)


# ------------------------------------------------------------ floods and hangs


def test_a_100000_character_name_gives_a_short_message():
    err = _refused(lambda: design_from_tier("cluster-minimal", name="x" * 100_000), "name")
    assert "(100000 characters)" in str(err)
    assert err.value == "x" * 100_000  # kept whole for the program


def test_an_alias_bomb_passed_through_the_api_is_quoted_at_once():
    # nine levels of ten shared references: 10**9 leaves if printed whole
    bomb: list = ["lol"]
    for _ in range(9):
        bomb = [bomb] * 10
    start = time.perf_counter()
    err = _refused(lambda: design_from_tier("cluster-minimal", name=bomb), "name")
    assert time.perf_counter() - start < 1.0
    assert "(10 items)" in str(err)


def test_a_structure_5000_deep_is_refused_without_recursion_error():
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    _refused(lambda: design_from_tier("cluster-minimal", name=deep), "name")
    _refused(
        lambda: design_from_tier("cluster-minimal", subnets={"production": deep}),
        "subnets.production",
    )


@pytest.mark.parametrize(
    "field, value, allowed, detail",
    [
        ("f" * 10_000, 1, "x", ""),
        ("a\nb", "c\nd", "e\nf", "g\nh"),
        ("x", 1, "y" * 10_000, "z" * 10_000),
        ("x", 10**5000, "y", ""),  # repr of a 5000-digit int raises ValueError
    ],
    ids=["long-field", "newlines", "long-allowed", "huge-int"],
)
def test_every_message_is_one_short_line(field, value, allowed, detail):
    text = str(HvdesignError(field, value, allowed, detail=detail))
    assert "\n" not in text and len(text) <= MAX_MESSAGE_CHARS


def test_quote_cuts_with_the_total_length():
    assert quote("abc") == "'abc'"
    assert quote("y" * 500) == "'" + "y" * 76 + "... (500 characters)"
    assert quote(list(range(1000))) == "[0, 1, 2, 3, 4, 5, ...] (1000 items)"


# ------------------------------------------------------------ silent wrong results


@pytest.mark.parametrize(
    "subnets, field, other",
    [
        ({"production": "10.40.0.0/24"}, "subnets.storage", "production 10.40.0.0/24"),
        ({"heartbeat": "10.20.0.0/24"}, "subnets.heartbeat", "management 10.20.0.0/24"),
        ({"storage": ["10.50.0.0/24", "10.50.0.0/24"]}, "subnets.storage[2]", "storage[1]"),
        ({"management": "10.10.0.0/25"}, "subnets.management", "production 10.10.0.0/24"),
    ],
)
def test_overlapping_subnets_are_refused_naming_both(subnets, field, other):
    err = _refused(lambda: design_from_tier("cluster-redundant-path", subnets=subnets), field)
    assert "overlaps" in str(err) and other in str(err)


@pytest.mark.parametrize(
    "cidr, why",
    [
        ("224.0.0.0/24", "multicast"),
        ("239.1.0.0/16", "multicast"),
        ("127.0.0.0/24", "loopback"),
        ("169.254.0.0/16", "link-local"),
        ("240.0.0.0/24", "reserved"),
        ("0.0.0.0/8", "unspecified"),
        ("128.0.0.0/1", "reserved"),  # spans 240.0.0.0/4
    ],
)
def test_networks_hosts_cannot_use_are_refused(cidr, why):
    err = _refused(
        lambda: design_from_tier("cluster-minimal", subnets={"production": cidr}),
        "subnets.production",
    )
    assert why in str(err)


def test_an_unused_subnet_may_overlap():
    # cluster-minimal has no management connection: its subnet is not in any plan
    d = design_from_tier("cluster-minimal", subnets={"management": "10.10.0.0/24"})
    assert d.subnets["management"] == d.subnets["production"]


def test_set_tier_rebuilds_the_preset():
    """``--set tier=cluster-minimal`` on a redundant-path design is the guide's Fig
    2.10 (one switch; production, storage and heartbeat, one connection each) at the
    design's node count, not a relabelled Fig 2.12."""
    d = design_from_tier("cluster-redundant-path", nodes=4, name="lab")
    m = apply_sets(d, ["tier=cluster-minimal"])
    assert (m.tier, m.name, m.nodes, m.switches) == ("cluster-minimal", "lab", 4, 1)
    assert [p.traffic_class for p in host_layout(m)] == ["production", "storage", "heartbeat"]
    assert m == design_from_tier("cluster-minimal", nodes=4, name="lab")
    # the other overrides apply on top, wherever tier= stands among them
    both = apply_sets(d, ["san_portals=4", "tier=cluster-minimal"])
    assert (both.switches, both.san_portals) == (1, 4)


def test_design_built_directly_or_copied_is_validated():
    good = design_from_tier("cluster-minimal", nodes=3)
    fields = {name: getattr(good, name) for name in Design.model_fields}
    assert Design(**fields) == good
    _refused(lambda: Design(**{**fields, "tier": "nope"}), "tier")
    _refused(lambda: Design(**{**fields, "nodes": 65}), "nodes")
    _refused(lambda: Design(**{**fields, "windows_version": "2008R2"}), "windows_version")
    _refused(lambda: good.model_copy(update={"tier": "nope"}), "tier")
    _refused(lambda: good.model_copy(update={"nodes": 1}), "nodes")
    _refused(lambda: good.model_copy(update={"subnets": {"production": "x"}}), "subnets")
    _refused(lambda: Design.model_validate({**fields, "switches": 3}), "switches")
    assert good.model_copy(update={"nodes": 4}) == design_from_tier("cluster-minimal", nodes=4)


def test_multipath_latency_1e308_is_refused_with_the_limit():
    err = _refused(lambda: multipath.simulate(latency_ms=1e308, n_ios=10), "latency_ms")
    assert "60000" in str(err)


def test_multipath_rate_1e_300_is_refused_and_the_slowest_rate_keeps_the_latency():
    err = _refused(
        lambda: multipath.simulate(arrival_rate_iops=1e-300, n_ios=10), "arrival_rate_iops"
    )
    assert "0.01" in str(err)
    # at the slowest rate allowed, no request is faster than its path's fixed time
    r = multipath.simulate(arrival_rate_iops=0.01, n_ios=200, latency_ms=0.5)
    assert r.latency_ms_p50 is not None and r.latency_ms_p50 >= 0.5


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"bandwidth_gbps": 1e308}, "bandwidth_gbps"),
        ({"bandwidth_gbps": 1e-300}, "bandwidth_gbps"),
        ({"weights": [1e308, 1.0], "policy": "weighted-paths"}, "weights"),
        ({"fail": [(1, 1e308)], "policy": "fail-over-only"}, "fail"),
        ({"sizes_bytes": [2**70]}, "sizes_bytes"),
    ],
)
def test_multipath_numbers_are_bounded(kwargs, field):
    _refused(lambda: multipath.simulate(n_ios=10, **kwargs), field)


def test_a_huge_price_is_refused():
    data = load_catalog().to_dict()
    data["server"] = {**data["server"], "price_usd": 1e308}
    err = _refused(lambda: catalog_from_dict(data), "catalog.server.price_usd")
    assert "1e+09" in str(err)


# ---- cost (issue 13): the API validates what it is given


def test_capex_refuses_a_catalog_that_is_not_one():
    d = design_from_tier("cluster-minimal", nodes=2)
    from hvdesign.cost import capex

    _refused(lambda: capex(d, catalog={}), "catalog")


def test_downtime_cost_refuses_negative_or_infinite_figures():
    from hvdesign.cost import downtime_cost

    _refused(lambda: downtime_cost(-5, 10_000, 5), "vm_downtime_minutes_per_year")
    _refused(lambda: downtime_cost(60, float("inf"), 5), "downtime_cost_per_hour")
    assert downtime_cost(60, 10_000, 5) == 60 / 60 * 10_000 * 5  # by hand


def test_compare_refuses_a_reserve_that_drops_every_cluster():
    from hvdesign.cost import sweep_designs

    _refused(lambda: sweep_designs(range(1, 17), reserve=100), "reserve")


def test_compare_refuses_a_tier_given_twice():
    from hvdesign.cost import sweep_designs

    _refused(lambda: sweep_designs([2], ["cluster-minimal", "cluster-minimal"]), "tiers")
