"""Compare: two to four saved versions (or the current what-if) side by side."""

import streamlit as st

from tel.analysis.compare import LETTERS, changes_from_first, checks_frame, summary_frame
from tel.render import figures
from tel.ui import bands, live_chart, meeting
from tel.ui import compare as view
from tel.ui import store as saved
from tel.ui.bootstrap import bootstrap
from tel.ui.text import md

work = bootstrap("compare")
store = saved.store_or_stop()
quarter = work.quarter

st.title("Compare scenarios")
st.caption(f"{quarter} (the quarter chosen in the sidebar). A is the reference: every other "
           "column shows its difference from A.")

choices = saved.version_choices(store)
labels = {view.WHATIF: "the current what-if (unsaved)"}
labels.update({str(c.version.id): c.label for c in choices})
newest = [str(c.version.id) for c in choices[:2]][::-1]  # older first: B is what changed
default = newest if len(newest) == 2 else [*newest, view.WHATIF]
picked = st.multiselect("Scenarios to compare (2 to 4)", list(labels), default=default,
                        max_selections=4, key="compare.pick", format_func=labels.__getitem__,
                        help="Saved versions (newest first) and the working what-if.")
if len(picked) < 2:
    st.info("Choose at least two. Save scenarios on the *Saved scenarios* page.",
            icon=":material/compare_arrows:")
    st.stop()

sides = view.sides(store, work, picked, labels)
for side in sides:
    if side.result is None:
        st.warning(f"{md(side.label)}: {md(side.problem, 200)}.")

text, differs = summary_frame(sides)
st.dataframe(view.styled_summary(text, differs), height=38 + 35 * len(text),
             column_config={"_index": st.column_config.TextColumn("", pinned=True)})

short = {view.WHATIF: "the what-if"} | {str(c.version.id): c.short for c in choices}
if meeting.is_on():  # gainers and losers against A as counts and dollar bands, no name
    st.subheader("Gains and losses against A")
    names, first, later = changes_from_first(sides)
    for i, cents in enumerate(later, start=1):
        if cents is None:
            continue
        both = [(b, c) for b, c in zip(first, cents, strict=True) if c is not None]
        missing = len(first) - len(both)
        bands.change_chart([c - b for b, c in both], f"compare.bands.{i}",
                           f"{LETTERS[i]} ({short[picked[i]]}) against "
                           f"A ({short[picked[0]]})")
        if missing:
            st.caption(f"{missing:,} of A's people are not on {LETTERS[i]}'s roster.")
    meeting.hidden("compare", "Each person's check")
    st.stop()

st.subheader("Checks, person by person")
only = st.toggle("Only people whose check differs", value=True, key="compare.only")
frame = checks_frame(sides, changed_only=only)
if frame.empty:
    st.success("Nobody's check differs between these scenarios." if only
               else "Nobody to show.")
else:
    styler, hidden = view.checks_view(frame, [s.label for s in sides])
    st.dataframe(styler, hide_index=True, height=min(560, 38 + 35 * len(frame)),
                 column_config={"name": st.column_config.TextColumn("Name", pinned=True),
                                "department": "Department",
                                **{c: st.column_config.TextColumn(h) for c, h in
                                   view.change_columns(len(sides)).items()}})
    shown = len(frame) - hidden
    st.caption(f"{shown:,} people shown" + (
        f"; {hidden:,} more with smaller changes are not listed" if hidden else "") +
        ". Green: a larger check than in A; red: smaller; amber: not on that roster.")

names, first, later = changes_from_first(sides)
columns = [(f"{LETTERS[i]} ({short[picked[i]]})", cents)
           for i, cents in enumerate(later, start=1) if cents is not None]
if sides[0].result is not None and columns:
    live_chart.show(figures.check_changes_by_column(names, first, columns,
                                                    base_label=f"A ({short[picked[0]]})"),
                    key="compare.bar")
