"""UI preferences kept between runs (the theme), in a small JSON file in the user config directory."""

from __future__ import annotations

import json
import os
from pathlib import Path

from progression.locations import user_config_file

DEFAULT_THEME = "textual-dark"


def preferences_path() -> Path:
    """`PROGRESSION_CONFIG_FILE` when set (tests redirect it), else the user config directory's settings.json."""
    override = os.environ.get("PROGRESSION_CONFIG_FILE")
    return Path(override) if override else user_config_file()


def load_preferences() -> dict[str, str]:
    """The saved preferences; an unreadable or malformed file counts as none saved."""
    try:
        data = json.loads(preferences_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def save_preference(key: str, value: str) -> None:
    """Remember one preference; failing to write (a read-only home, say) is not an error worth interrupting for."""
    path = preferences_path()
    data = load_preferences()
    data[key] = value
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    except OSError:
        pass
