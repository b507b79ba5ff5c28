"""The self-hosted static status page: rendering, escaping, atomic writes, state, history."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import imf_statuspage
from imf_statuspage import static
from imf_statuspage.config import StaticConfig
from imf_statuspage.page import Record, uptime

INTERNAL = "db-primary pool exhausted after deploy 4411 (ticket OPS-17)"
ATOM = "{http://www.w3.org/2005/Atom}"


def run(imf_cli: Any, *args: str, **kwargs: Any) -> Any:
    result = imf_cli(*args, **kwargs)
    assert result.exit_code == 0, result
    return result


def status_json(site: Path) -> dict[str, Any]:
    return dict(json.loads((site / "status.json").read_text(encoding="utf-8")))


def every_file(site: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in site.rglob("*") if p.is_file())


class Outline(HTMLParser):
    """Headings, attributes and elements of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[int] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def outline(path: Path) -> Outline:
    parser = Outline()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_a_public_incident_from_declare_to_resolve(imf_cli, sp_config, site):
    sp_config(atlassian=False, static=True)
    run(
        imf_cli,
        "declare",
        "Checkout errors",
        "-s",
        "P2",
        "-S",
        "api",
        "-S",
        "payments",
        "-S",
        "internal-db",
        "--customer-facing",
        "--summary",
        INTERNAL,
    )
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Checkout errors" in index
    assert "Some systems are partially unavailable" in index
    assert "We are investigating reports of a problem." in index
    status = status_json(site)
    assert status["status"]["indicator"] == "major"
    assert {c["name"]: c["status"] for c in status["components"]} == {
        "Public API": "partial_outage",
        "Website": "operational",
        "Payments": "partial_outage",
    }
    assert status["incidents"][0]["components"] == ["Public API", "Payments"]

    run(imf_cli, "note", "INC-1", INTERNAL)
    run(
        imf_cli,
        "update",
        "INC-1",
        "--status",
        "identified",
        "--summary",
        INTERNAL,
        "--public",
        "We found the cause and are rolling back.",
    )
    page = (site / "incidents" / "inc-1.html").read_text(encoding="utf-8")
    assert "We found the cause and are rolling back." in page
    assert page.index("rolling back") < page.index("We are investigating")  # newest first

    run(imf_cli, "resolve", "INC-1", "--force", "verified", "--public", "Checkout works again.")
    status = status_json(site)
    assert status["status"] == {"indicator": "none", "description": "All systems operational"}
    assert status["incidents"] == []
    (past,) = status["history"]
    assert past["updates"][0]["body"] == "Checkout works again."
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "All systems operational" in index and "Past incidents" in index
    assert INTERNAL not in every_file(site)
    assert "internal-db" not in every_file(site)
    shown = run(imf_cli, "show", "INC-1", "--json").json()
    assert shown["incident"]["refs"]["statuspage"]["static"] == {"page": "incidents/inc-1.html"}


def test_internal_incidents_stay_off_the_page(imf_cli, sp_config, site):
    sp_config(atlassian=False, static=True, severities=["P1"])
    run(imf_cli, "declare", "Build farm slow", "-s", "P3", "-S", "api")
    run(imf_cli, "resolve", "INC-1", "--force", "verified")
    assert not site.exists()
    run(imf_cli, "declare", "Everything down", "-s", "P1", "-S", "web")
    assert [i["name"] for i in status_json(site)["incidents"]] == ["Everything down"]
    run(imf_cli, "statuspage", "build")
    assert "Build farm slow" not in every_file(site)


def test_escalation_changes_the_impact_shown(imf_cli, sp_config, site):
    sp_config(atlassian=False, static=True)
    run(imf_cli, "declare", "Slow search", "-s", "P3", "-S", "web", "--customer-facing")
    assert status_json(site)["components"][1] == {
        "name": "Website",
        "status": "degraded_performance",
    }
    run(imf_cli, "escalate", "INC-1", "-s", "P1", "--reason", INTERNAL)
    status = status_json(site)
    assert status["status"]["indicator"] == "critical"
    assert status["incidents"][0]["impact"] == "critical"
    assert len(status["incidents"][0]["updates"]) == 1
    assert "banner-major_outage" in (site / "index.html").read_text(encoding="utf-8")


