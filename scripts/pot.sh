#!/usr/bin/env bash
# Regenerate each addon's i18n/<addon>.pot, exported by Odoo from a fresh database.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
exec "$PY" "$ROOT/scripts/suite.py" pot "$@"
