"""What ``imf declare`` needs to suggest playbooks, remembered between commands.

Suggesting playbooks after every declaration would otherwise parse and lint every playbook
file of the search path. The index keeps, per file, what a suggestion needs (name, title,
severity, the services, tags and keywords it matches) or, for a file that cannot be used, its
problems; it lives in imf's cache directory, one file per search path.

An entry holds while its file has the same size, modification and change times and inode; a
file changed in the last few seconds is parsed again until it is older, since a second write
within the file system's clock tick could leave the same times. A file added to or removed
from a directory is seen because the directories are listed every time. The index is only a
cache: when it cannot be read, is not imf's, or cannot be written, the files are parsed as
:func:`imf.ics.playbooks.discover` parses them. Unless a file changed, nothing here imports
the parser (:mod:`imf.ics.playbooks`, tomllib, attrs).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import imf

if TYPE_CHECKING:
    from pathlib import Path

FORMAT = 1
#: A file changed less than this long ago is parsed but not remembered (nanoseconds).
SETTLE_NS = 3_000_000_000
#: The modules whose code decides what a file's entry is (relative to the ``imf`` package).
_PARSER_FILES = (
    "ics/playbooks.py",
    "ics/tomllines.py",
    "ics/checklists.py",
    "ics/text.py",
    "validate.py",
    "config.py",
    "i18n.py",
)
_MATCH = ("services", "tags", "keywords")

T = TypeVar("T")


_BUNDLED = os.path.join(os.path.dirname(__file__), "data", "playbooks")


def bundled_dir() -> Path:
    """The directory of the bundled playbooks."""
    from pathlib import Path

    return Path(_BUNDLED)


def search_path(app: Any) -> list[tuple[str, Path]]:
    """``(origin, directory)`` pairs, lowest precedence first: the bundled directory, plugins'
    directories (``imf_playbook_dirs``), then ``[imf] playbook_dir`` (a ConfigError when it
    does not exist)."""
    from pathlib import Path

    return [(origin, Path(directory)) for origin, directory in _search_dirs(app)]


def _search_dirs(app: Any) -> list[tuple[str, str]]:
    """:func:`search_path` with directories as strings (what declaring needs)."""
    dirs: list[tuple[str, str]] = [("bundled", _BUNDLED)]
    for impl in app.host.impls("imf_playbook_dirs"):
        for directory in app.host.call_impl(impl) or ():
            dirs.append((f"plugin {impl.plugin_name}", os.fspath(directory)))
    configured = app.config.core.playbook_dir
    if configured:
        path = os.path.expanduser(configured)
        base = app.config.base_dir("imf.playbook_dir")
        if not os.path.isabs(path) and base is not None:
            path = os.path.join(base, path)
        if not os.path.isdir(path):
            from imf.errors import ConfigError

            raise ConfigError(
                "ics.playbook_dir_missing",
                where=app.config.where("imf.playbook_dir"),
                key="imf.playbook_dir",
                path=path,
            )
        dirs.append(("config", path))
    return dirs


def match_reasons(
    services: Iterable[str], tags: Iterable[str], keywords: Iterable[str], incident: Any
) -> list[tuple[str, str]]:
    """Why a playbook matching ``services``, ``tags`` and ``keywords`` matches ``incident``:
    ``(kind, value)`` with kind ``service``, ``tag`` or ``keyword`` (empty when it does not
    match). Services and tags match exactly, keywords as whole words; case is ignored."""
    reasons: list[tuple[str, str]] = []
    wanted = {s.casefold() for s in incident.services}
    reasons += [("service", s) for s in services if s.casefold() in wanted]
    wanted = {t.casefold() for t in incident.tags}
    reasons += [("tag", t) for t in tags if t.casefold() in wanted]
    words = f"{incident.title}\n{incident.summary}".casefold()
    reasons += [("keyword", k) for k in keywords if _has_word(words, k.casefold())]
    return reasons


def _is_word_char(char: str) -> bool:
    """Whether ``char`` is what ``\\w`` of a regular expression matches."""
    return char.isalnum() or char == "_"


def _has_word(text: str, word: str) -> bool:
    """Whether ``word`` occurs in ``text`` with no word character on either side (what
    ``re.search(r"(?<!\\w)" + re.escape(word) + r"(?!\\w)", text)`` finds, without compiling
    a pattern per keyword)."""
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        if (start == 0 or not _is_word_char(text[start - 1])) and (
            end == len(text) or not _is_word_char(text[end])
        ):
            return True
        start = text.find(word, start + 1)
    return False


def rank(
    playbooks: Mapping[str, T],
    reasons: Callable[[T], list[tuple[str, str]]],
    incident: Any,
) -> list[tuple[T, list[tuple[str, str]]]]:
    """The ``playbooks`` (by name) that match ``incident`` and are not attached to it yet,
    with their reasons, most reasons first, then by name."""
    result = []
    for name in sorted(playbooks):
        if name in incident.playbooks:
            continue
        found = reasons(playbooks[name])
        if found:
            result.append((playbooks[name], found))
    return sorted(result, key=lambda pair: -len(pair[1]))


class Index:
    """The playbooks of the search path as suggestion sees them.

    :ivar playbooks: usable playbooks by name (a later directory's replace earlier ones):
        ``(file, entry)``, the entry having ``name``, ``title`` (language to text),
        ``severity``, ``services``, ``tags`` and ``keywords``.
    :ivar problems: ``(file, line, message key, params)`` of the files that cannot be used,
        in the order :func:`imf.ics.playbooks.discover` finds them.
    """

    def __init__(self) -> None:
        self.playbooks: dict[str, tuple[str, dict[str, Any]]] = {}
        self.problems: list[tuple[str, int, str, dict[str, Any]]] = []

    def problem_lines(self, lang: str) -> list[str]:
        """Each problem as ``file:line: message`` in ``lang``."""
        from imf.i18n import translate

        return [
            translate(key, lang, where=f"{file}:{line}", **params)
            for file, line, key, params in self.problems
        ]

    def suggest(self, incident: Any) -> list[tuple[dict[str, Any], list[tuple[str, str]]]]:
        """Entries of the playbooks matching ``incident`` (see :func:`rank`)."""
        ranked = rank(
            self.playbooks,
            lambda found: match_reasons(
                found[1]["services"], found[1]["tags"], found[1]["keywords"], incident
            ),
            incident,
        )
        return [(found[1], reasons) for found, reasons in ranked]

    def playbook(self, app: Any, name: str) -> Any:
        """The full :class:`imf.ics.playbooks.Playbook` called ``name``; a NotFoundError
        listing the known ones otherwise."""
        from imf.ics.playbooks import discover, read

        found = self.playbooks.get(name.strip())
        if found is None:
            from imf.errors import NotFoundError

            raise NotFoundError(
                "ics.playbook_not_found", name=name, known=", ".join(sorted(self.playbooks)) or "-"
            )
        from pathlib import Path

        playbook, _problems = read(Path(found[0]))
        if playbook is None or playbook.name != found[1]["name"]:  # changed meanwhile
            return discover(app).get(name)
        return playbook


def load(app: Any) -> Index:
    """The index of the app's search path: remembered entries for unchanged files, the
    others parsed (and remembered when possible)."""
    dirs = _search_dirs(app)
    cache = _Cache([directory for _origin, directory in dirs])
    index = Index()
    for _origin, directory in dirs:
        names: dict[str, str] = {}
        for file in _toml_files(directory):
            entry = cache.entry(file)
            if "problems" in entry:
                for line, key, params in entry["problems"]:
                    index.problems.append((file, line, key, params))
                continue
            book = entry["playbook"]
            name = book["name"]
            if name in names:
                index.problems.append(
                    (
                        file,
                        1,
                        "ics.lint.duplicate_name",
                        {"key": "name", "value": name, "other": names[name]},
                    )
                )
                continue
            names[name] = file
            index.playbooks[name] = (file, book)
    cache.save()
    return index


def _toml_files(directory: str) -> list[str]:
    """What :func:`imf.ics.playbooks.discover` reads of ``directory``:
    ``sorted(Path(directory).glob("*.toml"))`` if it is a directory, as strings."""
    try:
        with os.scandir(directory) as entries:
            names = [e.name for e in entries if os.path.normcase(e.name).endswith(".toml")]
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError:
        from pathlib import Path

        folder = Path(directory)
        return [str(p) for p in sorted(folder.glob("*.toml"))] if folder.is_dir() else []
    return [os.path.join(directory, name) for name in sorted(names, key=os.path.normcase)]


def _parser_key() -> str:
    """What the entries depend on besides the files: this format, the Python version (TOML
    error messages) and imf's version and parsing code."""
    package = os.path.dirname(imf.__file__ or "")
    stamps: list[Any] = []
    for name in _PARSER_FILES:
        try:
            stamps.append(os.stat(os.path.join(package, name)).st_mtime_ns)
        except OSError:
            stamps.append(None)
    return json.dumps([FORMAT, sys.version, imf.__version__, stamps])


def _stamp(file: str) -> list[int] | None:
    try:
        st = os.stat(file)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _parse(file: str) -> dict[str, Any]:
    """The entry of ``file``, from the full parser."""
    from pathlib import Path

    from imf.ics.playbooks import read

    playbook, problems = read(Path(file))
    if playbook is None:
        return {"problems": [[p.line, p.key, dict(p.params)] for p in problems]}
    return {
        "playbook": {
            "name": playbook.name,
            "title": dict(playbook.title),
            "severity": playbook.severity,
            "services": list(playbook.services),
            "tags": list(playbook.tags),
            "keywords": list(playbook.keywords),
        }
    }


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _valid(entry: dict[str, Any]) -> bool:
    """Whether a remembered entry has the shape :func:`_parse` gives (as :func:`load` reads
    it: problems if there are any, else a playbook)."""
    if "problems" in entry:
        problems = entry["problems"]
        return (
            isinstance(problems, list)
            and bool(problems)
            and all(
                isinstance(p, list)
                and len(p) == 3
                and type(p[0]) is int
                and isinstance(p[1], str)
                and isinstance(p[2], dict)
                and "where" not in p[2]
                for p in problems
            )
        )
    book = entry.get("playbook")
    return (
        isinstance(book, dict)
        and isinstance(book.get("name"), str)
        and isinstance(book.get("title"), dict)
        and all(isinstance(v, str) for v in book["title"].values())
        and isinstance(book.get("severity"), str)
        and all(_strings(book.get(k)) for k in _MATCH)
    )


def _storable(entry: dict[str, Any]) -> bool:
    """Whether ``entry`` reads back from JSON equal (a problem may quote a date or NaN)."""
    try:
        return bool(json.loads(json.dumps(entry)) == entry)
    except (TypeError, ValueError):
        return False


class _Cache:
    """The remembered entries of one search path, by file."""

    def __init__(self, dirs: list[str]) -> None:
        from imf.dirs import user_cache_dir
        from imf.discovery import fingerprint

        self.key = _parser_key()
        self.path = os.path.join(
            user_cache_dir(), f"playbooks-{fingerprint(json.dumps(dirs))}.json"
        )
        self.old: dict[str, Any] = {}
        self.new: dict[str, Any] = {}
        try:
            with open(self.path, "rb") as handle:
                data = json.loads(handle.read())
        except (OSError, ValueError, RecursionError):
            return
        if (
            isinstance(data, dict)
            and data.get("key") == self.key
            and isinstance(data.get("files"), dict)
        ):
            self.old = data["files"]

    def entry(self, file: str) -> dict[str, Any]:
        """The entry of ``file``: remembered if the file has not changed, else parsed."""
        stamp = _stamp(file)
        old = self.old.get(file)
        if (
            stamp is not None
            and isinstance(old, dict)
            and old.get("stamp") == stamp
            and _valid(old)
        ):
            self.new[file] = old
            return old
        entry = _parse(file)
        if (
            stamp is not None
            and time.time_ns() - max(stamp[1], stamp[2]) > SETTLE_NS
            and _storable(entry)
        ):
            self.new[file] = {"stamp": stamp, **entry}
        return entry

    def save(self) -> None:
        """Write the entries of this search path if they changed (atomically; failures are
        ignored: it is a cache)."""
        if self.new == self.old:
            return
        from imf.files import write_atomic

        with contextlib.suppress(OSError):
            write_atomic(self.path, json.dumps({"key": self.key, "files": self.new}), 0o600)
