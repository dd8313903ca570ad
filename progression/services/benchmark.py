"""The council's published DfE workforce indicators beside its region and England (issue 6, `benchmark`)."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

from progression.errors import InputError, NotFound, Problem
from progression.locations import data_dir

FIELDS = ("turnover_rate_fte", "agency_rate_fte", "vacancy_rate_fte", "caseload_fte", "inpost_fte")
MARKERS = {
    "c": "confidential",
    "x": "not available",
    "z": "not applicable",
    "u": "low reliability",
    "low": "a small non-zero value",
}
SOURCE = "dfe/csww_indicators_2017_to_2025.csv"


class Indicators(BaseModel):
    """One area's indicators for a year; a suppressed value is None with the source's marker beside it."""

    name: str
    code: str = ""
    values: dict[str, float | None]
    markers: dict[str, str]

    def as_contract(self) -> dict[str, object]:
        out: dict[str, object] = {"name": self.name}
        for field in FIELDS:
            out[field] = self.values.get(field)
            if field in self.markers:
                out[f"{field}_marker"] = self.markers[field]
        return out


class Benchmark(BaseModel):
    year: int
    la: Indicators
    region: Indicators
    england: Indicators

    def as_contract(self) -> dict[str, object]:
        return {
            "year": self.year,
            "la": self.la.as_contract(),
            "region": self.region.as_contract(),
            "england": self.england.as_contract(),
        }


@lru_cache(maxsize=2)
def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _indicators(row: dict[str, str], name: str, code: str) -> Indicators:
    values: dict[str, float | None] = {}
    markers: dict[str, str] = {}
    for field in FIELDS:
        text = (row.get(field) or "").strip()
        try:
            values[field] = float(text)
        except ValueError:
            values[field] = None
            markers[field] = text or "x"
    return Indicators(name=name, code=code, values=values, markers=markers)


def benchmark(la: str, year: int | None = None, path: Path | None = None) -> Benchmark:
    """The indicators of the council named (or coded, new `E0…` or old three-digit code) for a reporting year.

    Raises:
        NotFound: no council matches, or it has no figures for the year.
        InputError: the name matches more than one council.
    """
    rows = _rows(path or data_dir() / SOURCE)
    wanted = la.strip().casefold()
    councils = [r for r in rows if r["geographic_level"] == "Local authority"]
    exact = [
        r
        for r in councils
        if wanted in (r["la_name"].casefold(), r["new_la_code"].casefold(), r["old_la_code"].casefold())
    ]
    matches = exact or [r for r in councils if wanted and wanted in r["la_name"].casefold()]
    names = sorted({r["la_name"] for r in matches})
    if not names:
        raise NotFound(f"No council called or coded '{la}' in the DfE workforce statistics.")
    if len(names) > 1:
        raise InputError(
            Problem(
                "--la",
                f"'{la}' matches {len(names)} councils: {', '.join(names[:8])}" + ("…" if len(names) > 8 else ""),
            )
        )
    years = sorted({int(r["time_period"]) for r in matches})
    chosen = year if year is not None else years[-1]
    row = next((r for r in matches if int(r["time_period"]) == chosen), None)
    if row is None:
        raise NotFound(f"{names[0]} has no figures for {chosen} (years: {', '.join(map(str, years))}).")
    region = next(
        r
        for r in rows
        if r["geographic_level"] == "Regional"
        and r["time_period"] == row["time_period"]
        and r["region_code"] == row["region_code"]
        and r["region_name"] == row["region_name"]
    )
    england = next(r for r in rows if r["geographic_level"] == "National" and r["time_period"] == row["time_period"])
    return Benchmark(
        year=chosen,
        la=_indicators(row, row["la_name"], row["new_la_code"]),
        region=_indicators(region, region["region_name"], region["region_code"]),
        england=_indicators(england, england["country_name"], england["country_code"]),
    )
