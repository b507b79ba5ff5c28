"""``imf playbook list|show|attach|lint``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from imf.cli.common import app_of, echo_json, fmt_duration, incident_id, json_option, lang, t
from imf.cli.ics import hh


def _warn(problems: list[Any]) -> None:
    for problem in problems:
        click.echo("imf: " + t("ics.playbook_skipped", problem=problem.render(lang())), err=True)


def _summary(app: Any, playbook: Any, origin: str) -> dict[str, Any]:
    from imf.ics.text import localize

    return {
        "name": playbook.name,
        "title": localize(playbook.title, app.lang),
        "severity": playbook.severity,
        "match": {
            "services": list(playbook.services),
            "tags": list(playbook.tags),
            "keywords": list(playbook.keywords),
        },
        "origin": origin,
        "source": playbook.source,
    }


def _origin(found: Any, playbook: Any) -> str:
    for origin, directory in reversed(found.dirs):
        if Path(playbook.source).parent == directory:
            return str(origin)
    return ""


@click.group(help=hh("cmd.playbook"))
def playbook() -> None:
    pass


@playbook.command("list", help=hh("cmd.playbook_list"))
@json_option
def list_(as_json: bool) -> None:
    from imf.ics.playbooks import discover

    app = app_of()
    found = discover(app)
    rows = [
        _summary(app, found.playbooks[n], _origin(found, found.playbooks[n]))
        for n in sorted(found.playbooks)
    ]
    if as_json:
        echo_json(
            {
                "playbooks": rows,
                "search_path": [{"origin": o, "path": str(p)} for o, p in found.dirs],
                "problems": [p.render(app.lang) for p in found.problems],
            }
        )
        return
    _warn(found.problems)
    if not rows:
        click.echo(t("ics.playbooks_none"))
        return
    width = max(len(r["name"]) for r in rows)
    for row in rows:
        severity = f" [{row['severity']}]" if row["severity"] else ""
        click.echo(f"{row['name'].ljust(width)}  {row['title']}{severity}  ({row['origin']})")


@playbook.command(help=hh("cmd.playbook_show"))
@click.argument("name")
@json_option
def show(name: str, as_json: bool) -> None:
    from imf import serde
    from imf.ics.playbooks import discover
    from imf.ics.text import localize

    app = app_of()
    found = discover(app)
    book = found.get(name)
    if as_json:
        echo_json(
            {**_summary(app, book, _origin(found, book)), "playbook": serde.unstructure(book)}
        )
        return
    severity = f" [{book.severity}]" if book.severity else ""
    click.echo(f"{book.name}: {localize(book.title, app.lang)}{severity}")
    if book.description:
        click.echo(f"  {localize(book.description, app.lang)}")
    matches = [
        f"{t('ics.match.' + kind)}: {', '.join(values)}"
        for kind, values in (
            ("service", book.services),
            ("tag", book.tags),
            ("keyword", book.keywords),
        )
        if values
    ]
    if matches:
        click.echo(f"  {t('ics.matches')}: " + "; ".join(matches))
    for phase in book.phases:
        click.echo(f"\n{localize(phase.title, app.lang)}")
        for step in phase.steps:
            click.echo(f"  - {localize(step.text, app.lang)}  [{book.step_id(step.id)}]")
            if step.command:
                click.echo(f"      $ {step.command}")
    if book.escalation:
        click.echo(f"\n{t('ics.escalation_rules')}")
        for rule in book.escalation:
            click.echo(
                "  - "
                + t(
                    "ics.escalation_rule",
                    after=fmt_duration(rule.after),
                    to=rule.to,
                    text=localize(rule.text, app.lang),
                )
            )
    click.echo(f"\n{t('ics.source')}: {book.source}")


@playbook.command(help=hh("cmd.playbook_attach"))
@click.argument("incident")
@click.argument("name")
@json_option
def attach(incident: str, name: str, as_json: bool) -> None:
    from imf.errors import ConflictError
    from imf.ics.playbooks import discover
    from imf.ics.text import localize

    app = app_of()
    current = app.store.get(incident_id(incident))
    book = discover(app).get(name)
    if book.name in current.playbooks:
        raise ConflictError("ics.playbook_attached_already", name=book.name, id=current.id)
    found, _ = app.service.record(current.id, "playbook_attached", {"playbook": book.name})
    if as_json:
        echo_json({"incident": found, "playbook": book.name})
        return
    click.echo(
        t(
            "ics.playbook_attached",
            name=book.name,
            title=localize(book.title, app.lang),
            id=found.id,
        )
    )
    click.echo(t("ics.playbook_attached_hint", id=found.id, name=book.name))


@playbook.command(help=hh("cmd.playbook_lint"))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@json_option
def lint(files: tuple[Path, ...], as_json: bool) -> None:
    from imf.ics.playbooks import read

    app = app_of()
    results = []
    for path in files:
        _, problems = read(path, app.policy.names())
        results.append((path, sorted(problems, key=lambda p: p.line)))
    failed = any(problems for _, problems in results)
    if as_json:
        echo_json(
            {
                "ok": not failed,
                "files": [
                    {
                        "file": str(path),
                        "problems": [
                            {
                                "line": p.line,
                                "key": p.params.get("key", ""),
                                "message": p.render(app.lang),
                            }
                            for p in problems
                        ],
                    }
                    for path, problems in results
                ],
            }
        )
    else:
        for path, problems in results:
            if problems:
                for problem in problems:
                    click.echo(problem.render(app.lang))
            else:
                click.echo(t("ics.lint_ok", file=str(path)))
    if failed:
        raise click.exceptions.Exit(1)
