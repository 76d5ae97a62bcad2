"""Text a user or a file supplied, made safe to show in places that render Markdown.

Streamlit never renders raw HTML unless asked (and this app never asks for uploaded text),
but labels, captions and alerts do render Markdown: a scenario name or a file name such as
``![x](http://tracker/)`` would fetch an image. ``md`` escapes every Markdown character,
``<`` ``>`` (no tag) and ``&`` (no entity) included, so user text reads exactly as typed; use
it wherever a name, scenario name, note, file name or a problem that quotes a cell goes into
``st.markdown``, an alert, a toast, a caption, a heading or a widget or metric label.
Prefer ``st.text``/``st.dataframe`` for longer user text. Charts: :func:`tel.core.text.plotly_text`.
"""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=&])")
_CONTROL = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)


def md(text: str, limit: int = 120) -> str:
    r"""One line of plain text for a Markdown context: controls dropped, long text cut.

    >>> md("![x](http://e/)")
    '\\!\\[x\\]\\(http\\:\\/\\/e\\/\\)'
    >>> md("Q3 plan: 30% house")
    'Q3 plan\\: 30% house'
    >>> md("R&D <b>Ops</b>")
    'R\\&D \\<b\\>Ops\\<\\/b\\>'
    """
    one = _CONTROL.sub(" ", text)
    if len(one) > limit:
        one = one[: limit - 1] + "…"
    return _MD_SPECIAL.sub(r"\\\1", one).replace("/", "\\/")


def md_money(cents: int) -> str:
    r"""Money for a Markdown context: ``$`` escaped, so two amounts on a line never read as
    a LaTeX formula.

    >>> md_money(1209000)
    '\\$12,090.00'
    """
    from tel.core.money import format_money

    return format_money(cents).replace("$", "\\$")
