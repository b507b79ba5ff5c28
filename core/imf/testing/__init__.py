"""imf's test kit: a pytest plugin for imf itself and for plugin authors.

Enable it in a ``conftest.py`` (it is never enabled on its own)::

    pytest_plugins = ["imf.testing"]

Fixtures:

* ``imf_home`` — an isolated environment: a temporary working directory, user config and
  data directories, a store file, no inherited ``IMF_*`` variables.
* ``imf_config`` — write ``imf.toml`` from a dict: ``imf_config({"plugins": {...}})``.
* ``imf_cli`` — run the CLI in-process: ``result = imf_cli("declare", "x", "-s", "P2")``;
  ``result.exit_code``, ``result.stdout``, ``result.stderr``, ``result.json()``.
* ``imf_run`` — run the installed ``imf`` command in a real process (same arguments).
* ``imf_app`` — build a fresh :class:`imf.App` (its own plugin host, config and store) for
  the isolated environment, with chosen plugins: ``app = imf_app(plugins={"mine": module})``.
* ``imf_incident`` — declare an incident and return it: ``imf_incident("API down", "P2")``.
* ``hook_recorder`` — a :class:`HookRecorder` added to every app and in-process CLI run of
  the test: ``hook_recorder.calls("imf_declare")[0].incident.title``.
* ``pagerduty_fake``, ``teams_fake``, ``graph_fake``, ``statuspage_fake``,
  ``confluence_fake`` — started loopback fakes of the services (:mod:`imf.testing.fakes`),
  stopped after the test.

Helpers: :func:`check_plugin` checks a plugin's hookimpls against imf's hookspecs;
:func:`invoke` runs the CLI in-process without fixtures. The official API schema checks are in
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

from imf.testing.check import PluginCheckError, check_plugin
from imf.testing.recorder import RECORDER_NAME, HookCall, HookRecorder

__all__ = [
    "Home",
    "HookCall",
    "HookRecorder",
    "PluginCheckError",
    "Result",
    "check_plugin",
    "invoke",
    "isolated_env",
    "write_config",
]


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
    env = {
        k: v
        for k, v in (base if base is not None else os.environ).items()
        if not k.startswith("IMF_")
    }
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


def _installed_elsewhere(plugins: Mapping[str, object]) -> dict[str, object]:
    """``plugins`` without those installed under the same name and module: the installed
    entry point loads them already, and registering a name twice is an error. So a plugin's
    own tests pass both before and after ``pip install -e .``."""
    from importlib.metadata import entry_points

    installed = {ep.name: ep.value for ep in entry_points(group="imf")}
    return {
        name: plugin
        for name, plugin in plugins.items()
        if name not in installed or installed[name] != getattr(plugin, "__name__", None)
    }


def _with_recorder(
    request: pytest.FixtureRequest, plugins: Mapping[str, object] | None, entry_points: bool
) -> Mapping[str, object] | None:
    """``plugins`` plus the test's hook recorder, when the test uses ``hook_recorder``."""
    extra = dict(plugins or {})
    if entry_points:
        extra = _installed_elsewhere(extra)
    if "hook_recorder" in request.fixturenames:
        extra[RECORDER_NAME] = request.getfixturevalue("hook_recorder")
    return extra or None


@pytest.fixture
def imf_cli(imf_home: Home, request: pytest.FixtureRequest) -> Callable[..., Result]:
    """Run the CLI in-process in the isolated environment (see :func:`invoke`).

    ``plugins={"name": module}`` registers in-process plugins, ``entry_points=False`` skips
    the installed ones, ``clock=`` fixes the time, ``input=`` feeds standard input.
    """

    def run(
        *args: str,
        plugins: Mapping[str, object] | None = None,
        entry_points: bool = True,
        **kwargs: Any,
    ) -> Result:
        return invoke(
            *args,
            plugins=_with_recorder(request, plugins, entry_points),
            entry_points=entry_points,
            **kwargs,
        )

    return run


