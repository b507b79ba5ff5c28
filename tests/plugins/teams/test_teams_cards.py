"""Adaptive Cards for every lifecycle step: valid against the 1.5 schema, escaped, sized."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from imf.hookspecs import LIFECYCLE_HOOKS
from imf.projection import project
from imf.testing import specs
from imf_teams import cards
from imf_teams.text import unescape


@pytest.fixture
def app(imf_app):
    return imf_app()


def card_of(app, incident_id: str, kind: str | None = None) -> dict[str, Any]:
    """The webhook card for the last event (of ``kind``) of the incident, validated."""
    incident = app.store.get(incident_id)
    events = [
        e
        for e in app.store.events(incident_id)
        if e.kind == kind or (kind is None and e.kind in LIFECYCLE_HOOKS)
    ]
    event = events[-1]
    ctx = app.context("teams", incident)
    at_event = project(app.store.events(incident_id, upto_seq=event.seq))
    at_event.refs = incident.refs
    card = cards.webhook_card(at_event, event, ctx)
    assert card is not None
    if specs.specs_dir() is not None:
        assert specs.validate_adaptive_card(card) == [], card
        assert specs.validate_teams_envelope(cards.envelope(card)) == []
    return card


def texts(node: Any) -> list[str]:
    """Every TextBlock text and fact of a card, in order."""
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "TextBlock":
            found.append(node["text"])
        if node.get("type") == "FactSet":
            found.extend(f"{f['title']}: {f['value']}" for f in node["facts"])
        for value in node.values():
            if isinstance(value, list | dict):
                found.extend(texts(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(texts(item))
    return found


def test_declare_card_has_severity_colour_facts_and_roles(app):
    specs.require_specs()
    app.service.declare(
        "Checkout down",
        severity="P1",
        services=["payments"],
        summary="5xx on /pay",
        customer_facing=True,
    )
    app.service.assign("INC-1", "commander", "alice")
    app.service.assign("INC-1", "sme", "bob")
    app.service.assign("INC-1", "sme", "carol")
    assigned = {f["title"]: f["value"] for f in card_of(app, "INC-1")["body"][1]["facts"]}
    assert assigned["Incident Commander"] == "alice"
    assert assigned["Subject Matter Expert"] == "bob, carol"
    card = card_of(app, "INC-1", "declared")
    assert card["version"] == "1.5"
    header = card["body"][0]
    assert header["style"] == "attention"
    assert header["items"][0]["text"] == "🚨 P1 incident declared: INC-1"
    assert header["items"][1]["text"] == "Checkout down"
    facts = {f["title"]: f["value"] for f in card["body"][1]["facts"]}
    assert facts["Severity"] == "P1 — Critical"
    assert facts["Status"] == "investigating"
    assert facts["Services"] == "payments"
    assert facts["Customer-facing"] == "yes"
    assert "Incident Commander" not in facts  # assigned after the declare
    assert "**Summary**: 5xx on /pay" in texts(card)


@pytest.mark.parametrize(
    ("severity", "style"),
    [("P1", "attention"), ("P2", "warning"), ("P3", "accent"), ("P4", "good")],
)
def test_severity_colours(app, severity, style):
    app.service.declare("Something", severity=severity)
    assert card_of(app, "INC-1")["body"][0]["style"] == style


def test_update_card_follows_the_incident_update_template(app):
    specs.require_specs()
    app.service.declare("Checkout down", severity="P2")
    app.service.update(
        "INC-1",
        status="identified",
        summary="Bad deploy 1.4.2",
        since_last=["Rolled back web", "Paged DBA"],
        root_cause="suspected",
        impact="EU users cannot pay",
        eta="30 minutes",
        next_steps=["Watch error rate (alice)", "Confirm with support"],
        next_update_at=datetime(2030, 1, 1, 14, 35, tzinfo=UTC),
    )
    card = card_of(app, "INC-1", "update_posted")
    shown = texts(card)
    headline = shown[0]
    assert headline.startswith("Incident Update #1 - ") and headline.endswith(" UTC")
    assert "Status: identified" in shown
    order = [
        "**Summary**: Bad deploy 1.4.2",
        "**Since Last Update**:",
        "- Rolled back web\r- Paged DBA",
        "**Current Understanding**:",
        "- **Root Cause**: Suspected\r- **Impact**: EU users cannot pay\r- **ETA**: 30 minutes",
        "**Next Steps**:",
        "1. Watch error rate \\(alice\\)\r2. Confirm with support",
        "**Next Update**: 2030-01-01 14:35 UTC",
    ]
    positions = [shown.index(line) for line in order]
    assert positions == sorted(positions)


def test_cards_in_russian(imf_app):
    app = imf_app(lang="ru")
    app.service.declare("Сбой оплаты", severity="P1", commander="Алиса")
    app.service.update("INC-1", status="mitigating", summary="Откатили релиз")
    declare = texts(card_of(app, "INC-1", "declared"))
    assert declare[0] == "🚨 Объявлен инцидент P1: INC-1"
    assert "Серьёзность: P1 — Критический" in declare
    assigned = texts(card_of(app, "INC-1", "role_assigned"))
    assert assigned[0] == "👤 INC-1: роль «Руководитель инцидента» — Алиса"
    assert "Руководитель инцидента: Алиса" in assigned
    update = texts(card_of(app, "INC-1", "update_posted"))
    assert update[0].startswith("Обновление по инциденту #1")
    assert "**Кратко**: Откатили релиз" in update
    assert card_of(app, "INC-1")["lang"] == "ru"


def test_escalation_role_resolve_and_reopen_cards(app):
    specs.require_specs()
    app.service.declare("Search slow", severity="P3")
    app.service.escalate("INC-1", "P1", reason="checkout affected")
    up = texts(card_of(app, "INC-1", "escalated"))
    assert up[0] == "⬆️ INC-1 escalated: P3 → P1"
    assert "**Reason**: checkout affected" in up
    app.service.escalate("INC-1", "P2")
    assert texts(card_of(app, "INC-1", "escalated"))[0] == "⬇️ INC-1 de-escalated: P1 → P2"
    app.service.assign("INC-1", "commander", "alice")
    assert texts(card_of(app, "INC-1"))[0] == "👤 INC-1: alice is now Incident Commander"
    app.service.assign("INC-1", "commander", "bob")
    assert texts(card_of(app, "INC-1"))[0] == (
        "👤 INC-1: Incident Commander handed over from alice to bob"
    )
    app.service.unassign("INC-1", "commander")
    assert texts(card_of(app, "INC-1"))[0] == "👤 INC-1: Incident Commander released"
    app.service.resolve("INC-1", summary="Rolled back", force_reason="test")
    resolved = card_of(app, "INC-1", "resolved")
    assert resolved["body"][0]["style"] == "good"
    assert texts(resolved)[0].startswith("✅ INC-1 resolved after ")
    assert "**Resolution**: Rolled back" in texts(resolved)
    app.service.reopen("INC-1", reason="errors back")
    assert texts(card_of(app, "INC-1", "reopened"))[0] == "🔁 INC-1 reopened"


def test_reminder_and_postmortem_cards(app):
    specs.require_specs()
    app.service.declare("Checkout down", severity="P1")
    app.service.record(
        "INC-1",
        "reminder",
        {
            "reason": "update_overdue",
            "due_at": "2030-01-01T10:00:00+00:00",
            "detail": {"last_update": "none"},
        },
    )
    reminder = card_of(app, "INC-1", "reminder")
    assert texts(reminder)[0] == "⏰ INC-1: status update overdue"
    assert "Due: 2030-01-01 10:00 UTC" in texts(reminder)
    app.service.record("INC-1", "postmortem_published", {})
    assert texts(card_of(app, "INC-1", "postmortem_published"))[0] == (
        "📝 INC-1: post-mortem published"
    )


def test_links_become_open_url_actions(app):
    specs.require_specs()
    app.service.declare("Checkout down", severity="P1")
    app.service.record(
        "INC-1",
        "external_ref",
        {
            "plugin": "statuspage",
            "refs": {
                "links": {
                    "status page": "https://status.example.com/incidents/1",
                    "bad": "javascript:alert(1)",
                }
            },
        },
    )
    app.service.record(
        "INC-1",
        "external_ref",
        {"plugin": "teams", "refs": {"links": {"war_room": "https://teams.example/c/1"}}},
    )
    app.service.update("INC-1", summary="x")
    actions = card_of(app, "INC-1", "update_posted")["actions"]
    assert {(a["title"], a["url"]) for a in actions} == {
        ("status page", "https://status.example.com/incidents/1"),
        ("War room", "https://teams.example/c/1"),
    }
    assert all(a["type"] == "Action.OpenUrl" for a in actions)


HOSTILE_TITLES = [
    "Quotes \" and ' and backslashes \\ \\\\ at the end \\",
    "New\nlines\r\nand\ttabs\x00\x1b[31m",
    "[Reset your password](https://evil.example/phish) now",
    "<at>Everyone</at> please look",
    "Emoji 🔥💥👩‍💻🏳️‍🌈 in the title",
    "RTL: مرحبا بالعالم — שלום",
    "Кириллица: платёжный шлюз недоступен",
    "{{DATE(2017-02-14T06:00:00Z, SHORT)}} **bold** _it_ `code` # - 1.",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_titles_make_valid_inert_cards(app, title):
    specs.require_specs()
    app.service.declare(title, severity="P1", summary=title, services=[title[:100]])
    app.service.assign("INC-1", "sme", title[:100])
    app.service.update("INC-1", summary=title, since_last=[title], next_steps=[title])
    for kind in ("declared", "role_assigned", "update_posted"):
        card = card_of(app, "INC-1", kind)
        title_block = card["body"][0]["items"][1]["text"]
        assert unescape(title_block) == " ".join(
            title.replace("\x00", "").replace("\x1b", "").split()
        )
        for text in texts(card):
            assert "](" not in text
            assert "<at>" not in text


def test_ten_kilobytes_of_text_fit(app):
    specs.require_specs()
    big = "Платёж 💳 не проходит. " * 450  # about 10 KB of characters, 17 KB of UTF-8
    app.service.declare("x" * 1000, severity="P1", summary=big)
    card = card_of(app, "INC-1")
    assert len(cards.encode(cards.envelope(card))) <= cards.TARGET_BYTES


def test_oversized_cards_are_shortened_with_a_note_never_rejected(app):
    specs.require_specs()
    huge = "Ошибка ✗ [x](y) " * 6000  # ~100 KB of characters
    app.service.declare("Checkout down", severity="P1", summary=huge)
    app.service.update(
        "INC-1", summary=huge, since_last=[huge] * 5, next_steps=[f"step {n}" for n in range(300)]
    )
    for kind in ("declared", "update_posted"):
        card = card_of(app, "INC-1", kind)
        size = len(cards.encode(cards.envelope(card)))
        assert size <= cards.TARGET_BYTES < cards.MAX_MESSAGE_BYTES
        shown = texts(card)
        assert any("shortened to fit Teams' 28 KB limit" in text for text in shown)
    update = texts(card_of(app, "INC-1", "update_posted"))
    assert any("more" in line for line in update)  # list items were left out, and said so


def test_small_cards_carry_no_shortening_note(app):
    app.service.declare("Checkout down", severity="P1", summary="short")
    assert not any("shortened" in text for text in texts(card_of(app, "INC-1")))
