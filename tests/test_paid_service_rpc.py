"""Paid service end to end over XML-RPC and the customer's portal: a diagnostic visit quotes
what it found, the customer signs the quotation on the technician's device, the parts leave
stock once, the invoice bills the work done and the fee paid on site settles it."""

import json
import time
import urllib.request

import pytest
from test_bad_input_rpc import PNG

from conftest import SALESMAN

SUFFIX = str(int(time.time() * 1000))[-8:]


@pytest.fixture(scope="module")
def people(admin, make_user, make_staff):
    return {
        **make_staff("paid", SUFFIX, clerk=("user", SALESMAN), tech="technician", quality="quality", head="manager"),
        "accountant": make_user(
            f"paid_acc_{SUFFIX}", ["account.group_account_invoice", "sales_team.group_sale_manager"]
        ),
    }


def on_hand(admin, product, location):
    rows = admin(
        "stock.quant", "search_read", [("product_id", "=", product), ("location_id", "=", location)], ["quantity"]
    )
    return sum(row["quantity"] for row in rows)


def receive(admin, product, quantity, stock):
    """Put ``quantity`` of ``product`` in stock through a validated receipt."""
    supplier = admin.ref("stock.stock_location_suppliers")
    uom = admin("product.product", "read", [product], ["uom_id"])[0]["uom_id"][0]
    move = {
        "name": "Receipt",
        "product_id": product,
        "product_uom": uom,
        "product_uom_qty": quantity,
        "location_id": supplier,
        "location_dest_id": stock,
    }
    picking = admin(
        "stock.picking",
        "create",
        {
            "picking_type_id": admin.ref("stock.picking_type_in"),
            "location_id": supplier,
            "location_dest_id": stock,
            "move_ids": [(0, 0, move)],
        },
    )
    admin("stock.picking", "action_confirm", [picking])
    moves = admin("stock.picking", "read", [picking], ["move_ids"])[0]["move_ids"]
    admin("stock.move", "write", moves, {"quantity": quantity, "picked": True})
    assert admin("stock.picking", "button_validate", [picking]) is True


