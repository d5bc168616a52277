"""The About box: what the app is, and which data is illustrative."""

from __future__ import annotations

import html

from qtpy.QtCore import QCoreApplication
from qtpy.QtWidgets import QMessageBox, QWidget

from twin_app import __version__
from twin_app.core.scene_loader import SceneDocument


def about_text(document: SceneDocument | None, language: str) -> str:
    """Return the About box's rich text, naming what in the open scene is illustrative."""
    parts = [
        "<h3>" + html.escape(QCoreApplication.translate("About", "Flood-control digital twin"))
        + f" {__version__}</h3>",
        "<p>" + html.escape(QCoreApplication.translate(
            "About",
            "A desktop digital twin of Shanghai's flood-control works: BIM models on a terrain "
            "base at their true map position, live monitoring, warnings and rehearsals.",
        )) + "</p>",
        "<p><b>" + html.escape(QCoreApplication.translate("About", "Data")) + "</b>: "
        + html.escape(QCoreApplication.translate(
            "About",
            "Published facts about the works (location, sluice width, sill level, warning "
            "levels) come from public sources. Terrain, structure dimensions that are not "
            "published, sensor layouts and recorded events are illustrative, not survey or "
            "design data.",
        )) + "</p>",
    ]
    if document is not None:
        spec = document.spec
        parts.append(
            f"<p><b>{html.escape(spec.name.text(language))}</b>: "
            f"{html.escape(spec.illustrative_note.text(language))}</p>"
        )
        datum = spec.vertical_datum
        parts.append(
            "<p>" + html.escape(QCoreApplication.translate("About", "Heights")) + ": "
            f"{html.escape(datum.name.text(language))}, H(1985) = H {datum.to_nhd1985_m:+.2f} m"
            f" — {html.escape(datum.note)}</p>"
        )
    return "\n".join(parts)


def show_about(parent: QWidget, document: SceneDocument | None, language: str) -> QMessageBox:
    """Open the About box (non-modal, so a wall display is never blocked) and return it."""
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle(QCoreApplication.translate("About", "About"))
    box.setText(about_text(document, language))
    box.setModal(False)
    box.show()
    return box
