"""The documented "try anyway" path for IFC schemas ifcopenshell refuses: a header upgrade.

:func:`upgrade_header` writes a copy of the file whose FILE_SCHEMA names a supported schema
(IFC4X3_RC1..RC4, IFC4X3, IFC4X3_TC1, IFC4X3_ADD1, IFC4X1/IFC4X2 -> IFC4X3_ADD2; IFC4 addenda ->
IFC4; IFC2X3_TC1 -> IFC2X3). The data is not translated, so the report says what the upgrade drops
or may mis-read, found two ways:

1. statically, from the file against the target schema: entity names the target does not define
   and entities whose attribute count differs (checked on the first instance of each entity);
2. by opening the copy with ifcopenshell and collecting its parser messages (instances it could
   not read, references to them left dangling).

Two IFC 4.3 release-candidate layouts with a known equivalent are rewritten, and listed as
fix-ups: RC ``IfcMapConversion`` with ``Scale, ScaleY, ScaleZ`` (10 attributes) becomes an
``IfcMapConversion`` (equal scales) or ``IfcMapConversionScaled``; RC ``IfcSolidStratum`` /
``IfcWaterStratum`` / ``IfcVoidStratum`` become ``IfcGeotechnicalStratum`` with PredefinedType
SOLID / WATER / VOID.

Limits (also in :attr:`UpgradeReport.limits`): ifcopenshell has no definition of the source
schema, so changes are inferred from the file; an attribute whose meaning or type changed while
the count stayed the same is read with the new meaning and is not detected.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import ifcopenshell
import ifcopenshell.ifcopenshell_wrapper as wrapper

from twin_app.io.ifc import _ifclog
from twin_app.io.ifc._step import read_header_records, split_arguments
from twin_app.io.ifc.errors import SUPPORTED_SCHEMAS, IfcReadError

logger = logging.getLogger(__name__)

LIMITS = (
    "ifcopenshell has no definition of the source schema: what changed is inferred from the "
    "entity names and attribute counts found in this file, not from the two schema definitions",
    "an attribute whose meaning or type changed while the attribute count stayed the same is read "
    "with the target schema's meaning, without any message",
    "an instance that refers to a dropped instance keeps the reference unset",
    "entity types are checked on their first instance only (all instances of a type have the "
    "same attribute count in a valid file)",
)

NEWLINE = b"\n"
_INSTANCE = re.compile(r"#(\d+)\s*=\s*([A-Za-z0-9_]+)\s*\(")
_FILE_SCHEMA = re.compile(r"(FILE_SCHEMA\s*\(\s*\(\s*)'[^']*'((?:\s*,\s*'[^']*')*)", re.I)


@dataclass(frozen=True)
class UpgradeIssue:
    """Something the upgraded file loses or may mis-read.

    Attributes
    ----------
    entity : str
        The entity name as written in the file (upper case).
    problem : str
        What is wrong, e.g. "not defined in IFC4X3_ADD2: dropped".
    count : int
        Instances of that entity in the file.
    line : int or None
        Line of the first such instance.
    """

    entity: str
    problem: str
    count: int
    line: int | None


@dataclass
class UpgradeReport:
    """What :func:`upgrade_header` did and what the upgraded file drops or may mis-read.

    Attributes
    ----------
    source, out_path : Path
        The original file and the upgraded copy.
    source_schema, target_schema : str
        FILE_SCHEMA before and after.
    fixups : list of str
        Instances rewritten to a known equivalent (with their lines).
    issues : list of UpgradeIssue
        Entity types the target schema does not define or defines with another attribute count.
    parser_messages : list of str
        ifcopenshell's messages on opening the copy (line-numbered where it gave an offset).
    dangling_references : int
        References to instances ifcopenshell dropped.
    opens : bool
        Whether ifcopenshell opened the copy at all.
    instances_in_file, instances_read : int
        Instances in the text and instances ifcopenshell read.
    limits : list of str
        What this check cannot detect.
    """

    source: Path
    out_path: Path
    source_schema: str
    target_schema: str
    fixups: list[str] = field(default_factory=list)
    issues: list[UpgradeIssue] = field(default_factory=list)
    parser_messages: list[str] = field(default_factory=list)
    dangling_references: int = 0
    opens: bool = False
    instances_in_file: int = 0
    instances_read: int = 0
    limits: list[str] = field(default_factory=lambda: list(LIMITS))

    @property
    def dropped_entities(self) -> dict[str, int]:
        """Entity names the upgrade drops, with their instance counts."""
        return {i.entity: i.count for i in self.issues}

    def summary(self) -> str:
        """Return a few lines for a log, a message box or the CLI."""
        lines = [f"{self.source.name}: {self.source_schema} -> {self.target_schema}, written to "
                 f"{self.out_path}", f"ifcopenshell read {self.instances_read} of "
                 f"{self.instances_in_file} instances"]
        lines += [f"fixed: {f}" for f in self.fixups]
        lines += [f"dropped or mis-read: {i.entity} x{i.count} (first at line {i.line}): "
                  f"{i.problem}" for i in self.issues]
        if self.dangling_references:
            lines.append(f"{self.dangling_references} references to dropped instances are unset")
        lines += [f"limit: {limit}" for limit in self.limits]
        return "\n".join(lines)


def upgrade_header(path: str | Path, out_path: str | Path, target: str = "IFC4X3_ADD2"
                   ) -> UpgradeReport:
    """Write a copy of an IFC file that declares a supported schema, and report what it loses.

    Parameters
    ----------
    path : str or Path
        The file in an unsupported schema (e.g. IFC4X3_RC3).
    out_path : str or Path
        Where to write the copy (must differ from ``path``).
    target : str
        The schema to declare, one of :data:`SUPPORTED_SCHEMAS`.

    Returns
    -------
    UpgradeReport
        Fix-ups made, entities dropped or possibly mis-read, parser messages, limits.

    Raises
    ------
    ValueError
        If ``target`` is not supported or ``out_path`` is ``path``.
    IfcReadError
        If ``path`` is not a readable IFC-SPF file.
    """
    path, out_path = Path(path), Path(out_path)
    if target not in SUPPORTED_SCHEMAS:
        raise ValueError(f"target {target!r} is not one of {', '.join(SUPPORTED_SCHEMAS)}")
    if out_path.resolve() == path.resolve():
        raise ValueError("write the upgraded copy to another file; the original stays as it is")
    schemas = read_header_records(path).get("FILE_SCHEMA", [[]])[0] or []
    source_schema = str(schemas[0] if isinstance(schemas, list) and schemas else "").upper()
    text = path.read_bytes().decode("latin-1")
    text, replaced = _FILE_SCHEMA.subn(lambda m: f"{m.group(1)}'{target}'", text, count=1)
    if not replaced:
        raise IfcReadError(path, "the header has no FILE_SCHEMA to rewrite", line=1)
    report = UpgradeReport(source=path, out_path=out_path, source_schema=source_schema,
                           target_schema=target)
    if source_schema.startswith("IFC4X") and target == "IFC4X3_ADD2":
        text = _apply_fixups(text, report.fixups)
    out_path.write_bytes(text.encode("latin-1"))
    report.issues, report.instances_in_file = _static_issues(text, target)
    _verify(out_path, report)
    logger.info("upgraded %s from %s to %s: %d fix-ups, %d entity types dropped",
                path.name, source_schema, target, len(report.fixups), len(report.issues))
    return report


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _fix_map_conversion(args: list[str]) -> tuple[str, list[str]] | None:
    if len(args) != 10:
        return None
    scale, scale_y, scale_z = (a if a != "$" else "1." for a in args[7:10])
    if len({_number(scale), _number(scale_y), _number(scale_z)}) == 1:
        return "IFCMAPCONVERSION", args[:8]
    return "IFCMAPCONVERSIONSCALED", [*args[:7], "1.", scale, scale_y, scale_z]


def _number(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def _stratum(kind: str) -> Callable[[list[str]], tuple[str, list[str]] | None]:
    def fix(args: list[str]) -> tuple[str, list[str]] | None:
        return ("IFCGEOTECHNICALSTRATUM", [*args, f".{kind}."]) if len(args) == 8 else None
    return fix


_FIXUPS: dict[str, Callable[[list[str]], tuple[str, list[str]] | None]] = {
    "IFCMAPCONVERSION": _fix_map_conversion,
    "IFCSOLIDSTRATUM": _stratum("SOLID"),
    "IFCWATERSTRATUM": _stratum("WATER"),
    "IFCVOIDSTRATUM": _stratum("VOID"),
}


def _apply_fixups(text: str, notes: list[str]) -> str:
    pieces, last = [], 0
    for match in _INSTANCE.finditer(text):
        name = match.group(2).upper()
        fix = _FIXUPS.get(name)
        if fix is None:
            continue
        args, end = split_arguments(text, match.end() - 1)
        fixed = fix(args)
        if fixed is None:
            continue
        new_name, new_args = fixed
        pieces += [text[last:match.start()], f"#{match.group(1)}={new_name}({','.join(new_args)})"]
        last = end
        notes.append(f"line {_line(text, match.start())}: #{match.group(1)} {name} "
                     f"({len(args)} attributes, IFC 4.3 RC layout) rewritten as {new_name} "
                     f"({len(new_args)} attributes)")
    pieces.append(text[last:])
    return "".join(pieces)


def _static_issues(text: str, target: str) -> tuple[list[UpgradeIssue], int]:
    schema = wrapper.schema_by_name(target)
    first: dict[str, re.Match[str]] = {}
    counts: Counter[str] = Counter()
    for match in _INSTANCE.finditer(text):
        name = match.group(2).upper()
        counts[name] += 1
        first.setdefault(name, match)
    issues = []
    for name, match in first.items():
        line = _line(text, match.start())
        try:
            declaration = schema.declaration_by_name(name)
        except RuntimeError:
            issues.append(UpgradeIssue(name, f"not defined in {target}: every instance is "
                                       "dropped", counts[name], line))
            continue
        if not hasattr(declaration, "all_attributes"):
            continue
        expected = len(declaration.all_attributes())
        found = len(split_arguments(text, match.end() - 1)[0])
        if found != expected:
            issues.append(UpgradeIssue(
                name, f"{found} attributes in the file, {expected} in {target}: instances are "
                "dropped", counts[name], line))
    return issues, sum(counts.values())


def _verify(out_path: Path, report: UpgradeReport) -> None:
    _ifclog.start_capture()
    try:
        ifc_file = ifcopenshell.open(str(out_path))
    except (RuntimeError, OSError, ifcopenshell.Error) as exc:
        report.parser_messages.append(f"ifcopenshell could not open the copy: {exc}")
        return
    report.opens = True
    report.instances_read = sum(1 for _ in ifc_file)
    data: bytes | None = None
    for record in _ifclog.take_log():
        if not record.is_parse_problem:
            continue
        if "Instance reference" in record.message:
            report.dangling_references += 1
            continue
        where = ""
        if record.offset is not None:
            data = data if data is not None else out_path.read_bytes()
            where = f"line {data.count(NEWLINE, 0, record.offset) + 1}: "
        report.parser_messages.append(where + record.describe())
