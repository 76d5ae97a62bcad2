"""Who may open the owner pages, and the secrets the app reads: one place for both.

* With an ``[auth]`` section in ``.streamlit/secrets.toml`` every owner page asks for
  ``st.login`` and lets in only the e-mails on the owners' allow-list (``tel_owner_emails``
  in the secrets, or ``TEL_OWNER_EMAILS``, comma-separated). No allow-list -> nobody gets
  in: a login alone proves who someone is, not that they may see salaries.
* Without ``[auth]`` the owner pages are served only to this machine: a visit through a
  non-loopback address (by its Host header, its peer address, a proxy header, or the
  server's bind address) is refused with what to do, unless the owner sets
  ``TEL_OWNER_PAGES_OPEN=1``, which serves it under a warning banner. A server listening on
  every interface serves a visit to 127.0.0.1 or localhost with a warning.

The decisions (``decide``, ``exposure``, ``owner_emails``, ``providers``) are pure
functions; ``owner_gate`` is the Streamlit glue that ``bootstrap`` calls for owner pages.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import streamlit as st

from tel.io.links import SECRET_ENV, SECRET_FILE, SecretError, file_secret, load_secret
from tel.io.store import StoreError, checked_data_dir, data_folder

OWNER_EMAILS_SECRET = "tel_owner_emails"
OWNER_EMAILS_ENV = "TEL_OWNER_EMAILS"
LINK_SECRET_KEY = "tel_link_secret"
PAGES_OPEN_ENV = "TEL_OWNER_PAGES_OPEN"

_ALL_INTERFACES = {"", "0.0.0.0", "::", "[::]"}


# --------------------------------------------------------------------------------------------
# Secrets


def secret_value(key: str) -> Any | None:
    """``st.secrets[key]``, or None when there is no secrets file or no such key."""
    try:
        return st.secrets[key]
    except (KeyError, FileNotFoundError):  # no secrets.toml raises a FileNotFoundError
        return None


def link_secret(create: bool = False) -> tuple[bytes | None, str]:
    """The personal-link secret: ``tel_link_secret`` in the secrets, else the
    ``TEL_LINK_SECRET`` environment variable, else ``link-secret`` in the data folder (made
    there on first use when ``create``: the owners' Personal links page works out of the
    box, and a team server on the same machine and data folder reads the same file).
    ``(secret, where it came from)`` or ``(None, problem)``."""
    value = secret_value(LINK_SECRET_KEY)
    if value is not None and not isinstance(value, str):
        return None, f"{LINK_SECRET_KEY} in secrets.toml must be a string"
    try:
        if value is not None:
            return load_secret(value), f"`{LINK_SECRET_KEY}` in .streamlit/secrets.toml"
        if os.environ.get(SECRET_ENV, "").strip():
            return load_secret(None), f"the {SECRET_ENV} environment variable"
        folder = data_folder(checked_data_dir())
        shown = str(folder / SECRET_FILE).replace("`", "")  # a code span: shown as typed
        return file_secret(folder, create), f"`{shown}` (readable only by you)"
    except (SecretError, StoreError) as exc:
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
        ip = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1, an IPv4 peer of a dual-stack server
    return ip.is_loopback


_FIX = ("Show everyone's pay only to owners: configure `[auth]` and `tel_owner_emails` in "
        ".streamlit/secrets.toml, or serve the owner app on 127.0.0.1 only "
        "(`./scripts/dashboard` does) and give employees the team address "
        "(`TEL_AUDIENCE=team`).")
_FORWARDING_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP")


def pages_open_override(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the owner has opened the owner pages to any address without a login, with
    ``TEL_OWNER_PAGES_OPEN=1`` (exactly ``1``: anything else keeps them closed).

    >>> pages_open_override({"TEL_OWNER_PAGES_OPEN": "1"}), pages_open_override({})
    (True, False)
    >>> pages_open_override({"TEL_OWNER_PAGES_OPEN": "yes"})
    False
    """
    return (os.environ if environ is None else environ).get(PAGES_OPEN_ENV, "").strip() == "1"


@dataclass(frozen=True)
class Exposure:
    """What an owner page does without ``[auth]``: ``safe`` (serve), ``warn`` (serve under a
    warning banner) or ``refuse`` (show ``message`` and stop before any data is read)."""

    kind: Literal["safe", "warn", "refuse"]
    message: str = ""


