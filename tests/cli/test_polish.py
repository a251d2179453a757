"""The command line's polish (issue 14 item 6): commands that write a file with -o say
what they wrote, ``hvdesign design`` names a design that has none, usage errors point
at ``hvdesign COMMAND --help`` and words are singular or plural, never "(s)"."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml
from click.testing import CliRunner

from hvdesign.cli.main import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def run_process(*args: str) -> subprocess.CompletedProcess:
    """The real entry point: stderr and the program name are what a user sees."""
    return subprocess.run(
        [sys.executable, "-m", "hvdesign", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["design", "cluster-minimal", "-n", "3"],
        ["ipplan", "cluster-redundant-path", "-n", "4", "--format", "csv"],
        ["cabling", "cluster-redundant-path", "-n", "4", "--format", "netbox"],
    ],
)
def test_o_says_what_it_wrote_on_stderr(tmp_path, args):
    path = tmp_path / "out.txt"
    result = run(*args, "-o", str(path))
    assert result.exit_code == 0
    assert result.stderr.strip() == f"wrote {path}"
    assert result.stdout == ""
    assert path.read_text() == run(*args).stdout  # the same text as on stdout


@pytest.mark.parametrize(
    ("tier", "nodes", "name"),
    [
        ("cluster-redundant-path", 4, "4-node Hyper-V cluster, redundant path"),
        ("cluster-minimal", 2, "2-node Hyper-V cluster, minimal configuration"),
        ("single-redundant-path", 3, "3 standalone servers, redundant path"),
        ("single-redundant-connections", 1, "Single server, redundant connections"),
    ],
)
def test_design_names_a_design_without_a_name(tier, nodes, name):
    # the names written out by hand from the tiers' titles (hvdesign tiers)
    data = yaml.safe_load(run("design", tier, "-n", str(nodes)).stdout)
    assert data["name"] == name


def test_design_keeps_the_files_own_name(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text("name: Contoso <prod>\ntier: cluster-minimal\nnodes: 3\n")
    assert yaml.safe_load(run("design", str(path)).stdout)["name"] == "Contoso <prod>"


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["bogus"], "hvdesign --help"),
        (["--bogus"], "hvdesign --help"),
        (["summary", "cluster-minimal", "--bogus"], "hvdesign summary --help"),
        (["design"], "hvdesign design --help"),
    ],
)
def test_usage_errors_name_the_commands_help(args, hint):
    for stderr in (run_process(*args).stderr, run(*args).stderr):
        assert f"(see '{hint}')" in stderr
        assert "main --help" not in stderr


def test_plural_words_in_text_output():
    out = run("summary", "cluster-minimal", "-n", "3").stdout
    assert "(s)" not in out and "1 unit of" in out
    out = run("check", "cluster-minimal", "-n", "3").stdout
    assert "(s)" not in out
