"""Benchmark of the after-sales suite against the OCA peers in the same database (driver).

Builds (or reuses) one database holding our three addons and the OCA ``helpdesk_mgmt``,
``helpdesk_mgmt_sla`` and ``rma`` modules (from PyPI), fills it in bulk SQL, then measures:

1. intake: 1,000 records in batches of 100 with ``execute_kw create`` (XML-RPC);
2. queries of a create batch of 100 vs a batch of 1 (in-process, rolled back);
3. ``aftersales.ticket.get_warranty_status`` of a delivered serial among all the generated
   serials (XML-RPC, and in-process);
4. the list page and the kanban's first load as the web client asks for them (every field
   of the view's arch), ours and helpdesk's interleaved, in-process and over XML-RPC;
5. the response-SLA cron over the open tickets, 1% newly overdue (in-process);
6. the revisit cron over the confirmed sale orders (in-process);
7. the portal page "my tickets" (``GET /my/aftersales``) over HTTP with a real portal session;
8. with ``--browser``: the time until the tickets list and kanban are usable in Chromium.

The code that runs inside ``odoo shell`` is ``bench_inproc.py``; the table is built by
``bench_report.py``; servers and XML-RPC come from ``scripts/testkit``.

Usage: ``make bench`` or ``python tests/benchmarks/bench.py [--rebuild] [--tickets N] [--million]``.
"""

import argparse
import contextlib
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(HERE))

import bench_report  # the table
import suite  # scripts/suite.py: config, odoo command, database helpers
import testkit  # scripts/testkit: XML-RPC client, server on a free port
from bench_fill import PORTAL_LOGIN, PORTAL_PASSWORD
from bench_inproc import _vals

OUT = suite.BUILD / "bench"
OURS = ("aftersales_service", "aftersales_survey", "aftersales_supplier")
PEERS = ("helpdesk_mgmt", "helpdesk_mgmt_sla", "rma")
INTAKE_TOTAL = 1000
INTAKE_BATCH = 100
WARRANTY_CALLS = 200
PORTS = range(8990, 9000)
LOGIN = PASSWORD = "admin"
PORTAL_URL = "/my/aftersales"
STEPS = ("create_queries", "views", "warranty_inproc", "sla", "revisit", "intake", "warranty", "rpc_views", "portal")
SERVER_STEPS = ("intake", "warranty", "rpc_views", "portal", "browser")


def sizes_of(args):
    """Rows generated: ``--tickets`` tickets of ours (helpdesk as many, at most 100,000: the
    peer is compared at the default size), half as many sale orders, as many serials."""
    if args.million:
        return {"tickets": 1_000_000, "helpdesk": 100_000, "orders": 500_000, "serials": 1_000_000, "customers": 10_000}
    tickets = args.tickets
    return {
        "tickets": tickets,
        "helpdesk": min(tickets, 100_000),
        "orders": tickets // 2,
        "serials": tickets,
        "customers": min(10_000, max(100, tickets // 10)),
    }


def git(*args):
    proc = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return proc.stdout.strip()


def log(msg):
    print(f"[bench] {msg}", flush=True)


def shell(conf, db, name, timeout=1800, **params):
    """Run ``bench_inproc.inproc_<name>(env, **params)`` in ``odoo shell``; its JSON answer."""
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(HERE)!r})\n"
        "import bench_inproc\n"
        f"bench_inproc._shell_entry(env, {name!r}, {json.dumps(params)!r})\n"
    )
    logfile = OUT / f"shell-{name}.log"
    cmd = [sys.executable, "-m", "odoo", "shell", "-c", str(conf), "-d", db, "--no-http", "--logfile", str(logfile)]
    cmd += ["--log-level", "warn"]
    cmd = ["nice", "-n", "5", *cmd]  # other work on a shared machine goes first
    proc = subprocess.run(cmd, input=code, capture_output=True, text=True, timeout=timeout, check=False, cwd=ROOT)
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON ") :])
    tail = (
        (proc.stderr or "")[-3000:] + "\n" + (logfile.read_text(errors="replace")[-3000:] if logfile.exists() else "")
    )
    raise RuntimeError(f"odoo shell step {name!r} failed (rc={proc.returncode}):\n{tail}")


