"""The detail panel: one role's facts, and every step out of it and into it with what each requires."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from progression.services.council import DECIDED_BY_TEXT, RoleRead, RouteMap, TransitionRead
from screens.widgets.words import badges, pay_range


def role_facts(route_map: RouteMap, role: RoleRead) -> list[str]:
    """What a worker in the role gets: route, PCF level, pay, caseload cap, payments, headcount."""
    route = next((r.title for r in route_map.routes if r.key == role.route), role.route)
    facts = [route]
    if role.pcf_level:
        facts.append(f"PCF {role.pcf_level.replace('-', ' ')}")
    pay = pay_range(role)
    if pay:
        facts.append(pay)
    if role.caseload_cap is not None:
        facts.append(f"caseload cap {role.caseload_cap}" if role.caseload_cap else "no caseload")
    facts.extend(badges(role))
    if role.headcount:
        facts.append(f"{role.headcount} in post")
    return facts


def step_heading(route_map: RouteMap, step: TransitionRead, arrow: str, other: str) -> Content:
    """A transition's first line: the role at its other end, and who decides."""
    role = route_map.role(other)
    decides = DECIDED_BY_TEXT.get(step.decided_by, step.decided_by)
    return Content.from_markup(
        f"{arrow} [b]$title[/b] [dim]·[/dim] $decides", title=role.title if role else other, decides=decides
    )


def step_requirements(step: TransitionRead) -> Content:
    """What a transition requires, one bulleted line each."""
    if not step.requirements:
        return Content("• nothing further required").stylize("dim")
    return Content("\n").join(Content.from_markup("• $text", text=r.text) for r in step.requirements)


class RoleDetail(VerticalScroll):
    """Describes the selected role. Focusable so a long description can be scrolled by keyboard."""

    DEFAULT_CSS = """
    RoleDetail {
        height: 1fr;
        padding: 0 1;
        & > Static { width: 1fr; }
        & > .role-name { text-style: bold; }
        & > .role-facts { color: $text-muted; }
        & > .heading { text-style: bold; color: $text-primary; margin-top: 1; }
        & > .requirements { padding-left: 2; }
        & > .nothing { color: $text-muted; margin-top: 1; }
    }
    """

    route_map: reactive[RouteMap | None] = reactive(None, recompose=True)
    """The map the role belongs to."""
    role: reactive[str | None] = reactive(None, recompose=True)
    """The key of the role to describe."""

    def compose(self) -> ComposeResult:
        """The role's name and facts, then each step out of it and into it with its requirements."""
        role = self.route_map.role(self.role) if self.route_map and self.role else None
        if self.route_map is None or role is None:
            return
        yield Static(role.title, classes="role-name", markup=False)
        yield Static(" · ".join(role_facts(self.route_map, role)), classes="role-facts", markup=False)
        out, into = self.route_map.transitions_from(role.key), self.route_map.transitions_to(role.key)
        if out:
            yield Static("Next steps", classes="heading")
        else:
            yield Static("No further step from this role.", classes="nothing")
        for step in out:
            yield Static(step_heading(self.route_map, step, "→", step.to_role), classes="step")
            yield Static(step_requirements(step), classes="requirements")
        if into:
            yield Static("Ways in", classes="heading")
        for step in into:
            yield Static(step_heading(self.route_map, step, "←", step.from_role), classes="step")
            yield Static(step_requirements(step), classes="requirements")

    def watch_role(self) -> None:
        """Show a newly selected role from the top."""
        self.scroll_home(animate=False)
