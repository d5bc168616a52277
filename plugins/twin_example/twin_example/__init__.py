"""Example twin_app simulation plugin: a linear reservoir filling the scene DEM like a bathtub."""