def pg(db, sql, params=(), autocommit=False):
    import psycopg2  # noqa: PLC0415 - only importable after bootstrap

    conn = psycopg2.connect(dbname=db, **suite.PG)
    conn.autocommit = autocommit
    try:
        with conn.cursor() as cr:
            cr.execute(sql, params)
            rows = cr.fetchall() if cr.description else None
        conn.commit()
        return rows
    finally:
        conn.close()


def modules_installed(db):
    if not suite.db_exists(db):
        return False
    try:
        rows = pg(
            db,
            "SELECT count(*) FROM ir_module_module WHERE state = 'installed' AND name = ANY(%s)",
            (list(OURS + PEERS),),
        )
    except Exception:  # noqa: BLE001 - a half-made database is rebuilt
        return False
    return rows[0][0] == len(OURS + PEERS)


def db_param(db, key):
    rows = pg(db, "SELECT value FROM ir_config_parameter WHERE key = %s", (key,))
    return rows[0][0] if rows else None


def snapshot_addons():
    """Copy our addons to .build/bench/src: every process of the run (install, shells,
    server) then loads the same code, whatever happens to the working tree meanwhile."""
    src = OUT / "src"
    shutil.rmtree(src, ignore_errors=True)
    digest = hashlib.sha1()
    for name in OURS:
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        for path in sorted((src / name).rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(src)).encode())
                digest.update(path.read_bytes())
    return src, digest.hexdigest()


def write_config(src):
    """scripts/suite.py's config, with our addons taken from the snapshot."""
    conf = suite.write_config("bench")
    paths = [str(src)] + [path for path in suite.odoo_addons_path().split(",") if Path(path) != ROOT]
    lines = [
        f"addons_path = {','.join(paths)}" if line.startswith("addons_path") else line
        for line in conf.read_text().splitlines()
    ]
    conf.write_text("\n".join(lines) + "\n")
    return conf


# Tables the measured requests read, ours and the peers'.
VACUUMED = ("aftersales_ticket", "helpdesk_ticket", "rma", "res_partner", "mail_activity", "mail_message", "stock_lot")


def vacuum(db):
    """VACUUM ANALYZE what the requests read: the cron resets rewrite rows on each run, and
    the dead rows they leave (which autovacuum removes on a live database) would be scanned by
    every count; peers and ours alike."""
    started = time.perf_counter()
    for table in VACUUMED:
        pg(db, f'VACUUM ANALYZE "{table}"', autocommit=True)  # names from the list above
    return round(time.perf_counter() - started, 1)


def filestore(conf, db):
    for line in conf.read_text().splitlines():
        if line.startswith("data_dir"):
            return Path(line.split("=", 1)[1].strip()) / "filestore" / db
    raise RuntimeError("no data_dir in the config")


def copy_db(conf, source, target):
    """``target`` as a copy of ``source`` (PostgreSQL template and filestore)."""
    suite.drop_db(target)
    pg("postgres", f'CREATE DATABASE "{target}" TEMPLATE "{source}"', autocommit=True)
    shutil.rmtree(filestore(conf, target), ignore_errors=True)
    if filestore(conf, source).is_dir():
        shutil.copytree(filestore(conf, source), filestore(conf, target))


def install(conf, db, source_hash, pristine):
    """A fresh install of ours and the peers, kept as ``pristine`` (``<db>_installed``) so that
    a fill of another size starts from a copy in seconds."""
    if not modules_installed(pristine):
        suite.drop_db(pristine)
        log(f"installing {', '.join(OURS + PEERS)} into {pristine} (without demo data; a few minutes)")
        cmd = suite.odoo_cmd(conf, "-d", pristine, "-i", ",".join(OURS + PEERS), "--without-demo=all")
        cmd += ["--stop-after-init", "--no-http", "--logfile", str(OUT / "install.log")]
        if subprocess.run(["nice", "-n", "5", *cmd], check=False, timeout=3600).returncode:
            raise RuntimeError(f"installation failed, see {OUT / 'install.log'}")
        set_param(pristine, "as_bench.source_hash", source_hash)
    if db_param(pristine, "as_bench.source_hash") != source_hash:
        update(conf, pristine)  # once here rather than in every copy
        set_param(pristine, "as_bench.source_hash", source_hash)
    copy_db(conf, pristine, db)


