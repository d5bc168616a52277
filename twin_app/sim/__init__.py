"""Simulation plugin SDK, discovery and host (rehearsals run in worker processes)."""
