"""Read and write a :class:`~twin_seepage.sections.Section` as TOML.

Format (units: metres, m/s, 1/m; optional keys may be left out)::

    name = "Huangpu wall K12+300"
    description = "illustrative section"

    [[soils]]
    name = "fine sand"
    kx = 2e-5            # m/s, horizontal
    kz = 1e-5            # m/s, vertical
    ss = 1e-4            # 1/m, specific storage        (optional, 1e-4)
    sy = 0.1             # specific yield               (optional, 0.1)
    gs = 2.65            # grain specific gravity       (optional, 2.65)
    void_ratio = 0.7     # e                            (optional, 0.7)
    d70 = 2e-4           # m                            (optional)
    d10 = 8e-5           # m                            (optional)
    soil_type = "fine_sand"  # allowable-gradient / Lane table key (optional)

    [[layers]]
    name = "aquifer"
    soil = "fine sand"   # a soil name from [[soils]]
    polygon = [[0, -20], [120, -20], [120, -5], [0, -5]]

    [[layers]]
    name = "blanket"
    soil = "fine sand"
    polygon = [[0, -5], [120, -5], [120, 0], [0, 0]]

    [[walls]]            # impermeable polygons, cut out of the flow domain
    name = "flood wall"
    polygon = [[49, 0], [51, 0], [51, 6], [49, 6]]

    [[sheet_piles]]      # zero-thickness cut-offs, head first
    name = "Larssen"
    points = [[50, 0], [50, -12]]

    [river]
    points = [[0, -20], [0, 0], [49, 0]]    # polyline on the outline
    level = 3.5                             # default river stage (optional)
    seepage_face = true                     # (optional, true)

    [land]
    points = [[51, 0], [120, 0]]
    level = -0.5                            # polder / ditch level (optional: dry)

    [[piezometers]]
    id = "P1"
    x = 55.0
    z = -3.0
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from twin_seepage.errors import SectionError
from twin_seepage.sections import Boundary, Layer, Piezometer, Section, SheetPile, Soil, Wall

_SOIL_KEYS = ("kx", "kz", "ss", "sy", "gs", "void_ratio", "d70", "d10", "soil_type")


def section_from_dict(data: dict[str, Any]) -> Section:
    """Build a section from the parsed TOML structure (see the module docstring).

    Raises
    ------
    SectionError
        If a key is missing or a layer names an unknown soil.
    """
    try:
        soils = {}
        for entry in data.get("soils", []):
            extra = {key: entry[key] for key in _SOIL_KEYS[2:] if key in entry}
            soils[entry["name"]] = Soil(entry["name"], float(entry["kx"]), float(entry["kz"]),
                                        **extra)
        layers = []
        for entry in data.get("layers", []):
            if entry["soil"] not in soils:
                raise SectionError(f"layer {entry['name']!r} uses soil {entry['soil']!r}, which "
                                   f"is not among the [[soils]] ({sorted(soils)})")
            layers.append(Layer(entry["name"], entry["polygon"], soils[entry["soil"]]))
        walls = [Wall(entry["name"], entry["polygon"]) for entry in data.get("walls", [])]
        piles = [SheetPile(entry["name"], entry["points"]) for entry in data.get("sheet_piles", [])]
        piezometers = [Piezometer(str(entry["id"]), float(entry["x"]), float(entry["z"]))
                       for entry in data.get("piezometers", [])]
        river = _boundary(data["river"])
        land = _boundary(data["land"])
        return Section(name=data["name"], layers=layers, river=river, land=land, walls=walls,
                       sheet_piles=piles, piezometers=piezometers,
                       description=data.get("description", ""))
    except KeyError as exc:
        raise SectionError(f"section file is missing the key {exc.args[0]!r}") from exc


def _boundary(entry: dict[str, Any]) -> Boundary:
    level = entry.get("level")
    return Boundary(entry["points"], None if level is None else float(level),
                    bool(entry.get("seepage_face", True)))


def section_to_dict(section: Section) -> dict[str, Any]:
    """Return the TOML structure of a section (soils shared by several layers written once)."""
    soils: dict[str, Soil] = {}
    for layer in section.layers:
        soils.setdefault(layer.soil.name, layer.soil)
    data: dict[str, Any] = {"name": section.name}
    if section.description:
        data["description"] = section.description
    data["soils"] = []
    for soil in soils.values():
        entry: dict[str, Any] = {"name": soil.name}
        for key in _SOIL_KEYS:
            value = getattr(soil, key)
            if value is not None:
                entry[key] = value
        data["soils"].append(entry)
    data["layers"] = [{"name": layer.name, "soil": layer.soil.name,
                       "polygon": [list(p) for p in layer.polygon]} for layer in section.layers]
    if section.walls:
        data["walls"] = [{"name": wall.name, "polygon": [list(p) for p in wall.polygon]}
                         for wall in section.walls]
    if section.sheet_piles:
        data["sheet_piles"] = [{"name": pile.name, "points": [list(p) for p in pile.points]}
                               for pile in section.sheet_piles]
    for label, boundary in (("river", section.river), ("land", section.land)):
        entry = {"points": [list(p) for p in boundary.points],
                 "seepage_face": boundary.seepage_face}
        if boundary.level is not None:
            entry["level"] = boundary.level
        data[label] = entry
    if section.piezometers:
        data["piezometers"] = [{"id": p.id, "x": p.x, "z": p.z} for p in section.piezometers]
    return data


def load_section(path: str | Path, validate: bool = True) -> Section:
    """Read a section from a TOML file and (by default) validate it.

    Parameters
    ----------
    path : str or Path
        The TOML file.
    validate : bool
        Run :meth:`Section.validate` before returning.

    Returns
    -------
    Section
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SectionError(f"{path}: not valid TOML: {exc}") from exc
    section = section_from_dict(data)
    if validate:
        section.validate()
    return section


def save_section(section: Section, path: str | Path) -> None:
    """Write a section to a TOML file (the format of the module docstring)."""
    Path(path).write_text(tomli_w.dumps(section_to_dict(section)), encoding="utf-8")
