"""The NetBox files imported into a real, empty NetBox 4.7 through its own bulk-import
views (tests/netbox/harness.py, run in NetBox's venv), and NetBox's counts afterwards
checked against the design's plans.

Runs when ``tools/netbox/setup.sh`` has set NetBox up (``make netbox-test`` does both);
skips otherwise, saying so.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
from pathlib import Path

import pytest

from hvdesign.netbox import write_netbox
from hvdesign.plans import cabling_plan, ip_plan
from hvdesign.spec import design_from_tier

pytestmark = pytest.mark.netbox

CACHE = Path(os.environ.get("HVDESIGN_NETBOX_CACHE", Path.home() / ".cache" / "hvdesign-netbox"))
HARNESS = Path(__file__).with_name("harness.py")
PYTHON = CACHE / "venv" / "bin" / "python"


def expected_counts(design) -> dict[str, int]:
    """What NetBox must hold, from the design's plans (not from the NetBox files).

    Every cable of the cabling plan has two interface ends; a host also has one
    interface per team address of the IP plan (an interface that is not a NIC port),
    and every device with an oob address its management port.
    """
    plan, cables = ip_plan(design), cabling_plan(design)
    on_device = plan[~plan.device.isin(["gateway", "cluster"])]
    nic_ports = {f"{r.device}-{r.port}" for r in cables.itertuples()}
    teams = on_device[
        (on_device.subnet != "oob")
        & on_device.device.str.startswith("host")
        & ~on_device.interface.isin(nic_ports)
    ]
    n_members = {
        (r.device, r.subnet): int(((cables.device == r.device) & (cables.subnet == r.subnet)).sum())
        for r in teams.itertuples()
    }
    return {
        "sites": 1,
        "devices": design.nodes + design.switches + 2,  # hosts, switches, SAN, core
        "cables": len(cables),
        "cabled_interfaces": 2 * len(cables),
        "interfaces": 2 * len(cables) + len(teams) + int((on_device.subnet == "oob").sum()),
        "vlans": plan.subnet.nunique(),
        "prefixes": plan.subnet.nunique(),
        "ip_addresses": len(plan),
        "assigned_ip_addresses": len(on_device),
        "lag_members": sum(n for n in n_members.values() if n > 1),
    }


def _listening(port: int) -> bool:
    """Whether a server accepts connections on 127.0.0.1:``port``."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        return False
    return True


def import_into_netbox(design, tmp_path: Path) -> dict:
    """Write the files, run the harness on them, return its JSON report."""
    if not (CACHE / "ready").is_file() or not PYTHON.is_file():
        pytest.skip(f"no NetBox set up under {CACHE}: run tools/netbox/setup.sh (make netbox-test)")
    for port, server in ((5432, "PostgreSQL"), (6379, "Redis")):
        if not _listening(port):
            pytest.skip(f"{server} is not running on 127.0.0.1:{port}: run tools/netbox/setup.sh")
    files = tmp_path / "files"
    files.mkdir()
    write_netbox(design, files)
    expect = tmp_path / "expected.json"
    expect.write_text(json.dumps(expected_counts(design)))
    run = subprocess.run(
        [str(PYTHON), str(HARNESS), str(files), "--expect", str(expect)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,  # the report says why
        env={**os.environ, "HVDESIGN_NETBOX_CACHE": str(CACHE)},
    )
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"harness failed (status {run.returncode}):\n{run.stderr[-3000:]}")
    assert run.returncode == 0, json.dumps(report, indent=1)
    return report


@pytest.mark.parametrize(
    ("tier", "nodes"),
    [
        ("cluster-redundant-path", 4),
        ("single-redundant-path", 1),
        ("cluster-minimal", 2),
        ("cluster-redundant-connections", 3),
    ],
)
def test_import_into_an_empty_netbox(tier, nodes, tmp_path):
    design = design_from_tier(tier, nodes=nodes, name=f'{tier} "{nodes}", Café & <test>')
    report = import_into_netbox(design, tmp_path)
    assert report["ok"], report
    assert [f["file"][:2] for f in report["files"]] == [f"{i:02d}" for i in range(1, 11)]
    assert all(f["created"] == f["records"] for f in report["files"])
    assert report["mismatches"] == {}


def test_expected_counts_by_hand():
    """The expected counts of the four-node redundant-path design, counted by hand from
    Fig 2.12 and the IP plan's rules: 4 hosts + 2 switches + SAN + core; 24 host
    cables + 2 portals + 2 uplinks + 1 ISL = 29 cables, 58 cable ends; per host a
    production LAG (p1 + p2) and a management interface, 8; oob: 2 switch, 1 SAN and
    4 BMC ports, 7; addresses 25 (counts.ip_addresses plus 2 gateways) + 8 on oob
    (gateway, 2 switches, SAN, 4 BMCs) = 33, of which 3 gateways and the cluster name
    are on no design device."""
    counts = expected_counts(design_from_tier("cluster-redundant-path", nodes=4))
    assert counts == {
        "sites": 1,
        "devices": 8,
        "cables": 29,
        "cabled_interfaces": 58,
        "interfaces": 58 + 8 + 7,
        "vlans": 6,
        "prefixes": 6,
        "ip_addresses": 33,
        "assigned_ip_addresses": 29,
        "lag_members": 8,
    }
