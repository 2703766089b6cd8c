#!/usr/bin/env bash
# Set up and run the whole test suite (unit, golden, browser end-to-end, lint).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
