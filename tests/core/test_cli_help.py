"""Every command's help exists in English and Russian."""

from __future__ import annotations

import pytest

from imf.cli import main


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_core_command_has_a_translated_one_line_help(monkeypatch, lang):
    monkeypatch.setenv("IMF_LANG", lang)
    monkeypatch.setattr("sys.argv", ["imf"])
    for name in main.CORE_COMMANDS:
        text = main.command_help(name)
        assert text and "." not in text.split()[0], (name, text)
        assert not text.startswith(("cli.", "ics.", "store.", "authoring.", "postmortem.")), name


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_help_lists_every_command(imf_cli, lang):
    result = imf_cli("--lang", lang, "--help")
    assert result.exit_code == 0, result
    for name in main.CORE_COMMANDS:
        assert f"  {name} " in result.stdout
    assert ".help." not in result.stdout


def test_public_api_lists_every_lazy_export():
    import imf

    assert sorted(imf.__all__) == sorted(["__version__", *imf._EXPORTS])
    for name in imf._EXPORTS:
        assert getattr(imf, name) is not None


def test_plugin_guide_lists_the_public_api():
    from pathlib import Path

    import imf

    guide = (Path(__file__).resolve().parents[2] / "docs/plugin-guide/index.md").read_text()
    for name in imf._EXPORTS:
        assert f"`{name}`" in guide or f"`{name}(" in guide, name


@pytest.mark.parametrize(
    "args", [(), ("declare",), ("config",), ("config", "show"), ("store", "copy")]
)
def test_help_and_version_options_speak_the_help_language(imf_run, args):
    shown = imf_run("--lang", "ru", *args, "--help").stdout
    assert "-h, --help" in shown and "Показать эту справку и выйти." in shown
    assert "Show this message" not in shown
    assert imf_run("--lang", "ru", *args, "-h").stdout == shown
    if not args:
        assert "Показать версию и выйти." in shown


def test_version_after_other_options(imf_run):
    import imf

    assert imf_run("--lang", "ru", "--version").stdout == f"imf {imf.__version__}\n"
