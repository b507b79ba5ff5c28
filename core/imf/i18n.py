"""Message catalogs in English and Russian.

Every user-facing string lives in a :class:`Catalog`. A catalog belongs to a *domain* (the
first dotted part of its keys: ``core.incident_not_found`` is in domain ``core``). Plugins
create their own catalog at import time; the test suite checks that every catalog has every
key in both languages.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

LANGUAGES = ("en", "ru")
DEFAULT_LANGUAGE = "en"

_REGISTRY: dict[str, Catalog] = {}

# Core domains are imported on first use so that `imf --version` does not load them.
_CORE_DOMAINS = {
    "core": "imf.messages",
    "cli": "imf.cli.messages",
    "authoring": "imf.cli.authoring_messages",
    "store": "imf.store.messages",
    "postmortem": "imf.postmortem_messages",
    "ics": "imf.ics.messages",
}


class Catalog:
    """The messages of one domain, in every supported language.

    :param domain: the prefix of every key (``"teams"`` for ``"teams.card.title"``).
    :param messages: language code to ``{key: template}``; templates use ``str.format``
        fields, e.g. ``"Incident {id} not found"``.
    """

    def __init__(self, domain: str, **messages: Mapping[str, str]) -> None:
        self.domain = domain
        self.messages = {lang: dict(m) for lang, m in messages.items()}
        for lang, table in self.messages.items():
            for key in table:
                if not key.startswith(domain + "."):
                    raise ValueError(f"message key {key!r} ({lang}) is outside domain {domain!r}")
        _REGISTRY[domain] = self

    def missing(self) -> dict[str, set[str]]:
        """Keys present in some language but absent in another, per language."""
        every = set().union(*(set(t) for t in self.messages.values())) if self.messages else set()
        return {
            lang: every - set(self.messages.get(lang, {}))
            for lang in LANGUAGES
            if every - set(self.messages.get(lang, {}))
        }

    def get(self, key: str, lang: str) -> str | None:
        """The template of ``key`` in ``lang`` (falling back to English), or None."""
        table = self.messages.get(lang) or {}
        if key in table:
            return table[key]
        return self.messages.get(DEFAULT_LANGUAGE, {}).get(key)


def catalogs() -> dict[str, Catalog]:
    """Every registered catalog, loading the core ones first."""
    for domain in _CORE_DOMAINS:
        _load(domain)
    return dict(_REGISTRY)


def _load(domain: str) -> Catalog | None:
    if domain not in _REGISTRY and domain in _CORE_DOMAINS:
        importlib.import_module(_CORE_DOMAINS[domain])
    return _REGISTRY.get(domain)


def translate(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: Any) -> str:
    """Render message ``key`` in ``lang`` with ``params``; unknown keys render as the key."""
    catalog = _load(key.split(".", 1)[0])
    template = catalog.get(key, lang) if catalog else None
    if template is None:
        return key
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def normalize_language(value: str | None) -> str:
    """``"ru_RU.UTF-8"`` → ``"ru"``; anything unsupported → English."""
    if not value:
        return DEFAULT_LANGUAGE
    code = value.split(".")[0].split("_")[0].split("-")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE
