"""User text made safe for an Adaptive Card ``TextBlock`` (a CommonMark subset).

Teams renders bold, italic, lists and links from a TextBlock's Markdown, and ``<at>`` tags
as mentions. Text that people typed (titles, summaries, names) must show as typed: every
character that could start markup is escaped with a backslash, which CommonMark turns back
into the character itself. Control characters are dropped; letters of every script, emoji
and right-to-left text are kept.
"""

from __future__ import annotations

import re

#: Characters escaped wherever they occur: emphasis, links, code, HTML/mentions, templates.
ALWAYS = frozenset("\\`*_[]()<>~{}")

#: Characters escaped at the start of a line (after spaces): headings, lists, quotes, rules.
LINE_START = frozenset("#-+=|")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_BREAKS = re.compile(r"\r\n|\r|\u2028|\u2029|\x85")
_ORDERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def clean(text: str, *, multiline: bool = False) -> str:
    """``text`` without control characters (tabs become spaces); line breaks are kept only
    when ``multiline``, otherwise whitespace is collapsed to single spaces."""
    text = _BREAKS.sub("\n", str(text)).replace("\t", " ")
    text = _CONTROL.sub("", text)
    if not multiline:
        return " ".join(text.split())
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def shorten(text: str, limit: int | None) -> str:
    """``text`` cut to at most ``limit`` characters (whole code points), marked with "…"."""
    if limit is None or len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + "…"


def escape(text: str) -> str:
    """Backslash-escape every Markdown-significant character of already cleaned ``text``."""
    out: list[str] = []
    at_line_start = True
    for char in text:
        if char in ALWAYS or (at_line_start and char in LINE_START):
            out.append("\\" + char)
        else:
            out.append(char)
        if char == "\n":
            at_line_start = True
        elif not char.isspace():
            at_line_start = False
    return _ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), "".join(out))


def md(text: str, limit: int | None = None, *, multiline: bool = False) -> str:
    """User ``text`` cleaned, shortened to ``limit`` characters and escaped for a TextBlock."""
    return escape(shorten(clean(text, multiline=multiline), limit))


def plain(text: str, limit: int | None = None) -> str:
    """User ``text`` for a plain-text field (an action title, a channel description)."""
    return shorten(clean(text), limit)


def unescape(text: str) -> str:
    """The inverse of :func:`escape` (what a CommonMark renderer shows)."""
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)
