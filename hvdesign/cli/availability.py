"""``hvdesign availability``: availability, downtime and failover figures of a design.

A thin face over :func:`hvdesign.availability.availability`; registered lazily
by :mod:`hvdesign.cli.main` (imported when the command runs or shows its help).
"""

from __future__ import annotations

import json
import math
import sys
from typing import TYPE_CHECKING

import click

from hvdesign.cli.common import (
    SERVICE_SENTENCE,
    VM_SENTENCE,
    design_options,
    effective_scenario,
    reliability_option,
    rules_options,
)

if TYPE_CHECKING:
    from hvdesign.availability import AvailabilityResult
    from hvdesign.spec import Design


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
@reliability_option
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
    help="Monte Carlo: simulated years in all (not the cost horizon).",
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

    Two figures: the service availability (the share of the year in which every VM
    runs, an SLA figure) and the VM availability (the share of VM-time the VMs run, a
    partial outage counted by the share of VMs it stops), under the failure rules of
    'hvdesign coverage'; components fail independently with the MTBF and MTTR of the
    scenario (TARGET's reliability section, then --reliability FILE).

    \b
    --json prints one object: "tier", "nodes", "availability", "unavailability",
    "downtime_minutes_per_year", "vm_availability", "vm_downtime_minutes_per_year",
    "failover_restarts_per_year", "method" (Monte Carlo also "ci95", "years", "seed",
    "replications").
    """
    from hvdesign.availability import availability

    sf = effective_scenario(target, nodes, sets)
    design, rel = sf.design, sf.reliability
    r = availability(
        design, rel, sf.rules, method=method, years=years, seed=seed, replications=replications
    )
    if as_json:
        data = {"tier": design.tier, "nodes": design.nodes, **availability_dict(r)}
        json.dump(data, sys.stdout)
        sys.stdout.write("\n")
        return
    click.echo(availability_text(design, r, rel.failover_minutes, reliability_file))


def availability_dict(r: AvailabilityResult) -> dict[str, object]:
    """The result's plain data with both figures' keys: ``availability``,
    ``downtime_minutes_per_year`` (every VM runs), ``vm_availability``,
    ``vm_downtime_minutes_per_year`` (the share of VM-time)."""
    return {**r.to_dict(), "vm_availability": r.vm_availability}


def availability_text(
    design: Design, r: AvailabilityResult, failover_minutes: float, reliability_file: str | None
) -> str:
    """The text of ``hvdesign availability``: both figures, each with the sentence
    saying which is which."""
    lines = [f"{design.title}  [{design.tier}, {design.nodes} nodes, method {r.method}]"]
    lines.append(
        f"  service availability {format_availability(r.availability, r.unavailability)}, "
        f"downtime {r.downtime_minutes_per_year:.3g} min/year"
    )
    lines.append(f"    {SERVICE_SENTENCE}")
    if r.ci95 is not None:
        lo, hi = r.ci95
        lines.append(
            f"    95% interval {lo:.{_digits(r.unavailability)}f} to "
            f"{hi:.{_digits(r.unavailability)}f} ({r.years:g} years simulated in "
            f"{r.replications} replications, seed {r.seed})"
        )
    vm_u = 1.0 - r.vm_availability
    lines.append(
        f"  VM availability {format_availability(r.vm_availability, vm_u)}, "
        f"VM downtime {r.vm_downtime_minutes_per_year:.3g} min/year"
    )
    lines.append(f"    {VM_SENTENCE}")
    vm_ci95 = getattr(r, "vm_ci95", None)
    if vm_ci95 is not None:
        lo, hi = vm_ci95
        lines.append(
            f"    95% interval {lo:.{_digits(vm_u)}f} to {hi:.{_digits(vm_u)}f} (the same runs)"
        )
    lines.append(
        "    VM downtime = (1 - VM availability) x 525,960 min + restarts x failover "
        "minutes / nodes"
    )
    if getattr(r, "warning", None):
        lines.append(f"  warning: {r.warning}")
    if design.cluster:
        lines.append(
            f"  failover restarts {r.failover_restarts_per_year:.3g} /year "
            f"(host failures; each restarts 1/{design.nodes} of the VMs for "
            f"{failover_minutes:g} min)"
        )
    else:
        lines.append("  failover restarts 0 /year (standalone: a host failure is an outage)")
    where = "TARGET's reliability section over the shipped data/reliability.yaml"
    if reliability_file:
        where += f", {reliability_file} over both"
    lines.append(f"  reliability: {where} (figures marked 'assumption' are placeholders)")
    return "\n".join(lines)


def _digits(u: float) -> int:
    return 6 if u <= 0 else min(12, max(4, math.ceil(-math.log10(u)) + 2))
