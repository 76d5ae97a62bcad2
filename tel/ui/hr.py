"""The Data page's *From your HR system* panel: an employee export from Gusto, ADP Workforce
Now or BambooHR becomes a roster upload.

The file is read by :mod:`tel.io.hr` (cached on its bytes); the mapping it proposes is shown
as one choice per roster field listing the file's columns, so a person can correct it; owners
are chosen by name (HR files do not say who owns the company); the roster it makes is
previewed with every problem (file, row and column of the HR file). *Use as the roster upload*
then holds it as a pending roster (:func:`tel.ui.uploads.hold`): the Data page's usual check,
fix and apply path takes over, and nothing changes until *Use this data*.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from tel.io.hr import (
    FIELD_HELP,
    FIELD_LABELS,
    FIELDS,
    YEAR_HOURS,
    HrFile,
    HrMapping,
    HrRoster,
    apply_mapping,
    read_hr,
)
from tel.ui import uploads
from tel.ui.text import md

FILE_KEY = "data.hr.file"
NONCE_KEY = "data.hr.nonce"
NOTICE_KEY = "data.hr.notice"
NONE = "— not in this file —"


@st.cache_data(show_spinner=False, max_entries=8)
def read(data: bytes, name: str) -> HrFile:
    """The HR file read (header, layout, proposed mapping); cached on its bytes."""
    return read_hr(data, name, max_bytes=uploads.SHEET_MB * 1024 * 1024)


def uploader_key() -> str:
    return f"data.hr.upload.{st.session_state.get(NONCE_KEY, 0)}"


def hold_file(name: str, data: bytes) -> None:
    """Keep an HR export for the panel (the uploader's callback; tests call it directly)."""
    st.session_state[FILE_KEY] = (name, data)


def receive() -> None:
    uploaded = st.session_state.get(uploader_key())
    if uploaded is None:
        st.session_state.pop(FILE_KEY, None)
    else:
        hold_file(uploaded.name, uploaded.getvalue())


def discard() -> None:
    st.session_state.pop(FILE_KEY, None)
    st.session_state[NONCE_KEY] = st.session_state.get(NONCE_KEY, 0) + 1


def _held() -> tuple[str, bytes] | None:
    found = st.session_state.get(FILE_KEY)
    return found if isinstance(found, tuple) else None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def field_key(name: str, data: bytes) -> str:
    """The selectbox of one roster field, for this file (a new file starts from its own
    proposal)."""
    return f"data.hr.map.{name}.{_digest(data)}"


def owners_key(data: bytes) -> str:
    return f"data.hr.owners.{_digest(data)}"


def _mapping(hr: HrFile, data: bytes) -> HrMapping:
    """The mapping as the widgets hold it (the proposal where a widget is not drawn yet)."""
    chosen: dict[str, str | None] = {}
    for name in FIELDS:
        value = st.session_state.get(field_key(name, data), hr.mapping.get(name) or NONE)
        chosen[name] = None if value == NONE or value not in hr.columns else str(value)
    per = st.session_state.get(f"data.hr.per.{_digest(data)}", hr.mapping.hours_per)
    hours = st.session_state.get(f"data.hr.hours.{_digest(data)}", YEAR_HOURS)
    return HrMapping.of(chosen, hours_per="year" if per == "year" else "week",
                        year_hours=int(hours))


def _roster(hr: HrFile, data: bytes) -> HrRoster:
    owners = st.session_state.get(owners_key(data)) or []
    left = st.session_state.get(f"data.hr.left.{_digest(data)}")
    return apply_mapping(hr, _mapping(hr, data), owners=owners,
                         left_before=left if isinstance(left, date) else None)


def roster_name(name: str) -> str:
    return f"{Path(name).stem}-roster.csv"


def use_as_roster() -> None:
    """Button callback: the roster as the widgets make it now, held as the pending roster."""
    held = _held()
    if held is None:
        return
    name, data = held
    roster = _roster(read(data, name), data)
    if not roster.usable:
        return
    uploads.hold("roster", roster_name(name), roster.roster_csv())
    st.session_state[NOTICE_KEY] = (
        f"{len(roster.rows):,} people from {name} wait below as the roster upload "
        f"({roster_name(name)}): check them and press Use this data.")


def preview_frame(roster: HrRoster) -> pd.DataFrame:
    """The roster rows as they will be uploaded, with the HR file's row number."""
    return pd.DataFrame({
        "Row in file": [r.row for r in roster.rows],
        "Name": [r.get("name") for r in roster.rows],
        "Employee id": [r.get("employee_id") for r in roster.rows],
        "Salary": [r.get("salary") for r in roster.rows],
        "Start": [r.get("start_date") for r in roster.rows],
        "End": [r.get("end_date") for r in roster.rows],
        "Employment": [r.get("employment") for r in roster.rows],
        "Full time": [r.get("full_time") for r in roster.rows],
        "Owner": [r.get("owner") for r in roster.rows],
        "Department": [r.get("department") for r in roster.rows],
        "OK": [r.ok for r in roster.rows],
    })


def panel() -> None:
    """The *From your HR system* panel."""
    held = _held()
    with st.expander("From your HR system: Gusto, ADP Workforce Now or BambooHR",
                     expanded=held is not None, icon=":material/badge:"):
        st.caption("Upload an employee export (CSV or XLSX): the columns are matched to the "
                   "roster's fields, which you can correct; choose the owners; check the "
                   "roster it makes, then use it as the roster upload.")
        st.file_uploader("Employee export", type=["csv", "xlsx"], key=uploader_key(),
                         on_change=receive, max_upload_size=uploads.SHEET_MB,
                         help="Gusto: Reports, Employee summary (or a custom report). ADP "
                         "Workforce Now: an employee report with names, dates and pay. "
                         f"BambooHR: an employee report. At most {uploads.SHEET_MB} MB.")
        if notice := st.session_state.pop(NOTICE_KEY, None):
            st.success(md(notice, 400), icon=":material/check_circle:")
        if held is None:
            return
        name, data = held
        hr = read(data, name)
        st.button("Discard this export", key="data.hr.discard", on_click=discard,
                  icon=":material/close:")
        if not hr.columns:
            for found in hr.problems:
                st.error(md(str(found), 400), icon=":material/error:")
            return
        if hr.layout is not None:
            st.markdown(f"**{md(name)}** reads as an export from **{hr.layout_name}**: header on "
                        f"row {hr.header_row}, {len(hr.rows):,} rows below it. Check the "
                        "columns chosen for each field.")
        else:
            st.warning(f"{md(name)} is not a Gusto, ADP Workforce Now or BambooHR export "
                       "this tool knows: choose the column of each field yourself.",
                       icon=":material/help:")
        _mapping_form(hr, data)
        roster = _roster(hr, data)
        _owners(roster, data)
        st.date_input("Leave out people who left before", value=None,
                      key=f"data.hr.left.{_digest(data)}", format="YYYY-MM-DD",
                      help="An export of everyone ever employed: people who left long ago do "
                      "not need to be on the roster. Blank keeps everyone.")
        if roster.left_out:
            st.caption(f"Left out: {len(roster.left_out):,} people who left before then.")
        if roster.problems:
            st.dataframe(uploads.problems_frame(list(roster.problems)).drop(columns="Line"),
                         hide_index=True, height=min(320, 38 + 35 * len(roster.problems)),
                         column_config={"Problem": st.column_config.TextColumn(width="large")})
        if roster.rows:
            st.dataframe(preview_frame(roster), hide_index=True,
                         height=min(420, 38 + 35 * len(roster.rows)))
        if roster.errors and roster.usable:
            st.caption(f"{len(roster.errors):,} problem(s) in the rows: they go along as they "
                       "are, and the check below lists them again (by roster row) for you to "
                       "fix or leave out.")
        st.button("Use as the roster upload", key="data.hr.use", on_click=use_as_roster,
                  type="primary", icon=":material/group_add:", disabled=not roster.usable,
                  help="Holds this roster as the roster upload: nothing changes until you "
                  "press Use this data.")


def _mapping_form(hr: HrFile, data: bytes) -> None:
    st.markdown("**Which column gives each field**")
    options = [NONE, *hr.columns]
    cols = st.columns(4)
    for i, name in enumerate(FIELDS):
        proposed = hr.mapping.get(name)
        cols[i % 4].selectbox(FIELD_LABELS[name], options, key=field_key(name, data),
                              index=options.index(proposed) if proposed else 0,
                              help=FIELD_HELP[name])
    mapping = _mapping(hr, data)
    if mapping.get("hours"):
        h1, _ = st.columns(2)
        h1.radio("The hours column gives hours", ["week", "year"], horizontal=True,
                 key=f"data.hr.per.{_digest(data)}",
                 index=0 if hr.mapping.hours_per == "week" else 1,
                 format_func={"week": "a week (x 52)", "year": "a year"}.get)
    if mapping.get("pay_rate"):
        st.number_input("Hours a year of an hourly person without hours in the file",
                        min_value=1, max_value=5000, value=YEAR_HOURS, step=1,
                        key=f"data.hr.hours.{_digest(data)}")


def _owners(roster: HrRoster, data: bytes) -> None:
    key = owners_key(data)
    chosen = [str(x) for x in st.session_state.get(key) or []]
    names = [r.get("name") for r in roster.rows if r.get("name")]
    options = names + [n for n in chosen if n not in names]
    st.multiselect("Owners", options, key=key, placeholder="Choose the owners",
                   help="HR files do not say who owns the company: owners get no TEL check "
                   "and are marked owner on the roster.")
