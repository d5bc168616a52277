"""Readers and writers: IFC, DEM, vectors, time series and results."""
