"""The scenario file (domain.md §8): sections over the defaults, validation that names
the field, and the round trip of scenario_to_yaml."""

from __future__ import annotations

import pytest

from hvdesign.datafiles import load_yaml_text
from hvdesign.errors import HvdesignError
from hvdesign.scenariofile import (
    Economics,
    load_scenario,
    resolve_scenario,
    scenario_from_dict,
    scenario_to_yaml,
)

FULL = {
    "name": "Contoso production cluster",
    "tier": "cluster-redundant-path",
    "nodes": 8,
    "rules": {
        "reserve": 2,
        "quorum": "node_and_disk_majority",
        "csv_redirected_io": False,
        "network_health_detection": False,
    },
    "reliability": {
        "host": {"mtbf_hours": 40000, "mttr_hours": 8},
        "failover_minutes": 3,
        "switch": {"mtbf_hours": {"value": 1e6, "source": "vendor sheet", "year": 2026}},
    },
    "catalog": {"server": {"price_usd": 23500}, "switches": {48: {"price_usd": 1.5e4}}},
    "economics": {"downtime_cost_per_hour_usd": 50000, "years": 3},
}


def test_every_section_applies():
    sf = scenario_from_dict(FULL)
    assert (sf.design.nodes, sf.design.name) == (8, "Contoso production cluster")
    assert (sf.rules.reserve, sf.rules.quorum) == (2, "node_and_disk_majority")
    assert sf.rules.csv_redirected_io is False and sf.rules.network_health_detection is False
    assert sf.reliability.mtbf_hours("host") == 40000 and sf.reliability.failover_minutes == 3
    assert sf.reliability.figure("switch", "mtbf_hours").source == "vendor sheet"
    assert sf.catalog.server.price_usd == 23500 and sf.catalog.switches[48].price_usd == 15000
    assert sf.economics == Economics(50000.0, 3.0)


def test_sections_are_partial():
    """What a section does not name keeps the shipped default."""
    base = resolve_scenario("cluster-redundant-path")
    sf = scenario_from_dict(
        {"tier": "cluster-redundant-path", "reliability": {"nic": {"mttr_hours": 1}}}
    )
    assert sf.reliability.mtbf_hours("host") == base.reliability.mtbf_hours("host")
    assert sf.reliability.mttr_hours("nic") == 1
    assert sf.catalog.server == base.catalog.server and sf.rules == base.rules


def test_round_trip_with_every_section(tmp_path):
    sf = scenario_from_dict(FULL)
    text = scenario_to_yaml(sf)
    for section in ("rules:", "reliability:", "catalog:", "economics:"):
        assert f"\n{section}\n" in text
    f = tmp_path / "s.yaml"
    f.write_text(text)
    back = load_scenario(f)
    assert back == sf
    assert scenario_to_yaml(back) == text  # and it prints the same again
    # The shipped sources survive the round trip (printed as comments).
    assert back.reliability.figure("nic", "mtbf_hours").source.startswith("assumption")


def test_defaults_round_trip():
    sf = resolve_scenario("cluster-minimal")
    assert scenario_from_dict(load_yaml_text(scenario_to_yaml(sf))) == sf


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"rules": {"reserve": "one"}}, "rules.reserve: 'one' is not valid"),
        ({"rules": {"quorm": "auto"}}, "rules: 'quorm' is not valid (unknown rule)"),
        ({"rules": {"reserve": 9}}, "reserve: 9 is not valid"),
        ({"economics": {"years": -1}}, "economics.years: -1 is not valid"),
        ({"economics": {"downtime_cost_per_hour_usd": "a lot"}}, "not a number"),
        ({"economics": {"dollars": 1}}, "unknown field"),
        ({"reliability": {"host": {"mtbf_hours": -5}}}, "reliability.host.mtbf_hours: -5"),
        ({"catalog": {"server": {"price_usd": "abc"}}}, "catalog.server.price_usd: 'abc'"),
        ({"economics": 5}, "economics: 5 is not valid"),
    ],
)
def test_bad_sections_name_the_field(section, message):
    with pytest.raises(HvdesignError) as err:
        scenario_from_dict({"tier": "cluster-minimal", "nodes": 4, **section})
    assert message in str(err.value)


def test_a_server_price_survives_the_workload_server_choice():
    """catalog.server edits stay over the model the workload names (the app writes them
    there), and the round trip keeps both."""
    sf = scenario_from_dict(
        {
            "tier": "cluster-redundant-path",
            "nodes": "auto",
            "workload": {"vms": 300, "vcpus_per_vm": 4, "memory_gb_per_vm": 16, "server": "large"},
            "catalog": {"server": {"price_usd": 33_333}},
        }
    )
    assert sf.catalog.server.price_usd == 33_333 and sf.catalog.server.cores == 64
    assert scenario_from_dict(load_yaml_text(scenario_to_yaml(sf))) == sf
