"""Revisits as an integration drives them over XML-RPC: plan from a confirmed sale of a
tiered customer, record the outcome, a complaint opens a ticket, refusals are clear."""

import time
import xmlrpc.client
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta

from conftest import sell

SUFFIX = str(int(time.time() * 1000))[-9:]


@pytest.fixture(scope="module")
def salesperson(make_user):
    return make_user(
        f"as_rpc_sales_{SUFFIX}",
        [
            "aftersales_service.group_aftersales_user",
            "sales_team.group_sale_salesman",
        ],
    )


@pytest.fixture(scope="module")
def key_sale(admin, salesperson):
    """A key customer (revisit every 6 months) with a confirmed order."""
    tier = admin.ref("aftersales_survey.revisit_tier_key")
    interval = admin("aftersales.revisit.tier", "read", [tier], ["interval_months"])[0]["interval_months"]
    customer = admin(
        "res.partner",
        "create",
        {
            "name": f"RPC Key Customer {SUFFIX}",
            "is_company": True,
            "email": f"key{SUFFIX}@example.com",
            "aftersales_tier_id": tier,
        },
    )
    product = admin(
        "product.product", "create", {"name": f"RPC Service {SUFFIX}", "type": "service", "list_price": 50.0}
    )
    order, _line = sell(admin, customer, product, user_id=salesperson.uid)
    confirmed = admin("sale.order", "read", [order], ["date_order", "state"])[0]
    assert confirmed["state"] == "sale"
    return {"customer": customer, "order": order, "interval": interval, "date_order": confirmed["date_order"]}


def revisits_of(rpc, customer):
    return rpc(
        "aftersales.revisit",
        "search_read",
        [("partner_id", "=", customer)],
        ["state", "due_date", "sale_order_id", "user_id", "channel", "ticket_id"],
    )


def test_planner_creates_one_revisit_and_is_idempotent(admin, salesperson, key_sale):
    created = salesperson("aftersales.revisit", "action_generate_revisits")
    assert isinstance(created, int) and created >= 1
    revisits = revisits_of(salesperson, key_sale["customer"])
    assert len(revisits) == 1
    revisit = revisits[0]
    confirmed_on = date.fromisoformat(key_sale["date_order"][:10])
    assert revisit["due_date"] == (confirmed_on + relativedelta(months=key_sale["interval"])).isoformat()
    assert revisit["state"] == "planned"
    assert revisit["sale_order_id"][0] == key_sale["order"]
    assert revisit["user_id"][0] == salesperson.uid, "assigned to the order's salesperson"
    activities = admin(
        "mail.activity",
        "search_count",
        [("res_model", "=", "aftersales.revisit"), ("res_id", "=", revisit["id"]), ("user_id", "=", salesperson.uid)],
    )
    assert activities == 1, "the salesperson has a To-Do"

    assert salesperson("aftersales.revisit", "action_generate_revisits") == 0, "running twice creates nothing new"
    assert len(revisits_of(salesperson, key_sale["customer"])) == 1


def test_complaint_outcome_opens_a_ticket(salesperson, key_sale):
    salesperson("aftersales.revisit", "action_generate_revisits")
    revisit = revisits_of(salesperson, key_sale["customer"])[0]
    salesperson(
        "aftersales.revisit",
        "write",
        [revisit["id"]],
        {
            "outcome": "complaint",
            "channel": "phone",
            "note": "The pump is louder than promised.",
        },
    )
    assert salesperson("aftersales.revisit", "action_done", [revisit["id"]]) is True
    done = salesperson("aftersales.revisit", "read", [revisit["id"]], ["state", "ticket_id", "done_date"])[0]
    assert done["state"] == "done" and done["done_date"]
    assert done["ticket_id"], "a complaint opens an after-sales ticket"
    ticket = salesperson(
        "aftersales.ticket",
        "read",
        [done["ticket_id"][0]],
        ["request_type", "channel", "partner_id", "sale_order_id", "state"],
    )[0]
    assert ticket["request_type"] == "complaint"
    assert ticket["channel"] == "phone"
    assert ticket["partner_id"][0] == key_sale["customer"]
    assert ticket["sale_order_id"][0] == key_sale["order"]
    assert ticket["state"] == "draft"


