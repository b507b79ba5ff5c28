"""imf: an incident management framework.

The public API for plugin authors and for code that drives incidents. Names are loaded on
first use, so ``import imf`` stays cheap for the CLI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "hookimpl": "imf.hookspecs",
    "App": "imf.app",
    "IncidentService": "imf.lifecycle",
    "PluginContext": "imf.context",
    "Catalog": "imf.i18n",
    "Secret": "imf.secrets",
    "Incident": "imf.model",
    "Event": "imf.model",
    "Status": "imf.model",
    "StatusUpdate": "imf.model",
    "Note": "imf.model",
    "CheckState": "imf.model",
    "Postmortem": "imf.model",
    "ActionItem": "imf.model",
    "Why": "imf.model",
    "posted_update": "imf.model",
    "TimelineEntry": "imf.model",
    "SeverityLevel": "imf.model",
    "SeverityPolicy": "imf.model",
    "ClassificationRules": "imf.model",
    "Delivery": "imf.model",
    "ROLES": "imf.model",
    "parse_duration": "imf.validate",
    "parse_retry_after": "imf.http",
    "write_atomic": "imf.files",
    "user_data_dir": "imf.dirs",
    "PostmortemFacts": "imf.facts",
    "TimelineLine": "imf.facts",
    "postmortem_facts": "imf.facts",
    "format_span": "imf.clock",
    "format_utc": "imf.clock",
    "ImfError": "imf.errors",
    "ConfigError": "imf.errors",
    "UsageError": "imf.errors",
    "NotFoundError": "imf.errors",
    "ConflictError": "imf.errors",
    "PluginError": "imf.errors",
    "StoreError": "imf.errors",
    "DeliveryError": "imf.errors",
    "RetryableError": "imf.errors",
    "PermanentError": "imf.errors",
}

__all__ = [
    "ROLES",
    "ActionItem",
    "App",
    "Catalog",
    "CheckState",
    "ClassificationRules",
    "ConfigError",
    "ConflictError",
    "Delivery",
    "DeliveryError",
    "Event",
    "ImfError",
    "Incident",
    "IncidentService",
    "NotFoundError",
    "Note",
    "PermanentError",
    "PluginContext",
    "PluginError",
    "Postmortem",
    "PostmortemFacts",
    "RetryableError",
    "Secret",
    "SeverityLevel",
    "SeverityPolicy",
    "Status",
    "StatusUpdate",
    "StoreError",
    "TimelineEntry",
    "TimelineLine",
    "UsageError",
    "Why",
    "__version__",
    "format_span",
    "format_utc",
    "hookimpl",
    "parse_duration",
    "parse_retry_after",
    "posted_update",
    "postmortem_facts",
    "user_data_dir",
    "write_atomic",
]

if TYPE_CHECKING:
    from imf.app import App
    from imf.clock import format_span, format_utc
    from imf.context import PluginContext
    from imf.dirs import user_data_dir
    from imf.errors import (
        ConfigError,
        ConflictError,
        DeliveryError,
        ImfError,
        NotFoundError,
        PermanentError,
        PluginError,
        RetryableError,
        StoreError,
        UsageError,
    )
    from imf.facts import PostmortemFacts, TimelineLine, postmortem_facts
    from imf.files import write_atomic
    from imf.hookspecs import hookimpl
    from imf.http import parse_retry_after
    from imf.i18n import Catalog
    from imf.lifecycle import IncidentService
    from imf.model import (
        ROLES,
        ActionItem,
        CheckState,
        ClassificationRules,
        Delivery,
        Event,
        Incident,
        Note,
        Postmortem,
        SeverityLevel,
        SeverityPolicy,
        Status,
        StatusUpdate,
        TimelineEntry,
        Why,
        posted_update,
    )
    from imf.secrets import Secret
    from imf.validate import parse_duration


def __getattr__(name: str) -> Any:
    from imf.lazy import attribute_loader

    return attribute_loader("imf", _EXPORTS, globals())(name)


def __dir__() -> list[str]:
    return __all__
