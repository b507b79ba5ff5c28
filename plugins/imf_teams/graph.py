"""Microsoft Graph: the war room channel of an incident and the cards posted in it.

The app signs in with the OAuth 2.0 client-credentials grant at ``token_url``; the token is
cached per app until shortly before it expires, and fetched again once when Graph answers
401. A war room is a standard channel named ``incident-<id>`` (at most 50 characters). It is
looked up by display name before it is created, so a retried declare finds the channel an
earlier attempt created instead of creating a second one.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import imf
from imf_teams.config import WarRoomConfig

SERVICE = "Microsoft Graph"
TOKEN_SERVICE = "Microsoft identity platform"

#: The scope of a client-credentials token for Graph.
SCOPE = "https://graph.microsoft.com/.default"

#: Maximum length of a channel display name.
CHANNEL_NAME_MAX = 50

#: Longest channel description Graph accepts.
DESCRIPTION_MAX = 1024

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"

# Characters Teams refuses in channel names.
_FORBIDDEN = re.compile(r"[~#%&*{}+/\\:<>?|'\",\x00-\x1f]")

_tokens: dict[str, tuple[str, float]] = {}
_tokens_lock = threading.Lock()


def _valid_name(name: str) -> str:
    name = _FORBIDDEN.sub("-", name)
    while ".." in name:
        name = name.replace("..", ".")
    return name.strip().lstrip("_.").rstrip(". ")


def channel_name(room: WarRoomConfig, incident_id: str) -> str:
    """The war room's display name: the template filled in and made valid.

    The incident id must survive whole (two incidents must never share a channel), so a
    template that drops it or makes the name longer than 50 characters falls back to
    ``incident-<id>``.
    """
    name = _valid_name(room.channel_name.replace("{id}", incident_id))
    if len(name) > CHANNEL_NAME_MAX or _valid_name(incident_id) not in name:
        name = _valid_name(f"incident-{incident_id}")
    return name[:CHANNEL_NAME_MAX]


class GraphClient:
    """Graph calls for one war room configuration, through the shared HTTP client.

    :param ctx: the plugin context (its ``http`` and ``timeout`` are used).
    :param room: the war room configuration.
    :param clock: monotonic seconds, for token expiry.
    """

    def __init__(
        self,
        ctx: imf.PluginContext,
        room: WarRoomConfig,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ctx = ctx
        self.room = room
        self.clock = clock
        self.base = room.graph_url.rstrip("/")
        self.team = quote(room.team_id, safe="")

    # --- token ------------------------------------------------------------------------------

    def _cache_key(self) -> str:
        room = self.room
        parts = (room.token_url, room.tenant, room.client_id, room.client_secret.reveal())
        return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()

    def token(self, *, fresh: bool = False) -> str:
        """An access token for Graph (cached until a minute before it expires)."""
        key = self._cache_key()
        with _tokens_lock:
            cached = _tokens.get(key)
            if cached is not None and not fresh and cached[1] > self.clock():
                return cached[0]
        room = self.room
        response = self.ctx.http.post(
            room.token_url.replace("{tenant}", quote(room.tenant, safe="")),
            data={
                "grant_type": "client_credentials",
                "client_id": room.client_id,
                "client_secret": room.client_secret.reveal(),
                "scope": SCOPE,
            },
            ok=(200,),
            service=TOKEN_SERVICE,
            timeout=self.ctx.timeout,
        )
        try:
            answer = response.json()
            token = str(answer["access_token"])
            lifetime = float(answer.get("expires_in", 3599))
        except (ValueError, KeyError, TypeError):
            raise imf.RetryableError(self.ctx.t("teams.error.no_token")) from None
        with _tokens_lock:
            _tokens[key] = (token, self.clock() + max(lifetime - 60, 0))
        return token

    # --- requests ---------------------------------------------------------------------------

    def _send(self, method: str, path: str, token: str, ok: tuple[int, ...], **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        headers.update(kwargs.pop("headers", {}))
        return self.ctx.http.request(
            method,
            self.base + path,
            headers=headers,
            ok=ok,
            service=SERVICE,
            timeout=self.ctx.timeout,
            **kwargs,
        )

    def request(self, method: str, path: str, ok: tuple[int, ...], **kwargs: Any) -> Any:
        """A Graph request with a bearer token; one fresh token is tried on 401."""
        response = self._send(method, path, self.token(), (*ok, 401), **dict(kwargs))
        if response.status_code == 401 and 401 not in ok:
            response = self._send(method, path, self.token(fresh=True), ok, **dict(kwargs))
        return response

    def find_channel(self, name: str) -> dict[str, Any] | None:
        """The team's channel called ``name``, if it exists."""
        quoted = name.replace("'", "''")
        response = self.request(
            "GET",
            f"/teams/{self.team}/channels",
            ok=(200,),
            params={"$filter": f"displayName eq '{quoted}'"},
        )
        try:
            channels = response.json().get("value") or []
        except (ValueError, AttributeError):
            channels = []
        for channel in channels:
            if isinstance(channel, dict) and str(channel.get("displayName", "")).casefold() == (
                name.casefold()
            ):
                return channel
        return None

    def ensure_channel(self, name: str, description: str) -> dict[str, Any]:
        """The channel called ``name``: found, or created as a standard channel."""
        found = self.find_channel(name)
        if found is not None:
            return found
        body = {
            "displayName": name,
            "description": description[:DESCRIPTION_MAX],
            "membershipType": "standard",
        }
        response = self.request("POST", f"/teams/{self.team}/channels", ok=(201, 400), json=body)
        if response.status_code == 201:
            created: dict[str, Any] = response.json()
            return created
        if _error_code(response) == "NameAlreadyExists":
            # Created meanwhile (by a concurrent attempt): use that one.
            found = self.find_channel(name)
            if found is not None:
                return found
        message = self.ctx.t("teams.error.channel_refused", name=name, text=_excerpt(response))
        raise imf.PermanentError(message)

    def post_card(self, channel_id: str, card: dict[str, Any], attachment_id: str) -> None:
        """Post ``card`` as a message in the team's channel ``channel_id``."""
        body = message_body(card, attachment_id)
        self.request(
            "POST",
            f"/teams/{self.team}/channels/{quote(channel_id, safe='')}/messages",
            ok=(201,),
            content=json.dumps(body, ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json; charset=utf-8"},
        )


def message_body(card: dict[str, Any], attachment_id: str) -> dict[str, Any]:
    """A chatMessage carrying ``card`` (the body references the attachment, as Graph needs)."""
    return {
        "body": {
            "contentType": "html",
            "content": f'<attachment id="{attachment_id}"></attachment>',
        },
        "attachments": [
            {
                "id": attachment_id,
                "contentType": CARD_CONTENT_TYPE,
                "contentUrl": None,
                "content": json.dumps(card, ensure_ascii=False),
            }
        ],
    }


def attachment_id(incident_id: str, event_seq: int) -> str:
    """A stable attachment id for the card of one event."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"imf:{incident_id}:{event_seq}").hex


def _excerpt(response: Any, limit: int = 300) -> str:
    text = " ".join(str(response.text).split())
    return text[:limit] + ("…" if len(text) > limit else "")


def _error_code(response: Any) -> str:
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        return ""
    return str(error.get("code", "")) if isinstance(error, dict) else ""
