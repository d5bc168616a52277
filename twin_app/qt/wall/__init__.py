"""Command-centre wall mode (指挥中心大屏): tiles over one or more screens, run unattended.

- :mod:`~twin_app.qt.wall.window`: :class:`WallWindow`, the grid of tiles, the tour, alarm jumps;
- :mod:`~twin_app.qt.wall.tiles`, :mod:`~twin_app.qt.wall.gauges`, :mod:`~twin_app.qt.wall.views`:
  the tiles (title, clock, status, alarms, gauges, chart, 3D scene, rehearsal);
- :mod:`~twin_app.qt.wall.remote`: the control API's commands carried out on the GUI thread;
- :mod:`~twin_app.qt.wall.app`: :func:`run_wall`, what ``twin-app wall`` runs.

The layout format, the tour and the HTTP API are Qt-free: :mod:`twin_app.core.wall_layout`,
:mod:`twin_app.core.wall_tour`, :mod:`twin_app.core.wall_control`.
"""

from twin_app.qt.wall.window import WallWindow

__all__ = ["WallWindow"]
