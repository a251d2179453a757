"""The figures a report computes from, each marked as the user's or a shipped default.

A figure is the user's (:data:`YOURS`) when it differs from the shipped one in its value
or its source: set in the scenario file's ``rules``, ``reliability``, ``catalog`` or
``economics`` section, a ``--catalog``/``--reliability`` file or a command-line option.
Otherwise it is the shipped default (:data:`SHIPPED`: ``data/reliability.yaml``,
``data/catalog.yaml``, the default failure rules and economics of
:mod:`hvdesign.scenariofile`). These functions return tables (pandas); the report's
Parameters section lays them out.

Examples
--------
>>> from hvdesign.scenariofile import scenario_from_dict
>>> sf = scenario_from_dict({"tier": "cluster-minimal", "nodes": 2,
...                          "catalog": {"server": {"price_usd": 25000}},
...                          "economics": {"years": 3}})
>>> user_figures(sf)
['horizon in years', 'price: server']
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from hvdesign.scenariofile import Economics, ScenarioFile, rules_to_dict

#: How the report says where a figure comes from.
YOURS, SHIPPED = "yours", "shipped default"

#: Labels of the rules (scenario file key -> label with unit).
RULE_LABELS: dict[str, str] = {
    "reserve": "reserve [hosts]",
    "quorum": "quorum",
    "csv_redirected_io": "CSV redirected I/O",
    "network_health_detection": "network health detection",
    "cluster_networks": "cluster networks",
}

#: Labels of the economics (scenario file key -> label with unit).
ECONOMICS_LABELS: dict[str, str] = {
    "downtime_cost_per_hour_usd": "cost of an hour of all VMs down [USD/hour]",
    "years": "horizon of the total cost [years]",
    "power_usd_per_kwh": "price of electrical power [USD/kWh]",
    "pue": "power usage effectiveness (PUE) of the data centre",
}

#: Short names of the economics in :func:`user_figures`.
_ECONOMICS_SHORT = {
    "downtime_cost_per_hour_usd": "downtime cost per hour",
    "years": "horizon in years",
    "power_usd_per_kwh": "power price per kWh",
    "pue": "PUE",
}


def _origin(mine: Any, shipped: Any) -> str:
    return SHIPPED if mine == shipped else YOURS


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return "never fails" if math.isinf(value) else f"{value:,.10g}"
    return str(value)


def rules_table(sf: ScenarioFile) -> pd.DataFrame:
    """The failure rules, the economics and the failover time: ``parameter``,
    ``value``, ``scenario file key``, ``from`` (yours or shipped default)."""
    from hvdesign.failures import FailureRules
    from hvdesign.reliability import default_reliability

    mine, shipped = rules_to_dict(sf.rules), rules_to_dict(FailureRules())
    rows = [
        (RULE_LABELS[k], _value_text(v), f"rules.{k}", _origin(v, shipped[k]))
        for k, v in mine.items()
    ]
    eco, eco0 = sf.economics.to_dict(), Economics().to_dict()
    rows += [
        (ECONOMICS_LABELS[k], _value_text(v), f"economics.{k}", _origin(v, eco0[k]))
        for k, v in eco.items()
    ]
    fo, fo0 = sf.reliability.failover, default_reliability().failover
    rows.append(
        (
            "failover: VMs of a failed host down for [minutes]",
            _value_text(fo.value),
            "reliability.failover_minutes",
            _origin(fo, fo0),
        )
    )
    return pd.DataFrame(rows, columns=["parameter", "value", "scenario file key", "from"])


def reliability_table(sf: ScenarioFile) -> pd.DataFrame:
    """Every component kind's MTBF [h], MTTR [h], its availability, the sources and
    whether each figure is yours or the shipped default."""
    from hvdesign.reliability import KINDS, default_reliability

    rel, rel0 = sf.reliability, default_reliability()
    rows = []
    for kind in KINDS:
        mtbf, mttr = rel.figure(kind, "mtbf_hours"), rel.figure(kind, "mttr_hours")
        theirs = [
            label
            for label, name in (("MTBF", "mtbf_hours"), ("MTTR", "mttr_hours"))
            if rel.figure(kind, name) != rel0.figure(kind, name)
        ]
        rows.append(
            (
                kind,
                mtbf.value,
                mttr.value,
                round(rel.availability(kind), 7),
                mtbf.source,
                mttr.source,
                f"{YOURS}: {', '.join(theirs)}" if theirs else SHIPPED,
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "component kind",
            "MTBF [h]",
            "MTTR [h]",
            "availability",
            "source (MTBF)",
            "source (MTTR)",
            "from",
        ],
    )


#: Catalog sections that hold several models by name (server, SAN and licence models).
_MODEL_COLLECTIONS = ("servers", "san_models", "licences")


def _price_entries(catalog_dict: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The priced entries of a catalog's data, by their key in the catalog file."""
    out: dict[str, dict[str, Any]] = {}
    for key, value in catalog_dict.items():
        if key in ("nic_cards", "switches", *_MODEL_COLLECTIONS):
            for name, entry in value.items():
                out[f"{key}.{name}"] = entry
        elif isinstance(value, dict):
            out[key] = value
    return out


