"""Every hookspec is documented: in the generated reference with its exact signature, with a
docstring, and in the lifecycle page that says when it fires."""

from __future__ import annotations

import inspect

import pytest

from imf import hookspecs
from imf.testing.recorder import hook_names

from .conftest import ROOT

HOOKS = hook_names()


def written_signature(name: str) -> str:
    """The signature as the source declares it, annotations as written."""
    signature = inspect.signature(getattr(hookspecs, name))
    params = ", ".join(f"{p.name}: {p.annotation}" for p in signature.parameters.values())
    return f"def {name}({params}) -> {signature.return_annotation}"


@pytest.fixture(scope="module")
def reference(gen_ref):
    return gen_ref.hooks_page()


def test_there_are_hooks_to_check():
    assert {"imf_declare", "imf_config_class", "imf_severity_policy"} <= set(HOOKS)


@pytest.mark.parametrize("name", HOOKS)
def test_hook_has_a_docstring(name):
    doc = inspect.getdoc(getattr(hookspecs, name)) or ""
    assert len(doc.split()) >= 5, f"{name} needs a docstring: it is the reference"


@pytest.mark.parametrize("name", HOOKS)
def test_hook_is_in_the_reference_with_its_exact_signature(reference, name):
    assert f"\n### {name}\n" in reference
    assert f"```python\n{written_signature(name)}\n```" in reference


@pytest.mark.parametrize("name", HOOKS)
def test_hook_is_placed_in_the_lifecycle(name):
    text = (ROOT / "docs" / "lifecycle.md").read_text(encoding="utf-8")
    assert name in text, f"docs/lifecycle.md does not say when {name} fires"


@pytest.mark.parametrize(("kind", "hook"), sorted(hookspecs.LIFECYCLE_HOOKS.items()))
def test_lifecycle_table_maps_each_event_kind_to_its_hook(kind, hook):
    text = (ROOT / "docs" / "lifecycle.md").read_text(encoding="utf-8")
    assert f"| `{kind}` | `{hook}` |" in text


def test_reference_groups_hooks_by_stage_in_source_order(gen_ref):
    stages = gen_ref.hook_stages()
    assert [h.name for s in stages for h in s.hooks] == HOOKS
    titles = [s.title for s in stages]
    assert titles[0].startswith("Registration")
    assert any(t.startswith("Lifecycle") for t in titles)
    firstresult = {h.name for s in stages for h in s.hooks if h.firstresult}
    assert "imf_severity_policy" in firstresult
    assert "imf_declare" not in firstresult


def test_docstring_markup_becomes_markdown(gen_ref):
    converted = gen_ref.rst_to_md(
        """Do it.

        :param ctx: the :class:`imf.PluginContext` of ``name``.

        Example::

            x = 1
        """
    )
    assert converted == (
        "Do it.\n\n- `ctx`: the `imf.PluginContext` of `name`.\n\nExample:\n\n"
        "```python\nx = 1\n```\n"
    )
