"""Form fields with inline validation: a message under the field names what is wrong and keeps what was typed."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, TextArea

from progression.dates import read_date
from progression.fields import free_text_problem, read_number, text_problem
from screens.safe import plain

NUMBER_LOW, NUMBER_HIGH = 0.0, 1_000_000.0
"""The numbers a form takes unless the field says otherwise: none is negative, none is astronomical."""


class FormField(Vertical):
    """A labelled input (one line, or several) with its own error line.

    `kind` is `text`, `date` (YYYY-MM-DD), `number` or `multiline`. What is typed is checked as the services
    check it: dates with `read_date`, numbers with `read_number`, text with `text_problem` (one line) or
    `free_text_problem` (several), against `limit` (pass `column_limit(Model, "field")`).
    """

    DEFAULT_CSS = """
    FormField {
        height: auto;
        margin: 0 0 1 0;
        & > .field-label { color: $text-muted; }
        & > .field-error { color: $text-error; display: none; width: 1fr; }
        &.-invalid > .field-error { display: block; }
        &.-invalid > Input, &.-invalid > TextArea { border: tall $error; }
        & > TextArea { height: 5; }
    }
    """

    def __init__(
        self,
        label: str,
        *,
        kind: str = "text",
        required: bool = False,
        value: str = "",
        placeholder: str = "",
        id: str | None = None,  # noqa: A002
        limit: int | None = None,
        low: float = NUMBER_LOW,
        high: float = NUMBER_HIGH,
    ) -> None:
        """Make a field.

        Args:
            label: What the field is, shown above it.
            kind: text, date, number or multiline.
            required: Whether an empty value is an error.
            value: The starting value.
            placeholder: Shown while empty.
            id: The field's DOM id; the input inside gets `<id>-input`.
            limit: The most characters the text may have (the column's limit), or None.
            low: The smallest number a `number` field takes.
            high: The largest number a `number` field takes.
        """
        super().__init__(id=id)
        self.label, self.kind, self.required = label, kind, required
        self.limit, self.low, self.high = limit, low, high
        self._value, self._placeholder = value, placeholder or ("YYYY-MM-DD" if kind == "date" else "")

    def compose(self) -> ComposeResult:
        """The label, the input and the (hidden) error line."""
        yield Label(plain(self.label + (" *" if self.required else "")), classes="field-label")
        input_id = f"{self.id}-input" if self.id else None
        if self.kind == "multiline":
            yield TextArea(self._value, id=input_id, soft_wrap=True, show_line_numbers=False)
        else:
            yield Input(self._value, placeholder=self._placeholder, id=input_id)
        yield Label("", classes="field-error")

    @property
    def text(self) -> str:
        """What is typed, as typed (stripped)."""
        widget = self.query_one(TextArea) if self.kind == "multiline" else self.query_one(Input)
        return widget.text.strip() if isinstance(widget, TextArea) else widget.value.strip()

    @text.setter
    def text(self, value: str) -> None:
        if self.kind == "multiline":
            self.query_one(TextArea).text = value
        else:
            self.query_one(Input).value = value

    def show_error(self, message: str | None) -> None:
        """Show (or clear) the message under the field; the typed text stays."""
        self.set_class(bool(message), "-invalid")
        self.query_one(".field-error", Label).update(plain(message or ""))

    def check(self) -> bool:
        """Validate what is typed, show any error in place, and say whether it is valid."""
        text = self.text
        if not text:
            self.show_error("Required" if self.required else None)
            return not self.required
        problem = self.problem(text)
        self.show_error(problem)
        return problem is None

    def problem(self, text: str) -> str | None:
        """Why `text` cannot be taken, or None."""
        if self.kind == "date":
            return read_date(text)[1]
        if self.kind == "number":
            return read_number(text, low=self.low, high=self.high)[1]
        why = free_text_problem(text, self.limit) if self.kind == "multiline" else text_problem(text, self.limit)
        return f"This {why}" if why else None

    @property
    def date_value(self) -> date | None:
        """The date typed (None when empty); call `check` first."""
        return read_date(self.text)[0] if self.text else None

    @property
    def number_value(self) -> float | None:
        """The number typed (None when empty); call `check` first."""
        return read_number(self.text, low=self.low, high=self.high)[0] if self.text else None


def check_all(*fields: FormField) -> bool:
    """Validate every field (so every error shows at once), and say whether all are valid."""
    results = [field.check() for field in fields]
    return all(results)
