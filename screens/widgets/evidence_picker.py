"""The capability picker: PCF domains, PQS statements and KSBs in one list, filtered by what is typed."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, Select, SelectionList
from textual.widgets.selection_list import Selection

from progression.services.evidence_models import FrameworkChoice, LinkIn, LinkRead
from screens.safe import cell, plain

Option = tuple[str, str, str, str, str]
"""(value 'framework|code', framework label, code, title, words a filter matches: aliases too)."""


def option_value(framework: str, code: str) -> str:
    """The picker's value for one capability."""
    return f"{framework}|{code}"


class CapabilityPicker(Vertical):
    """Choose capabilities across frameworks; a level applies to the PCF domains chosen.

    The chosen set survives filtering: the list shows only matches, but what was ticked stays ticked.
    """

    DEFAULT_CSS = """
    CapabilityPicker {
        height: auto;
        & > .field-label { color: $text-muted; }
        & > #picker-list { height: 10; }
        & > #picker-chosen { color: $text-muted; height: auto; width: 1fr; }
        & > #picker-error { color: $text-error; display: none; width: 1fr; }
        &.-invalid > #picker-error { display: block; }
        &.-invalid > #picker-list { border: tall $error; }
    }
    """

    def __init__(
        self,
        choices: list[FrameworkChoice],
        links: list[LinkRead],
        pcf_level: str | None,
        *,
        id: str | None = None,  # noqa: A002
    ) -> None:
        """Prepare the picker.

        Args:
            choices: The frameworks in force, with their capabilities and levels.
            links: The links the evidence has already (ticked; kept even if their framework is not in force).
            pcf_level: The PCF level chosen at the start (the existing links' level, or the coverage target's).
            id: The DOM id.
        """
        super().__init__(id=id)
        self.options: list[Option] = []
        for framework in choices:
            for capability in framework.capabilities:
                value = option_value(framework.key, capability.code)
                words = " ".join(
                    [framework.label, framework.key, capability.code, capability.title, *capability.aliases]
                ).casefold()
                self.options.append((value, framework.label, capability.code, capability.title, words))
        known = {value for value, *_ in self.options}
        for link in links:
            if option_value(link.framework, link.code) not in known:
                words = f"{link.framework_label} {link.framework} {link.code} {link.title}".casefold()
                self.options.append(
                    (option_value(link.framework, link.code), link.framework_label, link.code, link.title, words)
                )
        self.chosen: set[str] = {option_value(link.framework, link.code) for link in links}
        pcf = next((f for f in choices if f.key == "pcf"), None)
        self.levels = [(cell(lv.title), lv.key) for lv in pcf.levels] if pcf else []
        self.start_level = pcf_level if pcf_level in {key for _, key in self.levels} else None

    def compose(self) -> ComposeResult:
        """Filter, list, what is chosen, any error, and the PCF level."""
        yield Label("Counts towards * (Space ticks)", classes="field-label")
        yield Input(placeholder="Filter: knowledge, K12, assessment, PQS…", id="picker-filter")
        yield SelectionList[str](id="picker-list")
        yield Label("", id="picker-chosen")
        yield Label("", id="picker-error")
        yield Label("PCF level of the PCF domains ticked", classes="field-label")
        yield Select(
            self.levels,
            prompt="No level",
            id="picker-level",
            value=self.start_level if self.start_level else Select.NULL,
        )

    def on_mount(self) -> None:
        """Show every capability."""
        self.show_matching("")

    def show_matching(self, search: str) -> None:
        """List the capabilities whose framework, code, title or alias contain every word typed."""
        words = search.casefold().split()
        shown = self.query_one("#picker-list", SelectionList)
        shown.clear_options()
        matching = []
        for value, label, code, title, haystack in self.options:
            if all(word in haystack for word in words):
                name = f"{code} · {title}" if any(ch.isdigit() for ch in code) else title
                prompt = Content.assemble((f"{label} ", "$text-primary"), name)
                matching.append(Selection(prompt, value, value in self.chosen))
        shown.add_options(matching)
        if matching:
            shown.highlighted = 0
        self._describe_chosen()

    @on(Input.Changed, "#picker-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        """Show the matches for the new filter."""
        event.stop()
        self.show_matching(event.value)

    @on(Input.Submitted, "#picker-filter")
    def to_the_list(self, event: Input.Submitted) -> None:
        """Enter in the filter moves to the list, to tick what it shows."""
        event.stop()
        self.query_one("#picker-list").focus()

    @on(SelectionList.SelectionToggled, "#picker-list")
    def toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        """Remember what was ticked or unticked."""
        event.stop()
        value = event.selection.value
        if value in event.selection_list.selected:
            self.chosen.add(value)
        else:
            self.chosen.discard(value)
        self._describe_chosen()
        self.show_error(None)

    def _describe_chosen(self) -> None:
        labels = {value: f"{label} {code}" for value, label, code, *_ in self.options}
        names = [labels[value] for value in sorted(self.chosen, key=list(labels).index)]
        text = f"{len(names)} chosen: " + ", ".join(names) if names else "Nothing chosen yet"
        self.query_one("#picker-chosen", Label).update(plain(text))

    def show_error(self, message: str | None) -> None:
        """Show (or clear) a message under the list."""
        self.set_class(bool(message), "-invalid")
        self.query_one("#picker-error", Label).update(plain(message or ""))

    @property
    def links(self) -> list[LinkIn]:
        """The chosen capabilities as links, PCF domains at the chosen level."""
        level = self.query_one("#picker-level", Select).value
        pcf_level = level if isinstance(level, str) else None
        out = []
        for value, *_ in self.options:
            if value in self.chosen:
                framework, code = value.split("|", 1)
                out.append(LinkIn(framework=framework, code=code, level=pcf_level if framework == "pcf" else None))
        return out
