"""File names and writes: sanitized names inside the output directory, atomic replacement.

A document is named ``{timestamp}_{slug}.md``: the time the incident was declared (UTC) and a
slug of its id and title. Slugs keep Unicode letters and digits (``инцидент`` stays readable),
everything else becomes ``-``; names are bounded in length, never start with a dot, never
contain a path separator, and never are a reserved device name (``CON``, ``NUL``, ``COM1``...).
Writes go to a temporary file in the same directory and are renamed over the target, so a
reader never sees half a document.
"""

from __future__ import annotations

import os
import unicodedata
from datetime import UTC, datetime

#: Device names Windows reserves, with or without an extension.
RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(10)}
    | {f"lpt{i}" for i in range(10)}
    | {"com¹", "com²", "com³", "lpt¹", "lpt²", "lpt³"}
)
#: Longest file name written, in UTF-8 bytes (file systems allow 255).
NAME_LIMIT = 150
#: Longest slug, in characters.
SLUG_LIMIT = 60

#: Control characters and what file systems reserve, each mapped to ``-``.
_UNSAFE = dict.fromkeys([*range(0x00, 0x20), 0x7F, *map(ord, '/\\:*?"<>|')], "-")


def _strip(text: str, chars: str, *, start: bool = True) -> str:
    """``text`` without the whitespace and ``chars`` at its end (and at its start)."""
    while True:
        cut = text.strip().strip(chars) if start else text.rstrip().rstrip(chars)
        if cut == text:
            return text
        text = cut


def slugify(text: str, limit: int = SLUG_LIMIT) -> str:
    """Lower-case Unicode letters and digits joined by ``-`` (``"incident"`` when empty)."""
    normalized = unicodedata.normalize("NFKC", text).casefold()
    chars = [ch if ch.isalnum() else "-" for ch in normalized]
    slug = "-".join(part for part in "".join(chars).split("-") if part)
    return slug[:limit].rstrip("-") or "incident"


def safe_filename(name: str, limit: int = NAME_LIMIT) -> str:
    """``name`` made safe as one file name in one directory (idempotent).

    Path separators, control and reserved characters become ``-``; leading dots and spaces
    are dropped; a reserved device name gets a ``_`` prefix; the stem is shortened so the
    whole name fits ``limit`` UTF-8 bytes, keeping the suffix.
    """
    result = _safe_once(name, limit)
    while True:  # shortening can expose a new suffix: settle on a name that stays as it is
        again = _safe_once(result, limit)
        if again == result:
            return result
        result = again


def _safe_once(name: str, limit: int) -> str:
    cleaned = _strip(unicodedata.normalize("NFC", name).translate(_UNSAFE), ".") or "document"
    cleaned = _strip(cleaned, ".-", start=False) or "document"
    stem, dot, suffix = cleaned.rpartition(".")
    if not dot or not stem or len(suffix) > 10:
        stem, suffix = cleaned, ""
    tail = f".{suffix}" if suffix else ""
    while True:
        stem = _strip(stem, ".-", start=False) or "document"
        if stem.split(".")[0].strip().casefold() in RESERVED:
            stem = f"_{stem}"
        if len((stem + tail).encode("utf-8")) <= limit:
            return stem + tail
        stem = stem[:-1]


def document_name(declared_at: datetime, incident_id: str, title: str, kind: str = "") -> str:
    """``20261128-1435_inc-3-api-errors.md``; ``kind`` makes ``….postmortem.md`` (a slug has
    no dots, so no title can produce another document's name)."""
    stamp = declared_at.astimezone(UTC).strftime("%Y%m%d-%H%M")
    suffix = f".{kind}" if kind else ""
    return safe_filename(f"{stamp}_{slugify(f'{incident_id} {title}')}{suffix}.md")


def inside(folder: str | os.PathLike[str], name: str) -> str:
    """``folder/name``, refusing a name that is not a plain, safe file name there."""
    if name != safe_filename(name):
        raise ValueError(f"unsafe file name {name!r}")
    path = os.path.join(folder, name)
    if os.path.dirname(os.path.realpath(path)) != os.path.realpath(folder):
        raise ValueError(f"{name!r} is outside {os.fspath(folder)}")
    return path


#: Bytes a file URI keeps as they are (``urllib.parse.quote`` with ``safe="/"``).
_URI_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~/")


def file_uri(path: str) -> str:
    """``file:///…`` for absolute ``path``, as ``pathlib.Path.as_uri`` writes it on POSIX
    (percent-encoded UTF-8), without importing pathlib and urllib on every declare."""
    if os.name == "nt":  # drive letters and backslashes: leave it to pathlib
        from pathlib import Path

        return Path(path).as_uri()
    encoded = "".join(chr(b) if b in _URI_SAFE else f"%{b:02X}" for b in os.fsencode(path))
    return "file://" + encoded
