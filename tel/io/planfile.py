"""The plan file: :class:`~tel.core.models.Plan` <-> TOML text in the spec's section-8 layout.

>>> text = plan_to_toml(Plan())
>>> print(text, end="")
[threshold]                # monthly dollars
overhead = 50000
debt_service = 4000
owner_retention = 2000
ni_retention = 6000
<BLANKLINE>
[split]                    # percentages
house_pct = 25
team_pct = 50
<BLANKLINE>
[gates]
min_cash = 50000
max_ar90_pct = 10
<BLANKLINE>
[eligibility]
min_months = 9
<BLANKLINE>
[calendar]
pay_day = 15
pay_day_rule = "previous_business_day"
fiscal_year_start = 1
>>> plan_from_toml(text).unwrap() == Plan()
True

Reading (:func:`plan_from_toml`):

* **The company's own figures must be present** (:data:`REQUIRED`: the four threshold
  amounts, ``house_pct``, ``team_pct``, ``min_cash`` and ``max_ar90_pct``): a file without
  one is an error naming it (a whole missing section is one error), never the source's
  numbers. Only ``min_months``, ``pay_day``, ``pay_day_rule`` and ``fiscal_year_start`` may
  be left out; they take the Plan defaults (9 months, pay day 15, a weekend pay day moved to
  the previous business day, fiscal year from January). An empty file is an error.
* Arrays or inline tables nested more than :data:`MAX_NESTING` deep are refused before
  parsing, with the line (a plan has no arrays; deep nesting would exhaust the parser).
* Money amounts must be under :data:`tel.core.money.MONEY_LIMIT` ($10 billion) in size.
* Unknown sections and keys are *errors*, not warnings: a typo such as ``house_pc = 30``
  would otherwise pay out with the default 25% and nobody would notice. A known key in the
  wrong section is an error that names the right one.
* Money and percentages may be TOML integers, floats or quoted decimals (``"50000.50"``,
  ``"$50,000"``). A float is read through its shortest decimal text, so ``0.1`` is exactly
  ``0.1``. Whole-number settings (``min_months``, ``pay_day``, ``fiscal_year_start``) must be
  TOML integers. Booleans, dates, arrays and tables are refused where a number belongs.
  ``pay_day_rule`` is a string: ``"previous_business_day"``, ``"next_business_day"`` or
  ``"exact"`` (see :mod:`tel.core.periods`).
* Every problem is reported, each with the ``[section] key`` and, when it can be found, the
  line; invalid TOML syntax is one error with its line.

Writing (:func:`plan_to_toml`): whole numbers as TOML integers; other values as TOML floats
(money keeps its cents: ``50000.50``) when the float reads back as exactly the same decimal,
else as a quoted decimal string. So ``plan_from_toml(plan_to_toml(p)).value == p`` for every
valid plan, and writing what was read gives the same text again.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from pydantic import ValidationError

from tel.core.models import Plan
from tel.core.money import MONEY_LIMIT, format_money, parse_money, to_cents
from tel.core.policy import (
    BY_PLACE,
    FIELDS,
    REQUIRED,
    SECTIONS,
    PlanField,
    field_at,
    nested,
    value_of,
)
from tel.io.problems import Loaded, Problem, plain_message

__all__ = ["MAX_NESTING", "REQUIRED", "SECTIONS", "plan_from_toml", "plan_to_toml"]

MAX_NESTING = 32
"""Arrays and inline tables nested deeper than this are refused before the file is parsed (a
plan has no arrays at all; 600 nested ones would exhaust the TOML parser's recursion)."""

# Everything below is read off the one description of the plan's fields (tel.core.policy).
_COMMENTS = {"threshold": "monthly dollars", "split": "percentages"}
_KIND = {f.key: f.kind for f in FIELDS}  # keys are unique across sections
_SECTION_OF = {f.key: f.section for f in FIELDS}


def _hint(field: PlanField) -> str:
    if field.kind == "choice":
        words = [f'"{value}"' for value, _ in field.choices]
        return "one of " + ", ".join(words[:-1]) + f" or {words[-1]}"
    return field.hint


_I64 = 2**63


# --- writing ---------------------------------------------------------------------------------


def _number_text(value: Decimal, money: bool) -> str:
    """A TOML value for ``value`` that reads back as exactly the same decimal.

    >>> _number_text(Decimal("50000"), True), _number_text(Decimal("50000.5"), True)
    ('50000', '50000.50')
    >>> _number_text(Decimal("12.3450"), False), _number_text(Decimal("12345678901234567.89"), True)
    ('12.345', '"12345678901234567.89"')
    """
    if value == value.to_integral_value():
        whole = int(value)
        return str(whole) if -_I64 <= whole < _I64 else f'"{whole}"'
    text = format(value.quantize(Decimal("0.01")) if money else value.normalize(), "f")
    if Decimal(repr(float(text))) == value:  # float ok: will TOML read it back exactly?
        return text
    return f'"{text}"'  # more digits than a TOML float carries exactly


def plan_to_toml(plan: Plan) -> str:
    """The plan as TOML text, in the spec's section-8 layout (see the module docstring). A
    part-two setting at its default is left out (and a section with nothing left in it), so
    a plan without variants reads exactly as part one writes it."""
    blocks: list[str] = []
    defaults = Plan()
    for section, keys in SECTIONS.items():
        head = f"[{section}]"
        if section in _COMMENTS:
            head = f"{head:<26} # {_COMMENTS[section]}"
        lines = [head]
        for key in keys:
            field = BY_PLACE[(section, key)]
            value = value_of(plan, field)
            if field.variant and value == value_of(defaults, field):
                continue
            if isinstance(value, str):  # a choice of words
                text = f'"{value}"'
            elif isinstance(value, int):
                text = str(value)
            else:
                assert isinstance(value, Decimal)
                text = _number_text(value, field.kind == "money")
            lines.append(f"{key} = {text}")
        if len(lines) > 1:
            blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


# --- reading ---------------------------------------------------------------------------------


class _Bad(ValueError):
    pass


def _toml_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, datetime | date | time):
        return "a date or time"
    return "a number"


