"""The design specification: the five redundancy tiers of the guide as presets of
one validated, general design model, and the design file format.

A design is a preset (``tier``) plus overrides. Every host of a design has the same
layout of network connections: how many connections each traffic class has, which
switch each lands on and which NIC card carries it. The layout is generated from the
options (``production_connections``, ``cross_switch_teaming``, ``nic_ports_per_card``,
...) by the rules documented in :func:`host_layout`, or given explicitly in a design
file under ``connections``.

References
----------
[1] The source guide, "Creating Highly-Available Hyper-V with iSCSI Storage",
    Figs 2.7 to 2.12 (``shared/seed``).
[2] ``shared/domain.md`` sections 1, 2 and 7.
"""

from __future__ import annotations

import numbers
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Self, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationError, model_validator

from hvdesign.addressing import check_subnets
from hvdesign.datafiles import load_yaml_text, read_yaml, yaml_error_detail
from hvdesign.errors import HvdesignError
from hvdesign.presets import (  # noqa: F401 (re-exported: spec is where designs are read)
    CLASS_COLOURS,
    CLASS_HEX,
    COMMON_DEFAULTS,
    DEFAULT_SUBNETS,
    NODE_LIMITS,
    TIERS,
    TRAFFIC_CLASSES,
    Tier,
)
from hvdesign.validation import embedded

_T = TypeVar("_T")
#: A whole number: never a bool, a float or text (pydantic's strict ``int``).
_Int = Annotated[int, Strict()]
#: true or false: never 1, "yes" or "true" as text.
_Bool = Annotated[bool, Strict()]

SWITCH_LETTERS = "ab"
_CLASS_LETTER = {"production": "p", "storage": "s", "heartbeat": "h", "management": "m"}


#: What each option allows, in words: used in every error message.
ALLOWED: dict[str, str] = {
    "name": "any text up to 200 characters",
    "tier": "one of " + ", ".join(TIERS),
    "nodes": "a whole number from 1 to the Windows Server version's cluster limit "
    "(2008 R2: 16; 2012 and later: 64); at least 2 for a cluster tier",
    "cluster": "true or false",
    "windows_version": "one of " + ", ".join(repr(v) for v in NODE_LIMITS),
    "switches": "1 or 2",
    "cross_switch_teaming": "true or false",
    "production_connections": "a whole number from 1 to 8",
    "storage_connections": "a whole number from 1 to 8",
    "heartbeat_connections": "a whole number from 0 to 4",
    "management_connections": "a whole number from 0 to 4",
    "storage_multipath": "mpio, mcs or team",
    "nic_ports_per_card": "a whole number from 1 to 8",
    "san_portals": "a whole number from 1 to 16",
    "uplinks_per_switch": "a whole number from 0 to 8",
    "isl_links": "a whole number from 0 to 8 (0 on a one-switch design)",
    "switch_ports_per_unit": "a whole number from 4 to 128",
    "subnets": "a mapping of production, storage, heartbeat, management to IPv4 CIDRs "
    "(storage: one CIDR split per path, or a list with one CIDR per path)",
    "connections": "a list of {class: production|storage|heartbeat|management, "
    "switch: a|b, card: 1..} entries, one per connection of each host",
}

#: Options that shape the generated layout; they cannot be combined with ``connections``.
LAYOUT_OPTIONS = (
    "production_connections",
    "storage_connections",
    "heartbeat_connections",
    "management_connections",
    "cross_switch_teaming",
)


