"""Confluence REST: Cloud v2 pages and the v1 content API of Data Center and Server.

Both flavours offer the same five operations to :mod:`imf_confluence.publish`: resolve the
space, get a page, find a page by title in the space, create, update (with the next version
number) and add labels (the v1 label endpoint, which Cloud still serves). Failures map to the
outbox's errors through the shared client (``ctx.http``): throttling (429 with
``Retry-After``) and 5xx are retried later, and messages name only the service.
"""

from __future__ import annotations

import abc
import base64
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

import imf
from imf_confluence.config import ConfluenceConfig

SERVICE = "Confluence"


@attrs.frozen
class Page:
    """A page as read back: id, title, current version, storage body and web link."""

    id: str
    title: str
    version: int
    body: str = ""
    link: str = ""


class DuplicateTitle(Exception):
    """A page with this title already exists in the space (HTTP 400)."""


class StaleVersion(Exception):
    """The version sent is not the current one + 1 (HTTP 409)."""


class Gone(Exception):
    """The page does not exist any more (HTTP 404)."""


def _error_text(response: Any) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(data, Mapping):
        errors = data.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], Mapping):
            return str(errors[0].get("title") or errors[0].get("detail") or "")
        return str(data.get("message") or "")
    return ""


class Api(abc.ABC):
    """What both flavours share: authentication, requests, error mapping, labels."""

    def __init__(self, config: ConfluenceConfig, ctx: imf.PluginContext) -> None:
        self.config = config
        self.ctx = ctx

    def headers(self) -> dict[str, str]:
        """Authorization and content negotiation headers (the token is never logged)."""
        token = self.config.api_token.reveal()
        if self.config.auth_scheme == "basic":
            pair = f"{self.config.email}:{token}".encode()
            authorization = "Basic " + base64.b64encode(pair).decode()
        else:
            authorization = f"Bearer {token}"
        return {"Authorization": authorization, "Accept": "application/json"}

    def call(self, method: str, url: str, *, ok: Iterable[int] = (200,), **kwargs: Any) -> Any:
        """A request; 400 (duplicate title), 404 and 409 are raised as this module's errors
        when the caller allowed them in ``ok``."""
        allowed = set(ok)
        response = self.ctx.http.request(
            method,
            url,
            ok=allowed | {200},
            service=SERVICE,
            headers=self.headers(),
            timeout=self.ctx.timeout,
            **kwargs,
        )
        status = response.status_code
        if status == 400:
            message = _error_text(response)
            if "already exists" in message.lower():
                raise DuplicateTitle(message)
            raise imf.PermanentError(f"{SERVICE}: HTTP 400: {message}")
        if status == 404:
            raise Gone(_error_text(response))
        if status == 409:
            raise StaleVersion(_error_text(response))
        return response.json()

    def add_labels(self, page_id: str, names: list[str]) -> None:
        """Add ``names`` as global labels (adding a label twice is harmless)."""
        if names:
            body = [{"prefix": "global", "name": name} for name in names]
            self.call("POST", f"{self.v1}/content/{page_id}/label", json=body)

    @property
    @abc.abstractmethod
    def v1(self) -> str:
        """The v1 REST base (``/wiki/rest/api`` on Cloud, ``/rest/api`` on Data Center)."""

    @property
    @abc.abstractmethod
    def web_base(self) -> str:
        """Where page links start when a response does not say (``_links.base``)."""

    @abc.abstractmethod
    def space(self, refs: Mapping[str, Any]) -> str:
        """The space to publish in (an id on Cloud, a key on Data Center)."""

    @abc.abstractmethod
    def get(self, page_id: str) -> Page:
        """The page with its storage body (:class:`Gone` if deleted)."""

    @abc.abstractmethod
    def find(self, space: str, title: str) -> Page | None:
        """The current page titled ``title`` in the space, if any."""

    @abc.abstractmethod
    def create(self, space: str, title: str, body: str) -> Page:
        """Create the page (:class:`DuplicateTitle` when the title is taken)."""

    @abc.abstractmethod
    def update(self, page: Page, title: str, body: str, number: int, message: str) -> Page:
        """Write version ``number`` (:class:`StaleVersion` unless it is current + 1,
        :class:`Gone` if the page was deleted)."""

    def _page(self, data: Mapping[str, Any]) -> Page:
        body = ((data.get("body") or {}).get("storage") or {}).get("value") or ""
        links = data.get("_links") or {}
        webui = str(links.get("webui") or "")
        return Page(
            id=str(data["id"]),
            title=str(data.get("title", "")),
            version=int((data.get("version") or {}).get("number", 1)),
            body=str(body),
            link=str(links.get("base") or self.web_base) + webui if webui else "",
        )


