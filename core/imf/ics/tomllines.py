"""Where in a TOML text each key is set, so that errors can say ``file:line``.

:func:`key_lines` maps dotted paths with array indices (``phases[1].steps[0].id``) to the
1-based line that sets them; :func:`line_of` finds the nearest known parent when a path has
no line of its own (a key inside an inline table spread over lines, a missing key).
"""

from __future__ import annotations

import re

_BARE = r"[A-Za-z0-9_-]+"
_KEY = rf'(?:{_BARE}|"[^"]*"|\'[^\']*\')'
_DOTTED = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_HEADER = re.compile(rf"^\s*(\[\[|\[)\s*({_DOTTED})\s*\]\]?\s*(?:#.*)?$")
_ASSIGN = re.compile(rf"^\s*({_DOTTED})\s*=\s*(.*)$")
_INLINE_KEY = re.compile(rf"(?:^|[{{,])\s*({_BARE})\s*=")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'')


def _parts(dotted: str) -> list[str]:
    parts = re.findall(rf"{_BARE}|\"[^\"]*\"|'[^']*'", dotted)
    return [p[1:-1] if p[:1] in "\"'" else p for p in parts]


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _depth(text: str) -> int:
    """Net ``[``/``{`` nesting a line opens (strings and comments ignored)."""
    code = _STRING.sub("", text).split("#", 1)[0]
    return code.count("[") + code.count("{") - code.count("]") - code.count("}")


def key_lines(text: str) -> dict[str, int]:
    """Dotted paths to the line that sets them (see the module docstring)."""
    lines: dict[str, int] = {}
    indices: dict[str, int] = {}
    prefix = ""
    array: str | None = None  # a multi-line array value being read
    element = -1
    depth = 0
    in_string: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string is not None:
            if in_string in line:
                in_string = None
            continue
        if array is not None:
            stripped = line.lstrip()
            if depth == 1 and stripped.startswith("{"):
                element += 1
                lines.setdefault(f"{array}[{element}]", number)
            if element >= 0 and depth >= 1:
                for key in _INLINE_KEY.findall(stripped):
                    lines.setdefault(f"{array}[{element}].{key}", number)
            depth += _depth(line)
            if depth <= 0:
                array = None
            continue
        header = _HEADER.match(line)
        if header:
            is_array = header.group(1) == "[["
            resolved = ""
            parts = _parts(header.group(2))
            for position, part in enumerate(parts):
                resolved = _join(resolved, part)
                last = position == len(parts) - 1
                if last and is_array:
                    indices[resolved] = indices.get(resolved, -1) + 1
                    resolved = f"{resolved}[{indices[resolved]}]"
                elif not last and resolved in indices:
                    resolved = f"{resolved}[{indices[resolved]}]"
            prefix = resolved
            lines.setdefault(prefix, number)
            continue
        assign = _ASSIGN.match(line)
        if not assign:
            continue
        path = prefix
        for part in _parts(assign.group(1)):
            path = _join(path, part)
        lines.setdefault(path, number)
        value = assign.group(2)
        for quote in ('"""', "'''"):
            if value.startswith(quote) and value.count(quote) == 1:
                in_string = quote
        if value.startswith("{"):
            for key in _INLINE_KEY.findall(value):
                lines.setdefault(f"{path}.{key}", number)
        elif value.startswith("[") and _depth(value) > 0:
            array, element, depth = path, -1, _depth(value)
    return lines


def line_of(lines: dict[str, int], path: str) -> int:
    """The line of ``path`` or of its nearest parent (1 when nothing is known)."""
    current = path
    while current:
        if current in lines:
            return lines[current]
        if current.endswith("]"):
            current = current[: current.rindex("[")]
        else:
            current = current.rpartition(".")[0]
    return 1
