"""PagerDutyFake: the Events API v2 and the REST API v2 incident endpoints imf uses."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

from imf.testing import specs
from imf.testing.fakes.base import FakeServer, Recorded, Response, utc_timestamp

ROUTING_KEY_LENGTH = 32
"""Length of an Events API v2 integration (routing) key."""

DEDUP_KEY_MAX = 255
"""Maximum length of a ``dedup_key``."""

EVENT_ACTIONS = ("trigger", "acknowledge", "resolve")
"""Values of ``event_action``."""

SEVERITIES = ("critical", "error", "warning", "info")
"""Values of ``payload.severity``."""

REST_ACCEPT = "application/vnd.pagerduty+json;version=2"
"""The versioning ``Accept`` header the REST API v2 requires."""

_REST_ERROR_CODES = {400: 2001, 401: 2006, 403: 2010, 404: 2100, 429: 2020, 500: 2000}


@dataclass
class Alert:
    """An alert: the events sharing one (routing_key, dedup_key) while it is open.

    ``status`` is triggered, acknowledged or resolved; ``events`` holds every event applied to
    the alert in order (the first trigger, de-duplicated triggers, acknowledge, resolve).
    """

    routing_key: str
    dedup_key: str
    incident_id: str
    summary: str
    severity: str
    source: str
    status: str = "triggered"
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def trigger_count(self) -> int:
        """Number of trigger events received for this alert (1 + de-duplicated repeats)."""
        return sum(1 for event in self.events if event.get("event_action") == "trigger")


@dataclass(frozen=True)
class Note:
    """A note added to an incident through ``POST /incidents/{id}/notes``."""

    id: str
    incident_id: str
    content: str
    user_email: str
    created_at: str


class PagerDutyFake(FakeServer):
    """Imitates PagerDuty's Events API v2 (``POST /v2/enqueue``) and REST API v2 incidents.

    Events follow PagerDuty's de-duplication: a trigger with no open alert for its
    (routing_key, dedup_key) opens an alert and a new incident (a page); a repeat trigger on an
    open alert is added to it; acknowledge and resolve act on the open alert, or are dropped
    (still 202) when there is none. Invalid events get PagerDuty's 400 ``invalid event`` body.

    REST: ``GET /incidents`` (``incident_key``, ``statuses[]``, ``limit``, ``offset``),
    ``GET /incidents/{id}`` and ``POST /incidents/{id}/notes`` (201), each requiring
    ``Authorization: Token token=<api_token>`` (or ``Bearer <api_token>``) and the versioned
    ``Accept`` header; notes also require a ``From`` header.

    Attributes: :attr:`events` (accepted events), :attr:`alerts`, :attr:`incidents` (REST
    representations), :attr:`pages` (incidents opened) and :attr:`notes`.
    """

    def __init__(self, *, api_token: str = "imfFakePagerDutyToken", validate: bool = True) -> None:
        super().__init__(validate=validate)
        self.api_token = api_token
        self.events: list[dict[str, Any]] = []
        self.notes: list[Note] = []
        self._alerts: list[Alert] = []
        self._open: dict[tuple[str, str], Alert] = {}
        self._incidents: dict[str, dict[str, Any]] = {}
        self._numbers = itertools.count(1)
        self.route("POST", "/v2/enqueue", self._enqueue, self._check_event)
        self.route("GET", "/incidents", self._list_incidents)
        self.route("GET", "/incidents/{incident_id}", self._get_incident)
        self.route("POST", "/incidents/{incident_id}/notes", self._add_note, self._check_note)

    # ------------------------------------------------------------------ state

    @property
    def events_url(self) -> str:
        """The Events API v2 enqueue URL."""
        return f"{self.url}/v2/enqueue"

    @property
    def alerts(self) -> list[Alert]:
        """Every alert ever opened, oldest first."""
        with self._lock:
            return list(self._alerts)

    @property
    def incidents(self) -> list[dict[str, Any]]:
        """Every incident ever opened (REST representation), oldest first."""
        with self._lock:
            return list(self._incidents.values())

    @property
    def pages(self) -> int:
        """Number of incidents opened, i.e. how many times someone was paged."""
        with self._lock:
            return len(self._incidents)

    def open_alert(self, dedup_key: str, routing_key: str | None = None) -> Alert | None:
        """Return the open (triggered or acknowledged) alert for ``dedup_key``, if any."""
        with self._lock:
            for (key_routing, key_dedup), alert in self._open.items():
                if key_dedup == dedup_key and routing_key in (None, key_routing):
                    return alert
        return None

    # ------------------------------------------------------------------ Events API v2

    def _enqueue(self, request: Recorded, params: dict[str, str]) -> Response:
        event = request.json
        if not isinstance(event, dict):
            return _invalid_event(["Event object must be a JSON object"])
        errors = _event_errors(event)
        if errors:
            return _invalid_event(errors)
        action = event["event_action"]
        dedup_key = event.get("dedup_key") or uuid.uuid4().hex  # PagerDuty generates one
        key = (event["routing_key"], dedup_key)
        self.events.append(event)
        alert = self._open.get(key)
        if action == "trigger":
            if alert is None:
                alert = self._open_alert(event, dedup_key)
            alert.events.append(event)
        elif alert is not None:
            alert.events.append(event)
            self._transition(alert, "acknowledged" if action == "acknowledge" else "resolved")
        body = {"status": "success", "message": "Event processed", "dedup_key": dedup_key}
        return Response.json(202, body)

    def _open_alert(self, event: dict[str, Any], dedup_key: str) -> Alert:
        payload = event["payload"]
        number = next(self._numbers)
        incident_id = f"Q{number:06d}IMF"
        now = utc_timestamp()
        self._incidents[incident_id] = {
            "id": incident_id,
            "type": "incident",
            "summary": f"[#{number}] {payload['summary']}",
            "self": f"{self.url}/incidents/{incident_id}",
            "html_url": f"https://imf-fake.pagerduty.com/incidents/{incident_id}",
            "incident_number": number,
            "title": payload["summary"],
            "created_at": now,
            "updated_at": now,
            "status": "triggered",
            "incident_key": dedup_key,
            "service": _service_reference(event["routing_key"]),
            "assignments": [],
            "acknowledgements": [],
            "last_status_change_at": now,
            "resolved_at": None,
            "alert_counts": {"all": 1, "triggered": 1, "resolved": 0},
            "urgency": "high" if payload["severity"] in {"critical", "error"} else "low",
            "priority": None,
        }
        alert = Alert(
            routing_key=event["routing_key"],
            dedup_key=dedup_key,
            incident_id=incident_id,
            summary=payload["summary"],
            severity=payload["severity"],
            source=payload["source"],
        )
        self._alerts.append(alert)
        self._open[(alert.routing_key, dedup_key)] = alert
        return alert

    def _transition(self, alert: Alert, status: str) -> None:
        incident = self._incidents[alert.incident_id]
        now = utc_timestamp()
        alert.status = status
        incident.update(status=status, updated_at=now, last_status_change_at=now)
        if status == "acknowledged":
            incident["acknowledgements"].append({"at": now, "acknowledger": incident["service"]})
        if status == "resolved":
            del self._open[(alert.routing_key, alert.dedup_key)]
            incident.update(resolved_at=now, alert_counts={"all": 1, "triggered": 0, "resolved": 1})

    def _check_event(self, request: Recorded, params: dict[str, str]) -> list[str]:
        return specs.validate_pagerduty_event(request.json) if request.json is not None else []

    # ------------------------------------------------------------------ REST API v2

    def _rest_denied(self, request: Recorded) -> Response | None:
        authorization = request.headers.get("authorization", "")
        if authorization not in {f"Token token={self.api_token}", f"Bearer {self.api_token}"}:
            return _rest_error(401, "Authentication failed", ["Invalid or missing API token"])
        if request.headers.get("accept", "").replace(" ", "") != REST_ACCEPT:
            return _rest_error(400, "Invalid Input Provided", [f"Accept must be {REST_ACCEPT}"])
        return None

    def _list_incidents(self, request: Recorded, params: dict[str, str]) -> Response:
        denied = self._rest_denied(request)
        if denied is not None:
            return denied
        try:
            limit = int(request.query.get("limit", 25))
            offset = int(request.query.get("offset", 0))
        except ValueError:
            return _rest_error(400, "Invalid Input Provided", ["limit and offset are integers"])
        key = request.query.get("incident_key")
        statuses = set(request.query_values("statuses[]"))
        found = [
            incident
            for incident in self._incidents.values()
            if (key is None or incident["incident_key"] == key)
            and (not statuses or incident["status"] in statuses)
        ]
        page = found[offset : offset + limit]
        more = offset + limit < len(found)
        body = {"incidents": page, "limit": limit, "offset": offset, "more": more, "total": None}
        return Response.json(200, body)

    def _get_incident(self, request: Recorded, params: dict[str, str]) -> Response:
        denied = self._rest_denied(request)
        if denied is not None:
            return denied
        incident = self._incidents.get(params["incident_id"])
        if incident is None:
            return _rest_error(404, "Not Found")
        return Response.json(200, {"incident": incident})

    def _add_note(self, request: Recorded, params: dict[str, str]) -> Response:
        denied = self._rest_denied(request)
        if denied is not None:
            return denied
        sender = request.headers.get("from", "")
        if "@" not in sender:
            errors = ["A valid user email address is required in the From header"]
            return _rest_error(400, "Invalid Input Provided", errors)
        incident_id = params["incident_id"]
        if incident_id not in self._incidents:
            return _rest_error(404, "Not Found")
        body = request.json
        note = body.get("note") if isinstance(body, dict) else None
        content = note.get("content") if isinstance(note, dict) else None
        if not isinstance(content, str) or not content.strip():
            return _rest_error(400, "Invalid Input Provided", ["Note content can't be blank"])
        created = Note(
            f"N{len(self.notes) + 1:06d}IMF", incident_id, content, sender, utc_timestamp()
        )
        self.notes.append(created)
        representation = {
            "id": created.id,
            "user": {"id": "PIMFUSR", "type": "user_reference", "summary": sender},
            "channel": {"summary": "The PagerDuty website or APIs"},
            "content": content,
            "created_at": created.created_at,
        }
        return Response.json(201, {"note": representation})

    def _check_note(self, request: Recorded, params: dict[str, str]) -> list[str]:
        return specs.validate_pagerduty_rest("POST", "/incidents/{id}/notes", request.json)

    # ------------------------------------------------------------------ errors

    def _error_response(self, request: Recorded, status: int, message: str) -> Response:
        if request.path.startswith("/v2/"):
            return Response.json(status, {"status": "error", "message": message})
        return _rest_error(status, message)

    def _throttle_response(self, request: Recorded, status: int) -> Response:
        if request.path.startswith("/v2/"):
            message = "Requests for this service are arriving too quickly. Please retry later."
            return Response.json(status, {"status": "throttle event", "message": message})
        return _rest_error(status, "Rate Limit Exceeded")

    def _load_specs(self) -> None:
        specs.validate_pagerduty_event({})
        specs.validate_pagerduty_rest("POST", "/incidents/{id}/notes", {})


def _event_errors(event: dict[str, Any]) -> list[str]:
    """The reasons PagerDuty rejects an event with 400, in its own words."""
    errors = []
    routing_key = event.get("routing_key")
    if not isinstance(routing_key, str) or not routing_key.strip():
        errors.append("'routing_key' is missing or blank")
    elif len(routing_key) != ROUTING_KEY_LENGTH:
        errors.append("Length of 'routing_key' is incorrect (should be 32 characters)")
    action = event.get("event_action")
    if action not in EVENT_ACTIONS:
        errors.append(
            "'event_action' is invalid (must be one of the following: "
            "'trigger', 'acknowledge' or 'resolve')"
        )
    dedup_key = event.get("dedup_key")
    if dedup_key is not None and not isinstance(dedup_key, str):
        errors.append("'dedup_key' must be a string")
    elif action in {"acknowledge", "resolve"} and not (dedup_key or "").strip():
        errors.append("'dedup_key' is missing or blank")
    elif isinstance(dedup_key, str) and len(dedup_key) > DEDUP_KEY_MAX:
        errors.append("Length of 'dedup_key' is incorrect (should be at most 255 characters)")
    if action == "trigger":
        errors.extend(_payload_errors(event.get("payload")))
    return errors


def _payload_errors(payload: Any) -> list[str]:
    if not isinstance(payload, dict):
        return ["'payload' is missing or is not an object"]
    errors = []
    summary = payload.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        errors.append("'payload.summary' is missing or blank")
    elif len(summary) > specs.PAGERDUTY_SUMMARY_MAX:
        errors.append(
            "Length of 'payload.summary' is incorrect (should be at most 1024 characters)"
        )
    source = payload.get("source")
    if not isinstance(source, str) or not source.strip():
        errors.append("'payload.source' is missing or blank")
    if payload.get("severity") not in SEVERITIES:
        errors.append(
            "'payload.severity' is invalid (must be one of the following: "
            "'critical', 'warning', 'error' or 'info')"
        )
    return errors


def _invalid_event(errors: list[str]) -> Response:
    body = {"status": "invalid event", "message": "Event object is invalid", "errors": errors}
    return Response.json(400, body)


def _rest_error(status: int, message: str, errors: list[str] | None = None) -> Response:
    error: dict[str, Any] = {"message": message, "code": _REST_ERROR_CODES.get(status, 2000)}
    if errors:
        error["errors"] = errors
    return Response.json(status, {"error": error})


def _service_reference(routing_key: str) -> dict[str, str]:
    service_id = f"PSV{routing_key[:4].upper()}"
    return {
        "id": service_id,
        "type": "service_reference",
        "summary": f"Events API v2 service {routing_key[:8]}",
        "html_url": f"https://imf-fake.pagerduty.com/service-directory/{service_id}",
    }
