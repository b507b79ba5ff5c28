"""Microsoft Teams fakes: the channel webhook (Workflows or legacy connector) and Graph."""

from __future__ import annotations

import itertools
import json
import re
import time
import uuid
from collections import deque
from typing import Any, Literal
from urllib.parse import parse_qsl, quote

from imf.testing import specs
from imf.testing.fakes.base import Check, FakeServer, Recorded, Response, utc_timestamp

MAX_PAYLOAD_BYTES = 28 * 1024
"""Teams' message size limit for webhook posts."""

RATE_LIMITS = ((4, 1.0), (60, 30.0))
"""Webhook rate limits as (requests, seconds): more in any such window is throttled."""

GRAPH_SCOPE = "https://graph.microsoft.com/.default"
"""The scope a client-credentials token request must ask for."""

CHANNEL_NAME_MAX = 50
"""Maximum length of a channel ``displayName``."""

_CHANNEL_NAME_FORBIDDEN = re.compile(r"[~#%&*{}+/\\:<>?|'\",]|\.\.")
_FILTER_DISPLAY_NAME = re.compile(r"^\s*displayName\s+eq\s+'((?:[^']|'')*)'\s*$")


def connector_error_text(status: int) -> str:
    """The text a legacy connector webhook answers with HTTP 200 when Teams refused a post."""
    server = "msgapi-production-eus-azsc2-4-170"
    return (
        f"Microsoft Teams endpoint returned HTTP error {status} with ContextId "
        f"tcid=0,server={server},cv={uuid.uuid4().hex[:22]}.0."
    )


class TeamsWebhookFake(FakeServer):
    """Imitates a Teams channel webhook, in one of two flavours.

    ``flavour="workflows"`` (Power Automate "post to a channel when a webhook request is
    received"): answers 202 with an empty body, 413 above 28 KB, 429 when throttled; an
    unusable envelope is still accepted (the flow run fails later) but shows in
    :attr:`spec_errors`. URL: :attr:`webhook_url`, ``/workflows/{id}/triggers/manual/paths/
    invoke?...&sig=...`` (a missing ``sig`` is refused with 401).

    ``flavour="connector"`` (legacy Office 365 connector): answers 200 with body ``1``;
    refusals come as HTTP 200 with the text ``Microsoft Teams endpoint returned HTTP error
    <status> with ContextId ...`` (413 above 28 KB, 429 when throttled, 400 for an unusable
    envelope). Queue such answers with :meth:`connector_error_next`.

    Accepted Adaptive Cards are recorded in :attr:`cards`. With ``enforce_rate_limit=True``
    more than 4 posts in any second, or 60 in 30 seconds, are throttled.
    """

    def __init__(
        self,
        flavour: Literal["workflows", "connector"] = "workflows",
        *,
        enforce_rate_limit: bool = False,
        validate: bool = True,
    ) -> None:
        if flavour not in {"workflows", "connector"}:
            raise ValueError(f"flavour must be 'workflows' or 'connector', not {flavour!r}")
        super().__init__(validate=validate)
        self.flavour = flavour
        self.enforce_rate_limit = enforce_rate_limit
        self.cards: list[dict[str, Any]] = []
        self._accepted_at: deque[float] = deque()
        if flavour == "workflows":
            template = "/workflows/{workflow_id}/triggers/manual/paths/invoke"
            self.route("POST", template, self._post, self._check_envelope)
        else:
            template = "/webhookb2/{group}/IncomingWebhook/{connector}/{owner}"
            self.route("POST", template, self._post, self._check_envelope)
            self.route("POST", template + "/{token}", self._post, self._check_envelope)

    @property
    def webhook_url(self) -> str:
        """A webhook URL of this fake, shaped like the real ones of the flavour."""
        if self.flavour == "workflows":
            return (
                f"{self.url}/workflows/0c1f3e6ad6b64fd7a1c7e1a6c1d2b3f4/triggers/manual/paths/"
                "invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=imf-fake"
            )
        return (
            f"{self.url}/webhookb2/0b7c8a52-imf-group@9f3e-imf-tenant/IncomingWebhook/"
            "5a0d1c3e9b2f4d6e8a7c/1e2d3c4b-imf-owner"
        )

    def connector_error_next(self, n: int = 1, status: int = 429) -> None:
        """Answer the next ``n`` posts with HTTP 200 and the connector's error text."""
        self.error_in_200_next(n, connector_error_text(status))

    def clear(self) -> None:
        """Forget recorded requests, errors and cards."""
        with self._lock:
            super().clear()
            self.cards.clear()

    def _post(self, request: Recorded, params: dict[str, str]) -> Response:
        if self.flavour == "workflows" and "sig" not in request.query:
            message = "The request must be authenticated only by Shared Access scheme."
            return _workflow_error(401, "DirectApiAuthorizationRequired", message)
        if len(request.body) > MAX_PAYLOAD_BYTES:
            return self._refuse(413, "RequestEntityTooLarge", "The message is larger than 28 KB.")
        if request.json is None:
            if self.flavour == "connector":
                return Response.text(400, "Bad payload received by generic incoming webhook.")
            message = "The request content is not valid JSON and could not be deserialized."
            return _workflow_error(400, "InvalidRequestContent", message)
        if self.enforce_rate_limit and self._over_rate_limit():
            return self._refuse(429, "WorkflowRequestsThrottled", "Rate limit is exceeded.")
        cards = _cards_in(request.json)
        if cards is None and self.flavour == "connector":
            return Response.text(200, connector_error_text(400))
        if self.enforce_rate_limit:
            self._accepted_at.append(time.monotonic())
        self.cards.extend(cards or [])
        if self.flavour == "connector":
            return Response.text(200, "1")
        return Response(202)

    def _over_rate_limit(self) -> bool:
        now = time.monotonic()
        longest = max(seconds for _, seconds in RATE_LIMITS)
        while self._accepted_at and self._accepted_at[0] <= now - longest:
            self._accepted_at.popleft()
        return any(
            sum(1 for at in self._accepted_at if at > now - seconds) >= limit
            for limit, seconds in RATE_LIMITS
        )

    def _refuse(self, status: int, code: str, message: str) -> Response:
        if self.flavour == "connector":
            return Response.text(200, connector_error_text(status))
        return _workflow_error(status, code, message)

    def _check_envelope(self, request: Recorded, params: dict[str, str]) -> list[str]:
        return specs.validate_teams_envelope(request.json) if request.json is not None else []

    def _error_response(self, request: Recorded, status: int, message: str) -> Response:
        if self.flavour == "connector":
            return Response.text(status, message)
        return _workflow_error(status, "ServiceError", message)

    def _throttle_response(self, request: Recorded, status: int) -> Response:
        return self._error_response(request, status, "Rate limit is exceeded.")

    def _error_in_200_response(self, request: Recorded) -> Response:
        return Response.text(200, connector_error_text(429))

    def _load_specs(self) -> None:
        specs.validate_adaptive_card({"type": "AdaptiveCard", "version": "1.5"})


