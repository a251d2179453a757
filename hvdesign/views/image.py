"""Figures as image bytes (SVG or PNG) through kaleido, for ``hvdesign figure``, the
app's downloads and the report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from hvdesign.errors import HvdesignError

if TYPE_CHECKING:
    import plotly.graph_objects as go

#: File formats kaleido writes, by file extension.
FORMATS: dict[str, str] = {".svg": "svg", ".png": "png"}


def image_format(path: str) -> str:
    """The kaleido format of an output path, from its extension.

    >>> image_format("slides/topology.SVG"), image_format("a.png")
    ('svg', 'png')
    >>> image_format("a.pdf")
    Traceback (most recent call last):
    ...
    hvdesign.errors.HvdesignError: -o: 'a.pdf' is not valid (unknown extension '.pdf'); allowed: a file name ending in .svg or .png
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise HvdesignError(
            "-o",
            path,
            "a file name ending in .svg or .png",
            detail=f"unknown extension {suffix!r}" if suffix else "no extension",
        )
    return FORMATS[suffix]


def render_image(
    fig: go.Figure, fmt: str, width: int, height: int | None = None, scale: float = 1.0
) -> bytes:
    """``fig`` as SVG or PNG bytes through kaleido; a missing browser becomes one
    :class:`HvdesignError` saying how to install or point to one."""
    height = height or int(fig.layout.height or 560)
    try:
        return fig.to_image(format=fmt, width=width, height=height, scale=scale)
    except RuntimeError as err:
        if "chrome" not in str(err).lower():
            raise
        raise HvdesignError(
            "kaleido",
            "no browser",
            "Chrome or Chromium installed (Debian: apt-get install chromium), or the "
            "environment variable BROWSER_PATH set to its executable",
            detail="kaleido draws figures in a headless browser and found none",
        ) from None
