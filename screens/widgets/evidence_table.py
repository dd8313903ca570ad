"""The evidence list: date, accepted or waiting, title, and (when there is room) the frameworks it counts in."""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual import events
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from progression.services.evidence_models import EvidenceRead

WIDE = 80
"""From this width the list also names the frameworks each piece counts in."""
MEDIUM = 50
"""From this width the status is a word ('✓ accepted') rather than a mark."""


def status_cell(evidence: EvidenceRead, colours: dict[str, str]) -> Text:
    """'✓ accepted' in the theme's success colour, or '◌ waiting' in its warning colour."""
    if evidence.accepted:
        return Text("✓ accepted", style=colours.get("text-success", "green"))
    return Text("◌ waiting", style=colours.get("text-warning", "yellow"))


def frameworks_cell(evidence: EvidenceRead) -> str:
    """The frameworks a piece counts in, each once: 'PCF · PQS · ST0510'."""
    return " · ".join(dict.fromkeys(link.framework_label for link in evidence.links))


class EvidenceTable(DataTable[Text | str]):
    """One row per piece of evidence, newest first; the cursor stays on the same piece across reloads."""

    DEFAULT_CSS = """
    EvidenceTable { scrollbar-size-vertical: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        """Make an empty list.

        Args:
            id: The DOM id.
        """
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.evidence: list[EvidenceRead] = []
        self.keep: int | None = None
        """The id of the evidence to put the cursor on at the next `show` (after a save)."""
        self._mode: str | None = None

    def show(self, evidence: list[EvidenceRead]) -> None:
        """Fill the list, keeping the cursor on the piece it was on (or the one just saved)."""
        keep = self.keep if self.keep is not None else self.current_id()
        self.keep = None
        self.evidence = evidence
        width = self.scrollable_content_region.width or 60
        mode = "wide" if width >= WIDE else "medium" if width >= MEDIUM else "narrow"
        self.clear(columns=mode != self._mode)
        if mode != self._mode:
            self._mode = mode
            fixed = {"wide": 51, "medium": 29, "narrow": 18}[mode]
            self.add_column("Date", key="date", width=10)
            self.add_column("" if mode == "narrow" else "Status", key="status", width=1 if mode == "narrow" else 10)
            self.add_column("Title", key="title", width=max(8, width - fixed))
            if mode == "wide":
                self.add_column("Counts in", key="counts", width=22)
        colours = self.app.theme_variables
        for item in evidence:
            status = status_cell(item, colours)
            cells: list[Text | str] = [
                item.happened_on.isoformat(),
                status[:1] if mode == "narrow" else status,
                Text(item.title, no_wrap=True, overflow="ellipsis"),
            ]
            if mode == "wide":
                cells.append(Text(frameworks_cell(item), no_wrap=True, overflow="ellipsis"))
            self.add_row(*cells, key=str(item.id))
        if keep is not None:
            with contextlib.suppress(RowDoesNotExist):
                self.move_cursor(row=self.get_row_index(str(keep)), animate=False)

    def current_id(self) -> int | None:
        """The id of the evidence under the cursor, or None."""
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return int(row_key.value) if row_key.value is not None else None

    def current(self, evidence: list[EvidenceRead]) -> EvidenceRead | None:
        """The piece under the cursor, found in `evidence`."""
        wanted = self.current_id()
        return next((item for item in evidence if item.id == wanted), None)

    def on_resize(self, event: events.Resize) -> None:
        """Lay the columns out again for the new width."""
        self._mode = None
        self.show(self.evidence)
