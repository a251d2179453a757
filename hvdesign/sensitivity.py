"""Which input matters most (issue 11, item 5): a one-at-a-time sensitivity analysis
(the rows of a tornado chart) and the Birnbaum importance of each component kind.

Sensitivity
    Every uncertain input of a scenario — the MTBF and the MTTR of each component
    kind, the failover minutes, the prices (server, switches, NIC cards, cables, SAN,
    licence), the power price and the cost of downtime — is moved, one at a time, to
    its value / ``factor`` (``low``) and x ``factor`` (``high``), every other input at
    the scenario's value. For each the VM-weighted downtime [minutes/year] and the
    total cost [USD over the horizon: capex + opex x years + downtime cost,
    :mod:`hvdesign.cost`] are recomputed; rows are ranked by the swing of the total
    cost (|high - low|), then of the VM downtime. An MTTR of 0 or an infinite MTBF
    stays where it is (x factor leaves it unchanged): its swing is 0.
Birnbaum importance
    I_B(k) = dA / dA_k: the derivative of the service availability A with respect to
    the availability A_k shared by every component of kind k (Birnbaum, 1969). A kind
    holds several components (N hosts, two switches), so A is a polynomial of A_k of
    higher degree than one and the conditioning formula A(k up) - A(k down) (exact
    for ONE component) does not apply; it is computed by a CENTRAL FINITE DIFFERENCE on
    the exact method: with q_k = 1 - A_k, I_B = (U(q_k (1 + h)) - U(q_k (1 - h))) / (2
    h q_k) for U = 1 - A and h = :data:`BIRNBAUM_STEP`; q_k is moved through the MTTR
    at the kind's MTBF. A kind with q_k = 0 (MTTR 0 or MTBF infinite) gets the forward
    difference from q_k = 0 with step :data:`BIRNBAUM_ZERO_STEP`. ``birnbaum_vm`` is
    the same derivative of the VM availability. A kind the design does not have
    (``isl`` with one switch) has importance 0.

References
----------
[1] Z. W. Birnbaum, "On the importance of different components in a multicomponent
    system", in Multivariate Analysis II, Academic Press, 1969, pp. 581-592.
[2] ``shared/domain.md`` sections 4 and 5.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

from hvdesign.errors import HvdesignError

if TYPE_CHECKING:
    import pandas as pd

    from hvdesign.scenariofile import ScenarioFile

#: Relative step of the central difference of the Birnbaum importance.
BIRNBAUM_STEP = 1e-3
#: Absolute step of the forward difference when a kind never fails (q_k = 0).
BIRNBAUM_ZERO_STEP = 1e-6
#: The default factor: 0.5x and 2x.
DEFAULT_FACTOR = 2.0

#: Columns of :func:`sensitivity`.
SENSITIVITY_COLUMNS: tuple[str, ...] = (
    "input",
    "unit",
    "base",
    "low",
    "high",
    "low_vm_downtime_minutes_per_year",
    "high_vm_downtime_minutes_per_year",
    "low_total_cost_usd",
    "high_total_cost_usd",
    "vm_downtime_swing_minutes_per_year",
    "total_cost_swing_usd",
)

#: Priced catalog items the sensitivity moves: (input name, catalog item, field).
PRICE_INPUTS: tuple[tuple[str, str, str], ...] = (
    ("price.server", "server", "price_usd"),
    ("price.switches", "switches", "price_usd"),
    ("price.nic_cards", "nic_cards", "price_usd"),
    ("price.cable", "cable", "price_usd"),
    ("price.san", "san", "price_usd"),
    ("price.licence", "licence", "price_usd_per_16_cores"),
)


def evaluate(sf: ScenarioFile) -> tuple[float, float]:
    """(VM-weighted downtime [minutes/year], total cost [USD]) of the scenario's design:
    capex + opex x years + downtime cost; with a workload, the SAN priced by its
    capacity and Standard licences by the VMs a host carries."""
    from hvdesign.availability import availability
    from hvdesign.cost import _capex, _opex, design_counts, downtime_cost
    from hvdesign.sizing import vms_per_host

    econ, cat = sf.economics, sf.catalog
    tb = per_host = None
    if sf.workload is not None:
        tb = sf.workload.san_usable_tb
        per_host = vms_per_host(cat.server, sf.workload)[0]
    c = design_counts(sf.design)
    cap = _capex(c, cat, False, tb, per_host)
    run = _opex(c, cat, False, econ.power_usd_per_kwh, econ.pue, tb, per_host)
    r = availability(sf.design, sf.reliability, sf.rules)
    down = downtime_cost(
        r.vm_downtime_minutes_per_year, econ.downtime_cost_per_hour_usd, econ.years
    )
    return r.vm_downtime_minutes_per_year, cap + run * econ.years + down


def _scaled_catalog(sf: ScenarioFile, item: str, field: str, x: float) -> ScenarioFile:
    from hvdesign.catalog import MAX_PRICE_USD

    cat = sf.catalog

    def scale(p: Any) -> Any:
        return dataclasses.replace(p, **{field: min(getattr(p, field) * x, MAX_PRICE_USD)})

    if item == "switches":
        new = dataclasses.replace(cat, switches={k: scale(v) for k, v in cat.switches.items()})
    elif item == "nic_cards":
        new = dataclasses.replace(cat, nic_cards={k: scale(v) for k, v in cat.nic_cards.items()})
    elif item == "san":
        models = {
            k: dataclasses.replace(scale(v), price_usd_per_tb=v.price_usd_per_tb * x)
            for k, v in cat.san_models.items()
        }
        new = dataclasses.replace(cat, san_base=scale(cat.san_base), san_models=models)
    elif item == "server":
        new = dataclasses.replace(cat, server=scale(cat.server))
    elif item == "cable":
        new = dataclasses.replace(cat, cable=scale(cat.cable))
    else:
        new = dataclasses.replace(cat, licence=scale(cat.licence))
    return sf.replace(catalog=new)


#: One input of the sensitivity: (name, unit, base value, the scenario with it x a factor).
Input: TypeAlias = "tuple[str, str, float, Callable[[float], ScenarioFile]]"


def _figure_input(sf: ScenarioFile, kind: str, name: str) -> Input:
    value = sf.reliability.figure(kind, name).value

    def moved(x: float) -> ScenarioFile:
        return sf.replace(reliability=sf.reliability.replace({kind: {name: value * x}}))

    return (f"{kind}.{name}", "h", value, moved)


def _failover_input(sf: ScenarioFile) -> Input:
    value = sf.reliability.failover_minutes

    def moved(x: float) -> ScenarioFile:
        return sf.replace(reliability=sf.reliability.replace({"failover_minutes": value * x}))

    return ("failover_minutes", "min", value, moved)


def _price_input(sf: ScenarioFile, name: str, item: str, field: str) -> Input:
    def moved(x: float) -> ScenarioFile:
        return _scaled_catalog(sf, item, field, x)

    return (name, "x", 1.0, moved)


def _economics_input(sf: ScenarioFile, key: str, unit: str) -> Input:
    value = float(getattr(sf.economics, key))

    def moved(x: float) -> ScenarioFile:
        return sf.replace(economics=dataclasses.replace(sf.economics, **{key: value * x}))

    return (f"economics.{key}", unit, value, moved)


def _inputs(sf: ScenarioFile) -> list[Input]:
    """Every uncertain input of the scenario (:data:`Input`)."""
    from hvdesign.reliability import KINDS

    out = [_figure_input(sf, k, n) for k in KINDS for n in ("mtbf_hours", "mttr_hours")]
    out.append(_failover_input(sf))
    out += [_price_input(sf, *p) for p in PRICE_INPUTS]
    out.append(_economics_input(sf, "power_usd_per_kwh", "USD/kWh"))
    out.append(_economics_input(sf, "downtime_cost_per_hour_usd", "USD/hour"))
    return out


def sensitivity(sf: ScenarioFile, factor: float = DEFAULT_FACTOR) -> pd.DataFrame:
    """The tornado rows of the scenario ``sf`` (module docstring): columns
    :data:`SENSITIVITY_COLUMNS`, ranked by ``total_cost_swing_usd`` then
    ``vm_downtime_swing_minutes_per_year``; ``base``, ``low`` and ``high`` are the
    input's values [its ``unit``; prices as a multiplier ``x`` of the catalog's].
    ``attrs``: ``factor``, ``base_vm_downtime_minutes_per_year``,
    ``base_total_cost_usd`` and ``birnbaum`` (:func:`birnbaum`, records).

    >>> from hvdesign.scenariofile import resolve_scenario
    >>> t = sensitivity(resolve_scenario("cluster-minimal"))
    >>> len(t), bool((t["total_cost_swing_usd"].diff().dropna() <= 0).all())
    (25, True)
    """
    import pandas as pd

    if isinstance(factor, bool) or not isinstance(factor, int | float) or not 1 < factor <= 100:
        raise HvdesignError("factor", factor, "a number above 1, at most 100 (inputs / and x it)")
    base_down, base_total = evaluate(sf)
    rows = []
    for name, unit, value, moved in _inputs(sf):
        lo_down, lo_total = evaluate(moved(1 / factor))
        hi_down, hi_total = evaluate(moved(factor))
        rows.append(
            (
                name,
                unit,
                value,
                value / factor,
                value * factor,
                lo_down,
                hi_down,
                lo_total,
                hi_total,
                abs(hi_down - lo_down),
                abs(hi_total - lo_total),
            )
        )
    df = pd.DataFrame(rows, columns=list(SENSITIVITY_COLUMNS))
    df = df.sort_values(
        ["total_cost_swing_usd", "vm_downtime_swing_minutes_per_year"],
        ascending=False,
        kind="stable",
    ).reset_index(drop=True)
    df.attrs.update(
        factor=float(factor),
        base_vm_downtime_minutes_per_year=base_down,
        base_total_cost_usd=base_total,
        birnbaum=birnbaum(sf).to_dict(orient="records"),
    )
    return df


def _unavailabilities(sf: ScenarioFile, kind: str, q: float) -> tuple[float, float]:
    """(1 - A, 1 - A_vm) with the components of ``kind`` at unavailability ``q``."""
    from hvdesign.availability import availability

    rel = sf.reliability
    mtbf = rel.mtbf_hours(kind)
    mtbf = mtbf if math.isfinite(mtbf) else 1e6
    changed = rel.replace({kind: {"mtbf_hours": mtbf, "mttr_hours": mtbf * q / (1 - q)}})
    r = availability(sf.design, changed, sf.rules)
    return r.unavailability, 1.0 - r.vm_availability


def birnbaum(sf: ScenarioFile) -> pd.DataFrame:
    """The Birnbaum importance of every component kind (module docstring): columns
    ``kind``, ``unavailability`` (q_k of one component), ``birnbaum`` (dA/dA_k) and
    ``birnbaum_vm`` (dA_vm/dA_k), ranked by ``birnbaum``.

    >>> from hvdesign.scenariofile import resolve_scenario
    >>> b = birnbaum(resolve_scenario("single-redundant-connections"))
    >>> sorted(b.loc[b["birnbaum"] > 0.99, "kind"])  # in series: the others' product
    ['host', 'san', 'switch', 'uplink']
    """
    import pandas as pd

    from hvdesign.reliability import KINDS

    rows = []
    for kind in KINDS:
        q = sf.reliability.unavailability(kind)
        if q > 0:
            h = BIRNBAUM_STEP * q
            u_hi, vm_hi = _unavailabilities(sf, kind, q + h)
            u_lo, vm_lo = _unavailabilities(sf, kind, q - h)
            step = 2 * h
        else:
            h = BIRNBAUM_ZERO_STEP
            u_hi, vm_hi = _unavailabilities(sf, kind, h)
            u_lo, vm_lo = _unavailabilities(sf, kind, 0.0)
            step = h
        rows.append((kind, q, (u_hi - u_lo) / step, (vm_hi - vm_lo) / step))
    df = pd.DataFrame(rows, columns=["kind", "unavailability", "birnbaum", "birnbaum_vm"])
    return df.sort_values("birnbaum", ascending=False, kind="stable").reset_index(drop=True)
