"""hvdesign: a design-and-cost workbook for highly available Hyper-V on iSCSI.

The public API in one place::

    from hvdesign import design_from_tier, build_graph, summary
    d = design_from_tier("cluster-redundant-path", nodes=4)
    summary(d)["host_connections_total"]   # 24, as the guide says
"""

from hvdesign.counts import summary
from hvdesign.errors import HvdesignError
from hvdesign.spec import TIERS, Design, design_from_dict, design_from_tier, load_design
from hvdesign.topology import build_graph

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
__version__ = "0.1.0"
