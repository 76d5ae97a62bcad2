"""Approve & export: freeze a quarter's payouts from a saved version, then hand out files."""

import pandas as pd
import streamlit as st

from tel.core.policy import shadow_refusal
from tel.engine.quarter import NoBookedMonth, compute_scenario
from tel.io.exports import export_status
from tel.io.recognition import clean_thanks
from tel.io.store import StoreError
from tel.render.tables import payouts_frame
from tel.rules.gates import MissingAging
from tel.ui import store as saved
from tel.ui.bootstrap import bootstrap
from tel.ui.downloads import export_buttons, payroll_files
from tel.ui.recognition import show_thanks, thanks_inputs
from tel.ui.text import md, md_money
from tel.ui.widgets import kpi_row, money

work = bootstrap("approve")
store = saved.store_or_stop()
quarter = str(work.quarter)
SNAP_KEY = "approve.snapshot"

st.title("Approve a quarter and export")
st.caption("An approval freezes one quarter of one saved version: inputs, every payout, "
           "checksums and totals. Later what-ifs never change it. Payroll files come from "
           "an approval; files from the current what-if are marked DRAFT.")
if notice := st.session_state.pop(saved.NOTICE_KEY, None):
    st.success(notice, icon=":material/verified:")

# --- 1. what to approve -------------------------------------------------------------------
st.subheader(f"1. What to approve for {quarter}")
choices = saved.version_choices(store)
by_id = {c.version.id: c for c in choices}
match = saved.matching_version(work, choices)
mode = st.radio("Approve", ["saved", "whatif"], horizontal=True, key="approve.mode",
                index=0 if choices else 1,
                format_func={"saved": "a saved version",
                             "whatif": "the current what-if (saved first, then approved)"}.get)
result = None
hypothetical = not work.whatif.people.empty  # never approved, never in a payroll file
if mode == "saved":
    if not choices:
        st.info("Nothing is saved yet: approve the current what-if, or save it on the "
                "*Saved scenarios* page first.")
    else:
        ids = list(by_id)
        vid = st.selectbox("Saved version", ids, key="approve.version",
                           index=ids.index(match.version.id) if match else 0,
                           format_func=lambda i: by_id[i].label,
                           help="The version matching the working scenario is chosen first.")
        s = store.load_version(vid)
        try:
            result = compute_scenario(s, work.quarter)
        except NoBookedMonth:
            st.error(f"{quarter} is not booked in this version: choose another version or "
                     "another quarter in the sidebar.")
        except MissingAging as exc:
            st.error(f"{quarter} cannot be approved from this version: {exc}. Add the A/R "
                     "aging on the Data page and save a new version.")
elif hypothetical:
    st.error("The current what-if has hypothetical people "
             f"({work.whatif.people.summary()}): it cannot be approved. Hypothetical people "
             "never reach an approval or a payroll file. Approve a saved version, or remove "
             "the people changes on the *Plan* page.", icon=":material/block:")
else:
    result = work.result
    scenarios = {s.id: s.name for s in store.list_scenarios()}
    w1, w2 = st.columns(2)
    into = w1.selectbox("Save it as", [None, *scenarios], key="approve.into",
                        format_func=lambda i: "a new scenario" if i is None
                        else f"a new version of {scenarios[i]}")
    new_name = w2.text_input("Name of the new scenario", key="approve.name", max_chars=200,
                             value=f"Approved {quarter}", disabled=into is not None)
    if match:
        st.caption(f"The working scenario is already saved as {md(match.label)}: choosing "
                   "*a saved version* avoids a duplicate.")

