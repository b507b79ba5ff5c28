"""Update cadence, response targets, required roles and escalation rules, on a test clock."""

from __future__ import annotations

from collections import Counter

import imf


class Reminders:
    """A plugin that records the reminders delivered to it."""

    IMF_ACTIVE_BY_DEFAULT = True

    def __init__(self) -> None:
        self.seen: list[dict] = []

    @imf.hookimpl
    def imf_remind(self, incident, event, ctx):
        self.seen.append({"incident": incident.id, **event.data})


def due(run, *args):
    result = run("due", "--json", *args)
    assert result.exit_code == 0, result
    return result.json()


def reasons(data):
    return sorted((b["incident"], b["reason"]) for b in data["breaches"])


def test_nothing_is_due_before_the_targets(run, clock):
    run("declare", "DB down", "-s", "P1")
    clock.advance(minutes=10)
    data = due(run)
    assert data["breaches"] == []
    assert data["upcoming"] == [
        {
            "incident": "INC-1",
            "severity": "P1",
            "title": "DB down",
            "next_update_at": clock.at(minutes=30).isoformat(),
        }
    ]
    text = run("due").stdout
    assert "Nothing is overdue." in text
    assert "INC-1 [P1]: next update due at 2026-03-14 14:30 UTC (in 20m)" in text


def test_response_target_and_required_roles(run, clock):
    run("declare", "DB down", "-s", "P1")
    clock.advance(minutes=16)
    data = due(run)
    assert reasons(data) == [("INC-1", "ack_overdue"), ("INC-1", "roles_missing")]
    roles = next(b for b in data["breaches"] if b["reason"] == "roles_missing")
    assert roles["detail"]["roles"] == ["commander", "comms-lead", "scribe"]
    assert roles["due_at"] == clock.at(minutes=15).isoformat()
    assert roles["overdue_seconds"] == 60
    run("assign", "1", "commander", "alice")
    data = due(run)
    assert reasons(data) == [("INC-1", "roles_missing")]
    assert data["breaches"][0]["detail"]["roles"] == ["comms-lead", "scribe"]
    run("assign", "1", "comms-lead", "bob")
    run("assign", "1", "scribe", "carol")
    assert due(run)["breaches"] == []


def test_update_cadence_and_next_update_time(run, clock):
    run("declare", "API errors", "-s", "P2", "--commander", "alice")
    clock.advance(minutes=61)
    data = due(run)
    assert reasons(data) == [("INC-1", "update_overdue")]
    assert data["breaches"][0]["due_at"] == clock.at(hours=1).isoformat()
    run("update", "1", "--summary", "Rolling back", "--next-update", "+10m")
    clock.advance(minutes=9)
    assert due(run)["breaches"] == []
    clock.advance(minutes=2)
    data = due(run)
    assert data["breaches"][0]["due_at"] == clock.at(minutes=71).isoformat()
    assert data["breaches"][0]["detail"]["last_update"] == 1
    run("update", "1", "--summary", "Still rolling back")
    assert due(run)["upcoming"][0]["next_update_at"] == clock.at(minutes=132).isoformat()


def test_escalation_rule_of_an_attached_playbook(run, clock):
    run("declare", "DB down", "-s", "P1", "--commander", "alice", "--playbook", "database-outage")
    run("assign", "1", "comms-lead", "bob")
    run("assign", "1", "scribe", "carol")
    clock.advance(minutes=14)
    assert due(run)["breaches"] == []
    clock.advance(minutes=2)
    (breach,) = due(run)["breaches"]
    assert breach["reason"] == "escalation_due"
    assert breach["detail"]["to"] == "vendor (AWS/Azure)"
    assert breach["detail"]["rule"] == "playbook.database-outage.vendor"
    text = run("due").stdout
    assert "escalate to vendor (AWS/Azure): Open a support case with the cloud provider" in text
    run("check", "1", "vendor")
    assert due(run)["breaches"] == []


def test_escalation_rules_stop_once_mitigated(run, clock):
    run("declare", "DB down", "-s", "P3", "--playbook", "database-outage")
    clock.advance(minutes=20)
    assert [b["reason"] for b in due(run)["breaches"]] == ["escalation_due"]
    run("update", "1", "--status", "monitoring", "--summary", "Failover done")
    assert due(run)["breaches"] == []


