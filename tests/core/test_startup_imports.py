"""What `imf --help` and `imf --version` import: start-up cost is kept by not importing.

Timings live in benchmarks/cli_startup.py; this checks the mechanism deterministically.
"""

from __future__ import annotations

import subprocess
import sys


def imported(env, cwd, *args):
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "imf", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    return {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if "|" in line}


HEAVY = (
    "attrs",
    "cattrs",
    "pluggy",
    "httpx",
    "jinja2",
    "sqlite3",
    "tomllib",
    "imf.model",
    "importlib.metadata",
)


def test_version_imports_nothing_of_imf_but_the_package(imf_home):
    modules = imported(imf_home.env, imf_home.path, "--version")
    assert not {m for m in modules if m.startswith(("imf.", "imf_", "click"))} - {
        "imf.cli",
        "imf.cli.entry",
    }


def test_help_with_a_warm_plugin_index_imports_no_plugin(imf_home):
    for lang in ("en", "ru"):  # the first run in each language builds the plugin index
        imported(imf_home.env, imf_home.path, "--lang", lang, "--help")
    for lang in ("en", "ru"):
        modules = imported(imf_home.env, imf_home.path, "--lang", lang, "--help")
        assert not [m for m in modules if m.startswith("imf_")]
        assert not [m for m in HEAVY if m in modules]


def test_list_reads_rows_without_the_model_or_any_plugin(imf_home):
    imported(imf_home.env, imf_home.path, "declare", "Warm-up", "-s", "P3")
    modules = imported(imf_home.env, imf_home.path, "list", "--all")
    assert "imf.store.sqlite" in modules  # it did read the store
    assert not [m for m in modules if m.startswith("imf_")]
    assert not [m for m in ("attrs", "cattrs", "pluggy", "imf.model") if m in modules]


#: Standard modules a command has no use for without a configuration file (what an
#: installation's own start-up already imported does not count).
NOT_NEEDED = ("pathlib", "tempfile", "dataclasses", "platformdirs", "importlib.metadata", "tomllib")


def test_declare_writes_without_cattrs(imf_home):
    imported(imf_home.env, imf_home.path, "declare", "Warm-up", "-s", "P3")
    modules = imported(imf_home.env, imf_home.path, "declare", "Disk full", "-s", "P3")
    assert "imf.model" in modules
    for plugin in ("imf_severity", "imf_markdown"):  # active by default: they were called
        assert [m for m in modules if m.startswith(plugin)]
    assert "cattrs" not in modules
    assert "imf.model_postmortem" not in modules
    assert "imf.model_log" not in modules
    before = imported_by_python(imf_home)
    assert not [m for m in NOT_NEEDED if m in modules and m not in before]


def test_list_imports_no_unneeded_standard_module(imf_home):
    imported(imf_home.env, imf_home.path, "list")
    modules = imported(imf_home.env, imf_home.path, "list")
    before = imported_by_python(imf_home)
    assert not [m for m in NOT_NEEDED if m in modules and m not in before]


def imported_by_python(imf_home):
    """What this Python imports before running any code (site, .pth files)."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "pass"],
        env=imf_home.env,
        cwd=imf_home.path,
        capture_output=True,
        text=True,
        check=True,
    )
    return {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if "|" in line}


GC_PROBE = """
import atexit, gc, sys
atexit.register(lambda: print("frozen", gc.get_freeze_count() > 0, file=sys.stderr))
import imf.cli.declare, imf.cli.outbox
for command in (imf.cli.declare.declare, imf.cli.outbox.deliver):
    def probe(*args, _callback=command.callback, **kwargs):
        print("collector", "on" if gc.isenabled() else "off", file=sys.stderr)
        return _callback(*args, **kwargs)
    command.callback = probe
from imf.cli.entry import main
sys.argv[0] = "imf"
main()
"""


def test_quick_commands_run_with_the_collector_paused_others_resume_it(imf_home):
    def state(*args):
        proc = subprocess.run(
            [sys.executable, "-c", GC_PROBE, *args],
            env=imf_home.env,
            cwd=imf_home.path,
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stderr
        return [line for line in proc.stderr.splitlines() if line.startswith(("collector", "fr"))]

    # Objects left at the end are frozen, so exiting does not walk them all again.
    assert state("declare", "Disk full", "-s", "P3") == ["collector off", "frozen True"]
    assert state("deliver") == ["collector on", "frozen True"]


def test_in_process_callers_keep_their_collector(imf_home):
    import gc

    from imf.cli.entry import main

    frozen = gc.get_freeze_count()
    try:
        main(["--lang", "en", "list"])
    except SystemExit as exc:
        assert exc.code == 0
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
