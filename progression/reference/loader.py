"""Loads reference YAML (and the KSB CSVs it names), reporting every problem by file and place."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from progression.errors import InputError, Problem, ProblemList
from progression.locations import data_dir
from progression.reference.base import Invalid, Loc, Model, format_loc
from progression.reference.dataset import Reference
from progression.reference.frameworks import Framework
from progression.reference.programmes import Programme
from progression.reference.rules import (
    Changeover,
    CpdRule,
    OtjRule,
    PlacementRule,
    ReviewRule,
    SupervisionSchedule,
)
from progression.yamlfile import LimitedLoader, load_limited, read_text, yaml_problem

_RULE_SECTIONS = (
    "programmes",
    "supervision",
    "cpd_rules",
    "placement_rules",
    "otj_rules",
    "review_rules",
    "changeovers",
)
_KSB_TYPES = {"knowledge": "K", "skill": "S", "behaviour": "B"}
_CSV_COLUMNS = ("standard_ref", "ksb_type", "code", "text")


class _RulesFile(Model):
    """A YAML file of programmes and rules (a file with none of these sections is a framework)."""

    note: str | None = None
    programmes: list[Programme] = []
    supervision: list[SupervisionSchedule] = []
    cpd_rules: list[CpdRule] = []
    placement_rules: list[PlacementRule] = []
    otj_rules: list[OtjRule] = []
    review_rules: list[ReviewRule] = []
    changeovers: list[Changeover] = []


class _Loader(LimitedLoader):
    """The limited loader (see progression.yamlfile), with duplicate keys as errors. The packaged data shares
    repeated parts through anchors, so aliases are allowed here, within the expansion limits."""

    allow_aliases = True


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)):
            continue  # the base constructor reports unhashable keys
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=True)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def _default_dir() -> Path:
    """The shipped reference data directory."""
    return data_dir() / "reference"


def _errors(err: ValidationError) -> Iterator[tuple[Loc, str]]:
    """Flattens a ValidationError into (location, message), expanding our validators' own locations."""
    for e in err.errors():
        loc = tuple(e["loc"])
        cause = (e.get("ctx") or {}).get("error")
        if isinstance(cause, Invalid):
            yield from ((loc + sub, msg) for sub, msg in cause.items)
        else:
            yield loc, e["msg"]


def _read_yaml(path: Path, problems: ProblemList) -> dict[str, Any] | None:
    try:
        text = read_text(path)
        _, raw = load_limited(text, _Loader)
    except InputError as e:
        problems.problems.extend(e.problems)
        return None
    except yaml.YAMLError as e:
        problem = yaml_problem(path.name, e, text)
        problems.add(problem.place, problem.message)
        return None
    if not isinstance(raw, dict):
        problems.add(path.name, "expected a mapping at the top level")
        return None
    return raw


