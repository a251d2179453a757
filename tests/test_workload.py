"""Tests of the request stream (:mod:`hvdesign.workload`): reproducible draws, the
assumed default size mix, and the inputs model."""

from __future__ import annotations

import numpy as np
import pytest

from hvdesign.errors import HvdesignError
from hvdesign.validation import checked
from hvdesign.workload import (
    DEFAULT_SIZE_PROBABILITIES,
    DEFAULT_SIZES_BYTES,
    WorkloadInputs,
    make_workload,
)


def test_same_arguments_same_stream():
    a, b = make_workload(500, 300.0, n_luns=3, seed=9), make_workload(500, 300.0, n_luns=3, seed=9)
    for name in ("arrival_s", "size_bytes", "is_read", "lun"):
        assert np.array_equal(getattr(a, name), getattr(b, name))
    assert a.parameters == b.parameters


def test_default_mix_and_equal_sizes():
    w = make_workload(10, seed=0)
    assert w.parameters["size_probabilities"] == list(DEFAULT_SIZE_PROBABILITIES)
    assert w.parameters["sizes_bytes"] == list(DEFAULT_SIZES_BYTES)
    w = make_workload(10, sizes_bytes=[512, 1024], seed=0)
    assert w.parameters["size_probabilities"] == [0.5, 0.5]  # equally likely


def test_mean_interarrival_is_the_rate():
    # 200,000 exponential draws at 1000 IO/s: mean 1 ms, standard error 1 ms / sqrt(n)
    # = 2.2 us; 5 standard errors is 11 us.
    w = make_workload(200_000, 1000.0, seed=3)
    assert abs(np.diff(w.arrival_s).mean() - 1e-3) < 11e-6


def test_inputs_model_normalises_probabilities():
    inputs = checked(
        WorkloadInputs,
        {
            "n_ios": 5,
            "arrival_rate_iops": 10,
            "n_luns": 1,
            "read_fraction": 0.5,
            "sizes_bytes": 4096,
            "size_probabilities": [1.0000001],
            "seed": None,
        },
    )
    assert inputs.sizes_bytes == [4096] and inputs.size_probabilities == (1.0,)
    assert inputs.arrival_rate_iops == 10.0 and isinstance(inputs.arrival_rate_iops, float)


def test_bad_sizes_are_reported_before_their_probabilities():
    with pytest.raises(HvdesignError) as e:
        make_workload(10, sizes_bytes=[], size_probabilities=[2.0])
    assert e.value.field == "sizes_bytes"
