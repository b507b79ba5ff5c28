"""Post-mortems: the blameless review of an incident, kept as events like everything else.

:class:`PostmortemService` sits on the lifecycle service: it validates what people write
(sections, 5 whys, timeline additions, action items) and appends ``postmortem_*`` and
``action_*`` events, so every version of the post-mortem stays in the incident's log.
:func:`derive` computes what nobody has to write — title, date, duration, severity,
participants by role and the timeline — from the incident and its event log.
:func:`render_document` and :func:`parse_document` turn the post-mortem into the TOML (or
Markdown with TOML front matter) document ``imf postmortem ID --edit`` opens, and back, with
errors naming the exact field.

Example::

    from imf import App
    from imf.postmortem import PostmortemService

    app = App.create()
    pms = PostmortemService.of(app)
    pms.set_sections("INC-3", {"summary": "Checkout failed for 40 minutes."})
    pms.add_action("INC-3", "Alert on pool saturation", owner="dana", priority="P1")
    pms.publish("INC-3")
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from attrs import frozen

from imf import serde
from imf.errors import ConflictError, UsageError
from imf.facts import format_span as format_duration
from imf.i18n import LANGUAGES, translate
from imf.model import (
    ACTION_PRIORITIES,
    ACTION_STATUSES,
    ROLES,
    ActionItem,
    Event,
    Incident,
    Postmortem,
    SeverityPolicy,
    Status,
    as_utc,
    utcnow,
)

Result = tuple[Incident, Any]

#: Longest accepted text of a section, an item of a list, a short field.
TEXT_LIMIT = 100_000
ITEM_LIMIT = 5_000
SHORT_LIMIT = 500
LIST_LIMIT = 500

#: What a tracker link may be: an http(s) URL, or an issue key such as ``OPS-142``.
_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_ISSUE_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]*-\d+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Timeline icons, after the methodology's example timeline.
_ICONS = {
    "detected": "🔴",
    "declared": "🔔",
    "acknowledged": "👀",
    "role_assigned": "👥",
    "escalated_up": "⬆️",
    "escalated_down": "⬇️",
    "update_posted": "📝",
    "identified": "🔍",
    "mitigating": "🔧",
    "monitoring": "📈",
    "key_note": "📌",
    "resolved": "✅",
    "reopened": "🔁",
    "added": "✍️",
}


class DocumentError(UsageError):
    """A post-mortem value or document is invalid; ``field`` is the document path at fault
    (``action[2].priority``, ``impact.services[0]``) or ``line N`` for syntax."""

    def __init__(self, field_name: str, reason: str, /, **params: Any) -> None:
        super().__init__(f"postmortem.doc.{reason}", field=field_name, **params)
        self.field = field_name


# --- derived facts ----------------------------------------------------------------------------


@frozen
class TimelineLine:
    """One line of the generated timeline.

    :ivar kind: what it comes from (``declared``, ``update_posted``, ``key_note``, ``added``...).
    :ivar labels: the translated label per language (``{"en": "Escalated P2 → P1", ...}``).
    :ivar text: what people wrote (an update's summary, a key note, an addition), may be empty.
    """

    at: datetime
    kind: str
    icon: str
    labels: Mapping[str, str]
    text: str = ""

    def label(self, lang: str) -> str:
        """The label in ``lang`` (English as fallback)."""
        return self.labels.get(lang) or self.labels.get("en", "")


@frozen
class Derived:
    """What a post-mortem shows without anybody writing it.

    :ivar started_at: detection (or declaration) time; :ivar ended_at: the last resolution.
    :ivar severity: the incident's severity; :ivar severity_titles: its title per language.
    :ivar participants: ICS role → everyone who held it during the incident, in order.
    :ivar contributors: others who acted on the incident (recorded events) without a role.
    """

    incident_id: str
    title: str
    date: date
    started_at: datetime
    ended_at: datetime | None
    mitigated_at: datetime | None
    severity: str
    severity_titles: Mapping[str, str]
    participants: Mapping[str, tuple[str, ...]]
    contributors: tuple[str, ...]
    timeline: tuple[TimelineLine, ...]
    services: tuple[str, ...] = ()

    @property
    def duration(self) -> timedelta | None:
        """From start to resolution (None while the incident is open)."""
        return None if self.ended_at is None else self.ended_at - self.started_at

    @property
    def time_to_mitigate(self) -> timedelta | None:
        """From start to mitigation (the default downtime)."""
        return None if self.mitigated_at is None else self.mitigated_at - self.started_at

    def to_data(self) -> dict[str, Any]:
        """JSON-compatible data: what ``postmortem_published`` carries for export plugins."""
        data: dict[str, Any] = serde.unstructure(self)
        data["duration_seconds"] = _seconds(self.duration)
        data["time_to_mitigate_seconds"] = _seconds(self.time_to_mitigate)
        return data


def _seconds(value: timedelta | None) -> int | None:
    return None if value is None else int(value.total_seconds())


def derive(incident: Incident, events: Sequence[Event], policy: SeverityPolicy) -> Derived:
    """Title, date, duration, severity, participants and timeline of ``incident``'s
    post-mortem, from the incident and its event log (oldest first)."""
    start = incident.declared_at
    if incident.detected_at is not None and incident.detected_at < start:
        start = incident.detected_at
    level = policy.find(incident.severity)
    titles = {lang: level.title(lang) if level else incident.severity for lang in LANGUAGES}
    participants: dict[str, list[str]] = {}
    acted: list[str] = []
    for event in events:
        if event.kind == "role_assigned":
            people = participants.setdefault(str(event.data["role"]), [])
            if event.data["person"] not in people:
                people.append(str(event.data["person"]))
        if not event.actor.startswith("plugin:") and event.actor not in acted:
            acted.append(event.actor)
    holders = {p for people in participants.values() for p in people}
    ordered = {role: tuple(participants[role]) for role in ROLES if role in participants}
    return Derived(
        incident_id=incident.id,
        title=incident.title,
        date=start.astimezone(UTC).date(),
        started_at=start,
        ended_at=incident.resolved_at,
        mitigated_at=incident.mitigated_at,
        severity=incident.severity,
        severity_titles=titles,
        participants=ordered,
        contributors=tuple(a for a in acted if a not in holders),
        timeline=tuple(sorted(_timeline(incident, events), key=lambda line: line.at)),
        services=incident.services,
    )


def _labels(key: str, **params: Any) -> dict[str, str]:
    return {lang: translate(f"postmortem.timeline.{key}", lang, **params) for lang in LANGUAGES}


def _line(
    at: datetime, kind: str, labels: dict[str, str], text: str = "", icon: str = ""
) -> TimelineLine:
    return TimelineLine(
        at=at, kind=kind, icon=icon or _ICONS.get(kind, ""), labels=labels, text=text
    )


def _timeline(incident: Incident, events: Sequence[Event]) -> Iterator[TimelineLine]:
    if incident.detected_at is not None and incident.detected_at < incident.declared_at:
        yield _line(incident.detected_at, "detected", _labels("detected"))
    status = Status.INVESTIGATING.value
    for event in events:
        d = event.data
        if event.kind == "declared":
            status = str(d.get("status", status))
            yield _line(event.at, "declared", _labels("declared", severity=d["severity"]))
        elif event.kind == "acknowledged":
            yield _line(event.at, "acknowledged", _labels("acknowledged"))
        elif event.kind == "role_assigned":
            role_labels = {
                lang: translate(
                    "postmortem.timeline.role_assigned",
                    lang,
                    role=translate(f"core.role.{d['role']}", lang),
                    person=d["person"],
                )
                for lang in LANGUAGES
            }
            yield _line(event.at, "role_assigned", role_labels)
        elif event.kind == "escalated":
            kind = f"escalated_{d.get('direction', 'up')}"
            labels = _labels(kind, from_=d.get("from", ""), to=d.get("to", ""))
            yield _line(event.at, kind, labels, str(d.get("reason") or ""))
        elif event.kind == "update_posted":
            new = str(d.get("status", status))
            changed = new != status
            status = new
            labels = {
                lang: translate(
                    "postmortem.timeline.status_changed"
                    if changed
                    else "postmortem.timeline.update",
                    lang,
                    number=d.get("number", ""),
                    status=translate(f"core.status.{new}", lang),
                )
                for lang in LANGUAGES
            }
            icon = _ICONS.get(new, "") if changed else ""
            yield _line(event.at, "update_posted", labels, str(d.get("summary") or ""), icon)
        elif event.kind == "note_added" and d.get("key"):
            yield _line(event.at, "key_note", _labels("key_note"), str(d.get("text", "")))
        elif event.kind == "resolved":
            status = Status.RESOLVED.value
            yield _line(event.at, "resolved", _labels("resolved"), str(d.get("summary") or ""))
        elif event.kind == "reopened":
            status = str(d.get("status", Status.INVESTIGATING.value))
            yield _line(event.at, "reopened", _labels("reopened"), str(d.get("reason") or ""))
    pm = incident.postmortem
    for entry in pm.timeline_additions if pm else ():
        yield _line(entry.at, "added", _labels("added"), entry.text)


# --- validation -------------------------------------------------------------------------------


def _text(value: Any, where: str, *, limit: int = TEXT_LIMIT, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DocumentError(where, "expected_string")
    text = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if required and not text:
        raise DocumentError(where, "empty")
    if len(text) > limit:
        raise DocumentError(where, "too_long", limit=limit)
    return text


def _line_text(value: Any, where: str, *, limit: int = SHORT_LIMIT, required: bool = False) -> str:
    text = _text(value, where, limit=limit, required=required)
    return " ".join(text.split())


def _list(value: Any, where: str, *, limit: int = ITEM_LIMIT) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        raise DocumentError(where, "expected_list")
    if len(value) > LIST_LIMIT:
        raise DocumentError(where, "too_many", limit=LIST_LIMIT)
    items = [_text(item, f"{where}[{i}]", limit=limit) for i, item in enumerate(value)]
    return [item for item in items if item]


def _time(value: Any, where: str) -> datetime:
    if isinstance(value, datetime):
        return as_utc(value)
    if isinstance(value, str) and value.strip():
        try:
            return as_utc(datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
        except ValueError:
            pass
    raise DocumentError(where, "expected_time", value=value)


def parse_due(value: Any, where: str, today: date) -> date | None:
    """A due date from ``YYYY-MM-DD``, ``+7d`` (days from ``today``), a date, or empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        match = re.fullmatch(r"\+(\d{1,4})d", text)
        if match:
            return today + timedelta(days=int(match.group(1)))
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise DocumentError(where, "expected_date", value=value)


def parse_priority(value: Any, where: str) -> str:
    """``P0``…``P3`` (case-insensitive)."""
    text = value.strip().upper() if isinstance(value, str) else value
    if text not in ACTION_PRIORITIES:
        raise DocumentError(where, "not_one_of", value=value, valid=", ".join(ACTION_PRIORITIES))
    return str(text)


def parse_action_status(value: Any, where: str) -> str:
    """``open``, ``in-progress`` or ``done`` (``in progress`` and ``in_progress`` accepted)."""
    text = (
        value.strip().lower().replace("_", "-").replace(" ", "-")
        if isinstance(value, str)
        else value
    )
    if text not in ACTION_STATUSES:
        raise DocumentError(where, "not_one_of", value=value, valid=", ".join(ACTION_STATUSES))
    return str(text)


def parse_link(value: Any, where: str) -> str:
    """An http(s) URL or an issue key (``OPS-142``); empty clears the link."""
    text = _line_text(value, where, limit=2000)
    if text and not (_URL.fullmatch(text) or _ISSUE_KEY.fullmatch(text)):
        raise DocumentError(where, "bad_link", value=text)
    return text


def _table(value: Any, where: str, known: Iterable[str]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise DocumentError(where, "expected_table")
    allowed = list(known)
    for key in value:
        if key not in allowed:
            raise DocumentError(_join(where, key), "unknown_key", known=", ".join(allowed))
    return value


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


#: Fields people write: Postmortem attribute -> (document path, kind).
SECTIONS: dict[str, tuple[str, str]] = {
    "summary": ("summary", "text"),
    "users_affected": ("impact.users_affected", "line"),
    "services_affected": ("impact.services", "names"),
    "revenue_impact": ("impact.revenue", "line"),
    "downtime": ("impact.downtime", "line"),
    "root_cause": ("root_cause", "text"),
    "resolution": ("resolution", "text"),
    "went_well": ("went_well", "list"),
    "to_improve": ("to_improve", "list"),
    "lessons": ("lessons", "text"),
    "problem": ("five_whys.problem", "text"),
    "whys": ("five_whys.why", "whys"),
    "whys_root_cause": ("five_whys.root_cause", "text"),
    "prevention": ("five_whys.prevention", "list"),
    "timeline_additions": ("timeline", "timeline"),
    "action_items": ("action", "actions"),
}


def validate_section(name: str, value: Any, *, today: date, where: str | None = None) -> Any:
    """``value`` for Postmortem field ``name``, validated and JSON-ready (as stored in events).

    :raises DocumentError: naming ``where`` (default: the field's document path) and the item.
    """
    if name not in SECTIONS:
        raise DocumentError(name, "unknown_key", known=", ".join(SECTIONS))
    path, kind = SECTIONS[name]
    where = where or path
    if kind == "text":
        return _text(value, where)
    if kind == "line":
        return _line_text(value, where)
    if kind == "list":
        return _list(value, where)
    if kind == "names":
        names = [
            _line_text(v, f"{where}[{i}]", limit=200) for i, v in enumerate(_as_list(value, where))
        ]
        return list(dict.fromkeys(n for n in names if n))
    if kind == "whys":
        whys = []
        for i, item in enumerate(_as_list(value, where)):
            at = f"{where}[{i}]"
            table = _table(item, at, ("question", "answer"))
            whys.append(
                {
                    "question": _text(
                        table.get("question"), f"{at}.question", limit=ITEM_LIMIT, required=True
                    ),
                    "answer": _text(
                        table.get("answer"), f"{at}.answer", limit=ITEM_LIMIT, required=True
                    ),
                }
            )
        return whys
    if kind == "timeline":
        lines = []
        for i, item in enumerate(_as_list(value, where)):
            at = f"{where}[{i}]"
            table = _table(item, at, ("at", "text"))
            if "at" not in table:
                raise DocumentError(f"{at}.at", "missing")
            when = _time(table["at"], f"{at}.at")
            text = _text(table.get("text"), f"{at}.text", limit=ITEM_LIMIT, required=True)
            lines.append({"at": when.isoformat(), "text": text})
        return lines
    return _actions(value, where, today)


def _as_list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise DocumentError(where, "expected_list")
    if len(value) > LIST_LIMIT:
        raise DocumentError(where, "too_many", limit=LIST_LIMIT)
    return list(value)


_ACTION_KEYS = ("id", "action", "owner", "due", "priority", "status", "link")


def validate_action(
    table: Mapping[str, Any], where: str, today: date, *, new_id: int
) -> dict[str, Any]:
    """One action item (JSON-ready), with ``new_id`` when the table has no ``id``."""
    table = _table(table, where, _ACTION_KEYS)
    ident = table.get("id", new_id)
    if isinstance(ident, bool) or not isinstance(ident, int) or ident < 1:
        raise DocumentError(f"{where}.id", "expected_id", value=ident)
    due = parse_due(table.get("due"), f"{where}.due", today)
    return {
        "id": ident,
        "action": _text(table.get("action"), f"{where}.action", limit=ITEM_LIMIT, required=True),
        "owner": _line_text(table.get("owner"), f"{where}.owner", limit=200),
        "due": due.isoformat() if due else None,
        "priority": parse_priority(table.get("priority", "P2"), f"{where}.priority"),
        "status": parse_action_status(table.get("status", "open"), f"{where}.status"),
        "link": parse_link(table.get("link"), f"{where}.link"),
    }


def _actions(value: Any, where: str, today: date) -> list[dict[str, Any]]:
    items = _as_list(value, where)
    taken = {t.get("id") for t in items if isinstance(t, Mapping)}
    next_id = max([i for i in taken if isinstance(i, int) and not isinstance(i, bool)] + [0]) + 1
    result: list[dict[str, Any]] = []
    seen: set[int] = set()
    for i, item in enumerate(items):
        at = f"{where}[{i}]"
        if isinstance(item, Mapping) and "id" not in item:
            action = validate_action(item, at, today, new_id=next_id)
            next_id += 1
        else:
            action = validate_action(item, at, today, new_id=0)
        if action["id"] in seen:
            raise DocumentError(f"{at}.id", "duplicate_id", value=action["id"])
        seen.add(action["id"])
        result.append(action)
    return result


# --- the editable document -------------------------------------------------------------------

_PROSE = ("summary", "root_cause", "resolution", "went_well", "to_improve", "lessons")
_TOP_KEYS = (
    "summary",
    "root_cause",
    "resolution",
    "went_well",
    "to_improve",
    "lessons",
    "impact",
    "five_whys",
    "timeline",
    "action",
)
_IMPACT_KEYS = ("users_affected", "services", "revenue", "downtime")
_WHYS_KEYS = ("problem", "why", "root_cause", "prevention")


def _toml_value(value: Any) -> str:
    import tomli_w

    text = tomli_w.dumps({"v": value}, multiline_strings=True)
    return text.split("=", 1)[1].strip()


def _comment(text: str) -> list[str]:
    return [f"# {line}".rstrip() for line in _CONTROL.sub("", text).splitlines()]


def _header(derived: Derived, lang: str) -> list[str]:
    t = _t(lang)
    participants = format_participants(derived, lang) or t("postmortem.none")
    duration = derived.duration
    lines = [
        t("postmortem.doc.title", id=derived.incident_id, title=derived.title),
        "",
        t("postmortem.doc.blameless"),
        "",
        f"{t('postmortem.field.date')}: {derived.date.isoformat()}",
        f"{t('postmortem.field.duration')}: "
        + (format_span(derived, lang) if duration is not None else t("postmortem.ongoing")),
        f"{t('postmortem.field.severity')}: {derived.severity}"
        f" ({derived.severity_titles.get(lang, '')})",
        f"{t('postmortem.field.participants')}: {participants}",
        "",
        t("postmortem.doc.derived_note"),
        t("postmortem.doc.how_to"),
    ]
    return lines


def _t(lang: str) -> Callable[..., str]:
    def t(key: str, /, **params: Any) -> str:
        return translate(key, lang, **params)

    return t


def format_participants(derived: Derived, lang: str) -> str:
    """``Incident Commander: alice; Scribe: carol; also: dave`` (blameless: by role)."""
    parts = [
        f"{translate(f'core.role.{role}', lang)}: {', '.join(people)}"
        for role, people in derived.participants.items()
    ]
    if derived.contributors:
        parts.append(f"{translate('postmortem.also', lang)}: {', '.join(derived.contributors)}")
    return "; ".join(parts)


def format_span(derived: Derived, lang: str) -> str:
    """``2026-11-28 14:35 – 15:20 UTC (45m)``."""
    start = derived.started_at.astimezone(UTC)
    end = derived.ended_at.astimezone(UTC) if derived.ended_at else None
    if end is None:
        return f"{start:%Y-%m-%d %H:%M} UTC – {translate('postmortem.ongoing', lang)}"
    end_text = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%Y-%m-%d %H:%M}"
    return f"{start:%Y-%m-%d %H:%M} – {end_text} UTC ({format_duration(end - start)})"


def _document_data(pm: Postmortem) -> dict[str, Any]:
    actions = []
    for item in pm.action_items:
        row: dict[str, Any] = {"id": item.id, "action": item.action, "owner": item.owner}
        if item.due is not None:
            row["due"] = item.due
        row.update({"priority": item.priority, "status": item.status, "link": item.link})
        actions.append(row)
    return {
        "summary": pm.summary,
        "root_cause": pm.root_cause,
        "resolution": pm.resolution,
        "went_well": list(pm.went_well),
        "to_improve": list(pm.to_improve),
        "lessons": pm.lessons,
        "impact": {
            "users_affected": pm.users_affected,
            "services": list(pm.services_affected),
            "revenue": pm.revenue_impact,
            "downtime": pm.downtime,
        },
        "five_whys": {
            "problem": pm.problem,
            "why": [{"question": w.question, "answer": w.answer} for w in pm.whys],
            "root_cause": pm.whys_root_cause,
            "prevention": list(pm.prevention),
        },
        "timeline": [{"at": e.at.astimezone(UTC), "text": e.text} for e in pm.timeline_additions],
        "action": actions,
    }


def _front_matter(data: Mapping[str, Any], lang: str, *, prose: bool) -> list[str]:
    t = _t(lang)
    out: list[str] = []
    if prose:
        for key in _PROSE:
            out += _comment(t(f"postmortem.hint.{key}"))
            out.append(f"{key} = {_toml_value(data[key])}")
            out.append("")
    impact = data["impact"]
    out += _comment(t("postmortem.hint.impact"))
    out.append("[impact]")
    out += [f"{key} = {_toml_value(impact[key])}" for key in _IMPACT_KEYS]
    out.append("")
    whys = data["five_whys"]
    out += _comment(t("postmortem.hint.five_whys"))
    out.append("[five_whys]")
    out.append(f"problem = {_toml_value(whys['problem'])}")
    out.append(f"root_cause = {_toml_value(whys['root_cause'])}")
    out.append(f"prevention = {_toml_value(whys['prevention'])}")
    out.append("")
    for why in whys["why"]:
        out += [
            "[[five_whys.why]]",
            f"question = {_toml_value(why['question'])}",
            f"answer = {_toml_value(why['answer'])}",
            "",
        ]
    if not whys["why"]:
        out += ["# [[five_whys.why]]", '# question = ""', '# answer = ""', ""]
    out += _comment(t("postmortem.hint.timeline"))
    for entry in data["timeline"]:
        out += [
            "[[timeline]]",
            f"at = {_toml_value(entry['at'])}",
            f"text = {_toml_value(entry['text'])}",
            "",
        ]
    if not data["timeline"]:
        out += ["# [[timeline]]", "# at = 2026-01-31T14:35:00Z", '# text = ""', ""]
    out += _comment(t("postmortem.hint.action"))
    for row in data["action"]:
        out.append("[[action]]")
        out += [f"{key} = {_toml_value(value)}" for key, value in row.items()]
        out.append("")
    if not data["action"]:
        out += [
            "# [[action]]",
            '# action = ""',
            '# owner = ""',
            "# due = YYYY-MM-DD",
            '# priority = "P2"',
            '# status = "open"',
            '# link = ""',
            "",
        ]
    return out


def render_document(incident: Incident, derived: Derived, lang: str, fmt: str = "toml") -> str:
    """The editable post-mortem: TOML, or Markdown with TOML front matter (``fmt="markdown"``)."""
    data = _document_data(incident.postmortem or Postmortem())
    header = _comment("\n".join(_header(derived, lang)))
    if fmt == "toml":
        return "\n".join([*header, "", *_front_matter(data, lang, prose=True)]).rstrip() + "\n"
    t = _t(lang)
    lines = ["+++", *header, "", *_front_matter(data, lang, prose=False)]
    while lines and not lines[-1]:
        lines.pop()
    lines += ["+++", ""]
    for key in _PROSE:
        lines.append(f"## {t('postmortem.section.' + key)} {{#{key}}}")
        lines.append("")
        value = data[key]
        if isinstance(value, list):
            lines += [f"- {' '.join(item.split())}" for item in value]
        elif value:
            lines.append(value)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


_HEADING = re.compile(r"^##\s+.*\{#([A-Za-z_]+)\}\s*$")


def parse_document(text: str, today: date, fmt: str = "toml") -> dict[str, Any]:
    """The Postmortem fields (validated, JSON-ready) a document holds.

    :raises DocumentError: naming the field (``action[1].due``) or line at fault.
    """
    data = _load_toml(text, 0) if fmt == "toml" else _parse_markdown(text)
    _table(data, "", _TOP_KEYS)
    impact = _table(data.get("impact", {}), "impact", _IMPACT_KEYS)
    whys = _table(data.get("five_whys", {}), "five_whys", _WHYS_KEYS)
    raw = {
        "summary": data.get("summary"),
        "root_cause": data.get("root_cause"),
        "resolution": data.get("resolution"),
        "went_well": data.get("went_well"),
        "to_improve": data.get("to_improve"),
        "lessons": data.get("lessons"),
        "users_affected": impact.get("users_affected"),
        "services_affected": impact.get("services"),
        "revenue_impact": impact.get("revenue"),
        "downtime": impact.get("downtime"),
        "problem": whys.get("problem"),
        "whys": whys.get("why"),
        "whys_root_cause": whys.get("root_cause"),
        "prevention": whys.get("prevention"),
        "timeline_additions": data.get("timeline"),
        "action_items": data.get("action"),
    }
    return {name: validate_section(name, value, today=today) for name, value in raw.items()}


def _at_line(line: int, kind: str, column: int = 1, **params: Any) -> DocumentError:
    return DocumentError(f"{line}:{column}", kind, line=line, column=column, **params)


def _load_toml(text: str, first_line: int) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        from imf.config import toml_syntax_error

        line, column, reason = toml_syntax_error(exc)
        if line is None or column is None:  # "at end of document": point at the last line
            lines = text.rstrip("\n").split("\n")
            line, column = len(lines), len(lines[-1]) + 1
        raise _at_line(line + first_line, "syntax", column, reason=reason) from None


def _parse_markdown(text: str) -> dict[str, Any]:
    lines = text.replace("\r\n", "\n").split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None or lines[start].strip() != "+++":
        raise _at_line((start or 0) + 1, "no_front_matter")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() == "+++"), None)
    if end is None:
        raise _at_line(start + 1, "no_front_matter")
    data = _load_toml("\n".join(lines[start + 1 : end]), start + 1)
    for key in _PROSE:
        if key in data:
            raise DocumentError(key, "in_body")
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for number, line in enumerate(lines[end + 1 :], start=end + 2):
        match = _HEADING.match(line)
        if match:
            current = match.group(1)
            if current not in _PROSE:
                raise _at_line(number, "unknown_section", value=current, known=", ".join(_PROSE))
            if current in sections:
                raise _at_line(number, "duplicate_section", value=current)
            sections[current] = []
        elif current is None:
            if line.strip():
                raise _at_line(number, "text_outside_section")
        else:
            sections[current].append(line)
    for key, body in sections.items():
        data[key] = (
            _bullets(body) if key in ("went_well", "to_improve") else "\n".join(body).strip()
        )
    return data


