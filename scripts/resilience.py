"""Resilience run: Odoo beyond one server, in phases (``--phases``, all by default).

    make resilience                                   # 8 clients, 2 servers of 2 workers, 60 s a load phase
    make resilience ARGS="--clients 8 --duration 45 --db h_resil_run --phases two-servers,replica"

two-servers
    Two prefork servers (workers and a cron worker each) on one database; the clients spread
    over both and over the four flows: the ticket (registration, review, approval), the field
    form (dispatched, arrival, a spare part, the signature, done, filed), the supplier claim
    (sent, acknowledged, in progress, replacement ordered, resolved) and the revisit (a key
    customer's sale, the planner, the revisit done). The scheduled jobs (SLA, claim reminders,
    revisit planner, feedback SLA) are due every minute on both servers, with overdue tickets
    and late claims to work on; the cron worker running the SLA job is killed (SIGKILL) in the
    middle of its batches, and an HTTP worker while it serves a request.
pg-restart
    The same load, and the shared PostgreSQL cluster (``pg_ctlcluster 15 main restart -m
    fast``) restarted half-way: the servers reconnect, the clients retry.
replica
    A streaming replica of the shared cluster (``pg_basebackup -R``) on ``--replica-port``; the
    list page, the after-sales analysis (read_group), a ticket's PDF and a write through the web
    client on a server without and with ``--db_replica_host/port``: medians, and the statements
    each cluster ran for each (``log_statement = 'all'`` for this database during the phase).
backup
    Odoo's own backup (zip: dump, filestore, manifest) restored into ``<db>_restored``: the same
    tickets, every attachment's SHA-1 (signatures, stamps, PDFs), and the restored database serves.

A call that fails because its worker died, the database went away or PostgreSQL refused a
concurrent update is retried; when its outcome is unknown the client first looks whether the work
was done (so a retried create never creates twice). After each load phase, by SQL: every write
the client saw succeed is there in its acknowledged state (lost), no duplicates (tickets, forms
per ticket, parts per form, parts out of stock twice, claims per ticket, planned revisits per
customer, SLA activities, claim reminders), nothing half-written (approved without reviewer, form
done without its stock move, filed without who filed it, claim resolved without its replacement,
flagged without its activity), every overdue ticket flagged and late claim reminded (the killed
run resumed), and each job's calls never overlapping between processes (once per schedule
across both servers). A table per phase (clients, servers, calls, errors, retries, lost,
duplicates, half-written, p50/p95), details in .build/resilience/results.json; exit status 1
when a check fails. Everything runs on 127.0.0.1; servers and the replica stop at the end.
"""

