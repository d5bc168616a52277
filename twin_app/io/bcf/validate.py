"""Check BCF files against buildingSMART's XSDs (BCF 2.1 and 3.0) with ``xmlschema``.

The schemas are not shipped in the package (their licence, CC BY-ND 4.0, allows unmodified copies
with attribution; the project keeps them in ``shared/schemas/bcf/<version>/``).  They are looked
for in ``$TWIN_APP_BCF_SCHEMAS/<version>``, then ``<project>/resources/schemas/bcf/<version>``,
then ``<project>/../shared/schemas/bcf/<version>``.

Which schema checks which member of the archive:

==================  =====================  ==================
member              BCF 2.1                BCF 3.0
==================  =====================  ==================
``bcf.version``     version.xsd            version.xsd
``project.bcfp``    project.xsd            project.xsd
``extensions.xml``  (none in 2.1)          extensions.xsd
``documents.xml``   (none in 2.1)          documents.xsd
``*/markup.bcf``    markup.xsd             markup.xsd
``*/*.bcfv``        visinfo.xsd            visinfo.xsd
==================  =====================  ==================
"""

from __future__ import annotations

import functools
import logging
import os
import zipfile
from pathlib import Path, PurePosixPath

from twin_app.core import paths
from twin_app.core.errors import TwinAppError

logger = logging.getLogger(__name__)

SCHEMA_FILES = {"bcf.version": "version.xsd", "project.bcfp": "project.xsd",
                "extensions.xml": "extensions.xsd", "documents.xml": "documents.xsd",
                ".bcf": "markup.xsd", ".bcfv": "visinfo.xsd"}
VERSIONS = ("2.1", "3.0")


class BcfSchemaNotFoundError(TwinAppError):
    """The official BCF schemas are not where the validator looks."""


def schema_folder(version: str) -> Path:
    """Return the folder of the official XSDs of BCF ``version`` ("2.1" or "3.0").

    Raises
    ------
    BcfSchemaNotFoundError
        If no candidate folder holds ``markup.xsd``.
    """
    if version not in VERSIONS:
        raise BcfSchemaNotFoundError(f"no BCF {version} schemas",
                                     hint=f"use one of {', '.join(VERSIONS)}")
    candidates = []
    override = os.environ.get("TWIN_APP_BCF_SCHEMAS")
    if override:
        candidates.append(Path(override) / version)
    root = paths.project_root()
    candidates += [root / "resources" / "schemas" / "bcf" / version,
                   root.parent / "shared" / "schemas" / "bcf" / version]
    for folder in candidates:
        if (folder / "markup.xsd").is_file():
            return folder
    raise BcfSchemaNotFoundError(
        f"the BCF {version} XSDs are not in {', '.join(str(c) for c in candidates)}",
        hint="set TWIN_APP_BCF_SCHEMAS to a folder holding 2.1/ and 3.0/ with buildingSMART's "
             "unmodified XSDs")


@functools.cache
def _schema(folder: Path, name: str) -> object:
    import xmlschema

    return xmlschema.XMLSchema10(str(folder / name))


def schema_for_member(member: str, version: str) -> str | None:
    """Return the XSD file name that checks archive member ``member``, or None (PNG, JSON...)."""
    path = PurePosixPath(member)
    if path.name in SCHEMA_FILES and len(path.parts) == 1:
        name = SCHEMA_FILES[path.name]
        return None if version == "2.1" and name in ("extensions.xsd", "documents.xsd") else name
    if len(path.parts) == 2 and path.suffix in (".bcf", ".bcfv"):
        return SCHEMA_FILES[path.suffix]
    return None


def validate_xml(data: bytes, schema_name: str, version: str) -> list[str]:
    """Return the problems of one XML document against one BCF schema (empty if valid)."""
    import xmlschema

    schema = _schema(schema_folder(version), schema_name)
    try:
        errors = list(schema.iter_errors(data.decode("utf-8")))  # type: ignore[attr-defined]
    except xmlschema.XMLSchemaException as error:
        return [str(error)]
    except (UnicodeDecodeError, SyntaxError) as error:
        return [f"not well-formed UTF-8 XML: {error}"]
    return [f"{e.path}: {e.reason}" for e in errors]


def validate_bcf(path: Path, version: str | None = None) -> dict[str, list[str]]:
    """Validate every XML member of a ``.bcf``/``.bcfzip`` archive against the official XSDs.

    Parameters
    ----------
    path : Path
        The archive.
    version : str, optional
        "2.1" or "3.0"; read from ``bcf.version`` if omitted.

    Returns
    -------
    dict of str to list of str
        For each XML member checked, its problems (an empty list when it is valid).
    """
    from twin_app.io.bcf.reader import read_version

    report: dict[str, list[str]] = {}
    with zipfile.ZipFile(path) as archive:
        version = version or read_version(archive)
        for member in archive.namelist():
            schema_name = schema_for_member(member, version)
            if schema_name is not None:
                report[member] = validate_xml(archive.read(member), schema_name, version)
    invalid = {m: p for m, p in report.items() if p}
    logger.info("validated %s against the BCF %s XSDs: %d files, %d invalid", path, version,
                len(report), len(invalid))
    return report
