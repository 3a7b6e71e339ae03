.PHONY: run test lint pot bench load resilience

run:  ## serve the product on http://localhost:8069
	bash scripts/run.sh

test:  ## every test on a fresh database
	bash scripts/test.sh

lint:  ## OCA 18.0 lint: ruff, pylint-odoo, oca-checks-odoo-module/-po, prettier (XML)
	bash scripts/lint.sh

pot:  ## regenerate each addon's i18n/<addon>.pot (Odoo's export, database aftersales_pot)
	bash scripts/pot.sh $(ARGS)

bench:  ## benchmark against OCA helpdesk / rma (database as_bench, see tests/benchmarks/README.md)
	bash scripts/bench.sh $(ARGS)

load:  ## bounded load: 20 XML-RPC clients, 4 workers, 60 s (database aftersales_load)
	bash scripts/load.sh $(ARGS)

resilience:  ## two servers (four flows, jobs, a worker and a cron worker killed), PostgreSQL restarted, a read replica, backup and restore (database aftersales_resilience)
	bash scripts/resilience.sh $(ARGS)
