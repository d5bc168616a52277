"""The layer tree and properties docks; both follow the workspace and never own state."""

from __future__ import annotations

from qtpy.QtCore import QEvent, Qt
from qtpy.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from twin_app.core.properties import describe
from twin_app.core.workspace import LayerState, Workspace, item_id

ITEM_ROLE = Qt.ItemDataRole.UserRole
LAYER_ROLE = Qt.ItemDataRole.UserRole + 1


class LayerTreeDock(QDockWidget):
    """Scene tree: layers with visibility check boxes; models list their elements.

    Checking a box sets ``LayerState.visible``; selecting an element or sensor sets
    ``Workspace.selection``.  Both directions go through the workspace.
    """

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("layerTreeDock")
        self.workspace = workspace
        self.tree = QTreeWidget(self)
        self.tree.setHeaderHidden(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWidget(self.tree)
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
            for child_id, child_name in _children(layer, document, language):
                child = QTreeWidgetItem([child_name])
                child.setData(0, ITEM_ROLE, child_id)
                item.addChild(child)
                self._items[child_id] = child
        self._syncing = False

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
    """Shows the properties of the selected item."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("propertiesDock")
        self.workspace = workspace
        self.table = QTableWidget(0, 2, self)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWidget(self.table)
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
