"""Every way in, fuzzed: files and arguments mutated at random never crash Progression.

For each mutated input (a workers, enrolments, off-the-job or standards file, an authority file, or a
command line) the command must: never exit 70 or print a traceback; change nothing in the database
when it refuses; and, refusing a file, name the file. Bounded: `PROGRESSION_FUZZ_EXAMPLES` inputs per
kind (default 25), on the backend the suite runs on. Run with a larger figure to fuzz harder, e.g.
`PROGRESSION_FUZZ_EXAMPLES=2000 pytest tests/unit/test_fuzz_inputs.py -n 2`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select, text
from sqlmodel import SQLModel

import progression.models  # noqa: F401  (registers every table)
from progression.db import make_engine
from progression.locations import data_dir
from tests.conftest import TODAY
from tests.utils.cli import Run, run_cli

EXAMPLES = int(os.environ.get("PROGRESSION_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("PROGRESSION_FUZZ_RANDOM"),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    # No shrinking: each example runs whole commands, and shrinking a failure could take longer than CI has.
    # The failing input is printed as found.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
AUDIT_TABLES = {"audit_entry", "audit_head"}

NASTY = [
    "",
    " ",
    "9999-12-31",
    "0001-01-01",
    "1899-12-31",
    "2100-01-01",
    "20240101",
    "2024-W01-1",
    "2024-02-30",
    "24/11/2026",
    "1e309",
    "1e30",
    "-1e30",
    "inf",
    "-inf",
    "nan",
    "-1",
    "0",
    "1,5",
    "2147483648",
    "9223372036854775808",
    "10000000000000000000",
    "x" * 300,
    "M" * 50,
    "a\x00b",
    "\x1b[2J",
    "Ann [/] Bee",
    "M[/]2",
    "[link=https://example.org]y[/link]",
    "[bold red]",
    '=HYPERLINK("https://example.org","x")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "@SUM(A1)",
    "true",
    "null",
    "~",
    "'; DROP TABLE worker; --",
    '"',
    "a\nb",
    "é\u202e\u200b",
    "😀",
    "E1001",
    "E1002",
    "social-worker-1",
    "team-manager",
    "asye",
    "ST0510",
    "1.1",
    "yes",
    "admin",
    "manager;admin",
]
nasty = st.sampled_from(NASTY) | st.text(max_size=40)


def fingerprint(engine: Engine) -> dict[str, str]:
    """A digest of every table's rows, in key order: equal digests, equal databases."""
    out = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            digest = hashlib.sha256()
            for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
            out[table.name] = digest.hexdigest()
    return out


class Target:
    """One database the examples of a test share; each refused input must leave it as it was."""

    def __init__(self, url: str, tmp_path: Path) -> None:
        self.url, self.tmp_path = url, tmp_path
        self.engine = make_engine(url)
        self.state = fingerprint(self.engine)
        self.runs = 0

    def newest_audit_id(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(text("SELECT coalesce(max(id), 0) FROM audit_entry")).scalar() or 0)

    def run(self, *args: str, file: Path | None = None) -> Run:
        before_accepted, audit_before = self.state, self.newest_audit_id()
        result = run_cli("--db", self.url, "--as", "E1001", "--today", TODAY.isoformat(), *args)
        self.runs += 1
        shown = f"progression {' '.join(args)!r}:\n{result.stderr}"
        assert result.exit_code != 70, shown
        assert "Traceback" not in result.stderr + result.stdout, shown
        after = fingerprint(self.engine)
        if result.exit_code == 0:
            self.state = after
            if after != before_accepted and args[0] in ("import", "init"):
                self.everyone_still_works()
            return result
        changed = {name for name in after if after[name] != self.state[name]}
        # The audit log may record the refusal and, on PostgreSQL, the owner's impersonation (`--as`); nothing else.
        with self.engine.connect() as connection:
            added = set(
                connection.execute(
                    text("SELECT DISTINCT action FROM audit_entry WHERE id > :id"), {"id": audit_before}
                ).scalars()
            )
        assert added <= {"refused", "impersonate"}, f"{shown}\nrefused but audited {sorted(added)}"
        changed -= AUDIT_TABLES
        assert not changed, f"{shown}\nrefused (exit {result.exit_code}) but changed {sorted(changed)}"
        self.state = after
        if file is not None and result.exit_code == 2 and "Usage:" not in result.stderr:
            assert file.name in result.stderr, f"{shown}\nthe message does not name the file"
        return result

    def everyone_still_works(self) -> None:
        """What an accepted input wrote never breaks a later command, for anyone (a value accepted once must
        not make `team`, `next-steps`, `status` or the reports fail from then on)."""
        with self.engine.connect() as connection:  # the newest workers, and a few of the demo's
            staff = [row[0] for row in connection.execute(text("SELECT staff_id FROM worker ORDER BY id DESC LIMIT 4"))]
        staff += ["E1001", "E1002", "E1003"]
        commands = [
            ["team", "--json"],
            ["report", "workforce", "--json"],
            ["learners", "--json"],
            ["payments", "--from", "2026-01-01", "--to", "2027-12-31", "--json"],
            ["request", "list", "--json"],
        ]
        for staff_id in staff:
            commands += [["next-steps", staff_id, "--json"], ["status", staff_id, "--json"]]
        for command in commands:
            result = run_cli("--db", self.url, "--today", TODAY.isoformat(), "--as", "E1001", *command)
            shown = f"after an accepted input, progression {' '.join(command)!r}:\n{result.stderr}"
            assert result.exit_code in (0, 1), shown
            if result.exit_code == 0:
                json.loads(result.stdout, parse_constant=_not_json)


