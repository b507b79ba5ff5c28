"""The self-hosted static status page: a state file and atomically written pages.

A lifecycle delivery gives this backend one incident, not the store. So the output
directory keeps a small state file, ``.imf-state.json``, with the *public* record of every
incident the page has shown (title, impact, affected services, status, times and public
updates; nothing internal). Each delivery updates its incident's record and renders the
whole page from the state; ``imf statuspage build`` rewrites the state from the store.

Every file is written to a temporary file in the same directory and renamed over the old
one, so a web server never serves a half-written page. A lock file serializes writers.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import imf
from imf_statuspage.config import StaticConfig, StatuspageConfig
from imf_statuspage.messages import translate
from imf_statuspage.page import Site, records_of, render_json, render_pages, slug
from imf_statuspage.public import (
    entries_of_events,
    entries_of_incident,
    entry_of_event,
    merge_entries,
)

STATE_FILE = ".imf-state.json"
LOCK_FILE = ".imf-state.lock"
STATE_VERSION = 1

_locks_guard = threading.Lock()
_locks: dict[str, threading.Lock] = {}


def output_dir(config: StaticConfig) -> Path:
    """The configured output directory (``~`` expanded; relative to the working directory)."""
    return Path(config.output_dir).expanduser()


@contextmanager
def locked(directory: Path) -> Iterator[None]:
    """Hold the page's lock: between threads of this process and, where the platform has
    ``fcntl``, between processes."""
    directory.mkdir(parents=True, exist_ok=True)
    with _locks_guard:
        thread_lock = _locks.setdefault(str(directory.resolve()), threading.Lock())
    with thread_lock, open(directory / LOCK_FILE, "a+b") as handle:
        try:
            import fcntl
        except ImportError:  # Windows: threads of one process are still serialized
            yield
            return
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def empty_state() -> dict[str, Any]:
    """A state with no incidents."""
    return {"version": STATE_VERSION, "incidents": {}}


def load_state(directory: Path) -> dict[str, Any]:
    """The state kept in ``directory`` (empty when there is none yet)."""
    path = directory / STATE_FILE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return empty_state()
    except (OSError, ValueError) as exc:
        raise imf.RetryableError(
            translate("statuspage.bad_state", "en", path=path, reason=_reason(exc))
            + "; run 'imf statuspage build' to rewrite it"
        ) from None
    if not isinstance(state, dict) or not isinstance(state.get("incidents"), dict):
        raise imf.RetryableError(
            translate("statuspage.bad_state", "en", path=path, reason="unexpected content")
            + "; run 'imf statuspage build' to rewrite it"
        )
    return state


def public_services(incident: imf.Incident, config: StaticConfig | None) -> list[str]:
    """The incident's services the page may name: the listed components when ``components``
    is configured (internal service names never reach the output directory), else all."""
    if config is None or not config.components:
        return list(incident.services)
    return [service for service in incident.services if service in config.components]


def record_of(
    incident: imf.Incident,
    settings: StatuspageConfig,
    policy: imf.SeverityPolicy | None,
    seq: int,
) -> dict[str, Any]:
    """The public fields of ``incident`` as of event ``seq`` (its updates come separately)."""
    return {
        "id": incident.id,
        "title": incident.title,
        "impact": settings.impact_of(incident.severity, policy),
        "component_status": settings.component_status_of(incident.severity, policy),
        "services": public_services(incident, settings.static),
        "status": incident.status.value,
        "declared_at": incident.declared_at.isoformat(),
        "resolved_at": incident.resolved_at.isoformat() if incident.resolved_at else None,
        "seq": seq,
    }


def write_site(
    directory: Path,
    state: Mapping[str, Any],
    config: StaticConfig,
    lang: str,
    organization: str,
    now: datetime,
) -> None:
    """Render every page of ``state`` into ``directory``, then save the state."""
    languages = tuple(config.languages) or (lang,)
    records = records_of(state)
    files: dict[str, str] = {}
    for language in languages:
        site = Site(config, language, languages, organization, now)
        files.update(render_pages(site, records))
    files["status.json"] = render_json(
        Site(config, languages[0], languages, organization, now), records
    )
    # Incident pages first, then the pages linking to them, then the state.
    for name in sorted(files, key=lambda n: ("incidents/" not in n, n)):
        imf.write_atomic(directory / name, files[name])
    imf.write_atomic(directory / STATE_FILE, json.dumps(state, ensure_ascii=False, indent=1) + "\n")


def publish(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext, config: StaticConfig
) -> dict[str, Any]:
    """Show ``event`` on the page configured by ``config`` and return this backend's
    references."""
    settings: StatuspageConfig = ctx.config
    directory = output_dir(config)
    try:
        with locked(directory):
            state = load_state(directory)
            previous = state["incidents"].get(incident.id) or {}
            event_entry = entry_of_event(event)
            entries = merge_entries(
                previous.get("entries", ()),
                entries_of_incident(incident),
                [event_entry] if event_entry is not None else [],
            )
            if event.seq >= int(previous.get("seq", 0)):
                record = record_of(incident, settings, ctx.policy, event.seq)
            else:  # an older event delivered late must not turn the page back
                record = dict(previous)
            state["incidents"][incident.id] = {**record, "entries": entries}
            write_site(directory, state, config, ctx.lang, ctx.organization, ctx.now)
    except OSError as exc:
        raise imf.RetryableError(
            translate("statuspage.cannot_write", "en", path=directory, reason=_reason(exc))
        ) from None
    return {"page": f"incidents/{slug(incident.id)}.html"}


def page_url(config: StaticConfig, incident_id: str) -> str | None:
    """The public URL of an incident's page, when ``base_url`` is configured."""
    if not config.base_url:
        return None
    return f"{config.base_url.rstrip('/')}/incidents/{slug(incident_id)}.html"


def build(app: Any, name: str, config: StaticConfig) -> dict[str, Any]:
    """Rewrite the page configured by ``config`` and its state from the store of ``app`` (an
    :class:`imf.App` in which this plugin is called ``name``); return a summary (``path``,
    ``count``, ``open``)."""
    settings: StatuspageConfig = app.plugin_configs[name]
    directory = output_dir(config)
    state = empty_state()
    for incident in app.store.incidents():
        if not (settings.is_public(incident) or name in incident.refs):
            continue
        events = app.store.events(incident.id)
        record = record_of(incident, settings, app.policy, events[-1].seq if events else 0)
        state["incidents"][incident.id] = {**record, "entries": entries_of_events(events)}
    try:
        with locked(directory):
            write_site(
                directory, state, config, app.lang, app.config.core.organization, app.clock()
            )
    except OSError as exc:
        raise imf.ImfError("statuspage.cannot_write", path=directory, reason=_reason(exc)) from None
    incidents = state["incidents"].values()
    return {
        "path": str(directory),
        "count": len(incidents),
        "open": sum(1 for record in incidents if record["status"] != "resolved"),
    }


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or " ".join(str(exc).split()) or type(exc).__name__
