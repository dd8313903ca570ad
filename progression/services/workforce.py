"""The workforce picture a strategy needs: headcount, who becomes eligible when, and what payments cost."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from pydantic import BaseModel
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from progression.bulk import without_cycle_collection
from progression.dates import add_months
from progression.engine import next_steps
from progression.engine.pay import retention_due
from progression.errors import AccessDenied
from progression.models import Route, Team, Worker
from progression.services.actor import Actor, reports_of, visible_worker_ids
from progression.services.facts import load_council, load_workers
from progression.services.tables_out import Sheet


class Headcount(BaseModel):
    key: str
    title: str
    headcount: int
    fte: float


class EligibleMonth(BaseModel):
    month: str
    """YYYY-MM"""
    total: int
    steps: dict[str, int]
    """'from → to' → how many become ready for that step in the month."""


class PaymentCost(BaseModel):
    count: int
    amount: float


class WorkforceReport(BaseModel):
    """`report workforce --json`."""

    on: date
    financial_year: str
    headcount: int
    fte: float
    by_role: list[Headcount]
    by_route: list[Headcount]
    by_area: list[Headcount]
    eligible_next_12_months: list[EligibleMonth]
    ready_now: int
    """Workers ready for at least one next step today."""
    retention_payments: PaymentCost
    market_supplements: PaymentCost
    payments_total: float


def next_financial_year(on: date) -> tuple[date, date]:
    """The next April-to-March financial year after the one containing `on`."""
    start_year = on.year + 1 if on.month >= 4 else on.year
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)


def workforce_report(engine: Engine, actor: Actor, on: date) -> WorkforceReport:
    """Figures over the workers the actor may see (an administrator: the whole council; a manager: their reports,
    direct and indirect, and themselves).

    Raises:
        AccessDenied: the actor is neither an administrator nor anyone's manager (a report of one person, the
            actor alone, is no workforce report).
    """
    with without_cycle_collection(), Session(engine) as session:
        if not actor.is_admin and not reports_of(session, actor.worker_id or -1):
            raise AccessDenied(
                f"{actor.label} may not see the workforce report: it needs reports to manage or admin access."
            )
        visible = visible_worker_ids(session, actor)
        council = load_council(session)
        facts = load_workers(session, on, council, visible)
        areas = {t.id: (t.area or "No area") for t in session.exec(select(Team))}
        route_titles = dict(session.exec(select(Route.key, Route.title)).all())
        area_of = dict(session.exec(select(Worker.staff_id, Worker.team_id).where(col(Worker.left_on).is_(None))).all())
    start, end = next_financial_year(on)
    role_count: Counter[str] = Counter()
    role_fte: dict[str, float] = defaultdict(float)
    route_count: Counter[str] = Counter()
    route_fte: dict[str, float] = defaultdict(float)
    area_count: Counter[str] = Counter()
    area_fte: dict[str, float] = defaultdict(float)
    months = [add_months(date(on.year, on.month, 1), n) for n in range(1, 13)]
    eligible: dict[str, Counter[str]] = {m.strftime("%Y-%m"): Counter() for m in months}
    ready_now = 0
    retention = PaymentCost(count=0, amount=0)
    supplements = PaymentCost(count=0, amount=0)
    for worker in facts:
        role = council.roles.get(worker.role)
        route = role.route if role else "unknown"
        area = areas.get(area_of.get(worker.staff_id), "No area")  # type: ignore[arg-type]
        role_count[worker.role] += 1
        role_fte[worker.role] += worker.fte
        route_count[route] += 1
        route_fte[route] += worker.fte
        area_count[area] += 1
        area_fte[area] += worker.fte
        steps = next_steps(worker, council, on)
        ready_now += any(step.ready for step in steps)
        for step in steps:
            if not step.ready and step.ready_on is not None:
                key = step.ready_on.strftime("%Y-%m")
                if key in eligible:
                    eligible[key][f"{worker.role} → {step.role}"] += 1
        due = retention_due(worker, council)
        if due is not None and start <= due.due_on <= end:
            retention.count += 1
            retention.amount += due.amount
        if role and role.market_supplement:
            supplements.count += 1
            supplements.amount += round(role.market_supplement * worker.fte, 2)
    titles = {key: role.title for key, role in council.roles.items()}
    routes = {role.route for role in council.roles.values()}
    return WorkforceReport(
        on=on,
        financial_year=f"{start.year}-{str(end.year)[2:]}",
        headcount=len(facts),
        fte=round(sum(w.fte for w in facts), 1),
        by_role=[
            Headcount(key=k, title=titles.get(k, k), headcount=role_count[k], fte=round(role_fte[k], 1))
            for k in council.roles
            if role_count[k]
        ],
        by_route=[
            Headcount(key=k, title=route_titles.get(k, k), headcount=route_count[k], fte=round(route_fte[k], 1))
            for k in sorted(routes)
            if route_count[k]
        ],
        by_area=[
            Headcount(key=k, title=k, headcount=area_count[k], fte=round(area_fte[k], 1)) for k in sorted(area_count)
        ],
        eligible_next_12_months=[
            EligibleMonth(month=m, total=sum(c.values()), steps=dict(sorted(c.items()))) for m, c in eligible.items()
        ],
        ready_now=ready_now,
        retention_payments=retention,
        market_supplements=supplements,
        payments_total=round(retention.amount + supplements.amount, 2),
    )


def workforce_sheets(report: WorkforceReport) -> list[Sheet]:
    """The report as sheets: by role, route and area, who becomes eligible when, and the costs
    (`report workforce --output` and the workforce screen)."""
    heads = ("key", "title", "headcount", "fte")
    costs = [("retention payments", report.retention_payments), ("market supplements", report.market_supplements)]
    return [
        ("By role", heads, [[h.key, h.title, h.headcount, h.fte] for h in report.by_role]),
        ("By route", heads, [[h.key, h.title, h.headcount, h.fte] for h in report.by_route]),
        ("By area", heads, [[h.key, h.title, h.headcount, h.fte] for h in report.by_area]),
        (
            "Eligible",
            ("month", "step", "workers"),
            [[m.month, step, n] for m in report.eligible_next_12_months for step, n in m.steps.items()],
        ),
        (
            "Costs",
            ("payment", "financial year", "workers", "amount"),
            [[name, report.financial_year, cost.count, cost.amount] for name, cost in costs],
        ),
    ]
