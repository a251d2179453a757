"""The report made the notebook way: the template notebook run in a Jupyter kernel
(papermill) and converted without its code (nbconvert). The reference for the
in-process report of :mod:`hvdesign.report.build` (tests compare the two) and what
``write_report(..., kernel=True)`` does; it takes a kernel start (several seconds).

The HTML makes no network request: the CDN scripts of nbconvert's template
(require.js, MathJax, mermaid, widgets) are left out (``templates/nbconvert-lab.html.j2``)
and the MathJax CDN tag plotly adds to every figure is stripped.
"""

from __future__ import annotations

import logging
import math
import os
import re
import site
from pathlib import Path
from typing import Any

from hvdesign.report import build
from hvdesign.report.assets import PRINT_FIT_JS, REPORT_CSS, template_text
from hvdesign.report.build import HIDDEN_TAGS, ReportError
from hvdesign.scenariofile import ScenarioFile, scenario_to_yaml
from hvdesign.spec import Design

#: The nbconvert template of the kernel run, under ``hvdesign/report/templates/``.
NBCONVERT_TEMPLATE = "nbconvert-lab.html.j2"

#: A complete ``<script src="http(s)://..."></script>`` tag (plotly's MathJax CDN tag).
_NETWORK_SCRIPT = re.compile(
    r"""<script\b[^>]*?\bsrc\s*=\s*["'](?:https?:)?//[^"']*["'][^>]*>\s*</script>""",
    re.IGNORECASE,
)


def kernel_env() -> dict[str, str]:
    """The kernel's environment: this process's, with the directory this hvdesign is
    imported from on ``PYTHONPATH`` (unless it is a site-packages directory), so the
    kernel runs the same hvdesign, installed or not."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])  # the directory holding hvdesign/
    installed = {
        str(Path(p).resolve()) for p in [*site.getsitepackages(), site.getusersitepackages()]
    }
    if root not in installed:
        env["PYTHONPATH"] = os.pathsep.join(
            [root, *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])]
        )
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # no debugger warning
    return env


def _kernel_manager_class(log_path: Path) -> type:
    """A kernel manager that starts the kernel with :func:`kernel_env` and sends its
    console output to ``log_path`` (quoted when the kernel dies)."""
    from jupyter_client.manager import AsyncKernelManager

    class _ReportKernelManager(AsyncKernelManager):
        async def start_kernel(self, **kw: Any) -> None:  # type: ignore[override]  # async in AsyncKernelManager
            kw["env"] = kernel_env()
            log = open(log_path, "ab")  # noqa: SIM115 - closed once the kernel has it
            kw.setdefault("stdout", log)
            kw.setdefault("stderr", log)
            try:
                await super().start_kernel(**kw)
            finally:
                log.close()  # the child has its own descriptor

    return _ReportKernelManager


def _log_tail(log_path: Path, lines: int = 3) -> str:
    try:
        text = log_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    keep = [ln for ln in text.splitlines() if ln.strip() and "without encryption" not in ln]
    return " | ".join(keep[-lines:])


def execute(scenario: ScenarioFile | Design, workdir: Path, timeout_s: float) -> Any:
    """Run the report notebook for ``scenario`` (a design: with the shipped defaults)
    in ``workdir`` (its scenario file text, :func:`hvdesign.scenariofile.scenario_to_yaml`,
    as the parameter ``scenario_yaml``); the executed notebook."""
    scenario = build.as_scenario(scenario)
    try:
        import nbformat
        import papermill
        from jupyter_client.kernelspec import NoSuchKernel
        from nbclient.exceptions import CellTimeoutError, DeadKernelError
    except ImportError as err:
        raise ReportError(
            f"report: needs papermill, nbconvert and ipykernel ({err.name} is missing); "
            "install them with: pip install papermill nbconvert ipykernel"
        ) from None
    nb = nbformat.reads(build._template_text(), as_version=4)
    log_path = workdir / "kernel.log"
    plog = logging.getLogger("papermill")
    level = plog.level
    plog.setLevel(logging.CRITICAL)  # its messages become the one-line ReportError below
    try:
        return papermill.execute_notebook(
            nb,
            None,
            parameters={"scenario_yaml": scenario_to_yaml(scenario), "report": True},
            kernel_name="python3",
            log_output=False,
            progress_bar=False,
            cwd=str(workdir),
            start_timeout=min(60, math.ceil(timeout_s)),  # whole seconds (nbclient)
            execution_timeout=math.ceil(timeout_s),
            kernel_manager_class=_kernel_manager_class(log_path),
        )
    except papermill.PapermillExecutionError as err:
        section = build.section_of(err.source)
        if err.ename in ("HvdesignError", "ReportError"):
            raise ReportError(f"report: {err.evalue}") from None
        raise ReportError(
            f"report: the notebook failed in {section} ({err.ename}: {err.evalue}); "
            "this is a bug in hvdesign"
        ) from None
    except (CellTimeoutError, TimeoutError):
        raise ReportError(
            f"report: a section of the report ran longer than timeout_s = {timeout_s:g} s"
        ) from None
    except NoSuchKernel:
        raise ReportError(
            "report: no Jupyter kernel named 'python3' is installed; install ipykernel "
            "in this environment (pip install ipykernel)"
        ) from None
    except DeadKernelError:
        tail = _log_tail(log_path)
        raise ReportError(
            "report: the Python kernel died while making the report"
            + (f" ({tail})" if tail else "")
        ) from None
    except RuntimeError as err:  # e.g. the kernel did not start
        tail = _log_tail(log_path)
        raise ReportError(
            f"report: could not run the report notebook: {str(err).splitlines()[0]}"
            + (f" ({tail})" if tail else "")
        ) from None
    finally:
        plog.setLevel(level)


def _strip_network_scripts(nb: Any) -> Any:
    """Drop ``<script src="http(s)://...">`` tags from the notebook's HTML outputs
    (plotly's renderer adds a MathJax CDN tag to every figure)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                text = data["text/html"]
                if isinstance(text, list):
                    text = "".join(text)
                data["text/html"] = _NETWORK_SCRIPT.sub("", text)
    return nb


def notebook_html(nb: Any, title: str) -> str:
    """Convert an executed report notebook to self-contained HTML: no code, no
    prompts, no widget state, no CDN scripts, ``title`` (escaped) as its title."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = set(HIDDEN_TAGS)
    c.ClearMetadataPreprocessor.enabled = True
    exporter = HTMLExporter(
        config=c,
        template_name="lab",
        extra_loaders=[DictLoader({NBCONVERT_TEMPLATE: template_text(NBCONVERT_TEMPLATE)})],
        template_file=NBCONVERT_TEMPLATE,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    nb = _strip_network_scripts(nb)
    nb.metadata.pop("title", None)
    resources = {"metadata": {"name": title}, "hv_css": REPORT_CSS, "hv_js": PRINT_FIT_JS}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body
