"""The ICS commands' help texts in both languages, and the outputs not covered elsewhere."""

from __future__ import annotations

import pytest

from imf.cli.main import COMMAND_HELP
from imf.ics.messages import EN, RU


@pytest.mark.parametrize(("lang", "texts"), [("en", EN), ("ru", RU)])
def test_commands_are_listed_with_translated_help(imf_run, lang, texts):
    listing = imf_run("--lang", lang, "--help").stdout
    for name in [n for n, key in COMMAND_HELP.items() if key.startswith("ics.")]:
        first_words = " ".join(texts[f"ics.help.cmd.{name}"].split()[:3])
        assert first_words in " ".join(listing.split()), (name, lang)


@pytest.mark.parametrize(
    "command",
    [
        ["checklist"],
        ["check"],
        ["uncheck"],
        ["playbook", "lint"],
        ["due"],
        ["metrics"],
        ["advise", "rollback"],
        ["rollout"],
    ],
)
def test_command_help_in_russian(imf_run, command):
    result = imf_run("--lang", "ru", *command, "--help")
    assert result.exit_code == 0, result
    assert any("а" <= ch <= "я" for ch in result.stdout), result.stdout


def test_uncheck_and_attach_in_json_and_russian(run):
    run("declare", "Orders DB down", "-s", "P2")
    run("check", "1", "no-error-logs")
    unchecked = run("uncheck", "1", "no-error-logs", "--json").json()
    assert unchecked["checked"] is False and unchecked["items"] == ["verification.no-error-logs"]
    assert unchecked["checklists"][0]["done"] == 0
    russian = run("--lang", "ru", "uncheck", "1", "no-error-logs")
    assert russian.exit_code == 4 and "verification.no-error-logs в INC-1 не отмечен" in (
        russian.stderr
    )
    attached = run("playbook", "attach", "1", "database-outage", "--json").json()
    assert attached["playbook"] == "database-outage"
    assert attached["incident"]["playbooks"] == ["database-outage"]
    shown = run("--lang", "ru", "playbook", "list").stdout
    assert shown.startswith("database-outage  Отказ базы данных [P1]  (bundled)")
