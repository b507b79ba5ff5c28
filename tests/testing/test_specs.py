"""imf.testing.specs finds the official specifications and validates requests against them."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from imf.testing import specs
from imf.testing.specs import (
    require_specs,
    specs_dir,
    validate_adaptive_card,
    validate_confluence_request,
    validate_graph_request,
    validate_pagerduty_event,
    validate_pagerduty_rest,
    validate_statuspage_request,
    validate_teams_envelope,
)

CARD: dict[str, Any] = {
    "type": "AdaptiveCard",
    "version": "1.5",
    "msteams": {"width": "Full"},
    "body": [
        {"type": "TextBlock", "text": "P1: checkout down", "weight": "Bolder", "wrap": True},
        {"type": "FactSet", "facts": [{"title": "Status", "value": "investigating"}]},
    ],
    "actions": [{"type": "Action.OpenUrl", "title": "Open", "url": "https://example.com"}],
}
TRIGGER: dict[str, Any] = {
    "routing_key": "R0123456789abcdef0123456789abcde",
    "event_action": "trigger",
    "dedup_key": "INC-1",
    "payload": {"summary": "checkout down", "source": "imf", "severity": "critical"},
}


def _without_specs(test: Callable[..., None]) -> Callable[..., None]:
    """Mark a test that runs even when the specification folder is absent."""
    test.needs_specs = False  # type: ignore[attr-defined]
    return test


@pytest.fixture(autouse=True)
def _specs_present(request: pytest.FixtureRequest) -> None:
    if getattr(request.function, "needs_specs", True):
        require_specs()


def _broken(document: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    """A deep copy of ``document`` with the member at ``path`` set to ``value``."""
    copied = copy.deepcopy(document)
    node = copied
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return copied


# ---------------------------------------------------------------------- locating the specs


@_without_specs
def test_specs_dir_honours_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(specs.ENV_VAR, str(tmp_path))
    assert specs_dir() == tmp_path.resolve()
    monkeypatch.setenv(specs.ENV_VAR, str(tmp_path / "missing"))
    assert specs_dir() is None


@_without_specs
def test_require_specs_skips_with_a_reason(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(specs.ENV_VAR, str(tmp_path / "missing"))
    with pytest.raises(pytest.skip.Exception, match="IMF_SPECS_DIR"):
        require_specs()
    with pytest.raises(specs.SpecsNotFoundError):
        validate_pagerduty_event(TRIGGER)


@_without_specs
def test_specs_dir_is_found_beside_the_checkout(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    beside = tmp_path / "shared" / "specs"
    beside.mkdir(parents=True)
    (beside / "README.md").write_text("specs\n")
    working = tmp_path / "checkout" / "tests"
    working.mkdir(parents=True)
    monkeypatch.delenv(specs.ENV_VAR, raising=False)
    monkeypatch.chdir(working)
    assert specs_dir() == beside


# ---------------------------------------------------------------------- PagerDuty


def test_pagerduty_event_valid() -> None:
    assert validate_pagerduty_event(TRIGGER) == []
    resolve = {"routing_key": TRIGGER["routing_key"], "event_action": "resolve", "dedup_key": "x"}
    assert validate_pagerduty_event(resolve) == []


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (_broken(TRIGGER, ["event_action"], "fire"), "$.event_action: 'fire' is not one of"),
        (_broken(TRIGGER, ["payload", "severity"], "fatal"), "$.payload.severity"),
        (_broken(TRIGGER, ["payload", "summary"], 42), "$.payload.summary: 42 is not of type"),
        (_broken(TRIGGER, ["payload", "summary"], "x" * 1025), "longer than 1024"),
        ({"routing_key": "r", "event_action": "resolve"}, "$.dedup_key: required when"),
        ({"routing_key": "r", "event_action": "trigger"}, "$.payload: required when"),
        ({"event_action": "trigger", "payload": TRIGGER["payload"]}, "'routing_key' is a required"),
    ],
)
def test_pagerduty_event_invalid(event: dict[str, Any], expected: str) -> None:
    errors = validate_pagerduty_event(event)
    assert any(expected in error for error in errors), errors


def test_pagerduty_rest() -> None:
    note = {"note": {"content": "Firefighters are on the scene."}}
    assert validate_pagerduty_rest("POST", "/incidents/{id}/notes", note) == []
    assert validate_pagerduty_rest("POST", "/incidents/{id}/notes", {"note": {}}) == [
        "$.note: 'content' is a required property"
    ]
    incident = {
        "incident": {
            "type": "incident",
            "title": "checkout down",
            "service": {"id": "PWIXJZS", "type": "service_reference"},
            "body": {"type": "incident_body", "details": "a string body, as PagerDuty documents"},
        }
    }
    assert validate_pagerduty_rest("POST", "/incidents", incident) == []
    bad_status = {"incident": {"type": "incident", "status": "closed"}}
    assert validate_pagerduty_rest("PUT", "/incidents/{id}", bad_status)
    assert validate_pagerduty_rest("POST", "/nowhere", {}) == [
        "$: POST /nowhere is not an operation of pagerduty/REST/openapiv3.json"
    ]
    assert validate_pagerduty_rest("GET", "/incidents", {"x": 1}) == [
        "$: GET /incidents takes no request body"
    ]


# ---------------------------------------------------------------------- Microsoft Teams


def test_adaptive_card_valid() -> None:
    assert validate_adaptive_card(CARD) == []


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        (_broken(CARD, ["version"], 1.5), "$.version: 1.5 is not of type 'string'"),
        ({k: v for k, v in CARD.items() if k != "version"}, "$.version: required"),
        (_broken(CARD, ["type"], "Card"), "$.type: must be 'AdaptiveCard'"),
        (_broken(CARD, ["body", 0, "colour"], "red"), "$.body[0]: Additional properties"),
        (_broken(CARD, ["body", 1, "facts"], [{"title": "x"}]), "$.body[1].facts[0]: 'value'"),
        (_broken(CARD, ["body", 0, "type"], "Marquee"), "(type 'Marquee')"),
        (_broken(CARD, ["teams"], {}), "('teams' was unexpected)"),
        ([CARD], "$: an Adaptive Card must be a JSON object"),
    ],
)
def test_adaptive_card_invalid(card: Any, expected: str) -> None:
    errors = validate_adaptive_card(card)
    assert any(expected in error for error in errors), errors


def _envelope(card: Any = CARD, **attachment: Any) -> dict[str, Any]:
    item = {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None}
    return {"type": "message", "attachments": [{**item, "content": card, **attachment}]}


def test_teams_envelope() -> None:
    assert validate_teams_envelope(_envelope()) == []
    assert validate_teams_envelope({**_envelope(), "type": "note"}) == ["$.type: must be 'message'"]
    assert validate_teams_envelope({"type": "message", "attachments": []}) == [
        "$.attachments: must be a non-empty array"
    ]
    wrong = validate_teams_envelope(_envelope(contentType="application/json", contentUrl="x"))
    assert wrong == [
        "$.attachments[0].contentType: must be 'application/vnd.microsoft.card.adaptive'",
        "$.attachments[0].contentUrl: must be null or absent",
    ]
    card_errors = validate_teams_envelope(_envelope(_broken(CARD, ["version"], 2)))
    assert card_errors == ["$.attachments[0].content.version: 2 is not of type 'string'"]


def test_graph_channel() -> None:
    channel = {"displayName": "incident-42", "description": None, "membershipType": "standard"}
    assert validate_graph_request("POST", "/teams/{team-id}/channels", channel) == []
    assert validate_graph_request("POST", "/v1.0/teams/{team_id}/channels", channel) == []
    errors = validate_graph_request(
        "POST", "/teams/{team-id}/channels", {"displayName": 7, "membershipType": "public"}
    )
    assert errors == [
        "$.displayName: 7 is not of type 'string'",
        "$.membershipType: 'public' is not one of "
        "['standard', 'private', 'unknownFutureValue', 'shared']",
    ]


def test_graph_message_with_a_card() -> None:
    template = "/teams/{team-id}/channels/{channel-id}/messages"
    message = {
        "body": {"contentType": "html", "content": '<attachment id="1"></attachment>'},
        "attachments": [
            {
                "id": "1",
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": json.dumps(CARD),
            }
        ],
    }
    assert validate_graph_request("POST", template, message) == []
    broken_card = _broken(message, ["attachments", 0, "content"], json.dumps({"type": "Nope"}))
    broken_card["body"]["contentType"] = "markdown"
    errors = validate_graph_request("POST", template, broken_card)
    assert "$.body.contentType: 'markdown' is not one of ['text', 'html']" in errors
    assert "$.attachments[0].content.type: must be 'AdaptiveCard'" in errors
    as_object = _broken(message, ["attachments", 0, "content"], CARD)
    assert any(
        "is not of type 'string'" in e for e in validate_graph_request("POST", template, as_object)
    )


# ---------------------------------------------------------------------- Statuspage


def test_statuspage_incident() -> None:
    incident = {
        "incident": {
            "name": "checkout down",
            "status": "investigating",
            "impact_override": "major",
            "body": "We are investigating.",
            "components": {"cmpapi000001": "major_outage"},
            "component_ids": ["cmpapi000001"],
            "metadata": {"imf": {"incident": "INC-1"}},
        }
    }
    template = "/pages/{page_id}/incidents"
    assert validate_statuspage_request("POST", template, incident) == []
    assert validate_statuspage_request("POST", "/v1" + template, incident) == []
    broken = _broken(incident, ["incident", "status"], "fixed")
    broken["incident"]["components"]["cmpapi000001"] = ""
    errors = validate_statuspage_request("PATCH", template + "/{incident_id}", broken)
    assert any(e.startswith("$.incident.status: 'fixed' is not one of") for e in errors)
    assert any(e.startswith("$.incident.components['cmpapi000001']: '' is not one") for e in errors)


def test_statuspage_component() -> None:
    template = "/pages/{page_id}/components/{component_id}"
    assert (
        validate_statuspage_request("PATCH", template, {"component": {"status": "operational"}})
        == []
    )
    errors = validate_statuspage_request("PATCH", template, {"component": {"status": ""}})
    assert errors == [
        "$.component.status: '' is not one of "
        "degraded_performance|major_outage|operational|partial_outage|under_maintenance"
    ]


# ---------------------------------------------------------------------- Confluence


def test_confluence_v2_pages() -> None:
    storage = {"representation": "storage", "value": "<p>Summary</p>"}
    create = {"spaceId": "65537", "status": "current", "title": "PM", "body": storage}
    assert validate_confluence_request("v2", "POST", "/pages", create) == []
    nested = {**create, "body": {"storage": storage}}
    assert validate_confluence_request("v2", "POST", "/wiki/api/v2/pages", nested) == []
    draft = {"spaceId": "65537", "status": "draft", "body": storage}
    assert validate_confluence_request("v2", "POST", "/pages", draft) == []
    errors = validate_confluence_request(
        "v2", "POST", "/pages", {"spaceId": 65537, "body": {"representation": "html", "value": ""}}
    )
    assert errors == [
        "$.spaceId: 65537 is not of type 'string'",
        "$.title: required unless status is 'draft'",
        "$.body.representation: 'html' is not one of ['atlas_doc_format', 'storage', 'wiki']",
    ]
    update = {**create, "id": "65539", "version": {"number": 2, "message": "edit"}}
    assert validate_confluence_request("v2", "PUT", "/pages/{id}", update) == []
    missing = {key: value for key, value in update.items() if key != "version"}
    assert validate_confluence_request("v2", "PUT", "/pages/{id}", missing) == [
        "$: 'version' is a required property"
    ]


def test_confluence_v1_content() -> None:
    create = {
        "type": "page",
        "title": "PM",
        "space": {"key": "IMF"},
        "ancestors": [{"id": "65538"}],
        "body": {"storage": {"value": "<p>Summary</p>", "representation": "storage"}},
    }
    for template in ("/content", "/rest/api/content", "/wiki/rest/api/content"):
        assert validate_confluence_request("v1", "POST", template, create) == []
    update = {**create, "version": {"number": 2}}
    assert validate_confluence_request("v1", "PUT", "/content/{id}", update) == []
    assert validate_confluence_request("v1", "PUT", "/content/{id}", create) == [
        "$: 'version' is a required property"
    ]
    labels = [{"prefix": "global", "name": "postmortem"}]
    assert validate_confluence_request("v1", "POST", "/content/{id}/label", labels) == []
    assert validate_confluence_request("v1", "POST", "/content/{id}/label", [{"name": "x"}]) == [
        "$[0]: 'prefix' is a required property"
    ]


def test_confluence_needs_a_known_api() -> None:
    with pytest.raises(ValueError, match="'v1' or 'v2'"):
        validate_confluence_request("v3", "POST", "/pages", {})
