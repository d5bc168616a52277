"""Map coordinates, the scene's local frame, geographic coordinates and height datums.

Civil models and DEMs carry absolute map coordinates (10^5 to 10^7 m).  Rendering uses float32, so
everything is shifted by the scene's local origin in float64 first: ``local = map - origin``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import CRS, Transformer

from twin_app.core.scene import Scene

GEOGRAPHIC_CRS = "EPSG:4490"
"""CGCS2000 geographic, the lon/lat the app shows (within centimetres of WGS84)."""


@dataclass(frozen=True)
class HeightDatum:
    """A vertical datum with its offset to the 1985 National Height Datum.

    Parameters
    ----------
    name_zh, name_en : str
        The datum's name, e.g. ``"吴淞高程"`` and ``"Wusong"``.
    to_nhd1985_m : float
        Added to a height in this datum to give the 1985 height.
    """

    name_zh: str
    name_en: str
    to_nhd1985_m: float

    def to_nhd1985(self, height: float) -> float:
        """Return ``height`` (in this datum) in the 1985 National Height Datum."""
        return height + self.to_nhd1985_m

    def label(self, language: str = "en") -> str:
        """Return the datum's short name in ``language``."""
        return self.name_zh if language.lower().startswith("zh") else self.name_en


@dataclass(frozen=True)
class SceneFrame:
    """The coordinate frames of one scene.

    Parameters
    ----------
    crs : str
        The scene's projected CRS (``"EPSG:4549"``).
    origin : tuple of float
        The local origin in map coordinates (easting, northing, height).
    datum : HeightDatum
        The vertical datum of every height in the scene.
    """

    crs: str
    origin: tuple[float, float, float]
    datum: HeightDatum

    @classmethod
    def from_scene(cls, scene: Scene) -> SceneFrame:
        """Build the frame a validated scene describes."""
        datum = scene.vertical_datum
        return cls(
            crs=scene.crs.horizontal,
            origin=tuple(float(v) for v in scene.origin),
            datum=HeightDatum(datum.name.zh, datum.name.en, datum.to_nhd1985_m),
        )

    @cached_property
    def crs_name(self) -> str:
        """The CRS's name from the EPSG database."""
        return CRS.from_user_input(self.crs).name

    @cached_property
    def _to_geographic(self) -> Transformer:
        return Transformer.from_crs(self.crs, GEOGRAPHIC_CRS, always_xy=True)

    @cached_property
    def _from_geographic(self) -> Transformer:
        return Transformer.from_crs(GEOGRAPHIC_CRS, self.crs, always_xy=True)

    def map_to_local(self, points: ArrayLike) -> NDArray[np.float64]:
        """Shift map coordinates (…, 3) or (…, 2) to the local frame, in float64."""
        array = np.asarray(points, dtype=np.float64)
        origin = np.asarray(self.origin[: array.shape[-1]], dtype=np.float64)
        return array - origin

    def local_to_map(self, points: ArrayLike) -> NDArray[np.float64]:
        """Shift local coordinates back to map coordinates, in float64."""
        array = np.asarray(points, dtype=np.float64)
        origin = np.asarray(self.origin[: array.shape[-1]], dtype=np.float64)
        return array + origin

    def map_to_lonlat(self, easting: ArrayLike, northing: ArrayLike) -> tuple[NDArray, NDArray]:
        """Return longitude and latitude (degrees, CGCS2000) of map coordinates."""
        lon, lat = self._to_geographic.transform(easting, northing)
        return np.asarray(lon), np.asarray(lat)

    def lonlat_to_map(self, lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray, NDArray]:
        """Return map coordinates of longitude and latitude (degrees, CGCS2000)."""
        easting, northing = self._from_geographic.transform(lon, lat)
        return np.asarray(easting), np.asarray(northing)


def format_lonlat(lon: float, lat: float) -> str:
    """Format a geographic position as ``121.357708°E 31.486419°N``."""
    ew = "E" if lon >= 0 else "W"
    ns = "N" if lat >= 0 else "S"
    return f"{abs(lon):.6f}°{ew} {abs(lat):.6f}°{ns}"
