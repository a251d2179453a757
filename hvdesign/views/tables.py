"""The count tables of a design as pandas DataFrames, for the report and the widgets.

Each table only reshapes what :mod:`hvdesign.counts` (and the subnet networks of
:mod:`hvdesign.plans`) return; nothing is counted here. Column names carry their
unit in square brackets, like the rest of the package.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx
import pandas as pd

from hvdesign.counts import connections_per_host, ip_addresses, summary, switch_ports
from hvdesign.errors import HvdesignError
from hvdesign.spec import TIERS, TRAFFIC_CLASSES, Design, design_from_tier, node_counts
from hvdesign.topology import build_graph
from hvdesign.views.html import esc, table_html

#: Titles of the tables :func:`counts_tables` returns, in order.
CONNECTIONS_TITLE = "Connections per host"
SWITCH_PORTS_TITLE = "Switch ports per switch"
ADDRESSES_TITLE = "IP addresses per subnet"


def connections_table(G: nx.Graph) -> pd.DataFrame:
    """Connections by traffic class: per host and over all hosts, plus a total row.

    >>> from hvdesign.spec import design_from_tier
    >>> df = connections_table(build_graph(design_from_tier("cluster-redundant-path", nodes=4)))
    >>> print(df.to_string(index=False))  # the guide (Fig 2.12): 6 per node, 24 for 4 nodes
    traffic class  per host [connections]  all 4 hosts [connections]
       production                       2                          8
          storage                       2                          8
        heartbeat                       1                          4
       management                       1                          4
            total                       6                         24
    """
    per_host = connections_per_host(G)
    first = next(iter(per_host.values()))
    rows = [(cls, first[cls], sum(h[cls] for h in per_host.values())) for cls in TRAFFIC_CLASSES]
    rows.append(("total", sum(r[1] for r in rows), sum(r[2] for r in rows)))
    columns = [
        "traffic class",
        "per host [connections]",
        f"all {len(per_host)} hosts [connections]",
    ]
    return pd.DataFrame(rows, columns=columns)


def switch_ports_table(G: nx.Graph, ports_per_unit: int) -> pd.DataFrame:
    """Ports used on each switch by what they connect, the total, and the switch units
    at ``ports_per_unit`` ports a unit; plus a total row.

    >>> from hvdesign.spec import design_from_tier
    >>> df = switch_ports_table(build_graph(design_from_tier("cluster-minimal", nodes=2)), 48)
    >>> df.iloc[0].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'switch': 'switch-a', 'host [ports]': 6, 'SAN [ports]': 2, 'uplink [ports]': 1,
     'ISL [ports]': 0, 'total [ports]': 9, 'units [48-port switches]': 1}
    """
    from hvdesign.counts import switch_units

    ports = switch_ports(G)
    units = switch_units(ports, ports_per_unit)
    rows: list[tuple[Any, ...]] = [
        (sw, p["host"], p["san"], p["uplink"], p["isl"], p["total"], units[sw])
        for sw, p in ports.items()
    ]
    rows.append(("total", *(sum(int(r[i]) for r in rows) for i in range(1, 7))))
    columns = [
        "switch",
        "host [ports]",
        "SAN [ports]",
        "uplink [ports]",
        "ISL [ports]",
        "total [ports]",
        f"units [{ports_per_unit}-port switches]",
    ]
    return pd.DataFrame(rows, columns=columns)


def addresses_table(G: nx.Graph, design: Design) -> pd.DataFrame:
    """IP addresses each subnet needs (rules: :func:`hvdesign.counts.address_endpoints`),
    with the subnet's network; plus a total row.

    >>> from hvdesign.spec import design_from_tier
    >>> d = design_from_tier("cluster-redundant-path", nodes=4)
    >>> print(addresses_table(build_graph(d), d).to_string(index=False))
       subnet traffic class network [CIDR]  addresses [IPv4]
    production    production   10.10.0.0/24                 4
    management    management   10.20.0.0/24                 5
     heartbeat     heartbeat   10.30.0.0/24                 4
     storage-1       storage   10.40.0.0/24                 5
     storage-2       storage   10.40.1.0/24                 5
         total                                             23
    """
    from hvdesign.plans import subnet_networks

    try:
        networks = {k: str(v) for k, v in subnet_networks(design).items()}
    except HvdesignError:
        networks = {}
    counts = ip_addresses(G, design)
    rows = [(s, s.split("-")[0], networks.get(s, ""), n) for s, n in counts.items()]
    rows.append(("total", "", "", sum(counts.values())))
    columns = ["subnet", "traffic class", "network [CIDR]", "addresses [IPv4]"]
    return pd.DataFrame(rows, columns=columns)


def counts_tables(design: Design, G: nx.Graph | None = None) -> dict[str, pd.DataFrame]:
    """The count tables of ``design``, keyed by their title: connections per host by
    class, switch ports per switch, IP addresses per subnet.

    >>> from hvdesign.spec import design_from_tier
    >>> list(counts_tables(design_from_tier("cluster-minimal", nodes=2)))
    ['Connections per host', 'Switch ports per switch', 'IP addresses per subnet']
    """
    G = build_graph(design) if G is None else G
    return {
        CONNECTIONS_TITLE: connections_table(G),
        SWITCH_PORTS_TITLE: switch_ports_table(G, design.switch_ports_per_unit),
        ADDRESSES_TITLE: addresses_table(G, design),
    }


def tables_html(tables: dict[str, pd.DataFrame]) -> str:
    """The tables as one HTML fragment (side by side, wrapping), every title, header
    and value escaped.

    >>> "&lt;b&gt;" in tables_html({"<b>": pd.DataFrame({"a": [1]})})
    True
    """
    parts = [
        '<div style="margin:0 24px 12px 0">'
        f'<div style="font-weight:600;margin-bottom:4px">{esc(title)}</div>'
        f"{table_html(df, align_numbers=False)}</div>"
        for title, df in tables.items()
    ]
    style = (
        "<style>.hv-tables table{border-collapse:collapse;font-size:12px}"
        ".hv-tables th,.hv-tables td{padding:2px 8px;border-bottom:1px solid #e1e4e8;"
        "text-align:right}.hv-tables th:first-child,.hv-tables td:first-child"
        "{text-align:left}.hv-tables tr:last-child td{font-weight:600}</style>"
    )
    return (
        f'{style}<div class="hv-tables" style="display:flex;flex-wrap:wrap">{"".join(parts)}</div>'
    )


#: Columns of :func:`scaling_table` besides ``tier`` and ``nodes``.
SCALING_COLUMNS = ("host_connections_total", "switch_ports_total")


def valid_node_counts(
    tier: str, nodes: Iterable[int], windows_version: str | None = None
) -> list[int]:
    """The node counts of ``nodes`` a tier accepts, by the package's one rule
    (:func:`hvdesign.spec.node_counts`): single-server tiers are N standalone servers
    (N >= 1), cluster tiers start at 2, none above the cluster node limit of
    ``windows_version`` (default: the tier's own).

    >>> valid_node_counts("cluster-minimal", range(1, 5))
    [2, 3, 4]
    >>> valid_node_counts("cluster-minimal", [8, 16, 32], "2008 R2")
    [8, 16]
    """
    return node_counts(tier, nodes, windows_version)


def scaling_table(
    nodes: Iterable[int] = range(1, 17), options: dict[str, Any] | None = None
) -> pd.DataFrame:
    """For every tier and valid node count: ``tier``, ``nodes``,
    ``host_connections_total`` [connections] and ``switch_ports_total`` [switch ports]
    from :func:`hvdesign.counts.summary`, with ``options`` applied to every tier. The
    node counts of a tier are :func:`valid_node_counts` (with the Windows Server
    version of ``options``, if it sets one).

    >>> t = scaling_table(range(1, 9))
    >>> t[(t.tier == "cluster-redundant-path") & (t.nodes == 8)].host_connections_total.item()
    48
    """
    nodes = list(nodes)
    options = dict(options or {})
    rows = []
    for tier in TIERS:
        for n in valid_node_counts(tier, nodes, options.get("windows_version")):
            s = summary(design_from_tier(tier, **{**options, "nodes": n}))
            rows.append((tier, n, *(s[c] for c in SCALING_COLUMNS)))
    return pd.DataFrame(rows, columns=["tier", "nodes", *SCALING_COLUMNS])
