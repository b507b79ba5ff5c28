"""The post-mortem service: derived facts from the log, validation, action ids, publishing,
the editable document and its round trip."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import imf
from imf.postmortem import (
    DocumentError,
    PostmortemService,
    document_fields,
    parse_document,
    render_document,
    validate_section,
)

TODAY = date(2026, 11, 28)


def test_derived_facts_come_from_the_event_log(app, clock):
    service = app.service
    detected = clock.now - timedelta(minutes=5)
    incident, _ = service.declare("DB down", severity="P2", detected_at=detected, commander="al")
    clock.advance(minutes=2)
    service.assign(incident.id, "commander", "bo")  # a handover: both held the role
    service.assign(incident.id, "scribe", "cy")
    service.note(incident.id, "not for the timeline")
    service.note(incident.id, "Rollback started", key=True)
    clock.advance(minutes=3)
    service.escalate(incident.id, "P1", reason="all regions")
    service.update(incident.id, status="mitigating", summary="Rolling back")
    service.update(incident.id, summary="Still rolling back")
    clock.advance(minutes=40)
    service.resolve(incident.id, summary="Restored", force_reason="checked by hand")
    pms = PostmortemService.of(app)
    pms.add_timeline(incident.id, detected - timedelta(minutes=1), "Deploy 1.4.2 went out")

    view = pms.view(incident.id)
    d = view.derived
    assert d.title == "DB down"
    assert d.date == detected.date()
    assert d.started_at == detected
    assert d.duration == timedelta(minutes=50)
    assert d.severity == "P1"
    assert d.severity_titles == {"en": "Critical", "ru": "Критический"}
    assert d.participants == {"commander": ("al", "bo"), "scribe": ("cy",)}
    assert d.contributors == ("tester",)  # acted (declared, noted) without holding a role
    kinds = [line.kind for line in d.timeline]
    assert kinds == [
        "added",
        "detected",
        "declared",
        "role_assigned",
        "role_assigned",
        "role_assigned",
        "key_note",
        "escalated_up",
        "update_posted",
        "update_posted",
        "resolved",
    ]
    texts = {line.kind: line.text for line in d.timeline}
    assert texts["key_note"] == "Rollback started"
    assert "not for the timeline" not in [line.text for line in d.timeline]
    updates = [line for line in d.timeline if line.kind == "update_posted"]
    assert updates[0].labels["en"] == "Status: mitigating (update #1)"
    assert updates[1].labels == {"en": "Update #2", "ru": "Обновление №2"}
    assert (updates[0].icon, updates[1].icon) == ("🔧", "📝")


def test_sections_are_validated_naming_the_field(app, resolved):
    pms = PostmortemService.of(app)
    incident_id = resolved()
    with pytest.raises(DocumentError) as caught:
        pms.set_sections(incident_id, {"services_affected": ["api", 7]})
    assert caught.value.field == "impact.services[1]"
    assert str(caught.value) == "impact.services[1]: expected text"
    with pytest.raises(DocumentError) as caught:
        pms.set_sections(incident_id, {"summary": "x" * 100_001})
    assert str(caught.value) == "summary: longer than 100000 characters"
    with pytest.raises(DocumentError, match="unknown key"):
        pms.set_sections(incident_id, {"severity": "P1"})
    with pytest.raises(imf.UsageError, match="imf action"):
        pms.set_sections(incident_id, {"action_items": []})
    assert app.store.get(incident_id).postmortem is None  # nothing recorded


def test_sections_are_events_and_keep_their_history(app, resolved):
    pms = PostmortemService.of(app)
    incident_id = resolved()
    pms.set_sections(incident_id, {"summary": "First draft"})
    pms.set_sections(incident_id, {"summary": "  Second draft\r\n", "went_well": ["a", " ", "b"]})
    pm = app.store.get(incident_id).postmortem
    assert pm.summary == "Second draft"
    assert pm.went_well == ["a", "b"]
    edits = [e for e in app.store.events(incident_id) if e.kind == "postmortem_edited"]
    assert [e.data["fields"].get("summary") for e in edits] == ["First draft", "Second draft"]


def test_action_ids_are_per_incident_and_never_reused(app, resolved):
    pms = PostmortemService.of(app)
    first, second = resolved("One"), resolved("Two")
    pms.add_action(first, "Alert on pool saturation", owner="dana", due="+7d", priority="p1")
    _, _, item = pms.add_action(first, "Load test at 3x")
    assert item.id == 2
    _, _, other = pms.add_action(second, "Runbook for rollback")
    assert other.id == 1
    # Removing item 2 through the document does not free its number.
    pm = app.store.get(first).postmortem
    base = document_fields(pm)
    fields = dict(base, action_items=[a for a in base["action_items"] if a["id"] == 1])
    pms.apply_document(first, fields, base)
    _, _, third = pms.add_action(first, "Capacity review")
    assert third.id == 3
    items = app.store.get(first).postmortem.action_items
    assert [(a.id, a.priority, a.due) for a in items] == [
        (1, "P1", TODAY + timedelta(days=7)),
        (3, "P2", None),
    ]


def test_action_changes_are_validated(app, resolved):
    pms = PostmortemService.of(app)
    incident_id = resolved()
    pms.add_action(incident_id, "Alert on pool saturation")
    pms.change_action(incident_id, 1, {"status": "In progress", "link": "OPS-142"})
    item = app.store.get(incident_id).postmortem.action_items[0]
    assert (item.status, item.link) == ("in-progress", "OPS-142")
    with pytest.raises(DocumentError, match=r"action.priority: 'P7' is not one of P0, P1, P2, P3"):
        pms.change_action(incident_id, 1, {"priority": "P7"})
    with pytest.raises(DocumentError, match="is not an http"):
        pms.change_action(incident_id, 1, {"link": "javascript:alert(1)"})
    with pytest.raises(imf.UsageError, match="has no action item 9"):
        pms.change_action(incident_id, 9, {"status": "done"})
    with pytest.raises(imf.ConflictError, match="already has these values"):
        pms.change_action(incident_id, 1, {"status": "in-progress"})


def test_publish_needs_a_resolved_incident_and_carries_the_derived_facts(app, clock):
    pms = PostmortemService.of(app)
    incident, _ = app.service.declare("Still burning", severity="P2")
    with pytest.raises(imf.ConflictError, match="is not resolved"):
        pms.publish(incident.id)
    app.service.resolve(incident.id, force_reason="test")
    published, _ = pms.publish(incident.id)
    again, _ = pms.publish(incident.id)
    assert (published.postmortem.published_count, again.postmortem.published_count) == (1, 2)
    events = [e for e in app.store.events(incident.id) if e.kind == "postmortem_published"]
    assert [e.data["publication"] for e in events] == [1, 2]
    derived = events[0].data["derived"]
    assert derived["title"] == "Still burning"
    assert derived["severity_titles"]["ru"] == "Высокий"
    assert [line["kind"] for line in derived["timeline"]] == ["declared", "resolved"]
    assert derived["timeline"][1]["labels"] == {"en": "Resolved", "ru": "Решён"}


def test_an_edit_never_overwrites_a_concurrent_change(app, resolved):
    pms = PostmortemService.of(app)
    incident_id = resolved()
    base = document_fields(app.store.get(incident_id).postmortem or imf.Postmortem())
    pms.set_sections(incident_id, {"summary": "Written by someone else meanwhile"})
    with pytest.raises(imf.ConflictError, match="summary"):
        pms.apply_document(incident_id, dict(base, summary="Mine"), base)
    # A different section merges: theirs is kept, mine is added.
    pms.apply_document(incident_id, dict(base, lessons="Mine"), base)
    pm = app.store.get(incident_id).postmortem
    assert (pm.summary, pm.lessons) == ("Written by someone else meanwhile", "Mine")
    assert pms.apply_document(incident_id, base, base) is None


def test_the_due_list_follows_the_policy(app, clock, resolved):
    pms = PostmortemService.of(app)
    p1 = resolved("Outage", "P1")
    p2 = resolved("Slow", "P2")
    resolved("Glitch", "P3")  # the policy does not require a post-mortem
    app.service.declare("Open one", severity="P1")
    pms.set_sections(p2, {"summary": "draft"})
    due = pms.due()
    assert [(item.id, item.draft, item.overdue) for item in due] == [
        (p1, False, False),  # P1: due 5 days after resolution
        (p2, True, False),  # P2: 7 days
    ]
    assert due[0].due_at - due[0].resolved_at == timedelta(days=5)
    clock.advance(days=6)
    assert [item.overdue for item in pms.due()] == [True, False]
    pms.publish(p1)
    assert [item.id for item in pms.due()] == [p2]


def test_action_list_spans_incidents(app, clock, resolved):
    pms = PostmortemService.of(app)
    one, two = resolved("One"), resolved("Two")
    pms.add_action(two, "Later", due="2026-12-20", priority="P3", owner="bo")
    pms.add_action(one, "Soon", due="2026-11-30", priority="P1", owner="al")
    pms.add_action(one, "Done already", owner="al")
    pms.change_action(one, 2, {"status": "done"})
    rows = pms.actions()
    assert [(r.incident_id, r.item.action) for r in rows] == [
        (one, "Soon"),
        (two, "Later"),
        (one, "Done already"),
    ]
    assert [r.item.action for r in pms.actions(open_only=True)] == ["Soon", "Later"]
    assert [r.item.action for r in pms.actions(owner="bo")] == ["Later"]
    clock.advance(days=3)
    assert [r.overdue for r in pms.actions(open_only=True)] == [True, False]


# --- the document -----------------------------------------------------------------------------


def _document(app, incident_id, fmt="toml", lang="en"):
    view = PostmortemService.of(app).view(incident_id)
    return render_document(view.incident, view.derived, lang, fmt)


@pytest.mark.parametrize("fmt", ["toml", "markdown"])
def test_document_round_trip(app, resolved, fmt):
    pms = PostmortemService.of(app)
    incident_id = resolved()
    pms.set_sections(
        incident_id,
        {
            "summary": 'Line one "quoted" \\ back\n\nParagraph """ two',
            "went_well": ["Fast rollback", "Clear comms"],
            "services_affected": ["api", "web"],
            "problem": "DB unavailable",
            "prevention": ["Auto-scaling pool"],
        },
    )
    pms.add_why(incident_id, "Why unavailable?", "Pool exhausted")
    pms.add_action(incident_id, "Alert on pool", due="2026-12-05", link="https://t.example/1")
    expected = document_fields(app.store.get(incident_id).postmortem)
    text = _document(app, incident_id, fmt)
    assert "Blameless" in text
    assert parse_document(text, TODAY, fmt) == expected


