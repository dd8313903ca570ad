"""Reading YAML that people write: duplicate keys are errors, every path knows its line, and the input is
bounded before anything expensive happens.

Limits (each refusal names the file and line, and exits 2):
- the file is at most `MAX_BYTES` long;
- nesting is at most `MAX_DEPTH` deep (checked while composing, so a deep file never reaches the recursive
  parts of the loader);
- a file people supply (an authority file) may not use anchors or aliases at all: they are refused the moment
  the composer meets one, so an alias bomb ("billion laughs") costs a few hundred bytes of reading, not minutes;
- the packaged reference data may use them (`allow_aliases`), but a recursive alias is refused and the document,
  with every alias expanded, may hold at most `MAX_NODES` nodes and be at most `MAX_DEPTH` deep (counted without
  expanding anything, in time linear in the file).

Only `true`/`false` are booleans (not `yes`, `no`, `on`, `off`), and dates stay strings for the models to read.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError

from progression.errors import InputError, Problem

MAX_BYTES = 1_000_000
"""The largest YAML file read (an authority file is a few kilobytes)."""
MAX_DEPTH = 32
"""The deepest nesting of mappings and sequences (an authority file needs 5)."""
MAX_NODES = 200_000
"""The most nodes a document may hold with every alias expanded (reference data only)."""


class LimitedLoader(yaml.SafeLoader):
    """Safe YAML with limits on depth, aliases and anchors; only true/false are booleans; dates stay strings."""

    allow_aliases = False

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        if not self.allow_aliases:
            if isinstance(event, yaml.AliasEvent):
                raise ComposerError(None, None, f"aliases (*{event.anchor}) are not allowed", event.start_mark)
            if getattr(event, "anchor", None) is not None:
                raise ComposerError(None, None, f"anchors (&{event.anchor}) are not allowed", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


LimitedLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
LimitedLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _check_expansion(root: yaml.Node) -> None:
    """Refuse a recursive alias, or a document that expands past MAX_NODES nodes or MAX_DEPTH levels.

    Each node is measured once (aliases share nodes), so this is linear in the file, however much it expands.
    """
    measured: dict[int, tuple[int, int]] = {}
    active: set[int] = set()

    def measure(node: yaml.Node, depth: int) -> tuple[int, int]:
        key = id(node)
        if key in active:
            raise ComposerError(None, None, "a recursive alias (a node that contains itself)", node.start_mark)
        known = measured.get(key)
        if known is None:
            if depth > MAX_DEPTH:
                raise ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep", node.start_mark)
            children: list[yaml.Node] = []
            if isinstance(node, yaml.SequenceNode):
                children = list(node.value)
            elif isinstance(node, yaml.MappingNode):
                children = [part for pair in node.value for part in pair]
            active.add(key)
            size, height = 1, 0
            for child in children:
                child_size, child_height = measure(child, depth + 1)
                size, height = size + child_size, max(height, child_height + 1)
                if size > MAX_NODES:
                    raise ComposerError(
                        None, None, f"expands to more than {MAX_NODES:,} nodes (through aliases)", node.start_mark
                    )
            active.discard(key)
            known = measured[key] = (size, height)
        if depth + known[1] > MAX_DEPTH:
            raise ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep", node.start_mark)
        return known

    size, _ = measure(root, 1)
    if size > MAX_NODES:
        raise ComposerError(None, None, f"expands to more than {MAX_NODES:,} nodes (through aliases)", root.start_mark)


def read_text(path: Path) -> str:
    """The text of a YAML file of at most MAX_BYTES (UTF-8, a byte-order mark allowed).

    Raises:
        InputError: the file is missing, unreadable, too long or not UTF-8.
    """
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError(Problem(str(path), "no such file")) from None
    except OSError as exc:
        raise InputError(Problem(str(path), f"cannot be read: {exc.strerror or exc}")) from None
    if len(data) > MAX_BYTES:
        raise InputError(Problem(path.name, f"is longer than {MAX_BYTES:,} bytes; a YAML file here is far smaller"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(Problem(path.name, f"is not UTF-8 text (byte {exc.start + 1})")) from None


def load_limited(text: str, loader: type[LimitedLoader] = LimitedLoader) -> tuple[yaml.Node | None, Any]:
    """Compose and construct one YAML document in a single pass: (the node tree, the data).

    Raises:
        yaml.YAMLError: not YAML, or over a limit (a MarkedYAMLError with the line where it can say).
    """
    instance = loader(text)
    try:
        node = instance.get_single_node()
        if node is None:
            return None, None
        if loader.allow_aliases:
            _check_expansion(node)
        return node, instance.construct_document(node)
    finally:
        instance.dispose()


def yaml_problem(name: str, exc: yaml.YAMLError, text: str = "") -> Problem:
    """A YAML error as a problem naming the file and, where known, the line."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark else ""
        return Problem(f"{name}{line}", f"not valid YAML: {exc.problem or exc.context}")
    if isinstance(exc, yaml.reader.ReaderError):
        line = f":{text.count(chr(10), 0, exc.position) + 1}" if text else ""
        return Problem(f"{name}{line}", "not valid YAML: a control character (such as NUL) is not allowed")
    return Problem(name, f"not valid YAML: {exc}")


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
    """Parse a YAML file people supply, within the limits above (no anchors or aliases).

    Raises:
        InputError: the file cannot be read, is too long, is not YAML, is over a limit, or repeats a key.
    """
    text = read_text(path)
    try:
        node, data = load_limited(text)
    except yaml.YAMLError as exc:
        raise InputError(yaml_problem(path.name, exc, text)) from None
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
