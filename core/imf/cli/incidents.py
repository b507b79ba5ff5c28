"""Incident commands: declare, list, show, update, escalate, assign, note, resolve, reopen."""

from __future__ import annotations

from typing import Any

import click

from imf.cli.common import (
    app_of,
    echo_json,
    fmt_duration,
    fmt_time,
    incident_id,
    json_option,
    parse_when,
    report_deliveries,
    strict_option,
    t,
)
from imf.cli.ics import (
    attention,
    attention_data,
    declare_playbook,
    hh,
    interactive,
    print_attention,
    suggestion_lines,
    suggestions,
)
from imf.cli.main import h


def _done(
    incident: Any,
    report: Any,
    as_json: bool,
    strict: bool,
    message: str,
    extra: dict[str, Any] | None = None,
) -> None:
    if as_json:
        echo_json(
            {
                **(extra or {}),
                "incident": incident,
                "deliveries": [
                    {"plugin": o.plugin, "state": o.state, "error": o.error}
                    for o in report.outcomes
                ],
            }
        )
    else:
        click.echo(message)
    report_deliveries(report, strict)


@click.command(help=h("cmd.declare"))
@click.argument("title")
@click.option("-s", "--severity", help=h("opt.severity"))
@click.option("-S", "--service", "services", multiple=True, help=h("opt.service"))
@click.option("--customer-facing", is_flag=True, help=h("opt.customer_facing"))
@click.option("--summary", default="", help=h("opt.summary"))
@click.option("--impact", default="", help=h("opt.impact"))
@click.option("--tag", "tags", multiple=True, help=h("opt.tag"))
@click.option("--detected-at", metavar="TIME", help=h("opt.detected_at"))
@click.option("--users-affected", type=float, metavar="PCT", help=h("opt.users_affected"))
@click.option("--data-loss", is_flag=True, help=h("opt.data_loss"))
@click.option("--security", is_flag=True, help=h("opt.security"))
@click.option("--workaround", is_flag=True, help=h("opt.workaround"))
@click.option("--commander", metavar="NAME", help=h("opt.commander"))
@click.option("--playbook", "playbook_name", metavar="NAME", help=hh("opt.playbook"))
@json_option
@strict_option
def declare(
    title: str,
    severity: str | None,
    services: tuple[str, ...],
    customer_facing: bool,
    summary: str,
    impact: str,
    tags: tuple[str, ...],
    detected_at: str | None,
    users_affected: float | None,
    data_loss: bool,
    security: bool,
    workaround: bool,
    commander: str | None,
    playbook_name: str | None,
    as_json: bool,
    strict: bool,
) -> None:
    app = app_of()
    book = declare_playbook(app, playbook_name) if playbook_name else None
    incident, report = app.service.declare(
        title,
        severity=severity,
        services=[s for item in services for s in item.split(",") if s.strip()],
        customer_facing=customer_facing,
        summary=summary,
        customer_impact=impact,
        tags=tags,
        detected_at=parse_when(detected_at, app.clock()) if detected_at else None,
        users_affected=users_affected,
        data_loss=data_loss,
        security=security,
        workaround=workaround,
        commander=commander,
    )
    level = app.policy.level(incident.severity)
    message = t(
        "cli.declared",
        id=incident.id,
        severity=incident.severity,
        title=incident.title,
        level=level.title(app.lang),
        target=fmt_duration(level.response_target),
    )
    if book is not None:
        incident, _ = app.service.record(incident.id, "playbook_attached", {"playbook": book.name})
        message += "\n" + t("ics.playbook_attached_on_declare", name=book.name, id=incident.id)
    suggested = suggestions(app, incident)
    message = "\n".join([message, *suggestion_lines(incident, suggested)])
    _done(incident, report, as_json, strict, message, {"playbooks_suggested": suggested})


@click.command("list", help=h("cmd.list"))
@click.option("--all", "show_all", is_flag=True, help=h("opt.all"))
@click.option("-s", "--severity", help=h("opt.filter_severity"))
@click.option("--status", help=h("opt.filter_status"))
@click.option("-S", "--service", help=h("opt.filter_service"))
@click.option("--limit", type=click.IntRange(1), help=h("opt.limit"))
@json_option
def list_(
    show_all: bool,
    severity: str | None,
    status: str | None,
    service: str | None,
    limit: int | None,
    as_json: bool,
) -> None:
    app = app_of()
    if severity:
        severity = app.policy.level(severity).name
    if status:
        from imf.lifecycle import parse_status

        status = parse_status(status).value
    rows = app.store.rows(
        open_only=not show_all and not status,
        severity=severity,
        status=status,
        service=service,
        limit=limit,
    )
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo(t("cli.list_empty" if show_all else "cli.list_empty_open"))
        return
    header = (
        t("cli.col.id"),
        t("cli.col.sev"),
        t("cli.col.status"),
        t("cli.col.declared"),
        t("cli.col.title"),
    )
    lines = [
        (r.id, r.severity, t(f"core.status.{r.status}"), fmt_time(r.declared_at), r.title)
        for r in rows
    ]
    widths = [max(len(str(x[i])) for x in [header, *lines]) for i in range(4)]
    for line in [header, *lines]:
        click.echo(
            "  ".join(str(v).ljust(widths[i]) for i, v in enumerate(line[:4])) + "  " + line[4]
        )


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
    _done(
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
    _done(found, report, as_json, strict, t("cli.escalated", id=found.id, severity=found.severity))


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
    _done(
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

    _done(
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
    _done(found, report, as_json, False, t("cli.acknowledged", id=found.id))


@click.command(help=h("cmd.note"))
@click.argument("incident")
@click.argument("text")
@click.option("--key", is_flag=True, help=h("opt.key_note"))
@json_option
def note(incident: str, text: str, key: bool, as_json: bool) -> None:
    app = app_of()
    found, report = app.service.note(incident_id(incident), text, key=key)
    _done(found, report, as_json, False, t("cli.noted", id=found.id))


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
    _done(found, report, as_json, strict, t("cli.resolved", id=found.id, duration=duration))


@click.command(help=h("cmd.reopen"))
@click.argument("incident")
@click.option("--reason", default="", help=h("opt.reason"))
@json_option
@strict_option
def reopen(incident: str, reason: str, as_json: bool, strict: bool) -> None:
    app = app_of()
    found, report = app.service.reopen(incident_id(incident), reason=reason)
    _done(found, report, as_json, strict, t("cli.reopened", id=found.id))
