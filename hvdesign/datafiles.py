"""Where the shipped data files live: ``data/`` at the top of the repository, reached
from the package through the ``hvdesign/data`` link (and included in the wheel), so
an installed hvdesign finds its defaults too."""

from __future__ import annotations

import os
import re
import uuid
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from hvdesign.errors import HvdesignError


def data_path(name: str) -> Path:
    """The path of a shipped data file, e.g. ``data_path("reliability.yaml")``.

    >>> data_path("designs/default.yaml").name
    'default.yaml'
    """
    packaged = Path(str(resources.files("hvdesign"))) / "data" / name
    if packaged.exists():
        return packaged
    return Path(__file__).resolve().parent.parent / "data" / name


_FLOAT_12 = re.compile(
    r"""^(?:[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?
    |[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)


class Loader(yaml.SafeLoader):
    r"""PyYAML's safe loader with two corrections for the files hvdesign reads.

    * Numbers as YAML 1.2 and every user write them: PyYAML (YAML 1.1) reads ``1e-6``,
      ``1e9`` and ``5E+3`` as strings; here they are floats (``.inf`` stays a float).
    * A key given twice in one mapping is an error (PyYAML keeps the last silently).

    >>> yaml.load("a: 1e-6\nb: 5E+3\nc: .inf\nd: 12\ne: 1.5", Loader=Loader)
    {'a': 1e-06, 'b': 5000.0, 'c': inf, 'd': 12, 'e': 1.5}
    """

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        """A mapping whose keys are all different (duplicate keys are refused)."""
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                    seen.add(key)
                except TypeError:  # an unhashable key: the base class reports it
                    continue
                if duplicate:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {str(key)[:60]!r}", key_node.start_mark
                    )
        return super().construct_mapping(node, deep=deep)  # type: ignore[arg-type]


# The float resolver of YAML 1.2: replace PyYAML's 1.1 one (which needs a dot).
Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:float"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT_12, list("-+0123456789."))
# Integers keep priority over floats (resolvers are tried in order): re-add int first.
for _first, _resolvers in Loader.yaml_implicit_resolvers.items():
    _resolvers.sort(key=lambda r: r[0] == "tag:yaml.org,2002:float")


def load_yaml_text(text: str) -> Any:
    """YAML text loaded with :class:`Loader` (raises ``yaml.YAMLError``)."""
    return yaml.load(text, Loader=Loader)  # noqa: S506 (Loader is a SafeLoader)


def read_yaml(path: str | Path, what: str) -> Any:
    """The data of a YAML file, loaded safely (``None`` for an empty file).

    ``what`` names the file in errors (``"design file"``, ``"catalog file"``): a file
    that cannot be read, or malformed YAML with its line, is one
    :class:`~hvdesign.errors.HvdesignError`.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise HvdesignError(
            what, str(path), "a readable YAML file", detail=err.strerror or "cannot read"
        ) from None
    try:
        return load_yaml_text(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "malformed YAML"
        problem = getattr(err, "problem", None) or "malformed YAML"
        raise HvdesignError(what, str(path), "valid YAML", detail=f"{where}: {problem}") from None


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes, *, field: str = "-o") -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same directory, renamed
    over ``path`` when complete: no half-written file is ever left. The new file gets
    the usual mode (0666 less the umask). Errors name ``field`` (the option that gave
    the path)."""
    target = Path(path)
    if not target.parent.is_dir():
        raise HvdesignError(field, str(path), "a path in an existing directory")
    if target.is_dir():
        raise HvdesignError(field, str(path), "a file path, not a directory")
    tmp = target.parent / f".{target.name}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # umask applies
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise HvdesignError(
            field, str(path), "a writable file path", detail=err.strerror or str(err)
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def write_text_atomic(path: str | os.PathLike[str], text: str, *, field: str = "output") -> Path:
    """:func:`write_bytes_atomic` of ``text`` in UTF-8 (newlines as given)."""
    return write_bytes_atomic(path, text.encode("utf-8"), field=field)
