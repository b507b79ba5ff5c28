"""Escaping user text for the Markdown of an Adaptive Card TextBlock."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from imf_teams.text import ALWAYS, LINE_START, clean, escape, md, plain, shorten, unescape

# Markdown a renderer would act on, if any of it survived unescaped.
_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(")
_MENTION = re.compile(r"(?<!\\)<at")
_EMPHASIS = re.compile(r"(?<!\\)[*_]")


def assert_inert(escaped: str) -> None:
    """Every special character is escaped; every backslash escapes something."""
    index = 0
    line_start = True
    while index < len(escaped):
        char = escaped[index]
        if char == "\\":
            assert index + 1 < len(escaped), escaped
            following = escaped[index + 1]
            assert following in ALWAYS | LINE_START | {".", ")"}, (escaped, index)
            index += 2
            line_start = False
            continue
        assert char not in ALWAYS, (escaped, index)
        if line_start and char in LINE_START:
            raise AssertionError(f"unescaped {char!r} at a line start in {escaped!r}")
        if char == "\n":
            line_start = True
        elif not char.isspace():
            line_start = False
        index += 1


HOSTILE = [
    'He said "stop" \\ and left \\',
    "[click me](https://evil.example/phish) and ![img](https://evil.example/x.png)",
    '<at>everyone</at> <at id="0">CEO</at>',
    "**bold** __bold__ *it* _it_ ~~strike~~ `code`",
    "# heading\n- item\n+ item\n1. first\n2) second\n> quote\n---\n| a | b |",
    "{{DATE(2017-02-14T06:00:00Z, SHORT)}}",
    "مرحبا بالعالم שלום עולם",
    "👩‍💻 🏳️‍🌈 🇷🇺 emoji with joiners",
    "Сбой оплаты: платёжный шлюз не отвечает",
    "nul\x00bell\x07esc\x1b[31mred\x1b[0m del\x7f c1\x85\x9b",
]


def test_hostile_texts_are_inert_and_shown_as_typed():
    for text in HOSTILE:
        escaped = md(text, multiline=True)
        assert_inert(escaped)
        assert unescape(escaped) == clean(text, multiline=True)
        assert not _LINK.search(escaped)
        assert not _MENTION.search(escaped)
        assert not _EMPHASIS.search(escaped)


def test_scripts_emoji_and_right_to_left_text_are_kept():
    for text in HOSTILE[6:9]:
        assert md(text) == text


def test_control_characters_are_removed_and_lines_are_kept_only_when_asked():
    assert clean("a\x00b\x07c\td\r\ne\rf\u2028g") == "abc d e f g"
    assert clean("a\x00b\r\nc\rd\u2029e", multiline=True) == "ab\nc\nd\ne"
    assert clean("  lots   of\n\nspace  ") == "lots of space"


def test_markers_are_escaped_only_where_they_would_start_markup():
    assert escape("INC-12 at 10.5 + 1") == "INC-12 at 10.5 + 1"
    assert escape("- item") == "\\- item"
    assert escape("  # title") == "  \\# title"
    assert escape("1. first\n22) second") == "1\\. first\n22\\) second"
    assert escape("a_b*c") == "a\\_b\\*c"


def test_shorten_cuts_whole_code_points_and_marks_the_cut():
    assert shorten("🔥" * 10, 5) == "🔥🔥🔥🔥…"
    assert shorten("short", 5) == "short"
    assert shorten("anything", None) == "anything"
    assert md("[link](x) " * 10, 12) == "\\[link\\]\\(x\\) \\[…"
    assert plain("a\nb [c](d)", 40) == "a b [c](d)"


@given(st.text())
def test_any_text_round_trips_and_stays_inert(text):
    for multiline in (False, True):
        escaped = md(text, multiline=multiline)
        assert_inert(escaped)
        assert unescape(escaped) == clean(text, multiline=multiline)
        escaped.encode("utf-8")  # no lone surrogates: always sendable


@given(st.text(alphabet=st.sampled_from(list("[]()<>*_\\`~{}#-+=|.1 \nat")), max_size=60))
def test_markdown_soup_never_renders_markup(text):
    escaped = md(text, multiline=True)
    assert not _LINK.search(escaped)
    assert not _MENTION.search(escaped)
    assert_inert(escaped)
