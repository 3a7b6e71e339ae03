"""The after-sales flow as an integration drives it over XML-RPC:
register by phone, review, quote, customer confirms, dispatch, sign, close."""

import base64
import xmlrpc.client

import pytest

from conftest import sell

# 1x1 transparent PNG: enough for a signature field.
SIGNATURE = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
).decode()


@pytest.fixture(scope="module")
def sold_line(admin):
    """A confirmed sale of a product with a 12-month warranty from confirmation."""
    customer = admin("res.partner", "create", {"name": "RPC Customer Ltd", "email": "rpc@example.com"})
    product = admin(
        "product.product",
        "create",
        {
            "name": "RPC Compressor",
            "type": "consu",
            "list_price": 900.0,
            "aftersales_warranty_months": 12,
            "aftersales_warranty_start": "sale",
        },
    )
    order, line = sell(admin, customer, product)
    return {"customer": customer, "product": product, "order": order, "line": line}


def fault_message(error):
    return error.value.faultString


def test_warranty_status_of_a_sale_line(admin, sold_line):
    status = admin("aftersales.ticket", "get_warranty_status", sale_line_id=sold_line["line"])
    assert status["state"] == "in_warranty"
    assert status["start_date"] and status["end_date"] > status["start_date"]


def test_warranty_status_refuses_bad_input(admin):
    with pytest.raises(xmlrpc.client.Fault) as error:
        admin("aftersales.ticket", "get_warranty_status")
    assert "serial number" in fault_message(error)
    with pytest.raises(xmlrpc.client.Fault) as error:
        admin("aftersales.ticket", "get_warranty_status", lot_id=987654321)
    assert "does not exist" in fault_message(error)


def test_free_repair_flow_from_phone_call_to_close(admin, sold_line):
    ticket = admin(
        "aftersales.ticket",
        "create",
        {
            "partner_id": sold_line["customer"],
            "sale_line_id": sold_line["line"],
            "request_type": "repair",
            "channel": "phone",
            "title": "Compressor trips the breaker",
            "technician_ids": [(6, 0, [admin.uid])],
        },
    )
    data = admin(
        "aftersales.ticket",
        "read",
        [ticket],
        ["name", "state", "warranty_state", "is_billable", "sale_order_id", "product_id", "response_deadline"],
    )[0]
    assert data["name"].startswith("AS")
    assert (data["state"], data["warranty_state"], data["is_billable"]) == ("draft", "in_warranty", False)
    assert data["sale_order_id"][0] == sold_line["order"] and data["product_id"][0] == sold_line["product"]
    assert data["response_deadline"]

    assert admin("aftersales.ticket", "action_submit_review", [ticket]) is True
    # Handing it to quality is internal: the customer has not been answered yet.
    assert admin("aftersales.ticket", "read", [ticket], ["first_response_date"])[0]["first_response_date"] is False
    admin(
        "aftersales.ticket",
        "message_post",
        [ticket],
        body="We will call you tomorrow.",
        message_type="comment",
        subtype_xmlid="mail.mt_comment",  # "Send message": the customer receives it
    )
    assert admin("aftersales.ticket", "read", [ticket], ["first_response_date"])[0]["first_response_date"]
    with pytest.raises(xmlrpc.client.Fault) as error:
        admin("aftersales.ticket", "action_approve", [ticket])
    assert "solution plan" in fault_message(error)
    admin("aftersales.ticket", "write", [ticket], {"review_note": "<p>Replace the relay on site.</p>"})
    assert admin("aftersales.ticket", "action_approve", [ticket]) is True
    assert admin("aftersales.ticket", "read", [ticket], ["state"])[0]["state"] == "ready"

    action = admin("aftersales.ticket", "action_dispatch", [ticket])
    form = action["res_id"]
    assert admin("aftersales.dispatch", "action_start", [form]) is True
    with pytest.raises(xmlrpc.client.Fault) as error:
        admin("aftersales.dispatch", "action_done", [form])
    assert "signed" in fault_message(error)
    admin("aftersales.dispatch", "write", [form], {"signature": SIGNATURE, "signed_by": "Mr. Wang"})
    assert admin("aftersales.dispatch", "action_done", [form]) is True
    assert admin("aftersales.ticket", "read", [ticket], ["state"])[0]["state"] == "done"
    # The customer must evaluate the service (P6 三.7): no evaluation, no closing, unless a
    # manager waives it with a reason.
    with pytest.raises(xmlrpc.client.Fault) as error:
        admin("aftersales.ticket", "action_close", [ticket])
    assert "evaluated the service" in fault_message(error)
    admin("aftersales.ticket", "write", [ticket], {"evaluation_waiver_reason": "Customer asked not to be surveyed."})
    assert admin("aftersales.ticket", "action_waive_evaluation", [ticket]) is True
    assert admin("aftersales.ticket", "action_close", [ticket]) is True
    assert admin("aftersales.ticket", "read", [ticket], ["state"])[0]["state"] == "closed"


