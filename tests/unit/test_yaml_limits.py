"""YAML is read within limits (issue 9): an alias bomb, a recursive alias, deep nesting, a huge file or a control
character is refused with the file and line, exit 2, before anything expensive happens."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from progression import yamlfile
from progression.authority import load_authority
from progression.errors import InputError
from progression.locations import data_dir
from progression.reference import load_reference, reference
from progression.yamlfile import MAX_BYTES, MAX_DEPTH, read_yaml
from tests.utils.cli import run_cli

BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)
"""The classic billion laughs: nine levels of nine aliases each (9**9 'lol's once expanded), under 500 bytes."""


def write(tmp_path: Path, text: str, name: str = "council.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_yaml(path)
    return [str(p) for p in caught.value.problems]


def test_the_bomb_is_small() -> None:
    assert len(BOMB.encode()) < 500


def test_an_alias_bomb_is_refused_at_the_first_anchor_before_anything_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*_: object) -> None:
        raise AssertionError("nothing may be constructed or expanded from a file with anchors")

    monkeypatch.setattr(yamlfile.LimitedLoader, "construct_document", never)
    monkeypatch.setattr(yamlfile, "_index_lines", never)
    assert problems(write(tmp_path, BOMB)) == ["council.yaml:1: not valid YAML: anchors (&a) are not allowed"]


def test_a_lone_alias_is_refused_with_its_line(tmp_path: Path) -> None:
    text = "name: X\nroutes:\n  practice: *p\n"
    assert problems(write(tmp_path, text)) == ["council.yaml:3: not valid YAML: aliases (*p) are not allowed"]


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    assert problems(write(tmp_path, "name: X\nloop: &a [*a]\n")) == [
        "council.yaml:2: not valid YAML: anchors (&a) are not allowed"
    ]


def test_deep_nesting_is_refused_while_composing(tmp_path: Path) -> None:
    text = "name: " + "[" * 100_000 + "]" * 100_000 + "\n"
    assert problems(write(tmp_path, text)) == [
        f"council.yaml:1: not valid YAML: nested more than {MAX_DEPTH} levels deep"
    ]
    block = "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 5))
    assert problems(write(tmp_path, block)) == [
        f"council.yaml:{MAX_DEPTH}: not valid YAML: nested more than {MAX_DEPTH} levels deep"
    ]


def test_nesting_up_to_the_limit_is_read(tmp_path: Path) -> None:
    text = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert read_yaml(write(tmp_path, text)).data is not None


def test_a_file_over_the_size_limit_is_refused_without_parsing(tmp_path: Path) -> None:
    path = write(tmp_path, "# " + "x" * MAX_BYTES + "\nname: X\n")
    assert problems(path) == [f"council.yaml: is longer than {MAX_BYTES:,} bytes; a YAML file here is far smaller"]


def test_a_nul_byte_is_refused_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "name: X\nroutes: {}\ntitle: a\x00b\n")
    assert problems(path) == ["council.yaml:3: not valid YAML: a control character (such as NUL) is not allowed"]


def test_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "council.yaml"
    path.write_bytes(b"name: \xff\n")
    assert problems(path) == ["council.yaml: is not UTF-8 text (byte 7)"]


def test_a_file_is_composed_and_constructed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One pass: not `yaml.compose` and then `yaml.safe_load` of the same text again."""

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("a second pass over the text")

    monkeypatch.setattr(yaml, "compose", refuse)
    monkeypatch.setattr(yaml, "safe_load", refuse)
    monkeypatch.setattr(yaml, "load", refuse)
    document = read_yaml(write(tmp_path, "name: X\nroutes:\n  a: {title: A}\n"))
    assert document.data == {"name": "X", "routes": {"a": {"title": "A"}}}
    assert document.place(("routes", "a", "title")) == "council.yaml:3: routes.a.title"


def test_only_true_and_false_are_booleans_and_dates_stay_text(tmp_path: Path) -> None:
    data = read_yaml(write(tmp_path, "a: yes\nb: off\nc: true\nd: 2024-01-01\n")).data
    assert data == {"a": "yes", "b": "off", "c": True, "d": "2024-01-01"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (BOMB, "bomb.yaml:1: not valid YAML: anchors (&a) are not allowed"),
        ("name: X\nloop: &a [*a]\n", "bomb.yaml:2: not valid YAML: anchors (&a) are not allowed"),
        ("name: " + "{a: " * 5000 + "1" + "}" * 5000, f"bomb.yaml:1: not valid YAML: nested more than {MAX_DEPTH}"),
    ],
    ids=["billion-laughs", "recursive-alias", "deep"],
)
def test_init_refuses_such_an_authority_file_with_exit_2(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text, "bomb.yaml")
    result = run_cli("--db", str(tmp_path / "p.db"), "init", "--authority", str(path))
    assert result.exit_code == 2, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_load_authority_refuses_anchors_even_when_harmless(tmp_path: Path) -> None:
    text = "name: X\nroutes:\n  practice: &p {title: Practice, kind: practice}\n"
    with pytest.raises(InputError, match=r"council.yaml:3: not valid YAML: anchors \(&p\)"):
        load_authority(write(tmp_path, text), reference())


# --- the packaged reference data shares parts through anchors: allowed, within limits ---


@pytest.fixture
def reference_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "reference"
    shutil.copytree(data_dir() / "reference", folder)
    return folder


def reference_problems(folder: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_reference(folder)
    return [str(p) for p in caught.value.problems]


def test_the_packaged_reference_data_uses_anchors_and_loads() -> None:
    assert "*group" in (data_dir() / "reference" / "supervision.yaml").read_text(encoding="utf-8")
    assert load_reference().supervision["standard"].group_reflection is not None


def test_an_alias_bomb_in_reference_data_is_refused_by_its_expanded_size(reference_copy: Path) -> None:
    (reference_copy / "bomb.yaml").write_text(BOMB, encoding="utf-8")
    [problem] = reference_problems(reference_copy)
    assert problem.startswith("bomb.yaml:") and problem.endswith("expands to more than 200,000 nodes (through aliases)")


def test_a_recursive_alias_in_reference_data_is_refused(reference_copy: Path) -> None:
    (reference_copy / "loop.yaml").write_text("note: x\nchangeovers: &a [*a]\n", encoding="utf-8")
    assert reference_problems(reference_copy) == [
        "loop.yaml:2: not valid YAML: a recursive alias (a node that contains itself)"
    ]


def test_nesting_built_from_aliases_is_refused_in_reference_data(reference_copy: Path) -> None:
    lines = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [[[[[[[[*a{i - 1}]]]]]]]]" for i in range(1, 10)]
    (reference_copy / "deep.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    [problem] = reference_problems(reference_copy)
    assert problem.startswith("deep.yaml:") and problem.endswith(f"nested more than {MAX_DEPTH} levels deep")
