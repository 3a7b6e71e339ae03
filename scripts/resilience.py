"""Resilience run: two Odoo servers on one database, clients spread over both, a worker
killed with SIGKILL in the middle of the load, then Odoo's own backup restored into a new
database and compared file by file.

    make resilience                                   # 8 clients, 2 servers of 2 workers, 60 s
    make resilience ARGS="--clients 4 --duration 20 --db scale_resil"

Each client registers tickets and takes them through review and approval, on the server
of its number. A call that fails because its worker died (connection dropped) or because
PostgreSQL refused a concurrent update is retried; a create whose answer was lost is first
looked up by its unique title, so a retry never registers a ticket twice. Both servers run
their cron thread: the SLA job runs every minute during the run, and each overdue ticket must
get one activity whichever server ran it.

Checks, printed as a table and written to .build/resilience/results.json: every ticket a client
was told was created exists (lost = 0), in the state it was last acknowledged in; no ticket
twice (duplicates = 0); no approved ticket without its reviewer (half-written = 0); one SLA
activity per overdue ticket; the backup restored into ``<db>_restored`` has the same tickets,
the same attachments (sha1 of every file in the restored filestore: signatures, stamps, PDFs)
and serves. Exit status 1 when a check fails. Everything runs on 127.0.0.1 and stops at the end.
"""

import argparse
import hashlib
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
import xmlrpc.client
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import suite
import testkit

OUT = suite.BUILD / "resilience"
RETRYABLE = ("could not serialize", "concurrent update", "deadlock detected")
# What a client sees while PostgreSQL restarts (--pg-restart): the request failed, nothing was
# committed, the call may be made again.
RETRYABLE_RESTART = (
    "terminating connection",
    "server closed the connection",
    "could not connect",
    "connection to server",
    "the database system is",
    "Connection refused",
    "connection already closed",
)


class Client(threading.Thread):
    """One integration on one server: tickets from registration to approval, retrying what
    a dead worker or a serialization failure interrupted."""

    def __init__(self, number, url, db, deadline, customer):
        super().__init__(name=f"client-{number}")
        self.number, self.url, self.db, self.deadline, self.customer = number, url, db, deadline, customer
        self.latencies, self.errors, self.retries = [], [], 0
        self.acknowledged = {}  # ticket id -> last state the server confirmed

    def call(self, model, method, *args, lookup=None):
        """``method`` until it answers; after a failure whose outcome is unknown (the answer was
        lost, or the database went away around the commit), ``lookup`` first checks whether the
        work was done, so that a retried create never registers twice."""
        unknown = False
        for attempt in range(10):
            start = time.perf_counter()
            try:
                if self.rpc is None:
                    self.rpc = testkit.Rpc(self.url, self.db, "admin", "admin", timeout=120)
                if unknown and lookup:
                    found = lookup()
                    if found:
                        return found
                return self.rpc(model, method, *args)
            except xmlrpc.client.Fault as fault:
                if not any(text in fault.faultString for text in RETRYABLE + RETRYABLE_RESTART):
                    self.errors.append(f"{model}.{method}: {fault.faultString.strip().splitlines()[-1][:200]}")
                    return None
                unknown = unknown or any(text in fault.faultString for text in RETRYABLE_RESTART)
            except (OSError, http.client.HTTPException, xmlrpc.client.ProtocolError, PermissionError):
                self.rpc, unknown = None, True  # a fresh connection next time
            finally:
                self.latencies.append(time.perf_counter() - start)
            self.retries += 1
            time.sleep(0.3 * (attempt + 1))
        self.errors.append(f"{model}.{method}: still failing after 10 attempts")
        return None

    def run(self):
        self.rpc = None  # connected on the first call
        count = 0
        while time.monotonic() < self.deadline:
            count += 1
            title = f"Resilience {self.number}-{count}-{time.time_ns()}"

            def lookup(title=title):
                return (self.rpc("aftersales.ticket", "search", [("title", "=", title)]) or [None])[0]

            values = {"partner_id": self.customer, "title": title, "request_type": "consultation"}
            ticket = self.call("aftersales.ticket", "create", values, lookup=lookup)
            if not ticket:
                continue
            self.acknowledged[ticket] = "draft"
            for method, args, state in (
                ("action_submit_review", (), "review"),
                ("write", ({"review_note": "<p>Call the customer</p>"},), None),
                ("action_approve", (), "ready"),
            ):

                def reached(ticket=ticket, state=state):  # the transition was done, its answer lost
                    if state and self.rpc("aftersales.ticket", "read", [ticket], ["state"])[0]["state"] == state:
                        return True
                    return None

                if self.call("aftersales.ticket", method, [ticket], *args, lookup=reached) is None:
                    break
                if state:
                    self.acknowledged[ticket] = state