def test_paid_service_waits_for_the_customer_to_confirm_the_quotation(admin, sold_line):
    # A customer who bought the product elsewhere: nothing of ours is under warranty.
    walk_in = admin("res.partner", "create", {"name": "RPC Walk-in Customer", "email": "walkin@example.com"})
    ticket = admin(
        "aftersales.ticket",
        "create",
        {
            "partner_id": walk_in,
            "product_id": sold_line["product"],
            "request_type": "repair",
            "title": "Out-of-warranty repair",
            "review_note": "<p>Repair the valve.</p>",
            "planned_labour_hours": 2.0,
        },
    )
    assert admin("aftersales.ticket", "read", [ticket], ["is_billable"])[0]["is_billable"] is True
    admin("aftersales.ticket", "action_submit_review", [ticket])
    admin("aftersales.ticket", "action_approve", [ticket])
    data = admin("aftersales.ticket", "read", [ticket], ["state", "quotation_id"])[0]
    assert data["state"] == "quotation" and data["quotation_id"]
    order = data["quotation_id"][0]
    lines = admin("sale.order.line", "search_read", [("order_id", "=", order)], ["product_id", "product_uom_qty"])
    labour = admin.ref("aftersales_service.product_aftersales_labour")
    travel = admin.ref("aftersales_service.product_aftersales_travel")
    assert {(line["product_id"][0], line["product_uom_qty"]) for line in lines} == {(labour, 2.0), (travel, 1.0)}

    with pytest.raises(xmlrpc.client.Fault) as error:
        admin("aftersales.ticket", "action_dispatch", [ticket])
    assert "quotation" in fault_message(error)
    assert admin("aftersales.ticket", "read", [ticket], ["state"])[0]["state"] == "quotation"

    # 报价由售后服务部长审核: nobody sends or accepts it before the department head approved it.
    with pytest.raises(xmlrpc.client.Fault) as error:
        admin("sale.order", "action_confirm", [order])
    assert "department head's approval" in fault_message(error)
    assert admin("sale.order", "read", [order], ["state"])[0]["state"] == "draft"
    admin("aftersales.ticket", "action_approve_quotation", [ticket])
    assert admin("aftersales.ticket", "read", [ticket], ["quotation_approved_by_id"])[0]["quotation_approved_by_id"]
    admin("sale.order", "action_confirm", [order])
    assert admin("aftersales.ticket", "read", [ticket], ["state"])[0]["state"] == "ready"
    admin("aftersales.ticket", "write", [ticket], {"technician_ids": [(6, 0, [admin.uid])]})
    assert admin("aftersales.ticket", "action_dispatch", [ticket])["res_model"] == "aftersales.dispatch"


def test_illegal_transitions_are_refused_and_change_nothing(admin, sold_line):
    ticket = admin("aftersales.ticket", "create", {"partner_id": sold_line["customer"], "title": "Question"})
    for action in ("action_approve", "action_dispatch", "action_done", "action_close", "action_reset_draft"):
        with pytest.raises(xmlrpc.client.Fault) as error:
            admin("aftersales.ticket", action, [ticket])
        assert "You cannot" in fault_message(error) or "quotation" in fault_message(error)
        assert admin("aftersales.ticket", "read", [ticket], ["state"])[0]["state"] == "draft"


def test_unknown_selection_value_is_refused(admin, sold_line):
    before = admin("aftersales.ticket", "search_count", [])
    with pytest.raises(xmlrpc.client.Fault) as error:
        admin("aftersales.ticket", "create", {"partner_id": sold_line["customer"], "request_type": "teleport"})
    assert "teleport" in fault_message(error)
    assert admin("aftersales.ticket", "search_count", []) == before


def test_a_plain_user_cannot_override_billing(make_user, admin, sold_line):
    clerk = make_user("as_clerk", ["aftersales_service.group_aftersales_user"])
    ticket = clerk("aftersales.ticket", "create", {"partner_id": sold_line["customer"], "title": "Noise"})
    with pytest.raises(xmlrpc.client.Fault) as error:
        clerk(
            "aftersales.ticket", "write", [ticket], {"billing_override": "free", "billing_override_reason": "goodwill"}
        )
    assert "Only members of After-Sales / Manager may change Billing Override" in fault_message(error)
    assert admin(
        "aftersales.ticket", "write", [ticket], {"billing_override": "free", "billing_override_reason": "goodwill"}
    )
    assert admin("aftersales.ticket", "read", [ticket], ["is_billable"])[0]["is_billable"] is False
