"""imf's hook specifications: the reference for plugin authors.

Every hook is prefixed ``imf_``. Hooks are grouped by when they run:

* **registration** hooks run when imf starts and tell it what a plugin offers;
* **decision** hooks (``firstresult``) answer a question for the core;
* **lifecycle** hooks run when an incident changes. They are never called as one
  ``pm.hook.imf_x()``: the core records one *delivery* per (event, plugin) in the outbox in
  the same transaction as the event, then calls each plugin's hookimpl on its own, in
  parallel, with a timeout, and retries failures later (``imf deliver``).

A hookimpl may declare any subset of a hook's arguments. ``ctx`` is a
:class:`imf.PluginContext` made for the plugin being called: its validated config, the
shared HTTP client, a logger, the language and the references it returned before.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import click

    from imf.context import PluginContext
    from imf.model import Event, Incident, SeverityPolicy

hookspec = pluggy.HookspecMarker("imf")

#: The marker of hook implementations (``imf.hookimpl``).
hookimpl = pluggy.HookimplMarker("imf")

# ---------------------------------------------------------------------------------------------
# Registration hooks
# ---------------------------------------------------------------------------------------------


@hookspec
def imf_config_class() -> type | None:
    """Return the attrs class that validates this plugin's ``[plugins.<name>]`` table.

    Every key of the table must be a field of the class (unknown keys are errors that name the
    file and the dotted key). A field whose value is a secret is declared with type
    :class:`imf.Secret`; the TOML gives it as ``{ env = "NAME" }`` or ``{ file = "PATH" }``.
    The validated instance reaches the plugin as ``ctx.config``. The key ``enabled`` is
    reserved (``enabled = false`` switches the plugin off) and need not be declared.

    Example::

        @attrs.frozen
        class WebhookConfig:
            url: str
            token: imf.Secret | None = None

        @imf.hookimpl
        def imf_config_class():
            return WebhookConfig
    """


@hookspec
def imf_default_config() -> Mapping[str, Any] | None:
    """Return configuration defaults shipped by an installed distribution.

    The mapping has the shape of an ``imf.toml`` file (``{"imf": {...}, "plugins": {...}}``)
    and is merged above imf's built-in defaults and below every configuration file, so an
    internal distribution can enable plugins, set severity levels or a playbook directory
    for a whole organization while users still override any value.
    """


@hookspec
def imf_cli_commands() -> Sequence[click.Command] | None:
    """Return click commands (or groups) to add to the ``imf`` CLI.

    Commands receive the running application with ``@click.pass_obj`` (an :class:`imf.App`):
    its ``store``, ``config``, ``service`` (the lifecycle API) and ``lang``. A command name
    that clashes with a core command is an error naming the plugin.
    """


@hookspec
def imf_checklists() -> Mapping[str, Any] | None:
    """Return checklists to add, or items to add to existing ones, by checklist name.

    Each value has the shape of an ``[imf.checklists.<name>]`` table (see
    :class:`imf.config.ChecklistConfig`): ``title``, ``items`` (each ``id``, ``text`` as a
    string or a table of language to text, optional ``section``, ``command``, ``role``,
    ``when``), ``remove``, ``replace``, ``when`` and ``gates_resolve``. Plugins' checklists are
    applied over the bundled ones and below the organization's configuration. Errors name the
    plugin.

    Example::

        @imf.hookimpl
        def imf_checklists():
            return {
                "verification": {
                    "items": [{"id": "cdn-purged", "text": {"en": "CDN cache purged",
                                                          "ru": "Кэш CDN сброшен"}}]
                }
            }
    """


@hookspec
def imf_playbook_dirs() -> Sequence[str | os.PathLike[str]] | None:
    """Return directories holding playbooks (``*.toml``) this plugin ships.

    Searched after the bundled playbooks and before the organization's ``[imf]
    playbook_dir``; a later playbook with the same name replaces an earlier one. Use
    :mod:`importlib.resources` to name a directory inside the plugin's package.
    """


# ---------------------------------------------------------------------------------------------
# Decision hooks (firstresult)
# ---------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def imf_severity_policy(ctx: PluginContext) -> SeverityPolicy | None:
    """Return the severity policy (levels, response targets, cadence, classification rules).

    The bundled ``severity`` plugin answers with the methodology's P1–P4, adjusted by its
    ``[plugins.severity]`` table. A plugin replaces it by answering first
    (``@imf.hookimpl(tryfirst=True)``) or by running with ``-p no:severity``.

    :param ctx: the context of the plugin being asked (its own config in ``ctx.config``).
    """


# ---------------------------------------------------------------------------------------------
# Lifecycle hooks (delivered through the outbox)
# ---------------------------------------------------------------------------------------------
# Each may return a mapping of references (a dedup key, a remote id, a page version). The core
# stores it on the incident under the plugin's name (``incident.refs[name]``) and passes it
# back as ``ctx.refs`` on later calls, so a plugin updates what it created instead of creating
# it again. Raise :class:`imf.RetryableError` (optionally with ``retry_after``) for a transient
# failure and :class:`imf.PermanentError` for one that will never succeed; any other exception
# counts as retryable. A delivery can be repeated after a crash: make it idempotent.


@hookspec
def imf_declare(incident: Incident, event: Event, ctx: PluginContext) -> Mapping[str, Any] | None:
    """An incident was declared (``event.kind == "declared"``).

    :param incident: the incident as it was right after this event.
    :param event: the ``declared`` event.
    :param ctx: this plugin's context.
    """


@hookspec
def imf_escalate(incident: Incident, event: Event, ctx: PluginContext) -> Mapping[str, Any] | None:
    """The severity changed, up or down (``event.kind == "escalated"``).

    ``event.data`` holds ``from``, ``to``, ``direction`` (``up`` or ``down``) and ``reason``.
    """


@hookspec
def imf_update(incident: Incident, event: Event, ctx: PluginContext) -> Mapping[str, Any] | None:
    """A status update was posted (``event.kind == "update_posted"``).

    The update itself is ``incident.updates[-1]`` at the time of the event; ``event.data``
    holds the same fields. ``update.public`` is the text meant for customers (status pages);
    the rest is internal.
    """


@hookspec
def imf_assign(incident: Incident, event: Event, ctx: PluginContext) -> Mapping[str, Any] | None:
    """An ICS role was assigned, handed over or released.

    ``event.kind`` is ``role_assigned`` or ``role_unassigned``; ``event.data`` holds ``role``,
    ``person`` and, on a handover, ``previous``.
    """


@hookspec
def imf_resolve(incident: Incident, event: Event, ctx: PluginContext) -> Mapping[str, Any] | None:
    """The incident was resolved (``event.kind == "resolved"``)."""


@hookspec
def imf_reopen(incident: Incident, event: Event, ctx: PluginContext) -> Mapping[str, Any] | None:
    """A resolved incident was reopened (``event.kind == "reopened"``)."""


@hookspec
def imf_postmortem(
    incident: Incident, event: Event, ctx: PluginContext
) -> Mapping[str, Any] | None:
    """The post-mortem was published (``event.kind == "postmortem_published"``).

    ``incident.postmortem`` is the document; export plugins (Confluence, Markdown) write it.
    Every later publish is a new event: update what you exported before (``ctx.refs``).
    """


@hookspec
def imf_remind(incident: Incident, event: Event, ctx: PluginContext) -> Mapping[str, Any] | None:
    """A response target, update cadence, role requirement or escalation rule was breached
    (``event.kind == "reminder"``), found by ``imf due``.

    ``event.data`` holds ``reason`` (``update_overdue``, ``ack_overdue``, ``roles_missing``,
    ``escalation_due``), ``due_at`` (ISO time) and ``detail`` (a mapping).
    """


# ---------------------------------------------------------------------------------------------
# Rendering hooks (called directly, never delivered)
# ---------------------------------------------------------------------------------------------


@hookspec
def imf_preview(incident: Incident, event: Event, ctx: PluginContext) -> str | None:
    """Return what this plugin would send for ``event`` (a card, a payload), as text, without
    sending anything. ``imf update --preview`` shows it; ``event`` is not stored.
    """


#: Lifecycle hook for each event kind that is delivered to plugins.
LIFECYCLE_HOOKS: dict[str, str] = {
    "declared": "imf_declare",
    "escalated": "imf_escalate",
    "update_posted": "imf_update",
    "role_assigned": "imf_assign",
    "role_unassigned": "imf_assign",
    "resolved": "imf_resolve",
    "reopened": "imf_reopen",
    "postmortem_published": "imf_postmortem",
    "reminder": "imf_remind",
}


@hookspec(firstresult=True)
def imf_store_backend(url: str) -> Any:
    """Return a store (an :class:`imf.store.Store`) for ``url``, or None if not yours.

    Asked only for URLs imf does not handle itself (``sqlite:///`` and ``postgresql://``).
    """
