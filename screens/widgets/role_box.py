"""One role on the route map: a focusable box with its pay, caseload cap, payments and headcount."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Label

from progression.services.council import RoleRead
from screens.messages import RoleSelected
from screens.safe import plain
from screens.widgets.words import badges, pay_range

HERE_MARK = "◉"
PASSED_MARK = "✓"


class RoleBox(Widget, can_focus=True):
    """A role drawn as a box. It is dumb: the map sets `here` and `passed`, and it reports focus."""

    DEFAULT_CSS = """
    RoleBox {
        height: auto;
        padding: 0 1;
        border: round $primary 40%;
        background: $surface;
        border-subtitle-color: $text-muted;
        & > Label { width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
        & > .role-title, & > .facts { text-wrap: wrap; }
        & > .role-title { text-style: bold; }
        & > .facts, & > .link { color: $text-muted; }
        & > .badge { color: $text-warning; }
        & > .marker { display: none; color: $text-success; text-style: bold; }
        &:focus { border: round $accent; background: $accent 20%; }
        &.-passed { border: round $success 50%; & > .role-title { color: $text-success; } }
        &.-here {
            border: double $success; background: $success 15%;
            & > .marker { display: block; }
        }
        &.-here:focus { border: double $accent; }
    }
    """

    here: reactive[bool] = reactive(False, init=False)
    """The picked worker holds this role now."""
    passed: reactive[bool] = reactive(False, init=False)
    """The picked worker held this role before."""

    def __init__(self, role: RoleRead, *, links: list[str], here: bool = False, passed: bool = False) -> None:
        """Draw a role.

        Args:
            role: The role, as read from the route map.
            links: Titles of the roles this one leads to that are not the next box down its route.
            here: The picked worker holds this role now.
            passed: The picked worker held this role before.
        """
        super().__init__(id=f"role-{role.key}")
        self.role = role
        self.links = links
        self.set_reactive(RoleBox.here, here)
        self.set_reactive(RoleBox.passed, passed)
        self.set_class(here, "-here")
        self.set_class(passed and not here, "-passed")
        self.tooltip = plain(role.title)
        if role.headcount:
            self.border_subtitle = f"{role.headcount} in post"

    def compose(self) -> ComposeResult:
        """The title, then pay and caseload cap, payments, and the steps to other columns or further down."""
        yield Label(self.title_text, classes="role-title", markup=False)
        facts = [pay_range(self.role) or ""]
        if self.role.caseload_cap is not None:
            facts.append(f"cap {self.role.caseload_cap}" if self.role.caseload_cap else "no caseload")
        if any(facts):
            yield Label(" · ".join(filter(None, facts)), classes="facts", markup=False)
        for badge in badges(self.role):
            yield Label(f"£ {badge}", classes="badge", markup=False)
        for link in self.links:
            yield Label(f"→ {link}", classes="link", markup=False)
        yield Label(f"{HERE_MARK} you are here", classes="marker")

    @property
    def title_text(self) -> str:
        """The title, led by a mark when the picked worker is or was in this role."""
        if self.here:
            return f"{HERE_MARK} {self.role.title}"
        return f"{PASSED_MARK} {self.role.title}" if self.passed else self.role.title

    def watch_here(self) -> None:
        """Show or clear the 'you are here' mark."""
        self._mark()

    def watch_passed(self) -> None:
        """Show or clear the 'passed through' mark."""
        self._mark()

    def _mark(self) -> None:
        self.set_class(self.here, "-here")
        self.set_class(self.passed and not self.here, "-passed")
        titles = self.query(".role-title").results(Label)
        for title in titles:  # not there until the box has composed; on_mount draws it then
            title.update(self.title_text)

    def on_focus(self) -> None:
        """Tell the screen this role is the one to describe."""
        self.post_message(RoleSelected(self.role.key))
