# Sourced by scripts/demo and scripts/test: make .venv and install Touzi into it when pyproject.toml changed.
# Usage: . scripts/_venv.sh [runtime|dev]
set -euo pipefail
_extra="${1:-runtime}"
_python="${TOUZI_PYTHON:-$(command -v python3.11 || command -v python3)}"
if ! "$_python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Touzi needs Python 3.11 or newer (found: $("$_python" --version 2>&1))" >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  "$_python" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi
_stamp=".venv/.touzi-$_extra-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$_stamp" ]; then
  if [ "$_extra" = dev ]; then _spec=".[dev]"; else _spec="."; fi
  echo "Installing Touzi ($_extra) into .venv …" >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$_spec"
  touch "$_stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
