"""Incident commands: show, update, escalate, assign, note, resolve, reopen (``declare`` and
``list`` have modules of their own: each command imports only what it runs)."""

from __future__ import annotations

from typing import Any

import click

from imf.cli.common import (
    app_of,
    done,
    echo_json,
    fmt_duration,
    fmt_time,
    incident_id,
    json_option,
    parse_when,
    strict_option,
    t,
)
from imf.cli.ics import (
    attention,
    attention_data,
    hh,
    interactive,
    print_attention,
)
from imf.cli.main import h


def _render_show(app: Any, incident: Any, events: list[Any], deliveries: list[Any]) -> None:
    from imf.cli.render import describe_event

    level = app.policy.find(incident.severity)
    click.echo(f"{incident.id}  [{incident.severity}] {incident.title}")
    title = level.title(app.lang) if level else incident.severity
    click.echo(f"  {t('cli.field.severity')}: {incident.severity} ({title})")
    click.echo(f"  {t('cli.field.status')}: {t('core.status.' + incident.status.value)}")
    if incident.services:
        click.echo(f"  {t('cli.field.services')}: {', '.join(incident.services)}")
    if incident.customer_facing:
        click.echo(f"  {t('cli.field.customer_facing')}: {t('cli.yes')}")
    if incident.summary:
        click.echo(f"  {t('cli.field.summary')}: {incident.summary}")
    if incident.customer_impact:
        click.echo(f"  {t('cli.field.impact')}: {incident.customer_impact}")
    click.echo(
        f"  {t('cli.field.declared')}: {fmt_time(incident.declared_at)} ({incident.declared_by})"
    )
    for name in ("detected_at", "acknowledged_at", "mitigated_at", "resolved_at"):
        value = getattr(incident, name)
        if value is not None:
            click.echo(f"  {t('cli.field.' + name)}: {fmt_time(value)}")
    if incident.roles:
        click.echo(f"  {t('cli.field.roles')}:")
        for role, people in incident.roles.items():
            click.echo(f"    {t('core.role.' + role)}: {', '.join(people)}")
    print_attention(app, incident)
    links = incident.links
    for label, url in links.items():
        click.echo(f"  {label}: {url}")
    if deliveries:
        click.echo(f"  {t('cli.field.deliveries')}:")
        for plugin, state in _delivery_states(deliveries).items():
            click.echo(f"    {plugin}: {state}")
    click.echo(f"  {t('cli.field.timeline')}:")
    for event in events:
        click.echo(f"    {fmt_time(event.at)}  {event.actor}: {describe_event(event, app.lang)}")


def _delivery_states(deliveries: list[Any]) -> dict[str, str]:
    states: dict[str, dict[str, int]] = {}
    errors: dict[str, str] = {}
    for d in deliveries:
        counts = states.setdefault(d.plugin, {})
        counts[d.state] = counts.get(d.state, 0) + 1
        if d.state != "delivered" and d.last_error:
            errors[d.plugin] = d.last_error
    result = {}
    for plugin, counts in states.items():
        text = ", ".join(f"{t('cli.delivery_state.' + s)} {n}" for s, n in sorted(counts.items()))
        if plugin in errors:
            text += f" — {errors[plugin]}"
        result[plugin] = text
    return result


@click.command(help=h("cmd.show"))
@click.argument("incident")
@json_option
def show(incident: str, as_json: bool) -> None:
    app = app_of()
    found = app.store.get(incident_id(incident))
    events = app.store.events(found.id)
    deliveries = app.store.deliveries(incident_id=found.id, states=("pending", "dead", "delivered"))
    if as_json:
        echo_json(
            {
                "incident": found,
                "timeline": events,
                "deliveries": deliveries,
                "attention": attention_data(attention(app, found)),
            }
        )
        return
    _render_show(app, found, events, deliveries)


