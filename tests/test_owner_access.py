"""Owner pages behind a login when shared, the exposure warning, and the personal-links page."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from apptest_support import sample_scenario
from streamlit.testing.v1 import AppTest
from team_privacy import SAMPLE, roster_rows, strict_leaks

from tel.core.periods import Quarter
from tel.engine.quarter import compute_quarter
from tel.io.links import verify_statement_token
from tel.ui import auth
from tel.ui.auth import decide, exposure, is_loopback, owner_emails, pages_open_override, providers
from tel.ui.personal_links import (
    LinkRow,
    expiry,
    link_rows,
    links_csv,
    statement_base,
    team_url_default,
)

ROOT = Path(__file__).resolve().parents[1]
SECRET = "owner-tests-secret-" + "z" * 32
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "c" * 32,
    "client_id": "tel-bonus",
    "client_secret": "s3cret",
    "server_metadata_url": "https://id.example.com/.well-known/openid-configuration",
}


@pytest.fixture(autouse=True)
def owner_audience(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("TEL_AUDIENCE", "TEL_LINK_SECRET", "TEL_OWNER_EMAILS", "TEL_TEAM_URL",
                 "TEL_ROSTER"):
        monkeypatch.delenv(name, raising=False)
    yield


def app(page: str | None = None, *, secrets: dict | None = None,  # type: ignore[type-arg]
        user: dict | None = None) -> AppTest:  # type: ignore[type-arg]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if page:
        at.switch_page(page)
    at.secrets.update(secrets or {})
    if user is not None:
        at.user = user
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def all_text(at: AppTest) -> str:
    return "\n".join(el.proto.SerializeToString().decode("utf-8", "ignore")
                     for el in at._tree if getattr(el, "proto", None) is not None)


# --------------------------------------------------------------------------------------------
# The gate, as pure decisions


def test_without_auth_the_owner_pages_are_open() -> None:
    assert decide(False, {"is_logged_in": True, "email": "x@y.z"}, frozenset()).kind == "open"


def test_with_auth_a_visitor_must_sign_in_first() -> None:
    assert decide(True, {}, frozenset({"ann@example.com"})).kind == "login"
    assert decide(True, {"email": "ann@example.com"}, frozenset({"ann@example.com"})).kind \
        == "login"  # an e-mail without a login proves nothing


def test_a_signed_in_owner_on_the_list_gets_in_whatever_the_case() -> None:
    d = decide(True, {"is_logged_in": True, "email": "Ann@Example.COM"},
               frozenset({"ann@example.com"}))
    assert d.kind == "granted" and d.email == "Ann@Example.COM"


def test_a_signed_in_stranger_is_refused_in_plain_words() -> None:
    d = decide(True, {"is_logged_in": True, "email": "eve@example.com"},
               frozenset({"ann@example.com"}))
    assert d.kind == "refused"
    assert d.message.startswith("You are signed in as eve@example.com, which is not on")


def test_no_allow_list_refuses_everyone_and_says_how_to_add_one() -> None:
    d = decide(True, {"is_logged_in": True, "email": "ann@example.com"}, frozenset())
    assert d.kind == "refused" and 'tel_owner_emails = ["ann@example.com"]' in d.message


def test_an_unverified_or_missing_email_is_refused() -> None:
    allowed = frozenset({"ann@example.com"})
    assert decide(True, {"is_logged_in": True, "email": "ann@example.com",
                         "email_verified": False}, allowed).kind == "refused"
    assert decide(True, {"is_logged_in": True}, allowed).kind == "refused"


def test_the_allow_list_comes_from_secrets_or_the_environment() -> None:
    assert owner_emails(["A@x.org"], {"TEL_OWNER_EMAILS": "b@x.org"}) == {"a@x.org"}
    assert owner_emails("a@x.org b@x.org", {}) == {"a@x.org", "b@x.org"}
    assert owner_emails(None, {"TEL_OWNER_EMAILS": " a@x.org,,B@x.org "}) == {"a@x.org",
                                                                                "b@x.org"}


def test_providers_are_read_from_the_auth_section() -> None:
    assert providers(AUTH) == [None]
    assert providers({"redirect_uri": "u", "cookie_secret": "c"}) == []


# --------------------------------------------------------------------------------------------
# Without a login: owner pages only on this machine (TEL_OWNER_PAGES_OPEN=1 opens them)


@pytest.mark.parametrize(("host", "bind"), [
    ("127.0.0.1:8501", "127.0.0.1"),
    ("localhost:8501", "localhost"),
    ("[::1]:8501", "::1"),
    ("127.0.0.1:8501", "127.0.0.2"),
    (None, None),  # nobody connected (AppTest): nothing is served
])
def test_a_loopback_visit_to_a_loopback_server_is_served_without_a_word(
        host: str | None, bind: str | None) -> None:
    assert exposure(host, bind) == auth.Exposure("safe")


@pytest.mark.parametrize(("host", "bind", "words"), [
    ("192.168.1.20:8501", "0.0.0.0", "reached through 192.168.1.20, an address other"),
    ("192.168.1.20:8501", None, "reached through 192.168.1.20"),
    ("tel.example.com", "127.0.0.1", "reached through tel.example.com"),
    ("[fe80::1]:8501", "::", "reached through fe80::1"),
    ("127.0.0.1:8501", "10.0.0.7", "this server listens on 10.0.0.7"),
    ("10.0.0.7:8501", "10.0.0.7", "this server listens on 10.0.0.7"),
])
def test_owner_pages_refuse_a_visit_through_a_non_loopback_address_without_a_login(
        host: str, bind: str | None, words: str) -> None:
    seen = exposure(host, bind)
    assert seen.kind == "refuse"
    assert words in seen.message
    for what_to_do in ("127.0.0.1", "[auth]", "tel_owner_emails", "TEL_OWNER_PAGES_OPEN=1"):
        assert what_to_do in seen.message


@pytest.mark.parametrize("bind", [None, "", "0.0.0.0", "::", "[::]"])
def test_a_server_on_every_interface_serves_this_machine_with_a_warning_and_refuses_the_lan(
        bind: str | None) -> None:
    local = exposure("127.0.0.1:8501", bind)
    assert local.kind == "warn" and "listens on every network interface" in local.message
    assert exposure("localhost:8501", bind).kind == "warn"
    assert exposure("192.168.1.20:8501", bind).kind == "refuse"


def test_a_visit_from_another_machine_is_refused_whatever_host_it_names() -> None:
    # a hand-made request can say Host: localhost; the peer address still gives it away
    seen = exposure("localhost:8501", "0.0.0.0", client_ip="192.168.1.44")
    assert seen.kind == "refuse" and "comes from the network address 192.168.1.44" in seen.message
    assert exposure(None, "0.0.0.0", client_ip="192.168.1.44").kind == "refuse"
    assert exposure("127.0.0.1:8501", "127.0.0.1", client_ip="127.0.0.1").kind == "safe"


def test_a_host_header_is_shown_as_a_plain_host_name_never_as_markup() -> None:
    seen = exposure("evil](http://x.org)<b>:8501", "0.0.0.0")
    assert seen.kind == "refuse" and "reached through evil??http:??x.org??b?:8501," in seen.message


def test_a_visit_relayed_by_a_proxy_is_refused() -> None:
    seen = exposure("127.0.0.1:8501", "127.0.0.1", forwarded=True)
    assert seen.kind == "refuse" and "relayed by a proxy" in seen.message


@pytest.mark.parametrize(("host", "bind", "ip", "forwarded"), [
    ("192.168.1.20:8501", "0.0.0.0", None, False),
    ("tel.example.com", "127.0.0.1", None, True),
    ("127.0.0.1:8501", "10.0.0.7", None, False),
    ("localhost:8501", None, "203.0.113.9", False),
])
def test_the_open_override_serves_an_exposed_visit_under_the_warning_banner(
        host: str, bind: str | None, ip: str | None, forwarded: bool) -> None:
    seen = exposure(host, bind, client_ip=ip, forwarded=forwarded, pages_open=True)
    assert seen.kind == "warn"
    assert "no login" in seen.message and "TEL_OWNER_PAGES_OPEN=1" in seen.message
    assert "[auth]" in seen.message and "127.0.0.1" in seen.message


def test_with_the_open_override_a_local_visit_warns_that_the_network_can_see_the_pages(
) -> None:
    seen = exposure("127.0.0.1:8501", "0.0.0.0", pages_open=True)
    assert seen.kind == "warn" and "anyone on your network can open" in seen.message
    assert exposure("127.0.0.1:8501", "127.0.0.1", pages_open=True).kind == "safe"


def test_the_open_override_is_exactly_tel_owner_pages_open_1() -> None:
    assert pages_open_override({"TEL_OWNER_PAGES_OPEN": "1"})
    assert pages_open_override({"TEL_OWNER_PAGES_OPEN": " 1 "})
    for value in ("", "0", "true", "yes", "on", "11"):
        assert not pages_open_override({"TEL_OWNER_PAGES_OPEN": value})
    assert not pages_open_override({})


def test_loopback_names() -> None:
    assert is_loopback("LOCALHOST:80") and is_loopback("app.localhost")
    assert is_loopback("::ffff:127.0.0.1") and is_loopback("[::ffff:127.0.0.1]:8501")
    assert not is_loopback("::ffff:192.168.1.20")
    assert not is_loopback("localhost.example.com") and not is_loopback("")


# --------------------------------------------------------------------------------------------
# The gate in the app (AppTest fakes st.secrets and st.user)


def _no_data(at: AppTest) -> None:
    assert not at.metric and not at.dataframe
    assert "tel.source" not in at.session_state  # stopped before any data was read
    assert strict_leaks(all_text(at), roster_rows(SAMPLE / "roster.csv")) == []


@pytest.mark.parametrize("page", [None, "pages/payouts.py", "pages/links.py"])
def test_with_auth_a_signed_out_visitor_sees_only_a_sign_in(page: str | None) -> None:
    at = app(page, secrets={"auth": AUTH, "tel_owner_emails": ["ann@example.com"]},
             user={"is_logged_in": False})
    assert at.title[0].value == "Owners only"
    assert [b.label for b in at.button] == ["Sign in"]
    _no_data(at)


def test_with_auth_an_owner_on_the_list_sees_the_page() -> None:
    at = app("pages/payouts.py", secrets={"auth": AUTH, "tel_owner_emails": ["ann@example.com"]},
             user={"is_logged_in": True, "email": "ann@example.com"})
    assert at.title[0].value == "Payouts: per person"
    assert "Signed in as ann@example.com" in [c.value for c in at.sidebar.caption]


def test_with_auth_a_stranger_is_refused_and_sees_nothing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEL_OWNER_EMAILS", "ann@example.com")
    at = app("pages/payouts.py", secrets={"auth": AUTH},
             user={"is_logged_in": True, "email": "eve@example.com"})
    assert "eve@example.com, which is not on this dashboard's list" in at.error[0].value
    assert [b.label for b in at.button] == ["Sign out"]
    _no_data(at)


def test_with_auth_but_no_allow_list_nobody_gets_in() -> None:
    at = app(secrets={"auth": AUTH}, user={"is_logged_in": True, "email": "ann@example.com"})
    assert "no list of owner e-mails" in at.error[0].value
    _no_data(at)


def test_without_auth_owner_pages_open_without_a_warning_in_apptest() -> None:
    at = app("pages/payouts.py")
    assert at.title[0].value == "Payouts: per person"
    assert not [w for w in at.warning if "no login" in w.value]


def _visit_from(monkeypatch: pytest.MonkeyPatch, host: str, bind: str | None = "0.0.0.0",
                ip: str | None = None) -> None:
    """Make the gate see a browser at ``host`` (AppTest has no request headers)."""
    def seen() -> auth.Exposure:
        return exposure(host, bind, client_ip=ip, pages_open=pages_open_override())
    monkeypatch.setattr(auth, "exposure_of_this_visit", seen)


@pytest.mark.parametrize("page", [None, "pages/payouts.py", "pages/links.py", "pages/data.py"])
def test_without_auth_a_lan_visit_to_an_owner_page_is_refused_before_any_data_is_read(
        monkeypatch: pytest.MonkeyPatch, page: str | None) -> None:
    _visit_from(monkeypatch, "192.168.1.20:8501")
    at = app(page)
    assert at.title[0].value == "Owners only"
    assert "reached through 192.168.1.20" in at.error[0].value
    assert "TEL_OWNER_PAGES_OPEN=1" in at.error[0].value
    _no_data(at)


def test_without_auth_the_open_override_serves_a_lan_visit_under_a_warning(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEL_OWNER_PAGES_OPEN", "1")
    _visit_from(monkeypatch, "192.168.1.20:8501")
    at = app("pages/payouts.py")
    assert at.title[0].value == "Payouts: per person"
    assert any("no login" in w.value and "TEL_OWNER_PAGES_OPEN=1" in w.value
               for w in at.warning)


def test_without_auth_a_loopback_visit_to_a_server_on_every_interface_is_served_with_a_warning(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _visit_from(monkeypatch, "127.0.0.1:8501")
    at = app("pages/payouts.py")
    assert at.title[0].value == "Payouts: per person"
    assert any("listens on every network interface" in w.value for w in at.warning)


def test_the_team_pages_are_served_to_the_lan_without_a_login(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEL_AUDIENCE", "team")
    _visit_from(monkeypatch, "192.168.1.20:8502")
    at = app("pages/pot.py")
    assert not at.error and at.metric
    assert not [t for t in at.title if t.value == "Owners only"]


# --------------------------------------------------------------------------------------------
# Personal links (owners)


def test_without_a_secret_the_links_page_makes_one_in_the_data_folder_only_its_user_reads(
) -> None:
    import os
    import stat

    at = app("pages/links.py")
    assert not at.error and at.dataframe
    secret_file = Path(os.environ["TEL_DATA_DIR"]) / "link-secret"
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert any(f"`{secret_file}` (readable only by you)" in c.value for c in at.caption)
    link = at.dataframe[0].value["Link"].iloc[0]
    names = [p.name for p in sample_scenario().roster]
    secret = secret_file.read_text().strip().encode()
    assert verify_statement_token(secret, link.split("token=")[1], datetime.now(UTC), names)
    again = app("pages/links.py")  # the same secret next time: links already sent still work
    assert again.dataframe[0].value["Link"].iloc[0].split("token=")[1].split(".")[0] \
        == link.split("token=")[1].split(".")[0]


def test_the_team_app_reads_the_data_folder_secret_but_never_makes_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setenv("TEL_AUDIENCE", "team")
    assert auth.link_secret()[0] is None
    assert not (Path(os.environ["TEL_DATA_DIR"]) / "link-secret").exists()
    made, _ = auth.link_secret(create=True)
    assert auth.link_secret()[0] == made


def test_a_secret_file_others_can_read_is_refused_with_the_command_that_fixes_it() -> None:
    import os

    app("pages/links.py")
    secret_file = Path(os.environ["TEL_DATA_DIR"]) / "link-secret"
    secret_file.chmod(0o644)
    at = app("pages/links.py")
    assert at.error[0].value.startswith("No usable link secret:")
    assert "chmod 600" in at.error[0].value and not at.dataframe
    text = "\n".join(m.value for m in at.markdown)
    assert "tel_link_secret =" in text and "TEL_LINK_SECRET" in text
    assert "secrets.token_urlsafe(48)" in text


def test_a_short_secret_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEL_LINK_SECRET", "too-short")
    at = app("pages/links.py")
    assert "must be at least 32" in at.error[0].value and not at.dataframe


def test_a_secret_from_secrets_toml_makes_a_link_per_eligible_person() -> None:
    at = app("pages/links.py", secrets={"tel_link_secret": SECRET})
    at.sidebar.selectbox(key="tel.quarter_pick").set_value("2026-Q3").run()
    s = sample_scenario()
    result = compute_quarter(s.plan, s.roster, s.months, Quarter(2026, 3))
    frame = at.dataframe[0].value
    assert list(frame["Name"]) == [p.name for p in result.eligible]
    assert [round(x * 100) for x in frame["Estimate (not approved)"]] == [p.total
                                                                  for p in result.eligible]
    names = [p.name for p in s.roster]
    now = datetime.now(UTC)
    for name, link in zip(frame["Name"], frame["Link"], strict=True):
        assert link.startswith("http://localhost:8501/statement?token=")
        assert verify_statement_token(SECRET.encode(), link.split("token=")[1], now, names) \
            == (name, Quarter(2026, 3))
        assert verify_statement_token(SECRET.encode(), link.split("token=")[1],
                                      now + timedelta(days=29), names)[0] == name


def test_links_for_chosen_people_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEL_LINK_SECRET", SECRET)
    monkeypatch.setenv("TEL_TEAM_URL", "https://bonus.example.com/")
    at = app("pages/links.py")
    at.radio(key="links.who").set_value("Chosen people").run()
    at.multiselect(key="links.names").set_value(["Jordan Mire", "Renée Hébert"]).run()
    frame = at.dataframe[0].value
    assert list(frame["Name"]) == ["Renée Hébert", "Jordan Mire"]  # roster order
    assert frame["Eligible"][1].startswith("contractor")
    assert all(u.startswith("https://bonus.example.com/statement?token=") for u in frame["Link"])


def test_a_bad_team_address_is_refused_in_plain_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEL_LINK_SECRET", SECRET)
    at = app("pages/links.py")
    at.text_input(key="links.team_url").set_value("bonus.example.com").run()
    assert "must start with http:// or https://" in at.error[0].value
    assert not at.dataframe


def test_the_links_csv_neutralises_every_text_cell() -> None:
    rows = [LinkRow("=HYPERLINK(\"http://evil\")", "yes", 123450, "https://x/statement?token=a.b"),
            LinkRow("@Ann", "-contractor", 0, "https://x/statement?token=c.d")]
    data = links_csv(rows, "2026-Q3", date(2026, 12, 1)).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(data)))
    assert table[0] == ["name", "quarter", "eligible", "check", "valid_through_utc", "link"]
    assert table[1] == ["'=HYPERLINK(\"http://evil\")", "2026-Q3", "yes", "1234.50",
                        "2026-12-01", "https://x/statement?token=a.b"]
    assert table[2][0] == "'@Ann" and table[2][2] == "'-contractor" and table[2][3] == "0.00"


def test_links_expire_at_the_midnight_after_the_last_day() -> None:
    s = sample_scenario()
    result = compute_quarter(s.plan, s.roster, s.months, Quarter(2026, 3))
    rows = link_rows(result, ["Kim Nguyen"], SECRET.encode(), date(2026, 11, 30),
                     "http://127.0.0.1:8502")
    token = rows[0].url.split("token=")[1]
    last = datetime(2026, 11, 30, 23, 59, 59, tzinfo=UTC)
    assert verify_statement_token(SECRET.encode(), token, last, ["Kim Nguyen"])[0] == "Kim Nguyen"
    assert expiry(date(2026, 11, 30)) == datetime(2026, 12, 1, tzinfo=UTC)


def test_the_team_address_default_and_checks() -> None:
    assert team_url_default("https://owner.example.com:8443/links?x=1", {}) \
        == "https://owner.example.com:8443"
    assert statement_base("http://localhost:8502/statement") \
        == "http://localhost:8502/statement"
    for bad in ("ftp://x", "http://", "http://x/?q=1", "javascript:alert(1)"):
        with pytest.raises(ValueError):
            statement_base(bad)


@pytest.mark.parametrize("page", ["pages/pot.py", "pages/estimate.py", "pages/statement.py"])
def test_the_owners_app_does_not_serve_the_team_pages(page: str) -> None:
    at = app(page)
    assert at.error[0].value.startswith("This page is not available here.")
    assert not at.metric
