"""What a loader answers: the value read and every problem found, each naming file, row and column.

Kept apart from the loaders so the plan file and the spreadsheet readers both build on it
without importing each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from pydantic_core import ErrorDetails

from tel.core.text import visible

__all__ = ["HasProblems", "InputError", "Loaded", "Problem", "Severity", "plain_message"]

T = TypeVar("T")
Severity = Literal["error", "warning"]


def _clean(text: str) -> str:
    """One printable line: control characters, invisible and bidi characters shown as codes
    (a file name may hold a newline)."""
    return visible(text)


# --- problems and results ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or worth a look) in one input file.

    ``row`` is the spreadsheet row (header = 1, first data row = 2), ``None`` for whole-file
    problems; ``column`` a column name, or ``"[section] key"`` in a plan file; ``line`` a line
    of a text file (TOML), when known.

    >>> print(Problem("roster.csv", 4, "salary", "'12x' is not an amount of money"))
    roster.csv row 4, column salary: '12x' is not an amount of money
    >>> print(Problem("plan.toml", None, "[split] house_pct", "must be at most 100", line=7))
    plan.toml line 7, [split] house_pct: must be at most 100
    """

    file: str
    row: int | None
    column: str | None
    message: str
    severity: Severity = "error"
    line: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        where: list[str] = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(self.column if self.column.startswith("[") else f"column {self.column}")
        place = _clean(self.file) + (" " + ", ".join(where) if where else "")
        return f"{place}: {_clean(self.message)}"


class HasProblems:
    """Anything that carries ``problems``: its errors and its warnings."""

    __slots__ = ()
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.is_error)


@dataclass(frozen=True, slots=True)
class Loaded(HasProblems, Generic[T]):
    """A loader's answer: the value (``None`` when there is any error) and every problem."""

    value: T | None
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.value is not None and not self.errors

    def unwrap(self) -> T:
        """The value, or :class:`InputError` carrying the errors."""
        if self.value is None or self.errors:
            raise InputError(self.errors or self.problems)
        return self.value


class InputError(Exception):
    """Bad input, with every :class:`Problem` found; ``str()`` gives one line per problem."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid input")



def plain_message(error: ErrorDetails) -> str:
    """A pydantic error in plain words, without the value or the field name.

    >>> from pydantic import ValidationError
    >>> from tel.core.models import Plan
    >>> try:
    ...     Plan(house_pct=120)
    ... except ValidationError as exc:
    ...     print(plain_message(exc.errors()[0]))
    must be at most 100
    """
    kind = error["type"]
    ctx = error.get("ctx") or {}
    words: dict[str, str] = {
        "greater_than_equal": "must be at least {ge}",
        "greater_than": "must be more than {gt}",
        "less_than_equal": "must be at most {le}",
        "less_than": "must be less than {lt}",
        "decimal_max_places": "has more than {decimal_places} decimal places",
        "decimal_max_digits": "has more than {max_digits} digits",
        "decimal_whole_digits": "has more than {whole_digits} digits before the point",
        "string_too_long": "is longer than {max_length} characters",
        "string_too_short": "is blank",
        "finite_number": "must be a finite number, not NaN or infinity",
        "int_type": "must be a whole number",
        "int_parsing": "must be a whole number",
        "int_from_float": "must be a whole number",
        "decimal_type": "must be a number",
        "decimal_parsing": "must be a number",
        "bool_type": "must be true or false",
        "bool_parsing": "must be true or false",
        "date_type": "must be a date",
        "date_parsing": "must be a date",
        "date_from_datetime_parsing": "must be a date",
        "missing": "is required",
        "extra_forbidden": "is not a known field",
        "enum": "must be one of {expected}",
    }
    if kind in words:
        try:
            return words[kind].format(**ctx)
        except (KeyError, IndexError):  # pragma: no cover - pydantic always fills ctx here
            pass
    message = str(error.get("msg", "is not valid"))
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


