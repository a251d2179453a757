"""hvdesign: a design-and-cost workbook for highly available Hyper-V on iSCSI.

The public API in one place::

    from hvdesign import design_from_tier, build_graph, summary
    d = design_from_tier("cluster-redundant-path", nodes=4)
    summary(d)["host_connections_total"]   # 24, as the guide says

The names are imported when first used (PEP 562), so ``import hvdesign`` (and the
``hvdesign`` command's start) does not pay for pandas, networkx or pydantic.

>>> import hvdesign
>>> hvdesign.summary(hvdesign.design_from_tier("cluster-redundant-path", nodes=4))[
...     "host_connections_total"
... ]
24
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hvdesign.counts import summary
    from hvdesign.errors import HvdesignError
    from hvdesign.spec import TIERS, Design, design_from_dict, design_from_tier, load_design
    from hvdesign.topology import build_graph

__version__ = "0.1.0"

#: Where each public name lives: it is imported from there when first used.
_LAZY: dict[str, str] = {
    "TIERS": "hvdesign.presets",
    "Design": "hvdesign.spec",
    "HvdesignError": "hvdesign.errors",
    "build_graph": "hvdesign.topology",
    "design_from_dict": "hvdesign.spec",
    "design_from_tier": "hvdesign.spec",
    "load_design": "hvdesign.spec",
    "summary": "hvdesign.counts",
}

__all__ = [
    "TIERS",
    "Design",
    "HvdesignError",
    "build_graph",
    "design_from_dict",
    "design_from_tier",
    "load_design",
    "summary",
]


def __getattr__(name: str) -> Any:
    """A public name of the package, imported from its module on first use (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'hvdesign' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The module's names, the lazy public ones included."""
    return sorted({*globals(), *_LAZY})
