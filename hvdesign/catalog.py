"""The price catalog (domain.md §5): priced items with their source and year, the
per-host licence, and the catalog file format (``data/catalog.yaml``, every figure
with its source and year; most are placeholders to replace with a quote).

A catalog file is validated by pydantic models (:class:`CatalogFile`, one model per
kind of entry) whose fields say what they allow; every problem becomes one
:class:`~hvdesign.errors.HvdesignError` naming the entry as ``catalog.ITEM.FIELD``.

References
----------
[1] ``shared/domain.md`` section 5.
[2] ``shared/FACTS.md``, "Prices": the Windows Server Datacenter list price.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import ErrorDetails

from hvdesign.datafiles import data_path, read_yaml
from hvdesign.errors import HvdesignError
from hvdesign.validation import Describe, validate

#: Items of a catalog file, in file order.
CATALOG_ITEMS: tuple[str, ...] = (
    "currency",
    "server",
    "nic_cards",
    "switches",
    "cable",
    "san_base",
    "san_portal",
    "hba",
    "licence",
    "servers",
    "san_models",
    "licences",
)


@dataclass(frozen=True)
class PriceItem:
    """One priced item of the catalog: ``price_usd`` [USD each], with its source and
    the year of the price (``None`` when a user catalog gives none)."""

    description: str
    price_usd: float
    source: str
    year: int | None
    #: Electrical power drawn in operation [W] (the running costs of :mod:`hvdesign.opex`).
    power_watts: float = 0.0
    #: Hardware support contract [USD/year].
    support_usd_per_year: float = 0.0


@dataclass(frozen=True)
class ServerItem(PriceItem):
    """A server model: a priced item with its physical ``cores``, ``processors``
    (sockets) and ``memory_gb`` [GB] (the sizing of :mod:`hvdesign.sizing`)."""

    cores: int = 32
    processors: int = 2
    memory_gb: float = 512.0


@dataclass(frozen=True)
class SanItem(PriceItem):
    """A SAN model priced by capacity: ``price_usd`` is its base (controllers, shelf),
    plus ``price_usd_per_tb`` per usable TB [USD/TB] up to ``max_usable_tb`` [TB]."""

    price_usd_per_tb: float = 0.0
    max_usable_tb: float = 0.0


@dataclass(frozen=True)
class Licence:
    """The per-host licence, priced per 16 cores [USD/16 cores].

    Licensing rules (Windows Server 2016 onward, FACTS.md): all physical cores, at least
    8 per processor and 16 per server, sold in 2-core packs.
    """

    description: str
    price_usd_per_16_cores: float
    cores_per_host: int
    processors_per_host: int
    source: str
    year: int | None
    #: VMs (OSEs) one licence of all cores allows on a host; None: unlimited
    #: (Datacenter); 2 for Standard, licensed again for every further 2 VMs.
    vms_per_licence: int | None = None
    #: Software Assurance or subscription per 16 cores and year [USD/year]: opex. The
    #: perpetual licence (``price_usd_per_16_cores``) is capex.
    subscription_usd_per_16_cores_per_year: float = 0.0

    def licences_per_host(self, vms_on_host: int | None = None) -> int:
        """Licences of all cores one host needs: 1 with unlimited VMs (Datacenter),
        else ceil(VMs on the host / ``vms_per_licence``) (Standard: every 2 VMs).

        >>> Licence("", 1069, 32, 2, "", None, vms_per_licence=2).licences_per_host(31)
        16
        """
        if self.vms_per_licence is None or vms_on_host is None:
            return 1
        return max(1, -(-vms_on_host // self.vms_per_licence))

    @property
    def licensed_cores(self) -> int:
        """Cores to license per host: max(cores, 8 per processor, 16), rounded up to
        whole 2-core packs.

        >>> Licence("", 6155, 32, 2, "", None).licensed_cores
        32
        >>> Licence("", 6155, 6, 1, "", None).licensed_cores  # the 16-core minimum
        16
        """
        cores = max(self.cores_per_host, 8 * self.processors_per_host, 16)
        return cores + cores % 2

    @property
    def price_usd(self) -> float:
        """Licence price per host [USD]: licensed cores / 16 x price per 16 cores.

        >>> Licence("", 6155, 32, 2, "", None).price_usd
        12310.0
        """
        return self.licensed_cores / 16 * self.price_usd_per_16_cores


@dataclass(frozen=True, eq=True)
class Catalog:
    """A validated price catalog (build it with :func:`load_catalog`).

    ``nic_cards`` and ``switches`` map ports per card / per unit to their item; a
    design uses the smallest model with enough ports (:meth:`nic_card`, :meth:`switch`).
    """

    currency: str
    server: ServerItem
    nic_cards: dict[int, PriceItem]
    switches: dict[int, PriceItem]
    cable: PriceItem
    san_base: PriceItem
    san_portal: PriceItem
    hba: PriceItem
    hba_ports_per_card: int
    licence: Licence
    #: Server models by name (:meth:`with_server` makes one the design's ``server``).
    servers: dict[str, ServerItem] = dataclass_field(default_factory=dict)
    #: SAN models by name, priced by usable capacity (:meth:`san_model`).
    san_models: dict[str, SanItem] = dataclass_field(default_factory=dict)
    #: Licence editions by name (``datacenter``, ``standard``; :meth:`with_licence`).
    licences: dict[str, Licence] = dataclass_field(default_factory=dict)

    def nic_card(self, ports_per_card: int) -> tuple[int, PriceItem]:
        """(ports, item) of the smallest NIC card with at least ``ports_per_card`` ports.

        >>> load_catalog().nic_card(3)[0]
        4
        """
        return _smallest(self.nic_cards, ports_per_card, "nic_ports_per_card", "nic_cards")

    def switch(self, ports_per_unit: int) -> tuple[int, PriceItem]:
        """(ports, item) of the smallest switch with at least ``ports_per_unit`` ports.

        >>> load_catalog().switch(48)[0]
        48
        """
        return _smallest(self.switches, ports_per_unit, "switch_ports_per_unit", "switches")

    def with_server(self, model: str) -> Catalog:
        """The catalog with the server model ``model`` of :attr:`servers` as the
        design's ``server`` (its cores and processors licensed).

        >>> load_catalog().with_server("large").server.cores
        64
        """
        if model not in self.servers:
            raise HvdesignError(
                "server", model, "a server model of the catalog: " + ", ".join(self.servers)
            )
        item = self.servers[model]
        lic = replace(self.licence, cores_per_host=item.cores, processors_per_host=item.processors)
        return replace(self, server=item, licence=lic)

    def with_licence(self, edition: str) -> Catalog:
        """The catalog with the licence edition ``edition`` of :attr:`licences` as the
        design's ``licence`` (the server's cores kept)."""
        if edition not in self.licences:
            raise HvdesignError(
                "licence", edition, "a licence edition of the catalog: " + ", ".join(self.licences)
            )
        lic = replace(
            self.licences[edition],
            cores_per_host=self.licence.cores_per_host,
            processors_per_host=self.licence.processors_per_host,
        )
        return replace(self, licence=lic)

    def san_model(self, usable_tb: float) -> tuple[str, SanItem]:
        """(name, model) of the cheapest SAN model with ``max_usable_tb`` >= ``usable_tb``
        [TB] at that capacity (base + per TB x usable TB).

        >>> load_catalog().san_model(10.0)[0], load_catalog().san_model(100.0)[0]
        ('entry', 'midrange')
        """
        fits = [(n, m) for n, m in self.san_models.items() if m.max_usable_tb >= usable_tb]
        if not fits:
            top = max((m.max_usable_tb for m in self.san_models.values()), default=0.0)
            raise HvdesignError(
                "san_usable_tb",
                round(usable_tb, 3),
                f"at most {top:g} TB, the largest SAN model of the catalog (san_models)",
                detail="add a larger SAN model with --catalog",
            )
        return min(fits, key=lambda nm: nm[1].price_usd + nm[1].price_usd_per_tb * usable_tb)

    def to_dict(self) -> dict[str, Any]:
        """The catalog as plain data in the catalog file format (loadable back)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        for key in ("nic_cards", "switches", "servers", "san_models", "licences"):
            data[key] = {k: asdict(v) for k, v in data[key].items()}
        for lic in data["licences"].values():
            del lic["cores_per_host"], lic["processors_per_host"]
        for key in ("server", "cable", "san_base", "san_portal", "hba", "licence"):
            data[key] = asdict(data[key])
        data["hba"]["ports_per_card"] = data.pop("hba_ports_per_card")
        return data


