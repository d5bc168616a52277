"""Small XML helpers shared by the BCF writer and reader (ElementTree, no namespaces)."""

from __future__ import annotations

import math
import struct
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import UTC, datetime

from twin_app.core.errors import InputError


class BcfReadError(InputError):
    """A BCF file (or one member of it) cannot be read."""


def sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    """Append child ``tag`` with optional text and attributes; return it."""
    element = ET.SubElement(parent, tag, {k: v for k, v in attributes.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def text_if(parent: ET.Element, tag: str, value: str | None) -> None:
    """Append ``<tag>value</tag>`` unless ``value`` is None or blank (3.0 forbids blank)."""
    if value is not None and value.strip():
        sub(parent, tag, value)


def number(value: float) -> str:
    """Format a float as xs:double (shortest round-trip form)."""
    if not math.isfinite(value):
        msg = f"{value} cannot be written to BCF"
        raise ValueError(msg)
    return repr(float(value))


def xyz(parent: ET.Element, tag: str, values: Iterable[float]) -> ET.Element:
    """Append a BCF Point or Direction (``<tag><X/><Y/><Z/></tag>``)."""
    element = sub(parent, tag)
    for axis, value in zip("XYZ", values, strict=True):
        sub(element, axis, number(float(value)))
    return element


def read_xyz(element: ET.Element | None, where: str) -> tuple[float, float, float]:
    """Read a BCF Point or Direction."""
    if element is None:
        raise BcfReadError(f"{where}: a point or direction is missing",
                           hint="the viewpoint file is incomplete; re-export it")
    try:
        return (float(element.findtext("X", "")), float(element.findtext("Y", "")),
                float(element.findtext("Z", "")))
    except ValueError:
        raise BcfReadError(f"{where}: {element.tag} needs numeric X, Y and Z",
                           hint="the viewpoint file is damaged; re-export it") from None


def date_text(value: datetime) -> str:
    """Format an aware datetime as xs:dateTime in UTC (``2024-05-01T08:00:00Z``)."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_date(text: str | None, where: str) -> datetime | None:
    """Parse xs:dateTime; a time without a zone (some tools write that) is taken as UTC."""
    if text is None or not text.strip():
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise BcfReadError(f"{where}: {text!r} is not a date and time",
                           hint="expected xs:dateTime, e.g. 2024-05-01T08:00:00Z") from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def to_bytes(root: ET.Element) -> bytes:
    """Serialise ``root`` as indented UTF-8 XML with a declaration."""
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def parse(data: bytes, member: str) -> ET.Element:
    """Parse one archive member (expat refuses external entities; no DTDs are loaded)."""
    try:
        return ET.fromstring(data)
    except ET.ParseError as error:
        raise BcfReadError(f"{member}: not well-formed XML ({error})",
                           hint="the BCF file is damaged; ask for a new export") from None


def png_aspect(png: bytes | None, default: float = 16.0 / 9.0) -> float:
    """Return width / height of a PNG from its header, or ``default``."""
    if png is None or len(png) < 24 or png[12:16] != b"IHDR":
        return default
    width, height = struct.unpack(">II", png[16:24])
    return width / height if width and height else default
