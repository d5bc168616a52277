"""Step a transient run one time step at a time (for a caller that owns the clock, e.g. a BMI).

:meth:`twin_seepage.transient.TransientSolver.run` runs a whole stage series at once; a
:class:`TransientStepper` does the same steps one by one, with the stage of each step given by
the caller, so a host can drive the model with ``update()`` / ``update_until(t)``. The numerics
are those of ``run``: implicit Euler with storage, mass-conservative modified Picard, the same
seepage-face switching and the same reuse of factorisations.

Example
-------
>>> solver = TransientSolver(section, size=2.0)                 # doctest: +SKIP
>>> stepper = TransientStepper(solver, first_stage=3.0, lowest_stage=2.0)  # doctest: +SKIP
>>> stepper.step(stage=3.2, dt=600.0)                          # doctest: +SKIP
>>> stepper.result().discharge                                 # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np

from twin_seepage.results import PointLocator, SeepageResult
from twin_seepage.solver import BoundaryState
from twin_seepage.transient import TransientSolver


class TransientStepper:
    """The state of one transient run between steps.

    Parameters
    ----------
    solver : TransientSolver
        The solver (mesh, assembly, options) of the section.
    first_stage : float
        River stage at the start (m).
    lowest_stage : float
        The lowest stage the run will see (m): the river nodes below it are fixed for the whole
        run, which lets the factorisation be reused (as in ``TransientSolver.run``).
    initial : ndarray, optional
        Initial nodal heads; default: the steady state for ``first_stage``.

    Attributes
    ----------
    head : ndarray (n,)
        Nodal heads now.
    time : float
        Seconds since the start.
    discharge, river_inflow : float
        Land-side outflow and river inflow (m3/s per m run) of the last step.
    stage : float
        The stage of the last step.
    """

    def __init__(self, solver: TransientSolver, first_stage: float, lowest_stage: float,
                 initial: np.ndarray | None = None) -> None:
        self.solver = solver
        section = solver.section
        self.head = (solver.solve(float(first_stage)).head if initial is None
                     else np.asarray(initial, dtype=np.float64).copy())
        self.state = BoundaryState(section, solver.mesh)
        self.state.set_stage(float(min(lowest_stage, first_stage)))
        solver._base_fixed = self.state.head_fixed.copy()
        solver._last_stiffness = None
        self.state.set_stage(float(first_stage))
        self.state.initial_active(self.head)
        self._head_old = self.head
        self._dt = 1.0
        self.time = 0.0
        self.stage = float(first_stage)
        self.discharge, self.river_inflow = solver._fluxes(self.state, self.head, self.head, 1.0)
        self._locator = (PointLocator.build(solver.mesh, [[p.x, p.z]
                                                          for p in section.piezometers])
                         if section.piezometers else None)

    def step(self, stage: float, dt: float) -> None:
        """Advance by ``dt`` seconds with the river at ``stage`` at the end of the step.

        Raises
        ------
        ConvergenceError
            If the step does not converge.
        """
        solver = self.solver
        self.state.set_stage(float(stage))
        self.state.reset_flips()
        head_old = self.head
        self.head, _ = solver._advance(self.state, head_old, float(dt))
        self.discharge, self.river_inflow = solver._fluxes(self.state, self.head, head_old,
                                                           float(dt))
        self._head_old, self._dt = head_old, float(dt)
        self.time += float(dt)
        self.stage = float(stage)

    def piezometer_heads(self) -> np.ndarray:
        """Return the heads at the section's piezometers now, in section order."""
        if self._locator is None:
            return np.empty(0)
        return self._locator.values(self.solver.mesh, self.head)

    def result(self) -> SeepageResult:
        """Return the full result now (velocities, seepage face, exit gradients)."""
        return self.solver._step_result(self.state, self.head, self._head_old, self._dt, 0,
                                        self.time)
