"""The console entry point of ``imf``.

:func:`main` answers ``imf --version`` before importing click or anything else, and hands
every other command to :func:`imf.cli.main.main`.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    """Run ``imf`` with ``argv`` (default: the process's arguments)."""
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        from imf import __version__

        sys.stdout.write(f"imf {__version__}\n")
        return
    from imf.cli.main import main as run

    run(args)
