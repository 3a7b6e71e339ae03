"""Known solutions (总结解决方案), disputed quality (对质量有争议的产品) and sales interest over XML-RPC."""

import base64
import xmlrpc.client
from pathlib import Path

import pytest

from conftest import on_site, sell

ICON = base64.b64encode(
    (Path(__file__).resolve().parent.parent / "aftersales_service/static/description/icon.png").read_bytes()
).decode()


@pytest.fixture(scope="module")
def customer(admin):
    return admin("res.partner", "create", {"name": "RPC Dispute Works", "email": "d@works.example"})


def _ready_ticket(admin, customer, **values):
    ticket = admin(
        "aftersales.ticket",
        "create",
        {
            "partner_id": customer,
            "technician_ids": [(6, 0, [admin.uid])],
            "title": "Noise at start-up",
            "request_type": "consultation",
            "review_note": "<p>Visit</p>",
            **values,
        },
    )
    admin("aftersales.ticket", "action_submit_review", [ticket])
    return ticket


def test_disputed_quality_ends_with_the_inspection_conclusion(admin, customer):
    inspector = admin("res.partner", "create", {"name": "RPC Inspection Institute"})
    ticket = _ready_ticket(admin, customer, request_type="repair", planned_labour_hours=1)
    assert admin("aftersales.ticket", "action_dispute", [ticket]) is True
    data = admin("aftersales.ticket", "read", [ticket], ["inspection_ids", "inspection_pending", "is_billable"])[0]
    assert data["inspection_pending"] is True and data["is_billable"] is True
    with pytest.raises(xmlrpc.client.Fault) as error:
        admin("aftersales.ticket", "action_approve", [ticket])
    assert "disputed" in error.value.faultString
    inspection = data["inspection_ids"][0]
    admin(
        "aftersales.inspection",
        "write",
        [inspection],
        {
            "inspector_id": inspector,
            "report_date": "2099-01-01",
            "conclusion": "our_fault",
        },
    )
    assert admin("aftersales.inspection", "action_conclude", [inspection]) is True
    data = admin("aftersales.ticket", "read", [ticket], ["is_billable", "billing_override_reason"])[0]
    assert data["is_billable"] is False
    assert "RPC Inspection Institute" in data["billing_override_reason"]
    assert admin("aftersales.ticket", "action_approve", [ticket]) is True


def test_fix_becomes_a_known_solution_for_the_next_ticket(admin, customer):
    fault = admin("aftersales.fault.category", "create", {"name": "RPC bearing noise"})
    ticket = _ready_ticket(admin, customer, fault_category_id=fault)
    form = on_site(
        admin, ticket, findings="Dry bearing", work_summary="<p>Greased the bearing</p>", signature=ICON, signed_by="Wu"
    )
    admin("aftersales.dispatch", "action_done", [form])
    assert admin("aftersales.ticket", "action_propose_solution", [ticket]) is True
    solution = admin("aftersales.fault.solution", "search", [("source_ticket_id", "=", ticket)])
    assert admin("aftersales.fault.solution", "action_approve", solution) is True
    found = admin(
        "aftersales.fault.solution",
        "search",
        [
            ("symptom", "ilike", "start-up"),
            ("state", "=", "approved"),
            ("fault_category_id", "=", fault),
        ],
    )
    assert found == solution
    new = admin("aftersales.ticket", "create", {"partner_id": customer, "fault_category_id": fault})
    assert admin("aftersales.ticket", "read", [new], ["known_solution_ids"])[0]["known_solution_ids"] == solution


def test_interest_noted_on_site_reaches_the_salesperson(admin, customer):
    seal = admin("product.product", "create", {"name": "RPC spare seal", "type": "consu"})
    ticket = _ready_ticket(admin, customer)
    admin("aftersales.ticket", "action_approve", [ticket])
    form = admin("aftersales.ticket", "action_dispatch", [ticket])["res_id"]
    with pytest.raises(xmlrpc.client.Fault) as error:
        admin("aftersales.dispatch", "action_create_opportunity", [form])
    assert "Note the products" in error.value.faultString
    admin("aftersales.dispatch", "write", [form], {"interest_product_ids": [(6, 0, [seal])]})
    assert admin("aftersales.dispatch", "action_create_opportunity", [form]) is True
    reference = admin("aftersales.dispatch", "read", [form], ["opportunity_ref"])[0]["opportunity_ref"]
    model, record_id = reference.split(",")
    assert model == "crm.lead"  # CRM is installed in the suite's test database
    lead = admin("crm.lead", "read", [int(record_id)], ["type", "partner_id"])[0]
    assert lead["type"] == "opportunity" and lead["partner_id"][0] == customer


