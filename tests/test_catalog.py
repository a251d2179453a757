"""Tests of the price catalog (:mod:`hvdesign.catalog`): the shipped file's sources,
partial user files, the licence rules of FACTS.md, and the messages of bad files (each
names the entry as ``catalog.ITEM.FIELD``, the file and what is allowed)."""

from __future__ import annotations

import pytest
import yaml

from hvdesign.catalog import (
    CATALOG_ITEMS,
    CatalogFile,
    Licence,
    allowed_text,
    catalog_from_dict,
    load_catalog,
    merge_catalog,
)
from hvdesign.cost import bill_of_materials
from hvdesign.datafiles import data_path
from hvdesign.errors import HvdesignError
from hvdesign.spec import design_from_tier

PLACEHOLDER = "placeholder (2026): replace with a quote"


@pytest.fixture(scope="module")
def raw() -> dict:
    """The shipped catalog file as plain data."""
    return yaml.safe_load(data_path("catalog.yaml").read_text(encoding="utf-8"))


def test_shipped_catalog_cites_a_source_and_year_for_every_figure(raw):
    entries = [raw[k] for k in ("server", "cable", "san_base", "san_portal", "hba", "licence")]
    entries += list(raw["nic_cards"].values()) + list(raw["switches"].values())
    for entry in entries:
        assert entry["source"].strip() and isinstance(entry["year"], int)
    # Only the licence price was read in a source (FACTS.md); the rest are placeholders.
    assert (
        "Microsoft" in raw["licence"]["source"] and raw["licence"]["price_usd_per_16_cores"] == 6155
    )
    assert all(e["source"] == PLACEHOLDER for e in entries if e is not raw["licence"])
    assert sorted(raw["nic_cards"]) == [1, 2, 4] and sorted(raw["switches"]) == [24, 48]
    assert raw["currency"] == "USD"


def test_partial_file_overrides_only_what_it_names(tmp_path):
    path = tmp_path / "prices.yaml"
    path.write_text("server:\n  price_usd: 25000\nswitches:\n  32:\n    price_usd: 11000\n")
    shipped, cat = load_catalog(), load_catalog(path)
    assert cat.server.price_usd == 25000 and cat.server.source == "user catalog prices.yaml"
    assert cat.server.year is None and cat.server.description == shipped.server.description
    assert sorted(cat.switches) == [24, 32, 48]
    assert cat.switches[48] == shipped.switches[48] and cat.cable == shipped.cable
    # a 30-port unit now takes the 32-port switch
    d = design_from_tier("cluster-minimal", nodes=2, switch_ports_per_unit=30)
    assert "switch_32port" in set(bill_of_materials(d, cat)["item"])


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "server:\n  price_usd: abc\n",
            r"^catalog\.server\.price_usd: 'abc' is not valid \(in .*prices\.yaml\); "
            r"allowed: a number from 0 to 1e\+09$",
        ),
        ("server:\n  price_usd: -5\n", r"^catalog\.server\.price_usd: -5 .*a number from 0 to"),
        # issue 13: a price is bounded (a sum of 1e308s prints "inf USD", invalid JSON)
        ("server:\n  price_usd: 1.0e+308\n", r"^catalog\.server\.price_usd: 1e\+308 .*to 1e\+09$"),
        # issue 13: superscript digits are not a port count ("²".isdigit() is true)
        (
            "switches:\n  '²': {price_usd: 1, source: x}\n",
            r"^catalog\.switches\.²: '²' .*port count",
        ),
        (
            "servr:\n  price_usd: 5\n",
            r"^catalog: 'servr' is not valid \(unknown item.*allowed: items currency, server, "
            r"nic_cards, switches, cable, san_base, san_portal, hba, licence",
        ),
        ("server:\n  prize_usd: 5\n", r"^catalog\.server\.prize_usd: .*unknown field"),
        ("switches:\n  48:\n    price_usd: [1]\n", r"^catalog\.switches\.48\.price_usd: \[1\]"),
        ("switches:\n  big:\n    price_usd: 1\n", r"^catalog\.switches\.big: 'big' .*port count"),
        (
            "nic_cards:\n  8:\n    description: no price\n",
            r"^catalog\.nic_cards\.8\.price_usd: None is not valid \(missing",
        ),
        ("licence:\n  cores_per_host: 2.5\n", r"^catalog\.licence\.cores_per_host: 2\.5"),
        ("hba:\n  ports_per_card: 0\n", r"^catalog\.hba\.ports_per_card: 0 "),
        ("currency: EUR\n", r"^catalog\.currency: 'EUR' .*allowed: USD"),
        ("server:\n  year: 1800\n", r"^catalog\.server\.year: 1800 .*a year from 1990"),
        ("server: 5\n", r"^catalog\.server: 5 .*a mapping of fields"),
        ("- server\n", r"^catalog: \['server'\] .*a mapping of"),
        ("server:\n  price_usd: 1\n   source: x\n", r"^catalog file: .*line 3"),
    ],
)
def test_bad_catalog_files_are_rejected_with_clear_messages(tmp_path, text, message):
    path = tmp_path / "prices.yaml"
    path.write_text(text)
    with pytest.raises(HvdesignError, match=message):
        load_catalog(path)


