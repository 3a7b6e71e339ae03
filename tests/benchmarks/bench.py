"""Benchmark of the after-sales suite against the OCA peers in the same database.

Builds (or reuses) one database ``as_bench`` holding our three addons and the OCA
``helpdesk_mgmt``, ``helpdesk_mgmt_sla`` and ``rma`` modules (from PyPI), fills it in
bulk, then measures:

1. intake: 1,000 records in batches of 100 with ``execute_kw create`` (XML-RPC);
2. queries of a create batch of 100 vs a batch of 1 (in-process, rolled back);
3. ``aftersales.ticket.get_warranty_status`` of a delivered serial (XML-RPC);
4. first list page (80 rows, the list view's fields) with ``web_search_read`` over
   100,000 tickets (XML-RPC) and its query count (in-process);
5. the response-SLA cron over 100,000 open tickets, 1% newly overdue (in-process);
6. the revisit cron over 50,000 confirmed sale orders (in-process);
7. the portal page "my tickets" (``GET /my/aftersales``) of a customer with 1,000 tickets
   among 100,000, over HTTP with a real portal session; the server's query count is read
   from its request log line.

XML-RPC and HTTP figures come from a real server (``--workers=2``) on 127.0.0.1; in-process
figures from ``odoo shell``. Every figure is a median of several runs. The table is
printed and saved to ``.build/bench/results.json``. Goal misses never fail the script.

Usage: ``make bench`` or ``python tests/benchmarks/bench.py [--rebuild] [--runs N]``.
"""

import argparse
import contextlib
import hashlib
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import xmlrpc.client
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import suite  # scripts/suite.py: config, odoo command, database helpers

OUT = suite.BUILD / "bench"
OURS = ("aftersales_service", "aftersales_survey", "aftersales_supplier")
PEERS = ("helpdesk_mgmt", "helpdesk_mgmt_sla", "rma")
# Bump when the generated data changes: an existing database is then rebuilt.
DATA_VERSION = "3"
N_TICKETS = 100_000
N_ORDERS = 50_000
N_CUSTOMERS = 10_000
INTAKE_TOTAL = 1000
INTAKE_BATCH = 100
WARRANTY_CALLS = 200
LIST_LIMIT = 80
PORTS = range(8990, 9000)
HOST = "127.0.0.1"
LOGIN = PASSWORD = "admin"
PORTAL_LOGIN = PORTAL_PASSWORD = "bench_portal"
PORTAL_TICKETS = 1000
PORTAL_URL = "/my/aftersales"
PORTAL_VERSION = "1"

# Reference points of the first benchmark (2 cores, PostgreSQL 15, Odoo 18, minimal ticket model).
REFERENCE = {
    "intake_rps": 760.0,
    "list_ms": 22.0,
    "list_queries": 4,
    "sla_first_s": 5.0,
    "sla_rerun_s": 0.050,
    "revisit_first_s": 5.0,
    "revisit_rerun_s": 0.035,
}


# ======================================================================
# In-process part: runs inside ``odoo shell`` (``env`` is the superuser's)
# ======================================================================


def _shell_entry(env, name, params):
    result = globals()["inproc_" + name](env, **json.loads(params))
    print("BENCH_JSON " + json.dumps(result, default=str), flush=True)


def _param(env, key, default=None):
    return env["ir.config_parameter"].sudo().get_param(key, default)


def _not_null_columns(cr, table):
    cr.execute(
        """SELECT column_name FROM information_schema.columns
           WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL""",
        (table,),
    )
    return {row[0] for row in cr.fetchall()}


def _bulk_insert(cr, table, columns, count):
    """INSERT ... SELECT over generate_series(1, count) AS n; ``columns`` maps column -> SQL."""
    missing = _not_null_columns(cr, table) - set(columns) - {"id"}
    if missing:
        raise RuntimeError(f"{table}: NOT NULL columns without a value: {sorted(missing)}")
    names = ", ".join(columns)
    exprs = ", ".join(columns.values()).replace("%", "%%")
    cr.execute(f"INSERT INTO {table} ({names}) SELECT {exprs} FROM generate_series(1, %s) AS n", (count,))


def _sold_serial(env, customer):
    """A serial sold and delivered to ``customer`` through the standard sale flow."""
    product = env["product.product"].create(
        {
            "name": "Bench Pump (serial)",
            "type": "consu",
            "is_storable": True,
            "tracking": "serial",
            "aftersales_warranty_months": 12,
            "list_price": 1000.0,
        }
    )
    lot = env["stock.lot"].create({"name": "BENCH-SN-0001", "product_id": product.id})
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 1, lot_id=lot)
    order = env["sale.order"].create(
        {
            "partner_id": customer.id,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
        }
    )
    order.action_confirm()
    picking = order.picking_ids
    for move in picking.move_ids:
        move.move_line_ids.unlink()
        env["stock.move.line"].create(
            {
                "move_id": move.id,
                "picking_id": picking.id,
                "product_id": product.id,
                "lot_id": lot.id,
                "quantity": 1,
                "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
                "product_uom_id": move.product_uom.id,
            }
        )
        move.picked = True
    result = picking.button_validate()
    if picking.state != "done":
        raise RuntimeError(f"delivery {picking.name} not validated: {result}")
    return product, lot, order


