"""Playbooks: TOML files with what they match, phases of steps and escalation rules.

A playbook file::

    name = "database-outage"
    title = { en = "Database outage", ru = "Отказ базы данных" }
    severity = "P1"                       # optional: the severity it usually warrants

    [match]                               # suggested on declare when any of these match
    services = ["db"]
    tags = ["database"]
    keywords = ["database"]               # whole words of the title or summary

    [[phases]]
    id = "initial"
    title = { en = "Initial response (0-5 min)", ru = "Первичная реакция (0-5 мин)" }

    [[phases.steps]]
    id = "verify-outage"                  # checked as playbook.database-outage.verify-outage
    text = "Verify the outage"
    command = "psql -c 'select 1'"        # optional: shown with the step

    [[escalation]]
    id = "vendor"
    after = "15m"                         # after the declaration, while unresolved
    to = "vendor (AWS/Azure)"
    step = "vendor"                       # optional: checking this step settles the rule

Texts are a string or a table of language to text. Playbooks are searched in the bundled
directory, then plugins' directories (``imf_playbook_dirs``), then ``[imf] playbook_dir``; a
later playbook replaces an earlier one with the same name. :func:`read` reports every problem
of a file with its line, which is what ``imf playbook lint`` prints. Suggestions on declare
read an index of the files instead (:mod:`imf.ics.playbook_index`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from attrs import define, field, frozen

from imf.errors import ConfigError, NotFoundError
from imf.i18n import LANGUAGES, translate
from imf.ics.checklists import ID_PATTERN, Checklist, ChecklistItem
from imf.ics.playbook_index import bundled_dir as bundled_dir
from imf.ics.playbook_index import match_reasons as reasons_of
from imf.ics.playbook_index import rank
from imf.ics.playbook_index import search_path as search_path
from imf.ics.text import Text, as_text, localize
from imf.ics.tomllines import key_lines, line_of
from imf.model import Incident
from imf.validate import parse_duration


@frozen
class Step:
    """One step of a playbook phase."""

    id: str
    text: Text
    command: str = ""


@frozen
class Phase:
    """A phase of a playbook (initial response, diagnosis...)."""

    id: str
    title: Text
    steps: tuple[Step, ...]


@frozen
class EscalationRule:
    """A rule "unresolved ``after`` the declaration → escalate ``to``".

    :ivar key: unique among all rules (``playbook.database-outage.vendor``,
        ``imf.escalation.vp``); reminders name it.
    :ivar step: the full id of the checklist item that settles the rule, if any.
    :ivar severities: levels the rule applies to (all when empty).
    """

    id: str
    key: str
    after: timedelta
    to: str
    text: Text = field(factory=dict)
    step: str = ""
    severities: tuple[str, ...] = ()


@frozen
class Playbook:
    """A parsed playbook; ``source`` is the file it came from."""

    name: str
    title: Text
    phases: tuple[Phase, ...]
    description: Text = field(factory=dict)
    severity: str = ""
    services: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    escalation: tuple[EscalationRule, ...] = ()
    source: str = ""

    def step_id(self, step: str) -> str:
        """The checklist item id of step ``step``."""
        return f"playbook.{self.name}.{step}"


@frozen
class Problem:
    """One problem of a playbook file, at a line."""

    file: str
    line: int
    key: str
    params: Mapping[str, Any] = field(factory=dict)

    @property
    def where(self) -> str:
        """``file:line``."""
        return f"{self.file}:{self.line}"

    def render(self, lang: str) -> str:
        """``file:line: message`` in ``lang``."""
        return translate(self.key, lang, where=self.where, **self.params)

    def error(self) -> ConfigError:
        """The problem as an error the CLI prints."""
        return ConfigError(self.key, where=self.where, **self.params)


_TOP = ("name", "title", "description", "severity", "match", "phases", "escalation")
_MATCH = ("services", "tags", "keywords")
_PHASE = ("id", "title", "steps")
_STEP = ("id", "text", "command")
_RULE = ("id", "after", "to", "text", "step")


class _Checker:
    """Collects the problems of one playbook's data, each at the line of its key."""

    def __init__(self, text: str, source: str) -> None:
        self.lines = key_lines(text)
        self.source = source
        self.problems: list[Problem] = []

    def add(self, path: str, key: str, **params: Any) -> None:
        self.problems.append(
            Problem(self.source, line_of(self.lines, path), key, {"key": path, **params})
        )

    def table(self, value: Any, path: str, known: Sequence[str], required: Sequence[str]) -> bool:
        if not isinstance(value, Mapping):
            self.add(path, "ics.lint.expected_table")
            return False
        for name in value:
            if name not in known:
                self.add(
                    f"{path}.{name}" if path else name,
                    "ics.lint.unknown_key",
                    known=", ".join(known),
                )
        for name in required:
            if name not in value:
                self.add(f"{path}.{name}" if path else name, "ics.lint.missing_key")
        return True

    def string(self, value: Any, path: str) -> str:
        if not isinstance(value, str):
            self.add(path, "ics.lint.expected_string")
            return ""
        return value

    def strings(self, value: Any, path: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(path, "ics.lint.expected_strings")
            return ()
        return tuple(v for v in value if v.strip())

    def text(self, value: Any, path: str) -> Text:
        if isinstance(value, str):
            if not value.strip():
                self.add(path, "ics.lint.empty_text")
            return as_text(value)
        if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
            self.add(path, "ics.lint.expected_text")
            return {}
        for lang in value:
            if lang not in LANGUAGES:
                self.add(
                    f"{path}.{lang}",
                    "ics.lint.unknown_language",
                    value=lang,
                    valid=", ".join(LANGUAGES),
                )
        if not any(v.strip() for v in value.values()):
            self.add(path, "ics.lint.empty_text")
        return as_text(value)

    def ident(self, value: Any, path: str, seen: dict[str, str] | None = None) -> str:
        text = self.string(value, path)
        if isinstance(value, str) and not ID_PATTERN.match(text):
            self.add(path, "ics.lint.bad_id", value=text)
        if seen is not None and text:
            if text in seen:
                self.add(
                    path, "ics.lint.duplicate_id", value=text, first=line_of(self.lines, seen[text])
                )
            else:
                seen[text] = path
        return text

    def tables(self, value: Any, path: str) -> list[Mapping[str, Any]]:
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            self.add(path, "ics.lint.expected_tables")
            return []
        if not value:
            self.add(path, "ics.lint.empty_list")
        return value

    def duration(self, value: Any, path: str) -> timedelta:
        try:
            found = parse_duration(value)
        except ValueError:
            self.add(path, "ics.lint.bad_duration", value=value)
            return timedelta()
        if found <= timedelta():
            self.add(path, "ics.lint.bad_duration", value=value)
        return found


def parse(
    text: str, source: str, severities: Sequence[str] = ()
) -> tuple[Playbook | None, list[Problem]]:
    """The playbook in ``text`` and every problem found (the playbook is None if any).

    :param source: the file name used in problems.
    :param severities: valid severity names; when given, ``severity`` must be one of them.
    """
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        from imf.config import toml_syntax_error

        line, _column, reason = toml_syntax_error(exc)
        return None, [Problem(source, line or 1, "ics.lint.syntax", {"reason": reason})]
    check = _Checker(text, source)
    check.table(data, "", _TOP, ("name", "title", "phases"))
    name = check.ident(data["name"], "name") if "name" in data else ""
    title = check.text(data["title"], "title") if "title" in data else {}
    description = check.text(data["description"], "description") if "description" in data else {}
    severity = check.string(data.get("severity", ""), "severity")
    if severity and severities and severity not in severities:
        check.add(
            "severity", "ics.lint.unknown_severity", value=severity, valid=", ".join(severities)
        )
    matching: dict[str, tuple[str, ...]] = {k: () for k in _MATCH}
    if "match" in data and check.table(data["match"], "match", _MATCH, ()):
        for key in _MATCH:
            if key in data["match"]:
                matching[key] = check.strings(data["match"][key], f"match.{key}")
    step_ids: dict[str, str] = {}
    phase_ids: dict[str, str] = {}
    phases = []
    phase_tables = check.tables(data["phases"], "phases") if "phases" in data else []
    for p, phase in enumerate(phase_tables):
        at = f"phases[{p}]"
        check.table(phase, at, _PHASE, _PHASE)
        steps = []
        step_tables = check.tables(phase["steps"], f"{at}.steps") if "steps" in phase else []
        for s, step in enumerate(step_tables):
            sat = f"{at}.steps[{s}]"
            check.table(step, sat, _STEP, ("id", "text"))
            steps.append(
                Step(
                    id=check.ident(step.get("id"), f"{sat}.id", step_ids) if "id" in step else "",
                    text=check.text(step["text"], f"{sat}.text") if "text" in step else {},
                    command=check.string(step.get("command", ""), f"{sat}.command"),
                )
            )
        phases.append(
            Phase(
                id=check.ident(phase.get("id"), f"{at}.id", phase_ids) if "id" in phase else "",
                title=check.text(phase["title"], f"{at}.title") if "title" in phase else {},
                steps=tuple(steps),
            )
        )
    rules = []
    rule_ids: dict[str, str] = {}
    if "escalation" in data:
        for r, rule in enumerate(check.tables(data["escalation"], "escalation")):
            at = f"escalation[{r}]"
            check.table(rule, at, _RULE, ("id", "after", "to"))
            rule_id = check.ident(rule.get("id"), f"{at}.id", rule_ids) if "id" in rule else ""
            settles = check.string(rule.get("step", ""), f"{at}.step")
            if settles and settles not in step_ids:
                check.add(f"{at}.step", "ics.lint.unknown_step", value=settles)
            rules.append(
                EscalationRule(
                    id=rule_id,
                    key=f"playbook.{name}.{rule_id}",
                    after=check.duration(rule["after"], f"{at}.after")
                    if "after" in rule
                    else timedelta(),
                    to=check.string(rule.get("to", ""), f"{at}.to"),
                    text=check.text(rule["text"], f"{at}.text") if "text" in rule else {},
                    step=f"playbook.{name}.{settles}" if settles else "",
                )
            )
    if check.problems:
        return None, check.problems
    playbook = Playbook(
        name=name,
        title=title,
        description=description,
        severity=severity,
        services=matching["services"],
        tags=matching["tags"],
        keywords=matching["keywords"],
        phases=tuple(phases),
        escalation=tuple(rules),
        source=source,
    )
    return playbook, []


def read(path: Path, severities: Sequence[str] = ()) -> tuple[Playbook | None, list[Problem]]:
    """Read and check the playbook file at ``path`` (see :func:`parse`)."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problem(source, 1, "ics.lint.not_utf8")]
    except OSError as exc:
        return None, [
            Problem(source, 1, "ics.lint.unreadable", {"reason": exc.strerror or str(exc)})
        ]
    return parse(text, source, severities)


@define
class Found:
    """The playbooks on the search path.

    :ivar playbooks: valid playbooks by name (a later directory's replace earlier ones).
    :ivar problems: problems of the files that could not be used.
    :ivar dirs: the directories searched, with their origin (bundled, a plugin, config).
    """

    playbooks: dict[str, Playbook] = field(factory=dict)
    problems: list[Problem] = field(factory=list)
    dirs: list[tuple[str, Path]] = field(factory=list)

    def get(self, name: str) -> Playbook:
        """The playbook called ``name``; a NotFoundError listing the known ones otherwise."""
        found = self.playbooks.get(name.strip())
        if found is None:
            raise NotFoundError(
                "ics.playbook_not_found", name=name, known=", ".join(sorted(self.playbooks)) or "-"
            )
        return found


def discover(app: Any) -> Found:
    """Every playbook on the app's search path."""
    found = Found(dirs=search_path(app))
    for _origin, directory in found.dirs:
        if not directory.is_dir():
            continue
        names: dict[str, str] = {}
        for path in sorted(directory.glob("*.toml")):
            playbook, problems = read(path)
            if playbook is None:
                found.problems.extend(problems)
                continue
            if playbook.name in names:
                found.problems.append(
                    Problem(
                        str(path),
                        1,
                        "ics.lint.duplicate_name",
                        {"key": "name", "value": playbook.name, "other": names[playbook.name]},
                    )
                )
                continue
            names[playbook.name] = str(path)
            found.playbooks[playbook.name] = playbook
    return found


def match_reasons(playbook: Playbook, incident: Incident) -> list[tuple[str, str]]:
    """Why ``playbook`` matches ``incident``: ``(kind, value)`` with kind ``service``,
    ``tag`` or ``keyword`` (empty when it does not match)."""
    return reasons_of(playbook.services, playbook.tags, playbook.keywords, incident)


def suggest(found: Found, incident: Incident) -> list[tuple[Playbook, list[tuple[str, str]]]]:
    """Playbooks matching ``incident`` and not attached yet, most reasons first."""
    return rank(found.playbooks, lambda playbook: match_reasons(playbook, incident), incident)


def as_checklist(playbook: Playbook) -> Checklist:
    """The playbook's steps as a checklist (sections are its phases)."""
    items = tuple(
        ChecklistItem(
            id=playbook.step_id(step.id),
            text=step.text,
            section=phase.title,
            command=step.command,
        )
        for phase in playbook.phases
        for step in phase.steps
    )
    return Checklist(
        name=f"playbook.{playbook.name}", title=playbook.title, items=items, playbook=True
    )


def label(playbook: Playbook, lang: str) -> str:
    """The playbook's title in ``lang``."""
    return localize(playbook.title, lang)
