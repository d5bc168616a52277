"""Seepage sections of a scene: the soil profile file and section files placed on the map.

A scene's **soil profile** (``scenes/<scene>/soils.toml``) lists the ground layers from the top
down, each with its bottom elevation and the soil data the seepage model and the piping checks
need; it is what :mod:`twin_app.io.section_derive` fills a section with::

    schema_version = 1
    illustrative = true                   # say so when the profile is not a site investigation
    note = "..."
    base_level = -30.0                    # impermeable base of the sections (m, scene datum)
    land_level = 2.0                      # groundwater held at the far land-side boundary (m)
    stage_sensor = "HPK-WL-01"            # the river gauge whose readings drive the sections
    design_level = 5.86                   # river stage of the design checks (m)

    [[layers]]                            # top down
    name = "fill"                         # soil name in the section files
    zh = "①填土"
    bottom = 2.0                          # bottom elevation (m); the top is the ground
    kx = 2e-6                             # m/s horizontal, kz vertical
    kz = 1e-6
    ss = 5e-4                             # 1/m; then sy, gs, void_ratio, d70, d10 (m), soil_type
    role = "blanket"                      # optional: "blanket" or "aquifer" (piping checks)

    [fill]                                # soil of embankments (IfcEarthworksFill), optional
    name = "embankment fill"
    kx = 1e-6
    kz = 5e-7

A **section file** (``scenes/<scene>/sections/<id>.toml``) is a :mod:`twin_seepage` section
(``twin_seepage/section_toml.py`` describes it: soils, layers, walls, sheet piles, river and land
boundaries, piezometers; ``x`` runs from the river end towards the land) plus three tables that
twin_seepage ignores::

    [placement]                           # where the section lies in the scene
    crs = "EPSG:4549"
    start = [641646.31, 3458515.63]       # map point of x = 0 (the river end)
    end = [641546.31, 3458515.63]         # map point of the land end

    [checks]                              # how the piping checks read the section (optional)
    aquifer = "sandy silt"                # soil of the aquifer (default: the most permeable soil
                                          # with a d70)
    stage_sensor = "HPK-WL-01"            # the river gauge
    design_level = 5.86                   # stage of the design checks (m)
    land_level = 2.0

    [derivation]                          # how the section was made (informative)
    scene = "huangpu"
    illustrative = true
    edited = true                         # changed in the section editor after deriving
"""

from __future__ import annotations

import logging
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w
from twin_seepage import Section, Soil
from twin_seepage.section_toml import section_from_dict, section_to_dict

from twin_app.core.errors import InputError

logger = logging.getLogger(__name__)

SOILS_FILE = "soils.toml"
_NUMBER = r"(-?[0-9][0-9.e+-]*)"
_PAIR = re.compile(r"\[\s*" + _NUMBER + r",\s*" + _NUMBER + r",?\s*\]")
"""A coordinate pair tomli_w wrote over four lines; written on one."""
SECTIONS_FOLDER = "sections"
_SOIL_KEYS = ("ss", "sy", "gs", "void_ratio", "d70", "d10", "soil_type")


class SectionFileError(InputError):
    """A soil profile or a section file cannot be read or is not valid."""


@dataclass(frozen=True)
class ProfileLayer:
    """One layer of a soil profile: its soil, its bottom elevation and its role in the checks."""

    soil: Soil
    bottom: float
    zh: str = ""
    role: str = ""


@dataclass(frozen=True)
class SoilProfile:
    """A scene's soil profile (``soils.toml``, see the module docstring)."""

    layers: tuple[ProfileLayer, ...]
    base_level: float
    land_level: float | None
    fill: Soil | None = None
    stage_sensor: str = ""
    design_level: float | None = None
    illustrative: bool = True
    note: str = ""
    path: Path | None = None

    @property
    def aquifer(self) -> str:
        """Return the name of the aquifer soil (role ``aquifer``), or ``""``."""
        return next((layer.soil.name for layer in self.layers if layer.role == "aquifer"), "")


def _soil(entry: dict[str, Any], where: str) -> Soil:
    try:
        extra = {key: entry[key] for key in _SOIL_KEYS if key in entry}
        return Soil(str(entry["name"]), float(entry["kx"]), float(entry["kz"]), **extra)
    except KeyError as error:
        raise SectionFileError(f"{where}: missing key {error.args[0]!r}") from None
    except (TypeError, ValueError) as error:
        raise SectionFileError(f"{where}: {error}") from None


def read_soil_profile(path: str | Path) -> SoilProfile:
    """Read a scene's ``soils.toml``.

    Raises
    ------
    SectionFileError
        If the file is missing, not TOML, or a layer is incomplete or out of order.
    """
    path = Path(path)
    data = _read_toml(path)
    layers: list[ProfileLayer] = []
    for index, entry in enumerate(data.get("layers", [])):
        where = f"{path}: layers[{index}]"
        soil = _soil(entry, where)
        soil.validate(where)
        bottom = float(entry.get("bottom", math.nan))
        if not math.isfinite(bottom):
            raise SectionFileError(f"{where}: needs a 'bottom' elevation")
        if layers and bottom >= layers[-1].bottom:
            raise SectionFileError(f"{where}: bottom {bottom:g} m is not below the layer above "
                                   f"({layers[-1].bottom:g} m); list the layers top down")
        layers.append(ProfileLayer(soil, bottom, str(entry.get("zh", "")),
                                   str(entry.get("role", ""))))
    if not layers:
        raise SectionFileError(f"{path}: no [[layers]]")
    base = float(data.get("base_level", layers[-1].bottom))
    if base > layers[-1].bottom + 1e-9:
        raise SectionFileError(f"{path}: base_level {base:g} m lies above the bottom of the "
                               f"last layer ({layers[-1].bottom:g} m)")
    fill = _soil(data["fill"], f"{path}: [fill]") if "fill" in data else None
    land = data.get("land_level")
    design = data.get("design_level")
    return SoilProfile(tuple(layers), base, None if land is None else float(land), fill,
                       str(data.get("stage_sensor", "")),
                       None if design is None else float(design),
                       bool(data.get("illustrative", True)), str(data.get("note", "")), path)


