"""The export buttons of the Approve page: every file is built on click (``data=callable``).

From a snapshot the files carry the approved figures (APPROVED, or SUPERSEDED when a later
approval replaced it); without one they are drafts, which the library marks DRAFT in the
file name and inside the file.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from tel.core.models import Plan, Scenario
from tel.core.periods import Quarter
from tel.engine.quarter import QuarterResult
from tel.io.exports import export_filename, gusto_csv, payroll_csv, workbook_xlsx
from tel.io.store import Snapshot
from tel.render.plandoc import plan_markdown, plan_pdf
from tel.render.statement import statements_zip, statements_zip_filename

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_buttons(result: QuarterResult, *, snapshot: Snapshot | None, plan: Plan,
                   inputs: Scenario | None, company: str, key: str) -> None:
    """Six download buttons in two rows: payroll, Gusto, workbook; statements, plan (MD, PDF)."""
    fiscal_year = Quarter.parse(result.quarter).year
    tag = f"approval-{snapshot.id}" if snapshot is not None else "current"
    files: list[tuple[str, str, Callable[[], bytes | str], str, str]] = [
        ("Payroll CSV (name, amount)", export_filename(result, "payroll", snapshot),
         lambda: payroll_csv(result, snapshot), "text/csv", ":material/payments:"),
        ("Gusto bonus CSV", export_filename(result, "gusto", snapshot),
         lambda: gusto_csv(result, snapshot), "text/csv", ":material/upload:"),
        ("Workbook (XLSX)", export_filename(result, "workbook", snapshot),
         lambda: workbook_xlsx(result, snapshot, inputs), _XLSX, ":material/table:"),
        ("Statements, one PDF each (zip)", statements_zip_filename(result, snapshot),
         lambda: statements_zip(result, snapshot=snapshot, plan=plan, company=company),
         "application/zip", ":material/description:"),
        ("Plan document (Markdown)", f"tel-plan-{result.quarter}-{tag}.md",
         lambda: plan_markdown(plan, company=company, fiscal_year=fiscal_year),
         "text/markdown", ":material/article:"),
        ("Plan document (PDF)", f"tel-plan-{result.quarter}-{tag}.pdf",
         lambda: plan_pdf(plan, company=company, fiscal_year=fiscal_year),
         "application/pdf", ":material/picture_as_pdf:"),
    ]
    for start in (0, 3):
        for col, (label, name, build, mime, icon) in zip(st.columns(3), files[start:start + 3],
                                                         strict=True):
            col.download_button(label, data=build, file_name=name, mime=mime, icon=icon,
                                key=f"{key}.{start}.{label}", width="stretch",
                                on_click="ignore")
