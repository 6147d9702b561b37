#!/usr/bin/env bash
# Set up (when needed) and run ocopdocs from a checkout. Usage:
#   bash scripts/dev.sh build [ocopdocs build options]   # build products/ into output/
#   bash scripts/dev.sh test  [pytest options]           # run the test suite
#   bash scripts/dev.sh setup                            # only set up
# Set-up: a .venv at the repository root with ocopdocs installed in editable mode, and, where
# apt is available, the Debian packages the renderer wants: libharfbuzz-subset0 (WeasyPrint
# subsets fonts 7x faster with it) and fonts-liberation2 (Times New Roman metrics for dossiers).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
venv="$root/.venv"
stamp="$venv/.setup-stamp"
want=$(cat pyproject.toml scripts/dev.sh | sha256sum | cut -d' ' -f1)

system_packages() {
  local missing=()
  for pkg in libharfbuzz-subset0 fonts-liberation2; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "note: install ${missing[*]} with your package manager for faster, exact rendering" >&2
    return 0
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo"
  if [ "$(id -u)" -ne 0 ] && [ -z "$sudo" ]; then
    echo "note: run as root: apt-get install ${missing[*]}" >&2
    return 0
  fi
  echo "installing ${missing[*]} (apt)" >&2
  $sudo apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 \
    || { $sudo apt-get update -q >/dev/null 2>&1 && $sudo apt-get install -y -q "${missing[@]}" >/dev/null; } \
    || echo "warning: could not install ${missing[*]}; rendering still works, more slowly" >&2
}

setup() {
  system_packages
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  echo "setting up $venv" >&2
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  "$venv/bin/python" -m pip install -q -e ".[test]" >"$venv/pip.log" 2>&1 \
    || { cat "$venv/pip.log" >&2; echo "error: pip install failed (log above)" >&2; exit 1; }
  echo "$want" > "$stamp"
}

command=${1:-build}
shift || true
case "$command" in
  setup) setup ;;
  build) setup; exec "$venv/bin/python" build.py build "$@" ;;
  test)
    setup
    "$venv/bin/ruff" check ocopdocs tests build.py
    "$venv/bin/mypy"
    exec "$venv/bin/python" -m pytest "$@" ;;
  *) echo "usage: bash scripts/dev.sh build|test|setup [options]" >&2; exit 2 ;;
esac
