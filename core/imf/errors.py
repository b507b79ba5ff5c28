"""Errors of imf's public API.

Two families:

* :class:`ImfError` and its subclasses are *user-facing*: the CLI prints them as one line
  (in the active language) and exits non-zero. They carry a message key and parameters,
  so they can be rendered in English or Russian.
* :class:`DeliveryError` and its subclasses are what a plugin raises from a lifecycle
  hook to tell the outbox how to treat a failed delivery.
"""

from __future__ import annotations

from typing import Any


class ImfError(Exception):
    """An error shown to the user as one line. ``key`` names a message in the catalogs."""

    exit_code = 1

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(key)

    def render(self, lang: str = "en") -> str:
        """The message in ``lang``."""
        from imf.i18n import translate

        return translate(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.render("en")


class ConfigError(ImfError):
    """The configuration is malformed, has unknown keys, wrong types or a missing secret."""

    exit_code = 2


class UsageError(ImfError):
    """A command was given a value it cannot accept (an invalid severity, role, status...)."""

    exit_code = 2


class NotFoundError(ImfError):
    """An incident (or another named object) does not exist."""

    exit_code = 3


class ConflictError(ImfError):
    """The incident changed under us (optimistic concurrency) or the change is not allowed now."""

    exit_code = 4


class PluginError(ImfError):
    """A plugin failed to load, to validate, or was named but is not installed."""

    exit_code = 2


class StoreError(ImfError):
    """The store cannot be opened, migrated or written."""

    exit_code = 5


class DeliveryError(Exception):
    """Base of the errors a lifecycle hookimpl raises to report a failed delivery."""


class RetryableError(DeliveryError):
    """The delivery failed for now; the outbox retries it later.

    :param message: what went wrong (never include secrets).
    :param retry_after: seconds the remote asked us to wait (``Retry-After``), if any.
    """

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentError(DeliveryError):
    """The delivery can never succeed as it is (a 4xx, an invalid payload); it is marked dead."""