def _shown(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value).lower()
    if isinstance(value, dict | list):
        text = _toml_type(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _to_value(field: PlanField, value: object) -> Decimal | int | str:
    """A TOML value -> what ``Plan`` expects for ``field``, or ``_Bad`` saying what's wrong."""
    if field.kind == "choice":
        what = "a pay-day rule" if field.key == "pay_day_rule" else "one of the choices"
        if not isinstance(value, str):
            raise _Bad(f"{_shown(value)} is {_toml_type(value)}, not {what}")
        word = value.strip().lower().replace("-", "_").replace(" ", "_")
        if word not in {v for v, _ in field.choices}:
            raise _Bad(f"{_shown(value)} is not {what}")
        return word
    if field.kind == "quarter":  # validated by the plan: "2026-q1" reads as 2026-Q1
        if not isinstance(value, str):
            raise _Bad(f"{_shown(value)} is {_toml_type(value)}, not a quarter in quotes")
        return value
    read = _read_value(field.key, value)
    if field.kind == "money" and abs(Decimal(read)) >= MONEY_LIMIT:  # see tel.core.money
        limit = format_money(to_cents(MONEY_LIMIT), cents_shown=False)
        raise _Bad(f"{_shown(value)} is too large: any amount must be under {limit}")
    return read


def _read_value(key: str, value: object) -> Decimal | int:
    if _KIND[key] == "whole":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            raise _Bad(f"{_shown(value)} is written as a decimal")
        if isinstance(value, float):
            raise _Bad(f"{_shown(value)} is not a whole number")
        raise _Bad(f"{_shown(value)} is {_toml_type(value)}, not a whole number")
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _Bad(f"{_shown(value)} is {_toml_type(value)}, not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):  # float ok: TOML
            raise _Bad(f"{_shown(value)} is not a finite number")
        return Decimal(repr(value))  # shortest text that reads back: 0.1 is exactly 0.1
    if _KIND[key] == "money":
        try:
            return parse_money(value)
        except ValueError:
            raise _Bad(f"{_shown(value)} is not an amount of money") from None
    text = value.strip().removesuffix("%").strip()
    if not re.fullmatch(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", text):
        raise _Bad(f"{_shown(value)} is not a number")
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain decimals
        raise _Bad(f"{_shown(value)} is not a number") from None


_HEADER_RE = re.compile(r"^\s*\[\s*([A-Za-z0-9_-]+)\s*\]")
_KEY_RE = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*(?:\.\s*([A-Za-z0-9_-]+)\s*)?=")


def _lines_of(text: str) -> dict[tuple[str, str], int]:
    """Best-effort line numbers: ``(section, key)`` -> line, ``(section, "")`` -> header line."""
    where: dict[tuple[str, str], int] = {}
    section = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER_RE.match(line)
        if header:
            section = header.group(1)
            where.setdefault((section, ""), number)
            continue
        key = _KEY_RE.match(line)
        if key:
            if key.group(2) and not section:  # a dotted key at the top: split.house_pct = 25
                where.setdefault((key.group(1), key.group(2)), number)
            else:
                where.setdefault((section, key.group(1)), number)
    return where


def _syntax_problem(exc: tomllib.TOMLDecodeError, filename: str) -> Problem:
    message = str(exc)
    line: int | None = None
    m = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if m:
        line = int(m.group(1))
        message = f"{message[: m.start()]} (column {m.group(2)})"
    message = message.replace(" (at end of document)", " at the end of the file")
    message = message[:1].lower() + message[1:]
    return Problem(
        filename,
        None,
        None,
        f"is not valid TOML: {message}; expected [section] headers and lines like `house_pct = 25`",
        line=line,
    )


_NEST_TOKEN = re.compile("|".join(["'''", '"""', r"[\"'#\n\[\]{}]"]))
_STRING_END = {
    '"""': re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""', re.DOTALL),
    "'''": re.compile(r"(?:[^']|'(?!''))*'''"),
    '"': re.compile(r'(?:[^"\\\n]|\\.)*"'),
    "'": re.compile(r"[^'\n]*'"),
}


def _too_deep(text: str, limit: int) -> int | None:
    """The line where arrays and inline tables first nest deeper than ``limit``, else None.

    Brackets inside strings and comments do not count. A rough scan, made before parsing: it
    only has to be right about files that nest deeply, and a plan nests nothing.

    >>> _too_deep("[gates]\\nx = " + "[" * 40 + "]" * 40, 32), _too_deep("x = [[1], {a = 2}]", 32)
    (2, None)
    >>> _too_deep('x = "' + "[" * 40 + '" # ' + "{" * 40, 32)
    """
    if text.count("[") + text.count("{") <= limit:
        return None
    depth, line, pos = 0, 1, 0
    while (token := _NEST_TOKEN.search(text, pos)) is not None:
        kind, pos = token.group(), token.end()
        if kind == "\n":
            line += 1
        elif kind == "#":
            end = text.find("\n", pos)
            pos = len(text) if end < 0 else end
        elif kind in _STRING_END:
            closed = _STRING_END[kind].match(text, pos)
            end = closed.end() if closed else pos
            line += text.count("\n", pos, end)
            pos = end
        elif kind in "[{":
            depth += 1
            if depth > limit:
                return line
        else:
            depth = max(0, depth - 1)
    return None


def _deep_problem(filename: str, line: int | None) -> Problem:
    return Problem(
        filename,
        None,
        None,
        f"is nested too deeply (arrays or inline tables more than {MAX_NESTING} levels deep); "
        "expected [section] headers and lines like `house_pct = 25`",
        line=line,
    )


def _suggest(key: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(key, choices, n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def _required_in(section: str) -> list[str]:
    return [key for key in SECTIONS[section] if key in REQUIRED]


_REQUIRED_IN = [section for section in SECTIONS if _required_in(section)]


def _missing(document: dict[str, object], seen: set[str], filename: str) -> list[Problem]:
    """The company's figures that the file does not give: a whole section in one problem."""
    out: list[Problem] = []
    for section in _REQUIRED_IN:
        missing = [key for key in _required_in(section) if key not in seen]
        if not missing or (section in document and not isinstance(document[section], dict)):
            continue  # a section that is not a table was reported already
        if section not in document and len(missing) == len(_required_in(section)):
            names = ", ".join(missing[:-1]) + f" and {missing[-1]}"
            message = f"is missing; expected the section with the company's own {names}"
            out.append(Problem(filename, None, f"[{section}]", message))
            continue
        for key in missing:
            hint = _hint(BY_PLACE[(section, key)])
            message = f"is missing; expected the company's own figure: {hint}"
            out.append(Problem(filename, None, f"[{section}] {key}", message))
    return out


def plan_from_toml(text: str, filename: str = "plan.toml") -> Loaded[Plan]:
    """TOML text -> a validated plan, reporting every problem (see the module docstring).

    >>> r = plan_from_toml("[split]\\nhouse_pc = 30\\nteam_pct = 120\\n[gates]\\nmin_cash = 0\\n")
    >>> for p in r.problems: print(p)
    plan.toml [threshold]: is missing; expected the section with the company's own overhead, debt_service, owner_retention and ni_retention
    plan.toml [split] house_pct: is missing; expected the company's own figure: a percentage from 0 to 100
    plan.toml [gates] max_ar90_pct: is missing; expected the company's own figure: a percentage from 0 to 100
    plan.toml line 2, [split] house_pc: is not a plan setting (did you mean house_pct?); expected one of house_pct, team_pct, min_house
    plan.toml line 3, [split] team_pct: 120 must be at most 100; expected a percentage from 0 to 100
    """  # noqa: E501
    deep = _too_deep(text, MAX_NESTING)
    if deep is not None:  # refused before parsing: tomllib recurses once per level
        return Loaded(None, (_deep_problem(filename, deep),))
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Loaded(None, (_syntax_problem(exc, filename),))
    except RecursionError:  # a backstop: the scan above should have refused it
        return Loaded(None, (_deep_problem(filename, None),))
    lines = _lines_of(text)
    problems: list[Problem] = []
    values: dict[str, Decimal | int | str] = {}  # field name -> value read
    where: dict[str, tuple[str, int | None]] = {}  # field name -> (column label, line)
    sections = list(SECTIONS)
    seen: set[str] = set()  # plan keys found anywhere, even misplaced: not "missing"

    def problem(column: str, line: int | None, message: str) -> None:
        problems.append(Problem(filename, None, column, message, line=line))

    for name, content in document.items():
        if name in SECTIONS:
            if not isinstance(content, dict):
                problem(
                    f"[{name}]",
                    lines.get(("", name)),
                    f"is {_toml_type(content)}; expected a section: a line [{name}] "
                    "followed by its keys",
                )
                continue
            seen.update(key for key in content if key in _SECTION_OF)
            for key, value in content.items():
                column, line = f"[{name}] {key}", lines.get((name, key))
                if key in SECTIONS[name]:
                    field = BY_PLACE[(name, key)]
                    try:
                        values[field.name] = _to_value(field, value)
                        where[field.name] = (column, line)
                    except _Bad as exc:
                        problem(column, line, f"{exc}; expected {_hint(field)}")
                elif key in _SECTION_OF:
                    problem(column, line, f"belongs in [{_SECTION_OF[key]}], not [{name}]")
                elif key == "merit_pct":
                    problem(
                        column,
                        line,
                        "is not set in the plan: merit gets 100 - team_pct of the staff pool; "
                        "expected team_pct only",
                    )
                else:
                    keys = list(SECTIONS[name])
                    problem(
                        column,
                        line,
                        f"is not a plan setting{_suggest(key, keys)}; expected one of "
                        + ", ".join(keys),
                    )
        elif name in _SECTION_OF:
            seen.add(name)
            problem(
                f"[top level] {name}",
                lines.get(("", name)),
                f"is outside any section; expected it under [{_SECTION_OF[name]}]",
            )
        else:
            problem(
                f"[{name}]",
                lines.get((name, "")) or lines.get(("", name)),
                f"is not a plan section{_suggest(name, sections)}; expected "
                + ", ".join(f"[{s}]" for s in sections),
            )
    if not document:
        problems.append(
            Problem(
                filename,
                None,
                None,
                "is empty; expected the company's own figures: "
                + "; ".join(f"[{s}] {', '.join(_required_in(s))}" for s in _REQUIRED_IN),
            )
        )
    else:
        problems += _missing(document, seen, filename)
    plan: Plan | None = None
    try:  # ranges of the keys that did read, even when others did not: every problem at once
        plan = Plan.model_validate(nested(values))
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            at = field_at(tuple(error["loc"]))
            name = at.name if at else ""
            label = f"[{at.section}] {at.key}" if at else "[?]"
            column, line = where.get(name, (label, None))
            shown = _shown(values[name]) + " " if name in values else ""
            hint = _hint(at) if at else ""
            problem(
                column,
                line,
                f"{shown}{plain_message(error)}" + (f"; expected {hint}" if hint else ""),
            )
    # in file order; problems without a known line (whole-file ones) first
    ordered = tuple(sorted(problems, key=lambda p: (p.line is not None, p.line or 0)))
    if plan is None or any(p.is_error for p in ordered):
        return Loaded(None, ordered)
    return Loaded(plan, ordered)
