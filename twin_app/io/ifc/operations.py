"""How live data moves or colours an IFC element: the ``Twin_Operation`` property set.

The works' models (``bim_assets/``) mark each gate leaf and pump unit with ``Twin_Operation``:
``DrivenBySensor`` (the scene sensor id), ``Behaviour`` (``translate`` for a gate leaf that moves
along ``MotionAxis`` up to ``TravelMax`` metres, ``state`` for a pump shown running or stopped)
and ``ModelledState`` (the position the geometry is drawn in).  Any model can do the same.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

OPERATION_PSET = "Twin_Operation"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ElementOperation:
    """One element that a sensor drives.

    Attributes
    ----------
    global_id : str
        The element.
    sensor_id : str
        The scene sensor whose readings drive it.
    behaviour : str
        ``"translate"`` (moves by the reading, in metres, along ``axis``) or ``"state"``
        (coloured by the reading: running / stopped).
    axis : tuple of float
        Unit direction of travel in the model's coordinates.
    travel_max : float
        Largest travel in metres (0: unlimited).
    """

    global_id: str
    sensor_id: str
    behaviour: Literal["translate", "state"]
    axis: tuple[float, float, float] = (0.0, 0.0, 1.0)
    travel_max: float = 0.0


def read_operations(ifc_file: Any) -> list[ElementOperation]:
    """Return every element's ``Twin_Operation`` in a model (an ``ifcopenshell.file``).

    Elements whose set is incomplete or malformed are skipped with a warning naming them.
    """
    import ifcopenshell.util.element as element_util

    operations = []
    for definition in ifc_file.by_type("IfcPropertySet"):
        if definition.Name != OPERATION_PSET:
            continue
        for relation in getattr(definition, "DefinesOccurrence", None) or ():
            for entity in relation.RelatedObjects:
                values = element_util.get_psets(entity).get(OPERATION_PSET, {})
                operation = _operation(entity.GlobalId, values)
                if operation is not None:
                    operations.append(operation)
    return operations


def _operation(global_id: str, values: dict[str, Any]) -> ElementOperation | None:
    sensor, behaviour = values.get("DrivenBySensor"), values.get("Behaviour")
    if not sensor or behaviour not in ("translate", "state"):
        logger.warning("element %s: %s needs DrivenBySensor and Behaviour translate|state; "
                       "ignored", global_id, OPERATION_PSET)
        return None
    axis = (0.0, 0.0, 1.0)
    if behaviour == "translate":
        try:
            vector = np.array([float(v) for v in str(values.get("MotionAxis", "0 0 1")).split()])
            if vector.shape != (3,) or not np.linalg.norm(vector):
                raise ValueError("not a 3-vector")
        except ValueError:
            logger.warning("element %s: MotionAxis %r is not three numbers; using 0 0 1",
                           global_id, values.get("MotionAxis"))
        else:
            axis = tuple(float(v) for v in vector / np.linalg.norm(vector))
    travel = values.get("TravelMax") or 0.0
    return ElementOperation(global_id, str(sensor), behaviour, axis,
                            float(travel) if isinstance(travel, int | float) else 0.0)
