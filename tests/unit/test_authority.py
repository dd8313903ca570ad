"""Authority files: the demo council loads, and every kind of mistake is named with its place."""

from __future__ import annotations

from pathlib import Path

import pytest

from progression.authority import load_authority
from progression.errors import InputError
from progression.locations import data_dir
from progression.reference import reference

DEMO = data_dir() / "councils" / "demo.yaml"

MINIMAL = """\
name: Example Borough Council
routes:
  practice: {title: Practice route, kind: practice}
roles:
  nqsw: {title: Newly qualified social worker, route: practice, pcf_level: asye, caseload_cap: 14}
  social-worker: {title: Social worker, route: practice}
transitions:
  - from: nqsw
    to: social-worker
    decided_by: automatic
    requires:
      - completed: asye
      - months_in_role: 12
"""


def write(tmp_path: Path, text: str, name: str = "council.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_authority(path, reference())
    return [str(p) for p in caught.value.problems]


def test_demo_council_loads_with_every_route_kind() -> None:
    authority = load_authority(DEMO, reference())
    assert {route.kind for route in authority.routes.values()} == {
        "practice",
        "management",
        "apprenticeship",
        "academy",
    }
    assert authority.roles["social-worker-1"].retention_payment.amount == 2000
    assert authority.roles["social-worker-1"].retention_payment.after_months_of_service == 24
    assert authority.roles["advanced-social-worker"].market_supplement == 5000
    assert authority.roles["team-manager"].market_supplement == 5487
    assert authority.roles["nqsw"].caseload_cap < authority.roles["social-worker-1"].caseload_cap


def test_demo_council_is_fictional() -> None:
    assert "fictional" in DEMO.read_text(encoding="utf-8").lower()


def test_a_minimal_file_loads(tmp_path: Path) -> None:
    authority = load_authority(write(tmp_path, MINIMAL), reference())
    assert [r.kind for r in authority.transitions[0].requires] == ["completed", "months_in_role"]


def test_transitions_may_form_a_cycle(tmp_path: Path) -> None:
    text = MINIMAL + "  - {from: social-worker, to: nqsw, decided_by: line_manager}\n"
    authority = load_authority(write(tmp_path, text), reference())
    assert len(authority.transitions) == 2


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("route: practice}", "route: nowhere}"), "council.yaml:6: roles.social-worker.route: unknown route 'nowhere'"),
        (("    to: social-worker\n", "    to: senior\n"), "council.yaml:9: transitions[0].to: unknown role 'senior'"),
        (("    to: social-worker\n", "    to: nqsw\n"), "transitions[0]: a transition from 'nqsw' to itself"),
        (
            ("      - completed: asye", "      - completed: leadership"),
            "council.yaml:12: transitions[0].requires[0].completed: unknown programme 'leadership'",
        ),
        (
            ("      - months_in_role: 12", "      - months_in_role: -3"),
            "council.yaml:13: transitions[0].requires[1].months_in_role: Input should be greater than 0",
        ),
        (
            ("      - months_in_role: 12", "      - {months_in_role: 12, months_qualified: 24}"),
            "council.yaml:13: transitions[0].requires[1]: a requirement has exactly one of",
        ),
        (
            ("      - months_in_role: 12", "      - months_in_grade: 12"),
            "transitions[0].requires[1].months_in_grade: Extra inputs are not permitted",
        ),
        (("pcf_level: asye", "pcf_level: wizard"), "roles.nqsw.pcf_level: unknown PCF level 'wizard'"),
        (("decided_by: automatic", "decided_by: vote"), "transitions[0].decided_by: Input should be"),
        (("  social-worker: {", "  Social_Worker: {"), "roles.Social_Worker: 'Social_Worker' is not a key"),
    ],
)
def test_mistakes_name_the_file_line_and_path(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in MINIMAL
    found = problems_of(write(tmp_path, MINIMAL.replace(old, new, 1)))
    assert any(expected in problem for problem in found), found


def test_duplicate_keys_are_errors_not_overwrites(tmp_path: Path) -> None:
    text = MINIMAL.replace("  social-worker: {", "  nqsw: {title: Again, route: practice}\n  social-worker: {")
    found = problems_of(write(tmp_path, text))
    assert found == ["council.yaml:6: roles.nqsw: duplicate key 'nqsw' (first on line 5)"]


def test_duplicate_transitions_are_errors(tmp_path: Path) -> None:
    text = MINIMAL + "  - {from: nqsw, to: social-worker, decided_by: panel}\n"
    assert any("duplicate transition nqsw → social-worker" in p for p in problems_of(write(tmp_path, text)))


def test_evidence_requirement_must_name_a_known_framework_level(tmp_path: Path) -> None:
    text = MINIMAL.replace("      - months_in_role: 12", "      - evidence: {framework: pcf, level: wizard}")
    assert any(
        "transitions[0].requires[1].evidence.level: unknown level 'wizard'" in p
        for p in problems_of(write(tmp_path, text))
    )


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    found = problems_of(write(tmp_path, MINIMAL.replace("  practice: {title", "  practice: {title: [", 1)))
    assert found[0].startswith("council.yaml:")
    assert "not valid YAML" in found[0]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = MINIMAL.replace("route: practice}", "route: nowhere}").replace("    to: social-worker\n", "    to: x\n")
    assert len(problems_of(write(tmp_path, text))) == 2


def test_a_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    assert problems_of(write(tmp_path, "- just\n- a list\n")) == [
        "council.yaml: an authority file is a mapping with name, routes, roles and transitions"
    ]


def test_missing_file(tmp_path: Path) -> None:
    assert "no such file" in problems_of(tmp_path / "missing.yaml")[0]


def test_local_programmes_can_be_required(tmp_path: Path) -> None:
    text = (
        MINIMAL.replace("      - completed: asye", "      - completed: leadership")
        + "programmes:\n  leadership: {title: Aspiring leaders, kind: local}\n"
    )
    assert load_authority(write(tmp_path, text), reference()).programmes["leadership"].title == "Aspiring leaders"
