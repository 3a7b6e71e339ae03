#!/usr/bin/env bash
# OCA 18.0 lint, offline: ruff (with the OCA isort sections) and pylint-odoo's mandatory checks.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
cd "$ROOT"
"$PY" -m ruff --version >/dev/null 2>&1 || "$PY" -m pip install -q ruff 'pylint-odoo>=9'
"$PY" -c 'import pylint_odoo' 2>/dev/null || "$PY" -m pip install -q 'pylint-odoo>=9'
ADDONS=(aftersales_service aftersales_survey aftersales_supplier)
echo "[lint] ruff"
"$PY" -m ruff check "${ADDONS[@]}" tests scripts
"$PY" -m ruff format --check "${ADDONS[@]}" tests scripts
echo "[lint] pylint-odoo (mandatory checks)"
"$PY" -m pylint --rcfile=.pylintrc-mandatory "${ADDONS[@]}"
echo "[lint] clean"
