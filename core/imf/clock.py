"""Time in imf: timezone-aware UTC everywhere (re-exported by :mod:`imf.model`), and how
spans and times are written in documents (``imf.format_span``, ``imf.format_utc``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta


def utcnow() -> datetime:
    """The current time, timezone-aware UTC, to the microsecond."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """``value`` converted to UTC; a naive time is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def format_span(value: timedelta) -> str:
    """``45m`` / ``1h 05m`` / ``2d 3h``."""
    minutes = max(0, int(value.total_seconds()) // 60)
    days, rem = divmod(minutes, 1440)
    hours, mins = divmod(rem, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {mins:02d}m"
    return f"{mins}m"


def format_utc(value: datetime | None, *, day: date | None = None) -> str:
    """``14:35`` when ``value`` is on ``day``, else ``2026-11-28 14:35`` (UTC)."""
    if value is None:
        return ""
    moment = value.astimezone(UTC)
    if day is not None and moment.date() == day:
        return f"{moment:%H:%M}"
    return f"{moment:%Y-%m-%d %H:%M}"
