"""Runtime state of an open scene, as evented models the views subscribe to.

The scene file is immutable; what the user changes while working (which layers show, what is
selected, the language) lives here.  Qt views and render adapters connect to
``model.events.<field>`` and never keep their own copy of this state (the napari pattern).
"""

from __future__ import annotations

from typing import Literal

from psygnal import EventedModel
from pydantic import ConfigDict, Field

from twin_app.core.clock import AppClock
from twin_app.core.live import LiveValues
from twin_app.core.scene import LocalizedText
from twin_app.core.scene_loader import SceneDocument

LayerKind = Literal["terrain", "water", "asset", "vectors", "sensors", "labels"]


class SectionState(EventedModel):
    """A cut through the scene: a plane, or a box, in the scene's local frame (metres, z true).

    Attributes
    ----------
    kind : str
        ``"plane"`` keeps what lies on the side the normal points to; ``"box"`` keeps what
        lies inside the box.
    origin, normal : tuple of float
        The plane (for ``kind="plane"``).
    bounds : tuple of float
        ``(xmin, xmax, ymin, ymax, zmin, zmax)`` (for ``kind="box"``).
    """

    kind: Literal["plane", "box"]
    origin: tuple[float, float, float] = (0.0, 0.0, 0.0)
    normal: tuple[float, float, float] = (1.0, 0.0, 0.0)
    bounds: tuple[float, float, float, float, float, float] = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


class LayerState(EventedModel):
    """One entry of the layer tree.

    Attributes
    ----------
    id : str
        Unique within the workspace, e.g. ``"terrain"``, ``"asset:sluice"``.
    kind : str
        What the layer draws.
    name : LocalizedText
        Its name in the tree.
    visible : bool
        Whether it is drawn.
    """

    id: str
    kind: LayerKind
    name: LocalizedText
    visible: bool = True


def item_id(kind: str, *parts: str) -> str:
    """Return the id of a selectable item, e.g. ``item_id("part", "sluice", "gate_1")``."""
    return ":".join((kind, *parts))


class Workspace(EventedModel):
    """The open scene and the user's state in it.

    Attributes
    ----------
    document : SceneDocument or None
        The scene shown, or ``None`` before one is opened.
    layers : tuple of LayerState
        The layers of the open scene, in tree order.
    selection : str or None
        The selected item (see :func:`item_id`), or ``None``.
    language : str
        ``"zh_CN"`` or ``"en"``; scene names and properties follow it.
    clock : AppClock
        The time everything shows.
    live : LiveValues or None
        The readings of the open scene's sensors.
    hidden : frozenset of str
        Items (model elements) not drawn.
    xray : frozenset of str
        Items drawn see-through.
    section : SectionState or None
        The section plane or box that cuts models and terrain, if any.
    tints : dict of str to str
        Items (model elements) drawn in a colour of their own, ``#rrggbb``, instead of the
        model's: e.g. the 4D review's planned-against-actual display.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    document: SceneDocument | None = None
    layers: tuple[LayerState, ...] = ()
    selection: str | None = None
    language: str = "en"
    clock: AppClock = Field(default_factory=AppClock)
    live: LiveValues | None = None
    hidden: frozenset[str] = frozenset()
    xray: frozenset[str] = frozenset()
    section: SectionState | None = None
    tints: dict[str, str] = Field(default_factory=dict)

    def open(self, document: SceneDocument) -> None:
        """Show ``document``: build its layer list, a fresh value store, clear the selection."""
        self.selection = None
        self.hidden, self.xray, self.section = frozenset(), frozenset(), None
        self.tints = {}
        self.live = LiveValues([sensor.id for sensor in document.spec.sensors])
        self.document = document
        self.layers = default_layers(document)

    def close(self) -> None:
        """Close the open scene."""
        self.selection = None
        self.hidden, self.xray, self.section = frozenset(), frozenset(), None
        self.tints = {}
        self.layers = ()
        self.document = None
        self.live = None

    def layer(self, layer_id: str) -> LayerState:
        """Return the layer with ``layer_id``.

        Raises
        ------
        KeyError
            If there is no such layer.
        """
        for layer in self.layers:
            if layer.id == layer_id:
                return layer
        raise KeyError(f"no layer {layer_id!r}")


def default_layers(document: SceneDocument) -> tuple[LayerState, ...]:
    """Return the layers a scene shows when first opened."""
    spec = document.spec
    layers: list[LayerState] = []
    if spec.terrain is not None:
        layers.append(LayerState(id="terrain", kind="terrain", name=_text("地形", "Terrain")))
    layers.extend(
        LayerState(id=item_id("water", body.id), kind="water", name=body.name)
        for body in spec.water_bodies
    )
    if spec.display.water_level is not None and not spec.water_bodies:
        name = _text("水面（静态）", "Water surface (static)")
        layers.append(LayerState(id="water", kind="water", name=name))
    layers.extend(
        LayerState(id=item_id("asset", asset.id), kind="asset", name=asset.name)
        for asset in spec.assets
    )
    layers.extend(
        LayerState(id=item_id("vectors", layer.id), kind="vectors", name=layer.name)
        for layer in spec.layers
    )
    if spec.sensors:
        layers.append(LayerState(id="sensors", kind="sensors", name=_text("监测点", "Sensors")))
        name = _text("监测点标注", "Sensor labels")
        layers.append(LayerState(id="labels", kind="labels", name=name))
    return tuple(layers)


def _text(zh: str, en: str) -> LocalizedText:
    return LocalizedText(zh=zh, en=en)
