"""``imf plugin new`` writes a project whose tests pass from the first run."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

import pytest

from imf.cli.plugin_new import plugin_names


def run_tests(project):
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMF_")}
    env["PYTHONPATH"] = str(project)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_generated_project_has_the_entry_point_and_its_tests_pass(imf_cli, tmp_path):
    result = imf_cli("plugin", "new", "status-board", "--dir", str(tmp_path))
    assert result.exit_code == 0, result
    project = tmp_path / "imf-status-board"
    assert f"Created {project}: plugin 'status-board', package imf_status_board" in result.stdout
    assert "pip install -e '.[test]'" in result.stdout
    meta = tomllib.loads((project / "pyproject.toml").read_text())
    assert meta["project"]["name"] == "imf-status-board"
    assert meta["project"]["entry-points"]["imf"] == {"status-board": "imf_status_board"}
    assert meta["project"]["dependencies"] == ["imf>=0.1.0"]
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()) == [
        ".gitignore",
        "README.md",
        "imf_status_board/__init__.py",
        "pyproject.toml",
        "tests/conftest.py",
        "tests/test_imf_status_board.py",
    ]
    source = (project / "imf_status_board" / "__init__.py").read_text()
    assert "class StatusBoardConfig" in source
    compile(source, "generated", "exec")
    outcome = run_tests(project)
    assert outcome.returncode == 0, outcome.stdout + outcome.stderr
    assert "3 passed" in outcome.stdout


def test_readme_follows_the_language(imf_cli, tmp_path):
    assert imf_cli("--lang", "ru", "plugin", "new", "pager", "--dir", str(tmp_path)).exit_code == 0
    readme = (tmp_path / "imf-pager" / "README.md").read_text()
    assert readme.startswith("# imf-pager\n\nПлагин imf, записывающий")
    assert "## Публикация" in readme


def test_description_goes_into_metadata_and_docstring(imf_cli, tmp_path):
    imf_cli("plugin", "new", "sms", "--dir", str(tmp_path), "--description", "Texts the on-call.")
    project = tmp_path / "imf-sms"
    meta = tomllib.loads((project / "pyproject.toml").read_text())
    assert meta["project"]["description"] == "Texts the on-call."
    assert (project / "imf_sms" / "__init__.py").read_text().startswith('"""Texts the on-call.')


@pytest.mark.parametrize("bad", ["Hello", "1abc", "a b", "x" * 41, "sms-", "tea--pot", ""])
def test_invalid_names_are_refused_in_one_line(imf_cli, tmp_path, bad):
    out = tmp_path / "out"
    out.mkdir()
    result = imf_cli("plugin", "new", bad, "--dir", str(out))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"imf: error: invalid plugin name '{bad}'")
    assert result.stderr.count("\n") == 1
    assert not list(out.iterdir())


def test_existing_project_is_never_overwritten(imf_cli, tmp_path):
    (tmp_path / "imf-sms").mkdir()
    (tmp_path / "imf-sms" / "keep.txt").write_text("mine")
    result = imf_cli("plugin", "new", "sms", "--dir", str(tmp_path))
    assert result.exit_code == 4
    assert "imf-sms already exists" in result.stderr
    assert [p.name for p in (tmp_path / "imf-sms").iterdir()] == ["keep.txt"]


def test_name_of_an_installed_plugin_is_refused(imf_cli, tmp_path):
    result = imf_cli("plugin", "new", "severity", "--dir", str(tmp_path))
    assert result.exit_code == 4
    assert "a plugin named 'severity' is already installed (imf)" in result.stderr


def test_names_are_derived_consistently():
    assert plugin_names("imf-on_call") == {
        "name": "on_call",
        "module": "imf_on_call",
        "dist": "imf-on-call",
        "config_class": "OnCallConfig",
    }
