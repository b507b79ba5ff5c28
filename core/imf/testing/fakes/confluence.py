"""ConfluenceFake: Confluence Cloud REST v2 pages and the v1 content API (Cloud and Data Center)."""

from __future__ import annotations

import base64
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote, urlencode
from xml.etree import ElementTree
from xml.parsers.expat import ErrorString

from imf.testing import specs
from imf.testing.fakes.base import Check, FakeServer, Recorded, Response, utc_timestamp

STORAGE_NAMESPACES = {
    "ac": "http://atlassian.com/content",
    "ri": "http://atlassian.com/resource/identifier",
}
"""Namespaces a storage-format body may use; Confluence declares them around every body."""

V2_PREFIX = "/wiki/api/v2"
"""Path prefix of the Cloud REST API v2."""

_V2_ERROR_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "REQUEST_ENTITY_TOO_LARGE",
    429: "TOO_MANY_REQUESTS",
}
_DUPLICATE_TITLE = (
    "A page with this title already exists: A page already exists with the same TITLE in this space"
)
_ACCOUNT_ID = "5b10ac8d82e05b22cc7d4ef5"


def storage_problem(value: str) -> str | None:
    """Why Confluence would refuse ``value`` as a storage-format body, or None when it is fine.

    The body must be well-formed XML once wrapped in an element declaring the ``ac:`` and
    ``ri:`` namespaces; only XML's five predefined entities exist (``&nbsp;`` is an error,
    ``&#160;`` is fine).
    """
    declarations = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in STORAGE_NAMESPACES.items())
    opening = f"<ac:storage {declarations}>"
    try:
        ElementTree.fromstring(f"{opening}{value}</ac:storage>")
    except ElementTree.ParseError as exc:
        line, column = exc.position
        if line == 1:
            column = max(column - len(opening), 0)
        reason = ErrorString(exc.code)
        return f"Error parsing xhtml: {reason} at line {line}, column {column + 1}"
    return None


@dataclass
class Space:
    """A Confluence space: numeric id, key, name and the id of its home page."""

    id: str
    key: str
    name: str
    homepage_id: str = ""


@dataclass
class ConfluencePage:
    """A page as the fake stores it; ``body`` is the storage value of the current version and
    ``history[n - 1]`` the body of version ``n``."""

    id: str
    title: str
    space: Space
    parent_id: str | None
    status: str = "current"
    version: int = 1
    version_message: str = ""
    body: str = ""
    representation: str = "storage"
    labels: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    created_at: str = field(default_factory=lambda: utc_timestamp(milliseconds=True))
    updated_at: str = field(default_factory=lambda: utc_timestamp(milliseconds=True))


