"""Build test plugins as a real installed distribution (a dist-info with entry_points.txt).

:func:`build_site` writes a folder that, once on ``sys.path``, makes ``importlib.metadata`` find
a distribution ``fake-sim-plugins`` with good and broken entry points in ``twin_app.simulations``.
Worker processes started with "spawn" inherit ``sys.path``, so they find it too.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import rasterio
from affine import Affine

MANIFEST = """\
schema_version = 1
id = "{id}"
version = "0.0.1"
name = {{ zh = "测试", en = "Test {id}" }}
model = "fake_models.models:{cls}"

[outputs]
depth_variable = "surface_water__depth"
wet_threshold_m = 0.1

[[variables]]
name = "surface_water__depth"
units = "m"
intent = "out"
location = "node"
doc = "Depth"

[[variables]]
name = "water_surface__elevation"
units = "m"
intent = "out"
location = "scalar"
doc = "Level"

[[variables]]
name = "water_inflow__extra_rate"
units = "m3 s-1"
intent = "in"
location = "scalar"
doc = "Extra inflow"

[[parameters]]
name = "rate_m_h"
units = "m h-1"
default = 1.0
min = 0.0
max = 10.0
doc = "How fast the water rises"

[[parameters]]
name = "sleep_s"
units = "s"
default = 0.0
min = 0.0
max = 10.0
doc = "Wall time each step sleeps"

[[boundaries]]
name = "inflow"
units = "m3 s-1"
doc = "Inflow"
"""

MODELS = '''\
"""Test models: one that works, and ones that raise, hang, segfault or abort."""
import ctypes
import os
import time
from pathlib import Path

import numpy as np

from twin_app.sim.manifest import tables_from_manifest
from twin_app.sim.sdk import GridInfo, Simulation

HERE = Path(__file__).parent


class Ramp(Simulation):
    tables = tables_from_manifest(HERE / "ramp.toml")
    name = "ramp"

    def initialize(self, config):
        self.grid = GridInfo(shape=(4, 5), spacing=(10.0, 20.0), origin=(3000000.0, 500000.0),
                             crs=config.crs)
        self.rate = config.parameters["rate_m_h"] / 3600.0
        self.sleep = config.parameters["sleep_s"]
        self.time_step = 60.0
        self.fields["surface_water__depth"] = np.zeros(self.grid.shape)
        self.fields["water_surface__elevation"] = np.zeros(1)
        self.fields["water_inflow__extra_rate"] = np.zeros(1)

    def update(self):
        if self.sleep:
            time.sleep(self.sleep)
        self.time += self.time_step
        depth = self.fields["surface_water__depth"]
        depth[:] = self.rate * self.time * np.linspace(0.0, 1.0, depth.size).reshape(depth.shape)
        self.fields["water_surface__elevation"][0] = depth.max()

    def mass_balance_error(self):
        return 0.0


class Raises(Ramp):
    tables = tables_from_manifest(HERE / "raises.toml")

    def update(self):
        super().update()
        if self.time > 120:
            raise RuntimeError("boom in update at 180 s")


class Hangs(Ramp):
    tables = tables_from_manifest(HERE / "hangs.toml")

    def update(self):
        time.sleep(3600)


class Segfaults(Ramp):
    tables = tables_from_manifest(HERE / "segfaults.toml")

    def update(self):
        ctypes.string_at(0)


class Aborts(Ramp):
    tables = tables_from_manifest(HERE / "aborts.toml")

    def update(self):
        os.abort()
'''

GOOD = {"fake_ramp": ("ramp", "Ramp"), "fake_raises": ("raises", "Raises"),
        "fake_hangs": ("hangs", "Hangs"), "fake_segfaults": ("segfaults", "Segfaults"),
        "fake_aborts": ("aborts", "Aborts")}
"""Plugins whose manifests are valid: id -> (manifest file stem, model class)."""

BROKEN = {
    "fake_bad_manifest": "unknown key 'colour'",
    "fake_missing_file": "has no file 'nowhere.toml'",
    "fake_id_mismatch": "differs from the entry point name",
    "fake_import_error": "",
}


def build_site(root: Path) -> Path:
    """Write the fake distribution under ``root``; return the folder to put on ``sys.path``."""
    site = root / "site"
    package = site / "fake_models"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "models.py").write_text(MODELS, encoding="utf-8")
    for plugin_id, (stem, cls) in GOOD.items():
        (package / f"{stem}.toml").write_text(MANIFEST.format(id=plugin_id, cls=cls),
                                              encoding="utf-8")
    (package / "bad.toml").write_text(
        MANIFEST.format(id="fake_bad_manifest", cls="Ramp").replace(
            'version = "0.0.1"', 'version = "0.0.1"\ncolour = "red"'), encoding="utf-8")
    (package / "mismatch.toml").write_text(MANIFEST.format(id="another_id", cls="Ramp"),
                                           encoding="utf-8")
    broken_pkg = site / "fake_broken_pkg"
    broken_pkg.mkdir()
    (broken_pkg / "__init__.py").write_text("", encoding="utf-8")
    (broken_pkg / "model.py").write_text("import module_that_does_not_exist_xyz\n",
                                         encoding="utf-8")
    (broken_pkg / "plugin.toml").write_text(
        MANIFEST.format(id="fake_import_error", cls="Ramp").replace(
            "fake_models.models:Ramp", "fake_broken_pkg.model:Model"), encoding="utf-8")
    dist = site / "fake_sim_plugins-0.0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-sim-plugins\n"
                                   "Version: 0.0.1\n", encoding="utf-8")
    entries = [f'{pid} = fake_models:{stem}.toml' for pid, (stem, _) in GOOD.items()]
    entries += ["fake_bad_manifest = fake_models:bad.toml",
                "fake_missing_file = fake_models:nowhere.toml",
                "fake_id_mismatch = fake_models:mismatch.toml",
                "fake_import_error = fake_broken_pkg:plugin.toml"]
    (dist / "entry_points.txt").write_text(
        "[twin_app.simulations]\n" + "\n".join(entries) + "\n", encoding="utf-8")
    return site


def write_dem(path: Path, *, rows: int = 24, cols: int = 30, cell: float = 10.0,
              crs: str = "EPSG:4549") -> Path:
    """Write a small north-up GeoTIFF DEM: a bowl 2 m deep in a 5 m plain."""
    yy, xx = np.mgrid[0:rows, 0:cols]
    radius = np.hypot((yy - rows / 2) / rows, (xx - cols / 2) / cols)
    heights = (3.0 + 4.0 * radius).astype(np.float32)
    with rasterio.open(path, "w", driver="GTiff", width=cols, height=rows, count=1,
                       dtype="float32", crs=crs,
                       transform=Affine(cell, 0.0, 600000.0, 0.0, -cell, 3470000.0)) as dataset:
        dataset.write(heights, 1)
    return path


def case_text(body: str) -> str:
    """Return a case file: ``body`` dedented."""
    return textwrap.dedent(body).lstrip()


SCENE = """\
schema_version = 1
id = "bowl"
name = { zh = "碗形洼地", en = "Bowl" }
illustrative_note = { zh = "全部为示意数据。", en = "Everything here is illustrative." }
origin = [600150.0, 3469880.0, 0.0]

