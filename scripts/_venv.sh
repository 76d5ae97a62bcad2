# Shared by scripts/dashboard and scripts/test: make .venv with the project installed.
# Usage: . scripts/_venv.sh [extra]   (extra: "test" installs the test tools too)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
spec="."
[ "${1:-}" = "test" ] && spec=".[test]"
# Reinstall only when pyproject.toml changed since the last install.
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)-${1:-run}"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e "$spec"
  touch "$stamp"
fi
