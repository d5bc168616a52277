"""A rehearsal's results on the app clock: which frame a moment shows, depths, maps, hydrographs.

:class:`Playback` follows a running :class:`~twin_app.sim.host.RehearsalRun` (frames are added as
they arrive, so playback starts before the run ends) or opens a finished run folder.  Model time
``t`` seconds is shown at clock time ``start_time + t``; before the first frame nothing is shown,
after the last the last frame stays.  Nothing here draws: the render layer asks for arrays.
"""

from __future__ import annotations

import bisect
import json
import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from twin_app.core.errors import InputError
from twin_app.sim.outputs import FrameInfo, read_frame
from twin_app.sim.sdk import GridInfo

logger = logging.getLogger(__name__)

FRAME_CACHE = 8
"""Frames kept in memory (scrubbing back and forth re-reads nothing recent)."""
ELEVATION = "topographic__elevation"
LEVEL_NAMES = ("water_surface__elevation", "surface_water__elevation")


class PlaybackError(InputError):
    """A run folder cannot be played back (no frames, no grid): re-run the rehearsal."""


@dataclass(frozen=True)
class Hydrograph:
    """Depth (and level, when the model gives one) over time at one grid node."""

    times: list[datetime]
    depth_m: NDArray[np.float64]
    node: tuple[int, int]
    x: float
    y: float


@dataclass(frozen=True)
class WetSummary:
    """How much of the grid is under water in one frame.

    *Flooded* means wet now and dry in the run's first frame: rivers, the sea and ponds that
    were there from the start are not flooding (a river 15 m deep would otherwise be the "peak
    depth" of every run).  The wall's rehearsal tile, the side-by-side titles and the figures
    people quote all use these.

    Attributes
    ----------
    index : int
        The frame.
    time_s : float
        Model time of the frame.
    flooded_peak_m : float
        The largest depth on the flooded nodes; 0 where nothing is flooded.
    flooded_area_m2 : float
        Area of the flooded nodes (each node stands for one cell).
    wet_peak_m : float
        The largest depth anywhere on the grid, rivers included.
    wet_area_m2 : float
        Area of the nodes at least the wet threshold deep, rivers included.
    """

    index: int
    time_s: float
    flooded_peak_m: float
    flooded_area_m2: float
    wet_peak_m: float
    wet_area_m2: float


