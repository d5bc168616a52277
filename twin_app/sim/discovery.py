"""Find the installed simulation plugins (entry-point group ``twin_app.simulations``).

:func:`discover_plugins` never raises: each plugin comes back as a :class:`PluginRecord` with
``status`` ``"ok"`` or ``"broken"`` and the reason, and one broken plugin does not hide the others.
Only manifests are read; plugin code is imported by :func:`load_model_class` when a run needs it,
and a plugin whose code fails to import is then reported broken with the import error.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import logging
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from twin_app.core.errors import TwinAppError
from twin_app.sim.manifest import ENTRY_POINT_GROUP, ManifestError, PluginManifest, read_manifest
from twin_app.sim.sdk import Simulation
from twin_app.sim.tables import Tables

logger = logging.getLogger(__name__)


class PluginNotFoundError(TwinAppError):
    """No installed plugin has the id asked for."""


class PluginLoadError(TwinAppError):
    """A plugin is broken: its manifest is invalid or its code does not import."""


@dataclass(frozen=True)
class PluginRecord:
    """What is known about one installed plugin.

    Attributes
    ----------
    id : str
        The plugin id (the entry point's name).
    status : {"ok", "broken"}
        ``"broken"`` when the manifest is invalid or, once tried, the code failed to import.
    reason : str
        Why it is broken (empty when ok).
    entry_point : str
        The entry point's value, ``"package:manifest-file"``.
    distribution : str
        The installed distribution that declares it, with its version.
    manifest_path : str
        The manifest file, where it was found.
    manifest : PluginManifest or None
        The validated manifest (``None`` when it could not be read).
    """

    id: str
    status: Literal["ok", "broken"]
    reason: str = ""
    entry_point: str = ""
    distribution: str = ""
    manifest_path: str = ""
    manifest: PluginManifest | None = field(default=None, repr=False)

    def summary(self) -> dict[str, object]:
        """Return a JSON-ready description (for ``twin-app plugins list --json`` and the UI)."""
        manifest = self.manifest
        return {
            "id": self.id,
            "status": self.status,
            "reason": self.reason,
            "version": manifest.version if manifest else None,
            "name": manifest.name.model_dump() if manifest else None,
            "model": manifest.model if manifest else None,
            "distribution": self.distribution,
            "manifest": self.manifest_path,
            "parameters": [row.model_dump() for row in manifest.parameters] if manifest else [],
            "boundaries": [row.name for row in manifest.boundaries] if manifest else [],
        }


def locate_manifest(value: str) -> Path:
    """Return the manifest file an entry-point value ``"package:file"`` names, without importing.

    Raises
    ------
    ManifestError
        If the value is malformed or the package or file cannot be found.
    """
    package, sep, name = value.partition(":")
    if not sep or not package or not name:
        raise ManifestError(value, "the entry point must be 'package:manifest-file', e.g. "
                            "'twin_example:twin_plugin.toml'")
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError) as error:
        raise ManifestError(value, f"package {package!r} cannot be located ({error})") from None
    if spec is None or not spec.submodule_search_locations:
        raise ManifestError(value, f"{package!r} is not an installed package")
    for folder in spec.submodule_search_locations:
        path = Path(folder) / name
        if path.is_file():
            return path
    raise ManifestError(value, f"package {package!r} has no file {name!r}")


def _record(entry_point: importlib.metadata.EntryPoint) -> PluginRecord:
    dist = entry_point.dist
    distribution = f"{dist.metadata['Name']} {dist.version}" if dist is not None else ""
    base = PluginRecord(id=entry_point.name, status="broken", entry_point=entry_point.value,
                        distribution=distribution)
    try:
        path = locate_manifest(entry_point.value)
        base = replace(base, manifest_path=str(path))
        manifest = read_manifest(path)
    except ManifestError as error:
        return replace(base, reason=f"bad manifest: {error.one_line()}")
    if manifest.id != entry_point.name:
        return replace(base, manifest=manifest, reason=(
            f"bad manifest: id {manifest.id!r} differs from the entry point name "
            f"{entry_point.name!r}; make them the same"))
    return replace(base, status="ok", manifest=manifest)


def discover_plugins(group: str = ENTRY_POINT_GROUP) -> list[PluginRecord]:
    """Return every installed plugin, sorted by id, each ok or broken with a reason.

    Never raises: a plugin whose manifest cannot be read is listed as broken.
    """
    records: dict[str, PluginRecord] = {}
    for entry_point in importlib.metadata.entry_points(group=group):
        try:
            record = _record(entry_point)
        except Exception as error:  # noqa: BLE001 - one bad plugin must not stop the listing
            record = PluginRecord(id=entry_point.name, status="broken",
                                  reason=f"{type(error).__name__}: {error}",
                                  entry_point=entry_point.value)
        if record.id in records:
            logger.warning("plugin id %s is declared twice (%s and %s); using the first",
                           record.id, records[record.id].entry_point, record.entry_point)
            continue
        records[record.id] = record
    return [records[key] for key in sorted(records)]


def find_plugin(plugin_id: str, group: str = ENTRY_POINT_GROUP) -> PluginRecord:
    """Return the record of one plugin.

    Raises
    ------
    PluginNotFoundError
        If none has that id; the message lists those installed.
    """
    plugins = discover_plugins(group)
    for record in plugins:
        if record.id == plugin_id:
            return record
    known = ", ".join(record.id for record in plugins) or "none"
    raise PluginNotFoundError(f"no simulation plugin {plugin_id!r} is installed",
                              hint=f"installed: {known}; install plugins with 'make setup'")


def import_object(python_name: str) -> object:
    """Import ``"module:attribute"`` and return the attribute."""
    module_name, _, attribute = python_name.partition(":")
    target: object = importlib.import_module(module_name)
    for part in attribute.split("."):
        target = getattr(target, part)
    return target


def load_model_class(record: PluginRecord) -> type[Simulation]:
    """Import a plugin's model class (the first time plugin code runs).

    Raises
    ------
    PluginLoadError
        If the plugin is broken, its code fails to import, or the class is not a
        :class:`~twin_app.sim.sdk.Simulation` whose tables match the manifest.
    """
    manifest = record.manifest
    if record.status != "ok" or manifest is None:
        raise PluginLoadError(f"plugin {record.id!r} is broken: {record.reason}",
                              hint="fix or reinstall the plugin")
    try:
        model = import_object(manifest.model)
    except Exception as error:
        detail = traceback.format_exception_only(error)[-1].strip()
        raise PluginLoadError(f"plugin {record.id!r}: importing {manifest.model} failed: "
                              f"{detail}", hint="fix the plugin's code or reinstall it") from error
    if not (isinstance(model, type) and issubclass(model, Simulation)):
        raise PluginLoadError(f"plugin {record.id!r}: {manifest.model} is not a subclass of "
                              "twin_app.sim.sdk.Simulation")
    problem = tables_mismatch(manifest, model.tables)
    if problem:
        raise PluginLoadError(f"plugin {record.id!r}: {problem}",
                              hint="make the manifest's tables and the model's agree")
    return model


def tables_mismatch(manifest: PluginManifest, tables: Tables) -> str | None:
    """Return how a model's tables differ from its manifest's inline tables, or ``None``."""
    inline = manifest.inline_tables
    if inline is None:
        return None
    for kind in ("variables", "parameters", "boundaries"):
        declared = {row.name: row for row in getattr(inline, kind)}
        actual = {row.name: row for row in getattr(tables, kind)}
        if declared != actual:
            names = sorted(set(declared) ^ set(actual)) or sorted(
                name for name in declared if declared[name] != actual.get(name))
            return f"the manifest's {kind} differ from the model's ({', '.join(names)})"
    return None


def load_tables(record: PluginRecord) -> Tables:
    """Return a plugin's tables: inline from the manifest, else imported from its pointer."""
    manifest = record.manifest
    if manifest is None:
        raise PluginLoadError(f"plugin {record.id!r} is broken: {record.reason}")
    inline = manifest.inline_tables
    if inline is not None:
        return inline
    try:
        tables = import_object(manifest.tables or "")
    except Exception as error:
        raise PluginLoadError(f"plugin {record.id!r}: importing {manifest.tables} failed: "
                              f"{error}") from error
    if not isinstance(tables, Tables):
        raise PluginLoadError(f"plugin {record.id!r}: {manifest.tables} is not a Tables")
    return tables


def check_plugin(record: PluginRecord) -> PluginRecord:
    """Return the record, marked broken if its model class does not load."""
    if record.status != "ok":
        return record
    try:
        load_model_class(record)
    except PluginLoadError as error:
        return replace(record, status="broken", reason=f"import error: {error.message}")
    return record