def _cards_in(payload: Any) -> list[dict[str, Any]] | None:
    """The Adaptive Cards of a message envelope, or None when Teams could not post it."""
    if not isinstance(payload, dict) or payload.get("type") != "message":
        return None
    attachments = payload.get("attachments")
    if not isinstance(attachments, list):
        return None
    cards = [
        attachment["content"]
        for attachment in attachments
        if isinstance(attachment, dict)
        and attachment.get("contentType") == specs.ADAPTIVE_CARD_CONTENT_TYPE
        and isinstance(attachment.get("content"), dict)
    ]
    return cards or None


def _workflow_error(status: int, code: str, message: str) -> Response:
    return Response.json(status, {"error": {"code": code, "message": message}})


class GraphFake(FakeServer):
    """Imitates the Microsoft identity platform token endpoint and Graph v1.0 Teams channels.

    * ``POST /{tenant}/oauth2/v2.0/token`` — client credentials (form ``grant_type``,
      ``client_id``, ``client_secret``, ``scope=https://graph.microsoft.com/.default``) give
      ``{"token_type": "Bearer", "expires_in": 3599, "access_token": ...}``; a wrong secret
      gives 401 ``invalid_client`` (AADSTS7000215), other mistakes 400 with AADSTS codes.
    * ``POST /v1.0/teams/{team}/channels`` — 201 channel; 400 ``BadRequest`` for a missing,
      over-long (> 50) or invalid ``displayName``, 400 ``NameAlreadyExists`` for a duplicate.
    * ``GET /v1.0/teams/{team}/channels`` (``$filter=displayName eq '...'``) and
      ``GET /v1.0/teams/{team}/channels/{channel}``.
    * ``POST /v1.0/teams/{team}/channels/{channel}/messages`` — 201 chatMessage; 404 for an
      unknown channel; 400 when an attachment is not referenced by ``<attachment id="...">``
      in the body or an Adaptive Card ``content`` is not a JSON string.

    Graph calls need ``Authorization: Bearer <token issued here>`` (401 otherwise). Teams are
    created on first use unless ``team_ids`` restricts them (404 for others); each team has a
    General channel. Recorded: :attr:`channels` (created), :attr:`messages`, :attr:`cards`.
    """

    def __init__(
        self,
        *,
        tenant_id: str = "imf-tenant",
        client_id: str = "imf-client-id",
        client_secret: str = "imf-client-secret",
        team_ids: tuple[str, ...] | None = None,
        validate: bool = True,
    ) -> None:
        super().__init__(validate=validate)
        self.tenant_id = tenant_id
        self.client_id = client_id
        self.client_secret = client_secret
        self.team_ids = team_ids
        self.tokens_issued = 0
        self.messages: list[dict[str, Any]] = []
        self._tokens: set[str] = set()
        self._teams: dict[str, dict[str, dict[str, Any]]] = {}
        self._created: list[dict[str, Any]] = []
        self._message_ids = itertools.count(int(time.time() * 1000))
        self.route("POST", "/{tenant}/oauth2/v2.0/token", self._token)
        channels = "/v1.0/teams/{team_id}/channels"
        check_channel = self._spec_check("/teams/{team-id}/channels")
        check_message = self._spec_check("/teams/{team-id}/channels/{channel-id}/messages")
        self.route("POST", channels, self._create_channel, check_channel)
        self.route("GET", channels, self._list_channels)
        self.route("GET", channels + "/{channel_id}", self._get_channel)
        self.route("POST", channels + "/{channel_id}/messages", self._post, check_message)

    # ------------------------------------------------------------------ state

    @property
    def token_url(self) -> str:
        """The token endpoint URL for this fake's tenant."""
        return f"{self.url}/{self.tenant_id}/oauth2/v2.0/token"

    @property
    def graph_url(self) -> str:
        """The Graph base URL, like ``https://graph.microsoft.com/v1.0``."""
        return f"{self.url}/v1.0"

    @property
    def channels(self) -> list[dict[str, Any]]:
        """Channels created through the API, oldest first."""
        with self._lock:
            return list(self._created)

    @property
    def cards(self) -> list[dict[str, Any]]:
        """Adaptive Cards posted as message attachments, oldest first."""
        with self._lock:
            return [
                json.loads(attachment["content"])
                for message in self.messages
                for attachment in message["attachments"]
                if attachment.get("contentType") == specs.ADAPTIVE_CARD_CONTENT_TYPE
            ]

    def channels_in(self, team_id: str) -> list[dict[str, Any]]:
        """Every channel of ``team_id``, General first."""
        with self._lock:
            return list(self._teams.get(team_id, {}).values())

    def expire_tokens(self) -> None:
        """Invalidate every access token issued so far (clients must fetch a new one)."""
        with self._lock:
            self._tokens.clear()

    # ------------------------------------------------------------------ identity platform

    def _token(self, request: Recorded, params: dict[str, str]) -> Response:
        form = dict(parse_qsl(request.body.decode("utf-8", "replace")))
        if params["tenant"] != self.tenant_id:
            return _aad_error(
                400, "invalid_request", 90002, f"Tenant '{params['tenant']}' not found."
            )
        if form.get("grant_type") != "client_credentials":
            message = "The app requested an unsupported grant type."
            return _aad_error(400, "unsupported_grant_type", 70003, message)
        if form.get("client_id") != self.client_id:
            message = (
                f"Application with identifier '{form.get('client_id')}' was not found in the "
                f"directory '{self.tenant_id}'."
            )
            return _aad_error(400, "unauthorized_client", 700016, message)
        if form.get("client_secret") != self.client_secret:
            message = (
                f"Invalid client secret provided. Ensure the secret being sent in the request "
                f"is the client secret value, not the client secret ID, for a secret added to "
                f"app '{self.client_id}'."
            )
            return _aad_error(401, "invalid_client", 7000215, message)
        if form.get("scope") != GRAPH_SCOPE:
            message = (
                f"The provided value for scope {form.get('scope')} is not valid. Client "
                "credential flows must have a scope value with /.default suffixed to the "
                "resource identifier (application ID URI)."
            )
            return _aad_error(400, "invalid_scope", 1002012, message)
        token = f"imf-graph-token-{uuid.uuid4().hex}"
        self._tokens.add(token)
        self.tokens_issued += 1
        body = {
            "token_type": "Bearer",
            "expires_in": 3599,
            "ext_expires_in": 3599,
            "access_token": token,
        }
        return Response.json(200, body)

    # ------------------------------------------------------------------ Graph

    def _denied(self, request: Recorded, team_id: str) -> Response | None:
        authorization = request.headers.get("authorization", "")
        if not authorization.startswith("Bearer "):
            return _graph_error(
                request, 401, "InvalidAuthenticationToken", "Access token is empty."
            )
        if authorization.removeprefix("Bearer ").strip() not in self._tokens:
            message = "Access token validation failure. Invalid audience or expired token."
            return _graph_error(request, 401, "InvalidAuthenticationToken", message)
        if self.team_ids is not None and team_id not in self.team_ids:
            message = f"No team found with Group Id {team_id}"
            return _graph_error(request, 404, "NotFound", message)
        return None

    def _team(self, team_id: str) -> dict[str, dict[str, Any]]:
        team = self._teams.get(team_id)
        if team is None:
            general = self._channel(team_id, "General", "The team's default channel", "standard")
            team = self._teams[team_id] = {general["id"]: general}
        return team

    def _channel(
        self, team_id: str, name: str, description: str | None, membership: str
    ) -> dict[str, Any]:
        channel_id = f"19:{uuid.uuid4().hex}@thread.tacv2"
        web_url = (
            f"https://teams.microsoft.com/l/channel/{quote(channel_id, safe='')}/"
            f"{quote(name, safe='')}?groupId={team_id}&tenantId={self.tenant_id}"
        )
        return {
            "id": channel_id,
            "createdDateTime": utc_timestamp(milliseconds=True),
            "displayName": name,
            "description": description,
            "isFavoriteByDefault": None,
            "email": "",
            "tenantId": self.tenant_id,
            "webUrl": web_url,
            "membershipType": membership,
        }

    def _create_channel(self, request: Recorded, params: dict[str, str]) -> Response:
        team_id = params["team_id"]
        denied = self._denied(request, team_id)
        if denied is not None:
            return denied
        body = request.json if isinstance(request.json, dict) else {}
        problem = _channel_name_problem(body.get("displayName"))
        if problem is not None:
            return _graph_error(request, 400, "BadRequest", problem)
        name = str(body["displayName"])
        membership = body.get("membershipType") or "standard"
        if membership not in {"standard", "private", "shared"}:
            message = f"Invalid membershipType '{membership}'."
            return _graph_error(request, 400, "BadRequest", message)
        team = self._team(team_id)
        if any(channel["displayName"].lower() == name.lower() for channel in team.values()):
            message = "Channel name already existed, please use other name."
            return _graph_error(request, 400, "NameAlreadyExists", message)
        channel = self._channel(team_id, name, body.get("description"), membership)
        team[channel["id"]] = channel
        self._created.append(channel)
        context = f"{self.graph_url}/$metadata#teams('{team_id}')/channels/$entity"
        return Response.json(201, {"@odata.context": context, **channel})

    def _list_channels(self, request: Recorded, params: dict[str, str]) -> Response:
        team_id = params["team_id"]
        denied = self._denied(request, team_id)
        if denied is not None:
            return denied
        channels = list(self._team(team_id).values())
        clause = request.query.get("$filter")
        if clause is not None:
            found = _FILTER_DISPLAY_NAME.match(clause)
            if found is None:
                message = f"Invalid filter clause: {clause}"
                return _graph_error(request, 400, "BadRequest", message)
            wanted = found[1].replace("''", "'")
            channels = [channel for channel in channels if channel["displayName"] == wanted]
        context = f"{self.graph_url}/$metadata#teams('{team_id}')/channels"
        return Response.json(200, {"@odata.context": context, "value": channels})

    def _get_channel(self, request: Recorded, params: dict[str, str]) -> Response:
        team_id = params["team_id"]
        denied = self._denied(request, team_id)
        if denied is not None:
            return denied
        channel = self._team(team_id).get(params["channel_id"])
        if channel is None:
            return _graph_error(request, 404, "NotFound", "Channel not found.")
        return Response.json(200, channel)

    def _post(self, request: Recorded, params: dict[str, str]) -> Response:
        team_id, channel_id = params["team_id"], params["channel_id"]
        denied = self._denied(request, team_id)
        if denied is not None:
            return denied
        if channel_id not in self._team(team_id):
            return _graph_error(request, 404, "NotFound", f"Channel {channel_id} not found.")
        body = request.json if isinstance(request.json, dict) else {}
        problem = _message_problem(body)
        if problem is not None:
            return _graph_error(request, 400, "BadRequest", problem)
        message_id = str(next(self._message_ids))
        now = utc_timestamp(milliseconds=True)
        message = {
            "id": message_id,
            "replyToId": None,
            "etag": message_id,
            "messageType": "message",
            "createdDateTime": now,
            "lastModifiedDateTime": now,
            "lastEditedDateTime": None,
            "deletedDateTime": None,
            "subject": body.get("subject"),
            "summary": body.get("summary"),
            "chatId": None,
            "importance": body.get("importance", "normal"),
            "locale": "en-us",
            "webUrl": (
                f"https://teams.microsoft.com/l/message/{quote(channel_id, safe='')}/"
                f"{message_id}?groupId={team_id}&tenantId={self.tenant_id}"
            ),
            "from": {
                "application": {"id": self.client_id, "displayName": "imf"},
                "device": None,
                "user": None,
            },
            "body": {"contentType": "text", **body["body"]},
            "channelIdentity": {"teamId": team_id, "channelId": channel_id},
            "attachments": body.get("attachments", []),
            "mentions": body.get("mentions", []),
            "reactions": [],
        }
        self.messages.append(message)
        context = (
            f"{self.graph_url}/$metadata#teams('{team_id}')/channels('{channel_id}')/"
            "messages/$entity"
        )
        return Response.json(201, {"@odata.context": context, **message})

    def _spec_check(self, template: str) -> Check:
        def check(request: Recorded, params: dict[str, str]) -> list[str]:
            return specs.validate_graph_request(request.method, template, request.json)

        return check

    def _error_response(self, request: Recorded, status: int, message: str) -> Response:
        codes = {404: "NotFound", 405: "BadRequest", 429: "TooManyRequests"}
        return _graph_error(request, status, codes.get(status, "generalException"), message)

    def _load_specs(self) -> None:
        specs.validate_graph_request("POST", "/teams/{team-id}/channels", {})
        specs.validate_graph_request("POST", "/teams/{team-id}/channels/{channel-id}/messages", {})


