"""Errors of the IFC pipeline, each naming the file, the line where known, and what to do next."""

from __future__ import annotations

from pathlib import Path

from twin_app.core.errors import AssetLoadError

SUPPORTED_SCHEMAS: tuple[str, ...] = ("IFC2X3", "IFC4", "IFC4X3_ADD2")
"""The schemas the pinned ifcopenshell (0.9) can open; every other FILE_SCHEMA is refused."""


class IfcReadError(AssetLoadError):
    """An IFC file cannot be read: not a STEP file, truncated, garbled, or unreadable.

    Parameters
    ----------
    path : Path
        The IFC file.
    problem : str
        What is wrong, quoting the offending text where it helps.
    line : int, optional
        1-based line of the problem, where known.
    hint : str, optional
        What the user can do about it.
    """

    def __init__(self, path: Path, problem: str, *, line: int | None = None,
                 hint: str | None = None) -> None:
        self.path = Path(path)
        self.problem = problem
        self.line = line
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        super().__init__(f"{where}: {problem}", hint=hint)


class UnsupportedSchemaError(AssetLoadError):
    """The file's FILE_SCHEMA is one that ifcopenshell cannot open.

    Parameters
    ----------
    path : Path
        The IFC file.
    schema : str
        The schema identifier in the file's header, e.g. ``"IFC4X3_RC3"``.
    why : str
        Why it cannot be read.
    upgrade_target : str, optional
        The supported schema a header upgrade would rewrite it to, if one is documented.
    """

    def __init__(self, path: Path, schema: str, why: str, *,
                 upgrade_target: str | None = None) -> None:
        self.path = Path(path)
        self.schema = schema
        self.upgrade_target = upgrade_target
        if upgrade_target:
            hint = (f"try the documented header upgrade: `twin_app.io.ifc.upgrade_header(path, "
                    f"out_path, target={upgrade_target!r})` writes a copy that declares "
                    f"{upgrade_target} and reports which entities the upgrade drops or may "
                    f"mis-read; load the copy with accept_errors=True. Better: export the model "
                    f"again from its authoring tool as {upgrade_target}")
        else:
            hint = ("export the model again from its authoring tool as one of "
                    + ", ".join(SUPPORTED_SCHEMAS))
        super().__init__(
            f"{self.path}: IFC schema {schema} is not supported: {why}; this app reads "
            f"{', '.join(SUPPORTED_SCHEMAS)} only (the schemas ifcopenshell 0.9 ships)",
            hint=hint)


class IfcTimeoutError(AssetLoadError):
    """Tessellating a whole file took longer than the time-out.

    Parameters
    ----------
    path : Path
        The IFC file.
    timeout_s : float
        The time-out that was exceeded.
    done : int
        Elements tessellated before the time-out.
    total : int
        Elements to tessellate.
    """

    def __init__(self, path: Path, timeout_s: float, done: int, total: int) -> None:
        self.path = Path(path)
        self.timeout_s = timeout_s
        super().__init__(
            f"{self.path}: tessellation did not finish within {timeout_s:g} s "
            f"({done} of {total} elements done)",
            hint="raise timeout_s (twin-app: --timeout), or exclude heavy classes; "
                 "nothing was cached")


class IfcWorkerError(AssetLoadError):
    """The tessellation child process failed outside any element (start-up or parsing).

    Parameters
    ----------
    path : Path
        The IFC file.
    problem : str
        What happened, with the child's last error output where there was any.
    """

    def __init__(self, path: Path, problem: str) -> None:
        self.path = Path(path)
        super().__init__(
            f"{self.path}: the IFC reader process failed: {problem}",
            hint="check that ifcopenshell imports in this Python (python -c 'import "
                 "ifcopenshell.geom'); if the file opens elsewhere, report it with the file")
