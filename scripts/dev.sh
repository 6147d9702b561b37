#!/usr/bin/env bash
# Set up (when needed) and run ocopdocs from a checkout. Usage:
#   bash scripts/dev.sh build [ocopdocs build options]   # build products/ into output/
#   bash scripts/dev.sh test  [pytest options]           # run the test suite
#   bash scripts/dev.sh setup                            # only set up
# Set-up: a .venv at the repository root with ocopdocs installed in editable mode, and, where
# apt is available, the Debian packages the renderer wants: libharfbuzz-subset0 (WeasyPrint
# subsets fonts 7x faster with it), fonts-liberation2 (Times New Roman metrics for dossiers),
# the label fonts with full Vietnamese coverage (fonts-dejavu-core, fonts-noto-core: the
# families of ocopdocs/design/themes.yaml), fonts-ocr-b (the barcode's human-readable digits)
# and libgs-common (Ghostscript's free CMYK ICC profile, the output intent of `build
# --pdf-variant pdf/x-4`); for `test` also chromium, in which tests/test_browser.py opens the
# readiness report (through Playwright's driver with executable_path; `playwright install` is
# never run), and qpdf, whose --check tests/test_pdf_variants.py runs on PDF/X-4 and PDF/A-3b files.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
venv="$root/.venv"
stamp="$venv/.setup-stamp"
want=$(cat pyproject.toml scripts/dev.sh | sha256sum | cut -d' ' -f1)

system_packages() {  # the packages to ensure are the arguments
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "note: install ${missing[*]} with your package manager (faster, exact rendering; the browser test)" >&2
    return 0
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo"
  if [ "$(id -u)" -ne 0 ] && [ -z "$sudo" ]; then
    echo "note: run as root: apt-get install ${missing[*]}" >&2
    return 0
  fi
  echo "installing ${missing[*]} (apt)" >&2
  # without recommends: chromium's libraries would otherwise bring avahi and CUPS services
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || { $sudo apt-get update -q >/dev/null 2>&1 \
         && $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; } \
    || echo "warning: could not install ${missing[*]}; rendering still works (more slowly), the browser test fails without chromium" >&2
}

setup() {  # extra Debian packages are the arguments
  system_packages libharfbuzz-subset0 fonts-liberation2 fonts-dejavu-core fonts-noto-core fonts-ocr-b \
    libgs-common "$@"
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
  setup) setup chromium qpdf ;;
  build) setup; exec "$venv/bin/python" build.py build "$@" ;;
  test)
    setup chromium qpdf
    "$venv/bin/ruff" check .
    "$venv/bin/mypy"
    "$venv/bin/lint-imports" --no-cache >/dev/null || "$venv/bin/lint-imports" --no-cache
    exec "$venv/bin/python" -m pytest "$@" ;;
  *) echo "usage: bash scripts/dev.sh build|test|setup [options]" >&2; exit 2 ;;
esac
