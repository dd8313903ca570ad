"""The coverage grid: one coloured cell per domain, statement or KSB, wrapping to the width it is given."""

from __future__ import annotations

import math
import re

from rich.style import Style
from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from progression.services.evidence_models import CoverageCell, CoverageRead

GLYPHS = {"accepted": "✓", "pending": "◌", "none": "·"}
"""Each state has a mark as well as a colour, so the grid reads without colour too."""
WIDE_MIN = 18
"""The narrowest a two-line cell (number, title, counts) may be."""
COMPACT_OVER = 20
"""Frameworks with more capabilities than this (an apprenticeship's KSBs) get one-line cells: code and count."""


def short_code(cell: CoverageCell) -> str:
    """A capability's code as a cell shows it: K12 as it is, kss-6 as 6, a PCF domain by its number."""
    if len(cell.code) <= 4:
        return cell.code
    number = re.search(r"(\d+)$", cell.code)
    return number.group(1) if number else str(cell.position + 1)


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def _day(cell: CoverageCell) -> str:
    day = cell.first_accepted_on
    return f"{day.day} {day:%b %Y}" if day else ""


class CoverageGrid(Widget):
    """Draws a `CoverageRead`: accepted cells green, pending-only amber, uncovered red, each with its counts.

    Cells stretch to share the row; rows wrap to the widget's width. Large frameworks use compact one-line
    cells under a heading per group (knowledge, skills, behaviours).
    """

    DEFAULT_CSS = """
    CoverageGrid {
        height: auto;
        & > .coverage-grid--accepted { background: $success 45%; color: $text; }
        & > .coverage-grid--pending { background: $warning 45%; color: $text; }
        & > .coverage-grid--none { background: $error 20%; color: $text-muted; }
        & > .coverage-grid--group { color: $text-primary; text-style: bold; }
    }
    """

    COMPONENT_CLASSES = {
        "coverage-grid--accepted",
        "coverage-grid--pending",
        "coverage-grid--none",
        "coverage-grid--group",
    }

    coverage: reactive[CoverageRead | None] = reactive(None, layout=True)
    """The coverage to draw; None draws nothing."""

    @property
    def compact(self) -> bool:
        """Whether cells are one line (code and count) rather than two (title, counts and date)."""
        return self.coverage is not None and len(self.coverage.cells) > COMPACT_OVER

    def _groups(self) -> list[tuple[str | None, list[CoverageCell]]]:
        """Runs of cells in the same group (compact mode), else one run of every cell."""
        cells = self.coverage.cells if self.coverage else []
        if not self.compact:
            return [(None, cells)]
        runs: list[tuple[str | None, list[CoverageCell]]] = []
        for cell in cells:
            group = cell.group_title or cell.group or ""
            if not runs or runs[-1][0] != group:
                runs.append((group, []))
            runs[-1][1].append(cell)
        return runs

    def _layout(self, width: int, count: int) -> tuple[int, int]:
        """(cells per row, cell width) for `count` cells in `width` columns, cells one column apart."""
        if self.compact:
            longest = max((len(short_code(c)) for c in self.coverage.cells), default=3) if self.coverage else 3
            cell_width = longest + 5
            return max(1, (width + 1) // (cell_width + 1)), cell_width
        per_row = max(1, min(count, (width + 1) // (WIDE_MIN + 1)))
        per_row = math.ceil(count / math.ceil(count / per_row)) if count else 1
        return per_row, max(WIDE_MIN, (width + 1) // per_row - 1)

    def _lines(self, width: int) -> list[Text]:
        lines: list[Text] = []
        styles = {state: self.get_component_rich_style(f"coverage-grid--{state}") for state in GLYPHS}
        heading = self.get_component_rich_style("coverage-grid--group")
        for group, cells in self._groups():
            if group is not None:
                if lines:
                    lines.append(Text())
                accepted = sum(1 for c in cells if c.accepted)
                lines.append(Text(f"{group}: {accepted} of {len(cells)} accepted", style=heading))
            per_row, cell_width = self._layout(width, len(cells))
            for start in range(0, len(cells), per_row):
                row = cells[start : start + per_row]
                if start and not self.compact:
                    lines.append(Text())
                rows = (
                    [self._compact(c, cell_width) for c in row]
                    if self.compact
                    else [self._wide(c, cell_width) for c in row]
                )
                for index in range(len(rows[0])):
                    line = Text()
                    for number, (cell, parts) in enumerate(zip(row, rows, strict=True)):
                        if number:
                            line.append(" ")
                        line.append(parts[index].ljust(cell_width), style=styles[cell.state])
                    lines.append(line)
        return lines

    @staticmethod
    def _wide(cell: CoverageCell, width: int) -> list[str]:
        title = _fit(f" {short_code(cell)} {cell.title}", width)
        glyph = GLYPHS[cell.state]
        if cell.accepted:
            counts = f" {glyph} {cell.accepted} accepted"
            dated = f" {glyph} {cell.accepted} · {_day(cell)}"
            if cell.pending:
                counts, dated = f"{counts} ◌ {cell.pending}", f"{dated} ◌ {cell.pending}"
            counts = dated if len(dated) <= width else counts
        elif cell.pending:
            counts = f" {glyph} {cell.pending} pending"
        else:
            counts = f" {glyph} none"
        return [title, _fit(counts, width)]

    @staticmethod
    def _compact(cell: CoverageCell, width: int) -> list[str]:
        count = cell.accepted or cell.pending
        return [_fit(f" {short_code(cell)} {GLYPHS[cell.state]}{count or ''}", width)]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as the cells need at this width."""
        return len(self._lines(width)) if self.coverage else 1

    def render(self) -> RenderResult:
        """The grid, or a word when there is nothing to draw."""
        if self.coverage is None:
            return Text("No framework level to show.", style=Style(dim=True))
        return Text("\n").join(self._lines(self.content_size.width))