@pytest.fixture
def imf_run(imf_home: Home) -> Callable[..., Result]:
    """Run the installed ``imf`` in a real process in the isolated environment."""

    def run(
        *args: str,
        input: str | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float = 120,
    ) -> Result:
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
def imf_app(imf_home: Home, request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """A factory of fresh :class:`imf.App` objects for the isolated environment.

    Each call builds a new plugin host, configuration and store connection, the way one
    ``imf`` command does, and loads the active plugins at once (so a plugin or configuration
    error is raised by the call); every app is closed after the test.

    :param plugins: in-process plugins by name (modules or objects with hookimpls), added to
        the installed ones (one installed under the same name and module is loaded once, so
        a plugin's tests pass before and after ``pip install -e .``); a plugin is active
        when its ``[plugins.<name>]`` table exists (write it with ``imf_config`` or pass
        ``overrides=``) or when it sets ``IMF_ACTIVE_BY_DEFAULT = True``.
    :param entry_points: False to load only ``plugins`` (then include a severity policy).
    :param kwargs: anything :meth:`imf.App.create` takes: ``overrides={...}`` (a config
        layer above the files), ``blocked={"teams"}``, ``lang="ru"``, ``clock=``...
    """
    from imf.app import App

    built: list[App] = []

    def make(
        plugins: Mapping[str, object] | None = None,
        entry_points: bool = True,
        **kwargs: Any,
    ) -> App:
        app = App.create(
            extra_plugins=_with_recorder(request, plugins, entry_points),
            load_entry_points=entry_points,
            **kwargs,
        )
        built.append(app)
        app.load_plugins()
        return app

    yield make
    for app in built:
        app.close()


@pytest.fixture
def imf_incident(imf_app: Callable[..., Any]) -> Callable[..., Any]:
    """Declare an incident and return it (:class:`imf.Incident`, as stored).

    ``imf_incident("API down", "P2", services=["api"], app=my_app)``: keyword arguments go to
    :meth:`imf.IncidentService.declare`; without ``app`` a fresh app with the installed
    plugins (and the test's ``hook_recorder``, if used) declares it.
    """

    def declare(title: str, severity: str | None = None, *, app: Any = None, **kwargs: Any) -> Any:
        incident, _report = (app or imf_app()).service.declare(title, severity=severity, **kwargs)
        return incident

    return declare


@pytest.fixture
def hook_recorder(imf_home: Home) -> HookRecorder:
    """Record the hook calls of every app and in-process CLI run of this test.

    The recorder is registered as plugin ``hook_recorder`` in each app built by ``imf_app``
    and ``imf_incident`` and in each ``imf_cli`` run (not in ``imf_run``'s real processes).
    It receives every lifecycle event exactly as a real plugin does, through the outbox::

        def test_declare_is_delivered(imf_cli, hook_recorder):
            imf_cli("declare", "API down", "-s", "P2")
            call = hook_recorder.one("imf_declare")
            assert call.incident.title == "API down"
            assert call.event.kind == "declared"
    """
    return HookRecorder()


def _serve(fake: Any) -> Iterator[Any]:
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def pagerduty_fake() -> Iterator[Any]:
    """A started :class:`~imf.testing.fakes.pagerduty.PagerDutyFake` (Events API v2, REST).

    Point the plugin at ``pagerduty_fake.events_url`` / ``pagerduty_fake.url``.
    """
    from imf.testing.fakes.pagerduty import PagerDutyFake

    yield from _serve(PagerDutyFake())


@pytest.fixture
def teams_fake() -> Iterator[Any]:
    """A started :class:`~imf.testing.fakes.teams.TeamsWebhookFake` (Workflows flavour).

    Post to ``teams_fake.webhook_url``; accepted cards are in ``teams_fake.cards``.
    """
    from imf.testing.fakes.teams import TeamsWebhookFake

    yield from _serve(TeamsWebhookFake())


@pytest.fixture
def graph_fake() -> Iterator[Any]:
    """A started :class:`~imf.testing.fakes.teams.GraphFake` (token endpoint, Teams channels)."""
    from imf.testing.fakes.teams import GraphFake

    yield from _serve(GraphFake())


@pytest.fixture
def statuspage_fake() -> Iterator[Any]:
    """A started :class:`~imf.testing.fakes.statuspage.StatuspageFake` (REST API v1)."""
    from imf.testing.fakes.statuspage import StatuspageFake

    yield from _serve(StatuspageFake())


@pytest.fixture
def confluence_fake() -> Iterator[Any]:
    """A started :class:`~imf.testing.fakes.confluence.ConfluenceFake` (v2 and v1 pages)."""
    from imf.testing.fakes.confluence import ConfluenceFake

    yield from _serve(ConfluenceFake())
