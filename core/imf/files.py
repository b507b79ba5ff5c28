"""Writing files that other programs read while imf writes them."""

from __future__ import annotations

import contextlib
import os

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def _temporary(path: str) -> tuple[int, str]:
    """A new file beside ``path``, created for this process alone (as ``tempfile.mkstemp``
    does, without importing ``tempfile`` and what it imports on every command)."""
    folder, name = os.path.split(path)
    for _ in range(100):
        candidate = os.path.join(folder, f".{name}.{os.getpid()}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(candidate, _CREATE, 0o600), candidate
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def write_atomic(path: str | os.PathLike[str], text: str, mode: int = 0o644) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` through a temporary file in the
    same directory, flushed to disk, then renamed over ``path``: a reader (a web server, an
    editor, a sync tool) sees the old file or the new one, never half of one. ``mode`` is the
    new file's permission bits (readable by all by default, as a web server needs)."""
    target = os.fspath(path)
    folder = os.path.dirname(target)
    if folder:
        os.makedirs(folder, exist_ok=True)
    fd, temporary = _temporary(target)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
