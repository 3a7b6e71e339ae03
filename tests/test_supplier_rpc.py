"""Purchasing takes a supplier claim from a service ticket to a resolved replacement,
over XML-RPC, and the service user follows its progress on the ticket."""

import xmlrpc.client

import pytest


@pytest.fixture(scope="module")
def claim_setup(admin, make_user):
    buyer = make_user("rpc_buyer", ["purchase.group_purchase_user", "stock.group_stock_user"])
    service = make_user("rpc_service", ["aftersales_service.group_aftersales_user"])
    vendor = admin("res.partner", "create", {"name": "RPC Valve Vendor", "email": "claims@valves.example"})
    part = admin(
        "product.product",
        "create",
        {
            "name": "RPC Valve",
            "type": "consu",
            "standard_price": 30,
            "seller_ids": [(0, 0, {"partner_id": vendor, "price": 35, "aftersales_warranty_months": 24})],
        },
    )
    customer = admin("res.partner", "create", {"name": "RPC Plant"})
    ticket = service(
        "aftersales.ticket",
        "create",
        {
            "partner_id": customer,
            "product_id": part,
            "title": "Valve leaks",
            "user_id": service.uid,
        },
    )
    service("aftersales.ticket", "action_submit_review", [ticket])
    return {"buyer": buyer, "service": service, "vendor": vendor, "part": part, "ticket": ticket}


def test_claim_from_ticket_to_resolved_replacement(claim_setup):
    buyer, service, ticket = claim_setup["buyer"], claim_setup["service"], claim_setup["ticket"]
    action = service("aftersales.ticket", "action_create_supplier_claim", [ticket])
    claim = action["res_id"]
    data = service(
        "aftersales.supplier.claim", "read", [claim], ["partner_id", "is_claimable", "expected_amount", "state"]
    )[0]
    assert data["partner_id"][0] == claim_setup["vendor"]
    assert data["is_claimable"] is True
    assert data["expected_amount"] == 35.0
    assert data["state"] == "draft"

    with pytest.raises(xmlrpc.client.Fault) as error:
        service("aftersales.supplier.claim", "action_send", [claim])
    assert "may move a supplier claim forward" in error.value.faultString

    for step in ("action_send", "action_acknowledge", "action_start"):
        assert buyer("aftersales.supplier.claim", step, [claim]) is True
    with pytest.raises(xmlrpc.client.Fault) as error:
        buyer("aftersales.supplier.claim", "action_resolve", [claim])
    assert "Record what the vendor did" in error.value.faultString

    replacement = buyer("aftersales.supplier.claim", "action_create_replacement_order", [claim])
    assert replacement["res_model"] == "purchase.order"
    order = buyer("purchase.order", "read", [replacement["res_id"]], ["partner_id", "origin"])[0]
    assert order["partner_id"][0] == claim_setup["vendor"]
    assert buyer("aftersales.supplier.claim", "action_resolve", [claim]) is True

    progress = service("aftersales.ticket", "read", [ticket], ["claim_count", "claim_progress"])[0]
    assert progress["claim_count"] == 1
    assert "Resolved" in progress["claim_progress"]


def test_illegal_claim_moves_are_refused(claim_setup):
    buyer, service = claim_setup["buyer"], claim_setup["service"]
    claim = service("aftersales.ticket", "action_create_supplier_claim", [claim_setup["ticket"]])["res_id"]
    for step in ("action_acknowledge", "action_resolve", "action_create_vendor_refund"):
        with pytest.raises(xmlrpc.client.Fault) as error:
            buyer("aftersales.supplier.claim", step, [claim])
        assert "You cannot" in error.value.faultString
    assert buyer("aftersales.supplier.claim", "read", [claim], ["state"])[0]["state"] == "draft"
