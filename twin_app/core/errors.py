"""Exception classes of the domain layer.

Every error says what went wrong, where (file, line, key) and what to do next, so that the CLI can
print it on one line and the UI can show it in a message box without a traceback.
"""

from __future__ import annotations

from pathlib import Path


class TwinAppError(Exception):
    """Base class of all errors the app reports to its user.

    Parameters
    ----------
    message : str
        What went wrong, in one sentence.
    hint : str, optional
        What the user can do about it.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """Return the message and the hint as one line of text."""
        if self.hint:
            return f"{self.message} ({self.hint})"
        return self.message


class InputError(TwinAppError):
    """A value the user gave (on the command line or in a dialog) is not usable."""


class SceneNotFoundError(TwinAppError):
    """No scene of the given name or folder exists."""


class SceneFileError(TwinAppError):
    """A scene file is malformed or fails validation.

    Parameters
    ----------
    path : Path
        The scene file.
    problem : str
        What is wrong, including what was expected.
    line : int, optional
        1-based line of the offending key, where known.
    key : str, optional
        Dotted path of the offending key, e.g. ``sensors[2].unit``.
    hint : str, optional
        What to do next.
    """

    def __init__(
        self,
        path: Path,
        problem: str,
        *,
        line: int | None = None,
        key: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.problem = problem
        self.line = line
        self.key = key
        where = str(self.path)
        if line is not None:
            where += f":{line}"
        subject = f" [{key}]" if key else ""
        super().__init__(f"{where}{subject}: {problem}", hint=hint)


class ScenePathError(SceneFileError):
    """A path in a scene points outside the folders a scene may use, or to a missing file."""


class AssetLoadError(TwinAppError):
    """A file a scene refers to (terrain, vectors, model) cannot be read."""


class OperationCancelledError(TwinAppError):
    """A long operation was cancelled by the user."""

    def __init__(self, what: str = "operation") -> None:
        super().__init__(f"{what} cancelled")
