"""Event-log stores. :func:`open_store` picks a backend from the store URL.

``sqlite:///path/to/imf.db`` (the default, in the user data directory) is built in;
``postgresql://...`` uses the PostgreSQL backend (``pip install 'imf[postgres]'``), imported
only when asked for; plugins may add backends with the ``imf_store_backend`` hook.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from imf.errors import StoreError

if TYPE_CHECKING:
    from imf.plugins import PluginHost
    from imf.store.base import ClaimedDelivery, IncidentRow, Store, WriteTx

__all__ = [
    "ClaimedDelivery",
    "IncidentRow",
    "Store",
    "WriteTx",
    "default_url",
    "display_url",
    "is_builtin_url",
    "open_store",
]


def __getattr__(name: str) -> Any:
    # The interface classes load on first use: the store's message catalog lives in this
    # package and must stay cheap to import for `imf --help`.
    if name in ("ClaimedDelivery", "IncidentRow", "Store", "WriteTx"):
        from imf.store import base

        return getattr(base, name)
    raise AttributeError(f"module 'imf.store' has no attribute {name!r}")


def default_url() -> str:
    """The embedded SQLite store in the user data directory."""
    from imf.dirs import user_data_dir

    return f"sqlite:///{os.path.join(user_data_dir(), 'imf.db')}"


def is_builtin_url(url: str) -> bool:
    """Whether ``url`` names a store imf opens itself (SQLite, PostgreSQL) rather than a
    plugin's backend."""
    builtin = ("sqlite:", "postgresql://", "postgres://")
    return not url or url.startswith(builtin) or "://" not in url


def open_store(url: str = "", host: PluginHost | None = None) -> Store:
    """Open (creating and migrating as needed) the store at ``url``."""
    url = url or default_url()
    if url.startswith("sqlite:") or "://" not in url:
        from imf.store.sqlite import SQLiteStore

        path = url.removeprefix("sqlite:///") if url.startswith("sqlite:") else url
        if url.startswith("sqlite:") and not url.startswith("sqlite:///"):
            raise StoreError("core.store_bad_url", url=url)
        return SQLiteStore(os.path.expanduser(path))
    if url.startswith(("postgresql://", "postgres://")):
        from imf.store.postgres import PostgresStore

        return PostgresStore(url)
    if host is not None:
        for impl in host.impls("imf_store_backend"):
            store = host.call_impl(impl, url=url)
            if store is not None:
                return store  # type: ignore[no-any-return]
    raise StoreError("core.store_bad_url", url=display_url(url))


def display_url(url: str) -> str:
    """``url`` as shown to people: any password (in the user info or a ``password=``
    parameter, URL or key/value form) masked."""
    import re

    scheme, sep, rest = url.partition("://")
    if not sep:
        return re.sub(r"(password\s*=\s*)('[^']*'|\S+)", r"\1***", url)
    head, qmark, query = rest.partition("?")
    if "@" in head:
        creds, _, hosts = head.rpartition("@")
        user, colon, _ = creds.partition(":")
        head = f"{user}:***@{hosts}" if colon else f"{creds}@{hosts}"
    query = re.sub(r"(^|&)password=[^&]*", r"\1password=***", query)
    return f"{scheme}://{head}{qmark}{query}"
