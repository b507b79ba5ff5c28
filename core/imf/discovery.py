"""Finding plugins without importing them: entry points and a cache of what they offer.

Scanning every installed distribution's metadata and importing every plugin costs more than
the rest of a command's start-up, so imf remembers, per Python environment, each plugin's entry
point, the hooks it implements, whether it is active by default and the CLI commands it adds.
The cache is keyed by the interpreter, ``sys.path`` and the modification times of its
directories (installing or removing a distribution changes them) and, per plugin, of its source
files; anything else is a miss, and a miss means imf imports the plugins and looks again.
Nothing here imports pluggy or the plugins themselves.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    pass

GROUP = "imf"
CACHE_FORMAT = 1


class EntryPoint(NamedTuple):
    """An ``imf`` entry point: ``name = module[:attr]`` of a distribution."""

    name: str
    value: str
    distribution: str
    version: str

    def load(self) -> Any:
        """Import the module and return the object the entry point names."""
        module_name, _, attr = self.value.partition(":")
        obj: Any = importlib.import_module(module_name.strip())
        for part in attr.strip().split(".") if attr.strip() else ():
            obj = getattr(obj, part)
        return obj


def blocked_from_env() -> set[str]:
    """Plugin names in ``IMF_DISABLE_PLUGINS`` (comma or space separated)."""
    raw = os.environ.get("IMF_DISABLE_PLUGINS", "")
    return {p for p in raw.replace(",", " ").split() if p}


def fingerprint(text: str) -> str:
    """A short stable hash of ``text`` (FNV-1a, 32 bits) naming a cache file: stable across
    processes, unlike ``hash()``, and without loading ``zlib`` or ``hashlib``."""
    value = 0x811C9DC5
    for byte in text.encode():
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return f"{value:08x}"


def environment_key() -> str:
    """A fingerprint (JSON text) of the installed distributions of this interpreter."""
    parts: list[Any] = [sys.executable, sys.version, CACHE_FORMAT]
    cwd = os.getcwd()
    for entry in sys.path:
        if entry in ("", cwd):
            # The working directory (``python -m``/``-c``) changes all the time and holds no
            # installed distributions; its name is enough.
            parts.append((entry, None))
            continue
        try:
            parts.append((entry, os.stat(entry or ".").st_mtime_ns))
        except OSError:
            parts.append((entry, None))
    return json.dumps(parts)


def scan() -> dict[str, EntryPoint]:
    """Every ``imf`` entry point installed, read from distribution metadata."""
    from importlib.metadata import entry_points

    found: dict[str, EntryPoint] = {}
    for ep in entry_points(group=GROUP):
        dist = getattr(ep, "dist", None)
        found.setdefault(
            ep.name,
            EntryPoint(ep.name, ep.value, dist.name if dist else "", dist.version if dist else ""),
        )
    return found


def source_files(obj: Any) -> dict[str, int]:
    """Modification times of the Python files a plugin object comes from."""
    module = (
        sys.modules.get(getattr(obj, "__module__", None) or "")
        if not hasattr(obj, "__file__")
        else obj
    )
    file = getattr(module, "__file__", None)
    if not file:
        return {}
    from pathlib import Path

    path = Path(file)
    files = [path]
    if path.name == "__init__.py":
        files = sorted(path.parent.rglob("*.py"))[:500]
    stamps = {}
    for item in files:
        try:
            stamps[str(item)] = item.stat().st_mtime_ns
        except OSError:
            continue
    return stamps


class PluginCache:
    """The cached records of this environment's plugins.

    A record holds ``value``, ``distribution``, ``version``, ``hooks`` (None until the plugin
    was imported once), ``active_by_default``, ``files`` and ``commands`` (per language, a list
    of ``[name, short help]``).
    """

    def __init__(self) -> None:
        self.key = environment_key()
        from imf.dirs import user_cache_dir

        self.path = os.path.join(user_cache_dir(), f"plugins-{fingerprint(self.key)}.json")
        self.records: dict[str, dict[str, Any]] | None = None
        self.dirty = False
        try:
            with open(self.path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return
        if data.get("key") == self.key and isinstance(data.get("plugins"), dict):
            self.records = data["plugins"]

    def entry_points(self) -> dict[str, EntryPoint]:
        """Entry points from the cache, or scanned (and the cache reset) on a miss."""
        if self.records is None:
            self.records = {
                name: {
                    "value": ep.value,
                    "distribution": ep.distribution,
                    "version": ep.version,
                    "hooks": None,
                }
                for name, ep in scan().items()
            }
            self.dirty = True
        return {
            name: EntryPoint(name, r["value"], r["distribution"], r["version"])
            for name, r in self.records.items()
        }

    def record(self, name: str) -> dict[str, Any]:
        """The record of ``name``, forgotten (hooks unknown) if its files changed."""
        assert self.records is not None
        record = self.records[name]
        files = record.get("files") or {}
        for path, stamp in files.items():
            try:
                current = os.stat(path).st_mtime_ns
            except OSError:
                current = None
            if current != stamp:
                record.update(hooks=None, files={}, commands={})
                self.dirty = True
                break
        return record

    def learn(self, name: str, plugin: Any, hooks: list[str], active: bool) -> None:
        """Record what importing ``name`` showed."""
        record = self.record(name)
        if record.get("hooks") == hooks and record.get("files"):
            return
        record.update(
            hooks=hooks, active_by_default=active, files=source_files(plugin), commands={}
        )
        self.dirty = True

    def set_commands(self, name: str, lang: str, commands: list[list[str]]) -> None:
        """Record the CLI commands (with short help in ``lang``) ``name`` adds."""
        record = self.record(name)
        record.setdefault("commands", {})[lang] = commands
        self.dirty = True

    def save(self) -> None:
        """Write the cache if it changed (atomically; failures are ignored: it is a cache)."""
        if not self.dirty or self.records is None:
            return
        from imf.files import write_atomic

        try:
            write_atomic(self.path, json.dumps({"key": self.key, "plugins": self.records}), 0o600)
            self.dirty = False
        except OSError:
            pass