def server_cmd(conf, db, http_port, gevent_port, workers, log):
    """suite.prefork_cmd with one cron thread: both servers run the scheduled jobs."""
    cmd = suite.prefork_cmd(conf, db, http_port, gevent_port, workers, log)
    return ["nice", "-n", "5", *[("--max-cron-threads=1" if arg == "--max-cron-threads=0" else arg) for arg in cmd]]


def kill_a_worker(server):
    """SIGKILL an HTTP worker of ``server`` while it serves a request: the first worker seen
    with an established connection on the server's HTTP port (its gevent process, started as
    ``odoo-bin gevent …``, is left alone). Returns its pid, or None if none was busy in 10 s."""
    import psutil  # noqa: PLC0415 - an Odoo dependency

    port = int(server.url.rsplit(":", 1)[1])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for child in psutil.Process(server.pid).children(recursive=True):
            try:
                if "gevent" in child.cmdline()[:3]:
                    continue
                busy = [c for c in child.connections("tcp") if c.status == "ESTABLISHED" and c.laddr.port == port]
            except psutil.Error:
                continue
            if busy:
                child.kill()
                return child.pid
        time.sleep(0.01)
    return None


def sql(db, query, params=()):
    import psycopg2  # noqa: PLC0415 - only importable after bootstrap

    with psycopg2.connect(dbname=db, **suite.PG) as conn, conn.cursor() as cr:
        cr.execute(query, params)
        return cr.fetchall() if cr.description else None


def filestore(conf, db):
    for line in Path(conf).read_text().splitlines():
        if line.startswith("data_dir"):
            return Path(line.split("=", 1)[1].strip()) / "filestore" / db
    raise RuntimeError("no data_dir in the config")


def file_digests(conf, db):
    """sha1 of every stored attachment's file, by attachment id; ``None`` when the file is missing."""
    rows = sql(db, "SELECT id, store_fname, checksum FROM ir_attachment WHERE store_fname IS NOT NULL")
    digests = {}
    for att_id, fname, checksum in rows:
        path = filestore(conf, db) / fname
        digests[att_id] = (hashlib.sha1(path.read_bytes()).hexdigest() if path.is_file() else None, checksum)
    return digests


def backup_and_restore(conf, db):
    """Odoo's own backup (zip: dump, filestore, manifest) restored into ``<db>_restored``."""
    target, dump = f"{db}_restored", OUT / f"{db}.zip"
    suite.drop_db(target)
    shutil.rmtree(filestore(conf, target), ignore_errors=True)  # a restore refuses to overwrite one
    odoo = [sys.executable, "-m", "odoo", "db", "-c", str(conf)]
    started = time.perf_counter()
    subprocess.run([*odoo, "dump", db, str(dump)], check=True, capture_output=True)
    subprocess.run([*odoo, "load", target, str(dump)], check=True, capture_output=True)
    seconds = time.perf_counter() - started
    tickets = (
        "SELECT md5(string_agg(id || name || state || coalesce(title, ''), ',' ORDER BY id)) FROM aftersales_ticket"
    )
    source, restored = file_digests(conf, db), file_digests(conf, target)
    different = [att for att, (digest, checksum) in source.items() if restored.get(att) != (digest, checksum)]
    broken = [att for att, (digest, checksum) in restored.items() if digest != checksum]
    return {
        "seconds": round(seconds, 1),
        "bytes": dump.stat().st_size,
        "tickets_identical": sql(db, tickets) == sql(target, tickets),
        "attachments": len(source),
        "attachments_different": len(different),
        "attachments_not_matching_checksum": len(broken),
        "target": target,
    }


def restored_serves(conf, target):
    log = OUT / "restored.log"
    with testkit.serve(lambda http, gevent: server_cmd(conf, target, http, gevent, 1, log), log) as running:
        rpc = testkit.Rpc(running.url, target, "admin", "admin")
        return rpc("aftersales.ticket", "search_count", [])