def inproc_setup(env, rebuild=False, source_hash=""):
    """Build the benchmark data once; later runs reuse it (marker in ir.config_parameter)."""
    cr = env.cr
    env["ir.config_parameter"].sudo().set_param("as_bench.source_hash", source_hash)
    cr.commit()
    if not rebuild and _param(env, "as_bench.data_version") == DATA_VERSION:
        return {"reused": True, "ids": json.loads(_param(env, "as_bench.ids"))}
    t0 = time.perf_counter()
    company = env.company
    admin = env.ref("base.user_admin")
    tier = env.ref("aftersales_survey.revisit_tier_key")

    # -- ORM part: a handful of real records ---------------------------------
    # admin plays the manager of each app (as the manager groups' data usually makes it).
    for xmlid in (
        "aftersales_service.group_aftersales_manager",
        "helpdesk_mgmt.group_helpdesk_manager",
        "rma.rma_group_manager",
        "sales_team.group_sale_manager",
        "stock.group_stock_manager",
    ):
        admin.groups_id = [(4, env.ref(xmlid).id)]
    customer = env["res.partner"].create({"name": "Bench Customer", "is_company": True, "email": "c@bench.test"})
    product, lot, order = _sold_serial(env, customer)
    service_product = env["product.product"].create({"name": "Bench Spare Part", "type": "consu"})
    team = env["helpdesk.ticket.team"].create({"name": "Bench Team", "use_sla": True})
    env["helpdesk.sla"].create({"name": "Bench 24h", "team_ids": [(6, 0, team.ids)], "hours": 24})
    env.flush_all()

    # -- SQL part: 10,000 tiered customers -------------------------------------
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM res_partner")
    first_partner = cr.fetchone()[0] + 1
    _bulk_insert(
        cr,
        "res_partner",
        {
            "name": "'Bench Customer ' || n",
            "complete_name": "'Bench Customer ' || n",
            "company_id": str(company.id),
            "type": "'contact'",
            "active": "true",
            "is_company": "true",
            "customer_rank": "1",
            "autopost_bills": "'ask'",
            "email": "'customer' || n || '@bench.test'",
            "lang": "'en_US'",
            "aftersales_tier_id": str(tier.id),
            "create_uid": str(admin.id),
            "write_uid": str(admin.id),
            "create_date": "now() at time zone 'utc'",
            "write_date": "now() at time zone 'utc'",
        },
        N_CUSTOMERS,
    )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id >= %s AND commercial_partner_id IS NULL",
        (first_partner,),
    )
    partner_sql = f"({first_partner} + (n % {N_CUSTOMERS}))"

    # -- 100,000 after-sales tickets: 1% newly overdue, 20% already flagged ----
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM aftersales_ticket")
    first_ticket = cr.fetchone()[0] + 1
    _bulk_insert(
        cr,
        "aftersales_ticket",
        {
            "name": "'New'",
            "title": "CASE WHEN n % 100 = 0 THEN 'Bench overdue ' ELSE 'Bench request ' END || n",
            "company_id": str(company.id),
            "user_id": str(admin.id),
            "state": "(ARRAY['draft','draft','draft','review','ready'])[1 + n % 5]",
            "priority": "(n % 4)::varchar",
            "request_type": "(ARRAY['repair','maintenance','installation','consultation'])[1 + n % 4]",
            "channel": "(ARRAY['phone','email','letter','visit'])[1 + n % 4]",
            "request_date": "(now() at time zone 'utc') - (n % 1000) * interval '1 hour' - interval '30 days'",
            "description": "'<p>Generated request ' || n || '</p>'",
            "partner_id": partner_sql,
            "commercial_partner_id": partner_sql,
            "contact_name": "'Bench Customer ' || (n % 10000)",
            "email": "'customer' || (n % 10000) || '@bench.test'",
            "product_id": str(service_product.id),
            "warranty_state": "'none'",
            "is_billable": "n % 4 < 2",
            "travel_required": "true",
            # Newly overdue: past deadline, not flagged. 20% flagged earlier. The rest due
            # in ten years (reusing the database later must not make them overdue).
            "response_deadline": (
                "CASE WHEN n % 100 = 0 OR n % 5 = 1 THEN (now() at time zone 'utc') - interval '1 day' "
                "ELSE (now() at time zone 'utc') + interval '3650 days' END"
            ),
            "response_breached": "n % 5 = 1 AND n % 100 <> 0",
            "is_repeat": "false",
            "is_major": "false",
            "create_uid": str(admin.id),
            "write_uid": str(admin.id),
            "create_date": "now() at time zone 'utc'",
            "write_date": "now() at time zone 'utc'",
        },
        N_TICKETS,
    )
    cr.execute("UPDATE aftersales_ticket SET name = 'AS-' || lpad(id::text, 6, '0') WHERE id >= %s", (first_ticket,))

    # -- 100,000 helpdesk tickets -----------------------------------------------
    stage = env["helpdesk.ticket.stage"].search([], order="sequence, id", limit=1)
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM helpdesk_ticket")
    first_hd = cr.fetchone()[0] + 1
    _bulk_insert(
        cr,
        "helpdesk_ticket",
        {
            "number": "'HT' || lpad(n::text, 6, '0')",
            "name": "'Bench request ' || n",
            "description": "'<p>Generated request ' || n || '</p>'",
            "company_id": str(company.id),
            "user_id": str(admin.id),
            "stage_id": str(stage.id),
            "partner_id": partner_sql,
            "active": "true",
            "partner_name": "'Bench Customer ' || (n % 10000)",
            "partner_email": "'customer' || (n % 10000) || '@bench.test'",
            "priority": "(n % 4)::varchar",
            "sequence": "10",
            "last_stage_update": "now() at time zone 'utc'",
            "create_uid": str(admin.id),
            "write_uid": str(admin.id),
            "create_date": "(now() at time zone 'utc') - (n % 1000) * interval '1 hour'",
            "write_date": "now() at time zone 'utc'",
        },
        N_TICKETS,
    )

    # -- 50,000 confirmed sale orders of the tiered customers --------------------
    pricelist = env["product.pricelist"].search([("company_id", "in", (False, company.id))], limit=1)
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM sale_order")
    _bulk_insert(
        cr,
        "sale_order",
        {
            "name": "'BENCH-SO' || lpad(n::text, 6, '0')",
            "state": "'sale'",
            "company_id": str(company.id),
            "currency_id": str(company.currency_id.id),
            "pricelist_id": str(pricelist.id) if pricelist else "NULL",
            "user_id": str(admin.id),
            "partner_id": partner_sql,
            "partner_invoice_id": partner_sql,
            "partner_shipping_id": partner_sql,
            "date_order": "(now() at time zone 'utc') - (n % 700) * interval '1 day'",
            "amount_total": "100",
            "amount_untaxed": "100",
            "amount_tax": "0",
            "invoice_status": "'no'",
            "picking_policy": "'direct'",
            "warehouse_id": str(env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1).id),
            "create_uid": str(admin.id),
            "write_uid": str(admin.id),
            "create_date": "now() at time zone 'utc'",
            "write_date": "now() at time zone 'utc'",
        },
        N_ORDERS,
    )
    for table in ("res_partner", "aftersales_ticket", "helpdesk_ticket", "sale_order"):
        cr.execute(f"ANALYZE {table}")
    ids = {
        "customer": customer.id,
        "customers": [first_partner, first_partner + N_CUSTOMERS - 1],
        "serial_product": product.id,
        "lot": lot.id,
        "sale_order": order.id,
        "service_product": service_product.id,
        "helpdesk_team": team.id,
        "first_ticket": first_ticket,
        "first_helpdesk_ticket": first_hd,
    }
    params = env["ir.config_parameter"].sudo()
    params.set_param("as_bench.ids", json.dumps(ids))
    params.set_param("as_bench.data_version", DATA_VERSION)
    env.flush_all()
    cr.commit()
    env.registry.clear_cache()
    return {"reused": False, "seconds": round(time.perf_counter() - t0, 1), "ids": ids}


