"""The frameworks evidence links to: the version in force on a date, naming links, and the picker's choices."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from progression.errors import ProblemList
from progression.models import Capability, Framework, FrameworkLevel
from progression.services.actor import Actor
from progression.services.evidence_models import (
    CapabilityChoice,
    FrameworkChoice,
    LevelChoice,
    LinkIn,
    capability_noun,
    framework_label,
)

LinkKey = tuple[int, int | None]
"""(capability id, level id or None): one stored link."""


def version_on(versions: list[Framework], day: date) -> Framework:
    """The version of a framework in force on `day`, else the newest."""
    in_force = [f for f in versions if (f.valid_from or date.min) <= day <= (f.valid_to or date.max)]
    return max(in_force or versions, key=lambda f: (f.valid_from or date.min, f.id or 0))


def framework_versions(session: Session) -> dict[str, list[Framework]]:
    """Every framework row, by case-folded key."""
    versions: dict[str, list[Framework]] = {}
    for framework in session.exec(select(Framework)):
        versions.setdefault(framework.key.casefold(), []).append(framework)
    return versions


def resolve_links(session: Session, links: list[LinkIn], day: date, problems: ProblemList) -> list[LinkKey]:
    """The (capability, level) pairs the links name, in the framework versions in force on `day`.

    A code may be an alias, and names are matched whatever their case. A link without a level to a framework
    with a single level is at that level. Unknown names are added to `problems` (e.g. `links[2].code`).
    """
    if not links:
        problems.add("links", "link the evidence to at least one capability")
        return []
    versions = framework_versions(session)
    found: list[LinkKey] = []
    for i, link in enumerate(links):
        place = f"links[{i}]"
        candidates = versions.get(link.framework.strip().casefold())
        if not candidates:
            problems.add(f"{place}.framework", f"unknown framework '{link.framework}'")
            continue
        framework = version_on(candidates, day)
        label = framework_label(framework.key, framework.kind)
        name = link.code.strip().casefold()
        capabilities = session.exec(select(Capability).where(Capability.framework_id == framework.id))
        capability = next((c for c in capabilities if name in {n.casefold() for n in [c.code, *c.aliases]}), None)
        if capability is None:
            problems.add(f"{place}.code", f"unknown {label} {capability_noun(framework.kind)} '{link.code}'")
            continue
        levels = session.exec(select(FrameworkLevel).where(FrameworkLevel.framework_id == framework.id)).all()
        level: FrameworkLevel | None = None
        wanted = (link.level or "").strip().casefold()
        if wanted:
            level = next((lv for lv in levels if lv.key.casefold() == wanted), None)
            if level is None:
                known = "it has no levels" if not levels else f"its levels are {', '.join(lv.key for lv in levels)}"
                problems.add(f"{place}.level", f"{label} has no level '{link.level}'; {known}")
                continue
        elif len(levels) == 1:
            level = levels[0]
        key = (capability.id or 0, level.id if level else None)
        if key not in found:
            found.append(key)
    return found


def capability_choices(engine: Engine, actor: Actor, on: date) -> list[FrameworkChoice]:
    """The frameworks in force on `on` that have capabilities, with their levels and capabilities.

    Reference data, open to every actor. PCF first, then by key.
    """
    with Session(engine) as session:
        in_force = [
            f for f in session.exec(select(Framework)) if (f.valid_from or date.min) <= on <= (f.valid_to or date.max)
        ]
        choices = []
        for framework in sorted(in_force, key=lambda f: (f.key != "pcf", f.key.casefold())):
            capabilities = session.exec(
                select(Capability).where(Capability.framework_id == framework.id).order_by(col(Capability.position))
            ).all()
            if not capabilities:
                continue
            levels = session.exec(
                select(FrameworkLevel)
                .where(FrameworkLevel.framework_id == framework.id)
                .order_by(col(FrameworkLevel.position), col(FrameworkLevel.id))
            ).all()
            choices.append(
                FrameworkChoice(
                    key=framework.key,
                    label=framework_label(framework.key, framework.kind),
                    version=framework.version,
                    title=framework.title,
                    kind=framework.kind,
                    noun=capability_noun(framework.kind),
                    levels=[LevelChoice(key=lv.key, title=lv.title, pathway_of=lv.pathway_of) for lv in levels],
                    capabilities=[
                        CapabilityChoice(code=c.code, title=c.title, group=c.group, aliases=list(c.aliases))
                        for c in capabilities
                    ],
                )
            )
        return choices
