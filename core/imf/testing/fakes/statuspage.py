"""StatuspageFake: the Atlassian Statuspage v1 incident and component endpoints imf uses."""

from __future__ import annotations

import time
import uuid
from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any

from imf.testing import specs
from imf.testing.fakes.base import Check, FakeServer, Recorded, Response, utc_timestamp

INCIDENT_STATUSES = (
    "investigating",
    "identified",
    "monitoring",
    "resolved",
    "scheduled",
    "in_progress",
    "verifying",
    "completed",
)
"""Incident statuses: realtime (first four) and scheduled maintenance (last four)."""

UNRESOLVED_STATUSES = ("investigating", "identified", "monitoring")
"""Statuses of the realtime incidents listed by ``/incidents/unresolved``."""

IMPACTS = ("none", "maintenance", "minor", "major", "critical")
"""Values of ``impact`` and ``impact_override``."""

COMPONENT_STATUSES = tuple(sorted(specs.COMPONENT_STATUSES))
"""Component statuses."""

NAME_MAX = 255
"""Maximum length of an incident name."""

BODY_MAX = 25000
"""Maximum length of an incident update body."""

_IMPACT_OF_STATUS = {
    "major_outage": "critical",
    "partial_outage": "major",
    "degraded_performance": "minor",
    "under_maintenance": "maintenance",
    "operational": "none",
}


