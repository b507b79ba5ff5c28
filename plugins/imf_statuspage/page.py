"""What the self-hosted status page shows, and its rendering with Jinja2 (autoescaped).

The input is the page's *state*: the public record of every incident it has shown (see
:mod:`imf_statuspage.static`). From it this module derives the current status of each
component, the open incidents, the daily history bars and the past incidents, then renders
``index.html``, one page per incident, ``feed.atom`` and ``status.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

import attrs

from imf_statuspage.config import COMPONENT_ORDER, StaticConfig, worst
from imf_statuspage.messages import translate
from imf_statuspage.public import body_of, parse_time

#: Share of a period that counts as downtime, by component status (for the uptime figure).
DOWNTIME_WEIGHT = {"major_outage": 1.0, "partial_outage": 0.3}

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SLUG = re.compile(r"[^a-z0-9-]+")


def clean(text: str) -> str:
    """``text`` without characters HTML and XML documents must not contain."""
    return _NOT_XML.sub("", text)


def slug(incident_id: str) -> str:
    """The file name stem of an incident's page: ``INC-12`` → ``inc-12``."""
    return _SLUG.sub("-", incident_id.lower()).strip("-") or "incident"


@attrs.frozen
class Site:
    """Everything about the page that does not come from incidents."""

    config: StaticConfig
    lang: str
    languages: tuple[str, ...]
    organization: str
    now: datetime

    def t(self, key: str, /, **params: Any) -> str:
        """A message of the ``statuspage`` catalog in this page's language."""
        return translate(key, self.lang, **params)

    @property
    def title(self) -> str:
        """The page title."""
        if self.config.title:
            return self.config.title
        if self.organization:
            return self.t("statuspage.page.title", organization=self.organization)
        return self.t("statuspage.page.title_default")

    def prefix(self, lang: str) -> str:
        """The folder of the page in ``lang``, relative to the output directory."""
        return "" if lang == self.languages[0] else f"{lang}/"

    def absolute(self, relative: str) -> str:
        """``relative`` (from the output directory) under ``base_url``, or as it is."""
        if not self.config.base_url:
            return relative
        return f"{self.config.base_url.rstrip('/')}/{relative}"


# ---------------------------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------------------------


def fmt_time(value: datetime, lang: str) -> str:
    """``Nov 28, 2026, 18:27 UTC`` / ``28 ноября 2026, 18:27 UTC``."""
    value = value.astimezone(UTC)
    month = translate(f"statuspage.month.{value.month}", lang)
    return translate(
        "statuspage.time",
        lang,
        month=month,
        day=value.day,
        year=value.year,
        time=value.strftime("%H:%M"),
    )


def fmt_date(value: date, lang: str) -> str:
    """``Nov 28, 2026`` / ``28 ноября 2026``."""
    month = translate(f"statuspage.month.{value.month}", lang)
    return translate("statuspage.date", lang, month=month, day=value.day, year=value.year)