class Connection(BaseModel):
    """One network connection of every host, as given in a design file."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    traffic_class: Literal["production", "storage", "heartbeat", "management"] = Field(
        alias="class"
    )
    switch: Literal["a", "b"] = "a"
    card: _Int = Field(default=1, ge=1, le=16)


def _default_subnets() -> dict[str, str | list[str]]:
    return dict(DEFAULT_SUBNETS)


class Design(BaseModel):
    """A validated design: a tier preset plus overrides.

    Build one with :func:`design_from_tier` or :func:`load_design`, which fill in the
    preset and turn every validation problem into one :class:`HvdesignError`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(default="", max_length=200)
    tier: str
    nodes: _Int = Field(ge=1, le=64)
    cluster: _Bool
    windows_version: str = "2019"
    switches: _Int = Field(ge=1, le=2)
    cross_switch_teaming: _Bool = True
    production_connections: _Int = Field(ge=1, le=8)
    storage_connections: _Int = Field(ge=1, le=8)
    heartbeat_connections: _Int = Field(ge=0, le=4)
    management_connections: _Int = Field(ge=0, le=4)
    storage_multipath: Literal["mpio", "mcs", "team"] = "mpio"
    nic_ports_per_card: _Int = Field(default=2, ge=1, le=8)
    san_portals: _Int = Field(default=2, ge=1, le=16)
    uplinks_per_switch: _Int = Field(default=1, ge=0, le=8)
    isl_links: _Int = Field(default=0, ge=0, le=8)
    switch_ports_per_unit: _Int = Field(default=48, ge=4, le=128)
    subnets: dict[str, str | list[str]] = Field(default_factory=_default_subnets)
    connections: tuple[Connection, ...] | None = None

    def __init__(self, **data: Any) -> None:
        """Validate every field and the design as a whole (:func:`check_design_model`);
        a problem is one :class:`HvdesignError`, whoever builds the design."""
        try:
            super().__init__(**data)
        except ValidationError as err:
            raise _pydantic_to_hvdesign(err) from None

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> Self:
        """Validate ``obj`` (a mapping of every field) as :meth:`__init__` does."""
        try:
            return super().model_validate(obj, **kwargs)
        except ValidationError as err:
            raise _pydantic_to_hvdesign(err) from None

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy; with ``update``, a new design validated like any other (pydantic's
        own ``model_copy`` would skip validation)."""
        if not update:
            return super().model_copy(deep=deep)
        if not isinstance(update, Mapping) or not all(isinstance(k, str) for k in update):
            raise HvdesignError("update", update, "a mapping of option names to values")
        fields = {name: getattr(self, name) for name in type(self).model_fields}
        return type(self)(**{**fields, **update})

    @model_validator(mode="after")
    def _whole_design(self) -> Self:
        check_design_model(self)
        return self

    @property
    def tier_info(self) -> Tier:
        """The :class:`Tier` this design starts from."""
        return TIERS[self.tier]

    @property
    def title(self) -> str:
        """The design's name, or a name made from its tier and node count."""
        if self.name:
            return self.name
        n = f"{self.nodes} node" + ("s" if self.nodes != 1 else "")
        return f"{self.tier_info.title} ({n})"

    @property
    def switch_names(self) -> list[str]:
        """Switch node names: ``switch-a`` and, on two-switch designs, ``switch-b``."""
        return [f"switch-{SWITCH_LETTERS[i]}" for i in range(self.switches)]

    @property
    def node_limit(self) -> int:
        """The cluster node limit of the design's Windows Server version."""
        return NODE_LIMITS[self.windows_version]

    def options(self) -> dict[str, Any]:
        """All options as plain data, in the order of the design file format."""
        data = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        if self.connections is not None:
            for key in LAYOUT_OPTIONS:
                data.pop(key)
        return data


def min_nodes(tier: str) -> int:
    """The fewest hosts a tier accepts: 2 for a cluster, 1 for the single-server tiers
    (which model N standalone servers).

    >>> min_nodes("cluster-minimal"), min_nodes("single-redundant-path")
    (2, 1)
    """
    return 2 if TIERS[tier].preset["cluster"] else 1


