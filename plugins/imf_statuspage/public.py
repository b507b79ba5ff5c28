"""What customers may see of an incident: its public updates and neutral default wording.

Internal fields (summaries, notes, next steps, roles) never leave imf through this plugin.
A public update is the text a responder wrote for customers (``imf update --public``,
``imf resolve --public``); when there is none, a neutral message for the status is shown in
the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import imf
from imf_statuspage.messages import translate

#: Event kinds that add a public update.
PUBLIC_KINDS = frozenset({"declared", "update_posted", "resolved", "reopened"})


def neutral(message: str, lang: str) -> str:
    """The neutral public wording ``message`` (a status or ``reopened``) in ``lang``."""
    return translate(f"statuspage.public.{message}", lang)


def entry_of_event(event: imf.Event) -> dict[str, Any] | None:
    """The public update an event adds, or None (escalations, roles, notes add none).

    An entry is ``{"key", "at", "status", "text", "message"}``: ``text`` is the public text
    written by a responder (may be empty), ``message`` the neutral wording used without it.
    ``key`` identifies the entry, so delivering an event twice never adds it twice.
    """
    data: Mapping[str, Any] = event.data
    if event.kind == "declared":
        status = str(data.get("status", "investigating"))
        return _entry("declared", event.at, status, "", status)
    if event.kind == "update_posted":
        status = str(data["status"])
        return _entry(f"u{data['number']}", event.at, status, data.get("public", ""), status)
    if event.kind == "resolved":
        return _entry(f"e{event.seq}", event.at, "resolved", data.get("public", ""), "resolved")
    if event.kind == "reopened":
        status = str(data.get("status", "investigating"))
        return _entry(f"e{event.seq}", event.at, status, "", "reopened")
    return None


def entries_of_incident(incident: imf.Incident) -> list[dict[str, Any]]:
    """The public updates that can be read back from an incident: its declaration and every
    status update (resolutions and reopenings live only in their events)."""
    entries = [_entry("declared", incident.declared_at, "investigating", "", "investigating")]
    for update in incident.updates:
        status = update.status.value
        entries.append(_entry(f"u{update.number}", update.at, status, update.public, status))
    return entries


def entries_of_events(events: Iterable[imf.Event]) -> list[dict[str, Any]]:
    """Every public update of an incident's event log, oldest first."""
    return [entry for entry in map(entry_of_event, events) if entry is not None]


def merge_entries(*groups: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries of all ``groups`` by key (later groups win), ordered by time."""
    merged: dict[str, dict[str, Any]] = {}
    for group in groups:
        for entry in group:
            merged[entry["key"]] = entry
    return sorted(merged.values(), key=lambda entry: (parse_time(entry["at"]), entry["key"]))


def body_of(entry: Mapping[str, Any], lang: str) -> str:
    """The text shown for ``entry``: the responder's public text, else the neutral wording."""
    text = str(entry.get("text") or "").strip()
    return text or neutral(str(entry["message"]), lang)


def parse_time(value: str) -> datetime:
    """An ISO time written by this plugin, as an aware datetime (UTC when naive)."""
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _entry(key: str, at: datetime, status: str, text: str, message: str) -> dict[str, Any]:
    return {
        "key": key,
        "at": at.isoformat(),
        "status": status,
        "text": text.strip(),
        "message": message,
    }
