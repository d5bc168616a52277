"""Exceptions raised by twin_seepage.

Every error raised on bad input derives from :class:`SectionError` (itself a ``ValueError``), so a
caller can catch all of them at once; the message names the item and the place that is wrong.
"""

from __future__ import annotations


class SeepageError(Exception):
    """Base class of every error raised by twin_seepage."""


class SectionError(SeepageError, ValueError):
    """A section is not valid; raised before any mesh is built or system solved."""


class GeometryError(SectionError):
    """A polygon or line of the section is malformed (too few points, self-intersecting)."""


class OverlapError(SectionError):
    """Two layers (or a layer and a wall) overlap."""


class GapError(SectionError):
    """The layers leave an open gap (a hole, or separate pieces) in the section."""


class PermeabilityError(SectionError):
    """A permeability or storage value is zero, negative or not finite."""


class SoilDataError(SectionError):
    """Soil data for the piping checks are missing or out of range."""


class PiezometerError(SectionError):
    """A piezometer lies outside the flow domain or its id is repeated."""


class BoundaryError(SectionError):
    """A river-side or land-side boundary does not lie on the section's outline."""


class StageSeriesError(SectionError):
    """A river-stage (or measured head) time series has gaps, repeats or bad values."""


class MeshError(SeepageError):
    """The mesher failed or produced an unusable mesh."""


class ConvergenceError(SeepageError):
    """The non-linear (phreatic surface / seepage face) iteration did not converge."""
