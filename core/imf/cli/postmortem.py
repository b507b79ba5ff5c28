"""Post-mortem commands: ``imf postmortem`` (show, edit, set, publish, due, why, timeline) and
``imf action`` (add, done, set, list across incidents)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from imf.cli.common import (
    app_of,
    echo_json,
    fmt_time,
    incident_id,
    report_deliveries,
    t,
)
from imf.cli.main import help_language
from imf.errors import ConflictError, UsageError


def ph(key: str) -> str:
    """A help text from the post-mortem catalog, in the help language."""
    from imf.i18n import translate

    return translate(f"postmortem.help.{key}", help_language())


def _service(app: Any) -> Any:
    from imf.postmortem import PostmortemService

    return PostmortemService.of(app)


def _deliveries(report: Any) -> list[dict[str, str]]:
    return [{"plugin": o.plugin, "state": o.state, "error": o.error} for o in report.outcomes]


#: Section options of ``imf postmortem``: option attribute -> Postmortem field.
SETTERS: dict[str, str] = {
    "summary": "summary",
    "impact_users": "users_affected",
    "services": "services_affected",
    "revenue_impact": "revenue_impact",
    "downtime": "downtime",
    "root_cause": "root_cause",
    "resolution": "resolution",
    "went_well": "went_well",
    "to_improve": "to_improve",
    "lessons": "lessons",
    "problem": "problem",
    "whys_root_cause": "whys_root_cause",
    "prevention": "prevention",
}
_LISTS = frozenset({"services", "went_well", "to_improve", "prevention"})


class PostmortemCommand(click.Command):
    """``imf postmortem ID [OPTIONS]``, which also dispatches ``why`` and ``timeline``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subcommands: dict[str, click.Command] = {}

    def add(self, command: click.Command) -> click.Command:
        """Register a subcommand (``imf postmortem NAME ...``)."""
        self.subcommands[str(command.name)] = command
        return command

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        if args and args[0] in self.subcommands:
            sub = self.subcommands[args[0]]
            return sub.make_context(f"{info_name} {args[0]}", args[1:], parent=parent, **extra)
        return super().make_context(info_name, args, parent=parent, **extra)


def _setter_options(f: Any) -> Any:
    for name, option, key in reversed(
        [
            ("summary", "--summary", "summary"),
            ("impact_users", "--impact-users", "impact_users"),
            ("services", "--services", "services"),
            ("revenue_impact", "--revenue-impact", "revenue_impact"),
            ("downtime", "--downtime", "downtime"),
            ("root_cause", "--root-cause", "root_cause"),
            ("resolution", "--resolution", "resolution"),
            ("went_well", "--went-well", "went_well"),
            ("to_improve", "--to-improve", "to_improve"),
            ("lessons", "--lessons", "lessons"),
            ("problem", "--problem", "problem"),
            ("whys_root_cause", "--whys-root-cause", "whys_root_cause"),
            ("prevention", "--prevention", "prevention"),
        ]
    ):
        multiple = name in _LISTS
        f = click.option(
            option,
            name,
            multiple=multiple,
            default=() if multiple else None,
            metavar="TEXT",
            help=ph(f"opt.{key}"),
        )(f)
    return f


