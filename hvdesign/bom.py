"""The bill of materials of a design (domain.md §5): what it buys, read from its graph,
priced from the catalog, with each row's capital cost and running cost.

Quantities come from the design graph (:mod:`hvdesign.counts`), never from a table of
formulas: servers = hosts; NIC cards = hosts x the distinct cards of the host layout;
switches = the switch units every logical switch needs; cables = one per cable of the
cabling plan (host connections, SAN target portals, core uplinks, inter-switch links);
the SAN = its base plus one price per target portal (or, with a usable capacity, the
cheapest SAN model holding it, priced per TB); optional hardware iSCSI HBAs; the
licences of every host. Running costs per row: :mod:`hvdesign.opex`.
:mod:`hvdesign.cost` re-exports everything here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from hvdesign.catalog import Catalog, PriceItem, load_catalog
from hvdesign.counts import switch_ports, switch_units
from hvdesign.opex import DEFAULT_POWER_USD_PER_KWH, DEFAULT_PUE, power_usd_per_year
from hvdesign.spec import Design, host_layout
from hvdesign.topology import build_graph

#: Bill-of-materials categories, in drawing order.
CATEGORIES: tuple[str, ...] = ("servers", "network", "storage", "licences")

#: Columns of :func:`bill_of_materials`.
BOM_COLUMNS = [
    "category",
    "item",
    "description",
    "quantity",
    "unit_price_usd",
    "total_usd",
    "source",
    "year",
    "power_watts",
    "opex_usd_per_year",
]


# ------------------------------------------------------------ bill of materials


@dataclass(frozen=True)
class DesignCounts:
    """What a design's bill of materials counts, read from its graph."""

    nodes: int
    cluster: bool
    nic_cards_per_host: int
    nic_ports_per_card: int
    switch_units: int
    switch_ports_per_unit: int
    cables: int
    san_portals: int
    storage_connections_per_host: int


_COUNTS: dict[str, DesignCounts] = {}


def design_counts(design: Design) -> DesignCounts:
    """The quantities of ``design`` (cached: a sweep counts each design once).

    Cables = host connections + SAN target portals + core uplinks (one cable each, the
    ports used on the switches) + inter-switch links (two switch ports, one cable):
    the rows of :func:`hvdesign.plans.cabling_plan`.

    >>> from hvdesign.spec import design_from_tier
    >>> c = design_counts(design_from_tier("cluster-redundant-path", nodes=4))
    >>> c.nic_cards_per_host, c.switch_units, c.cables
    (3, 2, 29)
    """
    key = design.model_dump_json()
    hit = _COUNTS.get(key)
    if hit is not None:
        return hit
    ports = switch_ports(build_graph(design))
    units = switch_units(ports, design.switch_ports_per_unit)
    cables = sum(p["host"] + p["san"] + p["uplink"] for p in ports.values())
    cables += sum(p["isl"] for p in ports.values()) // 2
    counts = DesignCounts(
        nodes=design.nodes,
        cluster=design.cluster,
        nic_cards_per_host=len({p.card for p in host_layout(design)}),
        nic_ports_per_card=design.nic_ports_per_card,
        switch_units=sum(units.values()),
        switch_ports_per_unit=design.switch_ports_per_unit,
        cables=cables,
        san_portals=design.san_portals,
        storage_connections_per_host=design.storage_connections,
    )
    if len(_COUNTS) > 4096:
        _COUNTS.clear()
    _COUNTS[key] = counts
    return counts


#: A row of the bill of materials before its total: (category, item, description,
#: quantity, unit price [USD], source, year, unit power [W], unit support and
#: subscriptions [USD/year]).
_Row = tuple[str, str, str, int, float, str, int | None, float, float]


def _san_rows(cat: Catalog, usable_tb: float | None) -> list[_Row]:
    """The SAN: the flat ``san_base`` without a capacity, else the cheapest SAN model
    holding ``usable_tb`` [TB] (base + per TB x whole TB)."""
    if usable_tb is None:
        b = cat.san_base
        return [
            (
                "storage",
                "san_base",
                b.description,
                1,
                b.price_usd,
                b.source,
                b.year,
                b.power_watts,
                b.support_usd_per_year,
            )
        ]
    name, m = cat.san_model(usable_tb)
    tb = max(1, math.ceil(usable_tb - 1e-9))
    return [
        (
            "storage",
            f"san_{name}",
            m.description,
            1,
            m.price_usd,
            m.source,
            m.year,
            m.power_watts,
            m.support_usd_per_year,
        ),
        (
            "storage",
            f"san_{name}_capacity",
            f"usable capacity of the {name} SAN [TB, whole TB]",
            tb,
            m.price_usd_per_tb,
            m.source,
            m.year,
            0.0,
            0.0,
        ),
    ]


