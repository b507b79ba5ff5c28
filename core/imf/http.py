"""The shared HTTP client of plugins, and the mapping of HTTP failures to delivery errors.

httpx is imported only here, and only when a plugin first delivers something, so commands
that send nothing never pay for it. One client per process: connections are kept alive and
shared by the concurrent deliveries. Redirects are not followed (a webhook that redirects is
misconfigured, and following it could leak a token); every request has explicit timeouts.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from imf.errors import PermanentError, RetryableError

if TYPE_CHECKING:
    import httpx

#: Statuses that mean "try again later": throttling (429, and Statuspage's 420) and 5xx.
RETRYABLE_STATUSES = frozenset({408, 420, 425, 429, 500, 502, 503, 504})

_lock = threading.Lock()
_client: HttpClient | None = None


def shared_client() -> HttpClient:
    """The process-wide :class:`HttpClient`, created on first use."""
    global _client
    with _lock:
        if _client is None:
            _client = HttpClient()
        return _client


def close_shared_client() -> None:
    """Close the shared client (at process exit, or between tests)."""
    global _client
    with _lock:
        if _client is not None:
            _client.close()
            _client = None


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    import email.utils

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def where(url: str) -> str:
    """The host of ``url``: what error messages may name (paths and queries carry secrets)."""
    rest = url.split("://", 1)[-1]
    return rest.split("/", 1)[0].split("?", 1)[0].rsplit("@", 1)[-1]


def describe_body(response: httpx.Response, limit: int = 300) -> str:
    """A short, single-line excerpt of a response body for error messages."""
    text = " ".join(response.text.split())
    return text[:limit] + ("…" if len(text) > limit else "")


def raise_for_response(
    response: httpx.Response, *, ok: Iterable[int] = (200, 201, 202, 204), service: str = ""
) -> httpx.Response:
    """Return ``response`` if its status is in ``ok``; else raise the matching delivery error.

    429, 420, 408 and 5xx raise :class:`RetryableError` with ``Retry-After`` honoured; any
    other status raises :class:`PermanentError`. Messages name the service or host, the
    status and an excerpt of the body, never the URL's path or query.
    """
    if response.status_code in set(ok):
        return response
    label = service or where(str(response.request.url))
    message = f"{label}: HTTP {response.status_code}: {describe_body(response)}".rstrip(": ")
    if response.status_code in RETRYABLE_STATUSES or response.status_code >= 500:
        raise RetryableError(message, parse_retry_after(response.headers.get("retry-after")))
    raise PermanentError(message)


class HttpClient:
    """A thin wrapper over ``httpx.Client`` that raises imf's delivery errors.

    :param timeout: seconds for connect, read, write and pool waits.
    """

    def __init__(self, timeout: float = 10.0, max_connections: int = 32) -> None:
        import httpx

        self._httpx = httpx
        self.client = httpx.Client(
            follow_redirects=False,
            timeout=httpx.Timeout(timeout),
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
            headers={"User-Agent": "imf"},
        )

    def request(
        self,
        method: str,
        url: str,
        *,
        ok: Iterable[int] = (200, 201, 202, 204),
        service: str = "",
        timeout: float | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """Send a request; return the response if its status is in ``ok``.

        Timeouts and connection failures raise :class:`RetryableError`; other statuses as in
        :func:`raise_for_response`. ``kwargs`` go to ``httpx.Client.request`` (``json``,
        ``headers``, ``params``, ``data``, ``auth``...).
        """
        httpx = self._httpx
        label = service or where(url)
        if timeout is not None:
            kwargs["timeout"] = httpx.Timeout(timeout)
        try:
            response = self.client.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            raise RetryableError(f"{label}: timed out ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            raise RetryableError(f"{label}: connection failed ({type(exc).__name__})") from None
        return raise_for_response(response, ok=ok, service=label)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        """``request("GET", ...)``."""
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        """``request("POST", ...)``."""
        return self.request("POST", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> httpx.Response:
        """``request("PUT", ...)``."""
        return self.request("PUT", url, **kwargs)

    def patch(self, url: str, **kwargs: Any) -> httpx.Response:
        """``request("PATCH", ...)``."""
        return self.request("PATCH", url, **kwargs)

    def close(self) -> None:
        """Close pooled connections."""
        self.client.close()


def json_or_empty(response: httpx.Response) -> Mapping[str, Any]:
    """The response's JSON object, or ``{}`` when the body is empty or not an object."""
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, Mapping) else {}
