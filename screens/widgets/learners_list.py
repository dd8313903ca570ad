"""Which learners the dashboard shows and in what order, and the week's summary line: pure functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rich.text import Text

from progression.engine.reviews import FINISHED
from progression.services.learners import LearnerRead
from screens.widgets.learners_words import KIND_FILTERS, RAG_ORDER, progress, short_date

SORTS = {"name": "name", "rag": "RAG", "review": "next review", "progress": "progress"}
"""The dashboard's sort keys and how the title names them."""
FAR = date.max
"""Where learners with no date sort: last."""


@dataclass(frozen=True)
class ListView:
    """How the list is cut and ordered: the screen's filter and sort state."""

    kind: str = "all"
    rag: str = "any"
    search: str = ""
    sort: str = "name"
    reverse: bool = False
    finished: bool = False
    """Whether learners whose programme is completed or withdrawn are listed too (after the current ones)."""

    def describe(self) -> str:
        """The view in a few words, for the table's border."""
        kind = next(words for key, words, _ in KIND_FILTERS if key == self.kind)
        rag = "any RAG" if self.rag == "any" else f"{self.rag} only"
        arrow = "↓" if self.reverse else "↑"
        searched = f" · “{self.search}”" if self.search else ""
        which = "current and finished" if self.finished else "current"
        return f"{which} · {kind} · {rag}{searched} · by {SORTS[self.sort]} {arrow}"


def is_finished(learner: LearnerRead) -> bool:
    """Whether the learner's programme is over (completed, withdrawn, or past its final review)."""
    return learner.status in FINISHED


def matches(learner: LearnerRead, view: ListView) -> bool:
    """Whether the learner passes the finished, kind, RAG and text filters."""
    if is_finished(learner) and not view.finished:
        return False
    kinds = next(kinds for key, _, kinds in KIND_FILTERS if key == view.kind)
    if kinds and learner.kind not in kinds:
        return False
    if view.rag != "any" and learner.rag != view.rag:
        return False
    needle = view.search.strip().casefold()
    haystack = " ".join((learner.name, learner.staff_id, learner.programme, learner.kind, learner.status)).casefold()
    return not needle or all(word in haystack for word in needle.split())


def sort_key(learner: LearnerRead, sort: str, today: date) -> tuple[object, ...]:
    """The key one learner sorts by; ties fall back to the name."""
    name = learner.name.casefold()
    if sort == "rag":
        return (RAG_ORDER.get(learner.rag, 9), name)
    if sort == "review":
        return (learner.next_review_due or FAR, name)
    if sort == "progress":
        fraction, _ = progress(learner, today)
        return (fraction is None, fraction or 0.0, name)
    return (name, learner.start)


def shown(learners: list[LearnerRead], view: ListView, today: date) -> list[LearnerRead]:
    """The learners the view keeps, in its order: current learners first, then (when shown) the finished ones."""
    kept = [learner for learner in learners if matches(learner, view)]
    out: list[LearnerRead] = []
    for finished in (False, True):
        group = [learner for learner in kept if is_finished(learner) == finished]
        out += sorted(group, key=lambda learner: sort_key(learner, view.sort, today), reverse=view.reverse)
    return out


def is_overdue(learner: LearnerRead, today: date) -> bool:
    """Whether the learner's next review is past due, as the learners service decides it."""
    return learner.review_overdue


def week_summary(learners: list[LearnerRead], today: date) -> Text:
    """'Reviews due by 1 Dec 2026: 2 · overdue: 1 · red: 3 · 12 learners', the worrying counts in red; current
    learners only (a finished programme has no review due)."""
    learners = [learner for learner in learners if not is_finished(learner)]
    week_end = today + timedelta(days=7)
    due = sum(
        1
        for learner in learners
        if learner.next_review_due and today <= learner.next_review_due <= week_end and not is_overdue(learner, today)
    )
    overdue = sum(1 for learner in learners if is_overdue(learner, today))
    red = sum(1 for learner in learners if learner.rag == "red")
    count = f"{len(learners)} current learner" + ("" if len(learners) == 1 else "s")
    return Text.assemble(
        f"Reviews due by {short_date(week_end)}: ",
        (str(due), "bold"),
        " · overdue: ",
        (str(overdue), "bold red" if overdue else "bold"),
        " · red: ",
        (str(red), "bold red" if red else "bold"),
        f" · {count}",
    )
