"""Write an edited seepage section back to its file, keeping the file's comments and layout.

:func:`save_section_file` writes a :class:`~twin_app.io.sections.PlacedSection` to a TOML file.
When the file exists, it is edited in place with tomlkit: only the values that changed are
rewritten, so the comments (the header, notes on a soil, a remark after a value), the order of
the tables and the layout of untouched arrays survive; tables of an array (``[[soils]]``,
``[[layers]]``, ...) are matched by their ``name``.  A new file is written whole
(:meth:`PlacedSection.save`, with its header comment).  Either way the text is read back and
must give the same section, or nothing is written.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import tomlkit
import tomlkit.exceptions
from tomlkit.items import AoT, Array, InlineTable, Table
from twin_seepage import SeepageError
from twin_seepage.section_toml import section_from_dict

from twin_app.io.sections import PlacedSection, SectionFileError, load_placed_section

logger = logging.getLogger(__name__)


def _plain(item: Any) -> Any:
    return item.unwrap() if hasattr(item, "unwrap") else item


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _is_pair_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, list) for v in value)


def _new_item(value: Any, inline: bool = False) -> Any:
    """Return a tomlkit item for a plain value, with long arrays written one entry a line."""
    if isinstance(value, dict):
        table = tomlkit.inline_table() if inline else tomlkit.table()
        for key, entry in value.items():
            table[key] = _new_item(entry, inline=True)
        return table
    if _is_pair_list(value) or (_is_table_list(value) and inline):
        array = tomlkit.array()
        for entry in value:
            array.append(_new_item(entry, inline=True))
        return array.multiline(True)
    if _is_table_list(value):
        tables = tomlkit.aot()
        for entry in value:
            tables.append(_new_item(entry))
        return tables
    return tomlkit.item(value)


def _merge_tables(old: Table | InlineTable | Any, new: dict[str, Any]) -> None:
    for key in [key for key in old if key not in new]:
        del old[key]
    for key, value in new.items():
        if key not in old:
            old[key] = _new_item(value, inline=isinstance(old, InlineTable))
            continue
        _merge_value(old, key, value)


def _merge_value(container: Any, key: str, value: Any) -> None:
    current = container[key]
    if _plain(current) == value:
        return
    if isinstance(value, dict) and isinstance(current, Table | InlineTable):
        _merge_tables(current, value)
    elif _is_table_list(value) and isinstance(current, AoT | Array):
        _merge_list(container, key, current, value)
    else:
        container[key] = _new_item(value, inline=isinstance(container, InlineTable))


def _merge_list(container: Any, key: str, current: AoT | Array, value: list[dict[str, Any]]
                ) -> None:
    """Merge a list of tables, matched by ``name`` or ``id`` (or by position without them)."""
    old = list(current)
    field = next((f for f in ("name", "id") if all(f in v for v in value)
                  and all(f in o for o in old)), None)
    if field is None:
        if len(old) == len(value):
            for table, entry in zip(old, value, strict=True):
                _merge_tables(table, entry)
        else:
            container[key] = _new_item(value, inline=isinstance(current, Array))
        return
    names = [entry[field] for entry in value]
    for index in reversed(range(len(old))):
        if old[index][field] not in names:
            del current[index]
    by_name = {table[field]: table for table in current}
    for entry in value:
        if entry[field] in by_name:
            _merge_tables(by_name[entry[field]], entry)
        else:
            current.append(_new_item(entry, inline=isinstance(current, Array)))


def section_text(placed: PlacedSection, existing: str) -> str:
    """Return ``existing`` (a section file's text) edited to hold ``placed``, comments kept."""
    document = tomlkit.parse(existing)
    _merge_tables(document, placed.to_dict())
    return tomlkit.dumps(document)


def save_section_file(placed: PlacedSection, path: str | Path) -> PlacedSection:
    """Write ``placed`` to ``path`` (edited in place if it exists) and return it as read back.

    The returned section has the id of the file name and ``path`` set.

    Raises
    ------
    SectionFileError
        If the file cannot be read or written, or does not read back as the same section.
    """
    path = Path(path)
    placed = dataclasses.replace(placed, id=path.stem, path=path)
    try:
        if path.exists():
            text = section_text(placed, path.read_text(encoding="utf-8"))
        else:
            with tempfile.TemporaryDirectory() as folder:
                text = placed.save(Path(folder) / path.name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.TOMLKitError) as error:
        raise SectionFileError(f"cannot update {path}: {error}",
                               hint="check the file is a section file you may write") from None
    if not _holds(text, placed):
        raise SectionFileError(f"{path}: the edited file would not hold the section; not saved",
                               hint="save it under a new name (Save As)")
    _write(path, text)
    logger.info("section %s saved to %s", placed.id, path)
    return load_placed_section(path, validate=False)


def _holds(text: str, placed: PlacedSection) -> bool:
    """Return whether a file's text reads back as ``placed`` (the order of soils aside)."""
    try:
        data = tomllib.loads(text)
        section = section_from_dict(data)
    except (tomllib.TOMLDecodeError, SeepageError):
        return False
    expected = tomllib.loads(tomlkit.dumps(placed.to_dict()))
    extra = ("placement", "checks", "derivation")
    return section == placed.section and all(data.get(k) == expected.get(k) for k in extra)


def _write(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, so a failure leaves the old file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-",
                                             suffix=".toml")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        Path(temporary).replace(path)
    except OSError as error:
        raise SectionFileError(f"cannot write {path}: {error.strerror or error}",
                               hint="choose a folder you may write to") from None
