"""The console entry point of ``imf``.

:func:`main` answers ``imf --version`` before importing click or anything else, and hands
every other command to :func:`imf.cli.main.main`.

It also spares Python's cyclic garbage collector work that finds nothing:

* Starting a command creates many objects that live until the process ends (modules,
  classes, catalogs, configuration) and almost no reference cycles, so collections during
  start-up only re-scan live objects. The quick per-incident commands
  (:data:`imf.cli.main.QUICK_COMMANDS`) run with the collector paused and end a moment
  later; every other command, and every plugin's command, turns it back on before it runs.
* When the command is done, the objects left are frozen (``gc.freeze()``), so that exiting
  does not walk all of them again. What needs closing is closed before that: the store and
  the HTTP client by the command, files as they are written; ``atexit`` handlers still run.
"""

from __future__ import annotations

import gc
import sys

#: True while this process runs with the collector paused by :func:`main`.
gc_paused = False


def main(argv: list[str] | None = None) -> None:
    """Run ``imf`` with ``argv``; without ``argv``, the process's arguments, and the process
    is taken to be imf's own (the console script, ``python -m imf``): only then is the
    garbage collector paused and the remaining objects frozen at the end."""
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        from imf import __version__

        sys.stdout.write(f"imf {__version__}\n")
        return
    global gc_paused
    own_process = argv is None
    if own_process and gc.isenabled():
        gc.disable()
        gc_paused = True
    from imf.cli.main import main as run

    try:
        run(args)
    finally:
        if own_process:
            gc.freeze()


def resume_gc() -> None:
    """Turn the collector back on if :func:`main` paused it (long or bulk commands)."""
    global gc_paused
    if gc_paused:
        gc.enable()
        gc_paused = False
