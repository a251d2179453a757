"""``hvdesign coverage``: which single (and double) failures a design survives, and why.

A thin face over :func:`hvdesign.failures.analyse` (the counts and the classes of
equivalent scenarios) and :func:`hvdesign.failures.iter_scenarios` (every concrete
scenario, generated lazily); registered lazily by :mod:`hvdesign.cli.main`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from json.encoder import encode_basestring_ascii
from typing import TYPE_CHECKING, Literal, TextIO

import click

from hvdesign.cli.common import design_options, effective_scenario, rules_options
from hvdesign.errors import HvdesignError

if TYPE_CHECKING:
    from hvdesign.failures import Coverage, FailureRules, Scenario
    from hvdesign.spec import Design

#: The coverage methods (:func:`hvdesign.failures.analyse`).
Method = Literal["fast", "bruteforce"]

#: Lines of ``--expand`` output gathered before one write (no flush per line).
CHUNK_LINES = 8192


def scenario_line(scenario: Scenario) -> str:
    """One scenario as a line of JSON (``--expand``): the same text as
    ``json.dumps(scenario.to_dict()) + "\\n"``, built without the generic encoder.

    >>> from hvdesign.failures import Scenario
    >>> sc = Scenario(("san",), ("san",), "outage", 1.0, 'san down: every "VM" stops')
    >>> scenario_line(sc) == json.dumps(sc.to_dict()) + "\\n"
    True
    """
    failed = ", ".join(map(encode_basestring_ascii, scenario.failed))
    kinds = ", ".join(map(encode_basestring_ascii, scenario.kinds))
    return (
        f'{{"failed": [{failed}], "kinds": [{kinds}], '
        f'"outcome": {encode_basestring_ascii(scenario.outcome)}, '
        f'"vms_down_fraction": {scenario.vms_down_fraction!r}, '
        f'"reason": {encode_basestring_ascii(scenario.reason)}}}\n'
    )


def write_scenarios(scenarios: Iterable[Scenario], out: TextIO) -> int:
    """Write ``scenarios`` to ``out`` as JSON lines (the text of :func:`scenario_line`),
    in chunks of :data:`CHUNK_LINES` lines as they are generated; the number written.

    Component names, kinds and outcomes repeat across scenarios: their JSON text is
    encoded once and reused, so each line costs one encoding (its reason).

    >>> import io
    >>> from hvdesign.failures import iter_scenarios
    >>> from hvdesign.spec import design_from_tier
    >>> design = design_from_tier("cluster-minimal", nodes=2)
    >>> out = io.StringIO()
    >>> n = 2 * (1 + 2 + 3) + 5  # 2 x (host, 2 cards, 3 NICs) + switch, uplink, 2 portals, SAN
    >>> write_scenarios(iter_scenarios(design, double=True), out) == n + n * (n - 1) // 2
    True
    >>> out.getvalue() == "".join(map(scenario_line, iter_scenarios(design, double=True)))
    True
    """
    enc = encode_basestring_ascii
    names: dict[str, str] = {}
    tails: dict[tuple[tuple[str, ...], str, float], str] = {}
    total = 0
    chunk: list[str] = []
    for sc in scenarios:
        key = (sc.kinds, sc.outcome, sc.vms_down_fraction)
        tail = tails.get(key)
        if tail is None:  # everything between the failed names and the reason
            tail = tails[key] = (
                '], "kinds": [' + ", ".join(map(enc, sc.kinds)) + '], "outcome": '
                f'{enc(sc.outcome)}, "vms_down_fraction": {sc.vms_down_fraction!r}, "reason": '
            )
        failed = []
        for name in sc.failed:
            text = names.get(name)
            if text is None:
                text = names[name] = enc(name)
            failed.append(text)
        chunk.append(f'{{"failed": [{", ".join(failed)}{tail}{enc(sc.reason)}}}\n')
        if len(chunk) >= CHUNK_LINES:
            out.write("".join(chunk))
            total += len(chunk)
            chunk.clear()
    out.write("".join(chunk))
    return total + len(chunk)


def _print_text(cov: Coverage, method: str, double: bool) -> None:
    design = cov.design
    click.echo(f"{design.title}  [{design.tier}, {design.nodes} nodes, method {method}]")
    spofs = cov.single_points_of_failure
    click.echo(f"  single points of failure: {', '.join(spofs) if spofs else 'none'}")
    click.echo(
        f"  single-failure coverage: {cov.single_failure_coverage:.1%} of "
        f"{len(cov.singles)} scenarios are not an outage"
    )
    if double:
        click.echo(
            f"  double-failure coverage: {cov.double_failure_coverage:.1%} of "
            f"{sum(cov.double_counts.values())} scenarios are not an outage"
        )
    click.echo("  single failures by kind (survived / failover / outage):")
    for kind, row in cov.by_kind().items():
        click.echo(f"    {kind:10} {row['survived']:6} {row['failover']:6} {row['outage']:6}")
    click.echo("  single failures:")
    for sc in cov.singles:
        down = f" ({sc.vms_down_fraction:.0%} of VMs down)" if sc.outcome == "outage" else ""
        click.echo(f"    {sc.outcome}{down}: {sc.reason}")


@click.command("coverage")
@design_options
@rules_options
@click.option("--double", is_flag=True, help="Also every pair of failed components.")
@click.option(
    "--method",
    type=click.Choice(["fast", "bruteforce"]),
    default="fast",
    show_default=True,
    help="bruteforce: a graph search per scenario (reference).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object: the summary and the classes."
)
@click.option(
    "--expand",
    is_flag=True,
    help="Print every scenario as JSON lines (one object per line, no summary).",
)
def coverage(
    target: str,
    nodes: str | None,
    sets: tuple[str, ...],
    reserve: int,
    quorum: str,
    csv_redirected_io: bool,
    network_health_detection: str,
    double: bool,
    method: Method,
    as_json: bool,
    expand: bool,
) -> None:
    """Which single (and double) failures the design survives, and why.

    \b
    --json prints one object: "tier", "nodes", "method", "rules",
    "single_points_of_failure", "single_failure_coverage" (0..1),
    "single_failures_by_kind" ({kind: {outcome: count}}), with --double also
    "double_failure_coverage" and "double_failures_by_kind" ('kind+kind'), then
    "scenario_classes": singles then pairs, each {"failed": a representative
    scenario's components, "kinds", "outcome" (survived, failover or outage),
    "vms_down_fraction" (0..1), "reason", "count": the scenarios it stands for},
    and "scenarios_total" (the sum of the counts: every scenario).

    \b
    --expand prints every scenario instead, one JSON object per line:
    {"failed", "kinds", "outcome", "vms_down_fraction", "reason"}.
    """
    if as_json and expand:
        raise HvdesignError("--json/--expand", "both", "one of --json or --expand")
    sf = effective_scenario(target, nodes, sets)  # the file's rules, options given over them
    design, rules = sf.design, sf.rules
    if expand:
        _expand(design, rules, double, method)
        return
    from hvdesign.failures import analyse

    # Counts and classes only: the pairs are listed by --expand, never held in memory.
    cov = analyse(design, rules, double=double, method=method, expand=False)
    if as_json:
        sys.stdout.write(json.dumps(cov.to_json_dict()) + "\n")
        return
    _print_text(cov, method, double)


def _expand(design: Design, rules: FailureRules, double: bool, method: Method) -> None:
    from hvdesign.failures import analyse, iter_scenarios

    if method == "bruteforce":
        cov = analyse(design, rules, double=double, method="bruteforce")
        scenarios: Iterable[Scenario] = [*cov.singles, *(cov.doubles or [])]
    else:
        scenarios = iter_scenarios(design, rules, double=double)
    write_scenarios(scenarios, sys.stdout)
    sys.stdout.flush()
