"""Black-box fixtures: a real Odoo server with the three addons, driven over XML-RPC.

``make test`` passes the database it just installed (``AFTERSALES_DB``) and the log of
that installation (``AFTERSALES_INSTALL_LOG``). Run alone, pytest installs its own.
"""

import os
import subprocess
import sys
import time
import xmlrpc.client
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import suite

ADMIN = ("admin", "admin")


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
    port = suite.free_port()
    log = suite.BUILD / "test" / "server.log"
    cmd = suite.odoo_cmd(
        odoo_conf,
        "-d",
        db,
        "--db-filter",
        f"^{db}$",
        "--http-port",
        str(port),
        "--http-interface",
        "127.0.0.1",
        "--logfile",
        str(log),
        "--max-cron-threads",
        "0",
    )
    process = subprocess.Popen(cmd)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while True:
        try:
            xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").version()
            break
        except OSError:
            if process.poll() is not None or time.time() > deadline:
                process.kill()
                pytest.fail(f"Odoo did not start, see {log}")
            time.sleep(0.5)
    yield {"url": url, "db": db, "log": log}
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


class Rpc:
    """``execute_kw`` as one user, the way an integration calls Odoo."""

    def __init__(self, server, login, password):
        self.db = server["db"]
        self.password = password
        common = xmlrpc.client.ServerProxy(f"{server['url']}/xmlrpc/2/common")
        self.uid = common.authenticate(self.db, login, password, {})
        assert self.uid, f"cannot log in as {login}"
        self.proxy = xmlrpc.client.ServerProxy(f"{server['url']}/xmlrpc/2/object", allow_none=False)

    def __call__(self, model, method, *args, **kwargs):
        return self.proxy.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self("ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)], ["res_id"])
        return rows[0]["res_id"]


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