def test_missing_catalog_file_and_empty_file(tmp_path):
    with pytest.raises(HvdesignError, match=r"^catalog file: .*nope\.yaml.*readable"):
        load_catalog(tmp_path / "nope.yaml")
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing\n")
    assert load_catalog(empty) == load_catalog()


def test_catalog_round_trips_through_plain_data():
    cat = load_catalog()
    assert merge_catalog(cat, cat.to_dict()) == cat


# FACTS.md, "Prices": Windows Server 2016+ licenses all cores, at least 8 per processor
# and 16 per server, in 2-core packs.
def test_licence_minimums():
    cat = merge_catalog(
        load_catalog(), {"licence": {"cores_per_host": 6, "processors_per_host": 1}}
    )
    assert cat.licence.licensed_cores == 16  # at least 16 per server
    cat = merge_catalog(
        load_catalog(), {"licence": {"cores_per_host": 12, "processors_per_host": 4}}
    )
    assert cat.licence.licensed_cores == 32  # at least 8 per processor
    cat = merge_catalog(load_catalog(), {"licence": {"cores_per_host": 33}})
    assert cat.licence.licensed_cores == 34  # 2-core packs


def test_licence_price_is_per_16_cores_by_hand():
    # 32 cores at 6155 USD per 16 cores (FACTS.md list price): 2 x 6155.
    assert Licence("", 6155.0, 32, 2, "", None).price_usd == 12310.0


def test_cost_still_exports_the_catalog_names():
    from hvdesign import cost

    assert cost.load_catalog is load_catalog and cost.merge_catalog is merge_catalog
    assert cost.catalog_from_dict is catalog_from_dict and cost.CATALOG_ITEMS == CATALOG_ITEMS


def test_file_model_fields_are_the_catalog_items():
    assert set(CatalogFile.model_fields) == set(CATALOG_ITEMS)
    assert allowed_text("licence") == (
        "a mapping of description, price_usd_per_16_cores, cores_per_host, "
        "processors_per_host, source, year, vms_per_licence, "
        "subscription_usd_per_16_cores_per_year"
    )


@pytest.mark.parametrize(
    "change, message",
    [
        ({"currency": "EUR"}, r"^catalog\.currency: 'EUR' is not valid; allowed: USD"),
        ({"nic_cards": {}}, r"^catalog\.nic_cards: \{\} .*a mapping of port counts"),
        ({"switches": {"7x": {"price_usd": 1}}}, r"^catalog\.switches\.7x: '7x' .*port count"),
        ({"extra": 1}, r"^catalog: 'extra' is not valid \(unknown item"),
        ({"server": {"price_usd": 1}}, r"^catalog\.server\.source: None .*\(missing"),
        ({"server": {"price_usd": 1, "source": " "}}, r"^catalog\.server\.source: ' ' .*non-empty"),
        ({"server": {"price_usd": True, "source": "s"}}, r"^catalog\.server\.price_usd: True"),
        ({"server": {"source": "s", "zz": 1}}, r"^catalog\.server\.zz: 1 .*unknown field"),
    ],
)
def test_complete_catalog_errors(change, message):
    data = {**load_catalog().to_dict(), **change}
    with pytest.raises(HvdesignError, match=message):
        catalog_from_dict(data)


def test_missing_item_of_a_complete_catalog():
    data = load_catalog().to_dict()
    del data["cable"]
    with pytest.raises(HvdesignError, match=r"^catalog\.cable: None is not valid \(missing\)"):
        catalog_from_dict(data)