def revisit_due_today(rpc, customer, **values):
    """A revisit of ``customer`` planned for today by ``rpc``'s user."""
    return rpc("aftersales.revisit", "create", {"partner_id": customer, "due_date": date.today().isoformat(), **values})


def test_done_without_outcome_is_refused_clearly(salesperson, key_sale):
    revisit = revisit_due_today(salesperson, key_sale["customer"], channel="visit")
    with pytest.raises(xmlrpc.client.Fault) as error:
        salesperson("aftersales.revisit", "action_done", [revisit])
    assert "Record the outcome" in error.value.faultString
    assert "satisfied, suggestion or complaint" in error.value.faultString
    assert salesperson("aftersales.revisit", "read", [revisit], ["state"])[0]["state"] == "planned"


def test_done_twice_is_refused(salesperson, key_sale):
    revisit = revisit_due_today(salesperson, key_sale["customer"], outcome="satisfied")
    assert salesperson("aftersales.revisit", "action_done", [revisit]) is True
    with pytest.raises(xmlrpc.client.Fault) as error:
        salesperson("aftersales.revisit", "action_done", [revisit])
    assert "You cannot mark as done" in error.value.faultString


def test_planner_needs_after_sales_rights(make_user):
    outsider = make_user(f"as_rpc_outsider_{SUFFIX}", ["base.group_user"])
    with pytest.raises(xmlrpc.client.Fault) as error:
        outsider("aftersales.revisit", "action_generate_revisits")
    assert "not allowed" in error.value.faultString or "AccessError" in error.value.faultString


def test_a_customer_without_email_is_called_and_the_ticket_waits_for_the_evaluation(admin, salesperson):
    """必须让用户填写满意度调查表 (P6 三.7), over XML-RPC: no silent skip, no closing unevaluated."""
    customer = admin("res.partner", "create", {"name": f"RPC No Mail Plant {SUFFIX}"})
    ticket = admin(
        "aftersales.ticket",
        "create",
        {
            "partner_id": customer,
            "title": "Explain the settings",
            "request_type": "consultation",
            "user_id": salesperson.uid,
            "review_note": "<p>Explain by phone.</p>",
        },
    )
    admin("aftersales.ticket", "action_submit_review", [ticket])
    admin("aftersales.ticket", "action_approve", [ticket])
    admin("aftersales.ticket", "action_done", [ticket])
    call_type = admin.ref("aftersales_survey.mail_activity_data_phone_evaluation")
    calls = admin(
        "mail.activity",
        "search_read",
        [("res_model", "=", "aftersales.ticket"), ("res_id", "=", ticket), ("activity_type_id", "=", call_type)],
        ["user_id"],
    )
    assert [call["user_id"][0] for call in calls] == [salesperson.uid]
    with pytest.raises(xmlrpc.client.Fault) as error:
        salesperson("aftersales.ticket", "action_close", [ticket])
    assert "evaluated the service" in error.value.faultString

    action = salesperson("aftersales.ticket", "action_record_phone_evaluation", [ticket])
    assert action["type"] == "ir.actions.act_url" and "/survey/start/" in action["url"]
    answer = admin("survey.user_input", "search", [("aftersales_ticket_id", "=", ticket)])
    assert admin("survey.user_input", "read", answer, ["aftersales_channel"])[0]["aftersales_channel"] == "phone"
    for forged in ({"aftersales_channel": "on_site"}, {"aftersales_ticket_id": False}):
        with pytest.raises(xmlrpc.client.Fault):
            salesperson("survey.user_input", "write", answer, forged)
    with pytest.raises(xmlrpc.client.Fault) as error:
        salesperson("aftersales.ticket", "write", [ticket], {"evaluation_waiver_reason": "No time"})
    assert "Why No Evaluation" in error.value.faultString
    assert admin("aftersales.ticket", "read", [ticket], ["state", "evaluation_state"])[0] == {
        "id": ticket,
        "state": "done",
        "evaluation_state": "pending",
    }
