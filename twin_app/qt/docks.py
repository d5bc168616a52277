"""The layer tree and properties docks; both follow the workspace and never own state."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from qtpy.QtCore import QEvent, QPoint, Qt, Signal
from qtpy.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from twin_app.core.properties import describe
from twin_app.core.workspace import LayerState, Workspace, item_id

ITEM_ROLE = Qt.ItemDataRole.UserRole
LAYER_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
"""Text the search box matches besides the shown name: IFC class and GlobalId."""


class LayerTreeDock(QDockWidget):
    """Scene tree: layers with visibility check boxes; models list their elements.

    IFC models show their spatial structure (project, site, facility, parts, elements).  Checking
    a box sets ``LayerState.visible``; selecting an element or sensor sets
    ``Workspace.selection``; both directions go through the workspace.  A search box filters the
    tree by name, IFC class or GlobalId; double-clicking an item emits :attr:`fly_to_requested`;
    the context menu emits :attr:`menu_requested`.
    """

    fly_to_requested = Signal(str)
    """An item id the user wants the camera to go to."""
    menu_requested = Signal(str, QPoint)
    """An item id and the global position where its context menu should open."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("layerTreeDock")
        self.workspace = workspace
        self.models: dict[str, Any] = {}
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.filter)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderHidden(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._on_context_menu)
        self.tree.itemDoubleClicked.connect(self._on_double_click)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        self.setWidget(body)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._followers: list[tuple[LayerState, object]] = []
        self._syncing = False
        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.itemSelectionChanged.connect(self._on_tree_selection)
        workspace.events.layers.connect(self.rebuild)
        workspace.events.language.connect(self.rebuild)
        workspace.events.selection.connect(self._on_workspace_selection)
        self.retranslate()
        self.rebuild()

    def retranslate(self) -> None:
        """Set the texts in the current language."""
        self.setWindowTitle(self.tr("Scene"))
        self.search.setPlaceholderText(self.tr("Search name, IFC class or GlobalId"))

    def changeEvent(self, event: QEvent) -> None:
        """Re-read texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def rebuild(self) -> None:
        """Rebuild the tree from the workspace's layers."""
        self._syncing = True
        for layer, follower in self._followers:
            layer.events.visible.disconnect(follower)
        self._followers.clear()
        self.tree.clear()
        self._items.clear()
        language = self.workspace.language
        document = self.workspace.document
        for layer in self.workspace.layers:
            item = QTreeWidgetItem([layer.name.text(language)])
            item.setData(0, LAYER_ROLE, layer.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, _check(layer.visible))
            self.tree.addTopLevelItem(item)
            follower = self._visibility_follower(item)
            layer.events.visible.connect(follower)
            self._followers.append((layer, follower))
            if document is None:
                continue
            model = self.models.get(layer.id.split(":", 1)[1]) if layer.kind == "asset" else None
            if model is not None:
                self._add_spatial_tree(item, layer.id.split(":", 1)[1], model)
                continue
            for child_id, child_name in _children(layer, document, language):
                child = QTreeWidgetItem([child_name])
                child.setData(0, ITEM_ROLE, child_id)
                item.addChild(child)
                self._items[child_id] = child
        self._syncing = False
        if self.search.text():
            self.filter(self.search.text())

    def set_models(self, models: dict[str, Any]) -> None:
        """Show these IFC models' spatial trees under their asset layers (by asset id)."""
        self.models = dict(models)
        self.rebuild()

    def _add_spatial_tree(self, parent: QTreeWidgetItem, asset_id: str, model: Any) -> None:
        root = model.spatial_tree()
        if root is None:
            return
        stack = [(parent, root)]
        while stack:
            into, node = stack.pop()
            label = f"{node.name or node.ifc_class}" + (
                f"  [{node.ifc_class}]" if node.name else "")
            child = QTreeWidgetItem([label])
            child_id = item_id("part", asset_id, node.global_id)
            child.setData(0, ITEM_ROLE, child_id)
            child.setData(0, SEARCH_ROLE, f"{node.ifc_class} {node.global_id}")
            child.setToolTip(0, f"{node.ifc_class}  {node.global_id}")
            into.addChild(child)
            self._items[child_id] = child
            stack.extend((child, grand) for grand in reversed(node.children))
        parent.setExpanded(True)
        for index in range(parent.childCount()):  # project -> site -> facility open
            walk = parent.child(index)
            for _ in range(3):
                walk.setExpanded(True)
                if walk.childCount() != 1:
                    break
                walk = walk.child(0)

    def filter(self, text: str) -> int:
        """Show only items whose name, IFC class or GlobalId contains ``text``; return matches.

        Layers and the parents of matches stay visible; an empty text shows everything.
        """
        needle = text.strip().lower()
        matches = 0

        def visit(item: QTreeWidgetItem) -> bool:
            nonlocal matches
            own = bool(needle) and item.data(0, ITEM_ROLE) is not None and (
                needle in item.text(0).lower()
                or needle in str(item.data(0, SEARCH_ROLE) or "").lower())
            matches += own
            below = [visit(item.child(i)) for i in range(item.childCount())]
            shown = not needle or own or any(below)
            item.setHidden(not shown and item.data(0, LAYER_ROLE) is None)
            if needle and any(below):
                item.setExpanded(True)
            return shown

        for index in range(self.tree.topLevelItemCount()):
            visit(self.tree.topLevelItem(index))
        return matches

    def _on_double_click(self, item: QTreeWidgetItem, _column: int) -> None:
        chosen = item.data(0, ITEM_ROLE)
        if chosen:
            self.fly_to_requested.emit(chosen)

    def _on_context_menu(self, position: QPoint) -> None:
        item = self.tree.itemAt(position)
        chosen = item.data(0, ITEM_ROLE) if item is not None else None
        self.menu_requested.emit(chosen or "", self.tree.viewport().mapToGlobal(position))

    def _visibility_follower(self, item: QTreeWidgetItem):
        def follow(visible: bool) -> None:
            self._syncing = True
            item.setCheckState(0, _check(visible))
            self._syncing = False

        return follow

    def _on_item_changed(self, item: QTreeWidgetItem, _column: int) -> None:
        layer_id = item.data(0, LAYER_ROLE)
        if self._syncing or not layer_id:
            return
        self.workspace.layer(layer_id).visible = item.checkState(0) == Qt.CheckState.Checked

    def _on_tree_selection(self) -> None:
        if self._syncing:
            return
        selected = self.tree.selectedItems()
        chosen = selected[0].data(0, ITEM_ROLE) if selected else None
        if chosen:
            self.workspace.selection = chosen

    def _on_workspace_selection(self, selected: str | None) -> None:
        self._syncing = True
        self.tree.clearSelection()
        item = self._items.get(selected or "")
        if item is not None:
            item.setSelected(True)
            self.tree.scrollToItem(item)
        self._syncing = False

    def item_for(self, selected: str) -> QTreeWidgetItem | None:
        """Return the tree item of a selectable item id (for tests and scripting)."""
        return self._items.get(selected)


