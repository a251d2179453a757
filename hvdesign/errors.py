"""The one exception family of hvdesign.

Every bad input (an unknown tier, a negative node count, a typo in a design file,
a price that is not a number) raises :class:`HvdesignError`, whose message names
the field, the value given and what is allowed. The CLI turns it into one line on
stderr and exit status 2; notebooks show the message, not a traceback.
"""

from __future__ import annotations


class HvdesignError(ValueError):
    """Bad input to hvdesign: names the field, the value and what is allowed.

    Examples
    --------
    >>> err = HvdesignError("nodes", -1, "an integer from 1 to 64")
    >>> print(err)
    nodes: -1 is not valid; allowed: an integer from 1 to 64
    """

    def __init__(self, field: str, value: object, allowed: str, *, detail: str = ""):
        self.field = field
        self.value = value
        self.allowed = allowed
        msg = f"{field}: {value!r} is not valid; allowed: {allowed}"
        if detail:
            msg = f"{field}: {value!r} is not valid ({detail}); allowed: {allowed}"
        super().__init__(msg)