def _not_json(name: str) -> None:
    raise AssertionError(f"{name} is not JSON")


@pytest.fixture
def target(demo_url: str, tmp_path: Path) -> Target:
    made = Target(demo_url, tmp_path)
    yield made  # type: ignore[misc]
    made.engine.dispose()


def mutate_csv(header: list[str], rows: list[list[str]], data: st.DataObject) -> str:
    """Some cells replaced by nasty values; maybe a column dropped, a row repeated or cut short."""
    header, rows = list(header), [list(r) for r in rows]
    for _ in range(data.draw(st.integers(1, 4), label="cells")):
        row = data.draw(st.integers(0, len(rows) - 1))
        column = data.draw(st.integers(0, len(header) - 1))
        rows[row][column] = data.draw(nasty, label=f"row {row} {header[column]}")
    if data.draw(st.booleans(), label="drop a column") and len(header) > 1:
        drop = data.draw(st.integers(0, len(header) - 1))
        header.pop(drop)
        for row in rows:
            row.pop(drop)
    if data.draw(st.booleans(), label="repeat a row"):
        rows.append(list(rows[data.draw(st.integers(0, len(rows) - 1))]))
    if data.draw(st.integers(0, 9), label="cut a row short") == 0:
        rows[-1] = rows[-1][: data.draw(st.integers(0, len(rows[-1])))]

    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n\r') else value

    return "".join(",".join(cell(v) for v in line) + "\n" for line in [header, *rows])


def write(target: Target, name: str, text: str, data: st.DataObject) -> Path:
    path = target.tmp_path / name
    raw = text.encode("utf-8")
    if data.draw(st.integers(0, 14), label="corrupt bytes") == 0:
        at = data.draw(st.integers(0, len(raw)))
        raw = raw[:at] + data.draw(st.binary(min_size=1, max_size=8)) + raw[at:]
    path.write_bytes(raw)
    return path


WORKERS = (
    ["staff_id", "name", "role", "role_since", "employed_since", "qualified_on", "team", "manager", "email", "fte"]
    + ["access", "completed"],
    [
        ["F1", "Fuzz One", "social-worker-1", "2024-09-01", "2023-09-01", "2023-08-01", "Fuzz Team", "E1001"]
        + ["f1@example.org", "0.8", "", "asye:2024-09-01"],
        ["F2", "Fuzz Two", "team-manager", "2020-01-01", "2015-01-01", "2010-06-01", "Fuzz Team", "", "", "1"]
        + ["manager", ""],
        ["E1002", "Existing Worker", "social-worker-1", "2024-09-01", "", "", "", "", "", "", "", ""],
    ],
)
ENROLMENTS = (
    ["staff_id", "programme", "version", "start", "planned_end", "educator", "contracted_hours", "otj_hours_required"],
    [
        ["E1002", "ST0510", "1.1", "2026-09-07", "", "E1001", "37", ""],
        ["E1003", "asye", "", "2026-09-01", "", "", "", ""],
    ],
)
OTJ = (
    ["staff_id", "programme", "date", "hours", "activity", "verified"],
    [["E1002", "ST0510", "2026-10-05", "6", "Study day", "yes"], ["E1002", "ST0510", "2026-10-12", "7.5", "", "no"]],
)
STANDARDS_EXPORT = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "skills-england"
    / "apprenticeship-standards-export-2025-05-25.csv"
)


