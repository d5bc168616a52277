"""The video-wall layout: a grid of tiles, the viewpoint tour, refresh rates and the theme.

A layout is a TOML file (``resources/wall/default_layout.toml`` is the default and documents
every key).  Only ``schema_version`` and at least one ``[[tiles]]`` entry with the one ``scene``
tile are required::

    schema_version = 1
    name = { zh = "防汛指挥中心大屏", en = "Flood command centre wall" }

    [grid]
    columns = [5, 5, 3, 3]    # relative widths, one number per column
    rows = [1, 7, 5]          # relative heights, one number per row
    gap_px = 10               # gap between tiles at a 1080-px-high wall (scaled with the height)

    [theme]
    type_scale = 1.0          # 1.0: body text is 1/48 of the wall height (45 px on 2160 px)

    [tour]
    interval_s = 45           # seconds on each viewpoint
    viewpoints = []           # viewpoint ids in order; empty: all of the scene's
    alarm_min_severity = "warning"
    alarm_hold_s = 120        # stay on an alarm's view this long, then tour on

    [refresh]
    values_s = 1.0            # 3D values redrawn at most this often while readings arrive
    tiles_s = 2.0             # gauges, charts and the alarm list redrawn this often

    [[tiles]]
    kind = "scene"            # scene | rehearsal | alarms | gauges | chart | clock | status | title
    row = 1
    column = 0
    row_span = 2
    column_span = 2

Tiles may not overlap and must lie inside the grid.  Everything here is Qt-free: the Qt wall
(:mod:`twin_app.qt.wall`) builds its widgets from a validated :class:`WallLayout`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from twin_app.core.errors import InputError, SceneFileError
from twin_app.core.paths import resources_dir
from twin_app.core.scene import HexColour, Identifier, LocalizedText
from twin_app.core.toml_lines import index_key_lines, line_of
from twin_app.core.toml_model import TomlModelError, validate_toml

logger = logging.getLogger(__name__)

DEFAULT_LAYOUT = "wall/default_layout.toml"
"""The shipped layout, relative to the resources folder."""
SEVERITIES = ("advisory", "warning", "alarm", "critical")
TILE_KINDS = ("scene", "rehearsal", "alarms", "gauges", "chart", "clock", "status", "title")
_TILE_KEY = re.compile(rf"^tiles\[(\d+)\]\.(?:{'|'.join(TILE_KINDS)})(?:\.(.*))?$")

Rect = tuple[int, int, int, int]
"""A screen rectangle: x, y, width, height in pixels."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GridSpec(_Strict):
    """The grid the tiles sit on."""

    columns: Annotated[list[Annotated[float, Field(gt=0)]], Field(min_length=1, max_length=24)] \
        = Field(default_factory=lambda: [1.0])
    rows: Annotated[list[Annotated[float, Field(gt=0)]], Field(min_length=1, max_length=24)] \
        = Field(default_factory=lambda: [1.0])
    gap_px: Annotated[int, Field(ge=0, le=200)] = 10


class ThemeSpec(_Strict):
    """Colours and type size (a dark theme; the defaults suit a control room)."""

    background: HexColour = "#050b12"
    tile: HexColour = "#0c1824"
    border: HexColour = "#1f3a52"
    text: HexColour = "#e8f1f8"
    muted: HexColour = "#8fa8bd"
    accent: HexColour = "#4fc3f7"
    normal: HexColour = "#26c281"
    warning: HexColour = "#ffb300"
    alarm: HexColour = "#ff3d3d"
    type_scale: Annotated[float, Field(gt=0.2, le=5.0)] = 1.0


class TourSpec(_Strict):
    """The automatic tour of viewpoints and the jump to alarms."""

    interval_s: Annotated[float, Field(gt=0.05, le=86_400)] = 45.0
    viewpoints: list[Identifier] = Field(default_factory=list)
    start_paused: bool = False
    jump_on_alarm: bool = True
    alarm_min_severity: Literal["advisory", "warning", "alarm", "critical"] = "warning"
    alarm_hold_s: Annotated[float, Field(ge=0, le=86_400)] = 120.0
    alarm_radius_m: Annotated[float, Field(gt=0)] = 600.0
    closeup_distance_m: Annotated[float, Field(gt=1)] = 220.0
    alarm_viewpoints: dict[Identifier, Identifier] = Field(default_factory=dict)
    """Sensor (or asset) id to the viewpoint shown when one of its alarms is raised."""


class RefreshSpec(_Strict):
    """How often the wall redraws (it also redraws as soon as an operator acts)."""

    values_s: Annotated[float, Field(ge=0.05, le=600)] = 1.0
    tiles_s: Annotated[float, Field(ge=0.1, le=600)] = 2.0
    stale_s: Annotated[float, Field(ge=1, le=3600)] = 10.0


