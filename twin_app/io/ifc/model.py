"""The loaded IFC model: elements, spatial tree, unique meshes with instances, and what was skipped.

:class:`IfcModel` is plain data (numpy arrays, dataclasses, strings), so it pickles and goes into
the tessellation cache as ``.npz`` + ``.json``. Property sets are not copied: they are read on
demand from the file (:meth:`IfcModel.element_properties`), which the model then keeps open.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from twin_app.io.ifc.elements import (
    ElementInfo,
    PropertyValue,
    SpatialNode,
    build_spatial_tree,
    read_properties,
)
from twin_app.io.ifc.geometry import Instances, Mesh, transform_points
from twin_app.io.ifc.georef import Georeference
from twin_app.io.ifc.header import IfcHeader

logger = logging.getLogger(__name__)

HYBRID = "hybrid-cgal-simple-opencascade"
OPENCASCADE = "opencascade"


@dataclass(frozen=True)
class TessellationSettings:
    """How a model is tessellated; part of the cache key.

    Attributes
    ----------
    kernels : tuple of str
        Geometry libraries in order of preference. The first tessellates everything; each next
        one re-tries the elements that came out empty or failed (hybrid CGAL drops some Boolean
        results in local coordinates that OpenCASCADE gets right).
    exclude : tuple of str
        IFC classes not tessellated (openings and spaces, as IfcConvert does).
    weld_vertices : bool
        Merge coincident vertices (False keeps sharp edges for rendering).
    apply_default_materials : bool
        Give elements without a style a default colour per class.
    """

    kernels: tuple[str, ...] = (HYBRID, OPENCASCADE)
    exclude: tuple[str, ...] = ("IfcOpeningElement", "IfcSpace")
    weld_vertices: bool = False
    apply_default_materials: bool = True

    def iterator_settings(self) -> dict[str, Any]:
        """Return the ``ifcopenshell.geom.settings`` values (local coordinates, always)."""
        return {"use-world-coords": False, "weld-vertices": self.weld_vertices,
                "apply-default-materials": self.apply_default_materials}

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as JSON-compatible values."""
        return {"kernels": list(self.kernels), "exclude": list(self.exclude),
                "weld_vertices": self.weld_vertices,
                "apply_default_materials": self.apply_default_materials}


@dataclass
class Timings:
    """How long the load took.

    Attributes
    ----------
    cold_s : float or None
        Wall time of the load that tessellated the file (kept when later read from the cache).
    warm_s : float or None
        Wall time of this load when it came from the cache.
    from_cache : bool
        Whether this load came from the cache.
    worker_start_s, parse_s, tessellate_s : float
        Parts of the cold load: starting the child process (0 with a pre-started one),
        parsing in the child, and tessellating.
    restarts : int
        Child processes restarted after a crash or a hang.
    worker_peak_rss_mb : float
        Peak resident memory of the tessellation process, MiB (0 where the OS does not say).
    """

    cold_s: float | None = None
    warm_s: float | None = None
    from_cache: bool = False
    worker_start_s: float = 0.0
    parse_s: float = 0.0
    tessellate_s: float = 0.0
    restarts: int = 0
    worker_peak_rss_mb: float = 0.0


@dataclass(frozen=True)
class SkippedElement:
    """An element left out of the geometry, and why.

    Attributes
    ----------
    global_id, ifc_class : str
        The element.
    name : str or None
        Its name.
    reason : str
        "kernel crashed (...)", "timed out after N s (...)" or the kernel's error text.
    """

    global_id: str
    ifc_class: str
    name: str | None
    reason: str


@dataclass(frozen=True)
class ModelCounts:
    """Summary counts of a model (for ``twin-app bim inspect``)."""

    elements: int
    elements_by_class: dict[str, int]
    shapes: int
    unique_meshes: int
    triangles: int
    unique_triangles: int
    skipped: int
    without_geometry: int


