"""Fixtures for packaging tests: the imf wheel, built once per session, and fresh venvs."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def build_wheel(project: Path, out: Path) -> Path:
    """Build the wheel of ``project`` into ``out`` (no dependencies) and return its path."""
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(project)],
        check=True,
        capture_output=True,
        text=True,
    )
    name = project.name.replace("-", "_") if project != ROOT else "imf"
    wheels = sorted(out.glob("*.whl"), key=lambda p: p.stat().st_mtime)
    matching = [w for w in wheels if w.name.split("-")[0].lower() == name.lower()] or wheels
    return matching[-1]


@pytest.fixture(scope="session")
def imf_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The imf wheel built from this checkout."""
    return build_wheel(ROOT, tmp_path_factory.mktemp("wheels"))


class Venv:
    """A fresh virtual environment."""

    def __init__(self, path: Path) -> None:
        self.path = path
        venv.EnvBuilder(with_pip=True, clear=True).create(path)
        self.python = path / "bin" / "python"
        self.bin = path / "bin"

    def pip(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run pip in the venv; raise with its output on failure."""
        proc = subprocess.run(
            [str(self.python), "-m", "pip", "--disable-pip-version-check", "-q", *args],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise AssertionError(f"pip {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
        return proc

    def run(self, *args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
        """Run a program from the venv's bin directory."""
        return subprocess.run(
            [str(self.bin / args[0]), *args[1:]], capture_output=True, text=True, **kwargs
        )  # type: ignore[call-overload]


@pytest.fixture
def fresh_venv(tmp_path: Path) -> Venv:
    """A new, empty virtual environment."""
    return Venv(tmp_path / "venv")