def exposure(host_header: str | None, bind_address: str | None, *,
             client_ip: str | None = None, forwarded: bool = False,
             pages_open: bool = False) -> Exposure:
    """The owner-page decision without ``[auth]``: served only to this machine.

    ``host_header`` is the address the browser used; ``client_ip`` the address the visit
    comes from (Streamlit gives None for a loopback peer); ``forwarded`` whether a proxy
    header (``X-Forwarded-For`` ...) came with it; ``bind_address`` is ``server.address``
    (None or empty: every network interface). A visit is refused when any of them says it
    comes from or through another machine: the Host is not a loopback name, the peer is not a
    loopback address, a proxy relayed it, or the server listens only on a non-loopback
    address. A server on every interface (``0.0.0.0``) still serves a visit to 127.0.0.1 or
    localhost, with a warning, and refuses the same server reached through its LAN address.
    ``pages_open`` (``TEL_OWNER_PAGES_OPEN=1``) turns a refusal into the warning banner. No
    Host and no peer address means no browser is connected (AppTest): nothing is served.

    >>> exposure(None, None).kind, exposure("127.0.0.1:8501", "127.0.0.1").kind
    ('safe', 'safe')
    >>> exposure("localhost:8501", "0.0.0.0").kind, exposure("192.168.1.20:8501", "0.0.0.0").kind
    ('warn', 'refuse')
    >>> exposure("192.168.1.20:8501", "0.0.0.0", pages_open=True).kind
    'warn'
    """
    address = (bind_address or "").strip()
    peer = (client_ip or "").strip()
    if not host_header and not peer and not forwarded:
        return Exposure("safe")
    reasons: list[str] = []
    if host_header and not is_loopback(host_header):
        shown = re.sub(r"[^a-z0-9.:_-]", "?", _host_name(host_header))[:80]  # the visitor's text
        reasons.append(f"this page was reached through {shown}, an address other machines "
                       "can use")
    if peer and not is_loopback(peer):
        reasons.append(f"the visit comes from the network address {peer}")
    if forwarded:
        reasons.append("this visit was relayed by a proxy, so it may come from anywhere")
    if address not in _ALL_INTERFACES and not is_loopback(address):
        reasons.append(f"this server listens on {address}, which other machines can reach")
    if reasons and pages_open:
        return Exposure("warn", (
            f"These owner pages are open to anyone who can reach this server: there is no "
            f"login, and {PAGES_OPEN_ENV}=1 lets them be shown anyway "
            f"({'; '.join(reasons)}). " + _FIX))
    if reasons:
        return Exposure("refuse", (
            "These owner pages show everyone's salary and check, so without a login they "
            f"are shown only on the computer the dashboard runs on, and {'; '.join(reasons)}."
            "\n\nTo open them, either:\n\n"
            "- use them on that computer, at http://127.0.0.1 or http://localhost "
            "(`./scripts/dashboard` listens there only);\n"
            "- add a login: `[auth]` and `tel_owner_emails` in .streamlit/secrets.toml (see the "
            "README);\n"
            "- or, only if everyone who can reach this address may see everyone's pay, restart "
            f"the server with the environment variable `{PAGES_OPEN_ENV}=1`.\n\n"
            "Employees have their own pages on a team server (`TEL_AUDIENCE=team`)."))
    if address in _ALL_INTERFACES and pages_open:
        return Exposure("warn", (
            "This server listens on every network interface and "
            f"{PAGES_OPEN_ENV}=1 is set, so anyone on your network can open these owner "
            "pages: there is no login. " + _FIX))
    if address in _ALL_INTERFACES:
        return Exposure("warn", (
            "This server listens on every network interface: visits from other machines are "
            "refused these owner pages, since there is no login, but the server itself is "
            "reachable from your network. " + _FIX))
    return Exposure("safe")


def exposure_of_this_visit() -> Exposure:
    """:func:`exposure` for the current request, the server's bind address and the
    environment."""
    from streamlit import config

    headers = st.context.headers
    try:
        ip = st.context.ip_address
    except Exception:  # no runtime (bare mode): no peer to judge
        ip = None
    return exposure(
        headers.get("Host"),
        config.get_option("server.address"),
        client_ip=ip if isinstance(ip, str) else None,  # AppTest gives a mock, not a str
        forwarded=any(headers.get(h) for h in _FORWARDING_HEADERS),
        pages_open=pages_open_override(),
    )


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
        seen = exposure_of_this_visit()
        if seen.kind == "refuse":  # before any data is read
            st.title("Owners only")
            st.error(seen.message, icon=":material/block:")
            st.stop()
        if seen.kind == "warn":
            st.warning(seen.message, icon=":material/public:")
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