[crs]
horizontal = "EPSG:4549"

[vertical_datum]
name = { zh = "吴淞高程", en = "Wusong datum" }
to_nhd1985_m = -1.66

[terrain]
file = "terrain/dem.tif"

[[sensors]]
id = "WL-1"
kind = "water_level"
name = { zh = "洼地水位", en = "Bowl level" }
position = [600150.0, 3469880.0, 3.0]
unit = "m"

[[sensors]]
id = "PF-1"
kind = "pump_flow"
name = { zh = "泵站流量", en = "Pump flow" }
position = [600100.0, 3469900.0, 3.0]
unit = "m3/s"

[[scenarios]]
id = "bathtub"
name = { zh = "浴缸", en = "Bathtub" }
plugin = "twin_example"
duration_h = 0.5
output_interval_min = 10.0

[scenarios.parameters]
rainfall_mm_h = 50.0
coarsen = 2

[[scenarios]]
id = "too_wet"
name = { zh = "过湿", en = "Too wet" }
plugin = "twin_example"
duration_h = 1.0

[scenarios.parameters]
rainfall_mm_h = 5000.0
"""


def write_scene(folder: Path) -> Path:
    """Write a scene (a bowl DEM, one gauge, two twin_example scenarios); return its folder."""
    (folder / "terrain").mkdir(parents=True)
    write_dem(folder / "terrain" / "dem.tif")
    (folder / "scene.toml").write_text(SCENE, encoding="utf-8")
    return folder
