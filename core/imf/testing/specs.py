"""Official API specifications and validation of the requests imf's plugins send.

The specification files (PagerDuty, Microsoft Teams / Graph, Atlassian Statuspage and
Confluence) are reference data kept outside the package, in a folder named ``shared/specs``
beside the repository checkout, or wherever the ``IMF_SPECS_DIR`` environment variable points.
Every ``validate_*`` function returns a list of human-readable errors (empty means valid) and
raises :class:`SpecsNotFoundError` when the folder is absent. Loaded documents and compiled
validators are cached for the life of the process.

The published files have known defects, listed in the folder's README; they are corrected here
as the README says, so that valid requests pass and broken ones are reported.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

ENV_VAR = "IMF_SPECS_DIR"
"""Environment variable naming the specifications folder explicitly."""

ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
"""``contentType`` of an Adaptive Card attachment."""

COMPONENT_STATUSES = frozenset(
    {"operational", "under_maintenance", "degraded_performance", "partial_outage", "major_outage"}
)
"""Statuspage component statuses a client may set."""

PAGERDUTY_SUMMARY_MAX = 1024
"""Documented maximum length of an Events API v2 ``payload.summary``."""

_MARKER = "README.md"
_MESSAGE_MAX = 300
_INSTANCE_MAX = 80


class SpecsNotFoundError(FileNotFoundError):
    """The specifications folder could not be found."""


def specs_dir() -> Path | None:
    """Return the specifications folder, or None when it is absent.

    ``IMF_SPECS_DIR`` wins when set. Otherwise the current working directory and this module's
    location are walked upwards, looking for a ``shared/specs`` folder beside each ancestor.
    """
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        folder = Path(explicit).expanduser()
        return folder.resolve() if folder.is_dir() else None
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        for ancestor in (start, *start.parents):
            candidate = ancestor / "shared" / "specs"
            if (candidate / _MARKER).is_file():
                return candidate
    return None


def require_specs() -> Path:
    """Return the specifications folder, or skip the calling test when it is absent."""
    folder = specs_dir()
    if folder is None:
        import pytest

        pytest.skip(
            "official API specifications not found: set IMF_SPECS_DIR or provide a "
            "shared/specs folder beside the repository checkout"
        )
    return folder


# --------------------------------------------------------------------------- caching


_lock = threading.RLock()
_cache: dict[tuple[Any, ...], Any] = {}


def _cached(key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
    """Return the cached value for ``key``, building it once under a lock."""
    try:
        return _cache[key]
    except KeyError:
        pass
    with _lock:
        if key not in _cache:
            _cache[key] = build()
        return _cache[key]


# --------------------------------------------------------------------------- documents


def _walk(node: Any, visit: Callable[[dict[str, Any]], None]) -> None:
    """Call ``visit`` on every mapping inside ``node``, depth first."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            visit(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _fix_pagerduty_rest(doc: dict[str, Any]) -> None:
    # PagerDuty's docs and the spec's own example send a string as incident.body.details.
    details = doc["components"]["schemas"]["IncidentBody"]["properties"]["details"]
    details.pop("type", None)
    details["anyOf"] = [{"type": "string"}, {"type": "object"}]


def _fix_statuspage(doc: dict[str, Any]) -> None:
    def visit(node: dict[str, Any]) -> None:
        if node.get("type") == "Object":
            node["type"] = "object"

    _walk(doc, visit)


def _fix_graph(doc: dict[str, Any]) -> None:
    # Every schema carries additionalProperties {"type": "object"}, which rejects plain values.
    def visit(node: dict[str, Any]) -> None:
        if isinstance(node.get("additionalProperties"), dict):
            del node["additionalProperties"]

    _walk(doc, visit)


def _fix_confluence_v2(doc: dict[str, Any]) -> None:
    # The page body is a oneOf of two unconstrained objects: every valid body matches both.
    def visit(node: dict[str, Any]) -> None:
        if "oneOf" in node:
            node["anyOf"] = node.pop("oneOf")

    _walk(doc, visit)


