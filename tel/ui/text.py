"""Text a user or a file supplied, made safe to show in places that render Markdown.

Streamlit never renders raw HTML unless asked (and this app never asks for uploaded text),
but labels, captions and alerts do render Markdown: a scenario name or a file name such as
``![x](http://tracker/)`` would fetch an image. ``md`` escapes every Markdown character.
Prefer ``st.text``/``st.dataframe`` for longer user text.
"""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def md(text: str, limit: int = 120) -> str:
    r"""One line of plain text for a Markdown context: controls dropped, long text cut.

    >>> md("![x](http://e/)")
    '\\!\\[x\\]\\(http\\:\\/\\/e\\/\\)'
    >>> md("Q3 plan: 30% house")
    'Q3 plan\\: 30% house'
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
    from tel.money import format_money

    return format_money(cents).replace("$", "\\$")
