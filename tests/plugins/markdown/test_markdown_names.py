"""File names and Markdown escaping of the Markdown plugin."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from imf_markdown import files, text

DECLARED = datetime(2026, 11, 28, 14, 35, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("API errors after deploy", "20261128-1435_inc-3-api-errors-after-deploy.md"),
        ("Сбой оплаты: ошибка 502", "20261128-1435_inc-3-сбой-оплаты-ошибка-502.md"),
        ("../../etc/passwd", "20261128-1435_inc-3-etc-passwd.md"),
        ("C:\\Windows\\System32 <con>", "20261128-1435_inc-3-c-windows-system32-con.md"),
        ("🔥🔥🔥", "20261128-1435_inc-3.md"),
        ("Ｆｕｌｌｗｉｄｔｈ ＡＰＩ", "20261128-1435_inc-3-fullwidth-api.md"),
    ],
)
def test_document_names(title, name):
    assert files.document_name(DECLARED, "INC-3", title) == name


def test_post_mortem_names_cannot_collide_with_briefs():
    brief = files.document_name(DECLARED, "INC-3", "db postmortem")
    postmortem = files.document_name(DECLARED, "INC-3", "db", "postmortem")
    assert (brief, postmortem) == (
        "20261128-1435_inc-3-db-postmortem.md",
        "20261128-1435_inc-3-db.postmortem.md",
    )


def test_long_titles_are_bounded_in_bytes():
    name = files.document_name(DECLARED, "INC-3", "ю" * 500)
    assert name.endswith(".md")
    assert len(name.encode("utf-8")) <= files.NAME_LIMIT


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../evil.md", "-evil.md"),
        ("/etc/passwd", "-etc-passwd"),
        (".hidden.md", "hidden.md"),
        ("CON", "_CON"),
        ("nul.md", "_nul.md"),
        ("com1.tar.gz", "_com1.tar.gz"),
        ("LPT9 .md", "_LPT9.md"),
        ("a\x00b.md", "a-b.md"),
        ("...", "document"),
        ("report.md", "report.md"),
    ],
)
def test_safe_filename(raw, safe):
    assert files.safe_filename(raw) == safe


@given(st.text(max_size=400))
def test_any_name_is_made_safe(raw):
    name = files.safe_filename(raw)
    assert name and not name.startswith(".")
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert len(name.encode("utf-8")) <= files.NAME_LIMIT
    assert name.split(".")[0].strip().casefold() not in files.RESERVED
    assert files.safe_filename(name) == name


def test_inside_refuses_names_that_leave_the_folder(tmp_path: Path):
    assert files.inside(tmp_path, "a.md") == str(tmp_path / "a.md")
    for bad in ("../a.md", "x/../../a.md", ".a.md", "CON"):
        with pytest.raises(ValueError):
            files.inside(tmp_path, bad)


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("1.4.2 rolled back", "1.4.2 rolled back"),
        ("1. not a list", "1\\. not a list"),
        ("- not a list", "\\- not a list"),
        ("## not a heading", "\\## not a heading"),
        ("C#", "C\\#"),
        ("a | b", "a \\| b"),
        ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
        ("<script>", "\\<script\\>"),
        ("&nbsp;", "\\&nbsp;"),
        ("*bold* _it_ `code` ~~s~~", "\\*bold\\* \\_it\\_ \\`code\\` \\~\\~s\\~\\~"),
        ("line\nbreak", "line break"),
        ("---", "\\---"),
    ],
)
def test_inline_escaping(raw, escaped):
    assert text.inline(raw) == escaped


def test_blocks_keep_paragraphs_but_not_structure():
    assert text.block("One\n\n\n    code?\n> quote\n===\n") == "One\n\ncode?\n\\> quote\n\\==="


def test_links_are_http_only():
    assert text.link("OPS-1", "https://t.example/a b") == "OPS-1: `https://t.example/a b`"
    assert text.link("x", "https://t.example/(x)") == "[x](<https://t.example/(x)>)"
    assert text.link("x", "javascript:alert(1)") == "x: `javascript:alert(1)`"
    assert text.link("file", "file:///tmp/a`b") == "file: ``file:///tmp/a`b``"
    assert text.code("`x`") == "`` `x` ``"


# The escaping and the names are written with string operations; these are the rules as
# regular expressions, which the results must agree with on any text.
_RE_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_RE_BLOCK_START = re.compile(r"^(?:#{1,6}|[-+]|\d{1,9}[.)])(?=\s|$)")
_RE_RULE = re.compile(r"^[-=\s]+$")
_RE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_RE_SAFE_URL = re.compile(r"https?://[^\s<>\"'`\\]+", re.IGNORECASE)
_RE_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


def _reference_line(raw: str) -> str:
    escaped = _RE_INLINE.sub(r"\\\1", raw.strip())
    marker = _RE_BLOCK_START.match(escaped)
    if marker:
        cut = marker.end() - 1 if marker.group()[-1] in ".)" else 0
        escaped = f"{escaped[:cut]}\\{escaped[cut:]}"
    elif _RE_RULE.match(escaped):
        escaped = "\\" + escaped
    if escaped.endswith("#") and not escaped.endswith("\\#"):
        escaped = escaped[:-1] + "\\#"
    return escaped


def _reference_inline(raw: str) -> str:
    return _reference_line(" ".join(_RE_CONTROL.sub("", raw).split()))


def _reference_block(raw: str) -> str:
    lines = _RE_CONTROL.sub("", raw.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    out: list[str] = []
    for line in lines:
        if line.strip():
            out.append(_reference_line(line))
        elif out and out[-1]:
            out.append("")
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _reference_safe_filename(name: str, limit: int) -> str:
    result = _reference_safe_once(name, limit)
    while (again := _reference_safe_once(result, limit)) != result:
        result = again
    return result


def _reference_safe_once(name: str, limit: int) -> str:
    cleaned = _RE_UNSAFE.sub("-", unicodedata.normalize("NFC", name))
    cleaned = re.sub(r"^[\s.]+|[\s.]+$", "", cleaned) or "document"
    cleaned = re.sub(r"[\s.-]+$", "", cleaned) or "document"
    stem, dot, suffix = cleaned.rpartition(".")
    if not dot or not stem or len(suffix) > 10:
        stem, suffix = cleaned, ""
    tail = f".{suffix}" if suffix else ""
    while True:
        stem = re.sub(r"[\s.-]+$", "", stem) or "document"
        if stem.split(".")[0].strip().casefold() in files.RESERVED:
            stem = f"_{stem}"
        if len((stem + tail).encode("utf-8")) <= limit:
            return stem + tail
        stem = stem[:-1]


def _reference_slugify(text_: str, limit: int) -> str:
    normalized = unicodedata.normalize("NFKC", text_).casefold()
    chars = [ch if ch.isalnum() else "-" for ch in normalized]
    slug = re.sub(r"-+", "-", "".join(chars)).strip("-")
    return slug[:limit].rstrip("-") or "incident"


#: Pieces that matter to the rules: markers, digits of several scripts, Unicode spaces,
#: control characters, markup, separators, reserved names, URL schemes.
_PIECES = [
    *"#-+=.)(1234567890١٣ \t\n\r\x0b\x0c\x00\x1f\x7f\u00a0\u2003\u3000\u2028`*_[]<>|~&\\:/?\"'",
    *("a", "Z", "ю", "ſ", "\u212a", "CON", "nul", "com¹", ".md", ".tar.gz", "#######"),
    *("12345678", "123456789", "1234567890", "https://", "HTTP://", "javascript:", "``"),
]
hostile = st.one_of(st.text(), st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))


@settings(max_examples=500)
@given(hostile)
@example("123456789. nine digits")
@example("1234567890) ten digits")
@example("###### six")
@example("####### seven")
@example("+\u3000plus")
@example("- \t-\u00a0=")
def test_escaping_follows_the_rules(raw):
    assert text.inline(raw) == _reference_inline(raw)
    assert text.cell(raw) == _reference_inline(raw)
    assert text.block(raw) == _reference_block(raw)


@settings(max_examples=500)
@given(hostile, hostile)
def test_links_and_code_follow_the_rules(label, url):
    flat = " ".join(_RE_CONTROL.sub("", url).split())
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence, pad = "`" * (longest + 1), " " if flat[:1] == "`" or flat[-1:] == "`" else ""
    assert text.code(url) == f"{fence}{pad}{flat}{pad}{fence}"
    if _RE_SAFE_URL.fullmatch(url):
        expected = f"[{_reference_inline(label)}](<{url}>)"
    elif not url or url == label:
        expected = _reference_inline(label)
    else:
        expected = f"{_reference_inline(label)}: {fence}{pad}{flat}{pad}{fence}"
    assert text.link(label, url) == expected


@settings(max_examples=500)
@given(hostile, st.integers(min_value=20, max_value=200))
def test_names_follow_the_rules(raw, limit):
    assert files.safe_filename(raw, limit) == _reference_safe_filename(raw, limit)
    assert files.slugify(raw, limit) == _reference_slugify(raw, limit)


@settings(max_examples=500)
@given(hostile, st.integers(min_value=20, max_value=200))
def test_safe_names_are_idempotent(raw, limit):
    once = files.safe_filename(raw, limit)
    assert files.safe_filename(once, limit) == once
    assert files.safe_filename("-.javascript:") == files.safe_filename("-.javascript")


@given(hostile, st.sampled_from(["/srv/imf docs", "/home/дмитрий/инциденты", "/tmp/a%b#c?d"]))
def test_file_uris_are_what_pathlib_writes(raw, folder):
    from pathlib import Path

    path = files.inside(folder, files.safe_filename(raw))  # how the plugin makes its paths
    assert files.file_uri(path) == Path(path).as_uri()
