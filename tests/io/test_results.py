"""Result files: CF-NetCDF (reopened with xarray and netCDF4), GeoTIFF maps, GeoJSON, CSV."""

import csv
import json
from datetime import UTC, datetime, timedelta, timezone

import netCDF4
import numpy as np
import pytest
import rasterio
import xarray as xr
from pyproj import CRS
from shapely.geometry import shape

from twin_app.io import results

X = 600000.0 + 10.0 * np.arange(6)
Y = 3470000.0 + 5.0 * np.arange(4)  # rows south to north
TIMES = [0.0, 600.0, 1200.0]


def _depth():
    depth = np.zeros((3, 4, 6))
    depth[1, 0, 0] = 0.5          # south-west corner wet from 600 s
    depth[2, 0, 0] = 0.7
    depth[2, 2:4, 3:5] = 0.2      # a 2 x 2 patch wet at 1200 s
    return depth


def _dataset(start=None):
    return results.build_dataset(
        X, Y, TIMES, {"surface_water__depth": _depth()}, crs="EPSG:4549",
        units={"surface_water__depth": "m", "volume": "m3"},
        docs={"surface_water__depth": "Depth of water"},
        scalar_series={"volume": np.array([0.0, 1.0, 2.0])}, start_time=start)


def test_netcdf_follows_cf_and_reopens_with_xarray_and_netcdf4(tmp_path):
    start = datetime(2024, 9, 16, tzinfo=timezone(timedelta(hours=8)))
    path = results.write_netcdf(_dataset(start), tmp_path / "results.nc")
    with xr.open_dataset(path) as ds:
        assert ds.attrs["Conventions"] == "CF-1.8"
        assert ds["surface_water__depth"].dims == ("time", "y", "x")
        assert ds["surface_water__depth"].attrs["grid_mapping"] == "crs"
        assert CRS.from_wkt(ds["crs"].attrs["crs_wkt"]).to_epsg() == 4549
        assert ds["x"].attrs["standard_name"] == "projection_x_coordinate"
        assert ds["y"].attrs["standard_name"] == "projection_y_coordinate"
        assert ds["time"].values[1] - ds["time"].values[0] == np.timedelta64(600, "s")
        np.testing.assert_array_equal(ds["surface_water__depth"].values, _depth())
    with netCDF4.Dataset(path) as nc:
        assert nc.Conventions == "CF-1.8"
        assert nc["time"].units == "seconds since 2024-09-15 16:00:00"  # in UTC
        assert nc["surface_water__depth"].units == "m"
        assert nc["crs"].grid_mapping_name == "transverse_mercator"
        assert "CGCS2000" in nc["crs"].crs_wkt
        assert nc["volume"].dimensions == ("time",)
        assert list(nc["x"][:]) == list(X)


def test_netcdf_into_a_missing_folder_says_so(tmp_path):
    with pytest.raises(results.ResultWriteError, match="does not exist"):
        results.write_netcdf(_dataset(), tmp_path / "nope" / "r.nc")


def test_geotiff_is_north_up_with_the_scene_crs(tmp_path):
    maximum = results.max_map(_depth())
    path = results.write_geotiff(tmp_path / "max.tif", maximum, X, Y, crs="EPSG:4549")
    with rasterio.open(path) as ds:
        assert ds.crs.to_epsg() == 4549
        assert ds.transform.a == 10.0 and ds.transform.e == -5.0
        assert ds.transform.c == 600000.0 - 5.0  # nodes are pixel centres
        assert ds.transform.f == Y[-1] + 2.5
        band = ds.read(1)
    assert band[-1, 0] == pytest.approx(0.7)  # the south-west node is the bottom-left pixel
    assert band[0, 3] == pytest.approx(0.2)


def test_arrival_time_and_duration_maps():
    arrival = results.arrival_time_map(_depth(), TIMES, 0.1)
    assert arrival[0, 0] == 600.0 and arrival[3, 4] == 1200.0 and np.isnan(arrival[1, 1])
    duration = results.duration_above_map(_depth(), TIMES, 0.1)
    assert duration[0, 0] == 600.0 and duration[1, 1] == 0.0


def test_geojson_extent_has_polygons_of_the_wet_area(tmp_path):
    mask = results.max_map(_depth()) > 0.1
    path = results.write_extent_geojson(tmp_path / "extent.geojson", mask, X, Y,
                                        crs="EPSG:4549", properties={"threshold_m": 0.1})
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::4549"
    areas = sorted(shape(f["geometry"]).area for f in data["features"])
    assert areas == [pytest.approx(50.0), pytest.approx(200.0)]  # 1 and 4 cells of 10 x 5 m
    assert all(shape(f["geometry"]).is_valid for f in data["features"])
    patch = max(data["features"], key=lambda f: f["properties"]["area_m2"])
    assert shape(patch["geometry"]).bounds == (600025.0, 3470007.5, 600045.0,
                                               3470017.5)


def test_point_series_csv(tmp_path):
    path = results.write_point_series_csv(
        tmp_path / "series.csv", TIMES, {"P1:depth": np.array([0.0, 0.5, 0.7])},
        start_time=datetime(2024, 9, 16, tzinfo=UTC))
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[0] == ["time_s", "time", "P1:depth"]
    assert rows[2] == ["600", "2024-09-16T00:10:00+00:00", "0.5"]
