"""Command-line faces of multipathing and the design checks: ``hvdesign multipath``,
``hvdesign guide`` and ``hvdesign check``.

The commands are plain click commands; :mod:`hvdesign.cli.main` registers them lazily
on its group (the module is imported when a command runs), whose error handling turns every
:class:`~hvdesign.errors.HvdesignError` into one line on stderr and exit status 2.
They only parse options and present what :func:`hvdesign.multipath.simulate`,
:func:`hvdesign.guide.recommend` and :func:`hvdesign.checks.check_design` return.

``hvdesign check`` exits with status 1 when a finding is an error, 0 otherwise (2 for
bad input, as every command).
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

import click

from hvdesign.checks import check_design, has_errors, severity_counts
from hvdesign.cli.common import design_options, resolve_design
from hvdesign.errors import HvdesignError
from hvdesign.guide import GUEST_OS, recommend
from hvdesign.multipath import (
    MAX_PATHS,
    MIN_PATHS,
    MODES,
    MPCLAIM_CODES,
    POLICIES,
    SEMANTICS,
    SimulationResult,
    simulate,
)
from hvdesign.views.html import plural

#: A whole number in ASCII digits ("²".isdigit() is true, int("²") fails).
_WHOLE = re.compile(r"[0-9]{1,9}")

#: Exit status of ``hvdesign check`` when any finding is an error.
EXIT_ERROR_FINDING = 1

#: How each semantics is described in the text output.
SEMANTICS_TEXT: dict[str, str] = {
    "msdsm": "Microsoft's documented DSM behaviour (TechNet dd851699)",
    "guide": "the guide's reading",
}


# --------------------------------------------------------------------------- parsing
def parse_numbers(option: str, text: str | None) -> float | list[float] | None:
    """``"10"`` -> ``10.0``; ``"10,10,1"`` -> ``[10.0, 10.0, 1.0]``; None stays None.

    >>> parse_numbers("--bandwidth-gbps", "10, 10,1")
    [10.0, 10.0, 1.0]
    >>> parse_numbers("--weights", "1,,2")
    Traceback (most recent call last):
    ...
    hvdesign.errors.HvdesignError: --weights: '1,,2' is not valid (item 2 is empty); allowed: a number or a comma-separated list of numbers, one per path, e.g. 10,10,1
    """
    if text is None:
        return None
    allowed = "a number or a comma-separated list of numbers, one per path, e.g. 10,10,1"
    items = text.split(",")
    values = []
    for i, raw in enumerate(items, start=1):
        item = raw.strip()
        if not item:
            raise HvdesignError(option, text, allowed, detail=f"item {i} is empty")
        try:
            values.append(float(item))
        except ValueError:
            raise HvdesignError(option, text, allowed, detail=f"{item!r} is not a number") from None
    return values[0] if len(values) == 1 else values


def parse_paths(option: str, text: str | None) -> list[int] | None:
    """``"1,3"`` -> ``[1, 3]`` (1-based path numbers); None stays None."""
    if text is None:
        return None
    allowed = f"a comma-separated list of path numbers ({MIN_PATHS} to {MAX_PATHS} paths), e.g. 1,2"
    out = []
    for raw in text.split(","):
        item = raw.strip()
        if not _WHOLE.fullmatch(item):
            raise HvdesignError(option, text, allowed, detail=f"{item!r} is not a path number")
        out.append(int(item))
    return out


def parse_events(option: str, texts: tuple[str, ...]) -> list[tuple[int, float]]:
    """``("1@2.5", "2@3,3@4")`` -> ``[(1, 2.5), (2, 3.0), (3, 4.0)]``.

    >>> parse_events("--fail", ("1@2.5", "2@3,3@4"))
    [(1, 2.5), (2, 3.0), (3, 4.0)]
    >>> parse_events("--fail", ("1:2",))
    Traceback (most recent call last):
    ...
    hvdesign.errors.HvdesignError: --fail: '1:2' is not valid (no '@'); allowed: PATH@SECONDS, e.g. 1@2.5 (path 1 at 2.5 s); repeat the option or separate with commas
    """
    allowed = (
        "PATH@SECONDS, e.g. 1@2.5 (path 1 at 2.5 s); repeat the option or separate with commas"
    )
    out = []
    for text in texts:
        for raw in text.split(","):
            item = raw.strip()
            if "@" not in item:
                raise HvdesignError(option, item, allowed, detail="no '@'")
            path, seconds = (x.strip() for x in item.split("@", 1))
            if not _WHOLE.fullmatch(path):
                raise HvdesignError(option, item, allowed, detail=f"{path!r} is not a path number")
            try:
                t = float(seconds)
            except ValueError:
                raise HvdesignError(
                    option, item, allowed, detail=f"{seconds!r} is not a time in seconds"
                ) from None
            out.append((int(path), t))
    return out


def _policy_arg(text: str) -> str | list[str]:
    """One policy name, or (MPIO) one per LUN separated by commas."""
    names = [x.strip() for x in text.split(",")]
    return names[0] if len(names) == 1 else names


# --------------------------------------------------------------------------- multipath
def _fmt(x: float | None, spec: str) -> str:
    """``x`` formatted with ``spec``; ``-`` (right-aligned to the same width) for None."""
    if x is None:
        width = spec.lstrip("<>^").split(".")[0]
        return format("-", f">{width}") if width else "-"
    return format(x, spec)


#: Parameter names of simulate() and recommend() and the options that give them.
_OPTION_OF = {
    "policy": "--policy",
    "n_paths": "--paths",
    "bandwidth_gbps": "--bandwidth-gbps",
    "latency_ms": "--latency-ms",
    "weights": "--weights",
    "active": "--active",
    "fail": "--fail",
    "restore": "--restore",
    "n_ios": "--ios",
    "arrival_rate_iops": "--rate",
    "n_luns": "--luns",
    "seed": "--seed",
    "guest_os": "--guest-os",
}


def _as_option(err: HvdesignError) -> HvdesignError:
    """The same error, naming the command-line option instead of the parameter."""
    option = _OPTION_OF.get(err.field)
    if option is None:
        return err
    return HvdesignError(option, err.value, err.allowed, detail=err.detail)


def _multipath_text(r: SimulationResult) -> str:
    p = r.parameters
    policy = r.policy if isinstance(r.policy, str) else ", ".join(r.policy)
    codes = (
        MPCLAIM_CODES[r.policy]
        if isinstance(r.policy, str)
        else ",".join(str(MPCLAIM_CODES[x]) for x in r.policy)
    )
    where = "a policy per LUN" if r.mode == "mpio" else "one policy per session"
    lines = [
        f"{policy} (mpclaim {codes}), {r.mode.upper()} ({where})",
        f"  semantics: {r.semantics}: {SEMANTICS_TEXT[r.semantics]}",
        f"  workload: {p['n_ios']:,} I/Os at {p['arrival_rate_iops']:g} IO/s over "
        f"{plural(p['n_luns'], 'LUN')}, seed {p['seed']}; {r.n_reads:,} reads, {r.n_writes:,} writes",
        f"  simulated {r.simulated_s:.3f} s (engine {r.engine}); timeline bins of "
        f"{r.timeline['bin_s']:g} s",
    ]
    if "fail-over-only" in (r.policy if isinstance(r.policy, list) else [r.policy]):
        lines.append(f"  fail-over order: {', '.join(map(str, p['fail_over_order']))}")
    if "round-robin-with-subset" in (r.policy if isinstance(r.policy, list) else [r.policy]):
        lines.append(
            f"  primaries: {', '.join(map(str, p['primaries']))}; "
            f"standbys: {', '.join(map(str, p['standbys'])) or 'none'}"
        )
    header = (
        f"  {'path':>4} {'bandwidth':>9} {'latency':>8} {'weight':>6} {'requests':>9} "
        f"{'share':>6} {'share':>6} {'util.':>6} {'throughput':>10} {'p50':>9} {'p99':>9} "
        f"{'retried':>7}"
    )
    units = (
        f"  {'':>4} {'[Gbit/s]':>9} {'[ms]':>8} {'':>6} {'':>9} {'req.':>6} {'bytes':>6} "
        f"{'':>6} {'[Gbit/s]':>10} {'[ms]':>9} {'[ms]':>9} {'from':>7}"
    )
    lines += ["", header, units]
    for i, row in enumerate(r.per_path):
        lines.append(
            f"  {row['path']:>4} {p['bandwidth_gbps'][i]:>9g} {p['latency_ms'][i]:>8g} "
            f"{p['weights'][i]:>6g} {row['n_requests']:>9,} {row['share_requests']:>6.1%} "
            f"{row['share_bytes']:>6.1%} {row['utilization']:>6.1%} "
            f"{row['throughput_gbps']:>10.3f} {_fmt(row['latency_ms_p50'], '>9.3f')} "
            f"{_fmt(row['latency_ms_p99'], '>9.3f')} {row['retried_from']:>7,}"
        )
    lines.append("")
    lines.append(
        f"  all requests: latency p50 {_fmt(r.latency_ms_p50, '.3f')} ms, p99 "
        f"{_fmt(r.latency_ms_p99, '.3f')} ms, mean {_fmt(r.latency_ms_mean, '.3f')} ms; "
        f"retried {r.retried_requests:,}, unserved {r.unserved_requests:,}"
    )
    for e in r.events:
        what = "fails" if e["event"] == "fail" else "returns"
        if not e["applied"]:
            note = "no change: it already was " + ("down" if e["event"] == "fail" else "up")
        else:
            note = f"{e['retried_requests']:,} retried, {e['dispatched_waiting']:,} waiting sent"
        up = ", ".join(map(str, e["paths_up"])) or "none"
        lines.append(f"  t = {e['t_s']:g} s: path {e['path']} {what} ({note}); paths up: {up}")
    return "\n".join(lines)


@click.command("multipath")
@click.option(
    "--policy",
    default="round-robin",
    show_default=True,
    metavar="NAME",
    help="One of " + ", ".join(POLICIES) + "; with MPIO, one per LUN separated by commas.",
)
@click.option(
    "--paths",
    "n_paths",
    type=click.IntRange(MIN_PATHS, MAX_PATHS),
    default=2,
    show_default=True,
    metavar="K",
    help=f"Number of paths ({MIN_PATHS} to {MAX_PATHS}).",
)
@click.option(
    "--semantics",
    type=click.Choice(SEMANTICS),
    default="msdsm",
    show_default=True,
    help="msdsm: Microsoft's documented DSM behaviour; guide: the guide's reading "
    "(they differ on round-robin-with-subset and weighted-paths).",
)
@click.option(
    "--mode",
    type=click.Choice(MODES),
    default="mpio",
    show_default=True,
    help="mpio: a policy per LUN; mcs: one policy per session (no least-blocks).",
)
@click.option(
    "--bandwidth-gbps",
    metavar="B[,B...]",
    help="Bandwidth of every path, or one per path [Gbit/s]. Default 1.",
)
@click.option(
    "--latency-ms",
    metavar="L[,L...]",
    help="Fixed time per request of every path, or one per path [ms]. Default 0.5.",
)
@click.option(
    "--weights",
    metavar="W[,W...]",
    help="Path weights (weighted-paths): msdsm a priority (smaller preferred), guide a share.",
)
@click.option(
    "--active",
    metavar="P[,P...]",
    help="Path numbers: fail-over-only's order (default 1), round-robin-with-subset's "
    "primaries (default all but the last).",
)
@click.option(
    "--fail",
    multiple=True,
    metavar="PATH@SECONDS",
    help="Fail a path at a time, e.g. --fail 1@2.5 (repeatable).",
)
@click.option(
    "--restore",
    multiple=True,
    metavar="PATH@SECONDS",
    help="Bring a path back at a time, e.g. --restore 1@5 (repeatable).",
)
@click.option("--ios", "n_ios", type=int, default=10_000, show_default=True, help="I/O requests.")
@click.option(
    "--rate",
    "rate_iops",
    type=float,
    default=800.0,
    show_default=True,
    metavar="IOPS",
    help="Poisson arrival rate [IO/s].",
)
@click.option("--luns", "n_luns", type=int, default=1, show_default=True, help="LUNs.")
@click.option(
    "--seed",
    type=click.IntRange(0, 2**32 - 1),
    default=0,
    show_default=True,
    help="Seed of the workload.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def multipath(
    policy: str,
    n_paths: int,
    semantics: str,
    mode: str,
    bandwidth_gbps: str | None,
    latency_ms: str | None,
    weights: str | None,
    active: str | None,
    fail: tuple[str, ...],
    restore: tuple[str, ...],
    n_ios: int,
    rate_iops: float,
    n_luns: int,
    seed: int,
    as_json: bool,
) -> None:
    """Simulate I/O over K storage paths under an MPIO/MCS load-balance policy.

    Prints per path: share of requests and bytes, utilisation, throughput and latency
    percentiles; with --json also the throughput timeline and the events.
    """
    kwargs: dict[str, Any] = dict(
        semantics=semantics,
        mode=mode,
        active=parse_paths("--active", active),
        fail=parse_events("--fail", fail),
        restore=parse_events("--restore", restore),
        n_ios=n_ios,
        arrival_rate_iops=rate_iops,
        n_luns=n_luns,
        seed=seed,
    )
    for name, option, text in (
        ("bandwidth_gbps", "--bandwidth-gbps", bandwidth_gbps),
        ("latency_ms", "--latency-ms", latency_ms),
        ("weights", "--weights", weights),
    ):
        value = parse_numbers(option, text)
        if value is not None:
            kwargs[name] = value
    try:
        result = simulate(_policy_arg(policy), n_paths, **kwargs)
    except HvdesignError as err:
        raise _as_option(err) from None
    if as_json:
        json.dump(result.to_dict(), sys.stdout)
        sys.stdout.write("\n")
        return
    click.echo(_multipath_text(result))


# --------------------------------------------------------------------------- guide
@click.command("guide")
@click.option("--no-mcs-support", is_flag=True, help="The storage device does not support MCS.")
@click.option(
    "--per-lun-policies", is_flag=True, help="Different load-balance policies per LUN are needed."
)
@click.option("--hba", is_flag=True, help="Hardware iSCSI HBAs are used (e.g. boot from iSCSI).")
@click.option(
    "--guest-os",
    multiple=True,
    metavar="NAME",
    help="OS of VMs that make iSCSI connections directly (repeatable): "
    + ", ".join(GUEST_OS)
    + ".",
)
@click.option(
    "--high-utilization", is_flag=True, help="The Hyper-V hosts run at high CPU utilisation."
)
@click.option("--storage-teaming", is_flag=True, help="The design teams its storage NICs.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def guide(
    no_mcs_support: bool,
    per_lun_policies: bool,
    hba: bool,
    guest_os: tuple[str, ...],
    high_utilization: bool,
    storage_teaming: bool,
    as_json: bool,
) -> None:
    """MPIO, MCS or either: the guide's rules, each with its reason."""
    try:
        rec = recommend(
            no_mcs_support=no_mcs_support,
            per_lun_policies=per_lun_policies,
            hba=hba,
            guest_os=list(guest_os) or None,
            high_utilization=high_utilization,
            storage_teaming=storage_teaming,
        )
    except HvdesignError as err:
        raise _as_option(err) from None
    if as_json:
        click.echo(json.dumps(rec.to_dict(), indent=2))
        return
    click.echo(f"Recommendation: {rec.recommendation}")
    for title, items in (
        ("Reasons", rec.reasons),
        ("Warnings", rec.warnings),
        ("Notes", rec.notes),
    ):
        if items:
            click.echo(f"{title}:")
            for item in items:
                click.echo(f"  - {item}")


# --------------------------------------------------------------------------- check
@click.command("check")
@design_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def check(target: str, nodes: str | None, sets: tuple[str, ...], as_json: bool) -> None:
    """Best-practice checks of a design (exit status 1 when a finding is an error)."""
    design = resolve_design(target, nodes, sets)
    findings = check_design(design)
    counts = severity_counts(findings)
    if as_json:
        data = {
            "name": design.title,
            "tier": design.tier,
            "nodes": design.nodes,
            "counts": counts,
            "findings": [f.to_dict() for f in findings],
        }
        click.echo(json.dumps(data, indent=2))
    else:
        click.echo(f"{design.title}  [{design.tier}, {design.tier_info.figure}]")
        click.echo(
            f"  {plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, "
            f"{plural(counts['info'], 'note')}"
        )
        for f in findings:
            click.echo(f"  {f.severity.upper()} [{f.rule}] {f.message}")
    if has_errors(findings):
        sys.exit(EXIT_ERROR_FINDING)


#: The commands of this module (registered lazily by :mod:`hvdesign.cli.main`).
COMMANDS: tuple[click.Command, ...] = (multipath, guide, check)
