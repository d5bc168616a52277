"""Georeferencing of an IFC model: IfcMapConversion (IFC4+) or ePSet_MapConversion (IFC2X3).

The map conversion takes engineering (project) coordinates to map coordinates in the target
CRS: scale (``Scale`` times ``FactorX/Y/Z`` for IfcMapConversionScaled), rotate anticlockwise by
``atan2(XAxisOrdinate, XAxisAbscissa)``, then translate by (Eastings, Northings,
OrthogonalHeight). Everything here is float64.

``Scale`` is a known trap (reference/ifc.md section 3.1): IFC 4.3 says it converts project length
units to map units (0.001 for a millimetre project on a metre CRS), some tools write 1 or 1000
for such a project, one official sample is off by 10^6. The reader compares Scale with the unit
ratio; when they differ by a power of 1000 (a unit confusion) it uses the unit ratio and says
so in :attr:`Georeference.warnings`; other deviations beyond 10 % are used as written, with a
warning. :meth:`Georeference.with_scale` overrides the choice. pyproj is imported only by the
methods that need it (area-of-use check, reprojection).
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import math
import re
from dataclasses import dataclass, field
from typing import Any

import ifcopenshell
import ifcopenshell.util.element
import ifcopenshell.util.unit
import numpy as np
from numpy.typing import ArrayLike, NDArray

logger = logging.getLogger(__name__)

_EPSG = re.compile(r"EPSG\D{0,8}?(\d{4,6})\b", re.IGNORECASE)
_UNIT_NAMES = {1.0: "metre", 0.001: "millimetre", 0.01: "centimetre", 0.1: "decimetre",
               1000.0: "kilometre", 0.3048: "foot", 0.3048006096012192: "US survey foot",
               0.0254: "inch"}
_UNIT_LABELS = {"METRE": 1.0, "METER": 1.0, "MILLIMETRE": 0.001, "MILLIMETER": 0.001,
                "CENTIMETRE": 0.01, "CENTIMETER": 0.01, "KILOMETRE": 1000.0, "FOOT": 0.3048,
                "US_SURVEY_FOOT": 0.3048006096012192, "INCH": 0.0254}
_AREA_MARGIN_DEG = 1.0


def _unit_name(metres: float) -> str:
    for value, name in _UNIT_NAMES.items():
        if math.isclose(metres, value, rel_tol=1e-6):
            return name
    return f"{metres:g} m unit"


@dataclass
class Georeference:
    """Where a model's engineering coordinates sit on the map.

    Attributes
    ----------
    source : str
        ``"IfcMapConversion"``, ``"IfcMapConversionScaled"``, ``"IfcRigidOperation"`` or
        ``"ePSet_MapConversion"``.
    crs : str or None
        ``"EPSG:<code>"`` parsed from the CRS name, None when the name holds no EPSG code.
    crs_name : str or None
        The CRS name as written.
    eastings, northings, orthogonal_height : float
        Map position of the engineering origin, in map units.
    x_axis_abscissa, x_axis_ordinate : float
        Direction of the engineering x axis on the map (as written; (1, 0) when both are 0).
    scale : float
        ``Scale`` as written (1.0 when omitted, see ``scale_given``).
    scale_given : bool
        Whether the file gives ``Scale``.
    factor_x, factor_y, factor_z : float
        IfcMapConversionScaled factors (1.0 otherwise).
    project_unit_m, map_unit_m : float
        Metres per project length unit and per map unit.
    applied_scale : float
        Map units per project unit that :meth:`local_to_map` uses (see the module notes).
    geodetic_datum, vertical_datum : str or None
        As named by the CRS.
    warnings : list of str
        Implausible values found, each saying what was used instead.
    """

    source: str
    crs: str | None
    crs_name: str | None
    eastings: float
    northings: float
    orthogonal_height: float
    x_axis_abscissa: float
    x_axis_ordinate: float
    scale: float = 1.0
    scale_given: bool = True
    factor_x: float = 1.0
    factor_y: float = 1.0
    factor_z: float = 1.0
    project_unit_m: float = 1.0
    map_unit_m: float = 1.0
    applied_scale: float = 1.0
    geodetic_datum: str | None = None
    vertical_datum: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def rotation_deg(self) -> float:
        """Angle of the engineering x axis from map east, anticlockwise, in degrees."""
        return math.degrees(math.atan2(self.x_axis_ordinate, self.x_axis_abscissa))

    def _axis(self) -> tuple[float, float]:
        angle = math.atan2(self.x_axis_ordinate, self.x_axis_abscissa)
        return math.cos(angle), math.sin(angle)

    def _scales(self) -> NDArray[np.float64]:
        per_metre = self.applied_scale / self.project_unit_m
        return per_metre * np.array([self.factor_x, self.factor_y, self.factor_z])

    def local_to_map(self, points: ArrayLike) -> NDArray[np.float64]:
        """Map engineering coordinates in metres to map coordinates.

        Parameters
        ----------
        points : array_like, shape (n, 3)
            Model (engineering) coordinates in metres, as the tessellation gives them.

        Returns
        -------
        ndarray of float64, shape (n, 3)
            Eastings, northings and heights in map units (normally metres).
        """
        local = np.asarray(points, dtype=np.float64).reshape(-1, 3)
        scaled = local * self._scales()
        cos, sin = self._axis()
        out = np.empty_like(scaled)
        out[:, 0] = cos * scaled[:, 0] - sin * scaled[:, 1] + self.eastings
        out[:, 1] = sin * scaled[:, 0] + cos * scaled[:, 1] + self.northings
        out[:, 2] = scaled[:, 2] + self.orthogonal_height
        return out

    def map_to_local(self, points: ArrayLike) -> NDArray[np.float64]:
        """Invert :meth:`local_to_map`: map coordinates to engineering metres."""
        world = np.asarray(points, dtype=np.float64).reshape(-1, 3)
        cos, sin = self._axis()
        dx, dy = world[:, 0] - self.eastings, world[:, 1] - self.northings
        scaled = np.column_stack([cos * dx + sin * dy, -sin * dx + cos * dy,
                                  world[:, 2] - self.orthogonal_height])
        return scaled / self._scales()

    def to_crs(self, points: ArrayLike, target_crs: str) -> NDArray[np.float64]:
        """Map engineering coordinates to another CRS with pyproj.

        Only eastings and northings are reprojected. Heights are passed through unchanged (in
        metres): they stay in the model's vertical datum (:attr:`vertical_datum`, e.g. Wusong),
        which a horizontal reprojection does not change and for which EPSG has no transformation.

        Parameters
        ----------
        points : array_like, shape (n, 3)
            Engineering coordinates in metres.
        target_crs : str
            Anything pyproj accepts, e.g. ``"EPSG:4549"``.

        Returns
        -------
        ndarray of float64, shape (n, 3)
            x, y in the target CRS (lon/lat order for geographic CRSs), heights in metres.

        Raises
        ------
        ValueError
            If the model's CRS is not an EPSG code.
        """
        if self.crs is None:
            raise ValueError(f"the model's CRS {self.crs_name!r} is not an EPSG code, so it "
                             "cannot be reprojected; give the scene CRS by hand")
        mapped = self.local_to_map(points)
        x, y = _transformer(self.crs, target_crs).transform(mapped[:, 0], mapped[:, 1])
        return np.column_stack([x, y, mapped[:, 2] * self.map_unit_m])

    def with_scale(self, applied_scale: float) -> Georeference:
        """Return a copy that uses ``applied_scale`` map units per project unit (an override)."""
        note = f"Scale overridden by the user: {applied_scale:g}"
        return dataclasses.replace(self, applied_scale=applied_scale,
                                   warnings=[*self.warnings, note])

    def check_area_of_use(self, local_points: ArrayLike | None = None) -> list[str]:
        """Warn if the model lands outside its CRS's area of use (needs pyproj).

        Parameters
        ----------
        local_points : array_like, shape (n, 3), optional
            Engineering points to check (e.g. the model's bounding-box centre); by default the
            engineering origin, which is skipped when Eastings and Northings are both 0 (the
            model then carries map coordinates itself).

        Returns
        -------
        list of str
            New warnings, also appended to :attr:`warnings`.
        """
        if self.crs is None:
            return []
        if local_points is None:
            if self.eastings == 0 and self.northings == 0:
                return []
            local_points = np.zeros((1, 3))
        new = _area_warnings(self.crs, self.local_to_map(local_points))
        for text in new:
            if text not in self.warnings:
                self.warnings.append(text)
        return new

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as JSON-compatible values (plus ``rotation_deg``)."""
        data = dataclasses.asdict(self)
        data["rotation_deg"] = self.rotation_deg
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Georeference:
        """Rebuild from :meth:`to_dict` output."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@functools.lru_cache(maxsize=16)
def _transformer(source: str, target: str) -> Any:
    from pyproj import Transformer

    return Transformer.from_crs(source, target, always_xy=True)


def _area_warnings(crs: str, mapped: NDArray[np.float64]) -> list[str]:
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        crs_obj = CRS.from_user_input(crs)
    except CRSError:
        return [f"{crs} is not a CRS that PROJ knows: the model cannot be placed on the map"]
    area = crs_obj.area_of_use
    if area is None or crs_obj.geodetic_crs is None:
        return []
    lon, lat = _transformer(crs, crs_obj.geodetic_crs.to_string()).transform(
        mapped[:, 0], mapped[:, 1])
    lon, lat = np.asarray(lon), np.asarray(lat)
    inside = ((lon >= area.west - _AREA_MARGIN_DEG) & (lon <= area.east + _AREA_MARGIN_DEG)
              & (lat >= area.south - _AREA_MARGIN_DEG) & (lat <= area.north + _AREA_MARGIN_DEG))
    if bool(np.all(inside & np.isfinite(lon) & np.isfinite(lat))):
        return []
    e, n = mapped[0, 0], mapped[0, 1]
    return [f"map position E {e:.1f}, N {n:.1f} lies outside the area of use of {crs} "
            f"({area.name}: lon {area.west:g} to {area.east:g}, lat {area.south:g} to "
            f"{area.north:g}); check the CRS, the Eastings/Northings or the Scale"]


def plausible_scale(scale: float, scale_given: bool, project_unit_m: float,
                    map_unit_m: float) -> tuple[float, list[str]]:
    """Choose the scale to apply and explain any doubt about the one written.

    Parameters
    ----------
    scale : float
        ``Scale`` as written (1.0 if omitted).
    scale_given : bool
        Whether the file gives ``Scale``.
    project_unit_m, map_unit_m : float
        Metres per project length unit and per map unit.

    Returns
    -------
    applied : float
        Map units per project unit to use.
    warnings : list of str
        Why ``applied`` differs from ``scale``, or why ``scale`` is doubtful.
    """
    expected = project_unit_m / map_unit_m
    units = (f"a {_unit_name(project_unit_m)} project and a {_unit_name(map_unit_m)} map "
             "(CRS) unit")
    if not scale_given:
        if math.isclose(expected, 1.0, rel_tol=1e-9):
            return 1.0, []
        return expected, [f"Scale is omitted with {units}: IFC 4.3 requires Scale = "
                          f"{expected:g} here (omitted means 1); using {expected:g}"]
    if scale > 0 and abs(scale / expected - 1.0) <= 0.1:
        return scale, []
    thousands = math.log10(scale / expected) / 3 if scale > 0 else 0.5
    if scale <= 0 or abs(thousands - round(thousands)) < 0.01:
        return expected, [
            f"Scale = {scale:g} with {units} is implausible: it is {scale / expected:g} times "
            f"the unit ratio {expected:g} (a unit confusion; one project unit would measure "
            f"{scale * map_unit_m:g} m on the map); using {expected:g} instead. Check the map "
            "position; Georeference.with_scale() overrides this"]
    return scale, [f"Scale = {scale:g} is more than 10 % from the unit ratio {expected:g} "
                   f"({units}); used as written (a grid scale factor is normally within 0.1 %)"]


def _parse_crs(name: str | None) -> tuple[str | None, list[str]]:
    if not name:
        return None, ["the map conversion names no CRS: the model cannot be reprojected"]
    match = _EPSG.search(name)
    if match:
        return f"EPSG:{int(match.group(1))}", []
    return None, [f"CRS name {name!r} is not an EPSG code: the model cannot be reprojected "
                  "automatically; give the scene CRS by hand"]


def _unit_scale(unit: Any) -> float | None:
    if unit is None:
        return None
    try:
        return float(ifcopenshell.util.unit.get_unit_scale(unit))
    except (AttributeError, TypeError, ValueError, RuntimeError):
        return None


def _model_conversion(ifc_file: ifcopenshell.file) -> Any:
    contexts = ifc_file.by_type("IfcGeometricRepresentationContext", include_subtypes=False)
    contexts = sorted(contexts, key=lambda c: (c.ContextType != "Model",
                                               c.CoordinateSpaceDimension != 3))
    for context in contexts:
        for operation in getattr(context, "HasCoordinateOperation", None) or ():
            return operation
    operations = ifc_file.by_type("IfcCoordinateOperation")
    return operations[0] if operations else None


def _measure(value: Any) -> float:
    return float(getattr(value, "wrappedValue", value) or 0.0)


def _from_operation(operation: Any) -> dict[str, Any] | None:
    crs = operation.TargetCRS
    values: dict[str, Any] = {
        "source": operation.is_a(), "crs_name": getattr(crs, "Name", None),
        "geodetic_datum": getattr(crs, "GeodeticDatum", None),
        "vertical_datum": getattr(crs, "VerticalDatum", None),
        "map_unit_m": _unit_scale(getattr(crs, "MapUnit", None))}
    if operation.is_a("IfcMapConversion"):
        values.update(
            eastings=operation.Eastings or 0.0, northings=operation.Northings or 0.0,
            orthogonal_height=operation.OrthogonalHeight or 0.0,
            x_axis_abscissa=operation.XAxisAbscissa, x_axis_ordinate=operation.XAxisOrdinate,
            scale=operation.Scale)
        if operation.is_a("IfcMapConversionScaled"):
            values.update(factor_x=operation.FactorX, factor_y=operation.FactorY,
                          factor_z=operation.FactorZ)
        return values
    if operation.is_a("IfcRigidOperation"):
        if not operation.FirstCoordinate.is_a("IfcLengthMeasure"):
            logger.warning("IfcRigidOperation to a geographic CRS is not supported; ignored")
            return None
        values.update(eastings=_measure(operation.FirstCoordinate),
                      northings=_measure(operation.SecondCoordinate),
                      orthogonal_height=operation.Height or 0.0, scale=1.0)
        return values
    return None


def _pset(ifc_file: ifcopenshell.file, suffix: str) -> dict[str, Any] | None:
    owners = ifc_file.by_type("IfcProject") + ifc_file.by_type("IfcSite")
    for owner in owners:
        for name, props in ifcopenshell.util.element.get_psets(owner).items():
            if name.lower() == f"epset_{suffix}":
                return props
    return None


def _from_epset(ifc_file: ifcopenshell.file) -> dict[str, Any] | None:
    conversion = _pset(ifc_file, "mapconversion")
    if conversion is None:
        return None
    crs = _pset(ifc_file, "projectedcrs") or {}
    unit = str(crs.get("MapUnit") or "").upper().replace(" ", "_")
    return {
        "source": "ePSet_MapConversion", "crs_name": crs.get("Name"),
        "geodetic_datum": crs.get("GeodeticDatum"), "vertical_datum": crs.get("VerticalDatum"),
        "map_unit_m": _UNIT_LABELS.get(unit),
        "eastings": conversion.get("Eastings") or 0.0,
        "northings": conversion.get("Northings") or 0.0,
        "orthogonal_height": conversion.get("OrthogonalHeight") or 0.0,
        "x_axis_abscissa": conversion.get("XAxisAbscissa"),
        "x_axis_ordinate": conversion.get("XAxisOrdinate"), "scale": conversion.get("Scale")}


def read_georeference(ifc_file: ifcopenshell.file, *, check_area: bool = True
                      ) -> Georeference | None:
    """Read the model's map conversion and CRS, and check them for implausible values.

    Parameters
    ----------
    ifc_file : ifcopenshell.file
        The open model.
    check_area : bool
        Whether to check with pyproj that the engineering origin lands in the CRS's area of use
        (the loader passes False in its child process and checks the model's extent instead).

    Returns
    -------
    Georeference or None
        None when the model has neither an IfcMapConversion/IfcRigidOperation nor the IFC2X3
        ePSet_MapConversion property set (on IfcProject or IfcSite).
    """
    values = None
    if ifc_file.schema != "IFC2X3":
        operation = _model_conversion(ifc_file)
        values = _from_operation(operation) if operation is not None else None
    if values is None:
        values = _from_epset(ifc_file)
    if values is None:
        return None
    warnings: list[str] = []
    crs, crs_warnings = _parse_crs(values.get("crs_name"))
    warnings += crs_warnings
    raw_a, raw_o = values.pop("x_axis_abscissa", None), values.pop("x_axis_ordinate", None)
    abscissa, ordinate = float(raw_a or 0.0), float(raw_o or 0.0)
    if abscissa == 0.0 and ordinate == 0.0:
        if raw_a is not None or raw_o is not None:
            warnings.append("XAxisAbscissa and XAxisOrdinate are both 0 (a zero-length x axis): "
                            "no rotation applied")
        abscissa = 1.0
    project_unit = float(ifcopenshell.util.unit.calculate_unit_scale(ifc_file))
    map_unit = values.pop("map_unit_m", None)
    if map_unit is None:
        map_unit = 1.0
    scale = values.pop("scale", None)
    applied, scale_warnings = plausible_scale(
        float(scale) if scale is not None else 1.0, scale is not None, project_unit, map_unit)
    georef = Georeference(
        crs=crs, x_axis_abscissa=abscissa, x_axis_ordinate=ordinate,
        scale=float(scale) if scale is not None else 1.0, scale_given=scale is not None,
        project_unit_m=project_unit, map_unit_m=float(map_unit), applied_scale=applied,
        warnings=warnings + scale_warnings, **{k: _plain(v) for k, v in values.items()})
    if check_area:
        georef.check_area_of_use()
    for text in georef.warnings:
        logger.warning("georeferencing: %s", text)
    return georef


def _plain(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return value if value is None or isinstance(value, str) else str(value)
