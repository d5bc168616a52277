"""Read, validate and locate scene files.

:func:`load_scene` turns ``scene.toml`` into a :class:`SceneDocument` or raises a
:class:`~twin_app.core.errors.SceneFileError` that names the file, the line, the key and what was
expected.  Every path the scene refers to is checked to stay inside the scene folder or the
project's shared asset folders, and to exist.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from twin_app.core import paths
from twin_app.core.errors import SceneFileError, SceneNotFoundError, ScenePathError
from twin_app.core.scene import Scene
from twin_app.core.toml_lines import KeyPath, line_of
from twin_app.core.toml_model import TomlModelError, format_key, validate_toml

logger = logging.getLogger(__name__)

SCENE_FILE_NAME = "scene.toml"
SCENE_FORMAT_HINT = "see README.md, 'The scene format'"


@dataclass(frozen=True)
class SceneDocument:
    """A validated scene and where it came from.

    Attributes
    ----------
    spec : Scene
        The validated content of the file.
    file : Path
        The absolute path of ``scene.toml``.
    """

    spec: Scene
    file: Path

    @property
    def folder(self) -> Path:
        """The scene's folder."""
        return self.file.parent

    def resolve(self, relative: str) -> Path:
        """Return the absolute path of a file the scene refers to (already checked on load)."""
        return (self.folder / relative).resolve()


def find_scene_file(name_or_path: str | Path) -> Path:
    """Return the ``scene.toml`` for a scene name, a scene folder or a scene file.

    A bare name (letters, digits, ``_`` and ``-``) is looked up on the scene search path first, so
    a folder of the same name in the working directory does not hide a scene.

    Raises
    ------
    SceneNotFoundError
        If nothing matches; the message lists the scenes that exist.
    """
    text = str(name_or_path)
    if re.fullmatch(r"[A-Za-z0-9_\-]+", text):
        for folder in paths.scene_search_path():
            file = folder / text / SCENE_FILE_NAME
            if file.is_file():
                return file.resolve()
    candidate = Path(name_or_path).expanduser()
    if candidate.is_file():
        return candidate.resolve()
    if candidate.is_dir():
        if (candidate / SCENE_FILE_NAME).is_file():
            return (candidate / SCENE_FILE_NAME).resolve()
        msg = f"{candidate} is a folder without a {SCENE_FILE_NAME}"
        raise SceneNotFoundError(msg, hint="point to a scene folder or its scene.toml")
    available = ", ".join(sorted(available_scenes())) or "none"
    raise SceneNotFoundError(
        f"no scene {str(name_or_path)!r}", hint=f"available scenes: {available}"
    )


def available_scenes() -> dict[str, Path]:
    """Return the scenes on the search path by folder name (earlier folders win)."""
    found: dict[str, Path] = {}
    for folder in paths.scene_search_path():
        if not folder.is_dir():
            continue
        for file in sorted(folder.glob(f"*/{SCENE_FILE_NAME}")):
            found.setdefault(file.parent.name, file.resolve())
    return found


def load_scene(name_or_path: str | Path) -> SceneDocument:
    """Read and validate a scene.

    Parameters
    ----------
    name_or_path : str or Path
        A scene name on the search path (``"xinchuansha"``), a scene folder or a ``scene.toml``.

    Returns
    -------
    SceneDocument
        The validated scene.

    Raises
    ------
    SceneNotFoundError
        If the scene does not exist.
    SceneFileError
        If the file is not valid TOML or does not follow the scene format.
    ScenePathError
        If a path in the scene escapes the allowed folders or names a missing file.
    """
    file = find_scene_file(name_or_path)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        problem = f"not UTF-8 text ({error.reason} at byte {error.start})"
        raise SceneFileError(file, problem) from None
    except OSError as error:
        raise SceneFileError(file, f"cannot be read: {error.strerror}") from None
    try:
        spec, lines = validate_toml(text, Scene)
    except TomlModelError as error:
        issue = error.issue
        hint = None if issue.problem.startswith("TOML syntax") else SCENE_FORMAT_HINT
        raise SceneFileError(file, issue.problem, line=issue.line, key=issue.key,
                             hint=hint) from None
    document = SceneDocument(spec=spec, file=file)
    _check_paths(document, lines)
    logger.info("loaded scene %s from %s", spec.id, file)
    return document


def _referenced_files(spec: Scene) -> list[tuple[KeyPath, str]]:
    refs: list[tuple[KeyPath, str]] = []
    if spec.terrain is not None:
        refs.append((("terrain", "file"), spec.terrain.file))
        for key in ("detail", "context", "imagery"):
            value = getattr(spec.terrain, key)
            if value is not None:
                refs.append((("terrain", key), value))
    for index, asset in enumerate(spec.assets):
        if asset.file is not None:
            refs.append((("assets", index, "file"), asset.file))
    for index, layer in enumerate(spec.layers):
        refs.append((("layers", index, "file"), layer.file))
    return refs


def _check_paths(document: SceneDocument, lines: dict[KeyPath, int]) -> None:
    allowed = [document.folder.resolve(), *(root.resolve() for root in paths.asset_roots())]
    for loc, relative in _referenced_files(document.spec):
        where = {"line": line_of(lines, loc), "key": format_key(loc)}
        if Path(relative).is_absolute():
            raise ScenePathError(
                document.file,
                f"absolute path {relative!r} is not allowed",
                hint="give the path relative to the scene folder",
                **where,
            )
        target = document.resolve(relative)
        if not any(target.is_relative_to(root) for root in allowed):
            roots = ", ".join(str(root) for root in allowed)
            raise ScenePathError(
                document.file,
                f"path {relative!r} leads outside the scene and the asset folders ({roots})",
                hint="copy the file into the scene folder or bim_assets/",
                **where,
            )
        if not target.is_file():
            raise ScenePathError(
                document.file, f"file {relative!r} does not exist ({target})", **where
            )
