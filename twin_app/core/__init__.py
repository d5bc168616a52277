"""Qt-free, VTK-free domain model: scenes, coordinates, datums, workspace state and errors."""
