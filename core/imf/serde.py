"""Conversion of model objects to and from JSON/TOML-compatible data.

Structuring (data → model objects) goes through a cattrs converter, built on first use.
Unstructuring (model objects → data) is the same mapping cattrs makes with the hooks below,
written out so that writing an incident (``imf declare``) does not import cattrs at all;
``tests/core/test_serde.py`` checks that both agree on generated incidents.

The rules: an attrs class or record becomes a dict of its fields by name; a
named tuple a dict of its fields; a time its ISO text in UTC; a date its ISO text; a
duration its seconds; an enum its value; lists, tuples and sets become lists of converted
items; dicts have keys and values converted.
"""

from __future__ import annotations

import enum
import json
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from imf.clock import as_utc

if TYPE_CHECKING:
    import cattrs

T = TypeVar("T")

_SCALARS = (str, int, float, bool, type(None))


def unstructure(obj: Any) -> Any:
    """``obj`` as JSON-compatible data."""
    if isinstance(obj, enum.Enum):  # first: a StrEnum is a str too
        return obj.value
    if isinstance(obj, _SCALARS):
        return obj
    if isinstance(obj, datetime):
        return as_utc(obj).isoformat()
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, timedelta):
        return obj.total_seconds()
    if isinstance(obj, dict):
        return {unstructure(k): unstructure(v) for k, v in obj.items()}
    fields = getattr(type(obj), "__attrs_attrs__", None)
    if fields is not None:
        return {f.name: unstructure(getattr(obj, f.name)) for f in fields}
    names = getattr(obj, "__record_fields__", None)
    if names is not None and not isinstance(obj, type):
        return {name: unstructure(getattr(obj, name)) for name in names}
    if isinstance(obj, tuple) and hasattr(obj, "_asdict"):
        return {k: unstructure(v) for k, v in obj._asdict().items()}
    if isinstance(obj, list | tuple | set | frozenset):
        return [unstructure(v) for v in obj]
    return obj


def converter() -> cattrs.Converter:
    """The cattrs converter (made on first use) with imf's hooks for times, dates,
    durations and enums."""
    global _converter
    if _converter is None:
        import cattrs

        made = cattrs.Converter(forbid_extra_keys=False)
        made.register_unstructure_hook(datetime, lambda v: as_utc(v).isoformat())
        made.register_structure_hook(
            datetime,
            lambda v, _: as_utc(v if isinstance(v, datetime) else datetime.fromisoformat(v)),
        )
        made.register_unstructure_hook(date, lambda v: v.isoformat())
        made.register_structure_hook(
            date, lambda v, _: v if isinstance(v, date) else date.fromisoformat(v)
        )
        made.register_unstructure_hook(timedelta, lambda v: v.total_seconds())
        made.register_structure_hook(
            timedelta, lambda v, _: v if isinstance(v, timedelta) else timedelta(seconds=float(v))
        )
        from imf.model import Status, resolve

        resolve()  # cattrs evaluates the model's annotations
        made.register_unstructure_hook(Status, lambda v: v.value)
        _converter = made
    return _converter


_converter: cattrs.Converter | None = None


def structure(data: Any, cls: type[T]) -> T:
    """Build a ``cls`` from JSON-compatible ``data``."""
    return converter().structure(data, cls)


def dumps(obj: Any, *, indent: int | None = None) -> str:
    """``obj`` as JSON text (non-ASCII kept as is)."""
    return json.dumps(unstructure(obj), ensure_ascii=False, indent=indent, sort_keys=False)
