#!/usr/bin/env bash
# Resilience run: two servers on one database, a worker killed under load, backup and restore.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
exec "$PY" "$ROOT/scripts/resilience.py" "$@"
