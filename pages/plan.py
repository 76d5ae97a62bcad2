"""Plan: every setting of the plan, each change shown at once, and who it moves.

The knobs are drawn from :data:`tel.core.policy.FIELDS`: label, range, choices and the words
for what each does and why a company would choose it are written there once.
"""

import calendar

import streamlit as st

from tel.analysis.compare import changes, moves, moves_frame
from tel.core.policy import FIELDS, VARIANTS
from tel.io.planfile import plan_to_toml
from tel.rules.threshold import min_gp
from tel.ui import bands, live, meeting, state
from tel.ui.bootstrap import bootstrap
from tel.ui.people import people_changes, people_forms
from tel.ui.widgets import Kpi, delta, knob, kpi_grid, money, moves_columns, pct

bootstrap("plan")
# A knob reruns the sections below (tel.ui.live), not the 23 knobs: each reads the state.
# These two reshape other widgets (the cap's knob, the sidebar's quarters): the whole page.
RESHAPING = frozenset({"merit_formula", "fiscal_year_start"})

st.title("Plan: the knobs")
st.caption("Every change applies at once to every page. Reset (sidebar) returns to the loaded "
           "plan; the address bar keeps the what-if so a reload or a shared link reopens it.")
effect = st.container(border=True)
movers = st.container(border=True)

# The company's own figures, by plan-file section; the design choices (variants) follow.
SECTIONS = {
    "threshold": ("Threshold: what must be made each month before anything is shared",
                  "From the source: know your average monthly overhead, debt service, what "
                  "owners take and what the company retains. Only what spills over the top is "
                  "TEL profit."),
    "split": ("Splits", ""),
    "gates": ("Gates: never pay a bonus on fake revenue or borrowed money", ""),
    "eligibility": ("Eligibility", ""),
    "calendar": ("Calendar", ""),
}
NOTES = {  # a line under a knob that depends on the current plan: drawn in a section
    "team_pct": lambda w: f"Merit share: {pct(w.plan.merit_pct)} of the staff pool (100% minus "
                          "team).",
    "pay_day_rule": lambda w: f"{w.quarter} is paid on {w.plan.pay_date_text(w.quarter)}.",
    "fiscal_year_start": lambda w: f"= {calendar.month_name[w.plan.fiscal_year_start]}",
}
base = [f for f in FIELDS if not f.variant]
for section in dict.fromkeys(f.section for f in base):
    title, words = SECTIONS.get(section, (section.replace("_", " ").capitalize(), ""))
    st.subheader(title)
    if words:
        st.caption(words)
    mine = [f for f in base if f.section == section]
    for col, f in zip(st.columns(max(len(mine), 2)), mine, strict=False):
        with col:
            knob(f, explain=True, note=NOTES.get(f.name), reshapes=f.name in RESHAPING)

st.subheader("Plan design choices")
st.caption("How the plan treats a weak month, a failed gate, a new starter, tenure, payroll "
           "tax and windfalls. Each starts as the source's plan; the plan file writes only "
           "those changed from it.")
capped = state.current().plan.merit.formula == "salary_x_capped_years"  # merit_formula: page
groups = [[f for f in VARIANTS if f.section == section]  # the merit formula with its cap
          for section in dict.fromkeys(f.section for f in VARIANTS)]
for start in range(0, len(groups), 2):  # two to a row: room for the words
    for col, group in zip(st.columns(2), groups[start:start + 2], strict=False):
        with col, st.container(border=True):
            for f in group:
                off = f.name == "cap_years" and not capped
                knob(f, explain=True, disabled=off, reshapes=f.name in RESHAPING,
                     note="Only used with the merit weight *Salary x years, years capped*."
                     if off else "")


