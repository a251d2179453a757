"""Serve the explorer app with Voilà, configured for a fast, network-free page:
``python -m hvdesign.widgets.serve [NOTEBOOK] [--port PORT] [VOILA OPTIONS ...]``
(``make app``).

- **Preheated kernel**: one kernel (``--pool_size``) runs the notebook before anyone
  asks for it (Voilà's ``preheat_kernel``), so a page load gets an app already built
  instead of starting a kernel, importing the package and computing every panel.
  Voilà refills the pool a second after a kernel is taken.
- **Idle kernels culled**: a page's kernel is shut down after
  :data:`CULL_IDLE_S` seconds without activity and without a connected page (a
  closed tab), checked every :data:`CULL_INTERVAL_S` seconds; the pooled kernel is
  never culled (Voilà's rule), and a kernel just handed from the pool to a page gets
  the full idle time from then on (:class:`HandoffKernelManager`; else the pool's
  idle time counts and the kernel can be culled before its page connects).
- **Nothing from outside 127.0.0.1**: the ``hvdesign`` Voilà template
  (``static/voila/templates/hvdesign``) is Voilà's ``lab`` template without its
  links to Font Awesome on cdn.jsdelivr.net; Voilà's own bundle, served locally,
  carries Font Awesome 5 already. The template is found through ``JUPYTER_PATH``,
  which this launcher extends with ``hvdesign/widgets/static``.
- **Plotly's front end served once**: a ``FigureWidget`` carries plotly's 5 MB
  front-end bundle in its widget state (20 MB for the app's four figures, each
  evaluated on its own: most of a page load). This server serves that bundle
  (``<base>voila/static/widgetbundle.js``, from the installed plotly) and tells its
  kernels so (:data:`hvdesign.widgets.slot.SERVED_BUNDLE_ENV`): the figures then
  import it from there, once per page (:class:`hvdesign.widgets.slot.ServedFigureWidget`).
- plotly's JupyterLab extension (a 5 MB renderer of ``plotly_mimetype`` outputs) is
  not loaded: the app draws only figure widgets.
- Listens on 127.0.0.1 only and fails rather than moving to another port when the
  port is taken (``port_retries=0``).

Options after the notebook and ``--port`` go to Voilà unchanged (and override the
defaults above), e.g. ``--pool_size=2`` or ``--MappingKernelManager.cull_idle_timeout=60``.

Examples
--------
>>> args = voila_argv("notebooks/00_explorer.ipynb", 8866)
>>> "--preheat_kernel=True" in args, "--template=hvdesign" in args
(True, True)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from datetime import datetime
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

#: The notebook served by default (relative to the working directory).
DEFAULT_NOTEBOOK = "notebooks/00_explorer.ipynb"
#: Default port (Voilà's).
DEFAULT_PORT = 8866
#: Pre-heated kernels kept ready per notebook [kernels].
POOL_SIZE = 1
#: A kernel idle this long with no page connected is shut down [s].
CULL_IDLE_S = 600
#: How often idle kernels are looked for [s].
CULL_INTERVAL_S = 60
#: The Voilà template of the app (``static/voila/templates/<name>``).
TEMPLATE = "hvdesign"


def voila_argv(
    notebook: str = DEFAULT_NOTEBOOK,
    port: int = DEFAULT_PORT,
    extra: Sequence[str] = (),
    *,
    pool_size: int = POOL_SIZE,
    cull_idle_s: int = CULL_IDLE_S,
    cull_interval_s: int = CULL_INTERVAL_S,
) -> list[str]:
    """Voilà's command-line arguments for serving ``notebook`` on 127.0.0.1:``port``
    with a pool of ``pool_size`` preheated kernels, kernels culled after
    ``cull_idle_s`` [s] idle (checked every ``cull_interval_s`` [s]) and the
    network-free ``hvdesign`` template; an option in ``extra`` replaces the default of
    the same name.

    >>> voila_argv("app.ipynb", 9000, ["--pool_size=2"]).count("--pool_size=2")
    1
    """
    defaults = [
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        f"--template={TEMPLATE}",
        "--preheat_kernel=True",
        f"--pool_size={pool_size}",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_s}",
        f"--MappingKernelManager.cull_interval={cull_interval_s}",
        "--MappingKernelManager.cull_connected=False",
        "--VoilaConfiguration.extension_denylist=jupyterlab-plotly",
        "--VoilaConfiguration.multi_kernel_manager_class="
        "hvdesign.widgets.serve.HandoffKernelManager",
    ]
    given = {_option_name(arg) for arg in extra}
    return [notebook, *(a for a in defaults if _option_name(a) not in given), *extra]


def _option_name(arg: str) -> str:
    """``--name`` of ``--name=value`` (traitlets rejects an option given twice)."""
    return arg.split("=", 1)[0]


class HandoffKernelManager(AsyncMappingKernelManager):
    """Jupyter's kernel manager whose idle clock of a kernel starts, at the latest,
    when the culler first considers it. Voilà's pool keeps its kernels out of the
    culler; a kernel taken from the pool for a page has been idle since it ran the
    notebook (possibly hours) and has no connection until the page's websocket opens,
    so without this it could be culled in that second and the page would find no
    kernel."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._first_considered: dict[str, datetime] = {}

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        """Cull ``kernel_id`` if idle for ``cull_idle_timeout`` [s] since its last
        activity or since it was first considered, whichever is later."""
        kernel = self._kernels.get(kernel_id)
        seen = self._first_considered.setdefault(kernel_id, utcnow())
        if kernel is not None and getattr(kernel, "last_activity", seen) < seen:
            kernel.last_activity = seen
        await super().cull_kernel_if_idle(kernel_id)
        if kernel_id not in self._kernels:
            self._first_considered.pop(kernel_id, None)


