"""Short words and figures the map's widgets share: money, pay ranges, who decides."""

from __future__ import annotations

from progression.services.council import RoleRead

DECIDED_BY_SHORT = {
    "automatic": "automatic",
    "line_manager": "line manager",
    "panel": "panel",
    "recruitment": "by application",
}
"""Who decides a step, short enough for the connector between two role boxes."""


def money(amount: int) -> str:
    """Pounds with thousands separators, e.g. '£40,200'."""
    return f"£{amount:,}"


def pay_range(role: RoleRead) -> str | None:
    """The role's pay range in words, or None when the council gives none."""
    if role.pay_min is None and role.pay_max is None:
        return None
    if role.pay_min is None or role.pay_max is None or role.pay_min == role.pay_max:
        return money(role.pay_min or role.pay_max or 0)
    return f"{money(role.pay_min)}–{money(role.pay_max)}"


def badges(role: RoleRead) -> list[str]:
    """The payments that come with a role, one short badge each."""
    found = []
    if role.retention_amount:
        after = role.retention_after_months
        found.append(f"retention {money(role.retention_amount)}" + (f" at {after}m" if after else ""))
    if role.market_supplement:
        found.append(f"supplement {money(role.market_supplement)}")
    return found