class ConfluenceFake(FakeServer):
    """Imitates Confluence: Cloud REST v2 pages, and the v1 content API of Cloud and Data Center.

    Cloud v2 under ``/wiki/api/v2``: ``POST /pages`` (200), ``GET /pages`` (``space-id``,
    ``title``, ``status``, ``body-format``, ``limit``, ``cursor``), ``GET /pages/{id}``
    (``body-format=storage``, ``version``), ``PUT /pages/{id}`` (``version.number`` must be the
    current one + 1, else 409) and ``GET /spaces`` (``keys``).

    v1 under ``/wiki/rest/api`` (Cloud) and ``{context_path}/rest/api`` (Data Center / Server):
    ``POST /content``, ``GET /content`` (``spaceKey``, ``title``, ``expand``),
    ``GET /content/{id}`` (``expand=version,body.storage,ancestors``), ``PUT /content/{id}``
    (version + 1, else 409) and ``GET``/``POST /content/{id}/label``.

    Authentication is HTTP basic ``email:api_token`` (``auth="basic"``) or ``Bearer
    api_token`` (``auth="bearer"``, a Data Center personal access token); 401 otherwise. A
    duplicate title in a space is refused with 400; so is a storage body that is not well-formed
    XML (see :func:`storage_problem`). Each space has a home page, the default parent.

    Recorded: :attr:`pages` (:class:`ConfluencePage`, bodies and their history readable back).
    """

    def __init__(
        self,
        *,
        auth: Literal["basic", "bearer"] = "basic",
        email: str = "imf@example.com",
        api_token: str = "imf-confluence-token",
        spaces: Mapping[str, str] | None = None,
        context_path: str = "",
        validate: bool = True,
    ) -> None:
        if auth not in {"basic", "bearer"}:
            raise ValueError(f"auth must be 'basic' or 'bearer', not {auth!r}")
        super().__init__(validate=validate)
        self.auth = auth
        self.email = email
        self.api_token = api_token
        self.context_path = context_path.rstrip("/")
        self._ids = itertools.count(65537)
        self._pages: dict[str, ConfluencePage] = {}
        self.spaces: dict[str, Space] = {}
        for key, name in (spaces or {"IMF": "Incidents"}).items():
            space = Space(str(next(self._ids)), key, name)
            home = self._add(ConfluencePage(str(next(self._ids)), f"{name} Home", space, None))
            space.homepage_id = home.id
            self.spaces[key] = space
        self._v2_routes()
        for prefix in dict.fromkeys(["/wiki/rest/api", f"{self.context_path}/rest/api"]):
            self._v1_routes(prefix)

    def _v2_routes(self) -> None:
        check_create = _spec_check("v2", "/pages")
        check_update = _spec_check("v2", "/pages/{id}")
        self.route("POST", V2_PREFIX + "/pages", self._v2_create, check_create)
        self.route("GET", V2_PREFIX + "/pages", self._v2_list)
        self.route("GET", V2_PREFIX + "/pages/{page_id}", self._v2_get)
        self.route("PUT", V2_PREFIX + "/pages/{page_id}", self._v2_update, check_update)
        self.route("GET", V2_PREFIX + "/spaces", self._v2_spaces)

    def _v1_routes(self, prefix: str) -> None:
        check_create = _spec_check("v1", "/content")
        check_update = _spec_check("v1", "/content/{id}")
        check_label = _spec_check("v1", "/content/{id}/label")
        self.route("POST", prefix + "/content", self._v1_create, check_create)
        self.route("GET", prefix + "/content", self._v1_list)
        self.route("GET", prefix + "/content/{page_id}", self._v1_get)
        self.route("PUT", prefix + "/content/{page_id}", self._v1_update, check_update)
        self.route("POST", prefix + "/content/{page_id}/label", self._add_labels, check_label)
        self.route("GET", prefix + "/content/{page_id}/label", self._labels)

    # ------------------------------------------------------------------ state

    @property
    def pages(self) -> list[ConfluencePage]:
        """Every page, home pages included, oldest first."""
        with self._lock:
            return list(self._pages.values())

    @property
    def wiki_url(self) -> str:
        """The Cloud site base, like ``https://example.atlassian.net/wiki``."""
        return f"{self.url}/wiki"

    @property
    def server_url(self) -> str:
        """The Data Center / Server base URL (``url`` plus ``context_path``)."""
        return f"{self.url}{self.context_path}"

    def page(self, page_id: str) -> ConfluencePage | None:
        """The page with ``page_id``, if any."""
        with self._lock:
            return self._pages.get(page_id)

    def find_page(self, title: str, space_key: str | None = None) -> ConfluencePage | None:
        """The current page titled ``title`` (in ``space_key`` when given), if any."""
        with self._lock:
            for page in self._pages.values():
                in_space = space_key in (None, page.space.key)
                if page.title == title and in_space and page.status == "current":
                    return page
        return None

    def _add(self, page: ConfluencePage) -> ConfluencePage:
        page.history.append(page.body)
        self._pages[page.id] = page
        return page

    def _title_taken(self, space: Space, title: str, page_id: str | None = None) -> bool:
        return any(
            page.space is space and page.title == title and page.status == "current"
            for page in self._pages.values()
            if page.id != page_id
        )

    # ------------------------------------------------------------------ Cloud REST v2

    def _v2_create(self, request: Recorded, params: dict[str, str]) -> Response:
        document = request.json
        if not isinstance(document, dict):
            return _v2_error(400, "The request body must be a JSON object")
        space = self._space_by_id(document.get("spaceId"))
        if space is None:
            return _v2_error(404, f"Space {document.get('spaceId')} not found")
        status = document.get("status", "current")
        title = document.get("title")
        if status not in {"current", "draft"}:
            return _v2_error(400, f"Invalid status {status!r}")
        if status == "current" and (not isinstance(title, str) or not title.strip()):
            return _v2_error(400, "Title is required when the page is not a draft")
        value, representation, problem = _v2_body(document.get("body"))
        if problem:
            return _v2_error(400, problem)
        parent_id = document.get("parentId") or space.homepage_id
        parent = self._pages.get(str(parent_id))
        if parent is None or parent.space is not space:
            return _v2_error(404, f"Parent page {parent_id} not found in space {space.key}")
        if status == "current" and self._title_taken(space, str(title)):
            return _v2_error(400, _DUPLICATE_TITLE)
        page = ConfluencePage(
            str(next(self._ids)),
            title or "",
            space,
            parent.id,
            status=status,
            body=value,
            representation=representation,
        )
        self._add(page)
        return Response.json(200, self._v2_page(page, with_body=True))

    def _v2_update(self, request: Recorded, params: dict[str, str]) -> Response:
        page = self._pages.get(params["page_id"])
        if page is None:
            return _v2_error(404, "Not Found")
        document = request.json
        if not isinstance(document, dict):
            return _v2_error(400, "The request body must be a JSON object")
        missing = [
            key for key in ("id", "status", "title", "body", "version") if key not in document
        ]
        if missing:
            return _v2_error(400, f"Missing required fields: {', '.join(missing)}")
        if str(document["id"]) != page.id:
            return _v2_error(400, "The id in the body does not match the page id in the URL")
        if "spaceId" in document and str(document["spaceId"]) != page.space.id:
            return _v2_error(400, "Moving a page to a different space is not supported")
        number = (
            document["version"].get("number") if isinstance(document["version"], dict) else None
        )
        if number != page.version + 1:
            message = f"Version must be incremented on update. Current version is: {page.version}"
            return _v2_error(409, message)
        title = document["title"]
        if not isinstance(title, str) or not title.strip():
            return _v2_error(400, "Title is required")
        if self._title_taken(page.space, title, page.id):
            return _v2_error(400, _DUPLICATE_TITLE)
        value, representation, problem = _v2_body(document["body"])
        if problem:
            return _v2_error(400, problem)
        if document["status"] not in {"current", "draft"}:
            return _v2_error(400, f"Invalid status {document['status']!r}")
        page.title, page.status = title, document["status"]
        page.parent_id = str(document.get("parentId") or page.parent_id)
        self._new_version(page, value, representation, document["version"].get("message", ""))
        return Response.json(200, self._v2_page(page, with_body=True))

    def _v2_get(self, request: Recorded, params: dict[str, str]) -> Response:
        page = self._pages.get(params["page_id"])
        if page is None:
            return _v2_error(404, "Not Found")
        version = request.query.get("version")
        body = page.body
        if version is not None:
            if not version.isdigit() or not 1 <= int(version) <= page.version:
                return _v2_error(404, f"Version {version} of page {page.id} not found")
            body = page.history[int(version) - 1]
        with_body = request.query.get("body-format") == "storage"
        return Response.json(200, self._v2_page(page, with_body=with_body, body=body))

    def _v2_list(self, request: Recorded, params: dict[str, str]) -> Response:
        space_ids = {
            space_id
            for value in request.query_values("space-id")
            for space_id in value.split(",")
            if space_id
        }
        title = request.query.get("title")
        statuses = set(request.query.get("status", "current").split(","))
        found = [
            page
            for page in self._pages.values()
            if (not space_ids or page.space.id in space_ids)
            and (title is None or page.title == title)
            and page.status in statuses
        ]
        try:
            limit = min(max(int(request.query.get("limit", 25)), 1), 250)
            start = int(request.query.get("cursor") or 0)
        except ValueError:
            return _v2_error(400, "limit and cursor must be integers")
        with_body = request.query.get("body-format") == "storage"
        results = [
            self._v2_page(page, with_body=with_body) for page in found[start : start + limit]
        ]
        links: dict[str, str] = {"base": self.wiki_url}
        if start + limit < len(found):
            query = {**request.query, "cursor": str(start + limit)}
            links["next"] = f"{V2_PREFIX}/pages?{urlencode(query)}"
        return Response.json(200, {"results": results, "_links": links})

    def _v2_spaces(self, request: Recorded, params: dict[str, str]) -> Response:
        keys = {key for value in request.query_values("keys") for key in value.split(",") if key}
        found = [space for space in self.spaces.values() if not keys or space.key in keys]
        results = [
            {
                "id": space.id,
                "key": space.key,
                "name": space.name,
                "type": "global",
                "status": "current",
                "authorId": _ACCOUNT_ID,
                "homepageId": space.homepage_id,
                "description": None,
                "icon": None,
                "_links": {"webui": f"/spaces/{space.key}"},
            }
            for space in found
        ]
        return Response.json(200, {"results": results, "_links": {"base": self.wiki_url}})

    def _v2_page(
        self, page: ConfluencePage, *, with_body: bool, body: str | None = None
    ) -> dict[str, Any]:
        storage = {
            "representation": page.representation,
            "value": page.body if body is None else body,
        }
        return {
            "id": page.id,
            "status": page.status,
            "title": page.title,
            "spaceId": page.space.id,
            "parentId": page.parent_id,
            "parentType": "page" if page.parent_id else None,
            "position": None,
            "authorId": _ACCOUNT_ID,
            "ownerId": _ACCOUNT_ID,
            "lastOwnerId": None,
            "createdAt": page.created_at,
            "version": {
                "createdAt": page.updated_at,
                "message": page.version_message,
                "number": page.version,
                "minorEdit": False,
                "authorId": _ACCOUNT_ID,
            },
            "body": {page.representation: storage} if with_body else {},
            "_links": {
                "webui": f"/spaces/{page.space.key}/pages/{page.id}/{quote(page.title)}",
                "editui": f"/pages/resumedraft.action?draftId={page.id}",
                "tinyui": f"/x/{_tiny(page.id)}",
                "base": self.wiki_url,
            },
        }

    def _space_by_id(self, space_id: Any) -> Space | None:
        return next((s for s in self.spaces.values() if s.id == str(space_id)), None)

    def _new_version(
        self, page: ConfluencePage, body: str, representation: str, message: str
    ) -> None:
        page.version += 1
        page.body, page.representation, page.version_message = body, representation, message
        page.history.append(body)
        page.updated_at = utc_timestamp(milliseconds=True)

    # ------------------------------------------------------------------ v1 content API

    def _v1_create(self, request: Recorded, params: dict[str, str]) -> Response:
        document = request.json
        if not isinstance(document, dict):
            return _v1_error(400, "The request body must be a JSON object")
        if document.get("type") != "page":
            return _v1_error(400, f"Unsupported content type: {document.get('type')!r}")
        space_field = document.get("space")
        key = space_field.get("key") if isinstance(space_field, dict) else None
        space = self.spaces.get(str(key))
        if space is None:
            return _v1_error(404, f"No space with key : {key}")
        title = document.get("title")
        if not isinstance(title, str) or not title.strip():
            return _v1_error(400, "Title is required")
        status = document.get("status", "current")
        value, problem = _v1_body(document.get("body"))
        if problem:
            return _v1_error(400, problem)
        parent_id = _ancestor_id(document.get("ancestors")) or space.homepage_id
        parent = self._pages.get(parent_id)
        if parent is None or parent.space is not space:
            return _v1_error(404, f"No content found with id: ContentId{{id={parent_id}}}")
        if status == "current" and self._title_taken(space, str(title)):
            return _v1_error(400, _DUPLICATE_TITLE)
        page = ConfluencePage(
            str(next(self._ids)), title, space, parent.id, status=status, body=value or ""
        )
        self._add(page)
        return Response.json(200, self._v1_page(request, page, {"body.storage", "ancestors"}))

    def _v1_update(self, request: Recorded, params: dict[str, str]) -> Response:
        page = self._pages.get(params["page_id"])
        if page is None:
            return _v1_error(404, f"No content found with id: ContentId{{id={params['page_id']}}}")
        document = request.json
        if not isinstance(document, dict):
            return _v1_error(400, "The request body must be a JSON object")
        version = document.get("version")
        if not isinstance(version, dict) or version.get("number") is None:
            return _v1_error(400, "Version number is required")
        if version["number"] != page.version + 1:
            message = f"Version must be incremented on update. Current version is: {page.version}"
            return _v1_error(409, message)
        title = document.get("title")
        if document.get("type") != "page" or not isinstance(title, str) or not title.strip():
            return _v1_error(400, "type 'page' and a title are required")
        if self._title_taken(page.space, title, page.id):
            return _v1_error(400, _DUPLICATE_TITLE)
        value, problem = _v1_body(document.get("body"))
        if problem:
            return _v1_error(400, problem)
        page.title = title
        page.status = document.get("status", page.status)
        page.parent_id = _ancestor_id(document.get("ancestors")) or page.parent_id
        body = page.body if value is None else value
        self._new_version(page, body, "storage", version.get("message", ""))
        return Response.json(200, self._v1_page(request, page, {"body.storage", "ancestors"}))

    def _v1_get(self, request: Recorded, params: dict[str, str]) -> Response:
        page = self._pages.get(params["page_id"])
        if page is None:
            return _v1_error(404, f"No content found with id: ContentId{{id={params['page_id']}}}")
        return Response.json(200, self._v1_page(request, page, _expansions(request)))

    def _v1_list(self, request: Recorded, params: dict[str, str]) -> Response:
        key = request.query.get("spaceKey")
        title = request.query.get("title")
        status = request.query.get("status", "current")
        found = [
            page
            for page in self._pages.values()
            if (key is None or page.space.key == key)
            and (title is None or page.title == title)
            and page.status == status
            and request.query.get("type", "page") == "page"
        ]
        try:
            start = int(request.query.get("start", 0))
            limit = min(max(int(request.query.get("limit", 25)), 1), 200)
        except ValueError:
            return _v1_error(400, "start and limit must be integers")
        expand = _expansions(request)
        results = [self._v1_page(request, page, expand) for page in found[start : start + limit]]
        base, context = self._v1_base(request)
        body = {
            "results": results,
            "start": start,
            "limit": limit,
            "size": len(results),
            "_links": {"base": base, "context": context},
        }
        return Response.json(200, body)

    def _v1_page(self, request: Recorded, page: ConfluencePage, expand: set[str]) -> dict[str, Any]:
        base, context = self._v1_base(request)
        cloud = request.path.startswith("/wiki/")
        webui = (
            f"/spaces/{page.space.key}/pages/{page.id}/{quote(page.title)}"
            if cloud
            else f"/pages/viewpage.action?pageId={page.id}"
        )
        user = {"type": "known", "accountId": _ACCOUNT_ID, "displayName": self.email}
        content: dict[str, Any] = {
            "id": page.id,
            "type": "page",
            "status": page.status,
            "title": page.title,
            "space": {
                "id": int(page.space.id),
                "key": page.space.key,
                "name": page.space.name,
                "type": "global",
                "status": "current",
            },
            "history": {"latest": True, "createdBy": user, "createdDate": page.created_at},
            "version": {
                "by": user,
                "when": page.updated_at,
                "message": page.version_message,
                "number": page.version,
                "minorEdit": False,
            },
            "_links": {
                "webui": webui,
                "tinyui": f"/x/{_tiny(page.id)}",
                "self": f"{base}/rest/api/content/{page.id}",
                "base": base,
                "context": context,
            },
        }
        if "body.storage" in expand:
            content["body"] = {"storage": {"value": page.body, "representation": "storage"}}
        if "ancestors" in expand:
            content["ancestors"] = [
                {"id": ancestor.id, "type": "page", "title": ancestor.title}
                for ancestor in self._ancestors(page)
            ]
        return content

    def _ancestors(self, page: ConfluencePage) -> list[ConfluencePage]:
        chain: list[ConfluencePage] = []
        parent = self._pages.get(page.parent_id or "")
        while parent is not None:
            chain.insert(0, parent)
            parent = self._pages.get(parent.parent_id or "")
        return chain

    def _v1_base(self, request: Recorded) -> tuple[str, str]:
        """(base URL, context path) for the v1 prefix the request used."""
        context = "/wiki" if request.path.startswith("/wiki/") else self.context_path
        return f"{self.url}{context}", context

    # ------------------------------------------------------------------ labels

    def _add_labels(self, request: Recorded, params: dict[str, str]) -> Response:
        page = self._pages.get(params["page_id"])
        if page is None:
            return _v1_error(404, f"No content found with id: ContentId{{id={params['page_id']}}}")
        document = request.json
        items = document if isinstance(document, list) else [document]
        names = []
        for item in items:
            if not isinstance(item, dict):
                return _v1_error(400, "Each label must be an object {prefix, name}")
            name = item.get("name")
            if not isinstance(name, str) or not name.strip() or any(c.isspace() for c in name):
                return _v1_error(400, f"Invalid label name: {name!r} (no spaces allowed)")
            if item.get("prefix", "global") not in {"global", "my", "team"}:
                return _v1_error(400, f"Invalid label prefix: {item.get('prefix')!r}")
            names.append(name.lower())
        page.labels.extend(name for name in names if name not in page.labels)
        return self._labels(request, params)

    def _labels(self, request: Recorded, params: dict[str, str]) -> Response:
        page = self._pages.get(params["page_id"])
        if page is None:
            return _v1_error(404, f"No content found with id: ContentId{{id={params['page_id']}}}")
        results = [
            {"prefix": "global", "name": name, "id": str(1000 + index), "label": name}
            for index, name in enumerate(page.labels)
        ]
        body = {"results": results, "start": 0, "limit": 200, "size": len(results)}
        return Response.json(200, body)

    # ------------------------------------------------------------------ plumbing

    def _authorized(self, request: Recorded) -> bool:
        authorization = request.headers.get("authorization", "")
        if self.auth == "bearer":
            return authorization == f"Bearer {self.api_token}"
        expected = base64.b64encode(f"{self.email}:{self.api_token}".encode()).decode()
        return authorization == f"Basic {expected}"

    def _deny(self, request: Recorded) -> Response | None:
        if self._authorized(request):
            return None
        return self._error_response(request, 401, "Unauthorized")

    def _error_response(self, request: Recorded, status: int, message: str) -> Response:
        if request.path.startswith(V2_PREFIX):
            return _v2_error(status, message)
        return _v1_error(status, message)

    def _load_specs(self) -> None:
        specs.validate_confluence_request("v2", "POST", "/pages", {})
        specs.validate_confluence_request("v1", "POST", "/content", {})