def job_starts(log, job):
    return sum(1 for line in log.read_text(errors="replace").splitlines() if job in line and "starting" in line)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] if ordered else None


def checks(db, clients, since):
    acknowledged = {ticket: state for client in clients for ticket, state in client.acknowledged.items()}
    rows = dict(sql(db, "SELECT id, state FROM aftersales_ticket WHERE id = ANY(%s)", (list(acknowledged),)))
    lost = [ticket for ticket in acknowledged if ticket not in rows]
    behind = [ticket for ticket, state in acknowledged.items() if ticket in rows and rows[ticket] != state]
    duplicates = sql(
        db,
        "SELECT count(*) FROM (SELECT title FROM aftersales_ticket WHERE title LIKE 'Resilience %%' "
        "AND create_date >= %s GROUP BY title HAVING count(*) > 1) t",
        (since,),
    )[0][0]
    half = sql(
        db,
        "SELECT count(*) FROM aftersales_ticket WHERE state = 'ready' AND reviewer_id IS NULL "
        "AND title LIKE 'Resilience %%'",
    )[0][0]
    activities = sql(
        db,
        "SELECT count(*) FROM (SELECT res_id FROM mail_activity WHERE res_model = 'aftersales.ticket' "
        "AND summary = 'Response overdue' GROUP BY res_id, user_id HAVING count(*) > 1) t",
    )[0][0]
    return {
        "lost": len(lost),
        "state_behind": len(behind),
        "duplicates": duplicates,
        "half_written": half,
        "duplicate_sla_activities": activities,
    }


class PrivateCluster:
    """A PostgreSQL 15 cluster of this run's own on another port (``pg_createcluster``, trusted
    on 127.0.0.1, a superuser named like ours), restarted under load and removed at the end:
    the shared cluster on 5432 is never restarted or reconfigured."""

    def __init__(self, name, port):
        self.name, self.port = name, port

    def run(self, *cmd):
        subprocess.run(cmd, check=True, capture_output=True, timeout=300)

    def trust_localhost(self):
        """Only this machine may connect, without password (the cluster lives minutes)."""
        Path(f"/etc/postgresql/15/{self.name}/pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n"
        )

    def __enter__(self):
        self.run(
            "pg_createcluster",
            "15",
            self.name,
            "-p",
            str(self.port),
            "--start",
            "--",
            "--auth-host=trust",
            "--auth-local=trust",
        )
        try:
            self.trust_localhost()
            self.run("pg_ctlcluster", "15", self.name, "reload")
            role = suite.PG["user"]
            self.run(
                "runuser",
                "-u",
                "postgres",
                "--",
                "psql",
                "-p",
                str(self.port),
                "-c",
                f'CREATE ROLE "{role}" SUPERUSER LOGIN',
            )
        except Exception:
            self.__exit__()
            raise
        return self

    def restart(self):
        started = time.perf_counter()
        self.run("pg_ctlcluster", "15", self.name, "restart")
        return round(time.perf_counter() - started, 1)

    def __exit__(self, *exc):
        subprocess.run(["pg_dropcluster", "15", self.name, "--stop"], check=False, capture_output=True, timeout=300)


class Replica(PrivateCluster):
    """A streaming replica of ``primary`` (``pg_basebackup -R``) as a cluster on another port."""

    def __init__(self, primary, port):
        super().__init__(f"{primary.name}_replica", port)
        self.primary = primary

    def __enter__(self):
        self.run("pg_createcluster", "15", self.name, "-p", str(self.port))
        try:
            data = Path(f"/var/lib/postgresql/15/{self.name}")
            for path in data.iterdir():  # emptied, kept: its parent is not the postgres user's to write
                shutil.rmtree(path) if path.is_dir() else path.unlink()
            self.run(
                "runuser",
                "-u",
                "postgres",
                "--",
                "pg_basebackup",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.primary.port),
                "-U",
                suite.PG["user"],
                "-D",
                str(data),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",  # a checkpoint now, not at the next scheduled one (minutes)
            )
            self.trust_localhost()
            self.run("pg_ctlcluster", "15", self.name, "start")
        except Exception:
            self.__exit__()
            raise
        return self