def test_quality_decides_the_cause_and_misuse_is_paid_even_in_warranty(admin, customer, make_user):
    """P3 §1, P6 二.1: free in warranty is the repair of a quality defect; quality decides."""
    clerk = make_user("rpc_cause_clerk", ["aftersales_service.group_aftersales_user"])
    quality = make_user("rpc_cause_quality", ["aftersales_service.group_aftersales_quality"])
    product = admin(
        "product.product",
        "create",
        {
            "name": "RPC Cause Mixer",
            "type": "consu",
            "aftersales_warranty_months": 12,
            "aftersales_warranty_start": "sale",
        },
    )
    _order, line = sell(admin, customer, product)
    ticket = _ready_ticket(
        admin, customer, request_type="repair", sale_line_id=line, planned_labour_hours=1, user_id=clerk.uid
    )
    assert admin("aftersales.ticket", "read", [ticket], ["warranty_state", "is_billable"])[0] == {
        "id": ticket,
        "warranty_state": "in_warranty",
        "is_billable": False,
    }
    with pytest.raises(xmlrpc.client.Fault) as error:
        clerk("aftersales.ticket", "write", [ticket], {"fault_cause": "misuse"})
    assert "Cause" in error.value.faultString
    quality("aftersales.ticket", "write", [ticket], {"fault_cause": "misuse"})
    assert admin("aftersales.ticket", "read", [ticket], ["is_billable"])[0]["is_billable"] is True
    assert quality("aftersales.ticket", "action_approve", [ticket]) is True
    data = admin("aftersales.ticket", "read", [ticket], ["state", "quotation_id"])[0]
    assert data["state"] == "quotation" and data["quotation_id"]
    with pytest.raises(xmlrpc.client.Fault):
        quality("aftersales.ticket", "write", [ticket], {"fault_cause": "quality"})


def test_a_possible_repeat_without_fault_category_is_confirmed_by_quality(admin, make_user):
    """不允许同一问题重复修理 (P3 std 3, P6 三.6): without a fault category, quality decides."""
    clerk = make_user("rpc_repeat_clerk", ["aftersales_service.group_aftersales_user"])
    quality = make_user("rpc_repeat_quality", ["aftersales_service.group_aftersales_quality"])
    plant = admin("res.partner", "create", {"name": "RPC Repeat Plant", "email": "r@plant.example"})
    product = admin("product.product", "create", {"name": "RPC Repeat Fan", "type": "consu"})
    first = _ready_ticket(admin, plant, product_id=product)
    admin("aftersales.ticket", "action_approve", [first])
    admin("aftersales.ticket", "action_done", [first])
    second = admin(
        "aftersales.ticket",
        "create",
        {"partner_id": plant, "product_id": product, "title": "Noise again", "user_id": clerk.uid},
    )
    data = admin("aftersales.ticket", "read", [second], ["is_repeat", "possible_repeat_of_id"])[0]
    assert data["is_repeat"] is False and data["possible_repeat_of_id"][0] == first
    with pytest.raises(xmlrpc.client.Fault):
        clerk("aftersales.ticket", "action_confirm_repeat", [second])
    with pytest.raises(xmlrpc.client.Fault):
        quality("aftersales.ticket", "write", [second], {"repeat_decision": "confirmed"})
    assert quality("aftersales.ticket", "action_confirm_repeat", [second]) is True
    data = admin("aftersales.ticket", "read", [second], ["is_repeat", "repeat_of_id", "repeat_decision"])[0]
    assert (data["is_repeat"], data["repeat_of_id"][0], data["repeat_decision"]) == (True, first, "confirmed")


def test_a_quarterly_review_closes_only_when_its_corrective_actions_are_done(admin, make_user):
    """上报相关部门分析讨论，避免以后设备出现类似问题 (P3 std 6): conclusions and actions to closure."""
    owner = make_user("rpc_action_owner", ["aftersales_service.group_aftersales_user"])
    other = make_user("rpc_action_other", ["aftersales_service.group_aftersales_technician"])
    quality = make_user("rpc_review_quality", ["aftersales_service.group_aftersales_quality"])
    # One review per quarter: a quarter no earlier run (or other test) has used.
    taken = {
        row["year"] for row in admin("aftersales.quality.review", "search_read", [("quarter", "=", "4")], ["year"])
    }
    year = max(set(range(2001, 2100)) - taken)
    review = quality(
        "aftersales.quality.review",
        "create",
        {"year": year, "quarter": "4", "conclusions": "<p>Seals leak: the batch is soft.</p>"},
    )
    action = quality(
        "aftersales.corrective.action",
        "create",
        {"review_id": review, "name": "Harden the seal", "user_id": owner.uid, "date_deadline": "2099-12-31"},
    )
    with pytest.raises(xmlrpc.client.Fault) as error:
        quality("aftersales.quality.review", "action_close", [review])
    assert "corrective actions to complete" in error.value.faultString
    with pytest.raises(xmlrpc.client.Fault):
        other("aftersales.corrective.action", "action_done", [action])
    with pytest.raises(xmlrpc.client.Fault):
        owner("aftersales.corrective.action", "write", [action], {"date_deadline": "2100-01-31"})
    with pytest.raises(xmlrpc.client.Fault):
        owner("aftersales.corrective.action", "write", [action], {"state": "done"})
    owner("aftersales.corrective.action", "write", [action], {"result": "New seal supplier qualified."})
    assert owner("aftersales.corrective.action", "action_done", [action]) is True
    assert quality("aftersales.quality.review", "action_close", [review]) is True
    assert admin("aftersales.quality.review", "read", [review], ["state"])[0]["state"] == "closed"
