"""4D progress: which elements are built on a day, planned against actual.

The rules are checked on a small schedule made here; the Xinchuansha model's schedule is checked
on the days of its public milestones (the 4D clock showing the right elements on given dates).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from twin_app.core.construction import (
    BuildState,
    PlanDelta,
    ScheduleTask,
    WorkSchedule,
    day_of,
    state_between,
)
from twin_app.io.ifc.schedule import read_work_schedule

REPO = Path(__file__).resolve().parents[2]
D = date.fromisoformat
GUID = "0123456789abcdefghij{}"


def _schedule() -> WorkSchedule:
    tasks = (
        ScheduleTask(GUID.format("T1"), "T1", "Slab", planned_start=D("2024-01-01"),
                     planned_finish=D("2024-01-10"), actual_start=D("2024-01-03"),
                     actual_finish=D("2024-01-15"), elements=(GUID.format("A1"),)),
        ScheduleTask(GUID.format("T2"), "T2", "Walls", planned_start=D("2024-01-11"),
                     planned_finish=D("2024-01-20"), actual_start=D("2024-01-05"),
                     actual_finish=D("2024-01-12"),
                     elements=(GUID.format("B1"), GUID.format("B2"))),
        ScheduleTask(GUID.format("T3"), "T3", "Roof", planned_start=D("2024-01-21"),
                     planned_finish=D("2024-01-25"), actual_start=D("2024-01-22"),
                     elements=(GUID.format("C1"),)),
        ScheduleTask(GUID.format("M1"), "M1", "Handover", planned_start=D("2024-01-26"),
                     planned_finish=D("2024-01-26"), milestone=True))
    return WorkSchedule(GUID.format("WS"), "test", tasks, status_date=D("2024-01-31"))


def test_state_between_is_taken_at_the_end_of_the_day():
    start, finish = D("2024-01-01"), D("2024-01-10")
    assert state_between(start, finish, D("2023-12-31")) is BuildState.NOT_STARTED
    assert state_between(start, finish, start) is BuildState.UNDER_CONSTRUCTION
    assert state_between(start, finish, D("2024-01-09")) is BuildState.UNDER_CONSTRUCTION
    assert state_between(start, finish, finish) is BuildState.BUILT
    assert state_between(start, start, start) is BuildState.BUILT, "a one-day pour"
    assert state_between(start, None, D("2030-01-01")) is BuildState.UNDER_CONSTRUCTION
    assert state_between(None, None, D("2030-01-01")) is BuildState.NOT_STARTED


def test_planned_against_actual():
    snapshot = _schedule().progress_on(D("2024-01-12"))
    slab, wall = snapshot.elements[GUID.format("A1")], snapshot.elements[GUID.format("B1")]
    assert (slab.planned, slab.actual, slab.delta) == (
        BuildState.BUILT, BuildState.UNDER_CONSTRUCTION, PlanDelta.BEHIND)
    assert (wall.planned, wall.actual, wall.delta) == (
        BuildState.UNDER_CONSTRUCTION, BuildState.BUILT, PlanDelta.AHEAD)
    assert snapshot.counts("planned") == {"not_started": 1, "under_construction": 2,
                                          "built": 1}
    assert snapshot.counts("actual") == {"not_started": 1, "under_construction": 1, "built": 2}
    assert snapshot.delta_counts() == {"ahead": 2, "on_plan": 1, "behind": 1}
    rows = {r["task"]: r for r in snapshot.task_rows()}
    assert rows["T1"]["finish_variance_days"] == 5 and rows["T2"]["finish_variance_days"] == -8
    assert rows["T3"]["finish_variance_days"] is None and "M1" in rows


def test_visibility_for_the_workspace():
    hidden, xray = _schedule().progress_on(D("2024-01-04")).visibility("hub")
    assert hidden == {f"part:hub:{GUID.format(x)}" for x in ("B1", "B2", "C1")}
    assert xray == {f"part:hub:{GUID.format('A1')}"}
    hidden, xray = _schedule().progress_on(D("2024-01-04")).visibility("hub", "planned")
    assert xray == {f"part:hub:{GUID.format('A1')}"} and len(hidden) == 3


def test_an_element_in_two_tasks_spans_both():
    tasks = (ScheduleTask("a" * 22, "A", "a", planned_start=D("2024-01-01"),
                          planned_finish=D("2024-01-02"), elements=("x" * 22,)),
             ScheduleTask("b" * 22, "B", "b", planned_start=D("2024-02-01"),
                          planned_finish=D("2024-02-02"), elements=("x" * 22,)))
    schedule = WorkSchedule("c" * 22, "two", tasks)
    assert schedule.progress_on(D("2024-01-15")).elements["x" * 22].planned is \
        BuildState.UNDER_CONSTRUCTION
    assert schedule.progress_on(D("2024-03-01")).elements["x" * 22].planned is BuildState.BUILT


def test_day_of_uses_china_standard_time():
    assert day_of(datetime(2022, 11, 12, 16, 30, tzinfo=UTC)) == D("2022-11-13")
    assert day_of(datetime(2022, 11, 12, 15, 59, tzinfo=UTC)) == D("2022-11-12")


@pytest.fixture(scope="module")
def xinchuansha():
    return read_work_schedule(REPO / "bim_assets" / "xinchuansha" / "xinchuansha.ifc")


def test_nothing_stands_before_groundbreaking(xinchuansha):
    snapshot = xinchuansha.progress_on(D("2020-10-20"))
    assert snapshot.counts("actual")["built"] == snapshot.counts("planned")["built"] == 0
    assert snapshot.counts("actual")["not_started"] == 87


def test_the_base_slab_stands_from_its_pour(xinchuansha):
    slab = xinchuansha.task("XCS-03").elements[0]
    before, on = xinchuansha.progress_on(D("2022-11-12")), xinchuansha.progress_on(
        D("2022-11-13"))
    assert before.elements[slab].actual is BuildState.NOT_STARTED
    assert before.elements[slab].planned is BuildState.BUILT
    assert before.elements[slab].delta is PlanDelta.BEHIND
    assert on.elements[slab].actual is BuildState.BUILT
    hidden, _ = on.visibility("xcs_hub")
    assert f"part:xcs_hub:{slab}" not in hidden


def test_water_passing_day_is_ahead_of_plan(xinchuansha):
    snapshot = xinchuansha.progress_on(D("2023-05-29"))
    piers = xinchuansha.task("XCS-04").elements
    assert all(snapshot.elements[g].actual is BuildState.BUILT for g in piers)
    assert all(snapshot.elements[g].planned is BuildState.UNDER_CONSTRUCTION for g in piers)
    assert snapshot.delta_counts()["ahead"] == len(piers)
    gates = xinchuansha.task("XCS-07").elements
    hidden, xray = snapshot.visibility("xcs_hub")
    assert {f"part:xcs_hub:{g}" for g in gates} <= hidden
    assert xray == {f"part:xcs_hub:{g}" for g in xinchuansha.task("XCS-05").elements}


def test_everything_is_built_by_the_status_date(xinchuansha):
    snapshot = xinchuansha.progress_on(xinchuansha.status_date)
    assert snapshot.counts("actual") == {"not_started": 0, "under_construction": 0,
                                         "built": 87}
