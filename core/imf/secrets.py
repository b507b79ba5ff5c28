"""Secrets in configuration: ``{ env = "NAME" }`` or ``{ file = "PATH" }``, never printed."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from imf.errors import ConfigError

if TYPE_CHECKING:
    from pathlib import Path


class Secret:
    """A secret value from the configuration. ``str()`` and ``repr()`` never show it.

    :ivar source: where it came from, safe to print (``env PD_KEY``, ``file /run/secrets/x``).
    """

    __slots__ = ("_value", "source")

    def __init__(self, value: str, source: str = "inline") -> None:
        self._value = value
        self.source = source

    def reveal(self) -> str:
        """The secret itself: pass it to the remote service and nowhere else."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret(<redacted>, source={self.source!r})"

    def __str__(self) -> str:
        return "<redacted>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def describe(raw: Any) -> str:
    """How a raw secret value is shown by ``imf config show``."""
    if isinstance(raw, dict) and "env" in raw:
        return f"<secret from env {raw['env']}>"
    if isinstance(raw, dict) and "file" in raw:
        return f"<secret from file {raw['file']}>"
    return "<secret>"


def resolve(raw: Any, key: str, where: str, base_dir: Path | None = None) -> Secret:
    """Turn the TOML value of secret ``key`` (defined in ``where``) into a :class:`Secret`."""
    if isinstance(raw, Secret):
        return raw
    if isinstance(raw, str):
        return Secret(raw, "inline")
    if isinstance(raw, dict) and set(raw) == {"env"} and isinstance(raw["env"], str):
        name = raw["env"]
        value = os.environ.get(name)
        if value is None or value == "":
            raise ConfigError("core.secret_env_missing", key=key, where=where, name=name)
        return Secret(value, f"env {name}")
    if isinstance(raw, dict) and set(raw) == {"file"} and isinstance(raw["file"], str):
        from pathlib import Path

        path = Path(os.path.expanduser(raw["file"]))
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        try:
            value = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(
                "core.secret_file_unreadable",
                key=key,
                where=where,
                path=str(path),
                reason=exc.strerror or type(exc).__name__,
            ) from None
        return Secret(value, f"file {path}")
    raise ConfigError("core.secret_malformed", key=key, where=where)
