"""Outsiders over XML-RPC: a portal customer and an internal user without after-sales rights
call our public methods on the customer's own records, in states where the step is legal, and
are refused for lack of rights each time, with nothing changed."""

import time
import xmlrpc.client

import pytest

SUFFIX = str(int(time.time() * 1000))[-8:]

CALLS = [
    ("aftersales.ticket", "action_approve"),
    ("aftersales.ticket", "action_cancel"),
    ("aftersales.ticket", "action_dispute"),
    ("aftersales.ticket", "action_propose_solution"),
    ("aftersales.ticket", "action_create_supplier_claim"),
    ("aftersales.ticket", "write"),
    ("aftersales.dispatch", "action_start"),
    ("aftersales.dispatch", "action_cancel"),
    ("aftersales.dispatch", "write"),
]


@pytest.fixture(scope="module")
def outsiders(admin, make_user):
    portal = make_user(f"rpc_portal_{SUFFIX}", ["base.group_portal"])
    internal = make_user(f"rpc_internal_{SUFFIX}", ["base.group_user"])
    customer = admin("res.users", "read", [portal.uid], ["partner_id"])[0]["partner_id"][0]
    ticket = admin(
        "aftersales.ticket",
        "create",
        {"partner_id": customer, "title": "Mine", "request_type": "consultation", "review_note": "<p>Visit</p>"},
    )
    admin("aftersales.ticket", "action_submit_review", [ticket])
    form = admin("aftersales.dispatch", "create", {"ticket_id": ticket, "cancel_reason": "Customer away"})
    return {"portal": portal, "internal": internal, "aftersales.ticket": ticket, "aftersales.dispatch": form}


@pytest.mark.parametrize("role", ["portal", "internal"])
@pytest.mark.parametrize(("model", "method"), CALLS)
def test_outsiders_are_refused_over_rpc(admin, outsiders, role, model, method):
    record = outsiders[model]
    before = admin(model, "read", [record], ["state", "write_date"])[0]
    changes = {"aftersales.ticket": {"title": "changed"}, "aftersales.dispatch": {"signed_by": "changed"}}
    args = [[record], changes[model]] if method == "write" else [[record]]
    with pytest.raises(xmlrpc.client.Fault) as error:
        outsiders[role](model, method, *args)
    fault = error.value.faultString.lower()
    assert "access" in fault or "top-secret" in fault or "only" in fault, fault
    assert admin(model, "read", [record], ["state", "write_date"])[0] == before
