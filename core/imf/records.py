"""Plain record classes for the core's own data: the ``[imf]`` configuration tables and what
``imf plugins`` reports.

Every command creates these classes, so they must cost next to nothing to create: a record
class is an ordinary class whose annotated class attributes are its fields (a value is the
default, :func:`factory` a default made per instance), with one shared ``__init__``,
``__eq__`` and ``__repr__`` instead of generated ones. The incident model and plugins'
configuration classes are attrs classes; :mod:`imf.validate` and :mod:`imf.serde` treat
records like them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar


class _Factory:
    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


def factory(make: Callable[[], Any]) -> Any:
    """A default made afresh for each instance (``factory(list)``, ``factory(dict)``)."""
    return _Factory(make)


class FrozenRecordError(AttributeError):
    """A field of a frozen record was assigned after it was built."""


class Record:
    """Base of record classes: construction by position or keyword, equality and ``repr`` by
    fields.

    ``class Point(Record, frozen=True): x: int = 0`` makes instances read-only once built.
    """

    __record_fields__: ClassVar[tuple[str, ...]] = ()
    __record_defaults__: ClassVar[dict[str, Any]] = {}
    __record_frozen__: ClassVar[bool] = False

    def __init_subclass__(cls, *, frozen: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("__annotations__")  # noqa: RUF063 -- the class's own fields
        if own is None:  # annotations evaluated lazily (Python 3.14)
            import inspect

            own = inspect.get_annotations(cls)
        names = tuple(own)
        cls.__record_fields__ = names
        cls.__record_defaults__ = {n: cls.__dict__[n] for n in names if n in cls.__dict__}
        cls.__record_frozen__ = frozen

    def __init__(self, *args: Any, **values: Any) -> None:
        fields = self.__record_fields__
        if len(args) > len(fields):
            raise TypeError(f"{type(self).__name__}() takes at most {len(fields)} arguments")
        for name, value in zip(fields, args, strict=False):
            if name in values:
                raise TypeError(f"{type(self).__name__}() got {name!r} twice")
            values[name] = value
        defaults = self.__record_defaults__
        for name in fields:
            if name in values:
                value = values.pop(name)
            elif name in defaults:
                value = defaults[name]
                if isinstance(value, _Factory):
                    value = value.make()
            else:
                raise TypeError(f"{type(self).__name__}() needs the argument {name!r}")
            object.__setattr__(self, name, value)
        if values:
            unexpected = ", ".join(sorted(values))
            raise TypeError(f"{type(self).__name__}() got unexpected arguments: {unexpected}")

    def __setattr__(self, name: str, value: Any) -> None:
        if self.__record_frozen__:
            raise FrozenRecordError(f"{type(self).__name__}.{name} cannot be assigned")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        if self.__record_frozen__:
            raise FrozenRecordError(f"{type(self).__name__}.{name} cannot be deleted")
        object.__delattr__(self, name)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self.__record_fields__)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        values = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__record_fields__)
        return f"{type(self).__name__}({values})"


def is_record(cls: Any) -> bool:
    """Whether ``cls`` is a record class."""
    return isinstance(cls, type) and issubclass(cls, Record) and cls is not Record