def _fix_adaptive_card(doc: dict[str, Any]) -> None:
    # Validate the card itself (the root is a one-branch anyOf) and allow the Teams extension.
    del doc["anyOf"]
    doc["$ref"] = "#/definitions/AdaptiveCard"
    doc["definitions"]["AdaptiveCard"]["properties"]["msteams"] = {"type": "object"}


_DOCUMENTS: dict[str, tuple[str, Callable[[dict[str, Any]], None] | None]] = {
    "pagerduty-events": ("pagerduty/events-v2/openapiv3.json", None),
    "pagerduty-rest": ("pagerduty/REST/openapiv3.json", _fix_pagerduty_rest),
    "statuspage": ("statuspage/statuspage-openapi3.json", _fix_statuspage),
    "graph-teams": ("msteams/graph-v1.0/Teams.yml", _fix_graph),
    "confluence-v2": ("confluence/confluence-v2.json", _fix_confluence_v2),
    "confluence-v1-2021": ("confluence/swagger.v3.json", None),
    "confluence-v1": ("confluence/confluence-v1.json", None),
    "adaptive-card": ("msteams/adaptive-cards-1.5.0/adaptive-card.json", _fix_adaptive_card),
}


_located: dict[tuple[str | None, str], Path | None] = {}


def _located_specs() -> Path | None:
    """:func:`specs_dir`, remembered per (IMF_SPECS_DIR, working directory)."""
    key = (os.environ.get(ENV_VAR), os.getcwd())
    if key not in _located:
        _located[key] = specs_dir()
    return _located[key]


def _spec_file(name: str) -> Path:
    folder = _located_specs()
    if folder is None:
        raise SpecsNotFoundError(
            "official API specifications not found: set IMF_SPECS_DIR or provide a "
            "shared/specs folder beside the repository checkout"
        )
    return folder / _DOCUMENTS[name][0]


def _read(path: Path) -> dict[str, Any]:
    if path.suffix in {".yml", ".yaml"}:
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        with path.open("rb") as stream:
            document: dict[str, Any] = yaml.load(stream, Loader=loader)
        return document
    with path.open("rb") as stream:
        document = json.load(stream)
    return document


def _document(name: str) -> dict[str, Any]:
    """Load (once) and correct the named specification document."""
    path = _spec_file(name)

    def build() -> dict[str, Any]:
        doc = _read(path)
        fix = _DOCUMENTS[name][1]
        if fix is not None:
            fix(doc)
        return doc

    document: dict[str, Any] = _cached(("document", str(path)), build)
    return document


# --------------------------------------------------------------------------- error reporting


