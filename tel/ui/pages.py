"""The page registry: one place that says which screens exist and who may see them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Audience = Literal["owner", "team"]
_APP_DIR = Path(__file__).resolve().parents[2]


@dataclass(frozen=True, slots=True)
class PageSpec:
    key: str
    path: str  # relative to the app's folder, as st.page_link wants it
    label: str
    icon: str
    audiences: tuple[Audience, ...]
    section: str = ""
    in_menu: bool = True  # a page reached only by a link (a personal statement) stays out


_OWNER: tuple[Audience, ...] = ("owner",)
_TEAM: tuple[Audience, ...] = ("team",)
_PLAN, _DATA, _POT = "Plan & pay", "Data & approval", "Our bonus"

PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", "app.py", "This quarter", ":material/dashboard:", _OWNER, _PLAN),
    PageSpec("plan", "pages/plan.py", "Plan", ":material/tune:", _OWNER, _PLAN),
    PageSpec("scenarios", "pages/scenarios.py", "GP scenarios", ":material/query_stats:",
             _OWNER, _PLAN),
    PageSpec("payouts", "pages/payouts.py", "Payouts", ":material/payments:", _OWNER, _PLAN),
    PageSpec("year", "pages/year.py", "Fiscal year", ":material/calendar_month:", _OWNER, _PLAN),
    PageSpec("sensitivity", "pages/sensitivity.py", "Sensitivity", ":material/ssid_chart:",
             _OWNER, _PLAN),
    PageSpec("data", "pages/data.py", "Data", ":material/upload_file:", _OWNER, _DATA),
    PageSpec("saved", "pages/saved.py", "Saved scenarios", ":material/history:", _OWNER, _DATA),
    PageSpec("compare", "pages/compare.py", "Compare", ":material/compare_arrows:", _OWNER,
             _DATA),
    PageSpec("approve", "pages/approve.py", "Approve & export", ":material/verified:", _OWNER,
             _DATA),
    PageSpec("links", "pages/links.py", "Personal links", ":material/link:", _OWNER, _DATA),
    PageSpec("pot", "pages/pot.py", "The pot", ":material/savings:", _TEAM, _POT),
    PageSpec("estimate", "pages/estimate.py", "My estimate", ":material/calculate:", _TEAM,
             _POT),
    PageSpec("statement", "pages/statement.py", "My statement", ":material/description:",
             _TEAM, _POT, in_menu=False),
)

BY_KEY = {p.key: p for p in PAGES}
TEAM_HOME = "pages/pot.py"


def current_audience() -> Audience:
    """``TEL_AUDIENCE=team`` serves only the team pages; anything else is the owners' app."""
    return "team" if os.environ.get("TEL_AUDIENCE", "").strip().lower() == "team" else "owner"


def visible_pages(audience: Audience) -> list[PageSpec]:
    """The menu for an audience."""
    return [p for p in PAGES if audience in p.audiences and p.in_menu]


def page_exists(path: str) -> bool:
    return (_APP_DIR / path).is_file()
