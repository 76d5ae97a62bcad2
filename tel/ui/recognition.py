"""Recognition, insight before money, and asking the team: the pages' pieces.

* **Notes of thanks** (:mod:`tel.io.recognition`): the owners write them when approving
  (:func:`thanks_inputs`) and read them back (:func:`show_thanks`); the team's note shows on
  the pot page (:func:`team_note_box`), a person's own note on their statement only
  (:func:`personal_note_box`). Every note is shown as text: Markdown-escaped line by line.
* **Shadow quarters** (:class:`tel.core.policy.Shadow`): the team pages say so first
  (:func:`shadow_notice`); owner pages say it in their provenance banner.
* **The pulse**: one anonymous question on the team pages (:func:`pulse_box`), its answers
  for owners only, and only once :data:`~tel.io.recognition.PULSE_MIN_ANSWERS` people have
  answered (:func:`pulse_results`).

The pulse writes to the owners' store (the team server opens the same data folder to read the
approvals): only :meth:`tel.io.store.Store.record_pulse`, which adds a voter key and an
answer and nothing else. When the store cannot be opened or written (a read-only data folder)
the question is not asked, and the page says nothing more: a team page never fails for it.
"""

from __future__ import annotations

import logging
import secrets

import pandas as pd
import streamlit as st

from tel.core.models import Plan
from tel.core.periods import Quarter
from tel.core.policy import SHADOW_WORDS
from tel.engine.quarter import QuarterResult
from tel.io.recognition import (
    PERSON_NOTE_MAX,
    PULSE_COMMENT_MAX,
    PULSE_MIN_ANSWERS,
    PULSE_QUESTION,
    PULSE_SCALE,
    TEAM_NOTE_MAX,
    PulseSummary,
    Thanks,
    link_voter,
    pulse_enabled,
    session_voter,
)
from tel.io.store import AlreadyAnswered, Snapshot, Store, StoreError
from tel.ui.text import md

_LOG = logging.getLogger(__name__)

SESSION_KEY = "pulse.session"  # a random number for this browser session (no identity)
LINK_VOTERS_KEY = "pulse.link_voters"  # quarter -> the voter key of a verified personal link
ANSWERED_KEY = "pulse.answered"  # quarters this session answered


def md_lines(text: str, limit: int = 1000) -> str:
    r"""Multi-line user text for Markdown: each line escaped (:func:`tel.ui.text.md`), line
    breaks kept as Markdown line breaks.

    >>> md_lines("Thanks!\n**bold** [x](http://e)")
    'Thanks\\!  \n\\*\\*bold\\*\\* \\[x\\]\\(http\\:\\/\\/e\\)'
    """
    return "  \n".join(md(line, limit) for line in text[:limit].split("\n"))


# --------------------------------------------------------------------------- notes of thanks


def thanks_inputs(result: QuarterResult, key: str, previous: Thanks | None = None
                  ) -> tuple[str, dict[str, str]]:
    """The owner's notes for an approval, as typed: one for the team, one for any person
    (a table with a note column). ``previous``: the approval in force's notes, to start
    from when approving the quarter again. Checked by the store when approving."""
    start = previous or Thanks()
    st.caption("Recognition works when it is specific and timely. The note for the team is "
               "shown on the team's pot page; a note for a person only on that person's own "
               "statement, personal link and PDF. Both are kept with the approval.")
    team = st.text_area("A note for the whole team (optional)", value=start.team,
                        key=f"{key}.team", max_chars=TEAM_NOTE_MAX, height=90,
                        placeholder="e.g. Thank you all for a record quarter.")
    frame = pd.DataFrame({
        "Name": [p.name for p in result.payouts],
        "Check": [p.total / 100 for p in result.payouts],
        "Note of thanks": [start.for_person(p.name) for p in result.payouts],
    })
    edited = st.data_editor(
        frame, key=f"{key}.people", hide_index=True, width="stretch",
        height=min(420, 38 + 35 * len(frame)), disabled=["Name", "Check"],
        column_config={
            "Name": st.column_config.TextColumn("Name", pinned=True),
            "Check": st.column_config.NumberColumn("Check", format="dollar"),
            "Note of thanks": st.column_config.TextColumn(
                "Note of thanks (only this person sees it)", width="large",
                max_chars=PERSON_NOTE_MAX,
                help="Specific beats general: what they did, and why it mattered."),
        })
    notes = {str(name): str(note) for name, note in zip(edited["Name"], edited["Note of thanks"],
                                                         strict=True)
             if isinstance(note, str) and note.strip()}
    return team, notes


def show_thanks(thanks: Thanks, snapshot: Snapshot) -> None:
    """The notes of an approval, for its owners (everyone's, in a table of text)."""
    if thanks.empty:
        st.caption(f"No note of thanks with approval #{snapshot.id}.")
        return
    with st.expander(f"Notes of thanks with approval #{snapshot.id} "
                     f"({len(thanks.people):,} personal)"):
        if thanks.team:
            st.markdown("**To the whole team** (on the pot page)  \n" + md_lines(thanks.team))
        if thanks.people:
            st.dataframe(pd.DataFrame({"Name": list(thanks.people),
                                       "Note (only this person sees it)":
                                       list(thanks.people.values())}),
                         hide_index=True, width="stretch")


def team_note_box(note: str, approved_by: str) -> None:
    """The approval's note to the whole team, on the pot page."""
    if note:
        st.info(f"**A note from {md(approved_by, 80)}**  \n{md_lines(note)}",
                icon=":material/favorite:")


