"""``imf due``: overdue updates, acknowledgements, missing roles and escalations."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import click

from imf.cli.common import (
    app_of,
    echo_json,
    fmt_duration,
    fmt_time,
    json_option,
    report_deliveries,
    t,
)
from imf.cli.ics import describe_breach, hh


def _breach_data(breach: Any, now: datetime, reminded: bool) -> dict[str, Any]:
    return {
        "incident": breach.incident_id,
        "severity": breach.severity,
        "title": breach.title,
        "reason": breach.reason,
        "due_at": breach.due_at.isoformat(),
        "overdue_seconds": round((now - breach.due_at).total_seconds(), 3),
        "detail": dict(breach.detail),
        "reminded": reminded,
    }


def _list(app: Any, as_json: bool) -> None:
    from imf.ics.due import next_update_due, reminded, scan

    now = app.clock()
    found = scan(app, now)
    breaches = []
    upcoming = []
    for incident, items in found:
        done = reminded(app.store.events(incident.id)) if items else set()
        breaches += [(b, b.key in done) for b in items]
        level = app.policy.find(incident.severity)
        if level is not None and not any(b.reason == "update_overdue" for b in items):
            upcoming.append((incident, next_update_due(incident, level)))
    if as_json:
        echo_json(
            {
                "now": now.isoformat(),
                "breaches": [_breach_data(b, now, r) for b, r in breaches],
                "upcoming": [
                    {
                        "incident": i.id,
                        "severity": i.severity,
                        "title": i.title,
                        "next_update_at": due.isoformat(),
                    }
                    for i, due in upcoming
                ],
            }
        )
        return
    if not breaches:
        click.echo(t("ics.nothing_due"))
    current = None
    for breach, was_reminded in breaches:
        if breach.incident_id != current:
            click.echo(f"{breach.incident_id} [{breach.severity}] {breach.title}")
            current = breach.incident_id
        mark = f" ({t('ics.reminded')})" if was_reminded else ""
        click.echo(f"  ! {describe_breach(breach, now)}{mark}")
    for incident, due in upcoming:
        click.echo(
            t(
                "ics.next_update_in",
                id=incident.id,
                severity=incident.severity,
                due=fmt_time(due),
                left=fmt_duration(due - now),
            )
        )


def _record(app: Any, as_json: bool, quiet: bool) -> int:
    from imf.ics.due import record

    now = app.clock()
    recorded = record(app, now)
    if as_json:
        echo_json(
            {"now": now.isoformat(), "recorded": [_breach_data(b, now, True) for b, _ in recorded]}
        )
    else:
        if not recorded and not quiet:
            click.echo(t("ics.no_new_reminders"))
        for breach, _ in recorded:
            click.echo(
                t("ics.reminder_recorded", id=breach.incident_id, text=describe_breach(breach, now))
            )
    reported: set[int] = set()
    for _, report in recorded:
        if id(report) not in reported:
            reported.add(id(report))
            report_deliveries(report, False)
    return len(recorded)


@click.command(help=hh("cmd.due"))
@click.option("--record", "record_", is_flag=True, help=hh("opt.record"))
@click.option("--watch", is_flag=True, help=hh("opt.watch"))
@click.option("--interval", default="1m", metavar="DURATION", help=hh("opt.interval"))
@click.option("--count", type=click.IntRange(1), help=hh("opt.count"))
@json_option
def due(record_: bool, watch: bool, interval: str, count: int | None, as_json: bool) -> None:
    from imf.errors import UsageError
    from imf.validate import parse_duration

    app = app_of()
    if not (watch or record_):
        _list(app, as_json)
        return
    try:
        pause = parse_duration(interval).total_seconds()
    except ValueError:
        raise UsageError("ics.bad_interval", value=interval) from None
    checks = 0
    while True:
        _record(app, as_json, quiet=watch)
        checks += 1
        if not watch or (count is not None and checks >= count):
            return
        time.sleep(pause)