def test_hostile_text_renders_as_text_everywhere(imf_cli, sp_config, site):
    title = 'Login <script>alert(1)</script> & <img src=x onerror=alert(2)> \x1b[31m"quoted"'
    sp_config(atlassian=False, static={"base_url": "https://status.example.com"})
    run(imf_cli, "declare", title, "-s", "P2", "-S", "api", "--customer-facing")
    run(imf_cli, "update", "INC-1", "--public", "</p><script>steal()</script><p onclick=x>")
    for page in (site / "index.html", site / "incidents" / "inc-1.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html and "<img" not in html and "<p onclick" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;/p&gt;&lt;script&gt;steal()" in html
        assert "\x1b" not in html
        found = outline(page)
        assert not [tag for tag, attrs in found.tags if any(a.startswith("on") for a in attrs)]
    feed = ET.parse(site / "feed.atom").getroot()
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text.endswith(title.replace("\x1b", ""))
    assert "<script>steal()</script>" in entry.find(f"{ATOM}content").text
    assert status_json(site)["incidents"][0]["name"] == title.replace("\x1b", "")


def test_atom_feed_with_a_base_url_links_absolutely(imf_cli, sp_config, site):
    sp_config(atlassian=False, static={"base_url": "https://status.example.com/"})
    run(imf_cli, "declare", "Checkout errors", "-s", "P2", "-S", "api", "--customer-facing")
    run(imf_cli, "update", "INC-1", "--public", "Found it.")
    feed = ET.parse(site / "feed.atom").getroot()
    assert feed.find(f"{ATOM}id").text == "https://status.example.com/feed.atom"
    entry = feed.find(f"{ATOM}entry")
    link = "https://status.example.com/incidents/inc-1.html"
    assert entry.find(f"{ATOM}id").text == link
    assert entry.find(f"{ATOM}link").get("href") == link
    for name in ("title", "updated", "published", "content"):
        assert entry.find(f"{ATOM}{name}") is not None
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Acme status"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", feed.find(f"{ATOM}updated").text)
    links = run(imf_cli, "show", "INC-1", "--json").json()["incident"]["refs"]["statuspage"][
        "links"
    ]
    assert links == {"Status page (self-hosted)": link}


def test_pages_are_accessible_and_need_no_javascript(imf_cli, sp_config, site):
    sp_config(atlassian=False, static=True)
    run(imf_cli, "declare", "Checkout errors", "-s", "P1", "-S", "api", "--customer-facing")
    run(imf_cli, "declare", "Slow search", "-s", "P3", "-S", "web", "--customer-facing")
    run(imf_cli, "resolve", "INC-2", "--force", "verified")
    for page in (site / "index.html", site / "incidents" / "inc-1.html"):
        found = outline(page)
        html = next(attrs for tag, attrs in found.tags if tag == "html")
        assert html["lang"] == "en"
        assert found.headings.count(1) == 1 and found.headings[0] == 1
        assert all(b - a <= 1 for a, b in zip(found.headings, found.headings[1:], strict=False))
        assert not [tag for tag, _ in found.tags if tag in ("script", "iframe", "object")]
        assert any(tag == "main" for tag, _ in found.tags)
        for _tag, attrs in found.tags:
            if "bars" in (attrs.get("class") or "").split():
                assert attrs.get("aria-hidden") == "true"
    css = (site / "index.html").read_text(encoding="utf-8")
    assert "@media (prefers-color-scheme: dark)" in css
    assert 'name="color-scheme" content="light dark"' in css


def test_writes_are_atomic_and_readable_by_a_web_server(imf_cli, sp_config, site):
    sp_config(atlassian=False, static=True)
    run(imf_cli, "declare", "Checkout errors", "-s", "P2", "-S", "api", "--customer-facing")
    before = (site / "index.html").read_text(encoding="utf-8")
    with open(site / "index.html", encoding="utf-8") as reader:
        run(imf_cli, "update", "INC-1", "--public", "Found it.")
        # The open file is the old one, whole: the new one replaced it by a rename.
        assert reader.read() == before
    assert "Found it." in (site / "index.html").read_text(encoding="utf-8")
    assert not [p for p in site.rglob("*.tmp")]
    for path in site.rglob("*.html"):
        assert path.stat().st_mode & 0o777 == 0o644