@click.command("postmortem", cls=PostmortemCommand, help=ph("cmd.postmortem"))
@click.argument("incident", required=False)
@click.option("--edit", is_flag=True, help=ph("opt.edit"))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["toml", "markdown"]),
    default="toml",
    help=ph("opt.format"),
)
@_setter_options
@click.option("--publish", is_flag=True, help=ph("opt.publish"))
@click.option("--due", is_flag=True, help=ph("opt.due"))
@click.option("--json", "as_json", is_flag=True, help=ph("opt.json"))
@click.option("--strict", is_flag=True, help=ph("opt.strict"))
def postmortem(
    incident: str | None,
    edit: bool,
    fmt: str,
    publish: bool,
    due: bool,
    as_json: bool,
    strict: bool,
    **options: Any,
) -> None:
    app = app_of()
    if due:
        if incident:
            raise UsageError("postmortem.cli.due_takes_no_id")
        _print_due(app, as_json)
        return
    if not incident:
        raise UsageError("postmortem.cli.need_incident")
    iid = incident_id(incident)
    pms = _service(app)
    values = _values(options)
    if edit and values:
        raise UsageError("postmortem.cli.edit_alone")
    reports: list[Any] = []
    messages: list[str] = []
    if edit:
        outcome = _edit(app, pms, iid, fmt)
        if outcome is not None:
            messages.append(t("postmortem.cli.edited", id=iid, sections=", ".join(outcome[0])))
            reports.append(outcome[1])
    if values:
        _, report = pms.set_sections(iid, values)
        sections = ", ".join(_section_path(name) for name in values)
        messages.append(t("postmortem.cli.edited", id=iid, sections=sections))
        reports.append(report)
    if publish:
        found, report = pms.publish(iid)
        count = found.postmortem.published_count
        messages.append(t("postmortem.cli.published", id=iid, count=count))
        reports.append(report)
    if not (edit or values or publish):
        view = pms.view(iid)
        if as_json:
            echo_json({"incident": iid, **view.to_data(app.lang)})
        else:
            _print_view(app, view)
        return
    if as_json:
        data = {"incident": iid, **pms.view(iid).to_data(app.lang)}
        data["deliveries"] = [d for report in reports for d in _deliveries(report)]
        echo_json(data)
    else:
        for message in messages:
            click.echo(message)
    for report in reports:
        report_deliveries(report, strict)


def _section_path(name: str) -> str:
    """The document path of Postmortem field ``name`` (what messages name)."""
    from imf.postmortem import SECTIONS

    return SECTIONS[name][0]


