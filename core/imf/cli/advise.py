"""``imf advise rollback`` (fix forward or roll back) and ``imf rollout`` (staged rollout)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import click

from imf.cli.common import app_of, echo_json, fmt_duration, fmt_time, incident_id, json_option, t
from imf.cli.ics import header, hh, interactive

#: The yes/no factors: (field, flag name).
QUESTIONS: tuple[tuple[str, str], ...] = (
    ("caused_by_deployment", "deployment"),
    ("data_at_risk", "data-at-risk"),
    ("rollback_loses_data", "rollback-loses-data"),
    ("root_cause_understood", "root-cause-known"),
    ("fix_simple", "fix-simple"),
)


def _eta(value: str) -> timedelta | None:
    """A duration, or None for blank / ``unknown``."""
    from imf.errors import UsageError
    from imf.validate import parse_duration

    text = value.strip().lower()
    if text in ("", "unknown", "?", "-"):
        return None
    try:
        return parse_duration(text)
    except ValueError:
        raise UsageError("ics.bad_eta", value=value) from None


def _prompt_eta(label: str) -> timedelta | None:
    def check(value: str) -> timedelta | None:
        from imf.errors import ImfError

        try:
            return _eta(value)
        except ImfError as exc:
            raise click.UsageError(exc.render(_lang())) from None

    answer: timedelta | None = click.prompt(label, default="", show_default=False, value_proc=check)
    return answer


def _lang() -> str:
    from imf.cli.common import lang

    return lang()


@click.group(help=hh("cmd.advise"))
def advise() -> None:
    pass


def _factor_options(f: Any) -> Any:
    for name, flag in reversed(QUESTIONS):
        f = click.option(f"--{flag}/--no-{flag}", name, default=None, help=hh(f"opt.{name}"))(f)
    return f


@advise.command(help=hh("cmd.advise_rollback"))
@click.argument("incident")
@_factor_options
@click.option("--fix-eta", metavar="DURATION", help=hh("opt.fix_eta"))
@click.option("--rollback-eta", metavar="DURATION", help=hh("opt.rollback_eta"))
@click.option("--interactive", "prompt", is_flag=True, help=hh("opt.interactive"))
@click.option("--no-input", is_flag=True, help=hh("opt.no_input"))
@click.option("--dry-run", is_flag=True, help=hh("opt.dry_run"))
@json_option
def rollback(
    incident: str,
    fix_eta: str | None,
    rollback_eta: str | None,
    prompt: bool,
    no_input: bool,
    dry_run: bool,
    as_json: bool,
    **answers: bool | None,
) -> None:
    from imf.errors import UsageError
    from imf.ics.advise import RULES, Factors, advise

    app = app_of()
    found = app.store.get(incident_id(incident))
    asking = interactive(no_input, prompt)
    missing = [flag for name, flag in QUESTIONS if answers[name] is None]
    if missing and not asking:
        raise UsageError("ics.advise_missing", flags=", ".join(f"--{f}/--no-{f}" for f in missing))
    for name, _flag in QUESTIONS:
        if answers[name] is None:
            answers[name] = click.confirm(t(f"ics.question.{name}"), default=None)
    fix = _eta(fix_eta) if fix_eta is not None else None
    back = _eta(rollback_eta) if rollback_eta is not None else None
    if asking and fix_eta is None:
        fix = _prompt_eta(t("ics.question.fix_eta"))
    if asking and rollback_eta is None:
        back = _prompt_eta(t("ics.question.rollback_eta"))
    level = app.policy.find(found.severity)
    top = min((lv.rank for lv in app.policy.levels), default=1)
    factors = Factors(
        most_severe=level is not None and level.rank == top,
        fix_eta=fix,
        rollback_eta=back,
        **{name: bool(answers[name]) for name, _ in QUESTIONS},
    )
    advice = advise(factors)
    data = {
        "topic": "rollback",
        "decision": advice.decision,
        "rule": advice.rule,
        "severity": found.severity,
        "factors": factors.as_data(),
    }
    if not dry_run:
        found, _ = app.service.record(found.id, "decision_recorded", data)
    reason = t(f"ics.advise.rule.{advice.rule}", severity=found.severity)
    if as_json:
        echo_json({"incident": found.id, **data, "reason": reason, "recorded": not dry_run})
        return
    header(app, found)
    click.echo(
        t(
            "ics.advise.answer",
            decision=t(f"ics.advise.decision.{advice.decision}"),
            reason=reason,
            rule=RULES.index(advice.rule) + 1,
            rules=len(RULES),
        )
    )
    if not dry_run:
        click.echo(t("ics.advise.recorded", id=found.id))


def _rollout_data(progress: Any, now: Any) -> dict[str, Any]:
    current = progress.current
    nxt = progress.next_stage
    return {
        "stage": current.stage.name if current else None,
        "percent": current.stage.percent if current else None,
        "started_at": current.at.isoformat() if current else None,
        "complete": progress.complete,
        "halted": progress.halted or None,
        "next": (
            {
                "stage": nxt.name,
                "percent": nxt.percent,
                "not_before": progress.next_not_before.isoformat()
                if progress.next_not_before
                else None,
                "monitor_until": progress.next_by.isoformat() if progress.next_by else None,
            }
            if nxt
            else None
        ),
        "history": [
            {
                "stage": s.stage.name,
                "percent": s.stage.percent,
                "at": s.at.isoformat(),
                "by": s.actor,
                "note": s.note,
                "forced": s.forced,
            }
            for s in progress.stages
        ],
    }


def _print_rollout(progress: Any, now: Any) -> None:
    for started in progress.stages:
        note = f" — {started.note}" if started.note else ""
        forced = f" ({t('ics.rollout.forced', reason=started.forced)})" if started.forced else ""
        click.echo(
            f"  {fmt_time(started.at)}  {t('ics.stage.' + started.stage.name)}"
            f" ({started.stage.percent}%){note}{forced}"
        )
    if progress.halted:
        click.echo(t("ics.rollout.halted", reason=progress.halted))
    elif progress.current is None:
        click.echo(t("ics.rollout.none"))
    elif progress.complete:
        click.echo(t("ics.rollout.complete"))
    else:
        current = progress.current.stage
        nxt = progress.next_stage
        if current.monitor_min is not None:
            window = fmt_duration(current.monitor_min)
            if current.monitor_max is not None and current.monitor_max != current.monitor_min:
                window = f"{fmt_duration(current.monitor_min)}-{fmt_duration(current.monitor_max)}"
            click.echo(t("ics.rollout.monitor", window=window))
        stage = f"{t('ics.stage.' + nxt.name)} ({nxt.percent}%)"
        when = progress.next_not_before
        if when is None:
            click.echo(t("ics.rollout.next_after_verify", stage=stage))
        elif when > now:
            click.echo(
                t(
                    "ics.rollout.next_at",
                    stage=stage,
                    when=fmt_time(when),
                    left=fmt_duration(when - now),
                )
            )
        else:
            click.echo(t("ics.rollout.next_now", stage=stage))


@click.command(help=hh("cmd.rollout"))
@click.argument("incident")
@click.argument("stage", required=False)
@click.option("--note", default="", help=hh("opt.rollout_note"))
@click.option("--force", "force_reason", metavar="REASON", default="", help=hh("opt.rollout_force"))
@click.option("--halt", "halt_reason", metavar="REASON", default="", help=hh("opt.halt"))
@json_option
def rollout(
    incident: str, stage: str | None, note: str, force_reason: str, halt_reason: str, as_json: bool
) -> None:
    from imf.errors import ConflictError, UsageError
    from imf.ics import rollout as stages

    app = app_of()
    found = app.store.get(incident_id(incident))
    now = app.clock()
    current = stages.progress(app.store.events(found.id))
    if stage and halt_reason:
        raise UsageError("ics.rollout_stage_or_halt")
    if halt_reason:
        if current.current is None or current.halted or current.complete:
            raise ConflictError("ics.rollout_nothing_to_halt", id=found.id)
        found, _ = app.service.record(
            found.id,
            "rollout_halted",
            {"stage": current.current.stage.name, "reason": halt_reason.strip()},
        )
    elif stage:
        wanted = stages.stage(stage)
        blocked = stages.blocker(current, wanted, now)
        if blocked is not None and not force_reason.strip():
            key, params = blocked
            if "when" in params:
                params = {**params, "when": fmt_time(params["when"]), "id": found.id}
            raise ConflictError(key, **{"id": found.id, **params})
        found, _ = app.service.record(
            found.id,
            "rollout_stage",
            stages.stage_data(wanted, note.strip(), force_reason.strip() if blocked else ""),
        )
    progress = stages.progress(app.store.events(found.id))
    if as_json:
        echo_json({"incident": found.id, **_rollout_data(progress, now)})
        return
    header(app, found)
    _print_rollout(progress, now)