def test_deliveries_alone_and_a_build_from_the_store_agree(imf_cli, sp_config, site, clock):
    sp_config(atlassian=False, static={"languages": ["en", "ru"]})
    run(
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
    clock.advance(minutes=10)
    run(imf_cli, "update", "INC-1", "--status", "identified", "--public", "Found it.", clock=clock)
    clock.advance(minutes=10)
    run(
        imf_cli, "declare", "Slow search", "-s", "P3", "-S", "web", "--customer-facing", clock=clock
    )
    clock.advance(minutes=10)
    run(imf_cli, "resolve", "INC-1", "--force", "verified", "--public", "Fixed.", clock=clock)
    run(imf_cli, "reopen", "INC-1", clock=clock)
    delivered = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    result = run(imf_cli, "statuspage", "build", "--json", clock=clock)
    assert result.json() == {"path": str(site), "count": 2, "open": 2}
    rebuilt = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert rebuilt.keys() == delivered.keys()
    differing = [str(name) for name in rebuilt if rebuilt[name] != delivered[name]]
    assert differing == [".imf-state.json"]  # sequence numbers only
    (first,) = [i for i in status_json(site)["incidents"] if i["id"] == "INC-1"]
    body = [u["body"] for u in first["updates"]]
    assert body[:2] == ["The problem has come back. We are investigating again.", "Fixed."]


def test_a_lost_output_directory_comes_back_with_the_next_event(imf_cli, sp_config, site):
    sp_config(atlassian=False, static=True)
    run(imf_cli, "declare", "Checkout errors", "-s", "P2", "-S", "api", "--customer-facing")
    run(imf_cli, "update", "INC-1", "--public", "First.")
    for path in sorted(site.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    site.rmdir()
    run(imf_cli, "update", "INC-1", "--public", "Second.")
    bodies = [u["body"] for u in status_json(site)["incidents"][0]["updates"]]
    assert bodies == [
        "Second.",
        "First.",
        "We are investigating reports of a problem. We will post an update as "
        "soon as we know more.",
    ]


def test_a_late_delivery_of_an_older_event_does_not_turn_the_page_back(imf_app, sp_config, site):
    sp_config(atlassian=False, static=True)
    app = imf_app()
    declared, _ = app.service.declare(
        "Checkout errors", severity="P2", services=["api"], customer_facing=True
    )
    app.service.resolve(declared.id, public="Fixed.", force_reason="verified")
    event = app.store.events(declared.id)[0]
    imf_statuspage.imf_declare(declared, event, app.context("statuspage", declared))
    status = status_json(site)
    assert status["incidents"] == []
    assert status["history"][0]["status"] == "resolved"


def test_a_damaged_state_file_is_retried_until_a_build_repairs_it(imf_cli, sp_config, site, clock):
    sp_config(atlassian=False, static=True)
    run(
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
    (site / ".imf-state.json").write_text("{not json", encoding="utf-8")
    result = run(imf_cli, "update", "INC-1", "--public", "Found it.", clock=clock)
    assert "not a status page state file" in result.stderr
    assert "imf statuspage build" in result.stderr
    (pending,) = run(imf_cli, "outbox", "--json").json()
    assert pending["state"] == "pending"
    run(imf_cli, "statuspage", "build", clock=clock)
    assert "Found it." in (site / "index.html").read_text(encoding="utf-8")
    clock.advance(minutes=5)
    run(imf_cli, "deliver", clock=clock)
    assert run(imf_cli, "outbox", "--json").json() == []


def test_an_unwritable_output_directory_is_a_retryable_failure(imf_cli, sp_config, site):
    site.parent.mkdir(parents=True, exist_ok=True)
    site.write_text("a file, not a directory", encoding="utf-8")
    sp_config(atlassian=False, static=True)
    result = run(imf_cli, "declare", "Checkout errors", "-s", "P2", "--customer-facing")
    assert "cannot write the status page" in result.stderr
    (pending,) = run(imf_cli, "outbox", "--json").json()
    assert pending["state"] == "pending"


def test_the_history_shows_the_configured_window(imf_cli, sp_config, site, clock):
    sp_config(atlassian=False, static={"history_days": 90})
    now = clock.now
    clock.now = now - timedelta(days=120)
    run(
        imf_cli,
        "declare",
        "Ancient outage",
        "-s",
        "P1",
        "-S",
        "api",
        "--customer-facing",
        clock=clock,
    )
    clock.advance(hours=2)
    run(imf_cli, "resolve", "INC-1", "--force", "verified", clock=clock)
    clock.now = now - timedelta(days=30)
    run(
        imf_cli,
        "declare",
        "Recent outage",
        "-s",
        "P1",
        "-S",
        "api",
        "--customer-facing",
        clock=clock,
    )
    clock.advance(hours=9)
    run(imf_cli, "resolve", "INC-2", "--force", "verified", clock=clock)
    clock.now = now
    run(imf_cli, "statuspage", "build", clock=clock)
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Recent outage" in index and "Ancient outage" not in index
    assert [i["name"] for i in status_json(site)["history"]] == ["Recent outage"]
    bars = re.findall(r'class="bar bar-(\w+)"', index)
    assert len(bars) == 3 * 90
    api = bars[:90]
    assert api[-31] == "major_outage" or api[-30] == "major_outage"
    assert api.count("major_outage") in (1, 2)
    assert "99.58 % uptime over 90 days" in index  # 9 hours of 90 days


@pytest.mark.parametrize("configured", [{"languages": ["ru"]}, True])
def test_a_russian_page(imf_cli, sp_config, site, configured):
    sp_config(atlassian=False, static=configured, language="ru")
    run(imf_cli, "declare", "Оплата недоступна", "-s", "P1", "-S", "payments", "--customer-facing")
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ru">' in index
    assert "Некоторые системы недоступны" in index
    assert "Текущие инциденты" in index and "Оплата недоступна" in index
    assert status_json(site)["page"]["language"] == "ru"


def test_a_bilingual_page_links_each_language(imf_cli, sp_config, site):
    sp_config(atlassian=False, static={"languages": ["en", "ru"]})
    run(imf_cli, "declare", "Checkout errors", "-s", "P2", "-S", "api", "--customer-facing")
    english, russian = site / "incidents" / "inc-1.html", site / "ru" / "incidents" / "inc-1.html"
    assert '<html lang="en">' in english.read_text(encoding="utf-8")
    assert '<html lang="ru">' in russian.read_text(encoding="utf-8")
    for page in (site / "index.html", site / "ru" / "index.html", english, russian):
        for tag, attrs in outline(page).tags:
            if tag == "a" and attrs.get("hreflang"):
                target = (page.parent / str(attrs["href"])).resolve()
                assert target.is_file(), (page, attrs)
                lang = attrs["hreflang"]
                assert f'<html lang="{lang}">' in target.read_text(encoding="utf-8")
    assert (site / "ru" / "feed.atom").is_file()
    assert not (site / "ru" / "status.json").exists()


def test_the_russian_page_has_no_untranslated_text(imf_cli, sp_config, site):
    names = {"api": "Платёжный шлюз", "web": "Сайт", "payments": "Оплата"}
    sp_config(atlassian=False, static={"components": names}, language="ru")
    run(imf_cli, "declare", "Оплата недоступна", "-s", "P1", "-S", "payments", "--customer-facing")
    run(imf_cli, "declare", "Сайт тормозит", "-s", "P3", "-S", "web", "--customer-facing")
    run(imf_cli, "update", "INC-2", "--status", "mitigating")
    run(imf_cli, "resolve", "INC-2", "--force", "verified")
    allowed = {"Acme", "UTC", "Atom", "JSON", "imf"}
    for page in (site / "index.html", site / "incidents" / "inc-2.html"):
        text = " ".join(outline(page).text)
        text = text[text.index("</style>") + 8 :] if "</style>" in text else text
        body = text.split("}")[-1]  # the page text after the inline style sheet
        latin = set(re.findall(r"[A-Za-z]{2,}", body)) - allowed
        assert not latin, (page.name, latin)


def test_uptime_counts_overlaps_once_at_the_worst_weight():
    from datetime import UTC, datetime

    now = datetime(2026, 3, 1, tzinfo=UTC)
    since = now - timedelta(days=10)

    def record(status: str, start_hours: float, hours: float) -> Record:
        start = since + timedelta(hours=start_hours)
        return Record(
            "INC-1",
            "t",
            "major",
            status,
            ("api",),
            "resolved",
            start,
            start + timedelta(hours=hours),
            (),
        )

    assert uptime("api", [], since, now) == 100.0
    major = record("major_outage", 10, 24)
    assert uptime("api", [major], since, now) == pytest.approx(90.0)
    partial = record("partial_outage", 0, 24)  # overlaps the major outage for 14 hours
    assert uptime("api", [major, partial], since, now) == pytest.approx(
        100 * (1 - (24 + 0.3 * 10) / 240)
    )
    assert uptime("web", [major], since, now) == 100.0
    degraded = record("degraded_performance", 0, 240)
    assert uptime("api", [degraded], since, now) == 100.0


def test_output_dir_is_relative_to_the_working_directory(imf_home):
    config = StaticConfig(output_dir="public/status")
    assert static.output_dir(config) == Path("public/status")
    assert (Path(os.getcwd()) / static.output_dir(config)).parent.name == "public"
