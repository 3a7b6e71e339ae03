"""Bounded load run: concurrent XML-RPC clients against a real server with several workers.

    make load                                  # 20 clients, 4 workers, 60 s
    make load ARGS="--clients 5 --duration 10"

Each client loops: register a ticket, submit it for review, write the solution plan,
approve it. The run reports throughput, latency percentiles and errors, then checks
that every ticket a client was told was created exists, in the state it was left in.
Results go to .build/load/results.json. Exit status 1 when any call failed or any
ticket is missing.
"""

import argparse
import json
import os
import statistics
import sys
import threading
import time
import xmlrpc.client
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import suite
import testkit

OUT = suite.BUILD / "load"


class Client(threading.Thread):
    """One integration: its own connection, its own customer, as many tickets as it can."""

    def __init__(self, number, url, db, deadline, customer):
        super().__init__(name=f"client-{number}")
        self.url, self.db, self.deadline, self.customer = url, db, deadline, customer
        self.latencies, self.errors, self.created = [], [], []

    def call(self, rpc, model, method, *args):
        start = time.perf_counter()
        try:
            return rpc(model, method, *args)
        except (xmlrpc.client.Fault, OSError) as error:
            self.errors.append(f"{model}.{method}: {str(error)[:200]}")
            return None
        finally:
            self.latencies.append(time.perf_counter() - start)

    def run(self):
        proxy = testkit.Rpc(self.url, self.db, "admin", "admin")
        while time.monotonic() < self.deadline:
            ticket = self.call(
                proxy,
                "aftersales.ticket",
                "create",
                {"partner_id": self.customer, "title": f"Load {self.name}", "request_type": "consultation"},
            )
            if not ticket:
                continue
            self.created.append(ticket)
            self.call(proxy, "aftersales.ticket", "action_submit_review", [ticket])
            self.call(proxy, "aftersales.ticket", "write", [ticket], {"review_note": "<p>Call the customer</p>"})
            self.call(proxy, "aftersales.ticket", "action_approve", [ticket])


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=os.environ.get("AFTERSALES_LOAD_DB", "aftersales_load"))
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (bounded)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    conf = suite.write_config("load")
    suite.ensure_installed(conf, args.db, OUT / "install.log", "load")
    log = OUT / "server.log"
    with testkit.serve(
        lambda http, gevent: suite.prefork_cmd(conf, args.db, http, gevent, args.workers, log), log
    ) as srv:
        url = srv.url
        admin = testkit.Rpc(url, args.db, "admin", "admin")
        customers = [admin("res.partner", "create", {"name": f"Load customer {n}"}) for n in range(args.clients)]
        deadline = time.monotonic() + args.duration
        clients = [Client(n, url, args.db, deadline, customers[n]) for n in range(args.clients)]
        started = time.perf_counter()
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        elapsed = time.perf_counter() - started
        created = [ticket for client in clients for ticket in client.created]
        found = admin("aftersales.ticket", "search_read", [("id", "in", created)], fields=["state"])
    latencies = [latency for client in clients for latency in client.latencies]
    errors = [error for client in clients for error in client.errors]
    approved = sum(1 for row in found if row["state"] == "ready")
    results = {
        "clients": args.clients,
        "workers": args.workers,
        "seconds": round(elapsed, 1),
        "calls": len(latencies),
        "calls_per_s": round(len(latencies) / elapsed, 1),
        "tickets_created": len(created),
        "tickets_per_s": round(len(created) / elapsed, 1),
        "latency_ms_p50": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "latency_ms_p95": round(percentile(latencies, 0.95) * 1000, 1) if latencies else None,
        "latency_ms_max": round(max(latencies) * 1000, 1) if latencies else None,
        "errors": len(errors),
        "error_samples": errors[:5],
        "tickets_missing": len(created) - len(found),
        "tickets_approved": approved,
        "load_average": os.getloadavg(),
    }
    (OUT / "results.json").write_text(json.dumps(results, indent=2))
    width = max(len(key) for key in results)
    for key, value in results.items():
        print(f"{key:<{width}}  {value}")
    print(f"[load] details in {OUT / 'results.json'}, server log {OUT / 'server.log'}")
    sys.exit(0 if not errors and len(found) == len(created) and approved == len(created) else 1)


if __name__ == "__main__":
    main()
