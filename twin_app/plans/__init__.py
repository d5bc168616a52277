"""Response plans (预案): a plan library per scene, triggers, rehearsal with and without, briefs.

Qt-free and VTK-free.

- :mod:`~twin_app.plans.library`: the ``plans.toml`` format and :func:`load_library`;
- :mod:`~twin_app.plans.triggers`: :class:`TriggerEvaluator` (compiled, fast) and
  :class:`PlanMonitor` (reports plans that became triggered or cleared);
- :mod:`~twin_app.plans.rehearse`: :func:`rehearse_plan`, the same forecast with and without the
  plan's actions, compared, with a difference map;
- :mod:`~twin_app.plans.brief`: :func:`write_brief`, the plan brief as PDF (Chinese and English).
"""

from twin_app.plans.brief import BriefError, find_cjk_font_file, write_brief
from twin_app.plans.library import (
    Action,
    Condition,
    Plan,
    PlanLibrary,
    PlanLibraryError,
    load_library,
)
from twin_app.plans.rehearse import PlanComparison, rehearse_plan
from twin_app.plans.triggers import ConditionResult, PlanMonitor, PlanStatus, TriggerEvaluator

__all__ = [
    "Action",
    "BriefError",
    "Condition",
    "ConditionResult",
    "Plan",
    "PlanComparison",
    "PlanLibrary",
    "PlanLibraryError",
    "PlanMonitor",
    "PlanStatus",
    "TriggerEvaluator",
    "find_cjk_font_file",
    "load_library",
    "rehearse_plan",
    "write_brief",
]