def replica_reads(port):
    """Transactions the replica has served so far (all its databases)."""
    import psycopg2  # noqa: PLC0415 - only importable after bootstrap

    with psycopg2.connect(dbname="postgres", **{**suite.PG, "port": str(port)}) as conn, conn.cursor() as cr:
        cr.execute("SELECT sum(xact_commit + xact_rollback) FROM pg_stat_database")
        return int(cr.fetchone()[0])


def replica_figures(args, conf, replica, calls=30):
    """The list page and a pivot (read_group) through the web client's JSON-RPC, on a server
    without and then with ``--db_replica_host/port``: their medians, and how many transactions the
    replica served meanwhile (its own statistics)."""
    spec = {"name": {}, "title": {}, "partner_id": {"fields": {"display_name": {}}}, "state": {}, "priority": {}}
    figures = {}
    for label, extra in (
        ("primary", []),
        ("replica", ["--db_replica_host", "127.0.0.1", "--db_replica_port", str(replica.port)]),
    ):
        log = OUT / f"server-{label}.log"

        def command(http, gevent, extra=extra, log=log):
            return [*server_cmd(conf, args.db, http, gevent, args.workers, log), *extra]

        with testkit.serve(command, log) as running:
            web = testkit.WebSession(running.url, args.db, "admin", "admin")
            before = replica_reads(replica.port)
            reads = {
                "list": lambda web=web: web(
                    "aftersales.ticket", "web_search_read", [], specification=spec, limit=80, count_limit=10001
                ),
                "pivot": lambda web=web: web(
                    "aftersales.ticket", "web_read_group", [], ["__count"], ["state", "request_type"], lazy=False
                ),
            }
            times = {kind: [timed(read) for _ in range(calls)] for kind, read in reads.items()}
            figures[label] = {
                **{f"{kind}_ms": round(statistics.median(t) * 1000, 1) for kind, t in times.items()},
                "replica_transactions": replica_reads(replica.port) - before,
            }
    return figures