def test_the_document_speaks_russian(app, resolved):
    text = _document(app, resolved(), "toml", "ru")
    assert "Без поиска виноватых" in text
    assert "Участники: Руководитель инцидента: alice" in text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('summary = "x"\nsummary = "y"\n', "line 2, column"),
        ("[[action]]\naction = 'a'\npriority = 'P7'\n", "action[0].priority: 'P7' is not one of"),
        (
            "[[action]]\nid = 1\naction = 'a'\n[[action]]\nid = 1\naction = 'b'\n",
            "action[1].id: action id 1 is used twice",
        ),
        ("[[action]]\naction = 'a'\ndue = 'soon'\n", "action[0].due: 'soon' is not a date"),
        ("[[action]]\nowner = 'x'\n", "action[0].action: must not be empty"),
        ("[impact]\nrevnue = '$0'\n", "impact.revnue: unknown key"),
        ("went_well = 'one'\n[impact]\nservices = 'api'\n", "impact.services: expected a list"),
        ("[[timeline]]\ntext = 'x'\n", "timeline[0].at: required"),
        ("[[timeline]]\nat = 'yesterday'\ntext = 'x'\n", "timeline[0].at: 'yesterday' is not a"),
        ("[[five_whys.why]]\nquestion = 'q'\n", "five_whys.why[0].answer: must not be empty"),
        ("[[action]]\naction = 'a'\nlink = 'ftp://x'\n", "action[0].link: 'ftp://x' is not"),
    ],
)
def test_document_errors_name_the_field(text, message):
    with pytest.raises(DocumentError) as caught:
        parse_document(text, TODAY)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("## Summary {#summary}\n", "line 1: the document must start with TOML front matter"),
        ("+++\n[impact]\n", "line 1: the document must start with TOML front matter"),
        ("+++\nsummary = 'x'\n+++\n", "summary: this section belongs in the Markdown body"),
        ("+++\n+++\n## X {#nope}\n", "line 3: unknown section {#nope}"),
        ("+++\n+++\nstray\n", "line 3: text before the first"),
        ("\n+++\n[impact]\nx = [\n+++\n", "line 4, column 6"),
    ],
)
def test_markdown_document_errors_name_the_line(text, message):
    with pytest.raises(DocumentError) as caught:
        parse_document(text, TODAY, "markdown")
    assert message in str(caught.value)


_texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(summary=_texts, lessons=_texts, items=st.lists(_texts, max_size=3))
def test_any_text_survives_the_document(summary, lessons, items):
    """Whatever people type comes back from the TOML and Markdown documents unchanged."""
    incident = imf.Incident(id="INC-1", number=1, title="t", severity="P2")
    fields = {
        "summary": validate_section("summary", summary, today=TODAY),
        "lessons": validate_section("lessons", lessons, today=TODAY),
        "went_well": validate_section("went_well", items, today=TODAY),
    }
    incident.postmortem = imf.Postmortem(**fields)
    from imf.postmortem import derive

    policy = imf.SeverityPolicy(levels=(imf.SeverityLevel(name="P2", rank=2),))
    derived = derive(incident, [], policy)
    for fmt in ("toml", "markdown"):
        parsed = parse_document(render_document(incident, derived, "en", fmt), TODAY, fmt)
        if fmt == "markdown":
            # Markdown keeps list items on one line each.
            fields_md = dict(fields, went_well=[" ".join(i.split()) for i in fields["went_well"]])
            expected = fields_md
        else:
            expected = fields
        assert {k: parsed[k] for k in expected} == expected
