"""Playbooks: the bundled one, the search path, matching on declare, steps, lint."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import imf
from imf.ics.playbooks import bundled_dir, parse, read

GOOD = textwrap.dedent(
    """\
    name = "cache-outage"
    title = { en = "Cache outage", ru = "Отказ кэша" }

    [match]
    services = ["redis"]
    keywords = ["cache", "кэш"]

    [[phases]]
    id = "initial"
    title = "Initial response"

    [[phases.steps]]
    id = "ping"
    text = "Ping the cache"
    command = "redis-cli ping"
    """
)


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_database_outage_playbook_is_valid_in_both_languages():
    playbook, problems = read(bundled_dir() / "database-outage.toml", ["P1", "P2", "P3", "P4"])
    assert problems == []
    assert [p.id for p in playbook.phases] == ["initial", "diagnosis", "mitigation", "escalation"]
    for text in [playbook.title] + [s.text for p in playbook.phases for s in p.steps]:
        assert text.get("en") and text.get("ru")
    (rule,) = playbook.escalation
    assert rule.after.total_seconds() == 900 and rule.step == "playbook.database-outage.vendor"
    commands = [s.command for p in playbook.phases for s in p.steps if s.command]
    assert "aws rds describe-db-instances --db-instance-identifier prod-db" in commands


def test_list_and_show(run):
    listed = run("playbook", "list", "--json").json()
    assert [p["name"] for p in listed["playbooks"]] == ["database-outage"]
    assert listed["playbooks"][0]["origin"] == "bundled"
    shown = run("playbook", "show", "database-outage")
    assert "database-outage: Database outage [P1]" in shown.stdout
    assert "Diagnosis (5-15 min)" in shown.stdout
    assert "$ aws logs tail /aws/rds/instance/prod-db/postgresql --follow" in shown.stdout
    assert "unresolved after 15m → vendor (AWS/Azure)" in shown.stdout
    russian = run("--lang", "ru", "playbook", "show", "database-outage")
    assert "database-outage: Отказ базы данных [P1]" in russian.stdout
    assert "не решено за 15m → vendor (AWS/Azure)" in russian.stdout
    missing = run("playbook", "show", "nope")
    assert missing.exit_code == 3 and "known: database-outage" in missing.stderr


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["Checkout errors", "-S", "postgres"], {"kind": "service", "value": "postgres"}),
        (["Orders DB refuses connections"], {"kind": "keyword", "value": "db"}),
        (["Orders slow", "--tag", "database"], {"kind": "tag", "value": "database"}),
        (["Недоступна база данных заказов"], {"kind": "keyword", "value": "база данных"}),
    ],
)
def test_declare_suggests_matching_playbooks(run, args, reason):
    result = run("declare", *args, "-s", "P2", "--json")
    (suggested,) = result.json()["playbooks_suggested"]
    assert suggested["name"] == "database-outage" and reason in suggested["reasons"]


def test_keywords_match_whole_words_only(run):
    result = run("declare", "Feedback form broken", "-s", "P3", "--json")
    assert result.json()["playbooks_suggested"] == []


def test_suggestion_text_in_both_languages(run):
    english = run("declare", "Primary database down", "-s", "P1")
    assert (
        "Matching playbook: database-outage — Database outage (keyword database); "
        "attach it: imf playbook attach INC-1 database-outage"
    ) in english.stdout
    russian = run("--lang", "ru", "declare", "Primary database down", "-s", "P1")
    assert "Подходящий плейбук: database-outage — Отказ базы данных" in russian.stdout


def test_declare_with_playbook_attaches_it_and_steps_are_checked(run):
    result = run("declare", "Orders DB down", "-s", "P1", "--playbook", "database-outage", "--json")
    incident = result.json()["incident"]
    assert incident["playbooks"] == ["database-outage"]
    assert result.json()["playbooks_suggested"] == []
    lists = run("checklist", "1", "--json").json()["checklists"]
    assert lists[-1]["name"] == "playbook.database-outage" and lists[-1]["total"] == 13
    checked = run("check", "1", "playbook.database-outage.verify-outage", "db-health")
    assert checked.exit_code == 0, checked
    steps = run("checklist", "1", "database-outage", "--json").json()["checklists"][0]
    assert steps["done"] == 2
    assert [i["section"] for i in steps["items"]][:2] == ["Initial response (0-5 min)"] * 2


def test_unknown_playbook_on_declare_declares_nothing(run):
    result = run("declare", "Orders DB down", "-s", "P1", "--playbook", "nope")
    assert result.exit_code == 3 and "no playbook 'nope'" in result.stderr
    assert run("list", "--all", "--json").json() == []


def test_attach(run):
    run("declare", "Something odd", "-s", "P3")
    attached = run("playbook", "attach", "1", "database-outage")
    assert attached.stdout.startswith(
        "Attached playbook database-outage (Database outage) to INC-1"
    )
    again = run("playbook", "attach", "1", "database-outage")
    assert again.exit_code == 4 and "already attached" in again.stderr
    step = run("check", "1", "vendor")
    assert "playbook.database-outage.vendor" in step.stdout
    russian = run("--lang", "ru", "playbook", "attach", "1", "nope")
    assert "нет плейбука 'nope'" in russian.stderr


def test_organization_directory_overrides_bundled_and_adds(imf_home, imf_config, run):
    own = imf_home.path / "playbooks"
    write(own, "cache.toml", GOOD)
    ours = GOOD.replace("cache-outage", "database-outage").replace("redis", "pg")
    write(own, "db.toml", ours.replace('["cache", "кэш"]', '["postgres"]'))
    imf_config({"imf": {"playbook_dir": "playbooks"}})
    listed = run("playbook", "list", "--json").json()["playbooks"]
    assert {p["name"]: p["origin"] for p in listed} == {
        "cache-outage": "config",
        "database-outage": "config",
    }
    result = run("declare", "Кэш не отвечает", "-s", "P2", "--json")
    assert [s["name"] for s in result.json()["playbooks_suggested"]] == ["cache-outage"]


def test_broken_playbooks_are_skipped_with_a_warning(imf_home, imf_config, run):
    own = imf_home.path / "playbooks"
    write(own, "cache.toml", GOOD)
    broken = write(own, "broken.toml", 'name = "broken"\n')
    imf_config({"imf": {"playbook_dir": str(own)}})
    listed = run("playbook", "list")
    assert listed.exit_code == 0 and "cache-outage" in listed.stdout
    assert f"playbook skipped: {broken}:1: title: required key is missing" in listed.stderr
    declared = run("declare", "Cache down", "-s", "P2")
    assert declared.exit_code == 0 and "cache-outage" in declared.stdout


def test_missing_playbook_dir_is_a_config_error(imf_config, run):
    path = imf_config({"imf": {"playbook_dir": "no-such-dir"}})
    result = run("playbook", "list")
    assert result.exit_code == 2
    assert f"{path}: imf.playbook_dir: playbook directory" in result.stderr
    declared = run("declare", "DB down", "-s", "P1")
    assert declared.exit_code == 0 and "playbook directory" in declared.stderr


class VendorPlaybooks:
    """A plugin shipping a playbook directory."""

    IMF_ACTIVE_BY_DEFAULT = True

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @imf.hookimpl
    def imf_playbook_dirs(self):
        return [self.directory]


def test_plugins_contribute_playbook_directories(imf_home, run):
    directory = imf_home.path / "vendor"
    write(directory, "cache.toml", GOOD)
    plugins = {"vendor": VendorPlaybooks(directory)}
    listed = run("playbook", "list", "--json", plugins=plugins).json()["playbooks"]
    assert {p["name"]: p["origin"] for p in listed}["cache-outage"] == "plugin vendor"
    shown = run("playbook", "show", "cache-outage", plugins=plugins)
    assert "$ redis-cli ping" in shown.stdout


# --- lint ------------------------------------------------------------------------------------


def lint_lines(text: str) -> list[str]:
    _, problems = parse(text, "pb.toml", ["P1", "P2", "P3", "P4"])
    return [p.render("en") for p in sorted(problems, key=lambda p: p.line)]


def test_lint_reports_every_problem_at_its_line():
    text = textwrap.dedent(
        """\
        name = "Cache Outage"
        title = 5
        severity = "P9"
        colour = "red"

        [match]
        services = "redis"

        [[phases]]
        id = "initial"
        title = { en = "Start", de = "Anfang" }

        [[phases.steps]]
        id = "ping"
        text = "Ping"

        [[phases.steps]]
        id = "ping"
        text = ""

        [[phases]]
        title = "Later"
        steps = []

        [[escalation]]
        id = "vendor"
        after = "soon"
        to = "vendor"
        step = "call"
        """
    )
    assert lint_lines(text) == [
        "pb.toml:1: name: 'Cache Outage' is not a valid id (lower-case letters, digits and '-')",
        "pb.toml:2: title: expected a string or a table of language to text (en, ru)",
        "pb.toml:3: severity: unknown severity 'P9' (valid: P1, P2, P3, P4)",
        "pb.toml:4: colour: unknown key (known: name, title, description, severity, match, "
        "phases, escalation)",
        "pb.toml:7: match.services: expected a list of strings",
        "pb.toml:11: phases[0].title.de: unknown language 'de' (use: en, ru)",
        "pb.toml:18: phases[0].steps[1].id: id 'ping' is already used at line 14",
        "pb.toml:19: phases[0].steps[1].text: the text is empty",
        "pb.toml:21: phases[1].id: required key is missing",
        "pb.toml:23: phases[1].steps: needs at least one entry",
        "pb.toml:27: escalation[0].after: 'soon' is not a positive duration such as '15m', "
        "'2h' or '1d'",
        "pb.toml:29: escalation[0].step: no step 'call' in this playbook",
    ]


def test_lint_inline_tables_and_syntax_errors():
    inline = textwrap.dedent(
        """\
        name = "x"
        title = "X"
        phases = [
          { id = "a", title = "A", steps = [{ id = "s", text = "S" }] },
          { id = "b", title = "B", steps = "none" },
        ]
        """
    )
    assert lint_lines(inline) == ["pb.toml:5: phases[1].steps: expected an array of tables"]
    spread = inline.replace('{ id = "b", title', '{ id = "b",\n    title')
    assert lint_lines(spread)[0].startswith("pb.toml:5: invalid TOML:")
    assert lint_lines('name = "x"\ntitle = \n') == ["pb.toml:2: invalid TOML: Invalid value"]


def test_lint_command(imf_home, run):
    good = write(imf_home.path, "good.toml", GOOD)
    bad = write(imf_home.path, "bad.toml", GOOD.replace('id = "ping"', 'id = "Ping!"'))
    ok = run("playbook", "lint", str(good))
    assert ok.exit_code == 0 and ok.stdout == f"{good}: OK\n"
    failed = run("playbook", "lint", str(good), str(bad))
    assert failed.exit_code == 1
    assert failed.stdout.splitlines() == [
        f"{good}: OK",
        f"{bad}:13: phases[0].steps[0].id: 'Ping!' is not a valid id "
        "(lower-case letters, digits and '-')",
    ]
    data = run("playbook", "lint", str(bad), "--json").json()
    assert data["ok"] is False
    assert data["files"][0]["problems"][0]["line"] == 13
    assert data["files"][0]["problems"][0]["key"] == "phases[0].steps[0].id"
    russian = run("--lang", "ru", "playbook", "lint", str(bad))
    assert f"{bad}:13: phases[0].steps[0].id: 'Ping!' — недопустимый идентификатор" in (
        russian.stdout
    )
    missing = run("playbook", "lint", str(imf_home.path / "none.toml"))
    assert missing.exit_code == 1 and "none.toml:1: cannot read the file" in missing.stdout


def test_bundled_playbook_lints_clean(run):
    result = run("playbook", "lint", str(bundled_dir() / "database-outage.toml"))
    assert result.exit_code == 0, result
