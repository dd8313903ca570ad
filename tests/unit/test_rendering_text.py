"""The one helper for showing user-supplied text: control characters visible, JSON without Infinity, and
spreadsheet cells that cannot run."""

from __future__ import annotations

import json

from progression.safe_text import SafeConsole, json_text, line, spreadsheet_cell, visible


def test_every_control_character_is_replaced_visibly() -> None:
    every = "".join(chr(code) for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)])
    shown = visible(every, lines=False)
    assert shown[0] == "␀" and shown[0x1B] == "␛" and shown[0x20] == "␡"
    assert not [ch for ch in shown if ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0]
    assert visible("a\nb\tc\r\nd\re") == "a\nb\tc\nd␍e"
    assert visible("Zoë [/] Ó'Brien") == "Zoë [/] Ó'Brien"
    assert visible(None) == ""


def test_the_console_shows_markup_and_emoji_codes_literally() -> None:
    console = SafeConsole(width=200, record=True, force_terminal=False)
    console.print("Ann [/] Bee [link=https://evil]x[/link] :smile: \x1b[2J")
    console.print(line(("M[/]2", "bold"), " [red]is[/] ", "\x9b"))
    assert console.export_text() == "Ann [/] Bee [link=https://evil]x[/link] :smile: ␛[2J\nM[/]2 [red]is[/] \ufffd\n"


def test_json_text_has_no_infinity_or_nan() -> None:
    text = json_text({"a": float("inf"), "b": [float("nan"), -float("inf"), 1.5], "c": "\x1b"})
    assert json.loads(text) == {"a": None, "b": [None, None, 1.5], "c": "\x1b"}
    assert "Infinity" not in text and "NaN" not in text and "\x1b" not in text


def test_spreadsheet_cells() -> None:
    assert spreadsheet_cell("=1+1") == "'=1+1"
    assert spreadsheet_cell("\uff1dcmd") == "'\uff1dcmd"
    assert spreadsheet_cell("Ann") == "Ann"
    assert spreadsheet_cell(-3) == -3
    assert spreadsheet_cell(None) is None
