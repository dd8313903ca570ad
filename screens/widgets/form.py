"""Form fields with inline validation: a message under the field names what is wrong and keeps what was typed."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, TextArea


class FormField(Vertical):
    """A labelled input (one line, or several) with its own error line.

    `kind` is `text`, `date` (YYYY-MM-DD), `number` or `multiline`.
    """

    DEFAULT_CSS = """
    FormField {
        height: auto;
        margin: 0 0 1 0;
        & > .field-label { color: $text-muted; }
        & > .field-error { color: $text-error; display: none; }
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
        id: str | None = None,
    ) -> None:  # noqa: A002
        """Make a field.

        Args:
            label: What the field is, shown above it.
            kind: text, date, number or multiline.
            required: Whether an empty value is an error.
            value: The starting value.
            placeholder: Shown while empty.
            id: The field's DOM id; the input inside gets `<id>-input`.
        """
        super().__init__(id=id)
        self.label, self.kind, self.required = label, kind, required
        self._value, self._placeholder = value, placeholder or ("YYYY-MM-DD" if kind == "date" else "")

    def compose(self) -> ComposeResult:
        """The label, the input and the (hidden) error line."""
        yield Label(self.label + (" *" if self.required else ""), classes="field-label")
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
        self.query_one(".field-error", Label).update(message or "")

    def check(self) -> bool:
        """Validate what is typed, show any error in place, and say whether it is valid."""
        text = self.text
        if not text:
            self.show_error("Required" if self.required else None)
            return not self.required
        if self.kind == "date":
            try:
                date.fromisoformat(text)
            except ValueError:
                self.show_error(f"'{text}' is not a date: use YYYY-MM-DD")
                return False
        if self.kind == "number":
            try:
                float(text)
            except ValueError:
                self.show_error(f"'{text}' is not a number")
                return False
        self.show_error(None)
        return True

    @property
    def date_value(self) -> date | None:
        """The date typed (None when empty); call `check` first."""
        return date.fromisoformat(self.text) if self.text else None

    @property
    def number_value(self) -> float | None:
        """The number typed (None when empty); call `check` first."""
        return float(self.text) if self.text else None


def check_all(*fields: FormField) -> bool:
    """Validate every field (so every error shows at once), and say whether all are valid."""
    results = [field.check() for field in fields]
    return all(results)
