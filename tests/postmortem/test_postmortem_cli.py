"""``imf postmortem`` and ``imf action``: setters, show, 5 whys, timeline, action items across
incidents, the due list, and the $EDITOR flow with a scripted editor."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

EDITOR = Path(__file__).with_name("editor.py")
NO_MARKDOWN = {"plugins": {"markdown": {"enabled": False}}}


@pytest.fixture
def cli(imf_cli, imf_config, clock):
    """The CLI on the test clock, with the Markdown documents off (tested on their own)."""
    imf_config(NO_MARKDOWN)

    def run(*args, **kwargs):
        return imf_cli(*args, clock=clock, **kwargs)

    return run


@pytest.fixture
def incident(cli, clock):
    """A resolved P2 incident (INC-1) with a commander and a scribe."""

    def make(title="Checkout errors", severity="P2"):
        declared = cli("declare", title, "-s", severity, "--commander", "alice", "--json")
        assert declared.exit_code == 0, declared
        incident_id = declared.json()["incident"]["id"]
        clock.advance(minutes=10)
        assert cli("assign", incident_id, "scribe", "carol").exit_code == 0
        assert cli("update", incident_id, "--status", "identified", "--summary", "Bad deploy")
        clock.advance(minutes=30)
        resolved = cli("resolve", incident_id, "--summary", "Rolled back", "--force", "checked")
        assert resolved.exit_code == 0, resolved
        return incident_id

    return make


@pytest.fixture
def editor(tmp_path):
    """``editor(step, ...)``: the EDITOR variable for a scripted editor, and its plan file."""

    def make(*steps):
        plan = tmp_path / "plan.json"
        plan.write_text(json.dumps({"steps": list(steps), "done": 0, "seen": []}))
        return {"EDITOR": f'"{sys.executable}" "{EDITOR}" "{plan}"'}, plan

    return make


def seen(plan: Path) -> list[str]:
    return json.loads(plan.read_text())["seen"]


def events(cli, incident_id, kind):
    timeline = cli("show", incident_id, "--json").json()["timeline"]
    return [e for e in timeline if e["kind"] == kind]


def test_setters_then_show(cli, incident):
    incident_id = incident()
    result = cli(
        "postmortem", incident_id,
        "--summary", "Checkout failed for 40 minutes.",
        "--impact-users", "12%",
        "--services", "api,web",
        "--revenue-impact", "N/A",
        "--downtime", "40m",
        "--root-cause", "Pool exhausted",
        "--resolution", "Rolled back 1.4.2",
        "--went-well", "Fast rollback", "--went-well", "Clear comms",
        "--to-improve", "Alerting",
        "--lessons", "Load test at 3x",
        "--problem", "Checkout unavailable",
        "--whys-root-cause", "No capacity planning",
        "--prevention", "Auto-scaling pool",
    )  # fmt: skip
    assert result.exit_code == 0, result
    assert result.stdout.startswith(f"Post-mortem of {incident_id} updated: summary, ")
    shown = cli("postmortem", incident_id)
    assert shown.exit_code == 0, shown
    text = shown.stdout
    headings = ["Executive summary", "Impact", "Timeline (UTC)", "Root cause", "Resolution",
                "What went well", "What could be improved", "Action items", "Lessons learned",
                "5 whys"]  # fmt: skip
    positions = [text.index(f"\n{h}\n") for h in headings]
    assert positions == sorted(positions)
    assert "Participants: Incident Commander: alice; Scribe: carol" in text
    assert "Blameless: describe what happened" in text
    assert "Severity: P2 (High)" in text
    assert "Duration: 2026-11-28 14:35 – 15:15 UTC (40m)" in text
    assert "  - Clear comms" in text
    assert "Services affected: api, web" in text
    data = cli("postmortem", incident_id, "--json").json()
    assert data["postmortem"]["went_well"] == ["Fast rollback", "Clear comms"]
    assert data["derived"]["duration_seconds"] == 40 * 60
    assert data["derived"]["participants"] == {"commander": ["alice"], "scribe": ["carol"]}
    assert [line["label"] for line in data["derived"]["timeline"]][-1] == "Resolved"


def test_why_and_timeline_commands(cli, incident):
    incident_id = incident()
    result = cli("postmortem", "why", incident_id, "Why unavailable?", "Pool exhausted")
    assert result.stdout == f"Added why #1 to the post-mortem of {incident_id}\n"
    cli("postmortem", "why", incident_id, "Why exhausted?", "Traffic 3x")
    result = cli("postmortem", "timeline", incident_id, "14:30", "Deploy 1.4.2 went out")
    assert result.exit_code == 0, result
    assert "2026-11-28 14:30 UTC" in result.stdout
    cli("postmortem", "timeline", incident_id, "2026-11-27T23:50Z", "Config change")
    data = cli("postmortem", incident_id, "--json").json()
    assert [w["answer"] for w in data["postmortem"]["whys"]] == ["Pool exhausted", "Traffic 3x"]
    added = [line for line in data["derived"]["timeline"] if line["kind"] == "added"]
    assert [(line["at"], line["text"]) for line in added] == [
        ("2026-11-27T23:50:00+00:00", "Config change"),
        ("2026-11-28T14:30:00+00:00", "Deploy 1.4.2 went out"),
    ]
    assert data["derived"]["timeline"][0]["text"] == "Config change"  # sorted by time
    bad = cli("postmortem", "timeline", incident_id, "25:99", "x")
    assert bad.exit_code == 2
    assert "invalid time '25:99'" in bad.stderr
    empty = cli("postmortem", "why", incident_id, "  ", "x")
    assert (empty.exit_code, empty.stderr.strip()) == (2, "imf: error: question: must not be empty")


def test_action_items_across_incidents(cli, incident, clock):
    first, second = incident("One"), incident("Two")
    added = cli("action", "add", first, "Alert on pool saturation", "--owner", "dana",
                "--due", "2026-11-30", "--priority", "P1", "--link", "OPS-142")  # fmt: skip
    assert added.stdout == f"Added action item #1 to {first}\n"
    cli("action", "add", first, "Load test at 3x", "--due", "+14d")
    cli("action", "add", second, "Runbook for rollback", "--owner", "eve", "--priority", "P0")
    done = cli("action", "done", first, "2")
    assert done.stdout == f"Action item #2 of {first}: status=done\n"
    changed = cli("action", "set", second, "1", "--status", "in progress", "--due", "2026-12-01")
    assert changed.stdout == f"Action item #1 of {second}: status=in-progress, due=2026-12-01\n"

    listing = cli("action", "list").stdout.splitlines()
    assert listing[0].split() == ["INCIDENT", "ID", "PRI", "STATUS", "DUE", "OWNER", "ACTION"]
    assert [line.split()[:2] for line in listing[1:]] == [
        [first, "#1"], [second, "#1"], [first, "#2"],
    ]  # fmt: skip
    opened = cli("action", "list", "--open", "--json").json()
    assert [(a["incident"], a["id"], a["status"]) for a in opened] == [
        (first, 1, "open"), (second, 1, "in-progress"),
    ]  # fmt: skip
    assert opened[0]["link"] == "OPS-142"
    clock.advance(days=3)
    overdue = cli("action", "list", "--open").stdout
    assert "2026-11-30 (overdue)" in overdue
    assert cli("action", "list", "--owner", "eve", "--json").json()[0]["action"] == (
        "Runbook for rollback"
    )

    bad = cli("action", "add", first, "x", "--priority", "P7")
    assert bad.exit_code == 2
    assert bad.stderr.strip() == "imf: error: action.priority: 'P7' is not one of P0, P1, P2, P3"
    missing = cli("action", "done", first, "9")
    assert (missing.exit_code, missing.stderr.strip()) == (
        2,
        f"imf: error: {first} has no action item 9",
    )
    assert cli("action", "list", "--open", "--owner", "nobody").stdout == "No open action items.\n"


def test_due_list(cli, incident, clock):
    assert cli("postmortem", "--due").stdout == "No post-mortems are due.\n"
    outage = incident("Outage", "P1")
    slow = incident("Slow", "P2")
    incident("Glitch", "P3")
    text = cli("postmortem", "--due").stdout.splitlines()
    assert [line.split()[0] for line in text] == ["ID", outage, slow]
    clock.advance(days=6)
    due = cli("postmortem", "--due", "--json").json()
    assert [(d["id"], d["overdue"]) for d in due] == [(outage, True), (slow, False)]
    assert "(overdue)" in cli("postmortem", "--due").stdout
    published = cli("postmortem", outage, "--publish")
    assert published.stdout == f"Published the post-mortem of {outage} (publication #1)\n"
    assert [d["id"] for d in cli("postmortem", "--due", "--json").json()] == [slow]


def test_usage_errors(cli, incident, clock):
    incident_id = incident()
    cases = [
        (("postmortem",), 2, "give an incident id, or --due"),
        (("postmortem", incident_id, "--due"), 2, "--due lists every incident"),
        (("postmortem", incident_id, "--edit", "--summary", "x"), 2, "--edit cannot be combined"),
        (("postmortem", "INC-99"), 3, "incident INC-99 not found"),
        (("postmortem", "nonsense"), 2, "invalid incident id"),
    ]
    for args, code, message in cases:
        result = cli(*args)
        assert result.exit_code == code, result
        assert message in result.stderr
        assert result.stderr.count("\n") == 1  # one line, no traceback
    cli("declare", "Open one", "-s", "P3")
    open_one = cli("postmortem", "INC-2", "--publish")
    assert open_one.exit_code == 4
    assert "INC-2 is not resolved" in open_one.stderr


def test_russian(cli, incident, imf_run):
    incident_id = incident()
    cli("postmortem", incident_id, "--summary", "Сбой оплаты")
    shown = cli("--lang", "ru", "postmortem", incident_id)
    assert "Краткое резюме\n  Сбой оплаты" in shown.stdout
    assert "Участники: Руководитель инцидента: alice" in shown.stdout
    error = cli("--lang", "ru", "action", "add", incident_id, "x", "--priority", "P9")
    assert "action.priority: 'P9' не входит в P0, P1, P2, P3" in error.stderr
    helped = imf_run("--lang", "ru", "postmortem", "--help")  # help is built at import
    assert "Показать, написать или опубликовать post-mortem" in helped.stdout
    assert "Открыть post-mortem в $EDITOR" in helped.stdout


# --- $EDITOR -----------------------------------------------------------------------------------


def test_edit_saves_a_valid_document(cli, incident, editor):
    incident_id = incident()
    cli("action", "add", incident_id, "Alert on pool saturation")
    env, plan = editor(
        {
            "replace": [
                ('summary = ""', 'summary = """Checkout failed.\n\nTwo paragraphs."""'),
                ('priority = "P2"', 'priority = "P1"'),
            ],
            "append": '\n[[action]]\naction = "Load test at 3x"\ndue = 2026-12-05\n',
        }
    )
    result = cli("postmortem", incident_id, "--edit", env=env)
    assert result.exit_code == 0, result
    assert result.stdout == f"Post-mortem of {incident_id} updated: summary, action\n"
    (shown,) = seen(plan)
    assert shown.startswith(f"# Post-mortem: {incident_id} Checkout errors\n")
    assert "# Blameless:" in shown
    data = cli("postmortem", incident_id, "--json").json()["postmortem"]
    assert data["summary"] == "Checkout failed.\n\nTwo paragraphs."
    assert [(a["id"], a["action"], a["priority"], a["due"]) for a in data["action_items"]] == [
        (1, "Alert on pool saturation", "P1", None),
        (2, "Load test at 3x", "P2", "2026-12-05"),
    ]
    (edited,) = events(cli, incident_id, "postmortem_edited")
    assert sorted(edited["data"]["fields"]) == ["action_items", "summary"]


def test_an_invalid_document_reopens_the_editor_with_the_error(cli, incident, editor):
    incident_id = incident()
    env, plan = editor(
        {"replace": [('lessons = ""', 'lessons = "Keep this"')],
         "append": '\n[[action]]\naction = "Alert"\npriority = "P7"\n'},
        {"replace": [('priority = "P7"', 'priority = "P0"')]},
    )  # fmt: skip
    result = cli("postmortem", incident_id, "--edit", env=env, input="y\n")
    assert result.exit_code == 0, result
    assert "action[0].priority: 'P7' is not one of P0, P1, P2, P3" in result.stderr
    _first, second = seen(plan)
    # The editor comes back with the error on top and everything typed before.
    assert second.startswith("# !! action[0].priority: 'P7' is not one of P0, P1, P2, P3\n")
    assert 'lessons = "Keep this"' in second
    data = cli("postmortem", incident_id, "--json").json()["postmortem"]
    assert data["lessons"] == "Keep this"
    assert [(a["action"], a["priority"]) for a in data["action_items"]] == [("Alert", "P0")]


def test_giving_up_keeps_the_previous_version_and_the_draft(cli, incident, editor, imf_home):
    incident_id = incident()
    cli("postmortem", incident_id, "--summary", "The previous version")
    env, plan = editor(
        {"replace": [('summary = "The previous version"', 'summary = "New"')],
         "append": "\n[impact]\nrevnue = 1\n"},
    )  # fmt: skip
    result = cli("postmortem", incident_id, "--edit", env=env, input="n\n")
    assert result.exit_code == 2
    assert "imf: error: line " in result.stderr  # [impact] twice: a TOML syntax error
    kept = [line for line in result.stderr.splitlines() if "was kept in" in line]
    assert len(kept) == 1
    draft = Path(kept[0].split("was kept in ", 1)[1])
    assert (
        draft.read_text(encoding="utf-8")
        == seen(plan)[0].replace('summary = "The previous version"', 'summary = "New"')
        + "\n[impact]\nrevnue = 1\n"
    )
    assert draft.is_relative_to(imf_home.path)
    pm = cli("postmortem", incident_id, "--json").json()["postmortem"]
    assert pm["summary"] == "The previous version"
    assert len(events(cli, incident_id, "postmortem_edited")) == 1


def test_field_errors_without_a_terminal_abort(cli, incident, editor):
    incident_id = incident()
    env, _ = editor({"replace": [("[impact]", "[impact]\nrevnue = 1")]})
    result = cli("postmortem", incident_id, "--edit", env=env)  # no answer on stdin
    assert result.exit_code == 2
    assert "impact.revnue: unknown key (known: users_affected, services, revenue, downtime)" in (
        result.stderr
    )
    assert events(cli, incident_id, "postmortem_edited") == []


def test_edit_as_markdown(cli, incident, editor):
    incident_id = incident()
    cli("postmortem", incident_id, "--went-well", "Fast rollback")
    env, plan = editor(
        {"replace": [("## Executive summary {#summary}\n",
                      "## Executive summary {#summary}\n\nCheckout failed.\n"),
                     ("- Fast rollback", "- Fast rollback\n- Clear\n  comms")]},
    )  # fmt: skip
    result = cli("postmortem", incident_id, "--edit", "--format", "markdown", env=env)
    assert result.exit_code == 0, result
    assert seen(plan)[0].startswith("+++\n# Post-mortem:")
    pm = cli("postmortem", incident_id, "--json").json()["postmortem"]
    assert pm["summary"] == "Checkout failed."
    assert pm["went_well"] == ["Fast rollback", "Clear comms"]


def test_closing_the_editor_without_saving_changes_nothing(cli, incident, editor):
    incident_id = incident()
    env, _ = editor({"save": False})
    result = cli("postmortem", incident_id, "--edit", env=env)
    assert (result.exit_code, result.stdout) == (
        0,
        "The editor closed without saving: nothing changed.\n",
    )
    env, _ = editor({"append": "\n"})
    result = cli("postmortem", incident_id, "--edit", env=env)
    assert result.stdout == f"No changes: the post-mortem of {incident_id} is as it was.\n"
    assert events(cli, incident_id, "postmortem_edited") == []


def test_a_real_process_runs_the_editor(imf_run, imf_config, editor):
    """The installed command, in its own process, with the editor as a child process."""
    imf_config(NO_MARKDOWN)
    assert imf_run("declare", "DB down", "-s", "P3").exit_code == 0
    assert imf_run("resolve", "INC-1").exit_code == 0
    env, _ = editor({"replace": [('resolution = ""', 'resolution = "Restarted the primary"')]})
    result = imf_run("postmortem", "INC-1", "--edit", env=env)
    assert result.exit_code == 0, result
    shown = imf_run("postmortem", "INC-1", "--json")
    assert json.loads(shown.stdout)["postmortem"]["resolution"] == "Restarted the primary"
