"""Writing the brief and the post-mortem: where, under which name, and what changed.

Each incident has one brief file, updated in place on every lifecycle event, and (once
published) one post-mortem file. Their names are kept in the plugin's references on the
incident, so later events update the same files. Next to the brief, a hidden sidecar
(``.{name}.json``) keeps the facts the last version was written from: the "changes since
the previous version" section compares against it. A delivery repeated after a crash finds
its own event number in the sidecar and compares against the same previous facts again, so
the result is the same file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

import imf
from imf_markdown import brief, files

#: How many reminders the brief's "alerts" keeps.
ALERTS_KEPT = 10


def output_dir(config: Any) -> str:
    """``[plugins.markdown] output_dir`` (``~`` expanded; relative paths against the working
    directory), or ``documents`` in the user data directory."""
    configured = getattr(config, "output_dir", "") or ""
    if configured:
        return os.path.abspath(os.path.expanduser(configured))
    return os.path.join(imf.user_data_dir(), "documents")


def _name(refs: Mapping[str, Any], key: str, incident: imf.Incident, kind: str = "") -> str:
    """The stored name of the document (when it is a safe one), else the name it gets."""
    stored = refs.get(key)
    if isinstance(stored, str) and stored and stored == files.safe_filename(stored):
        return stored
    return files.document_name(incident.declared_at, incident.id, incident.title, kind)


def _sidecar(path: str) -> str:
    folder, name = os.path.split(path)
    return os.path.join(folder, f".{name}.json")


def _read_sidecar(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: str, text: str, ctx: imf.PluginContext) -> None:
    try:
        imf.write_atomic(path, text)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise imf.RetryableError(ctx.t("markdown.error.write", path=path, reason=reason)) from None


def write_brief(incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> dict[str, Any]:
    """Write (or rewrite) the incident brief; return the references to keep."""
    folder = output_dir(ctx.config)
    name = _name(ctx.refs, "brief", incident)
    path = files.inside(folder, name)
    side = _read_sidecar(_sidecar(path))
    repeated = side.get("seq") == event.seq
    if repeated:
        base, version = side.get("previous"), int(side.get("version", 1))
        alerts = list(side.get("alerts", []))
    else:
        base = side.get("state") if side else None
        version = int(side.get("version", 0)) + 1
        alerts = list(side.get("alerts", []))
        if event.kind == "reminder":
            alerts.append({"at": brief.utc(event.at), "reason": str(event.data.get("reason", ""))})
            alerts = alerts[-ALERTS_KEPT:]
    current = brief.state(incident, ctx.t)
    text = brief.render(
        incident,
        event,
        t=ctx.t,
        lang=ctx.lang,
        policy=ctx.policy,
        now=ctx.now,
        version=version,
        change_lines=brief.changes(base, current, ctx.t),
        alerts=alerts,
    )
    _write(path, text, ctx)
    record = {"seq": event.seq, "version": version, "state": current, "previous": base}
    record["alerts"] = alerts
    _write(_sidecar(path), json.dumps(record, ensure_ascii=False, indent=1) + "\n", ctx)
    return {"brief": name, "links": {ctx.t("markdown.link.brief"): files.file_uri(path)}}


def write_postmortem(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> dict[str, Any]:
    """Write the post-mortem document; return the references to keep."""
    folder = output_dir(ctx.config)
    name = _name(ctx.refs, "postmortem", incident, "postmortem")
    path = files.inside(folder, name)
    from imf_markdown import postmortem  # only publishing writes one

    found = imf.postmortem_facts(incident, event, ctx.lang, ctx.policy)
    _write(path, postmortem.render(incident, found, ctx.t), ctx)
    return {"postmortem": name, "links": {ctx.t("markdown.link.postmortem"): files.file_uri(path)}}
