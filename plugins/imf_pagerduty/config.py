"""``[plugins.pagerduty]``: routing keys, endpoints, severity mapping, the optional REST API."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Literal

import attrs

import imf

EVENTS_URL = "https://events.pagerduty.com/v2/enqueue"
"""The Events API v2 enqueue endpoint."""

API_URL = "https://api.pagerduty.com"
"""The REST API v2 base URL."""

PagerDutySeverity = Literal["critical", "error", "warning", "info"]

#: The PagerDuty severity of a level by its rank (1 is the most severe); ranks beyond are info.
SEVERITY_BY_RANK: dict[int, PagerDutySeverity] = {1: "critical", 2: "error", 3: "warning"}

DEFAULT_KEY_PATH = "plugins.pagerduty.routing_key"


@attrs.frozen
class ServiceRoute:
    """``[plugins.pagerduty.services.<name>]``: where incidents of one service page."""

    routing_key: imf.Secret


@attrs.frozen
class RestConfig:
    """``[plugins.pagerduty.rest]``: REST API v2 access, for notes on status updates."""

    token: imf.Secret
    from_email: str


@attrs.frozen
class PagerDutyConfig:
    """``[plugins.pagerduty]``.

    :ivar routing_key: the Events API v2 integration key used when no service matches.
    :ivar services: routing keys per service name (the first of the incident's services with
        a key wins).
    :ivar page_severities: severities that page; by default those whose policy says
        ``page = true``.
    :ivar severity_map: PagerDuty severity per level name; by default by rank (critical,
        error, warning, then info).
    :ivar source: ``payload.source``; by default the organization name, else ``imf``.
    :ivar dedup_prefix: the ``dedup_key`` is ``<prefix>-<incident id>``; give each store
        sharing a PagerDuty service its own prefix.
    :ivar events_url: / :ivar api_url: the endpoints (redirect them to a proxy or a test fake).
    :ivar rest: REST API access; when set, each status update becomes an incident note.
    """

    routing_key: imf.Secret
    services: dict[str, ServiceRoute] = attrs.field(factory=dict)
    page_severities: list[str] | None = None
    severity_map: dict[str, PagerDutySeverity] = attrs.field(factory=dict)
    source: str = ""
    dedup_prefix: str = "imf"
    events_url: str = EVENTS_URL
    api_url: str = API_URL
    rest: RestConfig | None = None


@attrs.frozen
class Route:
    """A routing key and the configuration key it came from (safe to show)."""

    path: str
    key: imf.Secret

    @property
    def fingerprint(self) -> str:
        """A stable, non-reversible identifier of the key, stored instead of the key."""
        return fingerprint(self.key.reveal())


def fingerprint(key: str) -> str:
    """``sha256:`` and the first 12 hex digits of the key's SHA-256."""
    return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def routes(config: PagerDutyConfig) -> Iterator[Route]:
    """Every configured routing key: the services' first, then the default."""
    for name, service in config.services.items():
        yield Route(f"plugins.pagerduty.services.{name}.routing_key", service.routing_key)
    yield Route(DEFAULT_KEY_PATH, config.routing_key)


def choose_route(config: PagerDutyConfig, services: tuple[str, ...]) -> Route:
    """The route for an incident of ``services``: the first service with a key, else the
    default key."""
    by_name = {name.casefold(): name for name in config.services}
    for service in services:
        name = by_name.get(service.casefold())
        if name is not None:
            return Route(
                f"plugins.pagerduty.services.{name}.routing_key",
                config.services[name].routing_key,
            )
    return Route(DEFAULT_KEY_PATH, config.routing_key)


def find_route(config: PagerDutyConfig, path: str, wanted: str) -> Route | None:
    """The configured route whose key has fingerprint ``wanted`` (preferring ``path``)."""
    matching = [route for route in routes(config) if route.fingerprint == wanted]
    for route in matching:
        if route.path == path:
            return route
    return matching[0] if matching else None


def pagerduty_severity(config: PagerDutyConfig, level: imf.SeverityLevel | None, name: str) -> str:
    """The PagerDuty ``payload.severity`` for imf severity ``name``."""
    for key, value in config.severity_map.items():
        if key.casefold() == name.casefold():
            return value
    if level is None:
        return "info"
    return SEVERITY_BY_RANK.get(level.rank, "info")


def pages(config: PagerDutyConfig, policy: imf.SeverityPolicy | None, severity: str) -> bool:
    """Whether an incident of ``severity`` pages on-call."""
    if config.page_severities is not None:
        return severity.casefold() in {name.casefold() for name in config.page_severities}
    level = policy.find(severity) if policy is not None else None
    return bool(level and level.page)
