"""File names and Markdown escaping of the Markdown plugin."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
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
    assert files.inside(tmp_path, "a.md") == tmp_path / "a.md"
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
