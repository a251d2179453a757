"""Shared test helpers."""

from __future__ import annotations

import pytest

from hvdesign.spec import TIERS

CLUSTER_TIERS = [t for t, info in TIERS.items() if info.preset["cluster"]]
SINGLE_TIERS = [t for t, info in TIERS.items() if not info.preset["cluster"]]


def valid_nodes(tier: str) -> range:
    """Every node count a tier accepts at the default Windows Server version (64)."""
    return range(2 if TIERS[tier].preset["cluster"] else 1, 65)


@pytest.fixture(params=list(TIERS))
def tier(request) -> str:
    return request.param
