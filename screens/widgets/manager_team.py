"""The team table's words and order: short cells, coloured flags, the sort keys and the filter."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from progression.services.team import TeamMember

FLAG_WORDS: dict[str, tuple[str, str]] = {
    "over-cap": ("cap", "text-error"),
    "supervision-overdue": ("overdue", "text-error"),
    "cpd-deadline": ("CPD", "text-warning"),
    "retention-due": ("retention", "text-success"),
}
"""Each flag's short word in the table and the theme colour it is drawn in."""

FLAG_SENTENCES: dict[str, str] = {
    "over-cap": "Caseload above the role's cap",
    "supervision-overdue": "Individual supervision is overdue",
    "cpd-deadline": "CPD not yet compliant, with the registration deadline near",
    "retention-due": "A retention payment falls due soon",
}
"""Each flag in words, for the record view."""

COLUMNS = ("Name", "Role", "Next step", "In role", "Ready", "Cases", "Supervised → due", "Flags")
"""The team table's columns."""
FIXED_WIDTHS = (7, 8, 5, 16)
"""The widths of the in role, ready, cases and supervision columns."""

SCROLL_GUTTER = 3
"""What a bordered table's width loses to its border and a vertical scrollbar."""

REACHES = (("all", "All reports"), ("direct", "Direct only"), ("indirect", "Indirect only"))
"""The direct/indirect filter's values and labels."""


