"""Names are data: user-supplied text shown on a terminal, printed as JSON or written to a spreadsheet never
acts as markup, escape codes, non-JSON numbers or formulas.

- `visible(text)`: control characters (ESC, NUL, the other C0 and C1 codes, DEL) replaced by visible
  stand-ins, so nothing typed into a field can move the cursor or clear the screen.
- `SafeConsole`: the command line's Rich console. It parses no markup and no emoji codes in strings and
  passes every string through `visible`; styled lines are built with `line()`, whose parts are plain text.
- `json_text(data)`: JSON with non-finite numbers (inf, nan) written as null, never `Infinity` or `NaN`.
- `spreadsheet_cell(value)`: a cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or
  carriage return first) is prefixed with a single quote (OWASP's advice on CSV injection); numbers stay numbers.
"""

from __future__ import annotations

import json
import math
from typing import Any

from rich.console import Console
from rich.text import Text

KEPT = "\n\t"
"""Control characters that stay as they are where lines are allowed: a line break and a tab."""

_REPLACEMENTS: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
"""C0 controls as Unicode control pictures: NUL as ␀, ESC as ␛, CR as ␍."""
_REPLACEMENTS[0x7F] = "\u2421"  # DEL as ␡
_REPLACEMENTS.update({code: "\ufffd" for code in range(0x80, 0xA0)})  # C1 controls (such as CSI) as �
_SINGLE_LINE = str.maketrans(_REPLACEMENTS)
_MULTI_LINE = str.maketrans({code: ch for code, ch in _REPLACEMENTS.items() if chr(code) not in KEPT})

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""What makes a spreadsheet read a cell as a formula: OWASP's list, with the full-width forms some
spreadsheets also accept."""


def visible(text: object, *, lines: bool = True) -> str:
    """`text` as a string with every control character replaced by a visible stand-in.

    Args:
        text: Anything; it is turned into a string first (None becomes "").
        lines: Keep line breaks and tabs (True) or show them as ␊ and ␉ too (False, for one-line cells).
    """
    if text is None:
        return ""
    value = text if isinstance(text, str) else str(text)
    if lines:
        return value.replace("\r\n", "\n").translate(_MULTI_LINE)
    return value.translate(_SINGLE_LINE)


def line(*parts: str | tuple[str, str]) -> Text:
    """One styled line for the console: each part is plain text, or (plain text, Rich style); no part is
    parsed as markup and every part passes through `visible`."""
    text = Text()
    for part in parts:
        if isinstance(part, tuple):
            text.append(visible(part[0]), style=part[1])
        else:
            text.append(visible(part))
    return text


class SafeConsole(Console):
    """A Rich console for data: strings are shown literally (no markup, no `:emoji:` codes, no highlighting)
    and with their control characters made visible; Text objects are taken as built (use `line()`)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("soft_wrap", False)
        super().__init__(markup=False, emoji=False, highlight=False, **kwargs)

    def render_str(self, text: str, **kwargs: Any) -> Text:
        kwargs["markup"] = False
        kwargs["emoji"] = False
        kwargs["highlight"] = False
        return super().render_str(visible(text), **kwargs)


def finite(data: Any) -> Any:
    """`data` (made of dicts, lists, strings and numbers) with every infinite or NaN float replaced by None."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: finite(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [finite(value) for value in data]
    return data


def json_text(data: Any) -> str:
    """Indented JSON that any JSON reader accepts: no `Infinity` or `NaN` (they become null)."""
    return json.dumps(finite(data), indent=2, allow_nan=False)


def spreadsheet_cell(value: object) -> object:
    """A value safe for a CSV or XLSX cell: text a spreadsheet would run as a formula gets a leading single
    quote, control characters are made visible; numbers, dates, booleans and None are kept as they are."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS):
        value = "'" + value
    return visible(value)
