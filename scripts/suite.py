"""Run the after-sales suite: the product (``run``) and every test (``test``).

Called by ``scripts/run.sh`` / ``scripts/test.sh`` after ``bootstrap.sh`` has made
sure Odoo, PostgreSQL and our Python dependencies are there.
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / ".build"
ADDONS = ("aftersales_service", "aftersales_survey", "aftersales_supplier")
# Installed beside the suite in the test database: CRM turns visit interest into
# opportunities (a soft dependency), so both of its paths are tested.
TEST_EXTRA_MODULES = ("crm",)
PG = {
    "host": os.environ.get("PGHOST", "127.0.0.1"),
    "port": os.environ.get("PGPORT", "5432"),
    "user": os.environ.get("PGUSER", "") or os.environ.get("USER", "") or "root",
}
# Odoo retries serialization failures and logs each retry: the one log line we allow.
ALLOWED_LOG = re.compile(r"bad query.*could not serialize access")
BAD_LOG = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ", re.MULTILINE)


def odoo_addons_path():
    import odoo.addons  # noqa: PLC0415 - only importable after bootstrap

    paths = [str(ROOT), *odoo.addons.__path__]
    odoo_root = Path(odoo.__file__).resolve().parent.parent
    if (odoo_root / "addons").is_dir():
        paths.append(str(odoo_root / "addons"))
    return ",".join(dict.fromkeys(paths))


def write_config(name):
    """One config file per purpose (run, test) so they never share data dirs."""
    BUILD.mkdir(exist_ok=True)
    conf = BUILD / f"{name}.conf"
    conf.write_text(
        "[options]\n"
        f"addons_path = {odoo_addons_path()}\n"
        f"data_dir = {BUILD / ('data-' + name)}\n"
        f"db_host = {PG['host']}\n"
        f"db_port = {PG['port']}\n"
        f"db_user = {PG['user']}\n"
        "admin_passwd = admin\n"
        "list_db = False\n"
    )
    return conf


def odoo_cmd(conf, *args):
    return [sys.executable, "-m", "odoo", "-c", str(conf), *args]


def prefork_cmd(conf, db, http_port, gevent_port, workers, log_path):
    """A server with ``workers`` worker processes on 127.0.0.1, serving ``db`` only.

    The prefork server re-runs its own script to spawn its gevent process, which
    ``python -m odoo`` cannot be (``__main__.py`` is not runnable as a file): the
    odoo-bin script is used when there is one."""
    import odoo  # noqa: PLC0415 - only importable after bootstrap

    scripts = (Path(odoo.__file__).resolve().parent.parent / "odoo-bin", Path(sys.executable).parent / "odoo")
    script = next((str(path) for path in scripts if path.is_file()), None)
    launcher = [sys.executable, script] if script else [sys.executable, "-m", "odoo"]
    return [
        *launcher,
        "-c",
        str(conf),
        "-d",
        db,
        "--db-filter",
        f"^{db}$",
        "--http-interface",
        "127.0.0.1",
        "--http-port",
        str(http_port),
        "--gevent-port",
        str(gevent_port),
        f"--workers={workers}",
        "--max-cron-threads=0",
        "--limit-time-real=600",
        "--limit-time-cpu=600",
        "--logfile",
        str(log_path),
    ]


def pg_connect():
    import psycopg2  # noqa: PLC0415 - only importable after bootstrap

    conn = psycopg2.connect(dbname="postgres", **PG)
    conn.autocommit = True
    return conn


def db_exists(db):
    with pg_connect() as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,))
        return bool(cr.fetchone())


def drop_db(db):
    conn = pg_connect()
    with conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    conn.close()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def install(conf, db, log_path, extra=()):
    """Create ``db`` with the three addons (and ``extra`` modules) and their demo data."""
    return load_modules(conf, db, log_path, "-i", ADDONS + tuple(extra))


def ensure_installed(conf, db, log_path, label):
    """The addons installed into ``db`` unless it exists: a run's database is made once, then reused."""
    if db_exists(db):
        return
    print(f"[{label}] installing the addons into {db}", flush=True)
    if install(conf, db, log_path):
        sys.exit(f"installation failed, see {log_path}")


def load_modules(conf, db, log_path, flag, modules):
    """Install (``-i``) or upgrade (``-u``) ``modules`` in ``db`` and stop."""
    fresh_log(log_path)
    cmd = odoo_cmd(
        conf,
        "-d",
        db,
        flag,
        ",".join(modules),
        "--stop-after-init",
        "--http-port",
        str(free_port()),
        "--logfile",
        str(log_path),
    )
    return subprocess.run(cmd, check=False).returncode


