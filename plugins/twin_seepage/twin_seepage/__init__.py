"""twin_seepage: 2D finite-element seepage for flood walls and embankments.

Sections (:mod:`twin_seepage.sections`, TOML in :mod:`twin_seepage.section_toml`), a P1 finite
element solver for steady confined/unconfined and transient flow (:mod:`twin_seepage.solver`,
:mod:`twin_seepage.transient`), piping and uplift checks (:mod:`twin_seepage.checks`) and leak
detection from piezometers (:mod:`twin_seepage.leaks`). Qt-free and VTK-free: numpy in, numpy out.

Example
-------
>>> from twin_seepage import examples, solve_steady
>>> result = solve_steady(examples.flood_wall_section(), size=2.0)  # doctest: +SKIP
>>> result.discharge  # m3/s per metre run  # doctest: +SKIP
"""

from twin_seepage.checks import (
    CheckResult,
    allowable_gradient_check,
    creep_lengths,
    exit_checks,
    exit_gradient_check,
    heave_check,
    lane_check,
    sellmeijer,
    sellmeijer_check,
    uplift_check,
)
from twin_seepage.errors import (
    BoundaryError,
    ConvergenceError,
    GapError,
    GeometryError,
    MeshError,
    OverlapError,
    PermeabilityError,
    PiezometerError,
    SectionError,
    SeepageError,
    SoilDataError,
    StageSeriesError,
)
from twin_seepage.leaks import LeakFlag, detect_leaks
from twin_seepage.mesh import SectionMesh, build_mesh
from twin_seepage.results import ExitGradients, SeepageResult
from twin_seepage.section_toml import load_section, save_section
from twin_seepage.sections import Boundary, Layer, Piezometer, Section, SheetPile, Soil, Wall
from twin_seepage.series import TimeSeries
from twin_seepage.solver import SolverOptions, SteadySolver, solve_steady
from twin_seepage.transient import TransientResult, TransientSolver

__all__ = [
    "Boundary", "BoundaryError", "CheckResult", "ConvergenceError", "ExitGradients", "GapError",
    "GeometryError", "Layer", "LeakFlag", "MeshError", "OverlapError", "PermeabilityError",
    "Piezometer", "PiezometerError", "Section", "SectionError", "SectionMesh", "SeepageError",
    "SeepageResult", "SheetPile", "Soil", "SoilDataError", "SolverOptions", "StageSeriesError",
    "SteadySolver", "TimeSeries", "TransientResult", "TransientSolver", "Wall",
    "allowable_gradient_check", "build_mesh", "creep_lengths", "detect_leaks",
    "exit_checks", "exit_gradient_check", "heave_check", "lane_check", "load_section",
    "save_section", "sellmeijer", "sellmeijer_check", "solve_steady", "uplift_check",
]
