"""`imf update`: the "Incident Update #N" template, prompts, numbering and `--preview`."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import imf

ANSWERS = "\n".join(
    [
        "identified",
        "Bad config in 1.4.2",
        "Canary rolled back",
        "Config diff found",
        "",
        "known",
        "10% of checkouts fail",
        "15:30 UTC",
        "Roll back 1.4.2 everywhere (alice)",
        "",
        "+20m",
        "We found the cause and are fixing it.",
        "",
    ]
)


class CardPreview:
    """Renders what it would send; records what it really sends."""

    IMF_ACTIVE_BY_DEFAULT = True

    def __init__(self) -> None:
        self.sent: list[int] = []

    @imf.hookimpl
    def imf_preview(self, incident, event, ctx):
        u = incident.updates[-1]
        return f"[card {ctx.lang}] {incident.id} #{u.number} {u.status.value}: {u.summary}"

    @imf.hookimpl
    def imf_update(self, incident, event, ctx):
        self.sent.append(event.data["number"])


class BrokenPreview:
    """A preview that fails."""

    IMF_ACTIVE_BY_DEFAULT = True

    @imf.hookimpl
    def imf_preview(self, incident, event, ctx):
        raise RuntimeError("template missing")


def test_prompts_for_every_template_field(run, clock):
    run("declare", "Checkout errors", "-s", "P1")
    result = run("update", "1", "--interactive", "--json", input=ANSWERS)
    assert result.exit_code == 0, result
    assert "Incident Update #1 for INC-1" in result.stderr
    assert "Since last update (one item per line, empty line to finish):" in result.stderr
    update = result.json()["incident"]["updates"][0]
    assert update == {
        "number": 1,
        "at": clock().isoformat(),
        "actor": "tester",
        "status": "identified",
        "summary": "Bad config in 1.4.2",
        "since_last": ["Canary rolled back", "Config diff found"],
        "root_cause": "known",
        "impact": "10% of checkouts fail",
        "eta": "15:30 UTC",
        "next_steps": ["Roll back 1.4.2 everywhere (alice)"],
        "next_update_at": clock.at(minutes=20).isoformat(),
        "public": "We found the cause and are fixing it.",
    }


def test_a_bad_next_update_time_is_asked_again(run):
    run("declare", "Checkout errors", "-s", "P2")
    answers = ANSWERS.replace("+20m", "soon\n16:00")
    result = run("update", "1", "--interactive", "--json", input=answers)
    assert result.exit_code == 0, result
    assert "invalid time 'soon'" in result.stderr
    assert result.json()["incident"]["updates"][0]["next_update_at"].startswith("2026-03-14T16:00")


def test_updates_are_numbered_and_flags_skip_the_prompts(run):
    run("declare", "Checkout errors", "-s", "P2")
    first = run("update", "1", "--summary", "Investigating", "--interactive")
    assert first.stdout.startswith("Posted update #1 on INC-1")
    second = run("update", "1", "--status", "mitigating", "--json")
    assert second.json()["incident"]["updates"][1]["number"] == 2
    assert second.json()["incident"]["updates"][1]["summary"] == "Investigating"


def test_no_input_never_prompts(run):
    run("declare", "Checkout errors", "-s", "P2")
    result = run("update", "1", "--no-input", "--interactive", input="identified\n")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "imf: error: an update needs a summary, a status, progress or a public message"
    )


def test_preview_shows_each_plugin_and_stores_nothing(run):
    card = CardPreview()
    plugins = {"card": card, "broken": BrokenPreview()}
    run("declare", "Checkout errors", "-s", "P1", plugins=plugins)
    before = run("show", "1", "--json").json()
    result = run(
        "update",
        "1",
        "--status",
        "identified",
        "--summary",
        "Bad config",
        "--since-last",
        "Canary rolled back",
        "--next-step",
        "Roll back (alice)",
        "--preview",
        plugins=plugins,
    )
    assert result.exit_code == 0, result
    text = result.stdout
    assert text.startswith("Preview of update #1 on INC-1: nothing is stored or sent.")
    assert "## Incident Update #1 - 14:00 UTC" in text
    assert "**Status**: IDENTIFIED" in text
    assert "- Canary rolled back" in text and "1. Roll back (alice)" in text
    assert "**Next Update**: 14:30 UTC" in text
    assert "--- card ---\n[card en] INC-1 #1 identified: Bad config" in text
    assert "the preview of broken failed: RuntimeError: template missing" in text
    after = run("show", "1", "--json").json()
    assert after["timeline"] == before["timeline"] and after["incident"]["updates"] == []
    assert card.sent == []
    posted = run("update", "1", "--summary", "Bad config", plugins=plugins)
    assert posted.exit_code == 0 and card.sent == [1]


def test_preview_json_and_russian(run):
    plugins = {"card": CardPreview()}
    run("declare", "Checkout errors", "-s", "P2", plugins=plugins)
    data = run("update", "1", "--summary", "Bad config", "--preview", "--json", plugins=plugins)
    body = data.json()
    assert body["stored"] is False and body["errors"] == {}
    assert body["previews"] == {"card": "[card en] INC-1 #1 investigating: Bad config"}
    assert body["update"]["number"] == 1
    russian = run(
        "--lang",
        "ru",
        "update",
        "1",
        "--summary",
        "Плохой конфиг",
        "--eta",
        "",
        "--preview",
        plugins=plugins,
    ).stdout
    assert "## Обновление по инциденту №1 - 14:00 UTC" in russian
    assert "**Статус**: РАССЛЕДОВАНИЕ" in russian and "**Кратко**: Плохой конфиг" in russian
    assert "- **Первопричина**: Расследуется" in russian
    assert "[card ru] INC-1 #1 investigating: Плохой конфиг" in russian


def test_preview_without_plugins_shows_the_template(run):
    run("declare", "Checkout errors", "-s", "P3")
    result = run("update", "1", "--summary", "Slow", "--preview")
    assert result.stdout.rstrip().endswith("No active plugin renders previews.")
    assert "## Incident Update #1" in result.stdout


def test_prompts_in_a_real_terminal(imf_home, imf_run):
    assert imf_run("declare", "Checkout errors", "-s", "P1").exit_code == 0
    controller, terminal = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "imf", "update", "1", "--json"],
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=imf_home.env,
            cwd=imf_home.path,
            text=True,
        )
        os.close(terminal)
        os.write(controller, ANSWERS.replace("\n", "\r").encode())
        out, err = proc.communicate(timeout=120)
    finally:
        os.close(controller)
    assert proc.returncode == 0, err
    assert "Incident Update #1 for INC-1" in err
    assert '"summary": "Bad config in 1.4.2"' in out
