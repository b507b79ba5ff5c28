"""Every message catalog — the core's and every bundled plugin's — is complete in English and
Russian, and every message renders in both."""

from __future__ import annotations

import string
from importlib.metadata import entry_points

import pytest

from imf.i18n import LANGUAGES, catalogs


def all_catalogs():
    """The core catalogs and those the installed plugins create when imported."""
    for ep in entry_points(group="imf"):
        ep.load()
    return catalogs()


CATALOGS = all_catalogs()


def test_core_and_bundled_plugins_have_catalogs():
    assert {"core", "cli", "authoring", "severity"} <= set(CATALOGS)


@pytest.mark.parametrize("domain", sorted(CATALOGS))
def test_catalog_is_complete_in_every_language(domain):
    catalog = CATALOGS[domain]
    assert set(catalog.messages) >= set(LANGUAGES), f"{domain}: languages missing"
    assert catalog.missing() == {}, f"{domain}: keys missing {catalog.missing()}"


@pytest.mark.parametrize("domain", sorted(CATALOGS))
def test_translations_take_the_same_parameters(domain):
    catalog = CATALOGS[domain]
    english = catalog.messages["en"]

    def fields(template: str) -> set[str]:
        try:
            parsed = list(string.Formatter().parse(template))
        except ValueError:  # not a format string: rendered as it is
            return set()
        return {name for _, name, _, _ in parsed if name and name.isidentifier()}

    for lang in LANGUAGES:
        for key, template in catalog.messages[lang].items():
            assert template.strip(), f"{key} ({lang}) is empty"
            assert fields(template) == fields(english[key]), f"{key} ({lang}) parameters differ"