def _check(visible: bool) -> Qt.CheckState:
    return Qt.CheckState.Checked if visible else Qt.CheckState.Unchecked


def _children(layer: LayerState, document, language: str) -> list[tuple[str, str]]:
    spec = document.spec
    if layer.kind == "asset":
        asset_id = layer.id.split(":", 1)[1]
        asset = next(a for a in spec.assets if a.id == asset_id)
        return [(item_id("part", asset.id, p.id), p.name.text(language)) for p in asset.parts]
    if layer.kind == "sensors":
        return [(item_id("sensor", s.id), f"{s.id} {s.name.text(language)}")
                for s in spec.sensors]
    return []


class PropertiesDock(QDockWidget):
    """Shows the properties of the selected item.

    For an element of an IFC model: its class, name and GlobalId at once, then every property
    set and quantity set with units, read from the file on a worker thread (the first read of a
    large file parses it) so the window never waits.
    """

    _properties_read = Signal(str, object)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("propertiesDock")
        self.workspace = workspace
        self.models: dict[str, Any] = {}
        self.pending: Future | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ifc-properties")
        self.table = QTableWidget(0, 2, self)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWidget(self.table)
        self._properties_read.connect(self._show_properties, Qt.ConnectionType.QueuedConnection)
        workspace.events.selection.connect(self.refresh)
        workspace.events.language.connect(self.refresh)
        self.retranslate()

    def retranslate(self) -> None:
        """Set the texts in the current language."""
        self.setWindowTitle(self.tr("Properties"))
        self.table.setHorizontalHeaderLabels([self.tr("Property"), self.tr("Value")])

    def changeEvent(self, event: QEvent) -> None:
        """Re-read texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def refresh(self) -> None:
        """Show the rows of the current selection."""
        document = self.workspace.document
        selected = self.workspace.selection
        rows = describe(document, selected, self.workspace.language) if (
            document and selected) else []
        element = self._ifc_element(selected)
        if element is not None:
            model, global_id = element
            info = model.elements[model.element_index(global_id)]
            rows += [(self.tr("IFC class"), info.ifc_class), (self.tr("Name"), info.name or "-"),
                     ("GlobalId", global_id), (self.tr("Property sets"), self.tr("reading…"))]
            self.pending = self._pool.submit(self._read, selected, model, global_id)
        self._set_rows(rows)

    def _ifc_element(self, selected: str | None) -> tuple[Any, str] | None:
        kind, _, rest = (selected or "").partition(":")
        asset_id, _, global_id = rest.partition(":")
        model = self.models.get(asset_id) if kind == "part" else None
        if model is None:
            return None
        try:
            model.element_index(global_id)
        except KeyError:
            return None
        return model, global_id

    def _read(self, selected: str, model: Any, global_id: str) -> None:
        try:
            sets = model.element_properties(global_id)
        except Exception as error:  # a broken file must not take the panel down  # noqa: BLE001
            self._properties_read.emit(selected, error)
            return
        self._properties_read.emit(selected, sets)

    def _show_properties(self, selected: str, sets: object) -> None:
        if selected != self.workspace.selection:
            return  # the user moved on
        rows = [row for row in self.rows() if row[0] != self.tr("Property sets")]
        if isinstance(sets, Exception):
            rows.append((self.tr("Property sets"), self.tr("cannot be read: {error}").format(
                error=sets)))
        elif not sets:
            rows.append((self.tr("Property sets"), self.tr("none")))
        else:
            for set_name, values in sets.items():
                for name, (value, unit) in values.items():
                    shown = f"{value:g}" if isinstance(value, float) else str(value)
                    rows.append((f"{set_name}.{name}", f"{shown} {unit}" if unit else shown))
        self._set_rows(rows)

    def _set_rows(self, rows: list[tuple[str, str]]) -> None:
        self.table.setRowCount(len(rows))
        for index, (name, value) in enumerate(rows):
            self.table.setItem(index, 0, QTableWidgetItem(name))
            self.table.setItem(index, 1, QTableWidgetItem(value))

    def rows(self) -> list[tuple[str, str]]:
        """Return what the table shows (for tests)."""
        return [
            (self.table.item(r, 0).text(), self.table.item(r, 1).text())
            for r in range(self.table.rowCount())
        ]
