"""``[plugins.confluence]``: the site, the API flavour, the space, credentials and labels."""

from __future__ import annotations

from typing import Literal

import attrs

import imf


@attrs.frozen
class ConfluenceConfig:
    """``[plugins.confluence]``.

    :ivar base_url: the site: ``https://example.atlassian.net`` for Cloud, the server's base
        URL (with its context path, e.g. ``https://wiki.example.com/confluence``) for Data
        Center and Server.
    :ivar api_token: a Cloud API token (with ``email``) or a personal access token.
    :ivar api: ``cloud`` (REST v2 pages) or ``datacenter`` (REST v1 content, also Server).
    :ivar space_id: the Cloud space's numeric id; :ivar space_key: the space key (required
        for ``datacenter``; on Cloud it is looked up when ``space_id`` is empty).
    :ivar parent_id: the page new post-mortems are created under (default: the space home).
    :ivar email: the Atlassian account of the API token (Cloud basic authentication).
    :ivar auth: ``basic`` (email + API token) or ``bearer`` (a token); by default basic on
        Cloud and bearer on Data Center.
    :ivar labels: labels added to every page besides ``postmortem``, the severity and the
        services.
    """

    base_url: str
    api_token: imf.Secret
    api: Literal["cloud", "datacenter"] = "cloud"
    space_id: str = ""
    space_key: str = ""
    parent_id: str = ""
    email: str = ""
    auth: Literal["basic", "bearer"] | None = None
    labels: list[str] = attrs.field(factory=list)

    def __attrs_post_init__(self) -> None:
        if not self.base_url.startswith(("https://", "http://")):
            raise ValueError("base_url must start with https:// (or http://)")
        if self.api == "datacenter" and not self.space_key:
            raise ValueError("space_key is required with api = 'datacenter'")
        if self.api == "cloud" and not (self.space_id or self.space_key):
            raise ValueError("space_id (or space_key) is required")
        if self.auth_scheme == "basic" and not self.email:
            raise ValueError("email is required for basic authentication (or set auth = 'bearer')")

    @property
    def auth_scheme(self) -> str:
        """``basic`` or ``bearer``: the configured one, else the API flavour's usual one."""
        if self.auth is not None:
            return self.auth
        return "basic" if self.api == "cloud" else "bearer"

    @property
    def site(self) -> str:
        """``base_url`` without a trailing slash."""
        return self.base_url.rstrip("/")
