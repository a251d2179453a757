"""What the ``hvdesign`` commands share: how a command takes its scenario (TARGET, a
tier id or a scenario file, then ``--nodes`` and ``--set``), the options that override
the scenario file's sections (rules, ``--reliability``, ``--catalog``, economics) only
when given on the command line, and writing output files.

:func:`effective_scenario` is THE scenario of a command: every command that takes a
TARGET calls it (or :func:`resolve_design` when it needs the design only). The group
lives in :mod:`hvdesign.cli.main` and the commands in one module per command group;
they all import from here, so no command module imports another. This module imports
the model (pydantic, yaml) only when a scenario is resolved, so a command's ``--help``
stays fast.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

import click

from hvdesign.errors import HvdesignError
from hvdesign.presets import TIERS

if TYPE_CHECKING:
    from hvdesign.catalog import Catalog
    from hvdesign.failures import FailureRules
    from hvdesign.reliability import Reliability
    from hvdesign.scenariofile import ScenarioFile
    from hvdesign.spec import Design

#: A whole number in ASCII digits ("²".isdigit() is true, int("²") fails).
_WHOLE = re.compile(r"[0-9]{1,9}")

#: Exit status of bad input (an :class:`~hvdesign.errors.HvdesignError` or a usage
#: error, one line on stderr): :mod:`hvdesign.cli.main` exits with it.
EXIT_BAD_INPUT = 2

F = TypeVar("F", bound=Callable[..., object])

#: What the service availability is, in one sentence (every face says the same).
SERVICE_SENTENCE = (
    "Service availability: the share of the year in which every VM runs (an SLA figure)."
)
#: What the VM availability is, in one sentence.
VM_SENTENCE = (
    "VM availability: the share of VM-time the VMs run (a partial outage counts by the "
    "share of VMs it stops)."
)

#: The quorum models of ``--quorum`` (:class:`~hvdesign.failures.FailureRules`).
Quorum = Literal["auto", "node_majority", "node_and_disk_majority"]


def design_options(func: F) -> F:
    """The options every design command shares: TARGET, --nodes, --set."""
    func = click.option(
        "--set",
        "sets",
        multiple=True,
        metavar="KEY=VALUE",
        help="Override an option of the design (repeatable), e.g. --set san_portals=4.",
    )(func)
    func = click.option(
        "--nodes",
        "-n",
        metavar="N",
        help="Number of Hyper-V hosts (cluster tiers: 2 to the version's limit).",
    )(func)
    return click.argument("target", metavar="TARGET")(func)


def resolve_design(target: str, nodes: str | None, sets: tuple[str, ...]) -> Design:
    """The design named by a CLI TARGET (tier id or scenario file) plus overrides."""
    return target_scenario(target, nodes, sets).design


def _is_file(path: str) -> bool:
    """Whether ``path`` names an existing file (False for a name no file system takes:
    too long, or with a NUL byte)."""
    try:
        return Path(path).is_file()
    except (OSError, ValueError):
        return False


def target_scenario(
    target: str, nodes: str | None, sets: tuple[str, ...], *, check: bool = True
) -> ScenarioFile:
    """The scenario named by a CLI TARGET (a tier id with the defaults, or a scenario
    file, :func:`hvdesign.scenariofile.resolve_scenario`) with ``--nodes`` and ``--set``
    (design options) applied to its design; with ``check``, the file's rules are checked
    against the design that results (:func:`check_rules`)."""
    from hvdesign.scenariofile import resolve_scenario
    from hvdesign.spec import apply_sets, parse_value

    overrides: list[str] = list(sets)
    if nodes is not None:
        overrides.insert(0, f"nodes={nodes}")
    if target not in TIERS and not (target.endswith((".yaml", ".yml")) or _is_file(target)):
        raise HvdesignError(
            "TARGET", target, "a tier id (" + ", ".join(TIERS) + ") or a design file (.yaml)"
        )
    sf = resolve_scenario(target)
    if nodes is not None:
        # Parse --nodes with the same rules as --set so 'abc' or '2.5' name the field.
        parse_value("nodes", nodes)
    if not overrides:
        return sf
    sf = sf.replace(design=apply_sets(sf.design, overrides))
    if check:
        check_rules(sf)
    return sf


def check_rules(sf: ScenarioFile, given: tuple[str, ...] = ()) -> None:
    """Check the scenario's rules against its design; a rule that does not fit and was
    not ``given`` on the command line is named as the scenario's (``rules.reserve``)."""
    try:
        sf.rules.check(sf.design)
    except HvdesignError as err:
        if err.field in given:
            raise
        raise HvdesignError(
            f"rules.{err.field}",
            err.value,
            err.allowed,
            detail=f"the scenario's rule, at {sf.design.nodes} nodes",
        ) from None


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` to ``path`` atomically (:func:`hvdesign.datafiles.write_text_atomic`)."""
    from hvdesign.datafiles import write_text_atomic

    write_text_atomic(path, text, field="output")


def emit(text: str, output: str | None) -> None:
    """Write ``text`` to the file ``output`` (atomically) and say so on stderr ("wrote
    PATH", as ``hvdesign report`` does), or to stdout without it."""
    if output:
        write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))


#: Shown as the default of an option a scenario file may set.
FROM_FILE = "the scenario file's, else {}"


def rules_options(func: F) -> F:
    """The failure-rule assumptions as options (domain.md §3 defaults). Each overrides
    the scenario file's ``rules`` only when given on the command line."""
    func = click.option(
        "--reserve",
        type=int,
        default=1,
        show_default=FROM_FILE.format(1),
        help="Hosts the cluster can lose and still run every VM (N+1 = 1).",
    )(func)
    func = click.option(
        "--quorum",
        type=click.Choice(["auto", "node_majority", "node_and_disk_majority"]),
        default="auto",
        show_default=FROM_FILE.format("auto"),
        help="auto: node majority for odd node counts, node and disk "
        "majority (witness disk) for even ones.",
    )(func)
    func = click.option(
        "--csv-redirected-io/--no-csv-redirected-io",
        default=True,
        show_default=FROM_FILE.format("on"),
        help="A node that lost storage reaches it through another node.",
    )(func)
    func = click.option(
        "--network-health-detection",
        type=click.Choice(["auto", "on", "off"]),
        default="auto",
        show_default=FROM_FILE.format("auto"),
        help="auto: on for Windows Server 2012 R2 and later.",
    )(func)
    return func


def reliability_option(func: F) -> F:
    """``--reliability FILE``: MTBF/MTTR figures merged over the scenario's."""
    return click.option(
        "--reliability",
        "reliability_file",
        metavar="FILE",
        help="A reliability file (YAML, partial) merged over the scenario file's "
        "reliability (default: the shipped data/reliability.yaml): MTBF/MTTR per "
        "component kind, failover_minutes.",
    )(func)


def catalog_option(func: F) -> F:
    """``--catalog FILE``: prices merged over the scenario's."""
    return click.option(
        "--catalog",
        "catalog_file",
        metavar="FILE",
        help="Your prices (YAML, partial: overrides only what it names) merged over the "
        "scenario file's catalog (default: the shipped data/catalog.yaml).",
    )(func)


def economics_options(func: F) -> F:
    """``--downtime-cost-per-hour``, ``--years``, ``--power-usd-per-kwh`` and ``--pue``:
    the scenario's economics."""
    func = click.option(
        "--pue",
        "pue",
        type=float,
        default=None,
        metavar="RATIO",
        show_default=FROM_FILE.format("1.5"),
        help="Power usage effectiveness of the room (facility power / IT power).",
    )(func)
    func = click.option(
        "--power-usd-per-kwh",
        "power_usd_per_kwh",
        type=float,
        default=None,
        metavar="USD",
        show_default=FROM_FILE.format("0.15"),
        help="Price of electricity [USD/kWh].",
    )(func)
    func = click.option(
        "--years",
        "horizon_years",
        type=float,
        default=None,
        metavar="YEARS",
        show_default=FROM_FILE.format(5),
        help="Horizon of the total cost [years].",
    )(func)
    return click.option(
        "--downtime-cost-per-hour",
        "downtime_cost_per_hour_usd",
        type=float,
        default=None,
        metavar="USD",
        show_default=FROM_FILE.format("10,000"),
        help="Cost of one hour of downtime of ALL VMs [USD/hour] (an assumption).",
    )(func)


def given_on_command_line(ctx: click.Context, name: str) -> bool:
    """Whether the parameter ``name`` of the command was given on the command line."""
    from click.core import ParameterSource

    return name in ctx.params and ctx.get_parameter_source(name) in (
        ParameterSource.COMMANDLINE,
        ParameterSource.ENVIRONMENT,
    )


#: The rule options' parameter names (the rules section's keys).
_RULE_PARAMS = ("reserve", "quorum", "csv_redirected_io", "network_health_detection")

#: Parameter name of each economics option -> (economics key, option).
_ECONOMICS_PARAMS = {
    "downtime_cost_per_hour_usd": ("downtime_cost_per_hour_usd", "--downtime-cost-per-hour"),
    "horizon_years": ("years", "--years"),
    "power_usd_per_kwh": ("power_usd_per_kwh", "--power-usd-per-kwh"),
    "pue": ("pue", "--pue"),
}


def apply_options(
    sf: ScenarioFile, ctx: click.Context | None = None, *, check: bool = True
) -> ScenarioFile:
    """``sf`` with the command's rule, ``--reliability``, ``--catalog`` and economics
    options applied: only those given on the command line
    (``ctx.get_parameter_source``), so a scenario file's values stand otherwise. The
    rules are checked against ``sf.design`` unless ``check`` is false (``compare``:
    they apply to every tier)."""
    import dataclasses

    from hvdesign.scenariofile import economics_from_dict

    ctx = ctx or click.get_current_context()
    rules = {}
    for param in _RULE_PARAMS:
        if given_on_command_line(ctx, param):
            value = ctx.params[param]
            if param == "network_health_detection":
                value = {"auto": None, "on": True, "off": False}[value]
            rules[param] = value
    changes: dict[str, Any] = {}
    if rules:
        changes["rules"] = dataclasses.replace(sf.rules, **rules)
    if check:
        check_rules(sf.replace(**changes), tuple(rules))
    if (
        given_on_command_line(ctx, "reliability_file")
        and ctx.params["reliability_file"] is not None
    ):
        changes["reliability"] = merge_reliability_file(sf, ctx.params["reliability_file"])
    if given_on_command_line(ctx, "catalog_file") and ctx.params["catalog_file"] is not None:
        changes["catalog"] = merge_catalog_file(sf, ctx.params["catalog_file"])
    economics = {}
    for param, (key, option) in _ECONOMICS_PARAMS.items():
        if given_on_command_line(ctx, param) and ctx.params[param] is not None:
            economics[key] = (ctx.params[param], option)
    if economics:
        try:
            changes["economics"] = economics_from_dict(
                {k: v for k, (v, _) in economics.items()}, sf.economics
            )
        except HvdesignError as err:
            key = err.field.removeprefix("economics.")
            option = economics[key][1] if key in economics else err.field
            raise HvdesignError(option, err.value, err.allowed) from None
    return sf.replace(**changes) if changes else sf


def effective_scenario(
    target: str, nodes: str | None, sets: tuple[str, ...], ctx: click.Context | None = None
) -> ScenarioFile:
    """THE scenario a command works on: TARGET (:func:`target_scenario`, with
    ``--nodes`` and ``--set``), then the command's options given on the command line
    (:func:`apply_options`)."""
    return apply_options(target_scenario(target, nodes, sets, check=False), ctx)


def merge_reliability_file(sf: ScenarioFile, path: str) -> Reliability:
    """The scenario's reliability with the file ``path`` merged over it (figures from
    the file get the file as their source)."""
    from hvdesign.datafiles import read_yaml
    from hvdesign.reliability import _merge  # the merge load_reliability does

    data = read_yaml(path, "reliability file")
    return _merge(sf.reliability, {} if data is None else data, str(path))


def merge_catalog_file(sf: ScenarioFile, path: str) -> Catalog:
    """The scenario's catalog with the file ``path`` (partial) merged over it."""
    from hvdesign.catalog import merge_catalog
    from hvdesign.datafiles import read_yaml

    data = read_yaml(path, "catalog file")
    origin = f"user catalog {Path(path).name}"
    return merge_catalog(sf.catalog, data, origin=origin, where=f"in {path}")


def make_rules(
    reserve: int, quorum: str, csv_redirected_io: bool, network_health_detection: str
) -> FailureRules:
    """The :class:`~hvdesign.failures.FailureRules` of the :func:`rules_options` values."""
    from hvdesign.failures import FailureRules

    nhd = {"auto": None, "on": True, "off": False}[network_health_detection]
    return FailureRules(
        csv_redirected_io=csv_redirected_io,
        network_health_detection=nhd,
        quorum=cast(Quorum, quorum),  # click.Choice allows these three only
        reserve=reserve,
    )


#: What a node-count list (``compare --nodes``, ``figure --sweep``) allows, in words.
NODES_ALLOWED = (
    "a node count (4), a range (2-16) or a comma-separated list (2,4,8 or 2-4,8) of "
    "whole numbers from 1 to 64"
)


def parse_nodes(text: str, option: str = "--nodes") -> list[int]:
    """The node counts of a node-count option (named ``option`` in errors): ``"2-16"``,
    ``"4"``, ``"2,4,8"`` or combinations (``"1-4,8,16"``), sorted, without repeats.

    >>> parse_nodes("2-5"), parse_nodes("8"), parse_nodes("16, 2,4-5")
    ([2, 3, 4, 5], [8], [2, 4, 5, 16])
    >>> parse_nodes("16-2")
    Traceback (most recent call last):
    ...
    hvdesign.errors.HvdesignError: --nodes: '16-2' is not valid (the range 16-2 runs backwards); allowed: ...
    """
    if not text or not text.strip():
        raise HvdesignError(option, text, NODES_ALLOWED, detail="empty")

    def number(part: str) -> int:
        part = part.strip()
        if not _WHOLE.fullmatch(part):
            raise HvdesignError(
                option, text, NODES_ALLOWED, detail=f"{part!r} is not a whole number"
            )
        n = int(part)
        if not 1 <= n <= 64:
            raise HvdesignError(option, text, NODES_ALLOWED, detail=f"{n} is out of range")
        return n

    nodes: set[int] = set()
    for item in text.split(","):
        if "-" in item.strip()[1:]:
            low_text, high_text = item.strip().split("-", 1)
            low, high = number(low_text), number(high_text)
            if high < low:
                raise HvdesignError(
                    option, text, NODES_ALLOWED, detail=f"the range {low}-{high} runs backwards"
                )
            nodes.update(range(low, high + 1))
        else:
            nodes.add(number(item))
    return sorted(nodes)
