"""The header of an IFC file (schema, authoring tool, description), read without ifcopenshell.

:func:`read_header` reads only the STEP HEADER section, so it works on any file, including those in
a schema ifcopenshell refuses; :func:`check_schema` raises :class:`UnsupportedSchemaError` for
those, naming the schema, why, and the documented upgrade (:func:`upgrade_header`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from twin_app.io.ifc._step import HeaderValue, read_header_records
from twin_app.io.ifc.errors import (
    SUPPORTED_SCHEMAS,
    IfcReadError,
    UnsupportedSchemaError,
)
from twin_app.io.ifc.upgrade import UpgradeIssue, UpgradeReport, upgrade_header

__all__ = [
    "SUPPORTED_SCHEMAS",
    "UPGRADE_TARGETS",
    "IfcHeader",
    "IfcReadError",
    "UnsupportedSchemaError",
    "UpgradeIssue",
    "UpgradeReport",
    "check_schema",
    "read_header",
    "upgrade_header",
]

_IFC43_DRAFTS = ("IFC4X3_RC1", "IFC4X3_RC2", "IFC4X3_RC3", "IFC4X3_RC4", "IFC4X3",
                 "IFC4X3_TC1", "IFC4X3_ADD1", "IFC4X1", "IFC4X2")
UPGRADE_TARGETS: dict[str, str] = {
    **dict.fromkeys(_IFC43_DRAFTS, "IFC4X3_ADD2"),
    **dict.fromkeys(("IFC4_ADD1", "IFC4_ADD2", "IFC4_ADD2_TC1"), "IFC4"),
    "IFC2X3_TC1": "IFC2X3",
}
"""Schemas a header upgrade can try, and the supported schema it rewrites them to."""

_WHY = {
    "IFC4X3_RC": "it is a release candidate (a draft) of IFC 4.3, from before entities were "
                 "renamed and attributes moved in the final IFC4X3_ADD2",
    "IFC4X3": "it is an earlier edition of IFC 4.3 (ifcopenshell ships only IFC4X3_ADD2, 4.3.2.0)",
    "IFC4X1": "it is a draft of IFC 4.1/4.2 (alignment and bridge extensions) that was never "
              "published; IFC 4.3 superseded it",
    "IFC4_": "ifcopenshell ships IFC4 ADD2 TC1 under the name IFC4; this file names an addendum",
    "IFC2X3_TC1": "ifcopenshell ships IFC2X3 TC1 under the name IFC2X3",
}


@dataclass(frozen=True)
class IfcHeader:
    """What a file's STEP header says about it.

    Attributes
    ----------
    path : Path
        The file.
    schema : str
        The first FILE_SCHEMA identifier, upper-case, e.g. ``"IFC4X3_ADD2"``.
    schema_identifiers : tuple of str
        All FILE_SCHEMA identifiers (normally one).
    description : tuple of str
        FILE_DESCRIPTION entries (view definition, comments).
    implementation_level : str
        FILE_DESCRIPTION's implementation level, e.g. ``"2;1"``.
    file_name, time_stamp, preprocessor_version, originating_system, authorization : str
        FILE_NAME fields ("" when unset).
    author, organization : tuple of str
        FILE_NAME's author and organisation lists.
    file_size : int
        Size of the file in bytes.
    """

    path: Path
    schema: str
    schema_identifiers: tuple[str, ...]
    description: tuple[str, ...] = ()
    implementation_level: str = ""
    file_name: str = ""
    time_stamp: str = ""
    author: tuple[str, ...] = ()
    organization: tuple[str, ...] = ()
    preprocessor_version: str = ""
    originating_system: str = ""
    authorization: str = ""
    file_size: int = 0

    @property
    def authoring_tool(self) -> str:
        """The tool that wrote the model, from FILE_NAME's originating system and preprocessor.

        Some exporters (Revit) put only a build number in the originating system; the
        preprocessor then names the tool and the build follows in brackets.
        """
        origin, pre = self.originating_system.strip(), self.preprocessor_version.strip()
        if origin and pre and not any(c.isalpha() for c in origin):
            return f"{pre} ({origin})"
        return origin or pre

    @property
    def supported(self) -> bool:
        """Whether ifcopenshell can open a file of this schema."""
        return self.schema in SUPPORTED_SCHEMAS

    def to_dict(self) -> dict[str, Any]:
        """Return the header as JSON-compatible values (the path as text)."""
        return {
            "path": str(self.path), "schema": self.schema,
            "schema_identifiers": list(self.schema_identifiers),
            "description": list(self.description),
            "implementation_level": self.implementation_level, "file_name": self.file_name,
            "time_stamp": self.time_stamp, "author": list(self.author),
            "organization": list(self.organization),
            "preprocessor_version": self.preprocessor_version,
            "originating_system": self.originating_system, "authorization": self.authorization,
            "file_size": self.file_size,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], path: Path | None = None) -> IfcHeader:
        """Rebuild a header from :meth:`to_dict` output, optionally at another path."""
        lists = {key: tuple(str(v) for v in data.get(key) or ())
                 for key in ("schema_identifiers", "description", "author", "organization")}
        texts = {key: str(data.get(key) or "")
                 for key in ("schema", "implementation_level", "file_name", "time_stamp",
                             "preprocessor_version", "originating_system", "authorization")}
        return cls(path=Path(path if path is not None else str(data["path"])),
                   file_size=int(data.get("file_size") or 0), **lists, **texts)


def _text(value: HeaderValue) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    return value


def _texts(value: HeaderValue) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(_text(v) for v in value if v is not None)
    return (value,)


def _field(params: list[HeaderValue], index: int) -> HeaderValue:
    return params[index] if index < len(params) else None


def read_header(path: str | Path) -> IfcHeader:
    """Read the STEP header of an IFC file, without parsing its data.

    Parameters
    ----------
    path : str or Path
        The IFC file.

    Returns
    -------
    IfcHeader
        Schema, description and FILE_NAME fields, and the file size.

    Raises
    ------
    IfcReadError
        If the file is missing, not an IFC-SPF file, or has no FILE_SCHEMA.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        records = read_header_records(path)
    except FileNotFoundError:
        raise IfcReadError(path, "no such file", hint="check the path") from None
    except OSError as exc:
        raise IfcReadError(path, f"cannot read the file: {exc.strerror or exc}") from exc
    schemas = tuple(s.upper() for s in _texts(_field(records.get("FILE_SCHEMA", []), 0)))
    if not schemas:
        raise IfcReadError(path, "the header has no FILE_SCHEMA, so the IFC version is unknown",
                           line=1, hint="the file is damaged or not an IFC file")
    description = records.get("FILE_DESCRIPTION", [])
    name = records.get("FILE_NAME", [])
    return IfcHeader(
        path=path, schema=schemas[0], schema_identifiers=schemas,
        description=_texts(_field(description, 0)),
        implementation_level=_text(_field(description, 1)),
        file_name=_text(_field(name, 0)), time_stamp=_text(_field(name, 1)),
        author=_texts(_field(name, 2)), organization=_texts(_field(name, 3)),
        preprocessor_version=_text(_field(name, 4)), originating_system=_text(_field(name, 5)),
        authorization=_text(_field(name, 6)), file_size=size,
    )


def _why_unsupported(schema: str) -> str:
    for prefix, why in _WHY.items():
        if schema.startswith(prefix):
            return why
    return "ifcopenshell 0.9 has no definition of this schema"


def check_schema(header: IfcHeader) -> None:
    """Raise :class:`UnsupportedSchemaError` unless ifcopenshell can open the header's schema.

    Parameters
    ----------
    header : IfcHeader
        The file's header.

    Raises
    ------
    UnsupportedSchemaError
        Naming the schema, why it is refused and, where one is documented, the upgrade target.
    """
    if header.supported:
        return
    raise UnsupportedSchemaError(header.path, header.schema, _why_unsupported(header.schema),
                                 upgrade_target=UPGRADE_TARGETS.get(header.schema))
