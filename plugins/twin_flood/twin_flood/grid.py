"""Raster geometry: cell and face indexing, points and lines in map coordinates.

Conventions (those of a north-up GeoTIFF):

* arrays are ``[row, col]``; row 0 is the northern edge, col 0 the western edge;
* ``origin = (x_west, y_north)`` is the outer corner of cell (0, 0), in map metres;
* the centre of cell ``(r, c)`` is ``(x_west + (c + 0.5) dx, y_north - (r + 0.5) dx)``;
* x-faces ``qx[r, k]`` (shape ``(ny, nx + 1)``) lie between cells ``(r, k - 1)`` and ``(r, k)``,
  positive flow towards increasing col (east);
* y-faces ``qy[k, c]`` (shape ``(ny + 1, nx)``) lie between cells ``(k - 1, c)`` and ``(k, c)``,
  positive flow towards increasing row (south).  Faces on the outer edge carry no flow.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from twin_flood.errors import FloodInputError

__all__ = ["FaceSet", "RasterGrid"]


@dataclass(frozen=True)
class FaceSet:
    """Cell faces blocked by a line, with the chainage where the line crosses each.

    Attributes
    ----------
    axis : numpy.ndarray
        0 for an x-face (index into ``qx``), 1 for a y-face (index into ``qy``).
    row, col : numpy.ndarray
        Face index into ``qx`` or ``qy``.
    chainage : numpy.ndarray
        Distance along the line [m] where it crosses each face.
    """

    axis: np.ndarray
    row: np.ndarray
    col: np.ndarray
    chainage: np.ndarray

    def __len__(self) -> int:
        return int(self.axis.size)


@dataclass(frozen=True)
class RasterGrid:
    """A uniform raster of ``shape = (ny, nx)`` square cells of side ``dx`` metres.

    Parameters
    ----------
    shape : tuple of int
        ``(ny, nx)`` rows and columns.
    dx : float
        Cell size [m].
    origin : tuple of float
        ``(x_west, y_north)`` map coordinates [m] of the outer corner of cell (0, 0).
    """

    shape: tuple[int, int]
    dx: float
    origin: tuple[float, float] = (0.0, 0.0)

    @property
    def cell_area(self) -> float:
        """Area of one cell [m2]."""
        return self.dx * self.dx

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """``(xmin, ymin, xmax, ymax)`` of the raster in map metres."""
        ny, nx = self.shape
        x0, y0 = self.origin
        return (x0, y0 - ny * self.dx, x0 + nx * self.dx, y0)

    def cell_centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Return the x and y coordinates [m] of the cell centres, each of shape ``(ny, nx)``."""
        ny, nx = self.shape
        x = self.origin[0] + (np.arange(nx) + 0.5) * self.dx
        y = self.origin[1] - (np.arange(ny) + 0.5) * self.dx
        return np.meshgrid(x, y)

    def covers(self, extent: Sequence[float]) -> bool:
        """Whether the raster covers ``(xmin, ymin, xmax, ymax)``."""
        xmin, ymin, xmax, ymax = self.extent
        return (extent[0] >= xmin - 1e-6 and extent[1] >= ymin - 1e-6
                and extent[2] <= xmax + 1e-6 and extent[3] <= ymax + 1e-6)

    def cell_of(self, x: float, y: float, what: str = "point") -> tuple[int, int]:
        """Return ``(row, col)`` of the cell holding map point ``(x, y)``.

        Parameters
        ----------
        x, y : float
            Map coordinates [m].
        what : str
            Name used in the message.

        Returns
        -------
        tuple of int
            The cell's row and column.

        Raises
        ------
        FloodInputError
            If the point is outside the raster.
        """
        ny, nx = self.shape
        col = int(np.floor((x - self.origin[0]) / self.dx))
        row = int(np.floor((self.origin[1] - y) / self.dx))
        if not (0 <= row < ny and 0 <= col < nx):
            raise FloodInputError(
                f"{what} at ({x:g}, {y:g}) is outside the DEM, which covers x {self.extent[0]:g}"
                f"..{self.extent[2]:g}, y {self.extent[1]:g}..{self.extent[3]:g}; "
                "move it inside or use a DEM that covers it")
        return row, col

    def cells_of(self, points: Sequence[Sequence[float]], what: str = "point") -> np.ndarray:
        """Return the flat indices of the cells holding ``points`` (duplicates removed)."""
        nx = self.shape[1]
        flat = [r * nx + c for r, c in (self.cell_of(p[0], p[1], what) for p in points)]
        return np.unique(np.asarray(flat, dtype=np.int64))

    def line_faces(self, line: Sequence[Sequence[float]], what: str = "line") -> FaceSet:
        """Return the cell faces a polyline blocks: those whose centre-to-centre link it crosses.

        Water moving between two 4-neighbour cells crosses the line exactly when the segment
        joining the cell centres crosses it, so the faces returned form a barrier without gaps
        (a wall drawn along a row of cells blocks the flow across it, not along it).

        Parameters
        ----------
        line : sequence of (x, y)
            Vertices in map coordinates [m], at least two.
        what : str
            Name used in messages.

        Returns
        -------
        FaceSet
            The faces, in order along the line, and the chainage where the line crosses each.

        Raises
        ------
        FloodInputError
            If the line has fewer than two vertices, leaves the raster, or blocks no face.
        """
        xy = np.asarray(line, dtype=np.float64)
        if xy.ndim != 2 or xy.shape[1] != 2 or xy.shape[0] < 2:
            raise FloodInputError(f"{what}: give a line as at least two (x, y) vertices")
        xmin, ymin, xmax, ymax = self.extent
        for x, y in xy:
            if not (xmin <= x <= xmax and ymin <= y <= ymax):
                self.cell_of(x, y, what)  # raises with the extent in the message
        ny, nx = self.shape
        x0, y0 = self.origin
        d = self.dx
        faces: dict[tuple[int, int, int], float] = {}
        chain0 = 0.0
        for (xa, ya), (xb, yb) in itertools.pairwise(xy):
            length = float(np.hypot(xb - xa, yb - ya))

            def side(px: np.ndarray, py: np.ndarray, xa: float = xa, ya: float = ya,
                     xb: float = xb, yb: float = yb) -> np.ndarray:
                # left of the segment; a centre exactly on it counts as right, for x and y alike
                return (xb - xa) * (py - ya) - (yb - ya) * (px - xa) > 0.0

            for axis in (0, 1):
                if (ya == yb) if axis == 0 else (xa == xb):
                    continue
                if axis == 0:  # x-links: crossings of the row centre lines
                    lines = np.arange(ny)
                    at = y0 - (lines + 0.5) * d
                    lo, hi, a0, a1, b0, b1 = ya, yb, ya, yb, xa, xb
                else:  # y-links: crossings of the column centre lines
                    lines = np.arange(nx)
                    at = x0 + (lines + 0.5) * d
                    lo, hi, a0, a1, b0, b1 = xa, xb, xa, xb, ya, yb
                on = (at >= min(lo, hi)) & (at <= max(lo, hi))
                frac = (at[on] - a0) / (a1 - a0)
                cross = b0 + frac * (b1 - b0)
                guess = (np.floor((cross - x0) / d + 0.5) if axis == 0
                         else np.floor((y0 - cross) / d + 0.5)).astype(np.int64)
                limit = nx if axis == 0 else ny
                for line, k0, f in zip(lines[on], guess, frac, strict=True):
                    for k in (k0 - 1, k0, k0 + 1):
                        if not 1 <= k < limit:
                            continue
                        if axis == 0:
                            cx = x0 + (np.array([k - 0.5, k + 0.5])) * d
                            cy = np.full(2, y0 - (line + 0.5) * d)
                            key = (0, int(line), int(k))
                        else:
                            cx = np.full(2, x0 + (line + 0.5) * d)
                            cy = y0 - (np.array([k - 0.5, k + 0.5])) * d
                            key = (1, int(k), int(line))
                        left = side(cx, cy)
                        if left[0] != left[1]:
                            faces.setdefault(key, chain0 + float(f) * length)
            chain0 += length
        if not faces:
            raise FloodInputError(f"{what} is too short to cross any link between cell centres; "
                                  "make it longer than a cell")
        order = sorted(faces, key=faces.__getitem__)
        keys = np.asarray(order, dtype=np.int64)
        return FaceSet(keys[:, 0], keys[:, 1], keys[:, 2],
                       np.asarray([faces[k] for k in order], dtype=np.float64))
