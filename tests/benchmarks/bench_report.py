"""The benchmark's table: one row per figure, ours against the peer measured in the same run
(interleaved), the goal of the issue and whether it is met. Only what the run measured is
printed; a goal the run could not measure says ``n/a``."""

OURS, HELPDESK = "aftersales.ticket", "helpdesk.ticket"


def ratio(a, b):
    return a / b if a is not None and b else None


def fmt(value, unit=""):
    if value is None:
        return "n/a"
    if isinstance(value, float):
        value = f"{value:.3g}" if value < 100 else f"{value:.0f}"
    return f"{value}{unit}"


def verdict(ok):
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def header(res):
    m = res["machine"]
    sizes = res["sizes"]
    return (
        f"After-sales benchmark — {m.get('cpu', '?')}, {m['cpus']} cores, PostgreSQL {m.get('postgresql', '?')}, "
        f"Odoo {m.get('odoo', '?')}; {sizes['tickets']:,} tickets (helpdesk {sizes['helpdesk']:,}), "
        f"{sizes['orders']:,} orders, {sizes['serials']:,} serials; medians of {res['runs']} interleaved runs "
        f"(crons: {res['cron_runs']}); load average (1/5/15 min) {m['load_1_5_15']} at the start, "
        f"{m.get('load_1_5_15_at_end')} at the end"
    )


class Rows(list):
    def add(self, measure, ours, peer="", rat=None, goal="", ok=None, ref=""):
        self.append(
            (measure, ours, peer, fmt(rat, "×") if rat is not None else "", goal, verdict(ok) if goal else "", ref)
        )

    def goal(self, measure, ours, goal, ok, ref="", peer=""):
        """A figure measured on our side only, against its goal."""
        self.add(measure, ours, peer, None, goal, ok, ref)


def intake_rows(rows, res):
    intake = res.get("intake")
    if not intake:
        return
    o_s, h_s, r_s, f_s = (intake.get(m, {}).get("seconds") for m in (OURS, HELPDESK, "rma", "res.partner"))
    rh, rf = ratio(o_s, h_s), ratio(o_s, f_s)
    rows.add(
        "1 intake: s per 1,000 (100/call) vs helpdesk",
        fmt(o_s, " s"),
        fmt(h_s, " s"),
        rh,
        "≤ 1.0×",
        None if rh is None else rh <= 1.0,
    )
    rows.add("1 intake: vs rma", fmt(o_s, " s"), fmt(r_s, " s"), ratio(o_s, r_s))
    rows.add(
        "1 intake: vs bare res.partner create",
        fmt(o_s, " s"),
        fmt(f_s, " s"),
        rf,
        "≤ 0.8×",
        None if rf is None else rf <= 0.8,
    )
    o_rps = intake.get(OURS, {}).get("rps")
    rows.add("1 intake: tickets/s", fmt(o_rps, "/s"), fmt(intake.get(HELPDESK, {}).get("rps"), "/s"))


def query_rows(rows, res):
    cq = res.get("create_queries", {})
    o, h, f = cq.get(OURS), cq.get(HELPDESK), cq.get("res.partner")
    if o:
        rows.add(
            "2 queries: create 1 → 100",
            f"{o['batch_1']} → {o['batch_100']} (+{o['diff']})",
            f"{h['batch_1']} → {h['batch_100']} (+{h['diff']})" if h else "",
            ratio(o["batch_100"], h and h["batch_100"]),
            "100 = 1 ± const",
            o["diff"] <= 20,
            f"floor res.partner {f['batch_1']} → {f['batch_100']}" if f else "",
        )


def warranty_rows(rows, res):
    w, wi = res.get("warranty"), res.get("warranty_inproc")
    if wi:
        label = f"3 get_warranty_status in-process ({wi['serials']:,} serials)"
        rows.goal(label, fmt(wi["ms"], " ms"), "≤ 3 ms", wi["ms"] <= 3, f"{wi['queries']} queries")
    if w:
        floor = fmt(res.get("rpc_floor_ms"), " ms")
        rows.goal("3 get_warranty_status over XML-RPC", fmt(w["ms"], " ms"), "", None, f"bare XML-RPC call {floor}")


def view_rows(rows, res):
    views = res.get("views") or {}
    fig = views.get("figures") or {}
    sizes = res["sizes"]
    same = sizes["tickets"] == sizes["helpdesk"]  # ratios only between tables of one size
    rpc = res.get("rpc_views") or {}
    n = f"{sizes['tickets'] // 1000:,}k" + ("" if same else f" (helpdesk {sizes['helpdesk'] // 1000:,}k)")
    for kind, label in (("list", "list page 80 rows"), ("kanban", "kanban first load")):
        o, h = rpc.get(f"{kind} {OURS}"), rpc.get(f"{kind} {HELPDESK}")
        if o and h:
            r = ratio(o["ms"], h["ms"]) if same else None
            rows.add(
                f"4 {label}/{n}, web client (JSON-RPC)",
                fmt(o["ms"], " ms"),
                fmt(h["ms"], " ms"),
                r,
                "≤ 0.7× helpdesk",
                None if r is None else r <= 0.7,
                f"{o['bytes'] // 1024} vs {h['bytes'] // 1024} KiB; bare call {fmt(rpc['floor']['ms'], ' ms')}"
                if kind == "list"
                else "",
            )
        o, h = rpc.get(f"xmlrpc {kind} {OURS}"), rpc.get(f"xmlrpc {kind} {HELPDESK}")
        if o and h:
            r = ratio(o["ms"], h["ms"]) if same else None
            rows.add(f"4 {label}/{n}, XML-RPC", fmt(o["ms"], " ms"), fmt(h["ms"], " ms"), r)
        o, h = fig.get(f"{kind} {OURS}"), fig.get(f"{kind} {HELPDESK}")
        if o and h:
            r = ratio(o["ms"], h["ms"]) if same else None
            goal, ok = ("≤ 60 ms", o["ms"] <= 60) if kind == "list" else ("≤ 0.7× helpdesk", r and r <= 0.7)
            rows.add(
                f"4 {label}/{n}, in-process",
                fmt(o["ms"], " ms"),
                fmt(h["ms"], " ms"),
                r,
                goal,
                ok,
                f"queries {o['queries']} vs {h['queries']}",
            )
    o, s = fig.get(f"list {OURS}"), fig.get(f"list_slice {OURS}")
    if o and s:
        flat = o["queries"] == s["queries"] and o["queries_max"] == o["queries"]
        queries = f"{o['queries']} / {s['queries']}"
        rows.goal("4 list page: queries (all rows / 1% slice)", queries, "constant", flat, f"max {o['queries_max']}")