def _read_ksb_csv(path: Path, standard: str, problems: ProblemList) -> list[dict[str, str]] | None:
    """Reads a KSB CSV into capability dicts; every bad row becomes a `FILE:LINE: column` problem."""
    before, caps, seen = len(problems.problems), [], {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in _CSV_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                problems.add(f"{path.name}:1", f"missing column(s): {', '.join(missing)}")
                return None
            for row in reader:
                place = f"{path.name}:{reader.line_num}"
                if None in row:
                    problems.add(place, "more fields than the header")
                values = {c: (row.get(c) or "").strip() for c in _CSV_COLUMNS}
                for column, value in values.items():
                    if not value:
                        problems.add(f"{place}: {column}", "missing value")
                kind, code = values["ksb_type"], values["code"]
                if values["standard_ref"] and values["standard_ref"] != standard:
                    problems.add(f"{place}: standard_ref", f"expected {standard}, got '{values['standard_ref']}'")
                if kind and kind not in _KSB_TYPES:
                    expected = "expected knowledge, skill or behaviour"
                    problems.add(f"{place}: ksb_type", f"unknown type '{kind}' ({expected})")
                elif kind and code and not re.fullmatch(rf"{_KSB_TYPES[kind]}\d+", code):
                    letter = _KSB_TYPES[kind]
                    problems.add(f"{place}: code", f"'{code}' is not a {kind} code ({letter}1, {letter}2, ...)")
                elif code in seen:
                    problems.add(f"{place}: code", f"duplicate code '{code}' (also on line {seen[code]})")
                seen.setdefault(code, reader.line_num)
                caps.append({"code": code, "title": values["text"], "group": kind})
    except UnicodeDecodeError:
        problems.add(path.name, "not UTF-8 text")
    except (OSError, csv.Error) as e:
        problems.add(path.name, str(e))
    return caps if len(problems.problems) == before else None


def _attach_csv(raw: dict[str, Any], folder: Path, name: str, problems: ProblemList) -> bool:
    """Reads a framework's `capabilities_file` into `raw["capabilities"]`; False if it failed."""
    spec = raw.get("capabilities_file")
    rel = spec.get("path") if isinstance(spec, dict) else None
    if not isinstance(rel, str):
        return True  # pydantic reports the malformed spec
    if "capabilities" in raw:
        problems.add(f"{name}: capabilities", "give capabilities or capabilities_file, not both")
        return False
    path = folder / rel
    if not path.is_file():
        problems.add(f"{name}: capabilities_file.path", f"file not found: {rel}")
        return False
    caps = _read_ksb_csv(path, str(raw.get("key", "")), problems)
    if caps is None:
        return False
    raw["capabilities"] = caps
    return True


def _validate(model: type[Model], raw: dict[str, Any], name: str, problems: ProblemList) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as err:
        for loc, msg in _errors(err):
            problems.add(f"{name}: {format_loc(loc)}" if loc else name, msg)
        return None


def load_reference(directory: Path | None = None) -> Reference:
    """Loads and validates every `*.yaml` file in `directory` (default: the packaged reference data).

    Args:
        directory: A folder of reference YAML files (and the CSVs they name).

    Returns:
        The validated reference set.

    Raises:
        InputError: Every problem found, each naming the file and the place in it.
    """
    folder = Path(directory) if directory is not None else _default_dir()
    if not folder.is_dir():
        raise InputError(Problem(str(folder), "reference data directory not found"))
    problems = ProblemList()
    merged: dict[str, Any] = {s: {} if s in ("programmes", "supervision") else [] for s in _RULE_SECTIONS}
    merged["frameworks"] = {}
    origins: dict[tuple[str, Any], tuple[str, Loc]] = {}

    def add(section: str, item: Any, name: str, prefix: Loc) -> None:
        table = merged[section]
        if isinstance(table, dict):
            if item.key in table:
                first = origins[(section, item.key)][0]
                place = f"{name}: {format_loc((*prefix, 'key'))}"
                problems.add(place, f"duplicate key '{item.key}' (first in {first})")
                return
            table[item.key] = item
            origins[(section, item.key)] = (name, prefix)
        else:
            origins[(section, len(table))] = (name, prefix)
            table.append(item)

    for path in sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()):
        raw = _read_yaml(path, problems)
        if raw is None:
            continue
        if any(section in raw for section in _RULE_SECTIONS):
            doc = _validate(_RulesFile, raw, path.name, problems)
            for section in _RULE_SECTIONS if doc else ():
                for i, item in enumerate(getattr(doc, section)):
                    add(section, item, path.name, (section, i))
        elif _attach_csv(raw, folder, path.name, problems):
            framework = _validate(Framework, raw, path.name, problems)
            if framework:
                add("frameworks", framework, path.name, ())
    problems.raise_if_any()
    try:
        return Reference.model_validate(merged)
    except ValidationError as err:
        for loc, msg in _errors(err):  # cross-file checks: map each place back to its file
            name, prefix = origins.get(tuple(loc[:2]), ("reference data", tuple(loc[:2])))
            problems.add(f"{name}: {format_loc(prefix + loc[2:])}" if prefix + loc[2:] else name, msg)
        raise InputError(problems.problems) from None