class StatuspageFake(FakeServer):
    """Imitates Statuspage's REST API v1 under ``/v1`` (see :attr:`api_url`).

    Incidents: ``POST /pages/{page_id}/incidents`` (201), ``GET`` the list (``q``, ``limit``,
    ``page``), ``/unresolved`` and one incident, ``PATCH``/``PUT`` one incident (200).
    Components: ``GET`` the list or one, ``PATCH``/``PUT`` one (``{"component": {...}}``).
    A body or a status change adds an incident update; component statuses given in
    ``incident.components`` are applied to the page's components and set the impact unless
    ``impact_override`` is given.

    Authentication is ``Authorization: OAuth <api_key>`` or the ``api_key`` query parameter
    (401 ``{"error": "Could not authenticate"}``); unknown pages, incidents or components give
    404 ``{"error": "Record not found"}``; invalid statuses, impacts, names or bodies give 422
    ``{"error": ["..."]}``. ``components`` (id → name) fixes the page's components; without
    it any component id is accepted and created on first use. With ``enforce_rate_limit`` a
    key sending more than one request per second gets ``rate_limit_status`` (429 or 420) and
    ``Retry-After: 1``.

    Recorded: :attr:`incidents` (API representations), :attr:`components` and
    :attr:`component_changes` ((component id, new status) in order).
    """

    def __init__(
        self,
        *,
        api_key: str = "imf-statuspage-key",
        page_ids: Iterable[str] = ("imfstatuspg1",),
        components: Mapping[str, str] | None = None,
        enforce_rate_limit: bool = False,
        rate_limit_status: int = 429,
        validate: bool = True,
    ) -> None:
        super().__init__(validate=validate)
        self.api_key = api_key
        self.page_ids = tuple(page_ids)
        self.enforce_rate_limit = enforce_rate_limit
        self.rate_limit_status = rate_limit_status
        self.component_changes: list[tuple[str, str]] = []
        self._strict_components = components is not None
        self._incidents: dict[str, dict[str, Any]] = {}
        self._components: dict[str, dict[str, Any]] = {}
        self._calls: dict[str, deque[float]] = {}
        for position, (component_id, name) in enumerate((components or {}).items(), 1):
            self._components[component_id] = _component(component_id, name, self.page_id, position)
        base = "/v1/pages/{page_id}"
        incident = base + "/incidents/{incident_id}"
        component = base + "/components/{component_id}"
        self.route("POST", base + "/incidents", self._create, self._spec_check("/incidents"))
        self.route("GET", base + "/incidents", self._list)
        self.route("GET", base + "/incidents/unresolved", self._unresolved)
        self.route("GET", incident, self._get)
        check_incident = self._spec_check("/incidents/{incident_id}")
        self.route("PATCH", incident, self._update, check_incident)
        self.route("PUT", incident, self._update, check_incident)
        self.route("GET", base + "/components", self._list_components)
        self.route("GET", component, self._get_component)
        check_component = self._spec_check("/components/{component_id}")
        self.route("PATCH", component, self._update_component, check_component)
        self.route("PUT", component, self._update_component, check_component)

    # ------------------------------------------------------------------ state

    @property
    def api_url(self) -> str:
        """The API base URL, like ``https://api.statuspage.io/v1``."""
        return f"{self.url}/v1"

    @property
    def page_id(self) -> str:
        """The first (default) page id."""
        return self.page_ids[0]

    @property
    def incidents(self) -> list[dict[str, Any]]:
        """Every incident, oldest first."""
        with self._lock:
            return list(self._incidents.values())

    @property
    def components(self) -> dict[str, dict[str, Any]]:
        """The components by id (their ``status`` is the current one)."""
        with self._lock:
            return dict(self._components)

    # ------------------------------------------------------------------ incidents

    def _create(self, request: Recorded, params: dict[str, str]) -> Response:
        denied = self._denied(request, params)
        if denied is not None:
            return denied
        fields = _incident_fields(request.json)
        if isinstance(fields, Response):
            return fields
        problems = self._problems(fields, creating=True)
        if problems:
            return Response.json(422, {"error": problems})
        now = utc_timestamp(milliseconds=True)
        incident_id = uuid.uuid4().hex[:12]
        incident: dict[str, Any] = {
            "id": incident_id,
            "components": [],
            "created_at": now,
            "impact": "none",
            "impact_override": None,
            "incident_updates": [],
            "metadata": {},
            "monitoring_at": None,
            "name": fields["name"],
            "page_id": params["page_id"],
            "postmortem_body": None,
            "postmortem_body_last_updated_at": None,
            "postmortem_ignored": False,
            "postmortem_notified_subscribers": False,
            "postmortem_notified_twitter": False,
            "postmortem_published_at": None,
            "resolved_at": None,
            "scheduled_auto_completed": False,
            "scheduled_auto_in_progress": False,
            "scheduled_for": fields.get("scheduled_for"),
            "scheduled_remind_prior": False,
            "scheduled_reminded_at": None,
            "scheduled_until": fields.get("scheduled_until"),
            "shortlink": f"https://stspg.io/{incident_id[:9]}",
            "status": None,
            "updated_at": now,
            "reminder_intervals": fields.get("reminder_intervals"),
        }
        fields.setdefault("status", "scheduled" if fields.get("scheduled_for") else "investigating")
        self._apply(incident, fields, now)
        self._incidents[incident_id] = incident
        return Response.json(201, incident)

    def _update(self, request: Recorded, params: dict[str, str]) -> Response:
        denied = self._denied(request, params)
        if denied is not None:
            return denied
        incident = self._incident(params)
        if incident is None:
            return _not_found()
        fields = _incident_fields(request.json)
        if isinstance(fields, Response):
            return fields
        problems = self._problems(fields, creating=False)
        if problems:
            return Response.json(422, {"error": problems})
        now = utc_timestamp(milliseconds=True)
        self._apply(incident, fields, now)
        incident["updated_at"] = now
        return Response.json(200, incident)

    def _apply(self, incident: dict[str, Any], fields: dict[str, Any], now: str) -> None:
        """Apply validated incident fields: name, metadata, components, status, update."""
        for key in ("name", "scheduled_for", "scheduled_until", "reminder_intervals"):
            if key in fields:
                incident[key] = fields[key]
        if "metadata" in fields:
            incident["metadata"] = fields["metadata"]
        changes = self._change_components(incident, fields)
        if "impact_override" in fields:
            incident["impact_override"] = fields["impact_override"]
        incident["impact"] = incident["impact_override"] or _impact(incident["components"])
        status = fields.get("status", incident["status"])
        if status == incident["status"] and "body" not in fields:
            return
        incident["status"] = status
        if status == "monitoring":
            incident["monitoring_at"] = now
        if status in {"resolved", "completed"}:
            incident["resolved_at"] = now
        incident["incident_updates"].insert(
            0,
            {
                "id": uuid.uuid4().hex[:12],
                "incident_id": incident["id"],
                "status": status,
                "body": fields.get("body", ""),
                "created_at": now,
                "updated_at": now,
                "display_at": now,
                "affected_components": changes or None,
                "deliver_notifications": fields.get("deliver_notifications", True),
                "custom_tweet": None,
                "tweet_id": None,
                "twitter_updated_at": None,
                "wants_twitter_update": False,
            },
        )

    def _change_components(
        self, incident: dict[str, Any], fields: dict[str, Any]
    ) -> list[dict[str, str]]:
        """Attach the fields' components to the incident and apply their new statuses."""
        statuses: dict[str, str] = fields.get("components") or {}
        affected = [*fields.get("component_ids", []), *statuses]
        attached = {component["id"] for component in incident["components"]}
        changes = []
        for component_id in dict.fromkeys(affected):
            component = self._component(component_id, incident["page_id"])
            if component_id in statuses and statuses[component_id] != component["status"]:
                changes.append(
                    {
                        "code": component_id,
                        "name": component["name"],
                        "old_status": component["status"],
                        "new_status": statuses[component_id],
                    }
                )
                self._set_component_status(component, statuses[component_id])
            if component_id not in attached:
                incident["components"].append(component)
                attached.add(component_id)
        return changes

    def _problems(self, fields: dict[str, Any], *, creating: bool) -> list[str]:
        """Statuspage's 422 messages for invalid incident fields."""
        problems = []
        name = fields.get("name")
        if (creating or "name" in fields) and (not isinstance(name, str) or not name.strip()):
            problems.append("Name can't be blank")
        elif isinstance(name, str) and len(name) > NAME_MAX:
            problems.append(f"Name is too long (maximum is {NAME_MAX} characters)")
        if "status" in fields and fields["status"] not in INCIDENT_STATUSES:
            problems.append(f"Status '{fields['status']}' is not a valid incident status")
        override = fields.get("impact_override")
        if override is not None and override not in IMPACTS:
            problems.append(f"Impact override '{override}' is not a valid impact")
        body = fields.get("body")
        if body is not None and (not isinstance(body, str) or len(body) > BODY_MAX):
            problems.append(f"Body must be a string of at most {BODY_MAX} characters")
        metadata = fields.get("metadata")
        if metadata is not None and (
            not isinstance(metadata, dict)
            or not all(isinstance(value, dict) for value in metadata.values())
        ):
            problems.append("Metadata must be an object whose top-level values are objects")
        components = fields.get("components") or {}
        component_ids = fields.get("component_ids") or []
        if not isinstance(components, dict) or not isinstance(component_ids, list):
            problems.append("Components must map component ids to statuses")
            return problems
        for status in components.values():
            if status not in COMPONENT_STATUSES:
                problems.append(f"Component status '{status}' is not a valid component status")
        for component_id in [*component_ids, *components]:
            if self._strict_components and component_id not in self._components:
                problems.append(f"Component {component_id} not found")
        return problems

    def _list(self, request: Recorded, params: dict[str, str]) -> Response:
        denied = self._denied(request, params)
        if denied is not None:
            return denied
        found = self._page_incidents(params["page_id"])
        query = request.query.get("q", "").lower()
        if query:
            found = [incident for incident in found if query in _searchable(incident)]
        try:
            limit = min(max(int(request.query.get("limit", 100)), 1), 100)
            page = max(int(request.query.get("page", 1)), 1)
        except ValueError:
            return Response.json(400, {"error": "limit and page must be integers"})
        return Response.json(200, found[(page - 1) * limit : page * limit])

    def _unresolved(self, request: Recorded, params: dict[str, str]) -> Response:
        denied = self._denied(request, params)
        if denied is not None:
            return denied
        found = self._page_incidents(params["page_id"])
        return Response.json(200, [i for i in found if i["status"] in UNRESOLVED_STATUSES])

    def _get(self, request: Recorded, params: dict[str, str]) -> Response:
        denied = self._denied(request, params)
        if denied is not None:
            return denied
        incident = self._incident(params)
        return _not_found() if incident is None else Response.json(200, incident)

    def _incident(self, params: dict[str, str]) -> dict[str, Any] | None:
        incident = self._incidents.get(params["incident_id"])
        if incident is None or incident["page_id"] != params["page_id"]:
            return None
        return incident

    def _page_incidents(self, page_id: str) -> list[dict[str, Any]]:
        """The page's incidents, newest first, as the API lists them."""
        found = [i for i in self._incidents.values() if i["page_id"] == page_id]
        return found[::-1]

    # ------------------------------------------------------------------ components

    def _component(self, component_id: str, page_id: str) -> dict[str, Any]:
        component = self._components.get(component_id)
        if component is None:  # only reachable when components are not fixed
            position = len(self._components) + 1
            component = _component(component_id, component_id, page_id, position)
            self._components[component_id] = component
        return component

    def _set_component_status(self, component: dict[str, Any], status: str) -> None:
        component["status"] = status
        component["updated_at"] = utc_timestamp(milliseconds=True)
        self.component_changes.append((component["id"], status))

    def _list_components(self, request: Recorded, params: dict[str, str]) -> Response:
        denied = self._denied(request, params)
        if denied is not None:
            return denied
        page_id = params["page_id"]
        found = [c for c in self._components.values() if c["page_id"] == page_id]
        return Response.json(200, found)

    def _get_component(self, request: Recorded, params: dict[str, str]) -> Response:
        denied = self._denied(request, params)
        if denied is not None:
            return denied
        component = self._known_component(params)
        return _not_found() if component is None else Response.json(200, component)

    def _update_component(self, request: Recorded, params: dict[str, str]) -> Response:
        denied = self._denied(request, params)
        if denied is not None:
            return denied
        component = self._known_component(params)
        if component is None:
            return _not_found()
        body = request.json
        fields = body.get("component") if isinstance(body, dict) else None
        if not isinstance(fields, dict):
            return Response.json(400, {"error": "component is missing"})
        status = fields.get("status")
        if status is not None and status not in COMPONENT_STATUSES:
            problem = f"Status '{status}' is not a valid component status"
            return Response.json(422, {"error": [problem]})
        for key in ("name", "description", "group_id", "showcase", "only_show_if_degraded"):
            if key in fields:
                component[key] = fields[key]
        if status is not None and status != component["status"]:
            self._set_component_status(component, status)
        component["updated_at"] = utc_timestamp(milliseconds=True)
        return Response.json(200, component)

    def _known_component(self, params: dict[str, str]) -> dict[str, Any] | None:
        component_id, page_id = params["component_id"], params["page_id"]
        if self._strict_components and component_id not in self._components:
            return None
        component = self._component(component_id, page_id)
        return component if component["page_id"] == page_id else None

    # ------------------------------------------------------------------ access

    def _denied(self, request: Recorded, params: dict[str, str]) -> Response | None:
        """Authentication, rate limit and page checks shared by every endpoint."""
        key = request.query.get("api_key")
        authorization = request.headers.get("authorization", "")
        if authorization.startswith("OAuth "):
            key = authorization.removeprefix("OAuth ").strip()
        if key != self.api_key:
            return Response.json(401, {"error": "Could not authenticate"})
        if self.enforce_rate_limit and self._throttled(key):
            response = self._throttle_response(request, self.rate_limit_status)
            response.headers["Retry-After"] = "1"
            return response
        if params["page_id"] not in self.page_ids:
            return _not_found()
        return None

    def _throttled(self, key: str) -> bool:
        """More than one request per second per key is throttled (throttled ones not counted)."""
        now = time.monotonic()
        calls = self._calls.setdefault(key, deque())
        while calls and calls[0] <= now - 1.0:
            calls.popleft()
        if calls:
            return True
        calls.append(now)
        return False

    def _spec_check(self, suffix: str) -> Check:
        template = "/pages/{page_id}" + suffix

        def check(request: Recorded, params: dict[str, str]) -> list[str]:
            return specs.validate_statuspage_request(request.method, template, request.json)

        return check

    def _error_response(self, request: Recorded, status: int, message: str) -> Response:
        return _not_found() if status == 404 else Response.json(status, {"error": message})

    def _throttle_response(self, request: Recorded, status: int) -> Response:
        return Response.json(status, {"error": "Rate limit exceeded. Retry later."})

    def _load_specs(self) -> None:
        specs.validate_statuspage_request("POST", "/pages/{page_id}/incidents", {})


