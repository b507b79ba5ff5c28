"""Time in imf: timezone-aware UTC everywhere (re-exported by :mod:`imf.model`)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time, timezone-aware UTC, to the microsecond."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """``value`` converted to UTC; a naive time is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
