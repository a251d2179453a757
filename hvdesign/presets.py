"""The tier presets and the constants of the domain (domain.md §1 and §2): traffic
classes and their colours, node limits by Windows Server version, default subnets and
the five tiers of the guide. Plain data with no heavy imports, so ``hvdesign tiers``
and ``--help`` start at once; :mod:`hvdesign.spec` validates designs built from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: The traffic classes of the guide (Fig 2.7), in drawing order.
TRAFFIC_CLASSES: tuple[str, ...] = ("production", "storage", "heartbeat", "management")

#: The guide's colour for each class (Fig 2.7), plus the inter-switch link.
CLASS_COLOURS: dict[str, str] = {
    "production": "green",
    "storage": "red",
    "management": "black",
    "heartbeat": "blue",
    "isl": "grey",
}

#: The same colours as hex RGB (for plots and NetBox's ``color`` column).
CLASS_HEX: dict[str, str] = {
    "production": "#2ca02c",
    "storage": "#d62728",
    "management": "#000000",
    "heartbeat": "#1f4fd6",
    "isl": "#7f7f7f",
}

#: Cluster node limits by Windows Server version (FACTS.md: 2008 R2 16 nodes;
#: 2012 to 2019 64 nodes; 2022 and 2025 not found in a source: assumed 64).
NODE_LIMITS: dict[str, int] = {
    "2008 R2": 16,
    "2012": 64,
    "2012 R2": 64,
    "2016": 64,
    "2019": 64,
    "2022": 64,
    "2025": 64,
}

#: Default subnets per traffic class; a storage CIDR is split into one subnet per path.
DEFAULT_SUBNETS: dict[str, str] = {
    "production": "10.10.0.0/24",
    "management": "10.20.0.0/24",
    "heartbeat": "10.30.0.0/24",
    "storage": "10.40.0.0/23",
}


@dataclass(frozen=True)
class Tier:
    """One redundancy tier of the guide: its id, figure, title and preset options."""

    id: str
    figure: str
    title: str
    summary: str
    preset: dict[str, Any]


TIERS: dict[str, Tier] = {
    t.id: t
    for t in (
        Tier(
            "single-redundant-connections",
            "Fig 2.8",
            "Single server, redundant connections",
            "One host on one switch; production teamed (802.3ad), storage over MPIO/MCS. "
            "The switch is a single point of failure.",
            dict(
                cluster=False,
                nodes=1,
                switches=1,
                production_connections=2,
                storage_connections=2,
                heartbeat_connections=0,
                management_connections=0,
            ),
        ),
        Tier(
            "single-redundant-path",
            "Fig 2.9",
            "Single server, redundant path",
            "One host on two switches; one storage path per switch; production split "
            "across both switches only with cross-switch teaming.",
            dict(
                cluster=False,
                nodes=1,
                switches=2,
                production_connections=2,
                storage_connections=2,
                heartbeat_connections=0,
                management_connections=0,
            ),
        ),
        Tier(
            "cluster-minimal",
            "Fig 2.10",
            "Hyper-V cluster, minimal configuration",
            "Microsoft's minimum for an iSCSI failover cluster: production, storage and "
            "heartbeat, one connection each on three subnets, one switch.",
            dict(
                cluster=True,
                nodes=2,
                switches=1,
                production_connections=1,
                storage_connections=1,
                heartbeat_connections=1,
                management_connections=0,
            ),
        ),
        Tier(
            "cluster-redundant-connections",
            "Fig 2.11",
            "Hyper-V cluster, redundant connections",
            "Production teamed, storage over MPIO/MCS, a heartbeat and a management "
            "(and Live Migration) connection: six per node, one switch.",
            dict(
                cluster=True,
                nodes=2,
                switches=1,
                production_connections=2,
                storage_connections=2,
                heartbeat_connections=1,
                management_connections=1,
            ),
        ),
        Tier(
            "cluster-redundant-path",
            "Fig 2.12",
            "Hyper-V cluster, redundant path",
            "The six connections per node spread over two switches: one production and "
            "one storage on each, heartbeat on A, management on B.",
            dict(
                cluster=True,
                nodes=2,
                switches=2,
                production_connections=2,
                storage_connections=2,
                heartbeat_connections=1,
                management_connections=1,
            ),
        ),
    )
}

#: Options every preset shares unless it overrides them (domain.md §2 defaults).
COMMON_DEFAULTS: dict[str, Any] = dict(
    windows_version="2019",
    cross_switch_teaming=True,
    storage_multipath="mpio",
    nic_ports_per_card=2,
    san_portals=2,
    uplinks_per_switch=1,
    switch_ports_per_unit=48,
)
