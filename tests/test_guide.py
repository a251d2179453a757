"""Tests of hvdesign.guide: each rule of the guide's "which should I use?" list
(shared/domain.md section 6; the guide's MCS/MPIO section), the conflicts, the
warnings that are always given, and bad input."""

from __future__ import annotations

import json

import pytest

from hvdesign.errors import HvdesignError
from hvdesign.guide import GUEST_OS, HBA_NOTE, TEAMING_WARNING, recommend


@pytest.mark.parametrize(
    ("facts", "expected", "rule", "words"),
    [
        ({"no_mcs_support": True}, "MPIO", "no_mcs_support", "only option"),
        ({"per_lun_policies": True}, "MPIO", "per_lun_policies", "per LUN"),
        ({"hba": True}, "MPIO", "hba", "HBAs tend to support MPIO"),
        ({"guest_os": "windows-xp"}, "MCS", "guest_os", "must use MCS"),
        ({"guest_os": "windows-vista"}, "MCS", "guest_os", "must use MCS"),
        ({"guest_os": "Windows 7"}, "MCS", "guest_os", "must use MCS"),
        ({"high_utilization": True}, "MPIO", "high_utilization", "more processor"),
        ({}, "either", "default", "marginally faster"),
    ],
)
def test_each_rule(facts, expected, rule, words):
    r = recommend(**facts)
    assert r.recommendation == expected
    assert r.rules == [rule]
    assert words in " ".join(r.reasons)


def test_guests_with_mpio_fire_no_rule():
    r = recommend(guest_os=["windows-server-2008-r2", "linux"])
    assert r.recommendation == "either" and r.rules == ["default"]


def test_later_desktop_guest_is_a_warning_not_a_rule():
    r = recommend(guest_os="windows-10")
    assert r.recommendation == "either"
    assert any("windows-10" in w for w in r.warnings)


def test_several_mpio_rules_give_mpio_with_every_reason():
    r = recommend(no_mcs_support=True, per_lun_policies=True, hba=True, high_utilization=True)
    assert r.recommendation == "MPIO"
    assert r.rules == ["no_mcs_support", "per_lun_policies", "hba", "high_utilization"]
    assert len(r.reasons) == 4


def test_conflict_guest_without_mpio_and_storage_without_mcs():
    # Both hard: the storage one cannot be worked around; the guests get their disks
    # through the host, which uses MPIO.
    r = recommend(guest_os="windows-7", no_mcs_support=True)
    assert r.recommendation == "MPIO"
    assert any(w.startswith("Conflict") for w in r.warnings)
    assert "in the Hyper-V host" in r.reasons[-1]


@pytest.mark.parametrize("soft", ["per_lun_policies", "hba", "high_utilization"])
def test_conflict_guest_without_mpio_beats_mpio_preferences(soft):
    r = recommend(guest_os="windows-vista", **{soft: True})
    assert r.recommendation == "MCS"
    assert any(w.startswith("Conflict") for w in r.warnings)
    assert "hard constraint" in r.reasons[-1]


@pytest.mark.parametrize("teaming", [False, True])
def test_teaming_warning_and_hba_note_always_present(teaming):
    r = recommend(storage_teaming=teaming)
    assert TEAMING_WARNING in r.warnings[0]
    assert "neither supported nor a best practice" in r.warnings[0]
    assert ("is an error" in r.warnings[0]) is teaming
    assert HBA_NOTE in r.notes


def test_to_dict_is_json_ready():
    d = json.loads(json.dumps(recommend(hba=True, guest_os="windows-7").to_dict()))
    assert set(d) == {"recommendation", "reasons", "rules", "warnings", "notes", "inputs"}
    assert d["inputs"]["guest_os"] == ["windows-7"]


def test_unknown_guest_lists_the_allowed_names():
    with pytest.raises(HvdesignError) as e:
        recommend(guest_os="windows-95")
    assert e.value.field == "guest_os"
    text = str(e.value)  # one line of at most 300 characters: server versions as suffixes
    assert len(text) <= 300
    assert all(name.removeprefix("windows-server") in text for name in GUEST_OS)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"no_mcs_support": "yes"}, "no_mcs_support"),
        ({"per_lun_policies": 1}, "per_lun_policies"),
        ({"hba": None}, "hba"),
        ({"high_utilization": "true"}, "high_utilization"),
        ({"storage_teaming": 0}, "storage_teaming"),
        ({"guest_os": []}, "guest_os"),
        ({"guest_os": 7}, "guest_os"),
    ],
)
def test_bad_input_names_the_field(kwargs, field):
    with pytest.raises(HvdesignError) as e:
        recommend(**kwargs)
    assert e.value.field == field
