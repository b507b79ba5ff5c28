"""The code in the documentation runs.

A fenced Python block preceded by one of these comments is executed:

* ``<!-- test: pytest -->`` — a test module, run by pytest with ``imf.testing`` enabled;
* ``<!-- test: module NAME -->`` — saved as ``NAME.py`` beside the later test modules of the
  same page, so a page can show a plugin and then its tests;
* ``<!-- test: script -->`` — a program, run by Python in an isolated imf environment; it
  must exit 0.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from imf.testing import isolated_env

pytest_plugins = ["pytester"]

DOCS = Path(__file__).resolve().parents[2] / "docs"
MARKED = re.compile(
    r"<!-- test: (?P<kind>pytest|script|module (?P<name>\w+)) -->\s*\n```python\n(?P<code>.*?)```",
    re.DOTALL,
)


def examples() -> dict[str, list[tuple[int, str, str, str | None]]]:
    """Page -> its marked blocks as ``(number, kind, code, module name)``, in order."""
    found: dict[str, list[tuple[int, str, str, str | None]]] = {}
    for page in sorted(DOCS.rglob("*.md")):
        blocks = [
            (number, match["kind"].split()[0], match["code"], match["name"])
            for number, match in enumerate(MARKED.finditer(page.read_text(encoding="utf-8")), 1)
        ]
        if blocks:
            found[page.relative_to(DOCS).as_posix()] = blocks
    return found


EXAMPLES = examples()


def test_the_guides_have_tested_examples():
    assert {
        "plugin-guide/config.md",
        "plugin-guide/one-off.md",
        "plugin-guide/testing.md",
        "plugin-guide/tutorial.md",
    } <= set(EXAMPLES)


@pytest.mark.parametrize("page", sorted(EXAMPLES))
def test_page_examples_run(pytester, tmp_path, page):
    """Every script of ``page`` exits 0; all its test modules pass in one pytest run."""
    tests = 0
    for number, kind, code, name in EXAMPLES[page]:
        if kind == "module":
            pytester.makepyfile(**{name: code})
        elif kind == "pytest":
            pytester.makepyfile(**{f"test_example_{number}": code})
            tests += len(re.findall(r"^def test_", code, flags=re.MULTILINE))
        else:
            home = tmp_path / f"script-{number}"
            (home / "data").mkdir(parents=True)
            script = pytester.makepyfile(**{f"example_{number}": code})
            result = subprocess.run(
                [sys.executable, str(script)],
                cwd=home,
                env=isolated_env(home),
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert result.returncode == 0, f"{page} example {number}:\n{result.stderr}"
    if tests:
        pytester.makeconftest('pytest_plugins = ["imf.testing"]')
        outcome = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
        outcome.assert_outcomes(passed=tests)
