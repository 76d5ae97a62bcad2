"""Private statement links: signed, expiring, opaque about the person, refused in plain words."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qs, quote, quote_plus, urlsplit

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tel.core.periods import Quarter
from tel.io.links import (
    MAX_TOKEN_CHARS,
    LinkRefused,
    SecretError,
    load_secret,
    person_id,
    sign_statement_link,
    sign_statement_token,
    verify_statement_token,
)

SECRET = load_secret("correct horse battery staple, but longer than 32 bytes")
OTHER = load_secret("an entirely different secret of sufficient length!!")
ROSTER = ["Renée Hébert", "Broussard, Luc", "Kim Nguyen"]
ISSUED = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
EXPIRES = datetime(2026, 12, 1, tzinfo=UTC)
BASE = "https://tel.example.com/Statement"


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


def link(name: str = "Renée Hébert", quarter: str = "2026-Q3") -> str:
    return sign_statement_link(SECRET, name, quarter, EXPIRES, BASE)


def refusal(token: str, now: datetime = ISSUED, secret: bytes = SECRET) -> LinkRefused:
    with pytest.raises(LinkRefused) as info:
        verify_statement_token(secret, token, now, ROSTER)
    return info.value


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --------------------------------------------------------------------------------------------
# Round trip and what the URL carries


def test_a_signed_link_verifies_to_the_person_and_quarter() -> None:
    url = link()
    assert url.startswith(BASE + "?token=")
    assert verify_statement_token(SECRET, token_of(url), ISSUED, ROSTER) == (
        "Renée Hébert",
        Quarter(2026, 3),
    )


def test_the_url_does_not_carry_the_name_in_any_spelling() -> None:
    url = link("Broussard, Luc")
    payload = unb64(token_of(url).split(".")[0]).decode()
    for text in (url, payload, url.casefold(), payload.casefold()):
        for form in ("Broussard", quote("Broussard, Luc"), quote_plus("Broussard, Luc")):
            assert form.casefold() not in text
    claims = json.loads(payload)
    assert set(claims) == {"v", "k", "p", "q", "e"}
    assert claims["p"] == person_id(SECRET, "Broussard, Luc") and claims["q"] == "2026-Q3"
    assert claims["e"] == int(EXPIRES.timestamp())


def test_the_person_id_depends_on_the_secret() -> None:
    assert person_id(SECRET, "Kim Nguyen") != person_id(OTHER, "Kim Nguyen")
    assert person_id(SECRET, "Kim Nguyen") != person_id(SECRET, "Kim Nguyem")


def test_other_query_parameters_are_kept_and_an_old_token_is_replaced() -> None:
    url = sign_statement_link(
        SECRET, "Kim Nguyen", Quarter(2026, 4), EXPIRES, BASE + "?lang=en&token=old"
    )
    query = parse_qs(urlsplit(url).query)
    assert query["lang"] == ["en"] and len(query["token"]) == 1
    assert verify_statement_token(SECRET, query["token"][0], ISSUED, ROSTER)[1] == Quarter(2026, 4)


def test_the_expiry_is_kept_in_utc_from_any_time_zone() -> None:
    baton_rouge = timezone(timedelta(hours=-6))
    token = sign_statement_token(
        SECRET, "Kim Nguyen", "2026-Q3", datetime(2026, 11, 30, 18, tzinfo=baton_rouge)
    )
    assert verify_statement_token(SECRET, token, EXPIRES - timedelta(seconds=1), ROSTER)
    assert refusal(token, EXPIRES).code == "expired"


def test_a_link_is_short_enough_to_paste_anywhere() -> None:
    assert len(token_of(link())) < 200 < MAX_TOKEN_CHARS


@settings(max_examples=60, deadline=None)
@given(
    name=st.text(min_size=1, max_size=60).filter(lambda s: s.strip() != ""),
    year=st.integers(2000, 2100),
    q=st.integers(1, 4),
)
def test_any_name_and_quarter_round_trip(name: str, year: int, q: int) -> None:
    assume(name.strip() != "Someone Else")
    token = sign_statement_token(SECRET, name, Quarter(year, q), EXPIRES)
    names = ["Someone Else", name.strip()]
    assert verify_statement_token(SECRET, token, ISSUED, names) == (name.strip(), Quarter(year, q))


# --------------------------------------------------------------------------------------------
# Refusals, each in plain words


def test_a_changed_payload_is_refused_as_tampered() -> None:
    body, sig = token_of(link()).split(".")
    claims = json.loads(unb64(body))
    claims["q"] = "2026-Q4"  # a statement for another quarter
    forged = b64(json.dumps(claims, separators=(",", ":")).encode()) + "." + sig
    r = refusal(forged)
    assert r.code == "tampered" and r.reason.startswith("This link has been altered")
    claims = json.loads(unb64(body))
    claims["p"] = person_id(SECRET, "Kim Nguyen")  # someone else's statement
    assert refusal(b64(json.dumps(claims).encode()) + "." + sig).code == "tampered"
    claims = json.loads(unb64(body))
    claims["e"] += 86_400 * 365  # a longer life
    assert refusal(b64(json.dumps(claims).encode()) + "." + sig).code == "tampered"


def test_a_changed_signature_is_refused_as_tampered() -> None:
    body, sig = token_of(link()).split(".")
    raw = bytearray(unb64(sig))
    raw[0] ^= 1
    assert refusal(f"{body}.{b64(bytes(raw))}").code == "tampered"


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_no_single_character_change_is_accepted(data: st.DataObject) -> None:
    token = token_of(link())
    i = data.draw(st.integers(0, len(token) - 1))
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."
    c = data.draw(st.sampled_from(alphabet).filter(lambda c: c != token[i]))
    with pytest.raises(LinkRefused) as info:
        verify_statement_token(SECRET, token[:i] + c + token[i + 1 :], ISSUED, ROSTER)
    assert info.value.code in {"tampered", "malformed", "wrong_secret"}


def test_a_link_signed_with_another_secret_is_refused_as_such() -> None:
    token = sign_statement_token(OTHER, "Kim Nguyen", "2026-Q3", EXPIRES)
    r = refusal(token)
    assert r.code == "wrong_secret" and "signed with a different key" in r.reason


def test_a_link_is_expired_at_the_exact_expiry_instant() -> None:
    token = token_of(link())
    assert verify_statement_token(SECRET, token, EXPIRES - timedelta(microseconds=1), ROSTER)
    r = refusal(token, EXPIRES)
    assert r.code == "expired" and r.reason == (
        "This link expired on 2026-12-01 at 00:00 UTC. Ask for a new link."
    )
    assert refusal(token, EXPIRES + timedelta(days=3)).code == "expired"


def test_a_fraction_of_a_second_in_the_expiry_never_lengthens_the_link() -> None:
    token = sign_statement_token(
        SECRET, "Kim Nguyen", "2026-Q3", EXPIRES + timedelta(milliseconds=900)
    )
    assert refusal(token, EXPIRES).code == "expired"


@pytest.mark.parametrize(
    "token",
    [
        "",
        "   ",
        "no-dot-at-all",
        "a.b.c",
        "!!!.???",
        "eyJ2IjoxfQ.short",
        "x" * (MAX_TOKEN_CHARS + 1),
        "abc=.def",  # padding is not part of the format
        "ab cd.ef",
    ],
)
def test_malformed_tokens_are_refused_as_such(token: str) -> None:
    r = refusal(token)
    assert r.code == "malformed" and r.reason.startswith("This link is incomplete or damaged")


def test_a_non_canonical_base64_spelling_is_refused() -> None:
    body, sig = token_of(link()).split(".")
    # 32 bytes use 43 characters with 2 bits to spare: set them, the bytes stay the same.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    other = sig[:-1] + alphabet[alphabet.index(sig[-1]) ^ 1]
    assert other != sig and unb64(other) == unb64(sig)
    assert refusal(f"{body}.{other}").code == "malformed"


def test_a_genuine_link_for_someone_not_on_the_roster_is_refused() -> None:
    token = sign_statement_token(SECRET, "Patrick Sonnier", "2026-Q3", EXPIRES)
    r = refusal(token)
    assert r.code == "unknown_person" and "not on the current roster" in r.reason
    assert verify_statement_token(SECRET, token, ISSUED, [*ROSTER, "Patrick Sonnier"])


def test_refusal_reasons_are_plain_words() -> None:
    reasons = [
        refusal("nonsense").reason,
        refusal(sign_statement_token(OTHER, "Kim Nguyen", "2026-Q3", EXPIRES)).reason,
        refusal(token_of(link()), EXPIRES).reason,
        refusal(sign_statement_token(SECRET, "Nobody Here", "2026-Q3", EXPIRES)).reason,
    ]
    for reason in reasons:
        assert reason.startswith("This link") and reason.endswith("Ask for a new link.")
        for jargon in ("HMAC", "base64", "JSON", "signature", "Traceback", "Error"):
            assert jargon not in reason


def test_times_without_a_time_zone_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="time zone"):
        sign_statement_token(SECRET, "Kim Nguyen", "2026-Q3", datetime(2026, 12, 1))
    with pytest.raises(ValueError, match="time zone"):
        verify_statement_token(SECRET, token_of(link()), datetime(2026, 11, 1), ROSTER)


# --------------------------------------------------------------------------------------------
# The secret


def test_the_secret_comes_from_the_caller_or_the_environment() -> None:
    value = "s" * 40
    assert load_secret(value) == value.encode()
    assert load_secret(value.encode()) == value.encode()
    assert load_secret(environ={"TEL_LINK_SECRET": value + "\n"}) == value.encode()
    assert load_secret("t" * 32, environ={"TEL_LINK_SECRET": value}) == b"t" * 32  # caller wins


def test_the_environment_variable_is_read_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEL_LINK_SECRET", "e" * 32)
    assert load_secret() == b"e" * 32
    monkeypatch.delenv("TEL_LINK_SECRET")
    with pytest.raises(SecretError, match="no link secret"):
        load_secret()


@pytest.mark.parametrize("value", ["", "short", "x" * 31, "  " + "y" * 30 + "  ", "é" * 15])
def test_secrets_shorter_than_32_bytes_are_refused(value: str) -> None:
    with pytest.raises(SecretError, match="at least 32"):
        load_secret(value)


def test_signing_and_verifying_refuse_a_short_secret_too() -> None:
    with pytest.raises(SecretError):
        sign_statement_token(b"short", "Kim Nguyen", "2026-Q3", EXPIRES)
    with pytest.raises(SecretError):
        verify_statement_token(b"short", token_of(link()), ISSUED, ROSTER)