def _smallest(
    models: dict[int, PriceItem], need: int, field: str, item: str
) -> tuple[int, PriceItem]:
    fits = [p for p in models if p >= need]
    if not fits:
        sizes = ", ".join(map(str, sorted(models)))
        raise HvdesignError(
            field,
            need,
            f"at most {max(models)}, the largest of the catalog's {item} ({sizes} ports)",
            detail=f"no catalog entry under {item} has {need} ports; add one with --catalog",
        )
    return min(fits), models[min(fits)]


def _err(field: str, value: Any, allowed: str, *detail: str) -> HvdesignError:
    return HvdesignError(field, value, allowed, detail="; ".join(d for d in detail if d))


# ----------------------------------------------------------- the file format

#: A whole number written in ASCII digits, at most 9 of them (no superscripts, no
#: 5,000-digit text that int() refuses).
WHOLE_NUMBER = re.compile(r"[0-9]{1,9}", re.ASCII)
#: The largest price of one item [USD]: sums of a 64-node design stay finite.
MAX_PRICE_USD = 1e9
_NUMBER = f"a number from 0 to {MAX_PRICE_USD:g}"
_WATTS = "a number of watts from 0 to 1e+06"
_Text = Annotated[str, StringConstraints(strip_whitespace=True)]
_Source = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_Price = Annotated[float, Field(ge=0, le=MAX_PRICE_USD, allow_inf_nan=False, description=_NUMBER)]
_Year = Annotated[int | None, Field(ge=1990, le=2100)]
_YEAR = "a year from 1990 to 2100"


