#!/usr/bin/env bash
# Benchmark of the after-sales suite against the OCA peers it is measured against (helpdesk_mgmt, rma).
# Builds or reuses the database as_bench, serves it on 127.0.0.1 (ports 8990-8999)
# with 2 workers, prints the table and writes .build/bench/results.json.
# Extra arguments go to tests/benchmarks/bench.py (--rebuild, --runs N, --cron-runs N).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

# The OCA peers, from PyPI, into the project environment.
if ! "$PY" -c 'import odoo.addons.helpdesk_mgmt, odoo.addons.helpdesk_mgmt_sla, odoo.addons.rma' 2>/dev/null; then
    say "installing the OCA peers helpdesk_mgmt, helpdesk_mgmt_sla and rma from PyPI"
    "$PY" -m pip install -q 'odoo-addon-helpdesk-mgmt==18.0.*' 'odoo-addon-helpdesk-mgmt-sla==18.0.*' \
        'odoo-addon-rma==18.0.*'
fi

cd "$ROOT"
exec "$PY" tests/benchmarks/bench.py "$@"
