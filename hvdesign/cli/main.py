"""The ``hvdesign`` command line: a thin face over the package.

Every command that analyses a design takes the design the same way: ``TARGET`` is a
tier id (with ``--nodes N``) or a scenario file (YAML: a design file with optional
``rules``, ``reliability``, ``catalog`` and ``economics`` sections), then any ``--set
KEY=VALUE`` design overrides; the rule, ``--reliability``, ``--catalog`` and economics
options override the file's sections only when given on the command line
(:func:`hvdesign.cli.common.effective_scenario`). Bad input prints one line ``hvdesign: error: ...`` on stderr and exits with
status 2; no traceback, no output file.

The commands live in one module per command group (:mod:`hvdesign.cli.design`,
:mod:`~hvdesign.cli.coverage`, :mod:`~hvdesign.cli.availability`,
:mod:`~hvdesign.cli.cost`, :mod:`~hvdesign.cli.multipath`, :mod:`~hvdesign.cli.report`,
:mod:`~hvdesign.cli.figure`) and are registered lazily (:data:`COMMANDS`): a module is
imported only when one of its commands runs or shows its help, so ``hvdesign tiers``,
``--help`` and ``--version`` start without pandas, numpy, networkx, plotly or pydantic.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Mapping
from typing import Any, NamedTuple

import click

from hvdesign import __version__
from hvdesign.cli.common import EXIT_BAD_INPUT
from hvdesign.errors import MAX_MESSAGE_CHARS, HvdesignError, one_line
from hvdesign.presets import TIERS


class LazyCommand(NamedTuple):
    """Where a command lives (``"module:attribute"``) and its short help for ``--help``."""

    target: str
    short_help: str


#: Every command of the group that lives in its own module (``--help`` lists them in
#: alphabetical order). The short help is kept here so ``hvdesign --help`` lists the
#: commands without importing them (a test checks it matches each command's own).
COMMANDS: dict[str, LazyCommand] = {
    "availability": LazyCommand(
        "hvdesign.cli.availability:availability_cmd",
        "Availability, downtime per year and failover restarts of a design.",
    ),
    "cabling": LazyCommand(
        "hvdesign.cli.design:cabling",
        "The cabling plan: one row per cable (device, port, NIC card, switch, port).",
    ),
    "check": LazyCommand(
        "hvdesign.cli.multipath:check",
        "Best-practice checks of a design (exit status 1 when a finding is an error).",
    ),
    "compare": LazyCommand(
        "hvdesign.cli.cost:compare_cmd",
        "Every tier at every node count: capital cost, availability, downtime, total "
        "cost, and the Pareto frontier of capital cost against VM-weighted downtime.",
    ),
    "cost": LazyCommand(
        "hvdesign.cli.cost:cost",
        "Bill of materials, capital cost, cost per VM and total cost of a design.",
    ),
    "coverage": LazyCommand(
        "hvdesign.cli.coverage:coverage",
        "Which single (and double) failures the design survives, and why.",
    ),
    "design": LazyCommand(
        "hvdesign.cli.design:design",
        "Print the whole scenario as a scenario file (YAML): every design option, then "
        "the rules, reliability, catalog and economics with their effective values.",
    ),
    "figure": LazyCommand(
        "hvdesign.cli.figure:figure",
        "Draw a figure to an SVG or PNG file (for slides).",
    ),
    "guide": LazyCommand(
        "hvdesign.cli.multipath:guide",
        "MPIO, MCS or either: the guide's rules, each with its reason.",
    ),
    "ipplan": LazyCommand(
        "hvdesign.cli.design:ipplan",
        "The IP plan: an address for every endpoint, from a CIDR per traffic class.",
    ),
    "sensitivity": LazyCommand(
        "hvdesign.cli.sensitivity:sensitivity_cmd",
        "Which input matters most: each uncertain input moved / and x a factor.",
    ),
    "size": LazyCommand(
        "hvdesign.cli.size:size_cmd",
        "The hosts every tier needs for a workload, and what limits them.",
    ),
    "netbox": LazyCommand(
        "hvdesign.cli.netbox:netbox_cmd",
        "The CSV files an empty NetBox needs for the design, in import order (sites, "
        "manufacturers, device roles and types, devices, interfaces, VLANs, prefixes, IP "
        "addresses, cables).",
    ),
    "multipath": LazyCommand(
        "hvdesign.cli.multipath:multipath",
        "Simulate I/O over K storage paths under an MPIO/MCS load-balance policy.",
    ),
    "report": LazyCommand(
        "hvdesign.cli.report:report",
        "Write a self-contained HTML report of a design (TARGET: a tier id with --nodes, "
        "or a design file), its PDF (--pdf), or of two designs with --compare A.yaml B.yaml.",
    ),
    "summary": LazyCommand(
        "hvdesign.cli.design:summary_cmd",
        "Connections, switch ports and IP addresses of a design.",
    ),
}


def load_command(target: str) -> click.Command:
    """The click command at ``target`` (``"module:attribute"``), importing its module.

    >>> load_command("hvdesign.cli.main:tiers").name
    'tiers'
    """
    module_name, _, attribute = target.partition(":")
    command = getattr(importlib.import_module(module_name), attribute)
    if not isinstance(command, click.Command):
        raise TypeError(f"{target} is not a click command")
    return command


class LazyGroup(click.Group):
    """A click group whose commands are imported when they run or show their help.

    ``lazy`` maps command names to a :class:`LazyCommand`; commands added with
    ``add_command`` (``tiers``) are used as they are and take precedence. The group's
    ``--help`` lists both, taking the short help of lazy commands from the registry.
    Bad input becomes one line on stderr and exit status 2.
    """

    def __init__(
        self, *args: Any, lazy: Mapping[str, LazyCommand] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, LazyCommand] = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, eager and lazy, in alphabetical order."""
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command ``cmd_name``, importing its module the first time it is needed."""
        command = self.commands.get(cmd_name)
        if command is None and cmd_name in self.lazy:
            command = load_command(self.lazy[cmd_name].target)
            self.commands[cmd_name] = command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The "Commands" section of ``--help``, without importing lazy commands."""
        commands = []
        for name in self.list_commands(ctx):
            # A command not loaded yet is shown through a stand-in with its short help.
            command = self.commands.get(name) or click.Command(
                name, help=self.lazy[name].short_help
            )
            if not command.hidden:
                commands.append((name, command))
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            with formatter.section("Commands"):
                formatter.write_dl(
                    [(name, cmd.get_short_help_str(limit)) for name, cmd in commands]
                )

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command line; bad input is one line on stderr and exit status 2."""
        kwargs["standalone_mode"] = False
        _exit_on_sigterm()
        try:
            return super().main(*args, **kwargs)
        except HvdesignError as err:
            click.echo(f"hvdesign: error: {err}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except click.exceptions.NoArgsIsHelpError as err:
            click.echo(err.ctx.get_help() if err.ctx else str(err))
            sys.exit(EXIT_BAD_INPUT)
        except click.UsageError as err:
            hint = f" (see '{help_command(err.ctx)}')" if err.ctx else ""
            message = one_line(err.format_message(), MAX_MESSAGE_CHARS - len(hint))
            click.echo(f"hvdesign: error: {message}{hint}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except click.Abort:
            click.echo("hvdesign: aborted", err=True)
            sys.exit(130)
        except click.exceptions.Exit as err:
            sys.exit(err.exit_code)
        except BrokenPipeError:
            sys.exit(0)


def _exit_on_sigterm() -> None:
    """SIGTERM raises SystemExit (status 143) instead of killing the process, so every
    ``finally`` and ``except BaseException`` runs: temporary files and directories of an
    interrupted write or report are removed (SIGINT already raises KeyboardInterrupt)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return  # signal handlers can only be set from the main thread (e.g. in tests)

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


def help_command(ctx: click.Context) -> str:
    """The help to suggest for a usage error in ``ctx``: ``hvdesign COMMAND --help``
    for a command's error, ``hvdesign --help`` for the group's (never the program's
    own name, which is ``main`` when run in-process)."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or ctx.command.name or "")
        ctx = ctx.parent
    return " ".join(["hvdesign", *reversed(names), "--help"])


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
# The version is the package's own constant: importlib.metadata costs a start-up.
@click.version_option(version=__version__, prog_name="hvdesign")
def main() -> None:
    """Design and cost highly available Hyper-V clusters on iSCSI storage.

    TARGET is a tier id (see 'hvdesign tiers') or a design file (YAML).
    """


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def tiers(as_json: bool) -> None:
    """List the five redundancy tiers of the guide."""
    if as_json:
        data = [
            {
                "id": t.id,
                "figure": t.figure,
                "title": t.title,
                "summary": t.summary,
                "preset": t.preset,
            }
            for t in TIERS.values()
        ]
        click.echo(json.dumps(data, indent=2))
        return
    for t in TIERS.values():
        click.echo(f"{t.id:31} {t.figure:9} {t.title}")
        click.echo(f"{'':41} {t.summary}")
