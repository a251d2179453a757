"""The report as PDF: the static report (figures as SVG images, no script) printed by
headless Chromium (``--print-to-pdf``), with the report's print style: A4, a page
break before every section, figures and key figures kept whole on a page.

The page is written to a temporary directory and printed from ``file://`` with a
fresh browser profile, networking off (no background, component or sync requests);
the PDF is read back and returned, so the caller writes it atomically
(:func:`hvdesign.datafiles.write_bytes_atomic`).

The browser is the first of: the environment variable ``BROWSER_PATH`` (kaleido's own
setting), ``chromium``, ``chromium-browser``, ``google-chrome``,
``google-chrome-stable`` on the ``PATH``; none is one :class:`HvdesignError`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from hvdesign.datafiles import write_text_atomic
from hvdesign.errors import HvdesignError

#: Executable names of Chromium and Chrome, looked up on the ``PATH`` in this order.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: Flags of the headless print: no sandbox (containers run as root), no GPU, no first
#: run, no network of the browser's own (background, component updates, sync), no
#: header or footer on the pages (the two spellings of Chromium's versions).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-pdf-header-footer",
    "--print-to-pdf-no-header",
)

#: Largest PDF read back [bytes] (a report is well under 10 MB).
MAX_PDF_BYTES = 200_000_000


def find_chromium() -> str:
    """The Chromium (or Chrome) executable to print with (see the module).

    Raises
    ------
    HvdesignError
        ``BROWSER_PATH`` names no executable file, or none of :data:`CHROMIUM_NAMES`
        is on the ``PATH``.
    """
    given = os.environ.get("BROWSER_PATH")
    if given:
        if os.path.isfile(given) and os.access(given, os.X_OK):
            return given
        raise HvdesignError("BROWSER_PATH", given, "the path of a Chromium or Chrome executable")
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise HvdesignError(
        "--pdf",
        "no Chromium",
        "Chromium or Chrome installed (Debian: apt-get install chromium), or the "
        "environment variable BROWSER_PATH set to its executable",
        detail="the PDF is printed by headless Chromium and none was found",
    )


def _tail(text: bytes) -> str:
    """The last non-empty line of a browser's error output, for a one-line message."""
    lines = [line.strip() for line in text.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    return lines[-1][:200] if lines else "no message"


def html_to_pdf(page: str, *, timeout_s: float = 120) -> bytes:
    """The PDF of the HTML ``page`` (self-contained, no script needed) printed by
    headless Chromium [bytes]; the browser is stopped after ``timeout_s`` [s].

    Raises
    ------
    HvdesignError
        No Chromium (:func:`find_chromium`), or it failed, timed out or wrote no PDF.
    """
    chromium = find_chromium()
    with tempfile.TemporaryDirectory(prefix="hvdesign-pdf-") as tmp:
        source = write_text_atomic(Path(tmp) / "report.html", page)
        out = Path(tmp) / "report.pdf"
        cmd = [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--print-to-pdf={out}",
            source.resolve().as_uri(),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired:
            raise HvdesignError(
                "--pdf", chromium, f"a print that ends within timeout_s = {timeout_s:g} s"
            ) from None
        except OSError as err:
            raise HvdesignError(
                "--pdf", chromium, "a Chromium that starts", detail=err.strerror or str(err)
            ) from None
        data = out.read_bytes()[:MAX_PDF_BYTES] if out.is_file() else b""
    if not data.startswith(b"%PDF"):
        raise HvdesignError(
            "--pdf",
            chromium,
            "a Chromium that prints to PDF",
            detail=f"exit status {done.returncode}, no PDF written: {_tail(done.stderr)}",
        )
    return data