def template_path() -> Path:
    """The folder to add to ``JUPYTER_PATH`` so Voilà finds the ``hvdesign``
    template (``hvdesign/widgets/static``, which holds ``voila/templates/hvdesign``)."""
    with as_file(files("hvdesign.widgets") / "static") as path:
        return Path(path)


def jupyter_path_env(environ: dict[str, str] | None = None) -> str:
    """``JUPYTER_PATH`` with :func:`template_path` first (and the rest kept)."""
    env = os.environ if environ is None else environ
    rest = env.get("JUPYTER_PATH", "")
    return os.pathsep.join(p for p in (str(template_path()), rest) if p)


def _split(argv: Sequence[str]) -> tuple[str, int, list[str]]:
    """The notebook, the port and the other arguments of ``argv``."""
    notebook, port, extra = DEFAULT_NOTEBOOK, DEFAULT_PORT, []
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--port" and args:
            port = int(args.pop(0))
        elif arg.startswith("--port="):
            port = int(arg.split("=", 1)[1])
        elif not arg.startswith("-") and arg.endswith(".ipynb"):
            notebook = arg
        else:
            extra.append(arg)
    return notebook, port, extra


def plotly_bundle_dir() -> Path:
    """The folder of the installed plotly's widget bundle (``widgetbundle.js``)."""
    import plotly

    return Path(plotly.__file__).parent / "package_data"


def main(argv: Sequence[str] | None = None) -> None:
    """Run Voilà in this process with :func:`voila_argv` (until it is stopped;
    SIGTERM stops its kernels too)."""
    notebook, port, extra = _split(sys.argv[1:] if argv is None else argv)
    os.environ["JUPYTER_PATH"] = jupyter_path_env()
    from voila.app import Voila

    from hvdesign.widgets.slot import SERVED_BUNDLE_ENV

    bundle_dir = str(plotly_bundle_dir())

    class HvdesignVoila(Voila):  # voila is untyped (mypy override: ignore_missing_imports)
        """Voilà also serving plotly's widget bundle under ``voila/static/``."""

        def setup_template_dirs(self) -> None:
            super().setup_template_dirs()
            self.static_paths.append(bundle_dir)

    os.environ[SERVED_BUNDLE_ENV] = "1"  # the kernels inherit it
    HvdesignVoila.launch_instance(argv=voila_argv(notebook, port, extra))


if __name__ == "__main__":
    main()