def update(conf, db):
    log(f"our addons changed since {db} was built: updating them")
    cmd = suite.odoo_cmd(conf, "-d", db, "-u", ",".join(OURS), "--stop-after-init", "--no-http")
    cmd += ["--logfile", str(OUT / "update.log")]
    if subprocess.run(["nice", "-n", "5", *cmd], check=False, timeout=3600).returncode:
        raise RuntimeError(f"update failed, see {OUT / 'update.log'}")


def set_param(db, key, value):
    pg(
        db,
        "INSERT INTO ir_config_parameter (key, value, create_date, write_date) VALUES (%s, %s, now(), now()) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        (key, value),
    )


def build_db(conf, db, rebuild, source_hash, sizes, pristine):
    marker = shell_marker(sizes)
    if rebuild or not modules_installed(db) or db_param(db, "as_bench.data_version") not in (None, marker):
        install(conf, db, source_hash, pristine or f"{db}_installed")
    if db_param(db, "as_bench.source_hash") != source_hash:
        update(conf, db)
        set_param(db, "as_bench.source_hash", source_hash)
    log("generating data (reused when present; --rebuild forces)")
    setup = shell(conf, db, "setup", timeout=3600, sizes=sizes)
    log("data: " + ("reused" if setup["reused"] else f"generated in {setup['seconds']} s"))
    portal = shell(conf, db, "portal_setup", tickets=min(sizes["tickets"], 100_000) // 100)
    if not setup["reused"]:
        # The generated rows get their statistics and visibility map before anything reads them.
        vacuum(db)
    return setup["ids"], portal


def shell_marker(sizes):
    from bench_fill import data_marker  # noqa: PLC0415 - the same module odoo shell runs

    return data_marker(sizes)


@contextlib.contextmanager
def server(conf, db, workers=2):
    logfile = OUT / "server.log"
    suite.fresh_log(logfile)
    ports = testkit.port_range(PORTS)

    def command(http_port, gevent_port):
        return ["nice", "-n", "5", *suite.prefork_cmd(conf, db, http_port, gevent_port, workers, logfile)]

    with testkit.serve(command, logfile, ports=ports, cwd=ROOT) as running:
        log(f"server up on {running.url} ({workers} workers, pid {running.pid})")
        yield running.url
    log("server stopped")


def timed(func):
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def rpc_ping(rpc):
    times = [timed(lambda: rpc("res.users", "check_access_rights", "read", raise_exception=False)) for _ in range(50)]
    return statistics.median(times) * 1000


def rpc_intake(rpc, ids, runs):
    """1,000 records in calls of 100 per model, the models in turn on each run (interleaved)."""
    models = ("res.partner", "aftersales.ticket", "helpdesk.ticket", "rma")
    times = {model: [] for model in models}
    for model in models:  # warm-up (both workers)
        for _ in range(2):
            rpc(model, "create", [_vals(model, ids, 0, i) for i in range(10)])
    for run in range(runs):
        for model in models:
            batches = [
                [_vals(model, ids, run * 100 + batch, i) for i in range(INTAKE_BATCH)]
                for batch in range(INTAKE_TOTAL // INTAKE_BATCH)
            ]
            times[model].append(timed(lambda m=model, b=batches: [rpc(m, "create", vals) for vals in b]))
    return {
        model: {"seconds": statistics.median(t), "rps": INTAKE_TOTAL / statistics.median(t), "runs": t}
        for model, t in times.items()
    }


def rpc_warranty(rpc, ids):
    for _ in range(5):
        status = rpc("aftersales.ticket", "get_warranty_status", lot_id=ids["lot"])
    times = [
        timed(lambda: rpc("aftersales.ticket", "get_warranty_status", lot_id=ids["lot"])) for _ in range(WARRANTY_CALLS)
    ]
    return {
        "ms": statistics.median(times) * 1000,
        "p90_ms": sorted(times)[int(len(times) * 0.9)] * 1000,
        "status": status,
    }


def rpc_kanban(rpc, model, view):
    """The kanban's first load over HTTP: the same calls as bench_inproc._kanban_page."""
    group_by = view["group_by"]
    groups = rpc(model, "web_read_group", [], [], [group_by], lazy=True)["groups"]
    if view["progressbar"]:
        bar = view["progressbar"]
        rpc(model, "read_progress_bar", [], group_by, {"field": bar["field"], "colors": json.loads(bar["colors"])})
    for group in groups:
        if not group.get("__fold") and group.get(f"{group_by}_count"):
            rpc(model, "web_search_read", group["__domain"], specification=view["spec"], limit=40)


def rpc_views(url, db, views, runs):
    """List page and kanban of each model over HTTP, ours and the peer's in turn on each run:
    through JSON-RPC with a session and the user's context as the web client asks, and the
    list page also through XML-RPC as an integration asks (its marshalling costs more)."""
    web = testkit.WebSession(url, db, LOGIN, PASSWORD)
    xml = testkit.Rpc(url, db, LOGIN, PASSWORD)
    calls = {}
    for model, view in views.items():
        kw = {"specification": view["list"]["spec"], "limit": 80, "count_limit": 10001}
        calls[f"list {model}"] = lambda m=model, k=kw: web(m, "web_search_read", [], **k)
        calls[f"xmlrpc list {model}"] = lambda m=model, k=kw: xml(m, "web_search_read", [], **k)
        calls[f"kanban {model}"] = lambda m=model, v=view: rpc_kanban(web, m, v["kanban"])
    calls["floor"] = lambda: web("res.users", "check_access_rights", "read", raise_exception=False)
    times = {label: [] for label in calls}
    sizes = {label: len(json.dumps(call())) for label, call in calls.items()}
    for run in range(runs + 3):
        for label, call in calls.items():
            seconds = timed(call)
            if run >= 3:  # three warm-ups: both workers, their caches
                times[label].append(seconds * 1000)
    return {label: {"ms": statistics.median(t), "runs": t, "bytes": sizes[label]} for label, t in times.items()}


def http_portal(url, db, runs):
    """GET the portal's ticket list as the portal customer, with a real session; the query
    count of each request is the server's own (its werkzeug log line: queries, SQL time,
    other time)."""
    import http.cookiejar  # noqa: PLC0415 - only the web session needs it
    import urllib.request  # noqa: PLC0415 - only the web session needs it

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    body = json.dumps(
        {"jsonrpc": "2.0", "method": "call", "params": {"db": db, "login": PORTAL_LOGIN, "password": PORTAL_PASSWORD}}
    ).encode()
    request = urllib.request.Request(
        f"{url}/web/session/authenticate", data=body, headers={"Content-Type": "application/json"}
    )
    with opener.open(request, timeout=60) as response:
        answer = json.loads(response.read())
    if not (answer.get("result") or {}).get("uid"):
        raise RuntimeError(f"portal login failed: {str(answer)[:300]}")

    def get():
        with opener.open(url + PORTAL_URL, timeout=60) as response:
            return response.read().decode()

    page = ""
    for _ in range(3):  # warm-up: both workers, the session's first page
        page = get()
    count = max(runs, 20)
    times = [timed(get) for _ in range(count)]
    time.sleep(1)  # the log lines are written when each request ends
    lines = [
        line
        for line in (OUT / "server.log").read_text(errors="replace").splitlines()
        if f'"GET {PORTAL_URL} HTTP/1.1" 200' in line
    ][-count:]
    queries = [int(line.split('" 200 - ', 1)[1].split()[0]) for line in lines if '" 200 - ' in line]
    return {
        "ms": statistics.median(times) * 1000,
        "p90_ms": sorted(times)[int(len(times) * 0.9)] * 1000,
        "queries": int(statistics.median(queries)) if queries else None,
        "queries_max": max(queries) if queries else None,
        "page_kb": round(len(page) / 1024, 1),
    }


def machine():
    info = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        # Other work on the machine slows every figure: the load when the run starts.
        "load_1_5_15": [round(value, 2) for value in os.getloadavg()],
    }
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(Exception):
        info["postgresql"] = pg("postgres", "SHOW server_version")[0][0]
    with contextlib.suppress(Exception):
        import odoo  # noqa: PLC0415 - only importable after bootstrap

        info["odoo"] = odoo.release.version
    return info


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=os.environ.get("AFTERSALES_BENCH_DB", "as_bench"))
    parser.add_argument("--pristine", help="the installed, empty database each fill copies (<db>_installed)")
    parser.add_argument("--rebuild", action="store_true", help="refill the benchmark database from a fresh install")
    parser.add_argument("--tickets", type=int, default=100_000, help="tickets generated (small while developing)")
    parser.add_argument("--million", action="store_true", help="one million tickets and serials, 500,000 orders")
    parser.add_argument("--runs", type=int, default=9, help="interleaved runs per figure (median)")
    parser.add_argument("--cron-runs", type=int, default=3, help="runs per cron figure (median)")
    parser.add_argument("--only", default=",".join(STEPS), help="steps, comma-separated: " + ",".join(STEPS))
    parser.add_argument("--browser", action="store_true", help="also time the list and kanban in Chromium")
    args = parser.parse_args()
    if "bench" not in args.db:
        parser.error("the benchmark database name must contain 'bench' (it is dropped and refilled)")
    args.only = set(args.only.split(",")) | ({"browser"} if args.browser else set())
    return args


