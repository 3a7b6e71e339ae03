#!/usr/bin/env bash
# Command 2: every test on a fresh database; the last line is the summary.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
exec "$PY" "$ROOT/scripts/suite.py" test "$@"
