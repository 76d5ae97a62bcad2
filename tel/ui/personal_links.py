"""Personal statement links for the owner's "Personal links" page: who, until when, where.

Pure helpers (no Streamlit): the page only collects the choices and renders the rows.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit, urlunsplit

from tel.core.money import to_dollars
from tel.engine.quarter import QuarterResult
from tel.io.exports import csv_bytes
from tel.io.links import sign_statement_link

TEAM_URL_ENV = "TEL_TEAM_URL"
FALLBACK_TEAM_URL = "http://localhost:8501"
STATEMENT_PATH = "statement"  # pages/statement.py, as Streamlit serves it
DEFAULT_DAYS = 30
SECRET_HOWTO = """\
Personal links are signed with a secret that only this app and the team app know. This page
makes one on first use in the data folder (`link-secret`, beside the saved scenarios,
readable only by you), which a team app on this machine with the same data folder
(`TEL_DATA_DIR`) reads too. When that is not possible, set one yourself:

1. Make one (at least 32 characters):

       python3 -c "import secrets; print(secrets.token_urlsafe(48))"

2. Put it in `.streamlit/secrets.toml` next to `app.py` (keep that file out of git):

       tel_link_secret = "paste-the-secret-here"

   or set the environment variable `TEL_LINK_SECRET` for both servers.
3. Restart this app **and** the team app (`TEL_AUDIENCE=team`): both must use the same
   secret, or the links are refused. Changing the secret later cancels every link issued.
"""


@dataclass(frozen=True)
class LinkRow:
    name: str
    eligible: str  # "yes" or the reason
    check: int  # the person's check as booked, in cents
    url: str


def team_url_default(context_url: str | None, environ: Mapping[str, str] | None = None) -> str:
    """Where employees open the team pages: ``TEL_TEAM_URL``, else the scheme and host of the
    address this page was opened at, else ``http://localhost:8501``.

    >>> team_url_default("http://127.0.0.1:8501/links", {})
    'http://127.0.0.1:8501'
    >>> team_url_default(None, {"TEL_TEAM_URL": "https://bonus.example.com/"})
    'https://bonus.example.com'
    >>> team_url_default(None, {})
    'http://localhost:8501'
    """
    env = (os.environ if environ is None else environ).get(TEAM_URL_ENV, "").strip()
    if env:
        return env.rstrip("/")
    if context_url:
        parts = urlsplit(context_url)
        if parts.scheme in {"http", "https"} and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}"
    return FALLBACK_TEAM_URL


def statement_base(team_url: str) -> str:
    """The statement page under a team address; ValueError with plain words if unusable.

    >>> statement_base("https://bonus.example.com/tel/")
    'https://bonus.example.com/tel/statement'
    >>> statement_base("bonus.example.com")
    Traceback (most recent call last):
    ...
    ValueError: the team address must start with http:// or https:// and name a host
    """
    parts = urlsplit(team_url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError("the team address must start with http:// or https:// and name a host")
    if parts.query or parts.fragment:
        raise ValueError("the team address must not carry ?… or #…")
    path = parts.path.rstrip("/")
    if path.endswith("/" + STATEMENT_PATH):
        path = path[: -len(STATEMENT_PATH) - 1]
    return urlunsplit((parts.scheme, parts.netloc, f"{path}/{STATEMENT_PATH}", "", ""))


def expiry(valid_through: date) -> datetime:
    """Links work through the whole of ``valid_through`` (UTC): they expire at the next
    midnight UTC.

    >>> expiry(date(2026, 11, 30))
    datetime.datetime(2026, 12, 1, 0, 0, tzinfo=datetime.timezone.utc)
    """
    return datetime.combine(valid_through + timedelta(days=1), time(0), UTC)


def link_rows(
    result: QuarterResult,
    names: Iterable[str] | None,
    secret: bytes,
    valid_through: date,
    team_url: str,
) -> list[LinkRow]:
    """One signed link per person, in roster order: the eligible people (``names=None``)
    or the chosen names."""
    base = statement_base(team_url)
    expires = expiry(valid_through)
    chosen = None if names is None else set(names)
    rows = []
    for p in result.payouts:
        if (chosen is None and not p.eligible) or (chosen is not None and p.name not in chosen):
            continue
        rows.append(LinkRow(
            name=p.name,
            eligible="yes" if p.eligible else p.reason,
            check=p.total,
            url=sign_statement_link(secret, p.name, result.quarter, expires, base),
        ))
    return rows


def links_csv(rows: Iterable[LinkRow], quarter: str, valid_through: date) -> bytes:
    """``name,quarter,eligible,check,valid_through_utc,link`` by :func:`tel.io.exports.csv_bytes`:
    UTF-8 with a BOM (Excel reads the accents), text cells neutralised against spreadsheet
    formulas, the check a plain number of dollars (``1234.50``)."""
    return csv_bytes(
        [["name", "quarter", "eligible", "check", "valid_through_utc", "link"]]
        + [[r.name, quarter, r.eligible, to_dollars(r.check), valid_through.isoformat(), r.url]
           for r in rows]
    )
