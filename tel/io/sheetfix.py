"""Fix an uploaded roster or months sheet cell by cell, then check it again with the loaders.

An upload with problems is not thrown away: its cells are read as text (exactly as the
loaders read them), the rows the loaders complained about are shown for editing, and the
edited cells are written back into a file *of the same kind* (CSV stays CSV, XLSX stays XLSX,
with every cell a string and no formula) so that the loaders judge the fixed file exactly as
they judged the original: Excel date serials still count as dates in a workbook and still do
not in a CSV file, and the problems keep their spreadsheet row numbers (blank rows are kept).

>>> g = read_grid(b"name,salary\\nAnn,12x\\n\\nBob,5\\n", "roster.csv")
>>> g.header, [n for n, _ in g.rows]
(('name', 'salary'), [2, 4])
>>> fixed = fix(g, {2: {1: "65000"}}, dropped={4})
>>> to_bytes(fixed)
b'name,salary\\r\\nAnn,65000\\r\\n'
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, replace

import xlsxwriter

# The loaders' own cell reader: the grid must hold exactly the text the loaders validate
# (same decoding, same XLSX safety checks, same cell-to-text rules).
from tel.io.loaders import MAX_BYTES, MAX_UNZIPPED_BYTES, read_cells
from tel.io.problems import Problem

__all__ = ["Grid", "column_labels", "fix", "problem_rows", "read_grid", "to_bytes"]


@dataclass(frozen=True, slots=True)
class Grid:
    """The text of one sheet: the header row and the data rows, by spreadsheet row number."""

    file: str
    xlsx: bool
    epoch_1904: bool
    header_row: int
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]

    @property
    def width(self) -> int:
        return len(self.header)

    def row(self, number: int) -> tuple[str, ...]:
        """The cells of row ``number`` padded to the header's width (the header row too)."""
        if number == self.header_row:
            return self.header
        for n, cells in self.rows:
            if n == number:
                return _pad(cells, self.width)
        raise KeyError(number)


def _pad(cells: tuple[str, ...], width: int) -> tuple[str, ...]:
    return cells + ("",) * (width - len(cells)) if len(cells) < width else cells


def read_grid(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = MAX_BYTES,
    max_unzipped_bytes: int = MAX_UNZIPPED_BYTES,
) -> Grid | None:
    """The sheet's text, or ``None`` when the file cannot be read as a sheet at all (binary,
    too large, not a workbook, empty): such a file cannot be fixed cell by cell."""
    sheet, _ = read_cells(data, filename, max_bytes, max_unzipped_bytes, "a sheet")
    if sheet is None or not sheet.rows:
        return None
    header_row, header = sheet.rows[0]
    return Grid(
        file=filename,
        xlsx=sheet.xlsx,
        epoch_1904=sheet.epoch_1904,
        header_row=header_row,
        header=tuple(header),
        rows=tuple((n, tuple(c)) for n, c in sheet.rows[1:]),
    )


def problem_rows(grid: Grid, problems: Iterable[Problem]) -> dict[int, list[Problem]]:
    """Rows worth editing -> the errors found there, in file order.

    A row-level error lists its row; a whole-file error about a column (a missing or
    misspelt header) lists the header row, since renaming a header cell fixes it.

    >>> g = read_grid(b"name,salery\\nAnn,1\\n", "r.csv")
    >>> missing = Problem("r.csv", None, "salary", "is missing")
    >>> rows = problem_rows(g, [missing, Problem("r.csv", 2, "name", "odd", "warning")])
    >>> {row: [p.column for p in found] for row, found in rows.items()}
    {1: ['salary']}
    """
    out: dict[int, list[Problem]] = {}
    for p in problems:
        if not p.is_error:
            continue
        if p.row is not None:
            out.setdefault(p.row, []).append(p)
        elif p.column:
            out.setdefault(grid.header_row, []).append(p)
    return dict(sorted(out.items()))


def column_labels(grid: Grid) -> list[str]:
    """One unique, never blank label per header cell (for an editable table's columns).

    >>> column_labels(Grid("f", False, False, 1, ("name", "", "Name", "name"), ()))
    ['name', '(column B)', 'Name', 'name (column D)']
    """
    labels: list[str] = []
    seen: set[str] = set()
    for index, text in enumerate(grid.header):
        letter = _col_letter(index)
        label = text if text else f"(column {letter})"
        if label in seen:
            label = f"{label} (column {letter})"
        seen.add(label)
        labels.append(label)
    return labels


def _col_letter(index: int) -> str:
    letters, n = "", index + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def fix(
    grid: Grid,
    edits: Mapping[int, Mapping[int, str]],
    dropped: Set[int] = frozenset(),
) -> Grid:
    """A new grid with ``edits`` (row number -> column index -> new text) applied and the
    ``dropped`` data rows left out. Text is trimmed, as the loaders trim it."""
    header = grid.header
    if grid.header_row in edits:
        header = _edited(header, edits[grid.header_row])
    rows: list[tuple[int, tuple[str, ...]]] = []
    for number, cells in grid.rows:
        if number in dropped:
            continue
        if number in edits:
            cells = _edited(_pad(cells, grid.width), edits[number])
        rows.append((number, cells))
    return replace(grid, header=header, rows=tuple(rows))


def _edited(cells: tuple[str, ...], changes: Mapping[int, str]) -> tuple[str, ...]:
    out = list(cells)
    for index, text in changes.items():
        if 0 <= index < len(out):
            out[index] = text.strip()
    return tuple(out)


def to_bytes(grid: Grid) -> bytes:
    """The grid as a file of its original kind, every row at its original row number."""
    numbered = [(grid.header_row, grid.header), *grid.rows]
    if grid.xlsx:
        return _xlsx(numbered, grid.epoch_1904)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    line = 1
    for number, cells in numbered:
        while line < number:  # keep blank rows, so row numbers in problems stay the same
            buf.write("\r\n")
            line += 1
        writer.writerow(cells)
        line += 1
    return buf.getvalue().encode("utf-8")


def _xlsx(numbered: list[tuple[int, tuple[str, ...]]], epoch_1904: bool) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "date_1904": epoch_1904,
        },
    )
    sheet = book.add_worksheet()
    for number, cells in numbered:
        for col, text in enumerate(cells):
            if text:
                sheet.write_string(number - 1, col, text)
    book.close()
    return out.getvalue()