@live.section("plan.effect", on=("plan", "quarter", "people"))
def effect_panel() -> None:
    work = state.current()
    plan, result = work.plan, work.result
    loaded = work.compute(plan=work.source.scenario.plan)
    if problem := st.session_state.pop("knob.problem", None):
        st.error(problem)
    st.markdown(f"**Effect on {result.quarter}** (compared with the loaded plan)")
    moved = result.eligible_count - loaded.eligible_count
    passed = result.gates.passed

    def _kpi(label: str, attr: str, words: str | None = None, lower: bool = False) -> Kpi:
        """A money figure of the result, its change from the loaded plan as the delta."""
        now, then = getattr(result, attr), getattr(loaded, attr)
        return Kpi(label, money(now), delta(now - then), help=words, lower_is_better=lower)

    kpi_grid([
        Kpi("Min GP / month", money(min_gp(plan)),
            delta(min_gp(plan) - loaded.min_gp), lower_is_better=True),
        _kpi("TEL profit", "tel_profit"),
        _kpi("Staff pool", "staff_pool", "TEL profit minus the house share."),
    ], border=False)
    # the chain from the staff pool to the checks: each step that moves money here or in
    # the loaded plan, then what is left for the checks
    chain = [
        _kpi("Deferred in", "deferred_in", "Staff pools of earlier quarters whose gates "
             "failed, paid with this one.")
        if result.deferred_in or loaded.deferred_in else None,
        _kpi("Held back this quarter", "held_back", "Put in the reserve and paid with the "
             "fiscal year's fourth quarter.", lower=True),
        _kpi("Released from the reserve", "released", "The year's holdbacks, paid with its "
             "complete fourth quarter.")
        if result.released or loaded.released else None,
        _kpi("Employer tax", "employer_tax", "The employer's payroll tax on the checks, paid "
             "out of the pool: checks + this tax = what was available.", lower=True),
        _kpi("Paid pool", "paid_pool", "Staff pool + deferred in − held back + released − "
             "employer tax: what is left for the checks."),
    ]
    kpi_grid([k for k in chain if k is not None], border=False)
    share = "of the paid pool" if passed else "at stake"
    kpi_grid([
        _kpi(f"Team pool ({share})", "team_pool",
             f"Team % of the {'paid' if passed else 'staff'} pool, paid in equal checks."
             + ("" if passed else " A gate fails: nothing is paid.")),
        _kpi(f"Merit pool ({share})", "merit_pool",
             f"The rest of the {'paid' if passed else 'staff'} pool, paid by merit weight."
             + ("" if passed else " A gate fails: nothing is paid.")),
        _kpi("Paid in checks", "paid", "The checks: the paid pool less what the caps took "
             "and what nobody was eligible for."),
        Kpi("Eligible people", f"{result.eligible_count:,}", f"{moved:+,}" if moved else None),
        _kpi("Returned to house", "returned_to_house", "A forfeited pool, a pool nobody was "
             "eligible for, and what the caps took.", lower=True),
    ], border=False)
    if not result.gates.passed:
        st.error("A gate fails at these settings: nothing would be paid. " +
                 " ".join(t for ok, t in ((result.gates.cash_ok, result.gates.cash_text()),
                                          (result.gates.ar_ok, result.gates.ar_text())) if not ok))


@live.section("plan.movers", on=("plan", "quarter", "people"))
def movers_panel() -> None:
    work = state.current()
    result, loaded_plan = work.result, work.source.scenario.plan
    loaded = work.compute(plan=loaded_plan)
    names, before, after = changes(loaded, result)
    mv = moves(names, before, after)
    st.markdown(f"**Who gains, who loses on {result.quarter}** (this plan against the loaded "
                "one, on the same months)")
    kpi_grid([Kpi("People who gain", f"{mv.gains:,}"), Kpi("People who lose", f"{mv.losses:,}"),
              Kpi("Unchanged", f"{mv.unchanged:,}")], border=False)
    if work.plan == loaded_plan:
        st.caption("The plan is as loaded: change a knob below to see whose check moves.")
    elif not mv.moved:
        st.caption("Nobody's check moves on this quarter.")
    elif meeting.is_on():  # counts and dollar bands, never a name
        bands.change_chart([a - b for b, a in zip(before, after, strict=True)], "plan.bands",
                           f"Gains and losses on {result.quarter}: loaded plan → this plan")
    else:
        # One under the other: side by side, each had half of 1024 px and showed Name and A
        config = moves_columns("Loaded plan", "This plan")
        for rows, title, key in ((mv.up, "Largest gains", "plan.up"),
                                 (mv.down, "Largest losses", "plan.down")):
            st.markdown(f"*{title}*")
            if rows:
                st.dataframe(moves_frame(rows), hide_index=True, column_config=config,
                             key=key, height=38 + 35 * len(rows), width="content")
            else:
                st.caption("Nobody.")


@live.section("plan.download", on=("plan",))
def download() -> None:
    plan = state.current().plan
    st.download_button("Download plan.toml", data=lambda: plan_to_toml(plan),
                       file_name="plan.toml", mime="application/toml",
                       icon=":material/download:")


with effect:
    effect_panel()
with movers:
    movers_panel()
download()
if meeting.is_on():  # names and salaries: the panel is not drawn at all
    st.subheader("People what-if")
    if not state.current().whatif.people.empty:
        st.caption(f"In use: {state.current().whatif.people.summary()} (hypothetical).")
    meeting.hidden("plan.people", "Hypothetical hires, leavers and raises")
else:  # hypothetical hires, leavers and raises (tel/ui/people.py)
    people_forms(state.current())
    live.section("plan.people", on=("plan", "quarter", "people"))(people_changes)()
