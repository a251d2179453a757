"""Tests against a real NetBox (tools/netbox/setup.sh)."""
