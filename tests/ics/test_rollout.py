"""Staged rollout: canary, 10 %, 25 %, 50 %, 100 %, with the methodology's monitoring periods."""

from __future__ import annotations

import pytest

from imf.ics.rollout import STAGES, stage


def test_stages_and_monitoring_periods():
    assert [(s.name, s.percent) for s in STAGES] == [
        ("canary", "1-5"),
        ("small", "10"),
        ("medium", "25"),
        ("large", "50"),
        ("full", "100"),
    ]
    minutes = [
        (
            s.monitor_min.total_seconds() / 60 if s.monitor_min else None,
            s.monitor_max.total_seconds() / 60 if s.monitor_max else None,
        )
        for s in STAGES
    ]
    assert minutes == [(None, None), (10, 15), (10, 10), (10, 10), (None, None)]


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("canary", "canary"),
        ("3%", "canary"),
        ("10", "small"),
        ("25%", "medium"),
        ("LARGE", "large"),
        ("100", "full"),
    ],
)
def test_stage_names_and_shares(value, name):
    assert stage(value).name == name


def test_a_rollout_runs_stage_by_stage(run, clock):
    run("declare", "Bad deploy", "-s", "P1")
    none = run("rollout", "1")
    assert "No rollout yet. Start with: canary (1-5% of traffic)." in none.stdout
    canary = run("rollout", "1", "canary", "--note", "fix 1.4.3")
    assert "Next: small (10%), once the canary shows the fix works." in canary.stdout
    clock.advance(minutes=5)
    small = run("rollout", "1", "10%", "--json")
    assert small.json()["next"] == {
        "stage": "medium",
        "percent": "25",
        "not_before": clock.at(minutes=15).isoformat(),
        "monitor_until": clock.at(minutes=20).isoformat(),
    }
    text = run("rollout", "1").stdout
    assert "Monitor this stage for 10m-15m." in text
    assert "Next: medium (25%), from 2026-03-14 14:15 UTC (in 10m)." in text
    clock.advance(minutes=4)
    early = run("rollout", "1", "medium")
    assert early.exit_code == 4
    assert "medium may start at 2026-03-14 14:15 UTC" in early.stderr
    clock.advance(minutes=6)
    assert run("rollout", "1", "medium").exit_code == 0
    clock.advance(minutes=10)
    assert run("rollout", "1", "large").exit_code == 0
    clock.advance(minutes=10)
    full = run("rollout", "1", "full", "--json").json()
    assert full["complete"] and full["next"] is None
    assert [h["stage"] for h in full["history"]] == ["canary", "small", "medium", "large", "full"]
    assert full["history"][0]["note"] == "fix 1.4.3"
    assert "Rollout complete: 100% of traffic." in run("rollout", "1").stdout
    kinds = [e["kind"] for e in run("show", "1", "--json").json()["timeline"]]
    assert kinds.count("rollout_stage") == 5


def test_out_of_order_and_forced_stages(run, clock):
    run("declare", "Bad deploy", "-s", "P2")
    no_canary = run("rollout", "1", "small")
    assert no_canary.exit_code == 4 and "start with the canary" in no_canary.stderr
    run("rollout", "1", "canary")
    skipped = run("rollout", "1", "large")
    assert skipped.exit_code == 4 and "the next stage is small" in skipped.stderr
    forced = run("rollout", "1", "large", "--force", "hotfix verified in staging", "--json")
    assert forced.exit_code == 0
    assert forced.json()["history"][-1]["forced"] == "hotfix verified in staging"
    assert run("rollout", "1", "full").exit_code == 4
    clock.advance(minutes=10)
    in_order = run("rollout", "1", "full", "--force", "not needed", "--json").json()
    assert in_order["complete"] and in_order["history"][-1]["forced"] == ""


def test_halt_and_restart(run, clock):
    run("declare", "Bad deploy", "-s", "P2")
    assert run("rollout", "1", "--halt", "nothing").exit_code == 4
    run("rollout", "1", "canary")
    halted = run("rollout", "1", "--halt", "error rate up at canary")
    assert "Rollout halted: error rate up at canary" in halted.stdout
    assert run("rollout", "1", "small").exit_code == 4
    restarted = run("rollout", "1", "canary", "--json").json()
    assert restarted["halted"] is None and len(restarted["history"]) == 1


def test_bad_stage_and_russian(run, clock):
    run("declare", "Bad deploy", "-s", "P2")
    bad = run("rollout", "1", "most")
    assert bad.exit_code == 2
    assert "valid: canary (1-5%), small (10%), medium (25%), large (50%), full (100%)" in bad.stderr
    run("rollout", "1", "canary")
    clock.advance(minutes=1)
    run("rollout", "1", "small")
    russian = run("--lang", "ru", "rollout", "1").stdout
    assert "Наблюдайте за этим этапом 10m-15m." in russian
    assert "Далее: medium (25%), с 2026-03-14 14:11 UTC (через 10m)." in russian
