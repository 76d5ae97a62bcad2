"""The export buttons of the Approve page: every file is built on click (``data=callable``).

From a snapshot the files carry the approved figures (APPROVED, or SUPERSEDED when a later
approval replaced it); without one they are drafts, which the library marks DRAFT in the
file name and inside the file.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from tel.core.models import Plan, Scenario
from tel.core.periods import Quarter
from tel.core.policy import shadow_refusal
from tel.engine.quarter import QuarterResult
from tel.io.exports import export_filename, gusto_csv, payroll_csv, workbook_xlsx
from tel.io.loaders import MAX_BYTES
from tel.io.payroll import PayrollFile, adp_epi, adp_settings, gusto_upload
from tel.io.recognition import Thanks
from tel.io.store import Snapshot
from tel.render.plandoc import plan_markdown, plan_pdf
from tel.render.statement import statements_zip, statements_zip_filename
from tel.ui.text import md, md_money

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_buttons(result: QuarterResult, *, snapshot: Snapshot | None, plan: Plan,
                   inputs: Scenario | None, company: str, key: str,
                   thanks: Thanks | None = None) -> None:
    """Six download buttons in two rows: payroll, Gusto, workbook; statements, plan (MD, PDF).
    Each statement carries its person's own note of ``thanks``. A shadow quarter has no
    payroll file: those two buttons are disabled and say why."""
    fiscal_year = Quarter.parse(result.quarter).year
    tag = f"approval-{snapshot.id}" if snapshot is not None else "current"
    files: list[tuple[str, str, Callable[[], bytes | str], str, str]] = [
        ("Payroll CSV (name, amount)", export_filename(result, "payroll", snapshot),
         lambda: payroll_csv(result, snapshot, inputs), "text/csv", ":material/payments:"),
        ("Gusto bonus CSV", export_filename(result, "gusto", snapshot),
         lambda: gusto_csv(result, snapshot), "text/csv", ":material/upload:"),
        ("Workbook (XLSX)", export_filename(result, "workbook", snapshot),
         lambda: workbook_xlsx(result, snapshot, inputs), _XLSX, ":material/table:"),
        ("Statements, one PDF each (zip)", statements_zip_filename(result, snapshot),
         lambda: statements_zip(result, snapshot=snapshot, plan=plan, company=company,
                                thanks=thanks),
         "application/zip", ":material/description:"),
        ("Plan document (Markdown)", f"tel-plan-{result.quarter}-{tag}.md",
         lambda: plan_markdown(plan, company=company, fiscal_year=fiscal_year),
         "text/markdown", ":material/article:"),
        ("Plan document (PDF)", f"tel-plan-{result.quarter}-{tag}.pdf",
         lambda: plan_pdf(plan, company=company, fiscal_year=fiscal_year),
         "application/pdf", ":material/picture_as_pdf:"),
    ]
    refused = shadow_refusal(result.quarter, "there is no payroll file") if result.shadow else ""
    if refused:
        st.info(f"{md(refused, 300)}. The workbook and the statements say SHADOW.",
                icon=":material/visibility:")
    for start in (0, 3):
        for col, (label, name, build, mime, icon) in zip(st.columns(3), files[start:start + 3],
                                                         strict=True):
            payroll = start == 0 and mime == "text/csv"
            col.download_button(label, data=b"" if refused and payroll else build,
                                file_name=name, mime=mime, icon=icon,
                                key=f"{key}.{start}.{label}", width="stretch",
                                on_click="ignore", disabled=bool(refused and payroll),
                                help=refused or None if payroll else None)


# --------------------------------------------------------------------------- payroll systems

TEMPLATE_MB = MAX_BYTES // (1024 * 1024)


def _report(file: PayrollFile, who: str) -> None:
    """What the file pays, against the approval, and everyone left out with the reason."""
    if file.complete:
        st.success(f"The file pays all {len({line.name for line in file.lines}):,} checks: "
                   f"{md_money(file.in_file)}, the approval's paid total to the cent.",
                   icon=":material/check_circle:")
    else:
        st.warning(f"The file pays {md_money(file.in_file)} of the {md_money(file.paid)} approved: "
                   f"{len(file.unmatched):,} people with a check are not in it (below). Fix "
                   f"{who}, or pay them another way.", icon=":material/warning:")
    if file.unmatched:
        st.dataframe(pd.DataFrame({
            "Not in the file": [u.name for u in file.unmatched],
            "Employee id": [u.employee_id for u in file.unmatched],
            "Check": [u.amount / 100 for u in file.unmatched],
            "Why": [u.reason for u in file.unmatched],
        }), hide_index=True, column_config={
            "Check": st.column_config.NumberColumn(format="dollar"),
            "Why": st.column_config.TextColumn(width="large")})
    if file.lines:
        with st.expander(f"Who is in the file ({len(file.lines):,} rows)"):
            st.dataframe(pd.DataFrame({
                "Name": [line.name for line in file.lines],
                "Row": pd.array([line.row for line in file.lines], dtype="Int64"),
                "Matched by": [line.matched_by for line in file.lines],
                "Amount": [line.amount / 100 for line in file.lines],
            }), hide_index=True, column_config={
                "Row": st.column_config.NumberColumn(format="%d"),
                "Amount": st.column_config.NumberColumn(format="dollar")})


def payroll_files(result: QuarterResult, *, snapshot: Snapshot, key: str) -> None:
    """Gusto's payroll template filled in, and ADP's paydata (EPI) file, from an approval:
    settings, what each file pays against the approval, and the download."""
    quarter = Quarter.parse(result.quarter)
    gusto, adp = st.columns(2)
    with gusto.container(border=True):
        st.markdown("**Gusto: your payroll template, filled in**")
        st.caption("In Gusto, start the payroll (a bonus or off-cycle payroll), choose "
                   "*Upload CSV* and download the template; upload it here. Each check goes "
                   "in the bonus column of the person's row, matched by employee id, else by "
                   "name; everyone else in the template gets 0.00.")
        up = st.file_uploader("Gusto payroll template (CSV)", type=["csv"],
                              key="approve.gusto.template", max_upload_size=TEMPLATE_MB,
                              help=f"The template exactly as Gusto gives it. At most "
                              f"{TEMPLATE_MB} MB.")
        if up is not None:
            filled = gusto_upload(up.getvalue(), up.name, result, snapshot)
            if filled.data is None:
                for found in filled.problems:
                    st.error(md(str(found), 400), icon=":material/error:")
            else:
                _report(filled, "the roster's employee ids or names, or the template")
                st.download_button("Gusto payroll upload (your template, filled in)",
                                   data=filled.data, file_name=filled.filename, mime="text/csv",
                                   icon=":material/upload:", key=f"{key}.gusto",
                                   on_click="ignore", type="primary")
    with adp.container(border=True):
        st.markdown("**ADP Workforce Now: paydata file (EPI)**")
        st.caption("One row per check: company code, batch, the person's file number (the "
                   "roster's employee id) and the bonus earnings code set up in your ADP.")
        c1, c2, c3 = st.columns(3)
        co = c1.text_input("Company code", key="approve.adp.company", max_chars=3,
                           persist_state="session", placeholder="e.g. 3XY",
                           help="ADP's Co Code: 2 or 3 letters or digits.")
        batch = c2.text_input("Batch ID", key="approve.adp.batch", max_chars=8,
                              value=f"TEL{quarter.year % 100:02d}Q{quarter.q}",
                              persist_state="session",
                              help="Names the batch in ADP: 1 to 8 letters or digits.")
        code = c3.text_input("Earnings code", key="approve.adp.code", max_chars=2,
                             persist_state="session", placeholder="e.g. B",
                             help="The code of the bonus earning in your ADP (1 or 2 "
                             "characters).")
        settings, problems = adp_settings(co, batch, code)
        if settings is None:
            if not co.strip() and not code.strip():
                st.info("Enter your company code and bonus earnings code to make the file.",
                        icon=":material/edit:")
            else:
                for line in problems:
                    st.error(md(line, 400), icon=":material/error:")
        else:
            epi = adp_epi(result, settings, snapshot)
            _report(epi, "the roster's employee ids (ADP file numbers)")
            st.download_button("ADP paydata file (EPI)", data=epi.data or b"",
                               file_name=epi.filename, mime="text/csv",
                               icon=":material/upload:", key=f"{key}.adp", on_click="ignore",
                               type="primary")
