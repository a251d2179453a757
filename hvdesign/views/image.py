"""Figures as image bytes (SVG or PNG) through kaleido, for ``hvdesign figure``, the
app's downloads and the report.

Kaleido draws a figure with plotly.js in a headless Chrome or Chromium. Starting that
browser and loading plotly.js into it (4.8 MB of JavaScript) is nearly all the time an
image takes (1.5 to 4 s on a busy 2-core machine, against 0.1 to 0.3 s for drawing
one figure), so this module keeps **one browser per process**: :func:`start_browser`
starts it in a background thread and returns at once, so a caller can build its
figure while the browser loads (``hvdesign figure`` does); :func:`render_image` uses
that browser (starting it if nobody did) and every later image of the process reuses
it. The browser is closed when the process exits.

MathJax is switched off: the package's figures hold no LaTeX, and kaleido would
otherwise load MathJax from a CDN (a network request, and a wait when offline).
"""

from __future__ import annotations

import asyncio
import atexit
import threading
import weakref
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hvdesign.errors import HvdesignError

if TYPE_CHECKING:
    import plotly.graph_objects as go

#: File formats kaleido writes, by file extension.
FORMATS: dict[str, str] = {".svg": "svg", ".png": "png"}

#: Seconds to wait for one figure to be drawn (kaleido's own default is 90 s).
RENDER_TIMEOUT_S = 90.0

#: Seconds to wait for the browser to close when the process exits.
CLOSE_TIMEOUT_S = 10.0


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


def _no_browser() -> HvdesignError:
    return HvdesignError(
        "kaleido",
        "no browser",
        "Chrome or Chromium installed (Debian: apt-get install chromium), or the "
        "environment variable BROWSER_PATH set to its executable",
        detail="kaleido draws figures in a headless browser and found none",
    )


def _without_reload(base: type) -> type:
    """``base`` (kaleido's ``Kaleido``) handing a tab back without reloading it.

    Kaleido reloads its page after every image (0.15 to 0.2 s, before the image is
    returned) so that the next image starts from a clean page; a process that draws
    one image has no next one. Relies on a private method of kaleido 1.x, hence
    guarded: without it, or without the queue it fills, kaleido's own is used."""

    class _OneShot(base):
        async def _return_kaleido_tab(self, tab: Any) -> None:
            queue = getattr(self, "tabs_ready", None)
            if queue is None:
                await super()._return_kaleido_tab(tab)
            else:
                await queue.put(tab)

    return _OneShot


def _nothing() -> None:
    """A finalizer that does nothing (see :class:`_Browser`)."""


class _Browser:
    """One kaleido browser, opened and driven from its own event loop in a daemon
    thread (so callers need no event loop and can keep working while it starts)."""

    def __init__(self, one_shot: bool = False) -> None:
        self.one_shot = one_shot
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="hvdesign-kaleido", daemon=True
        )
        self.thread.start()
        self.opened: Future[Any] = asyncio.run_coroutine_threadsafe(self._open(), self.loop)
        self.closed = False
        # Temporary directories (the browser's profile) are removed by weakref.finalize
        # hooks, run by one atexit hook registered with the first finalize of the
        # process; atexit runs the last registered first, so a finalize made now puts
        # that hook before ours: the browser is closed before its files are removed.
        weakref.finalize(self, _nothing)
        atexit.register(self.close)

    async def _open(self) -> Any:
        import kaleido

        cls = kaleido.Kaleido
        if self.one_shot and hasattr(cls, "_return_kaleido_tab"):
            cls = _without_reload(cls)
        k = cls(mathjax=False, timeout=RENDER_TIMEOUT_S)
        await k.open()
        return k

    def render(self, fig: Any, opts: dict[str, Any]) -> bytes:
        """``fig`` (a figure or its dict) drawn with ``opts`` (format, width, height,
        scale); waits for the browser to be ready first."""
        from choreographer.errors import ChromeNotFoundError

        try:
            k = self.opened.result()
        except ChromeNotFoundError:
            raise _no_browser() from None
        done = asyncio.run_coroutine_threadsafe(k.calc_fig(fig, opts=opts), self.loop)
        return bytes(done.result())

    def close(self) -> None:
        """Close the browser (if it opened) and stop the thread; idempotent."""
        if self.closed:
            return
        self.closed = True
        try:  # a browser still starting is waited for: cancelled, it could be left running
            k = self.opened.result(CLOSE_TIMEOUT_S)
            asyncio.run_coroutine_threadsafe(k.close(), self.loop).result(CLOSE_TIMEOUT_S)
        except Exception:  # closing at exit: nothing is left to report the error to
            pass
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(CLOSE_TIMEOUT_S)
            if not self.thread.is_alive():
                self.loop.close()
            atexit.unregister(self.close)


_BROWSER: _Browser | None = None
_LOCK = threading.Lock()


def start_browser(*, one_shot: bool = False) -> None:
    """Start this process's kaleido browser in the background and return at once
    (nothing happens if it is already started). A missing browser is reported by the
    first :func:`render_image`, as an :class:`HvdesignError`.

    ``one_shot``: the process draws one image (``hvdesign figure``), so the page is
    not reloaded after it (kaleido reloads it for the next image: 0.15 to 0.2 s).
    Later images still draw, on the page as the last one left it."""
    global _BROWSER  # noqa: PLW0603 - one browser per process
    with _LOCK:
        if _BROWSER is None or _BROWSER.closed:
            _BROWSER = _Browser(one_shot)


def stop_browser() -> None:
    """Close this process's kaleido browser now (it is closed at exit otherwise)."""
    global _BROWSER  # noqa: PLW0603 - one browser per process
    with _LOCK:
        browser, _BROWSER = _BROWSER, None
    if browser is not None:
        browser.close()


def render_image(
    fig: go.Figure, fmt: str, width: int, height: int | None = None, scale: float = 1.0
) -> bytes:
    """``fig`` as SVG or PNG bytes [``width`` x ``height`` px, PNG pixels times
    ``scale``] through kaleido, in this process's one browser (started by
    :func:`start_browser`, or here); a missing browser becomes one
    :class:`HvdesignError` saying how to install or point to one."""
    height = height or int(fig.layout.height or 560)
    start_browser()
    assert _BROWSER is not None
    opts = {"format": fmt, "width": width, "height": height, "scale": scale}
    return _BROWSER.render(fig, opts)
