"""A forecast from a replayed event, and the surge and rain inputs it can take.

The huangpu typhoon event is replayed into a store up to hour 40 (ten hours before its 5.30 m
surge peak at Huangpu Park), after 30 days of tide record.  With the event's surge as the surge
file, the forecast must find the peak within 0.12 m and 30 min, and the time above the 4.55 m
warning level within 30 min of the event's own.
"""

from datetime import timedelta

import numpy as np
import pytest
import xarray as xr

from tests.forecast.forecast_helpers import make_events, replayed_store, write_surge_csv
from twin_app.core.readings import Reading
from twin_app.forecast import ForecastInputError, design_typhoon, make_forecast, read_inputs
from twin_app.forecast.inputs import ALL_GAUGES
from twin_app.forecast.text import seconds_above
from twin_app.io.timeseries import write_pi_xml
from twin_app.telemetry.store import open_store

GAUGES = ["HPK-WL-01", "SZK-WL-01", "SZK-WL-02", "LJZ-WL-01"]


@pytest.fixture(scope="module")
def replay(tmp_path_factory):
    folder = tmp_path_factory.mktemp("forecast")
    url, document, cut = replayed_store(folder / "telemetry.db")
    return url, document, cut, folder


def test_forecast_from_a_replayed_event(replay):
    url, document, cut, folder = replay
    events = make_events()
    inputs = read_inputs(write_surge_csv(folder / "surge.csv"), gauges=GAUGES)
    with open_store(url) as store:
        forecast = make_forecast(document, store, hours=24, inputs=inputs)
    assert forecast.issued == cut  # the current state: the newest stored reading
    park = forecast.gauge("HPK-WL-01")
    assert park.method == "tide+surge"
    assert park.analysis.variance_explained > 0.95
    assert park.analysis.residual_rms_m < 0.1
    peak, when = park.peak()
    true_peak_time = events.EVENT_START + timedelta(hours=events.PEAK_H)
    assert abs(peak - 5.30) < 0.12
    assert abs((when - true_peak_time).total_seconds()) <= 30 * 60
    # the event's own time above warning over the same 24 h
    hours = np.arange(40.0, 64.0 + 1e-9, 1 / 60)
    truth = events.storm_tide("huangpu_park", hours)
    expected = seconds_above(hours * 3600.0, truth, 4.55)
    assert abs(park.duration_above(4.55).total_seconds() - expected) <= 30 * 60
    # it starts from the current state: the first value is the latest reading
    assert park.level[0] == pytest.approx(park.observed_m, abs=1e-6)
    en, zh = park.sentence("en"), park.sentence("zh")
    assert en.startswith("Huangpu Park tide station reaches 5.")
    assert "above warning (4.55 m) for" in en and " h" in en
    assert zh.startswith("黄浦公园潮位站") and "超警戒水位（4.55 m）" in zh and "小时" in zh
    row = forecast.table("en")[0]
    assert row["sensor_id"] == "HPK-WL-01" and row["first_above_warning"] is not None
    payload = forecast.to_dict(series=True)
    assert len(payload["series"]["HPK-WL-01"]) == len(payload["times"]) == 24 * 6 + 1


def test_forecast_without_surge_is_tide_and_persistence(replay):
    url, document, _, _ = replay
    with open_store(url) as store:
        forecast = make_forecast(document, store, hours=12)
    park = forecast.gauge("HPK-WL-01")
    assert np.all(park.surge == 0)
    # the current surge (about 0.7 m at hour 40) is carried forward and decays
    assert park.offset[0] > 0.4
    assert park.offset[-1] < park.offset[0] * np.exp(-0.9)


def test_design_typhoon_adds_a_hump_and_rain(replay):
    url, document, cut, _ = replay
    typhoon = design_typhoon(cut, surge_peak_m=1.0, peak_time_h=6.0, rain_total_mm=100.0,
                             rain_duration_h=10.0)
    with open_store(url) as store:
        forecast = make_forecast(document, store, hours=12, inputs=typhoon)
    park = forecast.gauge("HPK-WL-01")
    assert park.surge.max() == pytest.approx(1.0, abs=1e-6)
    assert float(np.trapezoid(forecast.rain_mm_h, forecast.hours)) == pytest.approx(100, rel=0.02)


def test_surge_from_pi_xml_and_netcdf(tmp_path):
    start = make_events().EVENT_START
    readings = [Reading("HPK-WL-01", start + timedelta(hours=h), 0.1 * h, "m") for h in range(6)]
    readings += [Reading("RAIN", start + timedelta(hours=h), 5.0, "mm") for h in range(6)]
    write_pi_xml(tmp_path / "surge.xml", readings)
    inputs = read_inputs(tmp_path / "surge.xml", gauges=GAUGES)
    times = np.array([np.datetime64((start + timedelta(hours=2.5)).replace(tzinfo=None)
                                    - timedelta(hours=8))], dtype="datetime64[us]")
    assert inputs.surge_at("HPK-WL-01", times)[0] == pytest.approx(0.25)
    assert inputs.surge_at("SZK-WL-01", times)[0] == 0.0  # no series of its own, no SURGE
    assert inputs.rain_at(times)[0] == pytest.approx(5.0)  # 5 mm per hour
    stamps = np.array(["2023-09-14T00:00", "2023-09-14T06:00"], dtype="datetime64[ns]")
    dataset = xr.Dataset({"surge": (("time", "station"), [[0.0, 0.2], [0.6, 0.8]],
                                    {"units": "m"})},
                         coords={"time": stamps, "station": ["HPK-WL-01", ALL_GAUGES]})
    dataset.to_netcdf(tmp_path / "surge.nc")
    inputs = read_inputs(tmp_path / "surge.nc", gauges=GAUGES)
    mid = np.array(["2023-09-14T03:00"], dtype="datetime64[us]")
    assert inputs.surge_at("HPK-WL-01", mid)[0] == pytest.approx(0.3)
    assert inputs.surge_at("LJZ-WL-01", mid)[0] == pytest.approx(0.5)


def test_surge_in_the_wrong_unit_is_refused(tmp_path):
    from twin_app.io.timeseries import write_csv

    start = make_events().EVENT_START
    write_csv(tmp_path / "bad.csv", [Reading("SURGE", start, 30.0, "mm/h")])
    with pytest.raises(ForecastInputError, match="surge series SURGE"):
        read_inputs(tmp_path / "bad.csv", gauges=GAUGES)
