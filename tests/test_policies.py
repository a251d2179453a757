"""Tests of the path choice of the six policies (:mod:`hvdesign.policies`), each
against the behaviour written in ``shared/domain.md`` section 6 (Microsoft's DSM,
``msdsm``, and the guide's reading, ``guide``), worked out by hand on small path sets,
and of the two engines against each other."""

from __future__ import annotations

import numpy as np
import pytest

from hvdesign.policies import (
    LB,
    LQD,
    MCS_POLICIES,
    MPCLAIM_CODES,
    POLICIES,
    ROTATE,
    SWRR,
    LoopEngine,
    Paths,
    candidates,
    mechanism,
    next_map,
    run_vectorised,
)
from hvdesign.workload import make_workload


def paths(n: int, *, weights=None, preference=None, primaries=None) -> Paths:
    """A path set of ``n`` 1-Gbit/s, 0.5-ms paths (0-based indices)."""
    primaries = list(range(n - 1)) if primaries is None else primaries
    return Paths(
        n,
        [1.0] * n,
        [0.5] * n,
        [1e9] * n,
        [0.0005] * n,
        [1.0] * n if weights is None else weights,
        list(range(n)) if preference is None else preference,
        primaries,
        [j for j in range(n) if j not in primaries],
    )


def test_policy_codes_follow_mpclaim():
    # Dell KB 000216791: DSM_QueryLBPolicy codes 1 to 6 in this order; MCS has 1 to 5.
    assert [MPCLAIM_CODES[p] for p in POLICIES] == [1, 2, 3, 4, 5, 6]
    assert "least-blocks" not in MCS_POLICIES and len(MCS_POLICIES) == 5


def test_fail_over_only_takes_the_first_working_path_of_the_preference():
    p = paths(3, preference=[2, 0, 1])
    assert candidates("fail-over-only", "msdsm", [True, True, True], p) == [2]
    assert candidates("fail-over-only", "msdsm", [True, True, False], p) == [0]


@pytest.mark.parametrize(
    "semantics, up, expected",
    [
        # primaries 1 and 2, standbys 3 and 4 (0-based 0, 1 / 2, 3)
        ("msdsm", [True, True, True, True], [0, 1]),
        ("msdsm", [False, True, True, True], [1]),  # a primary left: no standby
        ("msdsm", [False, False, True, True], [2, 3]),  # ALL primaries down: standbys
        ("guide", [False, True, True, True], [1, 2]),  # one standby per failed primary
        ("guide", [False, False, True, True], [2, 3]),
    ],
)
def test_round_robin_with_subset_semantics(semantics, up, expected):
    p = paths(4, primaries=[0, 1])
    assert candidates("round-robin-with-subset", semantics, up, p) == expected


def test_weighted_paths_msdsm_uses_the_least_weighted_working_path():
    p = paths(3, weights=[3.0, 1.0, 2.0])  # larger number = lower priority
    assert candidates("weighted-paths", "msdsm", [True, True, True], p) == [1]
    assert candidates("weighted-paths", "msdsm", [True, False, True], p) == [2]
    assert candidates("weighted-paths", "guide", [True, False, True], p) == [0, 2]


def test_mechanisms():
    assert mechanism("least-queue-depth", "msdsm") == LQD
    assert mechanism("least-blocks", "guide") == LB
    assert mechanism("weighted-paths", "guide") == SWRR
    assert mechanism("weighted-paths", "msdsm") == ROTATE
    assert mechanism("round-robin", "msdsm") == ROTATE


def test_next_map_wraps_round_in_path_order():
    # candidates 1 and 3 of 4 paths: after 0 -> 1, after 1 -> 3, after 3 -> 1; start 1
    assert next_map([1, 3], 4) == [1, 3, 3, 1, 1]
    assert next_map([], 4) is None


@pytest.mark.parametrize(
    "policy, semantics",
    [("round-robin", "msdsm"), ("fail-over-only", "msdsm"), ("weighted-paths", "guide")],
)
def test_the_two_engines_choose_the_same_paths(policy, semantics):
    wl = make_workload(3000, 2000.0, n_luns=3, seed=4)
    p = paths(3, weights=[1.0, 2.0, 3.0])
    inst_of_lun = np.arange(3)
    inst = [policy] * 3
    vec = run_vectorised(wl, inst_of_lun, inst, semantics, p)
    loop = LoopEngine(wl, inst_of_lun, inst, semantics, p, []).run()
    assert vec.path.tolist() == loop.path.tolist()
    np.testing.assert_allclose(vec.fin, loop.fin, rtol=1e-12)  # same arithmetic, reordered
