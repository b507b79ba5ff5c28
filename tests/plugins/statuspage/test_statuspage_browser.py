"""The static status page in a real headless Chromium, served by ``imf statuspage serve``.

Chromium is driven through its command line: ``--dump-dom`` gives the DOM after the page has
loaded, ``--enable-logging=stderr`` prints every console message (``CONSOLE`` lines), and
``--screenshot`` saves what a reader sees (kept under ``test-artifacts/``). Set
``IMF_CHROMIUM`` to use a Chromium binary that is not on ``PATH``.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
CONSOLE = re.compile(r":CONSOLE[:(]")
HOSTILE_TITLE = (
    "Login <script>document.title='pwned';document.documentElement.dataset.pwned=1</script>"
    ' & <img src=x onerror="document.documentElement.dataset.pwned=2">'
)
HOSTILE_UPDATE = "</p><script>document.documentElement.dataset.pwned=3</script><b>bold?</b>"


class Chromium:
    """Runs headless Chromium once per call with a throw-away profile."""

    def __init__(self, binary: str, profile: Path) -> None:
        self.binary = binary
        self.profile = profile

    def run(self, url: str, *options: str) -> subprocess.CompletedProcess[str]:
        command = [
            self.binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={self.profile}",
            "--enable-logging=stderr",
            "--v=0",
            *options,
            url,
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        return done

    def load(self, url: str) -> tuple[str, list[str]]:
        """The DOM after loading ``url`` and the console messages printed meanwhile."""
        done = self.run(url, "--dump-dom")
        return done.stdout, [line for line in done.stderr.splitlines() if CONSOLE.search(line)]

    def screenshot(self, url: str, path: Path, height: int, *options: str) -> Path:
        """Save a 1280 px wide screenshot of ``url`` to ``path``."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.run(
            url,
            f"--screenshot={path}",
            f"--window-size=1280,{height}",
            "--hide-scrollbars",
            *options,
        )
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        return path


