"""Markdown escaping: user text renders as the text it is, never as structure.

Titles, summaries, notes and action items are written by people; a title like
``# Done | [x](javascript:...)`` must not become a heading, a table column or a link. Every
character CommonMark gives a meaning inline is backslash-escaped, and the constructs that
only mean something at the start of a line (lists, quotes, headings, setext underlines,
indented code) are neutralised line by line.
"""

from __future__ import annotations

import re

#: Characters that are markup anywhere in a line (CommonMark and GFM tables/strikethrough),
#: each mapped to itself behind a backslash.
_INLINE = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>|~&"})
#: Control characters other than tab, line feed and carriage return: dropped.
_CONTROL = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
#: What a link destination may contain (validated by the core; checked again here).
_SAFE_URL = r"https?://[^\s<>\"'`\\]+"
#: The longest ordered-list number CommonMark accepts, in digits.
_ORDERED_DIGITS = 9


def _marker_cut(line: str) -> int | None:
    """Where a backslash keeps ``line`` from opening a block, or None if it opens none.

    Blocks are opened by an ATX heading (one to six ``#``), a list item (``-`` or ``+``) or an
    ordered item (one to nine digits, then ``.`` or ``)``), the marker followed by whitespace
    or the end of the line. The backslash goes before the marker, or before the ``.``/``)``
    of an ordered item (``1\\.``).
    """
    first = line[:1]
    if first == "#":
        end = len(line) - len(line.lstrip("#"))
        if end > 6:
            return None
        cut = 0
    elif first in ("-", "+"):
        end, cut = 1, 0
    else:
        digits = 0
        while digits < len(line) and digits <= _ORDERED_DIGITS and line[digits].isdecimal():
            digits += 1
        if not 1 <= digits <= _ORDERED_DIGITS or line[digits : digits + 1] not in (".", ")"):
            return None
        end, cut = digits + 1, digits
    if end < len(line) and not line[end].isspace():
        return None
    return cut


def _is_rule(line: str) -> bool:
    """Whether ``line`` is a thematic break or a setext underline: only ``-``, ``=`` and
    whitespace."""
    return bool(line) and not line.replace("-", "").replace("=", "").strip()


def _line(text: str) -> str:
    escaped = text.strip().translate(_INLINE)
    cut = _marker_cut(escaped)
    if cut is not None:
        escaped = f"{escaped[:cut]}\\{escaped[cut:]}"
    elif _is_rule(escaped):
        escaped = "\\" + escaped
    # A heading's closing "#" run would be eaten: keep the last one literal.
    if escaped.endswith("#") and not escaped.endswith("\\#"):
        escaped = escaped[:-1] + "\\#"
    return escaped


def inline(text: str | None) -> str:
    """``text`` on one line (whitespace collapsed), safe inside a paragraph, heading or list
    item."""
    return _line(" ".join((text or "").translate(_CONTROL).split()))


def cell(text: str | None) -> str:
    """``text`` safe inside a table cell (one line, pipes escaped)."""
    return inline(text)


def block(text: str | None) -> str:
    """``text`` as paragraphs: lines kept, blank lines separate paragraphs, each line escaped
    and stripped of the indentation that would make it a code block."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL).split("\n")
    out: list[str] = []
    for raw in lines:
        if raw.strip():
            out.append(_line(raw))
        elif out and out[-1]:
            out.append("")
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def code(text: str) -> str:
    """``text`` as a code span (a fence longer than any backtick run inside it)."""
    flat = " ".join(text.translate(_CONTROL).split())
    fence = "`"
    while fence in flat:  # one longer than the longest run of backticks
        fence += "`"
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def link(label: str, url: str) -> str:
    """``[label](<url>)`` for an http(s) URL; for anything else the label and the address as
    code, so no ``javascript:`` or relative link is ever produced."""
    if re.fullmatch(_SAFE_URL, url or "", re.IGNORECASE):
        return f"[{inline(label)}](<{url}>)"
    if not url or url == label:
        return inline(label)
    return f"{inline(label)}: {code(url)}"
