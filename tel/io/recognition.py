"""Recognition and asking the team: notes of thanks kept with an approval, and a one-question
pulse ("How clear is our bonus plan?").

A bonus works when it comes with recognition that is specific and timely, and when the people
it is for are asked what would make them feel appreciated. Both are text people type, so both
follow the rules every text follows here (:func:`tel.core.text.clean_text`: trimmed, NFC, no
control or invisible character; line breaks allowed) and are bounded in length. Pages show
them escaped, as text, never as Markdown or HTML.

**Notes of thanks.** With an approval the owner may write one note for the whole team (shown on
the team's pot page) and one for any person (shown on that person's own statement, personal
link and PDF, and nowhere else). They are stored with the approval, append-only like it
(:meth:`tel.io.store.Store.approve`).

**The pulse.** Anonymous: an answer is a score from 1 to 5 and an optional comment, stored with
no name, no time and under a random key. Who answered is kept apart, as a *voter key*: a keyed
hash of the personal link's person and quarter (:func:`link_voter`), or of a random number
made for one browser session (:func:`session_voter`). The store refuses a second answer for the
same voter and quarter; it cannot tell which answer a voter gave, because the two are never
stored together. Owners see the answers of a quarter only once :data:`PULSE_MIN_ANSWERS` people
have answered, as counts, with the comments in no particular order (:class:`PulseSummary`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from tel.core.periods import Quarter
from tel.core.text import clean_text
from tel.io.links import person_id

__all__ = [
    "PERSON_NOTE_MAX",
    "PULSE_COMMENT_MAX",
    "PULSE_ENV",
    "PULSE_MIN_ANSWERS",
    "PULSE_QUESTION",
    "PULSE_SCALE",
    "TEAM_NOTE_MAX",
    "PulseAnswer",
    "PulseSummary",
    "Thanks",
    "clean_answer",
    "clean_thanks",
    "link_voter",
    "pulse_enabled",
    "session_voter",
    "summarise",
]

TEAM_NOTE_MAX = 1000
"""Characters in the note for the whole team."""
PERSON_NOTE_MAX = 600
"""Characters in one person's note: a specific thank-you, not a review."""
PULSE_QUESTION = "How clear is our bonus plan?"
PULSE_SCALE: tuple[tuple[int, str], ...] = (
    (1, "1 · Not clear at all"),
    (2, "2 · Mostly unclear"),
    (3, "3 · Partly clear"),
    (4, "4 · Mostly clear"),
    (5, "5 · Completely clear"),
)
PULSE_COMMENT_MAX = 500
PULSE_MIN_ANSWERS = 5
"""Owners see nothing of a quarter's answers, not even how many, below this many."""
PULSE_ENV = "TEL_PULSE"
"""``TEL_PULSE=off`` (or ``0``, ``no``, ``false``) takes the question off the team pages."""

_FROZEN = ConfigDict(frozen=True, extra="forbid")


# --------------------------------------------------------------------------- notes of thanks


