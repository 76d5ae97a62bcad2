# Shared by scripts/dashboard and scripts/test: make .venv with the project installed.
# Usage: . scripts/_venv.sh run|test   ("test" installs the test tools too). Always pass the
# word: a sourced script sees its caller's arguments, and "--roster" must not look like a
# new kind of install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=${PYTHON:-python3}
kind=${1:-run}
# Reinstall only when pyproject.toml changed since the last install; a test install serves
# the dashboard too.
hash=$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f ".venv/.installed-$hash-$kind" ] && [ ! -f ".venv/.installed-$hash-test" ]; then
  if [ ! -x .venv/bin/python ]; then
    echo "tel: first start: making a Python environment in .venv/ ..." >&2
    "$PY" -m venv .venv
  fi
  spec="."
  [ "$kind" = "test" ] && spec=".[test]"
  echo "tel: installing the packages in pyproject.toml${spec#.} into .venv/ (a minute or" \
       "two the first time; only again when pyproject.toml changes) ..." >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  # One line per package as pip fetches it, so a slow network is visible, not silent.
  .venv/bin/python -m pip install --disable-pip-version-check --progress-bar off -e "$spec" \
    | sed -un 's/^Collecting \([^ ;]*\).*/tel:   fetching \1/p; s/^Successfully installed.*/tel: installed./p' >&2
  rm -f .venv/.installed-*
  touch ".venv/.installed-$hash-$kind"
fi