def _bullets(lines: list[str]) -> list[str]:
    items: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if stripped[:2] in ("- ", "* "):
            items.append(stripped[2:].strip())
        elif items:
            items[-1] = f"{items[-1]} {stripped}"
        else:
            items.append(stripped)
    return items


# --- the service ------------------------------------------------------------------------------


@frozen
class DueItem:
    """An incident whose post-mortem the policy requires and nobody has published yet."""

    id: str
    title: str
    severity: str
    resolved_at: datetime
    due_at: datetime
    overdue: bool
    draft: bool


@frozen
class ActionRow:
    """An action item with the incident it belongs to (``imf action list``)."""

    incident_id: str
    incident_title: str
    item: ActionItem
    overdue: bool = False


@frozen
class View:
    """An incident's post-mortem as shown: the sections and the derived facts."""

    incident: Incident
    postmortem: Postmortem
    derived: Derived

    def to_data(self, lang: str) -> dict[str, Any]:
        """JSON-ready data for ``imf postmortem ID --json``."""
        derived = self.derived.to_data()
        derived["timeline"] = [
            {
                "at": line.at.isoformat(),
                "kind": line.kind,
                "icon": line.icon,
                "label": line.label(lang),
                "text": line.text,
            }
            for line in self.derived.timeline
        ]
        derived["severity_title"] = self.derived.severity_titles.get(lang, "")
        derived.pop("severity_titles", None)
        return {"derived": derived, "postmortem": serde.unstructure(self.postmortem)}


