"""The few spreadsheet formulas accounting exports write, evaluated exactly in ``Decimal``.

QuickBooks Online writes its totals as formulas (``=B23-B26``, ``=(B10)+(B11)``), QuickBooks
Desktop as ``=ROUND(SUM(F5:F8),5)``, and Xero's cached results can be stale (a ``0.00`` that
was never recalculated). So a total is recomputed from the cells it names, in exact decimals,
never from the binary float the workbook caches. Only what these exports use is understood:
numbers, cell references (``B7``, ``$B$7``), ranges inside ``SUM``, ``+ - * /``, parentheses,
``SUM`` and ``ROUND``. Anything else (another sheet, text, other functions) is
:class:`Unsupported`, and the caller falls back to the cached value.

>>> cells = {(1, 2): Decimal("0.10"), (2, 2): Decimal("0.20")}
>>> evaluate("=ROUND(SUM(B1:B2),5)-B1", lambda r, c: cells.get((r, c), Decimal(0)))
Decimal('0.20000')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

__all__ = ["Unsupported", "column_index", "evaluate"]

Lookup = Callable[[int, int], Decimal]
"""(row, column) -> the cell's exact value (1-based, as in A1 notation)."""

_TOKEN = re.compile(
    r"\s*(?:(?P<ref>\$?[A-Z]{1,3}\$?\d{1,7}(?::\$?[A-Z]{1,3}\$?\d{1,7})?)"
    r"|(?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)"
    r"|(?P<fn>[A-Z][A-Z0-9.]*)\s*\("
    r"|(?P<op>[-+*/(),]))",
    re.I,
)
_MAX_TOKENS = 20_000
_MAX_RANGE = 1_000_000


class Unsupported(ValueError):
    """A formula this reader does not evaluate (the cached value is used instead)."""


def column_index(letters: str) -> int:
    """``A`` -> 1, ``AB`` -> 28.

    >>> column_index("A"), column_index("AB"), column_index("$c")
    (1, 28, 3)
    """
    n = 0
    for ch in letters.upper().strip("$"):
        n = n * 26 + ord(ch) - 64
    return n


def _cell(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d{1,7})", ref, re.I)
    if not m:  # pragma: no cover - the tokenizer admits only these
        raise Unsupported(ref)
    return int(m.group(2)), column_index(m.group(1))


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise Unsupported(f"cannot read {text[pos:pos + 20]!r}")
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
        if len(out) > _MAX_TOKENS:
            raise Unsupported("formula too long")
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], lookup: Lookup) -> None:
        self.tokens = tokens
        self.i = 0
        self.lookup = lookup

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise Unsupported("formula ends too soon")
        self.i += 1
        return token

    def expect(self, op: str) -> None:
        kind, text = self.take()
        if kind != "op" or text != op:
            raise Unsupported(f"expected {op!r}")

    def expr(self) -> Decimal:
        value = self.term()
        while (t := self.peek()) is not None and t[0] == "op" and t[1] in "+-":
            self.take()
            value = value + self.term() if t[1] == "+" else value - self.term()
        return value

    def term(self) -> Decimal:
        value = self.factor()
        while (t := self.peek()) is not None and t[0] == "op" and t[1] in "*/":
            self.take()
            other = self.factor()
            if t[1] == "*":
                value = value * other
            else:
                if other == 0:
                    raise Unsupported("division by zero")
                value = value / other
        return value

    def factor(self) -> Decimal:
        kind, text = self.take()
        if kind == "op" and text in "+-":
            value = self.factor()
            return -value if text == "-" else value
        if kind == "op" and text == "(":
            value = self.expr()
            self.expect(")")
            return value
        if kind == "num":
            return Decimal(text)
        if kind == "ref":
            if ":" in text:
                raise Unsupported("a range outside SUM")
            return self.lookup(*_cell(text))
        if kind == "fn":
            return self.function(text.upper())
        raise Unsupported(f"unexpected {text!r}")

    def arguments(self) -> list[list[Decimal]]:
        """Each argument as the list of values it stands for (a range: all its cells)."""
        args: list[list[Decimal]] = []
        if (t := self.peek()) is not None and t == ("op", ")"):
            self.take()
            return args
        while True:
            t = self.peek()
            nxt = self.tokens[self.i + 1] if self.i + 1 < len(self.tokens) else None
            if t is not None and t[0] == "ref" and ":" in t[1] and (
                    nxt is None or (nxt[0] == "op" and nxt[1] in ",)")):
                self.take()
                args.append(self.range(t[1]))
            else:
                args.append([self.expr()])
            kind, text = self.take()
            if kind == "op" and text == ")":
                return args
            if kind != "op" or text != ",":
                raise Unsupported("expected ',' or ')'")

    def range(self, text: str) -> list[Decimal]:
        a, b = text.split(":")
        (r1, c1), (r2, c2) = _cell(a), _cell(b)
        r1, r2 = sorted((r1, r2))
        c1, c2 = sorted((c1, c2))
        if (r2 - r1 + 1) * (c2 - c1 + 1) > _MAX_RANGE:
            raise Unsupported("range too large")
        return [self.lookup(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]

    def function(self, name: str) -> Decimal:
        args = self.arguments()
        if name == "SUM":
            return sum((v for arg in args for v in arg), Decimal(0))
        if name == "ROUND" and len(args) == 2 and len(args[0]) == len(args[1]) == 1:
            places = args[1][0]
            if places != places.to_integral_value() or not -10 <= places <= 10:
                raise Unsupported("ROUND places")
            # Excel rounds half away from zero: Decimal's ROUND_HALF_UP
            return args[0][0].quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
        raise Unsupported(f"function {name}")


def evaluate(formula: str, lookup: Lookup) -> Decimal:
    """The exact value of ``formula`` (with or without its leading ``=``).

    ``lookup`` gives each referenced cell's exact value (a blank cell is 0); it may raise
    :class:`Unsupported` (a text cell, a circular reference), as does any formula outside the
    small grammar above.

    >>> evaluate("=(B1)+(B2)", lambda r, c: Decimal("1.10") * r)
    Decimal('3.30')
    >>> evaluate("=B1&B2", lambda r, c: Decimal(0))
    Traceback (most recent call last):
    ...
    tel.io.books.formula.Unsupported: cannot read '&B2'
    """
    text = formula.strip()
    text = text[1:] if text.startswith("=") else text
    parser = _Parser(_tokens(text), lookup)
    try:
        with localcontext() as ctx:
            ctx.prec = 40
            value = parser.expr()
    except (InvalidOperation, ArithmeticError) as exc:
        raise Unsupported(str(exc)) from None
    if parser.peek() is not None:
        raise Unsupported("unexpected text after the formula")
    return value