def inproc_portal_setup(env):
    """A portal customer owning 1,000 of the generated tickets (one in a hundred), once."""
    if _param(env, "as_bench.portal_version") == PORTAL_VERSION:
        return json.loads(_param(env, "as_bench.portal_ids"))
    ids = json.loads(_param(env, "as_bench.ids"))
    partner = env["res.partner"].create(
        {"name": "Bench Portal Customer", "is_company": True, "email": "portal@bench.test"}
    )
    user = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "Bench Portal Customer",
                "login": PORTAL_LOGIN,
                "password": PORTAL_PASSWORD,
                "partner_id": partner.id,
                "groups_id": [(6, 0, [env.ref("base.group_portal").id])],
            }
        )
    )
    env.flush_all()
    # Tickets number n with n % 100 == 38 (never one of the 1% the SLA figure makes overdue).
    env.cr.execute(
        """UPDATE aftersales_ticket SET partner_id = %(partner)s, commercial_partner_id = %(partner)s
            WHERE id >= %(first)s AND id < %(first)s + %(count)s AND (id - %(first)s) %% 100 = 37""",
        {"partner": partner.id, "first": ids["first_ticket"], "count": N_TICKETS},
    )
    if env.cr.rowcount != PORTAL_TICKETS:
        raise RuntimeError(f"portal customer got {env.cr.rowcount} tickets, not {PORTAL_TICKETS}")
    env.cr.execute("ANALYZE aftersales_ticket")
    portal_ids = {"partner": partner.id, "user": user.id}
    params = env["ir.config_parameter"].sudo()
    params.set_param("as_bench.portal_ids", json.dumps(portal_ids))
    params.set_param("as_bench.portal_version", PORTAL_VERSION)
    env.cr.commit()
    return portal_ids


def _vals(model, ids, n, i=0):
    """Realistic minimal values of one intake record of ``model``."""
    customer = ids["customer"]
    if model == "aftersales.ticket":
        return {
            "partner_id": customer,
            "product_id": ids["service_product"],
            "request_type": "repair",
            "channel": "phone",
            "title": f"Pump leaking {n}-{i}",
            "description": "<p>The pump leaks at the seal.</p>",
        }
    if model == "helpdesk.ticket":
        return {
            "name": f"Pump leaking {n}-{i}",
            "description": "<p>The pump leaks at the seal.</p>",
            "partner_id": customer,
            "team_id": ids["helpdesk_team"],
        }
    if model == "rma":
        return {"partner_id": customer, "product_id": ids["service_product"], "product_uom_qty": 1}
    if model == "res.partner":
        return {"name": f"Bench Floor {n}-{i}"}
    raise ValueError(model)


def _count(env, func):
    env.flush_all()
    env.invalidate_all()
    before = env.cr.sql_log_count
    start = time.perf_counter()
    func()
    env.flush_all()
    return env.cr.sql_log_count - before, time.perf_counter() - start


def inproc_create_queries(env, runs=3):
    """Queries of create([1 record]) vs create([100 records]), as admin, rolled back."""
    ids = json.loads(_param(env, "as_bench.ids"))
    admin_env = env(user=env.ref("base.user_admin").id, su=False)
    result = {}
    for model in ("aftersales.ticket", "helpdesk.ticket", "res.partner"):
        counts = {}
        for size in (1, 100, 1, 100):  # first pair warms the caches
            per_run = []
            for run in range(runs):
                with env.cr.savepoint(flush=False) as sp:
                    vals_list = [_vals(model, ids, run, i) for i in range(size)]
                    queries, _seconds = _count(admin_env, lambda m=model, v=vals_list: admin_env[m].create(v))
                    per_run.append(queries)
                    sp.rollback()
                admin_env.invalidate_all()
            counts[size] = int(statistics.median(per_run))
        result[model] = {"batch_1": counts[1], "batch_100": counts[100], "diff": counts[100] - counts[1]}
    env.cr.rollback()
    return result


