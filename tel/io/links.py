"""Private links to one person's statement: signed, expiring, and without the name in clear.

A link is ``base_url?token=<payload>.<signature>``:

* ``payload`` is the URL-safe base64 (no padding) of compact JSON
  ``{"v":1,"k":KEY_ID,"p":PERSON_ID,"q":"2026-Q3","e":EXPIRY}``. ``EXPIRY`` is whole
  seconds since the epoch, UTC. ``PERSON_ID`` is an opaque HMAC of the person's name, so
  neither the URL, browser history nor a proxy log carries the name; the server resolves it
  by recomputing the id for every name on the roster. ``KEY_ID`` is a short fingerprint of
  the secret, which only serves to tell "signed with another secret" apart from "changed".
* ``signature`` is HMAC-SHA256 over the payload text, compared with ``hmac.compare_digest``.

Separate keys are derived from the one secret for ids, signatures and the key id, so none of
the three ever reveals another. The payload is readable (quarter and expiry are not secret);
only its authenticity is protected. The same person has the same id in every link signed
with the same secret.

A link works strictly before ``expires_at``: at that exact instant it is already expired,
so "expires at 2026-12-01 00:00 UTC" means the whole of 30 November and not one second more.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tel.core.periods import Quarter

SECRET_ENV = "TEL_LINK_SECRET"
MIN_SECRET_BYTES = 32
TOKEN_PARAM = "token"
MAX_TOKEN_CHARS = 1024  # a real token is ~150 characters; refuse anything far larger early

_VERSION = 1
_B64 = re.compile(r"^[A-Za-z0-9_-]+$")
_SIG_BYTES = hashlib.sha256().digest_size
_ID_BYTES = 16  # 128-bit person ids: collisions within a roster are out of the question


class LinkRefused(Exception):
    """A statement link that must not be honoured. ``reason`` is fit to show the person;
    ``code`` (``malformed``, ``tampered``, ``wrong_secret``, ``expired``, ``unknown_person``)
    is for the program."""

    def __init__(self, reason: str, code: str = "refused") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


class SecretError(ValueError):
    """The link secret is missing or too weak."""


# --------------------------------------------------------------------------------------------
# The secret


def load_secret(
    value: str | bytes | None = None, environ: Mapping[str, str] | None = None
) -> bytes:
    """The link secret as bytes: ``value`` when given (e.g. ``st.secrets["TEL_LINK_SECRET"]``
    read by the caller, so this module needs no streamlit), else the ``TEL_LINK_SECRET``
    environment variable. Surrounding whitespace is ignored (a trailing newline from a
    secrets file is not part of the key). Shorter than 32 bytes -> ``SecretError``.

    Make one with ``python -c "import secrets; print(secrets.token_urlsafe(48))"``.

    >>> len(load_secret("x" * 40))
    40
    >>> load_secret(environ={})
    Traceback (most recent call last):
    ...
    tel.io.links.SecretError: no link secret: set TEL_LINK_SECRET or pass one from st.secrets
    """
    if value is None:
        value = (os.environ if environ is None else environ).get(SECRET_ENV)
    if value is None:
        raise SecretError(f"no link secret: set {SECRET_ENV} or pass one from st.secrets")
    secret = (value.encode("utf-8") if isinstance(value, str) else bytes(value)).strip()
    if len(secret) < MIN_SECRET_BYTES:
        raise SecretError(
            f"the link secret is {len(secret)} bytes; it must be at least "
            f"{MIN_SECRET_BYTES} (make one with secrets.token_urlsafe(48))"
        )
    return secret


SECRET_FILE = "link-secret"


def file_secret(folder: Path, create: bool) -> bytes:
    """The link secret kept in ``folder/link-secret`` (the data folder, beside the store),
    made on first use when ``create``.

    A new secret is 48 random bytes (``secrets.token_urlsafe``), written with ``O_EXCL`` and
    mode 0600 (only this user may read it), so two servers starting at once agree on one
    file. The owners' app creates it; the team app (``create=False``) only reads it, so it
    never signs with a secret the owners do not have. ``SecretError`` says exactly what to do
    when the file cannot be made or read, or is readable by other users.

    >>> import tempfile, stat
    >>> d = Path(tempfile.mkdtemp())
    >>> file_secret(d, create=False)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tel.io.links.SecretError: no link secret yet: open Personal links in the owners' app ...
    >>> s = file_secret(d, create=True)
    >>> len(s) >= MIN_SECRET_BYTES, s == file_secret(d, create=False)
    (True, True)
    >>> oct(stat.S_IMODE((d / SECRET_FILE).stat().st_mode))
    '0o600'
    """
    path = folder / SECRET_FILE
    if not path.exists():
        if not create:
            raise SecretError("no link secret yet: open Personal links in the owners' app "
                              "once (it creates one)")
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another server made it a moment ago: use theirs
        except OSError as exc:
            raise SecretError(
                f"cannot create {path} ({exc.strerror}): make the folder writable, or set "
                f"{SECRET_ENV} for both servers") from exc
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(secrets.token_urlsafe(48) + "\n")
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SecretError(f"cannot read {path} ({exc.strerror})") from exc
    if os.name == "posix" and mode & 0o077:
        raise SecretError(f"{path} can be read by other users: run `chmod 600 {path}`")
    try:
        return load_secret(text)
    except SecretError as exc:
        raise SecretError(f"{path}: {exc}; delete the file to make a new one") from exc

def _key(secret: bytes, purpose: str) -> bytes:
    """A sub-key for one purpose, so ids, signatures and the key id are independent."""
    if len(secret) < MIN_SECRET_BYTES:
        raise SecretError(f"the link secret must be at least {MIN_SECRET_BYTES} bytes")
    return hmac.new(secret, f"tel-links/{purpose}/v{_VERSION}".encode(), hashlib.sha256).digest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not _B64.match(text):
        raise ValueError("not URL-safe base64")
    raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    if _b64(raw) != text:  # unused low bits set: another spelling of the same bytes
        raise ValueError("not canonical base64")
    return raw


def _key_id(secret: bytes) -> str:
    return _b64(_key(secret, "key-id")[:6])


def person_id(secret: bytes, person_name: str) -> str:
    """The opaque id a link carries instead of ``person_name`` (HMAC of the NFC-normalised
    name with a key derived from ``secret``; 22 URL-safe characters).

    >>> s = b"k" * 32
    >>> person_id(s, "Ann Lee") == person_id(s, "Ann Lee"), len(person_id(s, "Ann Lee"))
    (True, 22)
    """
    name = unicodedata.normalize("NFC", person_name.strip())
    digest = hmac.new(_key(secret, "person-id"), name.encode("utf-8"), hashlib.sha256).digest()
    return _b64(digest[:_ID_BYTES])


def _utc(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must carry a time zone (use datetime.now(UTC))")
    return moment.astimezone(UTC)


def _as_quarter(quarter: Quarter | str) -> Quarter:
    return quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)


# --------------------------------------------------------------------------------------------
# Signing and verifying


def sign_statement_token(
    secret: bytes, person_name: str, quarter: Quarter | str, expires_at: datetime
) -> str:
    """The token alone (``payload.signature``); ``sign_statement_link`` wraps it in a URL.

    The expiry is stored in whole seconds, rounded down, so a link never outlives the
    moment it was given.
    """
    q = _as_quarter(quarter)
    expiry = int(_utc(expires_at, "expires_at").timestamp())  # floor: never later than asked
    if not person_name.strip():
        raise ValueError("person_name is blank")
    payload = {
        "v": _VERSION,
        "k": _key_id(secret),
        "p": person_id(secret, person_name),
        "q": str(q),
        "e": expiry,
    }
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("ascii"))
    sig = hmac.new(_key(secret, "signature"), body.encode("ascii"), hashlib.sha256).digest()
    return f"{body}.{_b64(sig)}"


def sign_statement_link(
    secret: bytes,
    person_name: str,
    quarter: Quarter | str,
    expires_at: datetime,
    base_url: str,
) -> str:
    """A private link to ``person_name``'s statement for ``quarter``, valid until
    ``expires_at`` (exclusive, any time zone, stored as UTC). Other query parameters of
    ``base_url`` are kept; an old ``token`` is replaced. The name is not in the URL.

    >>> from datetime import datetime, UTC
    >>> url = sign_statement_link(b"s" * 32, "Ann Lee", "2026-Q3",
    ...                           datetime(2026, 12, 1, tzinfo=UTC), "https://tel.example/statement")
    >>> url.startswith("https://tel.example/statement?token="), "Ann" in url
    (True, False)
    >>> verify_statement_token(b"s" * 32, url.split("token=")[1],
    ...                        datetime(2026, 11, 20, tzinfo=UTC), ["Bob Roy", "Ann Lee"])
    ('Ann Lee', Quarter(year=2026, q=3))
    """
    token = sign_statement_token(secret, person_name, quarter, expires_at)
    parts = urlsplit(base_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != TOKEN_PARAM]
    query.append((TOKEN_PARAM, token))
    return urlunsplit(parts._replace(query=urlencode(query)))


_MALFORMED = (
    "This link is incomplete or damaged (it may have been cut off when copied). Ask for a new link."
)


def verify_statement_token(
    secret: bytes, token: str, now: datetime, names: Iterable[str]
) -> tuple[str, Quarter]:
    """Check a statement token and return ``(person_name, quarter)``.

    ``names`` are the roster's names: the token carries only an opaque id, resolved here by
    recomputing ``person_id`` for each. ``now`` must be time-zone aware. Checks, in order:
    the shape (malformed), the signature (tampered, or signed with another secret), the
    expiry (``now >= expires_at`` is expired), the person (not on the roster).
    Raises ``LinkRefused`` with a reason fit to show the person.
    """
    moment = _utc(now, "now")
    text = token.strip()
    if not text or len(text) > MAX_TOKEN_CHARS or text.count(".") != 1:
        raise LinkRefused(_MALFORMED, "malformed")
    body, sig_text = text.split(".")
    try:
        raw = _unb64(body)
        sig = _unb64(sig_text)
    except (ValueError, binascii.Error) as exc:
        raise LinkRefused(_MALFORMED, "malformed") from exc
    if len(sig) != _SIG_BYTES:
        raise LinkRefused(_MALFORMED, "malformed")

    expected = hmac.new(_key(secret, "signature"), body.encode("ascii"), hashlib.sha256).digest()
    claims = _claims(raw)
    if not hmac.compare_digest(sig, expected):
        # Same check either way; the key id only chooses the words of the refusal.
        if claims is not None and claims.get("k") != _key_id(secret):
            raise LinkRefused(
                "This link was signed with a different key than the one this site uses now "
                "(the key was changed, or the link is from another installation). "
                "Ask for a new link.",
                "wrong_secret",
            )
        raise LinkRefused(
            "This link has been altered since it was issued, so it cannot be trusted. "
            "Ask for a new link.",
            "tampered",
        )
    parsed = None if claims is None else _parse(claims)
    if parsed is None:
        raise LinkRefused(_MALFORMED, "malformed")  # signed by us, yet unreadable: old format
    wanted, quarter, expiry = parsed

    if moment >= expiry:  # at the expiry instant the link is already expired
        raise LinkRefused(
            f"This link expired on {expiry:%Y-%m-%d at %H:%M} UTC. Ask for a new link.",
            "expired",
        )
    matches = [n for n in dict.fromkeys(n.strip() for n in names) if person_id(secret, n) == wanted]
    if len(matches) != 1:
        raise LinkRefused(
            "This link is for someone who is not on the current roster "
            "(they may have left or been renamed). Ask for a new link.",
            "unknown_person",
        )
    return matches[0], quarter


def _claims(raw: bytes) -> dict[str, object] | None:
    """The payload as a dict, or None when it is not a JSON object."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _parse(claims: dict[str, object]) -> tuple[str, Quarter, datetime] | None:
    """(person id, quarter, expiry) from signed claims, or None when they do not fit v1."""
    e, p, q = claims.get("e"), claims.get("p"), claims.get("q")
    if claims.get("v") != _VERSION or type(e) is not int:  # bool is an int: refuse it too
        return None
    if not isinstance(p, str) or not isinstance(q, str):
        return None
    try:
        return p, Quarter.parse(q), datetime.fromtimestamp(e, UTC)
    except (ValueError, OverflowError, OSError):
        return None
