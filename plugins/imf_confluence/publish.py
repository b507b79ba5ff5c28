"""Publishing a post-mortem: create the page once, then update that same page.

The page id, version, space, title and labels are returned as references and come back in
``ctx.refs`` on the next publish, which updates the page with version + 1; a 409 (someone
edited it, or our last write landed but its answer was lost) fetches the current version and
tries again. Without a stored id — the first publish, or a retry whose create answer never
arrived — the page is looked up by title in the space first, and adopted only when it
carries this incident's marker; a duplicate-title 400 on create does the same. An update that
would not change the page is skipped, so a repeated delivery adds no version.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import imf
from imf import postmortem_facts as facts
from imf_confluence import page, storage
from imf_confluence.api import Api, DuplicateTitle, Gone, Page, StaleVersion, connect
from imf_confluence.config import ConfluenceConfig

#: How many times a version conflict (409) is resolved by re-reading before giving up.
CONFLICT_ATTEMPTS = 3
LABEL_LIMIT = 255


def label(value: str) -> str:
    """A Confluence label: lower case, no spaces or reserved punctuation."""
    text = unicodedata.normalize("NFKC", value).casefold()
    text = re.sub(r"[^\w-]+", "-", text)
    return re.sub(r"-+", "-", text).strip("-_")[:LABEL_LIMIT]


def labels(incident: imf.Incident, config: ConfluenceConfig) -> list[str]:
    """``postmortem``, the severity, the services and the configured labels."""
    wanted = ["postmortem", incident.severity, *incident.services, *config.labels]
    return list(dict.fromkeys(name for name in map(label, wanted) if name))


def publish(incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> dict[str, Any]:
    """Create or update the post-mortem page; return the references to keep."""
    config: ConfluenceConfig = ctx.config
    api = connect(config, ctx)
    found = facts(incident, event, ctx.lang, ctx.policy)
    title = page.title(incident, found, ctx.t)
    try:
        body = page.render(incident, found, ctx.t, ctx.policy)
    except storage.MalformedStorage as exc:
        raise imf.PermanentError(ctx.t("confluence.malformed", reason=str(exc))) from None
    message = ctx.t("confluence.version_message", n=event.data.get("publication", 1))
    space = api.space(ctx.refs)
    stored = ctx.refs.get("page_id")
    result: Page | None = None
    if isinstance(stored, str) and stored:
        known = Page(id=stored, title=str(ctx.refs.get("title", "")), version=_int(ctx.refs))
        try:
            result = _update(api, known, title, body, message, ctx)
        except Gone:
            result = None  # deleted in Confluence: publish it again below
    if result is None:
        result = _create_or_adopt(api, space, title, body, message, incident, ctx)
    done = set(ctx.refs.get("labels", ())) if result.id == stored else set()
    wanted = labels(incident, config)
    api.add_labels(result.id, [name for name in wanted if name not in done])
    refs: dict[str, Any] = {
        "page_id": result.id,
        "version": result.version,
        "title": title,
        "labels": sorted(done | set(wanted)),
        "links": {ctx.t("confluence.link"): result.link} if result.link else {},
    }
    if config.api == "cloud" and not config.space_id:
        refs["space_id"] = space
    return refs


def _int(refs: Any) -> int:
    try:
        return int(refs.get("version", 1))
    except (TypeError, ValueError):
        return 1


def _create_or_adopt(
    api: Api,
    space: str,
    title: str,
    body: str,
    message: str,
    incident: imf.Incident,
    ctx: imf.PluginContext,
) -> Page:
    existing = api.find(space, title)
    if existing is None:
        try:
            return api.create(space, title, body)
        except DuplicateTitle:
            existing = api.find(space, title)
            if existing is None:
                raise imf.RetryableError(
                    ctx.t("confluence.duplicate_unseen", title=title)
                ) from None
    if page.marker(incident) not in (existing.body or api.get(existing.id).body):
        raise imf.PermanentError(ctx.t("confluence.title_taken", title=title))
    return _update(api, existing, title, body, message, ctx)


def _update(
    api: Api, known: Page, title: str, body: str, message: str, ctx: imf.PluginContext
) -> Page:
    for _ in range(CONFLICT_ATTEMPTS):
        if known.body and known.body == body and known.title == title:
            return known
        try:
            return api.update(known, title, body, known.version + 1, message)
        except StaleVersion:
            known = api.get(known.id)
    raise imf.RetryableError(ctx.t("confluence.conflict", attempts=CONFLICT_ATTEMPTS))