import argparse
import contextlib
import datetime
import hashlib
import http.client
import json
import math
import os
import re
import shutil
import signal
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
# The shared cluster: the replica is made from it, the pg-restart phase restarts it.
MAIN_CLUSTER = ("15", "main")
TICKET_REPORT = "aftersales_service.report_aftersales_ticket"
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
    """One integration on one server, running one of the four flows again and again, retrying
    what a dead worker, a restarted database or a serialization failure interrupted.

    ``acknowledged`` maps (table, id) to the state the server last confirmed (``None``: the row
    must exist, its state has moved on since): every call the client saw succeed must be found
    in the database at the end."""

    def __init__(self, number, url, db, deadline, fixtures):
        super().__init__(name=f"client-{number}")
        self.number, self.url, self.db, self.deadline, self.fx = number, url, db, deadline, fixtures
        self.flow = FLOWS[number % len(FLOWS)]
        self.latencies, self.errors, self.retries, self.failed_then_retried = [], [], 0, 0
        self.acknowledged = {}
        self.rpc = None

    def call(self, model, method, *args, lookup=None, **kwargs):
        """``method`` until it answers; after a failure whose outcome is unknown (the answer was
        lost, or the database went away around the commit), ``lookup`` first checks whether the
        work was done, so that a retried create never creates twice."""
        unknown, failed = False, False
        for attempt in range(12):
            if time.monotonic() > self.deadline + GRACE:  # the run is bounded, whatever hangs
                self.errors.append(f"{model}.{method}: still failing {GRACE} s after the end of the run")
                return None
            start = time.perf_counter()
            try:
                if self.rpc is None:
                    self.rpc = testkit.Rpc(self.url, self.db, "admin", "admin", timeout=GRACE)
                if unknown and lookup:
                    found = lookup()
                    if found:
                        self.failed_then_retried += failed
                        return found
                result = self.rpc(model, method, *args, **kwargs)
                self.failed_then_retried += failed
                return result
            except xmlrpc.client.Fault as fault:
                if not any(text in fault.faultString for text in RETRYABLE + RETRYABLE_RESTART):
                    self.errors.append(f"{model}.{method}: {fault.faultString.strip().splitlines()[-1][:200]}")
                    return None
                unknown = unknown or any(text in fault.faultString for text in RETRYABLE_RESTART)
            except (OSError, http.client.HTTPException, xmlrpc.client.ProtocolError, PermissionError):
                self.rpc, unknown = None, True  # a fresh connection next time
            finally:
                self.latencies.append(time.perf_counter() - start)
            failed = True
            self.retries += 1
            time.sleep(0.3 * (attempt + 1))
        self.errors.append(f"{model}.{method}: still failing after 12 attempts")
        return None

    def transition(self, model, table, record, method, state, *args):
        """``method`` on ``record``; the state it leads to acknowledged once the server said so."""

        def reached():  # the transition was done, its answer lost
            return self.rpc(model, "read", [record], ["state"])[0]["state"] == state or None

        if self.call(model, method, [record], *args, lookup=reached) is None:
            return False
        self.acknowledged[(table, record)] = state
        return True

    def create(self, model, table, values, domain, state="draft"):
        """A record made once: when the answer is lost, ``domain`` finds the one already made."""

        def lookup():
            return (self.rpc(model, "search", domain) or [None])[0]

        record = self.call(model, "create", values, lookup=lookup)
        if record:
            self.acknowledged[(table, record)] = state
        return record

    def open_document(self, method, ticket, model, state):
        """``method`` of ``ticket`` makes a ``model`` record and opens it; when the answer is
        lost, the one made is found by its ticket. Its id, its state acknowledged."""

        def made():
            found = self.rpc(model, "search", [("ticket_id", "=", ticket)])
            return {"res_id": found[0]} if found else None

        action = self.call("aftersales.ticket", method, [ticket], lookup=made)
        if not action:
            return None
        self.acknowledged[(model.replace(".", "_"), action["res_id"])] = state
        return action["res_id"]

    def new_ticket(self, tag, **values):
        title = f"Resilience {tag}"
        values = {"partner_id": self.fx["customers"][self.number], "title": title, **values}
        return self.create("aftersales.ticket", "aftersales_ticket", values, [("title", "=", title)])

    def approved_ticket(self, tag, **values):
        ticket = self.new_ticket(tag, request_type="consultation", **values)
        for method, state in (("action_submit_review", "review"), ("action_approve", "ready")):
            if not ticket or not self.transition("aftersales.ticket", "aftersales_ticket", ticket, method, state):
                return None
        return ticket

    def flow_ticket(self, tag):
        """Registration, review with a plan, approval."""
        ticket = self.new_ticket(tag, request_type="consultation")
        if not ticket or not self.transition(
            "aftersales.ticket", "aftersales_ticket", ticket, "action_submit_review", "review"
        ):
            return
        if self.call("aftersales.ticket", "write", [ticket], {"review_note": "<p>Call the customer</p>"}) is None:
            return
        self.transition("aftersales.ticket", "aftersales_ticket", ticket, "action_approve", "ready")

    def flow_form(self, tag):
        """The field form: planned by dispatching the approved ticket, arrival on site, a spare
        part used, the customer's signature, done (the part leaves stock), filed by sales."""
        ticket = self.approved_ticket(tag, review_note="<p>Visit</p>", technician_ids=[(6, 0, [self.fx["technician"]])])
        if not ticket:
            return

        form = self.open_document("action_dispatch", ticket, "aftersales.dispatch", "planned")
        if not form:
            return
        self.acknowledged[("aftersales_ticket", ticket)] = None  # dispatching moves the ticket on
        if not self.transition("aftersales.dispatch", "aftersales_dispatch", form, "action_start", "on_site"):
            return
        part = self.create(
            "aftersales.dispatch.part",
            "aftersales_dispatch_part",
            {"dispatch_id": form, "product_id": self.fx["spare"], "quantity": 1},
            [("dispatch_id", "=", form)],
            state=None,
        )
        signed = self.call("aftersales.dispatch", "write", [form], {"signature": PNG, "signed_by": f"Signer {tag}"})
        if not part or signed is None:
            return
        for method, state in (("action_done", "done"), ("action_file", "filed")):
            if not self.transition("aftersales.dispatch", "aftersales_dispatch", form, method, state):
                return

    def flow_claim(self, tag):
        """A failed part claimed from its vendor: sent, acknowledged, in progress, a replacement
        ordered, resolved."""
        ticket = self.new_ticket(tag, product_id=self.fx["claim_part"])
        if not ticket or not self.transition(
            "aftersales.ticket", "aftersales_ticket", ticket, "action_submit_review", "review"
        ):
            return

        model, table = "aftersales.supplier.claim", "aftersales_supplier_claim"
        claim = self.open_document("action_create_supplier_claim", ticket, model, "draft")
        if not claim:
            return
        for method, state in (
            ("action_send", "sent"),
            ("action_acknowledge", "acknowledged"),
            ("action_start", "in_progress"),
        ):
            if not self.transition(model, table, claim, method, state):
                return

        def replaced():
            found = self.rpc(model, "read", [claim], ["replacement_order_id"])[0]["replacement_order_id"]
            return {"res_id": found[0]} if found else None

        if not self.call(model, "action_create_replacement_order", [claim], lookup=replaced):
            return
        self.transition(model, table, claim, "action_resolve", "resolved")

    def flow_revisit(self, tag):
        """A key customer's confirmed sale, the planner (racing the scheduler and the other
        clients), the planned revisit done with its outcome."""
        name = f"Resilience key customer {tag}"
        customer = self.create(
            "res.partner",
            "res_partner",
            {"name": name, "is_company": True, "aftersales_tier_id": self.fx["tier"]},
            [("name", "=", name)],
            state=None,
        )
        if not customer:
            return
        order = self.create(
            "sale.order",
            "sale_order",
            {"partner_id": customer, "order_line": [(0, 0, {"product_id": self.fx["service"], "product_uom_qty": 1})]},
            [("partner_id", "=", customer)],
        )
        if not order or not self.transition("sale.order", "sale_order", order, "action_confirm", "sale"):
            return
        revisit = None
        for _attempt in range(5):  # a planner run that finds another one at work plans nothing
            if self.call("aftersales.revisit", "action_generate_revisits") is None:
                return
            found = self.call(
                "aftersales.revisit", "search", [("partner_id", "=", customer), ("state", "=", "planned")]
            )
            if found is None:
                return
            if found:
                revisit = found[0]
                break
            time.sleep(1)
        if not revisit:
            self.errors.append(f"no revisit planned for customer {customer}")
            return
        self.acknowledged[("aftersales_revisit", revisit)] = "planned"
        if self.call("aftersales.revisit", "write", [revisit], {"outcome": "satisfied", "channel": "phone"}) is None:
            return
        self.transition("aftersales.revisit", "aftersales_revisit", revisit, "action_done", "done")

    def run(self):
        count = 0
        while time.monotonic() < self.deadline:
            count += 1
            getattr(self, f"flow_{self.flow}")(f"{self.fx['run']}-{self.number}-{count}")