def _pointer_escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _leaf_errors(error: Any) -> Iterator[Any]:
    """Descend into anyOf/oneOf failures whose branch is identified by the ``type`` member."""
    if not error.context:
        yield error
        return
    branches: dict[Any, list[Any]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    here = list(error.absolute_path)

    def mismatched(sub: Any) -> bool:
        # The branch wants another JSON type, or another "type" member, at this very place.
        path = list(sub.absolute_path)
        return path == [*here, "type"] or (path == here and sub.validator == "type")

    matching = [subs for subs in branches.values() if not any(map(mismatched, subs))]
    if len(matching) != 1:
        yield error
        return
    for sub in matching[0]:
        yield from _leaf_errors(sub)


def _describe(error: Any) -> str:
    if error.validator in {"anyOf", "oneOf"}:
        kind = error.instance.get("type") if isinstance(error.instance, dict) else None
        suffix = f" (type {kind!r})" if isinstance(kind, str) else ""
        return f"does not match any schema allowed here{suffix}"
    message: str = error.message
    shown = repr(error.instance)
    if len(shown) > _INSTANCE_MAX:  # keep the verdict, shorten the quoted value
        message = message.replace(shown, shown[: _INSTANCE_MAX - 3] + "...")
    if len(message) > _MESSAGE_MAX:
        message = message[: _MESSAGE_MAX - 3] + "..."
    return message


def _format(errors: Iterable[Any]) -> list[str]:
    leaves = [leaf for error in errors for leaf in _leaf_errors(error)]
    leaves.sort(key=lambda leaf: [str(part) for part in leaf.absolute_path])
    return list(dict.fromkeys(f"{leaf.json_path}: {_describe(leaf)}" for leaf in leaves))


# --------------------------------------------------------------------------- OpenAPI operations


def _template_shape(template: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", template.rstrip("/"))


def _find_path(doc_name: str, template: str) -> str | None:
    """Return the spec's path key for ``template``, matching parameter names loosely."""
    doc = _document(doc_name)
    if template in doc["paths"]:
        return template

    def build() -> dict[str, str]:
        return {_template_shape(key): key for key in doc["paths"]}

    shapes: dict[str, str] = _cached(("shapes", str(_spec_file(doc_name))), build)
    return shapes.get(_template_shape(template))


def _request_body_pointer(doc: dict[str, Any], operation_pointer: str) -> tuple[str, bool] | None:
    """Return (JSON pointer of the request JSON schema, whether a body is required)."""
    node: Any = doc
    for token in operation_pointer.strip("/").split("/"):
        node = node[token.replace("~1", "/").replace("~0", "~")]
    body = node.get("requestBody")
    if body is None:
        return None
    pointer = operation_pointer + "/requestBody"
    if "$ref" in body:
        pointer = body["$ref"].removeprefix("#")
        node = doc
        for token in pointer.strip("/").split("/"):
            node = node[token]
        body = node
    content = body.get("content", {})
    media = next((key for key in content if "json" in key), None)
    if media is None:
        return None
    return f"{pointer}/content/{_pointer_escape(media)}/schema", bool(body.get("required"))


def _openapi_validator(doc_name: str, pointer: str) -> Any:
    def build() -> Any:
        from openapi_schema_validator import OAS30Validator
        from referencing import Registry
        from referencing.jsonschema import DRAFT4

        uri = f"urn:imf-spec:{doc_name}"
        resource = DRAFT4.create_resource(_document(doc_name))
        registry: Registry[Any] = Registry().with_resource(uri, resource)
        return OAS30Validator({"$ref": f"{uri}#{pointer}"}, registry=registry)

    return _cached(("validator", str(_spec_file(doc_name)), pointer), build)


def _request_errors(doc_names: Iterable[str], method: str, template: str, body: Any) -> list[str]:
    """Validate ``body`` against the first of ``doc_names`` that defines the operation."""
    verb = method.lower()
    names = list(doc_names)
    for doc_name in names:
        path = _find_path(doc_name, template)
        if path is None or verb not in _document(doc_name)["paths"][path]:
            continue
        operation = f"/paths/{_pointer_escape(path)}/{verb}"
        found = _request_body_pointer(_document(doc_name), operation)
        if found is None:
            return [] if body is None else [f"$: {method.upper()} {path} takes no request body"]
        pointer, required = found
        if body is None:
            return [f"$: {method.upper()} {path} requires a request body"] if required else []
        return _format(_openapi_validator(doc_name, pointer).iter_errors(body))
    files = ", ".join(_DOCUMENTS[name][0] for name in names)
    return [f"$: {method.upper()} {template} is not an operation of {files}"]


# --------------------------------------------------------------------------- PagerDuty


def validate_pagerduty_event(body: Any) -> list[str]:
    """Validate an Events API v2 ``POST /v2/enqueue`` body.

    Besides the schema, checks the rules the spec states only in prose: ``dedup_key`` is
    required unless the action is ``trigger``, ``payload`` is required for ``trigger``, and
    ``payload.summary`` is at most 1024 characters.
    """
    errors = _request_errors(["pagerduty-events"], "POST", "/enqueue", body)
    if not isinstance(body, dict):
        return errors
    action = body.get("event_action")
    if action in {"acknowledge", "resolve"} and not body.get("dedup_key"):
        errors.append(f"$.dedup_key: required when event_action is {action!r}")
    if action == "trigger" and "payload" not in body:
        errors.append("$.payload: required when event_action is 'trigger'")
    payload = body.get("payload")
    summary = payload.get("summary") if isinstance(payload, dict) else None
    if isinstance(summary, str) and len(summary) > PAGERDUTY_SUMMARY_MAX:
        errors.append(f"$.payload.summary: longer than {PAGERDUTY_SUMMARY_MAX} characters")
    return errors


def validate_pagerduty_rest(method: str, path_template: str, body: Any) -> list[str]:
    """Validate a REST API v2 request body, e.g. ``("POST", "/incidents/{id}/notes", {...})``.

    Uses the plain OAS 3.0 validator: the spec marks reference ids both readOnly and required.
    """
    return _request_errors(["pagerduty-rest"], method, path_template, body)


# --------------------------------------------------------------------------- Microsoft Teams


def validate_adaptive_card(card: Any) -> list[str]:
    """Validate an Adaptive Card against the 1.5 schema, with the Teams ``msteams`` extension.

    Also requires what Teams needs but the schema leaves optional: ``type`` "AdaptiveCard" and
    a ``version`` string.
    """
    if not isinstance(card, dict):
        return ["$: an Adaptive Card must be a JSON object"]
    errors = []
    if card.get("type") != "AdaptiveCard":
        errors.append("$.type: must be 'AdaptiveCard'")
    if "version" not in card:
        errors.append("$.version: required (a string such as '1.5')")

    def build() -> Any:
        from jsonschema import Draft6Validator

        return Draft6Validator(_document("adaptive-card"))

    validator = _cached(("validator", str(_spec_file("adaptive-card"))), build)
    return errors + _format(validator.iter_errors(card))


def validate_teams_envelope(payload: Any) -> list[str]:
    """Validate a Teams Workflows / incoming-webhook message and each Adaptive Card in it.

    Expected shape: ``{"type": "message", "attachments": [{"contentType":
    "application/vnd.microsoft.card.adaptive", "contentUrl": null, "content": {card}}]}``.
    """
    if not isinstance(payload, dict):
        return ["$: the message must be a JSON object"]
    errors = []
    if payload.get("type") != "message":
        errors.append("$.type: must be 'message'")
    attachments = payload.get("attachments")
    if not isinstance(attachments, list) or not attachments:
        errors.append("$.attachments: must be a non-empty array")
        return errors
    for index, attachment in enumerate(attachments):
        where = f"$.attachments[{index}]"
        if not isinstance(attachment, dict):
            errors.append(f"{where}: must be an object")
            continue
        if attachment.get("contentType") != ADAPTIVE_CARD_CONTENT_TYPE:
            errors.append(f"{where}.contentType: must be {ADAPTIVE_CARD_CONTENT_TYPE!r}")
        if attachment.get("contentUrl") is not None:
            errors.append(f"{where}.contentUrl: must be null or absent")
        if "content" not in attachment:
            errors.append(f"{where}.content: required (the Adaptive Card)")
            continue
        card_errors = validate_adaptive_card(attachment["content"])
        errors.extend(f"{where}.content{error[1:]}" for error in card_errors)
    return errors


def _drop_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _drop_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_drop_nulls(item) for item in value]
    return value


def _graph_template(template: str) -> str:
    template = template.removeprefix("/v1.0")
    return re.sub(r"\{([^}]*)\}", lambda match: "{" + match[1].replace("_", "-") + "}", template)


def validate_graph_request(method: str, path_template: str, body: Any) -> list[str]:
    """Validate a Microsoft Graph v1.0 Teams request body.

    ``path_template`` is a Teams.yml path such as ``/teams/{team-id}/channels`` (a ``/v1.0``
    prefix and underscores in parameter names are accepted). Null members are ignored.
    Adaptive Cards sent as chatMessage attachments (``content`` is a JSON string) are
    validated too.
    """
    body = _drop_nulls(body)
    errors = _request_errors(["graph-teams"], method, _graph_template(path_template), body)
    attachments = body.get("attachments") if isinstance(body, dict) else None
    for index, attachment in enumerate(attachments if isinstance(attachments, list) else []):
        if not isinstance(attachment, dict):
            continue
        if attachment.get("contentType") != ADAPTIVE_CARD_CONTENT_TYPE:
            continue
        where = f"$.attachments[{index}].content"
        content = attachment.get("content")
        if not isinstance(content, str):
            continue  # the schema already reports a non-string content
        try:
            card = json.loads(content)
        except ValueError as exc:
            errors.append(f"{where}: not a JSON-serialised Adaptive Card ({exc})")
            continue
        errors.extend(where + error[1:] for error in validate_adaptive_card(card))
    return errors


# --------------------------------------------------------------------------- Statuspage


def validate_statuspage_request(method: str, path_template: str, body: Any) -> list[str]:
    """Validate a Statuspage v1 request body, e.g. ``("POST", "/pages/{page_id}/incidents", …)``.

    A ``/v1`` prefix is accepted. Component statuses (``incident.components`` values and
    ``component.status``) are checked against the five real statuses, which the spec misses.
    """
    template = path_template.removeprefix("/v1")
    errors = _request_errors(["statuspage"], method, template, body)
    if not isinstance(body, dict):
        return errors
    allowed = "|".join(sorted(COMPONENT_STATUSES))
    # The spec's own enum also allows "", so its verdict on component.status is replaced.
    errors = [error for error in errors if not error.startswith("$.component.status:")]
    incident = body.get("incident")
    components = incident.get("components") if isinstance(incident, dict) else None
    if isinstance(components, dict):
        for component_id, status in components.items():
            if status not in COMPONENT_STATUSES:
                where = f"$.incident.components[{component_id!r}]"
                errors.append(f"{where}: {status!r} is not one of {allowed}")
    component = body.get("component")
    status = component.get("status", "operational") if isinstance(component, dict) else None
    if status is not None and status not in COMPONENT_STATUSES:
        errors.append(f"$.component.status: {status!r} is not one of {allowed}")
    return errors


# --------------------------------------------------------------------------- Confluence


def _confluence_v1_template(template: str) -> str:
    for prefix in ("/wiki/rest/api", "/rest/api"):
        if template.startswith(prefix):
            template = template.removeprefix(prefix)
            break
    return "/wiki/rest/api" + template


def _confluence_v2_rules(method: str, template: str, body: dict[str, Any]) -> list[str]:
    """Rules the v2 spec states in prose or loses to its unconstrained body schemas."""
    errors = []
    creating = method.upper() == "POST" and _template_shape(template) == "/pages"
    if creating and body.get("status", "current") != "draft" and not body.get("title"):
        errors.append("$.title: required unless status is 'draft'")
    page_body = body.get("body")
    if not isinstance(page_body, dict):
        return errors
    representations = {"storage", "atlas_doc_format", "wiki"}
    flat = "representation" in page_body or "value" in page_body
    written = {"": page_body} if flat else page_body
    for key, value in written.items():
        where = "$.body" + (f".{key}" if key else "")
        if key and key not in representations:
            errors.append(f"{where}: unknown body format (use one of {sorted(representations)})")
        elif isinstance(value, dict) and value.get("representation") not in representations:
            errors.append(
                f"{where}.representation: {value.get('representation')!r} is not one of "
                f"{sorted(representations)}"
            )
    return errors


def validate_confluence_request(api: str, method: str, path_template: str, body: Any) -> list[str]:
    """Validate a Confluence request body.

    ``api="v2"``: Cloud REST v2 (``/pages``, ``/pages/{id}``; a ``/wiki/api/v2`` prefix is
    accepted); also requires ``title`` for a page that is not a draft, as the spec says in prose.
    ``api="v1"``: the content API (``/content``, ``/content/{id}``, ``/content/{id}/label``,
    with or without ``/wiki/rest/api`` or ``/rest/api``), checked against the 2021 snapshot that
    still documents POST/PUT content, then the current v1 spec.
    """
    if api == "v2":
        template = path_template.removeprefix("/wiki/api/v2")
        errors = _request_errors(["confluence-v2"], method, template, body)
        if isinstance(body, dict):
            errors.extend(_confluence_v2_rules(method, template, body))
        return errors
    if api == "v1":
        template = _confluence_v1_template(path_template)
        return _request_errors(["confluence-v1-2021", "confluence-v1"], method, template, body)
    raise ValueError(f"api must be 'v1' or 'v2', not {api!r}")
