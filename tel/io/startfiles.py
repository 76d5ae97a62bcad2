"""The files the dashboard starts on, and the refusal of any argument it does not know.

``./scripts/dashboard --plan P --roster R --months M [--scores S]`` (or, the Streamlit way,
``streamlit run app.py -- --plan P ...``); a missing argument falls back to ``TEL_PLAN``,
``TEL_ROSTER``, ``TEL_MONTHS``, ``TEL_SCORES``, and then to the sample data. An argument the
dashboard does not take is refused, never ignored: a mistyped ``--rooster`` must not quietly
show the sample data's payouts as if they were the company's.

``python -m tel.io.startfiles ARGS`` checks the arguments before the server starts (the
dashboard script runs it): problems on stderr, exit status 2, no traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"
USAGE = ("the dashboard takes --plan FILE, --roster FILE, --months FILE and --scores FILE "
         "(each optional; the sample data fills in the rest)")


@dataclass(frozen=True)
class StartFiles:
    plan: Path
    roster: Path
    months: Path
    scores: Path | None = None


# The sample data's 2026-Q3 is the source's worked example: a new user starts there.
WORKED_EXAMPLE_QUARTER = "2026-Q3"


def is_sample(files: StartFiles) -> bool:
    """Whether the dashboard runs on the sample data, as started with no arguments."""
    return files == StartFiles(SAMPLE_DIR / "plan.toml", SAMPLE_DIR / "roster.csv",
                               SAMPLE_DIR / "months.csv")


class StartArgsError(ValueError):
    """An argument the dashboard does not take, or one without its file."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise StartArgsError(message)


def start_files(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> StartFiles:
    """The start files from the arguments, the environment, then the sample data.

    >>> start_files(["--roster", "r.csv"], {}).roster
    PosixPath('r.csv')
    >>> start_files([], {"TEL_MONTHS": "m.csv"}).months
    PosixPath('m.csv')
    >>> start_files(["--", "--plan", "p.toml"], {}).plan  # a second "--" is harmless
    PosixPath('p.toml')
    >>> start_files(["--rooster", "r.csv"], {})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tel.io.startfiles.StartArgsError: not an argument of the dashboard: --rooster r.csv; ...
    """
    env = os.environ if environ is None else environ
    parser = _Parser(add_help=False, allow_abbrev=False)
    for name, default in (("plan", "plan.toml"), ("roster", "roster.csv"),
                          ("months", "months.csv")):
        value = env.get(f"TEL_{name.upper()}", "").strip()
        parser.add_argument(f"--{name}", type=Path,
                            default=Path(value) if value else SAMPLE_DIR / default)
    scores = env.get("TEL_SCORES", "").strip()
    parser.add_argument("--scores", type=Path, default=Path(scores) if scores else None)
    args = list(argv)
    if args[:1] == ["--"]:
        args = args[1:]
    parsed, unknown = parser.parse_known_args(args)
    if unknown:
        raise StartArgsError(f"not an argument of the dashboard: {' '.join(unknown)}; {USAGE}")
    return StartFiles(parsed.plan, parsed.roster, parsed.months, parsed.scores)


def problems(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> list[str]:
    """Every reason the dashboard cannot start on these arguments: an unknown argument, or a
    named file that is not there. The files' contents are checked by the app (and by
    ``tel check``), each problem naming file, row and column."""
    try:
        files = start_files(argv, environ)
    except StartArgsError as exc:
        return [str(exc)]
    named = [("plan", files.plan), ("roster", files.roster), ("months", files.months),
             ("scores", files.scores)]
    return [f"--{kind} {path}: no such file" for kind, path in named
            if path is not None and not path.is_file()]


def main(argv: Sequence[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if any(a in {"-h", "--help"} for a in args):  # exit status 1: the script stops, quietly
        print(f"usage: ./scripts/dashboard [--plan FILE] [--roster FILE] [--months FILE] "
              f"[--scores FILE]\n{USAGE}.")
        return 1
    found = problems(args)
    for line in found:
        print(f"tel dashboard: {line}", file=sys.stderr)
    return 2 if found else 0


if __name__ == "__main__":
    sys.exit(main())
