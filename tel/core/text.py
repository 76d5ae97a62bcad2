r"""User text (names, departments, scenario names, notes): one set of rules wherever it enters,
and escaping for wherever it is drawn.

Entering. Every way text gets in (roster files and uploads through :mod:`tel.io.loaders`, the
fixing table through the same loaders, scenario JSON through :class:`tel.core.models.Person`, saved
scenario names and notes in :mod:`tel.io.store`) calls :func:`clean_text` or :func:`clean_name`:

* surrounding whitespace is stripped and the text is stored in Unicode NFC (so ``Renée``
  typed on a Mac, where the accent is a separate character, is the same text as on Windows);
* control and invisible characters are refused with the character named: C0/C1 controls (a
  bare CR, LF, tab, NUL, ...), format characters (zero-width space U+200B, soft hyphen, BOM,
  bidi controls such as U+202E), lone surrogates and the line/paragraph separators. A note may
  hold line breaks and tabs (``multiline=True``).

Names are compared by :func:`name_key`: NFC, invisible characters removed, case folded, runs of
spaces as one; two people with the same key are duplicates.

Drawing. Plotly renders a subset of HTML in every text it draws (``<a href>``, ``<b>``,
``<br>``), so a name goes through :func:`plotly_text` before it reaches a figure. Markdown
contexts of Streamlit use :func:`tel.ui.text.md`; spreadsheets :func:`tel.io.exports.neutralise`.

>>> clean_name("  Rene\u0301e  ") == "Ren\u00e9e"
True
>>> clean_name("Ann\r=1+1")
Traceback (most recent call last):
...
ValueError: holds a carriage return (U+000D); expected text on one line, without control or invisible characters
>>> name_key("Ren\u00e9e") == name_key("RENE\u0301E"), name_key("Ann") == name_key("An\u200bn")
(True, True)
"""  # noqa: E501

from __future__ import annotations

import unicodedata

__all__ = ["clean_name", "clean_text", "forbidden", "name_key", "plotly_text", "visible"]

_REFUSED = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_WORDS = {
    "\r": "a carriage return",
    "\n": "a line break",
    "\t": "a tab",
    "\x00": "a NUL character",
    "\u200b": "a zero-width space",
    "\u00ad": "a soft hyphen",
    "\ufeff": "a byte-order mark",
    "\u2028": "a line separator",
    "\u2029": "a paragraph separator",
}


def _describe(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if char in _WORDS:
        return f"{_WORDS[char]} ({code})"
    if char in _BIDI:
        return f"a text-direction control ({code})"
    kind = unicodedata.category(char)
    if kind == "Cc":
        return f"a control character ({code})"
    if kind == "Cs":
        return f"a broken character ({code})"
    return f"an invisible character ({code})"


def forbidden(text: str, *, multiline: bool = False) -> str | None:
    r"""What is wrong with ``text`` in words (its first refused character), or ``None``.

    >>> forbidden("Ann"), forbidden("An\u200bn"), forbidden("a\nb", multiline=True)
    (None, 'holds a zero-width space (U+200B)', None)
    >>> forbidden("Bob\u202e")
    'holds a text-direction control (U+202E)'
    """
    for char in text:
        if multiline and char in "\n\t":
            continue
        if unicodedata.category(char) in _REFUSED:
            return f"holds {_describe(char)}"
    return None


def visible(text: str) -> str:
    r"""``text`` with every refused character shown as its code, for a message that quotes it
    (a quoted cell must not break the message's line or hide what is wrong).

    >>> print(visible("Ann\r=1"), visible("An\u200bn"), visible("R\u00e9n\u00e9e"))
    Ann\x0d=1 An\u200bn Rénée
    """
    if text.isprintable():
        return text
    return "".join(_code(c) if unicodedata.category(c) in _REFUSED else c for c in text)


def _code(char: str) -> str:
    n = ord(char)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"


def clean_text(text: str, *, multiline: bool = False) -> str:
    r"""``text`` stripped and in NFC; ``ValueError`` in plain words if it holds a control or
    invisible character (line breaks and tabs are allowed when ``multiline``; CRLF becomes LF).

    >>> clean_text("  R&D  "), clean_text("one\r\ntwo", multiline=True)
    ('R&D', 'one\ntwo')
    """
    if multiline:
        text = text.replace("\r\n", "\n")
    text = unicodedata.normalize("NFC", text).strip()
    problem = forbidden(text, multiline=multiline)
    if problem:
        where = "" if multiline else " on one line,"
        raise ValueError(
            f"{problem}; expected text{where} without control or invisible characters"
        )
    return text


def clean_name(text: str) -> str:
    """A person's name by the rules of :func:`clean_text`, and not blank."""
    name = clean_text(text)
    if not name:
        raise ValueError("is blank")
    return name


def name_key(text: str) -> str:
    r"""What two names are compared by: NFC, invisible characters removed, case folded,
    whitespace collapsed (Unicode's canonical caseless match, plus the invisibles).

    >>> name_key("  Mary  ANN\u00ad ") == name_key("mary ann")
    True
    """
    visible = "".join(
        " " if c.isspace() else c
        for c in unicodedata.normalize("NFD", text)
        if c.isspace() or unicodedata.category(c) not in _REFUSED
    )
    return unicodedata.normalize("NFC", " ".join(visible.casefold().split()))


def plotly_text(text: str) -> str:
    """User text for a plotly figure (labels, tick labels, hover text, titles): ``&``, ``<``
    and ``>`` as entities, which plotly shows as the characters, so no tag in a name is drawn.

    >>> plotly_text('<a href="https://x.example">Ann</a> & co')
    '&lt;a href="https://x.example"&gt;Ann&lt;/a&gt; &amp; co'
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
