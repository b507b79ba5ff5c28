"""Every event kind imf records has a timeline line in both languages."""

from __future__ import annotations

import pytest

from imf.cli.render import describe_event
from imf.model import Event, utcnow

SAMPLES = {
    "declared": {"severity": "P1", "title": "DB down"},
    "acknowledged": {},
    "update_posted": {"number": 2, "status": "identified", "summary": "found"},
    "escalated": {"from": "P2", "to": "P1", "direction": "up", "reason": "spread"},
    "role_assigned": {"role": "commander", "person": "alice"},
    "role_unassigned": {"role": "scribe", "person": "bob"},
    "note_added": {"text": "rollback started"},
    "resolved": {"summary": "rolled back"},
    "reopened": {"reason": "came back"},
    "external_ref": {"plugin": "pagerduty", "refs": {"dedup_key": "INC-1"}},
    "delivery_dead": {"plugin": "teams", "hook": "imf_declare", "error": "HTTP 400"},
    "checked": {"item": "verification.error-rate-baseline"},
    "unchecked": {"item": "verification.error-rate-baseline"},
    "playbook_attached": {"playbook": "database-outage"},
    "postmortem_edited": {"fields": {}},
    "postmortem_why_added": {"question": "why?", "answer": "because"},
    "postmortem_timeline_added": {"text": "alert fired"},
    "action_added": {"item": {}},
    "action_changed": {"id": 1, "changes": {}},
    "postmortem_published": {},
    "decision_recorded": {"topic": "rollback", "decision": "rollback", "rule": "p1"},
    "rollout_stage": {"stage": "canary", "percent": "1-5", "note": ""},
    "rollout_halted": {"stage": "medium", "reason": "errors up"},
    "reminder": {"reason": "update_overdue", "due_at": "2026-01-01T00:00:00+00:00"},
}


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_event_has_a_translated_line(kind, lang):
    event = Event("INC-1", kind, utcnow(), "alice", SAMPLES[kind], seq=1)
    text = describe_event(event, lang)
    details = ", ".join(f"{k}={v}" for k, v in SAMPLES[kind].items() if v not in (None, "", {}))
    plain = f"{kind} {details}".strip()  # what kinds without a message show
    assert text != plain, text
    assert "cli." not in text and "ics." not in text, text
