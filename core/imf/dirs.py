"""The user's directories for imf: configuration, data (the default store, documents), cache.

Platform conventions come from platformdirs. On Linux and the BSDs they are the XDG base
directories, which this module reads itself: every command needs one of them, and importing
platformdirs costs more than the rest of finding them. Like platformdirs' ``user_*_dir``
functions, these return strings (``pathlib.Path(user_data_dir())`` when a path object helps).
"""

from __future__ import annotations

import os
import sys

_XDG = {
    "config": ("XDG_CONFIG_HOME", "~/.config"),
    "data": ("XDG_DATA_HOME", "~/.local/share"),
    "cache": ("XDG_CACHE_HOME", "~/.cache"),
}


def _xdg_platform() -> bool:
    return sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))


def _user_dir(kind: str) -> str:
    if _xdg_platform():
        variable, fallback = _XDG[kind]
        base = os.environ.get(variable, "").strip() or os.path.expanduser(fallback)
        return os.path.join(base, "imf")
    import platformdirs

    finder = getattr(platformdirs, f"user_{kind}_dir")
    return str(finder("imf", appauthor=False))


def user_config_dir() -> str:
    """Where the user's ``imf.toml`` lives (``~/.config/imf`` on Linux)."""
    return _user_dir("config")


def user_data_dir() -> str:
    """imf's data directory: the default SQLite store and the Markdown documents
    (``~/.local/share/imf`` on Linux)."""
    return _user_dir("data")


def user_cache_dir() -> str:
    """imf's cache directory (``~/.cache/imf`` on Linux); ``IMF_CACHE_DIR`` overrides it."""
    explicit = os.environ.get("IMF_CACHE_DIR")
    if explicit:
        return explicit
    return _user_dir("cache")