FLOWS = ("ticket", "form", "claim", "revisit")
# Seconds a call may take, and how long after the end of the load a call is still retried.
GRACE = 60
# A 1x1 PNG: the customer's signature on the field form.
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def server_cmd(conf, db, http_port, gevent_port, workers, log, cron=True):
    """suite.prefork_cmd, with one cron worker when ``cron``: both servers run the scheduled jobs."""
    cmd = suite.prefork_cmd(conf, db, http_port, gevent_port, workers, log)
    threads = "--max-cron-threads=1" if cron else "--max-cron-threads=0"
    return ["nice", "-n", "5", *[(threads if arg == "--max-cron-threads=0" else arg) for arg in cmd]]


def kill_a_worker(server):
    """SIGKILL an HTTP worker of ``server`` while it serves one of this run's clients: the first
    worker seen with an established connection from one of our own sockets. Not one serving
    wkhtmltopdf's asset requests: the worker printing that PDF would wait for them until its
    time limit (10 minutes), as one did in a run. Its gevent process, started as ``odoo-bin
    gevent …``, is left alone. Returns its pid, or None if none was busy in 10 s."""
    import psutil  # noqa: PLC0415 - an Odoo dependency

    port = int(server.url.rsplit(":", 1)[1])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        ours = {c.laddr.port for c in psutil.Process().connections("tcp") if c.raddr and c.raddr.port == port}
        for child in psutil.Process(server.pid).children(recursive=True):
            try:
                if "gevent" in child.cmdline()[:3]:
                    continue
                busy = [
                    c
                    for c in child.connections("tcp")
                    if c.status == "ESTABLISHED" and c.laddr.port == port and c.raddr and c.raddr.port in ours
                ]
            except psutil.Error:
                continue
            if busy:
                child.kill()
                return child.pid
        time.sleep(0.01)
    return None


def sql(db, query, params=(), port=None):
    import psycopg2  # noqa: PLC0415 - only importable after bootstrap

    with (
        psycopg2.connect(dbname=db, **{**suite.PG, **({"port": str(port)} if port else {})}) as conn,
        conn.cursor() as cr,
    ):
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
    with testkit.serve(lambda http, gevent: server_cmd(conf, target, http, gevent, 1, log, cron=False), log) as running:
        rpc = testkit.Rpc(running.url, target, "admin", "admin")
        return rpc("aftersales.ticket", "search_count", [])


# The scheduled jobs that must run once per schedule across both servers, every minute during
# the run. The SLA job flags a small batch per call, so that it is still at work when a
# server's cron worker is killed in the middle of it.
CRONS = {
    "sla": (
        "aftersales_service",
        "ir_cron_aftersales_response_breach",
        "model._cron_flag_response_breaches(batch_size=20)",
    ),
    "claim_reminders": ("aftersales_supplier", "ir_cron_supplier_claim_overdue", None),
    "revisits": ("aftersales_survey", "ir_cron_aftersales_generate_revisits", None),
    "feedback_sla": ("aftersales_survey", "ir_cron_aftersales_feedback_response", None),
}
CRON_LINE = re.compile(
    r"^(\S+ \S+) (\d+) INFO \S+ odoo\.addons\.base\.models\.ir_cron: Job '(.*)' \((\d+)\) (starting|done in|completed)"
)


class EveryMinute:
    """The jobs of CRONS due now and every minute (their code adjusted as CRONS says); their
    schedule and code as they were afterwards."""

    def __init__(self, db):
        self.db = db

    def __enter__(self):
        self.saved = {}
        for key, (module, name, code) in CRONS.items():
            cron, action, *schedule, old_code = sql(
                self.db,
                "SELECT c.id, c.ir_actions_server_id, c.interval_number, c.interval_type, a.code FROM ir_cron c "
                "JOIN ir_act_server a ON a.id = c.ir_actions_server_id JOIN ir_model_data d ON d.res_id = c.id "
                "AND d.model = 'ir.cron' WHERE d.module = %s AND d.name = %s",
                (module, name),
            )[0]
            self.saved[key] = (cron, action, schedule, old_code)
            sql(
                self.db,
                "UPDATE ir_cron SET interval_number = 1, interval_type = 'minutes', active = true, "
                "failure_count = 0, nextcall = now() at time zone 'utc' WHERE id = %s",
                (cron,),
            )
            if code:
                sql(self.db, "UPDATE ir_act_server SET code = %s WHERE id = %s", (code, action))
        return {key: saved[0] for key, saved in self.saved.items()}

    def __exit__(self, *exc):
        for cron, action, (number, kind), code in self.saved.values():
            sql(
                self.db,
                "UPDATE ir_cron SET interval_number = %s, interval_type = %s WHERE id = %s",
                (number, kind, cron),
            )
            sql(self.db, "UPDATE ir_act_server SET code = %s WHERE id = %s", (code, action))


def wake_crons(db):
    """What ``ir.cron._notifydb`` does: the cron workers listening on ``cron_trigger`` look now."""
    sql("postgres", "SELECT pg_notify('cron_trigger', %s)", (db,))