def personal_note_box(note: str, approved_by: str) -> None:
    """A person's own note of thanks, on their statement (and nowhere else)."""
    if note:
        st.info(f"**{md(approved_by, 80)} wrote to you**  \n{md_lines(note)}",
                icon=":material/favorite:")


# --------------------------------------------------------------------------- shadow


def shadow_notice(quarter: str, plan: Plan) -> None:
    """What a team page says first about a shadow quarter: what the plan would pay, not paid."""
    live = plan.shadow.first_live
    st.warning(f"**{SHADOW_WORDS}.** {quarter} is a trial quarter: the plan is worked out and "
               "shown so everyone can see how it works before it pays. No check is paid for "
               "it" + (f"; the plan pays from {live}." if live else "."),
               icon=":material/visibility:")


# --------------------------------------------------------------------------- the pulse


def _store() -> Store | None:
    """The owners' store for the pulse, or None when it cannot be used here (logged)."""
    from tel.ui.store import get_store  # local: the store opens only when asked

    try:
        store = get_store()
    except Exception:
        _LOG.exception("pulse: the store cannot be opened")
        return None
    return None if store.read_only else store


def remember_link(secret: bytes, name: str, quarter: str) -> None:
    """A verified personal link was opened: this session answers for that person, once a
    quarter, whichever team page it answers on."""
    voters: dict[str, str] = st.session_state.setdefault(LINK_VOTERS_KEY, {})
    voters[str(Quarter.parse(quarter))] = link_voter(secret, name, quarter)


def _voter(quarter: str) -> str:
    linked: dict[str, str] = st.session_state.get(LINK_VOTERS_KEY, {})
    if quarter in linked:
        return linked[quarter]
    nonce = st.session_state.setdefault(SESSION_KEY, secrets.token_hex(16))
    return session_voter(str(nonce), quarter)


def pulse_box(quarter: str) -> None:
    """The one-question pulse for ``quarter``: a score from 1 to 5 and an optional comment,
    once per person (through a personal link) or per browser session. Nothing about anyone
    else's answers is ever sent here."""
    if not pulse_enabled():
        return
    store = _store()
    if store is None:
        return
    q = str(Quarter.parse(quarter))
    voter = _voter(q)
    answered: set[str] = st.session_state.setdefault(ANSWERED_KEY, set())
    with st.container(border=True):
        st.markdown(f"**One question for {q}: {PULSE_QUESTION}**")
        try:
            done = q in answered or store.pulse_answered(q, voter)
        except StoreError:
            _LOG.exception("pulse: the answers of %s could not be read", q)
            return
        if done:
            st.caption(":material/check_circle: Your answer is in: thank you. The owners see "
                       f"only how many gave each answer, once at least {PULSE_MIN_ANSWERS} "
                       "people have answered.")
            return
        st.caption("Anonymous: your answer is kept without your name, once per quarter. The "
                   "owners see only how many gave each answer (and the comments, in no "
                   f"order), once at least {PULSE_MIN_ANSWERS} people have answered.")
        with st.form(f"pulse.form.{q}", border=False):
            labels = dict(PULSE_SCALE)
            score = st.radio(PULSE_QUESTION, list(labels), index=None, horizontal=True,
                             format_func=labels.__getitem__, key=f"pulse.score.{q}",
                             label_visibility="collapsed")
            comment = st.text_area("What would make it clearer, or make you feel appreciated? "
                                   "(optional)", key=f"pulse.comment.{q}", height=80,
                                   max_chars=PULSE_COMMENT_MAX)
            sent = st.form_submit_button("Send my answer", icon=":material/send:")
        if not sent:
            return
        if score is None:
            st.warning("Choose an answer from 1 to 5 first.")
            return
        try:
            store.record_pulse(q, voter, int(score), comment or "")
        except AlreadyAnswered:
            pass  # another tab of the same session or link answered first: it counts once
        except StoreError as exc:
            st.warning(f"Your answer was not kept: {md(str(exc), 200)}.")
            return
        answered.add(q)
        st.rerun()


def pulse_results(summary: PulseSummary) -> None:
    """What owners see of the team's answers for a quarter: nothing below the threshold."""
    q = summary.quarter
    if not summary.shown or summary.counts is None or summary.answers is None:
        st.info(f"Fewer than {PULSE_MIN_ANSWERS} people have answered for {q} (or nobody has): "
                "nothing is shown until at least "
                f"{PULSE_MIN_ANSWERS} have, so no answer can be traced to a person.",
                icon=":material/lock:")
        return
    labels = dict(PULSE_SCALE)
    c1, c2, c3 = st.columns(3)
    c1.metric("Answers", f"{summary.answers:,}", border=True)
    c2.metric("Average", f"{summary.average:.1f} of 5" if summary.average else "—",
              border=True, help="1 = not clear at all, 5 = completely clear.")
    c3.metric("Through a personal link", f"{summary.via_link or 0:,}", border=True,
              help="The others answered without a link, once per browser session: one person "
              "could answer again from another browser.")
    st.dataframe(pd.DataFrame({"Answer": [labels[k] for k in range(1, 6)],
                               "People": list(summary.counts)}),
                 hide_index=True, width="content")
    if summary.comments:
        st.markdown(f"**Comments** ({len(summary.comments):,}, in no particular order)")
        st.dataframe(pd.DataFrame({"Comment": list(summary.comments)}), hide_index=True,
                     width="stretch",
                     column_config={"Comment": st.column_config.TextColumn(width="large")})
