"""Keep a scene's review board on disk: JSON plus one PNG per viewpoint snapshot.

The board of scene ``S`` lives in ``<user data>/reviews/S/`` (``platformdirs``; on Linux
``~/.local/share/twin_app/reviews/S``): ``review.json`` holds topics, comments and viewpoints,
``snapshots/<viewpoint GUID>.png`` the snapshots.  Writes go to a temporary file first and then
replace the old one, so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from twin_app.core import paths
from twin_app.core.errors import TwinAppError
from twin_app.core.review import ReviewBoard, ReviewViewpoint, Topic

logger = logging.getLogger(__name__)

FORMAT = "twin_app.review"
FORMAT_VERSION = 1
BOARD_FILE = "review.json"
SNAPSHOT_FOLDER = "snapshots"


class ReviewStoreError(TwinAppError):
    """A saved review cannot be read or written."""


def default_review_folder(scene_id: str) -> Path:
    """Return the folder that holds the review board of ``scene_id``."""
    return paths.user_data_dir() / "reviews" / scene_id


class ReviewStore:
    """Load and save one scene's :class:`ReviewBoard`.

    Parameters
    ----------
    scene_id : str
        The scene.
    folder : Path, optional
        Where to keep it (default :func:`default_review_folder`).
    """

    def __init__(self, scene_id: str, folder: Path | None = None) -> None:
        self.scene_id = scene_id
        self.folder = Path(folder) if folder is not None else default_review_folder(scene_id)

    @property
    def board_file(self) -> Path:
        """The JSON file."""
        return self.folder / BOARD_FILE

    def load(self) -> ReviewBoard:
        """Return the saved board, or an empty one if none was saved.

        Raises
        ------
        ReviewStoreError
            If the file exists but is not a review of this scene.
        """
        if not self.board_file.is_file():
            return ReviewBoard(scene_id=self.scene_id)
        try:
            data = json.loads(self.board_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ReviewStoreError(f"{self.board_file}: cannot be read ({error})",
                                   hint="restore it from a backup or delete it") from None
        if data.get("format") != FORMAT or data.get("version") != FORMAT_VERSION:
            raise ReviewStoreError(
                f"{self.board_file}: not a version-{FORMAT_VERSION} {FORMAT} file",
                hint="it was written by another program or version; move it away")
        if data.get("scene_id") != self.scene_id:
            raise ReviewStoreError(
                f"{self.board_file} belongs to scene {data.get('scene_id')!r}, "
                f"not {self.scene_id!r}", hint="move it to the folder of its own scene")
        try:
            board = ReviewBoard(
                scene_id=self.scene_id,
                topics=tuple(_topic(t, self._snapshot) for t in data.get("topics", [])),
                viewpoints=tuple(self._viewpoint(v) for v in data.get("viewpoints", [])))
        except ValidationError as error:
            raise ReviewStoreError(f"{self.board_file}: invalid content ({error})",
                                   hint="fix the named field or delete the file") from None
        logger.info("loaded %d review topics of %s", len(board.topics), self.scene_id)
        return board

    def save(self, board: ReviewBoard) -> Path:
        """Write ``board`` (and its snapshots); return the JSON file."""
        if board.scene_id != self.scene_id:
            raise ReviewStoreError(f"the board is of scene {board.scene_id!r}, the store of "
                                   f"{self.scene_id!r}", hint="use the store of the board's scene")
        snapshots = self.folder / SNAPSHOT_FOLDER
        snapshots.mkdir(parents=True, exist_ok=True)
        viewpoints = [*board.viewpoints, *(v for t in board.topics for v in t.viewpoints)]
        wanted = set()
        for viewpoint in viewpoints:
            if viewpoint.snapshot is not None:
                name = f"{viewpoint.guid.lower()}.png"
                wanted.add(name)
                _atomic_write(snapshots / name, viewpoint.snapshot)
        for stale in snapshots.glob("*.png"):
            if stale.name not in wanted:
                stale.unlink()
        data = {"format": FORMAT, "version": FORMAT_VERSION, "scene_id": board.scene_id,
                "topics": [t.model_dump(mode="json") for t in board.topics],
                "viewpoints": [v.model_dump(mode="json") for v in board.viewpoints]}
        text = json.dumps(data, ensure_ascii=False, indent=1)
        _atomic_write(self.board_file, text.encode("utf-8"))
        logger.info("saved %d review topics of %s to %s", len(board.topics), self.scene_id,
                    self.board_file)
        return self.board_file

    def _snapshot(self, guid: str) -> bytes | None:
        path = self.folder / SNAPSHOT_FOLDER / f"{guid.lower()}.png"
        return path.read_bytes() if path.is_file() else None

    def _viewpoint(self, data: dict[str, Any]) -> ReviewViewpoint:
        viewpoint = ReviewViewpoint.model_validate(data)
        return viewpoint.model_copy(update={"snapshot": self._snapshot(viewpoint.guid)})


def _topic(data: dict[str, Any], snapshot: Any) -> Topic:
    viewpoints = []
    for item in data.get("viewpoints", []):
        viewpoint = ReviewViewpoint.model_validate(item)
        viewpoints.append(viewpoint.model_copy(update={"snapshot": snapshot(viewpoint.guid)}))
    return Topic.model_validate({**data, "viewpoints": tuple(viewpoints)})


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