class Thanks(BaseModel):
    """The notes of thanks of one approval: ``team`` for everyone, ``people`` by roster name.

    >>> t = Thanks(team="Thank you all.", people={"Ann Lee": "The Landry migration."})
    >>> t.for_person("Ann Lee"), t.for_person("Bob Roy"), t.empty
    ('The Landry migration.', '', False)
    """

    model_config = _FROZEN

    team: Annotated[str, Field(max_length=TEAM_NOTE_MAX)] = ""
    people: dict[str, Annotated[str, Field(max_length=PERSON_NOTE_MAX)]] = Field(
        default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.team and not self.people

    def for_person(self, name: str) -> str:
        """``name``'s own note (``""`` when there is none): all a statement may carry."""
        return self.people.get(name, "")


def _note(text: str, what: str, limit: int) -> str:
    try:
        note = clean_text(text, multiline=True)
    except ValueError as exc:
        raise ValueError(f"{what} {exc}") from None
    if len(note) > limit:
        raise ValueError(f"{what} is {len(note):,} characters long (at most {limit:,})")
    return note


def clean_thanks(team: str, people: Mapping[str, str], names: Iterable[str]) -> Thanks:
    """Notes as typed -> :class:`Thanks`, by the text rules and the length limits; a blank
    note is left out. ``names`` are the roster's: a note for anyone else is refused. Raises
    ``ValueError`` naming every problem.

    >>> clean_thanks("  Thank you!  ", {"Ann": "Great work", "Bob": "  "}, ["Ann", "Bob"])
    Thanks(team='Thank you!', people={'Ann': 'Great work'})
    >>> clean_thanks("", {"Zed": "hi", "Ann": "x" * 601}, ["Ann"])
    Traceback (most recent call last):
    ...
    ValueError: a note is for Zed, who is not on the roster; the note for Ann is 601 characters long (at most 600)
    """  # noqa: E501
    problems: list[str] = []
    out: dict[str, str] = {}
    known = set(names)
    try:
        team_note = _note(team, "the note for the team", TEAM_NOTE_MAX)
    except ValueError as exc:
        problems.append(str(exc))
        team_note = ""
    for name, text in people.items():
        if name not in known:
            problems.append(f"a note is for {name[:60]}, who is not on the roster")
            continue
        try:
            note = _note(text, f"the note for {name[:60]}", PERSON_NOTE_MAX)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if note:
            out[name] = note
    if problems:
        raise ValueError("; ".join(problems))
    return Thanks(team=team_note, people=out)


# --------------------------------------------------------------------------- the pulse


def pulse_enabled(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the team pages ask the question (``TEL_PULSE=off`` turns it off).

    >>> pulse_enabled({}), pulse_enabled({"TEL_PULSE": "off"}), pulse_enabled({"TEL_PULSE": "1"})
    (True, False, True)
    """
    raw = (os.environ if environ is None else environ).get(PULSE_ENV, "").strip().lower()
    return raw not in ("off", "0", "no", "false")


class PulseAnswer(BaseModel):
    """One answer: a score from 1 to 5 and an optional comment. No name, no time."""

    model_config = _FROZEN

    score: Annotated[int, Field(ge=1, le=5)]
    comment: Annotated[str, Field(max_length=PULSE_COMMENT_MAX)] = ""


def clean_answer(score: int, comment: str = "") -> PulseAnswer:
    """An answer as given -> :class:`PulseAnswer`; ``ValueError`` in plain words.

    >>> clean_answer(4, "  More examples, please ")
    PulseAnswer(score=4, comment='More examples, please')
    >>> clean_answer(6)
    Traceback (most recent call last):
    ...
    ValueError: the answer must be a whole number from 1 to 5
    """
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise ValueError("the answer must be a whole number from 1 to 5")
    return PulseAnswer(score=score, comment=_note(comment, "the comment", PULSE_COMMENT_MAX))


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def link_voter(secret: bytes, name: str, quarter: Quarter | str) -> str:
    """The voter key of a personal link's person for ``quarter``: ``l:`` and a keyed hash
    (HMAC-SHA256 with a key of its own derived from the link secret) of the link's opaque
    person id and the quarter. No name is stored; without the secret the key says nothing.

    >>> s = b"k" * 32
    >>> v = link_voter(s, "Ann Lee", "2026-Q3")
    >>> v.startswith("l:"), v == link_voter(s, "Ann Lee", "2026-q3"), "Ann" in v
    (True, True, False)
    >>> v == link_voter(s, "Ann Lee", "2026-Q4")
    False
    """
    q = str(quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter))
    key = hmac.new(secret, b"tel-pulse/voter/v1", hashlib.sha256).digest()
    message = f"{person_id(secret, name)}\x00{q}".encode()
    return "l:" + _b64(hmac.new(key, message, hashlib.sha256).digest()[:18])


def session_voter(nonce: str, quarter: Quarter | str) -> str:
    """The voter key of a browser session without a personal link: ``s:`` and a hash of a
    random number made for that session (``secrets.token_hex``) and the quarter.

    >>> v = session_voter("ab" * 16, "2026-Q3")
    >>> v.startswith("s:"), v == session_voter("ab" * 16, "2026-Q3"), len(v)
    (True, True, 26)
    """
    q = str(quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter))
    return "s:" + _b64(hashlib.sha256(f"tel-pulse/session/v1\x00{nonce}\x00{q}".encode())
                       .digest()[:18])


class PulseSummary(BaseModel):
    """What owners see of a quarter's answers. Below :data:`PULSE_MIN_ANSWERS` answers,
    nothing (``shown`` False; no count, no score, no comment); from then on the number of
    answers, how many gave each score, how many came through a personal link, and the
    comments in no particular order."""

    model_config = _FROZEN

    quarter: str
    shown: bool
    answers: int | None = None
    counts: tuple[int, int, int, int, int] | None = None  # answers giving 1, 2, 3, 4, 5
    via_link: int | None = None
    comments: tuple[str, ...] = ()

    @property
    def average(self) -> float | None:
        """The mean score (display only), None when hidden."""
        if self.counts is None or not self.answers:
            return None
        return sum(s * n for s, n in zip(range(1, 6), self.counts, strict=True)) / self.answers


def summarise(quarter: str, scores: Sequence[int], comments: Sequence[str],
              via_link: int) -> PulseSummary:
    """The owners' view of a quarter's answers (``comments`` already in random order).

    >>> summarise("2026-Q3", [5, 4], ["x"], 2)
    PulseSummary(quarter='2026-Q3', shown=False, answers=None, counts=None, via_link=None, comments=())
    >>> s = summarise("2026-Q3", [5, 4, 4, 3, 5], ["More examples"], 3)
    >>> s.answers, s.counts, s.via_link, s.average
    (5, (0, 0, 1, 2, 2), 3, 4.2)
    """  # noqa: E501
    if len(scores) < PULSE_MIN_ANSWERS:
        return PulseSummary(quarter=quarter, shown=False)
    counts = tuple(sum(1 for s in scores if s == k) for k in range(1, 6))
    assert len(counts) == 5
    return PulseSummary(quarter=quarter, shown=True, answers=len(scores),
                        counts=(counts[0], counts[1], counts[2], counts[3], counts[4]),
                        via_link=via_link, comments=tuple(c for c in comments if c))
