"""Markdown documents: the running incident brief and the post-mortem, as files.

Bundled and active by default (``[plugins.markdown] enabled = false`` turns it off). Every
lifecycle event rewrites the incident's brief — the methodology's working document: goal and
context, diagnosis and classification, action plan and command, metrics and alerts, RCA and
improvements, TODO, and what changed since the previous version. Publishing the post-mortem
also writes it in the methodology's structure. Files are named ``{timestamp}_{slug}.md`` in
``output_dir`` (default: ``documents`` in the user data directory) and written atomically;
the language is the organization's (``[imf] language``). See ``docs/plugins/markdown.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

import imf
from imf_markdown import messages

__all__ = ["CATALOG", "IMF_ACTIVE_BY_DEFAULT", "MarkdownConfig"]

#: Local documents need no configuration: the plugin is active unless switched off.
IMF_ACTIVE_BY_DEFAULT = True

CATALOG = messages.CATALOG


@attrs.frozen
class MarkdownConfig:
    """``[plugins.markdown]``.

    :ivar output_dir: where documents are written (``~`` expanded; a relative path is taken
        from the working directory of the process that delivers); empty: ``documents`` in the
        user data directory.
    :ivar brief: write the running incident brief.
    :ivar postmortem: write the post-mortem when it is published.
    """

    output_dir: str = ""
    brief: bool = True
    postmortem: bool = True


@imf.hookimpl
def imf_config_class() -> type:
    """``[plugins.markdown]`` is validated by :class:`MarkdownConfig`."""
    return MarkdownConfig


def _refresh(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext, *, postmortem: bool = False
) -> Mapping[str, Any] | None:
    from imf_markdown import documents  # imported when a document is written, not at start-up

    config = ctx.config or MarkdownConfig()
    refs: dict[str, Any] = {k: v for k, v in ctx.refs.items() if k != "links"}
    links = dict(ctx.refs.get("links", {}))
    written = []
    if config.brief:
        written.append(documents.write_brief(incident, event, ctx))
    if postmortem and config.postmortem:
        written.append(documents.write_postmortem(incident, event, ctx))
    if not written:
        return None
    for part in written:
        links.update(part.pop("links", {}))
        refs.update(part)
    refs["links"] = links
    return refs


@imf.hookimpl
def imf_declare(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> Mapping[str, Any] | None:
    """Write the first version of the brief."""
    return _refresh(incident, event, ctx)


@imf.hookimpl
def imf_escalate(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> Mapping[str, Any] | None:
    """Rewrite the brief with the new severity."""
    return _refresh(incident, event, ctx)


@imf.hookimpl
def imf_update(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> Mapping[str, Any] | None:
    """Rewrite the brief with the new status update."""
    return _refresh(incident, event, ctx)


@imf.hookimpl
def imf_assign(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> Mapping[str, Any] | None:
    """Rewrite the brief with the roles as they are now."""
    return _refresh(incident, event, ctx)


@imf.hookimpl
def imf_resolve(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> Mapping[str, Any] | None:
    """Rewrite the brief for the resolved incident (with the post-mortem to-do)."""
    return _refresh(incident, event, ctx)


@imf.hookimpl
def imf_reopen(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> Mapping[str, Any] | None:
    """Rewrite the brief for the reopened incident."""
    return _refresh(incident, event, ctx)


@imf.hookimpl
def imf_remind(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> Mapping[str, Any] | None:
    """Record the reminder under "metrics and alerts" in the brief."""
    return _refresh(incident, event, ctx)


@imf.hookimpl
def imf_postmortem(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> Mapping[str, Any] | None:
    """Write the post-mortem document and refresh the brief's RCA section."""
    return _refresh(incident, event, ctx, postmortem=True)
