"""`progression init`: upgrade the schema in place, seed reference data, load an authority file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlmodel import Session, select

from progression.authority import Authority, load_authority
from progression.db import repair_schema, sqlite_file, tighten_to_owner_only, upgrade, write_transaction
from progression.locations import data_dir
from progression.models import Capability, Council, Framework, FrameworkLevel, Programme
from progression.reference import Reference, reference
from progression.services.actor import Actor, require_admin
from progression.services.audit import record
from progression.services.council import apply_authority

DEMO_AUTHORITY = "councils/demo.yaml"


@dataclass
class InitReport:
    revision_before: str | None
    revision_after: str
    reference_added: dict[str, int] = field(default_factory=dict)
    council: dict[str, int | str] | None = None
    applied: int = 0
    automatic: int = 0
    problems: list[str] = field(default_factory=list)
    """What could not be repaired, each with what the administrator should do (shown on standard error)."""
    tightened: str | None = None
    """SQLite: the database file (and its -wal and -shm files) made owner-only, with the mode it had."""

    def lines(self) -> list[str]:
        before = self.revision_before or "empty"
        out = [
            f"schema: {before} → {self.revision_after}"
            if before != self.revision_after
            else f"schema: up to date ({self.revision_after})"
        ]
        added = ", ".join(f"{n} {what}" for what, n in self.reference_added.items() if n)
        out.append(f"reference data: {added} added" if added else "reference data: up to date")
        if self.applied or self.automatic:
            out.append(f"progression: {self.applied} approved moves applied, {self.automatic} automatic steps taken")
        if self.council:
            out.append(
                f"council: {self.council['name']} ({self.council['routes']} routes, {self.council['roles']} roles, "
                f"{self.council['transitions']} transitions)"
            )
        if self.tightened:
            out.append(self.tightened)
        return out


def seed_reference(session: Session, data: Reference) -> dict[str, int]:
    """Insert the frameworks, levels, capabilities and programmes that are missing; update titles. Idempotent."""
    added = {"frameworks": 0, "capabilities": 0, "programmes": 0}
    frameworks = {(f.key, f.version): f for f in session.exec(select(Framework))}
    levels = {(lv.framework_id, lv.key): lv for lv in session.exec(select(FrameworkLevel))}
    capabilities = {(c.framework_id, c.code): c for c in session.exec(select(Capability))}
    for spec in data.frameworks.values():
        row = frameworks.get((spec.key, spec.version))
        if row is None:
            row = Framework(key=spec.key, version=spec.version, title=spec.title, kind=spec.kind)
            added["frameworks"] += 1
        row.title, row.owner, row.kind = spec.title, spec.owner, spec.kind
        row.valid_from, row.valid_to = spec.valid_from, spec.valid_to
        row.sources = [source.ref for source in spec.sources]
        session.add(row)
        session.flush()
        for level in spec.levels:
            lv = levels.get((row.id, level.key)) or FrameworkLevel(
                framework_id=row.id, key=level.key, title=level.title
            )  # type: ignore[arg-type]
            lv.title, lv.position, lv.pathway_of = level.title, level.position, level.pathway_of
            session.add(lv)
        for position, capability in enumerate(spec.capabilities):
            cap = capabilities.get((row.id, capability.code))
            if cap is None:
                cap = Capability(framework_id=row.id, code=capability.code, title=capability.title)  # type: ignore[arg-type]
                added["capabilities"] += 1
            cap.title, cap.group, cap.position, cap.aliases = (
                capability.title,
                capability.group,
                position,
                list(capability.aliases),
            )
            session.add(cap)
    programmes = {p.key: p for p in session.exec(select(Programme))}
    for spec in data.programmes.values():
        row = programmes.get(spec.key)
        if row is None:
            row = Programme(key=spec.key, title=spec.title, kind=spec.kind)
            added["programmes"] += 1
        row.title, row.kind, row.duration_months, row.local = spec.title, spec.kind, spec.duration_months, False
        session.add(row)
    return added


def initialise(
    engine: Engine, actor: Actor, *, authority: Path | None, today: date, demo_council: bool = False
) -> InitReport:
    """Create or upgrade the database, seed reference data, load an authority file if given, and take the steps
    now due: all in one transaction, so a failure or a kill at any moment leaves the database as it was.

    The authority file is validated before anything is written; on any error nothing changes.
    """
    require_admin(actor, "initialise the database")
    prepared = prepare_init(authority, demo_council)
    with write_transaction(engine) as connection:
        return initialise_on(connection, actor, prepared, today)


@dataclass
class PreparedInit:
    """What `init` will load, read and validated before the database is touched."""

    data: Reference
    path: Path | None
    parsed: Authority | None


def prepare_init(authority: Path | None, demo_council: bool) -> PreparedInit:
    """Read the reference data and the authority file (or the demo council's); raises on any problem."""
    data = reference()
    path = data_dir() / DEMO_AUTHORITY if demo_council and authority is None else authority
    return PreparedInit(data, path, load_authority(path, data) if path is not None else None)


def initialise_on(connection: Connection, actor: Actor, prepared: PreparedInit, today: date) -> InitReport:
    """`init`'s work in the caller's transaction (which `demo` shares, so the two are one unit)."""
    require_admin(actor, "initialise the database")
    tightened, cannot = _owner_only(connection)
    before, after = upgrade(connection)
    report = InitReport(before, after, tightened=tightened)
    report.problems = repair_schema(connection) + ([cannot] if cannot else [])
    with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
        report.reference_added = seed_reference(session, prepared.data)
        if prepared.parsed is not None and prepared.path is not None:
            report.council = apply_authority(session, actor, prepared.parsed, prepared.path)
        if before != after:
            record(session, actor, "upgrade", "schema", after, before={"revision": before}, after={"revision": after})
        session.commit()
    if has_council(connection):
        from progression.services.decisions import catch_up

        report.applied, report.automatic = catch_up(connection, today)
    return report


def _owner_only(connection: Connection) -> tuple[str | None, str | None]:
    """SQLite is one person's file: its database, -wal and -shm files are made readable by their owner only, if they
    were not (a file made before this rule, or copied with a looser mode). (What was tightened, what could not be.)"""
    path = sqlite_file(connection.engine.url.render_as_string(hide_password=False))
    return tighten_to_owner_only(path) if path is not None else (None, None)


def has_council(bind: Engine | Connection) -> bool:
    """Whether a council's routes are loaded."""
    with Session(bind) as session:
        return session.exec(select(Council.id)).first() is not None