def _port_count(key: Any) -> Any:
    """A port count given as text (``"48"``, a JSON key) as ``int``: ASCII digits
    only (``"²".isdigit()`` is true, ``int("²")`` fails), anything else unchanged
    for the check to refuse.

    >>> _port_count("48"), _port_count(" 8 "), _port_count("²"), _port_count("4.0")
    (48, 8, '²', '4.0')
    """
    if isinstance(key, str) and (m := WHOLE_NUMBER.fullmatch(key.strip())):
        return int(m.group())
    return key


#: What a port count (the key of a NIC card or switch model) allows.
PORT_COUNT_ALLOWED = "a port count from 1 to 256"
_PortCount = Annotated[int, BeforeValidator(_port_count), Field(ge=1, le=256)]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class PriceEntry(_Entry):
    """A priced item in the catalog file: ``price_usd`` [USD each], its source and
    year (``description`` and ``year`` optional)."""

    description: _Text = Field("", description="text")
    price_usd: _Price = Field(description=_NUMBER)
    source: _Source = Field(description="non-empty text")
    year: _Year = Field(None, description=_YEAR)
    power_watts: float = Field(0.0, ge=0, le=1e6, allow_inf_nan=False, description=_WATTS)
    support_usd_per_year: _Price = Field(0.0, description=_NUMBER)


class ServerEntry(PriceEntry):
    """A server model: a priced item with its cores, processors and memory [GB]."""

    cores: int = Field(32, ge=1, le=1024, description="a whole number from 1 to 1024")
    processors: int = Field(2, ge=1, le=16, description="a whole number from 1 to 16")
    memory_gb: float = Field(
        512.0, gt=0, le=1e6, allow_inf_nan=False, description="a number of GB above 0"
    )


class SanEntry(PriceEntry):
    """A SAN model: base price, price per usable TB and its capacity limit [TB]."""

    price_usd_per_tb: _Price = Field(0.0, description=_NUMBER)
    max_usable_tb: float = Field(gt=0, le=1e6, allow_inf_nan=False, description="TB above 0")


class HbaEntry(PriceEntry):
    """The hardware iSCSI HBA: a priced item and its ports per card."""

    ports_per_card: int = Field(ge=1, le=8, description="a whole number from 1 to 8")