@dataclass
class PlacedSection:
    """A seepage section with its place in the scene.

    Attributes
    ----------
    id : str
        The section id (its file name without ``.toml``).
    section : Section
        The twin_seepage section; ``x`` runs from the river end (``start``) to the land end.
    start, end : tuple of float
        Map points (scene CRS) of ``x = 0`` and of the land end; ``None`` if not placed.
    crs : str
        The CRS of ``start`` and ``end``.
    checks : dict
        The ``[checks]`` table: ``aquifer``, ``stage_sensor``, ``design_level``, ``land_level``.
    derivation : dict
        How the section was made (scene, files, elements crossed).
    path : Path or None
        The file it was read from.
    """

    id: str
    section: Section
    start: tuple[float, float] | None = None
    end: tuple[float, float] | None = None
    crs: str = "EPSG:4549"
    checks: dict[str, Any] = field(default_factory=dict)
    derivation: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    @property
    def length(self) -> float:
        """Return the map length of the placement line (m), or the section's width if unplaced."""
        if self.start is None or self.end is None:
            xmin, _, xmax, _ = self.section.bounds()
            return xmax - xmin
        return math.dist(self.start, self.end)

    def map_point(self, x: float) -> tuple[float, float]:
        """Return the map point at distance ``x`` along the section.

        Raises
        ------
        ValueError
            If the section has no placement.
        """
        if self.start is None or self.end is None:
            raise ValueError(f"section {self.id!r} has no [placement]")
        t = x / self.length
        return (self.start[0] + t * (self.end[0] - self.start[0]),
                self.start[1] + t * (self.end[1] - self.start[1]))

    @property
    def line(self) -> tuple[float, float, float, float] | None:
        """Return ``(x0, y0, x1, y1)`` of the placement, or ``None``."""
        if self.start is None or self.end is None:
            return None
        return (*self.start, *self.end)

    def to_dict(self) -> dict[str, Any]:
        """Return the file's TOML structure."""
        data = section_to_dict(self.section)
        if self.start is not None and self.end is not None:
            data["placement"] = {"crs": self.crs, "start": [round(v, 3) for v in self.start],
                                 "end": [round(v, 3) for v in self.end]}
        if self.checks:
            data["checks"] = dict(self.checks)
        if self.derivation:
            data["derivation"] = dict(self.derivation)
        return data

    def save(self, path: str | Path) -> Path:
        """Write the section file (a header comment, then the TOML)."""
        path = Path(path)
        header = (f"# Seepage section {self.id}: twin_seepage format (twin_seepage/section_toml.py)"
                  "\n# plus [placement], [checks] and [derivation] (twin_app/io/sections.py).\n")
        if self.derivation.get("illustrative", True):
            header += "# ILLUSTRATIVE: derived from illustrative terrain, BIM and soil data.\n"
        generator = self.derivation.get("generator")
        if self.derivation.get("edited"):
            header += "# Edited in the section editor after it was derived.\n"
        elif generator:
            header += f"# Written by {generator}; edit that script, not this file.\n"
        text = _PAIR.sub(r"[\1, \2]", tomli_w.dumps(self.to_dict()))
        path.write_text(header + text, encoding="utf-8")
        return path


def load_placed_section(path: str | Path, validate: bool = True) -> PlacedSection:
    """Read a section file (the twin_seepage section and its placement).

    Raises
    ------
    SectionFileError
        If the file cannot be read, is not TOML, or is not a valid section (the message names
        what is wrong).
    """
    path = Path(path)
    data = _read_toml(path)
    try:
        section = section_from_dict(data)
        if validate:
            section.validate()
    except Exception as error:  # noqa: BLE001 - any SeepageError or bad value: say which file
        raise SectionFileError(f"{path}: {error}") from None
    placement = data.get("placement", {})
    start, end = placement.get("start"), placement.get("end")
    return PlacedSection(
        id=path.stem, section=section,
        start=(float(start[0]), float(start[1])) if start else None,
        end=(float(end[0]), float(end[1])) if end else None,
        crs=str(placement.get("crs", "EPSG:4549")), checks=dict(data.get("checks", {})),
        derivation=dict(data.get("derivation", {})), path=path)


def scene_sections(folder: Path) -> list[PlacedSection]:
    """Return the sections saved in a scene folder (``sections/*.toml``), by id.

    Raises
    ------
    SectionFileError
        If one of them is not a valid section file.
    """
    files = sorted((Path(folder) / SECTIONS_FOLDER).glob("*.toml"))
    return [load_placed_section(path) for path in files]


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SectionFileError(f"cannot read {path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SectionFileError(f"{path} is not valid TOML: {error}") from None