class _Tile(_Strict):
    row: Annotated[int, Field(ge=0)]
    column: Annotated[int, Field(ge=0)]
    row_span: Annotated[int, Field(ge=1)] = 1
    column_span: Annotated[int, Field(ge=1)] = 1
    title: LocalizedText | None = None

    def cells(self) -> set[tuple[int, int]]:
        """Return the grid cells (row, column) the tile covers."""
        return {(r, c) for r in range(self.row, self.row + self.row_span)
                for c in range(self.column, self.column + self.column_span)}


class SceneTile(_Tile):
    """The 3D scene the tour drives."""

    kind: Literal["scene"]


class RehearsalTile(_Tile):
    """The rehearsal's playback: the scene's latest rehearsal looping in a 3D view, or images.

    In ``view`` mode the tile plays the newest rehearsal run of the scene (from the rehearsal
    runs folder, or one the remote started) on a loop of ``loop_s`` seconds, at most ``fps``
    frames a second, with its scenario, model time, peak depth and flooded area in big type.
    """

    kind: Literal["rehearsal"]
    mode: Literal["view", "images", "none"] = "view"
    viewpoint: Identifier | None = None
    images: str = ""
    """A glob of image files (``mode = "images"``), relative to the layout file."""
    fps: Annotated[float, Field(gt=0, le=30)] = 2.0
    loop_s: Annotated[float, Field(ge=1, le=86_400)] = 60.0
    """Seconds one pass of a finished rehearsal takes (``view`` mode)."""
    rescan_s: Annotated[float, Field(ge=0.5, le=86_400)] = 30.0
    """How often to look for a newer rehearsal run of the scene."""
    scenario: Identifier | None = None
    """The scenario the remote's ``POST /rehearsal/start`` runs; default: the scene's first."""


class AlarmsTile(_Tile):
    """The alarm list, most severe first."""

    kind: Literal["alarms"]
    max_rows: Annotated[int, Field(ge=1, le=100)] = 10


class GaugesTile(_Tile):
    """Big numbers with a trend arrow and the warning level."""

    kind: Literal["gauges"]
    sensors: list[Identifier] = Field(default_factory=list)
    """Sensor ids; empty: the scene's key sensors (those with thresholds, levels first)."""
    max_gauges: Annotated[int, Field(ge=1, le=24)] = 6
    per_row: Annotated[int, Field(ge=1, le=12)] = 3
    trend_minutes: Annotated[float, Field(gt=0, le=24 * 60)] = 30.0


class ChartTile(_Tile):
    """Recent readings of a few sensors with their thresholds."""

    kind: Literal["chart"]
    sensors: list[Identifier] = Field(default_factory=list)
    max_sensors: Annotated[int, Field(ge=1, le=8)] = 3
    hours: Annotated[float, Field(gt=0, le=24 * 31)] = 24.0


class ClockTile(_Tile):
    """Beijing time, and the time shown when it is not live."""

    kind: Literal["clock"]


class StatusTile(_Tile):
    """Scene, tour, control address, feeds and the latest errors."""

    kind: Literal["status"]
    max_messages: Annotated[int, Field(ge=1, le=50)] = 4


class TitleTile(_Tile):
    """The wall's title and the scene's name."""

    kind: Literal["title"]


TileSpec = Annotated[
    SceneTile | RehearsalTile | AlarmsTile | GaugesTile | ChartTile | ClockTile | StatusTile
    | TitleTile,
    Field(discriminator="kind"),
]


class WallLayout(_Strict):
    """A validated wall layout (see the module docstring for the file format)."""

    schema_version: Literal[1]
    name: LocalizedText = LocalizedText(zh="防汛指挥中心大屏", en="Flood command centre wall")
    grid: GridSpec = Field(default_factory=GridSpec)
    theme: ThemeSpec = Field(default_factory=ThemeSpec)
    tour: TourSpec = Field(default_factory=TourSpec)
    refresh: RefreshSpec = Field(default_factory=RefreshSpec)
    tiles: Annotated[list[TileSpec], Field(min_length=1)]
    _source: str = PrivateAttr(default="")

    @model_validator(mode="after")
    def _tiles_fit(self) -> WallLayout:
        rows, columns = len(self.grid.rows), len(self.grid.columns)
        taken: dict[tuple[int, int], int] = {}
        for index, tile in enumerate(self.tiles):
            if tile.row + tile.row_span > rows or tile.column + tile.column_span > columns:
                msg = (f"tiles[{index}] ({tile.kind}) reaches beyond the grid of {rows} rows "
                       f"and {columns} columns")
                raise ValueError(msg)
            for cell in sorted(tile.cells()):
                if cell in taken:
                    msg = (f"tiles[{index}] ({tile.kind}) overlaps tiles[{taken[cell]}] at row "
                           f"{cell[0]}, column {cell[1]}")
                    raise ValueError(msg)
                taken[cell] = index
        scenes = [tile for tile in self.tiles if tile.kind == "scene"]
        if len(scenes) != 1:
            raise ValueError(f"a layout needs exactly one 'scene' tile (it has {len(scenes)})")
        return self

    def tiles_of(self, kind: str) -> list[TileSpec]:
        """Return the tiles of one kind, in file order."""
        return [tile for tile in self.tiles if tile.kind == kind]

    @property
    def source(self) -> str:
        """The file the layout came from (empty if it was given as text)."""
        return self._source

    @property
    def folder(self) -> Path:
        """The folder relative paths in the layout are resolved from."""
        return Path(self._source).parent if self._source else resources_dir() / "wall"