class Dom(HTMLParser):
    """Elements, attributes and text of a dumped DOM."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.title = ""
        self._in_title = False
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        self.text.append(data)

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())

    def attribute(self, tag: str, name: str) -> str | None:
        return next((attrs.get(name) for t, attrs in self.elements if t == tag), None)


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Chromium:
    binary = (
        os.environ.get("IMF_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if not binary:
        pytest.skip(
            "headless Chromium is not installed (apt-get install chromium, or set "
            "IMF_CHROMIUM to its path)"
        )
    return Chromium(binary, tmp_path_factory.mktemp("chromium-profile"))


@pytest.fixture
def served(imf_home: Any) -> Iterator[Any]:
    """Start ``imf statuspage serve --port 0`` in a real process; return the base URL."""
    started: list[subprocess.Popen[str]] = []

    def start() -> str:
        proc = subprocess.Popen(
            [sys.executable, "-m", "imf", "statuspage", "serve", "--port", "0"],
            env=imf_home.env,
            cwd=imf_home.path,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        started.append(proc)
        assert proc.stdout is not None
        line = proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert found, line
        return found.group(0)

    yield start
    for proc in started:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def cli(imf_cli: Any, *args: str, clock: Any) -> None:
    result = imf_cli(*args, clock=clock)
    assert result.exit_code == 0, result


#: A few weeks of a cloud company's incidents, in both languages, for realistic pages.
DEMO = {
    "en": {
        "names": {
            "api": "API",
            "web": "Dashboard",
            "payments": "Payments",
            "storage": "Object storage",
            "email": "Email notifications",
        },
        "past": [
            (
                62,
                "P2",
                "api",
                "Elevated error rates on the API",
                100,
                "A faulty configuration change was found and rolled back.",
                "Error rates are back to normal. We are sorry for the disruption.",
            ),
            (
                23,
                "P3",
                "email",
                "Delayed email notifications",
                180,
                "A backlog in our mail queue is being processed.",
                "All delayed notifications have been delivered.",
            ),
            (
                6,
                "P1",
                "web",
                "Dashboard unavailable in the EU region",
                48,
                "We have identified a network problem in one data centre.",
                "The dashboard is available again in all regions.",
            ),
            (
                2,
                "P3",
                "storage",
                "Slow uploads to object storage",
                75,
                "",
                "Upload speeds are back to normal.",
            ),
        ],
        "open": (
            "Payments failing for some card types",
            "We have identified a problem with one of our card processors and are "
            "working with them on a fix.",
            "A fix is rolling out. Most card payments succeed again.",
        ),
    },
    "ru": {
        "names": {
            "api": "API",
            "web": "Личный кабинет",
            "payments": "Платежи",
            "storage": "Объектное хранилище",
            "email": "Почтовые уведомления",
        },
        "past": [
            (
                62,
                "P2",
                "api",
                "Повышенная доля ошибок API",
                100,
                "Найдено ошибочное изменение конфигурации, мы его откатили.",
                "Доля ошибок вернулась к норме. Приносим извинения.",
            ),
            (
                23,
                "P3",
                "email",
                "Задержка почтовых уведомлений",
                180,
                "Обрабатываем накопившуюся очередь писем.",
                "Все задержанные уведомления доставлены.",
            ),
            (
                6,
                "P1",
                "web",
                "Личный кабинет недоступен в регионе EU",
                48,
                "Мы нашли сетевую проблему в одном из дата-центров.",
                "Личный кабинет снова доступен во всех регионах.",
            ),
        ],
        "open": (
            "Не проходят платежи некоторыми картами",
            "Мы нашли проблему у одного из платёжных провайдеров и вместе с ним "
            "работаем над исправлением.",
            "Исправление выкатывается. Большинство платежей снова проходят.",
        ),
    },
}


def build_demo(imf_cli: Any, sp_config: Any, clock: Any, lang: str, **static: Any) -> None:
    """Record the demo incidents through the CLI, then rebuild the page at the present."""
    demo = DEMO[lang]
    sp_config(atlassian=False, static={"components": demo["names"], **static}, language=lang)
    now = clock.now
    number = 0
    for days, severity, service, title, minutes, identified, resolved in demo["past"]:
        number += 1
        clock.now = now - timedelta(days=days, hours=3)
        cli(
            imf_cli,
            "declare",
            title,
            "-s",
            severity,
            "-S",
            service,
            "--customer-facing",
            clock=clock,
        )
        if identified:
            clock.advance(minutes=minutes // 3)
            cli(
                imf_cli,
                "update",
                f"INC-{number}",
                "--status",
                "identified",
                "--public",
                identified,
                clock=clock,
            )
        clock.now = now - timedelta(days=days, hours=3) + timedelta(minutes=minutes)
        cli(
            imf_cli,
            "resolve",
            f"INC-{number}",
            "--force",
            "verified",
            "--public",
            resolved,
            clock=clock,
        )
    title, identified, mitigating = demo["open"]
    clock.now = now - timedelta(minutes=35)
    cli(
        imf_cli,
        "declare",
        title,
        "-s",
        "P2",
        "-S",
        "payments",
        "-S",
        "api",
        "--customer-facing",
        clock=clock,
    )
    clock.advance(minutes=15)
    cli(
        imf_cli,
        "update",
        f"INC-{number + 1}",
        "--status",
        "identified",
        "--public",
        identified,
        clock=clock,
    )
    clock.advance(minutes=15)
    cli(
        imf_cli,
        "update",
        f"INC-{number + 1}",
        "--status",
        "mitigating",
        "--public",
        mitigating,
        clock=clock,
    )
    clock.now = now
    cli(imf_cli, "statuspage", "build", clock=clock)


def test_console_messages_are_detected(chromium, tmp_path):
    """The console check can fail: a page logging an error is caught."""
    page = tmp_path / "noisy.html"
    page.write_text(
        "<!doctype html><html lang=en><title>x</title>"
        "<script>console.error('broken page')</script></html>",
        encoding="utf-8",
    )
    _, console = chromium.load(page.as_uri())
    assert any("broken page" in line for line in console)


def test_the_page_loads_cleanly_and_shows_incidents_and_public_updates(
    chromium, imf_cli, sp_config, clock, served
):
    build_demo(imf_cli, sp_config, clock, "en")
    url = served()
    dom, console = chromium.load(url)
    assert console == []
    page = Dom(dom)
    assert page.attribute("html", "lang") == "en"
    assert page.title == "Acme status"
    words = page.words
    assert "Some systems are partially unavailable" in words
    title, identified, mitigating = DEMO["en"]["open"]
    assert title in words and identified in words and mitigating in words
    assert words.index(mitigating) < words.index(identified)
    assert "Past incidents" in words and "Dashboard unavailable in the EU region" in words
    assert "Elevated error rates on the API" in words
    for name in DEMO["en"]["names"].values():
        assert name in words
    incident, console = chromium.load(url + "incidents/inc-5.html")
    assert console == []
    assert identified in Dom(incident).words
    shot = chromium.screenshot(url, ARTIFACTS / "statuspage-en.png", 2250)
    chromium.screenshot(url, ARTIFACTS / "statuspage-en-dark.png", 2250, "--force-dark-mode")
    chromium.screenshot(url + "incidents/inc-5.html", ARTIFACTS / "statuspage-incident-en.png", 900)
    assert shot.stat().st_size > 10_000


def test_hostile_titles_render_as_text_and_run_nothing(chromium, imf_cli, sp_config, clock, served):
    sp_config(atlassian=False, static=True)
    cli(
        imf_cli, "declare", HOSTILE_TITLE, "-s", "P2", "-S", "api", "--customer-facing", clock=clock
    )
    cli(imf_cli, "update", "INC-1", "--public", HOSTILE_UPDATE, clock=clock)
    url = served()
    titles = {"": "Acme status", "incidents/inc-1.html": f"{HOSTILE_TITLE} — Acme status"}
    for path in ("", "incidents/inc-1.html", "feed.atom"):
        dom, console = chromium.load(url + path)
        assert console == [], path
        if path == "feed.atom":
            assert "pwned" not in "".join(console)
            continue
        page = Dom(dom)
        assert page.attribute("html", "data-pwned") is None, path
        assert page.title == titles[path]
        assert not [tag for tag, _ in page.elements if tag in ("script", "img", "b")], path
        assert HOSTILE_TITLE in page.words
        assert HOSTILE_UPDATE in page.words
    chromium.screenshot(url, ARTIFACTS / "statuspage-hostile.png", 1100)


def test_the_russian_page_shows_cyrillic(chromium, imf_cli, sp_config, clock, served):
    build_demo(imf_cli, sp_config, clock, "ru")
    url = served()
    dom, console = chromium.load(url)
    assert console == []
    page = Dom(dom)
    assert page.attribute("html", "lang") == "ru"
    assert page.title == "Статус Acme"
    words = page.words
    for text in (
        "Некоторые системы частично недоступны",
        "Текущие инциденты",
        "Прошедшие инциденты",
        "Не проходят платежи некоторыми картами",
        "Исправление выкатывается. Большинство платежей снова проходят.",
        "Объектное хранилище",
        "Устраняем",
    ):
        assert text in words
    assert "Ð" not in words and "\ufffd" not in words  # no mojibake, no replacement characters
    chromium.screenshot(url, ARTIFACTS / "statuspage-ru.png", 2100)


def test_a_bilingual_page_switches_language(chromium, imf_cli, sp_config, clock, served):
    sp_config(atlassian=False, static={"languages": ["en", "ru"]})
    cli(
        imf_cli,
        "declare",
        "Checkout errors",
        "-s",
        "P2",
        "-S",
        "api",
        "--customer-facing",
        clock=clock,
    )
    url = served()
    english = Dom(chromium.load(url)[0])
    link = next(
        attrs["href"]
        for tag, attrs in english.elements
        if tag == "a" and attrs.get("hreflang") == "ru"
    )
    russian, console = chromium.load(url + str(link))
    assert console == []
    assert Dom(russian).attribute("html", "lang") == "ru"
    assert "Выясняем причину" in Dom(russian).words