def cron_events(logs):
    """(time, pid, cron id, what) of every job event in the servers' logs."""
    events = []
    for log in logs:
        for line in log.read_text(errors="replace").splitlines():
            match = CRON_LINE.match(line)
            if match:
                stamp = datetime.datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S,%f")
                events.append((stamp, int(match[2]), int(match[4]), match[5]))
    return sorted(events)


def cron_figures(logs, crons, end, killed):
    """Per job: scheduled runs completed, calls (batches), and calls that overlapped a call of
    the same job in another process (two servers doing the same run: must be 0). ``killed``
    maps the pid of a killed cron worker to when it was killed."""
    events = cron_events(logs)
    figures = {}
    for key, cron in crons.items():
        mine = [event for event in events if event[2] == cron]
        calls, open_calls = [], {}
        for stamp, pid, _cron, what in mine:
            if what == "starting":
                open_calls[pid] = stamp
            elif what == "done in" and pid in open_calls:
                calls.append((open_calls.pop(pid), stamp, pid))
        # A call that never logged its end was killed (then it ended with its process) or is
        # still at work (then it lasts until now).
        calls += [(stamp, killed.get(pid, end), pid) for pid, stamp in open_calls.items()]
        overlaps = sum(
            1
            for i, (start, stop, pid) in enumerate(calls)
            for other_start, other_stop, other_pid in calls[i + 1 :]
            if pid != other_pid and start < other_stop and other_start < stop
        )
        figures[key] = {
            "runs": sum(1 for event in mine if event[3] == "completed"),
            "calls": len(calls),
            "processes": len({pid for _start, _stop, pid in calls}),
            "overlapping": overlaps,
        }
    return figures


