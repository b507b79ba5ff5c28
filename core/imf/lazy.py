"""Module attributes loaded on first access (PEP 562), so that importing a module of imf
does not import everything it can hand out."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def attribute_loader(
    owner: str, table: Mapping[str, str], namespace: dict[str, Any]
) -> Callable[[str], Any]:
    """A module ``__getattr__`` for module ``owner``: a name in ``table`` is imported from the
    module ``table[name]`` names and kept in ``namespace`` (the module's globals)."""

    def __getattr__(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {owner!r} has no attribute {name!r}")
        import importlib

        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    return __getattr__
