"""Fixtures of the alarm tests."""

from __future__ import annotations

import pytest

from tests.telemetry.alarms.helpers import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
