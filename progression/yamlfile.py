"""Reading YAML that people write: duplicate keys are errors, and every path knows its line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from progression.errors import InputError, Problem


def _path(parts: tuple[Any, ...]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _index_lines(
    node: yaml.Node, parts: tuple[Any, ...], lines: dict[str, int], problems: list[Problem], name: str
) -> None:
    lines.setdefault(_path(parts), node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                where = _path((*parts, key))
                problems.append(
                    Problem(f"{name}:{line}: {where}", f"duplicate key '{key}' (first on line {seen[key]})")
                )
            seen[key] = line
            _index_lines(value_node, (*parts, key), lines, problems, name)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, (*parts, index), lines, problems, name)


class YamlDocument:
    """A parsed YAML file with a line for every path in it, for messages that name the place."""

    def __init__(self, path: Path, data: Any, lines: dict[str, int]) -> None:
        self.path = path
        self.data = data
        self.lines = lines

    def place(self, parts: tuple[Any, ...] | str) -> str:
        """`file.yaml:LINE: a.b[2].c` for a path inside the document (the nearest line known)."""
        where = parts if isinstance(parts, str) else _path(parts)
        probe = where
        while probe and probe not in self.lines:
            probe = probe.rsplit("[", 1)[0] if probe.endswith("]") else probe.rpartition(".")[0]
        line = self.lines.get(probe)
        prefix = f"{self.path.name}:{line}" if line else self.path.name
        return f"{prefix}: {where}" if where else prefix


def read_yaml(path: Path) -> YamlDocument:
    """Parse a YAML file.

    Raises:
        InputError: the file cannot be read, is not YAML, or repeats a key.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(Problem(str(path), "no such file")) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(Problem(str(path), f"cannot be read: {exc}")) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark else ""
        raise InputError(Problem(f"{path.name}{line}", f"not valid YAML: {exc.problem or exc.context}")) from None
    except yaml.YAMLError as exc:
        raise InputError(Problem(path.name, f"not valid YAML: {exc}")) from None
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    if node is not None:
        _index_lines(node, (), lines, problems, path.name)
    if problems:
        raise InputError(problems)
    return YamlDocument(path, data, lines)


def pydantic_problems(document: YamlDocument, error: Any) -> list[Problem]:
    """Turn a pydantic ValidationError into problems that name the file, line and path."""
    problems = []
    for item in error.errors():
        loc = tuple(part for part in item["loc"] if not (isinstance(part, str) and part.startswith("function-")))
        problems.append(Problem(document.place(loc), item["msg"].replace("Value error, ", "")))
    return problems
