"""The one exception family of hvdesign.

Every bad input (an unknown tier, a negative node count, a typo in a design file,
a price that is not a number) raises :class:`HvdesignError`, whose message names
the field, the value given and what is allowed. The CLI turns it into one line on
stderr and exit status 2; notebooks show the message, not a traceback.

A message is always one line of at most :data:`MAX_MESSAGE_CHARS` characters,
whatever the input: the value is quoted by :func:`quote` (a bounded ``repr`` cut to
:data:`MAX_VALUE_CHARS` characters, with the value's total length), so a
100,000-character name, a structure nested thousands deep or an expanded YAML alias
bomb costs a few microseconds and a short line.
"""

from __future__ import annotations

import reprlib
from typing import Any

#: At most this many characters of a value's ``repr`` are quoted in a message.
MAX_VALUE_CHARS = 80
#: No message is longer than this [characters].
MAX_MESSAGE_CHARS = 300
#: At most this many characters of the field name are kept.
MAX_FIELD_CHARS = 60

_CUT = "..."


class _Prefix(reprlib.Repr):
    """A bounded ``repr``: a few levels, a few items per container, string prefixes.

    Its cost does not depend on the size or depth of the value (reprlib stops at
    ``maxlevel`` and after ``maxlist`` items), so a shared-reference alias bomb is
    never expanded.
    """

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = 3
        self.maxtuple = self.maxlist = self.maxset = self.maxfrozenset = 6
        self.maxdeque = self.maxarray = 6
        self.maxdict = 4
        self.maxstring = self.maxother = self.maxlong = MAX_VALUE_CHARS + 2

    def repr_str(self, x: str, level: int) -> str:  # a prefix, not reprlib's middle cut
        """``repr`` of the first characters of ``x``."""
        return repr(x[: self.maxstring])

    def repr_instance(self, x: Any, level: int) -> str:
        """``repr`` of an object (a prefix; an object whose ``repr`` fails is named)."""
        try:
            text = repr(x)
        except Exception:  # noqa: BLE001 (a hostile __repr__ must not hide the error)
            return f"<{type(x).__name__}>"
        return text[: self.maxother]


_REPR = _Prefix()


def _length(value: Any) -> int | None:
    try:
        return len(value)
    except Exception:  # noqa: BLE001 (no length: numbers, objects)
        return None


def one_line(text: str, limit: int) -> str:
    """``text`` on one line (control characters escaped), cut to ``limit`` characters.

    >>> one_line("a\\nb", 10), one_line("x" * 20, 10)
    ('a\\\\nb', 'xxxxxxx...')
    """
    if not text.isprintable():
        text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text[: limit * 2])
    if len(text) > limit:
        text = text[: limit - len(_CUT)] + _CUT
    return text


def quote(value: Any) -> str:
    """A value as quoted in a message: its ``repr``, at most :data:`MAX_VALUE_CHARS`
    characters of it; a longer one is cut with ``...`` and the value's total length.

    >>> quote(-1), quote("2008 R2")
    ('-1', "'2008 R2'")
    >>> quote("x" * 100000)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx... (100000 characters)"
    """
    try:
        text = _REPR.repr(value)
    except Exception:  # noqa: BLE001 (a hostile __repr__ must not hide the error)
        text = f"<{type(value).__name__}>"
    text = one_line(text, MAX_VALUE_CHARS * 2)
    n = _length(value)
    elided = not isinstance(value, str | bytes) and n is not None and _CUT in text
    cut = len(text) > MAX_VALUE_CHARS or elided
    if not cut:
        return text
    unit = (
        "characters" if isinstance(value, str) else "bytes" if isinstance(value, bytes) else "items"
    )
    total = f" ({n} {unit})" if n is not None else ""
    if len(text) > MAX_VALUE_CHARS:
        text = text[: MAX_VALUE_CHARS - len(_CUT)] + _CUT
    return text + total


class HvdesignError(ValueError):
    """Bad input to hvdesign: names the field, the value and what is allowed.

    ``field``, ``value`` and ``allowed`` are kept as given; the message quotes the
    value cut (:func:`quote`) and is one line of at most :data:`MAX_MESSAGE_CHARS`
    characters.

    Examples
    --------
    >>> err = HvdesignError("nodes", -1, "an integer from 1 to 64")
    >>> print(err)
    nodes: -1 is not valid; allowed: an integer from 1 to 64
    >>> len(str(HvdesignError("name", "x" * 10**6, "text up to 200 characters")))
    156
    """

    def __init__(self, field: str, value: object, allowed: str, *, detail: str = ""):
        self.field = field
        self.value = value
        self.allowed = allowed
        self.detail = detail
        name = one_line(str(field), MAX_FIELD_CHARS)
        shown = quote(value)
        why = f" ({one_line(str(detail), 120)})" if detail else ""
        msg = f"{name}: {shown} is not valid{why}; allowed: "
        msg += one_line(str(allowed), max(MAX_MESSAGE_CHARS - len(msg), 40))
        super().__init__(one_line(msg, MAX_MESSAGE_CHARS))