@click.command(help=h("cmd.update"))
@click.argument("incident")
@click.option("--status", help=h("opt.status"))
@click.option("--summary", default="", help=h("opt.update_summary"))
@click.option("--since-last", multiple=True, help=h("opt.since_last"))
@click.option(
    "--root-cause",
    type=click.Choice(["known", "suspected", "under-investigation"]),
    help=h("opt.root_cause"),
)
@click.option("--impact", default="", help=h("opt.update_impact"))
@click.option("--eta", default="", help=h("opt.eta"))
@click.option("--next-step", "next_steps", multiple=True, help=h("opt.next_step"))
@click.option("--next-update", metavar="TIME", help=h("opt.next_update"))
@click.option("--public", default="", help=h("opt.public"))
@click.option("--interactive", "prompt", is_flag=True, help=hh("opt.interactive"))
@click.option("--no-input", is_flag=True, help=hh("opt.no_input_update"))
@click.option("--preview", is_flag=True, help=hh("opt.preview"))
@json_option
@strict_option
def update(
    incident: str,
    status: str | None,
    summary: str,
    since_last: tuple[str, ...],
    root_cause: str | None,
    impact: str,
    eta: str,
    next_steps: tuple[str, ...],
    next_update: str | None,
    public: str,
    prompt: bool,
    no_input: bool,
    preview: bool,
    as_json: bool,
    strict: bool,
) -> None:
    from imf.cli.communication import preview_update, prompt_update

    app = app_of()
    wanted = incident_id(incident)
    fields: dict[str, Any] = {
        "status": status,
        "summary": summary,
        "since_last": since_last,
        "root_cause": root_cause,
        "impact": impact,
        "eta": eta,
        "next_steps": next_steps,
        "next_update": next_update,
        "public": public,
    }
    if interactive(no_input, prompt) and not any(fields.values()):
        fields = prompt_update(app, app.store.get(wanted))
    if preview:
        preview_update(app, wanted, fields, as_json)
        return
    found, report = app.service.update(
        wanted,
        status=fields["status"],
        summary=fields["summary"],
        since_last=fields["since_last"],
        root_cause=fields["root_cause"],
        impact=fields["impact"],
        eta=fields["eta"],
        next_steps=fields["next_steps"],
        next_update_at=(
            parse_when(fields["next_update"], app.clock()) if fields["next_update"] else None
        ),
        public=fields["public"],
    )
    last = found.last_update
    done(
        found,
        report,
        as_json,
        strict,
        t(
            "cli.updated",
            id=found.id,
            number=last.number,
            status=t("core.status." + last.status.value),
        ),
    )


@click.command(help=h("cmd.escalate"))
@click.argument("incident")
@click.option("-s", "--severity", required=True, help=h("opt.new_severity"))
@click.option("--reason", default="", help=h("opt.reason"))
@json_option
@strict_option
def escalate(incident: str, severity: str, reason: str, as_json: bool, strict: bool) -> None:
    app = app_of()
    found, report = app.service.escalate(incident_id(incident), severity, reason=reason)
    done(found, report, as_json, strict, t("cli.escalated", id=found.id, severity=found.severity))


@click.command(help=h("cmd.assign"))
@click.argument("incident")
@click.argument("role")
@click.argument("who")
@json_option
@strict_option
def assign(incident: str, role: str, who: str, as_json: bool, strict: bool) -> None:
    app = app_of()
    found, report = app.service.assign(incident_id(incident), role, who)
    from imf.lifecycle import normalize_role

    role = normalize_role(role)
    done(
        found,
        report,
        as_json,
        strict,
        t("cli.assigned", id=found.id, role=t("core.role." + role), who=who),
    )


@click.command(help=h("cmd.unassign"))
@click.argument("incident")
@click.argument("role")
@click.argument("who", required=False)
@json_option
@strict_option
def unassign(incident: str, role: str, who: str | None, as_json: bool, strict: bool) -> None:
    app = app_of()
    found, report = app.service.unassign(incident_id(incident), role, who)
    from imf.lifecycle import normalize_role

    done(
        found,
        report,
        as_json,
        strict,
        t("cli.unassigned", id=found.id, role=t("core.role." + normalize_role(role))),
    )


@click.command(help=h("cmd.ack"))
@click.argument("incident")
@json_option
def ack(incident: str, as_json: bool) -> None:
    app = app_of()
    found, report = app.service.acknowledge(incident_id(incident))
    done(found, report, as_json, False, t("cli.acknowledged", id=found.id))


@click.command(help=h("cmd.note"))
@click.argument("incident")
@click.argument("text")
@click.option("--key", is_flag=True, help=h("opt.key_note"))
@json_option
def note(incident: str, text: str, key: bool, as_json: bool) -> None:
    app = app_of()
    found, report = app.service.note(incident_id(incident), text, key=key)
    done(found, report, as_json, False, t("cli.noted", id=found.id))


@click.command(help=h("cmd.resolve"))
@click.argument("incident")
@click.option("--summary", default="", help=h("opt.resolve_summary"))
@click.option("--public", default="", help=h("opt.public"))
@click.option("--force", "force_reason", metavar="REASON", default="", help=h("opt.force"))
@json_option
@strict_option
def resolve(
    incident: str, summary: str, public: str, force_reason: str, as_json: bool, strict: bool
) -> None:
    app = app_of()
    found, report = app.service.resolve(
        incident_id(incident), summary=summary, public=public, force_reason=force_reason
    )
    duration = fmt_duration(found.resolved_at - found.declared_at)
    done(found, report, as_json, strict, t("cli.resolved", id=found.id, duration=duration))


@click.command(help=h("cmd.reopen"))
@click.argument("incident")
@click.option("--reason", default="", help=h("opt.reason"))
@json_option
@strict_option
def reopen(incident: str, reason: str, as_json: bool, strict: bool) -> None:
    app = app_of()
    found, report = app.service.reopen(incident_id(incident), reason=reason)
    done(found, report, as_json, strict, t("cli.reopened", id=found.id))