def _list_spec(env, model, view_xmlid):
    """The specification the web client sends for the list view's columns."""
    view = env.ref(view_xmlid)
    arch = env[model].with_user(env.ref("base.user_admin")).get_views([(view.id, "list")])["views"]["list"]["arch"]
    root = ET.fromstring(arch)
    fields = env[model]._fields
    spec = {}
    for node in root.iter("field"):
        name = node.get("name")
        field = fields[name]
        # Like the web client (getFieldsSpec): no display name for an always invisible many2one.
        invisible = "True" in (node.get("invisible"), node.get("column_invisible"))
        if field.type == "many2one":
            if name in spec and not invisible:
                spec[name] = {"fields": {"display_name": {}}}
            elif name not in spec:
                spec[name] = {"fields": {} if invisible else {"display_name": {}}}
        elif field.type in ("many2many", "one2many"):
            sub = {"display_name": {}} if node.get("widget") == "many2many_tags" else {}
            if node.get("widget") == "many2many_tags" and "color" in env[field.comodel_name]._fields:
                sub["color"] = {}
            spec[name] = {"fields": sub}
            if node.get("widget") == "list_activity":
                for dep in (
                    "activity_exception_decoration",
                    "activity_exception_icon",
                    "activity_state",
                    "activity_summary",
                    "activity_type_icon",
                ):
                    spec[dep] = {}
                spec["activity_type_id"] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


LIST_VIEWS = {
    "aftersales.ticket": "aftersales_service.aftersales_ticket_view_list",
    "helpdesk.ticket": "helpdesk_mgmt.ticket_view_tree",
}


def inproc_list_queries(env, runs=3):
    """Queries of one web_search_read of the list's first page, over the whole table and
    over a 1% slice of it (the count must not grow with the rows)."""
    admin = env.ref("base.user_admin")
    ids = json.loads(_param(env, "as_bench.ids"))
    low = ids["customers"][0]
    result = {}
    for model, xmlid in LIST_VIEWS.items():
        spec = _list_spec(env, model, xmlid)
        records = env[model].with_user(admin)
        row = {}
        for label, domain in (
            ("all", []),
            ("slice", [("partner_id", ">=", low), ("partner_id", "<", low + N_CUSTOMERS // 100)]),
        ):
            counts, times = [], []
            for _run in range(runs + 1):
                queries, seconds = _count(
                    env,
                    lambda r=records, d=domain, s=spec: r.web_search_read(d, s, limit=LIST_LIMIT, count_limit=10001),
                )
                counts.append(queries)
                times.append(seconds)
            row[label] = int(statistics.median(counts[1:]))
            row["ms_" + label] = statistics.median(times[1:]) * 1000
            row["rows_" + label] = records.search_count(domain)
        row["spec"] = spec
        result[model] = row
    env.cr.rollback()
    return result


def _reset_sla(cr, first_ticket):
    cr.execute(
        "SELECT id FROM aftersales_ticket WHERE id >= %s AND title LIKE 'Bench overdue %%'",
        (first_ticket,),
    )
    overdue = [row[0] for row in cr.fetchall()]
    cr.execute("DELETE FROM mail_activity WHERE res_model = 'aftersales.ticket' AND res_id = ANY(%s)", (overdue,))
    cr.execute("UPDATE aftersales_ticket SET response_breached = false WHERE id = ANY(%s)", (overdue,))
    # Tickets created by earlier intake runs are answered: only the generated 1% is new.
    cr.execute(
        "UPDATE aftersales_ticket SET first_response_date = create_date "
        "WHERE first_response_date IS NULL AND title NOT LIKE 'Bench %%'"
    )
    return overdue


def inproc_sla(env, runs=3):
    ids = json.loads(_param(env, "as_bench.ids"))
    tickets = env["aftersales.ticket"]
    cr = env.cr
    first, rerun, q_first, q_rerun, flagged, activities = [], [], [], [], [], []
    for _run in range(runs):
        overdue = _reset_sla(cr, ids["first_ticket"])
        cr.commit()
        env.invalidate_all()
        queries, seconds = _count(env, tickets._cron_flag_response_breaches)
        cr.commit()
        first.append(seconds)
        q_first.append(queries)
        cr.execute("SELECT count(*) FROM aftersales_ticket WHERE id = ANY(%s) AND response_breached", (overdue,))
        flagged.append(cr.fetchone()[0])
        cr.execute(
            "SELECT count(*) FROM mail_activity WHERE res_model = 'aftersales.ticket' AND create_date > "
            "(now() at time zone 'utc') - interval '10 minutes'"
        )
        activities.append(cr.fetchone()[0])
        env.invalidate_all()
        queries, seconds = _count(env, tickets._cron_flag_response_breaches)
        cr.commit()
        rerun.append(seconds)
        q_rerun.append(queries)
    # Queries per batch: the same 1,000 newly overdue tickets in 1 batch vs in 4 batches.
    per_batch = {}
    for size in (1000, 250):
        _reset_sla(cr, ids["first_ticket"])
        env.invalidate_all()
        per_batch[size], _s = _count(env, lambda s=size: tickets._cron_flag_response_breaches(batch_size=s))
        cr.rollback()
    return {
        "first_s": statistics.median(first),
        "rerun_s": statistics.median(rerun),
        "first_queries": int(statistics.median(q_first)),
        "rerun_queries": int(statistics.median(q_rerun)),
        "newly_overdue": len(overdue),
        "flagged": flagged[-1],
        "activities_created": activities[-1],
        "queries_1000x1": per_batch[1000],
        "queries_250x4": per_batch[250],
        "open_tickets": tickets.search_count(
            [("state", "in", ("draft", "review", "quotation", "ready", "dispatched"))]
        ),
        "helpdesk_sla_cron": bool(
            env["ir.cron"].search_count(
                [("model_id.model", "in", ("helpdesk.ticket", "helpdesk.ticket.sla", "helpdesk.sla"))]
            )
        ),
    }


def _reset_revisits(cr):
    cr.execute("DELETE FROM mail_activity WHERE res_model = 'aftersales.revisit'")
    cr.execute("DELETE FROM mail_followers WHERE res_model = 'aftersales.revisit'")
    cr.execute("DELETE FROM mail_message WHERE model = 'aftersales.revisit'")
    cr.execute("DELETE FROM aftersales_revisit")
    # The planner's high-water mark: back to "never", so that the first run plans everyone.
    cr.execute("UPDATE ir_config_parameter SET value = 'never' WHERE key = 'aftersales_survey.revisit_mark'")


def inproc_revisit(env, runs=3):
    revisits = env["aftersales.revisit"]
    cr = env.cr
    first, rerun, q_first, q_rerun, created, recreated = [], [], [], [], [], []
    box = {}
    for _run in range(runs):
        _reset_revisits(cr)
        cr.commit()
        env.invalidate_all()
        queries, seconds = _count(env, lambda: box.update(first=revisits._cron_generate_revisits()))
        cr.commit()
        first.append(seconds)
        q_first.append(queries)
        created.append(len(box["first"]))
        env.invalidate_all()
        queries, seconds = _count(env, lambda: box.update(rerun=revisits._cron_generate_revisits()))
        cr.commit()
        rerun.append(seconds)
        q_rerun.append(queries)
        recreated.append(len(box["rerun"]))
    per_batch = {}
    for size in (1000, 250):
        _reset_revisits(cr)
        env.invalidate_all()
        # The same 10,000 customers in batches of 1000 and of 250: the difference is the cost per batch.
        per_batch[size], _s = _count(env, lambda s=size: revisits._cron_generate_revisits(batch_size=s))
        cr.rollback()
    cr.execute("SELECT count(*) FROM sale_order WHERE state = 'sale'")
    orders = cr.fetchone()[0]
    return {
        "first_s": statistics.median(first),
        "rerun_s": statistics.median(rerun),
        "first_queries": int(statistics.median(q_first)),
        "rerun_queries": int(statistics.median(q_rerun)),
        "created": created[-1],
        "created_on_rerun": recreated[-1],
        "confirmed_orders": orders,
        "queries_batch_1000": per_batch[1000],
        "queries_batch_250": per_batch[250],
    }


# ======================================================================
# Driver: database, shell calls, server, XML-RPC measurements, table
# ======================================================================


def git(*args):
    proc = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return proc.stdout.strip()


def log(msg):
    print(f"[bench] {msg}", flush=True)


def shell(conf, db, name, timeout=1800, **params):
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(HERE)!r})\n"
        "import bench\n"
        f"bench._shell_entry(env, {name!r}, {json.dumps(params)!r})\n"
    )
    logfile = OUT / f"shell-{name}.log"
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        "shell",
        "-c",
        str(conf),
        "-d",
        db,
        "--no-http",
        "--logfile",
        str(logfile),
        "--log-level",
        "warn",
    ]
    proc = subprocess.run(cmd, input=code, capture_output=True, text=True, timeout=timeout, check=False, cwd=ROOT)
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON ") :])
    tail = (
        (proc.stderr or "")[-3000:] + "\n" + (logfile.read_text(errors="replace")[-3000:] if logfile.exists() else "")
    )
    raise RuntimeError(f"odoo shell step {name!r} failed (rc={proc.returncode}):\n{tail}")


