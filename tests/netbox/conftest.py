"""The real-NetBox tests: the ``netbox`` marker (``make netbox-test`` runs ``-m netbox``)."""

from __future__ import annotations


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "netbox: imports into a real NetBox (tools/netbox/setup.sh sets it up)"
    )
