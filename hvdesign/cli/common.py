"""What the ``hvdesign`` commands share: how a command takes its design (TARGET,
``--nodes``, ``--set``), the failure-rule options, and writing output files.

The group lives in :mod:`hvdesign.cli.main` and the commands in one module per command
group; they all import from here, so no command module imports another. This module
imports the model (pydantic, yaml) only when a design is resolved, so a command's
``--help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar, cast

import click

from hvdesign.errors import HvdesignError
from hvdesign.presets import TIERS

if TYPE_CHECKING:
    from hvdesign.failures import FailureRules
    from hvdesign.spec import Design

#: Exit status of bad input (an :class:`~hvdesign.errors.HvdesignError` or a usage
#: error, one line on stderr): :mod:`hvdesign.cli.main` exits with it.
EXIT_BAD_INPUT = 2

F = TypeVar("F", bound=Callable[..., object])

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
    """The design named by a CLI TARGET (tier id or design file) plus overrides."""
    from hvdesign.spec import apply_sets, design_from_tier, load_design, parse_value

    overrides: list[str] = list(sets)
    if nodes is not None:
        overrides.insert(0, f"nodes={nodes}")
    path = Path(target)
    if target in TIERS:
        base = design_from_tier(target)
    elif target.endswith((".yaml", ".yml")) or path.is_file():
        base = load_design(path)
    else:
        raise HvdesignError(
            "TARGET", target, "a tier id (" + ", ".join(TIERS) + ") or a design file (.yaml)"
        )
    if nodes is not None:
        # Parse --nodes with the same rules as --set so 'abc' or '2.5' name the field.
        parse_value("nodes", nodes)
    return apply_sets(base, overrides)


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` to ``path`` atomically (:func:`hvdesign.datafiles.write_text_atomic`)."""
    from hvdesign.datafiles import write_text_atomic

    write_text_atomic(path, text, field="output")


def emit(text: str, output: str | None) -> None:
    """Write ``text`` to the file ``output`` (atomically), or to stdout without it."""
    if output:
        write_atomic(output, text)
    else:
        click.echo(text, nl=not text.endswith("\n"))


def rules_options(func: F) -> F:
    """The failure-rule assumptions as options (domain.md §3 defaults)."""
    func = click.option(
        "--reserve",
        type=int,
        default=1,
        show_default=True,
        help="Hosts the cluster can lose and still run every VM (N+1 = 1).",
    )(func)
    func = click.option(
        "--quorum",
        type=click.Choice(["auto", "node_majority", "node_and_disk_majority"]),
        default="auto",
        show_default=True,
        help="auto: node majority for odd node counts, node and disk "
        "majority (witness disk) for even ones.",
    )(func)
    func = click.option(
        "--csv-redirected-io/--no-csv-redirected-io",
        default=True,
        show_default=True,
        help="A node that lost storage reaches it through another node.",
    )(func)
    func = click.option(
        "--network-health-detection",
        type=click.Choice(["auto", "on", "off"]),
        default="auto",
        show_default=True,
        help="auto: on for Windows Server 2012 R2 and later.",
    )(func)
    return func


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
        if not part.isdigit():
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