def csv_test(target: Target, data: st.DataObject, command: str, name: str, table: tuple[list[str], list[list[str]]]):  # type: ignore[no-untyped-def]
    path = write(target, name, mutate_csv(*table, data), data)
    target.run("import", command, str(path), file=path)


@FUZZ
@given(data=st.data())
def test_fuzzed_workers_files(target: Target, data: st.DataObject) -> None:
    csv_test(target, data, "workers", "workers.csv", WORKERS)


@FUZZ
@given(data=st.data())
def test_fuzzed_enrolment_files(target: Target, data: st.DataObject) -> None:
    csv_test(target, data, "enrolments", "enrolments.csv", ENROLMENTS)


@FUZZ
@given(data=st.data())
def test_fuzzed_off_the_job_files(target: Target, data: st.DataObject) -> None:
    csv_test(target, data, "otj", "otj.csv", OTJ)


def _standards_sample() -> tuple[list[str], list[list[str]]]:
    import csv

    with STANDARDS_EXPORT.open(encoding="utf-8-sig", newline="") as handle:
        rows = [row for _, row in zip(range(4), csv.reader(handle), strict=False)]
    return rows[0], rows[1:]


@FUZZ
@given(data=st.data())
def test_fuzzed_standards_exports(target: Target, data: st.DataObject) -> None:
    csv_test(target, data, "standards", "standards-export.csv", _standards_sample())


SCALAR = re.compile(r"^(?P<indent>\s*)(?P<key>[A-Za-z_-]+):\s+(?P<value>[^{\s#][^#\n]*)$", re.MULTILINE)
YAML_EXTRAS = [
    "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: [*b, *b, *b, *b, *b, *b, *b, *b]\n",
    "loop: &loop [*loop]\n",
    "deep: " + "[" * 200 + "]" * 200 + "\n",
    "caseload_cap: 10000000000000000000\n",
    "months_qualified: true\n",
]


@settings(FUZZ, max_examples=max(5, EXAMPLES // 3))  # each example is a whole `init`
@given(data=st.data())
def test_fuzzed_authority_files(target: Target, data: st.DataObject) -> None:
    text = (data_dir() / "councils" / "demo.yaml").read_text(encoding="utf-8")
    scalars = list(SCALAR.finditer(text))
    for _ in range(data.draw(st.integers(1, 3), label="values")):
        match = data.draw(st.sampled_from(scalars))
        value = data.draw(nasty | st.sampled_from(["true", "1e30", "-1", "120000", "*x", "&x", "!!python/object"]))
        text = text[: match.start("value")] + value.replace("\n", " ") + text[match.end("value") :]
        scalars = list(SCALAR.finditer(text))
    if data.draw(st.integers(0, 4), label="extra") == 0:
        text += data.draw(st.sampled_from(YAML_EXTRAS))
    path = write(target, "authority.yaml", text, data)
    target.run("init", "--authority", str(path), file=path)


COMMANDS: list[Callable[[st.DataObject], list[str]]] = [
    lambda d: ["next-steps", d.draw(nasty), "--json"],
    lambda d: ["path", d.draw(nasty), d.draw(nasty), "--json"],
    lambda d: ["status", d.draw(nasty), "--on", d.draw(nasty)],
    lambda d: ["payments", "--from", d.draw(nasty), "--to", d.draw(nasty)],
    lambda d: ["request", "list", "--state", d.draw(nasty)],
    lambda d: ["request", "submit", d.draw(nasty), d.draw(nasty), "--note", d.draw(nasty)],
    lambda d: ["request", "decide", d.draw(nasty), "--outcome", d.draw(nasty), "--reason", d.draw(nasty)],
    lambda d: ["request", "appeal", d.draw(nasty), "--note", d.draw(nasty)],
    lambda d: ["export", "plan", d.draw(nasty), "--format", d.draw(nasty)],
    lambda d: ["benchmark", "--la", d.draw(nasty), "--year", d.draw(nasty)],
    lambda d: ["team", "--output", str(Path("/nonexistent") / d.draw(nasty).replace("/", "_"))],
    lambda d: ["demo", "--workers", d.draw(nasty)],
]


@FUZZ
@given(data=st.data())
def test_fuzzed_command_lines(target: Target, data: st.DataObject) -> None:
    args = data.draw(st.sampled_from(COMMANDS))(data)
    if data.draw(st.integers(0, 5), label="today") == 0:
        args = ["--today", data.draw(nasty), *args]  # the later --today wins over Target's
    target.run(*args)
