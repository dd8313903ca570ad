"""Names are data on the screens: what people typed is shown as it is, never read as Textual or Rich markup
(`[/]`, `[link=…]`, `[@click=…]`), and its control characters (ESC, NUL, C1 codes) are shown as visible
stand-ins instead of reaching the terminal.

Use these wherever text from the database or a service reaches a widget:

- `plain(text)`: a Content that is exactly the text (Static, Label, border titles, notifications, options).
- `markup(template, **values)`: a Content from markup written in the code, with the values put in as
  `$name` variables, which Textual never parses (never build markup with f-strings around data).
- `cell(text, **style)`: a Rich Text for a DataTable cell (a str cell would be parsed as Rich markup).
- `tidy(result)`: a service's result with every string made visible (RecordScreen applies it to each read).

`textual.markup.escape` is not used: a value ending in a backslash escapes the markup that follows it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import BaseModel
from rich.text import Text
from textual.content import Content

from progression.safe_text import visible


def plain(text: object, *, lines: bool = True) -> Content:
    """`text` as Content, shown literally: no markup, control characters made visible. Content and Rich Text
    built by the code (with `markup` or `cell`) are kept as they are."""
    if isinstance(text, Content):
        return text
    if isinstance(text, Text):
        return Content.from_rich_text(text)
    return Content(visible(text, lines=lines))


def markup(template: str, **values: object) -> Content:
    """Content from `template` (markup written in the code) with each `$name` replaced by its value, literally."""
    return Content.from_markup(
        template, **{name: value if isinstance(value, Content) else visible(value) for name, value in values.items()}
    )


def cell(text: object, *, lines: bool = False, **kwargs: Any) -> Text:
    """A DataTable cell showing `text` literally (Rich Text takes the same keywords: style, overflow, no_wrap)."""
    return Text(visible(text, lines=lines), **kwargs)


def tidy(value: Any) -> Any:
    """`value` with every string inside it (in models, lists, tuples, dicts and dataclasses) made visible."""
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, list):
        return [tidy(item) for item in value]
    if isinstance(value, tuple):
        items = [tidy(item) for item in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, dict):
        return {tidy(key): tidy(item) for key, item in value.items()}
    if isinstance(value, BaseModel) and not hasattr(type(value), "__table__"):
        changed = {name: tidy(getattr(value, name)) for name in type(value).model_fields}
        return value.model_copy(update=changed)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: tidy(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        try:
            return dataclasses.replace(value, **fields)
        except (TypeError, ValueError):
            return value
    return value
