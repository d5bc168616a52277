"""BIM Collaboration Format (BCF 2.1 and 3.0): export and import of review topics.

- :func:`export_scene_bcf` / :func:`import_scene_bcf`: a scene's topics to and from a ``.bcf``.
- :func:`write_bcf` / :func:`read_bcf`: the same with an explicit :class:`ModelFrame`.
- :func:`validate_bcf`: check an archive against buildingSMART's XSDs.

Coordinates: BCF cameras and clipping planes are in the IFC model's world coordinates (the
scene's first IFC asset, converted with its IfcMapConversion), never in the render frame.  The
scenario and the clock time travel in a BIM snippet and in ``twin:`` labels that other tools ignore
(:mod:`twin_app.io.bcf.state`).
"""

from twin_app.io.bcf._xml import BcfReadError
from twin_app.io.bcf.frame import ModelFrame, model_frame_for_scene
from twin_app.io.bcf.reader import BcfImport, read_bcf
from twin_app.io.bcf.scene import export_scene_bcf, import_scene_bcf
from twin_app.io.bcf.validate import BcfSchemaNotFoundError, schema_folder, validate_bcf
from twin_app.io.bcf.writer import BcfValidationError, write_bcf

__all__ = [
    "BcfImport",
    "BcfReadError",
    "BcfSchemaNotFoundError",
    "BcfValidationError",
    "ModelFrame",
    "export_scene_bcf",
    "import_scene_bcf",
    "model_frame_for_scene",
    "read_bcf",
    "schema_folder",
    "validate_bcf",
    "write_bcf",
]
