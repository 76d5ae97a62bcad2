"""Who may open the owner pages, and the secrets the app reads: one place for both.

* With an ``[auth]`` section in ``.streamlit/secrets.toml`` every owner page asks for
  ``st.login`` and lets in only the e-mails on the owners' allow-list (``tel_owner_emails``
  in the secrets, or ``TEL_OWNER_EMAILS``, comma-separated). No allow-list -> nobody gets
  in: a login alone proves who someone is, not that they may see salaries.
* Without ``[auth]`` the owner pages are open to whoever reaches them, so they warn when
  they are served anywhere but the loopback address.

The decisions (``decide``, ``exposure_warning``, ``owner_emails``, ``providers``) are pure
functions; ``owner_gate`` is the Streamlit glue that ``bootstrap`` calls for owner pages.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import streamlit as st

from tel.links import SECRET_ENV, SecretError, load_secret

OWNER_EMAILS_SECRET = "tel_owner_emails"
OWNER_EMAILS_ENV = "TEL_OWNER_EMAILS"
LINK_SECRET_KEY = "tel_link_secret"

_ALL_INTERFACES = {"", "0.0.0.0", "::", "[::]"}


# --------------------------------------------------------------------------------------------
# Secrets


def secret_value(key: str) -> Any | None:
    """``st.secrets[key]``, or None when there is no secrets file or no such key."""
    try:
        return st.secrets[key]
    except (KeyError, FileNotFoundError):  # no secrets.toml raises a FileNotFoundError
        return None


def link_secret() -> tuple[bytes | None, str]:
    """The personal-link secret, from ``tel_link_secret`` in the secrets or else the
    ``TEL_LINK_SECRET`` environment variable: ``(secret, "")`` or ``(None, problem)``."""
    value = secret_value(LINK_SECRET_KEY)
    if value is not None and not isinstance(value, str):
        return None, f"{LINK_SECRET_KEY} in secrets.toml must be a string"
    if value is None and not os.environ.get(SECRET_ENV, "").strip():
        return None, (f"none is set (`{LINK_SECRET_KEY}` in .streamlit/secrets.toml, or the "
                      f"{SECRET_ENV} environment variable)")
    try:
        return load_secret(value), ""
    except SecretError as exc:
        return None, str(exc)


def owner_emails(value: Any, environ: Mapping[str, str] | None = None) -> frozenset[str]:
    """The owners' allow-list, case-folded: ``value`` (from the secrets: a list, or one
    string of comma- or space-separated addresses) or else ``TEL_OWNER_EMAILS``.

    >>> sorted(owner_emails(["Ann@Example.com", " bob@example.com "]))
    ['ann@example.com', 'bob@example.com']
    >>> sorted(owner_emails(None, {"TEL_OWNER_EMAILS": "a@x.org, b@x.org"}))
    ['a@x.org', 'b@x.org']
    >>> owner_emails(None, {}), owner_emails(5)
    (frozenset(), frozenset())
    """
    if value is None:
        value = (os.environ if environ is None else environ).get(OWNER_EMAILS_ENV, "")
    if isinstance(value, str):
        items = value.replace(",", " ").split()
    elif isinstance(value, list | tuple):
        items = [str(e) for e in value]
    else:  # a number or a table: not a list of addresses -> nobody (fail closed)
        items = []
    return frozenset(e.strip().casefold() for e in items if e.strip())


def auth_section() -> Mapping[str, Any]:
    """The ``[auth]`` section of the secrets (empty when there is none)."""
    section = secret_value("auth")
    return section if isinstance(section, Mapping) else {}


def providers(section: Mapping[str, Any]) -> list[str | None]:
    """The ``st.login`` provider names of an ``[auth]`` section: ``[None]`` for one unnamed
    provider (``client_id`` in ``[auth]`` itself), else every ``[auth.NAME]`` with one.

    >>> providers({"client_id": "x", "redirect_uri": "u"})
    [None]
    >>> providers({"redirect_uri": "u", "google": {"client_id": "g"}, "okta": {"client_id": "o"}})
    ['google', 'okta']
    """
    if "client_id" in section:
        return [None]
    return [k for k, v in section.items() if isinstance(v, Mapping) and "client_id" in v]


# --------------------------------------------------------------------------------------------
# Decisions


@dataclass(frozen=True)
class Decision:
    """What an owner page does for this visitor."""

    kind: Literal["open", "login", "granted", "refused"]
    message: str = ""
    email: str = ""


def decide(auth_on: bool, user: Mapping[str, Any], allowed: frozenset[str]) -> Decision:
    """The owner-page gate.

    >>> decide(False, {}, frozenset()).kind
    'open'
    >>> decide(True, {"is_logged_in": False}, frozenset({"a@x.org"})).kind
    'login'
    >>> decide(True, {"is_logged_in": True, "email": "A@x.org"}, frozenset({"a@x.org"})).kind
    'granted'
    >>> decide(True, {"is_logged_in": True, "email": "b@x.org"}, frozenset({"a@x.org"})).kind
    'refused'
    """
    if not auth_on:
        return Decision("open")
    if not user.get("is_logged_in"):
        return Decision("login", "The owner pages show everyone's salary and check: sign in "
                        "with an owner's account to continue.")
    email = str(user.get("email") or "").strip()
    if not email:
        return Decision("refused", "Your sign-in did not give an e-mail address, so this "
                        "dashboard cannot tell whether you are an owner.")
    if user.get("email_verified") is False:
        return Decision("refused", f"The e-mail address {email} is not verified by your "
                        "sign-in provider, so it cannot open the owner pages.", email)
    if not allowed:
        return Decision("refused", f"You are signed in as {email}, but this dashboard has no "
                        f"list of owner e-mails yet, so nobody may open the owner pages. Add "
                        f"`{OWNER_EMAILS_SECRET} = [\"{email}\"]` to .streamlit/secrets.toml "
                        f"(or set {OWNER_EMAILS_ENV}) and restart.", email)
    if email.casefold() in allowed:
        return Decision("granted", email=email)
    return Decision("refused", f"You are signed in as {email}, which is not on this "
                    "dashboard's list of owners. Ask an owner to add you, or sign out and use "
                    "another account.", email)


def _host_name(host: str) -> str:
    """``'127.0.0.1:8501' -> '127.0.0.1'``, ``'[::1]:8501' -> '::1'``, ``'Example.com' ->
    'example.com'``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:
        return host.split(":", 1)[0]
    return host