class TeamTable(DataTable[Text]):
    """The team table: Enter opens the highlighted report's record (and says so in the footer)."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Record", tooltip="Read the highlighted report's record"),
    ]


@dataclass(frozen=True)
class SortKey:
    """One way to order the team."""

    name: str
    label: str
    key: Callable[[TeamMember], tuple[object, ...]]


FAR = date.max


def _next_step_key(member: TeamMember) -> tuple[object, ...]:
    if member.next_step is None:
        return (2, FAR, member.name)
    return (0, date.min, member.name) if member.next_step_ready else (1, member.next_step_on or FAR, member.name)


def _caseload_key(member: TeamMember) -> tuple[object, ...]:
    if member.caseload is None:
        return (1, 0.0, member.name)
    share = member.caseload / member.caseload_cap if member.caseload_cap else 0.0
    return (0, -share, -member.caseload, member.name)


SORTS: tuple[SortKey, ...] = (
    SortKey("name", "name", lambda m: (m.name.casefold(), m.staff_id)),
    SortKey("time", "time in role (longest first)", lambda m: (-m.months_in_role, m.name)),
    SortKey("next", "next step date (ready first)", _next_step_key),
    SortKey("caseload", "caseload against the cap (fullest first)", _caseload_key),
    SortKey("supervision", "supervision due (soonest first)", lambda m: (m.next_supervision or FAR, m.name)),
)
"""The orders the team can be shown in, in the order the sort key cycles through them."""


def sort_members(members: list[TeamMember], sort: str) -> list[TeamMember]:
    """The members in the order named by `sort` (one of SORTS' names)."""
    chosen = next(s for s in SORTS if s.name == sort)
    return sorted(members, key=chosen.key)


def matches(member: TeamMember, text: str, flagged_only: bool, reach: str) -> bool:
    """Whether the member passes the filter: text in name, staff id, role, next step or team; flags; reach."""
    if flagged_only and not member.flags:
        return False
    if reach == "direct" and not member.direct or reach == "indirect" and member.direct:
        return False
    needle = text.strip().casefold()
    if not needle:
        return True
    words = (member.name, member.staff_id, member.role_title, member.next_step_title, member.team, member.area)
    return needle in " ".join(w for w in words if w).casefold()


def short_title(title: str) -> str:
    """A role title short enough for a column: 'Social worker (level 2)' → 'Social worker L2'."""
    level = re.fullmatch(r"(.*?)\s*\(level (\w+)\)", title)
    if level:
        return f"{level.group(1)} L{level.group(2)}"
    return re.sub(r"\s*\(.*\)$", "", title)


def abbreviated(title: str) -> str:
    """A short title with 'social worker' written SW, as teams write it: 'Senior SW', 'SW L2'."""
    return re.sub(r"[Ss]ocial work(er)?", "SW", short_title(title))


def share(room: int, natural: list[int], least: list[int]) -> list[int]:
    """Column widths that fit `room`: each column's natural width, the widest cut first, none below its least."""
    widths = list(natural)
    while sum(widths) > room:
        cuttable = [i for i, w in enumerate(widths) if w > least[i]]
        if not cuttable:
            break
        widest = max(cuttable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def supervision_cell(member: TeamMember, colours: Mapping[str, str]) -> Text:
    """'9 Oct → 9 Nov': the last individual supervision and the next due, red and bold when overdue."""
    overdue = "supervision-overdue" in member.flags
    cell = Text(f"{day_month(member.last_supervision)} → ")
    cell.append(day_month(member.next_supervision), style=f"bold {colours['text-error']}" if overdue else "")
    return cell


def flag_words(member: TeamMember) -> str:
    """The member's flags as the short words the table shows."""
    return " ".join(FLAG_WORDS.get(flag, (flag, ""))[0] for flag in member.flags)


def day_month(day: date | None) -> str:
    """'5 Dec' (or '—' for no date)."""
    return f"{day.day} {day:%b}" if day else "—"


def month_year(day: date | None) -> str:
    """'Mar 2027' (or '—' for no date)."""
    return f"{day:%b %Y}" if day else "—"


def full_date(day: date | None) -> str:
    """'5 December 2026' (or 'none' for no date)."""
    return f"{day.day} {day:%B %Y}" if day else "none"


def months_short(months: int) -> str:
    """'2y 11m', '4m', '0m'."""
    years, rest = divmod(months, 12)
    return f"{years}y {rest}m" if years else f"{rest}m"


def clipped(text: str, width: int, style: str = "") -> Text:
    """One line of text cut to `width` with an ellipsis."""
    cell = Text(text, style=style, no_wrap=True, overflow="ellipsis")
    cell.truncate(max(1, width), overflow="ellipsis")
    return cell


def caseload_cell(member: TeamMember, colours: Mapping[str, str]) -> Text:
    """'12/18', red and bold when over the cap; '—' when no count is recorded."""
    if member.caseload is None:
        return Text("—")
    cap = "—" if member.caseload_cap is None else str(member.caseload_cap)
    over = "over-cap" in member.flags
    return Text(f"{member.caseload}/{cap}", style=f"bold {colours['text-error']}" if over else "")


def next_on_cell(member: TeamMember, colours: Mapping[str, str]) -> Text:
    """READY (in the success colour) or the month the member becomes ready for the nearest step."""
    if member.next_step_ready:
        return Text("READY", style=f"bold {colours['text-success']}")
    return Text(month_year(member.next_step_on) if member.next_step else "—")


def flags_cell(member: TeamMember, colours: Mapping[str, str], width: int) -> Text:
    """The member's flags as short coloured words."""
    cell = Text(no_wrap=True, overflow="ellipsis")
    for number, flag in enumerate(member.flags):
        word, colour = FLAG_WORDS.get(flag, (flag, "foreground"))
        if number:
            cell.append(" ")
        cell.append(word, style=f"bold {colours.get(colour, '')}")
    cell.truncate(max(1, width), overflow="ellipsis")
    return cell


def summary_line(members: list[TeamMember], waiting: int | None) -> str:
    """How many reports, over cap, supervision overdue, ready for a step, and requests waiting for the actor."""
    if not members:
        return "No reports: nobody is managed by you, directly or through your team."
    over = sum("over-cap" in m.flags for m in members)
    overdue = sum("supervision-overdue" in m.flags for m in members)
    ready = sum(m.next_step_ready for m in members)
    parts = [
        f"{len(members)} report{'s' if len(members) != 1 else ''}",
        f"{over} over cap",
        f"{overdue} supervision overdue",
        f"{ready} ready for a step",
    ]
    if waiting is not None:
        parts.append(f"{waiting} request{'s' if waiting != 1 else ''} waiting for you")
    return " · ".join(parts)


def team_table(
    members: Sequence[TeamMember], width: int, colours: Mapping[str, str]
) -> tuple[list[tuple[str, int]], list[tuple[str, list[Text]]]]:
    """The team table's columns (label, width) and rows (staff id, cells) for a table `width` cells wide.

    The fixed columns keep their widths; name, role, next step and flags take what their rows need, the widest cut
    first when the table is too narrow (it then scrolls sideways rather than cut below a few letters). Role titles
    are written in full where they fit, else abbreviated.
    """
    room = width - 2 * len(COLUMNS) - sum(FIXED_WIDTHS)
    titles: Callable[[str], str] = short_title
    natural: list[int] = []
    for titles in (short_title, abbreviated):
        natural = [
            max([len(COLUMNS[0]), *(len(m.name) for m in members)]),
            max([len(COLUMNS[1]), *(len(titles(m.role_title)) for m in members)]),
            max([len(COLUMNS[2]), *(len(titles(m.next_step_title or "—")) for m in members)]),
            max([len(COLUMNS[-1]), *(len(flag_words(m)) for m in members)]),
        ]
        if sum(natural) <= room:
            break
    name, role, step, flags = share(room, natural, [12, 9, 9, 7])
    widths = [name, role, step, *FIXED_WIDTHS, flags]
    rows = [
        (
            m.staff_id,
            [
                clipped(m.name, name),
                clipped(titles(m.role_title), role),
                clipped(titles(m.next_step_title or "—"), step),
                Text(months_short(m.months_in_role)),
                next_on_cell(m, colours),
                caseload_cell(m, colours),
                supervision_cell(m, colours),
                flags_cell(m, colours, flags),
            ],
        )
        for m in members
    ]
    return list(zip(COLUMNS, widths, strict=True)), rows
