"""``[plugins.statuspage]``: which incidents are public, how severity maps, and the backends.

Each backend is enabled by its own table; both may be enabled at once::

    [plugins.statuspage]
    severities = ["P1"]                       # public even when not customer-facing

    [plugins.statuspage.atlassian]
    page_id = "kctbh9vrtdwd"
    api_key = { env = "STATUSPAGE_API_KEY" }
    components = { api = "8kbf7d35c070", web = "vtnh60py4yd7" }

    [plugins.statuspage.static]
    output_dir = "/var/www/status"
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

import imf

Impact = Literal["none", "minor", "major", "critical"]
ComponentStatus = Literal[
    "operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"
]
PublicStatus = Literal["investigating", "identified", "monitoring"]
Language = Literal["en", "ru"]

#: Impact of the levels by rank when ``impact`` does not name a level: rank 1, 2, 3, 4+.
DEFAULT_IMPACTS: tuple[Impact, ...] = ("critical", "major", "minor", "minor")

#: Component status of the levels by rank when ``component_status`` does not name a level.
DEFAULT_COMPONENT_STATUSES: tuple[ComponentStatus, ...] = (
    "major_outage",
    "partial_outage",
    "degraded_performance",
    "degraded_performance",
)

#: Severity of component statuses, least severe first (the worst one is shown).
COMPONENT_ORDER: tuple[str, ...] = (
    "operational",
    "under_maintenance",
    "degraded_performance",
    "partial_outage",
    "major_outage",
)

IMPACT_ORDER: tuple[str, ...] = ("none", "maintenance", "minor", "major", "critical")


@attrs.frozen
class AtlassianConfig:
    """``[plugins.statuspage.atlassian]``: an Atlassian Statuspage page.

    :ivar page_id: the page's id (from the page's API settings).
    :ivar api_key: the API key, sent as ``Authorization: OAuth <key>``.
    :ivar api_url: the API base URL (change it only for a proxy or a test server).
    :ivar components: imf service name → Statuspage component id.
    :ivar mitigating: the Statuspage status shown while imf's status is ``mitigating``.
    :ivar deliver_notifications: whether Statuspage notifies the page's subscribers.
    :ivar requests_per_second: the local rate limit per API key (Statuspage allows 1).
    """

    page_id: str
    api_key: imf.Secret
    api_url: str = "https://api.statuspage.io/v1"
    components: dict[str, str] = attrs.field(factory=dict)
    mitigating: PublicStatus = "identified"
    deliver_notifications: bool = True
    requests_per_second: float = 1.0

    def __attrs_post_init__(self) -> None:
        if not self.page_id.strip():
            raise ValueError("page_id must not be empty")
        if not self.api_url.startswith(("https://", "http://")):
            raise ValueError("api_url must be an http(s) URL")
        if not 0 < self.requests_per_second <= 100:
            raise ValueError("requests_per_second must be above 0 and at most 100")


@attrs.frozen
class StaticConfig:
    """``[plugins.statuspage.static]``: a self-hosted static status page.

    :ivar output_dir: the directory the page is written to (a web server's document root or
        a folder synced to object storage). A relative path is taken from the working
        directory of the ``imf`` command.
    :ivar title: the page title (default: "<organization> status").
    :ivar base_url: the public URL the page is served at; used for absolute links in the
        Atom feed and for the link imf shows on the incident.
    :ivar components: imf service name → public component name, in display order. When set,
        only these services appear on the page; when empty, every affected service appears
        under its own name.
    :ivar languages: the page's languages; the first is written at the top of
        ``output_dir``, the others under ``<lang>/``. Empty: the organization's language.
    :ivar history_days: how many days of past incidents are shown.
    """

    output_dir: str
    title: str = ""
    base_url: str = ""
    components: dict[str, str] = attrs.field(factory=dict)
    languages: list[Language] = attrs.field(factory=list)
    history_days: int = 90

    def __attrs_post_init__(self) -> None:
        if not self.output_dir.strip():
            raise ValueError("output_dir must not be empty")
        if not 1 <= self.history_days <= 3650:
            raise ValueError("history_days must be between 1 and 3650")
        if self.base_url and not self.base_url.startswith(("https://", "http://")):
            raise ValueError("base_url must be an http(s) URL")
        if len(set(self.languages)) != len(self.languages):
            raise ValueError("languages must not repeat a language")


@attrs.frozen
class StatuspageConfig:
    """``[plugins.statuspage]``.

    :ivar severities: levels published even when the incident is not customer-facing.
    :ivar impact: severity level → incident impact (default by rank: critical, major, minor).
    :ivar component_status: severity level → status of the affected components (default by
        rank: major_outage, partial_outage, degraded_performance).
    :ivar atlassian: the Atlassian Statuspage backend (enabled when the table exists).
    :ivar static: the self-hosted page backend (enabled when the table exists).
    """

    severities: list[str] = attrs.field(factory=list)
    impact: dict[str, Impact] = attrs.field(factory=dict)
    component_status: dict[str, ComponentStatus] = attrs.field(factory=dict)
    atlassian: AtlassianConfig | None = None
    static: StaticConfig | None = None

    def __attrs_post_init__(self) -> None:
        if self.atlassian is None and self.static is None:
            raise imf.ConfigError("statuspage.no_backend")

    def is_public(self, incident: imf.Incident) -> bool:
        """Whether ``incident`` is published: customer-facing, or of a listed severity."""
        listed = {name.casefold() for name in self.severities}
        return incident.customer_facing or incident.severity.casefold() in listed

    def impact_of(self, severity: str, policy: imf.SeverityPolicy | None) -> Impact:
        """The incident impact for ``severity``."""
        named = _lookup(self.impact, severity)
        return named if named is not None else DEFAULT_IMPACTS[_rank_index(severity, policy)]

    def component_status_of(self, severity: str, policy: imf.SeverityPolicy | None) -> str:
        """The status of the affected components for ``severity``."""
        named = _lookup(self.component_status, severity)
        if named is not None:
            return str(named)
        return DEFAULT_COMPONENT_STATUSES[_rank_index(severity, policy)]


def _lookup(table: Mapping[str, Any], severity: str) -> Any:
    """The value of ``severity`` in ``table`` (names compared case-insensitively), or None."""
    wanted = severity.casefold()
    return next((value for name, value in table.items() if name.casefold() == wanted), None)


def _rank_index(severity: str, policy: imf.SeverityPolicy | None) -> int:
    """0 for the most severe level, 1, 2, then 3 for every less severe one."""
    if policy is not None:
        names = [name.casefold() for name in policy.names()]
        if severity.casefold() in names:
            return min(names.index(severity.casefold()), 3)
    return 3


def worst(values: list[str], order: tuple[str, ...]) -> str:
    """The most severe of ``values`` by ``order`` (the first of ``order`` when empty)."""
    return max(values, key=order.index, default=order[0])