def fresh_log(log_path):
    """Odoo appends to its log file: a check must read this run's lines only."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.unlink(missing_ok=True)


def bad_log_lines(text):
    lines = []
    for line in text.splitlines():
        if BAD_LOG.match(line) and not ALLOWED_LOG.search(line):
            lines.append(line)
    return lines


# -- run ----------------------------------------------------------------


def cmd_run(args):
    conf = write_config("run")
    if not db_exists(args.db):
        print(f"Creating database {args.db} with the after-sales addons and demo data…", flush=True)
        if install(conf, args.db, BUILD / "run-install.log"):
            sys.exit(f"Installation failed, see {BUILD / 'run-install.log'}")
    print(
        f"\n  After-sales suite: http://localhost:{args.port}/odoo"
        f"\n  database {args.db}, login admin / password admin\n",
        flush=True,
    )
    os.execv(
        sys.executable,
        odoo_cmd(
            conf,
            "-d",
            args.db,
            "--db-filter",
            f"^{args.db}$",
            "--http-port",
            str(args.port),
        ),
    )


# -- test ---------------------------------------------------------------


def junit_counts(junit):
    """``passed``, ``failed`` (a failure or an error) and ``skipped`` tests as pytest wrote them.

    Counted per ``<testcase>``: the suite's ``tests`` attribute also counts each subTest
    (pytest 9 reports them), which would make one test with ten subTests eleven."""
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    if not junit.exists():
        return counts
    for case in ET.parse(junit).getroot().iter("testcase"):
        outcomes = {child.tag for child in case}
        if outcomes & {"failure", "error"}:
            counts["failed"] += 1
        elif "skipped" in outcomes:
            counts["skipped"] += 1
        else:
            counts["passed"] += 1
    return counts


def unit_tests(conf, db, log_path):
    """The addons' own tests (TransactionCase, HttpCase tours) under pytest-odoo.

    They run in the database just installed, so every test (at_install ones too) runs
    post-install; ``--odoo-http`` starts Odoo's HTTP server in the pytest process for the
    HttpCase tests and the browser tours. Odoo logs at INFO into ``log_path``, which is
    checked for warnings and errors as Odoo's own runner's log was."""
    fresh_log(log_path)
    junit = BUILD / "test" / "addons.xml"
    junit.unlink(missing_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        *(str(ROOT / name / "tests") for name in ADDONS),
        f"--odoo-config={conf}",
        f"--odoo-database={db}",
        "--odoo-http",
        "--odoo-log-level=info",
        f"--odoo-extra=logfile={log_path}",
        f"--junitxml={junit}",
        "-q",
    ]
    returncode = subprocess.run(cmd, cwd=ROOT, check=False).returncode
    counts = junit_counts(junit)
    text = log_path.read_text(errors="replace") if log_path.exists() else ""
    problems = bad_log_lines(text)
    # A tour that did not really run (no Chromium, no websocket-client: Odoo skips it) is
    # a failure here, and so is any skipped addon test.
    tours = sum(path.read_text().count("start_tour(") for name in ADDONS for path in (ROOT / name).glob("tests/*.py"))
    browsers = text.count("Browser version: Chrome")
    if browsers < tours:
        problems.append(f"{tours} browser tour(s) in the addons but Chromium ran {browsers} time(s)")
    if counts["skipped"]:
        problems.append(f"{counts['skipped']} addon test(s) skipped (see {junit})")
    for line in problems:
        print("  odoo log:", line[:400])
    total = counts["passed"] + counts["failed"]
    if not total:
        print("  pytest-odoo: no test ran (see", log_path, ")")
    ok = returncode == 0 and total and not counts["failed"] and not problems
    return {
        "passed": counts["passed"],
        "failed": counts["failed"] + (0 if ok or counts["failed"] else 1),
        "ok": bool(ok),
    }


def integration_tests(db, install_log, conf, extra):
    junit = BUILD / "test" / "pytest.xml"
    junit.unlink(missing_ok=True)
    env = dict(os.environ, AFTERSALES_DB=db, AFTERSALES_INSTALL_LOG=str(install_log), AFTERSALES_ODOO_CONF=str(conf))
    cmd = [sys.executable, "-m", "pytest", str(ROOT / "tests"), f"--junitxml={junit}", *extra]
    returncode = subprocess.run(cmd, env=env, cwd=ROOT, check=False).returncode
    counts = junit_counts(junit)
    counts["ok"] = returncode == 0 and counts["passed"] > 0
    if not counts["ok"] and not counts["failed"]:
        counts["failed"] = 1
    return counts


# Besides our own tables, the documents our flows create: an upgrade must keep them all.
KEPT_TABLES = ("sale_order", "purchase_order", "stock_move", "account_move", "mail_message", "mail_activity")


def table_counts(db):
    import psycopg2  # noqa: PLC0415 - only importable after bootstrap

    with psycopg2.connect(dbname=db, **PG) as conn, conn.cursor() as cr:
        cr.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'aftersales\\_%%'")
        tables = sorted({row[0] for row in cr.fetchall()} | set(KEPT_TABLES))
        counts = {}
        for table in tables:
            # Table names come from pg_tables and our own list, not from input.
            cr.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cr.fetchone()[0]
    return counts


def upgrade_check(conf, db, log_path):
    """Upgrading the addons (-u) on the database the tests filled keeps every row and logs no warning."""
    before = table_counts(db)
    returncode = load_modules(conf, db, log_path, "-u", ADDONS)
    after = table_counts(db)
    problems = bad_log_lines(log_path.read_text(errors="replace"))
    problems += [
        f"{table}: {count} rows before, {after.get(table)} after"
        for table, count in before.items()
        if after.get(table) != count
    ]
    for line in problems:
        print("  upgrade:", line[:400])
    ok = returncode == 0 and not problems
    print(f"[test] upgrade of {sum(before.values())} rows in {len(before)} tables: {'kept' if ok else 'FAILED'}")
    return {"passed": int(ok), "failed": int(not ok), "ok": ok}


def cmd_test(args):
    conf = write_config("test")
    db = args.db
    logs = BUILD / "test"
    logs.mkdir(parents=True, exist_ok=True)
    drop_db(db)
    print(f"[test] installing {', '.join(ADDONS + TEST_EXTRA_MODULES)} into a fresh database {db}", flush=True)
    install_log = logs / "install.log"
    if install(conf, db, install_log, extra=TEST_EXTRA_MODULES):
        print(install_log.read_text(errors="replace")[-4000:])
        print("0 passed, 1 failed")
        sys.exit(1)
    print("[test] addon tests (pytest-odoo, browser tours in Chromium)", flush=True)
    unit = unit_tests(conf, db, logs / "unit.log")
    print(f"[test] addon tests: {unit['passed']} passed, {unit['failed']} failed", flush=True)
    print("[test] integration tests over XML-RPC (pytest)", flush=True)
    integ = integration_tests(db, install_log, conf, args.pytest_args)
    print("[test] upgrading the addons on the database the tests filled", flush=True)
    upgrade = upgrade_check(conf, db, logs / "upgrade.log")
    passed = unit["passed"] + integ["passed"] + upgrade["passed"]
    failed = unit["failed"] + integ["failed"] + upgrade["failed"]
    ok = unit["ok"] and integ["ok"] and upgrade["ok"]
    summary = f"{passed} passed, {failed} failed"
    if integ["skipped"]:
        summary += f", {integ['skipped']} skipped"
    print(f"\nsuite: {summary}")
    sys.exit(0 if ok else 1)


def cmd_pot(args):
    """Write each addon's ``i18n/<addon>.pot`` as Odoo exports it: the template translators
    start from (Odoo's Settings > Translations > Import uses it for a new language)."""
    conf = write_config("pot")
    db = args.db
    log = BUILD / "pot" / "install.log"
    if not args.keep or not db_exists(db):
        drop_db(db)
        print(f"[pot] installing {', '.join(ADDONS + TEST_EXTRA_MODULES)} into {db}", flush=True)
        # Same modules and demo data as the test database, whose terms tests/test_i18n compares.
        if install(conf, db, log, extra=TEST_EXTRA_MODULES):
            print(log.read_text(errors="replace")[-4000:])
            sys.exit(1)
    for addon in ADDONS:
        target = ROOT / addon / "i18n" / f"{addon}.pot"
        target.parent.mkdir(exist_ok=True)
        cmd = odoo_cmd(conf, "-d", db, f"--i18n-export={target}", f"--modules={addon}", "--logfile", str(log))
        subprocess.run(cmd, check=True)
        print(f"[pot] {target.relative_to(ROOT)}", flush=True)
    if not args.keep:
        drop_db(db)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="serve the product on localhost")
    run.add_argument("--db", default=os.environ.get("AFTERSALES_DB", "aftersales"))
    run.add_argument("--port", type=int, default=int(os.environ.get("AFTERSALES_PORT", "8069")))
    test = sub.add_parser("test", help="run every test on a fresh database")
    test.add_argument("--db", default=os.environ.get("AFTERSALES_TEST_DB", "aftersales_test"))
    test.add_argument("pytest_args", nargs="*")
    pot = sub.add_parser("pot", help="regenerate each addon's i18n/<addon>.pot")
    pot.add_argument("--db", default=os.environ.get("AFTERSALES_POT_DB", "aftersales_pot"))
    pot.add_argument("--keep", action="store_true", help="reuse the database if it exists and keep it")
    args = parser.parse_args()
    {"run": cmd_run, "test": cmd_test, "pot": cmd_pot}[args.command](args)


if __name__ == "__main__":
    main()