def _spec_check(api: str, template: str) -> Check:
    def check(request: Recorded, params: dict[str, str]) -> list[str]:
        return specs.validate_confluence_request(api, request.method, template, request.json)

    return check


def _v2_body(body: Any) -> tuple[str, str, str | None]:
    """(value, representation, problem) of a v2 page body, flat or nested by format."""
    if body is None:
        return "", "storage", None
    if not isinstance(body, dict):
        return "", "storage", "body must be an object"
    if "representation" not in body and len(body) == 1:
        body = next(iter(body.values()))
    if not isinstance(body, dict):
        return "", "storage", "body must be an object"
    representation = body.get("representation")
    value = body.get("value")
    if representation not in {"storage", "atlas_doc_format", "wiki"}:
        return "", "storage", f"Unsupported body representation: {representation!r}"
    if not isinstance(value, str):
        return "", representation, "body.value must be a string"
    problem = storage_problem(value) if representation == "storage" else None
    return value, representation, problem


def _v1_body(body: Any) -> tuple[str | None, str | None]:
    """(storage value or None when absent, problem) of a v1 content body."""
    if body is None:
        return None, None
    storage = body.get("storage") if isinstance(body, dict) else None
    if not isinstance(storage, dict):
        return None, "body.storage {value, representation: 'storage'} is required"
    if storage.get("representation") != "storage" or not isinstance(storage.get("value"), str):
        return None, "body.storage needs a string value and representation 'storage'"
    return storage["value"], storage_problem(storage["value"])


def _ancestor_id(ancestors: Any) -> str | None:
    if isinstance(ancestors, list) and ancestors and isinstance(ancestors[-1], dict):
        ancestor = ancestors[-1].get("id")
        return None if ancestor is None else str(ancestor)
    return None


def _expansions(request: Recorded) -> set[str]:
    return {item.strip() for value in request.query_values("expand") for item in value.split(",")}


def _tiny(page_id: str) -> str:
    return base64.urlsafe_b64encode(int(page_id).to_bytes(4, "little")).decode().rstrip("=")


def _v2_error(status: int, title: str) -> Response:
    code = _V2_ERROR_CODES.get(status, "INTERNAL_SERVER_ERROR")
    error = {"status": status, "code": code, "title": title, "detail": None}
    return Response.json(status, {"errors": [error]})


def _v1_error(status: int, message: str) -> Response:
    data = {"authorized": status != 401, "valid": status < 500, "errors": [], "successful": False}
    return Response.json(status, {"statusCode": status, "data": data, "message": message})
