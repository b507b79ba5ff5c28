"""Markdown escaping: user text renders as the text it is, never as structure.

Titles, summaries, notes and action items are written by people; a title like
``# Done | [x](javascript:...)`` must not become a heading, a table column or a link. Every
character CommonMark gives a meaning inline is backslash-escaped, and the constructs that
only mean something at the start of a line (lists, quotes, headings, setext underlines,
indented code) are neutralised line by line.
"""

from __future__ import annotations

import re

#: Characters that are markup anywhere in a line (CommonMark and GFM tables/strikethrough).
_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
#: Line starts that open a block: ATX headings, list items, ordered items (a marker then
#: a space or the end of the line).
_BLOCK_START = re.compile(r"^(?:#{1,6}|[-+]|\d{1,9}[.)])(?=\s|$)")
#: Lines that are thematic breaks or setext underlines.
_RULE = re.compile(r"^[-=\s]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: What a link destination may contain (validated by the core; checked again here).
_SAFE_URL = re.compile(r"https?://[^\s<>\"'`\\]+", re.IGNORECASE)


def _line(text: str) -> str:
    escaped = _INLINE.sub(r"\\\1", text.strip())
    marker = _BLOCK_START.match(escaped)
    if marker:
        cut = marker.end() - 1 if marker.group()[-1] in ".)" else 0
        escaped = f"{escaped[:cut]}\\{escaped[cut:]}"
    elif _RULE.match(escaped):
        escaped = "\\" + escaped
    # A heading's closing "#" run would be eaten: keep the last one literal.
    if escaped.endswith("#") and not escaped.endswith("\\#"):
        escaped = escaped[:-1] + "\\#"
    return escaped


def inline(text: str | None) -> str:
    """``text`` on one line (whitespace collapsed), safe inside a paragraph, heading or list
    item."""
    return _line(" ".join(_CONTROL.sub("", text or "").split()))


def cell(text: str | None) -> str:
    """``text`` safe inside a table cell (one line, pipes escaped)."""
    return inline(text)


def block(text: str | None) -> str:
    """``text`` as paragraphs: lines kept, blank lines separate paragraphs, each line escaped
    and stripped of the indentation that would make it a code block."""
    lines = _CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n")).split("\n")
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
    flat = " ".join(_CONTROL.sub("", text).split())
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def link(label: str, url: str) -> str:
    """``[label](<url>)`` for an http(s) URL; for anything else the label and the address as
    code, so no ``javascript:`` or relative link is ever produced."""
    if _SAFE_URL.fullmatch(url or ""):
        return f"[{inline(label)}](<{url}>)"
    if not url or url == label:
        return inline(label)
    return f"{inline(label)}: {code(url)}"
