"""The IPv4 subnets of a design, checked: each a network hosts can use, none
overlapping another (domain.md §2: every traffic class, every storage path and every
heartbeat network on a subnet of its own). An overlap would give one address to two
endpoints in the IP plan; a multicast, loopback, link-local or reserved network
cannot be handed to hosts. :mod:`hvdesign.spec` runs these checks on every design, so
every command that builds a plan refuses such subnets.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from hvdesign.errors import HvdesignError

#: Networks that are never a host subnet, and why (checked in this order).
_UNUSABLE: tuple[tuple[str, str], ...] = (
    ("is_multicast", "a multicast network (224.0.0.0/4)"),
    ("is_loopback", "a loopback network (127.0.0.0/8)"),
    ("is_link_local", "a link-local network (169.254.0.0/16)"),
    ("is_unspecified", "the unspecified network 0.0.0.0"),
    ("is_reserved", "a reserved network (240.0.0.0/4)"),
)


def network(key: str, value: Any) -> ipaddress.IPv4Network:
    """One subnet's CIDR, checked: text, IPv4, strict (no host bits), a network hosts
    can use (not multicast, loopback, link-local, unspecified or reserved).

    >>> network("production", "10.10.0.0/24")
    IPv4Network('10.10.0.0/24')
    >>> network("production", "224.0.0.0/24")
    Traceback (most recent call last):
    ...
    hvdesign.errors.HvdesignError: subnets.production: '224.0.0.0/24' is not valid (a multicast network (224.0.0.0/4)); allowed: a unicast network hosts can use, e.g. 10.40.0.0/24
    """
    where = f"subnets.{key}"
    if not isinstance(value, str):
        raise HvdesignError(where, value, "an IPv4 network in CIDR notation such as 10.40.0.0/24")
    try:
        net = ipaddress.ip_network(value, strict=True)
    except ValueError as err:
        raise HvdesignError(
            where,
            value,
            "an IPv4 network in CIDR notation such as 10.40.0.0/24",
            detail=str(err),
        ) from None
    if not isinstance(net, ipaddress.IPv4Network):
        raise HvdesignError(where, value, "an IPv4 network")
    for attribute, what in _UNUSABLE:
        if any(getattr(x, attribute) for x in (net.network_address, net.broadcast_address)):
            raise HvdesignError(
                where, value, "a unicast network hosts can use, e.g. 10.40.0.0/24", detail=what
            )
    return net


def networks_in_use(
    subnets: Mapping[str, Any], used: Mapping[str, bool]
) -> list[tuple[str, ipaddress.IPv4Network]]:
    """Every CIDR of ``subnets`` checked (:func:`network`), and (label, network) of
    those of the classes ``used``: ``storage``, ``storage[2]`` for the second of a list.

    >>> networks_in_use({"production": "10.10.0.0/24", "heartbeat": "10.30.0.0/24"},
    ...                 {"production": True})
    [('production', IPv4Network('10.10.0.0/24'))]
    """
    out = []
    for key, value in subnets.items():
        values = value if isinstance(value, list) else [value]
        for i, v in enumerate(values):
            label = f"{key}[{i + 1}]" if isinstance(value, list) else key
            net = network(label, v)
            if used.get(key):
                out.append((label, net))
    return out


def check_overlaps(nets: list[tuple[str, ipaddress.IPv4Network]]) -> None:
    """No two of ``nets`` overlap (a duplicate address in every plan otherwise); the
    error names both.

    >>> check_overlaps([("production", ipaddress.ip_network("10.40.0.0/24")),
    ...                 ("storage", ipaddress.ip_network("10.40.0.0/23"))])
    Traceback (most recent call last):
    ...
    hvdesign.errors.HvdesignError: subnets.storage: '10.40.0.0/23' is not valid (storage 10.40.0.0/23 overlaps production 10.40.0.0/24); allowed: a network of its own, overlapping no other subnet of the design
    """
    for i, (label_a, a) in enumerate(nets):
        for label_b, b in nets[i + 1 :]:
            if a.overlaps(b):
                raise HvdesignError(
                    f"subnets.{label_b}",
                    str(b),
                    "a network of its own, overlapping no other subnet of the design",
                    detail=f"{label_b} {b} overlaps {label_a} {a}",
                )


def check_subnets(
    subnets: Mapping[str, Any], *, n_heartbeat: int, n_management: int, n_storage_paths: int
) -> None:
    """A design's ``subnets`` checked: every CIDR usable (:func:`network`), a list only
    for storage (one CIDR per path) and heartbeat (one per heartbeat network), and no
    two subnets in use overlapping (:func:`check_overlaps`): production, each storage
    path, each heartbeat network and management each on a network of its own.

    >>> check_subnets({"production": "10.10.0.0/24", "management": "10.20.0.0/24",
    ...                "heartbeat": "10.30.0.0/24", "storage": "10.10.0.0/23"},
    ...               n_heartbeat=1, n_management=1, n_storage_paths=2)
    Traceback (most recent call last):
    ...
    hvdesign.errors.HvdesignError: subnets.storage: '10.10.0.0/23' is not valid (storage 10.10.0.0/23 overlaps production 10.10.0.0/24); allowed: a network of its own, overlapping no other subnet of the design
    """
    for key in ("production", "management"):
        if isinstance(subnets.get(key), list):
            raise HvdesignError(
                f"subnets.{key}",
                subnets[key],
                "one IPv4 CIDR (a list is for the storage paths and the heartbeat networks)",
            )
    used = {
        "production": True,
        "storage": True,
        "heartbeat": n_heartbeat > 0,
        "management": n_management > 0,
    }
    nets = networks_in_use(subnets, used)
    n_networks = max(n_heartbeat, 1)
    if isinstance(subnets["heartbeat"], list) and len(subnets["heartbeat"]) != n_networks:
        raise HvdesignError(
            "subnets.heartbeat",
            subnets["heartbeat"],
            f"a list of {n_networks} CIDRs, one per heartbeat network, or one CIDR to split",
        )
    if isinstance(subnets["storage"], list) and len(subnets["storage"]) != n_storage_paths:
        raise HvdesignError(
            "subnets.storage",
            subnets["storage"],
            f"a list of {n_storage_paths} CIDRs, one per storage path, or one CIDR to split",
        )
    check_overlaps(nets)
