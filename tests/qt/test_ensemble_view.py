"""The ensemble charts: exceedance staircases, warning lines and verdicts, failed members.

The view is shown in a real window on the Huangpu scene (its gauges and warning levels) with
aggregates of known peaks; the run from the dock itself is in test_outlook_dock.py.
"""

import numpy as np
import pytest

from tests.qt.windows import window_on
from twin_app.ensemble.aggregate import Aggregate
from twin_app.ensemble.member import MemberOutcome
from twin_app.ensemble.runner import EnsembleResult
from twin_app.qt.ensemble_view import EnsembleView, step_points

pytestmark = [pytest.mark.gui, pytest.mark.needs_rendering]

NAN = np.nan


@pytest.fixture
def window(qtbot):
    with window_on(qtbot, "huangpu") as main:
        yield main


def known_result(failed: int = 1) -> EnsembleResult:
    """Four aggregated members: Huangpu Park peaks at 4.2, 4.7 and 5.0 m, dry in the fourth."""
    levels = np.array([[4.2, 4.7, 5.0, NAN], [NAN, NAN, NAN, NAN]])
    depths = np.array([[9.0, 9.5, 9.8, 0.0], [0.0, 0.3, 0.0, 0.0]])
    aggregate = Aggregate(
        members=[0, 1, 2, 3], threshold_m=0.5,
        grid={"shape": [2, 2], "spacing": [10.0, 10.0], "origin": [0.0, 0.0]},
        probability_wet=np.zeros((2, 2), np.float32),
        mean_max_depth=np.zeros((2, 2), np.float32), percentiles={},
        point_ids=["HPK-WL-01", "bank_spot"], point_peaks=depths, point_levels=levels)
    outcomes = [MemberOutcome(k, "succeeded") for k in range(4)]
    outcomes += [MemberOutcome(4, "failed", "twin_flood stopped at t = 3600 s: unstable")]
    outcomes += [MemberOutcome(5, "cancelled", "cancelled before it started")][:failed - 1]
    return EnsembleResult("succeeded", "", outcomes, aggregate, 10.0, "LocalCluster(2)")


def test_the_staircase_drops_at_each_peak():
    # three members reach 2.0 m or more, one reaches 3.0 m, of four
    xs, ys = step_points(np.array([3.0, 2.0, 2.0]), np.array([0.25, 0.5, 0.75]), (1.0, 4.0))
    assert xs.tolist() == [1.0, 2.0, 2.0, 3.0, 3.0, 4.0]
    assert ys.tolist() == [0.75, 0.75, 0.25, 0.25, 0.0, 0.0]
    xs, ys = step_points(np.zeros(0), np.zeros(0), (0.0, 1.0))
    assert xs.tolist() == [0.0, 1.0] and ys.tolist() == [0.0, 0.0]


def test_gauge_curve_has_its_warning_line_and_verdict(qtbot, window):
    view = EnsembleView(window.workspace)
    qtbot.addWidget(view)
    view.show_result(known_result(failed=2))
    assert view.point_ids() == ["HPK-WL-01", "bank_spot"]
    assert view.point_box.itemText(0).startswith("HPK-WL-01 ")  # with the gauge's name
    view.show_point("HPK-WL-01")
    curve = view.curve
    assert curve.quantity == "level" and curve.values.tolist() == [5.0, 4.7, 4.2]
    assert curve.probability.tolist() == [0.25, 0.5, 0.75]  # the dry member reaches none
    assert view.warning_line.value() == 4.55
    assert view.verdict.text() == ("Peak level above the warning level 4.55 m in 50% of the "
                                   "members (2 of 4)")
    low, high = view.plot.getViewBox().viewRange()[0]
    assert low < 4.2 and high > 5.0
    assert view.plot.getAxis("bottom").labelText == "Peak water level (m, Wusong datum)"
    assert view.tabs.tabText(1) == "Failed members (2)"
    assert [view.failed.item(i).text() for i in range(view.failed.count())] == [
        "Member 4 failed: twin_flood stopped at t = 3600 s: unstable",
        "Member 5 cancelled: cancelled before it started"]


def test_a_point_no_member_wets_shows_depths_without_a_warning(qtbot, window):
    view = EnsembleView(window.workspace)
    qtbot.addWidget(view)
    view.show_result(known_result())
    view.show_point("bank_spot")
    assert view.curve.quantity == "depth" and view.warning_line is None
    assert view.curve.values.tolist() == [0.3, 0.0, 0.0, 0.0]
    assert view.plot.getAxis("bottom").labelText == "Peak depth (m)"
    assert view.verdict.text().startswith("Largest peak depth 0.30 m")
    view.show_point("HPK-WL-01")  # and back: the warning line returns
    assert view.warning_line is not None


def test_texts_follow_the_language_and_clear_forgets(qtbot, window):
    view = EnsembleView(window.workspace)
    qtbot.addWidget(view)
    view.show_result(known_result())
    assert view.failed.count() == 1
    window.set_language("zh_CN")
    try:
        qtbot.waitUntil(lambda: view.tabs.tabText(0) == "测站超越概率", timeout=5_000)
        assert view.verdict.text() == "50% 的成员最高水位超过警戒水位 4.55 m（4 个中 2 个）"
        assert "吴淞高程" in view.plot.getAxis("bottom").labelText
    finally:
        window.set_language("en")  # the translator is the application's: later tests want English
    qtbot.waitUntil(lambda: view.tabs.tabText(0) == "Exceedance at the gauges", timeout=5_000)
    view.clear()
    assert view.point_ids() == [] and view.curve is None and view.failed.count() == 0
    assert view.steps.getData()[0] is None or len(view.steps.getData()[0]) == 0
