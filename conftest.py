"""pytest-odoo and Odoo 18's HTTP tests (``pytest --odoo-http aftersales_*/tests``).

Odoo 18 checks that a request served during an ``HttpCase`` (``url_open``, a browser tour)
uses the cursor of the test that is running, which catches a request left over from one test
reaching into the next. It knows that test from ``odoo.modules.module.current_test``: Odoo's own
runner sets it for each test, pytest-odoo 2.3 only from Odoo 19 on, and while it is unset the
check is silently skipped. Here it is set before each Odoo test's setup, as Odoo's runner does.

pytest-odoo also imports Odoo's test framework before any test module is loaded, while
``test_enable`` is off: Odoo then logs an ERROR ("Importing test framework…") into the log
``make test`` checks. Here the framework is imported first, as under Odoo's runner, in test mode.
"""

import sys

import pytest


def _import_test_framework_in_test_mode():
    try:
        from odoo.tools import config  # noqa: PLC0415 - not every pytest run has Odoo
    except ImportError:
        return
    previous = config["test_enable"]
    config["test_enable"] = True
    try:
        import odoo.tests.common  # noqa: F401, PLC0415 - imported for its side effect, in test mode
    finally:
        config["test_enable"] = previous


_import_test_framework_in_test_mode()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if "odoo.tests" not in sys.modules:  # the black-box tests in tests/ never load Odoo's test cases
        return
    from odoo.modules import module  # noqa: PLC0415 - Odoo is loaded by then
    from odoo.tests.common import BaseCase  # noqa: PLC0415 - likewise

    instance = getattr(item, "instance", None)
    if isinstance(instance, BaseCase):
        module.current_test = instance


def pytest_sessionfinish(session):
    odoo_module = sys.modules.get("odoo.modules.module")
    if odoo_module is not None:
        odoo_module.current_test = False
