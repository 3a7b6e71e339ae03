"""Who decides, over XML-RPC: the wrong person is refused and nothing changes; the person the
policy names succeeds."""

import time
import xmlrpc.client
from datetime import datetime, timedelta, timezone

import pytest
from test_bad_input_rpc import PNG

from conftest import SALESMAN

SUFFIX = str(int(time.time() * 1000))[-8:]


@pytest.fixture(scope="module")
def people(admin, make_staff):
    return {
        **make_staff("who", SUFFIX, clerk=("user", SALESMAN), tech="technician", quality="quality", head="manager"),
        "customer": admin("res.partner", "create", {"name": f"Who Decides Plant {SUFFIX}"}),
    }


def utc(hours):
    """A server datetime ``hours`` from now (the server's clock is this machine's)."""
    return (datetime.now(timezone.utc) + timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M:%S")


def refused(rpc, model, method, *args, match):
    with pytest.raises(xmlrpc.client.Fault) as error:
        rpc(model, method, *args)
    assert match in error.value.faultString, error.value.faultString


def ticket(admin, people, **values):
    values = {"partner_id": people["customer"], "title": "Who decides", "user_id": people["clerk"].uid, **values}
    ticket_id = admin("aftersales.ticket", "create", values)
    admin("aftersales.ticket", "write", [ticket_id], {"review_note": "<p>Plan</p>"})
    admin("aftersales.ticket", "action_submit_review", [ticket_id])
    people["quality"]("aftersales.ticket", "action_approve", [ticket_id])
    return ticket_id


def test_the_department_head_approves_the_quotation_not_quality(admin, people):
    product = admin("product.product", "create", {"name": f"Who Pump {SUFFIX}", "type": "consu"})
    ticket_id = ticket(admin, people, product_id=product, planned_labour_hours=1)
    order = admin("aftersales.ticket", "read", [ticket_id], ["quotation_id"])[0]["quotation_id"][0]
    refused(people["quality"], "aftersales.ticket", "action_approve_quotation", [ticket_id], match="Manager")
    refused(admin, "sale.order", "action_quotation_send", [order], match="department head's approval")
    refused(admin, "sale.order", "action_confirm", [order], match="department head's approval")
    fields = ["quotation_approved_by_id", "state"]
    assert admin("aftersales.ticket", "read", [ticket_id], fields)[0]["quotation_approved_by_id"] is False
    assert admin("sale.order", "read", [order], ["state"])[0]["state"] == "draft"
    people["head"]("aftersales.ticket", "action_approve_quotation", [ticket_id])
    approved = admin("aftersales.ticket", "read", [ticket_id], fields)[0]
    assert approved["quotation_approved_by_id"][0] == people["head"].uid
    assert admin("sale.order", "action_quotation_send", [order])["res_model"] == "mail.compose.message"
    admin("sale.order", "action_confirm", [order])
    assert admin("sale.order", "read", [order], ["state"])[0]["state"] == "sale"
    assert admin("aftersales.ticket", "read", [ticket_id], ["state"])[0]["state"] == "ready"


def test_the_office_chooses_the_technicians_and_sales_files_their_form(admin, people):
    ticket_id = ticket(admin, people, request_type="consultation")
    refused(people["clerk"], "aftersales.ticket", "action_dispatch", [ticket_id], match="Choose the technicians")
    assert admin("aftersales.ticket", "read", [ticket_id], ["state"])[0]["state"] == "ready"
    people["clerk"]("aftersales.ticket", "write", [ticket_id], {"technician_ids": [(6, 0, [people["tech"].uid])]})
    form = people["clerk"]("aftersales.ticket", "action_dispatch", [ticket_id])["res_id"]
    assert admin("aftersales.dispatch", "read", [form], ["technician_ids"])[0]["technician_ids"] == [people["tech"].uid]
    tech = people["tech"]
    tech("aftersales.dispatch", "write", [form], {"travel_start": utc(hours=-1)})
    tech("aftersales.dispatch", "action_start", [form])
    tech("aftersales.dispatch", "write", [form], {"signature": PNG, "signed_by": "Mr. Wu", "travel_cost": 55})
    tech("aftersales.dispatch", "action_done", [form])
    # Back at the company: the travel claim stands on the times of leaving and coming back.
    refused(people["clerk"], "aftersales.dispatch", "action_file", [form], match="left the company and came back")
    tech("aftersales.dispatch", "write", [form], {"travel_return": utc(hours=1)})
    refused(tech, "aftersales.dispatch", "action_file", [form], match="sales files it, not its technicians")
    row = admin("aftersales.dispatch", "read", [form], ["state", "is_reimbursable", "filed_by_id"])[0]
    assert (row["state"], row["is_reimbursable"], row["filed_by_id"]) == ("done", False, False)
    people["clerk"]("aftersales.dispatch", "action_file", [form])
    row = admin("aftersales.dispatch", "read", [form], ["state", "is_reimbursable", "filed_by_id"])[0]
    assert (row["state"], row["is_reimbursable"], row["filed_by_id"][0]) == ("filed", True, people["clerk"].uid)


def test_a_visit_not_resolved_on_site_waits_for_the_company(admin, people):
    """凡服务现场不能处理妥善者…待公司同意后才可用 (P4 §3.6): the technician cannot complete it alone."""
    ticket_id = ticket(admin, people, request_type="consultation", technician_ids=[(6, 0, [people["tech"].uid])])
    form = people["clerk"]("aftersales.ticket", "action_dispatch", [ticket_id])["res_id"]
    tech = people["tech"]
    tech("aftersales.dispatch", "action_start", [form])
    tech("aftersales.dispatch", "write", [form], {"resolved_on_site": False, "signature": PNG, "signed_by": "Mr. Wu"})
    refused(tech, "aftersales.dispatch", "action_done", [form], match="not resolved on site")
    # Nor by typing the answer: the status, or an approval written on a new request.
    refused(tech, "aftersales.dispatch", "write", [form], {"state": "done"}, match="not resolved on site")
    asked = {"dispatch_id": form, "request_type": "alternative", "reason": "Cracked"}
    refused(tech, "aftersales.change.request", "create", {**asked, "state": "approved"}, match="status of a")
    with pytest.raises(xmlrpc.client.Fault, match="status of a"):
        tech("aftersales.change.request", "create", asked, context={"default_state": "approved"})
    assert admin("aftersales.change.request", "search", [("dispatch_id", "=", form)]) == []
    request = tech("aftersales.change.request", "create", asked)
    refused(tech, "aftersales.change.request", "action_approve", [request], match="Manager")
    refused(tech, "aftersales.dispatch", "action_done", [form], match="waits for the company's answer")
    people["head"]("aftersales.change.request", "action_approve", [request])
    tech("aftersales.dispatch", "action_done", [form])
    row = admin("aftersales.dispatch", "read", [form], ["state", "resolved_on_site"])[0]
    assert (row["state"], row["resolved_on_site"]) == ("done", False)


def test_only_quality_calls_a_major_complaint_minor(admin, people):
    feedback = admin(
        "aftersales.feedback",
        "create",
        {
            "partner_id": people["customer"],
            "description": "Broke twice",
            "severity": "major",
            "kind": "complaint",
            "user_id": people["clerk"].uid,
        },
    )
    refused(people["clerk"], "aftersales.feedback", "write", [feedback], {"severity": "minor"}, match="Quality")
    assert admin("aftersales.feedback", "read", [feedback], ["severity"])[0]["severity"] == "major"
    people["quality"]("aftersales.feedback", "write", [feedback], {"severity": "minor"})
    assert admin("aftersales.feedback", "read", [feedback], ["severity"])[0]["severity"] == "minor"
