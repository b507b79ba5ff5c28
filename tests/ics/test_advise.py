"""Fix forward or roll back: the methodology's decision table, row by row, and the command."""

from __future__ import annotations

from datetime import timedelta

import pytest

from imf.ics.advise import FIX_FORWARD, ROLLBACK, Factors, advise

NO = {
    "caused_by_deployment": False,
    "most_severe": False,
    "data_at_risk": False,
    "rollback_loses_data": False,
    "root_cause_understood": False,
    "fix_simple": False,
}
M = timedelta(minutes=1)

# (name, factors that differ from NO, ETAs (fix, rollback) in minutes, decision, rule)
TABLE = [
    (
        "P1 from a bad deployment",
        {"caused_by_deployment": True, "most_severe": True},
        None,
        ROLLBACK,
        "severe-deployment",
    ),
    (
        "P1 deployment wins over lost data and a simple fix",
        {
            "caused_by_deployment": True,
            "most_severe": True,
            "rollback_loses_data": True,
            "root_cause_understood": True,
            "fix_simple": True,
        },
        (5, 60),
        ROLLBACK,
        "severe-deployment",
    ),
    (
        "deployment below P1 is not rule 1",
        {"caused_by_deployment": True},
        None,
        ROLLBACK,
        "default",
    ),
    ("fix takes more than twice the rollback", {}, (41, 20), ROLLBACK, "fix-slower"),
    ("fix takes exactly twice the rollback", {}, (40, 20), ROLLBACK, "default"),
    ("time rule beats lost data", {"rollback_loses_data": True}, (120, 10), ROLLBACK, "fix-slower"),
    (
        "unknown ETA skips the time rule",
        {"rollback_loses_data": True},
        (None, 10),
        FIX_FORWARD,
        "rollback-loses-data",
    ),
    ("data integrity at risk", {"data_at_risk": True}, None, ROLLBACK, "data-integrity"),
    (
        "data integrity comes before lost data",
        {"data_at_risk": True, "rollback_loses_data": True},
        None,
        ROLLBACK,
        "data-integrity",
    ),
    (
        "rollback would lose data",
        {"rollback_loses_data": True, "most_severe": True},
        None,
        FIX_FORWARD,
        "rollback-loses-data",
    ),
    (
        "understood and simple",
        {"root_cause_understood": True, "fix_simple": True},
        (10, 10),
        FIX_FORWARD,
        "simple-fix",
    ),
    ("understood but not simple", {"root_cause_understood": True}, None, ROLLBACK, "default"),
    ("simple but not understood", {"fix_simple": True}, None, ROLLBACK, "default"),
    ("nothing known: prefer the rollback", {}, None, ROLLBACK, "default"),
]


def factors(changes, etas):
    fix, back = etas or (None, None)
    return Factors(
        **{**NO, **changes},
        fix_eta=fix * M if fix is not None else None,
        rollback_eta=back * M if back is not None else None,
    )


@pytest.mark.parametrize(
    ("name", "changes", "etas", "decision", "rule"), TABLE, ids=[row[0] for row in TABLE]
)
def test_decision_table(name, changes, etas, decision, rule):
    found = advise(factors(changes, etas))
    assert (found.decision, found.rule) == (decision, rule)


def flags(changes, etas):
    args = []
    for name, flag in (
        ("caused_by_deployment", "deployment"),
        ("data_at_risk", "data-at-risk"),
        ("rollback_loses_data", "rollback-loses-data"),
        ("root_cause_understood", "root-cause-known"),
        ("fix_simple", "fix-simple"),
    ):
        args.append(f"--{flag}" if changes.get(name) else f"--no-{flag}")
    if etas:
        fix, back = etas
        args += ["--fix-eta", f"{fix}m" if fix is not None else "unknown"]
        args += ["--rollback-eta", f"{back}m"]
    return args


@pytest.mark.parametrize(
    ("name", "changes", "etas", "decision", "rule"), TABLE, ids=[row[0] for row in TABLE]
)
def test_decision_table_through_the_command(run, name, changes, etas, decision, rule):
    severity = "P1" if changes.get("most_severe") else "P2"
    run("declare", "Bad deploy", "-s", severity)
    result = run("advise", "rollback", "1", *flags(changes, etas), "--json")
    assert result.exit_code == 0, result
    assert (result.json()["decision"], result.json()["rule"]) == (decision, rule)
    recorded = [
        e for e in run("show", "1", "--json").json()["timeline"] if e["kind"] == "decision_recorded"
    ]
    assert recorded[0]["data"]["decision"] == decision
    assert recorded[0]["data"]["factors"]["most_severe"] is bool(changes.get("most_severe"))


def test_prompts_ask_every_factor(run):
    run("declare", "Bad deploy", "-s", "P1")
    result = run("advise", "rollback", "1", "--interactive", input="y\nn\nn\ny\ny\n30m\n10m\n")
    assert result.exit_code == 0, result
    assert "Was it caused by a recent deployment?" in result.stdout
    assert "Estimated time to roll back" in result.stdout
    assert (
        "Advice: ROLL BACK — a P1 caused by a bad deployment is always rolled back (rule 1 of 6)"
    ) in result.stdout
    assert "Decision recorded in the timeline of INC-1." in result.stdout
    timeline = run("show", "1", "--json").json()["timeline"]
    data = next(e["data"] for e in timeline if e["kind"] == "decision_recorded")
    assert data["factors"]["fix_eta"] == 1800 and data["factors"]["rollback_eta"] == 600


def test_a_bad_estimate_is_asked_again(run):
    run("declare", "Bad deploy", "-s", "P2")
    result = run("advise", "rollback", "1", "--interactive", input="n\nn\ny\nn\nn\nsoon\n2h\n\n")
    assert result.exit_code == 0, result
    assert "invalid estimate 'soon'" in result.stdout
    assert "FIX FORWARD — rolling back would lose data (rule 4 of 6)" in result.stdout


def test_without_a_terminal_missing_factors_are_an_error(run):
    run("declare", "Bad deploy", "-s", "P2")
    result = run("advise", "rollback", "1", "--deployment")
    assert result.exit_code == 2
    assert "--data-at-risk/--no-data-at-risk" in result.stderr
    assert "--deployment/" not in result.stderr
    assert "decision_recorded" not in {
        e["kind"] for e in run("show", "1", "--json").json()["timeline"]
    }


def test_dry_run_records_nothing_and_russian_output(run):
    run("declare", "Bad deploy", "-s", "P2")
    args = flags({"data_at_risk": True}, None)
    result = run("--lang", "ru", "advise", "rollback", "1", *args, "--dry-run")
    assert "Совет: ОТКАТ — под угрозой целостность данных" in result.stdout
    assert "записано" not in result.stdout
    assert "decision_recorded" not in {
        e["kind"] for e in run("show", "1", "--json").json()["timeline"]
    }
