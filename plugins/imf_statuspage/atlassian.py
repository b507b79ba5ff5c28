"""The Atlassian Statuspage backend: incidents, their updates, impact and component statuses.

Statuspage allows one request per second per API key (over a 60 s window) and answers 420 or
429 when a client goes faster. This module keeps every process within that limit (one
request at a time per key, a second apart, counted from the end of the previous answer),
honours ``Retry-After`` and retries within the delivery's time budget, and otherwise hands
the wait to the outbox as a :class:`imf.RetryableError`.

A delivery may be repeated after a timeout or a crash, even when Statuspage did create the
incident. So every incident imf creates carries ``metadata.imf.incident_id``, and before
creating one imf looks for an unresolved incident with that tag and adopts it.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import attrs

import imf
from imf_statuspage.config import AtlassianConfig, StatuspageConfig
from imf_statuspage.public import body_of, entry_of_event, neutral

SERVICE = "Statuspage"
NAME_MAX = 255
BODY_MAX = 25000
THROTTLED = frozenset({420, 429})
RETRYABLE = frozenset({408, 420, 425, 429})
#: Seconds kept free at the end of a delivery's time budget for recording the outcome.
BUDGET_MARGIN = 0.5


# ---------------------------------------------------------------------------------------------
# Rate limit
# ---------------------------------------------------------------------------------------------


@attrs.define
class KeySlot:
    """The rate-limit state of one API key: a lock held during a request, and the earliest
    time (``time.monotonic()``) the next request may start."""

    lock: threading.Lock = attrs.field(factory=threading.Lock)
    next_at: float = 0.0

    def pause(self, seconds: float) -> None:
        """Start no request with this key for ``seconds`` (the remote asked us to wait)."""
        self.next_at = max(self.next_at, time.monotonic() + seconds)


class RateLimiter:
    """One request at a time per key, and ``interval`` seconds from the end of one answer to
    the start of the next request, shared by every delivery thread of the process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._slots: dict[str, KeySlot] = {}

    def _slot(self, key: str) -> KeySlot:
        with self._lock:
            return self._slots.setdefault(key, KeySlot())

    @contextmanager
    def slot(self, key: str, interval: float, deadline: float) -> Iterator[KeySlot]:
        """Wait for the turn of ``key``; raise :class:`imf.RetryableError` when the turn would
        come after ``deadline`` (a ``time.monotonic()`` value)."""
        state = self._slot(key)
        if not state.lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise imf.RetryableError(f"{SERVICE}: rate limit: no free turn", retry_after=interval)
        try:
            wait = state.next_at - time.monotonic()
            if wait > deadline - time.monotonic():
                raise imf.RetryableError(
                    f"{SERVICE}: rate limit: next turn in {wait:.1f}s", retry_after=wait
                )
            if wait > 0:
                time.sleep(wait)
            yield state
        finally:
            state.next_at = max(state.next_at, time.monotonic() + interval)
            state.lock.release()


LIMITER = RateLimiter()


# ---------------------------------------------------------------------------------------------
# The API client
# ---------------------------------------------------------------------------------------------


