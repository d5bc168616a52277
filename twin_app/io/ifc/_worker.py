"""The tessellation child process: ``python -m twin_app.io.ifc._worker``.

It reads commands from stdin and writes messages to its original stdout, as pickle frames (see
``_supervisor`` for the protocol). Its file descriptor 1 is pointed at stderr first, because the
geometry kernel prints debugging text to stdout on some files.

Test hook: ``TWIN_APP_IFC_FAULT="crash:<GlobalId>,hang:<GlobalId>"`` makes this process kill
itself with SIGSEGV (``crash``) or sleep for an hour (``hang``) when it reaches the element with
that GlobalId, so tests can exercise the parent's crash and hang isolation on any file.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from pathlib import Path
from typing import Any, BinaryIO

import ifcopenshell
import ifcopenshell.geom
import numpy as np

from twin_app.io.ifc import _ifclog
from twin_app.io.ifc._protocol import FAULT_ENV, read_frame, write_frame
from twin_app.io.ifc.elements import extract_elements
from twin_app.io.ifc.georef import read_georeference
from twin_app.io.ifc.model import TessellationSettings

_FLUSH_SHAPES = 64
_END_SEGMENT = re.compile(r"IfcCurveSegment\(\.DISCONTINUOUS\.", re.IGNORECASE)
"""The zero-length end segment of an IFC 4.3 alignment: no geometry by design, not an error."""
_FLUSH_SECONDS = 0.1


def _faults() -> dict[str, str]:
    faults = {}
    for item in os.environ.get(FAULT_ENV, "").split(","):
        kind, _, guid = item.strip().partition(":")
        if kind in ("crash", "hang") and guid:
            faults[guid] = kind
    return faults


_FAULTS = _faults()


def _fault_hook(global_id: str) -> None:
    kind = _FAULTS.get(global_id)
    if kind == "crash":
        if hasattr(signal, "SIGSEGV") and os.name == "posix":
            os.kill(os.getpid(), signal.SIGSEGV)
        os._exit(139)
    elif kind == "hang":
        time.sleep(3600)


class Worker:
    """Holds the open file and the geometry ids already sent, and answers commands."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.file: Any = None
        self.settings: Any = None
        self.exclude: list[str] = []
        self.sent: set[str] = set()
        self.with_geometry: set[int] = set()
        self.candidates: list[int] = []
        self.profile_space: set[int] = set()

    def send(self, *message: Any) -> None:
        """Send one message to the parent."""
        write_frame(self.out, message)

    def open(self, path: str, settings: dict[str, Any], exclude: list[str],
             known_geometry: list[str], want_elements: bool) -> None:
        """Parse the file, report parse problems, elements, georeference and candidates."""
        started = time.perf_counter()
        _ifclog.start_capture()
        self.file = ifcopenshell.open(path)
        problems = [(r.offset, r.instance, r.describe())
                    for r in _ifclog.take_log() if r.is_parse_problem]
        self.send("opened", self.file.schema, time.perf_counter() - started, problems[:200],
                  len(problems))
        self.settings = ifcopenshell.geom.settings()
        for name, value in settings.items():
            self.settings.set(name, value)
        self.exclude = exclude
        self.sent = set(known_geometry)
        if want_elements:
            elements = [(e.step_id, e.global_id, e.ifc_class, e.name, e.object_type,
                         e.predefined_type, e.parent, e.spatial)
                        for e in extract_elements(self.file)]
            self.send("elements", elements, read_georeference(self.file, check_area=False))
        self.profile_space = _profile_space_segments(self.file)
        self.candidates = [p.id() for p in self.file.by_type("IfcProduct")
                           if p.Representation is not None and p.id() not in self.profile_space
                           and not any(p.is_a(c) for c in exclude)]
        self.send("candidates", self.candidates)

    def tessellate(self, unit: int, kernel: str, mode: str, ids: list[int] | None) -> None:
        """Tessellate the given elements (all candidates if None) and report per element."""
        _ifclog.take_log()
        self.with_geometry = set()
        if mode == "single":
            self._single(unit, kernel, ids or [])
        else:
            self._batch(unit, kernel, ids)
        self.send("unit_done", unit, self._errors(ids if ids is not None else self.candidates),
                  _peak_rss_mb())

    def _iterator(self, kernel: str, include: list[Any] | None) -> Any:
        if include is not None:
            return ifcopenshell.geom.iterator(self.settings, self.file, 1, include=include,
                                              geometry_library=kernel)
        return ifcopenshell.geom.iterator(self.settings, self.file, 1, exclude=self.exclude,
                                          geometry_library=kernel)

    def _batch(self, unit: int, kernel: str, ids: list[int] | None) -> None:
        if ids is not None and not ids:
            self.send("unit", unit, True, "")
            return
        include = [self.file.by_id(i) for i in ids] if ids is not None else None
        try:
            iterator = self._iterator(kernel, include)
        except (RuntimeError, ValueError) as exc:
            self.send("unit", unit, False, f"{kernel}: {exc}")
            return
        self.send("unit", unit, True, "")
        records: list[tuple[Any, ...]] = []
        empties: list[int] = []
        flushed, first = time.perf_counter(), True
        if not iterator.initialize():
            return
        while True:
            shape = iterator.get()
            _fault_hook(shape.guid)
            self._record(shape, kernel, records, empties)
            if first or len(records) + len(empties) >= _FLUSH_SHAPES or (
                    time.perf_counter() - flushed > _FLUSH_SECONDS):
                first = False
                self.send("shapes", records, empties, iterator.progress() / 100.0)
                records, empties, flushed = [], [], time.perf_counter()
            if not iterator.next():
                break
        self.send("shapes", records, empties, 1.0)

    def _single(self, unit: int, kernel: str, ids: list[int]) -> None:
        self.send("unit", unit, True, "")
        for done, step_id in enumerate(ids):
            self.send("start", step_id)
            element = self.file.by_id(step_id)
            _fault_hook(element.GlobalId)
            records: list[tuple[Any, ...]] = []
            empties: list[int] = []
            try:
                iterator = self._iterator(kernel, [element])
                if iterator.initialize():
                    while True:
                        self._record(iterator.get(), kernel, records, empties)
                        if not iterator.next():
                            break
            except RuntimeError as exc:
                self.send("element_error", step_id, f"{kernel}: {exc}")
            if not records and not empties:
                empties.append(step_id)
            self.send("shapes", records, empties, (done + 1) / max(len(ids), 1))

    def _record(self, shape: Any, kernel: str, records: list[tuple[Any, ...]],
                empties: list[int]) -> None:
        if shape.id in self.profile_space:
            return
        geometry = shape.geometry
        faces = bytes(geometry.faces_buffer)
        edges = bytes(geometry.edges_buffer) if not faces else b""
        if not faces and not edges:
            empties.append(shape.id)
            return
        self.with_geometry.add(shape.id)
        matrix = np.frombuffer(shape.transformation_buffer, dtype=np.float64).reshape(
            (4, 4), order="F")
        payload = None
        if geometry.id not in self.sent:
            self.sent.add(geometry.id)
            colours = np.frombuffer(geometry.colors_buffer, dtype=np.float64).reshape(-1, 4)
            materials = [(m.name, tuple(float(c) for c in colours[i]))
                         for i, m in enumerate(geometry.materials)]
            payload = (bytes(geometry.verts_buffer), faces,
                       bytes(geometry.material_ids_buffer), materials, edges)
        records.append((shape.id, geometry.id, np.ascontiguousarray(matrix).tobytes(),
                        payload, kernel))

    def _errors(self, ids: list[int]) -> dict[int, str]:
        """Map logged kernel errors to the unit's products that got no geometry."""
        errors: dict[int, list[str]] = {}
        by_instance: dict[int, list[str]] = {}
        for record in _ifclog.take_log():
            if record.level != "error" or _END_SEGMENT.search(record.instance_text):
                continue
            if record.product is not None:
                errors.setdefault(record.product, []).append(record.describe())
            elif record.instance is not None:
                by_instance.setdefault(record.instance, []).append(record.describe())
        if by_instance:
            for step_id in ids:
                if step_id in self.with_geometry:
                    continue
                product = self.file.by_id(step_id)
                used = {e.id() for e in self.file.traverse(product.Representation)}
                for instance in used.intersection(by_instance):
                    errors.setdefault(step_id, []).extend(by_instance[instance])
        return {k: "; ".join(dict.fromkeys(v))[:600] for k, v in errors.items()}


