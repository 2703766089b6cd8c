#!/usr/bin/env bash
# Set up and build the site from the sample content into site/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/showcase build --strict "$@"