def _values(options: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, field_name in SETTERS.items():
        value = options.get(name)
        if name in _LISTS:
            if value:
                items = list(value)
                if name == "services":
                    items = [s.strip() for item in items for s in item.split(",")]
                values[field_name] = items
        elif value is not None:
            values[field_name] = value
    return values


# --- showing --------------------------------------------------------------------------------


def _print_view(app: Any, view: Any) -> None:
    from imf.postmortem import format_participants, format_span

    lang = app.lang
    d, pm = view.derived, view.postmortem
    state = (
        t("postmortem.published", at=fmt_time(pm.published_at), count=pm.published_count)
        if pm.published_at
        else t("postmortem.draft")
    )
    out = [f"{t('postmortem.doc.title', id=d.incident_id, title=d.title)}  [{state}]"]
    out.append(f"  {t('postmortem.field.date')}: {d.date.isoformat()}")
    out.append(f"  {t('postmortem.field.duration')}: {format_span(d, lang)}")
    out.append(
        f"  {t('postmortem.field.severity')}: {d.severity} ({d.severity_titles.get(lang, '')})"
    )
    out.append(
        f"  {t('postmortem.field.participants')}: "
        f"{format_participants(d, lang) or t('postmortem.none')}"
    )
    out += [f"  {line}" for line in t("postmortem.doc.blameless").splitlines()]
    out += _section("summary", pm.summary)
    downtime = pm.downtime
    if not downtime and d.time_to_mitigate is not None:
        from imf.facts import format_span as span

        downtime = span(d.time_to_mitigate)
    out += _heading("impact")
    for key, value in (
        ("users_affected", pm.users_affected),
        ("services_affected", ", ".join(pm.services_affected or d.services)),
        ("revenue_impact", pm.revenue_impact),
        ("downtime", downtime),
    ):
        out.append(f"  {t('postmortem.field.' + key)}: {value or t('postmortem.none')}")
    out += _heading("timeline")
    for line in d.timeline:
        label = f"{line.icon} {line.label(lang)}".strip()
        text = f" — {' '.join(line.text.split())}" if line.text else ""
        out.append(f"  {line.at.astimezone(UTC):%Y-%m-%d %H:%M}  {label}{text}")
    out += _section("root_cause", pm.root_cause)
    out += _section("resolution", pm.resolution)
    out += _items("went_well", pm.went_well)
    out += _items("to_improve", pm.to_improve)
    out += _heading("action_items")
    if not pm.action_items:
        out.append(f"  {t('postmortem.none')}")
    for item in pm.action_items:
        out.append(f"  {_action_text(item)}")
    out += _section("lessons", pm.lessons)
    out += _heading("five_whys")
    out.append(f"  {t('postmortem.field.problem')}: {pm.problem or t('postmortem.none')}")
    for number, why in enumerate(pm.whys, start=1):
        out.append(f"  {t('postmortem.field.why', n=number)}: {why.question}")
        out.append(f"    → {why.answer}")
    out.append(
        f"  {t('postmortem.field.whys_root_cause')}: {pm.whys_root_cause or t('postmortem.none')}"
    )
    out.append(f"  {t('postmortem.field.prevention')}:")
    out += [f"    - {item}" for item in pm.prevention] or [f"    {t('postmortem.none')}"]
    click.echo("\n".join(out))


def _heading(key: str) -> list[str]:
    return ["", t(f"postmortem.section.{key}")]


def _section(key: str, text: str) -> list[str]:
    body = [f"  {line}" for line in text.splitlines()] if text else [f"  {t('postmortem.none')}"]
    return [*_heading(key), *body]


def _items(key: str, items: list[str]) -> list[str]:
    body = [f"  - {' '.join(item.split())}" for item in items] or [f"  {t('postmortem.none')}"]
    return [*_heading(key), *body]


def _action_text(item: Any) -> str:
    text = t(
        "postmortem.action_line",
        id=item.id,
        priority=item.priority,
        status=t(f"postmortem.action_status.{item.status}"),
        action=" ".join(item.action.split()),
    )
    extra = []
    if item.owner:
        extra.append(t("postmortem.action_owner", owner=item.owner))
    if item.due:
        extra.append(t("postmortem.action_due", due=item.due.isoformat()))
    if item.link:
        extra.append(item.link)
    return text + (f" ({'; '.join(extra)})" if extra else "")


def _print_due(app: Any, as_json: bool) -> None:
    items = _service(app).due()
    if as_json:
        echo_json(items)
        return
    if not items:
        click.echo(t("postmortem.cli.no_due"))
        return
    header = [t(f"postmortem.cli.col.{c}") for c in ("id", "sev", "resolved", "due", "title")]
    rows = []
    for item in items:
        due = fmt_time(item.due_at) + (f" ({t('postmortem.overdue')})" if item.overdue else "")
        title = item.title + (f" [{t('postmortem.cli.draft_exists')}]" if item.draft else "")
        rows.append([item.id, item.severity, fmt_time(item.resolved_at), due, title])
    _table(header, rows)


def _table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header) - 1)]
    for row in [header, *rows]:
        cells = [str(v).ljust(widths[i]) for i, v in enumerate(row[:-1])]
        click.echo("  ".join([*cells, str(row[-1])]))


# --- editing --------------------------------------------------------------------------------

_ERROR_MARK = {"toml": "# !! ", "markdown": "<!-- !! "}


def _edit(app: Any, pms: Any, iid: str, fmt: str) -> tuple[list[str], Any] | None:
    """Run $EDITOR on the document until it validates (or the user gives up)."""
    from imf.postmortem import (
        SECTIONS,
        DocumentError,
        document_fields,
        parse_document,
        render_document,
    )

    view = pms.view(iid)
    base = document_fields(view.postmortem)
    text = render_document(view.incident, view.derived, app.lang, fmt)
    extension = ".toml" if fmt == "toml" else ".md"
    while True:
        edited = click.edit(text, extension=extension, require_save=True)
        if edited is None:
            click.echo(t("postmortem.cli.editor_unsaved"))
            return None
        try:
            fields = parse_document(_strip_errors(edited, fmt), pms.today(), fmt)
            result = pms.apply_document(iid, fields, base)
        except DocumentError as exc:
            message = exc.render(app.lang)
            click.echo("imf: " + t("postmortem.doc.rejected", error=message), err=True)
            if _reopen():
                text = _with_error(edited, message, fmt)
                continue
            _keep(edited, iid, extension)
            raise
        except ConflictError:
            _keep(edited, iid, extension)
            raise
        if result is None:
            click.echo(t("postmortem.cli.unchanged", id=iid))
            return None
        changed = [SECTIONS[n][0] for n in fields if fields[n] != base.get(n)]
        return changed, result[1]