def is_loopback(host: str) -> bool:
    """Whether a host name or address means this machine only.

    >>> [is_loopback(h) for h in ("localhost", "127.0.0.1:8501", "[::1]:80", "10.0.0.5")]
    [True, True, True, False]
    >>> is_loopback("0.0.0.0"), is_loopback("tel.example.com")
    (False, False)
    """
    name = _host_name(host)
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def exposure_warning(host_header: str | None, bind_address: str | None) -> str | None:
    """The warning an owner page shows without ``[auth]``, or None when it is safe.

    ``host_header`` is the address the browser used (None when no browser is connected, as
    in AppTest: then nothing is being served and there is nothing to warn about);
    ``bind_address`` is ``server.address`` (None or empty: every network interface).

    >>> exposure_warning(None, None) is None
    True
    >>> exposure_warning("127.0.0.1:8501", "127.0.0.1") is None
    True
    >>> exposure_warning("192.168.1.20:8501", "0.0.0.0")[:40]
    'These owner pages are open to anyone who'
    >>> "every network interface" in exposure_warning("localhost:8501", None)
    True
    """
    if not host_header:
        return None
    fix = ("Show everyone's pay only to owners: configure `[auth]` and `tel_owner_emails` "
           "in .streamlit/secrets.toml, or serve the owner app on 127.0.0.1 only "
           "(`./scripts/dashboard` does) and give employees the team address "
           "(`TEL_AUDIENCE=team`).")
    if not is_loopback(host_header):
        return (f"These owner pages are open to anyone who can reach "
                f"{_host_name(host_header)}: there is no login. " + fix)
    address = (bind_address or "").strip()
    if address in _ALL_INTERFACES:
        return ("This server listens on every network interface, so anyone on your network "
                "can open these owner pages: there is no login. " + fix)
    if not is_loopback(address):
        return (f"This server listens on {address}, so others can open these owner pages: "
                "there is no login. " + fix)
    return None


# --------------------------------------------------------------------------------------------
# The gate


def _user() -> dict[str, Any]:
    try:
        return dict(st.user.to_dict())
    except Exception:  # no script context: nobody is logged in
        return {}


def owner_gate() -> None:
    """Let the visitor through to an owner page, or stop the script with a plain message.
    Runs before any data is loaded."""
    section = auth_section()
    decision = decide(bool(section), _user(),
                      owner_emails(secret_value(OWNER_EMAILS_SECRET)))
    if decision.kind == "open":
        from streamlit import config

        warning = exposure_warning(st.context.headers.get("Host"),
                                   config.get_option("server.address"))
        if warning:
            st.warning(warning, icon=":material/public:")
        return
    if decision.kind == "granted":
        with st.sidebar:
            st.caption(f"Signed in as {decision.email}")
            if st.button("Sign out", key="tel.auth.logout"):
                st.logout()
        return
    st.title("Owners only")
    if decision.kind == "login":
        from streamlit.auth_util import is_authlib_installed

        st.info(decision.message, icon=":material/lock:")
        if not is_authlib_installed():
            st.error("Sign-in needs the Authlib package (`pip install 'Authlib>=1.3.2'`), "
                     "which is not installed on this server.")
            st.stop()
        names = providers(section)
        if not names:
            st.error("The `[auth]` section of .streamlit/secrets.toml names no provider with "
                     "a `client_id`, so nobody can sign in.")
        for name in names:
            label = "Sign in" if name is None else f"Sign in with {name.title()}"
            if st.button(label, key=f"tel.auth.login.{name}", type="primary"):
                st.login(name)
        st.stop()
    st.error(decision.message, icon=":material/block:")
    if decision.email and st.button("Sign out", key="tel.auth.logout"):
        st.logout()
    st.stop()
