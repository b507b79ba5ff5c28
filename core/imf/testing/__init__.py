"""imf's test kit: a pytest plugin for imf itself and for plugin authors.

Enable it in a ``conftest.py``::

    pytest_plugins = ["imf.testing"]

Fixtures:

* ``imf_home`` — an isolated environment: a temporary working directory, user config and
  data directories, a store file, no inherited ``IMF_*`` variables.
* ``imf_config`` — write ``imf.toml`` from a dict: ``imf_config({"plugins": {...}})``.
* ``imf_cli`` — run the CLI in-process: ``result = imf_cli("declare", "x", "-s", "P2")``;
  ``result.exit_code``, ``result.stdout``, ``result.stderr``, ``result.json()``.
* ``imf_run`` — run the installed ``imf`` command in a real process (same arguments).
* ``imf_app`` — build an :class:`imf.App` for the isolated environment, optionally with
  in-process plugins: ``app = imf_app(plugins={"mine": my_module})``.

The loopback fake services are in :mod:`imf.testing.fakes`; the official API schema checks in
:mod:`imf.testing.specs`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from attrs import define


@define
class Result:
    """The outcome of one CLI run."""

    exit_code: int
    stdout: str
    stderr: str
    args: list[str]

    def json(self) -> Any:
        """``stdout`` parsed as JSON."""
        return json.loads(self.stdout)

    def __str__(self) -> str:
        return (
            f"imf {' '.join(self.args)} -> {self.exit_code}\n"
            f"--- stdout\n{self.stdout}--- stderr\n{self.stderr}"
        )


@define
class Home:
    """The isolated environment of one test."""

    path: Path
    env: dict[str, str]

    @property
    def store_path(self) -> Path:
        """The SQLite store file."""
        return self.path / "data" / "imf.db"

    @property
    def store_url(self) -> str:
        """The store URL every command of this environment uses."""
        return self.env["IMF_STORE"]

    @property
    def config_path(self) -> Path:
        """``./imf.toml`` of the working directory."""
        return self.path / "imf.toml"


def isolated_env(path: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """An environment for imf under ``path`` with nothing inherited that changes imf."""
    env = {k: v for k, v in (base if base is not None else os.environ).items()
           if not k.startswith("IMF_")}
    env.update(
        {
            "HOME": str(path / "home"),
            "XDG_CONFIG_HOME": str(path / "home" / ".config"),
            "XDG_DATA_HOME": str(path / "home" / ".local" / "share"),
            "XDG_CACHE_HOME": str(path / "home" / ".cache"),
            "IMF_STORE": f"sqlite:///{path / 'data' / 'imf.db'}",
            "IMF_ACTOR": "tester",
        }
    )
    return env


def write_config(path: Path, data: Mapping[str, Any]) -> Path:
    """Write ``data`` as TOML to ``path``."""
    import tomli_w

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps(dict(data)), encoding="utf-8")
    return path


@pytest.fixture
def imf_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Home]:
    """An isolated environment; the test's working directory and ``os.environ`` use it."""
    home = tmp_path / "imf-home"
    (home / "data").mkdir(parents=True)
    (home / "home").mkdir()
    env = isolated_env(home)
    for key in list(os.environ):
        if key.startswith("IMF_"):
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(home)
    yield Home(home, env)
    from imf.http import close_shared_client

    close_shared_client()


@pytest.fixture
def imf_config(imf_home: Home) -> Callable[[Mapping[str, Any]], Path]:
    """Write ``./imf.toml`` of the isolated environment from a dict."""

    def write(data: Mapping[str, Any]) -> Path:
        return write_config(imf_home.config_path, data)

    return write


def invoke(
    *args: str,
    input: str | None = None,
    env: Mapping[str, str] | None = None,
    plugins: Mapping[str, object] | None = None,
    entry_points: bool = True,
    clock: Callable[[], datetime] | None = None,
) -> Result:
    """Run the CLI in this process, as ``imf`` would run it, and capture its output."""
    from click.testing import CliRunner

    from imf.cli import common
    from imf.cli.main import cli

    runner = CliRunner()
    common.injected.clear()
    common.injected.update(
        {"extra_plugins": plugins, "load_entry_points": entry_points, "clock": clock}
    )
    try:
        with runner.isolation(input=input, env=dict(env or {})) as streams:
            code = common.run(cli, list(args))
            out, err = streams[0].getvalue(), streams[1].getvalue()
    finally:
        common.injected.clear()
    return Result(code, out.decode("utf-8"), err.decode("utf-8"), list(args))


@pytest.fixture
def imf_cli(imf_home: Home) -> Callable[..., Result]:
    """Run the CLI in-process in the isolated environment (see :func:`invoke`)."""
    return invoke


@pytest.fixture
def imf_run(imf_home: Home) -> Callable[..., Result]:
    """Run the installed ``imf`` in a real process in the isolated environment."""

    def run(*args: str, input: str | None = None, env: Mapping[str, str] | None = None,
            timeout: float = 120) -> Result:
        full_env = dict(imf_home.env)
        full_env.update(env or {})
        proc = subprocess.run(
            [sys.executable, "-m", "imf", *args],
            input=input,
            capture_output=True,
            text=True,
            env=full_env,
            cwd=imf_home.path,
            timeout=timeout,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr, list(args))

    return run


@pytest.fixture
def imf_app(imf_home: Home) -> Iterator[Callable[..., Any]]:
    """Build :class:`imf.App` objects for the isolated environment."""
    from imf.app import App

    built: list[App] = []

    def make(
        plugins: Mapping[str, object] | None = None,
        entry_points: bool = True,
        **kwargs: Any,
    ) -> App:
        app = App.create(extra_plugins=plugins, load_entry_points=entry_points, **kwargs)
        built.append(app)
        return app

    yield make
    for app in built:
        app.close()
