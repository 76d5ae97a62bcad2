"""In Chromium: recognition and asking the team, end to end on two servers (owners and team).

The owner approves 2026-Q3 with a note for the team and one for Tanya; Tanya's personal link
shows her note, Renée's does not (not on the page, not in any websocket frame). Five people
answer the pulse through their links; the owner sees nothing after four answers, and the
counts after five. A third server runs the plan in shadow: the team's pot says so.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    browser_page,
    exceptions_on,
    goto,
    main_text,
    owner_and_team,
    shot,
    start_server,
    wait_settled,
    wait_text,
)
from team_privacy import leaked_texts

from tel.io.store import Store

pytestmark = pytest.mark.browser

SECRET = "browser-thanks-secret-" + "t" * 32
Q = "2026-Q3"
TANYA, RENEE = "Tanya Guidry", "Renée Hébert"
ANSWERING = [TANYA, RENEE, "Broussard, Luc", "Maria Delgado", "Kim Nguyen"]
TEAM_NOTE = "Thank you all: a record third quarter."
NOTE = "Your handling of the Landry migration saved the quarter."
COMMENTS = ["More worked examples please", "", "The merit part is unclear", "", "Clear enough"]


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    data = tmp_path_factory.mktemp("thanks-data")
    with owner_and_team(data, SECRET, "thanks") as (owner, team):
        yield owner, team, data


@contextlib.contextmanager
def sessions() -> Iterator[Any]:
    """One Chromium; ``new()`` opens a fresh context (a new browser session) and collects the
    websocket frames it receives in ``page.frames``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def new(height: int = 1800) -> Any:
            context = browser.new_context(viewport={"width": 1280, "height": height})
            page = context.new_page()
            page.frames_seen = []

            def on_ws(ws: Any) -> None:
                ws.on("framereceived", lambda payload: page.frames_seen.append(
                    payload.decode("utf-8", "ignore") if isinstance(payload, bytes)
                    else payload))

            page.on("websocket", on_ws)
            return page

        try:
            yield new
        finally:
            browser.close()


def sent(page: Any) -> str:
    return page.content() + "\n" + "\n".join(page.frames_seen)


