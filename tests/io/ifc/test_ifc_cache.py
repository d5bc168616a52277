"""The tessellation cache: warm opens return equal data, fast; changes and corruption rebuild."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from ifc_samples import DUPLEX, UTM, WORKS

from twin_app.io.ifc import IfcModel, TessellationSettings, load_ifc_model
from twin_app.io.ifc.cache import TessellationCache, cache_key, file_sha256


def assert_same_model(a: IfcModel, b: IfcModel) -> None:
    assert a.elements == b.elements
    assert a.skipped == b.skipped and a.warnings == b.warnings
    assert a.header == b.header and a.schema == b.schema
    assert (a.georeference is None) == (b.georeference is None)
    if a.georeference is not None:
        assert a.georeference.to_dict() == b.georeference.to_dict()
    assert len(a.meshes) == len(b.meshes)
    for x, y in zip(a.meshes, b.meshes, strict=True):
        assert (x.geometry_id, x.kernel, x.materials) == (y.geometry_id, y.kernel, y.materials)
        np.testing.assert_array_equal(x.vertices, y.vertices)
        np.testing.assert_array_equal(x.triangles, y.triangles)
        np.testing.assert_array_equal(x.material_ids, y.material_ids)
        np.testing.assert_array_equal(x.edges, y.edges)
    for name in ("element", "mesh", "matrix"):
        np.testing.assert_array_equal(getattr(a.instances, name), getattr(b.instances, name))


def test_a_warm_open_returns_the_same_model_at_least_20x_faster(tmp_path: Path):
    cold = load_ifc_model(DUPLEX, cache_dir=tmp_path)
    warm = load_ifc_model(DUPLEX, cache_dir=tmp_path)
    assert not cold.timings.from_cache and warm.timings.from_cache
    assert_same_model(cold, warm)
    assert warm.timings.cold_s == pytest.approx(cold.timings.cold_s)
    assert warm.timings.cold_s / warm.timings.warm_s >= 20
    assert warm.content_hash == file_sha256(DUPLEX)
    assert warm.element_properties(warm.elements[1].global_id) == cold.element_properties(
        cold.elements[1].global_id)


def test_the_cache_survives_a_new_cache_object_and_follows_the_content(tmp_path: Path):
    cache_dir = tmp_path / "cache"
    copy = tmp_path / "renamed.ifc"
    shutil.copyfile(UTM, copy)
    load_ifc_model(UTM, cache_dir=cache_dir)
    moved = load_ifc_model(copy, cache_dir=cache_dir)  # same bytes elsewhere: a hit
    assert moved.timings.from_cache and moved.path == copy and moved.header.path == copy


def test_a_changed_file_is_tessellated_again(tmp_path: Path):
    path = tmp_path / "xinchuansha.ifc"
    shutil.copyfile(WORKS[-1], path)
    first = load_ifc_model(path, cache_dir=tmp_path / "cache")
    data = path.read_bytes()
    # the owner history's entity number changes whenever the model gains entities
    (old,) = re.findall(rb"IFCPUMP\('0efkfldg9VBfmv3Jj9umpH',#\d+,'Pump unit 1'", data)
    path.write_bytes(data.replace(old, old.replace(b"unit 1", b"unit A")))
    second = load_ifc_model(path, cache_dir=tmp_path / "cache")
    assert not second.timings.from_cache
    assert second.content_hash != first.content_hash
    assert "Pump unit A" in {e.name for e in second.elements}
    assert load_ifc_model(path, cache_dir=tmp_path / "cache").timings.from_cache


def test_other_settings_do_not_share_entries(tmp_path: Path):
    load_ifc_model(WORKS[0], cache_dir=tmp_path)
    occ_only = TessellationSettings(kernels=("opencascade",))
    model = load_ifc_model(WORKS[0], cache_dir=tmp_path, settings=occ_only)
    assert not model.timings.from_cache
    assert {m.kernel for m in model.meshes} == {"opencascade"}
    assert cache_key("x", occ_only) != cache_key("x", TessellationSettings())


@pytest.mark.parametrize("damage", ["garbage npz", "truncated npz", "bad json", "no npz"])
def test_a_corrupt_entry_is_logged_and_rebuilt(tmp_path: Path, damage: str,
                                               caplog: pytest.LogCaptureFixture):
    original = load_ifc_model(WORKS[0], cache_dir=tmp_path)
    key = cache_key(file_sha256(WORKS[0]), TessellationSettings())
    npz, meta = TessellationCache(tmp_path).paths(key)
    if damage == "garbage npz":
        npz.write_bytes(b"not a zip file")
    elif damage == "truncated npz":
        npz.write_bytes(npz.read_bytes()[:200])
    elif damage == "bad json":
        meta.write_text("{", encoding="utf-8")
    else:
        npz.unlink()
    with caplog.at_level(logging.WARNING, logger="twin_app.io.ifc.cache"):
        rebuilt = load_ifc_model(WORKS[0], cache_dir=tmp_path)
    assert not rebuilt.timings.from_cache
    assert any("unreadable" in r.getMessage() and "rebuilding" in r.getMessage()
               for r in caplog.records)
    assert_same_model(original, rebuilt)
    assert load_ifc_model(WORKS[0], cache_dir=tmp_path).timings.from_cache


def test_use_cache_false_writes_nothing(tmp_path: Path):
    load_ifc_model(WORKS[0], cache_dir=tmp_path, use_cache=False)
    assert list(tmp_path.iterdir()) == []
