"""twin_app: a desktop digital twin of Shanghai's flood-control works.

The package is layered (see ``README.md``): ``core`` holds the Qt-free, VTK-free domain
model, ``io`` the readers, ``telemetry`` and ``sim`` the feeds and simulation host, ``render``
the VTK scene assembly and ``qt`` the PySide6 views.  Lower layers never import upper ones.
"""

__version__ = "0.1.0"
