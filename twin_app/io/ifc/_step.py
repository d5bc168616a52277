"""Just enough of ISO 10303-21 (the STEP physical file) to read a header and point at a line.

ifcopenshell parses the DATA section; this module reads the HEADER section without it (so a file
in a schema ifcopenshell refuses can still say what it is), decodes STEP strings, splits an
instance's arguments for the header upgrade, and maps byte offsets and instance ids to lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from twin_app.io.ifc.errors import IfcReadError

MAGIC = b"ISO-10303-21;"
END_MARK = b"END-ISO-10303-21;"
_HEADER_LIMIT = 8 * 1024 * 1024
_CHUNK = 1 << 20

_TOKEN = re.compile(
    r"""(?P<ws>\s+)
      | (?P<comment>/\*.*?\*/)
      | (?P<string>'(?:[^']|'')*')
      | (?P<punct>[(),;=$*])
      | (?P<enum>\.[A-Za-z0-9_]+\.)
      | (?P<ref>\#\d+)
      | (?P<number>[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)
      | (?P<keyword>[A-Za-z_][A-Za-z0-9_\-]*)
      | (?P<other>.)""",
    re.VERBOSE | re.DOTALL)

_X2 = re.compile(r"\\X2\\((?:[0-9A-Fa-f]{4})*)\\X0\\")
_X4 = re.compile(r"\\X4\\((?:[0-9A-Fa-f]{8})*)\\X0\\")
_X1 = re.compile(r"\\X\\([0-9A-Fa-f]{2})")
_S = re.compile(r"\\S\\(.)")
_P = re.compile(r"\\P[A-I]\\")


def decode_string(raw: str) -> str:
    r"""Decode a STEP string literal (with or without its quotes) to text.

    Parameters
    ----------
    raw : str
        The literal as it appears in the file, e.g. ``'Gate \X2\95F8\X0\'``.

    Returns
    -------
    str
        The text: doubled quotes undone, ``\X2\``/``\X4\`` (UTF-16/32 hex), ``\X\`` (a
        Latin-1 byte) and ``\S\`` escapes decoded, code-page switches ``\P?\`` dropped.
    """
    text = raw[1:-1] if len(raw) >= 2 and raw[0] == raw[-1] == "'" else raw
    text = text.replace("''", "'")
    text = _X2.sub(lambda m: bytes.fromhex(m.group(1)).decode("utf-16-be", "replace"), text)
    text = _X4.sub(lambda m: bytes.fromhex(m.group(1)).decode("utf-32-be", "replace"), text)
    text = _X1.sub(lambda m: bytes.fromhex(m.group(1)).decode("latin-1"), text)
    text = _S.sub(lambda m: chr(ord(m.group(1)) + 128), text)
    text = _P.sub("", text)
    return text.replace("\\\\", "\\")


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            yield kind, match.group()


HeaderValue = str | None | list["HeaderValue"]


def _parse_params(tokens: Iterator[tuple[str, str]]) -> list[HeaderValue]:
    """Parse the parameters after an opening parenthesis up to its closing one."""
    values: list[HeaderValue] = []
    for kind, value in tokens:
        if value == ")":
            return values
        if value == "(":
            values.append(_parse_params(tokens))
        elif kind == "string":
            values.append(decode_string(value))
        elif value in ("$", "*"):
            values.append(None)
        elif value != ",":
            values.append(value)
    raise ValueError("unbalanced parentheses")


def read_header_records(path: Path) -> dict[str, list[HeaderValue]]:
    """Read the HEADER section of a STEP file into ``{record name: parameters}``.

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    dict
        Upper-case record names (``FILE_DESCRIPTION``, ``FILE_NAME``, ``FILE_SCHEMA``...) to their
        parameter lists, strings decoded, ``$`` and ``*`` as None, nested lists as lists.

    Raises
    ------
    IfcReadError
        If the file is not an ISO 10303-21 file or its header is cut short.
    """
    head = _read_head(path)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped.startswith(MAGIC):
        raise IfcReadError(path, _not_step_problem(stripped), line=1,
                           hint="open an IFC-SPF (.ifc) file; unzip an .ifczip first")
    text = stripped.decode("latin-1")
    tokens = _tokens(text)
    records: dict[str, list[HeaderValue]] = {}
    try:
        for kind, value in tokens:
            name = value.upper()
            if kind != "keyword" or name in ("ISO-10303-21", "HEADER"):
                continue
            if name in ("ENDSEC", "DATA"):
                return records
            next(tok for tok in tokens if tok[1] == "(")
            records[name] = _parse_params(tokens)
    except (StopIteration, ValueError):
        pass
    raise IfcReadError(path, "the HEADER section is incomplete (no ENDSEC)", line=1,
                       hint="the file is truncated or not an IFC file")


def _read_head(path: Path) -> bytes:
    data = bytearray()
    with path.open("rb") as stream:
        while len(data) < _HEADER_LIMIT:
            chunk = stream.read(64 * 1024)
            if not chunk:
                break
            data += chunk
            if b"ENDSEC" in data or b"DATA;" in data:
                break
    return bytes(data)


def _not_step_problem(start: bytes) -> str:
    if start.startswith(b"PK"):
        return "this is a zip archive (.ifczip?), not an IFC-SPF text file"
    if start.startswith(b"<"):
        return "this is XML (ifcXML?), not an IFC-SPF text file"
    if not start:
        return "the file is empty"
    snippet = start[:40].decode("latin-1", "replace")
    return f"not an ISO 10303-21 (IFC-SPF) file: it starts with {snippet!r}"


def split_arguments(text: str, open_paren: int) -> tuple[list[str], int]:
    """Split the top-level arguments of an instance, as raw text.

    Parameters
    ----------
    text : str
        File text.
    open_paren : int
        Index of the instance's opening parenthesis.

    Returns
    -------
    args : list of str
        Each top-level argument, stripped, nested lists and strings kept verbatim.
    end : int
        Index just past the matching closing parenthesis.
    """
    args: list[str] = []
    depth, start, i, n = 0, open_paren + 1, open_paren, len(text)
    while i < n:
        char = text[i]
        if char == "'":
            i = text.index("'", i + 1)
            while i + 1 < n and text[i + 1] == "'":
                i = text.index("'", i + 2)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                args.append(text[start:i].strip())
                return [a for a in args if a or len(args) > 1], i + 1
        elif char == "," and depth == 1:
            args.append(text[start:i].strip())
            start = i + 1
        i += 1
    raise ValueError("unbalanced parentheses")


def line_at_offset(path: Path, offset: int) -> int:
    """Return the 1-based line holding byte ``offset`` of the file."""
    newlines, done = 0, 0
    with path.open("rb") as stream:
        while done < offset:
            chunk = stream.read(min(_CHUNK, offset - done))
            if not chunk:
                break
            newlines += chunk.count(b"\n")
            done += len(chunk)
    return newlines + 1


def line_of_instance(path: Path, step_id: int) -> int | None:
    """Return the 1-based line where instance ``#step_id`` starts, or None if not found."""
    data = path.read_bytes()
    match = re.search(rb"(?m)^[ \t]*#" + str(step_id).encode() + rb"[ \t]*=", data)
    if match is None:
        return None
    return data.count(b"\n", 0, match.start()) + 1


def check_complete(path: Path) -> None:
    """Raise if the file does not end with ``END-ISO-10303-21;``, i.e. it was cut short.

    Parameters
    ----------
    path : Path
        The file.

    Raises
    ------
    IfcReadError
        Naming the last line and quoting its start.
    """
    size = path.stat().st_size
    with path.open("rb") as stream:
        stream.seek(max(0, size - 64 * 1024))
        raw_tail = stream.read()
    tail = re.sub(rb"/\*.*?\*/", b"", raw_tail, flags=re.DOTALL).rstrip()
    if tail.endswith(END_MARK):
        return
    last_line = line_at_offset(path, size)
    lines = tail.splitlines()
    last = lines[-1].decode("latin-1", "replace") if lines else ""
    if raw_tail.endswith((b"\n", b"\r")):
        last_line -= 1
    snippet = last if len(last) <= 60 else last[:57] + "..."
    ending = "an incomplete entity" if not last.rstrip().endswith(";") else "no END-ISO-10303-21;"
    raise IfcReadError(
        path, f"the file is truncated: it ends with {ending} ({snippet!r})", line=last_line,
        hint="the copy or download was interrupted; fetch or export the file again")
