#!/usr/bin/env bash
# OCA 18.0 lint (the hooks of .pre-commit-config.yaml, without pre-commit): ruff with the OCA
# isort sections, pylint-odoo's mandatory checks, oca-checks-odoo-module / oca-checks-po and
# prettier on the addons' XML. Offline it runs what is installed and says what it could not run.
# `scripts/lint.sh fix` rewrites the XML with prettier instead of checking it.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
cd "$ROOT"
pin() { grep -E "^$1==" requirements-dev.txt; }
for tool in ruff pylint-odoo oca-odoo-pre-commit-hooks; do
    module="${tool//-/_}"
    [ "$tool" = oca-odoo-pre-commit-hooks ] && module=oca_pre_commit_hooks
    "$PY" -c "import $module" 2>/dev/null || "$PY" -m pip install -q "$(pin "$tool")" || true
done
ADDONS=(aftersales_service aftersales_survey aftersales_supplier)
MANIFESTS=("${ADDONS[@]/%//__manifest__.py}")
echo "[lint] ruff"
"$PY" -m ruff check "${ADDONS[@]}" tests scripts
"$PY" -m ruff format --check "${ADDONS[@]}" tests scripts
echo "[lint] pylint-odoo (mandatory checks)"
"$PY" -m pylint --rcfile=.pylintrc-mandatory "${ADDONS[@]}"
if "$PY" -c 'import oca_pre_commit_hooks' 2>/dev/null; then
    echo "[lint] oca-checks-odoo-module, oca-checks-po"
    "$PY" -m oca_pre_commit_hooks.cli "${MANIFESTS[@]}"
    "$PY" -m oca_pre_commit_hooks.cli_po --disable=po-pretty-format aftersales_*/i18n/*.po*
else
    echo "[lint] oca-checks: oca-odoo-pre-commit-hooks is not installed and PyPI is not reachable: NOT RUN"
fi
PRETTIER="$(bash "$ROOT/scripts/prettier.sh" --path || true)"
if [ -n "$PRETTIER" ]; then
    echo "[lint] prettier (plugin-xml)"
    if [ "${1:-}" = fix ]; then
        NODE_PATH="$ROOT/.build/node/node_modules" "$PRETTIER" --write --log-level=warn "aftersales_*/**/*.xml"
    else
        NODE_PATH="$ROOT/.build/node/node_modules" "$PRETTIER" --check --log-level=warn "aftersales_*/**/*.xml"
    fi
else
    echo "[lint] prettier: no Node.js or the npm registry is not reachable: NOT RUN"
fi
echo "[lint] clean"
