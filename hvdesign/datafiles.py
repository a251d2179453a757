"""Where the shipped data files live: ``data/`` at the top of the repository, reached
from the package through the ``hvdesign/data`` link (and included in the wheel), so
an installed hvdesign finds its defaults too."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def data_path(name: str) -> Path:
    """The path of a shipped data file, e.g. ``data_path("reliability.yaml")``.

    >>> data_path("designs/default.yaml").name
    'default.yaml'
    """
    packaged = Path(str(resources.files("hvdesign"))) / "data" / name
    if packaged.exists():
        return packaged
    return Path(__file__).resolve().parent.parent / "data" / name
