"""Label budget: which sensor labels are drawn when a scene has more than can be read."""

import numpy as np
import pytest
import pyvista as pv

from twin_app.render.geometry import LayerGeometry
from twin_app.render.labels import LabelLayer, choose_labels
from twin_app.render.view import offscreen_plotter

IDENTITY = np.eye(4)


def _grid_points(count: int) -> np.ndarray:
    """Points spread over x in [-2, 2] (half of them outside an identity clip box)."""
    x = np.linspace(-2.0, 2.0, count)
    return np.column_stack((x, np.zeros(count), x / 4.0))


def test_all_labels_when_within_budget():
    points = _grid_points(10)
    chosen = choose_labels(points, IDENTITY, np.zeros(10, dtype=int), budget=10)
    assert chosen.tolist() == list(range(10))


def test_only_labels_in_view_and_the_nearest_first():
    points = _grid_points(41)
    in_view = np.flatnonzero(np.abs(points[:, 0]) <= 1.0)
    chosen = choose_labels(points, IDENTITY, np.zeros(41, dtype=int), budget=5)
    assert len(chosen) == 5
    assert set(chosen) <= set(in_view)
    # identity projection: depth is z = x / 4, so the nearest are the most negative x in view
    assert chosen.tolist() == in_view[:5].tolist()


def test_ranked_labels_win_even_out_of_view():
    points = _grid_points(41)
    ranks = np.zeros(41, dtype=int)
    ranks[40] = 2  # x = 2: outside the view
    ranks[30] = 1
    chosen = choose_labels(points, IDENTITY, ranks, budget=3)
    assert 40 in chosen and 30 in chosen
    assert len(chosen) == 3


@pytest.mark.needs_rendering
def test_label_layer_draws_at_most_its_budget_and_follows_ranks():
    plotter = offscreen_plotter(640, 480)
    count = 300
    rng = np.random.default_rng(1)
    points = np.column_stack((rng.uniform(-500, 500, (count, 2)), np.zeros(count)))
    names = [f"S{i:03d}" for i in range(count)]
    layer = LayerGeometry("labels", pv.PolyData(points), {}, labels={"en": names,
                                                                       "zh_CN": names})
    plotter.add_mesh(pv.Plane(i_size=1000, j_size=1000))
    plotter.view_xy()
    labels = LabelLayer(plotter, layer, lambda: "en", 1.0, budget=50)
    try:
        assert len(labels.shown_texts()) == 50
        labels.set_suffixes({"en": [f" {i}.0 m" for i in range(count)]})
        first = labels.shown[0]
        assert labels.shown_texts()[0] == f"S{first:03d} {first}.0 m"
        far = int(np.argmax(np.linalg.norm(points, axis=1)))
        labels.set_ranks({far: 2})
        if far not in labels.shown:
            assert labels.update_subset()
        assert far in labels.shown
        assert f"S{far:03d} {far}.0 m" in labels.shown_texts()
        assert not labels.update_subset()  # nothing moved: the same labels, no rebuild
        points_data, texts = labels._label_array()
        stamp = texts.GetMTime(), points_data.GetMTime()
        labels.set_suffixes({"en": [f" {i}.0 m" for i in range(count)]})  # the same values
        assert (texts.GetMTime(), points_data.GetMTime()) == stamp  # no new layout, no frame
        labels.set_suffixes({"en": [f" {i}.5 m" for i in range(count)]})
        assert texts.GetMTime() > stamp[0]
        assert f"S{far:03d} {far}.5 m" in labels.shown_texts()
    finally:
        plotter.close()


def test_labels_drawn_stay_while_in_view():
    """Small camera moves must not make labels flicker: drawn labels keep their place."""
    points = _grid_points(41)
    ranks = np.zeros(41, dtype=int)
    in_view = np.flatnonzero(np.abs(points[:, 0]) <= 1.0)
    farthest_in_view = in_view[-3:]
    chosen = choose_labels(points, IDENTITY, ranks, budget=3, shown=farthest_in_view)
    assert chosen.tolist() == farthest_in_view.tolist()
    outside = np.array([0, 1, in_view[-1]])  # two out of view: replaced by the nearest in view
    chosen = choose_labels(points, IDENTITY, ranks, budget=3, shown=outside)
    assert chosen.tolist() == sorted([in_view[0], in_view[1], in_view[-1]])