def _channel_name_problem(name: Any) -> str | None:
    if not isinstance(name, str) or not name.strip():
        return "displayName is required."
    if len(name) > CHANNEL_NAME_MAX:
        return f"Channel name length must not exceed {CHANNEL_NAME_MAX} characters."
    if _CHANNEL_NAME_FORBIDDEN.search(name) or name[0] in "_." or name.endswith("."):
        return "Channel name contains invalid characters."
    return None


def _message_problem(body: dict[str, Any]) -> str | None:
    item = body.get("body")
    if not isinstance(item, dict) or not isinstance(item.get("content"), str):
        return "Message body content is required."
    attachments = body.get("attachments", [])
    if not isinstance(attachments, list):
        return "attachments must be an array."
    for attachment in attachments:
        if not isinstance(attachment, dict):
            return "Each attachment must be an object."
        content = attachment.get("content")
        if content is not None and not isinstance(content, str):
            return "Attachment content must be a string (a JSON-serialised card)."
        reference = rf"<attachment\s+id=[\"']{re.escape(str(attachment.get('id')))}[\"']"
        if re.search(reference, item["content"]) is None:
            return f"Attachment {attachment.get('id')!r} is not referenced in the message body."
    return None


def _graph_error(request: Recorded, status: int, code: str, message: str) -> Response:
    inner = {
        "date": utc_timestamp(),
        "request-id": str(uuid.uuid4()),
        "client-request-id": request.headers.get("client-request-id", str(uuid.uuid4())),
    }
    return Response.json(status, {"error": {"code": code, "message": message, "innerError": inner}})


def _aad_error(status: int, error: str, code: int, description: str) -> Response:
    trace = str(uuid.uuid4())
    body = {
        "error": error,
        "error_description": f"AADSTS{code}: {description} Trace ID: {trace}",
        "error_codes": [code],
        "timestamp": utc_timestamp().replace("T", " "),
        "trace_id": trace,
        "correlation_id": str(uuid.uuid4()),
    }
    return Response.json(status, body)
