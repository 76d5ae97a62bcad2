"""Regenerate sample_data/roster_1000.csv: 1,000 synthetic people, byte-for-byte reproducible.

.venv/bin/python benchmarks/make_roster.py           # rewrite the file
.venv/bin/python benchmarks/make_roster.py --check   # exit 1 if the file is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, uninstalled

from tel.io.synthetic import make_roster, roster_csv_text

SIZE = 1000
SEED = 2026  # tests/test_sample_data.py regenerates with the same seed
TARGET = Path(__file__).resolve().parents[1] / "sample_data" / "roster_1000.csv"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--out", type=Path, default=TARGET)
    args = parser.parse_args(argv)
    text = roster_csv_text(make_roster(SIZE, seed=SEED))
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is stale: run benchmarks/make_roster.py", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.write_text(text, encoding="utf-8", newline="")
    print(f"wrote {SIZE} people to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
