import numpy as np
import pytest

from twin_app.core.geo import HeightDatum, SceneFrame, format_lonlat

# Old Xinchuansha sluice, WGS84 (reference/projects.md §1.1); CGCS2000 agrees within centimetres.
XCS_LON, XCS_LAT = 121.357708, 31.486419


def _frame() -> SceneFrame:
    return SceneFrame("EPSG:4549", (340000.0, 3484000.0, 0.0),
                      HeightDatum("吴淞高程", "Wusong datum", -1.66))


def test_lonlat_round_trip_through_the_scene_crs():
    frame = _frame()
    easting, northing = frame.lonlat_to_map(XCS_LON, XCS_LAT)
    # CM 120E with false easting 500 km: 121.36E lies ~129 km east of the meridian.
    assert 620_000 < float(easting) < 640_000
    assert 3_480_000 < float(northing) < 3_490_000
    lon, lat = frame.map_to_lonlat(easting, northing)
    assert float(lon) == pytest.approx(XCS_LON, abs=1e-9)
    assert float(lat) == pytest.approx(XCS_LAT, abs=1e-9)


def test_local_shift_keeps_float64_precision():
    frame = _frame()
    point = np.array([340123.456789, 3484567.891234, 4.321])
    local = frame.map_to_local(point)
    assert local.dtype == np.float64
    np.testing.assert_allclose(local, [123.456789, 567.891234, 4.321], atol=1e-9)
    np.testing.assert_allclose(frame.local_to_map(local), point, atol=1e-9)


def test_height_datum_offset_applied_once():
    datum = HeightDatum("吴淞高程", "Wusong datum", -1.66)
    assert datum.to_nhd1985(4.55) == pytest.approx(2.89)
    assert datum.label("zh_CN") == "吴淞高程"
    assert datum.label("en") == "Wusong datum"


def test_format_lonlat():
    assert format_lonlat(121.357708, 31.486419) == "121.357708°E 31.486419°N"
