"""``python -m tel``: the same as the ``tel`` command."""

from tel.cli import main

if __name__ == "__main__":  # guarded: pytest --doctest-modules imports this module
    raise SystemExit(main())
