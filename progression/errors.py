"""Errors that reach the user as one clear message, never as a traceback."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Problem:
    """One thing wrong with an input, and where it is."""

    place: str
    """Where: `FILE:LINE: column`, `file.yaml: transitions[3].requires[0]`, or a field name."""
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message


class ProgressionError(Exception):
    """Base of every error shown to a user. `exit_code` is the CLI's status."""

    exit_code = 1


class InputError(ProgressionError):
    """Bad input (a file, a value, an argument): one or more problems, nothing written."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class NotFound(ProgressionError):
    """A named thing (worker, role, request) does not exist."""

    exit_code = 1


class AccessDenied(ProgressionError):
    """The actor may not do this. Recorded in the audit log by the service that refused."""

    exit_code = 3


class Conflict(ProgressionError):
    """Someone else changed the same thing first."""

    exit_code = 4


class DatabaseUnavailable(ProgressionError):
    """The database cannot be reached or opened."""

    exit_code = 5


@dataclass
class ProblemList:
    """Collects problems while validating a whole input, so every one is reported at once."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, place: str, message: str) -> None:
        self.problems.append(Problem(place, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)


class AuditBroken(ProgressionError):
    """The audit log's hash chain does not hold."""

    exit_code = 6