class LicenceEntry(_Entry):
    """The per-host licence in the catalog file: price per 16 cores [USD], the cores
    and processors of a host."""

    description: _Text = Field("", description="text")
    price_usd_per_16_cores: _Price = Field(description=_NUMBER)
    cores_per_host: int = Field(ge=1, le=1024, description="a whole number from 1 to 1024")
    processors_per_host: int = Field(ge=1, le=16, description="a whole number from 1 to 16")
    source: _Source = Field(description="non-empty text")
    year: _Year = Field(None, description=_YEAR)
    vms_per_licence: int | None = Field(
        None, ge=1, le=1000, description="a whole number of VMs, or null (unlimited)"
    )
    subscription_usd_per_16_cores_per_year: _Price = Field(0.0, description=_NUMBER)


class EditionEntry(LicenceEntry):
    """A licence edition of ``licences``: a licence without the host's cores."""

    cores_per_host: int = Field(32, ge=1, le=1024, description="a whole number from 1 to 1024")
    processors_per_host: int = Field(2, ge=1, le=16, description="a whole number from 1 to 16")


_NAMED = "a mapping of model names to entries"
_Name = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,40}$")]


_MODELS = "a mapping of port counts to items, e.g. {48: {price_usd: 14000, source: ...}}"


class CatalogFile(BaseModel):
    """A complete catalog file (fields in the order they are checked)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    currency: Literal["USD"] = Field(description="USD (convert prices to USD)")
    server: ServerEntry
    cable: PriceEntry
    san_base: PriceEntry
    san_portal: PriceEntry
    hba: HbaEntry
    nic_cards: dict[_PortCount, PriceEntry] = Field(min_length=1, description=_MODELS)
    switches: dict[_PortCount, PriceEntry] = Field(min_length=1, description=_MODELS)
    licence: LicenceEntry
    servers: dict[_Name, ServerEntry] = Field(default_factory=dict, description=_NAMED)
    san_models: dict[_Name, SanEntry] = Field(default_factory=dict, description=_NAMED)
    licences: dict[_Name, EditionEntry] = Field(default_factory=dict, description=_NAMED)


_ENTRY_MODELS: dict[str, type[_Entry]] = {
    "hba": HbaEntry,
    "licence": LicenceEntry,
    "server": ServerEntry,
    "servers": ServerEntry,
    "san_models": SanEntry,
    "licences": EditionEntry,
}


def _entry_model(loc: tuple[Any, ...]) -> type[_Entry]:
    """The model of the entry at ``loc`` (``("server",)``, ``("switches", 48)``)."""
    return _ENTRY_MODELS.get(str(loc[0]), PriceEntry)


def _order(errors: list[ErrorDetails]) -> list[ErrorDetails]:
    """Problems in the order a reader fixes them: an unknown item, a missing item,
    then entry by entry, each entry's unknown fields first."""

    def rank(pair: tuple[int, ErrorDetails]) -> tuple[int, int, int]:
        i, e = pair
        top = len(e["loc"]) == 1
        if top and e["type"] == "extra_forbidden":
            return (0, 0, i)
        if top and e["type"] == "missing":
            return (1, 0, i)
        entry = e["loc"][:-1]
        first = next(j for j, x in enumerate(errors) if x["loc"][:-1] == entry)
        return (2, first, 0 if e["type"] == "extra_forbidden" else 1)

    return [e for _, e in sorted(enumerate(errors), key=rank)]


def _item_problem(e: ErrorDetails) -> tuple[str, Any, str, str]:
    """(field, value, allowed, detail) of a problem with a whole catalog item."""
    item, kind = str(e["loc"][0]), e["type"]
    if kind == "extra_forbidden":
        return "catalog", item, "items " + ", ".join(CATALOG_ITEMS), "unknown item"
    if kind == "missing":
        return f"catalog.{item}", None, "present", "missing"
    return f"catalog.{item}", e.get("input"), allowed_text(item), ""