def kill_cron_mid_batch(db, logs, crons, overdue, timeout):
    """SIGKILL the cron worker running the SLA job once it committed some batches but not all:
    the pid of the job's last ``starting`` line in the servers' logs. Returns what was done
    when it died, or None if the job was never caught in the middle."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        flagged = sql(
            db, "SELECT count(*) FROM aftersales_ticket WHERE id = ANY(%s) AND response_breached", (overdue,)
        )[0][0]
        if 0 < flagged < len(overdue) - 40:  # two batches of 20 at least still to do
            running = [event for event in cron_events(logs) if event[2] == crons["sla"]]
            if running and running[-1][3] == "starting":
                pid = running[-1][1]
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                    killed_at = datetime.datetime.now()
                    wake_crons(db)  # the other server's (or the respawned) cron worker looks now
                    return {"pid": pid, "at": killed_at, "flagged_before": flagged, "overdue": len(overdue)}
        time.sleep(0.1)
    return None


def wait_for(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(1)
    return condition()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] if ordered else None


# Each query counts rows that must not exist; its name is the table's column.
DUPLICATES = {
    "tickets (same title)": "SELECT count(*) FROM (SELECT title FROM aftersales_ticket WHERE title LIKE "
    "'Resilience %%' AND create_date >= %(since)s GROUP BY title HAVING count(*) > 1) t",
    "field forms per ticket": "SELECT count(*) FROM (SELECT ticket_id FROM aftersales_dispatch WHERE create_date >= "
    "%(since)s GROUP BY ticket_id HAVING count(*) > 1) t",
    "parts per form": "SELECT count(*) FROM (SELECT dispatch_id FROM aftersales_dispatch_part WHERE product_id = "
    "%(spare)s GROUP BY dispatch_id HAVING count(*) > 1) t",
    "parts out of stock twice": "SELECT (SELECT count(*) FROM stock_move m JOIN stock_location l ON l.id = "
    "m.location_dest_id WHERE m.product_id = %(spare)s AND m.state = 'done' AND l.usage = 'customer') - (SELECT "
    "count(*) FROM aftersales_dispatch_part p JOIN stock_move m ON m.id = p.move_id WHERE p.product_id = %(spare)s "
    "AND m.state = 'done')",
    "claims per ticket": "SELECT count(*) FROM (SELECT ticket_id FROM aftersales_supplier_claim WHERE create_date >= "
    "%(since)s GROUP BY ticket_id HAVING count(*) > 1) t",
    "planned revisits per customer": "SELECT count(*) FROM (SELECT partner_id FROM aftersales_revisit WHERE state = "
    "'planned' GROUP BY partner_id, company_id HAVING count(*) > 1) t",
    "SLA activities": "SELECT count(*) FROM (SELECT res_id FROM mail_activity WHERE res_model = 'aftersales.ticket' "
    "AND summary = 'Response overdue' GROUP BY res_id, user_id HAVING count(*) > 1) t",
    "claim reminders": "SELECT count(*) FROM (SELECT res_id FROM mail_activity WHERE res_model = "
    "'aftersales.supplier.claim' AND summary = 'Claim overdue' GROUP BY res_id HAVING count(*) > 1) t",
}
HALF_WRITTEN = {
    "approved ticket without its reviewer": "SELECT count(*) FROM aftersales_ticket WHERE state = 'ready' AND "
    "reviewer_id IS NULL AND title LIKE 'Resilience %%'",
    "form done without its stock move": "SELECT count(*) FROM aftersales_dispatch_part p JOIN aftersales_dispatch d "
    "ON d.id = p.dispatch_id LEFT JOIN stock_move m ON m.id = p.move_id WHERE d.state IN ('done', 'filed') AND "
    "p.product_id = %(spare)s AND (m.id IS NULL OR m.state != 'done')",
    "form filed without who filed it": "SELECT count(*) FROM aftersales_dispatch WHERE state = 'filed' AND "
    "(filed_by_id IS NULL OR filed_date IS NULL)",
    "claim resolved without its replacement": "SELECT count(*) FROM aftersales_supplier_claim c JOIN "
    "aftersales_ticket t ON t.id = c.ticket_id WHERE c.state = 'resolved' AND c.replacement_order_id IS NULL AND "
    "t.title LIKE 'Resilience %%'",
    "overdue ticket flagged without its activity": "SELECT count(*) FROM aftersales_ticket t WHERE t.id = "
    "ANY(%(overdue)s) AND t.response_breached AND NOT EXISTS (SELECT 1 FROM mail_activity a WHERE a.res_model = "
    "'aftersales.ticket' AND a.res_id = t.id AND a.summary = 'Response overdue')",
}


STATELESS = ("res_partner", "aftersales_dispatch_part")


def checks(db, clients, params):
    """Lost acknowledged writes, duplicates and half-written documents, by SQL on the primary."""
    acknowledged = {}
    for client in clients:
        acknowledged.update(client.acknowledged)
    lost, behind = [], []
    for table in {table for table, _id in acknowledged}:
        ids = [record for (name, record) in acknowledged if name == table]
        found = dict(
            sql(
                db,
                f"SELECT id, {'NULL' if table in STATELESS else 'state'} FROM {table} WHERE id = ANY(%s)",
                (ids,),
            )
        )
        lost += [(table, record) for record in ids if record not in found]
        behind += [
            (table, record, found[record])
            for record in ids
            if record in found and acknowledged[(table, record)] not in (None, found[record])
        ]
    duplicates = {name: sql(db, query, params)[0][0] for name, query in DUPLICATES.items()}
    half = {name: sql(db, query, params)[0][0] for name, query in HALF_WRITTEN.items()}
    return {
        "acknowledged": len(acknowledged),
        "lost": len(lost) + len(behind),
        "lost_samples": (lost + behind)[:5],
        "duplicates": sum(duplicates.values()),
        "duplicates_by_check": duplicates,
        "half_written": sum(half.values()),
        "half_written_by_check": half,
    }


class Replica:
    """A streaming replica of the shared cluster (``pg_basebackup -R`` from 127.0.0.1:5432) as a
    cluster of its own on ``port``, started for the replica phase and dropped at its end. The
    shared cluster needs a ``host replication`` line for 127.0.0.1 in its pg_hba.conf: added
    (and the configuration reloaded) when missing, and said so."""

    def __init__(self, name, port):
        self.name, self.port = name, port
        self.data = Path(f"/var/lib/postgresql/15/{name}")
        self.log = Path(f"/var/log/postgresql/postgresql-15-{name}.log")

    @staticmethod
    def run(*cmd):
        subprocess.run(cmd, check=True, capture_output=True, timeout=600)

    @staticmethod
    def allow_replication():
        hba = Path(sql("postgres", "SHOW hba_file")[0][0])
        lines = hba.read_text().splitlines()
        if any(re.match(r"\s*host\s+replication\s+\S+\s+127\.0\.0\.1/32\s", line + " ") for line in lines):
            return None
        with hba.open("a") as file:
            file.write("host replication all 127.0.0.1/32 trust\n")
        sql("postgres", "SELECT pg_reload_conf()")
        print(f"[resilience] added 'host replication all 127.0.0.1/32 trust' to {hba} and reloaded", flush=True)
        return str(hba)

    def __enter__(self):
        subprocess.run(["pg_dropcluster", "15", self.name, "--stop"], check=False, capture_output=True)
        self.hba_changed = self.allow_replication()
        self.run("pg_createcluster", "15", self.name, "-p", str(self.port))
        try:
            for path in self.data.iterdir():  # emptied, kept: its parent is not the postgres user's to write
                shutil.rmtree(path) if path.is_dir() else path.unlink()
            started = time.perf_counter()
            self.run(
                *("runuser", "-u", "postgres", "--", "pg_basebackup", "-h", suite.PG["host"], "-p", suite.PG["port"]),
                *("-U", suite.PG["user"], "-D", str(self.data), "-R", "-X", "stream"),
                *("-c", "fast"),  # a checkpoint now, not at the next scheduled one (minutes)
            )
            self.basebackup_seconds = round(time.perf_counter() - started, 1)
            Path(f"/etc/postgresql/15/{self.name}/pg_hba.conf").write_text(
                "local all all trust\nhost all all 127.0.0.1/32 trust\n"
            )
            self.run("pg_ctlcluster", "15", self.name, "start")
        except Exception:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        subprocess.run(["pg_dropcluster", "15", self.name, "--stop"], check=False, capture_output=True, timeout=300)

    def caught_up(self, db):
        """The replica replayed everything the primary has written so far."""
        target = sql("postgres", "SELECT pg_current_wal_lsn()")[0][0]
        return wait_for(
            lambda: sql(db, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,), port=self.port)[0][0], 60
        )


def statements(log, offset, db):
    """Statements logged on ``db`` since ``offset`` of ``log`` (``log_statement = 'all'``)."""
    with log.open("rb") as file:
        file.seek(offset)
        text = file.read().decode(errors="replace")
    return sum(1 for line in text.splitlines() if f"@{db} " in line and "LOG:  statement:" in line)


def log_size(log):
    return log.stat().st_size if log.exists() else 0


def replica_phase(args, conf):
    """The list page, the after-sales analysis (read_group) and a ticket's PDF through the web
    client, then a write, on a server without and then with ``--db_replica_host/port``: their
    medians, and how many statements each cluster ran for each (``log_statement = 'all'`` for
    this database only, set on the primary and replicated)."""
    primary_log = Path(f"/var/log/postgresql/postgresql-{MAIN_CLUSTER[0]}-{MAIN_CLUSTER[1]}.log")
    ticket = sql(args.db, "SELECT max(id) FROM aftersales_ticket")[0][0]
    spec = {"name": {}, "title": {}, "partner_id": {"fields": {"display_name": {}}}, "state": {}, "priority": {}}
    sql(args.db, f"ALTER DATABASE \"{args.db}\" SET log_statement = 'all'")
    figures = {}
    try:
        with Replica(f"{args.db}_replica", args.replica_port) as replica:
            figures["basebackup_seconds"] = replica.basebackup_seconds
            figures["pg_hba_line_added_to"] = replica.hba_changed
            replica.caught_up(args.db)
            for label, extra in (
                ("primary only", []),
                ("with replica", ["--db_replica_host", "127.0.0.1", "--db_replica_port", str(replica.port)]),
            ):
                log = OUT / f"server-{label.replace(' ', '-')}.log"
                suite.fresh_log(log)

                def command(http, gevent, extra=extra, log=log):
                    return [*server_cmd(conf, args.db, http, gevent, args.workers, log, cron=False), *extra]

                with testkit.serve(command, log) as running:
                    web = testkit.WebSession(running.url, args.db, "admin", "admin")
                    calls = {
                        "list page": (
                            args.reads,
                            lambda web=web: web(
                                "aftersales.ticket",
                                "web_search_read",
                                [],
                                specification=spec,
                                limit=80,
                                count_limit=10001,
                            ),
                        ),
                        "analysis (read_group)": (
                            args.reads,
                            lambda web=web: web(
                                "aftersales.ticket.analysis",
                                "web_read_group",
                                [],
                                ["__count"],
                                ["state", "request_type"],
                                lazy=False,
                            ),
                        ),
                        "ticket PDF": (
                            max(3, args.reads // 5),
                            lambda web=web: web.opener.open(
                                f"{web.url}/report/pdf/{TICKET_REPORT}/{ticket}", timeout=300
                            ).read(),
                        ),
                        "write (create a ticket)": (
                            max(3, args.reads // 5),
                            lambda web=web: web(
                                "aftersales.ticket",
                                "create",
                                {"partner_id": 1, "title": f"Resilience replica write {time.time_ns()}"},
                            ),
                        ),
                    }
                    figures[label] = {}
                    for kind, (count, call) in calls.items():
                        call()  # warm
                        offsets = log_size(primary_log), log_size(replica.log)
                        times = [timed(call) for _ in range(count)]
                        figures[label][kind] = {
                            "calls": count,
                            "median_ms": round(statistics.median(times) * 1000, 1),
                            "statements_primary": statements(primary_log, offsets[0], args.db),
                            "statements_replica": statements(replica.log, offsets[1], args.db),
                        }
    finally:
        sql(args.db, f'ALTER DATABASE "{args.db}" RESET log_statement')
    return figures


def timed(func):
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def ensure_one(admin, model, domain, values):
    """The run's fixture record: found again on the next run, else created."""
    found = admin(model, "search", domain, limit=1)
    return found[0] if found else admin(model, "create", values)


