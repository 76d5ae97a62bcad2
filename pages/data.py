"""Data: upload a roster, months and a plan; fix what is wrong; use them once valid."""

import streamlit as st

from tel.io.sheetfix import problem_rows
from tel.ui import books, hr, meeting, uploads
from tel.ui.bootstrap import bootstrap
from tel.ui.text import md
from tel.ui.widgets import kpi_row

work = bootstrap("data")

st.title("Data: your own files")
st.caption("Upload any of the three files: what you do not upload is kept. The data in use "
           "changes only when every uploaded file is valid and you press **Use this data**; "
           "until then the last good data stays in use.")
if notice := st.session_state.pop(uploads.NOTICE_KEY, None):
    st.success(notice, icon=":material/check_circle:")


def summary_row(items: tuple[dict[str, str], str]) -> None:
    figures, span = items
    kpi_row([(k, v, None) for k, v in figures.items()], per_row=4)
    st.caption(span)


with st.container(border=True):
    st.markdown(f"**In use now:** {work.source.label}")
    summary_row(uploads.summary(work.source.scenario, str(work.quarter), work.plan))
    warnings = [line for lines in work.source.warnings.values() for line in lines]
    if meeting.is_on() and warnings:  # a warning may quote a cell of the roster
        st.caption(f"{len(warnings):,} warning(s) about the files: hidden in meeting view.")
    elif warnings:  # e.g. a month missing between booked ones
        for line in warnings:
            st.warning(md(line, 400), icon=":material/warning:")

if meeting.is_on():  # uploads, fixing tables and HR exports are rows of the roster
    meeting.hidden("data", "Uploads, the fixing table and HR exports")
    st.stop()

UPLOADERS = (
    ("roster", "Roster (CSV or XLSX)", ["csv", "xlsx"], uploads.SHEET_MB,
     "name, salary, start_date, end_date, employment; optional full_time, owner, "
     "performance, department. One row per person."),
    ("months", "Monthly figures (CSV or XLSX)", ["csv", "xlsx"], uploads.SHEET_MB,
     "month (YYYY-MM), gp, cash_on_hand, ar_total, ar_90_plus. One row per month."),
    ("plan", "Plan (TOML)", ["toml"], uploads.PLAN_MB,
     "Sections [threshold], [split], [gates], [eligibility], [calendar]. The company's own "
     "figures ([threshold], [split], [gates]) must all be there; min_months, pay_day and "
     "fiscal_year_start may be left out. The Plan page downloads one to start from."),
    ("scores", "Performance scores (CSV or XLSX, optional)", ["csv", "xlsx"], uploads.SHEET_MB,
     "name, quarter, performance: a person's multiplier for one quarter (e.g. from "
     "customer-experience scores), winning over the roster's performance for that quarter. "
     "Names as on the roster; quarters like 2026-Q3 with a booked month."),
)
files = uploads.pending()
for col, (kind, label, types, mb, help_text) in zip(st.columns(4), UPLOADERS, strict=True):
    with col:
        st.file_uploader(label, type=types, key=uploads.uploader_key(kind),
                         on_change=uploads.receive, args=(kind,), max_upload_size=mb,
                         help=f"{help_text} At most {mb} MB.")
        if (p := files.get(kind)) is not None:
            fixed = " · fixed here" if p.fixed else ""
            st.caption(f"Waiting to be used: {md(p.name)} ({len(p.data):,} bytes){fixed}")
            st.button("Discard", key=f"data.discard.{kind}", on_click=uploads.discard,
                      args=(kind,), icon=":material/close:")