def node_counts(
    tier: str, nodes: Iterable[int], windows_version: str | None = None, reserve: int = 0
) -> list[int]:
    """The node counts of ``nodes`` a tier accepts, sorted, without repeats: the one
    node-count rule of the package. Single-server tiers are N standalone servers
    (N >= 1); clusters start at 2 and above ``reserve`` (a cluster needs a host left to
    run VMs); none above the cluster node limit of ``windows_version`` (default: the
    tier's own version).

    >>> node_counts("cluster-minimal", range(1, 5))
    [2, 3, 4]
    >>> node_counts("cluster-minimal", [8, 16, 32], windows_version="2008 R2")
    [8, 16]
    >>> node_counts("cluster-minimal", [2, 3, 4], reserve=2)
    [3, 4]
    """
    preset = TIERS[_check_tier(tier)].preset
    version = _normalise_version(
        windows_version or preset.get("windows_version") or COMMON_DEFAULTS["windows_version"]
    )
    whole = "a whole number (numpy's too; not a bool)"
    if isinstance(reserve, bool) or not isinstance(reserve, numbers.Integral):
        raise HvdesignError("reserve", reserve, whole)
    counts = list(nodes)
    for n in counts:
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise HvdesignError("nodes", n, whole)
    low = max(2, int(reserve) + 1) if preset["cluster"] else 1
    return sorted({int(n) for n in counts if low <= n <= NODE_LIMITS[version]})


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class Port:
    """One connection of a host in the layout every host shares.

    ``suffix`` names it on the host (``p1`` = first production connection, ``s2`` =
    second storage connection, ...); ``switch`` is the 0-based switch index; ``card``
    the 1-based NIC card; ``subnet`` the key of the subnet it lives on.
    """

    suffix: str
    traffic_class: str
    member: int
    switch: int
    card: int
    subnet: str


def _subnet_key(traffic_class: str, member: int, design: Design) -> str:
    """Subnet of the ``member``-th (1-based) connection of a class.

    Storage over MPIO/MCS: one subnet per path (a node recognises one address per
    subnet). Teamed storage and production: one subnet. Heartbeat: one subnet per
    heartbeat connection (separate cluster networks). Management: one subnet (teamed).
    """
    if traffic_class == "storage":
        return "storage" if design.storage_multipath == "team" else f"storage-{member}"
    if traffic_class == "heartbeat" and design.heartbeat_connections > 1:
        return f"heartbeat-{member}"
    return traffic_class


