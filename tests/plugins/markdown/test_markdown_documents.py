"""The Markdown plugin end to end: golden documents per language, the brief updated in place
with its changes section, repeated deliveries, switches, failures and hostile titles."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

GOLDEN = Path(__file__).with_name("golden")
UPDATE = os.environ.get("IMF_UPDATE_GOLDEN") == "1"


def briefs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.md") if not p.name.endswith(".postmortem.md"))


def normalized(path: Path, folder: Path) -> str:
    """The document with the machine-specific output directory replaced."""
    return path.read_text(encoding="utf-8").replace(folder.as_uri(), "file:///OUTPUT")


def compare(actual: str, name: str) -> None:
    golden = GOLDEN / name
    if UPDATE:
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8"), f"differs from golden/{name}"


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_golden_documents(md_app, clock, docs, lang, story):
    app = md_app(lang)
    incident_id = story(app)
    names = sorted(p.name for p in docs.iterdir())
    assert names == [
        ".20261128-1435_inc-1-checkout-api-errors-payments-failing.md.json",
        "20261128-1435_inc-1-checkout-api-errors-payments-failing.md",
        "20261128-1435_inc-1-checkout-api-errors-payments-failing.postmortem.md",
    ]
    (brief,) = briefs(docs)
    postmortem = docs / names[2]
    compare(normalized(postmortem, docs), f"postmortem.{lang}.md")
    compare(normalized(brief, docs), f"brief.{lang}.md")
    refs = app.store.get(incident_id).refs["markdown"]
    assert refs["brief"] == brief.name and refs["postmortem"] == postmortem.name
    assert set(app.store.get(incident_id).links.values()) == {brief.as_uri(), postmortem.as_uri()}


DECLARATIONS = {
    "classified": {
        "title": "Checkout API errors | payments *failing*",
        "services": ["api", "checkout"],
        "customer_facing": True,
        "summary": "5xx on checkout\n- after deploy 1.4.2",
        "customer_impact": "Some card payments fail",
        "users_affected": 30.0,
        "workaround": True,
        "commander": "alice",
    },
    "p1": {"title": "# Done | [x](javascript:alert(1)) 1. <b>", "severity": "P1"},
}


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("case", sorted(DECLARATIONS))
def test_golden_first_versions(md_app, clock, docs, lang, case):
    """The brief and its sidecar as ``imf declare`` writes them."""
    app = md_app(lang)
    facts = dict(DECLARATIONS[case])
    title = facts.pop("title")
    if case == "classified":
        facts["detected_at"] = clock.now - timedelta(minutes=4)
    app.service.declare(title, **facts)
    (brief,) = briefs(docs)
    compare(normalized(brief, docs), f"brief.declared-{case}.{lang}.md")
    sidecar = docs / f".{brief.name}.json"
    assert [p.name for p in docs.iterdir() if p.name.startswith(".")] == [sidecar.name]
    compare(sidecar.read_text(encoding="utf-8"), f"brief.declared-{case}.{lang}.json")
    # A commander named on declare is a second event: the brief's second version.
    assert json.loads(sidecar.read_text(encoding="utf-8"))["version"] == 1 + ("commander" in facts)


def test_declare_writes_the_brief_without_the_post_mortem_code(imf_home):
    """The brief written on declare needs neither the post-mortem renderer nor the
    post-mortem facts of the core (their classes cost start-up time)."""
    command = [sys.executable, "-X", "importtime", "-m", "imf", "declare", "Disk full", "-s", "P3"]
    proc = subprocess.run(command, env=imf_home.env, cwd=imf_home.path, capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()
    modules = {line.split("|")[-1].strip() for line in proc.stderr.decode().splitlines()}
    assert "imf_markdown.brief" in modules
    assert not {"imf_markdown.postmortem", "imf.facts"} & modules
    folder = Path(imf_home.env["XDG_DATA_HOME"]) / "imf" / "documents"
    (brief,) = briefs(folder)
    assert brief.read_text(encoding="utf-8").startswith("# Incident brief: INC-1 Disk full\n")


def test_the_brief_is_one_file_updated_in_place(md_app, clock, docs):
    app = md_app()
    incident, _ = app.service.declare("DB down", severity="P2", services=["db"])
    (brief,) = briefs(docs)
    first = brief.read_text(encoding="utf-8")
    assert first.startswith(
        "# Incident brief: INC-1 DB down\n\n_Version 1, written 2026-11-28 14:35"
    )
    assert "## 7. Changes since the previous version\n\n- First version.\n" in first
    order = [
        "1. Goal and context",
        "2. Diagnosis and classification",
        "3. Action plan",
        "4. Metrics and alerts",
        "5. RCA and improvements",
        "6. TODO",
        "7. Changes",
    ]
    positions = [first.index(f"## {heading}") for heading in order]
    assert positions == sorted(positions)

    clock.advance(minutes=5)
    app.service.update(incident.id, status="identified", summary="Disk full", next_steps=["Grow"])
    clock.advance(minutes=5)
    app.service.assign(incident.id, "commander", "alice")
    (same,) = briefs(docs)
    assert same == brief
    text = brief.read_text(encoding="utf-8")
    assert "_Version 3, written 2026-11-28 14:45 UTC after: role assigned to alice_" in text
    changes = text.split("## 7. Changes since the previous version\n\n", 1)[1]
    assert changes == "- **Incident Commander**: alice\n"
    assert "| Incident Commander | alice |" in text
    assert "- [ ] Grow" in text

    app.service.escalate(incident.id, "P1")
    changes = brief.read_text(encoding="utf-8").split("## 7. Changes", 1)[1]
    assert "- **Severity**: P2 → P1\n" in changes
    app.service.resolve(incident.id, summary="Grown", force_reason="verified")
    text = brief.read_text(encoding="utf-8")
    changes = text.split("## 7. Changes", 1)[1]
    assert "- **Status**: identified → resolved\n" in changes
    assert "- **Summary**: Disk full → Grown\n" in changes
    assert "- [ ] Publish the post-mortem (due 2026-12-03 14:45 UTC)" in text
    assert "- [ ] Grow" not in text  # next steps are done once resolved


def test_a_repeated_delivery_writes_the_same_file(md_app, clock, docs):
    app = md_app()
    incident, _ = app.service.declare("DB down", severity="P3")
    clock.advance(minutes=5)
    app.service.update(incident.id, status="identified", summary="Disk full")
    (brief,) = briefs(docs)
    before = brief.read_bytes()
    # The outbox may call a plugin again for the same event (after a crash, before the
    # outcome was recorded): the plugin is called as the dispatcher calls it.
    import imf_markdown

    current = app.store.get(incident.id)
    event = app.store.events(incident.id)[-1]
    assert event.kind == "update_posted"
    refs = imf_markdown.imf_update(current, event, app.context("markdown", current))
    assert refs == current.refs["markdown"]
    assert brief.read_bytes() == before
    assert "- **Status**: investigating → identified" in before.decode()


def test_stored_names_are_checked_before_use(md_app, clock, docs, imf_home):
    app = md_app()
    incident, _ = app.service.declare("DB down", severity="P3")
    app.service.record(
        incident.id, "external_ref", {"plugin": "markdown", "refs": {"brief": "../escaped.md"}}
    )
    app.service.update(incident.id, summary="Disk full")
    assert not (Path(imf_home.path) / "escaped.md").exists()
    (brief,) = briefs(docs)
    assert brief.name == "20261128-1435_inc-1-db-down.md"
    assert "Version 2" in brief.read_text(encoding="utf-8")


def test_switches(md_app, clock, docs):
    app = md_app(brief=False)
    incident, _ = app.service.declare("DB down", severity="P3")
    app.service.resolve(incident.id)
    from imf.postmortem import PostmortemService

    PostmortemService.of(app).publish(incident.id)
    assert [p.name for p in docs.iterdir()] == ["20261128-1435_inc-1-db-down.postmortem.md"]
    off = md_app(enabled=False)
    off.service.declare("Another", severity="P3")
    assert len(list(docs.iterdir())) == 1
    assert off.host.info["markdown"].active is False


def test_an_unwritable_directory_is_retried_later(md_app, clock, imf_home):
    blocker = Path(imf_home.path) / "docs"
    blocker.write_text("a file where the directory should be")
    app = md_app()
    _, report = app.service.declare("DB down", severity="P3")
    (outcome,) = report.outcomes
    assert outcome.state == "pending"
    assert outcome.error.startswith(f"markdown: cannot write {blocker}")
    blocker.unlink()
    clock.advance(hours=1)
    assert [o.state for o in app.dispatcher.run().outcomes] == ["delivered"]
    assert len(briefs(blocker)) == 1


def test_the_default_directory_is_in_the_user_data_directory(imf_app, imf_home, clock):
    app = imf_app(clock=clock)
    app.service.declare("DB down", severity="P3")
    folder = Path(imf_home.env["XDG_DATA_HOME"]) / "imf" / "documents"
    assert [p.name for p in briefs(folder)] == ["20261128-1435_inc-1-db-down.md"]


HOSTILE = (
    "# Done | [click](javascript:alert(1)) <img src=x onerror=alert(1)> `x` *y* _z_ ~~s~~ &amp;"
)


def _unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def test_hostile_text_cannot_change_the_structure(md_app, clock, docs):
    from imf.postmortem import PostmortemService

    app = md_app()
    incident, _ = app.service.declare(HOSTILE, severity="P3", services=["a|b"])
    app.service.update(
        incident.id, summary="1. not a list\n---\n> not a quote", status="identified"
    )
    app.service.resolve(incident.id, summary="    not code")
    pms = PostmortemService.of(app)
    pms.set_sections(incident.id, {"summary": "## not a heading\n\n- [ ] not a task | cell"})
    pms.add_action(incident.id, "Fix | it", owner="a|b", link="OPS-1")
    pms.add_timeline(incident.id, clock.now, "time | line")
    pms.publish(incident.id)
    for document in docs.glob("*.md"):
        text = document.read_text(encoding="utf-8")
        lines = text.splitlines()
        assert [line for line in lines if line.startswith("# ")] == [lines[0]]
        assert not re.search(r"(?<!\\)\]\(javascript", text)
        assert not re.search(r"(?<!\\)<img", text)
        assert not any(line.startswith(("## not", "- [ ] not", "1. not", "> not", "    not"))
                       for line in lines)  # fmt: skip
        for line in lines:
            if line.startswith("|"):
                assert _unescaped_pipes(line) in (3, 4, 6), line
        assert "\\# Done \\| \\[click\\](javascript:alert(1)) \\<img" in lines[0]
    assert len(list(docs.glob("*.md"))) == 2


def test_reminders_are_listed_under_alerts(md_app, clock, docs):
    from imf.ics.due import record

    app = md_app()
    app.service.declare("DB down", severity="P1")
    clock.advance(minutes=40)
    assert [breach.reason for breach, _ in record(app, clock.now)] == [
        "ack_overdue",
        "update_overdue",
        "roles_missing",
    ]
    (brief,) = briefs(docs)
    text = brief.read_text(encoding="utf-8")
    assert (
        "- **Alerts**:\n"
        "  - 2026-11-28 15:15 UTC — not acknowledged within the response target\n"
        "  - 2026-11-28 15:15 UTC — status update overdue\n"
        "  - 2026-11-28 15:15 UTC — required roles unassigned\n\n"
    ) in text
    sidecar = json.loads((docs / f".{brief.name}.json").read_text(encoding="utf-8"))
    assert sidecar["alerts"] == [
        {"at": "2026-11-28 15:15", "reason": reason}
        for reason in ("ack_overdue", "update_overdue", "roles_missing")
    ]
