"""What the properties panel shows for a selected item, computed without any GUI."""

from __future__ import annotations

from twin_app.core.geo import SceneFrame, format_lonlat
from twin_app.core.scene import AssetSpec, PlaceholderPart, SensorSpec
from twin_app.core.scene_loader import SceneDocument

Row = tuple[str, str]


def describe(document: SceneDocument, selected: str, language: str = "en") -> list[Row]:
    """Return (name, value) rows describing the item ``selected``.

    Parameters
    ----------
    document : SceneDocument
        The open scene.
    selected : str
        An item id such as ``"sensor:XCS-WL-01"`` or ``"part:sluice:gate_1"``.
    language : str
        ``"zh_CN"`` or ``"en"``.

    Returns
    -------
    list of tuple
        Rows to show; empty if the item is unknown.
    """
    kind, _, rest = selected.partition(":")
    zh = language.lower().startswith("zh")
    spec = document.spec
    frame = SceneFrame.from_scene(spec)
    if kind == "sensor":
        sensor = next((s for s in spec.sensors if s.id == rest), None)
        return _sensor_rows(sensor, frame, language, zh) if sensor else []
    if kind in ("part", "asset"):
        asset_id, _, part_id = rest.partition(":")
        asset = next((a for a in spec.assets if a.id == asset_id), None)
        if asset is None:
            return []
        part = next((p for p in asset.parts if p.id == part_id), None)
        return _asset_rows(asset, part, frame, language, zh)
    return []


def _label(zh: bool, chinese: str, english: str) -> str:
    return chinese if zh else english


def _position_rows(
    easting: float, northing: float, height: float, frame: SceneFrame, language: str, zh: bool
) -> list[Row]:
    lon, lat = frame.map_to_lonlat(easting, northing)
    datum = frame.datum.label(language)
    return [
        (_label(zh, "东坐标", "Easting"), f"{easting:.2f} m ({frame.crs})"),
        (_label(zh, "北坐标", "Northing"), f"{northing:.2f} m"),
        (_label(zh, "经纬度", "Lon/lat"), format_lonlat(float(lon), float(lat))),
        (_label(zh, "高程", "Elevation"), f"{height:.2f} m ({datum})"),
    ]


def _sensor_rows(
    sensor: SensorSpec, frame: SceneFrame, language: str, zh: bool
) -> list[Row]:
    rows: list[Row] = [
        (_label(zh, "编号", "Id"), sensor.id),
        (_label(zh, "名称", "Name"), sensor.name.text(language)),
        (_label(zh, "类型", "Kind"), sensor.kind.value),
        (_label(zh, "单位", "Unit"), sensor.unit),
        *_position_rows(*sensor.position, frame, language, zh),
    ]
    for threshold in sensor.thresholds:
        arrow = "≥" if threshold.direction == "above" else "≤"
        value = f"{arrow} {threshold.value:g} {sensor.unit} ({threshold.severity})"
        if threshold.source:
            value += f" — {threshold.source}"
        rows.append((threshold.name.text(language), value))
    rows.append(_illustrative_row(sensor.illustrative, zh))
    return rows


def _asset_rows(
    asset: AssetSpec, part: PlaceholderPart | None, frame: SceneFrame, language: str, zh: bool
) -> list[Row]:
    rows: list[Row] = [
        (_label(zh, "模型", "Model"), asset.name.text(language)),
        (_label(zh, "模型类型", "Model kind"), asset.kind),
    ]
    if asset.placement is not None and part is not None:
        easting, northing, height = asset.placement.to_map(part.center)[0]
        rows += [
            (_label(zh, "构件", "Element"), part.name.text(language)),
            (_label(zh, "构件编号", "Element id"), part.id),
            (_label(zh, "IFC 类", "IFC class"), part.ifc_class),
            (_label(zh, "用途", "Role"), part.role or "-"),
            (_label(zh, "尺寸", "Size"), " × ".join(f"{v:g}" for v in part.size) + " m"),
            *_position_rows(easting, northing, height, frame, language, zh),
        ]
    rows.append(_illustrative_row(asset.illustrative or asset.kind == "placeholder", zh))
    return rows


def _illustrative_row(illustrative: bool, zh: bool) -> Row:
    if illustrative:
        return (_label(zh, "数据性质", "Data"), _label(zh, "示意（非实测）", "illustrative"))
    return (_label(zh, "数据性质", "Data"), _label(zh, "公开资料", "published"))
