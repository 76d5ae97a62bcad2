"""The Data page's *From your books* panel: accounting reports become a months upload.

Upload a profit and loss by month, a balance sheet by month and any number of A/R aging
summaries (QuickBooks Online or Desktop, Xero; CSV or XLSX). They are read by
:mod:`tel.io.books` (cached on their bytes) and shown before anything is used: the table of
what was read, with the file, row and column of every figure, and every problem. *Use these
months* then writes them as a months file and holds it as the pending months upload
(:func:`tel.ui.uploads.hold`): the Data page's usual check and apply path takes over, and
nothing changes until *Use this data*.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import pandas as pd
import streamlit as st

from tel.io.books import TABLE_COLUMNS, BookFile, Books, read_books
from tel.ui import uploads
from tel.ui.text import md

Role = Literal["profit_loss", "balance_sheet", "aging"]
ROLES: tuple[Role, ...] = ("profit_loss", "balance_sheet", "aging")
FILES_KEY = "data.books.files"
NONCE_KEY = "data.books.nonce"
NOTICE_KEY = "data.books.notice"
MONTHS_NAME = "months-from-books.csv"
MAX_AGINGS = 60


@st.cache_data(show_spinner=False, max_entries=8)
def read(profit_loss: tuple[str, bytes] | None, balance_sheet: tuple[str, bytes] | None,
         agings: tuple[tuple[str, bytes], ...], fiscal_year_start: int) -> Books:
    """The reports read (cached on their bytes)."""
    limit = uploads.SHEET_MB * 1024 * 1024

    def book(found: tuple[str, bytes] | None) -> BookFile | None:
        return None if found is None else BookFile(*found)

    return read_books(book(profit_loss), book(balance_sheet),
                      [BookFile(n, d) for n, d in agings],
                      fiscal_year_start=fiscal_year_start, max_bytes=limit)


def held() -> dict[Role, list[tuple[str, bytes]]]:
    """The reports waiting in the panel, by role (the A/R agings a list)."""
    found: dict[Role, list[tuple[str, bytes]]] = st.session_state.setdefault(FILES_KEY, {})
    return found


def uploader_key(role: Role) -> str:
    return f"data.books.upload.{role}.{st.session_state.get(NONCE_KEY, 0)}"


def hold(role: Role, files: Sequence[tuple[str, bytes]]) -> None:
    """Keep reports for the panel (what the uploaders do; tests call it directly). The
    profit and loss and the balance sheet are one file each; A/R agings any number."""
    if files:
        held()[role] = list(files if role == "aging" else files[-1:])[:MAX_AGINGS]
    else:
        held().pop(role, None)


def receive(role: Role) -> None:
    """Uploader callback."""
    uploaded = st.session_state.get(uploader_key(role))
    if uploaded is None:
        items = []
    elif isinstance(uploaded, list):
        items = uploaded
    else:
        items = [uploaded]
    hold(role, [(u.name, u.getvalue()) for u in items])


def discard() -> None:
    st.session_state.pop(FILES_KEY, None)
    st.session_state[NONCE_KEY] = st.session_state.get(NONCE_KEY, 0) + 1


def current(fiscal_year_start: int) -> Books | None:
    """The held reports read, or ``None`` when nothing is held."""
    files = held()
    if not files:
        return None
    pl, bs = files.get("profit_loss"), files.get("balance_sheet")
    return read(pl[0] if pl else None, bs[0] if bs else None,
                tuple(files.get("aging", [])), fiscal_year_start)


def use_months(fiscal_year_start: int) -> None:
    """Button callback: the months read, as a months file, held as the pending months
    upload (the Data page's check and *Use this data* do the rest)."""
    books = current(fiscal_year_start)
    if books is None or not books.ok:
        return
    uploads.hold("months", MONTHS_NAME, books.months_csv())
    with_ar = sum(1 for m in books.months if m.ar_total is not None)
    st.session_state[NOTICE_KEY] = (
        f"{len(books.months):,} months from your books ({books.months[0].label} to "
        f"{books.months[-1].label}, A/R aging for {with_ar}) wait below as the months upload "
        f"({MONTHS_NAME}): check them and press Use this data.")


def table_frame(books: Books) -> pd.DataFrame:
    """What was read, one row per month, with the source of every figure (text cells)."""
    return pd.DataFrame(books.table(), columns=list(TABLE_COLUMNS), dtype="string")


def panel(fiscal_year_start: int = 1) -> None:
    """The *From your books* panel."""
    files = held()
    with st.expander("From your books: QuickBooks or Xero reports", expanded=bool(files),
                     icon=":material/account_balance:"):
        st.caption("Upload a profit and loss by month, a balance sheet by month and, for each "
                   "month-end you have one, an A/R aging summary (CSV or XLSX, as QuickBooks "
                   "Online, QuickBooks Desktop or Xero export them). GP is the report's Gross "
                   "Profit line; cash on hand the total of bank accounts; A/R the aging's total "
                   "and its columns over 90 days. Check what was read, then use these months "
                   "as the months upload.")
        c1, c2, c3 = st.columns(3)
        c1.file_uploader("Profit and loss by month", type=["csv", "xlsx"],
                         key=uploader_key("profit_loss"), on_change=receive,
                         args=("profit_loss",), max_upload_size=uploads.SHEET_MB,
                         help="QuickBooks: Profit and Loss by Month (or columns by Months). "
                         "Xero: Profit and Loss compared with the previous months. "
                         f"At most {uploads.SHEET_MB} MB.")
        c2.file_uploader("Balance sheet by month", type=["csv", "xlsx"],
                         key=uploader_key("balance_sheet"), on_change=receive,
                         args=("balance_sheet",), max_upload_size=uploads.SHEET_MB,
                         help="QuickBooks: Balance Sheet with columns by Months. Xero: "
                         "Balance Sheet compared with the previous months. "
                         f"At most {uploads.SHEET_MB} MB.")
        c3.file_uploader("A/R aging summaries (optional)", type=["csv", "xlsx"],
                         accept_multiple_files=True, key=uploader_key("aging"),
                         on_change=receive, args=("aging",), max_upload_size=uploads.SHEET_MB,
                         help="One per month-end, as of that day. QuickBooks: A/R Aging "
                         "Summary. Xero: Aged Receivables Summary. A month without one has "
                         "blank A/R, and a quarter whose gates fall on it cannot be paid.")
        if notice := st.session_state.pop(NOTICE_KEY, None):
            st.success(md(notice, 400), icon=":material/check_circle:")
        books = current(fiscal_year_start)
        if books is None:
            return
        names = [name for role in ROLES for name, _ in files.get(role, [])]
        st.caption("Read: " + md(", ".join(names), 400))
        st.button("Discard these reports", key="data.books.discard", on_click=discard,
                  icon=":material/close:")
        if books.months:
            st.markdown(f"**What was read:** {len(books.months):,} months, "
                        f"{books.months[0].label} to {books.months[-1].label}.")
            frame = table_frame(books)
            st.dataframe(frame, hide_index=True, height=min(460, 38 + 35 * len(frame)),
                         column_config={c: st.column_config.TextColumn(width="small")
                                        for c in TABLE_COLUMNS[:5]})
        if books.errors:
            st.error(f"{len(books.errors):,} problem(s) to fix in the reports before these "
                     "months can be used.", icon=":material/error:")
        if books.problems:
            table = uploads.problems_frame(list(books.problems)).drop(columns="Line")
            st.dataframe(table, hide_index=True, height=min(320, 38 + 35 * len(table)),
                         column_config={"Problem": st.column_config.TextColumn(width="large")})
        st.button("Use these months", key="data.books.use", on_click=use_months,
                  args=(fiscal_year_start,), type="primary", icon=":material/event_available:",
                  disabled=not books.ok,
                  help="Holds these months as the months upload: nothing changes until you "
                  "press Use this data.")
