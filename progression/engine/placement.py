"""Academy placements: days against the 200-day rule, skills days, contrasting settings, statutory tasks (§7)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from progression.reference import Reference


@dataclass(frozen=True, slots=True)
class SettingFact:
    setting: str
    kind: str
    statutory_tasks_done: bool
    final: bool
    educator_stage: int | None


@dataclass(slots=True)
class PlacementStatus:
    placement_days: int
    skills_days: int
    total_days: int
    min_total_days: int
    max_skills_days: int
    settings: int
    contrasting: bool
    statutory_tasks_done: bool
    final_assessor_ok: bool
    complete: bool
    problems: list[str] = field(default_factory=list)


def placement_status(
    days: Sequence[tuple[date, str]], settings: Sequence[SettingFact], on: date, reference: Reference
) -> PlacementStatus:
    """Where a student's placement stands against the rule in force on `on`."""
    rule = reference.placement_rule_on(on)
    logged = [(d, kind) for d, kind in days if d <= on]
    skills = sum(1 for _, kind in logged if kind == "skills")
    placement = len(logged) - skills
    counted_skills = min(skills, rule.max_skills_days)
    kinds = {s.kind for s in settings if s.kind}
    contrasting = len(kinds) >= rule.min_settings if rule.contrasting_settings else len(settings) >= rule.min_settings
    statutory = any(s.statutory_tasks_done for s in settings) or not rule.statutory_tasks_required
    final_ok = all((s.educator_stage or 0) >= 2 for s in settings if s.final)
    problems = []
    if skills > rule.max_skills_days:
        problems.append(f"{skills} skills days logged; at most {rule.max_skills_days} count")
    if not final_ok:
        problems.append("the final placement's educator is not a stage 2 practice educator")
    total = placement + counted_skills
    complete = total >= rule.min_total_days and contrasting and statutory and final_ok
    return PlacementStatus(
        placement,
        skills,
        total,
        rule.min_total_days,
        rule.max_skills_days,
        len(settings),
        contrasting,
        statutory,
        final_ok,
        complete,
        problems,
    )
