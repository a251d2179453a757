"""Running costs of a design (domain.md §5, "Running costs"): power, hardware support
and licence subscriptions per year.

opex per year [USD/year] = power + support + licence subscriptions, where

power [USD/year]
    Σ power_watts x quantity [W] x 8,766 h/year / 1000 x PUE x price [USD/kWh]: every
    item of the bill of materials draws its catalog ``power_watts`` all year round
    (a Julian year, :data:`hvdesign.reliability.HOURS_PER_YEAR`), and the data centre
    adds its overhead (cooling, distribution losses) through the power usage
    effectiveness ``pue`` (total facility power / IT power, >= 1).
support [USD/year]
    Σ support_usd_per_year x quantity (the hardware support contracts).
licence subscriptions [USD/year]
    licensed cores / 16 x ``subscription_usd_per_16_cores_per_year`` per licence. The
    shipped Windows Server prices (FACTS.md: Datacenter 6,155 USD, Standard 1,069 USD
    per 16 cores) are PERPETUAL licences: a one-time purchase, so they are capital cost
    (the bill of materials), not opex. Software Assurance or a subscription is a yearly
    fee: opex. FACTS.md gives no price for it, so the shipped figure is 0 (an
    assumption to replace with your agreement's figure).

The defaults of the economics (``power_usd_per_kwh``, ``pue``) are assumptions with no
source read: replace them with your tariff and your data centre's figure.

References
----------
[1] ``shared/domain.md`` section 5; ``shared/FACTS.md``, "Prices".
"""

from __future__ import annotations

import math

from hvdesign.errors import HvdesignError
from hvdesign.reliability import HOURS_PER_YEAR

#: Defaults (assumptions, no source read: a round commercial tariff [USD/kWh] and a
#: round PUE; replace them with your own) and bounds, one source with the scenario
#: file's economics.
from hvdesign.scenariofile import (  # noqa: F401 (re-exported)
    DEFAULT_POWER_USD_PER_KWH,
    DEFAULT_PUE,
    MAX_POWER_USD_PER_KWH,
    MAX_PUE,
)


def check_power_economics(power_usd_per_kwh: float, pue: float) -> None:
    """Refuse an electricity price outside 0..100 USD/kWh or a PUE outside 1..10."""
    bad_price = isinstance(power_usd_per_kwh, bool) or not isinstance(
        power_usd_per_kwh, int | float
    )
    if bad_price or not 0 <= power_usd_per_kwh <= MAX_POWER_USD_PER_KWH:
        raise HvdesignError(
            "power_usd_per_kwh",
            power_usd_per_kwh,
            f"a number of USD per kWh from 0 to {MAX_POWER_USD_PER_KWH:g}",
        )
    if isinstance(pue, bool) or not isinstance(pue, int | float) or not 1 <= pue <= MAX_PUE:
        raise HvdesignError("pue", pue, f"a number from 1 to {MAX_PUE:g} (total / IT power)")


def power_usd_per_year(
    watts: float,
    power_usd_per_kwh: float = DEFAULT_POWER_USD_PER_KWH,
    pue: float = DEFAULT_PUE,
) -> float:
    """Cost of drawing ``watts`` [W] all year [USD/year]: watts x 8,766 h / 1000 x pue x
    price [USD/kWh].

    >>> power_usd_per_year(1000, 0.10, 1.5)  # 1 kW: 8,766 kWh x 1.5 x 0.10 USD
    1314.9
    """
    check_power_economics(power_usd_per_kwh, pue)
    if not (math.isfinite(watts) and watts >= 0):
        raise HvdesignError("power_watts", watts, "a number of watts >= 0")
    return round(watts * HOURS_PER_YEAR / 1000.0 * pue * power_usd_per_kwh, 9)