def main():
    args = parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    src, source_hash = snapshot_addons()
    conf = write_config(src)
    sizes = sizes_of(args)
    res = {
        "source": {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain", *OURS))},
        "machine": machine(),
        "db": args.db,
        "sizes": sizes,
        "runs": args.runs,
        "cron_runs": args.cron_runs,
        "errors": {},
    }
    started = time.perf_counter()
    ids, portal = build_db(conf, args.db, args.rebuild, source_hash, sizes, args.pristine)
    res["portal_tickets"] = portal["tickets"]

    def step(name, func):
        log(f"{name} (load {os.getloadavg()[0]:.2f})")
        try:
            res[name] = func()
        except Exception as exc:  # noqa: BLE001 - one failed figure must not hide the others
            text = str(exc).strip()
            res["errors"][name] = f"{type(exc).__name__}: {text.splitlines()[-1] if text else ''}"
            log(f"{name} failed: {exc}")
        (OUT / "partial.json").write_text(json.dumps(res, indent=2, default=str))

    run = args.only.__contains__
    if run("create_queries"):
        step("create_queries", lambda: shell(conf, args.db, "create_queries", timeout=600))
    if run("views") or run("rpc_views") or run("browser"):
        step("views", lambda: shell(conf, args.db, "views", timeout=1800, runs=args.runs))
    if run("warranty_inproc"):
        step("warranty_inproc", lambda: shell(conf, args.db, "warranty", timeout=600))
    if run("sla"):
        step("sla", lambda: shell(conf, args.db, "sla", timeout=3600, runs=args.cron_runs))
    if run("revisit"):
        step("revisit", lambda: shell(conf, args.db, "revisit", timeout=3600, runs=args.cron_runs))
    if run("sla") or run("revisit"):
        step("vacuum_seconds", lambda: vacuum(args.db))
    views = (res.get("views") or {}).get("views")
    if any(map(run, SERVER_STEPS)):
        with server(conf, args.db) as url:
            rpc = testkit.Rpc(url, args.db, LOGIN, PASSWORD)
            step("rpc_floor_ms", lambda: rpc_ping(rpc))
            if run("intake"):
                step("intake", lambda: rpc_intake(rpc, ids, min(args.runs, 5)))
            if run("warranty"):
                step("warranty", lambda: rpc_warranty(rpc, ids))
            if run("rpc_views") and views:
                step("rpc_views", lambda: rpc_views(url, args.db, views, args.runs))
            if run("portal"):
                step("portal", lambda: http_portal(url, args.db, args.runs))
            if run("browser"):
                import bench_browser  # noqa: PLC0415 - Chromium only when asked

                step("browser", lambda: bench_browser.measure(url, args.db, LOGIN, PASSWORD, args.runs, OUT))
    res["seconds"] = round(time.perf_counter() - started, 1)
    res["machine"]["load_1_5_15_at_end"] = [round(value, 2) for value in os.getloadavg()]
    rows = bench_report.build_rows(res)
    keys = ("measure", "ours", "peer", "ratio", "goal", "verdict", "reference")
    res["table"] = [dict(zip(keys, row, strict=True)) for row in rows]
    (OUT / "results.json").write_text(json.dumps(res, indent=2, default=str))
    print()
    print(bench_report.header(res))
    bench_report.print_table(rows)
    log(f"results saved to {OUT / 'results.json'} ({res['seconds']} s)")


if __name__ == "__main__":
    main()
