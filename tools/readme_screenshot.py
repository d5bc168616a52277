"""Take the README's screenshot: the real main window, hours into a scene's replayed event.

Run under a virtual screen: ``xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python
tools/readme_screenshot.py docs/screenshot.png xinchuansha zh_CN 49``
(arguments: output PNG, scene, language, hours into the typhoon event).
"""

import sys
from datetime import timedelta

from qtpy.QtCore import QEventLoop, QTimer

from twin_app.qt.app import create_main_window, ensure_application


def main() -> None:
    """Open the scene, replay its event, jump ahead, select a gauge, save the window."""
    out, scene, language, hours = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    app = ensure_application()
    window = create_main_window(language=language)
    window.show()
    loop = QEventLoop()
    window.scene_shown.connect(lambda _scene: loop.quit())
    window.open_scene(scene)
    loop.exec()
    window.replay_event_named("typhoon")
    window.workspace.clock.set_time(window.workspace.clock.time + timedelta(hours=hours))
    if "hub_closeup" in [v.id for v in window.workspace.document.spec.viewpoints]:
        window.go_to_viewpoint("hub_closeup")
    gauge = next(s for s in window.workspace.document.spec.sensors
                 if s.kind.value == "water_level")
    window.workspace.selection = f"sensor:{gauge.id}"

    def shoot() -> None:
        app.processEvents()
        window.grab().save(out)
        window.close()
        app.quit()

    QTimer.singleShot(2500, shoot)
    app.exec()


if __name__ == "__main__":
    main()
