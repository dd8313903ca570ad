"""The evidence services' input and read models, and how frameworks are named to people."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

KINDS = ("observation", "feedback-person", "feedback-professional", "written-report", "reflection", "other")
"""What a piece of evidence can be (the ASYE's evidence types, plus reflection and other)."""

KIND_TITLES = {
    "observation": "Direct observation",
    "feedback-person": "Feedback from a person using services",
    "feedback-professional": "Feedback from another professional",
    "written-report": "Written report",
    "reflection": "Critical reflection",
    "other": "Other",
}


def framework_label(key: str, kind: str) -> str:
    """A framework's short name, as people say it: PCF, PQS, ST0510."""
    if key == "pcf":
        return "PCF"
    return {
        "post-qualifying-standards": "PQS",
        "professional-standards": "SWE standards",
        "early-career-standards": "Early career standards",
    }.get(kind, key)


def capability_noun(kind: str) -> str:
    """What one capability of a framework of this kind is called: domain, statement, KSB, standard."""
    return {"capabilities": "domain", "post-qualifying-standards": "statement", "apprenticeship-ksbs": "KSB"}.get(
        kind, "standard"
    )


class LinkIn(BaseModel):
    """Evidence counted against one capability: framework key, code or alias, and optionally a level."""

    framework: str
    code: str
    level: str | None = None


class EvidenceCreate(BaseModel):
    """A piece of evidence as the worker writes it (also used to edit one)."""

    title: str = ""
    happened_on: date | None = None
    kind: str = "observation"
    reflection: str = ""
    file_path: str | None = None
    links: list[LinkIn] = []


class LinkRead(BaseModel):
    framework: str
    """The framework's key (pcf, pqs-cf-practitioner, ST0510)."""
    framework_label: str
    version: str
    code: str
    title: str
    level: str | None
    level_title: str | None


class EvidenceRead(BaseModel):
    """One piece of evidence, who accepted it, and every capability it counts against."""

    id: int
    staff_id: str
    title: str
    happened_on: date
    kind: str
    reflection: str
    file_path: str | None
    file_found: bool
    """Whether the file exists on this machine (False when there is no file)."""
    accepted: bool
    accepted_by_name: str | None
    accepted_by_staff_id: str | None
    accepted_on: date | None
    offered: bool
    """Offered with a progression request, so it cannot be removed."""
    links: list[LinkRead]


class CoverageCell(BaseModel):
    """One capability of a framework level and the evidence counted against it."""

    code: str
    title: str
    group: str | None
    group_title: str | None = None
    position: int
    accepted: int
    pending: int
    first_accepted_on: date | None

    @property
    def state(self) -> str:
        """accepted, pending (evidence, none accepted yet) or none."""
        return "accepted" if self.accepted else "pending" if self.pending else "none"


class CoverageRead(BaseModel):
    """How well a worker's evidence covers every capability of one framework level."""

    staff_id: str
    framework: str
    framework_label: str
    framework_title: str
    version: str
    level: str | None
    level_title: str | None
    on: date
    cells: list[CoverageCell]

    @property
    def title(self) -> str:
        """The framework and level in a few words, e.g. 'PCF 2018 · Experienced social worker'."""
        name = f"{self.framework_label} {self.version}"
        return f"{name} · {self.level_title}" if self.level_title else name

    def count(self, state: str) -> int:
        """How many capabilities are in a state (accepted, pending or none)."""
        return sum(1 for cell in self.cells if cell.state == state)


class LevelChoice(BaseModel):
    key: str
    title: str
    pathway_of: str | None


class CapabilityChoice(BaseModel):
    code: str
    title: str
    group: str | None
    aliases: list[str]


class FrameworkChoice(BaseModel):
    """A framework in force, with its levels and capabilities, for linking evidence."""

    key: str
    label: str
    version: str
    title: str
    kind: str
    noun: str
    levels: list[LevelChoice]
    capabilities: list[CapabilityChoice]


class EvidenceOverview(BaseModel):
    """Everything the evidence screen shows for one worker, read at once."""

    staff_id: str
    name: str
    evidence: list[EvidenceRead]
    may_edit: bool
    may_review: bool
    target: tuple[str, str | None] | None
    """The framework level the coverage is shown for: the chosen one, else the default target."""
    coverage: CoverageRead | None