class CloudApi(Api):
    """Confluence Cloud: REST v2 ``/wiki/api/v2/pages``."""

    @property
    def v2(self) -> str:
        """The v2 REST base."""
        return f"{self.config.site}/wiki/api/v2"

    @property
    def v1(self) -> str:
        return f"{self.config.site}/wiki/rest/api"

    @property
    def web_base(self) -> str:
        return f"{self.config.site}/wiki"

    def space(self, refs: Mapping[str, Any]) -> str:
        """The space id: configured, remembered, or looked up by key."""
        if self.config.space_id:
            return self.config.space_id
        known = refs.get("space_id")
        if isinstance(known, str) and known:
            return known
        data = self.call("GET", f"{self.v2}/spaces", params={"keys": self.config.space_key})
        results = data.get("results") or []
        if not results:
            raise imf.PermanentError(self.ctx.t("confluence.no_space", key=self.config.space_key))
        return str(results[0]["id"])

    def get(self, page_id: str) -> Page:
        """The page with its storage body (:class:`Gone` if deleted)."""
        data = self.call(
            "GET", f"{self.v2}/pages/{page_id}", ok=(404,), params={"body-format": "storage"}
        )
        return self._page(data)

    def find(self, space: str, title: str) -> Page | None:
        """The current page titled ``title`` in the space, if any."""
        params = {"space-id": space, "title": title, "body-format": "storage", "limit": "5"}
        data = self.call("GET", f"{self.v2}/pages", params=params)
        results = data.get("results") or []
        return self._page(results[0]) if results else None

    def create(self, space: str, title: str, body: str) -> Page:
        """Create the page (:class:`DuplicateTitle` when the title is taken)."""
        document: dict[str, Any] = {
            "spaceId": space,
            "status": "current",
            "title": title,
            "body": {"representation": "storage", "value": body},
        }
        if self.config.parent_id:
            document["parentId"] = self.config.parent_id
        return self._page(self.call("POST", f"{self.v2}/pages", ok=(400,), json=document))

    def update(self, page: Page, title: str, body: str, number: int, message: str) -> Page:
        """Write version ``number`` (:class:`StaleVersion` if it is not current + 1)."""
        document = {
            "id": page.id,
            "status": "current",
            "title": title,
            "body": {"representation": "storage", "value": body},
            "version": {"number": number, "message": message},
        }
        data = self.call("PUT", f"{self.v2}/pages/{page.id}", ok=(400, 404, 409), json=document)
        return self._page(data)


class DataCenterApi(Api):
    """Confluence Data Center and Server: REST v1 ``/rest/api/content``."""

    @property
    def v1(self) -> str:
        return f"{self.config.site}/rest/api"

    @property
    def web_base(self) -> str:
        return self.config.site

    def space(self, refs: Mapping[str, Any]) -> str:
        """The space key."""
        return self.config.space_key

    def get(self, page_id: str) -> Page:
        """The page with its storage body (:class:`Gone` if deleted)."""
        params = {"expand": "version,body.storage"}
        return self._page(
            self.call("GET", f"{self.v1}/content/{page_id}", ok=(404,), params=params)
        )

    def find(self, space: str, title: str) -> Page | None:
        """The current page titled ``title`` in the space, if any."""
        params = {
            "spaceKey": space,
            "title": title,
            "type": "page",
            "expand": "version,body.storage",
        }
        data = self.call("GET", f"{self.v1}/content", params=params)
        results = data.get("results") or []
        return self._page(results[0]) if results else None

    def create(self, space: str, title: str, body: str) -> Page:
        """Create the page (:class:`DuplicateTitle` when the title is taken)."""
        document: dict[str, Any] = {
            "type": "page",
            "title": title,
            "space": {"key": space},
            "body": {"storage": {"value": body, "representation": "storage"}},
        }
        if self.config.parent_id:
            document["ancestors"] = [{"id": self.config.parent_id}]
        return self._page(self.call("POST", f"{self.v1}/content", ok=(400,), json=document))

    def update(self, page: Page, title: str, body: str, number: int, message: str) -> Page:
        """Write version ``number`` (:class:`StaleVersion` if it is not current + 1)."""
        document = {
            "id": page.id,
            "type": "page",
            "title": title,
            "body": {"storage": {"value": body, "representation": "storage"}},
            "version": {"number": number, "message": message},
        }
        data = self.call("PUT", f"{self.v1}/content/{page.id}", ok=(400, 404, 409), json=document)
        return self._page(data)


def connect(config: ConfluenceConfig, ctx: imf.PluginContext) -> CloudApi | DataCenterApi:
    """The API flavour the configuration names."""
    return CloudApi(config, ctx) if config.api == "cloud" else DataCenterApi(config, ctx)
