"""Posting to a Teams channel webhook: Power Automate Workflows or a legacy connector.

Workflows answer 202 with an empty body. A legacy Office 365 connector answers 200 with
``1`` on success, and also 200 when Teams refused the post, with a text such as
``Microsoft Teams endpoint returned HTTP error 429 with ContextId ...``: that is treated as
the error it names. The webhook URL carries a signature, so it is a secret: it never appears
in an error or a log line (errors name "Teams webhook" only).

Posts are paced per webhook URL within Teams' published limits (4 per second, 60 per 30
seconds) by a process-wide :class:`RateLimiter`.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import imf

SERVICE = "Teams webhook"

#: Teams' webhook limits as (posts, seconds).
LIMITS: tuple[tuple[int, float], ...] = ((4, 1.0), (60, 30.0))

#: Statuses that a refused post may be retried after (as for any HTTP answer).
RETRYABLE = frozenset({408, 425, 429, 500, 502, 503, 504})

_ERROR_IN_200 = re.compile(r"Microsoft Teams endpoint returned HTTP error (\d{3})")


class RateLimited(Exception):
    """A post would have to wait longer than allowed; ``wait`` is how long, in seconds."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"wait {wait:.1f} s")
        self.wait = wait


class RateLimiter:
    """Sliding-window limits per key; :meth:`reserve` books the next free slot.

    :param limits: ``(count, seconds)`` pairs that must all hold.
    :param clock: monotonic seconds (tests pass a controllable one).
    :param margin: seconds added to every window, so that posts still keep the limits when
        they reach Teams a little later than they left.
    """

    def __init__(
        self,
        limits: tuple[tuple[int, float], ...] = LIMITS,
        clock: Callable[[], float] = time.monotonic,
        margin: float = 0.1,
    ) -> None:
        self.limits = tuple((count, seconds + margin) for count, seconds in limits)
        self.clock = clock
        self._sent: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def reserve(self, key: str, max_wait: float) -> float:
        """Book a post for ``key``; return the seconds to wait before sending it.

        Raises :class:`RateLimited` instead of booking when the wait would exceed
        ``max_wait``.
        """
        with self._lock:
            now = self.clock()
            sent = self._sent.setdefault(key, deque())
            longest = max(seconds for _, seconds in self.limits)
            while sent and sent[0] <= now - longest:
                sent.popleft()
            # Bookings are kept in time order, so a new one is never before the last.
            at = max(now, sent[-1]) if sent else now
            moved = True
            while moved:
                moved = False
                for count, seconds in self.limits:
                    # A post leaves the window ``seconds`` after it was sent (the epsilon
                    # keeps float rounding from holding it in for ever).
                    within = [t for t in sent if at - t < seconds - 1e-9]
                    if len(within) >= count:
                        later = within[len(within) - count] + seconds
                        if later > at:
                            at, moved = later, True
            wait = at - now
            if wait > max_wait:
                raise RateLimited(wait)
            sent.append(at)
            return wait


LIMITER = RateLimiter()
"""The process-wide limiter shared by every delivery to every webhook."""


def limiter_key(url: str) -> str:
    """The limiter's key for a webhook URL (a digest: the URL itself is a secret)."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def refused_status(body: str) -> int | None:
    """The HTTP status a 200 answer reports as Teams' refusal, if it is one."""
    found = _ERROR_IN_200.search(body)
    return int(found.group(1)) if found else None


def post(
    ctx: imf.PluginContext,
    url: str,
    body: bytes,
    limiter: RateLimiter = LIMITER,
) -> None:
    """POST a JSON message ``body`` (already encoded) to the webhook at ``url``."""
    try:
        wait = limiter.reserve(limiter_key(url), max_wait=max(ctx.timeout / 2, 0.0))
    except RateLimited as exc:
        message = ctx.t("teams.error.rate_limited", seconds=f"{exc.wait:.0f}")
        raise imf.RetryableError(message, retry_after=exc.wait) from None
    if wait > 0:
        time.sleep(wait)
    response: Any = ctx.http.post(
        url,
        content=body,
        headers={"Content-Type": "application/json; charset=utf-8"},
        ok=(200, 202),
        service=SERVICE,
        timeout=ctx.timeout,
    )
    if response.status_code != 200:
        return
    status = refused_status(response.text)
    if status is None:
        return
    excerpt = " ".join(response.text.split())[:200]
    message = ctx.t("teams.error.refused_in_200", status=status, text=excerpt)
    if status in RETRYABLE:
        raise imf.RetryableError(message)
    raise imf.PermanentError(message)
