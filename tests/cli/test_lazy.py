"""The lazy command registry (issue 9): ``hvdesign --help``, ``tiers`` and ``--version``
start without importing the command modules or the heavy libraries, and the registry's
short help is each command's own."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

import hvdesign
from hvdesign.cli.main import COMMANDS, load_command, main

#: Libraries a start-up must not import (issue 9), and the command modules.
HEAVY = ("pandas", "numpy", "networkx", "plotly", "pydantic", "yaml")
COMMAND_MODULES = sorted({lazy.target.partition(":")[0] for lazy in COMMANDS.values()})


def _modules_after(*args: str) -> set[str]:
    """The top-level modules and hvdesign modules loaded by ``hvdesign ARGS``."""
    code = (
        "import sys\n"
        "from hvdesign.cli.main import main\n"
        "try:\n"
        f"    main({list(args)!r}, prog_name='hvdesign')\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write(repr(sorted(sys.modules)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return set(eval(proc.stderr.strip().splitlines()[-1]))  # a list of names we printed


@pytest.mark.parametrize("args", [["--help"], ["tiers"], ["--version"], ["tiers", "--json"]])
def test_start_up_imports_no_heavy_library_and_no_command_module(args):
    modules = _modules_after(*args)
    assert not {m.split(".")[0] for m in modules} & set(HEAVY)
    assert not modules & set(COMMAND_MODULES)
    assert "importlib.metadata" not in modules


def test_help_lists_every_command_with_its_own_short_help():
    out = CliRunner().invoke(main, ["--help"]).output
    listed = {
        line.split()[0]: " ".join(line.split()[1:])
        for line in out.split("Commands:")[1].splitlines()
        if line.strip()
    }
    assert set(listed) == {*COMMANDS, "tiers"}
    for name in COMMANDS:
        command = load_command(COMMANDS[name].target)
        assert command.name == name
        # What --help shows for the loaded command, at the width the group used.
        limit = 80 - 6 - max(map(len, listed))
        assert listed[name] == command.get_short_help_str(limit)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_registry_short_help_is_the_command_docstring(name):
    command = load_command(COMMANDS[name].target)
    stand_in = click.Command(name, help=COMMANDS[name].short_help)
    assert stand_in.get_short_help_str(500) == command.get_short_help_str(500)


def test_every_command_of_the_command_modules_is_registered():
    for module_name in COMMAND_MODULES:
        module = importlib.import_module(module_name)
        for attribute, value in vars(module).items():
            if isinstance(value, click.Command):
                assert COMMANDS[value.name].target == f"{module_name}:{attribute}"


def test_a_lazy_command_shows_its_help():
    result = CliRunner().invoke(main, ["coverage", "--help"])
    assert result.exit_code == 0
    assert "scenario_classes" in result.output and "--expand" in result.output


def test_unknown_command_is_one_line_exit_2():
    proc = subprocess.run(
        [sys.executable, "-m", "hvdesign", "no-such-command"],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("hvdesign: error: No such command")
    assert len(proc.stderr.strip().splitlines()) == 1


def test_version_is_the_installed_distribution_version():
    proc = subprocess.run(
        [sys.executable, "-m", "hvdesign", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"hvdesign, version {importlib.metadata.version('hvdesign')}"
    assert hvdesign.__version__ == importlib.metadata.version("hvdesign")


def test_package_api_is_lazy_and_complete():
    code = (
        "import sys, hvdesign\n"
        "before = 'pandas' in sys.modules or 'networkx' in sys.modules\n"
        "from hvdesign import design_from_tier, summary, build_graph, TIERS, Design\n"
        "from hvdesign import HvdesignError, design_from_dict, load_design\n"
        "print(before, summary(design_from_tier('cluster-redundant-path', nodes=4))"
        "['host_connections_total'], sorted(set(hvdesign.__all__) - set(dir(hvdesign))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout.split()
    assert out == ["False", "24", "[]"]  # the guide: four nodes, 24 host connections
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = hvdesign.no_such_name


def test_tiers_json_lists_the_presets():
    from hvdesign.presets import TIERS

    data = json.loads(CliRunner().invoke(main, ["tiers", "--json"]).output)
    assert [t["id"] for t in data] == list(TIERS)
