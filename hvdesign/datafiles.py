"""Where the shipped data files live: ``data/`` at the top of the repository, reached
from the package through the ``hvdesign/data`` link (and included in the wheel), so
an installed hvdesign finds its defaults too."""

from __future__ import annotations

import errno
import os
import re
import stat
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


#: Limits of every file hvdesign reads (design, scenario, reliability, catalog files):
#: its size [bytes], how deep its values nest, and how many values it holds once YAML
#: aliases are expanded (an alias bomb of 1 KB would otherwise expand to gigabytes).
MAX_FILE_BYTES = 1_048_576
MAX_DEPTH = 32
MAX_VALUES = 100_000


class _Composer(Loader):
    """:class:`Loader` that stops at :data:`MAX_DEPTH` levels of nesting while composing
    (PyYAML would recurse until Python's stack runs out)."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: D102
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, f"values nested deeper than {MAX_DEPTH} levels", mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def check_shape(data: Any, what: str, value: str = "YAML data") -> None:
    """Refuse data that nests deeper than :data:`MAX_DEPTH` or holds more than
    :data:`MAX_VALUES` values once shared (aliased) parts are counted each time they
    are used: every consumer then stays fast and every message short.

    >>> check_shape({"a": [1, 2, {"b": 3}]}, "design file")
    >>> x = [1] * 10
    >>> check_shape([[x] * 10] * 10_000, "design file")
    Traceback (most recent call last):
    ...
    hvdesign.errors.HvdesignError: design file: 'YAML data' is not valid (more than 100,000 values once aliases are expanded); allowed: at most 100,000 values nested at most 32 deep
    """
    allowed = f"at most {MAX_VALUES:,} values nested at most {MAX_DEPTH} deep"
    budget = MAX_VALUES
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        budget -= 1
        if budget < 0:
            raise HvdesignError(
                what,
                value,
                allowed,
                detail=f"more than {MAX_VALUES:,} values once aliases are expanded",
            )
        if depth > MAX_DEPTH:
            raise HvdesignError(
                what, value, allowed, detail=f"values nested deeper than {MAX_DEPTH} levels"
            )
        if isinstance(item, dict):
            stack.extend((k, depth + 1) for k in item)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list | tuple | set):
            stack.extend((v, depth + 1) for v in item)


def load_yaml_text(text: str, what: str = "YAML text", value: str = "YAML data") -> Any:
    """YAML text loaded with :class:`Loader`, its shape checked (:func:`check_shape`).

    Raises ``yaml.YAMLError`` for malformed YAML and :class:`HvdesignError` (naming
    ``what``) for data too deep or too large.
    """
    loader = _Composer(text)
    try:
        data = loader.get_single_data()
    except ValueError as err:  # e.g. an integer of more than 4,300 digits
        raise HvdesignError(what, value, "valid YAML", detail=str(err)) from None
    finally:
        loader.dispose()
    check_shape(data, what, value)
    return data


def _read_text(path: Path, what: str) -> str:
    """The UTF-8 text of a regular file of at most :data:`MAX_FILE_BYTES` bytes."""
    if "\x00" in str(path):  # no file system takes it (Path.stat raises ValueError)
        raise HvdesignError(what, str(path), "a readable YAML file", detail="not a file name")
    try:
        info = path.stat()  # follows a link: what is read is the target
        if not stat.S_ISREG(info.st_mode):
            raise HvdesignError(what, str(path), "a regular YAML file", detail="not a regular file")
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise HvdesignError(
            what, str(path), "a readable YAML file", detail=err.strerror or "cannot read"
        ) from None
    if len(raw) > MAX_FILE_BYTES:
        raise HvdesignError(
            what,
            str(path),
            f"a YAML file of at most {MAX_FILE_BYTES:,} bytes",
            detail="file too large",
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise HvdesignError(
            what, str(path), "a UTF-8 text file", detail=f"byte {err.start} is not UTF-8"
        ) from None


def yaml_error_detail(err: yaml.YAMLError) -> str:
    """Where and what, for a YAML error: ``line 3: duplicate key 'nodes'``."""
    mark = getattr(err, "problem_mark", None)
    where = f"line {mark.line + 1}" if mark else "malformed YAML"
    problem = getattr(err, "problem", None) or "malformed YAML"
    return f"{where}: {problem}"


def read_yaml(path: str | Path, what: str) -> Any:
    """The data of a YAML file, loaded safely (``None`` for an empty file).

    ``what`` names the file in errors (``"design file"``, ``"catalog file"``): a file
    that is not a regular file, is larger than :data:`MAX_FILE_BYTES`, is not UTF-8 or
    cannot be read, malformed YAML (with its line), a key given twice, and data nested
    too deep or too large are each one :class:`~hvdesign.errors.HvdesignError`.
    """
    path = Path(path)
    text = _read_text(path, what)
    try:
        return load_yaml_text(text, what, str(path))
    except yaml.YAMLError as err:
        raise HvdesignError(what, str(path), "valid YAML", detail=yaml_error_detail(err)) from None


def _write_special(target: Path, mode: int, data: bytes, field: str, path: str) -> Path:
    """Write into a character device (``/dev/null``, a terminal) or a FIFO in place:
    such a file is never replaced. A FIFO nobody reads is an error, not a hang."""
    flags = os.O_WRONLY | (os.O_NONBLOCK if stat.S_ISFIFO(mode) else 0)
    try:
        fd = os.open(target, flags)
    except OSError as err:
        detail = "no process reads this FIFO" if err.errno == errno.ENXIO else err.strerror
        raise HvdesignError(
            field, path, "a writable file path", detail=detail or str(err)
        ) from None
    try:
        if flags & os.O_NONBLOCK:
            os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as err:
        raise HvdesignError(
            field, path, "a writable file path", detail=err.strerror or str(err)
        ) from None
    finally:
        os.close(fd)
    return target


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes, *, field: str = "-o") -> Path:
    """Write ``data`` to ``path`` so that no half-written file is ever left.

    * A new file or an existing regular file: written to a temporary file in the same
      directory and renamed over ``path`` when complete; an existing file keeps its
      permissions (a new one gets 0666 less the umask).
    * A symbolic link: followed; its target is replaced the same way (the link stays).
    * A character device (``/dev/null``) or a FIFO: written to in place, never replaced.
    * Anything else (a directory, a socket, a block device): refused.

    Errors name ``field`` (the option that gave the path) and leave every file as it was;
    the temporary file is removed on any error or interruption.
    """
    target = Path(path)
    try:
        target = Path(os.path.realpath(target)) if target.is_symlink() else target
        info = target.stat() if target.exists() else None
    except OSError as err:  # e.g. a name too long for the file system
        raise HvdesignError(
            field, str(path), "a writable file path", detail=err.strerror or str(err)
        ) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise HvdesignError(field, str(path), "a file path, not a directory")
    if info is not None and (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
        return _write_special(target, info.st_mode, data, field, str(path))
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise HvdesignError(
            field,
            str(path),
            "a regular file, a character device or a FIFO",
            detail="a socket or block device is never replaced",
        )
    if not target.parent.is_dir():
        raise HvdesignError(field, str(path), "a path in an existing directory")
    tmp = target.parent / f".{target.name[:200]}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # umask applies
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if info is not None:
                os.fchmod(fh.fileno(), stat.S_IMODE(info.st_mode))
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
