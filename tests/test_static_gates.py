"""Static gates over our three addons: pylint-odoo's mandatory checks (sql-injection,
eval-used, invalid-commit among them) and the checkers of Odoo's own test_lint module,
run the way test_lint runs them. Each gate is also shown to catch what it guards."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import odoo

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("aftersales_service", "aftersales_survey", "aftersales_supplier")
ODOO_LINT = Path(odoo.__file__).resolve().parent / "addons" / "test_lint" / "tests"

# The options of Odoo 18's test_lint/tests/test_pylint.py.
ODOO_LINT_OPTIONS = [
    f"--rcfile={os.devnull}",
    # unknown-option-value: our disables name pylint-odoo's checks, which this run does not load.
    "--disable=all,useless-option-value,unknown-option-value",
    (
        "--enable=used-before-assignment,undefined-variable,eval-used,unreachable,function-redefined,"
        "sql-injection,gettext-variable,gettext-placeholders,gettext-repr,raise-unlink-override"
    ),
    "--reports=n",
    "--score=n",
    "--msg-template={msg_id} {symbol} {path}:{line} {msg}",
    (
        "--load-plugins=pylint.extensions.bad_builtin,"
        "_odoo_checker_sql_injection,_odoo_checker_gettext,_odoo_checker_unlink_override"
    ),
    "--bad-functions=input",
]

BAD_CODE = """from odoo import _, models


class Leaky(models.Model):
    _name = "leaky.model"
    _description = "Leaky"

    def find(self, name):
        self.env.cr.execute("SELECT id FROM res_partner WHERE name = '%s'" % name)
        self.env.cr.commit()
        return eval(name)

    def label(self, name):
        return _("Hello %s" % name)
"""


def pylint(*args, paths=ADDONS, cwd=ROOT):
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([str(ODOO_LINT), *sys.path]),
        ADDONS_PATH=str(cwd),
    )
    return subprocess.run(
        [sys.executable, "-m", "pylint", *args, *paths], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def bad_addon(tmp_path_factory):
    """An addon with an SQL injection, a commit, an eval and a formatted translation."""
    root = tmp_path_factory.mktemp("lint")
    addon = root / "leaky_addon"
    (addon / "models").mkdir(parents=True)
    (addon / "__init__.py").write_text("from . import models\n")
    (addon / "__manifest__.py").write_text(
        '{"name": "Leaky", "version": "18.0.1.0.0", "license": "LGPL-3", '
        '"author": "After-Sales Suite Contributors", "depends": ["base"]}\n'
    )
    (addon / "models" / "__init__.py").write_text("from . import leaky\n")
    (addon / "models" / "leaky.py").write_text(BAD_CODE)
    (root / ".pylintrc-mandatory").write_text((ROOT / ".pylintrc-mandatory").read_text())
    return root


def test_pylint_odoo_mandatory_checks_pass():
    result = pylint("--rcfile=.pylintrc-mandatory")
    assert result.returncode == 0, result.stdout + result.stderr


def test_pylint_odoo_catches_injection_commit_and_eval(bad_addon):
    result = pylint("--rcfile=.pylintrc-mandatory", paths=["leaky_addon"], cwd=bad_addon)
    for symbol in ("sql-injection", "invalid-commit", "eval-used"):
        assert symbol in result.stdout, result.stdout


def test_odoo_test_lint_checkers_pass():
    assert (ODOO_LINT / "_odoo_checker_sql_injection.py").exists(), "Odoo's test_lint module is missing"
    result = pylint(*ODOO_LINT_OPTIONS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_odoo_test_lint_checkers_catch_injection_and_formatted_translations(bad_addon):
    result = pylint(*ODOO_LINT_OPTIONS, paths=["leaky_addon"], cwd=bad_addon)
    for symbol in ("sql-injection", "eval-used", "gettext-variable"):
        assert symbol in result.stdout, result.stdout


def test_every_disabled_check_says_why():
    directive = re.compile(r"#\s*(pylint:\s*disable=[\w,-]+|noqa(:\s*[\w, ]+)?)(?P<why>.*)$")
    unjustified = []
    for path in [p for addon in ADDONS for p in (ROOT / addon).rglob("*.py")] + list((ROOT / "scripts").glob("*.py")):
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines, 1):
            match = directive.search(line)
            said_before = number > 1 and lines[number - 2].strip().startswith("#")
            if match and not match["why"].strip(" -—:") and not said_before:
                unjustified.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not unjustified, "say why each check is disabled:\n" + "\n".join(unjustified)