class DesignCache:
    """A bounded LRU cache of values derived from a design, keyed by the design's
    content (``design.model_dump_json()``): two equal designs share one entry.

    Store only immutable values (tuples, frozen graphs): every caller gets the same one.

    >>> cache = DesignCache(maxsize=2)
    >>> d = design_from_tier("cluster-minimal", nodes=2)
    >>> cache.get(d, lambda: "built"), cache.get(d, lambda: "again"), len(cache)
    ('built', 'built', 1)
    """

    def __init__(self, maxsize: int = 64) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[str, Any] = OrderedDict()

    def get(self, design: Design, build: Callable[[], _T]) -> _T:
        """The cached value for ``design``, built by ``build()`` the first time."""
        key = design.model_dump_json()
        if key in self._entries:
            self._entries.move_to_end(key)
            return self._entries[key]
        value = build()
        self._entries[key] = value
        while len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every entry."""
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


_LAYOUTS = DesignCache(maxsize=128)


def host_layout(design: Design) -> list[Port]:
    """The connections every host of ``design`` has, with switch, card and subnet
    (computed once per design and cached; each call returns a new list).

    Generated layout rules (when the design gives no explicit ``connections``):

    * storage connections alternate over the switches, starting on switch A (one
      storage path per switch on redundant-path designs);
    * production connections alternate over the switches when
      ``cross_switch_teaming`` is on, else all land on switch A (the guide's dashed
      "optional" line: not all switches aggregate links across two devices);
    * heartbeat alternates starting on switch A, management starting on the last
      switch (Fig 2.12: heartbeat on A, management on B);
    * NIC cards: connections are taken member by member (all first members of each
      class, then all second members, ...) and filled into cards of
      ``nic_ports_per_card`` ports, so the members of a team or an MPIO pair land on
      different cards whenever there are enough cards.

    Examples
    --------
    >>> d = design_from_tier("cluster-redundant-path", nodes=4)
    >>> [(p.suffix, "ab"[p.switch], p.card) for p in host_layout(d)]
    [('p1', 'a', 1), ('s1', 'a', 1), ('h1', 'a', 2), ('m1', 'b', 2), ('p2', 'b', 3), ('s2', 'b', 3)]
    """
    return list(_LAYOUTS.get(design, lambda: tuple(_host_layout(design))))


def _host_layout(design: Design) -> list[Port]:
    counts = {
        "production": design.production_connections,
        "storage": design.storage_connections,
        "heartbeat": design.heartbeat_connections,
        "management": design.management_connections,
    }
    if design.connections is not None:
        seen: dict[str, int] = {c: 0 for c in TRAFFIC_CLASSES}
        ports = []
        for conn in design.connections:
            seen[conn.traffic_class] += 1
            m = seen[conn.traffic_class]
            ports.append(
                Port(
                    f"{_CLASS_LETTER[conn.traffic_class]}{m}",
                    conn.traffic_class,
                    m,
                    SWITCH_LETTERS.index(conn.switch),
                    conn.card,
                    _subnet_key(conn.traffic_class, m, design),
                )
            )
        return ports

    n_sw = design.switches
    order: list[tuple[str, int]] = []
    for member in range(1, max(counts.values()) + 1):
        order += [(c, member) for c in TRAFFIC_CLASSES if counts[c] >= member]
    ports = []
    for slot, (cls, member) in enumerate(order):
        if cls == "production" and not design.cross_switch_teaming:
            switch = 0
        elif cls == "management":
            switch = (n_sw - 1 - (member - 1)) % n_sw
        else:
            switch = (member - 1) % n_sw
        card = slot // design.nic_ports_per_card + 1
        ports.append(
            Port(
                f"{_CLASS_LETTER[cls]}{member}",
                cls,
                member,
                switch,
                card,
                _subnet_key(cls, member, design),
            )
        )
    return ports


def storage_subnets(design: Design) -> list[str]:
    """Keys of the storage subnets, one per MPIO/MCS path (one if storage is teamed)."""
    if design.storage_multipath == "team":
        return ["storage"]
    return [f"storage-{m}" for m in range(1, design.storage_connections + 1)]


def portal_placement(design: Design) -> list[tuple[str, int]]:
    """(subnet, switch index) of each SAN target portal.

    Portal j serves storage subnet ((j - 1) mod paths) + 1 and sits on the switch
    that carries that path's host connections (so with two switches and two portals,
    one portal per switch, domain.md §2). With teamed storage, portals alternate
    over the switches.
    """
    subnets = storage_subnets(design)
    layout = host_layout(design)
    placement = []
    for j in range(design.san_portals):
        subnet = subnets[j % len(subnets)]
        if design.storage_multipath == "team":
            switch = j % design.switches
        else:
            switch = next(p.switch for p in layout if p.subnet == subnet)
        placement.append((subnet, switch))
    return placement


# --------------------------------------------------------------------- construction


def _pydantic_to_hvdesign(err: ValidationError) -> HvdesignError:
    first = err.errors()[0]
    found = embedded(first)
    if found is not None:  # a check of the whole design (check_design_model)
        return found
    # without the members of a union pydantic names (subnets.production.str)
    loc = [str(x) for x in first["loc"] if x not in _UNION_TAGS]
    field = loc[0] if loc else "design"
    if first["type"] == "extra_forbidden":
        if field == "connections":
            return HvdesignError(
                ".".join(loc),
                first.get("input"),
                ALLOWED["connections"],
                detail="unknown key in a connection",
            )
        return HvdesignError(
            "option",
            field,
            "one of " + ", ".join(sorted(Design.model_fields)),
            detail="unknown option",
        )
    where = ".".join(loc)
    return HvdesignError(
        where, first.get("input"), ALLOWED.get(field, first["msg"]), detail=first["msg"]
    )


#: The names pydantic gives the members of a union in an error's location.
_UNION_TAGS = ("str", "list[str]", "int", "bool")


def _normalise_version(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise HvdesignError("windows_version", value, ALLOWED["windows_version"])
    text = str(value).strip().upper().replace("-", " ").replace("_", " ")
    text = " ".join(text.replace("R2", " R2").split())
    for version in NODE_LIMITS:
        if text == version.upper():
            return version
    raise HvdesignError("windows_version", value, ALLOWED["windows_version"])


def _check_tier(value: Any) -> str:
    """``value`` as a tier id (checked by type before it is looked up)."""
    if value is None:
        raise HvdesignError("tier", None, ALLOWED["tier"], detail="missing")
    if not isinstance(value, str) or value not in TIERS:
        raise HvdesignError("tier", value, ALLOWED["tier"])
    return value


def _check_int(field: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise HvdesignError(
            field, value, ALLOWED.get(field, "a whole number"), detail="not a whole number"
        )


def _check_keys(data: dict[str, Any]) -> str:
    """The tier of ``data``, after checking it and every option's name."""
    tier = _check_tier(data.get("tier"))
    for key in data:
        if not isinstance(key, str) or key not in Design.model_fields:
            raise HvdesignError("option", key, _OPTIONS_ALLOWED, detail="unknown option")
    if data.get("connections") is not None:
        clash = [k for k in LAYOUT_OPTIONS if k in data]
        if clash:
            raise HvdesignError(
                clash[0],
                data[clash[0]],
                "either explicit connections or the layout options "
                f"{', '.join(LAYOUT_OPTIONS)}, not both",
                detail="given together with connections",
            )
    return tier