class StatuspageClient:
    """Requests to one Statuspage page, within the rate limit and a time budget.

    :param config: the backend's configuration.
    :param http: the shared HTTP client (``ctx.http``).
    :param deadline: the ``time.monotonic()`` by which the work must be done.
    """

    def __init__(
        self,
        config: AtlassianConfig,
        http: Any,
        deadline: float,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.config = config
        self.http = http
        self.deadline = deadline
        self.limiter = limiter or LIMITER
        secret = config.api_key.reveal()
        # The limiter is keyed by a digest, so no table in memory holds the key itself.
        self._key_id = hashlib.sha256(f"{config.api_url}\0{secret}".encode()).hexdigest()
        self._headers = {"Authorization": f"OAuth {secret}", "Accept": "application/json"}

    @property
    def page_path(self) -> str:
        """``/pages/<page_id>``."""
        return f"/pages/{self.config.page_id}"

    def request(
        self, method: str, path: str, body: Mapping[str, Any] | None = None, **params: Any
    ) -> Any:
        """Send one request and return its JSON answer; throttled requests are retried while
        the time budget allows. Errors are :class:`imf.RetryableError` or
        :class:`imf.PermanentError` naming the service, the status and Statuspage's message,
        never the URL or the key."""
        url = self.config.api_url.rstrip("/") + path
        interval = 1.0 / self.config.requests_per_second
        while True:
            with self.limiter.slot(self._key_id, interval, self.deadline) as slot:
                kwargs: dict[str, Any] = {"headers": self._headers}
                if body is not None:
                    kwargs["json"] = body
                if params:
                    kwargs["params"] = params
                response = self.http.request(
                    method,
                    url,
                    ok=range(100, 600),
                    service=SERVICE,
                    timeout=max(1.0, self.deadline - time.monotonic()),
                    **kwargs,
                )
                retry_after = imf.parse_retry_after(response.headers.get("retry-after"))
                if response.status_code in THROTTLED:
                    slot.pause(retry_after if retry_after is not None else interval)
            if response.status_code not in THROTTLED:
                return _answer(response, retry_after)
            wait = max(retry_after or 0.0, interval)
            if time.monotonic() + wait >= self.deadline:
                raise imf.RetryableError(
                    f"{SERVICE}: HTTP {response.status_code}: throttled", retry_after=wait
                )

    def find_by_tag(self, incident_id: str, organization: str) -> Mapping[str, Any] | None:
        """The unresolved Statuspage incident imf created for ``incident_id``, if any."""
        for remote in self.unresolved():
            if _tag_of(remote) == tag(incident_id, organization):
                return remote
        return None

    def unresolved(self) -> list[Mapping[str, Any]]:
        """The page's unresolved incidents (the first hundred)."""
        found = self.request("GET", f"{self.page_path}/incidents/unresolved", per_page=100)
        return (
            [item for item in found if isinstance(item, Mapping)] if isinstance(found, list) else []
        )


def _answer(response: Any, retry_after: float | None) -> Any:
    status = response.status_code
    if status in (200, 201):
        try:
            return response.json()
        except ValueError:
            raise imf.RetryableError(f"{SERVICE}: HTTP {status}: the answer is not JSON") from None
    message = f"{SERVICE}: HTTP {status}: {_error_text(response)}".rstrip(": ")
    if status in RETRYABLE or status >= 500:
        raise imf.RetryableError(message, retry_after=retry_after)
    if status == 401:
        message += " (check plugins.statuspage.atlassian.api_key)"
    raise imf.PermanentError(message)


def _error_text(response: Any, limit: int = 300) -> str:
    """Statuspage's ``error`` (a string or a list of strings), else the start of the body."""
    try:
        document = response.json()
    except ValueError:
        document = None
    error = document.get("error") if isinstance(document, Mapping) else None
    if isinstance(error, list):
        text = "; ".join(str(item) for item in error)
    elif error:
        text = str(error)
    else:
        text = response.text
    text = " ".join(text.split())
    return text[:limit] + ("…" if len(text) > limit else "")


# ---------------------------------------------------------------------------------------------
# From imf events to Statuspage requests
# ---------------------------------------------------------------------------------------------


def tag(incident_id: str, organization: str) -> dict[str, dict[str, str]]:
    """The ``metadata`` that marks a Statuspage incident as imf's ``incident_id``."""
    return {"imf": {"incident_id": incident_id, "organization": organization}}


def _tag_of(remote: Mapping[str, Any]) -> dict[str, dict[str, str]] | None:
    metadata = remote.get("metadata")
    found = metadata.get("imf") if isinstance(metadata, Mapping) else None
    if not isinstance(found, Mapping):
        return None
    return {
        "imf": {
            "incident_id": str(found.get("incident_id", "")),
            "organization": str(found.get("organization", "")),
        }
    }


def remote_status(status: str, config: AtlassianConfig) -> str:
    """Statuspage's status for imf's ``status`` (``mitigating`` is configurable)."""
    return config.mitigating if status == "mitigating" else status


@attrs.frozen
class Planned:
    """A request this backend will send: ``method``, ``path`` (under the API URL), body."""

    method: str
    path: str
    body: dict[str, Any]


class Plan:
    """Builds the requests for one event from the incident, the config and the context."""

    def __init__(self, incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> None:
        self.incident = incident
        self.event = event
        self.ctx = ctx
        self.settings: StatuspageConfig = ctx.config
        self.config: AtlassianConfig = ctx.config.atlassian

    @property
    def component_ids(self) -> list[str]:
        """Component ids of the incident's services (services without one are skipped)."""
        ids = (self.config.components.get(service) for service in self.incident.services)
        return list(dict.fromkeys(cid for cid in ids if cid))

    def components(self, status: str | None = None) -> dict[str, str]:
        """Component id → ``status`` (default: the status the severity maps to)."""
        if status is None:
            status = self.settings.component_status_of(self.incident.severity, self.ctx.policy)
        return {cid: status for cid in self.component_ids}

    def impact(self) -> str:
        """The ``impact_override`` for the incident's severity."""
        return self.settings.impact_of(self.incident.severity, self.ctx.policy)

    def body(self) -> str:
        """The public text of this event, or the neutral wording of the incident's status."""
        entry = entry_of_event(self.event)
        if entry is not None:
            text = body_of(entry, self.ctx.lang)
        else:
            text = neutral(self.incident.status.value, self.ctx.lang)
        return text[:BODY_MAX]

    def create(self) -> Planned:
        """The request creating the incident as it is now, tagged with its imf id."""
        fields: dict[str, Any] = {
            "name": _clip(self.incident.title, NAME_MAX),
            "status": remote_status(self.incident.status.value, self.config),
            "body": self.body(),
            "impact_override": self.impact(),
            "metadata": tag(self.incident.id, self.ctx.organization),
            "deliver_notifications": self.config.deliver_notifications,
        }
        if self.component_ids:
            fields["components"] = self.components()
            fields["component_ids"] = self.component_ids
        return Planned("POST", f"/pages/{self.config.page_id}/incidents", {"incident": fields})

    def change(self, remote_id: str) -> Planned | None:
        """The request applying this event to the existing incident ``remote_id``."""
        kind = self.event.kind
        fields: dict[str, Any]
        if kind == "update_posted":
            status = str(self.event.data.get("status", self.incident.status.value))
            fields = {"status": remote_status(status, self.config), "body": self.body()}
        elif kind == "escalated":
            fields = {"impact_override": self.impact()}
            if self.component_ids:
                fields["components"] = self.components()
        elif kind == "resolved":
            fields = {"status": "resolved", "body": self.body()}
            if self.component_ids:
                fields["components"] = self.components("operational")
        elif kind == "reopened":
            fields = {
                "status": remote_status(self.incident.status.value, self.config),
                "body": self.body(),
                "impact_override": self.impact(),
            }
            if self.component_ids:
                fields["components"] = self.components()
        else:
            return None
        if "body" in fields:
            fields["deliver_notifications"] = self.config.deliver_notifications
        path = f"/pages/{self.config.page_id}/incidents/{remote_id}"
        return Planned("PATCH", path, {"incident": fields})

    def preview(self, remote_id: str | None) -> Planned | None:
        """What :func:`sync` would send, without the look-ups it makes first."""
        if remote_id is None:
            return None if self.event.kind == "resolved" else self.create()
        return self.change(remote_id)


def sync(
    incident: imf.Incident,
    event: imf.Event,
    ctx: imf.PluginContext,
    *,
    started: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, Any] | None:
    """Carry ``event`` to Statuspage and return this backend's references (``id``,
    ``page_id``, ``shortlink``), or None when there is nothing to do."""
    plan = Plan(incident, event, ctx)
    deadline = (started if started is not None else clock()) + ctx.timeout - BUDGET_MARGIN
    client = StatuspageClient(plan.config, ctx.http, deadline)
    known = ctx.refs.get("atlassian")
    refs: dict[str, Any] = dict(known) if isinstance(known, Mapping) else {}
    if refs.get("page_id") not in (None, plan.config.page_id):
        refs = {}  # the page changed in the configuration: this incident is not on it yet
    remote_id = refs.get("id")
    if remote_id is None:
        if event.kind == "resolved":
            return None  # never published: announcing a finished incident helps nobody
        remote = client.find_by_tag(incident.id, ctx.organization)
        if remote is None:
            created = plan.create()
            remote = client.request(created.method, created.path, created.body)
        elif event.kind != "declared":
            adopted = plan.change(str(remote["id"]))
            if adopted is not None:
                remote = client.request(adopted.method, adopted.path, adopted.body)
        return _refs_of(remote, plan.config)
    if event.kind == "declared":
        return refs
    planned = plan.change(str(remote_id))
    if planned is None:
        return refs
    if event.kind == "resolved" and "components" in planned.body["incident"]:
        _keep_components_of_others(client, str(remote_id), planned.body["incident"])
    remote = client.request(planned.method, planned.path, planned.body)
    return _refs_of(remote, plan.config, refs)


def _keep_components_of_others(
    client: StatuspageClient, remote_id: str, fields: dict[str, Any]
) -> None:
    """Leave out of ``fields["components"]`` the components another unresolved incident still
    affects, so resolving one incident does not mark them operational."""
    busy = {
        str(component.get("id"))
        for other in client.unresolved()
        if str(other.get("id")) != remote_id
        for component in other.get("components") or ()
        if isinstance(component, Mapping)
    }
    kept = {cid: status for cid, status in fields["components"].items() if cid not in busy}
    if kept:
        fields["components"] = kept
    else:
        del fields["components"]


def _refs_of(
    remote: Any, config: AtlassianConfig, previous: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    refs = dict(previous or {})
    if not isinstance(remote, Mapping) or not remote.get("id"):
        raise imf.RetryableError(f"{SERVICE}: the answer has no incident id")
    refs["id"] = str(remote["id"])
    refs["page_id"] = config.page_id
    if remote.get("shortlink"):
        refs["shortlink"] = str(remote["shortlink"])
    return refs


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
