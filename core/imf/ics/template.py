"""The methodology's communication template, "Incident Update #N", as Markdown text."""

from __future__ import annotations

from datetime import UTC, datetime

from imf.i18n import translate
from imf.model import Incident, SeverityLevel, StatusUpdate


def _time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%H:%M UTC")


def render_update(
    incident: Incident, update: StatusUpdate, level: SeverityLevel | None, lang: str
) -> str:
    """``update`` of ``incident`` in the template, in ``lang``; the next update time is the
    one given, else the cadence of ``level``."""

    def t(key: str, **params: object) -> str:
        return translate(f"ics.template.{key}", lang, **params)

    lines = [
        "## " + t("heading", number=update.number, time=_time(update.at)),
        "",
        f"**{t('status')}**: {translate('core.status.' + update.status.value, lang).upper()}",
        "",
        f"**{t('summary')}**: {update.summary or '-'}",
        "",
        f"**{t('since_last')}**:",
    ]
    lines += [f"- {item}" for item in update.since_last] or ["- -"]
    lines += [
        "",
        f"**{t('understanding')}**:",
        f"- **{t('root_cause')}**: {t('root_cause.' + update.root_cause)}",
        f"- **{t('impact')}**: {update.impact or incident.customer_impact or '-'}",
        f"- **{t('eta')}**: {update.eta or t('eta_unknown')}",
        "",
        f"**{t('next_steps')}**:",
    ]
    lines += [f"{n}. {step}" for n, step in enumerate(update.next_steps, start=1)] or ["1. -"]
    next_at = update.next_update_at
    if next_at is None and level is not None:
        next_at = update.at + level.update_max
    lines += ["", f"**{t('next_update')}**: {_time(next_at) if next_at else '-'}"]
    if update.public:
        lines += ["", f"**{t('public')}**: {update.public}"]
    return "\n".join(lines)