with st.expander("What the files look like"):
    st.markdown(
        "- **Roster**: `name,salary,start_date,end_date,employment,full_time,owner,"
        "performance,department` (the last four optional). Salary is annual; dates "
        "`YYYY-MM-DD`; employment `w2` or `contractor`; yes/no columns `true`/`false`.\n"
        "- **Months**: `month,gp,cash_on_hand,ar_total,ar_90_plus`, month as `YYYY-MM`; "
        "GP may be negative.\n"
        "- **Scores** (optional): `name,quarter,performance`, quarter as `2026-Q3`; the "
        "multiplier (0 to 100, like `1.2`) replaces the roster's performance for that quarter "
        "only.\n"
        "- Excel workbooks: the first worksheet is read. CSV: UTF-8 (Excel's *CSV UTF-8*); "
        "Windows-1252 is read with a warning.")

hr.panel()  # an HR system's employee export -> a pending roster upload
books.panel(work.plan.fiscal_year_start)  # accounting reports -> a pending months upload

if not files:
    st.info("No upload waiting: the data above is in use.", icon=":material/upload_file:")
    st.stop()

checked = uploads.check(files, work.source.scenario)
if checked.errors:
    st.error(f"{len(checked.errors):,} problem(s) to fix before this upload can be used. "
             "The data in use has not changed.", icon=":material/error:")
elif checked.problem:
    st.error(f"The files do not fit together: {md(checked.problem, 300)}. "
             "The data in use has not changed.", icon=":material/error:")
if checked.problems:
    table = uploads.problems_frame(checked.problems)
    if table["Line"].isna().all():  # lines are for plan files only
        table = table.drop(columns="Line")
    st.dataframe(table, hide_index=True,
                 height=min(420, 38 + 35 * len(table)),
                 column_config={"File": st.column_config.TextColumn(width="small"),
                                "Row": st.column_config.NumberColumn(format="%d", width="small"),
                                "Line": st.column_config.NumberColumn(format="%d", width="small"),
                                "Column": st.column_config.TextColumn(width="small"),
                                "Problem": st.column_config.TextColumn(width="large"),
                                "Severity": st.column_config.TextColumn(width="small")})

for kind, p in files.items():
    loaded = checked.loaded[kind]
    if not loaded.errors:
        continue
    if kind == "plan":
        st.info(f"Fix {md(p.name)} in a text editor (the line is given above) and upload it "
                "again, or discard it to keep the plan in use.")
        continue
    grid = uploads.grid_of(p.data, p.name)
    rows = problem_rows(grid, loaded.problems) if grid is not None else {}
    if grid is None or not rows:
        st.info(f"{md(p.name)} cannot be fixed here: fix the file and upload it again.")
        continue
    st.subheader(f"Fix {md(p.name)}")
    st.caption("Only the rows with a problem are shown (what is wrong is in the table above). "
               "Type the corrected text, or tick *Leave out* to drop a row, then press "
               "**Check again**.")
    frame = uploads.editor_frame(grid, rows)
    st.data_editor(
        frame, key=uploads.editor_key(p), hide_index=True, num_rows="fixed",
        disabled=[uploads.ROW, uploads.PROBLEMS],
        height=min(560, 40 + 35 * len(frame)),
        column_config={
            uploads.ROW: st.column_config.NumberColumn(format="%d", width="small", pinned=True),
            uploads.LEAVE_OUT: st.column_config.CheckboxColumn(width="small"),
            uploads.PROBLEMS: st.column_config.TextColumn(width="medium", pinned=True),
        },
    )
    st.button("Check again", key=f"data.recheck.{kind}", on_click=uploads.recheck,
              args=(kind,), icon=":material/refresh:")

if checked.ok and checked.scenario is not None:
    with st.container(border=True):
        st.markdown("**Ready to use:** every uploaded file is valid.")
        # the plan that will be in use: an uploaded one, else the working plan (what-if kept)
        summary_row(uploads.summary(checked.scenario, str(work.quarter),
                                    None if "plan" in files else work.plan))
        st.button("Use this data", type="primary", on_click=uploads.apply_pending,
                  icon=":material/check:",
                  help="The uploaded files replace those parts of the data in use. Plan "
                  "knobs you changed stay unless you uploaded a plan.")
