"""Publishing post-mortems to the loopback Confluence: create then update, version conflicts,
duplicate titles, throttling, Data Center, configuration and secrets."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
from tests.plugins.confluence.conftest import EMAIL, TOKEN

from imf.postmortem import PostmortemService
from imf.testing.specs import validate_confluence_request


def pages(fake):
    """The post-mortem pages (the space home page left out)."""
    return [p for p in fake.pages if p.title.startswith("Post-mortem")]


def publish(app, incident_id):
    _, report = PostmortemService.of(app).publish(incident_id)
    return report


def test_publish_creates_the_page_then_updates_it(cloud, confluence_app, resolved):
    app = confluence_app(cloud)
    incident_id = resolved(app)
    PostmortemService.of(app).set_sections(incident_id, {"summary": "First version"})
    report = publish(app, incident_id)
    assert [o.state for o in report.outcomes] == ["delivered"], report
    (page,) = pages(cloud)
    assert (page.title, page.version) == ("Post-mortem INC-1: Checkout errors", 1)
    assert page.parent_id == cloud.spaces["IMF"].homepage_id
    assert "First version" in page.body
    assert sorted(page.labels) == ["api", "checkout-web", "p2", "postmortem"]
    refs = app.store.get(incident_id).refs["confluence"]
    assert refs["page_id"] == page.id and refs["version"] == 1
    link = app.store.get(incident_id).links["Post-mortem (Confluence)"]
    assert link.startswith(f"{cloud.url}/wiki/spaces/IMF/pages/{page.id}/")

    PostmortemService.of(app).set_sections(incident_id, {"summary": "Second version"})
    publish(app, incident_id)
    (page,) = pages(cloud)
    assert page.version == 2
    assert "Second version" in page.body and "First version" in page.history[0]
    assert page.version_message == "Published by imf (publication #2)"
    assert app.store.get(incident_id).refs["confluence"]["version"] == 2
    methods = [(r.method, r.path) for r in cloud.requests if "/label" not in r.path]
    assert methods == [
        ("GET", "/wiki/api/v2/pages"),  # no page id yet: look for our own page first
        ("POST", "/wiki/api/v2/pages"),
        ("PUT", f"/wiki/api/v2/pages/{page.id}"),
    ]
    for request in cloud.requests_to("/wiki/api/v2/pages"):
        if request.method != "GET":
            template = "/pages" if request.method == "POST" else "/pages/{id}"
            assert validate_confluence_request("v2", request.method, template, request.json) == []
    assert all(r.headers["authorization"].startswith("Basic ") for r in cloud.requests)
    cloud.assert_no_spec_errors()


def test_the_space_key_is_resolved_once(cloud, confluence_app, resolved):
    app = confluence_app(cloud, space_id="", space_key="IMF", parent_id="")
    incident_id = resolved(app)
    publish(app, incident_id)
    publish(app, incident_id)
    assert len(cloud.requests_to("/wiki/api/v2/spaces")) == 1
    assert pages(cloud)[0].version == 2


def test_a_stale_version_is_re_read_and_retried(cloud, confluence_app, resolved):
    app = confluence_app(cloud)
    incident_id = resolved(app)
    publish(app, incident_id)
    (page,) = pages(cloud)
    # Someone edits the page in Confluence: version 2 is theirs.
    edited = httpx.put(
        f"{cloud.url}/wiki/api/v2/pages/{page.id}",
        auth=(EMAIL, TOKEN),
        json={
            "id": page.id,
            "status": "current",
            "title": page.title,
            "body": {"representation": "storage", "value": "<p>A reader's edit</p>"},
            "version": {"number": 2},
        },
    )
    assert edited.status_code == 200
    cloud.clear()
    report = publish(app, incident_id)
    assert [o.state for o in report.outcomes] == ["delivered"]
    assert (page.version, "A reader's edit" in page.body) == (3, False)
    puts = cloud.requests_to(f"/wiki/api/v2/pages/{page.id}", "PUT")
    assert [r.json["version"]["number"] for r in puts] == [2, 3]
    assert app.store.get(incident_id).refs["confluence"]["version"] == 3


def test_a_lost_create_answer_finds_its_own_page(cloud, confluence_app, resolved):
    app = confluence_app(cloud)
    incident_id = resolved(app)
    publish(app, incident_id)
    # The page exists but the incident does not know its id (the answer was lost).
    app.service.record(
        incident_id, "external_ref", {"plugin": "confluence", "refs": {"page_id": ""}}
    )
    cloud.clear()
    publish(app, incident_id)  # the same document again: nothing to write
    assert [r.method for r in cloud.requests if "/label" not in r.path] == ["GET"]
    (page,) = pages(cloud)
    assert page.version == 1
    assert app.store.get(incident_id).refs["confluence"]["page_id"] == page.id
    app.service.record(
        incident_id, "external_ref", {"plugin": "confluence", "refs": {"page_id": ""}}
    )
    PostmortemService.of(app).set_sections(incident_id, {"summary": "Now with a summary"})
    cloud.clear()
    publish(app, incident_id)
    assert [r.method for r in cloud.requests if "/label" not in r.path] == ["GET", "PUT"]
    assert (page.version, "Now with a summary" in page.body) == (2, True)
    assert len(pages(cloud)) == 1


def test_a_duplicate_title_on_create_adopts_its_own_page(cloud, confluence_app, resolved):
    app = confluence_app(cloud)
    incident_id = resolved(app)
    publish(app, incident_id)
    app.service.record(
        incident_id, "external_ref", {"plugin": "confluence", "refs": {"page_id": ""}}
    )
    # Search has not caught up yet: the first lookup finds nothing, so the create runs.
    cloud.fail_next(1, 200, {"results": [], "_links": {}}, path="/wiki/api/v2/pages", method="GET")
    PostmortemService.of(app).set_sections(incident_id, {"summary": "Now with a summary"})
    cloud.clear()
    report = publish(app, incident_id)
    assert [o.state for o in report.outcomes] == ["delivered"]
    (created,) = cloud.requests_to("/wiki/api/v2/pages", "POST")
    assert created.path == "/wiki/api/v2/pages"
    statuses = [r.method for r in cloud.requests if "/label" not in r.path]
    assert statuses == ["GET", "POST", "GET", "PUT"]  # find, create (400), find, update
    (page,) = pages(cloud)  # still one page
    assert page.version == 2
    assert app.store.get(incident_id).refs["confluence"]["page_id"] == page.id


def test_someone_elses_page_is_never_overwritten(cloud, confluence_app, resolved):
    app = confluence_app(cloud)
    incident_id = resolved(app)
    theirs = httpx.post(
        f"{cloud.url}/wiki/api/v2/pages",
        auth=(EMAIL, TOKEN),
        json={
            "spaceId": cloud.spaces["IMF"].id,
            "status": "current",
            "title": "Post-mortem INC-1: Checkout errors",
            "body": {"representation": "storage", "value": "<p>Another team's INC-1</p>"},
        },
    )
    assert theirs.status_code == 200
    report = publish(app, incident_id)
    (outcome,) = report.outcomes
    assert outcome.state == "dead"
    assert "already exists in the space and was not created by imf" in outcome.error
    (page,) = pages(cloud)
    assert (page.version, page.body) == (1, "<p>Another team's INC-1</p>")


def test_throttling_is_retried_after_the_delay(cloud, confluence_app, resolved, clock):
    app = confluence_app(cloud)
    incident_id = resolved(app)
    cloud.throttle_next(1, retry_after=30, path="/wiki/api/v2/pages", method="POST")
    (outcome,) = publish(app, incident_id).outcomes
    assert outcome.state == "pending"
    assert "HTTP 429" in outcome.error
    assert outcome.next_attempt_at >= clock.now + timedelta(seconds=30)
    assert pages(cloud) == []
    clock.advance(seconds=20)
    assert app.dispatcher.run().outcomes == []  # not due yet
    clock.advance(seconds=40)
    assert [o.state for o in app.dispatcher.run().outcomes] == ["delivered"]
    assert len(pages(cloud)) == 1


def test_data_center_uses_the_v1_content_api_with_a_bearer_token(
    datacenter, confluence_app, resolved
):
    home = datacenter.spaces["IMF"].homepage_id
    app = confluence_app(datacenter, api="datacenter", parent_id=home, labels=["Team Payments"])
    incident_id = resolved(app)
    publish(app, incident_id)
    publish(app, incident_id)
    (page,) = pages(datacenter)
    assert page.version == 2
    assert sorted(page.labels) == ["api", "checkout-web", "p2", "postmortem", "team-payments"]
    paths = [(r.method, r.path) for r in datacenter.requests]
    assert ("POST", "/confluence/rest/api/content") in paths
    assert ("PUT", f"/confluence/rest/api/content/{page.id}") in paths
    assert ("POST", f"/confluence/rest/api/content/{page.id}/label") in paths
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in datacenter.requests)
    (create,) = [
        r
        for r in datacenter.requests
        if (r.method, r.path) == ("POST", "/confluence/rest/api/content")
    ]
    assert create.json["ancestors"] == [{"id": home}]
    assert validate_confluence_request("v1", "POST", "/content", create.json) == []
    link = app.store.get(incident_id).links["Post-mortem (Confluence)"]
    assert link == f"{datacenter.server_url}/pages/viewpage.action?pageId={page.id}"
    datacenter.assert_no_spec_errors()


def test_page_headings_follow_the_language(cloud, confluence_app, resolved):
    app = confluence_app(cloud, lang="ru")
    incident_id = resolved(app)
    publish(app, incident_id)
    (page,) = pages(cloud)
    assert "<h2>Краткое резюме</h2>" in page.body
    assert "Без поиска виноватых" not in page.body  # the page says it in its own words
    assert "проводится без поиска виноватых (blameless)" in page.body


def test_configuration_errors_name_the_key(imf_cli, imf_config, monkeypatch):
    monkeypatch.setenv("CONFLUENCE_TOKEN", TOKEN)
    token = {"env": "CONFLUENCE_TOKEN"}
    cases = [
        ({"base_url": "https://x.example", "space_id": "1", "api_token": token},
         "plugins.confluence: invalid value: email is required for basic authentication"),
        ({"base_url": "https://x.example", "api": "datacenter", "api_token": token},
         "plugins.confluence: invalid value: space_key is required with api = 'datacenter'"),
        ({"base_url": "x.example", "space_id": "1", "email": "a@b", "api_token": token},
         "base_url must start with https://"),
        ({"base_url": "https://x.example", "space_id": "1", "api": "server", "api_token": token},
         "plugins.confluence.api: 'server' is not one of: cloud, datacenter"),
        ({"base_url": "https://x.example", "space_id": "1", "api_token": {"env": "NOPE"}},
         "plugins.confluence.api_token: environment variable NOPE is not set"),
    ]  # fmt: skip
    for table, message in cases:
        imf_config({"plugins": {"confluence": table}})
        result = imf_cli("config", "validate")
        assert result.exit_code == 2, result
        assert message in result.stderr
        assert result.stderr.count("\n") == 1


def test_the_token_never_appears_in_output(cloud, confluence_app, resolved, imf_cli, imf_config):
    app = confluence_app(cloud, api_token="wrong-secret-token-93b1")
    incident_id = resolved(app)
    (outcome,) = publish(app, incident_id).outcomes
    assert outcome.state == "dead"
    assert "HTTP 401" in outcome.error
    shown = json.dumps(
        [d.last_error for d in app.store.deliveries(states=("dead",))]
        + [app.store.get(incident_id).refs.get("confluence", {})]
    )
    assert "wrong-secret-token-93b1" not in shown + outcome.error
    assert "/wiki/api/v2" not in outcome.error  # errors name the service, not the URL
