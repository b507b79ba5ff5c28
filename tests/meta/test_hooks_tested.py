"""Every hookspec has at least one test that calls it.

A hook counts as called by a test when a test module (``tests/`` or an example's ``tests/``)
implements it — ``def imf_x(`` in a plugin the test registers, which imf then calls — or
names it to the hook recorder (``hook_recorder.calls("imf_x")``). The meta-tests
themselves do not count.
"""

from __future__ import annotations

import re

import pytest

from imf.testing.recorder import hook_names

from .conftest import ROOT


def _test_sources() -> dict[str, str]:
    files = [*(ROOT / "tests").rglob("test_*.py"), *(ROOT / "examples").glob("*/tests/test_*.py")]
    return {
        path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
        for path in files
        if "meta" not in path.relative_to(ROOT).parts
    }


SOURCES = _test_sources()


@pytest.mark.parametrize("hook", hook_names())
def test_hook_is_called_by_a_test(hook):
    pattern = re.compile(rf"def {hook}\(|[\"']{hook}[\"']|\.{hook}\(")
    using = [path for path, text in SOURCES.items() if pattern.search(text)]
    assert using, f"no test implements or records {hook}; see tests/authoring/test_hooks.py"
