"""The benchmark's data, generated inside ``odoo shell`` in bulk SQL (``INSERT … SELECT …
generate_series``, every ``NOT NULL`` column filled), never through the ORM: one million
tickets stay within a few minutes. A handful of real records (a serial sold and delivered
through sale and stock, a helpdesk team with its SLA) come from the ORM."""

import json
import time

# Bump when the generated data changes: an existing database is then refilled.
DATA_VERSION = "6"
PORTAL_LOGIN = PORTAL_PASSWORD = "bench_portal"
PORTAL_VERSION = "2"


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
    missing = _not_null_columns(cr, table) - set(columns)
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


def _fill_serials(env, product, count):
    """``count`` more serials of the sold product (never delivered): the warranty look-up
    must find the delivered one among them through its indexes."""
    cr = env.cr
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM stock_lot")
    first = cr.fetchone()[0] + 1
    admin = env.ref("base.user_admin").id
    _bulk_insert(
        cr,
        "stock_lot",
        {
            "name": "'BENCH-SN-' || lpad((n + 1)::text, 7, '0')",
            "product_id": str(product.id),
            "company_id": str(env.company.id),
            "create_uid": str(admin),
            "write_uid": str(admin),
            "create_date": "now() at time zone 'utc'",
            "write_date": "now() at time zone 'utc'",
        },
        count,
    )
    return first


def data_marker(sizes):
    """What the generated data is: its version and sizes (another size means other data)."""
    return DATA_VERSION + ":" + ",".join(f"{key}={sizes[key]}" for key in sorted(sizes))


def inproc_setup(env, sizes):
    """Fill an empty benchmark database (the driver starts each fill from a fresh copy of the
    installed one); ``sizes``: tickets, helpdesk, orders, customers, serials."""
    cr = env.cr
    if _param(env, "as_bench.data_version") == data_marker(sizes):
        return {"reused": True, "ids": json.loads(_param(env, "as_bench.ids"))}
    if _param(env, "as_bench.data_version"):
        raise RuntimeError("the database holds other generated data: fill a fresh copy")
    t0 = time.perf_counter()
    n_customers = sizes["customers"]
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
        n_customers,
    )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id >= %s AND commercial_partner_id IS NULL",
        (first_partner,),
    )
    partner_sql = f"({first_partner} + (n % {n_customers}))"

    # -- 100,000 after-sales tickets: 1% newly overdue, 20% already flagged ----
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM aftersales_ticket")
    first_ticket = cr.fetchone()[0] + 1
    _bulk_insert(
        cr,
        "aftersales_ticket",
        {
            # The id given here (not by the sequence) names the ticket in the same statement:
            # no second pass rewriting a million rows and their indexes.
            "id": f"{first_ticket} + n - 1",
            "name": f"'AS-' || lpad(({first_ticket} + n - 1)::text, 7, '0')",
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
        sizes["tickets"],
    )
    cr.execute("SELECT setval('aftersales_ticket_id_seq', (SELECT MAX(id) FROM aftersales_ticket))")

    # -- 100,000 helpdesk tickets -----------------------------------------------
    # Spread over the first three stages as ours over three states (60/20/20 %): both kanbans
    # then load cards in three columns.
    stages = env["helpdesk.ticket.stage"].search([], order="sequence, id", limit=3).ids
    stage_sql = f"(ARRAY[{stages[0]}, {stages[0]}, {stages[0]}, {stages[1]}, {stages[2]}])[1 + n % 5]"
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
            "stage_id": stage_sql,
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
        sizes["helpdesk"],
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
        sizes["orders"],
    )
    first_lot = _fill_serials(env, product, sizes["serials"])
    for table in ("res_partner", "aftersales_ticket", "helpdesk_ticket", "sale_order", "stock_lot"):
        cr.execute(f"ANALYZE {table}")
    ids = {
        "customer": customer.id,
        "customers": [first_partner, first_partner + n_customers - 1],
        "first_lot": first_lot,
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
    params.set_param("as_bench.data_version", data_marker(sizes))
    env.flush_all()
    cr.commit()
    env.registry.clear_cache()
    return {"reused": False, "seconds": round(time.perf_counter() - t0, 1), "ids": ids}


def inproc_portal_setup(env, tickets=1000):
    """A portal customer owning ``tickets`` of the generated tickets (one in a hundred), once."""
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
        {"partner": partner.id, "first": ids["first_ticket"], "count": tickets * 100},
    )
    if env.cr.rowcount != tickets:
        raise RuntimeError(f"portal customer got {env.cr.rowcount} tickets, not {tickets}")
    env.cr.execute("ANALYZE aftersales_ticket")
    portal_ids = {"partner": partner.id, "user": user.id, "tickets": tickets}
    params = env["ir.config_parameter"].sudo()
    params.set_param("as_bench.portal_ids", json.dumps(portal_ids))
    params.set_param("as_bench.portal_version", PORTAL_VERSION)
    env.cr.commit()
    return portal_ids