def _incident_fields(body: Any) -> dict[str, Any] | Response:
    fields = body.get("incident") if isinstance(body, dict) else None
    if not isinstance(fields, dict):
        return Response.json(400, {"error": "incident is missing"})
    return dict(fields)


def _component(component_id: str, name: str, page_id: str, position: int) -> dict[str, Any]:
    now = utc_timestamp(milliseconds=True)
    return {
        "id": component_id,
        "page_id": page_id,
        "group_id": None,
        "created_at": now,
        "updated_at": now,
        "group": False,
        "name": name,
        "description": None,
        "position": position,
        "status": "operational",
        "showcase": True,
        "only_show_if_degraded": False,
        "automation_email": f"component+{component_id}@notifications.statuspage.io",
        "start_date": None,
    }


def _impact(components: list[dict[str, Any]]) -> str:
    impacts = [_IMPACT_OF_STATUS[component["status"]] for component in components]
    return max(impacts, key=IMPACTS.index, default="none")


def _searchable(incident: dict[str, Any]) -> str:
    bodies = " ".join(update["body"] for update in incident["incident_updates"])
    text = [incident["name"], incident["status"], incident["postmortem_body"] or "", bodies]
    return " ".join(text).lower()


def _not_found() -> Response:
    return Response.json(404, {"error": "Record not found"})