def _entry_problem(e: ErrorDetails) -> tuple[str, Any, str, str]:
    """(field, value, allowed, detail) of a problem inside a catalog entry."""
    loc, kind = e["loc"], e["type"]
    path = ".".join(["catalog", *map(str, loc)])
    names = ", ".join(_entry_model(loc).model_fields)
    if len(loc) == 2 and loc[0] in _MAPPED:  # the model is no mapping
        return path, e.get("input"), "a mapping of " + names, ""
    if kind in ("extra_forbidden", "invalid_key"):  # an unknown or non-text field name
        return path, e.get("input"), "fields " + names, "unknown field"
    field = _entry_model(loc).model_fields.get(str(loc[-1]))
    allowed = (field.description if field else "") or "fields " + names
    if kind == "missing":
        return path, None, allowed, "missing"
    return path, e.get("input"), allowed, ""


def _describer(where: str) -> Describe:
    """Words a :class:`CatalogFile` problem as the package's error, naming the entry as
    ``catalog.ITEM.FIELD`` and adding ``where`` (the file)."""

    def describe(e: ErrorDetails) -> HvdesignError:
        loc = e["loc"]
        if loc[-1] == "[key]":  # a NIC card or switch size that is no port count
            path = f"catalog.{loc[0]}.{e.get('input')}"
            return _err(path, e.get("input"), PORT_COUNT_ALLOWED, where)
        field, value, allowed, detail = _item_problem(e) if len(loc) == 1 else _entry_problem(e)
        return _err(field, value, allowed, detail, where)

    return describe


def allowed_text(item: str) -> str:
    """What the catalog item ``item`` allows, in words.

    >>> allowed_text("cable")
    'a mapping of description, price_usd, source, year, power_watts, support_usd_per_year'
    """
    field = CatalogFile.model_fields[item]
    if field.description:
        return field.description
    return "a mapping of " + ", ".join(_ENTRY_MODELS.get(item, PriceEntry).model_fields)


def _check_items(data: Any, where: str) -> None:
    if not isinstance(data, Mapping):
        raise _err("catalog", data, "a mapping of " + ", ".join(CATALOG_ITEMS), where)
    for key in data:
        if key not in CATALOG_ITEMS:
            raise _err("catalog", key, "items " + ", ".join(CATALOG_ITEMS), "unknown item", where)


#: Items that map a port count or a model name to entries.
_MAPPED = ("nic_cards", "switches", "servers", "san_models", "licences")


def _item(entry: PriceEntry) -> PriceItem:
    return PriceItem(
        entry.description,
        entry.price_usd,
        entry.source,
        entry.year,
        entry.power_watts,
        entry.support_usd_per_year,
    )


def _server(entry: ServerEntry) -> ServerItem:
    return ServerItem(**entry.model_dump())


def _san(entry: SanEntry) -> SanItem:
    return SanItem(**entry.model_dump())


def _licence(lic: LicenceEntry) -> Licence:
    return Licence(**lic.model_dump())


def catalog_from_dict(data: Any, where: str = "") -> Catalog:
    """Validate a complete catalog given as plain data (the catalog file format).

    Errors name the entry as ``catalog.ITEM.FIELD``; ``where`` (e.g. ``"in
    my-prices.yaml"``) is added to every message.

    >>> catalog_from_dict({**load_catalog().to_dict(), "currency": "EUR"})
    Traceback (most recent call last):
    ...
    hvdesign.errors.HvdesignError: catalog.currency: 'EUR' is not valid; allowed: USD (convert prices to USD)
    """
    _check_items(data, where)
    out = validate(CatalogFile, data, _describer(where), _order)
    if isinstance(out, HvdesignError):
        raise out from None
    lic = out.licence
    return Catalog(
        currency="USD",
        server=_server(out.server),
        nic_cards={k: _item(v) for k, v in sorted(out.nic_cards.items())},
        switches={k: _item(v) for k, v in sorted(out.switches.items())},
        cable=_item(out.cable),
        san_base=_item(out.san_base),
        san_portal=_item(out.san_portal),
        hba=_item(out.hba),
        hba_ports_per_card=out.hba.ports_per_card,
        licence=_licence(lic),
        servers={k: _server(v) for k, v in out.servers.items()},
        san_models={k: _san(v) for k, v in out.san_models.items()},
        licences={k: _licence(v) for k, v in out.licences.items()},
    )


# --------------------------------------------------------------- merging