def ensure_product(admin, code, name, **values):
    values = {"name": name, "default_code": code, "type": "consu", **values}
    return ensure_one(admin, "product.product", [("default_code", "=", code)], values)


def seed(admin, clients):
    """What every phase's clients share: a customer each, a technician, a spare part in stock,
    a vendor's part to claim, the key-customer tier and a service to sell."""
    technician = ensure_one(
        admin,
        "res.users",
        [("login", "=", "resilience_technician")],
        {
            "name": "Resilience Technician",
            "login": "resilience_technician",
            "groups_id": [
                (6, 0, [admin.ref("base.group_user"), admin.ref("aftersales_service.group_aftersales_technician")])
            ],
        },
    )
    spare = ensure_product(admin, "RESIL-SPARE", "Resilience Seal", is_storable=True, aftersales_spare_part=True)
    template = admin("product.product", "read", [spare], ["product_tmpl_id"])[0]["product_tmpl_id"][0]
    update = admin(
        "stock.change.product.qty", "create", {"product_id": spare, "product_tmpl_id": template, "new_quantity": 100000}
    )
    admin("stock.change.product.qty", "change_product_qty", [update])
    vendor = ensure_one(
        admin,
        "res.partner",
        [("name", "=", "Resilience Vendor")],
        {"name": "Resilience Vendor", "email": "claims@resilience.example"},
    )
    claim_part = ensure_product(
        admin,
        "RESIL-VALVE",
        "Resilience Valve",
        standard_price=30,
        seller_ids=[(0, 0, {"partner_id": vendor, "price": 35, "aftersales_warranty_months": 24})],
    )
    service = ensure_product(admin, "RESIL-SERVICE", "Resilience Service", type="service", list_price=50.0)
    return {
        "run": time.strftime("%H%M%S"),
        "customers": [admin("res.partner", "create", {"name": f"Resilience customer {n}"}) for n in range(clients)],
        "technician": technician,
        "spare": spare,
        "claim_part": claim_part,
        "tier": admin.ref("aftersales_survey.revisit_tier_key"),
        "service": service,
    }


