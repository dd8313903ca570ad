"""The evidence detail panel: what happened, who accepted it, the reflection, and what it counts towards."""

from __future__ import annotations

from itertools import groupby

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from progression.services.evidence_models import KIND_TITLES, EvidenceRead, LinkRead


def long_date(day: object) -> str:
    """A date as people write it, e.g. '17 Nov 2026'."""
    return f"{day.day} {day:%b %Y}"  # type: ignore[attr-defined]


def acceptance(evidence: EvidenceRead) -> tuple[str, str]:
    """('✓ Accepted by Bo Manager on 24 Nov 2026', style), or a line saying it waits for a reviewer."""
    if evidence.accepted and evidence.accepted_on:
        by = f" by {evidence.accepted_by_name}" if evidence.accepted_by_name else ""
        return f"✓ Accepted{by} on {long_date(evidence.accepted_on)}", "bold $text-success"
    return "◌ Waiting for a manager or educator to accept it", "$text-warning"


def grouped_links(links: list[LinkRead]) -> list[tuple[str, list[LinkRead]]]:
    """Links by framework and level, each heading like 'PCF 2018 · Experienced social worker'."""
    out = []
    for (label, version, level), items in groupby(links, key=lambda k: (k.framework_label, k.version, k.level_title)):
        out.append((f"{label} {version}" + (f" · {level}" if level else ""), list(items)))
    return out


class EvidenceDetail(VerticalScroll):
    """Describes one piece of evidence; says what to do when there is none."""

    DEFAULT_CSS = """
    EvidenceDetail {
        padding: 0 1;
        scrollbar-size-vertical: 1;
        & > #detail-body { width: 1fr; }
    }
    """

    evidence: reactive[EvidenceRead | None] = reactive(None, init=False)
    """The evidence described, or None."""
    empty: reactive[str] = reactive("Reading the evidence…", init=False)
    """What the panel says when no evidence is picked."""

    def compose(self) -> ComposeResult:
        """One text block, rewritten when the evidence changes."""
        yield Static(self.empty, id="detail-body")

    def watch_evidence(self) -> None:
        """Describe the new evidence."""
        self._redraw()

    def watch_empty(self) -> None:
        """Show the new message if no evidence is picked."""
        self._redraw()

    def _redraw(self) -> None:
        body = self.query_one("#detail-body", Static)
        evidence = self.evidence
        if evidence is None:
            body.update(Content.styled(self.empty, "italic $text-muted"))
            return
        kind = KIND_TITLES.get(evidence.kind, evidence.kind)
        parts: list[str | tuple[str, str]] = [
            (evidence.title, "bold"),
            f"\n{long_date(evidence.happened_on)} · {kind}\n",
            acceptance(evidence),
        ]
        if evidence.offered:
            parts.append(("\nOffered with a progression request, so it is kept", "italic"))
        if evidence.file_path:
            parts.append(f"\nFile: {evidence.file_path}")
            if not evidence.file_found:
                parts.append((" (not found on this machine)", "$text-warning"))
        if evidence.reflection:
            parts.append(f"\n\n{evidence.reflection}")
        parts.append(("\n\nCounts towards", "bold"))
        for heading, links in grouped_links(evidence.links):
            parts.append((f"\n{heading}", "$text-primary"))
            for link in links:
                code = f"{link.code} " if any(ch.isdigit() for ch in link.code) else ""
                parts.append(f"\n  {code}{link.title}")
        body.update(Content.assemble(*parts))
        self.scroll_home(animate=False)
