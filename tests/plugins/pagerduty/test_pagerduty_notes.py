"""Status updates as notes on the PagerDuty incident (REST API v2)."""

from __future__ import annotations

from imf.testing import specs

from .conftest import API_TOKEN, REST


def note_requests(pd):
    return [r for r in pd.requests if r.method == "POST" and r.path.endswith("/notes")]


def test_each_update_becomes_a_note_in_the_methodology_template(imf_cli, pd_config, pd):
    specs.require_specs()
    pd_config(rest=REST)
    imf_cli("declare", "Checkout down", "-s", "P1")
    result = imf_cli(
        "update",
        "INC-1",
        "--status",
        "identified",
        "--summary",
        "Bad deploy 1.4.2",
        "--since-last",
        "Rolled back web",
        "--root-cause",
        "known",
        "--impact",
        "EU users",
        "--eta",
        "30m",
        "--next-step",
        "Watch error rate",
        "--next-update",
        "+30m",
    )
    assert result.exit_code == 0 and result.stderr == "", result
    [note] = pd.notes
    assert note.incident_id == pd.incidents[0]["id"]
    assert note.user_email == "imf-bot@example.com"
    lines = note.content.splitlines()
    assert lines[0].startswith("Incident Update #1 - ")
    assert lines[1:5] == [
        "Status: identified",
        "Summary: Bad deploy 1.4.2",
        "Since last update:",
        "- Rolled back web",
    ]
    assert "Root cause: known" in lines and "Impact: EU users" in lines and "ETA: 30m" in lines
    assert lines[lines.index("Next steps:") + 1] == "1. Watch error rate"
    assert lines[-1].startswith("Next update: ")
    [request] = note_requests(pd)
    assert request.headers["authorization"] == f"Token token={API_TOKEN}"
    assert request.headers["accept"] == "application/vnd.pagerduty+json;version=2"
    assert specs.validate_pagerduty_rest("POST", "/incidents/{id}/notes", request.json) == []
    pd.assert_no_spec_errors()


def test_the_incident_is_looked_up_once_and_linked(imf_cli, pd_config, pd):
    pd_config(rest=REST)
    imf_cli("declare", "Checkout down", "-s", "P1")
    imf_cli("update", "INC-1", "--summary", "Looking at the database")
    imf_cli("update", "INC-1", "--summary", "Failing over")
    lookups = [r for r in pd.requests if r.method == "GET" and r.path == "/incidents"]
    assert len(lookups) == 1
    assert lookups[0].query["incident_key"] == "imf-INC-1"
    assert len(pd.notes) == 2
    shown = imf_cli("show", "INC-1", "--json").json()["incident"]
    assert shown["refs"]["pagerduty"]["incident_id"] == pd.incidents[0]["id"]
    assert API_TOKEN not in imf_cli("show", "INC-1", "--json").stdout
    shown_text = imf_cli("show", "INC-1").stdout
    assert pd.incidents[0]["html_url"] in shown_text


def test_notes_follow_the_organization_language(imf_cli, pd_config, pd):
    pd_config(language="ru", rest=REST)
    imf_cli("declare", "Сбой оплаты", "-s", "P1")
    imf_cli("update", "INC-1", "--status", "mitigating", "--summary", "Откатили релиз")
    content = pd.notes[0].content
    assert content.startswith("Обновление по инциденту #1")
    assert "Статус: " in content and "Кратко: Откатили релиз" in content


def test_no_note_without_an_open_page(imf_cli, pd_config, pd):
    pd_config(rest=REST)
    imf_cli("declare", "Typo", "-s", "P3")
    assert imf_cli("update", "INC-1", "--summary", "Fixing").exit_code == 0
    assert pd.requests == []


def test_no_note_without_rest_access(imf_cli, pd_config, pd):
    pd_config()
    imf_cli("declare", "Checkout down", "-s", "P1")
    imf_cli("update", "INC-1", "--summary", "Fixing")
    assert [r.path for r in pd.requests] == ["/v2/enqueue"]


def test_a_wrong_token_is_permanent_and_not_shown(imf_cli, pd_config, pd, monkeypatch):
    monkeypatch.setenv("PD_API_TOKEN", "not-the-token")
    pd_config(rest=REST)
    monkeypatch.setenv("PD_API_TOKEN", "not-the-token")
    imf_cli("declare", "Checkout down", "-s", "P1")
    result = imf_cli("update", "INC-1", "--summary", "Fixing")
    assert "HTTP 401" in result.stderr, result
    assert "not-the-token" not in result.stderr
    states = [d["state"] for d in imf_cli("show", "INC-1", "--json").json()["deliveries"]]
    assert "dead" in states


def test_a_page_not_yet_open_in_pagerduty_is_retried(imf_cli, pd_config, pd, clock):
    pd_config(rest=REST)
    imf_cli("declare", "Checkout down", "-s", "P1", clock=clock)
    pd.fail_next(
        1,
        200,
        body={"incidents": [], "limit": 1, "offset": 0, "more": False},
        path="/incidents",
        method="GET",
    )
    result = imf_cli("update", "INC-1", "--summary", "Fixing", clock=clock)
    assert "no open incident with incident key imf-INC-1" in result.stderr, result
    clock.advance(120)
    imf_cli("deliver", clock=clock)
    assert len(pd.notes) == 1
