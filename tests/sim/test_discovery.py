"""Discovery through real entry points: good plugins ok, broken ones listed with the reason."""

import json
import os
import subprocess
import sys

import pytest

from tests.sim.factory import BROKEN, GOOD
from twin_app.sim.discovery import (
    PluginLoadError,
    PluginNotFoundError,
    check_plugin,
    discover_plugins,
    find_plugin,
    load_model_class,
    load_tables,
)
from twin_app.sim.sdk import Simulation


def test_lists_good_and_broken_plugins_without_raising(fake_site):
    records = {record.id: record for record in discover_plugins()}
    for plugin_id in GOOD:
        assert records[plugin_id].status == "ok", records[plugin_id].reason
        assert records[plugin_id].distribution == "fake-sim-plugins 0.0.1"
    for plugin_id, reason in BROKEN.items():
        if plugin_id == "fake_import_error":
            continue
        assert records[plugin_id].status == "broken"
        assert reason in records[plugin_id].reason
    assert records["fake_bad_manifest"].reason.startswith("bad manifest:")
    assert "bad.toml:" in records["fake_bad_manifest"].reason  # file:line
    assert records["twin_example"].status == "ok"


def test_import_errors_show_on_use_not_on_listing(fake_site):
    record = find_plugin("fake_import_error")
    assert record.status == "ok"  # the manifest is fine; the code is not imported yet
    checked = check_plugin(record)
    assert checked.status == "broken"
    assert "module_that_does_not_exist_xyz" in checked.reason
    with pytest.raises(PluginLoadError, match=r"importing fake_broken_pkg\.model:Model failed"):
        load_model_class(record)


def test_listing_imports_no_plugin_code(fake_site):
    probe = ("import json, sys\nfrom twin_app.sim.discovery import discover_plugins\n"
             "ids = [r.id for r in discover_plugins()]\n"
             "print(json.dumps([ids, sorted(m for m in sys.modules if m.startswith("
             "('fake_models', 'fake_broken_pkg', 'twin_example')))]))")
    env = {**os.environ, "PYTHONPATH": str(fake_site)}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=False, env=env)
    assert out.returncode == 0, out.stderr
    ids, imported = json.loads(out.stdout)
    assert "fake_ramp" in ids
    assert imported == []


def test_loads_model_class_and_tables_on_use(fake_site):
    record = find_plugin("fake_ramp")
    model = load_model_class(record)
    assert issubclass(model, Simulation)
    assert load_tables(record) == model.tables
    assert [p.name for p in load_tables(record).parameters] == ["rate_m_h", "sleep_s"]


def test_unknown_plugin_lists_installed_ones(fake_site):
    with pytest.raises(PluginNotFoundError, match="no simulation plugin 'nope'") as info:
        find_plugin("nope")
    assert "fake_ramp" in info.value.hint