class PostmortemService:
    """Write and publish post-mortems on top of :class:`imf.IncidentService`.

    :param service: the lifecycle service (its store, policy, actor and clock are used).
    """

    def __init__(self, service: Any) -> None:
        self.service = service
        self.store = service.store
        self.policy: SeverityPolicy = service.policy
        self.clock: Callable[[], datetime] = service.clock or utcnow

    @classmethod
    def of(cls, app: Any) -> PostmortemService:
        """The service for an :class:`imf.App`."""
        return cls(app.service)

    def today(self) -> date:
        """The current UTC date."""
        return self.clock().astimezone(UTC).date()

    # --- reading ---------------------------------------------------------------------------

    def view(self, incident_id: str) -> View:
        """The post-mortem of ``incident_id`` with its derived facts."""
        incident = self.store.get(incident_id)
        events = self.store.events(incident.id)
        return View(
            incident=incident,
            postmortem=incident.postmortem or Postmortem(),
            derived=derive(incident, events, self.policy),
        )

    def due(self) -> list[DueItem]:
        """Resolved incidents whose severity requires a post-mortem that is not published,
        soonest deadline first."""
        now = self.clock()
        found = []
        for incident in self.store.incidents():
            level = self.policy.find(incident.severity)
            if incident.is_open or incident.resolved_at is None or level is None:
                continue
            pm = incident.postmortem
            if not level.postmortem_required or (pm is not None and pm.published_count):
                continue
            deadline = incident.resolved_at + level.postmortem_due
            found.append(
                DueItem(
                    id=incident.id,
                    title=incident.title,
                    severity=incident.severity,
                    resolved_at=incident.resolved_at,
                    due_at=deadline,
                    overdue=deadline < now,
                    draft=pm is not None,
                )
            )
        return sorted(found, key=lambda item: (item.due_at, item.id))

    def actions(self, *, open_only: bool = False, owner: str | None = None) -> list[ActionRow]:
        """Action items of every incident: open and overdue first, then by due date."""
        today = self.today()
        rows = []
        for incident in self.store.incidents():
            for item in incident.postmortem.action_items if incident.postmortem else ():
                if open_only and item.status == "done":
                    continue
                if owner is not None and item.owner != owner:
                    continue
                overdue = item.status != "done" and item.due is not None and item.due < today
                rows.append(ActionRow(incident.id, incident.title, item, overdue))

        def order(row: ActionRow) -> tuple[Any, ...]:
            done = row.item.status == "done"
            return (done, row.item.due or date.max, row.item.priority, row.incident_id, row.item.id)

        return sorted(rows, key=order)

    # --- writing ---------------------------------------------------------------------------

    def _record(
        self,
        incident_id: str,
        build: Callable[[Incident, list[Event]], list[tuple[str, dict[str, Any]]]],
        *,
        with_events: bool = False,
    ) -> Result:
        """Append the events ``build`` returns for the locked incident, in one transaction.

        With ``with_events``, ``build`` also gets the incident's log, read just before the
        transaction and checked to be current inside it (retried when someone wrote between).
        """
        for _ in range(5):
            log = list(self.store.events(incident_id)) if with_events else []
            try:
                result: Result = self.service.change(
                    incident_id, self._events(build, log, check=with_events)
                )
            except _Stale:
                continue
            return result
        raise ConflictError("postmortem.busy", id=incident_id)

    def _events(
        self,
        build: Callable[[Incident, list[Event]], list[tuple[str, dict[str, Any]]]],
        log: list[Event],
        *,
        check: bool,
    ) -> Callable[[Incident, datetime], list[Event]]:
        def events(incident: Incident, now: datetime) -> list[Event]:
            if check and incident.version != log[-1].seq:
                raise _Stale
            pairs = build(incident, log)
            return [self.service.event(incident.id, kind, data, now) for kind, data in pairs]

        return events

    def set_sections(self, incident_id: str, values: Mapping[str, Any]) -> Result:
        """Replace the named sections (Postmortem field names) with validated ``values``."""
        if not values:
            raise UsageError("postmortem.nothing_to_set")
        today = self.today()
        fields = {
            name: validate_section(name, value, today=today) for name, value in values.items()
        }
        if "action_items" in fields:
            raise UsageError("postmortem.use_action_commands")
        return self._record(
            incident_id, lambda inc, log: [("postmortem_edited", {"fields": fields})]
        )

    def apply_document(
        self, incident_id: str, fields: Mapping[str, Any], base: Mapping[str, Any]
    ) -> Result | None:
        """Record what an edited document changed against ``base`` (the fields it was
        rendered from). A field someone else changed meanwhile is a conflict, not a loss.
        Returns None when nothing changed."""
        changed = {name: value for name, value in fields.items() if value != base.get(name)}
        if not changed:
            return None

        def build(incident: Incident, log: list[Event]) -> list[tuple[str, dict[str, Any]]]:
            now = document_fields(incident.postmortem or Postmortem())
            clashes = [name for name in changed if now.get(name) != base.get(name)]
            if clashes:
                sections = ", ".join(SECTIONS[name][0] for name in clashes)
                raise ConflictError("postmortem.edit_conflict", id=incident.id, sections=sections)
            return [("postmortem_edited", {"fields": dict(changed)})]

        return self._record(incident_id, build)

    def add_why(self, incident_id: str, question: str, answer: str) -> Result:
        """Append one step of the 5 whys."""
        data = {
            "question": _text(question, "question", limit=ITEM_LIMIT, required=True),
            "answer": _text(answer, "answer", limit=ITEM_LIMIT, required=True),
        }
        return self._record(incident_id, lambda inc, log: [("postmortem_why_added", data)])

    def add_timeline(self, incident_id: str, at: datetime, text: str) -> Result:
        """Add a line to the generated timeline (what the log does not show)."""
        data = {
            "at": as_utc(at).isoformat(),
            "text": _text(text, "text", limit=ITEM_LIMIT, required=True),
        }
        return self._record(incident_id, lambda inc, log: [("postmortem_timeline_added", data)])

    def add_action(
        self,
        incident_id: str,
        action: str,
        *,
        owner: str = "",
        due: Any = None,
        priority: str = "P2",
        link: str = "",
    ) -> tuple[Incident, Any, ActionItem]:
        """Add an action item; its id is the next free number on the incident."""
        fields = {"action": action, "owner": owner, "due": due, "priority": priority, "link": link}
        item = validate_action(fields, "action", self.today(), new_id=1)

        def build(incident: Incident, log: list[Event]) -> list[tuple[str, dict[str, Any]]]:
            item["id"] = _next_action_id(incident, log)
            return [("action_added", {"item": item})]

        incident, report = self._record(incident_id, build, with_events=True)
        return incident, report, serde.structure(item, ActionItem)

    def change_action(self, incident_id: str, action_id: int, changes: Mapping[str, Any]) -> Result:
        """Change an action item: any of ``action``, ``owner``, ``due``, ``priority``,
        ``status``, ``link``."""
        if not changes:
            raise UsageError("postmortem.nothing_to_set")
        today = self.today()
        clean: dict[str, Any] = {}
        for key, value in changes.items():
            where = f"action.{key}"
            if key == "action":
                clean[key] = _text(value, where, limit=ITEM_LIMIT, required=True)
            elif key == "owner":
                clean[key] = _line_text(value, where, limit=200)
            elif key == "due":
                due = parse_due(value, where, today)
                clean[key] = due.isoformat() if due else None
            elif key == "priority":
                clean[key] = parse_priority(value, where)
            elif key == "status":
                clean[key] = parse_action_status(value, where)
            elif key == "link":
                clean[key] = parse_link(value, where)
            else:
                raise DocumentError(key, "unknown_key", known=", ".join(_ACTION_KEYS[1:]))

        def build(incident: Incident, log: list[Event]) -> list[tuple[str, dict[str, Any]]]:
            items = incident.postmortem.action_items if incident.postmortem else []
            current = next((a for a in items if a.id == action_id), None)
            if current is None:
                raise UsageError("postmortem.no_action", id=incident.id, action=action_id)
            delta = {k: v for k, v in clean.items() if serde.unstructure(current).get(k) != v}
            if not delta:
                raise ConflictError("postmortem.action_unchanged", id=incident.id, action=action_id)
            return [("action_changed", {"id": action_id, "changes": delta})]

        return self._record(incident_id, build)

    def publish(self, incident_id: str) -> Result:
        """Publish the post-mortem: record ``postmortem_published`` with the derived facts;
        export plugins (Markdown, Confluence...) get it through the outbox."""

        def build(incident: Incident, log: list[Event]) -> list[tuple[str, dict[str, Any]]]:
            if incident.is_open:
                raise ConflictError("postmortem.publish_open", id=incident.id)
            derived = derive(incident, log, self.policy)
            count = incident.postmortem.published_count if incident.postmortem else 0
            return [
                ("postmortem_published", {"publication": count + 1, "derived": derived.to_data()})
            ]

        return self._record(incident_id, build, with_events=True)


def document_fields(pm: Postmortem) -> dict[str, Any]:
    """The Postmortem's written fields as JSON-ready data (what documents compare)."""
    data = serde.unstructure(pm)
    return {name: data[name] for name in SECTIONS}


class _Stale(Exception):
    """The incident changed between reading its log and locking it."""


def _next_action_id(incident: Incident, log: Iterable[Event]) -> int:
    """One more than any action id the incident ever had (ids are never reused)."""
    used = [a.id for a in incident.postmortem.action_items] if incident.postmortem else []
    used += [int(e.data["item"]["id"]) for e in log if e.kind == "action_added"]
    return max(used, default=0) + 1
