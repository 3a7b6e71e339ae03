#!/usr/bin/env bash
# Resilience run: two servers on one database (four flows, a worker and a cron worker killed), PostgreSQL restarted under load, a read replica, backup and restore.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
exec "$PY" "$ROOT/scripts/resilience.py" "$@"
