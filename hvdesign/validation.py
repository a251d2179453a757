"""The one validation idiom of hvdesign's inputs: a pydantic model per kind of input
whose fields say, in their ``description``, what they allow; the model's own checks
(types, bounds, choices) run first, and checks that need more words raise
:class:`~hvdesign.errors.HvdesignError` themselves from a validator.

:func:`validate` turns the first problem pydantic finds into ONE
:class:`~hvdesign.errors.HvdesignError` (field, value, what is allowed), the message
every face of the package shows.

Examples
--------
>>> from pydantic import BaseModel, Field
>>> class Size(BaseModel):
...     n_ios: int = Field(1, ge=1, description="an integer from 1 to 10")
>>> validate(Size, {"n_ios": 0}).args[0]
'n_ios: 0 is not valid; allowed: an integer from 1 to 10'
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ValidationError
from pydantic_core import ErrorDetails

from hvdesign.errors import HvdesignError

ModelT = TypeVar("ModelT", bound=BaseModel)

#: Turns one pydantic error into the package's error.
Describe = Callable[[ErrorDetails], HvdesignError]


def embedded(error: ErrorDetails) -> HvdesignError | None:
    """The :class:`HvdesignError` a validator raised, if this error is one."""
    found = (error.get("ctx") or {}).get("error")
    return found if isinstance(found, HvdesignError) else None


def allowed_of(model: type[BaseModel], name: str) -> str:
    """What field ``name`` of ``model`` allows, in words (its ``description``)."""
    return model.model_fields[name].description or ""


def by_field(model: type[BaseModel]) -> Describe:
    """A :data:`Describe` for flat models: the field is the first part of the error's
    location, the value what was given, the allowed text the field's description."""

    def describe(error: ErrorDetails) -> HvdesignError:
        name = str(error["loc"][0]) if error["loc"] else model.__name__
        allowed = allowed_of(model, name) if name in model.model_fields else error["msg"]
        return HvdesignError(name, error.get("input"), allowed)

    return describe


def validation_error(
    model: type[BaseModel],
    err: ValidationError,
    describe: Describe | None = None,
    order: Callable[[list[ErrorDetails]], list[ErrorDetails]] | None = None,
    data: Mapping[str, Any] | None = None,
) -> HvdesignError:
    """The :class:`HvdesignError` of the first problem of ``err`` (``order`` may reorder
    the problems first; ``describe`` words one, default :func:`by_field`), showing a
    field's value as given in ``data``."""
    errors = [_as_given(e, data or {}) for e in err.errors()]
    first = (order(errors) if order else errors)[0]
    return embedded(first) or (describe or by_field(model))(first)


def _as_given(error: ErrorDetails, data: Mapping[str, Any]) -> ErrorDetails:
    """``error`` showing a top-level field's value as given (not as converted)."""
    loc = error["loc"]
    if len(loc) == 1 and isinstance(data, Mapping) and loc[0] in data:
        return {**error, "input": data[str(loc[0])]}
    return error


def validate(
    model: type[ModelT],
    data: Mapping[str, Any],
    describe: Describe | None = None,
    order: Callable[[list[ErrorDetails]], list[ErrorDetails]] | None = None,
    *,
    context: Mapping[str, Any] | None = None,
) -> ModelT | HvdesignError:
    """``model`` validated from ``data`` (``context`` goes to its validators), or the
    :class:`HvdesignError` of the first problem (:func:`validation_error`). Returned,
    not raised, so callers raise it from their own frame (``raise err from None``)."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as err:
        return validation_error(model, err, describe, order, data)


def checked(
    model: type[ModelT],
    data: Mapping[str, Any],
    describe: Describe | None = None,
    *,
    context: Mapping[str, Any] | None = None,
) -> ModelT:
    """:func:`validate`, raising the error."""
    out = validate(model, data, describe, context=context)
    if isinstance(out, HvdesignError):
        raise out
    return out


# ----------------------------------------------------------- common value types


def _whole(value: Any) -> Any:
    """A numpy integer (any :class:`numbers.Integral` but a bool) as ``int``; anything
    else unchanged, for the strict ``int`` check to take or reject."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool | int):
        return int(value)
    return value


def _real(value: Any) -> Any:
    """A numpy number (any :class:`numbers.Real` but a bool, int or float) as
    ``float``; anything else unchanged (Python ints and floats pass the strict
    ``float`` check as they are)."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool | int | float):
        return float(value)
    return value


def is_real(value: Any) -> bool:
    """Whether ``value`` is a finite real number (numpy's too), not a bool.

    >>> is_real(2), is_real(True), is_real(float("nan")), is_real("1")
    (True, False, False, False)
    """
    v = _real(value)
    return not isinstance(v, bool) and isinstance(v, int | float) and math.isfinite(v)


#: An ``int`` field that also takes numpy integers (never a bool, a float or text).
Whole = Annotated[int, BeforeValidator(_whole)]
#: A ``float`` field that also takes numpy numbers (never a bool or text).
Real = Annotated[float, BeforeValidator(_real)]
