"""AppTest: text from people and files is shown as text. A name, a scenario name, a file name,
a cell quoted in a problem or a link setting never becomes a Markdown link, an image the
browser would fetch, or a bare URL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apptest_support import SAMPLE, open_app, sample_scenario
from streamlit import config
from streamlit.testing.v1 import AppTest

from tel.core.models import Person, Scenario
from tel.io.links import sign_statement_token
from tel.io.store import Store

ROOT = Path(__file__).resolve().parents[1]
SECRET = "user-text-tests-secret-" + "x" * 32
IMAGE = "![x](https://evil.example/pixel.png)"
LINK = "[Ann](https://evil.example/x)"
# an unescaped link or image, a bare address (autolinked), or an HTML tag, outside `code`
LIVE = re.compile(r"(?<!\\)\]\(|https?://[\w-]+\.|(?<!\\)<[a-z]", re.IGNORECASE)


def live(text: str) -> bool:
    return bool(LIVE.search(re.sub(r"`[^`\n]*`", "", text)))


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    (tmp_path / "data").mkdir()
    monkeypatch.setenv("TEL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TEL_LINK_SECRET", SECRET)
    for name in ("TEL_AUDIENCE", "TEL_ROSTER", "TEL_PLAN", "TEL_MONTHS"):
        monkeypatch.delenv(name, raising=False)
    before = config.get_option("client.showErrorDetails")
    yield tmp_path
    config.set_option("client.showErrorDetails", before)


def shown(at: AppTest) -> list[str]:
    """Every text the app sends that Streamlit renders as Markdown: bodies, alerts, toasts,
    captions, headings, and widget and metric labels."""
    out: list[str] = []
    for kind in ("markdown", "caption", "success", "error", "warning", "info", "toast",
                 "title", "header", "subheader"):
        out += [str(e.value) for e in getattr(at, kind)]
    for kind in ("checkbox", "button", "text_input", "selectbox", "multiselect", "metric",
                 "expander", "toggle", "radio"):
        out += [str(e.label) for e in getattr(at, kind)]
    out += [str(o) for r in at.radio for o in r.options]
    return out


def assert_no_live_markdown(at: AppTest, *expected: str) -> None:
    texts = shown(at)
    found = [t for t in texts if live(t)]
    assert not found, found
    for escaped in expected:
        assert any(escaped in t for t in texts), (escaped, texts)


def roster_with(tmp_path: Path, *names: str, file: str = "roster.csv") -> Path:
    lines = (SAMPLE / "roster.csv").read_text(encoding="utf-8").splitlines()
    for i, name in enumerate(names, start=1):
        cells = lines[i + 2].split(",")  # employees, not the two owners
        lines[i + 2] = ",".join([f'"{name}"', *cells[1:]])
    path = tmp_path / file
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_duplicate_name_error_at_start_up_shows_a_markdown_image_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEL_ROSTER", str(roster_with(tmp_path, IMAGE, IMAGE.upper())))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert "The start files could not be used" in at.error[0].value
    assert "appears twice" in at.error[0].value
    assert_no_live_markdown(at, "\\!\\[X\\]\\(HTTPS\\:\\/\\/")


def test_a_link_setting_quoted_in_a_start_up_toast_is_shown_as_text() -> None:
    at = open_app(query={"house_pct": IMAGE, "gp_2026-09": LINK})
    assert len(at.toast) == 2
    assert_no_live_markdown(at, "house\\_pct\\=", "\\[Ann\\]")


def test_a_start_file_named_like_a_link_is_shown_as_text_in_the_sidebar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = roster_with(tmp_path, file="[roster](https:evil.example).csv")
    monkeypatch.setenv("TEL_ROSTER", str(path))
    at = open_app()
    assert any("roster" in c.value for c in at.sidebar.caption)
    assert not [c.value for c in at.sidebar.caption if live(c.value) or "](" in c.value]


def test_a_scenario_named_as_a_markdown_link_is_shown_as_text_on_the_saved_page() -> None:
    at = open_app(page="pages/saved.py", query={"q": "2026-Q3"})
    at.text_input(key="saved.name").set_value(LINK)
    at.text_input(key="saved.note").set_value(IMAGE)
    [save] = [b for b in at.button if b.label == "Save"]
    save.click().run()
    assert not at.exception
    assert "Saved" in at.success[0].value
    assert_no_live_markdown(at, "\\[Ann\\]\\(https\\:")
    [opened] = [b for b in at.button if b.label == "Open as working data"]
    opened.click().run()
    assert not at.exception
    assert_no_live_markdown(at)
    assert not [c.value for c in at.sidebar.caption if live(c.value)]
    for page in ("pages/compare.py", "pages/approve.py"):
        at.switch_page(page).run()
        assert not at.exception
        assert_no_live_markdown(at)


def test_a_roster_name_written_as_a_link_is_text_on_that_persons_statement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEL_AUDIENCE", "team")
    monkeypatch.setenv("TEL_ROSTER", str(roster_with(tmp_path, LINK)))
    expires = datetime.now(UTC) + timedelta(days=5)
    token = sign_statement_token(SECRET.encode(), LINK, "2026-Q3", expires)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/statement.py")
    at.query_params.update({"token": token})
    at.run()
    assert not at.exception
    assert "your TEL bonus" in at.subheader[0].value
    assert_no_live_markdown(at, "\\[Ann\\]\\(https\\:")


def test_a_team_address_typed_as_a_link_is_refused_as_text() -> None:
    at = open_app(page="pages/links.py", query={"q": "2026-Q3"})
    at.text_input(key="links.team_url").set_value(LINK).run()
    assert not at.exception
    assert "Team address" in at.error[0].value
    assert_no_live_markdown(at, "\\[Ann\\]")
    at.text_input(key="links.team_url").set_value("https://team.example/a`b").run()
    assert not [c.value for c in at.caption if c.value.count("`") % 2]


def test_a_version_saved_before_the_name_rules_still_opens_on_every_page_that_uses_it(
    data_dir: Path,
) -> None:
    s = sample_scenario()
    roster = list(s.roster)
    for i, name in ((2, "Ren\u00e9e Roy"), (3, "Rene\u0301e Roy")):  # equal but for their form
        roster[i] = Person.model_construct(**{**roster[i].__dict__, "name": name})
    with Store(data_dir / "data") as store:
        version = store.create("Old", Scenario.model_construct(plan=s.plan, months=s.months,
                                                     roster=tuple(roster)))
    at = open_app(page="pages/saved.py", query={"q": "2026-Q3"})
    [opened] = [b for b in at.button if b.label == "Open as working data"]
    opened.click().run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page("pages/approve.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="approve.version").value == version.id  # matched: same content
    at.switch_page("pages/payouts.py").run()
    assert not at.exception, [e.value for e in at.exception]
