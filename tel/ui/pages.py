"""The page registry: one place that says which screens exist and who may see them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

Audience = Literal["owner", "team"]


@dataclass(frozen=True, slots=True)
class PageSpec:
    key: str
    path: str  # relative to the app's folder, as st.page_link wants it
    label: str
    icon: str
    audience: Audience
    section: str = ""


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", "app.py", "This quarter", ":material/dashboard:", "owner", "Plan & pay"),
    PageSpec("plan", "pages/plan.py", "Plan", ":material/tune:", "owner", "Plan & pay"),
    PageSpec("scenarios", "pages/scenarios.py", "GP scenarios", ":material/query_stats:", "owner",
             "Plan & pay"),
    PageSpec("payouts", "pages/payouts.py", "Payouts", ":material/payments:", "owner",
             "Plan & pay"),
    PageSpec("sensitivity", "pages/sensitivity.py", "Sensitivity", ":material/ssid_chart:",
             "owner", "Plan & pay"),
)

BY_KEY = {p.key: p for p in PAGES}


def current_audience() -> Audience:
    """``TEL_AUDIENCE=team`` serves only the team pages; anything else is the owners' app."""
    return "team" if os.environ.get("TEL_AUDIENCE", "").strip().lower() == "team" else "owner"


def visible_pages(audience: Audience) -> list[PageSpec]:
    return [p for p in PAGES if p.audience == audience]