def _port_key(path: str, key: Any, where: str) -> int:
    key = _port_count(key)
    if isinstance(key, bool) or not isinstance(key, int) or not 1 <= key <= 256:
        raise _err(f"{path}.{key}", key, PORT_COUNT_ALLOWED, where)
    return key


def _merge_entry(
    old: dict[str, Any], new: Any, path: str, origin: str, where: str
) -> dict[str, Any]:
    if not isinstance(new, Mapping):
        raise _err(path, new, "a mapping of fields (e.g. price_usd: 1000)", where)
    merged = {**old, **new}
    priced = any(k not in ("description", "source", "year") for k in new)
    if priced and "source" not in new:  # a changed price no longer has the old source
        merged["source"] = origin
        merged["year"] = new.get("year")
    return merged


def _merge_models(models: dict[int, Any], value: Any, path: str, origin: str, where: str) -> None:
    """Merge the NIC cards or switches ``value`` of an override into ``models``."""
    if not isinstance(value, Mapping):
        raise _err(path, value, "a mapping of port counts to items", where)
    for k, entry in value.items():
        ports = _port_key(path, k, where)
        if entry is None:
            models.pop(ports, None)
        else:
            old = models.get(ports, {})
            models[ports] = _merge_entry(old, entry, f"{path}.{ports}", origin, where)


def _merge_named(models: dict[str, Any], value: Any, path: str, origin: str, where: str) -> None:
    """Merge the named models (servers, SAN models, licence editions) of an override."""
    if not isinstance(value, Mapping):
        raise _err(path, value, "a mapping of model names to entries", where)
    for name, entry in value.items():
        if entry is None:
            models.pop(name, None)
        else:
            old = models.get(name, {})
            models[name] = _merge_entry(old, entry, f"{path}.{name}", origin, where)


def merge_catalog(
    base: Catalog, overrides: Any, *, origin: str = "user override", where: str = ""
) -> Catalog:
    """``base`` with the entries of ``overrides`` (catalog file format, partial)
    replacing only what they name; validated.

    An entry whose price changes without a ``source`` gets ``origin`` as its source
    (and no year), so a placeholder's source never sticks to a user's figure. A NIC
    card or switch size not in ``base`` is added (it needs ``price_usd``); ``null``
    removes one.

    >>> cat = merge_catalog(load_catalog(), {"server": {"price_usd": 25000}})
    >>> cat.server.price_usd, cat.server.source, cat.switches[48].price_usd
    (25000.0, 'user override', 14000.0)
    """
    data = copy.deepcopy(base.to_dict())
    if overrides is None:
        return base
    _check_items(overrides, where)
    for key, value in overrides.items():
        path = f"catalog.{key}"
        if key == "currency":
            data[key] = value
        elif key in ("nic_cards", "switches"):
            _merge_models(data[key], value, path, origin, where)
        elif key in ("servers", "san_models", "licences"):
            _merge_named(data[key], value, path, origin, where)
        else:
            data[key] = _merge_entry(data[key], value, path, origin, where)
    return catalog_from_dict(data, where)


def _read_yaml(path: Path) -> Any:
    return read_yaml(path, "catalog file")


_SHIPPED: list[Catalog] = []


def load_catalog(path: str | Path | None = None) -> Catalog:
    """The shipped catalog (``data/catalog.yaml``), with the entries of the YAML file
    ``path`` (partial: only what it names) replacing the shipped ones.

    Errors name the entry and the file, e.g. ``catalog.server.price_usd: 'abc' is not
    valid (in my.yaml); allowed: a number >= 0``; an unknown item lists the valid
    ones; malformed YAML gives the line.

    Examples
    --------
    >>> cat = load_catalog()
    >>> cat.currency, cat.licence.price_usd, sorted(cat.switches)
    ('USD', 12310.0, [24, 48])
    """
    if not _SHIPPED:
        shipped = data_path("catalog.yaml")
        _SHIPPED.append(catalog_from_dict(_read_yaml(shipped), f"in {shipped}"))
    if path is None:
        return _SHIPPED[0]
    path = Path(path)
    origin = f"user catalog {path.name}"
    return merge_catalog(_SHIPPED[0], _read_yaml(path), origin=origin, where=f"in {path}")
