"""The whole reference set, cross-checked, with helpers that choose the rule in force on a date."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import model_validator

from progression.dates import add_days
from progression.errors import InputError, Problem
from progression.reference.base import SERVICES, Loc, Model, ReviewInterval, duplicates, overlaps, pick, raise_if
from progression.reference.frameworks import Framework
from progression.reference.programmes import Programme
from progression.reference.rules import (
    Changeover,
    CpdRule,
    OtjRule,
    PlacementRule,
    ReviewRule,
    SupervisionSchedule,
)

AS_OF = "the date taken as today (--today) or asked about (--on)"
"""What a date that selects a rule usually is, for a message when no rule covers it."""


class Reference(Model):
    """The whole reference set, with helpers that choose the rule in force on a date."""

    frameworks: dict[str, Framework] = {}
    programmes: dict[str, Programme] = {}
    cpd_rules: list[CpdRule] = []
    supervision: dict[str, SupervisionSchedule] = {}
    placement_rules: list[PlacementRule] = []
    otj_rules: list[OtjRule] = []
    review_rules: list[ReviewRule] = []
    changeovers: list[Changeover] = []

    @model_validator(mode="after")
    def _check_reference(self) -> Reference:
        items: list[tuple[Loc, str]] = []
        for section in ("frameworks", "programmes", "supervision"):
            for key, item in getattr(self, section).items():
                if key != item.key:
                    items.append(((section, key, "key"), f"does not match its entry '{key}'"))
        for section in ("cpd_rules", "placement_rules", "otj_rules", "review_rules", "changeovers"):
            rules = getattr(self, section)
            items += duplicates([r.key for r in rules], section, "key")
            if section != "changeovers":
                items += overlaps(list(enumerate(rules)), lambda i, s=section: (s, i))
        for key, prog in self.programmes.items():
            framework = self.frameworks.get(prog.framework or "")
            if prog.framework and framework is None:
                items.append((("programmes", key, "framework"), f"unknown framework '{prog.framework}'"))
            elif framework and prog.level and framework.level(prog.level) is None:
                items.append((("programmes", key, "level"), f"unknown level '{prog.level}' of {framework.key}"))
            if prog.supervision and prog.supervision not in self.supervision:
                items.append((("programmes", key, "supervision"), f"unknown supervision schedule '{prog.supervision}'"))
        seen_kinds: dict[str, str] = {}
        for key, schedule in self.supervision.items():
            for kind in schedule.applies_to:
                if kind in seen_kinds:
                    message = f"{kind} already has the schedule '{seen_kinds[kind]}'"
                    items.append((("supervision", key, "applies_to"), message))
                seen_kinds.setdefault(kind, key)
        for i, rule in enumerate(self.cpd_rules):
            ref = rule.standard
            framework = self.frameworks.get(ref.framework) if ref else None
            if ref and (framework is None or framework.capability(ref.code) is None):
                items.append((("cpd_rules", i, "standard"), f"unknown capability {ref.framework} {ref.code}"))
        for service in SERVICES:
            windows = [
                ((k, j), a)
                for k, p in self.programmes.items()
                if p.first_year
                for j, a in enumerate(p.applies)
                if a.service == service
            ]
            items += overlaps(windows, lambda kj: ("programmes", kj[0], "applies", kj[1]))
        for i, change in enumerate(self.changeovers):
            items += [(("changeovers", i, *loc), msg) for loc, msg in self._check_changeover(change)]
        raise_if(items)
        return self

    def _check_changeover(self, change: Changeover) -> list[tuple[Loc, str]]:
        """A changeover must match the dates of what it names: old ends the day before, new starts on it."""
        table: dict[str, Any] = self.frameworks if change.subject == "framework" else self.programmes
        eve, problems = add_days(change.effective_on, -1), []
        ends = (("replaces", change.replaces, "valid_to", eve), ("by", change.by, "valid_from", change.effective_on))
        for field, key, end, want in ends:
            item = table.get(key)
            if item is None:
                problems.append(((field,), f"unknown {change.subject} '{key}'"))
                continue
            is_framework = change.subject == "framework"
            windows = [item] if is_framework else [a for a in item.applies if a.service == change.service]
            if not any(getattr(w, end) == want for w in windows):
                message = f"{key} must have {end} {want} for {change.service} (changeover {change.effective_on})"
                problems.append(((field,), message))
        return problems

    def frameworks_on(self, day: date) -> list[Framework]:
        """Frameworks in force on `day`."""
        return [f for f in self.frameworks.values() if f.covers(day)]

    def cpd_rule_on(self, day: date) -> CpdRule:
        """The CPD rule in force on `day`."""
        return pick(self.cpd_rules, day, "CPD rule", AS_OF)

    def cpd_rule_if_any(self, day: date) -> CpdRule | None:
        """The CPD rule in force on `day`, or None (before Social Work England's first registration year)."""
        return next((rule for rule in self.cpd_rules if rule.covers(day)), None)

    def registration_year(self, on: date) -> tuple[date, date]:
        """The Social Work England registration year (first day, last day) containing `on`.

        On a day no CPD rule covers (such as a `--today` before the regulator's time), the year takes the shape
        of the nearest rule's, so records can still be counted by year on any date; whether they comply needs a
        rule in force (`cpd_rule_if_any`).
        """
        rule = self.cpd_rule_if_any(on)
        if rule is None and self.cpd_rules:
            rule = min(
                self.cpd_rules, key=lambda r: abs((r.valid_from or r.valid_to or on).toordinal() - on.toordinal())
            )
        if rule is None:
            return self.cpd_rule_on(on).registration_year(on)
        return rule.registration_year(on)

    def supervision_for(self, kind: str) -> SupervisionSchedule | None:
        """The supervision schedule for a kind of worker (`WorkerKind`), or None where the data names none.

        Reference data without `applies_to` (older files) gives the newly qualified the `asye` schedule and
        registered social workers the `standard` one.
        """
        found = next((s for s in self.supervision.values() if kind in s.applies_to), None)
        if found is None and not any(s.applies_to for s in self.supervision.values()):
            found = self.supervision.get({"newly-qualified": "asye", "registered": "standard"}.get(kind, ""))
        return found

    def placement_rule_on(self, day: date) -> PlacementRule:
        """The placement rule in force on `day` (a course or placement start)."""
        return pick(self.placement_rules, day, "placement rule", AS_OF)

    def otj_rule_for_start(self, start: date) -> OtjRule:
        """The off-the-job rule for an apprentice who started on `start`."""
        return pick(self.otj_rules, start, "off-the-job rule")

    def review_rule_for_start(self, start: date) -> ReviewRule:
        """The progress-review rule for an apprentice who started on `start`."""
        return pick(self.review_rules, start, "progress-review rule")

    def review_interval_for_start(self, start: date) -> ReviewInterval:
        """The progress-review interval for an apprentice who started on `start`."""
        return self.review_rule_for_start(start).every

    def first_year_programme(self, start: date, service: str = "children") -> Programme:
        """The first-year programme (ASYE or ECDP) for a newly qualified worker starting on `start`."""
        if service not in SERVICES:
            raise InputError(Problem("service", f"unknown service '{service}' (expected children or adults)"))
        for prog in self.programmes.values():
            if prog.first_year and prog.applies_to(start, service):
                return prog
        raise InputError(Problem("", f"no first-year programme covers a {service} start on {start.isoformat()}"))
