.PHONY: run test lint

run:  ## serve the product on http://localhost:8069
	bash scripts/run.sh

test:  ## every test on a fresh database
	bash scripts/test.sh

lint:  ## OCA 18.0 lint (ruff, pylint-odoo, prettier-xml via pre-commit)
	bash scripts/lint.sh
