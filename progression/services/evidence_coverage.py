"""How far a worker's evidence covers a framework level, which level to show first, and the screen's overview."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from progression.errors import AccessDenied, InputError, NotFound, Problem
from progression.models import Capability, Evidence, EvidenceLink, FrameworkLevel, Role, Worker
from progression.reference import reference
from progression.services.actor import Actor, is_reviewer, worker_to_edit, worker_to_read
from progression.services.evidence import evidence_of
from progression.services.evidence_frameworks import framework_versions, version_on
from progression.services.evidence_models import CoverageCell, CoverageRead, EvidenceOverview, framework_label
from progression.services.facts import load_council

Target = tuple[str, str | None]
"""(framework key, level key or None)."""


def _coverage(session: Session, worker: Worker, framework_key: str, level_key: str | None, on: date) -> CoverageRead:
    candidates = framework_versions(session).get(framework_key.strip().casefold())
    if not candidates:
        raise NotFound(f"No framework has the key '{framework_key}'.")
    framework = version_on(candidates, on)
    label = framework_label(framework.key, framework.kind)
    all_levels = session.exec(
        select(FrameworkLevel).where(col(FrameworkLevel.framework_id).in_([f.id for f in candidates]))
    ).all()
    level = None
    if level_key:
        level = next((lv for lv in all_levels if lv.framework_id == framework.id and lv.key == level_key), None)
        if level is None:
            raise InputError(Problem("level", f"{label} has no level '{level_key}'"))
    capabilities = session.exec(
        select(Capability).where(Capability.framework_id == framework.id).order_by(col(Capability.position))
    ).all()
    spec = reference().frameworks.get(framework.key)
    spec_level = spec.level(level.key) if spec and level and spec.version == framework.version else None
    if spec_level is not None and spec_level.domains is not None:
        capabilities = [c for c in capabilities if c.code in spec_level.domains]
    group_titles = {g.key: g.title for g in spec.groups} if spec else {}
    query = (
        select(Evidence.id, Evidence.accepted_on, Capability.code)
        .join(EvidenceLink, col(EvidenceLink.evidence_id) == Evidence.id)
        .join(Capability, col(Capability.id) == EvidenceLink.capability_id)
        .where(Evidence.worker_id == worker.id, col(Capability.framework_id).in_([f.id for f in candidates]))
    )
    if level is not None:
        same_key = [lv.id for lv in all_levels if lv.key == level.key]
        if len({lv.key for lv in all_levels}) == 1:
            query = query.where(col(EvidenceLink.level_id).in_(same_key) | col(EvidenceLink.level_id).is_(None))
        else:
            query = query.where(col(EvidenceLink.level_id).in_(same_key))
    accepted: dict[str, set[int]] = {}
    pending: dict[str, set[int]] = {}
    first: dict[str, date] = {}
    for evidence_id, accepted_on, code in session.exec(query):
        if accepted_on is not None and accepted_on <= on:
            accepted.setdefault(code, set()).add(evidence_id)
            first[code] = min(first.get(code, accepted_on), accepted_on)
        else:
            pending.setdefault(code, set()).add(evidence_id)
    cells = [
        CoverageCell(
            code=c.code,
            title=c.title,
            group=c.group,
            group_title=group_titles.get(c.group or ""),
            position=c.position,
            accepted=len(accepted.get(c.code, ())),
            pending=len(pending.get(c.code, ())),
            first_accepted_on=first.get(c.code),
        )
        for c in capabilities
    ]
    return CoverageRead(
        staff_id=worker.staff_id,
        framework=framework.key,
        framework_label=label,
        framework_title=framework.title,
        version=framework.version,
        level=level.key if level else None,
        level_title=level.title if level else None,
        on=on,
        cells=cells,
    )


def coverage(engine: Engine, actor: Actor, staff_id: str, framework: str, level: str | None, on: date) -> CoverageRead:
    """For each capability of a framework level: the worker's accepted and pending evidence, and the first
    acceptance. Evidence accepted after `on` counts as pending. `level` None counts links at any level.

    Raises:
        NotFound: no such framework. InputError: the framework has no such level.
    """
    with Session(engine) as session:
        worker = worker_to_read(session, actor, staff_id, "evidence")
        return _coverage(session, worker, framework, level, on)


def _default_target(session: Session, worker: Worker) -> Target | None:
    council = load_council(session)
    role = session.get_one(Role, worker.role_id)
    steps = council.out.get(role.key, [])
    for step in steps:
        for requirement in step.requirements:
            if requirement.kind == "evidence" and requirement.framework:
                return requirement.framework, requirement.level
    frameworks = framework_versions(session)
    for step in steps:
        for requirement in step.requirements:
            programme = (requirement.programme or "").casefold()
            if requirement.kind == "completed" and programme in frameworks:
                return frameworks[programme][0].key, None  # an apprenticeship standard's KSBs
    if steps:
        next_role = council.roles.get(steps[0].to_role)
        if next_role is not None and next_role.pcf_level:
            return "pcf", next_role.pcf_level
    return ("pcf", role.pcf_level) if role.pcf_level else None


def default_coverage_target(engine: Engine, actor: Actor, staff_id: str, on: date) -> Target | None:
    """The framework level a worker's evidence is measured against first: that of the first next step with an
    `evidence` requirement; else the KSBs of a programme a next step asks to complete (an apprentice's
    standard, ST0510); else the PCF level of the first next step's role; else that of their own role.
    `on` is the date the next steps are read for (the council's transitions do not change with it)."""
    with Session(engine) as session:
        return _default_target(session, worker_to_read(session, actor, staff_id, "evidence"))


def evidence_overview(
    engine: Engine, actor: Actor, staff_id: str, on: date, target: Target | None = None
) -> EvidenceOverview:
    """Everything the evidence screen shows: the evidence, what the actor may do, and the coverage of `target`
    (the default target when None)."""
    with Session(engine) as session:
        worker = worker_to_read(session, actor, staff_id, "evidence")
        try:
            worker_to_edit(session, actor, staff_id, "evidence")
            may_edit = True
        except AccessDenied:
            may_edit = False
        target = target or _default_target(session, worker)
        return EvidenceOverview(
            staff_id=worker.staff_id,
            name=worker.name,
            evidence=evidence_of(session, worker),
            may_edit=may_edit,
            may_review=is_reviewer(session, actor, worker),
            target=target,
            coverage=_coverage(session, worker, target[0], target[1], on) if target else None,
        )
