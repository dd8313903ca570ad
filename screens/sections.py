"""The app's sections: one screen each, reached by a number key, the nav bar or the command palette."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from textual.screen import Screen

from progression.services.actor import Actor
from screens.context import UiContext


@dataclass(frozen=True)
class Section:
    mode: str
    key: str
    title: str
    target: str
    """`module:Class` of the section's screen, imported when first opened."""
    who: Callable[[Actor], bool] = lambda actor: True
    """Whether the section is offered to the actor."""
    short: str = ""
    """A shorter title for narrow terminals."""

    def factory(self, context: UiContext) -> Callable[[], Screen[None]]:
        module, name = self.target.split(":")

        def make() -> Screen[None]:
            return getattr(import_module(module), name)(context)  # type: ignore[no-any-return]

        return make


def _is_worker(actor: Actor) -> bool:
    return actor.worker_id is not None


def _educates(actor: Actor) -> bool:
    return actor.is_educator or actor.is_admin


def _manages(actor: Actor) -> bool:
    return actor.is_manager or actor.is_admin


SECTIONS = (
    Section("home", "1", "Home", "screens.home:HomeScreen", short="Home"),
    Section("map", "2", "Routes", "screens.route_map:RouteMapScreen", short="Map"),
    Section("plan", "3", "Plan", "screens.plan:PlanScreen", short="Plan"),
    Section("evidence", "4", "Evidence", "screens.evidence:EvidenceScreen", short="Evid"),
    Section("cpd", "5", "CPD", "screens.cpd:CpdScreen", short="CPD"),
    Section("supervision", "6", "Supervision", "screens.supervision:SupervisionScreen", short="Superv"),
    Section("learners", "7", "Learners", "screens.learners:LearnersScreen", _educates, short="Learn"),
    Section("team", "8", "Team", "screens.team:TeamScreen", _manages, short="Team"),
    Section("requests", "9", "Requests", "screens.requests_queue:RequestsScreen", _manages, short="Req"),
    Section("workforce", "0", "Workforce", "screens.workforce:WorkforceScreen", _manages, short="Work"),
)


def sections_for(actor: Actor) -> list[Section]:
    """The sections this actor is offered."""
    return [section for section in SECTIONS if section.who(actor)]


def first_section(actor: Actor) -> str:
    """Where a session opens: a worker's home, else the route map."""
    return "home" if _is_worker(actor) else "map"