class Playback:
    """The frames of one rehearsal on the app clock.

    Parameters
    ----------
    grid : GridInfo
        The model's grid (scene CRS).
    start_time : datetime
        Clock time of model time 0.
    depth_variable : str
        The node variable holding water depth (from the plugin manifest's ``outputs``).
    wet_threshold_m : float
        Depth below which a node counts as dry.
    run_dir : Path, optional
        The run folder (result maps are read from it).
    label : str
        A name for lists and legends.
    """

    def __init__(self, grid: GridInfo, start_time: datetime, depth_variable: str,
                 wet_threshold_m: float = 0.01, run_dir: Path | None = None,
                 label: str = "") -> None:
        self.grid = grid
        self.start_time = start_time.astimezone(UTC) if start_time.tzinfo else start_time.replace(
            tzinfo=UTC)
        self.depth_variable = depth_variable
        self.wet_threshold_m = wet_threshold_m
        self.run_dir = Path(run_dir) if run_dir is not None else None
        self.label = label
        self.frames: list[FrameInfo] = []
        self._times: list[float] = []
        self._cache: OrderedDict[int, dict[str, NDArray[Any]]] = OrderedDict()
        self.ground: NDArray[np.float64] | None = None
        self._max: NDArray[np.float64] | None = None
        self._arrival: NDArray[np.float64] | None = None
        self._folded = 0
        self._dry_at_start: NDArray[np.bool_] | None = None

    # -- frames ---------------------------------------------------------------------------------

    def add_frame(self, frame: FrameInfo) -> None:
        """Take a frame that has just been written (frames arrive in time order)."""
        if self._times and frame.time_s < self._times[-1]:
            raise ValueError(f"frame {frame.index} at {frame.time_s} s arrived out of order")
        self.frames.append(frame)
        self._times.append(frame.time_s)

    def time_of(self, index: int) -> datetime:
        """Clock time of frame ``index``."""
        return self.start_time + timedelta(seconds=self._times[index])

    @property
    def end_time(self) -> datetime | None:
        """Clock time of the last frame so far."""
        return self.time_of(len(self.frames) - 1) if self.frames else None

    def index_at(self, moment: datetime) -> int | None:
        """Return the frame shown at clock time ``moment`` (``None`` before the first)."""
        if not self.frames:
            return None
        seconds = (moment - self.start_time).total_seconds()
        position = bisect.bisect_right(self._times, seconds + 1e-6) - 1
        return position if position >= 0 else None

    def arrays(self, index: int) -> dict[str, NDArray[Any]]:
        """Return frame ``index``'s arrays (cached)."""
        if index in self._cache:
            self._cache.move_to_end(index)
            return self._cache[index]
        arrays = read_frame(self.frames[index].path)
        self._cache[index] = arrays
        if len(self._cache) > FRAME_CACHE:
            self._cache.popitem(last=False)
        if self.ground is None and ELEVATION in arrays:
            self.ground = np.asarray(arrays[ELEVATION], dtype=np.float64).reshape(self.grid.shape)
        return arrays

    def depth(self, index: int) -> NDArray[np.float64]:
        """Water depth on the grid nodes at frame ``index``, metres."""
        values = self.arrays(index).get(self.depth_variable)
        if values is None:
            msg = f"frame {index} has no {self.depth_variable!r}"
            raise PlaybackError(msg, hint="the plugin's manifest names another depth variable")
        return np.asarray(values, dtype=np.float64).reshape(self.grid.shape)

    def level(self, index: int) -> NDArray[np.float64] | None:
        """Water-surface height on the nodes (scene datum) at frame ``index``, if known."""
        arrays = self.arrays(index)
        for name in LEVEL_NAMES:
            values = arrays.get(name)
            if values is not None and np.size(values) == self.grid.size:
                return np.asarray(values, dtype=np.float64).reshape(self.grid.shape)
        if self.ground is not None:
            return self.ground + self.depth(index)
        return None

    def dry_at_start(self) -> NDArray[np.bool_]:
        """Return the nodes dry in the first frame (where water later is flooding)."""
        if self._dry_at_start is None:
            self._dry_at_start = ~(self.depth(0) >= self.wet_threshold_m)
        return self._dry_at_start

    def depth_scale_top(self) -> float:
        """Return the top of a depth colour scale for this run (at least 0.1 m).

        The deepest flooding (water where the first frame was dry) so far; the deepest water
        when nothing flooded.  A river 15 m deep would otherwise leave half a metre of water
        on land almost white: the river shows saturated instead, which is what it is.
        """
        if not self.frames:
            return 0.1
        depth = self.max_depth()
        flooded = depth[self.dry_at_start() & (depth >= self.wet_threshold_m)]
        top = flooded.max() if flooded.size else np.nanmax(depth, initial=0.0)
        return max(float(top), 0.1)

    def wet_summary(self, index: int) -> WetSummary:
        """Return the flooded and wet depths and areas of frame ``index`` (:class:`WetSummary`)."""
        depth = self.depth(index)
        wet = depth >= self.wet_threshold_m
        flooded = wet & self.dry_at_start()
        cell_m2 = abs(self.grid.spacing[0] * self.grid.spacing[1])
        return WetSummary(index=index, time_s=self._times[index],
                          flooded_peak_m=float(depth[flooded].max(initial=0.0)),
                          flooded_area_m2=float(np.count_nonzero(flooded)) * cell_m2,
                          wet_peak_m=float(np.nanmax(depth, initial=0.0)),
                          wet_area_m2=float(np.count_nonzero(wet)) * cell_m2)

    # -- maps and series ------------------------------------------------------------------------

    def _fold(self) -> None:
        """Fold frames not yet seen into the running maximum and arrival maps (each read once)."""
        if self._max is None:
            self._max = np.zeros(self.grid.shape)
            self._arrival = np.full(self.grid.shape, np.nan)
        for index in range(self._folded, len(self.frames)):
            depth = self.depth(index)
            self._max = np.fmax(self._max, depth)
            wet = (depth >= self.wet_threshold_m) & np.isnan(self._arrival)
            self._arrival[wet] = self._times[index] / 3600.0
        self._folded = len(self.frames)

    def max_depth(self) -> NDArray[np.float64]:
        """Largest depth over the frames so far (frames arrived since the last call are added)."""
        self._fold()
        return self._max.copy()

    def arrival_time_h(self) -> NDArray[np.float64]:
        """Hours from the start until each node first gets wet (NaN where it never does)."""
        self._fold()
        return self._arrival.copy()

    def node_of(self, x: float, y: float) -> tuple[int, int] | None:
        """Return the grid node nearest map point (x, y), ``None`` outside the grid."""
        dy, dx = self.grid.spacing
        row = round((y - self.grid.origin[0]) / dy)
        col = round((x - self.grid.origin[1]) / dx)
        rows, cols = self.grid.shape
        return (row, col) if 0 <= row < rows and 0 <= col < cols else None

    def hydrograph(self, x: float, y: float) -> Hydrograph | None:
        """Depth over time at the node nearest map point (x, y)."""
        node = self.node_of(x, y)
        if node is None:
            return None
        depths = np.array([self.depth(i)[node] for i in range(len(self.frames))])
        return Hydrograph([self.time_of(i) for i in range(len(self.frames))], depths, node,
                          x, y)

    # -- opening a finished run -----------------------------------------------------------------

    @classmethod
    def open(cls, run_dir: Path, depth_variable: str, wet_threshold_m: float = 0.01,
             label: str = "") -> Playback:
        """Open a finished (or partly written) run folder.

        Raises
        ------
        PlaybackError
            If the folder has no run configuration, grid or frames.
        """
        run_dir = Path(run_dir)
        config_path = run_dir / "run_config.json"
        grid_path = run_dir / "grid.json"
        if not config_path.is_file():
            raise PlaybackError(f"{run_dir} is not a rehearsal run folder (no run_config.json)")
        config = json.loads(config_path.read_text(encoding="utf-8"))
        if not grid_path.is_file():
            raise PlaybackError(f"{run_dir}: the run never reached its first step (no grid.json)",
                                hint="see run.log in that folder")
        grid_data = json.loads(grid_path.read_text(encoding="utf-8"))
        grid = GridInfo.from_dict(grid_data)
        if grid.plane != "map":
            raise PlaybackError(f"{run_dir}: a {grid.plane} run has no map to play back",
                                hint="open it in the seepage section view")
        start = config.get("start_time")
        start_time = datetime.fromisoformat(start) if start else datetime.fromtimestamp(
            config_path.stat().st_mtime, UTC)
        playback = cls(grid, start_time, depth_variable, wet_threshold_m, run_dir,
                       label or run_dir.name)
        frames = sorted((run_dir / "frames").glob("frame_*.npz"))
        if not frames:
            raise PlaybackError(f"{run_dir}: no frames were written", hint="see run.log there")
        for index, path in enumerate(frames):
            with np.load(path) as data:
                time_s = float(data["time_s"])
            playback.add_frame(FrameInfo(index=index, time_s=time_s, path=str(path)))
        return playback