if result is not None:
    # --- 2. what will be frozen -----------------------------------------------------------
    st.subheader("2. What will be frozen")
    kpi_row([
        ("TEL profit", money(result.tel_profit), None),
        ("Staff pool", money(result.staff_pool), "TEL profit minus the house share."),
        ("Paid in all", money(result.paid), f"{result.paid_count:,} people paid"),
        ("Team pool", money(result.team_pool), None),
        ("Merit pool", money(result.merit_pool), None),
        ("Gates", "passed" if result.gates.passed else "FAILED", None),
    ])
    if not result.complete:
        st.warning(f"{quarter} has {len(result.months_booked)} of 3 months booked: approving "
                   "now freezes quarter-to-date figures.", icon=":material/hourglass_top:")
    if result.shadow:  # the plan runs this quarter in shadow: never paid, never approved
        st.error(md(shadow_refusal(quarter, "it cannot be approved"), 300) + ". The figures "
                 "below are what the plan would pay.", icon=":material/visibility:")
    if not result.gates.passed:
        st.warning("A gate failed: approving freezes $0.00 checks for everyone.")
    elif result.undistributed:
        st.warning(f"Nobody is eligible: {md_money(result.undistributed)} stays undistributed.")
    elif result.reconciles:
        also = [f"{label} {md_money(c)}" for label, c in (
            ("employer payroll tax", result.employer_tax),
            ("over the caps, back to the house", result.capped_to_house)) if c]
        st.caption(f"Reconciled: {result.paid_count:,} checks"
                   + (f" plus {' and '.join(also)}" if also else "")
                   + f" add up to the {md_money(result.available)} available to the cent.")
    else:  # never expected: the engine pays every pool to the cent
        st.error("These figures do not reconcile: do not approve; report this.")
    frame = payouts_frame(result)[["name", "department", "status", "team", "merit", "total"]]
    st.dataframe(frame, hide_index=True, height=300, column_config={
        "name": st.column_config.TextColumn("Name", pinned=True),
        "department": "Department",
        "status": st.column_config.TextColumn("Eligible / reason", width="medium"),
        "team": st.column_config.NumberColumn("Team", format="dollar"),
        "merit": st.column_config.NumberColumn("Merit", format="dollar"),
        "total": st.column_config.NumberColumn("Total", format="dollar"),
    })
    if (previous := store.current_snapshot(quarter)) is not None:
        same = " with exactly these figures" if previous.result() == result else ""
        st.warning(f"{quarter} is already approved{same} (approval #{previous.id}, "
                   f"{md_money(previous.paid)} on {saved.when(previous.approved_at)}). Approving "
                   f"again supersedes it; #{previous.id} is kept and marked superseded.",
                   icon=":material/history:")

    # --- 3. approve -------------------------------------------------------------------------
    st.subheader("3. Approve")
    a1, a2 = st.columns([1, 2])
    by = a1.text_input("Approved by", key="approve.by", max_chars=200,
                       placeholder="Your name")
    note = a2.text_input("Note", key="approve.note", max_chars=500,
                         placeholder="e.g. as agreed at the Q3 review")
    approved_now = store.current_snapshot(quarter)  # its notes are the ones to start from
    with st.expander("Notes of thanks (optional)", icon=":material/favorite:"):
        team_note, people_notes = thanks_inputs(
            result, f"approve.thanks.{quarter}",
            store.thanks(approved_now.id) if approved_now is not None else None)
    if st.button(f"Approve {quarter}", type="primary", icon=":material/verified:",
                 key="approve.go", disabled=result.shadow):
        try:
            try:
                thanks = clean_thanks(team_note, people_notes,
                                      [p.name for p in result.payouts])
            except ValueError as exc:
                raise StoreError(str(exc)) from None
            if mode == "saved":
                snap = saved.approve(store, vid, quarter, note, by, thanks)
            else:
                _, snap = saved.save_and_approve(store, work, quarter, name=new_name,
                                                 note=note, by=by, into=into, thanks=thanks)
            st.session_state[SNAP_KEY] = snap.id  # the picker below offers it next
            st.session_state[saved.NOTICE_KEY] = (
                f"Approved {quarter} as approval #{snap.id}: {md_money(snap.paid)} to "
                f"{snap.paid_count:,} people.")
            st.rerun()
        except StoreError as exc:
            st.error(f"Not approved: {md(str(exc), 300)}.")