def modules_installed(db):
    if not suite.db_exists(db):
        return False
    import psycopg2  # noqa: PLC0415

    conn = psycopg2.connect(dbname=db, **suite.PG)
    try:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM ir_module_module WHERE state = 'installed' AND name = ANY(%s)",
                (list(OURS + PEERS),),
            )
            return cr.fetchone()[0] == len(OURS + PEERS)
    except psycopg2.Error:
        return False
    finally:
        conn.close()


def free_port(exclude=()):
    for port in PORTS:
        if port in exclude:
            continue
        with socket.socket() as sock:
            try:
                sock.bind((HOST, port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


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
    text = conf.read_text()
    paths = suite.odoo_addons_path().split(",")
    paths = [str(src)] + [path for path in paths if Path(path) != ROOT]
    lines = [
        f"addons_path = {','.join(paths)}" if line.startswith("addons_path") else line for line in text.splitlines()
    ]
    conf.write_text("\n".join(lines) + "\n")
    return conf


def db_param(db, key):
    import psycopg2  # noqa: PLC0415

    conn = psycopg2.connect(dbname=db, **suite.PG)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", (key,))
            row = cr.fetchone()
            return row and row[0]
    finally:
        conn.close()


# Tables the measured requests read, ours and the peers'.
VACUUMED = ("aftersales_ticket", "helpdesk_ticket", "rma", "res_partner", "mail_activity", "mail_message")


def vacuum(db):
    """VACUUM ANALYZE what the requests read: the cron resets rewrite 100,000 rows per run, and
    the dead rows they leave (which autovacuum removes on a live database) would be scanned by
    every count; peers and ours alike."""
    import psycopg2  # noqa: PLC0415

    conn = psycopg2.connect(dbname=db, **suite.PG)
    conn.autocommit = True
    started = time.perf_counter()
    try:
        with conn.cursor() as cr:
            for table in VACUUMED:
                cr.execute(f'VACUUM ANALYZE "{table}"')  # names from the list above
    finally:
        conn.close()
    return round(time.perf_counter() - started, 1)


def build_db(conf, db, rebuild, source_hash):
    if not rebuild and modules_installed(db) and db_param(db, "as_bench.source_hash") != source_hash:
        log("our addons changed since the database was built: updating them")
        cmd = suite.odoo_cmd(
            conf,
            "-d",
            db,
            "-u",
            ",".join(OURS),
            "--stop-after-init",
            "--no-http",
            "--logfile",
            str(OUT / "update.log"),
        )
        if subprocess.run(cmd, check=False, timeout=1800).returncode:
            raise RuntimeError(f"update failed, see {OUT / 'update.log'}")
    if not rebuild and modules_installed(db) and db_param(db, "as_bench.data_version") not in (None, DATA_VERSION):
        log("the database holds data of another benchmark version: rebuilding it")
        rebuild = True
    if rebuild or not modules_installed(db):
        suite.drop_db(db)
        log(f"installing {', '.join(OURS + PEERS)} into {db} (without demo data; a few minutes)")
        cmd = suite.odoo_cmd(
            conf,
            "-d",
            db,
            "-i",
            ",".join(OURS + PEERS),
            "--without-demo=all",
            "--stop-after-init",
            "--no-http",
            "--logfile",
            str(OUT / "install.log"),
        )
        if subprocess.run(cmd, check=False, timeout=1800).returncode:
            raise RuntimeError(f"installation failed, see {OUT / 'install.log'}")
        rebuild = True
    log("generating data (reused when present; --rebuild forces)")
    setup = shell(conf, db, "setup", rebuild=rebuild, source_hash=source_hash)
    log("data: " + ("reused" if setup["reused"] else f"generated in {setup['seconds']} s"))
    shell(conf, db, "portal_setup")
    return setup["ids"]


class TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout):
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host):
        conn = super().make_connection(host)
        conn.timeout = self.timeout
        return conn