def seed_overdue(admin, fx, tickets, claims):
    """Work the scheduled jobs compete for: tickets whose response deadline passed long ago (the
    SLA job) and claims sent to the vendor whose deadline passed (the claim reminders)."""
    overdue = []
    for start in range(0, tickets, 50):
        overdue += admin(
            "aftersales.ticket",
            "create",
            [
                {
                    "partner_id": fx["customers"][0],
                    "title": f"Resilience overdue {fx['run']}-{n}",
                    "request_date": "2020-01-01 09:00:00",
                }
                for n in range(start, min(tickets, start + 50))
            ],
        )
    late = []
    for n in range(claims):
        ticket = admin(
            "aftersales.ticket",
            "create",
            {
                "partner_id": fx["customers"][0],
                "title": f"Resilience late claim {fx['run']}-{n}",
                "product_id": fx["claim_part"],
            },
        )
        admin("aftersales.ticket", "action_submit_review", [ticket])
        claim = admin("aftersales.ticket", "action_create_supplier_claim", [ticket])["res_id"]
        admin("aftersales.supplier.claim", "action_send", [claim])
        late.append(claim)
    return overdue, late


def restart_main():
    """``pg_ctlcluster 15 main restart`` (fast mode: sessions cut, nobody waited for). A
    CHECKPOINT first, while the cluster still serves: the shutdown's own checkpoint then has
    little left to write (else it flushes every dirty buffer of every database, seconds of
    downtime for everyone on the cluster). Returns the seconds of each."""
    started = time.perf_counter()
    sql("postgres", "CHECKPOINT")
    checkpoint = time.perf_counter()
    subprocess.run(
        ["pg_ctlcluster", "-m", "fast", *MAIN_CLUSTER, "restart"], check=True, capture_output=True, timeout=120
    )
    return {"checkpoint": round(checkpoint - started, 1), "restart": round(time.perf_counter() - checkpoint, 1)}


def load_phase(args, conf, name, restart=False, kill_cron=False):
    """The four flows on two servers with cron workers, a worker killed at a third of the run;
    with ``kill_cron`` the cron worker running the SLA job killed in the middle of its batches,
    with ``restart`` the shared PostgreSQL restarted at half of it. Then the checks."""
    logs = [OUT / f"server-{name}-a.log", OUT / f"server-{name}-b.log"]
    for log in logs:
        suite.fresh_log(log)
    results = {"phase": name, "clients": args.clients, "servers": 2, "workers_per_server": args.workers}
    with (
        EveryMinute(args.db) as crons,
        testkit.serve(lambda h, g: server_cmd(conf, args.db, h, g, args.workers, logs[0]), logs[0]) as server_a,
        testkit.serve(lambda h, g: server_cmd(conf, args.db, h, g, args.workers, logs[1]), logs[1]) as server_b,
    ):
        admin = testkit.Rpc(server_a.url, args.db, "admin", "admin")
        fx = seed(admin, args.clients)
        overdue, late_claims = seed_overdue(admin, fx, args.overdue, 10)
        sql(
            args.db,
            "UPDATE aftersales_supplier_claim SET deadline = current_date - 3 WHERE id = ANY(%s)",
            (late_claims,),
        )
        since = sql(args.db, "SELECT now() at time zone 'utc'")[0][0]
        # Due again now that there is work (a run at the servers' start may have found none),
        # and both cron workers, listening by now, told so.
        sql(
            args.db,
            "UPDATE ir_cron SET nextcall = now() at time zone 'utc' WHERE id = ANY(%s)",
            (list(crons.values()),),
        )
        wake_crons(args.db)
        started = time.monotonic()
        deadline = started + args.duration
        servers = (server_a, server_b)
        clients = [Client(n, servers[n % 2].url, args.db, deadline, fx) for n in range(args.clients)]
        for client in clients:
            client.start()
        # The SLA job comes round when the cron workers reach it (after the other due jobs):
        # watched for during the whole load, beside the worker kill and the restart.
        cron_killer = threading.Thread(
            target=lambda: results.update(cron_killed=kill_cron_mid_batch(args.db, logs, crons, overdue, args.duration))
        )
        if kill_cron:
            cron_killer.start()
        time.sleep(max(0.0, started + args.duration / 3 - time.monotonic()))
        results["killed_worker"] = kill_a_worker(server_a)
        if restart:
            time.sleep(max(0.0, started + args.duration / 2 - time.monotonic()))
            results["postgresql_restart_seconds"] = restart_main()
        for client in clients:
            client.join()
        if kill_cron:
            cron_killer.join()
        results["seconds"] = round(time.monotonic() - started, 1)
        # The SLA job's run that a kill cut short is resumed by the next run, on either server.
        wake_crons(args.db)
        flagged = "SELECT count(*) FROM aftersales_ticket WHERE id = ANY(%s) AND NOT response_breached"
        wait_for(lambda: not sql(args.db, flagged, (overdue,))[0][0], 120)
        results["overdue_not_flagged"] = sql(args.db, flagged, (overdue,))[0][0]
        reminded = "SELECT count(*) FROM aftersales_supplier_claim WHERE id = ANY(%s) AND NOT overdue_notified"
        wait_for(lambda: not sql(args.db, reminded, (late_claims,))[0][0], 60)
        results["late_claims_not_reminded"] = sql(args.db, reminded, (late_claims,))[0][0]
        killed = results.get("cron_killed") or {}
        results["crons"] = cron_figures(logs, crons, datetime.datetime.now(), {killed.get("pid"): killed.get("at")})
    latencies = [latency for client in clients for latency in client.latencies]
    results.update(
        calls=len(latencies),
        calls_by_flow={flow: sum(len(c.latencies) for c in clients if c.flow == flow) for flow in FLOWS},
        errors=sum(len(client.errors) for client in clients),
        error_samples=[error for client in clients for error in client.errors][:5],
        retries=sum(client.retries for client in clients),
        retried_calls=sum(client.failed_then_retried for client in clients),
        p50_ms=round(statistics.median(latencies) * 1000, 1) if latencies else None,
        p95_ms=round(percentile(latencies, 0.95) * 1000, 1) if latencies else None,
        **checks(args.db, clients, {"since": since, "spare": fx["spare"], "overdue": overdue}),
    )
    minutes = math.ceil(results["seconds"] / 60) + 2  # the run's minutes and the waits after it
    crons_ok = all(
        figures["overlapping"] == 0 and figures["runs"] <= minutes + (key == "sla" and bool(kill_cron))
        for key, figures in results["crons"].items()
    )
    results["ok"] = bool(
        not results["errors"]
        and results["killed_worker"]
        and not any(results[key] for key in ("lost", "duplicates", "half_written"))
        and not results["overdue_not_flagged"]
        and not results["late_claims_not_reminded"]
        and crons_ok
        and (results.get("cron_killed") or not kill_cron)
        and (results.get("postgresql_restart_seconds") or not restart)
    )
    return results