# --- approvals ------------------------------------------------------------------------------
st.subheader("Approved quarters")
snaps = store.snapshots()[::-1]


def company_input() -> str:
    return st.text_input("Company name on statements and the plan document (optional)",
                         key="approve.company", max_chars=100, persist_state="session")


company = None
if not snaps:
    st.info("No quarter has been approved yet.")
else:
    st.dataframe(pd.DataFrame({
        "Approval": [f"#{s.id}" for s in snaps],
        "Quarter": [s.quarter for s in snaps],
        "Status": ["in force" if s.current else f"superseded by #{s.superseded_by}"
                   for s in snaps],
        "Scenario": [f"{s.scenario_name} v{s.version_number}" for s in snaps],
        "Approved": [saved.when(s.approved_at) for s in snaps],
        "By": [s.approved_by for s in snaps],
        "Note": [s.note for s in snaps],
        "Staff pool": [money(s.staff_pool) for s in snaps],
        "Paid": [money(s.paid) for s in snaps],
        "People paid": [s.paid_count for s in snaps],
        "Inputs SHA-256": [s.inputs_sha256[:12] for s in snaps],
        "Results SHA-256": [s.results_sha256[:12] for s in snaps],
    }), hide_index=True, height=min(320, 38 + 35 * len(snaps)))
    ids = [s.id for s in snaps]
    in_force = next((s.id for s in snaps if s.quarter == quarter and s.current), ids[0])
    if (wanted := st.session_state.pop(SNAP_KEY, None)) in ids:  # just approved: offer it
        st.session_state["approve.pick"] = wanted
    elif st.session_state.get("approve.pick") not in ids:
        st.session_state["approve.pick"] = in_force  # by default, the approval in force
    pick = st.selectbox("Approval to export", ids, key="approve.pick",
                        format_func=lambda i: next(
                            f"#{s.id} · {s.quarter} · {s.scenario_name} v{s.version_number}"
                            f" · {'in force' if s.current else 'superseded'}"
                            for s in snaps if s.id == i))
    snap = next(s for s in snaps if s.id == pick)
    snap_result = snap.result()
    problems = snap.verify()
    if problems:
        st.error(f"Approval #{snap.id} does not verify: " + "; ".join(problems) + ".")
    else:
        st.success(f"Approval #{snap.id} verified: checksums match, the totals match the "
                   "payouts, and recomputing from the approved inputs gives the same figures.",
                   icon=":material/verified_user:")
    if not snap.current:
        st.warning(f"Approval #{snap.id} was superseded by #{snap.superseded_by}: its files "
                   "are marked SUPERSEDED.")
    st.markdown(f"**Files from approval #{snap.id}** ({snap.quarter}, "
                f"{export_status(snap).lower()}): staff pool {md_money(snap.staff_pool)}, "
                f"paid {md_money(snap.paid)} to {snap.paid_count:,} people.")
    inputs = snap.scenario()
    notes = store.thanks(snap.id)
    show_thanks(notes, snap)
    company = company_input()
    export_buttons(snap_result, snapshot=snap, plan=inputs.plan, inputs=inputs,
                   company=company, key=f"approve.files.{snap.id}", thanks=notes)
    st.markdown(f"**Payroll system files from approval #{snap.id}**")
    payroll_files(snap_result, snapshot=snap, key=f"approve.payroll.{snap.id}")

if company is None:
    company = company_input()
st.subheader("Draft files from the current what-if")
st.caption(f"{quarter} as the pages show it now, not approved: every file says DRAFT (the plan "
           "document describes the current plan knobs).")
if hypothetical:
    st.info("No draft files while the what-if has hypothetical people: they never reach a "
            "payroll file. Remove the people changes on the *Plan* page for drafts.")
else:
    export_buttons(work.result, snapshot=None, plan=work.plan, inputs=work.scenario,
                   company=company, key="approve.draft")
