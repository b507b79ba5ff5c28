"""Conversion of model objects to and from JSON/TOML-compatible data (cattrs)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import cattrs

from imf.model import Status, as_utc

T = TypeVar("T")

converter = cattrs.Converter(forbid_extra_keys=False)
converter.register_unstructure_hook(datetime, lambda v: as_utc(v).isoformat())
converter.register_structure_hook(
    datetime, lambda v, _: as_utc(v if isinstance(v, datetime) else datetime.fromisoformat(v))
)
converter.register_unstructure_hook(date, lambda v: v.isoformat())
converter.register_structure_hook(
    date, lambda v, _: v if isinstance(v, date) else date.fromisoformat(v)
)
converter.register_unstructure_hook(timedelta, lambda v: v.total_seconds())
converter.register_structure_hook(
    timedelta, lambda v, _: v if isinstance(v, timedelta) else timedelta(seconds=float(v))
)
converter.register_unstructure_hook(Status, lambda v: v.value)


def unstructure(obj: Any) -> Any:
    """``obj`` as JSON-compatible data."""
    return converter.unstructure(obj)


def structure(data: Any, cls: type[T]) -> T:
    """Build a ``cls`` from JSON-compatible ``data``."""
    return converter.structure(data, cls)


def dumps(obj: Any, *, indent: int | None = None) -> str:
    """``obj`` as JSON text (non-ASCII kept as is)."""
    return json.dumps(unstructure(obj), ensure_ascii=False, indent=indent, sort_keys=False)
