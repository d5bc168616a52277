"""Find the line of a key in a TOML document, so validation errors can name it.

``tomllib`` gives values but no positions.  :func:`index_key_lines` scans the text once and maps
each key path (as pydantic reports it: ``("sensors", 2, "thresholds", 0, "value")``) to the 1-based
line where it is written.  Arrays of tables, dotted keys, inline tables and multi-line arrays of
inline tables are understood; anything finer falls back to the nearest enclosing key.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

KeyPath = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_BARE_OR_QUOTED = r"""(?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*')"""
_KEY = re.compile(rf"^\s*({_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*)\s*=\s*(.*)$")


def _split_dotted(key: str) -> list[str]:
    parts = re.findall(r"""[A-Za-z0-9_\-]+|"[^"]*"|'[^']*'""", key)
    return [p.strip("\"'") for p in parts]


def _bracket_balance(value: str) -> int:
    """Return the number of unclosed ``[`` in ``value``, ignoring quoted text and comments."""
    depth = 0
    quote: str | None = None
    for char in value:
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
    return depth


class _Scanner:
    """State of one pass over a TOML text."""

    def __init__(self) -> None:
        self.lines: dict[KeyPath, int] = {}
        self.table: KeyPath = ()
        self.latest_index: dict[KeyPath, int] = {}
        self.open_array: KeyPath | None = None
        self.open_depth = 0
        self.open_count = 0

    def resolve(self, keys: Sequence[str]) -> KeyPath:
        path: KeyPath = ()
        for key in keys:
            path = (*path, key)
            if path in self.latest_index:
                path = (*path, self.latest_index[path])
        return path

    def header(self, line_no: int, brackets: str, name: str) -> None:
        keys = _split_dotted(name)
        if brackets == "[[":
            array = (*self.resolve(keys[:-1]), keys[-1])
            index = self.latest_index.get(array, -1) + 1
            self.latest_index[array] = index
            self.lines.setdefault(array, line_no)
            self.table = (*array, index)
        else:
            self.table = self.resolve(keys)
        self.lines[self.table] = line_no

    def key(self, line_no: int, dotted: str, value: str) -> None:
        path = (*self.table, *_split_dotted(dotted))
        self.lines[path] = line_no
        depth = _bracket_balance(value)
        if value.lstrip().startswith("[") and depth > 0:
            self.open_array, self.open_depth, self.open_count = path, depth, 0

    def array_line(self, line_no: int, text: str) -> None:
        assert self.open_array is not None
        if self.open_depth == 1 and text.lstrip().startswith(("{", "[")):
            self.lines[(*self.open_array, self.open_count)] = line_no
            self.open_count += 1
        self.open_depth += _bracket_balance(text)
        if self.open_depth <= 0:
            self.open_array = None


def index_key_lines(text: str) -> dict[KeyPath, int]:
    """Map every key path written in ``text`` to its 1-based line number.

    Parameters
    ----------
    text : str
        The TOML document.

    Returns
    -------
    dict
        Key paths (strings for table keys, ints for array indices) to line numbers.
    """
    scanner = _Scanner()
    in_multiline_string = False
    for line_no, text_line in enumerate(text.splitlines(), start=1):
        if text_line.count('"""') % 2 == 1 or text_line.count("'''") % 2 == 1:
            in_multiline_string = not in_multiline_string
            continue
        if in_multiline_string:
            continue
        if scanner.open_array is not None:
            scanner.array_line(line_no, text_line)
            continue
        header = _HEADER.match(text_line)
        if header and "=" not in header.group(2):
            scanner.header(line_no, header.group(1), header.group(2))
            continue
        key = _KEY.match(text_line)
        if key:
            scanner.key(line_no, key.group(1), key.group(2))
    return scanner.lines


def line_of(lines: dict[KeyPath, int], path: Sequence[str | int]) -> int | None:
    """Return the line of ``path`` or of its nearest written ancestor, or ``None``.

    Parameters
    ----------
    lines : dict
        The result of :func:`index_key_lines`.
    path : sequence of str or int
        A key path as pydantic reports it in ``error["loc"]``.
    """
    key = tuple(path)
    while key:
        if key in lines:
            return lines[key]
        key = key[:-1]
    return None
