"""ICS roles: handover with time, plugins told, and `imf show` flagging what is missing."""

from __future__ import annotations

import imf


class RoleWatcher:
    """A plugin that records the role changes delivered to it."""

    IMF_ACTIVE_BY_DEFAULT = True

    def __init__(self) -> None:
        self.seen: list[tuple[str, dict]] = []

    @imf.hookimpl
    def imf_assign(self, incident, event, ctx):
        self.seen.append((event.kind, dict(event.data)))


def test_handover_records_who_handed_over_to_whom_and_when(run, clock):
    watcher = RoleWatcher()
    plugins = {"watcher": watcher}
    run("declare", "DB down", "-s", "P1", plugins=plugins)
    run("assign", "1", "commander", "alice", plugins=plugins)
    clock.advance(minutes=42)
    handed = run("assign", "1", "ic", "bob", "--json", plugins=plugins)
    assert handed.json()["incident"]["roles"]["commander"] == ["bob"]
    timeline = run("show", "1", "--json").json()["timeline"]
    handover = [e for e in timeline if e["kind"] == "role_assigned"][-1]
    assert handover["data"] == {"role": "commander", "person": "bob", "previous": "alice"}
    assert handover["at"] == clock.at(minutes=42).isoformat()
    text = run("show", "1").stdout
    assert "2026-03-14 14:42 UTC  tester: Incident Commander handed over from alice to bob" in text
    run("assign", "1", "sme", "dana", plugins=plugins)
    run("assign", "1", "sme", "erin", plugins=plugins)
    run("unassign", "1", "sme", "dana", plugins=plugins)
    assert run("show", "1", "--json").json()["incident"]["roles"]["sme"] == ["erin"]
    assert [kind for kind, _ in watcher.seen] == [
        "role_assigned",
        "role_assigned",
        "role_assigned",
        "role_assigned",
        "role_unassigned",
    ]
    assert watcher.seen[1][1]["previous"] == "alice"


def test_show_flags_missing_required_roles(run, clock):
    run("declare", "DB down", "-s", "P1", "--commander", "alice")
    text = run("show", "1").stdout
    assert (
        "    ! required roles missing: Communications Lead, Scribe (needed by 2026-03-14 14:15 UTC)"
    ) in text
    assert "  Next update due: 2026-03-14 14:30 UTC (in 30m)" in text
    clock.advance(minutes=20)
    late = run("show", "1").stdout
    assert (
        "    ! required roles missing: Communications Lead, Scribe "
        "(due 2026-03-14 14:15 UTC, 5m ago)" in late
    )
    attention = run("show", "1", "--json").json()["attention"]
    assert attention["missing_roles"] == ["comms-lead", "scribe"]
    assert attention["breaches"][0]["reason"] == "roles_missing"
    russian = run("--lang", "ru", "show", "1").stdout
    assert "  Внимание:" in russian and "не назначены обязательные роли" in russian


def test_show_flags_overdue_updates(run, clock):
    run("declare", "Checkout slow", "-s", "P2", "--commander", "alice")
    clock.advance(minutes=75)
    text = run("show", "1").stdout
    assert "    ! update #1 was due at 2026-03-14 15:00 UTC (15m overdue)" in text
    assert "Next update due" not in text
    run("update", "1", "--summary", "Cache warmed", "--next-update", "15:30")
    shown = run("show", "1")
    assert "Attention" not in shown.stdout
    assert "  Next update due: 2026-03-14 15:30 UTC (in 15m)" in shown.stdout


def test_nothing_is_flagged_once_resolved(run):
    run("declare", "Typo", "-s", "P4")
    run("resolve", "1")
    data = run("show", "1", "--json").json()["attention"]
    assert data == {
        "breaches": [],
        "missing_roles": [],
        "roles_due_at": None,
        "next_update_at": None,
    }
