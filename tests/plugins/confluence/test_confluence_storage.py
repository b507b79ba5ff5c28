"""Storage format: hostile text arrives on the page as the literal text typed, the body is
well-formed XML with the expected macros, and a malformed body is refused before sending."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imf.postmortem import PostmortemService
from imf_confluence import storage

HOSTILE = [
    "<script>alert(1)</script>",
    "&nbsp;&amp;&#160;",
    "]]>",
    '<ac:structured-macro ac:name="html"><ac:plain-text-body><![CDATA[<b>x</b>]]>',
    "Сбой оплаты «платежи»",
    "🔥 fire 👩‍🚒",
    "quote\" and 'apostrophe'",
]
MACROS = {"anchor", "info", "status", "code", "expand"}
AC = "{http://atlassian.com/content}"


def page_text(body: str) -> str:
    return "".join(storage.parse(body).itertext())


def test_hostile_text_round_trips_as_literal_text(cloud, confluence_app, resolved, clock):
    app = confluence_app(cloud)
    joined = " | ".join(HOSTILE)
    incident_id = resolved(app, title=f"DB {HOSTILE[0]} {HOSTILE[1]} {HOSTILE[2]} {HOSTILE[4]}")
    pms = PostmortemService.of(app)
    pms.set_sections(
        incident_id,
        {
            "summary": f"{joined}\n\n```sh\necho ']]>' && echo '<ac:task>'\n```\nAfter the code.",
            "root_cause": joined,
            "went_well": HOSTILE,
            "problem": HOSTILE[3],
            "prevention": [HOSTILE[5]],
        },
    )
    pms.add_why(incident_id, HOSTILE[0], HOSTILE[2])
    pms.add_timeline(incident_id, clock.now - timedelta(hours=1), HOSTILE[1])
    pms.add_action(incident_id, HOSTILE[3], owner=HOSTILE[6], link="https://t.example/?a=1&b=]]")
    (outcome,) = PostmortemService.of(app).publish(incident_id)[1].outcomes
    assert outcome.state == "delivered", outcome
    cloud.assert_no_spec_errors()
    (page,) = [p for p in cloud.pages if p.title.startswith("Post-mortem")]
    assert (
        page.title == f"Post-mortem INC-1: DB {HOSTILE[0]} {HOSTILE[1]} {HOSTILE[2]} {HOSTILE[4]}"
    )

    root = storage.parse(page.body)
    text = page_text(page.body)
    for value in HOSTILE:
        assert value in text, value
    assert "echo ']]>' && echo '<ac:task>'" in text  # the code block, through split CDATA
    assert "]]]]><![CDATA[>" in page.body
    tags = {element.tag for element in root.iter()}
    assert not any(tag.endswith("script") for tag in tags)
    macros = {m.get(f"{AC}name") for m in root.iter(f"{AC}structured-macro")}
    assert macros == MACROS
    (task,) = root.iter(f"{AC}task")
    assert task.findtext(f"{AC}task-status") == "incomplete"
    body_text = "".join(task.find(f"{AC}task-body").itertext())
    assert body_text.startswith(HOSTILE[3])
    (anchor,) = root.iter("a")
    assert anchor.get("href") == "https://t.example/?a=1&b=]]"


def test_the_page_has_the_methodology_structure(cloud, confluence_app, resolved):
    app = confluence_app(cloud)
    incident_id = resolved(app)
    pms = PostmortemService.of(app)
    pms.add_action(incident_id, "Alert on pool", owner="dana", due="2026-12-05", priority="P1")
    pms.add_action(incident_id, "Load test")
    pms.change_action(incident_id, 2, {"status": "done"})
    pms.add_why(incident_id, "Why down?", "Pool exhausted")
    pms.publish(incident_id)
    (page,) = [p for p in cloud.pages if p.title.startswith("Post-mortem")]
    root = storage.parse(page.body)
    headings = [h.text for h in root.iter("h2")]
    assert headings == [
        "Executive Summary", "Impact", "Timeline (UTC)", "Root Cause", "Resolution",
        "What Went Well ✅", "What Could Be Improved ❌", "Action Items", "Lessons Learned",
        "5 Whys Analysis",
    ]  # fmt: skip
    statuses = [
        {p.get(f"{AC}name"): p.text for p in m.iter(f"{AC}parameter")}
        for m in root.iter(f"{AC}structured-macro")
        if m.get(f"{AC}name") == "status"
    ]
    assert statuses == [
        {"colour": "Yellow", "title": "P2 High"},
        {"colour": "Green", "title": "resolved"},
    ]
    assert [t.findtext(f"{AC}task-status") for t in root.iter(f"{AC}task")] == [
        "incomplete",
        "complete",
    ]
    assert root.find(".//time").get("datetime") == "2026-12-05"
    timeline = next(t for t in root.iter("table") if t.find(".//th").text == "Time")
    assert [r.findall("td")[1].text for r in list(timeline.iter("tr"))[1:]] == [
        "🔔 Incident declared (P2)",
        "👥 Incident Commander: alice",
        "🔍 Status: identified (update #1) — Bad deploy 1.4.2",
        "✅ Resolved — Rolled back",
    ]
    expand = next(m for m in root.iter(f"{AC}structured-macro") if m.get(f"{AC}name") == "expand")
    assert "Why down?→ Pool exhausted" in "".join(expand.itertext())
    assert "Participants" in page_text(page.body) and "alice" in page_text(page.body)


@given(st.text(max_size=200))
def test_any_text_is_well_formed_and_kept(value):
    body = storage.paragraphs(value) + f"<p>{storage.text(value)}</p>" + storage.code(value)
    storage.check(body)
    kept = storage.clean(value)
    assert kept in page_text(f"<p>{storage.text(value)}</p>")
    assert kept in page_text(storage.code(value))


def test_a_malformed_body_is_refused():
    for broken in ("<p>unclosed", "<p>&nbsp;</p>", "<ac:task>x</ac:task><p>", "a ]]> <b"):
        with pytest.raises(storage.MalformedStorage):
            storage.check(broken)
    storage.check("<p>&#160;</p><ac:task-list/>")


def test_links_are_http_only():
    assert storage.link("x", "javascript:alert(1)") == "x"
    assert storage.link("x", 'https://e.example/"><script>') == "x"
    assert storage.link("a<b", "https://e.example/?a=1&b=2") == (
        '<a href="https://e.example/?a=1&amp;b=2">a&lt;b</a>'
    )
