"""Tessellated IFC geometry as unique meshes plus placed instances (numpy only).

A :class:`Mesh` is one interpreted representation (one ifcopenshell ``geometry.id``) in its local
frame; an instance places a mesh for an element with a 4x4 matrix. Elements that share a
representation (Revit families, repeated piers) share one mesh. The arrays are float64/int32 so
they can be saved with ``np.savez`` and rebuilt without ifcopenshell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

_EMPTY_F = np.zeros((0, 3), dtype=np.float64)
_EMPTY_I = np.zeros((0, 3), dtype=np.int32)


@dataclass(frozen=True)
class Material:
    """A surface style of a mesh.

    Attributes
    ----------
    name : str
        Style name as ifcopenshell gives it (the IfcSurfaceStyle or a default per class).
    rgba : tuple of float
        Diffuse colour and opacity (1 - transparency), each 0..1.
    """

    name: str
    rgba: tuple[float, float, float, float]


@dataclass(frozen=True, eq=False)
class Mesh:
    """One unique tessellated representation in its local frame.

    Attributes
    ----------
    geometry_id : str
        ifcopenshell's reuse key (representation id plus material/opening suffixes).
    vertices : ndarray of float64, shape (n, 3)
        Local coordinates in metres.
    triangles : ndarray of int32, shape (m, 3)
        Vertex indices of each triangle.
    material_ids : ndarray of int32, shape (m,)
        Index into ``materials`` of each triangle (-1 when none).
    materials : tuple of Material
        The mesh's styles.
    edges : ndarray of int32, shape (k, 2)
        Line segments, only for curve geometry without faces (alignments, axes).
    kernel : str
        The geometry library that produced it.
    """

    geometry_id: str
    vertices: NDArray[np.float64]
    triangles: NDArray[np.int32]
    material_ids: NDArray[np.int32]
    materials: tuple[Material, ...] = ()
    edges: NDArray[np.int32] = field(default_factory=lambda: np.zeros((0, 2), np.int32))
    kernel: str = ""

    @property
    def n_triangles(self) -> int:
        """Number of triangles."""
        return int(self.triangles.shape[0])

    def triangle_colours(self) -> NDArray[np.float64]:
        """Return the RGBA of each triangle, shape (m, 4); grey where there is no material."""
        table = np.array([m.rgba for m in self.materials] + [(0.7, 0.7, 0.7, 1.0)],
                         dtype=np.float64)
        return table[np.where(self.material_ids >= 0, self.material_ids, len(self.materials))]


@dataclass(frozen=True, eq=False)
class Instances:
    """Placements of meshes for elements.

    Attributes
    ----------
    element : ndarray of int32, shape (k,)
        Index into :attr:`IfcModel.elements`.
    mesh : ndarray of int32, shape (k,)
        Index into :attr:`IfcModel.meshes`.
    matrix : ndarray of float64, shape (k, 4, 4)
        Local-to-model transform (model engineering coordinates, metres).
    """

    element: NDArray[np.int32]
    mesh: NDArray[np.int32]
    matrix: NDArray[np.float64]

    def __len__(self) -> int:
        return int(self.element.shape[0])


def transform_points(matrix: NDArray[np.float64], points: NDArray[np.float64]
                     ) -> NDArray[np.float64]:
    """Apply a 4x4 affine matrix to points of shape (n, 3), in float64."""
    return points @ matrix[:3, :3].T + matrix[:3, 3]


@dataclass
class GeometryAccumulator:
    """Collects shapes streamed from the tessellation process into meshes and instances."""

    element_index: dict[int, int]
    meshes: list[Mesh] = field(default_factory=list)
    mesh_by_id: dict[str, int] = field(default_factory=dict)
    inst_element: list[int] = field(default_factory=list)
    inst_mesh: list[int] = field(default_factory=list)
    inst_matrix: list[NDArray[np.float64]] = field(default_factory=list)
    placed: set[int] = field(default_factory=set)

    def add(self, record: tuple[Any, ...]) -> None:
        """Add one shape record from the worker.

        Parameters
        ----------
        record : tuple
            ``(step_id, geometry_id, matrix (16 float64, row-major), mesh_payload or None,
            kernel)``; the payload ``(vertices bytes, triangles bytes, material ids bytes,
            materials, edges bytes)`` comes with the first use of a geometry id.
        """
        step_id, geometry_id, matrix, payload, kernel = record
        if step_id in self.placed or step_id not in self.element_index:
            return
        index = self.mesh_by_id.get(geometry_id)
        if index is None:
            if payload is None:
                return
            index = len(self.meshes)
            self.meshes.append(_mesh(geometry_id, payload, kernel))
            self.mesh_by_id[geometry_id] = index
        self.placed.add(step_id)
        self.inst_element.append(self.element_index[step_id])
        self.inst_mesh.append(index)
        self.inst_matrix.append(np.frombuffer(matrix, dtype=np.float64).reshape(4, 4))

    def instances(self) -> Instances:
        """Return the instances gathered so far, sorted by element."""
        order = np.argsort(np.asarray(self.inst_element, dtype=np.int64), kind="stable")
        matrices = (np.stack(self.inst_matrix) if self.inst_matrix
                    else np.zeros((0, 4, 4), dtype=np.float64))
        return Instances(
            element=np.asarray(self.inst_element, dtype=np.int32)[order],
            mesh=np.asarray(self.inst_mesh, dtype=np.int32)[order],
            matrix=np.ascontiguousarray(matrices[order]))


def _mesh(geometry_id: str, payload: tuple[Any, ...], kernel: str) -> Mesh:
    verts, faces, material_ids, materials, edges = payload
    return Mesh(
        geometry_id=geometry_id,
        vertices=np.frombuffer(verts, dtype=np.float64).reshape(-1, 3),
        triangles=np.frombuffer(faces, dtype=np.int32).reshape(-1, 3),
        material_ids=np.frombuffer(material_ids, dtype=np.int32),
        materials=tuple(Material(name, tuple(rgba)) for name, rgba in materials),
        edges=np.frombuffer(edges, dtype=np.int32).reshape(-1, 2), kernel=kernel)


def empty_mesh(geometry_id: str = "") -> Mesh:
    """Return a mesh with no vertices (for tests and placeholders)."""
    return Mesh(geometry_id, _EMPTY_F, _EMPTY_I, np.zeros(0, np.int32))
