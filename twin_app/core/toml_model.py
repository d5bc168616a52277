"""Validate a TOML document against a pydantic model and say where it is wrong.

Used by every TOML file the app reads (scenes, alarm configurations): the first problem comes back
as a :class:`TomlIssue` with the line, the key path and what was expected, which each caller wraps
in its own error class (naming the file).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError

from twin_app.core.toml_lines import KeyPath, index_key_lines, line_of

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class TomlIssue:
    """The first thing wrong with a document: what, on which line, at which key."""

    problem: str
    line: int | None = None
    key: str | None = None
    error_type: str | None = None
    """pydantic's error type (``"missing"``, ``"model_type"``, ...), or ``None`` for syntax."""
    value: Any = None
    """The offending value, where there is one."""


class TomlModelError(ValueError):
    """A TOML document does not parse or does not follow its model; see :attr:`issue`."""

    def __init__(self, issue: TomlIssue) -> None:
        self.issue = issue
        super().__init__(issue.problem)


def validate_toml(text: str, model: type[ModelT]) -> tuple[ModelT, dict[KeyPath, int]]:
    """Parse ``text`` and validate it as ``model``.

    Returns
    -------
    tuple
        The model instance and the line of every key (:func:`index_key_lines`).

    Raises
    ------
    TomlModelError
        With the first syntax or validation problem, its line and key.
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TomlModelError(_syntax_issue(error)) from None
    lines = index_key_lines(text)
    try:
        return model.model_validate(raw), lines
    except ValidationError as error:
        raise TomlModelError(_validation_issue(model, error, lines)) from None


def format_key(loc: KeyPath) -> str:
    """Return a key path as text: ``sensors[2].thresholds[0].value``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _syntax_issue(error: tomllib.TOMLDecodeError) -> TomlIssue:
    match = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
    problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
    if match:
        problem += f" at column {match.group(2)}"
    return TomlIssue(f"TOML syntax error: {problem}", int(match.group(1)) if match else None)


def _validation_issue(model: type[BaseModel], error: ValidationError,
                      lines: dict[KeyPath, int]) -> TomlIssue:
    first = error.errors(include_url=False)[0]
    loc: KeyPath = tuple(part for part in first["loc"] if not _is_union_tag(part))
    problem = _describe(model, first, loc)
    more = error.error_count() - 1
    if more:
        problem += f" (and {more} more problem{'s' if more > 1 else ''})"
    return TomlIssue(problem, line_of(lines, loc), format_key(loc) or None, first["type"],
                     first.get("input"))


def _is_union_tag(part: object) -> bool:
    return isinstance(part, str) and (
        "[" in part or part in {"function-after", "constrained-str"})


def _describe(model: type[BaseModel], detail: dict, loc: KeyPath) -> str:
    kind = detail["type"]
    key = str(loc[-1]) if loc else "document"
    if kind == "missing":
        return f"missing required key '{key}'"
    if kind == "extra_forbidden":
        allowed = allowed_keys(model, loc[:-1])
        suffix = f"; expected one of: {', '.join(allowed)}" if allowed else ""
        return f"unknown key '{key}'{suffix}"
    message = detail["msg"].removeprefix("Value error, ")
    if "input" in detail and kind not in ("model_type", "dict_type"):
        return f"{message} (got {detail['input']!r})"
    return message


def allowed_keys(model: type[BaseModel], parent: KeyPath) -> list[str]:
    """Return the keys the table at ``parent`` accepts (for 'unknown key' messages)."""
    node: Any = model
    for part in parent:
        if isinstance(part, int):
            continue
        if get_origin(node) is dict:
            node = _inner(get_args(node)[1])
            continue
        field = getattr(node, "model_fields", {}).get(part)
        if field is None:
            return []
        node = _inner(field.annotation)
        if node is None:
            return []
    return list(getattr(node, "model_fields", {}))


def _inner(annotation: Any) -> Any:
    """Return the model or ``dict[...]`` inside ``X | None`` / ``list[X]``, or ``None``."""
    if get_origin(annotation) is dict:
        return annotation
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner(arg)
        if found is not None:
            return found
    return None
