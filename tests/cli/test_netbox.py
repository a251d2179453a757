"""``hvdesign netbox``: the ten CSV files in import order, bad input writes nothing."""

from __future__ import annotations

import csv

from click.testing import CliRunner

from hvdesign.cli.netbox import netbox_cmd

ORDER = [
    "01-sites",
    "02-manufacturers",
    "03-device-roles",
    "04-device-types",
    "05-devices",
    "06-interfaces",
    "07-vlans",
    "08-prefixes",
    "09-ip-addresses",
    "10-cables",
]


def test_writes_the_ten_files_in_import_order(tmp_path):
    out = tmp_path / "nb"
    result = CliRunner().invoke(netbox_cmd, ["cluster-redundant-path", "-n", "4", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.stem for p in out.iterdir()) == ORDER
    with (out / "05-devices.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    # 4 hosts, 2 switches, the SAN and the production core (counted from the guide's Fig 2.12)
    assert len(rows) == 8


def test_bad_input_creates_nothing(tmp_path):
    out = tmp_path / "nb"
    result = CliRunner().invoke(netbox_cmd, ["cluster-minimal", "-n", "1", "-o", str(out)])
    assert result.exit_code != 0 and not out.exists()
    f = tmp_path / "file"
    f.write_text("x")
    result = CliRunner().invoke(netbox_cmd, ["cluster-minimal", "-o", str(f)])
    assert result.exit_code != 0 and f.read_text() == "x"
