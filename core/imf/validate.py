"""Validation of TOML tables into typed classes, with errors that name the dotted key.

A table class is an attrs class (what plugins register) or a record class
(:mod:`imf.records`: the core's own ``[imf]`` tables, which cost less to create).

imf validates ``[imf]`` and every ``[plugins.<name>]`` table with this, so a wrong type, an
unknown key, a missing required key or a missing secret is reported as one line naming the
file and the key (``imf.toml: plugins.teams.webhook_url: required key is missing``).
"""

from __future__ import annotations

import enum
import re
import types
import typing
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeVar, Union, get_args, get_origin

from imf import secrets
from imf.errors import ConfigError
from imf.records import is_record
from imf.secrets import Secret

if TYPE_CHECKING:
    from pathlib import Path

T = TypeVar("T")

# Compiled on first use (re caches it): most commands parse no duration.
_DURATION = (
    r"^\s*(?:(\d+(?:\.\d+)?)d)?\s*(?:(\d+(?:\.\d+)?)h)?\s*"
    r"(?:(\d+(?:\.\d+)?)m)?\s*(?:(\d+(?:\.\d+)?)s)?\s*$"
)


def parse_duration(value: Any) -> timedelta:
    """``"15m"``, ``"2h"``, ``"1h30m"``, ``"1d"``, ``"45s"`` or a number of seconds."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool):
        raise ValueError("expected a duration")
    if isinstance(value, int | float):
        return timedelta(seconds=value)
    if isinstance(value, str) and value.strip():
        match = re.match(_DURATION, value)
        if match and any(match.groups()):
            d, h, m, s = (float(x) if x else 0.0 for x in match.groups())
            return timedelta(days=d, hours=h, minutes=m, seconds=s)
    raise ValueError(f"expected a duration such as '15m', '2h' or '1d', got {value!r}")


def format_duration(value: timedelta) -> str:
    """The inverse of :func:`parse_duration` (``timedelta(minutes=90)`` → ``"1h30m"``)."""
    seconds = int(value.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts) or "0s"


#: Types whose "expected ..." message has its own catalog key (in every language).
_TYPE_KEYS = {str: "str", int: "int", float: "float", bool: "bool"}


class TableField(NamedTuple):
    """One key of a table class: the attribute, the TOML key, whether required, and its
    annotation (a string until :func:`field_type` resolves it)."""

    name: str
    key: str
    annotation: Any
    required: bool


_FIELDS: dict[type, list[TableField]] = {}
_HINTS: dict[type, dict[str, Any]] = {}


def fields_of(cls: type) -> list[TableField] | None:
    """The keys of table class ``cls`` (attrs class or record); None for other types.

    Annotations are not evaluated here: a table that sets no key (the common case of a
    plugin without a table) is validated without evaluating any (see :func:`field_type`).
    """
    found = _FIELDS.get(cls)
    if found is not None:
        return found
    if getattr(cls, "__attrs_attrs__", None) is not None:
        import attrs

        found = [
            TableField(f.name, f.alias or f.name, f.type, f.default is attrs.NOTHING)
            for f in attrs.fields(cls)
        ]
    elif is_record(cls):
        defaults = cls.__record_defaults__  # type: ignore[attr-defined]
        annotations = cls.__annotations__
        found = [
            TableField(name, name, annotations[name], name not in defaults)
            for name in cls.__record_fields__  # type: ignore[attr-defined]
        ]
    else:
        return None
    _FIELDS[cls] = found
    return found


def field_type(cls: type, field: TableField) -> Any:
    """The type of ``field`` of ``cls``, its annotation evaluated (once per class)."""
    if not isinstance(field.annotation, str):
        return field.annotation
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints.get(field.name, Any)


def table_fields(cls: type) -> list[tuple[str, str]] | None:
    """``(attribute, key)`` pairs of table class ``cls``; None if it is not one."""
    found = fields_of(cls)
    return None if found is None else [(f.name, f.key) for f in found]


class Validator:
    """Builds table-class instances (attrs classes, records) from TOML data.

    :param where: a callable giving the source (file name) of a dotted key, for messages.
    :param base_dir: a callable giving the directory relative ``{ file = ... }`` secrets
        are resolved against, for a dotted key.
    """

    def __init__(
        self,
        where: Callable[[str], str] = lambda key: "config",
        base_dir: Callable[[str], Path | None] = lambda key: None,
    ) -> None:
        self.where = where
        self.base_dir = base_dir

    def fail(self, key: str, message_key: str, **params: Any) -> ConfigError:
        """An error about ``key``."""
        return ConfigError(message_key, key=key, where=self.where(key), **params)

    def build(self, cls: type[T], data: Any, key: str, *, allow: frozenset[str] = frozenset()) -> T:
        """An instance of table class ``cls`` from table ``data`` found at dotted ``key``."""
        if not isinstance(data, Mapping):
            raise self.fail(key, "core.config_expected_table")
        fields = fields_of(cls)
        if fields is None:
            raise TypeError(f"{cls!r} is neither an attrs class nor a record class")
        aliases = {f.key: f for f in fields}
        for name in data:
            if name not in aliases and name not in allow:
                raise self.fail(
                    f"{key}.{name}",
                    "core.config_unknown_key",
                    known=", ".join(sorted(aliases)) or "-",
                )
        kwargs: dict[str, Any] = {}
        for alias, f in aliases.items():
            sub = f"{key}.{alias}"
            if alias in data:
                kwargs[alias] = self.convert(field_type(cls, f), data[alias], sub)
            elif f.required:
                raise self.fail(sub, "core.config_missing_key")
        try:
            return cls(**kwargs)
        except (TypeError, ValueError) as exc:
            raise self.fail(key, "core.config_invalid_value", reason=str(exc)) from None

    def convert(self, tp: Any, value: Any, key: str) -> Any:
        """``value`` converted to type ``tp``, or a :class:`ConfigError` naming ``key``."""
        origin = get_origin(tp)
        if tp is Any or tp is object:
            return value
        if origin in (Union, types.UnionType):
            options = get_args(tp)
            if value is None and type(None) in options:
                return None
            errors: list[ConfigError] = []
            for option in options:
                if option is type(None):
                    continue
                try:
                    return self.convert(option, value, key)
                except ConfigError as exc:
                    if exc.key.startswith("core.secret_"):
                        raise
                    errors.append(exc)
            raise errors[0]
        if tp is Secret:
            return secrets.resolve(value, key, self.where(key), self.base_dir(key))
        if origin is Literal:
            if value not in get_args(tp):
                raise self.fail(
                    key,
                    "core.config_not_one_of",
                    value=value,
                    valid=", ".join(str(a) for a in get_args(tp)),
                )
            return value
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            try:
                return tp(value)
            except ValueError:
                raise self.fail(
                    key,
                    "core.config_not_one_of",
                    value=value,
                    valid=", ".join(str(m.value) for m in tp),
                ) from None
        if tp is timedelta:
            try:
                return parse_duration(value)
            except ValueError:
                raise self.fail(key, "core.config_bad_duration", value=value) from None
        if isinstance(tp, type) and fields_of(tp) is not None:
            return self.build(tp, value, key)
        if origin in (list, tuple, typing.Sequence, set, frozenset) or tp in (list, tuple):
            if not isinstance(value, list | tuple):
                raise self.fail(key, "core.config_expected_list")
            args = get_args(tp)
            item = args[0] if args else Any
            items = [self.convert(item, v, f"{key}[{i}]") for i, v in enumerate(value)]
            if origin in (tuple,) or tp is tuple:
                return tuple(items)
            if origin in (set, frozenset):
                return frozenset(items)
            return items
        if origin in (dict, Mapping, typing.Mapping) or tp is dict:
            if not isinstance(value, Mapping):
                raise self.fail(key, "core.config_expected_table")
            args = get_args(tp)
            item = args[1] if len(args) == 2 else Any
            return {str(k): self.convert(item, v, f"{key}.{k}") for k, v in value.items()}
        if tp is float:
            if isinstance(value, int | float) and not isinstance(value, bool):
                return float(value)
        elif tp is int:
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        elif tp in (str, bool) or isinstance(tp, type):
            if isinstance(value, tp):
                return value
        else:
            return value
        if tp in _TYPE_KEYS:
            raise self.fail(key, f"core.config_expected_{_TYPE_KEYS[tp]}")
        raise self.fail(key, "core.config_wrong_type", expected=getattr(tp, "__name__", str(tp)))
