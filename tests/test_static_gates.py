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


# -- The OCA hooks of .pre-commit-config.yaml: oca-checks-odoo-module, oca-checks-po, prettier.

BAD_XML = """<?xml version="1.0" encoding="utf-8"?>
<odoo>
    <record id="leaky_record" model="res.partner"><field name="color">3</field></record>
    <record id="leaky_record" model="res.partner"><field name="name">Again</field></record>
</odoo>
"""

BAD_PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

#. module: leaky_addon
#: model:ir.model.fields,field_description:leaky_addon.field_leaky_model__name
msgid "Name"
msgstr "名称"

#. module: leaky_addon
#: model:ir.model.fields,field_description:leaky_addon.field_leaky_model__name
msgid "Name"
msgstr "姓名"
"""


def oca_checks(module, *args, cwd=ROOT):
    pytest.importorskip(
        "oca_pre_commit_hooks", reason="oca-odoo-pre-commit-hooks (requirements-dev.txt) is not installed"
    )
    return subprocess.run(
        [sys.executable, "-m", f"oca_pre_commit_hooks.{module}", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def bad_xml_addon(bad_addon):
    addon = bad_addon / "leaky_addon"
    (addon / "data").mkdir(exist_ok=True)
    (addon / "data" / "leaky_data.xml").write_text(BAD_XML)
    (addon / "__manifest__.py").write_text(
        '{"name": "Leaky", "version": "18.0.1.0.0", "license": "LGPL-3", '
        '"author": "After-Sales Suite Contributors", "depends": ["base"], "data": ["data/leaky_data.xml"]}\n'
    )
    (addon / "i18n").mkdir(exist_ok=True)
    (addon / "i18n" / "zh_CN.po").write_text(BAD_PO)
    return bad_addon


def test_oca_checks_odoo_module_pass():
    result = oca_checks("cli", *(f"{addon}/__manifest__.py" for addon in ADDONS))
    assert result.returncode == 0, result.stdout + result.stderr


def test_oca_checks_odoo_module_catch_headers_duplicates_and_numbers(bad_xml_addon):
    result = oca_checks("cli", "leaky_addon/__manifest__.py", cwd=bad_xml_addon)
    assert result.returncode != 0
    for symbol in ("xml-header-wrong", "xml-duplicate-record-id", "xml-field-numeric-without-eval"):
        assert symbol in result.stdout, result.stdout


def test_oca_checks_po_pass():
    catalogs = sorted(str(path.relative_to(ROOT)) for addon in ADDONS for path in (ROOT / addon / "i18n").glob("*.po*"))
    assert any(name.endswith(".pot") for name in catalogs) and any(name.endswith(".po") for name in catalogs)
    result = oca_checks("cli_po", "--disable=po-pretty-format", *catalogs)
    assert result.returncode == 0, result.stdout + result.stderr


def test_oca_checks_po_catch_a_term_translated_twice(bad_xml_addon):
    result = oca_checks("cli_po", "--disable=po-pretty-format", "leaky_addon/i18n/zh_CN.po", cwd=bad_xml_addon)
    assert result.returncode != 0
    assert "po-duplicate-message-definition" in result.stdout, result.stdout


@pytest.fixture(scope="module")
def prettier():
    """prettier with the XML plugin at the versions .pre-commit-config.yaml names (scripts/prettier.sh)."""
    found = subprocess.run(
        ["bash", str(ROOT / "scripts" / "prettier.sh"), "--path"], capture_output=True, text=True, check=False
    ).stdout.strip()
    if not found:
        pytest.skip("prettier cannot be installed here (no Node.js, or the npm registry is not reachable)")
    env = dict(os.environ, NODE_PATH=str(ROOT / ".build" / "node" / "node_modules"))

    def run(*args, cwd=ROOT):
        return subprocess.run(
            [found, "--config", str(ROOT / ".prettierrc.cjs"), "--ignore-path", str(ROOT / ".prettierignore"), *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    return run


def test_prettier_xml_pass(prettier):
    result = prettier("--check", *(f"{addon}/**/*.xml" for addon in ADDONS))
    assert result.returncode == 0, result.stdout + result.stderr


def test_prettier_xml_catches_an_unformatted_view(prettier, bad_xml_addon):
    result = prettier("--check", "leaky_addon/data/leaky_data.xml", cwd=bad_xml_addon)
    assert result.returncode != 0
    assert "leaky_data.xml" in result.stdout + result.stderr
