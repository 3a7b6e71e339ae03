"""Black-box fixtures: a real Odoo server with the three addons, driven over XML-RPC.

``make test`` passes the database it just installed (``AFTERSALES_DB``) and the log of
that installation (``AFTERSALES_INSTALL_LOG``). Run alone, pytest installs its own.
"""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import suite
import testkit

ADMIN = ("admin", "admin")
# The roles the tests play, each by the groups that make it (a group implies the ones before it:
# a general manager is also a manager, and so on).
ROLE_GROUPS = {
    "portal": ["base.group_portal"],
    "internal": ["base.group_user"],
    "user": ["aftersales_service.group_aftersales_user"],
    "technician": ["aftersales_service.group_aftersales_technician"],
    "quality": ["aftersales_service.group_aftersales_quality"],
    "manager": ["aftersales_service.group_aftersales_manager"],
    "general_manager": ["aftersales_service.group_aftersales_general_manager"],
    "purchase": ["purchase.group_purchase_user"],
    "survey": ["survey.group_survey_manager"],
}
SALESMAN = "sales_team.group_sale_salesman"
# The documents a refused call must leave as they were: their number of rows is compared.
COUNTED = [
    "aftersales.ticket",
    "aftersales.ticket.part",
    "aftersales.dispatch",
    "aftersales.dispatch.part",
    "aftersales.change.request",
    "aftersales.inspection",
    "aftersales.settlement",
    "aftersales.settlement.line",
    "aftersales.supplier.claim",
    "aftersales.revisit",
    "aftersales.feedback",
    "sale.order",
    "stock.move",
    "account.move",
]


# pytest-odoo (requirements-dev.txt, for the addons' own tests) loads an Odoo registry in
# the pytest process for every test it sees. These tests drive a server of their own over
# XML-RPC: its in-process fixtures are replaced by nothing here.
@pytest.fixture(scope="session", autouse=True)
def load_registry():
    yield


@pytest.fixture(scope="session", autouse=True)
def load_http():
    yield


@pytest.fixture(scope="module", autouse=True)
def enable_odoo_test_flag():
    yield


@pytest.fixture(scope="session")
def odoo_conf():
    configured = os.environ.get("AFTERSALES_ODOO_CONF")
    return Path(configured) if configured else suite.write_config("test")


@pytest.fixture(scope="session")
def installed_db(odoo_conf):
    """``(database, install log path)`` of a fresh database with the three addons."""
    db = os.environ.get("AFTERSALES_DB")
    log = os.environ.get("AFTERSALES_INSTALL_LOG")
    if db and log:
        return db, Path(log)
    db = "aftersales_pytest"
    log = suite.BUILD / "test" / "pytest-install.log"
    suite.drop_db(db)
    assert suite.install(odoo_conf, db, log, extra=suite.TEST_EXTRA_MODULES) == 0, log.read_text()[-3000:]
    return db, log


@pytest.fixture(scope="session")
def server(odoo_conf, installed_db):
    db, _log = installed_db
    log = suite.BUILD / "test" / "server.log"

    def command(http_port, _gevent_port):
        return suite.odoo_cmd(
            odoo_conf,
            "-d",
            db,
            "--db-filter",
            f"^{db}$",
            "--http-port",
            str(http_port),
            "--http-interface",
            "127.0.0.1",
            "--logfile",
            str(log),
            "--max-cron-threads",
            "0",
        )

    try:
        with testkit.serve(command, log, timeout=120) as running:
            yield {"url": running.url, "db": db, "log": log}
    except RuntimeError as error:  # did not start: the tests cannot run
        pytest.fail(str(error))


class Rpc(testkit.Rpc):
    """``execute_kw`` as one user of the test server (``None`` refused, as by most integrations)."""

    def __init__(self, server, login, password):
        try:
            super().__init__(server["url"], server["db"], login, password, allow_none=False)
        except PermissionError as error:
            raise AssertionError(str(error)) from None


@pytest.fixture(scope="session")
def admin(server):
    return Rpc(server, *ADMIN)


@pytest.fixture(scope="session")
def make_user(admin, server):
    """Create an internal user with the given group xml ids and log in as them."""
    created = {}

    def factory(login, groups):
        if login not in created:
            group_ids = [admin.ref(xmlid) for xmlid in groups]
            values = {
                "name": login.replace("_", " ").title(),
                "password": login + "-pw",
                "email": f"{login}@example.com",
                "groups_id": [(6, 0, group_ids)],
            }
            existing = admin("res.users", "search", [("login", "=", login)])  # a database reused by a rerun
            if existing:
                admin("res.users", "write", existing, values)
            else:
                admin("res.users", "create", {**values, "login": login})
            created[login] = Rpc(server, login, login + "-pw")
        return created[login]

    return factory


@pytest.fixture(scope="session")
def make_staff(make_user):
    """``make_staff(prefix, suffix, name=role, other=(role, extra group…), …)`` → {name: Rpc}:
    one user per name, logged in as ``{prefix}_{name}_{suffix}``, with the groups of its role
    (ROLE_GROUPS) and any extra ones."""

    def factory(prefix, suffix, **roles):
        staff = {}
        for name, role in roles.items():
            role, *extra = (role,) if isinstance(role, str) else role
            staff[name] = make_user(f"{prefix}_{name}_{suffix}", ROLE_GROUPS[role] + extra)
        return staff

    return factory


def sell(admin, customer, product, quantity=1, deliver=False, **order_values):
    """A confirmed sale of ``product`` to ``customer``, its delivery validated when ``deliver``:
    ``(order, sale line)``."""
    line = {"product_id": product, "product_uom_qty": quantity}
    order = admin("sale.order", "create", {"partner_id": customer, **order_values, "order_line": [(0, 0, line)]})
    admin("sale.order", "action_confirm", [order])
    if deliver:
        picking = admin("sale.order", "read", [order], ["picking_ids"])[0]["picking_ids"][0]
        admin("stock.picking", "action_assign", [picking])
        admin("stock.picking", "button_validate", [picking])
    return order, admin("sale.order", "read", [order], ["order_line"])[0]["order_line"][0]


def on_site(admin, ticket, **form_values):
    """Approve a reviewed ticket, dispatch it and start the field form; ``form_values`` written
    on the form (findings, signature…): the form's id."""
    admin("aftersales.ticket", "action_approve", [ticket])
    form = admin("aftersales.ticket", "action_dispatch", [ticket])["res_id"]
    admin("aftersales.dispatch", "action_start", [form])
    if form_values:
        admin("aftersales.dispatch", "write", [form], form_values)
    return form


def row_counts(admin, models):
    """``{model: rows}``, archived ones included."""
    return {model: admin(model, "search_count", [], context={"active_test": False}) for model in models}