def sla_rows(rows, res):
    sla = res.get("sla")
    if not sla:
        return
    new = sla["newly_overdue"]
    extra = -(-new // 250) - -(-new // 1000)  # more batches of 250 than of 1000
    per_batch = (sla["queries_250x4"] - sla["queries_1000x1"]) / extra if extra else 0
    rows.goal(
        f"5 SLA cron first run ({new:,} of {sla['open_tickets']:,} open overdue)",
        fmt(sla["first_s"], " s"),
        "≤ 10 s",
        sla["first_s"] <= 10,
        peer="n/a: helpdesk_mgmt_sla has no SLA cron",
    )
    rerun = sla["rerun_s"]
    rows.goal("5 SLA cron rerun", fmt(rerun, " s"), "≤ 0.2 s", rerun <= 0.2, f"{sla['rerun_queries']} queries")
    flagged = f"{sla['flagged']} / {sla['activities_created']} / {sla['first_queries']}"
    activities_ok = sla["activities_created"] == new
    rows.goal("5 SLA: flagged / activities / queries", flagged, "activities = newly overdue", activities_ok)
    batches = f"{sla['queries_1000x1']} vs {sla['queries_250x4']}"
    label = "5 SLA: queries in batches of 1000 vs 250"
    rows.goal(label, batches, "≤ 15 per batch", per_batch <= 15, f"{per_batch:.1f} per batch")


def revisit_rows(rows, res):
    rev = res.get("revisit")
    if not rev:
        return
    limit = 60 if rev["confirmed_orders"] >= 500_000 else 10
    first = rev["first_s"]
    label = f"6 revisit cron first run ({rev['confirmed_orders']:,} orders)"
    rows.goal(label, fmt(first, " s"), f"≤ {limit} s", first <= limit)
    rerun_ok = rev["rerun_s"] <= 0.2 and rev["created_on_rerun"] == 0
    queries = f"{rev['rerun_queries']} queries"
    rows.goal("6 revisit cron rerun", fmt(rev["rerun_s"], " s"), "≤ 0.2 s, 0 new", rerun_ok, queries)
    rows.add(
        "6 revisit: created / rerun created / queries",
        f"{rev['created']} / {rev['created_on_rerun']} / {rev['first_queries']}",
    )
    rows.add("6 revisit: queries batch 1000 vs 250", f"{rev['queries_batch_1000']} vs {rev['queries_batch_250']}")


def portal_rows(rows, res):
    portal = res.get("portal")
    if not portal:
        return
    label = f"7 portal my tickets ({res.get('portal_tickets', '?'):,} of {res['sizes']['tickets']:,}), HTTP GET"
    p90 = f"p90 {fmt(portal['p90_ms'], ' ms')}"
    rows.goal(label, fmt(portal["ms"], " ms"), "≤ 300 ms", portal["ms"] <= 300, p90)
    queries = portal["queries"]
    ok = None if queries is None else queries <= 40
    rows.goal("7 portal my tickets: server queries", fmt(queries), "≤ 40", ok, f"max {portal['queries_max']}")


def browser_rows(rows, res):
    browser = res.get("browser")
    if not browser:
        return
    for kind in ("list", "kanban"):
        for prefix, how in (("", "page load until usable"), ("switch ", "menu click until usable")):
            o, h = browser.get(f"{prefix}{kind} {OURS}"), browser.get(f"{prefix}{kind} {HELPDESK}")
            if o and h:
                rows.add(
                    f"8 Chromium {kind}: {how}",
                    fmt(o["ms"], " ms"),
                    fmt(h["ms"], " ms"),
                    ratio(o["ms"], h["ms"]),
                    "",
                    None,
                    "performance.now() when real rows/cards are drawn",
                )


def build_rows(res):
    rows = Rows()  # (measure, ours, peer, ratio, goal, verdict, reference)
    for part in (intake_rows, query_rows, warranty_rows, view_rows, sla_rows, revisit_rows, portal_rows):
        part(rows, res)
    browser_rows(rows, res)
    for step, err in res.get("errors", {}).items():
        rows.add(f"{step}: failed", "n/a", err[:70])
    return rows


def print_table(rows):
    head = ("measure", "ours", "peer", "ours/peer", "goal", "", "note")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    line = "  ".join("-" * w for w in widths)
    print(line)
    print("  ".join(str(h).ljust(w) for h, w in zip(head, widths, strict=True)))
    print(line)
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    print(line, flush=True)
