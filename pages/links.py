"""Personal links (owners): a private, expiring link per person to their own statement."""

from datetime import UTC, datetime, timedelta

import pandas as pd
import streamlit as st

from tel.core.periods import Quarter
from tel.engine.quarter import compute_scenario
from tel.io.links import MIN_SECRET_BYTES
from tel.io.recognition import PULSE_QUESTION
from tel.rules.gates import MissingAging
from tel.ui import store as saved
from tel.ui.auth import link_secret
from tel.ui.bootstrap import bootstrap
from tel.ui.personal_links import (
    DEFAULT_DAYS,
    SECRET_HOWTO,
    link_rows,
    links_csv,
    statement_base,
    team_url_default,
)
from tel.ui.recognition import pulse_results
from tel.ui.text import md

work = bootstrap("links")

st.title("Personal links")
st.caption("Each person gets a private link to a page with their own check and how it was "
           "worked out, on the team address (the app started with `TEL_AUDIENCE=team`). "
           "The link names nobody in clear, is signed so it cannot be altered, and expires.")

# What the team answered on its pages (anonymous; nothing below five answers): owners only.
with st.expander(f"What the team says about {work.quarter}: {PULSE_QUESTION}",
                 icon=":material/forum:"):
    try:
        pulse_results(saved.get_store().pulse_summary(str(work.quarter)))
    except Exception as exc:
        st.warning(f"The team's answers could not be read ({md(str(exc), 200)}).")

secret, where = link_secret(create=True)  # made in the data folder on first use
if secret is None:
    st.error(f"No usable link secret: {md(where, 400)}.", icon=":material/key_off:")
    st.markdown(SECRET_HOWTO)
    st.caption(f"A secret shorter than {MIN_SECRET_BYTES} bytes is refused: it could be "
               "guessed, and anyone who knows it can make a link to anyone's statement.")
    st.stop()
st.caption(f"Links are signed with the secret from {where}; the team app must use "
           "the same one (the same data folder, or the same setting).")

books = work.source.scenario  # statements show the books as loaded, never a what-if
quarter = str(work.quarter)  # the sidebar's quarter
c1, c2, c3 = st.columns([1, 1, 2])
with c1:
    st.markdown(f"**Quarter**\n\n{quarter} (change it in the sidebar)")
with c2:
    today = datetime.now(UTC).date()
    valid_through = st.date_input(
        "Links work until the end of", value=today + timedelta(days=DEFAULT_DAYS),
        min_value=today, max_value=today + timedelta(days=366), format="YYYY-MM-DD",
        key="links.until", help="Midnight UTC after this day, the links are refused.")
with c3:
    team_url = st.text_input("Team address", value=team_url_default(st.context.url),
                             key="links.team_url",
                             help="The address employees open: the server started with "
                             "TEL_AUDIENCE=team. Set TEL_TEAM_URL to change this default.")

# A statement shows the approval in force for the quarter (what payroll pays), or before
# any approval an estimate from the books: the same source the team app uses.
try:
    approval = saved.get_store().current_snapshot(quarter)
except Exception as exc:
    approval = None
    st.warning(f"The approvals could not be read ({md(str(exc), 200)}): statements will show "
               "estimates.")
if approval is not None:
    result = approval.result()
    st.success(f"Statements for {quarter} show approval #{approval.id} (in force, "
               f"{approval.approved_at[:10]}): what payroll pays.", icon=":material/verified:")
    check_label = f"Approved check (#{approval.id})"
    with_notes = saved.get_store().thanks(approval.id)
    if with_notes.people or with_notes.team:
        n = len(with_notes.people)
        st.caption(f"Approval #{approval.id} carries a note of thanks for "
                   f"{n:,} {'person' if n == 1 else 'people'}"
                   + (" and one for the team (on the pot page)" if with_notes.team else "")
                   + ": each person sees only their own note, on their statement and PDF.")
else:
    try:
        result = compute_scenario(books, Quarter.parse(quarter))
    except MissingAging as exc:
        st.error(f"No statements for {quarter} yet: {exc}.", icon=":material/error:")
        st.stop()
    if result.shadow:  # never approved: the statements say what the plan would pay
        st.warning(f"{quarter} is a shadow quarter: statements show what the plan would pay, "
                   "marked as not paid. Sending them lets people see the numbers before they "
                   "are paid by them.", icon=":material/visibility:")
        check_label = "Would pay (shadow, not paid)"
    else:
        st.warning(f"{quarter} is not approved yet: statements show an estimate from the "
                   "books as loaded, marked as such. Approve the quarter first to send final "
                   "figures.", icon=":material/pending:")
        check_label = "Estimate (not approved)"
who = st.radio("Links for", ["Everyone eligible", "Chosen people"], horizontal=True,
               key="links.who")
names = None
if who == "Chosen people":
    names = st.multiselect("People", [p.name for p in result.payouts], key="links.names",
                           placeholder="Choose people")

try:
    base = statement_base(team_url)
except ValueError as exc:
    st.error(f"Team address “{md(team_url, 200)}”: {exc}.")  # as typed: text, not a link
    st.stop()
rows = link_rows(result, names, secret, valid_through, team_url)

if work.whatif.gp or work.plan != books.plan:
    st.info("Your what-if is not used here: a statement shows the approval in force, or the "
            "books as loaded.")
shown_base = base.replace("`", "%60")  # a backtick would end the code span
st.caption(f"Links open `{shown_base}?token=…` and work until {valid_through} 23:59:59 UTC. The "
           "team app must run on the same files and with the same secret.")
if not rows:
    st.warning("Nobody to make a link for: " + ("nobody is eligible this quarter."
               if names is None else "choose at least one person."))
    st.stop()

st.download_button(
    f"Download {len(rows)} link(s) as CSV",
    data=links_csv(rows, quarter, valid_through),
    file_name=f"statement-links-{quarter}.csv", mime="text/csv",
    icon=":material/download:", on_click="ignore")
st.dataframe(
    pd.DataFrame({"Name": [r.name for r in rows], "Eligible": [r.eligible for r in rows],
                  check_label: [r.check / 100 for r in rows],
                  "Link": [r.url for r in rows]}),
    hide_index=True,
    column_config={"Name": st.column_config.TextColumn(pinned=True),
                   check_label: st.column_config.NumberColumn(format="dollar"),
                   "Link": st.column_config.LinkColumn(
                       "Link", width="large", display_text="open statement",
                       help="Right-click to copy; send each person only their own link.")},
)
st.caption("Send each link privately (e-mail, chat). Anyone holding a link sees that "
           "person's statement until it expires; to cancel every link at once, change the "
           "secret and restart both apps.")
