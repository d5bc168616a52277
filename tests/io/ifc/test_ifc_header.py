"""Headers, unsupported schemas and the header upgrade, truncated and garbled files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import ifcopenshell
import pytest
from ifc_samples import DUPLEX, RC3, SAMPLES, UTM, WORKS, all_sample_files

from twin_app.core.errors import AssetLoadError
from twin_app.io.ifc import (
    SUPPORTED_SCHEMAS,
    IfcReadError,
    UnsupportedSchemaError,
    check_schema,
    load_ifc_model,
    read_header,
    upgrade_header,
)
from twin_app.io.ifc._step import decode_string


def test_supported_schemas_are_what_ifcopenshell_ships():
    shipped = set(ifcopenshell.ifcopenshell_wrapper.schema_names()) - {"HEADER_SECTION_SCHEMA"}
    assert set(SUPPORTED_SCHEMAS) == shipped


@pytest.mark.parametrize("path", [*all_sample_files(), *WORKS], ids=lambda p: p.name)
def test_header_matches_the_file_text(path: Path):
    header = read_header(path)
    text = path.read_bytes()[:4096].decode("latin-1")
    assert f"'{header.schema}'" in text
    assert header.file_size == path.stat().st_size
    assert header.authoring_tool
    assert header.description


def test_header_fields_of_known_files():
    duplex = read_header(DUPLEX)
    assert duplex.schema == "IFC2X3"
    assert duplex.authoring_tool == "Autodesk Revit Architecture 2011 - 1.0 (20100326_1700)"
    assert duplex.description == ("ViewDefinition [CoordinationView]",)
    rc3 = read_header(RC3)
    assert rc3.schema == "IFC4X3_RC3"
    assert rc3.authoring_tool.startswith("12d Model 15.0")
    assert rc3.author == ("Lee Gregory",)
    utm = read_header(UTM)  # a header with /* comments */ between the fields
    assert utm.schema == "IFC4X3_ADD2"
    assert utm.time_stamp == "2017-07-10T15:03:00"


def test_step_strings_are_decoded():
    assert decode_string(r"'\X2\95F8\X0\ ''A'' \X\E9'") == "闸 'A' é"


def test_rc3_is_refused_naming_the_schema_why_and_the_upgrade():
    with pytest.raises(UnsupportedSchemaError) as caught:
        check_schema(read_header(RC3))
    message = str(caught.value)
    assert "IFC4X3_RC3" in message and "release candidate" in message
    assert "IFC2X3, IFC4, IFC4X3_ADD2" in message
    assert "upgrade_header" in message and "IFC4X3_ADD2" in message
    assert isinstance(caught.value, AssetLoadError)
    with pytest.raises(UnsupportedSchemaError):
        load_ifc_model(RC3, use_cache=False)


def test_a_schema_without_upgrade_says_to_export_again(tmp_path: Path):
    path = tmp_path / "old.ifc"
    path.write_bytes(DUPLEX.read_bytes().replace(b"'IFC2X3'", b"'IFC2X2_FINAL'", 1))
    with pytest.raises(UnsupportedSchemaError, match="export the model again"):
        check_schema(read_header(path))


def test_upgrade_of_rc3_fixes_known_layouts_and_loads(tmp_path: Path):
    out = tmp_path / "upgraded.ifc"
    report = upgrade_header(RC3, out)
    assert (report.source_schema, report.target_schema) == ("IFC4X3_RC3", "IFC4X3_ADD2")
    assert read_header(out).schema == "IFC4X3_ADD2"
    assert any("IFCMAPCONVERSION" in f and "line 29" in f for f in report.fixups)
    assert any("IFCSOLIDSTRATUM" in f and "IFCGEOTECHNICALSTRATUM" in f for f in report.fixups)
    assert report.issues == [] and report.dangling_references == 0
    assert report.opens and report.instances_read == report.instances_in_file
    assert any("meaning" in limit for limit in report.limits)
    assert "IFC4X3_RC3 -> IFC4X3_ADD2" in report.summary()
    # what ifcopenshell reads from the copy, checked against the text of the original
    text = RC3.read_text(encoding="latin-1")
    upgraded = ifcopenshell.open(str(out))
    for entity in ("IfcEarthworksFill", "IfcEarthworksCut"):
        assert len(upgraded.by_type(entity)) == text.count(f"= {entity.upper()}(")
    assert len(upgraded.by_type("IfcGeotechnicalStratum")) == text.count("IFCSOLIDSTRATUM(")
    assert upgraded.by_type("IfcMapConversion")[0].TargetCRS.Name == "EPSG:7856"


def test_upgrade_reports_what_it_drops_with_lines(tmp_path: Path):
    source = tmp_path / "rc3_plus.ifc"
    text = RC3.read_text(encoding="latin-1")
    extra = "#99990 = IFCALIGNMENT2DHORIZONTAL($, $);\n#99991 = IFCSITE('x', $);\n"
    position = text.rindex("ENDSEC;")
    source.write_text(text[:position] + extra + text[position:], encoding="latin-1")
    expected_line = text[:position].count("\n") + 1
    report = upgrade_header(source, tmp_path / "out.ifc")
    dropped = {i.entity: i for i in report.issues}
    assert dropped["IFCALIGNMENT2DHORIZONTAL"].line == expected_line
    assert "not defined in IFC4X3_ADD2" in dropped["IFCALIGNMENT2DHORIZONTAL"].problem
    assert report.dropped_entities["IFCALIGNMENT2DHORIZONTAL"] == 1
    # IfcSite is defined, but the first IfcSite has the file's 14 attributes: not flagged
    assert "IFCSITE" not in dropped
    assert any("IFCALIGNMENT2DHORIZONTAL" in m for m in report.parser_messages)
    assert any("2 attribute" in m or "attribute values" in m for m in report.parser_messages)
    assert report.instances_read < report.instances_in_file


def test_upgrade_refuses_to_overwrite_and_unknown_targets(tmp_path: Path):
    with pytest.raises(ValueError, match="another file"):
        upgrade_header(RC3, RC3)
    with pytest.raises(ValueError, match="IFC4X3_ADD2"):
        upgrade_header(RC3, tmp_path / "x.ifc", target="IFC5")


def _truncated(tmp_path: Path, size: int) -> tuple[Path, int]:
    path = tmp_path / "duplex_truncated.ifc"
    data = DUPLEX.read_bytes()[:size]
    path.write_bytes(data)
    return path, data.count(b"\n") + 1


def test_a_truncated_file_names_the_file_and_its_last_line(tmp_path: Path):
    path, last_line = _truncated(tmp_path, 1_200_000)
    with pytest.raises(IfcReadError) as caught:
        load_ifc_model(path, use_cache=False)
    error = caught.value
    assert error.line == last_line
    assert f"{path}:{last_line}" in str(error)
    assert "truncated" in str(error) and "again" in str(error)


def test_a_file_cut_after_a_complete_line_is_truncated_too(tmp_path: Path):
    data = DUPLEX.read_bytes()
    cut = data.index(b"\n", 1_000_000) + 1
    path, _ = _truncated(tmp_path, cut)
    with pytest.raises(IfcReadError, match="END-ISO-10303-21") as caught:
        load_ifc_model(path, use_cache=False)
    assert caught.value.line == data[:cut].count(b"\n")


def _garble(tmp_path: Path, line_no: int, old: bytes, new: bytes) -> Path:
    lines = DUPLEX.read_bytes().split(b"\n")
    assert old in lines[line_no - 1]
    lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
    path = tmp_path / f"garbled_{line_no}.ifc"
    path.write_bytes(b"\n".join(lines))
    return path


def _line_of(prefix: bytes) -> int:
    lines = DUPLEX.read_bytes().split(b"\n")
    return next(i + 1 for i, line in enumerate(lines) if line.startswith(prefix))


def test_a_garbled_line_is_named(tmp_path: Path):
    line_no = 501
    path = _garble(tmp_path, line_no, b"IFCCARTESIANPOINT", b"IFCCARTESIANPOI@@garbage((,,")
    with pytest.raises(IfcReadError) as caught:
        load_ifc_model(path, use_cache=False)
    assert caught.value.line == line_no
    assert f"{path}:{line_no}" in str(caught.value)
    assert "garbage" in str(caught.value) and "accept_errors" in str(caught.value)


def test_a_misspelt_entity_is_named_and_can_be_accepted(tmp_path: Path):
    line_no = _line_of(b"#5399=IFCWALL(")
    path = _garble(tmp_path, line_no, b"IFCWALL(", b"IFCWALX(")
    with pytest.raises(IfcReadError, match="IFCWALX") as caught:
        load_ifc_model(path, use_cache=False)
    assert caught.value.line == line_no
    model = load_ifc_model(path, use_cache=False, accept_errors=True)
    assert any(f"line {line_no}" in w for w in model.warnings)
    classes = Counter(e.ifc_class for e in model.elements)
    assert classes["IfcWall"] == 0 and classes["IfcWallStandardCase"] == 56


@pytest.mark.parametrize(("content", "problem"), [
    (b"", "empty"), (b"PK\x03\x04zip", "zip"), (b"<?xml version='1.0'?>", "XML"),
    (b"solid cube\nendsolid", "not an ISO 10303-21"),
])
def test_files_that_are_not_ifc_spf(tmp_path: Path, content: bytes, problem: str):
    path = tmp_path / "model.ifc"
    path.write_bytes(content)
    with pytest.raises(IfcReadError, match=problem):
        read_header(path)


def test_a_missing_file():
    with pytest.raises(IfcReadError, match="no such file"):
        load_ifc_model(SAMPLES / "does-not-exist.ifc")
