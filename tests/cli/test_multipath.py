"""Tests of ``hvdesign multipath`` and ``hvdesign guide``: the JSON keys issue 6
documents, the text output's units and semantics, the option parsers, and bad input
as one line with exit status 2."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from hvdesign.cli.main import main
from hvdesign.cli.multipath import COMMANDS, parse_events, parse_numbers, parse_paths
from hvdesign.errors import HvdesignError
from hvdesign.guide import TEAMING_WARNING

for _cmd in COMMANDS:  # what the lead's registration will do (idempotent)
    main.add_command(_cmd)

#: The per-path keys issue 6 documents for ``--json``.
PER_PATH_KEYS = {
    "path",
    "share_requests",
    "share_bytes",
    "utilization",
    "latency_ms_p50",
    "latency_ms_p99",
}


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def run_json(*args: str) -> dict:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# --------------------------------------------------------------------------- multipath
def test_multipath_json_has_per_path_and_timeline():
    data = run_json("multipath", "--policy", "round-robin", "--paths", "3", "--ios", "3000")
    assert len(data["per_path"]) == 3
    for row in data["per_path"]:
        assert set(row) >= PER_PATH_KEYS
    assert [row["path"] for row in data["per_path"]] == [1, 2, 3]
    # Round robin on equal paths: a third each (exactly, 3000 requests).
    assert [row["share_requests"] for row in data["per_path"]] == [pytest.approx(1 / 3)] * 3
    tl = data["timeline"]
    assert set(tl) == {"bin_s", "t_s", "throughput_gbps"}
    assert len(tl["throughput_gbps"]) == 3
    assert all(len(series) == len(tl["t_s"]) for series in tl["throughput_gbps"])
    assert data["semantics"] == "msdsm" and data["policy"] == "round-robin"


def test_multipath_json_failover_and_return():
    """Fail over only: path 1 fails at 2 s and returns at 4 s; path 2 carries the
    requests in between, and the events say so."""
    data = run_json(
        "multipath",
        "--policy",
        "fail-over-only",
        "--bandwidth-gbps",
        "10",
        "--fail",
        "1@2",
        "--restore",
        "1@4",
        "--ios",
        "6000",
        "--rate",
        "1000",
    )
    assert [(e["event"], e["path"], e["t_s"]) for e in data["events"]] == [
        ("fail", 1, 2.0),
        ("restore", 1, 4.0),
    ]
    share2 = data["per_path"][1]["share_requests"]
    assert 0.2 < share2 < 0.45  # about 2 s of 6 s
    tl = data["timeline"]
    after = [i for i, t in enumerate(tl["t_s"]) if t >= 4.5]
    assert all(tl["throughput_gbps"][1][i] == 0 for i in after)  # back on path 1


def test_multipath_options_reach_the_simulator():
    data = run_json(
        "multipath",
        "--policy",
        "weighted-paths",
        "--semantics",
        "guide",
        "--paths",
        "2",
        "--weights",
        "3,1",
        "--latency-ms",
        "0.2,0.4",
        "--luns",
        "2",
        "--seed",
        "7",
        "--mode",
        "mcs",
        "--ios",
        "4000",
    )
    p = data["parameters"]
    assert p["weights"] == [3.0, 1.0] and p["latency_ms"] == [0.2, 0.4]
    assert (p["n_luns"], p["seed"], data["mode"], data["semantics"]) == (2, 7, "mcs", "guide")
    assert data["per_path"][0]["share_requests"] == pytest.approx(0.75, abs=0.02)


def test_multipath_per_lun_policies():
    data = run_json("multipath", "--policy", "fail-over-only,round-robin", "--luns", "2")
    assert data["policy"] == ["fail-over-only", "round-robin"]
    assert [lun["policy"] for lun in data["per_lun"]] == ["fail-over-only", "round-robin"]


def test_multipath_text_has_units_and_semantics():
    result = run("multipath", "--policy", "round-robin-with-subset", "--paths", "3", "--ios", "500")
    assert result.exit_code == 0
    out = result.stdout
    assert "semantics: msdsm: Microsoft's documented DSM behaviour" in out
    for unit in ("[Gbit/s]", "[ms]"):
        assert unit in out
    assert "primaries: 1, 2; standbys: 3" in out
    assert "mpclaim 3" in out


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--fail", "1-2"], "--fail"),
        (["--fail", "x@2"], "--fail"),
        (["--fail", "1@soon"], "--fail"),
        (["--restore", "1"], "--restore"),
        (["--fail", "3@2"], "--fail"),  # path 3 of 2: the simulator's check
        (["--bandwidth-gbps", "10,x"], "--bandwidth-gbps"),
        (["--bandwidth-gbps", "10,10,10"], "--bandwidth-gbps"),
        (["--latency-ms", "-1"], "--latency-ms"),
        (["--weights", "1,,2"], "--weights"),
        (["--active", "one"], "--active"),
        (["--policy", "fastest"], "--policy"),
        (["--ios", "0"], "--ios"),
        (["--mode", "mcs", "--policy", "least-blocks"], "--policy"),
    ],
)
def test_multipath_bad_input_is_one_line_exit_2(args, option):
    result = run("multipath", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"hvdesign: error: {option}: ")


def test_multipath_click_errors_are_one_line_too():
    result = run("multipath", "--paths", "9")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_parsers():
    assert parse_numbers("--weights", "2") == 2.0
    assert parse_numbers("--weights", None) is None
    assert parse_paths("--active", "2, 1") == [2, 1]
    assert parse_events("--fail", ("1@0", "2@1.5,1@3")) == [(1, 0.0), (2, 1.5), (1, 3.0)]
    with pytest.raises(HvdesignError, match=r"^--restore: '1@' is not valid"):
        parse_events("--restore", ("1@",))


# --------------------------------------------------------------------------- guide
def test_guide_json():
    data = run_json("guide", "--no-mcs-support")
    assert {"recommendation", "reasons", "warnings"} <= set(data)
    assert data["recommendation"] == "MPIO"
    assert TEAMING_WARNING in data["warnings"]  # always flagged


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], "either"),
        (["--per-lun-policies"], "MPIO"),
        (["--hba"], "MPIO"),
        (["--high-utilization"], "MPIO"),
        (["--guest-os", "windows-7"], "MCS"),
        (["--guest-os", "Windows XP", "--guest-os", "linux"], "MCS"),
    ],
)
def test_guide_rules_from_the_cli(args, expected):
    assert run_json("guide", *args)["recommendation"] == expected


def test_guide_text():
    result = run("guide", "--hba", "--storage-teaming")
    assert result.exit_code == 0
    assert result.stdout.startswith("Recommendation: MPIO")
    assert "Reasons:" in result.stdout and "teams its storage NICs" in result.stdout


def test_guide_bad_guest_is_one_line_exit_2():
    result = run("guide", "--guest-os", "beos")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hvdesign: error: --guest-os: 'beos'")
