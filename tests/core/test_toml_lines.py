from twin_app.core.toml_lines import index_key_lines, line_of

TEXT = """\
title = "x"
[crs]
horizontal = "EPSG:4549"

[[sensors]]
id = "a"
[[sensors.thresholds]]
value = 1.0
[[sensors]]
id = "b"
name = { zh = "乙", en = "B" }
[[sensors.thresholds]]
value = 2.0
[[sensors.thresholds]]
value = 3.0
[[assets]]
parts = [
  { id = "p0" },
  { id = "p1", size = [1, 2, 3] },
]
after = 1
"""


def test_keys_in_tables_and_arrays_of_tables_get_their_lines():
    lines = index_key_lines(TEXT)
    assert lines[("title",)] == 1
    assert lines[("crs", "horizontal")] == 3
    assert lines[("sensors", 0, "id")] == 6
    assert lines[("sensors", 0, "thresholds", 0, "value")] == 8
    assert lines[("sensors", 1, "id")] == 10
    assert lines[("sensors", 1, "thresholds", 1, "value")] == 15
    assert lines[("assets", 0, "parts", 1)] == 19
    assert lines[("assets", 0, "after")] == 21


def test_unknown_nested_key_falls_back_to_nearest_written_ancestor():
    lines = index_key_lines(TEXT)
    assert line_of(lines, ("sensors", 1, "name", "zh")) == 11
    assert line_of(lines, ("assets", 0, "parts", 1, "size", 2)) == 19
    assert line_of(lines, ("sensors", 1, "unit")) == 9
    assert line_of(lines, ("nothing",)) is None
