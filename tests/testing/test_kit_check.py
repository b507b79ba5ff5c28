"""check_plugin names every problem a plugin would hit when imf loads it."""

from __future__ import annotations

import importlib
import sys
import textwrap

import pytest

import imf
from imf.testing import PluginCheckError, check_plugin

pytest_plugins = ["pytester"]


@pytest.fixture
def plugin_module(tmp_path, monkeypatch):
    """Write a plugin module from source and import it."""
    monkeypatch.syspath_prepend(str(tmp_path))

    def write(source: str, name: str = "imf_sample"):
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        sys.modules.pop(name, None)
        module = importlib.import_module(name)
        monkeypatch.delitem(sys.modules, name)
        return module

    return write


def problems_of(plugin, name="sample"):
    with pytest.raises(PluginCheckError) as info:
        check_plugin(plugin, name)
    return info.value.problems


def test_bundled_severity_plugin_passes():
    import imf_severity

    check_plugin(imf_severity)


def test_a_correct_module_passes(plugin_module):
    module = plugin_module(
        """
        import attrs
        import imf

        @attrs.frozen
        class Config:
            url: str = "http://127.0.0.1:9"

        @imf.hookimpl
        def imf_config_class():
            return Config

        @imf.hookimpl
        def imf_declare(incident, ctx):
            return {"seen": incident.id}

        def imf_helper_not_a_hook():
            return 1
        """
    )
    check_plugin(module)


def test_misspelled_hook_gets_a_suggestion(plugin_module):
    module = plugin_module(
        """
        import imf

        @imf.hookimpl
        def imf_resolved(incident, event, ctx):
            return None
        """
    )
    assert problems_of(module) == [
        "imf_resolved: no hook named 'imf_resolved' (did you mean imf_resolve?)"
    ]


def test_argument_the_hook_does_not_pass(plugin_module):
    module = plugin_module(
        """
        import imf

        @imf.hookimpl
        def imf_update(incident, update, ctx):
            return None
        """
    )
    assert problems_of(module) == [
        "imf_update: argument(s) update not passed by the hook; "
        "imf_update passes (incident, event, ctx)"
    ]


def test_unmarked_hook_function_would_never_be_called(plugin_module):
    module = plugin_module(
        """
        def imf_declare(incident, event, ctx):
            return None
        """
    )
    assert problems_of(module) == [
        "imf_declare: not marked with @imf.hookimpl, so imf never calls it"
    ]


def test_config_class_must_be_attrs(plugin_module):
    module = plugin_module(
        """
        import imf

        class Config:
            url = ""

        @imf.hookimpl
        def imf_config_class():
            return Config
        """
    )
    [problem] = problems_of(module)
    assert problem.startswith("imf_config_class returned <class 'imf_sample.Config'>")


def test_private_imports_are_named_with_their_line(plugin_module):
    module = plugin_module(
        """
        import imf
        from imf.model import Incident

        @imf.hookimpl
        def imf_declare(incident):
            return None
        """
    )
    assert problems_of(module) == [
        "imf_sample.py:3: imports imf.model; a plugin uses only the public names of 'imf' "
        "(import imf)"
    ]


def test_object_plugins_and_specname_are_understood():
    class Good:
        @imf.hookimpl(specname="imf_declare")
        def on_declare(self, incident, event):
            return None

    class Bad:
        @imf.hookimpl(specname="imf_declared")
        def on_declare(self, incident):
            return None

    check_plugin(Good())
    assert problems_of(Bad()) == [
        "on_declare: no hook named 'imf_declared' (did you mean imf_declare?)"
    ]


def test_every_problem_is_listed_in_one_error(plugin_module):
    module = plugin_module(
        """
        import imf

        @imf.hookimpl
        def imf_declre(incident):
            return None

        def imf_resolve(incident):
            return None
        """
    )
    with pytest.raises(PluginCheckError) as info:
        check_plugin(module, "mine")
    text = str(info.value)
    assert text.startswith("plugin 'mine' has 2 problem(s):\n  - imf_declre:")
    assert "\n  - imf_resolve: not marked" in text


def test_imf_testing_is_opt_in(pytester):
    from importlib.metadata import entry_points

    assert not [ep for ep in entry_points(group="pytest11") if ep.value.startswith("imf")]
    pytester.makepyfile("def test_x(imf_app):\n    pass\n")
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*fixture 'imf_app' not found*"])


def test_docstring_examples_hold():
    import doctest

    import imf.testing.check

    result = doctest.testmod(imf.testing.check)
    assert result.attempted >= 4
    assert result.failed == 0