def fmt_duration(value: timedelta, lang: str) -> str:
    """``45 min``, ``2 h 05 min``, ``3 d 4 h``."""
    minutes = max(0, int(value.total_seconds() // 60))
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    if days:
        return translate("statuspage.duration.days", lang, days=days, hours=hours)
    if hours:
        return translate("statuspage.duration.hours", lang, hours=hours, minutes=f"{minutes:02d}")
    return translate("statuspage.duration.minutes", lang, minutes=minutes)


def _end(start: datetime, end: datetime | None, lang: str) -> str:
    """The end of a period: only the clock time when it ends on the day it started."""
    if end is None:
        return ""
    if start.astimezone(UTC).date() == end.astimezone(UTC).date():
        return translate("statuspage.clock", lang, time=end.astimezone(UTC).strftime("%H:%M"))
    return fmt_time(end, lang)


def fmt_percent(value: float, lang: str) -> str:
    """``99.95`` (or ``99,95`` in Russian), never rounded up to 100 while below it."""
    text = f"{int(value * 100) / 100:.2f}"
    return text.replace(".", ",") if lang == "ru" else text


def iso(value: datetime) -> str:
    """RFC 3339 in UTC with a ``Z`` (Atom, ``datetime`` attributes, JSON)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------------
# Deriving what is shown
# ---------------------------------------------------------------------------------------------


@attrs.frozen
class Record:
    """The public record of one incident, read from the state."""

    id: str
    title: str
    impact: str
    component_status: str
    services: tuple[str, ...]
    status: str
    declared_at: datetime
    resolved_at: datetime | None
    entries: tuple[Mapping[str, Any], ...]

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Record:
        """A record from its JSON form."""
        resolved = data.get("resolved_at")
        return cls(
            id=str(data["id"]),
            title=clean(str(data["title"])),
            impact=str(data.get("impact", "minor")),
            component_status=str(data.get("component_status", "degraded_performance")),
            services=tuple(str(s) for s in data.get("services", ())),
            status=str(data["status"]),
            declared_at=parse_time(str(data["declared_at"])),
            resolved_at=parse_time(str(resolved)) if resolved else None,
            entries=tuple(data.get("entries", ())),
        )

    @property
    def is_open(self) -> bool:
        """True until resolved."""
        return self.status != "resolved"

    def end(self, now: datetime) -> datetime:
        """When the incident ended (now while it is open)."""
        return self.resolved_at or now

    @property
    def updated_at(self) -> datetime:
        """The time of its latest public update."""
        times = [parse_time(str(entry["at"])) for entry in self.entries]
        return max([self.declared_at, *times])


def records_of(state: Mapping[str, Any]) -> list[Record]:
    """The incidents of a state, newest first."""
    found = [Record.of(data) for data in state.get("incidents", {}).values()]
    return sorted(found, key=lambda r: (r.declared_at, r.id), reverse=True)


def components_of(site: Site, records: Iterable[Record]) -> list[tuple[str, str]]:
    """``(service, public name)`` of the components shown, in display order."""
    if site.config.components:
        return list(site.config.components.items())
    services = sorted({service for record in records for service in record.services})
    return [(service, service) for service in services]


def component_status(service: str, records: Iterable[Record]) -> str:
    """The current status of ``service``: the worst among open incidents affecting it."""
    statuses = [r.component_status for r in records if r.is_open and service in r.services]
    return worst(statuses, COMPONENT_ORDER)


def daily_status(service: str, records: Iterable[Record], day: date, now: datetime) -> str:
    """The worst status of ``service`` on ``day`` (UTC)."""
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    end = start + timedelta(days=1)
    statuses = [
        r.component_status
        for r in records
        if service in r.services and r.declared_at < end and r.end(now) > start
    ]
    return worst(statuses, COMPONENT_ORDER)


def uptime(service: str, records: Iterable[Record], since: datetime, now: datetime) -> float:
    """Percent of the time since ``since`` that ``service`` was up: a major outage counts
    fully as downtime, a partial outage at 30 %; overlapping incidents count once, at the
    worst weight."""
    marks: list[tuple[datetime, int, float]] = []
    for record in records:
        weight = DOWNTIME_WEIGHT.get(record.component_status, 0.0)
        if service not in record.services or weight == 0.0:
            continue
        start, end = max(record.declared_at, since), min(record.end(now), now)
        if end > start:
            marks += [(start, 1, weight), (end, -1, weight)]
    down, last = 0.0, since
    active: list[float] = []
    for moment, step, weight in sorted(marks, key=lambda m: (m[0], -m[1])):
        if active:
            down += (moment - last).total_seconds() * max(active)
        if step > 0:
            active.append(weight)
        else:
            active.remove(weight)
        last = moment
    total = (now - since).total_seconds()
    return 100.0 if total <= 0 else max(0.0, 100.0 * (1 - down / total))


# ---------------------------------------------------------------------------------------------
# The view model handed to the templates
# ---------------------------------------------------------------------------------------------


def incident_view(
    site: Site, record: Record, names: Mapping[str, str], root: str
) -> dict[str, Any]:
    """An incident as the templates show it (``root`` leads to the language's folder)."""
    lang = site.lang
    updates = [
        {
            "status": entry["status"],
            "status_label": site.t(f"statuspage.status.{entry['status']}"),
            "text": clean(body_of(entry, lang)),
            "time": fmt_time(parse_time(str(entry["at"])), lang),
            "iso": iso(parse_time(str(entry["at"]))),
        }
        for entry in reversed(record.entries)
    ]
    end = record.end(site.now)
    page = f"incidents/{slug(record.id)}.html"
    return {
        "id": record.id,
        "title": record.title,
        "href": root + page,
        "page": page,
        "status": record.status,
        "status_label": site.t(f"statuspage.status.{record.status}"),
        "impact": record.impact,
        "impact_label": site.t(f"statuspage.impact.{record.impact}"),
        "affected": [names[s] for s in record.services if s in names],
        "started": fmt_time(record.declared_at, lang),
        "started_iso": iso(record.declared_at),
        "resolved": fmt_time(record.resolved_at, lang) if record.resolved_at else "",
        "resolved_short": _end(record.declared_at, record.resolved_at, lang),
        "resolved_iso": iso(record.resolved_at) if record.resolved_at else "",
        "duration": fmt_duration(end - record.declared_at, lang),
        "updated_iso": iso(record.updated_at),
        "updates": updates,
        "latest": updates[0] if updates else None,
        "is_open": record.is_open,
    }


def view(site: Site, records: list[Record]) -> dict[str, Any]:
    """The whole page in ``site.lang``: components, banner, open and past incidents."""
    now, days = site.now, site.config.history_days
    since = now - timedelta(days=days)
    shown = [r for r in records if r.is_open or r.end(now) >= since]
    components = components_of(site, shown)
    names = dict(components)
    today = now.astimezone(UTC).date()
    window = [today - timedelta(days=offset) for offset in range(days - 1, -1, -1)]
    rows = []
    for service, name in components:
        status = component_status(service, records)
        bars = []
        for day in window:
            state = daily_status(service, records, day, now)
            label = fmt_date(day, site.lang)
            title = (
                site.t("statuspage.page.day_ok", date=label)
                if state == "operational"
                else site.t(
                    "statuspage.page.day_status",
                    date=label,
                    status=site.t(f"statuspage.component.{state}"),
                )
            )
            bars.append({"status": state, "title": title})
        rows.append(
            {
                "name": clean(name),
                "status": status,
                "status_label": site.t(f"statuspage.component.{status}"),
                "bars": bars,
                "uptime": site.t(
                    "statuspage.page.uptime",
                    days=days,
                    percent=fmt_percent(uptime(service, records, since, now), site.lang),
                ),
            }
        )
    open_records = [r for r in shown if r.is_open]
    overall = worst(
        [str(row["status"]) for row in rows] + [r.component_status for r in open_records],
        COMPONENT_ORDER,
    )
    history: dict[date, list[dict[str, Any]]] = {}
    for record in shown:
        if not record.is_open:
            day = record.declared_at.astimezone(UTC).date()
            history.setdefault(day, []).append(incident_view(site, record, names, ""))
    return {
        "components": rows,
        "overall": overall,
        "overall_label": site.t(f"statuspage.overall.{overall}"),
        "open": [incident_view(site, r, names, "") for r in open_records],
        "history": [
            {"date": fmt_date(day, site.lang), "iso": day.isoformat(), "incidents": items}
            for day, items in sorted(history.items(), reverse=True)
        ],
        "history_days": days,
        "bar_first": site.t("statuspage.page.days_ago", days=days),
        "bar_last": site.t("statuspage.page.today"),
        "names": names,
        "shown": shown,
    }


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


@cache
def environment() -> Any:
    """The Jinja2 environment: templates from this package, every value autoescaped."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("imf_statuspage", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _common(site: Site, root: str, here: str) -> dict[str, Any]:
    """Template values every page has: language links, titles, footer."""
    links = []
    for lang in site.languages:
        target = f"{root}{_up(site.prefix(site.lang))}{site.prefix(lang)}{here}"
        links.append(
            {
                "lang": lang,
                "href": target,
                "current": lang == site.lang,
                "label": translate(f"statuspage.language.{lang}", lang),
            }
        )
    return {
        "lang": site.lang,
        "t": site.t,
        "page_title": site.title,
        "root": root,
        "json_href": f"{root}{_up(site.prefix(site.lang))}status.json",
        "languages": links if len(links) > 1 else [],
        "updated": site.t("statuspage.page.updated", time=fmt_time(site.now, site.lang)),
        "updated_iso": iso(site.now),
    }


def _up(prefix: str) -> str:
    """The way back up from a language folder (``ru/`` → ``../``)."""
    return "../" * prefix.count("/")


def render_pages(site: Site, records: list[Record]) -> dict[str, str]:
    """Every file of the page in ``site.lang``: path (relative to the output directory) →
    text."""
    env = environment()
    data = view(site, records)
    prefix = site.prefix(site.lang)
    files: dict[str, str] = {}
    for record in data["shown"]:
        incident = incident_view(site, record, data["names"], "../")
        common = _common(site, "../", incident["page"])
        files[prefix + incident["page"]] = env.get_template("incident.html.j2").render(
            **common,
            incident=incident,
            document_title=site.t(
                "statuspage.page.incident_title", title=record.title, page=site.title
            ),
        )
    common = _common(site, "", "index.html")
    files[prefix + "index.html"] = env.get_template("index.html.j2").render(
        **common,
        **data,
        document_title=site.title,
    )
    files[prefix + "feed.atom"] = render_feed(site, data["shown"], data["names"])
    return files


def render_feed(site: Site, records: list[Record], names: Mapping[str, str]) -> str:
    """The Atom feed of the shown incidents, newest update first."""
    prefix = site.prefix(site.lang)
    feed_id = site.absolute(f"{prefix}feed.atom")
    items = []
    for record in sorted(records, key=lambda r: r.updated_at, reverse=True):
        incident = incident_view(site, record, names, "")
        link = site.absolute(prefix + incident["page"])
        items.append(
            {
                **incident,
                "link": link,
                "atom_id": link
                if site.config.base_url
                else f"urn:imf:statuspage:{slug(record.id)}",
                "text": "\n\n".join(
                    f"{u['status_label']} ({u['time']}): {u['text']}" for u in incident["updates"]
                ),
            }
        )
    updated = max([r.updated_at for r in records], default=site.now)
    return str(
        environment()
        .get_template("feed.atom.j2")
        .render(
            lang=site.lang,
            title=site.t("statuspage.page.feed_title", page=site.title),
            author=site.title,
            feed_id=feed_id if site.config.base_url else "urn:imf:statuspage:feed:" + site.lang,
            self_href=feed_id if site.config.base_url else "feed.atom",
            index_href=site.absolute(f"{prefix}index.html")
            if site.config.base_url
            else "index.html",
            updated=iso(updated),
            items=items,
        )
    )


def render_json(site: Site, records: list[Record]) -> str:
    """``status.json``: the overall indicator, components and incidents, machine-readable."""
    data = view(site, records)
    impact_of_overall = {
        "operational": "none",
        "under_maintenance": "maintenance",
        "degraded_performance": "minor",
        "partial_outage": "major",
        "major_outage": "critical",
    }

    def incident(record: Record) -> dict[str, Any]:
        return {
            "id": record.id,
            "name": record.title,
            "status": record.status,
            "impact": record.impact,
            "components": [data["names"][s] for s in record.services if s in data["names"]],
            "created_at": iso(record.declared_at),
            "resolved_at": iso(record.resolved_at) if record.resolved_at else None,
            "updated_at": iso(record.updated_at),
            "url": site.absolute(f"incidents/{slug(record.id)}.html"),
            "updates": [
                {
                    "status": e["status"],
                    "body": clean(body_of(e, site.lang)),
                    "created_at": iso(parse_time(str(e["at"]))),
                }
                for e in reversed(record.entries)
            ],
        }

    document = {
        "page": {
            "name": site.title,
            "url": site.absolute("index.html"),
            "language": site.lang,
            "updated_at": iso(site.now),
        },
        "status": {
            "indicator": impact_of_overall[data["overall"]],
            "description": data["overall_label"],
        },
        "components": [
            {"name": row["name"], "status": row["status"]} for row in data["components"]
        ],
        "incidents": [incident(r) for r in data["shown"] if r.is_open],
        "history": [incident(r) for r in data["shown"] if not r.is_open],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
