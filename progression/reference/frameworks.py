"""Frameworks: capabilities (domains, statements, standards, KSBs) and the levels they are met at."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from progression.reference.base import (
    MAX_COUNT,
    Code,
    Dated,
    Key,
    Loc,
    Model,
    Service,
    Source,
    duplicates,
    raise_if,
)


class Group(Model):
    """A grouping of capabilities (a PCF super-domain, or knowledge/skill/behaviour)."""

    key: Key
    title: str
    unverified: bool = False
    note: str | None = None


class Capability(Model):
    """One domain, statement, standard or KSB of a framework."""

    code: Code
    title: str = Field(min_length=1)
    number: int | None = Field(default=None, ge=0, le=MAX_COUNT)
    group: Key | None = None
    aliases: list[str] = []
    unverified: bool = False
    note: str | None = None


class Level(Model):
    """A level of a framework; `domains` None means every capability (filled in by Framework)."""

    key: Key
    title: str
    position: int = Field(ge=1, le=MAX_COUNT)
    pathway_of: Key | None = None
    domains: list[Code] | None = None
    note: str | None = None


class CapabilitiesFile(Model):
    """A CSV next to the YAML that holds a framework's capabilities, with its provenance."""

    path: str = Field(min_length=1)
    licence: str
    sources: list[Source] = Field(min_length=1)
    note: str | None = None


class Framework(Dated):
    """A set of capabilities with levels: PCF, PQS, SWE standards, apprenticeship KSBs."""

    key: Key
    version: str
    title: str
    owner: str
    kind: Literal[
        "capabilities",
        "post-qualifying-standards",
        "early-career-standards",
        "professional-standards",
        "apprenticeship-ksbs",
    ]
    services: list[Service] = ["children", "adults"]
    groups: list[Group] = []
    capabilities: list[Capability] = []
    levels: list[Level] = []
    capabilities_file: CapabilitiesFile | None = None

    @model_validator(mode="after")
    def _check_framework(self) -> Framework:
        items = duplicates([g.key for g in self.groups], "groups", "key")
        names: dict[str, str] = {}
        groups = {g.key for g in self.groups}
        for i, cap in enumerate(self.capabilities):
            for j, name in enumerate([cap.code, *cap.aliases]):
                loc: Loc = ("capabilities", i, "code") if j == 0 else ("capabilities", i, "aliases", j - 1)
                if name.casefold() in names:
                    items.append((loc, f"duplicate code or alias '{name}' (also {names[name.casefold()]})"))
                names.setdefault(name.casefold(), cap.code)
            if cap.group is not None and cap.group not in groups:
                items.append((("capabilities", i, "group"), f"unknown group '{cap.group}'"))
        items += duplicates([lv.key for lv in self.levels], "levels", "key")
        by_key = {lv.key: lv for lv in reversed(self.levels)}
        codes = [c.code for c in self.capabilities]
        last = 0
        for i, lv in enumerate(self.levels):
            parent = by_key.get(lv.pathway_of) if lv.pathway_of else None
            if lv.pathway_of is None:
                if lv.position <= last:
                    items.append((("levels", i, "position"), f"must be greater than the previous level's {last}"))
                last = lv.position
            elif parent is None:
                items.append((("levels", i, "pathway_of"), f"unknown level '{lv.pathway_of}'"))
            elif parent.pathway_of is not None:
                items.append((("levels", i, "pathway_of"), f"'{lv.pathway_of}' is itself a pathway"))
            elif lv.position != parent.position:
                message = f"must equal the position of '{parent.key}' ({parent.position})"
                items.append((("levels", i, "position"), message))
            for k, code in enumerate(lv.domains or []):
                if code not in codes:
                    items.append((("levels", i, "domains", k), f"unknown capability '{code}'"))
        raise_if(items)
        filled = [
            lv if lv.domains is not None else lv.model_copy(update={"domains": list(codes)}) for lv in self.levels
        ]
        object.__setattr__(self, "levels", filled)  # frozen: fill the default once, here
        return self

    def capability(self, name: str) -> Capability | None:
        """The capability with this code or alias (case-insensitive), or None."""
        folded = name.casefold()
        return next((c for c in self.capabilities if folded in {n.casefold() for n in [c.code, *c.aliases]}), None)

    def level(self, key: str) -> Level | None:
        """The level with this key, or None."""
        return next((lv for lv in self.levels if lv.key == key), None)
