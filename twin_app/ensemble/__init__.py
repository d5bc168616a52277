"""Ensembles with probability: members sample uncertain inputs, run through the plugin host.

Qt-free and VTK-free; Dask distributed runs the members (a LocalCluster by default, or the
scheduler of a cluster), or they run one after another.

- :mod:`~twin_app.ensemble.spec`: the TOML spec (base, perturbations, seed) and member sampling;
- :mod:`~twin_app.ensemble.prepare`: :func:`prepare_ensemble`, members checked into tasks;
- :mod:`~twin_app.ensemble.member`: one member as a task (run folder in, summary out);
- :mod:`~twin_app.ensemble.runner`: :class:`EnsembleRun` (progress, cancel, results);
- :mod:`~twin_app.ensemble.aggregate`: flood probability per cell, max-depth percentiles,
  exceedance curves at points, written as NetCDF and GeoTIFF.
"""

from twin_app.ensemble.aggregate import Aggregate
from twin_app.ensemble.member import MemberOutcome, MemberTask, run_member
from twin_app.ensemble.prepare import EnsemblePlan, prepare_ensemble
from twin_app.ensemble.runner import EnsembleError, EnsembleEvent, EnsembleResult, EnsembleRun
from twin_app.ensemble.spec import (
    EnsembleSpec,
    EnsembleSpecError,
    Member,
    Perturbation,
    find_scene_spec,
    load_spec,
    sample_members,
    scene_specs,
)

__all__ = [
    "Aggregate",
    "EnsembleError",
    "EnsembleEvent",
    "EnsemblePlan",
    "EnsembleResult",
    "EnsembleRun",
    "EnsembleSpec",
    "EnsembleSpecError",
    "Member",
    "MemberOutcome",
    "MemberTask",
    "Perturbation",
    "find_scene_spec",
    "load_spec",
    "prepare_ensemble",
    "run_member",
    "sample_members",
    "scene_specs",
]
