"""The development plan screen: goals tied to capabilities, dated actions, and the plan's way to agreement."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual.binding import Binding

from progression.errors import Problem
from progression.services import plans
from progression.services.plans import ActionInput, FrameworkChoices, GoalInput, PlanRead
from screens.widgets.plan_base import PlanScreenBase
from screens.widgets.plan_dialogs import ConfirmModal, DoneModal, NoteModal
from screens.widgets.plan_forms import ActionFormModal, NewPlan, PlanFormModal
from screens.widgets.plan_goal_form import GoalFormModal
from screens.widgets.plan_items import item_id

MOVE_OF_ACTION = {
    "submit": "submit",
    "agree": "agree",
    "send_back": "send back",
    "complete": "complete",
    "reopen": "reopen",
}
"""Each key's action → the plan move it makes (the service's name for it)."""
ITEM_ACTIONS = ("add_action", "edit", "remove", "toggle_done")
"""Actions on the highlighted goal or action."""


class PlanScreen(PlanScreenBase):
    """One worker's development plan: the worker writes it; their line manager or educator agrees it."""

    HELP = (
        "The development plan: goals, each linked to the capabilities it builds (PCF, PQS, SWE standards, "
        "apprenticeship KSBs), with dated actions under each; overdue actions show in red. The plan moves "
        "draft → submitted → agreed → complete. The worker writes and submits it; their line manager or "
        "educator agrees it or sends it back with a note; either may complete it or reopen it with a note."
    )

    BINDING_GROUP_TITLE = "Development plan"

    BINDINGS = [
        Binding("n", "new_plan", "New plan", tooltip="Start a development plan", id="plan-new"),
        Binding("g", "add_goal", "Goal", tooltip="Add a goal to the draft plan", id="plan-add-goal"),
        Binding("a", "add_action", "Action", tooltip="Add an action to the highlighted goal", id="plan-add-action"),
        Binding("e", "edit", "Edit", tooltip="Change the highlighted goal or action", id="plan-edit"),
        Binding(
            "d", "toggle_done", "Done", tooltip="Mark the highlighted goal or action done, or not done", id="plan-done"
        ),
        Binding("x", "remove", "Remove", tooltip="Remove the highlighted goal or action", id="plan-remove"),
        Binding(
            "s",
            "submit",
            "Submit",
            tooltip="Submit the plan to your line manager or educator to agree",
            id="plan-submit",
        ),
        Binding("A", "agree", "Agree", tooltip="Agree the submitted plan", id="plan-agree"),
        Binding("b", "send_back", "Send back", tooltip="Send the plan back to draft, saying why", id="plan-send-back"),
        Binding("c", "complete", "Complete", tooltip="Mark the agreed plan complete", id="plan-complete"),
        Binding("o", "reopen", "Reopen", tooltip="Reopen the plan, saying why", id="plan-reopen"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only what the actor may do now; keys for the highlighted item wait for one (dimmed)."""
        rights = self.page.rights if self.page else None
        state = self.plan.state if self.plan else None
        if action == "new_plan":
            return bool(rights and rights.may_edit and state in (None, "complete"))
        if action == "add_goal":
            return bool(rights and rights.may_edit and state == "draft")
        if action in ITEM_ACTIONS:
            states = ("draft", "agreed") if action == "toggle_done" else ("draft",)
            if not (rights and rights.may_edit and state in states):
                return False
            return True if self.selected() else None
        if action in MOVE_OF_ACTION:
            needs_goal = action == "submit" and not (self.plan and self.plan.goals)
            return bool(rights and MOVE_OF_ACTION[action] in rights.moves and not needs_goal)
        return True

    def action_new_plan(self) -> None:
        """Ask for the new plan's title and target role, then start it."""
        self.ask_new_plan(None, [])

    def ask_new_plan(self, typed: NewPlan | None, problems: list[Problem]) -> None:
        """Open the new plan form, with what was typed and what was wrong with it after a failed save."""
        if self.page is None:
            return
        staff_id = self.page.staff_id

        def typed_plan(new: NewPlan | None) -> None:
            if new is not None:
                self.save(
                    "Plan started: add its goals with g.",
                    plans.create_plan,
                    staff_id,
                    new.title,
                    self.context.today,
                    target_role=new.target_role,
                    retry=lambda found: self.ask_new_plan(new, found),
                )

        self.app.push_screen(PlanFormModal(self.page.roles, typed, problems), typed_plan)

    def action_add_goal(self) -> None:
        """Ask for a goal and add it to the plan."""
        self.choices(lambda choices: self.ask_goal(choices, None, None, []))

    def ask_goal(
        self, choices: list[FrameworkChoices], goal_id: int | None, typed: GoalInput | None, problems: list[Problem]
    ) -> None:
        """Open the goal form for a new goal (goal_id None) or to change one."""
        plan = self.plan
        if plan is None:
            return
        goal = next((g for g in plan.goals if g.id == goal_id), None)

        def typed_goal(data: GoalInput | None) -> None:
            if data is None:
                return
            retry = lambda found: self.ask_goal(choices, goal_id, data, found)  # noqa: E731
            if goal_id is None:
                self.save(
                    "Goal added: add its actions with a.",
                    plans.add_goal,
                    plan.id,
                    data,
                    self.context.today,
                    retry=retry,
                    then=lambda new: self.items.show_item(item_id("goal", new.goals[-1].id)),
                )
            else:
                self.save("Goal changed.", plans.edit_goal, goal_id, data, self.context.today, retry=retry)

        self.app.push_screen(GoalFormModal(choices, plan.started_on, goal, typed, problems), typed_goal)

    def action_add_action(self) -> None:
        """Ask for an action and add it to the highlighted goal."""
        picked = self.selected()
        if picked is not None:
            self.ask_action(picked[0].id, None, None, [])

    def ask_action(
        self, goal_id: int, action_id: int | None, typed: ActionInput | None, problems: list[Problem]
    ) -> None:
        """Open the action form for a new action of a goal (action_id None) or to change one."""
        plan = self.plan
        goal = next((g for g in plan.goals if g.id == goal_id), None) if plan else None
        if plan is None or goal is None:
            return
        action = next((a for a in goal.actions if a.id == action_id), None)

        def typed_action(data: ActionInput | None) -> None:
            if data is None:
                return
            retry = lambda found: self.ask_action(goal_id, action_id, data, found)  # noqa: E731
            if action_id is None:
                self.save(
                    "Action added.",
                    plans.add_action,
                    goal_id,
                    data,
                    self.context.today,
                    retry=retry,
                    then=lambda new: self._show_last_action(new, goal_id),
                )
            else:
                self.save("Action changed.", plans.edit_action, action_id, data, self.context.today, retry=retry)

        self.app.push_screen(
            ActionFormModal(goal.title, plan.started_on, action, typed, problems, goal.due_on), typed_action
        )

    def _show_last_action(self, plan: PlanRead, goal_id: int) -> None:
        goal = next((g for g in plan.goals if g.id == goal_id), None)
        if goal and goal.actions:
            self.items.show_item(item_id("action", goal.actions[-1].id))

    def action_edit(self) -> None:
        """Change the highlighted goal or action."""
        picked = self.selected()
        if picked is None:
            return
        goal, action = picked
        if action is not None:
            self.ask_action(goal.id, action.id, None, [])
        else:
            self.choices(lambda choices: self.ask_goal(choices, goal.id, None, []))

    def action_toggle_done(self) -> None:
        """Mark the highlighted item done (asking the date) or, when it is done, not done."""
        picked = self.selected()
        if picked is None:
            return
        goal, action = picked
        today = self.context.today
        if action is not None:
            if action.done_on:
                self.save("Action marked not done.", plans.mark_action_undone, action.id, today)
                return
            done = lambda day: self.save("Action done.", plans.mark_action_done, action.id, day, today)  # noqa: E731
            title = action.title
        else:
            if goal.done_on:
                self.save("Goal marked not done.", plans.mark_goal_undone, goal.id, today)
                return
            done = lambda day: self.save("Goal met.", plans.mark_goal_done, goal.id, day, today)  # noqa: E731
            title = goal.title

        def dated(day: date | None) -> None:
            if day is not None:
                done(day)

        self.app.push_screen(DoneModal(title, today), dated)

    def action_remove(self) -> None:
        """Remove the highlighted goal (with its actions) or action, once confirmed."""
        picked = self.selected()
        if picked is None:
            return
        goal, action = picked
        today = self.context.today
        if action is not None:
            question = f"Remove the action '{action.title}'?"
            remove = lambda: self.save("Action removed.", plans.remove_action, action.id, today)  # noqa: E731
        else:
            count = len(goal.actions)
            actions = f" and its {count} action{'s' if count != 1 else ''}" if count else ""
            question = f"Remove the goal '{goal.title}'{actions}?"
            remove = lambda: self.save("Goal removed.", plans.remove_goal, goal.id, today)  # noqa: E731

        def confirmed(yes: bool | None) -> None:
            if yes:
                remove()

        self.app.push_screen(ConfirmModal("Remove", question), confirmed)

    def action_submit(self) -> None:
        """Submit the draft plan to be agreed."""
        if self.plan:
            self.save(
                "Plan submitted: your line manager or educator can now agree it.",
                plans.submit_plan,
                self.plan.id,
                self.context.today,
                expect=self.plan.state,
            )

    def action_agree(self) -> None:
        """Agree the submitted plan."""
        if self.plan:
            self.save("Plan agreed.", plans.agree_plan, self.plan.id, self.context.today, expect=self.plan.state)

    def action_complete(self) -> None:
        """Mark the agreed plan complete."""
        if self.plan:
            self.save("Plan complete.", plans.complete_plan, self.plan.id, self.context.today, expect=self.plan.state)

    def action_send_back(self) -> None:
        """Send the submitted plan back to draft with a note saying why."""
        self._with_note(
            "Send back", "Why is it going back? What should change?", "Plan sent back to draft.", plans.send_back_plan
        )

    def action_reopen(self) -> None:
        """Reopen the plan (agreed → draft, complete → agreed) with a note saying why."""
        self._with_note("Reopen", "Why is the plan reopened?", "Plan reopened.", plans.reopen_plan)

    def _with_note(self, title: str, prompt: str, message: str, move: Callable[..., PlanRead]) -> None:
        plan = self.plan
        if plan is None:
            return

        def noted(note: str | None) -> None:
            if note:
                self.save(message, move, plan.id, note, self.context.today, expect=plan.state)

        self.app.push_screen(NoteModal(title, prompt), noted)
