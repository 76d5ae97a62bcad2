"""In Chromium: an owner approves a changed plan; the person's personal link and its PDF on
the team server show the approved amount, the one payroll pays (issue: one truth for every
figure)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    browser_page,
    goto,
    main_text,
    owner_and_team,
    shot,
    wait_settled,
)
from pdf_support import pdf_text

from tel.core.money import format_money
from tel.engine.quarter import compute_quarter
from tel.io.store import Store

pytestmark = pytest.mark.browser

SECRET = "browser-approval-secret-" + "z" * 32
Q = "2026-Q3"



@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    data = tmp_path_factory.mktemp("approval-data")
    with owner_and_team(data, SECRET, "approval") as (owner, team):
        yield owner, team, data



def test_an_approved_changed_plan_reaches_the_persons_link_and_pdf(
    servers: tuple[str, str, Path],
) -> None:
    owner, team, data = servers
    with browser_page(height=1400) as page:
        # A shared what-if link: house 30%, team 40% for 2026-Q3; approve it as it stands.
        goto(page, f"{owner}/approve?q={Q}&house_pct=30&team_pct=40")
        assert "What-if" in main_text(page)
        page.get_by_text("the current what-if (saved first, then approved)").click()
        wait_settled(page)
        box = page.locator("[data-testid='stMain']").get_by_role("textbox", name="Approved by",
                                                                 exact=True)
        box.fill("Claire Landry")
        box.press("Enter")
        wait_settled(page)
        page.locator("[data-testid='stMain']").get_by_role(
            "button", name=f"Approve {Q}", exact=True).click()
        page.get_by_text(f"Approved {Q} as approval #1").wait_for(timeout=60_000)
        wait_settled(page)
        assert "#1 · 2026-Q3" in main_text(page) or "approval #1" in main_text(page)

        [snap] = Store(data / "tel.sqlite3").snapshots()
        approved = snap.result()
        s = snap.scenario()
        books = compute_quarter(s.plan.model_copy(update={"house_pct": Decimal(25),
                                                          "team_pct": Decimal(50)}),
                                s.roster, s.months, snap_quarter(Q))
        me = next(p for p in approved.payouts if p.eligible and p.total != next(
            b.total for b in books.payouts if b.name == p.name))

        # The owners' Personal links page: the approved check and the links, as CSV.
        goto(page, f"{owner}/links?q={Q}&house_pct=30&team_pct=40")
        assert f"approval #{snap.id}" in main_text(page)
        with page.expect_download(timeout=60_000) as info:
            page.locator("[data-testid='stDownloadButton']").first.click()
        rows = list(csv.DictReader(io.StringIO(
            Path(info.value.path()).read_bytes().decode("utf-8-sig"))))
        mine = next(r for r in rows if r["name"] == me.name)
        assert Decimal(mine["check"]) == Decimal(me.total) / 100
        link = mine["link"]
        assert link.startswith(f"{team}/statement?token=")
        shot(page, "links-page-approved")

    with browser_page(height=1800) as page:
        goto(page, link)
        text = main_text(page)
        assert f"approval #{snap.id}" in text
        assert format_money(me.total) in text
        shot(page, "team-statement-approved")
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name="Download my statement (PDF)").click()
        name = info.value.suggested_filename
        pdf = Path(info.value.path()).read_bytes()
    assert "DRAFT" not in name and name.endswith(".pdf")
    drawn = pdf_text(pdf)
    assert format_money(me.total) in drawn
    assert "DRAFT" not in drawn and f"approval {snap.id}" in drawn


def snap_quarter(text: str) -> Any:
    from tel.core.periods import Quarter

    return Quarter.parse(text)
