"""Fixtures for the BCF tests: the Xinchuansha scene, its model frame, archives of test data.

The official XSDs are read from ../shared/schemas/bcf (as other tests read ../shared/samples);
``twin_app.io.bcf.validate.schema_folder`` finds them there.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import ifcopenshell
import pytest
from PIL import Image

from twin_app.core.scene_loader import SceneDocument, load_scene
from twin_app.io.bcf import ModelFrame, model_frame_for_scene

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def xinchuansha() -> SceneDocument:
    return load_scene("xinchuansha")


@pytest.fixture(scope="session")
def frame(xinchuansha: SceneDocument) -> ModelFrame:
    return model_frame_for_scene(xinchuansha)


@pytest.fixture(scope="session")
def model_ids(xinchuansha: SceneDocument) -> dict[str, str]:
    """Element name -> GlobalId of the Xinchuansha model."""
    model = ifcopenshell.open(str(xinchuansha.resolve(xinchuansha.spec.assets[0].file)))
    return {element.Name: element.GlobalId for element in model.by_type("IfcElement")}


def png_bytes(width: int = 40, height: int = 30, colour: tuple[int, int, int] = (200, 40, 40)
              ) -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(stream, format="PNG")
    return stream.getvalue()


def zip_folder(folder: Path, out: Path) -> Path:
    """Zip a hand-written BCF folder, adding a PNG for every snapshot its markups name."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder).as_posix()
            if path.is_dir():
                archive.writestr(name + "/", b"")
                continue
            archive.write(path, name)
            if path.name == "markup.bcf":
                for snapshot in re.findall(r"<Snapshot>([^<]+)</Snapshot>",
                                           path.read_text(encoding="utf-8")):
                    archive.writestr(f"{path.parent.name}/{snapshot}", png_bytes(64, 36))
    return out


@pytest.fixture
def hand_written(tmp_path: Path) -> Callable[[str], Path]:
    """Return a function that zips ``data/<name>`` into a .bcfzip in ``tmp_path``."""
    def make(name: str) -> Path:
        return zip_folder(DATA / name, tmp_path / f"{name}.bcfzip")

    return make