#: What an option name allows (short: the whole list would not fit one line).
_OPTIONS_ALLOWED = (
    "an option of the design file (hvdesign design TIER lists them all), e.g. "
    "name, tier, nodes, switches, san_portals, subnets, connections"
)


def _connection_counts(explicit: Any) -> dict[str, int]:
    """``<class>_connections`` counts of explicit connections (checked)."""
    if not isinstance(explicit, list) or not explicit:
        raise HvdesignError("connections", explicit, ALLOWED["connections"])
    counts = {c: 0 for c in TRAFFIC_CLASSES}
    for i, conn in enumerate(explicit):
        cls = conn.get("class") if isinstance(conn, dict) else None
        if not isinstance(cls, str) or cls not in counts:
            raise HvdesignError(
                f"connections.{i}.class", cls, "production, storage, heartbeat or management"
            )
        counts[cls] += 1
    return {f"{cls}_connections": n for cls, n in counts.items()}


def _merged_subnets(subnets: Any) -> dict[str, Any]:
    """A design's ``subnets`` over the defaults (each key checked)."""
    if not isinstance(subnets, dict):
        raise HvdesignError("subnets", subnets, ALLOWED["subnets"])
    for key, value in subnets.items():
        if not isinstance(key, str) or key not in DEFAULT_SUBNETS:
            raise HvdesignError(
                f"subnets.{key}",
                value,
                ALLOWED["subnets"],
                detail="unknown traffic class (in YAML, write "
                "'class: CIDR' with a space after the colon)",
            )
    return {**DEFAULT_SUBNETS, **subnets}


def design_from_dict(data: dict[str, Any]) -> Design:
    """Validate a design given as plain data (a design file's content).

    ``data`` needs ``tier``; every other option defaults to the tier's preset.

    Examples
    --------
    >>> design_from_dict({"tier": "cluster-minimal", "nodes": 3}).heartbeat_connections
    1
    >>> design_from_dict({"tier": "cluster-minimal", "nodez": 3})
    Traceback (most recent call last):
    ...
    hvdesign.errors.HvdesignError: option: 'nodez' is not valid (unknown option); allowed: ...
    """
    if not isinstance(data, dict):
        raise HvdesignError(
            "design", type(data).__name__, "a mapping of options with at least 'tier'"
        )
    data = dict(data)
    tier = _check_keys(data)
    merged: dict[str, Any] = {**COMMON_DEFAULTS, **TIERS[tier].preset}
    explicit = data.get("connections")
    merged.update(data)
    for key in (
        "nodes",
        "switches",
        "production_connections",
        "storage_connections",
        "heartbeat_connections",
        "management_connections",
        "nic_ports_per_card",
        "san_portals",
        "uplinks_per_switch",
        "switch_ports_per_unit",
        "isl_links",
    ):
        if key in merged:
            _check_int(key, merged[key])
    merged["windows_version"] = _normalise_version(merged["windows_version"])
    merged.setdefault("isl_links", 1 if merged.get("switches", 1) > 1 else 0)
    if explicit is not None:
        merged.update(_connection_counts(explicit))
    if "subnets" in data:
        merged["subnets"] = _merged_subnets(data["subnets"])
    return Design(**merged)


