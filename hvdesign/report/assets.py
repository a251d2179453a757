"""The report's files: its style, its print script and its page template (under
``hvdesign/report/static/`` and ``hvdesign/report/templates/``, read through
:mod:`importlib.resources`), and JupyterLab's style as nbconvert's "lab" HTML template
inlines it (read from nbconvert's installed template, so the report keeps the look of
a notebook converted with nbconvert).

>>> "@media print" in REPORT_CSS, "beforeprint" in PRINT_FIT_JS
(True, True)
"""

from __future__ import annotations

import importlib.resources
import os
from functools import cache

from hvdesign.errors import HvdesignError


def static_text(name: str) -> str:
    """The text of ``hvdesign/report/static/<name>``."""
    return (
        importlib.resources.files("hvdesign.report")
        .joinpath("static", name)
        .read_text(encoding="utf-8")
    )


def template_text(name: str) -> str:
    """The text of ``hvdesign/report/templates/<name>``."""
    return (
        importlib.resources.files("hvdesign.report")
        .joinpath("templates", name)
        .read_text(encoding="utf-8")
    )


#: Print-friendly style of the report (and the comparison), embedded inline.
REPORT_CSS = static_text("report.css")

#: Inline script: plotly figures redrawn at the printable width of an A4 or Letter
#: page before printing, and as they were afterwards.
PRINT_FIT_JS = static_text("print-fit.js")

#: The comparison page's additions to :data:`REPORT_CSS`.
COMPARE_CSS = static_text("compare.css")

#: The files of nbconvert's "lab" template that make a converted notebook's look, in
#: the order nbconvert inlines them.
LAB_CSS_FILES = ("index.css", "theme-light.css")


@cache
def lab_css() -> tuple[str, ...]:
    """JupyterLab's style as nbconvert's "lab" HTML template inlines it: its
    ``static/index.css`` and ``static/theme-light.css`` (from the first Jupyter data
    directory that has them, as nbconvert looks them up) and the template's own inline
    style (``static/nbconvert-lab.css`` here).

    Raises
    ------
    HvdesignError
        nbconvert's "lab" template is not installed.
    """
    from jupyter_core.paths import jupyter_path

    for directory in jupyter_path("nbconvert", "templates", "lab", "static"):
        paths = [os.path.join(directory, name) for name in LAB_CSS_FILES]
        if all(os.path.isfile(p) for p in paths):
            texts = []
            for p in paths:
                with open(p, encoding="utf-8") as f:
                    texts.append(f.read())
            return (*texts, static_text("nbconvert-lab.css"))
    raise HvdesignError(
        "report",
        None,
        "nbconvert's lab template (pip install nbconvert)",
        detail="no nbconvert/templates/lab/static/index.css in the Jupyter data directories",
    )
