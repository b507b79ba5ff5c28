"""What a plugin is handed when the core calls it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from attrs import define, field

from imf.clock import utcnow

if TYPE_CHECKING:
    import logging

    from imf.http import HttpClient
    from imf.model import SeverityPolicy


def logger(name: str) -> logging.Logger:
    """The logger ``name`` (under ``imf``); logging is imported on the first one asked for,
    and the ``imf`` logger gets a null handler so that nothing is printed unless the
    application configures logging (``IMF_DEBUG=1`` does)."""
    import logging

    root = logging.getLogger("imf")
    if not any(isinstance(h, logging.NullHandler) for h in root.handlers):
        root.addHandler(logging.NullHandler())
    return logging.getLogger(name)


@define
class PluginContext:
    """The context of one plugin for one call.

    :ivar name: the plugin's name (its entry-point name, e.g. ``teams``).
    :ivar config: the plugin's validated config (an instance of the class it registered with
        ``imf_config_class``), or None when it registered none.
    :ivar lang: the organization's language (``en`` or ``ru``).
    :ivar log: a logger named ``imf.plugin.<name>`` (made on first use); it never receives
        secrets from imf.
    :ivar policy: the active severity policy (None only while the policy itself is asked).
    :ivar refs: what this plugin returned for this incident before (``{}`` at first).
    :ivar organization: the organization name from ``[imf] organization``.
    :ivar timeout: seconds this call may take before the core gives up on it.
    :ivar now: the time of the call.
    """

    name: str
    config: Any = None
    lang: str = "en"
    _log: logging.Logger | None = field(default=None, alias="log")
    policy: SeverityPolicy | None = None
    refs: Mapping[str, Any] = field(factory=dict)
    organization: str = ""
    timeout: float = 10.0
    now: datetime = field(factory=utcnow)

    @property
    def log(self) -> logging.Logger:
        """A logger named ``imf.plugin.<name>`` (or the one given as ``log=``)."""
        if self._log is None:
            self._log = logger(f"imf.plugin.{self.name}")
        return self._log

    @property
    def http(self) -> HttpClient:
        """The process-wide HTTP client (httpx), created on first use."""
        from imf.http import shared_client

        return shared_client()

    def t(self, key: str, /, **params: Any) -> str:
        """Translate message ``key`` into this context's language."""
        from imf.i18n import translate

        return translate(key, self.lang, **params)