def _reopen() -> bool:
    try:
        return bool(click.confirm(t("postmortem.cli.reopen_editor"), default=True, err=True))
    except click.exceptions.Abort:
        return False


def _strip_errors(text: str, fmt: str) -> str:
    mark = _ERROR_MARK[fmt]
    lines = text.replace("\r\n", "\n").split("\n")
    return "\n".join(line for line in lines if not line.startswith(mark))


def _with_error(text: str, message: str, fmt: str) -> str:
    mark = _ERROR_MARK[fmt]
    close = " -->" if fmt == "markdown" else ""
    lines = [f"{mark}{line}{close}" for line in message.replace("-->", "- ->").splitlines()]
    return "\n".join(lines) + "\n" + _strip_errors(text, fmt)


def _keep(text: str, iid: str, extension: str) -> None:
    """Save a rejected document so nothing typed is lost, and say where."""
    folder = drafts_folder()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    path = folder / f"postmortem-{iid}-{stamp}{extension}"
    path.write_text(text, encoding="utf-8")
    click.echo("imf: " + t("postmortem.cli.kept_draft", path=str(path)), err=True)


# --- why and timeline -----------------------------------------------------------------------


@postmortem.add
@click.command("why", help=ph("cmd.why"))
@click.argument("incident")
@click.argument("question")
@click.argument("answer")
@click.option("--json", "as_json", is_flag=True, help=ph("opt.json"))
def why(incident: str, question: str, answer: str, as_json: bool) -> None:
    app = app_of()
    found, report = _service(app).add_why(incident_id(incident), question, answer)
    n = len(found.postmortem.whys)
    _done(found, report, as_json, t("postmortem.cli.why_added", id=found.id, n=n))


@postmortem.add
@click.command("timeline", help=ph("cmd.timeline"))
@click.argument("incident")
@click.argument("time", metavar="TIME")
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help=ph("opt.json"))
def timeline(incident: str, time: str, text: str, as_json: bool) -> None:
    app = app_of()
    pms = _service(app)
    iid = incident_id(incident)
    start = pms.view(iid).derived.started_at
    at = _timeline_time(time, start)
    found, report = pms.add_timeline(iid, at, text)
    _done(found, report, as_json, t("postmortem.cli.timeline_added", id=found.id, at=fmt_time(at)))


def _timeline_time(value: str, start: datetime) -> datetime:
    """``HH:MM`` on the incident's start day (UTC), or an ISO 8601 time (UTC if naive)."""
    text = value.strip()
    try:
        if re.fullmatch(r"\d{1,2}:\d{2}", text):
            hour, minute = (int(x) for x in text.split(":"))
            return start.astimezone(UTC).replace(hour=hour, minute=minute, second=0, microsecond=0)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError("core.invalid_time", value=value) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _done(found: Any, report: Any, as_json: bool, message: str) -> None:
    if as_json:
        from imf import serde

        echo_json(
            {
                "incident": found.id,
                "postmortem": serde.unstructure(found.postmortem),
                "deliveries": _deliveries(report),
            }
        )
    else:
        click.echo(message)
    report_deliveries(report, False)


# --- action items ---------------------------------------------------------------------------


@click.group("action", help=ph("cmd.action"))
def action() -> None:
    """Post-mortem action items."""