@contextlib.contextmanager
def server(conf, db):
    http_port = free_port()
    gevent_port = free_port(exclude={http_port})
    logfile = OUT / "server.log"
    cmd = suite.prefork_cmd(conf, db, http_port, gevent_port, 2, logfile)
    proc = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True)
    try:
        url = f"http://{HOST}:{http_port}"
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited (rc={proc.returncode}), see {logfile}")
            try:
                xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", transport=TimeoutTransport(5)).version()
                break
            except (OSError, xmlrpc.client.Error):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server not answering on {url}, see {logfile}") from None
                time.sleep(0.5)
        log(f"server up on {url} (2 workers, pid {proc.pid})")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait(timeout=10)
        log("server stopped")


class Rpc:
    def __init__(self, url, db):
        self.db = db
        self.uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", transport=TimeoutTransport(60)).authenticate(
            db, LOGIN, PASSWORD, {}
        )
        if not self.uid:
            raise RuntimeError("admin / admin cannot log in")
        self.models = xmlrpc.client.ServerProxy(
            f"{url}/xmlrpc/2/object", transport=TimeoutTransport(300), allow_none=True
        )

    def __call__(self, model, method, *args, **kw):
        return self.models.execute_kw(self.db, self.uid, PASSWORD, model, method, list(args), kw)


