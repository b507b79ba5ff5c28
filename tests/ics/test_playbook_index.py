"""The playbook index behind suggestions on declare: same answers as the full parser, files
changed, added or removed are seen, broken files are still reported, and a cache that
cannot be used is ignored."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import imf
from imf.cli.common import t
from imf.cli.ics import declare_playbook, suggestions
from imf.errors import NotFoundError
from imf.ics import playbook_index, playbooks
from imf.ics.text import localize

CACHE = textwrap.dedent(
    """\
    name = "cache-outage"
    title = { en = "Cache outage", ru = "Отказ кэша" }
    severity = "P2"

    [match]
    services = ["redis"]
    tags = ["cache"]
    keywords = ["cache", "кэш"]

    [[phases]]
    id = "initial"
    title = "Initial response"

    [[phases.steps]]
    id = "ping"
    text = "Ping the cache"
    """
)
QUEUE = (
    CACHE.replace("cache-outage", "queue-outage")
    .replace("Cache outage", "Queue outage")
    .replace('"redis"', '"kafka"')
    .replace('["cache", "кэш"]', '["queue", "lag"]')
    .replace('tags = ["cache"]', 'tags = ["queue"]')
)
DATABASE = (
    CACHE.replace("cache-outage", "database-outage")
    .replace('"redis"', '"db"')
    .replace('["cache", "кэш"]', '["database"]')
    .replace('tags = ["cache"]', 'tags = ["db"]')
)
#: A file the linter rejects with a parameter that JSON cannot hold (a date).
DATED = CACHE.replace("cache-outage", "dated") + textwrap.dedent(
    """
    [[escalation]]
    id = "vendor"
    after = 1979-05-27
    to = "vendor"
    """
)


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def settled(monkeypatch):
    """Remember files however recently they changed (the files of a test are seconds old)."""
    monkeypatch.setattr(playbook_index, "SETTLE_NS", -(10**15))


@pytest.fixture
def no_parsing(monkeypatch):
    """Make any use of the full parser fail: what passes then came from the index."""

    def enable():
        def refuse(*args, **kwargs):
            raise AssertionError("the playbook file was parsed")

        monkeypatch.setattr(playbooks, "read", refuse)
        monkeypatch.setattr(playbooks, "discover", refuse)

    return enable


@pytest.fixture
def org(imf_home, imf_config):
    """``[imf] playbook_dir`` set to ``./playbooks`` (the directory is created)."""
    directory = imf_home.path / "playbooks"
    directory.mkdir()
    imf_config({"imf": {"playbook_dir": "playbooks"}})
    return directory


def cache_files(imf_home) -> list[Path]:
    return sorted((imf_home.path / "home" / ".cache" / "imf").glob("playbooks-*.json"))


def remembered(imf_home) -> dict:
    (path,) = cache_files(imf_home)
    return json.loads(path.read_text(encoding="utf-8"))["files"]


def reference(app, incident) -> tuple[list[dict], list[str]]:
    """Suggestions and warnings as the full parser gives them."""
    found = playbooks.discover(app)
    suggested = [
        {
            "name": book.name,
            "title": localize(book.title, app.lang),
            "severity": book.severity,
            "reasons": [{"kind": kind, "value": value} for kind, value in reasons],
        }
        for book, reasons in playbooks.suggest(found, incident)
    ]
    warnings = [
        "imf: " + t("ics.playbook_skipped", problem=p.render(app.lang)) for p in found.problems
    ]
    return suggested, warnings


def suggest(app, incident, capsys) -> tuple[list[dict], list[str]]:
    capsys.readouterr()
    found = suggestions(app, incident)
    captured = capsys.readouterr()
    assert captured.out == ""
    return found, captured.err.splitlines()


def names(found: list[dict]) -> list[str]:
    return [entry["name"] for entry in found]


# --- the same answers as the full parser -------------------------------------------------------


class VendorPlaybooks:
    IMF_ACTIVE_BY_DEFAULT = True

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @imf.hookimpl
    def imf_playbook_dirs(self):
        return [self.directory]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_suggestions_from_the_index_equal_the_full_parse(
    imf_home, org, imf_app, capsys, settled, no_parsing, lang
):
    vendor = imf_home.path / "vendor"
    write(vendor, "cache.toml", CACHE)
    write(vendor, "queue.toml", QUEUE)
    write(org, "a-db.toml", DATABASE)
    write(org, "b-queue.toml", QUEUE.replace("Queue outage", "Очередь стоит"))
    write(org, "c-queue-again.toml", QUEUE)  # a duplicate name in one directory
    write(org, "d-broken.toml", 'name = "broken"\n')
    write(org, "e-syntax.toml", 'name = "x"\ntitle = \n')
    write(org, "f-dated.toml", DATED)
    write(org, "notes.txt", "not a playbook")
    app = imf_app(plugins={"vendor": VendorPlaybooks(vendor)}, lang=lang)
    declare = app.service.declare
    incidents = [
        declare("Кэш и очередь: lag растёт", severity="P2")[0],
        declare("Orders slow, queue lag", severity="P3", services=["Redis", "db"], tags=["QUEUE"])[
            0
        ],
        declare("Nothing to see", severity="P4", summary="the database (db) is fine")[0],
        declare("Feedback form broken", severity="P4")[0],
    ]
    attached, _ = app.service.record(
        incidents[0].id, "playbook_attached", {"playbook": "queue-outage"}
    )
    incidents.append(attached)
    first = [suggest(app, incident, capsys) for incident in incidents]
    expected = [reference(app, incident) for incident in incidents]
    assert first == expected
    assert [names(found) for found, _ in first] == [
        ["cache-outage", "queue-outage"],
        ["queue-outage", "cache-outage", "database-outage"],
        ["database-outage"],
        [],
        ["cache-outage"],
    ]
    warnings = first[0][1]
    assert len(warnings) == 5 and all(str(org) in line for line in warnings)
    assert str(org / "f-dated.toml") in warnings[-1]
    files = remembered(imf_home)
    assert str(org / "d-broken.toml") in files and str(vendor / "queue.toml") in files
    assert str(org / "f-dated.toml") not in files  # its problem quotes a date
    no_parsing()
    with pytest.raises(AssertionError):
        playbooks.read(org / "a-db.toml")
    org.joinpath("f-dated.toml").unlink()  # the one file parsed on every command
    expected = [(found, warnings[:-1]) for found, warnings in expected]
    assert [suggest(app, incident, capsys) for incident in incidents] == expected


def test_the_bundled_playbook_is_remembered(imf_app, imf_home, capsys, no_parsing):
    app = imf_app()
    incident, _ = app.service.declare("Primary database down", severity="P1")
    first = suggest(app, incident, capsys)
    assert names(first[0]) == ["database-outage"] and first[1] == []
    assert list(remembered(imf_home)) == [str(playbooks.bundled_dir() / "database-outage.toml")]
    cached = cache_files(imf_home)[0].stat().st_mtime_ns
    no_parsing()
    assert suggest(app, incident, capsys) == first
    assert cache_files(imf_home)[0].stat().st_mtime_ns == cached  # nothing to write


def test_a_warm_index_imports_no_parser(imf_home):
    script = textwrap.dedent(
        """\
        import json, sys
        from imf.app import App
        from imf.cli.ics import suggestions

        app = App.create()
        incident, _ = app.service.declare("Primary database down", severity="P1")
        before = set(sys.modules)
        found = suggestions(app, incident)
        print(json.dumps([[f["name"] for f in found], sorted(set(sys.modules) - before)]))
        """
    )

    def run():
        proc = subprocess.run(
            [sys.executable, "-c", script],
            env=imf_home.env,
            cwd=imf_home.path,
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)

    parser = {"imf.ics.playbooks", "imf.ics.tomllines", "tomllib", "attrs", "attr", "difflib"}
    found, imported = run()
    assert found == ["database-outage"] and "imf.ics.playbooks" in imported
    found, imported = run()
    assert found == ["database-outage"]
    assert not parser & set(imported), imported


# --- changes are seen ----------------------------------------------------------------------------


def old(path: Path, seconds: int = 3600) -> None:
    """Set the modification time of ``path`` to ``seconds`` ago."""
    when = time.time_ns() - seconds * 10**9
    os.utime(path, ns=(when, when))


def test_an_edit_keeping_the_size_is_seen(org, imf_app, imf_home, capsys, settled):
    path = write(org, "cache.toml", CACHE)
    old(path, 7200)
    app = imf_app()
    incident, _ = app.service.declare("Nginx is down", severity="P2", services=["nginx"])
    assert names(suggest(app, incident, capsys)[0]) == []
    before = remembered(imf_home)[str(path)]
    edited = CACHE.replace('"redis"', '"nginx"').replace('"cache", ', '"cache1",')
    assert len(edited.encode()) == len(CACHE.encode())
    path.write_text(edited, encoding="utf-8")
    old(path, 3600)
    found, _ = suggest(app, incident, capsys)
    assert found == reference(app, incident)[0]
    assert found[0]["reasons"] == [{"kind": "service", "value": "nginx"}]
    after = remembered(imf_home)[str(path)]
    assert after["stamp"][0] == before["stamp"][0] and after["stamp"] != before["stamp"]


def test_an_edit_keeping_size_and_modification_time_is_seen(
    org, imf_app, imf_home, capsys, settled
):
    path = write(org, "cache.toml", CACHE)
    old(path)
    app = imf_app()
    incident, _ = app.service.declare("Nginx is down", severity="P2")
    assert names(suggest(app, incident, capsys)[0]) == []
    stat = path.stat()
    edited = CACHE.replace('["cache", "кэш"]', '["nginx", "кэш"]')
    assert len(edited.encode()) == len(CACHE.encode())
    while True:  # until the change time moves on (file system clocks tick coarsely)
        path.write_text(edited, encoding="utf-8")
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        if path.stat().st_ctime_ns != stat.st_ctime_ns:
            break
        time.sleep(0.005)
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    assert names(suggest(app, incident, capsys)[0]) == ["cache-outage"]


def test_a_file_changed_seconds_ago_is_parsed_again(org, imf_app, imf_home, capsys):
    path = write(org, "cache.toml", CACHE)
    app = imf_app()
    incident, _ = app.service.declare("Nginx is down", severity="P2")
    assert names(suggest(app, incident, capsys)[0]) == []
    assert str(path) not in remembered(imf_home)  # too new to trust its times
    stat = path.stat()
    path.write_text(CACHE.replace('["cache", "кэш"]', '["nginx", "кэш"]'), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert names(suggest(app, incident, capsys)[0]) == ["cache-outage"]


def test_a_size_change_is_seen_with_the_same_modification_time(
    org, imf_app, imf_home, capsys, settled
):
    path = write(org, "cache.toml", CACHE)
    old(path)
    app = imf_app()
    incident, _ = app.service.declare("Kafka lag", severity="P2")
    assert names(suggest(app, incident, capsys)[0]) == []
    stat = path.stat()
    path.write_text(CACHE.replace('"кэш"', '"кэш", "kafka"'), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert names(suggest(app, incident, capsys)[0]) == ["cache-outage"]


def test_added_removed_and_broken_files_are_seen(org, imf_app, imf_home, capsys, settled):
    cache = write(org, "cache.toml", CACHE)
    old(cache)
    app = imf_app()
    incident, _ = app.service.declare("Cache and queue lag", severity="P2")
    assert suggest(app, incident, capsys) == (reference(app, incident)[0], [])
    queue = write(org, "queue.toml", QUEUE)
    assert names(suggest(app, incident, capsys)[0]) == ["queue-outage", "cache-outage"]
    cache.unlink()
    assert names(suggest(app, incident, capsys)[0]) == ["queue-outage"]
    assert list(remembered(imf_home)) == [
        str(playbooks.bundled_dir() / "database-outage.toml"),
        str(queue),
    ]
    queue.write_text(QUEUE.replace('id = "ping"', 'id = "Ping!"'), encoding="utf-8")
    old(queue, 60)
    found, warnings = suggest(app, incident, capsys)
    assert found == [] and warnings == [
        f"imf: warning: playbook skipped: {queue}:15: phases[0].steps[0].id: 'Ping!' is not "
        "a valid id (lower-case letters, digits and '-')"
    ]


# --- broken files and directories ----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_broken_files_are_reported_from_the_index_too(
    org, imf_app, capsys, settled, no_parsing, lang
):
    write(org, "a.toml", CACHE)
    broken = write(org, "broken.toml", 'name = "broken"\n')
    syntax = write(org, "syntax.toml", 'name = "x"\ntitle = \n')
    write(org, "twin.toml", CACHE)
    app = imf_app(lang=lang)
    incident, _ = app.service.declare("Cache down", severity="P2")
    first = suggest(app, incident, capsys)
    assert first == reference(app, incident)
    assert names(first[0]) == ["cache-outage"]
    assert len(first[1]) == 4
    assert str(broken) in first[1][0] and str(syntax) in first[1][2]
    if lang == "en":
        assert first[1][0] == (
            f"imf: warning: playbook skipped: {broken}:1: title: required key is missing"
        )
        assert first[1][3] == (
            f"imf: warning: playbook skipped: {org / 'twin.toml'}:1: name: playbook "
            f"'cache-outage' is also defined in {org / 'a.toml'}"
        )
    no_parsing()
    assert suggest(app, incident, capsys) == first


def test_a_missing_playbook_dir_is_reported_on_every_declare(imf_config, imf_app, capsys):
    imf_config({"imf": {"playbook_dir": "no-such-dir"}})
    app = imf_app()
    incident, _ = app.service.declare("DB down", severity="P1")
    for _ in range(2):
        found, warnings = suggest(app, incident, capsys)
        assert found == [] and len(warnings) == 1 and "no-such-dir" in warnings[0]


# --- a cache that cannot be used -----------------------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    [
        "garbage",
        "not-utf8",
        "truncated",
        "wrong-key",
        "wrong-shapes",
        "directory",
    ],
)
def test_an_unusable_cache_file_is_ignored(org, imf_app, imf_home, capsys, settled, damage):
    write(org, "cache.toml", CACHE)
    broken = write(org, "broken.toml", 'name = "broken"\n')
    for path in org.iterdir():
        old(path)
    app = imf_app()
    incident, _ = app.service.declare("Cache down", severity="P2", tags=["database"])
    expected = reference(app, incident)
    assert suggest(app, incident, capsys) == expected
    (path,) = cache_files(imf_home)
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    original = json.loads(text)
    if damage == "garbage":
        path.write_text("{[}" * 10, encoding="utf-8")
    elif damage == "not-utf8":
        path.write_bytes(b"\xff\xfe\x00garbage")
    elif damage == "truncated":
        path.write_text(text[: len(text) // 2], encoding="utf-8")
    elif damage == "wrong-key":
        data["key"] = "another imf"
        for entry in data["files"].values():
            entry["playbook"] = {"name": "bogus"}
        path.write_text(json.dumps(data), encoding="utf-8")
    elif damage == "wrong-shapes":
        files = data["files"]
        files[str(org / "cache.toml")]["playbook"]["services"] = "redis"
        files[str(broken)]["problems"] = [["1", "ics.lint.missing_key", {}]]
        bundled = str(playbooks.bundled_dir() / "database-outage.toml")
        files[bundled]["playbook"]["title"] = ["Database outage"]
        path.write_text(json.dumps(data), encoding="utf-8")
    else:
        path.unlink()
        path.mkdir()
    assert suggest(app, incident, capsys) == expected
    if damage == "directory":
        assert path.is_dir()
    else:
        assert json.loads(path.read_text(encoding="utf-8")) == original


def test_an_unwritable_cache_directory_is_ignored(org, imf_app, imf_home, capsys, monkeypatch):
    write(org, "cache.toml", CACHE)
    blocker = imf_home.path / "not-a-directory"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("IMF_CACHE_DIR", str(blocker / "imf"))
    monkeypatch.setattr(playbook_index, "SETTLE_NS", -(10**15))
    app = imf_app()
    incident, _ = app.service.declare("Cache down", severity="P2")
    for _ in range(2):
        found, warnings = suggest(app, incident, capsys)
        assert names(found) == ["cache-outage"] and warnings == []
    assert blocker.read_text(encoding="utf-8") == ""


def test_the_cache_directory_follows_imf_cache_dir(org, imf_app, imf_home, monkeypatch, capsys):
    monkeypatch.setenv("IMF_CACHE_DIR", str(imf_home.path / "elsewhere"))
    app = imf_app()
    incident, _ = app.service.declare("Cache down", severity="P2")
    suggest(app, incident, capsys)
    assert len(list((imf_home.path / "elsewhere").glob("playbooks-*.json"))) == 1
    assert cache_files(imf_home) == []


# --- declare --playbook --------------------------------------------------------------------------


def test_declare_playbook_finds_the_winning_file(org, imf_app, settled):
    ours = write(org, "db.toml", CACHE.replace("cache-outage", "database-outage"))
    old(ours)
    app = imf_app()
    book = declare_playbook(app, " database-outage ")
    assert isinstance(book, playbooks.Playbook)
    assert book == playbooks.discover(app).get("database-outage")
    assert book.source == str(ours) and book.services == ("redis",)
    with pytest.raises(NotFoundError) as error:
        declare_playbook(app, "nope")
    assert error.value.params["known"] == "database-outage"
    ours.write_text(CACHE, encoding="utf-8")  # renamed to cache-outage, same size or not
    assert declare_playbook(app, "cache-outage").source == str(ours)
    assert declare_playbook(app, "database-outage").source == str(
        playbooks.bundled_dir() / "database-outage.toml"
    )


def test_declare_playbook_when_the_file_changes_meanwhile(org, imf_app, settled, monkeypatch):
    ours = write(org, "db.toml", CACHE)
    old(ours)
    app = imf_app()
    index = playbook_index.load(app)
    ours.write_text(CACHE.replace("cache-outage", "queue-outage"), encoding="utf-8")
    with pytest.raises(NotFoundError) as error:
        index.playbook(app, "cache-outage")
    assert error.value.params["known"] == "database-outage, queue-outage"


# --- matching ------------------------------------------------------------------------------------


@given(
    st.text(alphabet="ab _-.\n1٣ßSé日Ⅷ²\u0301", max_size=12),
    st.text(alphabet="ab _-.1٣ßé日\u0301", max_size=4),
)
def test_keywords_match_as_the_whole_word_pattern_does(text, word):
    pattern = r"(?<!\w)" + re.escape(word) + r"(?!\w)"
    assert playbook_index._has_word(text, word) == bool(re.search(pattern, text))
