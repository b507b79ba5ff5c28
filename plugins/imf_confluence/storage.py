"""Confluence storage format: escaped XHTML with ``ac:`` macros, checked before it is sent.

Everything people wrote goes through :func:`text` (or :func:`cdata` inside code macros), so
``<script>``, ``&nbsp;``, ``]]>`` or a literal ``<ac:structured-macro>`` in a title arrives on
the page as the characters typed. Characters XML cannot carry at all (most control
characters, unpaired surrogates) are dropped. :func:`check` parses the finished body the way
Confluence does — inside an element declaring the ``ac`` and ``ri`` namespaces — and a body
that is not well-formed is never sent.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

NAMESPACES = {
    "ac": "http://atlassian.com/content",
    "ri": "http://atlassian.com/resource/identifier",
}

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SAFE_URL = re.compile(r"https?://[^\s<>\"'`\\]+", re.IGNORECASE)
_LANGUAGE = re.compile(r"[a-z0-9+#-]{1,20}")
_FENCE = re.compile(r"^```([^\n`]*)\n(.*?)\n?```[ \t]*$", re.MULTILINE | re.DOTALL)


class MalformedStorage(ValueError):
    """The storage body is not well-formed XML (a bug: it is never sent)."""


def clean(value: str | None) -> str:
    """``value`` without the characters XML 1.0 cannot represent, line ends as ``\\n`` (an
    XML parser turns a carriage return into a line feed anyway)."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("", text)


def text(value: str | None) -> str:
    """``value`` escaped as element text."""
    return clean(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(value: str | None) -> str:
    """``value`` escaped for a double-quoted attribute."""
    return text(value).replace('"', "&quot;")


def cdata(value: str | None) -> str:
    """``value`` as CDATA, split wherever it contains ``]]>``."""
    return "<![CDATA[" + clean(value).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def macro(name: str, params: dict[str, str] | None = None, body: str | None = None) -> str:
    """An ``ac:structured-macro`` with escaped parameters and a rich-text body."""
    inner = "".join(
        f'<ac:parameter ac:name="{attr(k)}">{text(v)}</ac:parameter>'
        for k, v in (params or {}).items()
    )
    if body is not None:
        inner += f"<ac:rich-text-body>{body}</ac:rich-text-body>"
    opening = f'<ac:structured-macro ac:name="{attr(name)}" ac:schema-version="1">'
    return f"{opening}{inner}</ac:structured-macro>"


def status(title: str, colour: str) -> str:
    """A status lozenge (``colour``: Grey, Red, Yellow, Green, Blue, Purple)."""
    return macro("status", {"colour": colour, "title": title})


def code(body: str, language: str = "") -> str:
    """A code macro; ``body`` goes into CDATA unescaped."""
    params = f'<ac:parameter ac:name="language">{language}</ac:parameter>' if language else ""
    return (
        f'<ac:structured-macro ac:name="code" ac:schema-version="1">{params}'
        f"<ac:plain-text-body>{cdata(body)}</ac:plain-text-body></ac:structured-macro>"
    )


def link(label: str, url: str) -> str:
    """``<a href>`` for an http(s) URL, plain escaped text otherwise."""
    if _SAFE_URL.fullmatch(url or ""):
        return f'<a href="{attr(url)}">{text(label)}</a>'
    return text(label)


def paragraphs(value: str | None) -> str:
    """Paragraphs from text: blank lines separate them, line breaks are kept, and fenced
    code blocks (three backticks, an optional language) become code macros."""
    source = clean(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    out: list[str] = []
    position = 0
    for match in _FENCE.finditer(source):
        out += _plain(source[position : match.start()])
        language = match.group(1).strip().lower()
        out.append(code(match.group(2), language if _LANGUAGE.fullmatch(language) else ""))
        position = match.end()
    out += _plain(source[position:])
    return "".join(out)


def _plain(chunk: str) -> list[str]:
    blocks = [b for b in re.split(r"\n\s*\n", chunk) if b.strip()]
    return [
        "<p>" + "<br />".join(text(line.strip()) for line in b.strip().split("\n")) + "</p>"
        for b in blocks
    ]


def parse(body: str) -> ElementTree.Element:
    """``body`` parsed inside an element declaring the ``ac`` and ``ri`` namespaces.

    :raises xml.etree.ElementTree.ParseError: when it is not well-formed.
    """
    declarations = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
    return ElementTree.fromstring(f"<ac:document {declarations}>{body}</ac:document>")


def check(body: str) -> None:
    """Raise :class:`MalformedStorage` unless ``body`` is well-formed storage format."""
    try:
        parse(body)
    except ElementTree.ParseError as exc:
        raise MalformedStorage(str(exc)) from None
