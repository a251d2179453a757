"""Sensitivity and Birnbaum importance (issue 11 item 5): the tornado's signs and
swings by hand, the ranking, and the Birnbaum importance of a component in series
against its closed form (A / A_k) and the conditioning A(k up) - A(k down)."""

from __future__ import annotations

import pytest

from hvdesign.availability import availability
from hvdesign.errors import HvdesignError
from hvdesign.scenariofile import scenario_from_dict
from hvdesign.sensitivity import SENSITIVITY_COLUMNS, birnbaum, evaluate, sensitivity


def _scenario(tier: str = "cluster-redundant-path", nodes: int = 4, version: str = "2019"):
    return scenario_from_dict({"tier": tier, "nodes": nodes, "windows_version": version})


@pytest.fixture(scope="module")
def tornado():
    return sensitivity(_scenario(), factor=2.0).set_index("input")


def test_columns_and_ranking(tornado):
    assert list(tornado.reset_index().columns) == list(SENSITIVITY_COLUMNS)
    swings = tornado["total_cost_swing_usd"].tolist()
    assert swings == sorted(swings, reverse=True)
    assert (
        tornado.loc["host.mttr_hours", "low"] == 4 and tornado.loc["host.mttr_hours", "high"] == 16
    )


def test_price_swing_by_hand(tornado):
    # 4 servers at 20,000 USD: 0.5x and 2x move the capex by -40,000 and +80,000
    row = tornado.loc["price.server"]
    assert row["total_cost_swing_usd"] == pytest.approx(1.5 * 4 * 20_000)
    # prices move no downtime
    assert row["low_vm_downtime_minutes_per_year"] == row["high_vm_downtime_minutes_per_year"]


def test_downtime_cost_swing_by_hand(tornado):
    sf = _scenario()
    down, _ = evaluate(sf)
    row = tornado.loc["economics.downtime_cost_per_hour_usd"]
    # 10,000 USD/hour / 2 and x 2 over 5 years: (20,000 - 5,000) x 5 x downtime / 60
    assert row["total_cost_swing_usd"] == pytest.approx(15_000 * 5 * down / 60, rel=1e-9)


@pytest.mark.parametrize("version", ["2012 R2", "2016", "2019", "2022", "2025"])
@pytest.mark.parametrize(
    "tier, nodes",
    [("cluster-minimal", 3), ("cluster-redundant-path", 4), ("cluster-redundant-connections", 8),
     ("single-redundant-path", 2)],
)  # fmt: skip
def test_longer_host_mttr_never_lowers_downtime(version, tier, nodes):
    sf = _scenario(tier, nodes, version)

    def down(**figures: float) -> float:
        rel = sf.reliability.replace(
            {"host": figures}
            if "failover" not in figures
            else {"failover_minutes": figures["failover"]}
        )
        return evaluate(sf.replace(reliability=rel))[0]

    assert down(mttr_hours=16) >= down(mttr_hours=8) >= down(mttr_hours=4)
    # and a longer MTBF never raises it; a longer failover never lowers it
    assert down(mtbf_hours=100_000) <= down(mtbf_hours=25_000)
    assert down(failover=7) >= down(failover=1.75)


def test_bad_factor():
    with pytest.raises(HvdesignError, match=r"^factor: 1 .*above 1"):
        sensitivity(_scenario(), factor=1)


def test_birnbaum_of_a_component_in_series():
    """The lone SAN is in series with everything: A = A_san x A(rest), so
    I_B(san) = A(rest) = A / A_san = A(san up) - A(san down) (A(san down) = 0)."""
    sf = _scenario()
    b = birnbaum(sf).set_index("kind")
    a = availability(sf.design, sf.reliability, sf.rules).availability
    a_san = sf.reliability.availability("san")
    assert b.loc["san", "birnbaum"] == pytest.approx(a / a_san, rel=1e-6)
    up = sf.reliability.replace({"san": {"mttr_hours": 0}})
    assert b.loc["san", "birnbaum"] == pytest.approx(
        availability(sf.design, up, sf.rules).availability, rel=1e-6
    )
    # the single-server tier: everything in series, I_B(host) = A / A_host
    single = _scenario("single-redundant-connections", 1)
    bs = birnbaum(single).set_index("kind")
    a1 = availability(single.design, single.reliability, single.rules).availability
    assert bs.loc["host", "birnbaum"] == pytest.approx(
        a1 / single.reliability.availability("host"), rel=1e-6
    )
    assert bs.loc["isl", "birnbaum"] == 0  # one switch: no inter-switch link


def test_birnbaum_ranks_the_spof_first():
    b = birnbaum(_scenario())
    assert b.iloc[0]["kind"] == "san"
    assert (b["birnbaum"] >= -1e-9).all()  # a coherent system: no component helps by failing
