"""Texts given in several languages: ``"text"`` or ``{ en = "...", ru = "..." }``."""

from __future__ import annotations

from collections.abc import Mapping

from imf.i18n import DEFAULT_LANGUAGE

Text = Mapping[str, str]


def as_text(value: str | Mapping[str, str]) -> Text:
    """``value`` as a language table (a plain string is taken to be English)."""
    if isinstance(value, str):
        return {DEFAULT_LANGUAGE: value} if value else {}
    return {str(k): str(v) for k, v in value.items()}


def localize(text: Text, lang: str, *, incident_id: str = "") -> str:
    """The text in ``lang``, else English, else any language given; ``{id}`` becomes
    ``incident_id`` when one is given."""
    value = text.get(lang) or text.get(DEFAULT_LANGUAGE) or next(iter(text.values()), "")
    return value.replace("{id}", incident_id) if incident_id else value
