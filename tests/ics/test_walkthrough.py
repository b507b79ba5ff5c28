"""docs/running-an-incident.md shows real output: every command of the page is replayed on a
fresh store, at the page's times and as the page's people, and must print what the page says.

A session is a console block preceded by ``<!-- session: ISO-TIME ACTOR -->``; each ``$ imf``
line is run, and the lines up to the next command are its output (stdout, then stderr).
``python -m tests.ics.test_walkthrough`` rewrites the page's outputs after a deliberate change.
"""

from __future__ import annotations

import re
import shlex
import sys
from collections.abc import Callable
from pathlib import Path

PAGE = Path(__file__).resolve().parents[2] / "docs" / "running-an-incident.md"
SESSION = re.compile(
    r"<!-- session: (?P<now>\S+) (?P<actor>\S+) -->\n```console\n(?P<body>.*?)```", re.DOTALL
)


def sessions(text: str) -> list[tuple[re.Match[str], list[tuple[str, str]]]]:
    """Each session with its ``(command, expected output)`` pairs."""
    found = []
    for match in SESSION.finditer(text):
        pairs: list[tuple[str, list[str]]] = []
        for line in match["body"].splitlines():
            if line.startswith("$ imf "):
                pairs.append((line[2:], []))
            elif pairs:
                pairs[-1][1].append(line)
        found.append((match, [(c, "\n".join(out)) for c, out in pairs]))
    return found


def replay(text: str, run: Callable[..., object], home: Path) -> list[tuple[str, str, str]]:
    """``(command, expected, actual)`` for every command of the page, in order."""
    results = []
    for match, pairs in sessions(text):
        env = {"IMF_NOW": match["now"], "IMF_ACTOR": match["actor"]}
        for command, expected in pairs:
            result = run(*shlex.split(command)[1:], env=env)
            actual = (result.stdout + result.stderr).replace(str(home / "home"), "~")
            results.append((command, expected, actual.rstrip("\n")))
    return results


def test_the_page_has_sessions():
    found = sessions(PAGE.read_text(encoding="utf-8"))
    assert len(found) >= 15
    assert sum(len(pairs) for _, pairs in found) >= 30


def test_walkthrough_output_is_real(imf_home, imf_cli):
    for command, expected, actual in replay(
        PAGE.read_text(encoding="utf-8"), imf_cli, imf_home.path
    ):
        assert actual == expected, f"$ {command}\n--- page\n{expected}\n--- imf\n{actual}"


def rewrite() -> None:
    """Replace the page's outputs with what imf prints now (run in a scratch directory)."""
    import os
    import tempfile

    from imf.testing import invoke, isolated_env

    text = PAGE.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        (home / "data").mkdir()
        os.environ.update(isolated_env(home))
        os.chdir(home)
        outputs = iter(replay(text, invoke, home))

    def fill(match: re.Match[str]) -> str:
        lines = []
        for line in match["body"].splitlines():
            if line.startswith("$ imf "):
                command, _, actual = next(outputs)
                lines += [f"$ {command}", *([actual] if actual else [])]
        body = "\n".join(lines)
        return f"<!-- session: {match['now']} {match['actor']} -->\n```console\n{body}\n```"

    PAGE.write_text(SESSION.sub(fill, text), encoding="utf-8")


if __name__ == "__main__":
    rewrite()
    sys.exit(0)
