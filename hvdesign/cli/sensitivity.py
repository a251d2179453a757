"""``hvdesign sensitivity``: which input matters most (:mod:`hvdesign.sensitivity`).

A thin face: the scenario of TARGET (with the command's options), then the tornado
rows of :func:`hvdesign.sensitivity.sensitivity` and the Birnbaum importance of every
component kind, as a table or as JSON.
"""

from __future__ import annotations

import json
import math
from typing import Any

import click

from hvdesign.cli.common import (
    catalog_option,
    design_options,
    economics_options,
    effective_scenario,
    reliability_option,
    rules_options,
)


def _finite(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    return None if isinstance(value, float) and not math.isfinite(value) else value


def sensitivity_data(sf: Any, factor: float) -> dict[str, Any]:
    """The JSON object of ``hvdesign sensitivity``: ``factor``, the base figures
    (``vm_downtime_minutes_per_year``, ``total_cost_usd``), ``rows`` (the tornado,
    ranked: ``input``, ``unit``, ``base``, ``low``, ``high``, each end's
    ``vm_downtime_minutes_per_year`` and ``total_cost_usd``, the swings) and
    ``birnbaum`` (per kind: ``kind``, ``unavailability``, ``birnbaum``, ``birnbaum_vm``)."""
    from hvdesign.sensitivity import sensitivity

    df = sensitivity(sf, factor)
    rows = [{k: _finite(v) for k, v in r.items()} for r in df.to_dict(orient="records")]
    return {
        "tier": sf.design.tier,
        "nodes": sf.design.nodes,
        "factor": df.attrs["factor"],
        "vm_downtime_minutes_per_year": df.attrs["base_vm_downtime_minutes_per_year"],
        "total_cost_usd": df.attrs["base_total_cost_usd"],
        "rows": [
            {
                "input": r["input"],
                "unit": r["unit"],
                "base": r["base"],
                "low": {
                    "value": r["low"],
                    "vm_downtime_minutes_per_year": r["low_vm_downtime_minutes_per_year"],
                    "total_cost_usd": r["low_total_cost_usd"],
                },
                "high": {
                    "value": r["high"],
                    "vm_downtime_minutes_per_year": r["high_vm_downtime_minutes_per_year"],
                    "total_cost_usd": r["high_total_cost_usd"],
                },
                "vm_downtime_swing_minutes_per_year": r["vm_downtime_swing_minutes_per_year"],
                "total_cost_swing_usd": r["total_cost_swing_usd"],
            }
            for r in rows
        ],
        "birnbaum": [{k: _finite(v) for k, v in b.items()} for b in df.attrs["birnbaum"]],
    }


@click.command("sensitivity")
@design_options
@click.option(
    "--factor",
    type=float,
    default=2.0,
    show_default=True,
    help="Each input moved to / and x this factor.",
)
@rules_options
@reliability_option
@catalog_option
@economics_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def sensitivity_cmd(
    target: str,
    nodes: str | None,
    sets: tuple[str, ...],
    factor: float,
    as_json: bool,
    **_options: object,
) -> None:
    """Which input matters most: each uncertain input moved / and x a factor.

    The inputs: MTBF and MTTR of every component kind, the failover minutes, the
    prices (a multiplier of the catalog's), the power price and the cost of downtime.
    For each, the VM downtime and the total cost (capex + opex x years + downtime
    cost) at both ends, ranked by the swing of the total cost; then the Birnbaum
    importance of every component kind (dA/dA_k, by finite differences on the exact
    availability).

    \b
    --json prints {"factor", "vm_downtime_minutes_per_year", "total_cost_usd",
    "rows": [{"input", "unit", "base", "low": {"value",
    "vm_downtime_minutes_per_year", "total_cost_usd"}, "high": {...}, swings}],
    "birnbaum": [{"kind", "unavailability", "birnbaum", "birnbaum_vm"}]}.
    """
    sf = effective_scenario(target, nodes, sets)
    data = sensitivity_data(sf, factor)
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(
        f"{sf.design.title}: VM downtime {data['vm_downtime_minutes_per_year']:,.1f} min/year, "
        f"total cost {data['total_cost_usd']:,.0f} USD; each input / and x {factor:g}"
    )
    width = max(len(r["input"]) for r in data["rows"])
    click.echo(
        f"{'input'.ljust(width)}  {'low':>10} {'high':>10}  {'VM downtime [min/year]':>23}"
        f"  {'total cost [USD]':>25}"
    )
    for r in data["rows"]:
        lo, hi = r["low"], r["high"]
        click.echo(
            f"{r['input'].ljust(width)}  {lo['value']:>10,.4g} {hi['value']:>10,.4g}  "
            f"{lo['vm_downtime_minutes_per_year']:>11,.1f} {hi['vm_downtime_minutes_per_year']:>11,.1f}"
            f"  {lo['total_cost_usd']:>12,.0f} {hi['total_cost_usd']:>12,.0f}"
        )
    click.echo("Birnbaum importance (dA/dA_k of the service availability, by kind):")
    for b in data["birnbaum"]:
        click.echo(
            f"  {b['kind']:<9} {b['birnbaum']:.3g}  (VM availability: {b['birnbaum_vm']:.3g})"
        )


#: The commands of this module (registered lazily by :mod:`hvdesign.cli.main`).
COMMANDS: tuple[click.Command, ...] = (sensitivity_cmd,)
