"""The IFC pipeline: header and schema checks, georeferencing, tessellation in a child process.

Qt-free and VTK-free; the render layer turns an :class:`IfcModel` into VTK objects.

- :func:`read_header` / :func:`upgrade_header`: what a file is, and the "try anyway" path for
  schemas ifcopenshell refuses.
- :func:`read_georeference`: IfcMapConversion / ePSet_MapConversion, with plausibility warnings.
- :func:`load_ifc_model`: elements, spatial tree, property sets, unique meshes with instances,
  skipped elements; cached on disk by content hash. Tessellation runs in a child process
  (``python -m twin_app.io.ifc._worker``); an element that crashes or hangs the geometry kernel
  is found, skipped and listed (see ``_supervisor``). :func:`prestart_worker` starts that process
  ahead of time.

Test hook: the environment variable ``TWIN_APP_IFC_FAULT="crash:<GlobalId>,hang:<GlobalId>"``
makes the child process kill itself (SIGSEGV) or sleep when it reaches that element.
"""

from twin_app.io.ifc._process import prestart_worker
from twin_app.io.ifc.cache import TessellationCache, default_cache_dir, file_sha256
from twin_app.io.ifc.elements import ElementInfo, SpatialNode
from twin_app.io.ifc.errors import (
    SUPPORTED_SCHEMAS,
    IfcReadError,
    IfcTimeoutError,
    IfcWorkerError,
    UnsupportedSchemaError,
)
from twin_app.io.ifc.geometry import Instances, Material, Mesh
from twin_app.io.ifc.georef import Georeference, read_georeference
from twin_app.io.ifc.header import IfcHeader, check_schema, read_header
from twin_app.io.ifc.model import (
    IfcModel,
    ModelCounts,
    SkippedElement,
    TessellationSettings,
    Timings,
)
from twin_app.io.ifc.tessellate import load_ifc_model
from twin_app.io.ifc.upgrade import UpgradeIssue, UpgradeReport, upgrade_header

__all__ = [
    "SUPPORTED_SCHEMAS",
    "ElementInfo",
    "Georeference",
    "IfcHeader",
    "IfcModel",
    "IfcReadError",
    "IfcTimeoutError",
    "IfcWorkerError",
    "Instances",
    "Material",
    "Mesh",
    "ModelCounts",
    "SkippedElement",
    "SpatialNode",
    "TessellationCache",
    "TessellationSettings",
    "Timings",
    "UnsupportedSchemaError",
    "UpgradeIssue",
    "UpgradeReport",
    "check_schema",
    "default_cache_dir",
    "file_sha256",
    "load_ifc_model",
    "prestart_worker",
    "read_georeference",
    "read_header",
    "upgrade_header",
]
