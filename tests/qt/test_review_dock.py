"""The model-review panel in a real window on the Xinchuansha scene: topics, BCF, 4D, report."""

from datetime import UTC, datetime

import numpy as np
import pytest
from pypdf import PdfReader

from tests.qt.windows import window_on
from twin_app.render.colours import PLAN_DELTA_COLOURS

pytestmark = [pytest.mark.gui, pytest.mark.needs_rendering]


@pytest.fixture
def window(qtbot):
    with window_on(qtbot, "xinchuansha") as main:
        yield main


def _gate_leaf(window) -> str:
    model = window.view.geometry.models["xcs_hub"]
    guid = next(e.global_id for e in model.elements if e.name == "Gate leaf 2 (30 m)")
    return f"part:xcs_hub:{guid}"


def test_topic_from_the_view_restores_it_and_round_trips_through_bcf(qtbot, window, tmp_path):
    dock = window.review_dock
    leaf = _gate_leaf(window)
    window.workspace.selection = leaf
    window.go_to_viewpoint("hub_closeup")
    camera_before = np.array(window.plotter.camera.position)
    dock.title.setText("Gate 2 seal leaks at the sill")
    topic = dock.new_topic()
    assert topic.pinned_elements == (leaf.split(":")[-1],)  # pinned by IFC GlobalId
    assert topic.viewpoints[0].snapshot.startswith(b"\x89PNG")
    assert dock.store.board_file.is_file()
    dock.comment.setText("Check the bottom seal at the next low tide")
    assert dock.add_comment()
    dock._on_status_chosen(1)
    assert topic.status == "in_progress"
    window.reset_view()
    window.workspace.selection = None
    assert not np.allclose(window.plotter.camera.position, camera_before)
    dock.topics.setCurrentRow(0)
    assert dock.go_to_current()
    assert np.allclose(window.plotter.camera.position, camera_before, atol=0.05)
    assert window.workspace.selection == leaf
    for version in ("2.1", "3.0"):
        written = dock.export_bcf(tmp_path / f"review-{version}.bcf", version)
        assert written is not None and written.stat().st_size > 0, dock.status.text()
    assert dock.import_bcf(tmp_path / "review-3.0.bcf") == 1
    assert len(dock.board.topics) == 1  # the same GUID replaces the topic
    assert dock.board.topics[0].comments[0].text.startswith("Check the bottom seal")


def test_4d_hides_what_is_not_yet_built_and_the_report_is_written(qtbot, window, tmp_path):
    dock = window.review_dock
    assert dock.construction.isEnabled()
    dock.construction.setChecked(True)
    window.workspace.clock.set_time(datetime(2021, 6, 1, 4, tzinfo=UTC))  # before the base slab
    early = window.workspace.hidden
    assert early and "built" in dock.progress_label.text()
    window.workspace.clock.set_time(datetime(2024, 6, 1, 4, tzinfo=UTC))  # after water passed
    late = window.workspace.hidden
    assert len(late) < len(early)
    layer = window.view.geometry.layer("asset:xcs_hub")
    mapper = window.view.actors["asset:xcs_hub"][0].GetMapper()
    mapper.Update()
    assert mapper.GetInput().GetNumberOfCells() <= layer.mesh.n_cells
    dock.construction.setChecked(False)
    assert window.workspace.hidden == frozenset()
    report = dock.write_report(tmp_path / "meeting.pdf")
    assert report is not None
    pages = PdfReader(str(report)).pages
    assert len(pages) >= 1
    assert "Xinchuansha" in "".join(page.extract_text() for page in pages)


@pytest.mark.slow
def test_fly_through_video_is_made_in_a_child_process(qtbot, window, tmp_path):
    dock = window.review_dock
    out = tmp_path / "tour.mp4"
    process = dock.start_video(out, size=(320, 180), seconds=1.0)
    assert process is not None
    qtbot.waitUntil(lambda: dock.video_process is None, timeout=120_000)
    assert out.is_file() and out.stat().st_size > 1000, dock.status.text()


def test_planned_against_actual_colours_elements_ahead_on_plan_and_behind(qtbot, window):
    """On 2023-06-05 (schedule in bim_assets/xinchuansha/build_xinchuansha.py) the piers and
    basins (XCS-04, done 2023-05-20, planned to 07-31) are ahead, the sluice superstructure
    (XCS-06, planned from 06-01, begun 06-10) is behind, the pump superstructure (XCS-05) on
    plan; gates, control building and instruments (XCS-07 to 09) are begun in neither."""
    dock = window.review_dock
    tools = window.bim_tools
    layer = "asset:xcs_hub"
    model_colours = tools.tinted_colours(layer)
    schedule = dock.schedules["xcs_hub"]

    def items(task: str) -> list[str]:
        return [f"part:xcs_hub:{guid}" for guid in schedule.task(task).elements]

    dock.construction.setChecked(True)
    dock.plan_box.setCurrentIndex(2)
    window.workspace.clock.set_time(datetime(2023, 6, 5, 4, tzinfo=UTC))  # noon in Shanghai
    drawn = tools.tinted_colours(layer)  # read back from the actor's mapper
    green, grey, red = (tuple(int(PLAN_DELTA_COLOURS[key][i:i + 2], 16) for i in (1, 3, 5))
                        for key in ("ahead", "on_plan", "behind"))
    assert {drawn[item] for item in items("XCS-04")} == {green}
    assert {drawn[item] for item in items("XCS-06")} == {red}
    assert {drawn[item] for item in items("XCS-05") + items("XCS-01")} == {grey}
    assert not set(items("XCS-07") + items("XCS-09")) & set(drawn), "not begun: not drawn"
    assert dock.delta_counts == {"ahead": 11, "on_plan": 18, "behind": 11}
    assert "11" in dock.progress_label.text() and PLAN_DELTA_COLOURS["behind"] in \
        dock.progress_label.text()

    dock.plan_box.setCurrentIndex(0)  # actual progress: colours go, the model's come back
    assert window.workspace.tints == {}
    assert tools.tinted_colours(layer)[items("XCS-04")[0]] == model_colours[items("XCS-04")[0]]
    dock.plan_box.setCurrentIndex(2)
    assert tools.tinted_colours(layer)[items("XCS-06")[0]] == red
    dock.construction.setChecked(False)  # switched off: everything drawn in its own colours
    assert window.workspace.tints == {} and window.workspace.hidden == frozenset()
    assert tools.tinted_colours(layer) == model_colours
