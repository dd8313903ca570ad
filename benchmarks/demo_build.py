"""How long `progression demo` takes to build councils of several sizes, on SQLite and PostgreSQL.

Run: .venv/bin/python benchmarks/demo_build.py [--sizes 60 1000 10000] [--postgresql URL]
Prints seconds, workers a second and records a second per size and backend.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from progression.db import make_engine
from progression.services.actor import local_admin
from progression.services.demo import build_demo
from progression.services.setup import initialise

TODAY = date(2026, 11, 24)


def measure(url: str, workers: int) -> tuple[float, int]:
    engine = make_engine(url)
    initialise(engine, local_admin(), authority=None, today=TODAY, demo_council=True)
    started = time.perf_counter()
    result = build_demo(engine, local_admin(), workers=workers, seed=1, today=TODAY)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, result.rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[60, 1000, 10000])
    parser.add_argument(
        "--postgresql",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/test",
        help="an admin URL on a PostgreSQL server ('' to skip)",
    )
    args = parser.parse_args()
    print(f"{'backend':<11}{'workers':>9}{'seconds':>10}{'workers/s':>12}{'records':>10}{'records/s':>12}")
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            rows = []
            url = f"sqlite:///{Path(folder) / f'bench-{size}.db'}"
            rows.append(("sqlite", *measure(url, size)))
            if args.postgresql:
                admin = create_engine(args.postgresql, isolation_level="AUTOCOMMIT")
                name = f"progression_bench_{uuid.uuid4().hex[:8]}"
                with admin.connect() as connection:
                    connection.execute(text(f'CREATE DATABASE "{name}"'))
                try:
                    target = make_url(args.postgresql).set(database=name).render_as_string(hide_password=False)
                    rows.append(("postgresql", *measure(target, size)))
                finally:
                    with admin.connect() as connection:
                        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
                    admin.dispose()
            for backend, seconds, records in rows:
                print(
                    f"{backend:<11}{size:>9,}{seconds:>10.2f}{size / seconds:>12,.0f}{records:>10,}"
                    f"{records / seconds:>12,.0f}"
                )
            if len(rows) == 2:
                print(f"{'':<11}{'':>9}  postgresql/sqlite time ratio: {rows[1][1] / rows[0][1]:.2f}")


if __name__ == "__main__":
    main()
