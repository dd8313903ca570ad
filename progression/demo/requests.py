"""Demo progression requests in every state, with the decisions that put them there."""

from __future__ import annotations

from datetime import date, timedelta

from progression.demo.people import DemoWorker
from progression.models import Decision, ProgressionRequest
from progression.models.base import start_of

NEXT = {
    "social-worker-1": "social-worker-2",
    "social-worker-2": "senior-social-worker",
    "nqsw": "social-worker-1",
    "senior-social-worker": "advanced-social-worker",
}


class Requests:
    def __init__(self, demo) -> None:  # type: ignore[no-untyped-def]
        self.demo = demo
        self.rows, self.rng, self.today = demo.rows, demo.rng, demo.today
        self.count = 0

    def _request(
        self,
        worker: DemoWorker,
        to_role: str,
        state: str,
        submitted: date,
        *,
        from_role: str | None = None,
        note: str = "",
        met: bool = True,
        effective: date | None = None,
        appeal_of: int | None = None,
    ) -> int:
        self.count += 1
        from_key = from_role or worker.role
        return self.rows.add(
            ProgressionRequest,
            worker_id=worker.id,
            transition_id=self.demo.transitions.get((from_key, to_role)),
            from_role_id=self.demo.roles[from_key],
            to_role_id=self.demo.roles[to_role],
            state=state,
            submitted_on=submitted,
            submitted_by_id=worker.id,
            note=note,
            requirements_met=met,
            effective_on=effective,
            applied_on=effective if state == "approved" and effective and effective <= self.today else None,
            appeal_of_id=appeal_of,
            version=1 + (state != "submitted"),
        )

    def _decide(
        self, request: int, by: int | None, outcome: str, reason: str, day: date, effective: date | None = None
    ) -> None:
        self.rows.add(
            Decision,
            request_id=request,
            by_id=by,
            outcome=outcome,
            reason=reason,
            day=day,
            effective_on=effective,
            at=start_of(day),
        )

    def build(self, workers: list[DemoWorker], panel_chair: int) -> None:
        """One or more requests in each state, on workers for whom that state makes sense."""
        by_role: dict[str, list[DemoWorker]] = {}
        for worker in workers:
            by_role.setdefault(worker.role, []).append(worker)
        today = self.today
        # A request is made to this council, so only by someone who worked here when it was made.
        settled = today - timedelta(days=120)
        sw1 = [w for w in by_role.get("social-worker-1", []) if w.manager and w.employed_since <= settled]
        sw2 = [w for w in by_role.get("social-worker-2", []) if w.manager and w.employed_since <= settled]
        seniors = [
            w
            for w in by_role.get("senior-social-worker", [])
            if w.manager and w.employed_since <= w.role_since - timedelta(days=45)
        ]
        if sw1:
            worker = sw1[0]
            self._request(
                worker,
                "social-worker-2",
                "submitted",
                today - timedelta(days=3),
                note="I have two years since qualifying and my CPD is up to date.",
            )
        if len(sw1) > 1:
            worker = sw1[1]
            day = today - timedelta(days=30)
            request = self._request(worker, "social-worker-2", "returned", day, note="Requesting level 2.", met=False)
            self._decide(
                request,
                worker.manager,
                "return",
                "Not yet 24 months since qualifying; let's look again in the spring.",
                day + timedelta(days=4),
            )
        if sw2:
            worker = sw2[0]
            day = today - timedelta(days=12)
            request = self._request(
                worker, "senior-social-worker", "endorsed", day, note="Ready for the senior practitioner panel."
            )
            self._decide(
                request,
                worker.manager,
                "endorse",
                "Strong practice; evidence complete. Endorsed for panel.",
                day + timedelta(days=3),
            )
        if len(sw2) > 1:
            worker = sw2[1]
            day = today - timedelta(days=60)
            request = self._request(worker, "senior-social-worker", "deferred", day, note="Applying for senior.")
            self._decide(request, worker.manager, "endorse", "Endorsed for panel.", day + timedelta(days=2))
            self._decide(
                request,
                panel_chair,
                "defer",
                "Good practice; the panel wants evidence of leading complex cases first.",
                day + timedelta(days=21),
            )
            self.demo.deferred_goals[worker.id] = "Lead two complex child protection cases (panel actions)"
        if len(sw2) > 2:
            worker = sw2[2]
            day = today - timedelta(days=90)
            request = self._request(worker, "senior-social-worker", "rejected", day, note="Applying for senior.")
            self._decide(request, worker.manager, "endorse", "Endorsed for panel.", day + timedelta(days=2))
            self._decide(
                request,
                panel_chair,
                "reject",
                "The reflective account did not show analysis at the experienced level.",
                day + timedelta(days=28),
            )
            self._request(
                worker,
                "senior-social-worker",
                "submitted",
                day + timedelta(days=40),
                note="Appeal: my reflective account was assessed against the wrong level.",
                appeal_of=request,
            )
        for worker in seniors[:1]:
            # Approved and applied: the senior's current spell began on the effective date.
            effective = worker.role_since
            day = effective - timedelta(days=45)
            request = self._request(
                worker,
                "senior-social-worker",
                "approved",
                day,
                from_role="social-worker-2",
                note="Applying for senior.",
                effective=effective,
            )
            self._decide(request, worker.manager, "endorse", "Endorsed for panel.", day + timedelta(days=3))
            self._decide(
                request,
                panel_chair,
                "approve",
                "All requirements met; strong panel presentation.",
                day + timedelta(days=25),
                effective,
            )
        for worker in by_role.get("social-worker-1", [])[2:5]:
            # Automatic steps taken when the ASYE was completed.
            if "asye" in worker.completed:
                request = self._request(
                    worker,
                    "social-worker-1",
                    "approved",
                    worker.role_since,
                    from_role="nqsw",
                    note="Automatic on completing the ASYE.",
                    effective=worker.role_since,
                )
                self._decide(
                    request,
                    None,
                    "automatic",
                    "Every requirement met: ASYE completed and 12 months in role.",
                    worker.role_since,
                    worker.role_since,
                )