def check_design_model(d: Design) -> None:
    """The checks of a design as a whole, run by every way of building one
    (:func:`design_from_dict`, ``Design(...)``, ``model_copy(update=...)``): a known
    tier and Windows Server version, the four subnets, explicit connections that
    match the counts, the node limit, and subnets that are usable and do not overlap.
    """
    _check_tier(d.tier)
    if d.windows_version not in NODE_LIMITS:
        raise HvdesignError("windows_version", d.windows_version, ALLOWED["windows_version"])
    if set(d.subnets) != set(DEFAULT_SUBNETS):
        raise HvdesignError(
            "subnets", sorted(d.subnets), "a CIDR for each of " + ", ".join(DEFAULT_SUBNETS)
        )
    if d.connections is not None:
        given = {c: sum(x.traffic_class == c for x in d.connections) for c in TRAFFIC_CLASSES}
        for cls, n in given.items():
            if getattr(d, f"{cls}_connections") != n:
                raise HvdesignError(
                    f"{cls}_connections",
                    getattr(d, f"{cls}_connections"),
                    f"{n}, the number of explicit {cls} connections",
                )
    _check_consistency(d)


def _check_consistency(d: Design) -> None:
    limit = d.node_limit
    if d.nodes > limit:
        raise HvdesignError(
            "nodes",
            d.nodes,
            f"at most {limit} on Windows Server "
            f"{d.windows_version} (2008 R2: 16; 2012 and later: 64)",
            detail="above the version's cluster node limit",
        )
    if d.cluster and d.nodes < 2:
        raise HvdesignError(
            "nodes",
            d.nodes,
            f"at least 2 for the cluster tier {d.tier}",
            detail="a cluster needs two or more nodes",
        )
    if d.switches == 1 and d.isl_links:
        raise HvdesignError("isl_links", d.isl_links, "0 on a one-switch design")
    _check_subnets(d)
    if d.connections is not None:
        _check_connections(d, d.connections)


def _check_subnets(d: Design) -> None:
    """Every subnet usable, a list only where one fits, none overlapping in use."""
    check_subnets(
        d.subnets,
        n_heartbeat=d.heartbeat_connections,
        n_management=d.management_connections,
        n_storage_paths=len(storage_subnets(d)),
    )


def _check_connections(d: Design, connections: tuple[Connection, ...]) -> None:
    """Explicit connections fit the switches and the cards."""
    if d.switches == 1 and any(c.switch != "a" for c in connections):
        raise HvdesignError("connections.switch", "b", "a on a one-switch design")
    per_card: dict[int, int] = {}
    for c in connections:
        per_card[c.card] = per_card.get(c.card, 0) + 1
    worst = max(per_card, key=per_card.__getitem__)
    if per_card[worst] > d.nic_ports_per_card:
        raise HvdesignError(
            "connections.card",
            worst,
            f"at most nic_ports_per_card = {d.nic_ports_per_card} connections per card",
            detail=f"{per_card[worst]} connections",
        )


def design_from_tier(tier: str, **overrides: Any) -> Design:
    """A design from a tier preset and option overrides.

    Examples
    --------
    >>> d = design_from_tier("cluster-redundant-path", nodes=8)
    >>> (d.nodes, d.switches, d.production_connections, d.storage_connections)
    (8, 2, 2, 2)
    >>> design_from_tier("cluster-minimal", nodes=1)
    Traceback (most recent call last):
    ...
    hvdesign.errors.HvdesignError: nodes: 1 is not valid (a cluster needs two or more nodes); allowed: at least 2 for the cluster tier cluster-minimal
    """
    return design_from_dict({"tier": tier, **overrides})