def default_layout_path() -> Path:
    """Return the shipped default layout file."""
    return resources_dir() / DEFAULT_LAYOUT


def parse_layout(text: str, source: str = "<layout>") -> WallLayout:
    """Validate a layout given as TOML text.

    Raises
    ------
    SceneFileError
        If the text is not TOML or does not follow the format (with the line and key).
    """
    try:
        layout, _ = validate_toml(text, WallLayout)
    except TomlModelError as error:
        issue = error.issue
        key, line, problem = issue.key, issue.line, issue.problem
        if issue.error_type == "union_tag_invalid" and key:
            kind = issue.value.get("kind") if isinstance(issue.value, dict) else None
            problem = f"unknown tile kind {kind!r}; expected one of: {', '.join(TILE_KINDS)}"
            key = f"{key}.kind"
            line = line_of(index_key_lines(text), _key_path(key)) or line
        match = _TILE_KEY.match(key or "")
        if match:  # pydantic names the tile's kind in the path: tiles[2].gauges.sensors
            index, rest = int(match.group(1)), match.group(2)
            key = f"tiles[{index}]{'.' + rest if rest else ''}"
            path = ("tiles", index, *(rest.split(".") if rest else ()))
            line = line_of(index_key_lines(text), path) or line
        raise SceneFileError(Path(source), problem, line=line, key=key,
                             hint="see resources/wall/default_layout.toml for the format"
                             ) from None
    layout._source = source
    return layout


def _key_path(key: str) -> tuple[str | int, ...]:
    """Return ``tiles[0].kind`` as ``("tiles", 0, "kind")``."""
    return tuple(int(part) if part.isdigit() else part
                 for part in re.split(r"[.\[\]]+", key) if part)


def load_layout(path: Path | str | None = None) -> WallLayout:
    """Read and validate a layout file (the shipped default if ``path`` is ``None``).

    Raises
    ------
    InputError
        If the file cannot be read.
    SceneFileError
        If it is not a valid layout.
    """
    file = Path(path) if path is not None else default_layout_path()
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"layout file {file} cannot be read: {error.strerror or error}",
                         hint="give --layout a TOML file") from None
    layout = parse_layout(text, str(file))
    logger.info("wall layout %s: %d tiles on a %dx%d grid", file, len(layout.tiles),
                len(layout.grid.columns), len(layout.grid.rows))
    return layout


def span_screens(screens: Sequence[Rect], choice: str) -> Rect:
    """Return the rectangle a wall covers: the bounding box of the chosen screens.

    Parameters
    ----------
    screens : sequence of Rect
        Every screen's geometry in the virtual desktop (x, y, width, height).
    choice : str
        ``"all"``, one screen index (``"1"``) or several (``"0,1"``).

    Raises
    ------
    InputError
        If ``choice`` names no screen that exists.
    """
    if not screens:
        raise InputError("no screen found")
    if choice.strip().lower() == "all":
        chosen = list(screens)
    else:
        try:
            indices = [int(part) for part in choice.split(",") if part.strip()]
        except ValueError:
            raise InputError(f"--screens {choice!r} is not 'all' or screen numbers like 0,1"
                             ) from None
        bad = [index for index in indices if not 0 <= index < len(screens)]
        if bad or not indices:
            raise InputError(f"--screens {choice!r}: there are {len(screens)} screen(s), "
                             f"numbered 0 to {len(screens) - 1}")
        chosen = [screens[index] for index in indices]
    left = min(x for x, _, _, _ in chosen)
    top = min(y for _, y, _, _ in chosen)
    right = max(x + w for x, _, w, _ in chosen)
    bottom = max(y + h for _, y, _, h in chosen)
    return left, top, right - left, bottom - top


def type_size_px(wall_height: int, theme: ThemeSpec, factor: float = 1.0) -> int:
    """Return a type size in pixels for a wall ``wall_height`` pixels high.

    Body text (``factor`` 1) is 1/48 of the height times the theme's ``type_scale``: 45 px on
    a 2160-px wall, about 4 cm on a 2-m-high wall, readable from across a large room.
    """
    return max(8, round(wall_height / 48 * theme.type_scale * factor))