def timed(func):
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=os.environ.get("AFTERSALES_RESILIENCE_DB", "aftersales_resilience"))
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="workers per server")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (bounded)")
    parser.add_argument(
        "--pg-restart",
        type=int,
        metavar="PORT",
        help="run on a PostgreSQL cluster of its own on PORT (restored from the last backup of --db), "
        "restarted in the middle of the load, removed at the end",
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.pg_restart:
        backup = OUT / f"{args.db}.zip"
        if not backup.is_file():
            sys.exit(f"no backup {backup}: run without --pg-restart first")
        with PrivateCluster(f"{args.db}_pg", args.pg_restart) as cluster:
            suite.PG["port"] = str(args.pg_restart)  # every connection of this run goes there
            conf = suite.write_config("resilience-pg")
            shutil.rmtree(filestore(conf, args.db), ignore_errors=True)
            subprocess.run(
                [sys.executable, "-m", "odoo", "db", "-c", str(conf), "load", args.db, str(backup)],
                check=True,
                capture_output=True,
            )
            with Replica(cluster, args.pg_restart + 1) as replica:
                figures = replica_figures(args, conf, replica)
            (OUT / "results-replica.json").write_text(json.dumps(figures, indent=2))
            print(f"[resilience] read replica: {json.dumps(figures)}", flush=True)
            sys.exit(run_load(args, conf, cluster))
    sys.exit(run_load(args, suite.write_config("resilience")))


def run_load(args, conf, cluster=None):
    """The load on two servers, a worker killed at a third of it (and with ``cluster``, the
    database restarted at half of it), then the checks; the exit status."""
    if not suite.db_exists(args.db):
        print(f"[resilience] installing the addons into {args.db}", flush=True)
        if suite.install(conf, args.db, OUT / "install.log"):
            sys.exit(f"installation failed, see {OUT / 'install.log'}")
    # The SLA job every minute during the run, on both servers.
    sql(
        args.db,
        "UPDATE ir_cron SET interval_number = 1, interval_type = 'minutes', nextcall = now() at time zone 'utc' "
        "WHERE id = (SELECT res_id FROM ir_model_data WHERE module = 'aftersales_service' "
        "AND name = 'ir_cron_aftersales_response_breach')",
    )
    logs = [OUT / "server-a.log", OUT / "server-b.log"]
    for log in logs:
        suite.fresh_log(log)
    results = {"db": args.db, "clients": args.clients, "servers": 2, "workers_per_server": args.workers}
    with (
        testkit.serve(lambda h, g: server_cmd(conf, args.db, h, g, args.workers, logs[0]), logs[0]) as server_a,
        testkit.serve(lambda h, g: server_cmd(conf, args.db, h, g, args.workers, logs[1]), logs[1]) as server_b,
    ):
        admin = testkit.Rpc(server_a.url, args.db, "admin", "admin")
        customers = [admin("res.partner", "create", {"name": f"Resilience customer {n}"}) for n in range(args.clients)]
        since = sql(args.db, "SELECT now() at time zone 'utc'")[0][0]  # this run's tickets only
        # Overdue from the start: the SLA job (on either server) must give each one activity, once.
        overdue = admin(
            "aftersales.ticket",
            "create",
            [
                {"partner_id": customers[0], "title": f"Resilience overdue {n}", "request_date": "2020-01-01 09:00:00"}
                for n in range(30)
            ],
        )
        deadline = time.monotonic() + args.duration
        servers = (server_a, server_b)
        clients = [Client(n, servers[n % 2].url, args.db, deadline, customers[n]) for n in range(args.clients)]
        started = time.perf_counter()
        for client in clients:
            client.start()
        time.sleep(args.duration / 3)
        results["killed_worker"] = kill_a_worker(server_a)
        if cluster:
            time.sleep(args.duration / 6)
            results["postgresql_restart_seconds"] = cluster.restart()
        for client in clients:
            client.join()
        results["seconds"] = round(time.perf_counter() - started, 1)
    latencies = [latency for client in clients for latency in client.latencies]
    results.update(
        calls=len(latencies),
        errors=sum(len(client.errors) for client in clients),
        error_samples=[error for client in clients for error in client.errors][:5],
        retries=sum(client.retries for client in clients),
        tickets=sum(len(client.acknowledged) for client in clients),
        p50_ms=round(statistics.median(latencies) * 1000, 1) if latencies else None,
        p95_ms=round(percentile(latencies, 0.95) * 1000, 1) if latencies else None,
        **checks(args.db, clients, since),
        overdue_without_activity=sql(
            args.db,
            "SELECT count(*) FROM aftersales_ticket t WHERE t.id = ANY(%s) AND NOT EXISTS "
            "(SELECT 1 FROM mail_activity a WHERE a.res_model = 'aftersales.ticket' AND a.res_id = t.id "
            "AND a.summary = 'Response overdue')",
            (overdue,),
        )[0][0],
        # "Job 'After-Sales: flag overdue responses' (id) starting" in each server's log.
        sla_job_runs={log.name: job_starts(log, "flag overdue responses") for log in logs},
    )
    if cluster:  # the backup is checked on the shared cluster's run
        backup = {"tickets_identical": True, "attachments_different": 0, "attachments_not_matching_checksum": 0}
        backup["restored_serves_tickets"] = 1
    else:
        backup = backup_and_restore(conf, args.db)
        backup["restored_serves_tickets"] = restored_serves(conf, backup["target"])
        results["backup"] = backup
    results["load_average"] = os.getloadavg()
    (OUT / ("results-pg-restart.json" if cluster else "results.json")).write_text(json.dumps(results, indent=2))
    keys = (
        "clients",
        "servers",
        "calls",
        "errors",
        "retries",
        "lost",
        "duplicates",
        "half_written",
        "p50_ms",
        "p95_ms",
    )
    print("  ".join(f"{key:>12}" for key in keys))
    print("  ".join(f"{results[key]!s:>12}" for key in keys))
    print(f"[resilience] {json.dumps({k: v for k, v in results.items() if k not in keys}, default=str)}")
    ok = (
        not results["errors"]
        and results["killed_worker"]
        and not any(results[key] for key in ("lost", "duplicates", "half_written", "state_behind"))
        and not results["duplicate_sla_activities"]
        and sum(results["sla_job_runs"].values()) <= results["seconds"] // 60 + 1
        and (not sum(results["sla_job_runs"].values()) or not results["overdue_without_activity"])
        and backup["tickets_identical"]
        and not backup["attachments_different"]
        and not backup["attachments_not_matching_checksum"]
        and backup["restored_serves_tickets"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    main()
