"""Elements of an IFC model: identity, spatial parent, spatial tree, property sets with units.

:func:`extract_elements` runs where the file is open (the tessellation process) and returns plain
:class:`ElementInfo` records; :func:`build_spatial_tree` nests them (project -> site -> facility ->
parts -> elements); :func:`read_properties` reads all property sets and quantities of one element,
with units, from an open file (the model opens it lazily for that).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import ifcopenshell
import ifcopenshell.util.unit

PropertyValue = tuple[Any, str | None]
"""A property's value and its unit symbol (None when unitless or unknown)."""

_PARENT_RELATIONS = (  # (relation, attribute holding the parent, attribute holding the children)
    ("IfcRelAggregates", "RelatingObject", "RelatedObjects"),
    ("IfcRelContainedInSpatialStructure", "RelatingStructure", "RelatedElements"),
    ("IfcRelNests", "RelatingObject", "RelatedObjects"),
    ("IfcRelVoidsElement", "RelatingBuildingElement", "RelatedOpeningElement"),
)


@dataclass(frozen=True)
class ElementInfo:
    """Identity of one IFC object (the project, a spatial element or a product).

    Attributes
    ----------
    step_id : int
        The instance id in the file (``#123``); stable for one file content.
    global_id : str
        The IFC GlobalId.
    ifc_class : str
        Entity name, e.g. ``"IfcWall"``.
    name, object_type, predefined_type : str or None
        As written; ``predefined_type`` falls back to the type object's.
    parent : str or None
        GlobalId of the spatial container or aggregate (or voided element, for openings).
    spatial : bool
        Whether it belongs to the spatial structure (project, site, facility, part, storey...).
    """

    step_id: int
    global_id: str
    ifc_class: str
    name: str | None = None
    object_type: str | None = None
    predefined_type: str | None = None
    parent: str | None = None
    spatial: bool = False


@dataclass
class SpatialNode:
    """A node of the spatial tree.

    Attributes
    ----------
    element : int
        Index into :attr:`IfcModel.elements`.
    global_id, ifc_class : str
        Copied from the element for convenience.
    name : str or None
        The element's name.
    children : list of SpatialNode
        Aggregated parts, contained elements and nested objects, in file order.
    """

    element: int
    global_id: str
    ifc_class: str
    name: str | None
    children: list[SpatialNode] = field(default_factory=list, repr=False)

    def walk(self) -> list[SpatialNode]:
        """Return this node and all below it, depth first."""
        nodes, stack = [], [self]
        while stack:
            node = stack.pop()
            nodes.append(node)
            stack.extend(reversed(node.children))
        return nodes


def _is_spatial(entity: Any) -> bool:
    return entity.is_a("IfcSpatialElement") or entity.is_a("IfcSpatialStructureElement") or (
        entity.is_a("IfcContext") or entity.is_a("IfcProject"))


def _predefined_type(entity: Any) -> str | None:
    value = getattr(entity, "PredefinedType", None)
    if value in (None, "NOTDEFINED"):
        for rel in getattr(entity, "IsTypedBy", None) or getattr(entity, "IsDefinedBy", ()) or ():
            if rel.is_a("IfcRelDefinesByType"):
                value = getattr(rel.RelatingType, "PredefinedType", None) or value
    return value


def _parents(ifc_file: ifcopenshell.file) -> dict[int, str]:
    parents: dict[int, str] = {}
    for relation, parent_attr, children_attr in reversed(_PARENT_RELATIONS):
        for rel in ifc_file.by_type(relation):
            parent = getattr(rel, parent_attr)
            children = getattr(rel, children_attr)
            if parent is None or children is None or not hasattr(parent, "GlobalId"):
                continue
            for child in children if isinstance(children, tuple) else (children,):
                parents[child.id()] = parent.GlobalId
    return parents


def extract_elements(ifc_file: ifcopenshell.file) -> list[ElementInfo]:
    """Return the project, spatial elements and products of an open file, in file order.

    Parameters
    ----------
    ifc_file : ifcopenshell.file
        The open model.

    Returns
    -------
    list of ElementInfo
        One per IfcProject/IfcContext and IfcProduct.
    """
    parents = _parents(ifc_file)
    roots = list(ifc_file.by_type("IfcProject"))
    if ifc_file.schema != "IFC2X3":
        roots += [c for c in ifc_file.by_type("IfcContext") if not c.is_a("IfcProject")]
    entities = sorted({e.id(): e for e in [*roots, *ifc_file.by_type("IfcProduct")]}.items())
    return [
        ElementInfo(
            step_id=step_id, global_id=entity.GlobalId, ifc_class=entity.is_a(),
            name=entity.Name, object_type=getattr(entity, "ObjectType", None),
            predefined_type=_predefined_type(entity), parent=parents.get(step_id),
            spatial=_is_spatial(entity))
        for step_id, entity in entities
    ]