@action.command("add", help=ph("cmd.action_add"))
@click.argument("incident")
@click.argument("text")
@click.option("--owner", default="", help=ph("opt.owner"))
@click.option("--due", default=None, metavar="DATE", help=ph("opt.due_date"))
@click.option("--priority", default="P2", help=ph("opt.priority"))
@click.option("--link", default="", help=ph("opt.link"))
@click.option("--json", "as_json", is_flag=True, help=ph("opt.json"))
def action_add(
    incident: str, text: str, owner: str, due: str | None, priority: str, link: str, as_json: bool
) -> None:
    app = app_of()
    found, report, item = _service(app).add_action(
        incident_id(incident), text, owner=owner, due=due, priority=priority, link=link
    )
    _done(found, report, as_json, t("postmortem.cli.action_added", id=found.id, action=item.id))


@action.command("done", help=ph("cmd.action_done"))
@click.argument("incident")
@click.argument("action_id", metavar="ACTION_ID", type=click.IntRange(1))
@click.option("--json", "as_json", is_flag=True, help=ph("opt.json"))
def action_done(incident: str, action_id: int, as_json: bool) -> None:
    _change(incident, action_id, {"status": "done"}, as_json)


@action.command("set", help=ph("cmd.action_set"))
@click.argument("incident")
@click.argument("action_id", metavar="ACTION_ID", type=click.IntRange(1))
@click.option("--status", help=ph("opt.status"))
@click.option("--owner", help=ph("opt.owner"))
@click.option("--due", metavar="DATE", help=ph("opt.due_date"))
@click.option("--priority", help=ph("opt.priority"))
@click.option("--link", help=ph("opt.link"))
@click.option("--text", help=ph("opt.text"))
@click.option("--json", "as_json", is_flag=True, help=ph("opt.json"))
def action_set(incident: str, action_id: int, as_json: bool, **options: str | None) -> None:
    changes = {("action" if k == "text" else k): v for k, v in options.items() if v is not None}
    _change(incident, action_id, changes, as_json)


def _change(incident: str, action_id: int, changes: dict[str, Any], as_json: bool) -> None:
    app = app_of()
    found, report = _service(app).change_action(incident_id(incident), action_id, changes)
    item = next(a for a in found.postmortem.action_items if a.id == action_id)
    values = {key: getattr(item, key) for key in changes}
    described = ", ".join(f"{key}={'' if v is None else v}" for key, v in values.items())
    message = t("postmortem.cli.action_changed", id=found.id, action=action_id, changes=described)
    _done(found, report, as_json, message)


@action.command("list", help=ph("cmd.action_list"))
@click.option("--open", "open_only", is_flag=True, help=ph("opt.open"))
@click.option("--owner", help=ph("opt.owner_filter"))
@click.option("--json", "as_json", is_flag=True, help=ph("opt.json"))
def action_list(open_only: bool, owner: str | None, as_json: bool) -> None:
    app = app_of()
    rows = _service(app).actions(open_only=open_only, owner=owner)
    if as_json:
        echo_json(
            [
                {
                    "incident": r.incident_id,
                    "incident_title": r.incident_title,
                    "overdue": r.overdue,
                    **_item_data(r.item),
                }
                for r in rows
            ]
        )
        return
    if not rows:
        click.echo(
            t("postmortem.cli.no_open_actions" if open_only else "postmortem.cli.no_actions")
        )
        return
    columns = ("incident", "id", "priority", "status", "due", "owner", "action")
    header = [t(f"postmortem.cli.col.{c}") for c in columns]
    lines = []
    for r in rows:
        due = r.item.due.isoformat() if r.item.due else ""
        if r.overdue:
            due += f" ({t('postmortem.overdue')})"
        lines.append(
            [
                r.incident_id,
                f"#{r.item.id}",
                r.item.priority,
                t(f"postmortem.action_status.{r.item.status}"),
                due,
                r.item.owner,
                " ".join(r.item.action.split()),
            ]
        )
    _table(header, lines)


def _item_data(item: Any) -> dict[str, Any]:
    from imf import serde

    data: dict[str, Any] = serde.unstructure(item)
    return data


def drafts_folder() -> Path:
    """Where rejected post-mortem documents are kept."""
    from imf.dirs import user_data_dir

    return Path(user_data_dir()) / "drafts"