def price_label(key: str) -> str:
    """A catalog entry's key as a reader names it: ``nic_cards.2`` -> "2-port NIC
    card", ``san_base`` -> "SAN (controllers and disks)", ``servers.medium`` -> "server
    model medium".

    >>> price_label("switches.48"), price_label("san_models.entry"), price_label("licence")
    ('48-port switch', 'SAN model entry', 'Windows Server licence')
    """
    from hvdesign.views.cost import item_name

    group, _, name = key.partition(".")
    if group == "nic_cards":
        return item_name(f"nic_card_{name}port")
    if group == "switches":
        return item_name(f"switch_{name}port")
    words = {"servers": "server model", "san_models": "SAN model", "licences": "licence"}
    if group in words:
        return f"{words[group]} {name}"
    return item_name(key)


def prices_table(sf: ScenarioFile) -> pd.DataFrame:
    """Every catalog entry: ``item`` (its key in the catalog), ``description``,
    ``price [USD]`` (the licence per 16 cores), ``source``, ``year``, ``from``."""
    from hvdesign.catalog import load_catalog

    mine, shipped = _price_entries(sf.catalog.to_dict()), _price_entries(load_catalog().to_dict())
    rows = []
    for key, entry in mine.items():
        per16 = "price_usd_per_16_cores" in entry
        price = entry["price_usd_per_16_cores" if per16 else "price_usd"]
        rows.append(
            (
                key,
                entry.get("description", "") + (" (price per 16 cores)" if per16 else ""),
                round(float(price)),
                entry.get("source", ""),
                entry.get("year"),
                _origin(entry, shipped.get(key)),
            )
        )
    df = pd.DataFrame(
        rows, columns=["item", "description", "price [USD]", "source", "year", "from"]
    )
    df["year"] = pd.to_numeric(df["year"]).astype("Int64")
    return df


def user_figures(sf: ScenarioFile) -> list[str]:
    """The names of the figures that are the user's, in the order of the tables."""
    names = []
    rules = rules_table(sf)
    for key, origin in zip(rules["scenario file key"], rules["from"], strict=True):
        if origin != YOURS:
            continue
        section, _, field = key.partition(".")
        if section == "economics":
            names.append(_ECONOMICS_SHORT[field])
        elif section == "rules":
            names.append(f"rule: {field}")
        else:
            names.append("failover minutes")
    rel = reliability_table(sf)
    for kind, origin in zip(rel["component kind"], rel["from"], strict=True):
        if origin.startswith(YOURS):
            names.append(f"{kind} {origin.split(': ', 1)[1]}")
    prices = prices_table(sf)
    names += [
        f"price: {price_label(k)}"
        for k, o in zip(prices["item"], prices["from"], strict=True)
        if o == YOURS
    ]
    return names
