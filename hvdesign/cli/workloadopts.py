"""The workload options of ``hvdesign size`` and ``hvdesign compare`` (not a command
module): ``--vms``, ``--vcpus-per-vm``, ``--memory-gb-per-vm``, ``--storage-gb-per-vm``,
``--host-memory-reserved-gb``, ``--vcpus-per-core`` and ``--server``, each overriding the
scenario file's ``workload`` section only when given (:func:`workload_of`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import click

from hvdesign.errors import HvdesignError

if TYPE_CHECKING:
    from hvdesign.scenariofile import ScenarioFile
    from hvdesign.sizing import Workload

F = TypeVar("F", bound=Callable[..., object])

#: Parameter name -> (workload field, option, type, help).
WORKLOAD_OPTIONS: dict[str, tuple[str, str, type, str]] = {
    "vms": ("vms", "--vms", int, "VMs the design must carry."),
    "vcpus_per_vm": ("vcpus_per_vm", "--vcpus-per-vm", int, "Virtual processors per VM."),
    "memory_gb_per_vm": ("memory_gb_per_vm", "--memory-gb-per-vm", float, "Memory per VM [GB]."),
    "storage_gb_per_vm": (
        "storage_gb_per_vm",
        "--storage-gb-per-vm",
        float,
        "SAN storage per VM [GB] (default 100, an assumption).",
    ),
    "host_memory_reserved_gb": (
        "host_memory_reserved_gb",
        "--host-memory-reserved-gb",
        float,
        "Memory the host keeps [GB] (default 8, an assumption).",
    ),
    "vcpus_per_core": (
        "vcpus_per_core",
        "--vcpus-per-core",
        float,
        "Virtual processors per physical core (default 4, an assumption).",
    ),
    "server": ("server", "--server", str, "A server model of the catalog (small, medium, large)."),
}


def workload_options(func: F) -> F:
    """Add the workload options (none has a default: the scenario's stand otherwise)."""
    for param, (_, option, kind, text) in reversed(WORKLOAD_OPTIONS.items()):
        func = click.option(option, param, type=kind, default=None, help=text)(func)
    return func


def workload_of(sf: ScenarioFile, params: Mapping[str, Any]) -> Workload | None:
    """The workload of a command: the scenario's ``workload`` with the options given
    (``params``: the command's parameters) over it; None without either. An option's
    bad value is named by its option (``--vms``)."""
    from hvdesign.sizing import workload_from_dict

    given = {
        WORKLOAD_OPTIONS[p][0]: v
        for p, v in params.items()
        if p in WORKLOAD_OPTIONS and v is not None
    }
    if not given:
        return sf.workload
    try:
        return workload_from_dict(given, sf.workload)
    except HvdesignError as err:
        key = err.field.removeprefix("workload.")
        option = next((o for f, o, _, _ in WORKLOAD_OPTIONS.values() if f == key), None)
        if option is None:
            raise
        detail = "missing: the workload needs it" if err.value is None else ""
        raise HvdesignError(option, err.value, err.allowed, detail=detail) from None