def test_organization_escalation_rules(imf_config, run, clock):
    imf_config(
        {
            "imf": {
                "escalation": [
                    {
                        "id": "vp",
                        "after": "1h",
                        "to": "VP of engineering",
                        "text": {"en": "Call the VP", "ru": "Позвоните VP"},
                        "severities": ["P1"],
                    }
                ]
            }
        }
    )
    run("declare", "DB down", "-s", "P1", "--commander", "alice")
    run("declare", "API slow", "-s", "P2", "--commander", "alice")
    clock.advance(minutes=61)
    escalations = [b for b in due(run)["breaches"] if b["reason"] == "escalation_due"]
    assert [(b["incident"], b["detail"]["rule"]) for b in escalations] == [
        ("INC-1", "imf.escalation.vp")
    ]
    russian = run("--lang", "ru", "due").stdout
    assert "эскалируйте: VP of engineering: Позвоните VP" in russian


def test_reminders_are_recorded_once_per_breach(run, clock):
    plugin = Reminders()
    plugins = {"reminders": plugin}
    run("declare", "DB down", "-s", "P1", plugins=plugins)
    run("declare", "Typo", "-s", "P4", plugins=plugins)
    clock.advance(minutes=16)
    first = run("due", "--record", plugins=plugins)
    assert first.stdout.count("Reminder recorded on INC-1") == 2
    assert run("due", "--record", "--json", plugins=plugins).json()["recorded"] == []
    clock.advance(minutes=15)
    watched = run("due", "--watch", "--interval", "0s", "--count", "3", "--json", plugins=plugins)
    assert watched.exit_code == 0, watched
    timeline = run("show", "1", "--json").json()["timeline"]
    recorded = Counter(e["data"]["reason"] for e in timeline if e["kind"] == "reminder")
    assert recorded == {"ack_overdue": 1, "roles_missing": 1, "update_overdue": 1}
    assert Counter(r["reason"] for r in plugin.seen) == recorded
    listed = due(run)
    assert all(b["reminded"] for b in listed["breaches"])
    assert "(reminded)" in run("due").stdout


def test_resolved_incidents_are_not_due(run, clock):
    run("declare", "Typo", "-s", "P4")
    run("resolve", "1")
    clock.advance(days=3)
    assert due(run) == {"now": clock().isoformat(), "breaches": [], "upcoming": []}


def test_due_text_in_both_languages(run, clock):
    run("declare", "DB down", "-s", "P1")
    clock.advance(minutes=31)
    english = run("due").stdout
    assert english.splitlines()[0] == "INC-1 [P1] DB down"
    assert "  ! not acknowledged: the response target passed at 2026-03-14 14:15 UTC (16m ago)" in (
        english
    )
    assert "  ! update #1 was due at 2026-03-14 14:30 UTC (1m overdue)" in english
    russian = run("--lang", "ru", "due").stdout
    assert "не назначены обязательные роли: Руководитель инцидента" in russian
    assert "обновление №1 ожидалось в 2026-03-14 14:30 UTC (просрочено на 1m)" in russian


def test_bad_interval(run):
    result = run("due", "--watch", "--interval", "soon")
    assert result.exit_code == 2 and "invalid interval 'soon'" in result.stderr


def test_due_in_real_processes_with_imf_now(imf_run):
    declared = imf_run("declare", "DB down", "-s", "P1", env={"IMF_NOW": "2026-03-14T14:00:00Z"})
    assert declared.exit_code == 0, declared
    early = imf_run("due", "--json", env={"IMF_NOW": "2026-03-14T14:05:00Z"})
    assert early.json()["breaches"] == []
    late = imf_run("due", "--record", "--json", env={"IMF_NOW": "2026-03-14T14:16:00+00:00"})
    assert {b["reason"] for b in late.json()["recorded"]} == {"ack_overdue", "roles_missing"}
    again = imf_run("due", "--record", "--json", env={"IMF_NOW": "2026-03-14T14:17:00Z"})
    assert again.json()["recorded"] == []
    bad = imf_run("due", env={"IMF_NOW": "yesterday"})
    assert bad.exit_code == 2 and "IMF_NOW: invalid time 'yesterday'" in bad.stderr
