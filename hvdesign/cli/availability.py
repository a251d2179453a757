"""``hvdesign availability``: availability, downtime and failover figures of a design.

A thin face over :func:`hvdesign.availability.availability`; registered lazily
by :mod:`hvdesign.cli.main` (imported when the command runs or shows its help).
"""

from __future__ import annotations

import json
import math
import sys

import click

from hvdesign.cli.common import design_options, make_rules, resolve_design, rules_options


def format_availability(a: float, u: float) -> str:
    """An availability as a grouped fraction and a percentage, with enough digits to
    show the first non-9 digits.

    >>> format_availability(0.9999758, 2.42e-5)
    '0.999 976 (99.9976%)'
    >>> format_availability(0.5, 0.5)
    '0.50 (50%)'
    """
    digits = 2 if u <= 0 else max(2, math.ceil(-math.log10(u)) + 1)
    digits = min(digits, 12)
    text = f"{a:.{digits}f}"
    whole, frac = text.split(".")
    grouped = " ".join(frac[i : i + 3] for i in range(0, len(frac), 3))
    pct = f"{a * 100:.{max(digits - 2, 0)}f}%"
    return f"{whole}.{grouped} ({pct})"


@click.command("availability")
@design_options
@rules_options
@click.option(
    "--reliability",
    "reliability_file",
    metavar="FILE",
    help="A reliability file (YAML) merged over the shipped data/reliability.yaml: "
    "MTBF/MTTR per component kind, failover_minutes.",
)
@click.option(
    "--method",
    type=click.Choice(["exact", "montecarlo"]),
    default="exact",
    show_default=True,
    help="exact: the steady-state probability from the failure rules; montecarlo: a "
    "simulation of failures and repairs with a 95% interval.",
)
@click.option(
    "--years",
    type=float,
    default=1000.0,
    show_default=True,
    help="Monte Carlo: simulated years in all.",
)
@click.option(
    "--seed",
    type=click.IntRange(0, 2**32 - 1),
    default=0,
    show_default=True,
    help="Monte Carlo: random seed.",
)
@click.option(
    "--replications",
    type=int,
    default=20,
    show_default=True,
    help="Monte Carlo: independent replications the 95% interval comes from.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def availability_cmd(
    target: str,
    nodes: str | None,
    sets: tuple[str, ...],
    reserve: int,
    quorum: str,
    csv_redirected_io: bool,
    network_health_detection: str,
    reliability_file: str | None,
    method: str,
    years: float,
    seed: int,
    replications: int,
    as_json: bool,
) -> None:
    """Availability, downtime per year and failover restarts of a design.

    The availability is the steady-state probability that all VMs can run under the
    failure rules of 'hvdesign coverage'; components fail independently with the
    MTBF and MTTR of the reliability file.
    """
    from hvdesign.availability import availability
    from hvdesign.reliability import load_reliability

    design = resolve_design(target, nodes, sets)
    rules = make_rules(reserve, quorum, csv_redirected_io, network_health_detection)
    rel = load_reliability(reliability_file)
    r = availability(
        design, rel, rules, method=method, years=years, seed=seed, replications=replications
    )
    if as_json:
        data = {"tier": design.tier, "nodes": design.nodes, **r.to_dict()}
        json.dump(data, sys.stdout)
        sys.stdout.write("\n")
        return
    click.echo(f"{design.title}  [{design.tier}, {design.nodes} nodes, method {r.method}]")
    click.echo(
        f"  availability {format_availability(r.availability, r.unavailability)}, "
        f"unavailability {r.unavailability:.3g}"
    )
    if r.ci95 is not None:
        lo, hi = r.ci95
        click.echo(
            f"  95% interval {lo:.{_digits(r.unavailability)}f} to "
            f"{hi:.{_digits(r.unavailability)}f} ({r.years:g} years simulated in "
            f"{r.replications} replications, seed {r.seed})"
        )
    click.echo(
        f"  downtime {r.downtime_minutes_per_year:.3g} min/year "
        "(every outage counted as all VMs down)"
    )
    if design.cluster:
        click.echo(
            f"  failover restarts {r.failover_restarts_per_year:.3g} /year "
            f"(host failures; each restarts 1/{design.nodes} of the VMs for "
            f"{rel.failover_minutes:g} min)"
        )
    else:
        click.echo("  failover restarts 0 /year (standalone: a host failure is an outage)")
    click.echo(
        f"  VM-weighted downtime {r.vm_downtime_minutes_per_year:.3g} min/year "
        "(downtime + restarts x failover minutes / nodes)"
    )
    where = reliability_file or "the shipped data/reliability.yaml"
    click.echo(f"  reliability: {where} (figures marked 'assumption' are placeholders)")


def _digits(u: float) -> int:
    return 6 if u <= 0 else min(12, max(4, math.ceil(-math.log10(u)) + 2))
