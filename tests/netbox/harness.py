"""Import a directory of NetBox CSV files into a fresh, empty NetBox database through
NetBox's own bulk-import views, and report what NetBox holds afterwards.

Runs INSIDE NetBox (the Python 3.12 venv that ``tools/netbox/setup.sh`` builds), not in
hvdesign's venv; it imports nothing of hvdesign, so what it reports is NetBox's view of
the files:

    $CACHE/venv/bin/python tests/netbox/harness.py DIR [--expect expected.json] [--keep]

For each run it clones the migrated template database (``CREATE DATABASE ... TEMPLATE``),
starts Django on the clone, logs a new superuser into Django's test ``Client`` and posts
every ``NN-<object>.csv`` of DIR, in name order, to ``/<app>/<object>/import/`` as a
user pastes it (``data`` = the file, ``format=csv``). A file is imported when the view
answers with its redirect to the list and NetBox holds one more object per CSV record;
otherwise (the view re-renders the form with its errors) the run stops and reports
NetBox's messages. Then it counts sites, devices, interfaces, cables, VLANs, prefixes
and IP addresses (and the interfaces with an address, and the cabled ones), compares
them with ``--expect`` (a JSON object of the same keys) when given, prints one JSON
object and drops the clone (unless ``--keep``). Exit status 0 only when every file was
imported and every expected count matched.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import runpy
import sys
import time
import uuid
from pathlib import Path

CACHE = Path(os.environ.get("HVDESIGN_NETBOX_CACHE", Path.home() / ".cache" / "hvdesign-netbox"))
TEMPLATE = "hvdesign_netbox_tmpl"

#: NetBox's URL name of each object type -> (app, model label) of its import view.
OBJECTS = {
    "sites": ("dcim", "dcim.Site"),
    "manufacturers": ("dcim", "dcim.Manufacturer"),
    "device-roles": ("dcim", "dcim.DeviceRole"),
    "device-types": ("dcim", "dcim.DeviceType"),
    "devices": ("dcim", "dcim.Device"),
    "interfaces": ("dcim", "dcim.Interface"),
    "vlans": ("ipam", "ipam.VLAN"),
    "prefixes": ("ipam", "ipam.Prefix"),
    "ip-addresses": ("ipam", "ipam.IPAddress"),
    "cables": ("dcim", "dcim.Cable"),
}
FILE_NAME = re.compile(r"^(\d\d)-([a-z-]+)\.csv$")


def _database() -> dict:
    """The DATABASE setting of the configuration setup.sh wrote."""
    conf = runpy.run_path(str(CACHE / "root" / "conf" / "configuration.py"))
    return dict(conf["DATABASE"])


def _admin(db: dict):
    """A connection to the server's maintenance database (autocommit)."""
    import psycopg

    return psycopg.connect(
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        password=db["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    )


def _records(text: str) -> int:
    """Number of records of a CSV text (its lines but the header, parsed as CSV)."""
    return sum(1 for _ in csv.reader(io.StringIO(text))) - 1


def _errors(response) -> list[str]:
    """NetBox's error messages of a re-rendered import form."""
    context = response.context
    form = context.get("form") if context is not None else None
    if form is not None and form.errors:
        return [f"{field}: {msg}" for field, msgs in form.errors.items() for msg in msgs]
    html = response.content.decode("utf-8", "replace")
    found = re.findall(r'class="[^"]*(?:errorlist|alert-danger)[^"]*"[^>]*>(.*?)</', html, re.S)
    return [re.sub(r"\s+", " ", f).strip() for f in found] or [
        f"HTTP {response.status_code} without a redirect (no message found)"
    ]


def import_files(directory: Path) -> dict:
    """Post every file of ``directory`` to its import view (Django already set up)."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.create_superuser("hvdesign", "hvdesign@example.invalid", "x")
    client = Client()
    client.force_login(user)
    files = sorted(p for p in directory.iterdir() if p.suffix == ".csv")
    result: dict = {"files": [], "ok": True}
    for path in files:
        match = FILE_NAME.match(path.name)
        if not match or match.group(2) not in OBJECTS:
            result.update(ok=False, error=f"{path.name}: not NN-<object>.csv of a known object")
            return result
        app, label = OBJECTS[match.group(2)]
        model = apps.get_model(label)
        raw = path.read_bytes()
        if raw.startswith(b"\xef\xbb\xbf"):
            result.update(ok=False, error=f"{path.name}: starts with a UTF-8 byte-order mark")
            return result
        text = raw.decode("utf-8")
        before = model.objects.count()
        t0 = time.perf_counter()
        response = client.post(
            f"/{app}/{match.group(2)}/import/",
            {"data": text, "format": "csv", "csv_delimiter": ","},
        )
        seconds = time.perf_counter() - t0
        added = model.objects.count() - before
        entry = {
            "file": path.name,
            "records": _records(text),
            "created": added,
            "seconds": round(seconds, 3),
        }
        result["files"].append(entry)
        if response.status_code != 302 or added != entry["records"]:
            entry["errors"] = _errors(response) if response.status_code != 302 else []
            result.update(ok=False, error=f"{path.name}: not imported: {entry['errors']}")
            return result
    return result


def counts() -> dict[str, int]:
    """What NetBox holds."""
    from dcim.models import Cable, Device, Interface, Site
    from ipam.models import VLAN, IPAddress, Prefix

    return {
        "sites": Site.objects.count(),
        "devices": Device.objects.count(),
        "interfaces": Interface.objects.count(),
        "cables": Cable.objects.count(),
        "cabled_interfaces": Interface.objects.filter(cable__isnull=False).count(),
        "vlans": VLAN.objects.count(),
        "prefixes": Prefix.objects.count(),
        "ip_addresses": IPAddress.objects.count(),
        "assigned_ip_addresses": IPAddress.objects.filter(assigned_object_id__isnull=False).count(),
        "lag_members": Interface.objects.filter(lag__isnull=False).count(),
    }


def run(directory: Path, expect: dict | None, keep: bool) -> dict:
    """Clone the template, import, count, compare, drop the clone."""
    db = _database()
    name = f"hvdesign_netbox_run_{uuid.uuid4().hex[:12]}"
    t0 = time.perf_counter()
    with _admin(db) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
    t_clone = time.perf_counter() - t0
    os.environ.update(
        HVDESIGN_NETBOX_DB=name,
        NETBOX_ROOT=str(CACHE / "root"),
        DJANGO_SETTINGS_MODULE="netbox.settings",
    )
    try:
        t1 = time.perf_counter()
        import django
        from django.test.utils import setup_test_environment

        django.setup()
        setup_test_environment()  # responses carry their template context (the form)
        t_django = time.perf_counter() - t1
        t2 = time.perf_counter()
        result = import_files(directory)
        result["import_seconds"] = round(time.perf_counter() - t2, 3)
        result["counts"] = counts()
        result["database"] = name
        result["clone_seconds"] = round(t_clone, 3)
        result["django_setup_seconds"] = round(t_django, 3)
        import netbox.settings

        result["netbox_version"] = netbox.settings.VERSION
        if expect is not None:
            wrong = {
                k: {"expected": v, "netbox": result["counts"].get(k)}
                for k, v in expect.items()
                if result["counts"].get(k) != v
            }
            result["mismatches"] = wrong
            result["ok"] = result["ok"] and not wrong
    finally:
        if not keep:
            from django.db import connections

            connections.close_all()
            with _admin(db) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    return result


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--expect", type=Path, help="JSON object of expected counts")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args(argv)
    expect = json.loads(args.expect.read_text()) if args.expect else None
    result = run(args.directory, expect, args.keep)
    print(json.dumps(result, indent=1))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
