#!/usr/bin/env bash
# Bounded load run: 20 XML-RPC clients against a 4-worker server for 60 s.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
exec "$PY" "$ROOT/scripts/load.py" "$@"