def build_spatial_tree(elements: Sequence[ElementInfo]) -> SpatialNode | None:
    """Nest elements under their parents, from the project down.

    Parameters
    ----------
    elements : sequence of ElementInfo
        All elements of a model.

    Returns
    -------
    SpatialNode or None
        The project (the first root); objects without a parent hang under it. None if empty.
    """
    nodes = [SpatialNode(i, e.global_id, e.ifc_class, e.name) for i, e in enumerate(elements)]
    by_guid = {e.global_id: nodes[i] for i, e in enumerate(elements)}
    roots = [n for e, n in zip(elements, nodes, strict=True)
             if e.parent is None or e.parent not in by_guid]
    if not roots:
        return None
    projects = [n for n in roots if n.ifc_class == "IfcProject"]
    root = projects[0] if projects else roots[0]
    for element, node in zip(elements, nodes, strict=True):
        parent = by_guid.get(element.parent) if element.parent else None
        if parent is not None and parent is not node:
            parent.children.append(node)
        elif node is not root:
            root.children.append(node)
    return root


def _unit(prop: Any, ifc_file: ifcopenshell.file) -> str | None:
    try:
        unit = ifcopenshell.util.unit.get_property_unit(prop, ifc_file)
        return ifcopenshell.util.unit.get_unit_symbol(unit) if unit is not None else None
    except (AttributeError, KeyError, TypeError, ValueError, RuntimeError):
        return None


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return getattr(value, "wrappedValue", value)


def _property(prop: Any, ifc_file: ifcopenshell.file) -> dict[str, PropertyValue]:
    name, unit = prop.Name, _unit(prop, ifc_file)
    if prop.is_a("IfcPropertySingleValue"):
        return {name: (_plain(prop.NominalValue), unit)}
    if prop.is_a("IfcPropertyEnumeratedValue"):
        return {name: (_plain(prop.EnumerationValues or ()), unit)}
    if prop.is_a("IfcPropertyListValue"):
        return {name: (_plain(prop.ListValues or ()), unit)}
    if prop.is_a("IfcPropertyBoundedValue"):
        return {name: ((_plain(prop.LowerBoundValue), _plain(prop.UpperBoundValue)), unit)}
    if prop.is_a("IfcPropertyTableValue"):
        table = dict(zip(_plain(prop.DefiningValues or ()), _plain(prop.DefinedValues or ()),
                         strict=False))
        return {name: (table, unit)}
    if prop.is_a("IfcComplexProperty"):
        nested: dict[str, PropertyValue] = {}
        for sub in prop.HasProperties or ():
            nested.update({f"{name}.{k}": v for k, v in _property(sub, ifc_file).items()})
        return nested
    if prop.is_a("IfcPhysicalSimpleQuantity"):
        return {name: (_plain(prop[3]), unit)}
    if prop.is_a("IfcPhysicalComplexQuantity"):
        nested = {}
        for sub in prop.HasQuantities or ():
            nested.update({f"{name}.{k}": v for k, v in _property(sub, ifc_file).items()})
        return nested
    return {name: (None, None)}


def _definitions(entity: Any) -> list[Any]:
    """Return the type's property definitions first, then the occurrence's own."""
    type_sets: list[Any] = []
    own: list[Any] = []
    relations = [*(getattr(entity, "IsTypedBy", None) or ()),
                 *(getattr(entity, "IsDefinedBy", None) or ())]
    for rel in relations:
        if rel.is_a("IfcRelDefinesByType"):
            type_sets += list(rel.RelatingType.HasPropertySets or ())
        elif rel.is_a("IfcRelDefinesByProperties"):
            definition = rel.RelatingPropertyDefinition
            own += list(definition) if isinstance(definition, tuple) else [definition]
    return type_sets + own


def read_properties(ifc_file: ifcopenshell.file, entity: Any
                    ) -> dict[str, dict[str, PropertyValue]]:
    """Read all property sets and quantity sets of one element, with units.

    Properties of the element's type come first; the occurrence's own override them.

    Parameters
    ----------
    ifc_file : ifcopenshell.file
        The open model (for project default units).
    entity : ifcopenshell.entity_instance
        The element.

    Returns
    -------
    dict
        ``{set name: {property name: (value, unit symbol or None)}}``; list-like values as
        tuples, bounded values as ``(lower, upper)``, complex properties flattened as
        ``"Complex.Sub"``.
    """
    result: dict[str, dict[str, PropertyValue]] = {}
    for definition in _definitions(entity):
        if definition.is_a("IfcPropertySet"):
            items = definition.HasProperties or ()
        elif definition.is_a("IfcElementQuantity"):
            items = definition.Quantities or ()
        else:
            continue
        target = result.setdefault(definition.Name or f"#{definition.id()}", {})
        for item in items:
            target.update(_property(item, ifc_file))
    return result
