"""PySide6 views: main window, docks, status bar; they follow the core models' events."""
