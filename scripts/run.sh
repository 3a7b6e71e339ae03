#!/usr/bin/env bash
# Command 1: serve the product on http://localhost:8069 (creates the database once).
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
exec "$PY" "$ROOT/scripts/suite.py" run "$@"
