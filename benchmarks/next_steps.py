"""Every worker's next steps in a 10,000-worker council, on SQLite and PostgreSQL: workers a second.

Run: .venv/bin/python benchmarks/next_steps.py [--workers 10000] [--repeat 5] [--postgresql URL]
The goal (issue 3) is 20,000 workers a second, the database read in a handful of queries.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from progression.bulk import without_cycle_collection
from progression.db import make_engine
from progression.engine import next_steps
from progression.services.actor import local_admin
from progression.services.demo import build_demo
from progression.services.facts import load_council, load_workers
from progression.services.progress import all_next_steps
from progression.services.setup import initialise

TODAY = date(2026, 11, 24)


def build(url: str, workers: int) -> Engine:
    engine = make_engine(url)
    initialise(engine, local_admin(), authority=None, today=TODAY, demo_council=True)
    build_demo(engine, local_admin(), workers=workers, seed=1, today=TODAY)
    return engine


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def measure(engine: Engine, repeat: int) -> dict[str, float]:
    """Time the service a screen or command calls (all_next_steps), and its database and engine parts."""
    queries: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: queries.append(a[2]))
    total_seconds, results = timed(lambda: all_next_steps(engine, local_admin(), TODAY), repeat)
    query_count = len(queries) / repeat

    def load():  # type: ignore[no-untyped-def]
        with without_cycle_collection(), Session(engine) as session:
            council = load_council(session)
            return council, load_workers(session, TODAY, council)

    load_seconds, (council, workers) = timed(load, repeat)  # type: ignore[misc]

    def compute():  # type: ignore[no-untyped-def]
        with without_cycle_collection():
            return [next_steps(w, council, TODAY) for w in workers]

    compute_seconds, _ = timed(compute, repeat)
    steps = sum(len(r) for _, r in results)  # type: ignore[union-attr]
    return {
        "workers": len(results),
        "steps": steps,
        "queries": query_count,
        "load": load_seconds,  # type: ignore[arg-type]
        "compute": compute_seconds,
        "total": total_seconds,
    }


def report(backend: str, m: dict[str, float]) -> None:
    total = m["total"]
    print(
        f"{backend:<11}{m['workers']:>8,.0f}{m['queries']:>9.0f}{m['load']:>9.3f}{m['compute']:>10.3f}"
        f"{total:>9.3f}{m['workers'] / total:>12,.0f}{m['workers'] / m['compute']:>13,.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--postgresql",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/test",
        help="an admin URL on a PostgreSQL server ('' to skip)",
    )
    args = parser.parse_args()
    print(
        f"{'backend':<11}{'workers':>8}{'queries':>9}{'load s':>9}{'engine s':>10}{'service s':>11}"
        f"{'workers/s':>12}{'engine w/s':>13}   (best of {args.repeat})"
    )
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        engine = build(f"sqlite:///{Path(folder) / 'bench.db'}", args.workers)
        results["sqlite"] = measure(engine, args.repeat)
        engine.dispose()
        report("sqlite", results["sqlite"])
    if args.postgresql:
        admin = create_engine(args.postgresql, isolation_level="AUTOCOMMIT")
        name = f"progression_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            engine = build(
                make_url(args.postgresql).set(database=name).render_as_string(hide_password=False), args.workers
            )
            results["postgresql"] = measure(engine, args.repeat)
            engine.dispose()
            report("postgresql", results["postgresql"])
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            admin.dispose()
    goal = 20_000
    for backend, m in results.items():
        rate = m["workers"] / m["total"]
        print(f"{backend}: {rate:,.0f} workers/s = {rate / goal:.2f}× the goal of {goal:,}/s")


if __name__ == "__main__":
    main()