def _peak_rss_mb() -> float:
    """Return this process's peak resident memory in MiB (0 where the OS does not say).

    On Linux VmHWM of /proc/self/status is used: ``ru_maxrss`` keeps the parent's resident
    size from before ``exec``, so it would report the app's memory, not this process's.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _profile_space_segments(ifc_file: Any) -> set[int]:
    """Return alignment segments drawn in distance-height space (vertical and cant layouts).

    Their curves are not placed in the model (they start at the origin), so they are not
    tessellated; the horizontal layout and the alignment's 3D curve are.
    """
    if not ifc_file.schema.startswith("IFC4X3"):
        return set()
    found: set[int] = set()
    for layout in [*ifc_file.by_type("IfcAlignmentVertical"),
                   *ifc_file.by_type("IfcAlignmentCant")]:
        for rel in layout.IsNestedBy or ():
            found.update(o.id() for o in rel.RelatedObjects if o.is_a("IfcAlignmentSegment"))
    return found


def _protocol_stream() -> BinaryIO:
    """Keep the real stdout for frames and point file descriptor 1 at stderr."""
    sys.stdout.flush()
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    return out


_WARM_UP_MODEL = """ISO-10303-21;
HEADER;
FILE_DESCRIPTION(('ViewDefinition [DesignTransferView]'),'2;1');
FILE_NAME('warm-up.ifc','2026-01-01T00:00:00',(''),(''),'twin_app','twin_app','');
FILE_SCHEMA(('{schema}'));
ENDSEC;
DATA;
#1=IFCPROJECT('0YvctVUKr0kugbFTf53O9L',$,'warm-up',$,$,$,$,(#6),#2);
#2=IFCUNITASSIGNMENT((#3));
#3=IFCSIUNIT(*,.LENGTHUNIT.,$,.METRE.);
#4=IFCCARTESIANPOINT((0.,0.,0.));
#5=IFCAXIS2PLACEMENT3D(#4,$,$);
#6=IFCGEOMETRICREPRESENTATIONCONTEXT($,'Model',3,1.E-05,#5,$);
#7=IFCGEOMETRICREPRESENTATIONSUBCONTEXT('Body','Model',*,*,*,*,#6,$,.MODEL_VIEW.,$);
#8=IFCLOCALPLACEMENT($,#5);
#9=IFCRECTANGLEPROFILEDEF(.AREA.,$,$,1.,1.);
#10=IFCDIRECTION((0.,0.,1.));
#11=IFCEXTRUDEDAREASOLID(#9,#5,#10,1.);
#12=IFCSHAPEREPRESENTATION(#7,'Body','SweptSolid',(#11));
#13=IFCPRODUCTDEFINITIONSHAPE($,$,(#12));
#14=IFCBUILDINGELEMENTPROXY('1YvctVUKr0kugbFTf53O9L',$,'box',$,$,#8,#13,$,$);
ENDSEC;
END-ISO-10303-21;
"""
"""A one-box model (valid in IFC2X3, IFC4 and IFC4X3) read before the process reports ready."""

WARM_UP_SCHEMAS = ("IFC2X3", "IFC4", "IFC4X3_ADD2")

WARM_UP_KERNELS = TessellationSettings().kernels


def warm_up(kernels: tuple[str, ...] = WARM_UP_KERNELS,
            schemas: tuple[str, ...] = WARM_UP_SCHEMAS) -> float:
    """Tessellate a one-box model in each schema with each kernel; return the seconds it took.

    The first iterator of a process loads and initialises the kernel's libraries and the
    schema's geometry mapping (about 60 ms for the two default kernels on the reference
    machine), and the first element read in a schema imports that schema's rules module (10
    to 15 ms each); doing both before reporting ready takes that cost out of the first load
    when the process was started in advance.  A kernel that fails here is only noted on stderr:
    the real load will report it properly.
    """
    started = time.perf_counter()
    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", False)
    models = {schema: ifcopenshell.file.from_string(_WARM_UP_MODEL.format(schema=schema))
              for schema in schemas}
    for model in models.values():
        extract_elements(model)
    for schema, kernel in ((s, k) for s in schemas for k in kernels):
        model = models[schema]
        try:
            iterator = ifcopenshell.geom.iterator(settings, model, 1, geometry_library=kernel)
            if iterator.initialize():
                while iterator.next():
                    pass
        except (RuntimeError, ValueError) as exc:
            sys.stderr.write(f"warm-up of kernel {kernel} ({schema}) failed: {exc}\n")
    return time.perf_counter() - started


def main() -> int:
    """Serve commands until ``quit`` or end of input; return the exit status."""
    worker = Worker(_protocol_stream())
    commands = sys.stdin.buffer
    warm_up()
    worker.send("ready", os.getpid())
    while True:
        command = read_frame(commands)
        if command is None or command[0] == "quit":
            return 0
        try:
            getattr(worker, command[0])(*command[1:])
        except ifcopenshell.SchemaError as exc:
            worker.send("error", "schema", str(exc))
            return 1
        except Exception as exc:  # noqa: BLE001  (any failure goes back to the parent as text)
            worker.send("error", type(exc).__name__, str(exc))
            return 1


if __name__ == "__main__":
    sys.exit(main())
