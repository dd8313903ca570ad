"""The progression engine: plain functions over plain facts (no database, no UI), so it is fast and testable."""

from progression.engine.facts import CouncilFacts, RequirementFacts, RoleFacts, TransitionFacts, WorkerFacts
from progression.engine.steps import PathResult, PathStep, RequirementResult, StepResult, next_steps, quickest_path

__all__ = [
    "CouncilFacts",
    "PathResult",
    "PathStep",
    "RequirementFacts",
    "RequirementResult",
    "RoleFacts",
    "StepResult",
    "TransitionFacts",
    "WorkerFacts",
    "next_steps",
    "quickest_path",
]
