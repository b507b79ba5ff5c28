"""The hook recorder sees what a real plugin sees, in CLI runs and in apps."""

from __future__ import annotations

import pytest

import imf
from imf.testing import HookRecorder
from imf.testing.recorder import hook_names


def test_recorder_receives_every_lifecycle_event_of_a_cli_incident(imf_cli, hook_recorder):
    assert imf_cli("declare", "Checkout down", "-s", "P2").exit_code == 0
    assert (
        imf_cli("update", "INC-1", "--status", "identified", "--summary", "bad deploy").exit_code
        == 0
    )
    assert imf_cli("escalate", "INC-1", "-s", "P3", "--reason", "contained").exit_code == 0
    assert imf_cli("assign", "INC-1", "commander", "alice").exit_code == 0
    assert imf_cli("resolve", "INC-1").exit_code == 0
    assert imf_cli("reopen", "INC-1").exit_code == 0
    assert hook_recorder.kinds() == [
        "declared",
        "update_posted",
        "escalated",
        "role_assigned",
        "resolved",
        "reopened",
    ]
    declared = hook_recorder.one("imf_declare")
    assert declared.incident.title == "Checkout down"
    assert declared.event.kind == "declared"
    assert declared.ctx.name == "hook_recorder"
    escalated = hook_recorder.one("imf_escalate")
    assert escalated.event.data["to"] == "P3"
    assert hook_recorder.one("imf_assign").event.data["person"] == "alice"
    assert hook_recorder.one("imf_resolve").incident.status is imf.Status.RESOLVED
    assert hook_recorder.one("imf_reopen").incident.reopened


def test_recorder_in_app_sees_decision_and_registration_hooks(imf_app, hook_recorder):
    app = imf_app()
    assert hook_recorder.calls("imf_config_class")
    assert hook_recorder.calls("imf_default_config")
    # The recorder answers None to decision hooks, so the bundled severity policy decides.
    assert app.policy.names()[0] == "P1"
    incident, report = app.service.declare("Queue backlog", severity="P3")
    assert [o.state for o in report.outcomes if o.plugin == "hook_recorder"] == ["delivered"]
    assert hook_recorder.one("imf_declare").incident.id == incident.id


def test_imf_incident_declares_through_the_recorded_app(imf_incident, hook_recorder):
    incident = imf_incident("Login slow", "P4", services=["auth"])
    assert list(incident.services) == ["auth"]
    assert hook_recorder.one("imf_declare").incident.title == "Login slow"


def test_recorder_is_not_added_without_the_fixture(imf_app):
    app = imf_app()
    assert "hook_recorder" not in app.host.info


def test_calls_rejects_unknown_hook_names():
    recorder = HookRecorder()
    with pytest.raises(ValueError, match="'imf_declared' is not an imf hook"):
        recorder.calls("imf_declared")


def test_one_names_what_was_recorded_when_it_fails():
    recorder = HookRecorder()
    with pytest.raises(AssertionError, match="expected one call of imf_declare, got 0"):
        recorder.one("imf_declare")


def test_recorder_implements_every_hookspec_and_passes_the_check():
    from imf.testing import check_plugin

    recorder = HookRecorder()
    for name in hook_names():
        assert callable(getattr(recorder, name))
    check_plugin(recorder, "hook_recorder")


def test_call_arguments_are_attributes_and_missing_ones_say_so(imf_cli, hook_recorder):
    imf_cli("declare", "Disk full", "-s", "P3")
    call = hook_recorder.one("imf_declare")
    assert "imf_declare(incident=INC-1, event=declared#1)" in repr(call)
    with pytest.raises(AttributeError, match="imf_declare was called without 'url'"):
        _ = call.url
    hook_recorder.clear()
    assert hook_recorder.calls() == []