@dataclass(eq=False)
class IfcModel:
    """A tessellated IFC model.

    Attributes
    ----------
    path : Path
        The file it was loaded from.
    schema : str
        ``IFC2X3``, ``IFC4`` or ``IFC4X3_ADD2``.
    header : IfcHeader
        The file's STEP header.
    georeference : Georeference or None
        Map conversion and CRS, with warnings about implausible values.
    elements : list of ElementInfo
        The project, spatial elements and products, in file order.
    meshes : list of Mesh
        Unique meshes in local coordinates (metres).
    instances : Instances
        Element index, mesh index and 4x4 local-to-model matrix of each placed shape.
    skipped : list of SkippedElement
        Elements that crashed, hung or failed in every geometry kernel.
    timings : Timings
        Cold and warm load times.
    settings : TessellationSettings
        How it was tessellated.
    warnings : list of str
        Parse problems accepted, kernels unavailable, elements re-tried with another kernel.
    without_geometry : list of str
        GlobalIds of elements with a representation that gave no body geometry (no error).
    content_hash : str
        SHA-256 of the file's bytes (empty when not computed).
    """

    path: Path
    schema: str
    header: IfcHeader
    georeference: Georeference | None
    elements: list[ElementInfo]
    meshes: list[Mesh]
    instances: Instances
    skipped: list[SkippedElement] = field(default_factory=list)
    timings: Timings = field(default_factory=Timings)
    settings: TessellationSettings = field(default_factory=TessellationSettings)
    warnings: list[str] = field(default_factory=list)
    without_geometry: list[str] = field(default_factory=list)
    content_hash: str = ""
    _file: Any = field(default=None, repr=False)
    _by_guid: dict[str, int] | None = field(default=None, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_file"] = None
        return state

    def element_index(self, global_id: str) -> int:
        """Return the index in :attr:`elements` of the element with ``global_id``.

        Raises
        ------
        KeyError
            If no element has that GlobalId.
        """
        if self._by_guid is None:
            self._by_guid = {e.global_id: i for i, e in enumerate(self.elements)}
        return self._by_guid[global_id]

    def open_ifc(self) -> Any:
        """Return the ifcopenshell file, parsing it in this process on first use."""
        if self._file is None:
            import ifcopenshell

            logger.info("opening %s for its property sets", self.path)
            self._file = ifcopenshell.open(str(self.path))
        return self._file

    def element_properties(self, global_id: str) -> dict[str, dict[str, PropertyValue]]:
        """Return all property sets and quantity sets of an element, with units.

        Parameters
        ----------
        global_id : str
            The element's GlobalId.

        Returns
        -------
        dict
            ``{set name: {property: (value, unit symbol or None)}}``; see
            :func:`twin_app.io.ifc.elements.read_properties`.

        Raises
        ------
        KeyError
            If the file has no element with that GlobalId.
        """
        ifc_file = self.open_ifc()
        try:
            entity = ifc_file.by_guid(global_id)
        except RuntimeError as exc:
            raise KeyError(global_id) from exc
        return read_properties(ifc_file, entity)

    def spatial_tree(self) -> SpatialNode | None:
        """Return the project -> site -> facility -> parts -> elements tree."""
        return build_spatial_tree(self.elements)

    def counts(self) -> ModelCounts:
        """Return element, shape and triangle counts."""
        by_class = Counter(e.ifc_class for e in self.elements if not e.spatial)
        per_mesh = np.array([m.n_triangles for m in self.meshes], dtype=np.int64)
        return ModelCounts(
            elements=sum(by_class.values()), elements_by_class=dict(by_class.most_common()),
            shapes=len(self.instances), unique_meshes=len(self.meshes),
            triangles=int(per_mesh[self.instances.mesh].sum()) if len(self.instances) else 0,
            unique_triangles=int(per_mesh.sum()), skipped=len(self.skipped),
            without_geometry=len(self.without_geometry))

    def instance_vertices(self, k: int) -> NDArray[np.float64]:
        """Return the model-space vertices (metres, float64) of instance ``k``."""
        mesh = self.meshes[int(self.instances.mesh[k])]
        return transform_points(self.instances.matrix[k], mesh.vertices)

    def element_bounds(self) -> dict[str, NDArray[np.float64]]:
        """Return ``{GlobalId: [[xmin, ymin, zmin], [xmax, ymax, zmax]]}`` in model metres."""
        bounds: dict[str, NDArray[np.float64]] = {}
        for k in range(len(self.instances)):
            verts = self.instance_vertices(k)
            if not len(verts):
                continue
            guid = self.elements[int(self.instances.element[k])].global_id
            box = np.array([verts.min(axis=0), verts.max(axis=0)])
            if guid in bounds:
                box = np.array([np.minimum(bounds[guid][0], box[0]),
                                np.maximum(bounds[guid][1], box[1])])
            bounds[guid] = box
        return bounds

    def bounds(self) -> NDArray[np.float64] | None:
        """Return the model's ``[[min xyz], [max xyz]]`` in model metres, None if empty."""
        lows, highs = [], []
        for index, mesh in enumerate(self.meshes):
            if not len(mesh.vertices):
                continue
            matrices = self.instances.matrix[self.instances.mesh == index]
            if not len(matrices):
                continue
            world = np.einsum("kij,nj->kni", matrices[:, :3, :3], mesh.vertices)
            world += matrices[:, None, :3, 3]
            lows.append(world.reshape(-1, 3).min(axis=0))
            highs.append(world.reshape(-1, 3).max(axis=0))
        if not lows:
            return None
        return np.array([np.min(lows, axis=0), np.max(highs, axis=0)])