def approve_with_notes(page: Any, owner: str) -> None:
    goto(page, f"{owner}/approve?q={Q}")
    main = page.locator("[data-testid='stMain']")
    box = main.get_by_role("textbox", name="Approved by", exact=True)
    box.fill("Claire Landry")
    box.press("Enter")
    wait_settled(page)
    main.get_by_text("Notes of thanks (optional)").click()
    wait_settled(page)
    team_box = main.get_by_role("textbox", name="A note for the whole team (optional)")
    team_box.fill(TEAM_NOTE)
    team_box.press("Control+Enter")
    wait_settled(page)
    # the people's table: Tanya is the third row (roster order); her note is the third column
    grid = main.locator("[data-testid='stExpander'] [data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box_ = grid.bounding_box()
    assert box_ is not None
    row_h = 35
    grid.click(position={"x": 30, "y": row_h * 3 + row_h / 2})  # header + 2 rows above
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")  # the grid's cell editor opens over the cell
    editor = page.locator("textarea.gdg-input")
    editor.wait_for(timeout=10_000)
    editor.fill(NOTE)
    editor.press("Enter")
    wait_settled(page)
    shot(page, "thanks-approve-notes")
    main.get_by_role("button", name=f"Approve {Q}", exact=True).click()
    page.get_by_text(f"Approved {Q} as approval #1").wait_for(timeout=60_000)
    wait_settled(page)


def links_of(page: Any, owner: str) -> dict[str, str]:
    goto(page, f"{owner}/links?q={Q}")
    with page.expect_download(timeout=60_000) as info:
        page.locator("[data-testid='stDownloadButton']").first.click()
    rows = csv.DictReader(io.StringIO(Path(info.value.path()).read_bytes().decode("utf-8-sig")))
    return {r["name"]: r["link"] for r in rows}


def owner_pulse(page: Any, owner: str) -> str:
    goto(page, f"{owner}/links?q={Q}")
    page.locator("[data-testid='stMain']").get_by_text(
        f"What the team says about {Q}").click()
    wait_settled(page)
    return main_text(page)


def answer_pulse(page: Any, link: str, score: int, comment: str) -> None:
    goto(page, link)
    wait_text(page, "How clear is our bonus plan?")
    main = page.locator("[data-testid='stMain']")
    main.get_by_text(f"{score} · ", exact=False).first.click()
    if comment:
        area = main.get_by_role("textbox", name="What would make it clearer")
        area.fill(comment)
    main.get_by_role("button", name="Send my answer").click()
    wait_text(page, "Your answer is in: thank you")


def test_notes_reach_only_their_person_and_the_pulse_shows_from_five_answers(
    servers: tuple[str, str, Path],
) -> None:
    owner, team, data = servers
    with sessions() as new:
        page = new(height=1600)
        approve_with_notes(page, owner)
        [snap] = Store(data / "tel.sqlite3").snapshots()
        notes = Store(data / "tel.sqlite3").thanks(snap.id)
        assert (notes.team, notes.people) == (TEAM_NOTE, {TANYA: NOTE})
        links = links_of(page, owner)
        shot(page, "thanks-links-page")

        tanya = new()
        goto(tanya, links[TANYA])
        wait_text(tanya, "Claire Landry wrote to you")
        assert NOTE in main_text(tanya)
        shot(tanya, "thanks-statement-tanya")

        renee = new()
        goto(renee, links[RENEE])
        wait_text(renee, f"your TEL bonus for {Q}")
        assert "wrote to you" not in main_text(renee)
        assert leaked_texts(sent(renee), [NOTE]) == []

        pot = new()
        goto(pot, f"{team}/pot")
        pot.locator("[data-testid='stMain']").get_by_role("combobox").first.click()
        pot.get_by_role("option", name=Q, exact=True).click()
        wait_text(pot, TEAM_NOTE)
        assert leaked_texts(sent(pot), [NOTE]) == []
        shot(pot, "thanks-pot-team-note")

        for i, (name, comment) in enumerate(zip(ANSWERING, COMMENTS, strict=True)):
            if i == 4:  # four answers: the owner sees nothing yet
                text = owner_pulse(page, owner)
                assert "Fewer than 5 people have answered for 2026-Q3" in text
                assert leaked_texts(sent(page), [c for c in COMMENTS if c]) == []
            answer_pulse(tanya if name == TANYA else new(), links[name], 1 + i % 5, comment)

        again = new()  # Tanya's link in another browser: still one answer
        goto(again, links[TANYA])
        wait_text(again, "Your answer is in: thank you")

        text = owner_pulse(page, owner)
        shot(page, "thanks-owner-pulse")
        assert re.search(r"Answers\s+5\b", text), text[:1500]
        assert re.search(r"Through a personal link\s+5\b", text)
        assert "Comments (3, in no particular order)" in text  # in a table: text, no Markdown
        assert exceptions_on(page) == []

        later = new()  # a colleague's page never carries the answers
        goto(later, links["Kim Nguyen"])
        assert leaked_texts(sent(later), [c for c in COMMENTS if c] + [NOTE]) == []


def test_the_pot_of_a_shadow_quarter_says_it_is_not_paid(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text((ROOT / "sample_data" / "plan.toml").read_text()
                    + '\n[shadow]\nstart = "2026-Q4"\nquarters = 2\n')
    env = {"TEL_AUDIENCE": "team", "TEL_LINK_SECRET": SECRET, "TEL_PLAN": str(plan)}
    with start_server(env=env, name="team-shadow") as server, browser_page(height=1400) as page:
        goto(page, f"{server.url}/pot")
        wait_text(page, "Shadow: what the plan would pay, not paid.")
        assert "the plan pays from 2027-Q2" in main_text(page)
        title = page.locator(".gtitle").first.text_content() or ""
        assert title.startswith("[Shadow: not paid]")
        shot(page, "shadow-team-pot")