def _rows(
    c: DesignCounts,
    cat: Catalog,
    hba: bool,
    san_usable_tb: float | None = None,
    vms_per_host: int | None = None,
) -> list[_Row]:
    """The rows of the bill of materials (:data:`_Row`)."""
    card_ports, card = cat.nic_card(c.nic_ports_per_card)
    sw_ports, sw = cat.switch(c.switch_ports_per_unit)

    def row(category: str, item: str, i: PriceItem, qty: int, desc: str = "") -> _Row:
        return (
            category,
            item,
            desc or i.description,
            qty,
            i.price_usd,
            i.source,
            i.year,
            i.power_watts,
            i.support_usd_per_year,
        )

    # When the catalog has no model of the design's density, the next larger one is
    # bought and used at the design's density (switch units are counted at
    # switch_ports_per_unit, as the design's counts are): the description says so.
    card_desc = card.description + (
        f" (uses {c.nic_ports_per_card} of its {card_ports} ports: nic_ports_per_card)"
        if card_ports != c.nic_ports_per_card
        else ""
    )
    sw_desc = sw.description + (
        f" (used at {c.switch_ports_per_unit} of its {sw_ports} ports a unit: "
        "switch_ports_per_unit)"
        if sw_ports != c.switch_ports_per_unit
        else ""
    )
    rows = [
        row("servers", "server", cat.server, c.nodes),
        row(
            "network", f"nic_card_{card_ports}port", card, c.nodes * c.nic_cards_per_host, card_desc
        ),
        row("network", f"switch_{sw_ports}port", sw, c.switch_units, sw_desc),
        row("network", "cable", cat.cable, c.cables),
        *_san_rows(cat, san_usable_tb),
        row("storage", "san_portal", cat.san_portal, c.san_portals),
    ]
    if hba:
        per_host = math.ceil(c.storage_connections_per_host / cat.hba_ports_per_card)
        rows.append(row("storage", "hba", cat.hba, c.nodes * per_host))
    lic = cat.licence
    per_host = lic.licences_per_host(vms_per_host)
    desc = f"{lic.description} ({lic.licensed_cores} cores" + (
        f", {per_host} licences a host for {vms_per_host} VMs)" if per_host > 1 else ")"
    )
    sub = lic.licensed_cores / 16 * lic.subscription_usd_per_16_cores_per_year
    rows.append(
        (
            "licences",
            "licence",
            desc,
            c.nodes * per_host,
            lic.price_usd,
            lic.source,
            lic.year,
            0.0,
            sub,
        )
    )
    return rows


def bill_of_materials(
    design: Design,
    catalog: Catalog | None = None,
    *,
    hba: bool = False,
    san_usable_tb: float | None = None,
    vms_per_host: int | None = None,
    power_usd_per_kwh: float = DEFAULT_POWER_USD_PER_KWH,
    pue: float = DEFAULT_PUE,
) -> pd.DataFrame:
    """The bill of materials of ``design``: one row per item with ``category``
    (servers, network, storage, licences), ``item``, ``description``, ``quantity``,
    ``unit_price_usd`` [USD], ``total_usd`` [USD, capex], ``source`` and ``year`` of the
    price, ``power_watts`` [W, the row's] and ``opex_usd_per_year`` [USD/year, the
    row's power at ``power_usd_per_kwh`` and ``pue``, support and subscriptions,
    :mod:`hvdesign.opex`].

    With ``san_usable_tb`` [TB] the SAN is the cheapest catalog SAN model holding it,
    priced by its base and per whole TB (else the flat ``san_base``); with
    ``vms_per_host`` a licence edition with a VM limit (Standard: 2 VMs a licence) is
    bought once per ``vms_per_licence`` VMs a host may run.

    NIC cards are priced by the smallest catalog card with at least
    ``nic_ports_per_card`` ports, switches by the smallest catalog switch with at least
    ``switch_ports_per_unit`` ports (an error names the option when none fits). With
    ``hba``, every host also gets hardware iSCSI HBAs for its storage connections
    (ceil(storage connections / HBA ports)); the NIC cards of the layout stay.

    Examples
    --------
    >>> from hvdesign.spec import design_from_tier
    >>> bom = bill_of_materials(design_from_tier("cluster-redundant-path", nodes=4))
    >>> bom[["item", "quantity"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['server', 4], ['nic_card_2port', 12], ['switch_48port', 2], ['cable', 29],
     ['san_base', 1], ['san_portal', 2], ['licence', 4]]
    """
    cat = catalog or load_catalog()
    rows = [
        (*r[:5], r[3] * r[4], r[5], r[6], r[3] * r[7], r[3] * _unit_opex(r, power_usd_per_kwh, pue))
        for r in _rows(design_counts(design), cat, hba, san_usable_tb, vms_per_host)
    ]
    return pd.DataFrame(rows, columns=BOM_COLUMNS)


def _unit_opex(r: _Row, power_usd_per_kwh: float, pue: float) -> float:
    return power_usd_per_year(r[7], power_usd_per_kwh, pue) + r[8]


def _capex(
    c: DesignCounts,
    cat: Catalog,
    hba: bool,
    san_usable_tb: float | None = None,
    vms_per_host: int | None = None,
) -> float:
    return float(sum(r[3] * r[4] for r in _rows(c, cat, hba, san_usable_tb, vms_per_host)))


def _opex(
    c: DesignCounts,
    cat: Catalog,
    hba: bool,
    power_usd_per_kwh: float,
    pue: float,
    san_usable_tb: float | None = None,
    vms_per_host: int | None = None,
) -> float:
    rows = _rows(c, cat, hba, san_usable_tb, vms_per_host)
    return float(sum(r[3] * _unit_opex(r, power_usd_per_kwh, pue) for r in rows))


def opex(
    design: Design,
    catalog: Catalog | None = None,
    *,
    power_usd_per_kwh: float = DEFAULT_POWER_USD_PER_KWH,
    pue: float = DEFAULT_PUE,
    hba: bool = False,
    san_usable_tb: float | None = None,
    vms_per_host: int | None = None,
) -> float:
    """Running cost of ``design`` [USD/year]: power + support + licence subscriptions
    (:mod:`hvdesign.opex`), the sum of the bill of materials' ``opex_usd_per_year``.

    >>> from hvdesign.spec import design_from_tier
    >>> round(opex(design_from_tier("cluster-redundant-path", nodes=4)))
    17889
    """
    cat = catalog or load_catalog()
    c = design_counts(design)
    return _opex(c, cat, hba, power_usd_per_kwh, pue, san_usable_tb, vms_per_host)
