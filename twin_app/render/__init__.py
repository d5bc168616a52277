"""VTK scene assembly without Qt: geometry from scenes, actors, viewpoints, off-screen rendering."""