def json_rpc(server, user, model, method, *args):
    """``execute_kw`` over JSON-RPC, as a JavaScript or mobile integration calls Odoo."""
    params = {
        "service": "object",
        "method": "execute_kw",
        "args": [user.db, user.uid, user.password, model, method, list(args)],
    }
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
    request = urllib.request.Request(
        f"{server['url']}/jsonrpc", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        answer = json.loads(response.read())
    assert "error" not in answer, answer
    return answer["result"]


def portal_accept(server, url, name):
    """What the customer's browser sends when he signs the quotation on its portal page."""
    path, _sep, query = url.partition("?")
    order_id = int(path.rstrip("/").split("/")[-1])
    token = dict(part.split("=", 1) for part in query.split("&"))["access_token"]
    body = json.dumps(
        {"jsonrpc": "2.0", "method": "call", "params": {"access_token": token, "name": name, "signature": PNG}}
    ).encode()
    request = urllib.request.Request(
        f"{server['url']}/my/orders/{order_id}/accept", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.loads(response.read())
    assert "error" not in answer.get("result", {}) and "error" not in answer, answer
    return order_id


def test_inspect_then_quote_accepted_on_site_bills_the_work_and_the_fee_settles_it(admin, people, server):
    stock = admin.ref("stock.stock_location_stock")
    part = admin(
        "product.product",
        "create",
        {
            "name": f"Impeller {SUFFIX}",
            "type": "consu",
            "is_storable": True,
            "aftersales_spare_part": True,
            "list_price": 90,
        },
    )
    receive(admin, part, 4, stock)
    unit = admin("product.product", "create", {"name": f"Unsold Pump {SUFFIX}", "type": "consu"})
    customer = admin("res.partner", "create", {"name": f"Paid Service Plant {SUFFIX}", "email": "plant@example.com"})
    ticket = admin(
        "aftersales.ticket",
        "create",
        {
            "partner_id": customer,
            "product_id": unit,
            "title": "Noise, cause unknown",
            "inspect_first": True,
            "technician_ids": [(6, 0, [people["tech"].uid])],
            "user_id": people["clerk"].uid,
        },
    )
    admin("aftersales.ticket", "write", [ticket], {"review_note": "<p>Inspect first</p>"})
    people["clerk"]("aftersales.ticket", "action_submit_review", [ticket])
    people["quality"]("aftersales.ticket", "action_approve", [ticket])
    read = admin("aftersales.ticket", "read", [ticket], ["state", "quotation_id", "is_billable"])[0]
    assert (read["state"], read["quotation_id"], read["is_billable"]) == ("ready", False, True)
    people["clerk"]("aftersales.ticket", "action_dispatch", [ticket])
    form = admin("aftersales.ticket", "read", [ticket], ["dispatch_ids"])[0]["dispatch_ids"][0]
    tech = people["tech"]
    tech("aftersales.dispatch", "action_start", [form])
    assert tech("aftersales.dispatch", "read", [form], ["diagnostic"])[0]["diagnostic"] is True
    # A forged diagnostic flag or billing order is refused to the technician.
    for forged in ({"diagnostic": False}, {"sale_order_id": 1}, {"payment_id": 1}):
        with pytest.raises(Exception, match="set by the application|cannot be written|does not exist|Invalid field"):
            tech("aftersales.dispatch", "write", [form], forged)
    tech(
        "aftersales.dispatch",
        "write",
        [form],
        {"proposed_part_ids": [(0, 0, {"product_id": part, "quantity": 1})], "proposed_labour_hours": 1},
    )
    tech("aftersales.dispatch", "action_propose_quotation", [form])
    order = admin("aftersales.ticket", "read", [ticket], ["quotation_id"])[0]["quotation_id"][0]
    with pytest.raises(Exception, match="department head's approval"):
        tech("aftersales.dispatch", "action_customer_accepts_here", [form])
    people["head"]("aftersales.ticket", "action_approve_quotation", [ticket])
    url = tech("aftersales.dispatch", "action_customer_accepts_here", [form])["url"]
    assert portal_accept(server, url, "Mr. Plant Owner") == order
    assert admin("sale.order", "read", [order], ["state"])[0]["state"] == "sale"
    assert admin("aftersales.ticket", "read", [ticket], ["state"])[0]["state"] == "dispatched"

    tech(
        "aftersales.dispatch",
        "write",
        [form],
        {
            "part_line_ids": [(0, 0, {"product_id": part, "quantity": 2})],
            "labour_hours": 2,
            "fee_collected": 50,
            "payment_method": "cash",
            "signature": PNG,
            "signed_by": "Mr. Plant Owner",
        },
    )
    tech("aftersales.dispatch", "action_done", [form])
    assert on_hand(admin, part, stock) == 2
    deliveries = admin(
        "stock.move",
        "search_read",
        [("product_id", "=", part), ("state", "=", "done"), ("location_dest_id.usage", "=", "customer")],
        ["quantity", "sale_line_id"],
    )
    assert len(deliveries) == 1 and deliveries[0]["quantity"] == 2 and deliveries[0]["sale_line_id"]
    lines = admin(
        "sale.order.line", "search_read", [("order_id", "=", order)], ["product_id", "product_uom_qty", "qty_delivered"]
    )
    billed = {
        line["product_id"][1]: (line["product_uom_qty"], line["qty_delivered"])
        for line in lines
        if line["qty_delivered"]
    }
    assert billed[f"Impeller {SUFFIX}"] == (2, 2)
    assert (2, 2) in billed.values() and (1, 1) in billed.values(), billed  # labour, call-out

    accountant = people["accountant"]
    wizard = accountant(
        "sale.advance.payment.inv",
        "create",
        {"advance_payment_method": "delivered", "sale_order_ids": [(6, 0, [order])]},
    )
    # Odoo's invoicing wizard answers with an action holding nulls: JSON-RPC carries it, XML-RPC cannot.
    json_rpc(server, accountant, "sale.advance.payment.inv", "create_invoices", [wizard])
    invoice = accountant("sale.order", "read", [order], ["invoice_ids"])[0]["invoice_ids"][0]
    accountant("account.move", "action_post", [invoice])
    move = accountant("account.move", "read", [invoice], ["amount_total", "amount_residual", "line_ids"])[0]
    items = accountant("account.move.line", "read", move["line_ids"], ["debit", "credit"])
    assert round(sum(i["debit"] for i in items), 2) == round(sum(i["credit"] for i in items), 2)
    assert round(move["amount_total"] - move["amount_residual"], 2) == 50, "the fee paid on site settles part of it"
    payment = admin("aftersales.dispatch", "read", [form], ["payment_id", "payment_reconciled"])[0]
    assert payment["payment_id"] and payment["payment_reconciled"]


def test_only_a_manager_records_the_warranty_terms_of_past_sales(admin, people):
    for role in ("clerk", "tech", "quality"):
        with pytest.raises(Exception, match="may freeze the warranty terms of past sales"):
            people[role]("sale.order", "action_aftersales_freeze_terms", [])
    result = people["head"]("sale.order", "action_aftersales_freeze_terms", [])
    assert result["params"]["type"] == "success"