def rpc_intake(rpc, ids, runs):
    result = {}
    for model in ("res.partner", "aftersales.ticket", "helpdesk.ticket", "rma"):
        try:
            rpc(model, "create", [_vals(model, ids, 0, i) for i in range(10)])  # warm-up (both workers)
            rpc(model, "create", [_vals(model, ids, 0, i) for i in range(10)])
            times = []
            for run in range(runs):
                start = time.perf_counter()
                for batch in range(INTAKE_TOTAL // INTAKE_BATCH):
                    rpc(model, "create", [_vals(model, ids, run * 100 + batch, i) for i in range(INTAKE_BATCH)])
                times.append(time.perf_counter() - start)
            seconds = statistics.median(times)
            result[model] = {"seconds": seconds, "rps": INTAKE_TOTAL / seconds, "runs": times}
        except xmlrpc.client.Fault as exc:
            result[model] = {"error": exc.faultString.strip().splitlines()[-1][:200]}
    return result


def rpc_warranty(rpc, ids):
    for _ in range(5):
        status = rpc("aftersales.ticket", "get_warranty_status", lot_id=ids["lot"])
    times = []
    for _ in range(WARRANTY_CALLS):
        start = time.perf_counter()
        rpc("aftersales.ticket", "get_warranty_status", lot_id=ids["lot"])
        times.append(time.perf_counter() - start)
    return {
        "ms": statistics.median(times) * 1000,
        "p90_ms": sorted(times)[int(len(times) * 0.9)] * 1000,
        "status": status,
    }


def rpc_ping(rpc):
    times = []
    for _ in range(50):
        start = time.perf_counter()
        rpc("res.users", "check_access_rights", "read", raise_exception=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def rpc_list(rpc, specs, runs):
    result = {}
    for model, spec in specs.items():
        kw = {"domain": [], "specification": spec, "limit": LIST_LIMIT, "count_limit": 10001}
        for _ in range(3):
            page = rpc(model, "web_search_read", **kw)
        times = []
        for _ in range(max(runs, 20)):
            start = time.perf_counter()
            rpc(model, "web_search_read", **kw)
            times.append(time.perf_counter() - start)
        result[model] = {"ms": statistics.median(times) * 1000, "rows": len(page["records"]), "length": page["length"]}
    return result


def http_portal(url, db, runs):
    """GET the portal's ticket list as the portal customer, with a real session; the query
    count of each request is the server's own (its werkzeug log line: queries, SQL time,
    other time)."""
    import http.cookiejar  # noqa: PLC0415
    import urllib.request  # noqa: PLC0415

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
    page = ""
    for _ in range(3):  # warm-up: both workers, the session's first page
        with opener.open(url + PORTAL_URL, timeout=60) as response:
            page = response.read().decode()
    times = []
    count = max(runs, 20)
    for _ in range(count):
        start = time.perf_counter()
        with opener.open(url + PORTAL_URL, timeout=60) as response:
            response.read()
        times.append(time.perf_counter() - start)
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


# -- table ------------------------------------------------------------------


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


def build_rows(res):
    rows = []  # (measure, ours, peer, ratio, goal, verdict, reference)

    def add(measure, ours, peer="", rat=None, goal="", ok=None, ref=""):
        rows.append(
            (measure, ours, peer, fmt(rat, "×") if rat is not None else "", goal, verdict(ok) if goal else "", ref)
        )

    intake = res.get("intake", {})
    ours = intake.get("aftersales.ticket", {})
    hd = intake.get("helpdesk.ticket", {})
    rma = intake.get("rma", {})
    floor = intake.get("res.partner", {})
    o_s, h_s, r_s, f_s = (d.get("seconds") for d in (ours, hd, rma, floor))
    add(
        "1 intake: s per 1,000 (100/call) vs helpdesk",
        fmt(o_s, " s"),
        fmt(h_s, " s") if h_s else "n/a: " + hd.get("error", "?"),
        ratio(o_s, h_s),
        "≤ 1.0×",
        None if ratio(o_s, h_s) is None else ratio(o_s, h_s) <= 1.0,
    )
    add("1 intake: vs rma", fmt(o_s, " s"), fmt(r_s, " s") if r_s else "n/a: " + rma.get("error", "?"), ratio(o_s, r_s))
    add(
        "1 intake: vs res.partner floor",
        fmt(o_s, " s"),
        fmt(f_s, " s"),
        ratio(o_s, f_s),
        "≤ 1.5×",
        None if ratio(o_s, f_s) is None else ratio(o_s, f_s) <= 1.5,
    )
    o_rps = ours.get("rps")
    add(
        "1 intake: tickets/s",
        fmt(o_rps, "/s"),
        fmt(hd.get("rps"), "/s"),
        ratio(o_rps, hd.get("rps")),
        "≥ 600/s",
        None if o_rps is None else o_rps >= 600,
        f"{REFERENCE['intake_rps']:.0f}/s ({fmt(ratio(o_rps, REFERENCE['intake_rps']), '×')})",
    )

    cq = res.get("create_queries", {})
    o, h = cq.get("aftersales.ticket"), cq.get("helpdesk.ticket")
    if o:
        add(
            "2 queries: create 1 → 100",
            f"{o['batch_1']} → {o['batch_100']} (+{o['diff']})",
            f"{h['batch_1']} → {h['batch_100']} (+{h['diff']})" if h else "",
            ratio(o["batch_100"], h and h["batch_100"]),
            "100 = 1 ± const",
            o["diff"] <= 20,
            f"floor res.partner {cq['res.partner']['batch_1']} → {cq['res.partner']['batch_100']}"
            if "res.partner" in cq
            else "",
        )

    w = res.get("warranty")
    if w:
        add(
            "3 get_warranty_status (median of 200)",
            fmt(w["ms"], " ms"),
            "",
            None,
            "≤ 10 ms",
            w["ms"] <= 10,
            f"RPC round trip floor {fmt(res.get('rpc_floor_ms'), ' ms')}",
        )

    lst = res.get("list", {})
    lq = res.get("list_queries", {})
    o, h = lst.get("aftersales.ticket"), lst.get("helpdesk.ticket")
    if o:
        add(
            "4 list page 80/100k web_search_read",
            fmt(o["ms"], " ms"),
            fmt(h and h["ms"], " ms"),
            ratio(o["ms"], h and h["ms"]),
            "≤ 1.0× & ≤ 50 ms",
            o["ms"] <= 50 and (not h or o["ms"] <= h["ms"]),
            f"{REFERENCE['list_ms']:.0f} ms ({fmt(ratio(o['ms'], REFERENCE['list_ms']), '×')})",
        )
    oq, hq = lq.get("aftersales.ticket"), lq.get("helpdesk.ticket")
    if oq and "ms_all" in oq:
        add(
            "4 list page: in-process (no RPC)",
            fmt(oq["ms_all"], " ms"),
            fmt(hq and hq.get("ms_all"), " ms"),
            ratio(oq["ms_all"], hq and hq.get("ms_all")),
        )
    if oq:
        add(
            "4 list page: queries (100k rows / 1% slice)",
            f"{oq['all']} / {oq['slice']}",
            f"{hq['all']} / {hq['slice']}" if hq else "",
            ratio(oq["all"], hq and hq["all"]),
            "≤ 6, flat",
            oq["all"] <= 6 and oq["all"] == oq["slice"],
            f"{REFERENCE['list_queries']} queries",
        )

    sla = res.get("sla")
    if sla:
        add(
            f"5 SLA cron first run ({sla['newly_overdue']} of {sla['open_tickets']} open overdue)",
            fmt(sla["first_s"], " s"),
            "n/a: helpdesk_mgmt_sla has no SLA cron" if not sla["helpdesk_sla_cron"] else "?",
            None,
            "≤ 10 s",
            sla["first_s"] <= 10,
            f"5 s ({fmt(ratio(sla['first_s'], REFERENCE['sla_first_s']), '×')})",
        )
        add(
            "5 SLA cron rerun",
            fmt(sla["rerun_s"], " s"),
            "",
            None,
            "≤ 0.2 s",
            sla["rerun_s"] <= 0.2,
            f"50 ms ({fmt(ratio(sla['rerun_s'], REFERENCE['sla_rerun_s']), '×')})",
        )
        add(
            "5 SLA: flagged / activities / queries",
            f"{sla['flagged']} / {sla['activities_created']} / {sla['first_queries']}",
            "",
            None,
            "activities = newly overdue",
            sla["activities_created"] == sla["newly_overdue"],
            f"rerun {sla['rerun_queries']} q",
        )
        add(
            "5 SLA: queries 1×1000 vs 4×250",
            f"{sla['queries_1000x1']} vs {sla['queries_250x4']}",
            "",
            None,
            "const per batch",
            (sla["queries_250x4"] - sla["queries_1000x1"]) <= 3 * 15,
        )

    rev = res.get("revisit")
    if rev:
        add(
            f"6 revisit cron first run ({rev['confirmed_orders']} orders)",
            fmt(rev["first_s"], " s"),
            "",
            None,
            "≤ 10 s",
            rev["first_s"] <= 10,
            f"5 s ({fmt(ratio(rev['first_s'], REFERENCE['revisit_first_s']), '×')})",
        )
        add(
            "6 revisit cron rerun",
            fmt(rev["rerun_s"], " s"),
            "",
            None,
            "≤ 0.2 s, 0 new",
            rev["rerun_s"] <= 0.2 and rev["created_on_rerun"] == 0,
            f"35 ms ({fmt(ratio(rev['rerun_s'], REFERENCE['revisit_rerun_s']), '×')})",
        )
        add(
            "6 revisit: created / rerun created / queries",
            f"{rev['created']} / {rev['created_on_rerun']} / {rev['first_queries']}",
            "",
            None,
            "",
            None,
            f"rerun {rev['rerun_queries']} q",
        )
        add(
            "6 revisit: queries batch 1000 vs 250",
            f"{rev['queries_batch_1000']} vs {rev['queries_batch_250']}",
            "",
            None,
            "const per batch",
            None,
        )
    portal = res.get("portal")
    if portal:
        add(
            "7 portal my tickets (1,000 of 100k), GET over HTTP",
            fmt(portal["ms"], " ms"),
            "",
            None,
            "≤ 300 ms",
            portal["ms"] <= 300,
            f"p90 {fmt(portal['p90_ms'], ' ms')}",
        )
        add(
            "7 portal my tickets: server queries",
            fmt(portal["queries"]),
            "",
            None,
            "≤ 40",
            None if portal["queries"] is None else portal["queries"] <= 40,
            f"max {portal['queries_max']}",
        )
    for step, err in res.get("errors", {}).items():
        add(f"{step}: failed", "n/a", err[:70])
    return rows


def print_table(rows):
    head = ("measure", "ours", "peer", "ours/peer", "goal", "", "reference (ratio)")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    line = "  ".join("-" * w for w in widths)
    print(line)
    print("  ".join(str(h).ljust(w) for h, w in zip(head, widths, strict=True)))
    print(line)
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    print(line, flush=True)


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
        import psycopg2  # noqa: PLC0415

        conn = psycopg2.connect(dbname="postgres", **suite.PG)
        with conn.cursor() as cr:
            cr.execute("SHOW server_version")
            info["postgresql"] = cr.fetchone()[0]
        conn.close()
    with contextlib.suppress(Exception):
        import odoo  # noqa: PLC0415

        info["odoo"] = odoo.release.version
    return info


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=os.environ.get("AFTERSALES_BENCH_DB", "as_bench"))
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the benchmark database")
    parser.add_argument("--runs", type=int, default=5, help="runs per XML-RPC figure (median)")
    parser.add_argument("--cron-runs", type=int, default=3, help="runs per cron figure (median)")
    args = parser.parse_args()
    if not args.db.startswith("as_bench"):
        parser.error("the benchmark database name must start with as_bench")
    OUT.mkdir(parents=True, exist_ok=True)
    src, source_hash = snapshot_addons()
    conf = write_config(src)
    res = {
        "source": {
            "commit": git("rev-parse", "HEAD"),
            "dirty": bool(git("status", "--porcelain", *OURS)),
            "hash": source_hash,
        },
        "machine": machine(),
        "db": args.db,
        "runs": args.runs,
        "cron_runs": args.cron_runs,
        "errors": {},
    }
    started = time.perf_counter()
    ids = build_db(conf, args.db, args.rebuild, source_hash)

    def step(name, func):
        log(name)
        try:
            res[name] = func()
        except Exception as exc:  # noqa: BLE001 - one failed figure must not hide the others
            res["errors"][name] = (
                f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1] if str(exc).strip() else ''}"
            )
            log(f"{name} failed: {exc}")
        (OUT / "partial.json").write_text(json.dumps(res, indent=2, default=str))

    step("create_queries", lambda: shell(conf, args.db, "create_queries", timeout=600))
    step("list_queries", lambda: shell(conf, args.db, "list_queries", timeout=600))
    step("sla", lambda: shell(conf, args.db, "sla", timeout=1800, runs=args.cron_runs))
    step("revisit", lambda: shell(conf, args.db, "revisit", timeout=1800, runs=args.cron_runs))
    step("vacuum_seconds", lambda: vacuum(args.db))
    specs = {
        model: spec
        for model, spec in ((m, res.get("list_queries", {}).get(m, {}).get("spec")) for m in LIST_VIEWS)
        if spec
    }
    with server(conf, args.db) as url:
        rpc = Rpc(url, args.db)
        step("rpc_floor_ms", lambda: rpc_ping(rpc))
        step("intake", lambda: rpc_intake(rpc, ids, args.runs))
        step("warranty", lambda: rpc_warranty(rpc, ids))
        if specs:
            step("list", lambda: rpc_list(rpc, specs, args.runs))
        else:
            res["errors"]["list"] = "no list specification (list_queries step failed)"
        step("portal", lambda: http_portal(url, args.db, args.runs))
    res["seconds"] = round(time.perf_counter() - started, 1)
    res["machine"]["load_1_5_15_at_end"] = [round(value, 2) for value in os.getloadavg()]
    rows = build_rows(res)
    keys = ("measure", "ours", "peer", "ratio", "goal", "verdict", "reference")
    res["table"] = [dict(zip(keys, row, strict=True)) for row in rows]
    (OUT / "results.json").write_text(json.dumps(res, indent=2, default=str))
    print()
    print(
        f"After-sales benchmark — {res['machine'].get('cpu', '?')}, {res['machine']['cpus']} cores, "
        f"PostgreSQL {res['machine'].get('postgresql', '?')}, Odoo {res['machine'].get('odoo', '?')}; "
        f"medians of {args.runs} runs (crons: {args.cron_runs}); load average "
        f"{res['machine']['load_1_5_15'][1]} at the start, {res['machine']['load_1_5_15_at_end'][1]} at the end "
        f"(5 min)"
    )
    print_table(rows)
    log(f"results saved to {OUT / 'results.json'} ({res['seconds']} s)")


if __name__ == "__main__":
    main()