def parse_value(key: str, text: str) -> Any:
    """Parse the VALUE of a ``--set KEY=VALUE`` option with YAML's safe rules (the
    bounded loader of :func:`hvdesign.datafiles.load_yaml_text`: YAML 1.2 numbers,
    nesting and alias expansion bounded).

    >>> parse_value("nodes", "6"), parse_value("cross_switch_teaming", "false")
    (6, False)
    >>> parse_value("nodes", "²")
    '²'
    """
    if not isinstance(text, str):
        raise HvdesignError(key, text, "a value as text (YAML)")
    try:
        return load_yaml_text(text, f"--set {key}", text)
    except yaml.YAMLError as err:
        raise HvdesignError(
            key, text, ALLOWED.get(key, "a YAML value"), detail=yaml_error_detail(err)
        ) from None
    except HvdesignError:
        raise
    except ValueError as err:  # a number YAML cannot convert (over 4300 digits)
        raise HvdesignError(
            key, text, ALLOWED.get(key, "a YAML value"), detail=str(err).split(":")[0]
        ) from None


#: What ``--set tier=...`` keeps of the design it changes: the site's facts; every
#: other option starts from the new tier's preset.
TIER_CHANGE_KEEPS = ("name", "nodes", "windows_version", "subnets")


def _split_set(item: Any) -> tuple[str, str]:
    if not isinstance(item, str) or "=" not in item:
        raise HvdesignError(
            "--set", item, "KEY=VALUE with KEY an option of the design file (e.g. nodes=4)"
        )
    key, text = item.split("=", 1)
    return key.strip(), text


def apply_sets(design: Design, sets: list[str]) -> Design:
    """A copy of ``design`` with ``KEY=VALUE`` overrides applied (CLI ``--set``).

    ``tier=T`` starts from tier T's preset, keeping only the design's
    :data:`TIER_CHANGE_KEEPS` (name, node count, Windows Server version, subnets),
    then applies the other overrides in order, wherever ``tier=`` stands among them:
    a design labelled with a tier has that tier's switches and connections.

    >>> d = design_from_tier("cluster-redundant-path", nodes=4)
    >>> m = apply_sets(d, ["tier=cluster-minimal"])
    >>> (m.tier, m.nodes, m.switches, m.production_connections)
    ('cluster-minimal', 4, 1, 1)
    """
    if not sets:
        return design
    pairs = [_split_set(item) for item in sets]
    data = design.options()
    tiers = [text for key, text in pairs if key == "tier"]
    if tiers:
        tier = _check_tier(parse_value("tier", tiers[-1]))
        if tier != design.tier:
            data = {k: data[k] for k in TIER_CHANGE_KEEPS if k in data}
            data["tier"] = tier
    given = {key for key, _ in pairs}
    for key, text in pairs:
        if key == "tier":
            continue
        if key in LAYOUT_OPTIONS and "connections" in data:
            data.pop("connections")
        data[key] = parse_value(key, text)
        if key == "switches" and "isl_links" not in given:
            data["isl_links"] = 1 if data[key] == 2 else 0
    return design_from_dict(data)


def load_design(path: str | Path) -> Design:
    """Load a design file (YAML: ``tier`` plus overrides), safely.

    Errors name the file and the problem: a missing file, malformed YAML (with the
    line), an unknown option or a bad value.
    """
    data = read_yaml(path, "design file")
    if data is None:
        raise HvdesignError(
            "design file", str(path), "a mapping with at least 'tier'", detail="empty file"
        )
    return design_from_dict(data)


def design_to_yaml(design: Design) -> str:
    """The design file text for ``design``: every option, loadable back unchanged.

    The generated layout is listed as comments for reading; it is not part of the
    file's data unless the design has explicit ``connections``.

    >>> d = design_from_tier("cluster-minimal", nodes=3)
    >>> design_from_dict(yaml.safe_load(design_to_yaml(d))) == d
    True
    """
    data = design.options()
    text = "# hvdesign design file: a tier preset plus overrides\n"
    text += yaml.safe_dump(data, sort_keys=False, default_flow_style=False)
    if design.connections is None:
        text += "# layout every host gets from these options (class, switch, NIC card):\n"
        for p in host_layout(design):
            text += (
                f"#   {p.suffix}: {p.traffic_class}, switch-{SWITCH_LETTERS[p.switch]}, "
                f"card {p.card}, subnet {p.subnet}\n"
            )
    return text
