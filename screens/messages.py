"""Messages the UI's database workers post back to their screens."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from progression.services.council import RouteMap
from progression.services.workers import WorkerStanding, WorkerSummary


@dataclass
class RouteMapLoaded(Message, bubble=False):
    """The council's route map has been read."""

    route_map: RouteMap


@dataclass
class StandingLoaded(Message, bubble=False):
    """One worker's standing has been read."""

    standing: WorkerStanding


@dataclass
class WorkersListed(Message, bubble=False):
    """The workers matching a filter have been read."""

    search: str
    """The filter the list answers, so a stale answer can be ignored."""
    workers: list[WorkerSummary]


@dataclass
class RoleSelected(Message):
    """A role box on the map took focus."""

    role: str
    """The role's key."""