COLUMNS = (
    ("phase", "phase"),
    ("clients", "clients"),
    ("servers", "servers"),
    ("calls", "calls"),
    ("errors", "errors"),
    ("retries", "retries"),
    ("retried_calls", "retried ok"),
    ("lost", "lost"),
    ("duplicates", "duplicates"),
    ("half_written", "half-written"),
    ("p50_ms", "p50 ms"),
    ("p95_ms", "p95 ms"),
)


def print_table(phases):
    width = max([len(p["phase"]) for p in phases] + [5])
    print(f"{'phase':<{width}}  " + "  ".join(f"{title:>12}" for key, title in COLUMNS[1:]))
    for phase in phases:
        print(f"{phase['phase']:<{width}}  " + "  ".join(f"{phase[key]!s:>12}" for key, _title in COLUMNS[1:]))


def print_replica(figures):
    head = f"{'replica phase':<24}  {'without: ms':>12}  {'primary/replica':>16}"
    print(f"{head}  {'with: ms':>10}  {'primary/replica':>16}")
    for kind, without in figures["primary only"].items():
        with_ = figures["with replica"][kind]
        print(
            f"{kind:<24}  {without['median_ms']:>12}  "
            f"{str(without['statements_primary']) + '/' + str(without['statements_replica']):>16}  "
            f"{with_['median_ms']:>10}  {str(with_['statements_primary']) + '/' + str(with_['statements_replica']):>16}"
        )


PHASES = ("two-servers", "pg-restart", "replica", "backup")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=os.environ.get("AFTERSALES_RESILIENCE_DB", "aftersales_resilience"))
    parser.add_argument("--clients", type=int, default=8, help="clients, spread over the four flows and two servers")
    parser.add_argument("--workers", type=int, default=2, help="workers per server")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load per load phase (bounded)")
    parser.add_argument("--overdue", type=int, default=300, help="overdue tickets for the SLA job per load phase")
    parser.add_argument(
        "--reads", type=int, default=15, help="list page and analysis calls per server in the replica phase"
    )
    parser.add_argument("--replica-port", type=int, default=5442, help="port of the read replica's cluster")
    parser.add_argument(
        "--phases",
        default=",".join(PHASES),
        help=f"comma-separated, of {', '.join(PHASES)}; pg-restart restarts the shared cluster "
        f"({'/'.join(MAIN_CLUSTER)}) for a few seconds",
    )
    args = parser.parse_args()
    phases = [phase.strip() for phase in args.phases.split(",") if phase.strip()]
    if set(phases) - set(PHASES):
        parser.error(f"unknown phases: {', '.join(sorted(set(phases) - set(PHASES)))}")
    OUT.mkdir(parents=True, exist_ok=True)
    conf = suite.write_config("resilience")
    suite.ensure_installed(conf, args.db, OUT / "install.log", "resilience")
    results, ok = {"db": args.db, "phases": []}, True
    for phase in phases:
        print(f"[resilience] phase {phase}", flush=True)
        if phase in ("two-servers", "pg-restart"):
            figures = load_phase(args, conf, phase, restart=phase == "pg-restart", kill_cron=phase == "two-servers")
            results["phases"].append(figures)
            ok = ok and figures["ok"]
            print_table([figures])
            print(
                f"[resilience] {json.dumps({k: v for k, v in figures.items() if k not in dict(COLUMNS)}, default=str)}",
                flush=True,
            )
        elif phase == "replica":
            results["replica"] = figures = replica_phase(args, conf)
            print_replica(figures)
            with_replica = figures["with replica"]
            ok = (
                ok
                and all(
                    with_replica[kind]["statements_replica"] > 0
                    for kind in ("list page", "analysis (read_group)", "ticket PDF")
                )
                and with_replica["write (create a ticket)"]["statements_replica"] == 0
            )
        else:
            backup = backup_and_restore(conf, args.db)
            backup["restored_serves_tickets"] = restored_serves(conf, backup["target"])
            results["backup"] = backup
            print(f"[resilience] backup and restore: {json.dumps(backup)}", flush=True)
            ok = ok and bool(
                backup["tickets_identical"]
                and not backup["attachments_different"]
                and not backup["attachments_not_matching_checksum"]
                and backup["restored_serves_tickets"]
            )
    results["load_average"] = os.getloadavg()
    results["ok"] = ok
    (OUT / "results.json").write_text(json.dumps(results, indent=2, default=str))
    if results["phases"]:
        print_table(results["phases"])
    print(f"[resilience] {'all checks passed' if ok else 'FAILED'}; details in {OUT / 'results.json'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
