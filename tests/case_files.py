"""A multi-year case from ``strategies_partwo`` read through the real loaders, the way a user's
files are read (the strategies themselves stay free of the library: the reference model
checks the library from the outside)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from strategies_partwo import Case, write_case

from tel.core.models import Scenario
from tel.io.loaders import read_scenario


def scenario_of(case: Case) -> Scenario:
    with tempfile.TemporaryDirectory() as folder:
        paths = write_case(case, Path(folder))
        loaded = read_scenario(paths["plan"], paths["roster"], paths["months"],
                               paths.get("scores"))
    assert loaded.value is not None, [str(p) for p in loaded.problems]
    return loaded.value
