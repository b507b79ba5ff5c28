"""The documentation site's navigation covers every page, and every entry exists."""

from __future__ import annotations

import yaml

from .conftest import ROOT

DOCS = ROOT / "docs"
GENERATED = {"cli.md", "hooks.md"}  # written by docs/gen_ref.py during the build


def nav_pages(entries) -> list[str]:
    pages = []
    for entry in entries:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        pages.extend(nav_pages(value) if isinstance(value, list) else [value])
    return pages


def config():
    # mkdocs.yml uses no YAML tags, so the safe loader reads it.
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


def test_every_page_is_in_the_nav():
    listed = set(nav_pages(config()["nav"]))
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    missing = sorted(pages - listed)
    assert not missing, f"add these pages to the nav in mkdocs.yml: {', '.join(missing)}"


def test_every_nav_entry_is_a_page():
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")} | GENERATED
    listed = nav_pages(config()["nav"])
    assert len(listed) == len(set(listed)), "a page is listed twice"
    assert not [p for p in listed if p not in pages]


def test_generated_pages_are_not_committed_copies():
    assert not [name for name in GENERATED if (DOCS / name).exists()]


def test_the_build_is_strict_and_generates_the_references():
    settings = config()
    assert settings["hooks"] == ["docs/gen_ref.py"]
    assert all(value == "warn" for value in settings["validation"].values())
    tox = (ROOT / "tox.ini").read_text(encoding="utf-8")
    assert "mkdocs build --strict" in tox
