"""Attacks over XML-RPC, one class of hole at a time, each by the lowest role that can reach it.

Every attack must be refused and leave the database exactly as it was: the values of the
records aimed at and the number of rows of every after-sales table and of the documents they
create (orders, moves, invoices, partners, survey answers). The classes are those of the
attack run that got through 11 of 12 tries against the first build; README.md lists them with
the tests below.
"""

import base64
import re
import struct
import time
import xmlrpc.client
import zlib
from contextlib import contextmanager

import pytest
import requests
from test_bad_input_rpc import PNG
from test_who_decides_rpc import utc

import conftest
from conftest import row_counts, sell

SUFFIX = str(int(time.time() * 1000))[-8:]
TODAY = time.strftime("%Y-%m-%d")
# Besides the documents every black-box test counts.
COUNTED = [*conftest.COUNTED, "stock.picking", "res.partner", "survey.user_input", "survey.user_input.line"]
AFTERSALES = "aftersales_service.group_aftersales_"
GM_ONLY = "Only members of After-Sales / General Manager"


@contextmanager
def unchanged(admin, *records):
    """Assert that the block changes neither the row counts nor the ``(model, id)`` records."""

    def state():
        counts = row_counts(admin, COUNTED)
        values = [admin(model, "read", [record_id], fields) for model, record_id, fields in records]
        return counts, values

    before = state()
    yield
    assert state() == before


def refused(call, *args, match, **kwargs):
    with pytest.raises(xmlrpc.client.Fault) as error:
        call(*args, **kwargs)
    assert re.search(match, error.value.faultString), error.value.faultString
    return error.value.faultString


@pytest.fixture(scope="module")
def w(admin, make_user, make_staff):
    """A sold and delivered pump, tickets and forms in the states the attacks aim at."""
    users = make_staff(
        "atk",
        SUFFIX,
        clerk="user",
        tech="technician",
        quality="quality",
        manager="manager",
        gm="general_manager",
        buyer="purchase",
        surveyor="survey",
    )
    customer = admin("res.partner", "create", {"name": f"Attack Plant {SUFFIX}", "email": "plant@example.com"})
    pump = admin(
        "product.product",
        "create",
        {
            "name": f"Attack Pump {SUFFIX}",
            "type": "consu",
            "list_price": 5000.0,
            "aftersales_warranty_months": 12,
            "aftersales_warranty_start": "sale",
        },
    )
    order, line = sell(admin, customer, pump, deliver=True)

    def ticket(**values):
        values = {"partner_id": customer, "title": "Attacked", "user_id": False, **values}
        return admin("aftersales.ticket", "create", values)

    def dispatched(**values):
        ticket_id = ticket(review_note="<p>Visit</p>", technician_ids=[(6, 0, [users["tech"].uid])], **values)
        admin("aftersales.ticket", "action_submit_review", [ticket_id])
        admin("aftersales.ticket", "action_approve", [ticket_id])
        return ticket_id, admin("aftersales.ticket", "action_dispatch", [ticket_id])["res_id"]

    billable = ticket(product_id=pump)  # no sale line: out of warranty, paid service
    _filed_ticket, filed = dispatched(sale_line_id=line)
    admin(
        "aftersales.dispatch",
        "write",
        [filed],
        {"travel_cost": 120, "work_summary": "<p>Bearing</p>", "travel_start": utc(hours=-1)},
    )
    admin("aftersales.dispatch", "action_start", [filed])
    admin("aftersales.dispatch", "write", [filed], {"signature": PNG, "signed_by": "Mr. Wang"})
    admin("aftersales.dispatch", "action_done", [filed])
    admin("aftersales.dispatch", "write", [filed], {"travel_return": utc(hours=1)})
    admin("aftersales.dispatch", "action_file", [filed])
    _site_ticket, on_site = dispatched(sale_line_id=line)
    admin("aftersales.dispatch", "action_start", [on_site])
    return {
        **users,
        "admin": admin,
        "customer": customer,
        "pump": pump,
        "order": order,
        "line": line,
        "ticket": ticket,
        "billable": billable,
        "filed": filed,
        "on_site": on_site,
    }


# 1. Forged transitions ------------------------------------------------------


def test_1_a_context_key_does_not_move_a_status(w):
    admin, tech = w["admin"], w["tech"]
    draft = w["ticket"]()
    with unchanged(admin, ("aftersales.ticket", draft, ["state"]), ("aftersales.dispatch", w["on_site"], ["state"])):
        refused(
            tech,
            "aftersales.ticket",
            "write",
            [draft],
            {"state": "ready"},
            context={"aftersales_transition": True},
            match="changes only through its actions",
        )
        refused(
            tech,
            "aftersales.dispatch",
            "write",
            [w["on_site"]],
            {"state": "filed"},
            context={"aftersales_transition": True},
            match="changes only through its actions",
        )


def test_1_a_document_is_not_created_in_a_late_state(w):
    admin, tech = w["admin"], w["tech"]
    draft = w["ticket"]()
    with unchanged(admin):
        refused(
            tech,
            "aftersales.dispatch",
            "create",
            {"ticket_id": draft},
            context={"default_state": "filed"},
            match="changes only through its actions",
        )
        refused(
            w["clerk"],
            "aftersales.ticket",
            "create",
            {"partner_id": w["customer"], "title": "Closed at birth"},
            context={"default_state": "closed", "default_close_date": "2026-01-01 00:00:00"},
            match="changes only through its actions|set by the application",
        )


# 2. Decisions and audit fields written directly ------------------------------


def test_2_paid_work_is_not_made_free_by_writing_the_decision(w):
    admin, clerk = w["admin"], w["clerk"]
    billable = w["billable"]
    assert admin("aftersales.ticket", "read", [billable], ["is_billable"])[0]["is_billable"]
    watched = ("aftersales.ticket", billable, ["is_billable", "warranty_state", "reviewer_id", "response_breached"])
    with unchanged(admin, watched):
        refused(clerk, "aftersales.ticket", "write", [billable], {"is_billable": False}, match="Paid Service")
        refused(clerk, "aftersales.ticket", "write", [billable], {"warranty_state": "in_warranty"}, match="Warranty")
        refused(
            w["quality"],
            "aftersales.ticket",
            "write",
            [billable],
            {"reviewer_id": w["manager"].uid},
            match="Reviewed By of a After-Sales Ticket is set by the application|Reviewed By",
        )
        refused(clerk, "aftersales.ticket", "write", [billable], {"response_breached": False}, match="Overdue")


def test_2_billing_override_in_the_context_is_a_manager_decision(w):
    admin, clerk = w["admin"], w["clerk"]
    with unchanged(admin):
        refused(
            clerk,
            "aftersales.ticket",
            "create",
            {"partner_id": w["customer"], "title": "Free please", "product_id": w["pump"]},
            context={"default_billing_override": "free", "default_billing_override_reason": "Friend"},
            match="Only members of After-Sales / Manager",
        )


# 3. Lines follow their document ------------------------------------------------


def test_3_planned_parts_of_another_companys_ticket_stay_hidden(admin, make_user, w):
    other_company = admin("res.company", "create", {"name": f"Attack Branch {SUFFIX}"})
    outsider = make_user(f"atk_branch_{SUFFIX}", [f"{AFTERSALES}manager"])
    admin("res.users", "write", [outsider.uid], {"company_ids": [(6, 0, [other_company])], "company_id": other_company})
    ticket = w["ticket"]()
    part = admin("aftersales.ticket.part", "create", {"ticket_id": ticket, "product_id": w["pump"], "price_unit": 9})
    with unchanged(admin, ("aftersales.ticket.part", part, ["price_unit", "quantity"])):
        assert outsider("aftersales.ticket.part", "search", [("id", "=", part)]) == []
        refused(outsider, "aftersales.ticket.part", "write", [part], {"price_unit": 1}, match="top-secret|not allowed")
        refused(
            outsider,
            "aftersales.ticket.part",
            "create",
            {"ticket_id": ticket, "product_id": w["pump"], "price_unit": 1},
            match="top-secret|not allowed|company",
        )


def test_3_a_portal_customer_does_not_read_parts_used_at_another_site(admin, make_user, w):
    stranger = make_user(f"atk_portal_{SUFFIX}", ["base.group_portal"])
    part = admin(
        "aftersales.dispatch.part", "create", {"dispatch_id": w["on_site"], "product_id": w["pump"], "quantity": 1}
    )
    assert stranger("aftersales.dispatch.part", "search", [("id", "=", part)]) == []
    refused(stranger, "aftersales.dispatch.part", "read", [part], ["product_id"], match="top-secret|not allowed")
    admin("aftersales.dispatch.part", "unlink", [part])


# 4. Nothing editable after the decision -----------------------------------------


def test_4_a_filed_form_is_the_record(w):
    admin, tech = w["admin"], w["tech"]
    filed = w["filed"]
    fields = ["travel_cost", "expense_amount", "work_summary", "signed_by", "arrival_date", "labour_hours"]
    with unchanged(admin, ("aftersales.dispatch", filed, fields)):
        for values in (
            {"travel_cost": 900},
            {"expense_amount": 300},
            {"work_summary": "<p>Rewritten</p>"},
            {"signed_by": "Someone else"},
            {"labour_hours": 12},
        ):
            refused(tech, "aftersales.dispatch", "write", [filed], values, match="cannot be changed while")
        refused(
            tech,
            "aftersales.dispatch",
            "write",
            [filed],
            {"arrival_date": "2020-01-01 08:00:00"},
            match="Arrived On .* is set by the application",
        )
        parts = admin("aftersales.dispatch", "read", [filed], ["part_line_ids"])[0]["part_line_ids"]
        refused(
            tech,
            "aftersales.dispatch.part",
            "create",
            {"dispatch_id": filed, "product_id": w["pump"]},
            match="cannot be changed while",
        )
        assert admin("aftersales.dispatch", "read", [filed], ["part_line_ids"])[0]["part_line_ids"] == parts


def test_4_a_decided_change_request_and_a_concluded_inspection_are_final(w):
    admin, manager, quality = w["admin"], w["manager"], w["quality"]
    change = admin(
        "aftersales.change.request",
        "create",
        {"dispatch_id": w["on_site"], "request_type": "alternative", "reason": "Swap"},
    )
    admin("aftersales.change.request", "action_reject", [change])
    disputed = w["ticket"]()
    admin("aftersales.ticket", "action_dispute", [disputed])
    inspection = admin("aftersales.inspection", "search", [("ticket_id", "=", disputed)])[0]
    sent = admin("aftersales.inspection", "read", [inspection], ["sent_date"])[0]["sent_date"]
    admin(
        "aftersales.inspection",
        "write",
        [inspection],
        {"inspector_id": w["customer"], "report_date": sent, "conclusion": "customer_fault"},
    )
    admin("aftersales.inspection", "action_conclude", [inspection])
    with unchanged(
        admin,
        ("aftersales.change.request", change, ["decision_note", "reason", "state"]),
        ("aftersales.inspection", inspection, ["conclusion", "conclusion_note", "state"]),
    ):
        refused(manager, "aftersales.change.request", "write", [change], {"decision_note": "Ok"}, match="Rejected")
        refused(quality, "aftersales.inspection", "write", [inspection], {"conclusion": "our_fault"}, match="Concluded")
        refused(manager, "aftersales.change.request", "unlink", [change], match="cannot be deleted")
        refused(quality, "aftersales.inspection", "unlink", [inspection], match="cannot be deleted|not allowed")


# 5. The customer's copy ---------------------------------------------------------


def test_5_the_portal_copy_of_a_form_shows_no_staff_figures(admin, make_user, server, w):
    """The customer opens the signed form on the portal: travel cost and findings are not there."""
    login = f"atk_own_portal_{SUFFIX}"
    own = make_user(login, ["base.group_portal"])
    partner = admin("res.users", "read", [own.uid], ["partner_id"])[0]["partner_id"][0]
    ticket_id = w["ticket"](
        partner_id=partner,
        request_type="consultation",
        review_note="<p>INTERNAL-PLAN-4711</p>",
        technician_ids=[(6, 0, [w["tech"].uid])],
    )
    admin("aftersales.ticket", "action_submit_review", [ticket_id])
    admin("aftersales.ticket", "action_approve", [ticket_id])
    form = admin("aftersales.ticket", "action_dispatch", [ticket_id])["res_id"]
    admin(
        "aftersales.dispatch",
        "write",
        [form],
        {"travel_cost": 987.65, "expense_amount": 432.1, "findings": "SECRET-FINDING-4711"},
    )
    session = requests.Session()
    page = session.get(f"{server['url']}/web/login", timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    session.post(
        f"{server['url']}/web/login",
        data={"login": login, "password": login + "-pw", "csrf_token": token, "db": server["db"]},
        timeout=30,
    )
    pages = [
        session.get(f"{server['url']}/my/aftersales/{ticket_id}", timeout=60),
        session.get(f"{server['url']}/my/aftersales/forms/{form}", timeout=60),
        session.get(f"{server['url']}/my/aftersales/forms/{form}?report_type=html", timeout=60),
    ]
    for response in pages:
        assert response.status_code == 200, response.url
        assert "/web/login" not in response.url, "the customer is logged in"
        for secret in ("987.65", "987,65", "432.1", "SECRET-FINDING-4711", "INTERNAL-PLAN-4711"):
            assert secret not in response.text, (response.url, secret)
    assert "Attacked" in pages[0].text


# 6. Side effects computed from the records ------------------------------------


def sold_and_delivered(admin, customer, quantity=1, price=5000.0):
    """A product sold to ``customer`` and delivered: what a return takes back."""
    product = admin(
        "product.product", "create", {"name": f"Returned Pump {SUFFIX}", "type": "consu", "list_price": price}
    )
    return sell(admin, customer, product, quantity, deliver=True)[1]


def settlement_to_decide(w, line, kind="return"):
    """A return raised from its quality-approved ticket and submitted by the clerk."""
    admin = w["admin"]
    request_type = {"compensation": "complaint"}.get(kind, kind)
    ticket = w["ticket"](sale_line_id=line, request_type=request_type, review_note="<p>Take it back</p>")
    admin("aftersales.ticket", "action_submit_review", [ticket])
    admin("aftersales.ticket", "action_approve", [ticket])
    settlement = w["clerk"]("aftersales.ticket", "action_create_settlement", [ticket])["res_id"]
    w["clerk"]("aftersales.settlement", "action_submit", [settlement])
    return settlement


DECISION = ["state", "decision", "decided_by", "approver_id", "return_picking_ids", "credit_note_ids", "amount"]


def test_6_who_approves_a_return_follows_what_was_sold_not_a_typed_amount(w):
    """Nobody below the general manager decides (P5 三.4(7)); the amount is the sale line's."""
    admin, clerk, quality, manager, gm = w["admin"], w["clerk"], w["quality"], w["manager"], w["gm"]
    admin("res.company", "write", [1], {"aftersales_gm_approval_amount": 100000})
    line = sold_and_delivered(admin, w["customer"])
    too_many = w["ticket"](sale_line_id=line, request_type="return", review_note="<p>Take</p>")
    admin("aftersales.ticket", "action_submit_review", [too_many])
    admin("aftersales.ticket", "action_approve", [too_many])
    draft = clerk("aftersales.ticket", "action_create_settlement", [too_many])["res_id"]
    draft_line = admin("aftersales.settlement", "read", [draft], ["line_ids"])[0]["line_ids"][0]
    clerk("aftersales.settlement.line", "write", [draft_line], {"quantity": 50})
    with unchanged(admin, ("aftersales.settlement", draft, ["state"])):
        refused(clerk, "aftersales.settlement", "action_submit", [draft], match="only 1(\\.0)? were delivered")
        refused(clerk, "aftersales.settlement", "write", [draft], {"amount": 1}, match="set by the application")
        refused(
            clerk, "aftersales.settlement.line", "write", [draft_line], {"amount": 1}, match="set by the application"
        )
    clerk("aftersales.settlement", "action_cancel", [draft])

    settlement = settlement_to_decide(w, line)
    amount = admin("aftersales.settlement", "read", [settlement], ["amount"])[0]["amount"]
    assert amount >= 5000, "the pump's price with its taxes, not a typed number"
    with unchanged(admin, ("aftersales.settlement", settlement, DECISION)):
        for who in (clerk, w["tech"], quality, manager):
            for action in ("action_approve", "action_reject"):
                refused(who, "aftersales.settlement", action, [settlement], match=GM_ONLY)
        # The status written alone runs the approval (a kanban drop), with its authority check;
        # the decision itself is the application's.
        for values, match in (({"state": "approved"}, GM_ONLY), ({"decision": "approved"}, "set by the application")):
            refused(manager, "aftersales.settlement", "write", [settlement], values, match=match)
        refused(
            manager, "aftersales.settlement", "write", [settlement], {"rejection_reason": "No"}, match="General Manager"
        )
    assert gm("aftersales.settlement", "action_approve", [settlement]) is True
    decided = admin("aftersales.settlement", "read", [settlement], DECISION)[0]
    assert (decided["state"], decided["decision"], decided["decided_by"]) == ("approved", "approved", "general_manager")
    assert decided["approver_id"][0] == gm.uid
    assert len(decided["return_picking_ids"]) == 1
    picking = admin("stock.picking", "read", decided["return_picking_ids"], ["picking_type_code", "state"])[0]
    assert picking["picking_type_code"] == "incoming"


def test_6_above_the_limit_only_the_office_meeting_decides(w):
    admin, manager, gm = w["admin"], w["manager"], w["gm"]
    admin("res.company", "write", [1], {"aftersales_gm_approval_amount": 1000})
    settlement = settlement_to_decide(w, sold_and_delivered(admin, w["customer"]), kind="exchange")
    with unchanged(admin, ("aftersales.settlement", settlement, DECISION + ["meeting_date"])):
        refused(gm, "aftersales.settlement", "action_approve", [settlement], match="office meeting decides")
        refused(
            manager,
            "aftersales.settlement",
            "write",
            [settlement],
            {"meeting_date": TODAY},
            match="General Manager",
        )
        refused(
            manager,
            "aftersales.settlement",
            "action_approve",
            [settlement],
            match="Only members of After-Sales / General Manager",
        )
    minutes = gm(
        "ir.attachment",
        "create",
        {
            "name": "minutes.pdf",
            "datas": base64.b64encode(b"%PDF-1.4 office meeting").decode(),
            "res_model": "aftersales.settlement",
            "res_id": settlement,
        },
    )
    gm(
        "aftersales.settlement",
        "write",
        [settlement],
        {
            "meeting_date": TODAY,
            "meeting_attendee_ids": [(6, 0, [gm.uid, manager.uid])],
            "meeting_note": "Exchange the pump.",
        },
    )
    with unchanged(admin, ("aftersales.settlement", settlement, DECISION)):
        refused(gm, "aftersales.settlement", "action_approve", [settlement], match="Minutes")
    gm("aftersales.settlement", "write", [settlement], {"meeting_minutes_ids": [(4, minutes)]})
    assert gm("aftersales.settlement", "action_approve", [settlement]) is True
    decided = admin("aftersales.settlement", "read", [settlement], [*DECISION, "replacement_picking_ids"])[0]
    assert (decided["state"], decided["decided_by"]) == ("approved", "office_meeting")
    assert decided["return_picking_ids"] and decided["replacement_picking_ids"], "an exchange ships a replacement"
    with unchanged(admin, ("aftersales.settlement", settlement, ["meeting_date", "meeting_minutes_ids"])):
        refused(
            gm,
            "aftersales.settlement",
            "write",
            [settlement],
            {"meeting_date": "2020-01-06"},
            match="cannot be changed while",
        )
    # The file behind the minutes, reached as an attachment: its uploader may not swap or drop it.
    with unchanged(admin, ("ir.attachment", minutes, ["datas", "res_model", "res_id", "name"])):
        for method, args in (
            ("write", [[minutes], {"datas": base64.b64encode(b"%PDF-1.4 other meeting").decode()}]),
            ("write", [[minutes], {"res_model": "res.partner", "res_id": w["customer"]}]),
            ("unlink", [[minutes]]),
        ):
            refused(gm, "ir.attachment", method, *args, match="minutes .* was decided on")


def test_6_only_spare_parts_leave_stock_and_never_more_than_there_is(w):
    admin, tech = w["admin"], w["tech"]
    on_site = w["on_site"]
    machine = admin(
        "product.product", "create", {"name": f"Attack Machine {SUFFIX}", "type": "consu", "is_storable": True}
    )
    with unchanged(admin):
        refused(
            tech,
            "aftersales.dispatch.part",
            "create",
            {"dispatch_id": on_site, "product_id": machine, "quantity": 1},
            match="not a spare part",
        )
    spare = admin(
        "product.product",
        "create",
        {"name": f"Attack Bearing {SUFFIX}", "type": "consu", "is_storable": True, "aftersales_spare_part": True},
    )
    admin("aftersales.dispatch.part", "create", {"dispatch_id": on_site, "product_id": spare, "quantity": 40})
    admin("aftersales.dispatch", "write", [on_site], {"signature": PNG, "signed_by": "Ms. Li"})
    with unchanged(admin, ("aftersales.dispatch", on_site, ["state"])):
        refused(tech, "aftersales.dispatch", "action_done", [on_site], match=r"Only 0(\.0)? Attack Bearing")


def test_6_the_planner_plans_only_the_callers_companies(admin, w):
    branch = admin("res.company", "create", {"name": f"Planner Branch {SUFFIX}"})
    admin("res.users", "write", [admin.uid], {"company_ids": [(4, branch)]})
    if not admin("stock.warehouse", "search", [("company_id", "=", branch)]):
        admin(
            "stock.warehouse",
            "create",
            {"name": f"Branch {SUFFIX}", "code": f"B{SUFFIX[-4:]}", "company_id": branch},
            context={"allowed_company_ids": [branch, 1]},
        )
    tier = admin("aftersales.revisit.tier", "search", [], limit=1)[0]
    customer = admin("res.partner", "create", {"name": f"Branch Customer {SUFFIX}", "aftersales_tier_id": tier})
    product = admin("product.product", "create", {"name": f"Branch Pump {SUFFIX}", "type": "consu"})
    order = admin(
        "sale.order",
        "create",
        {"partner_id": customer, "company_id": branch, "order_line": [(0, 0, {"product_id": product})]},
        context={"allowed_company_ids": [branch, 1]},
    )
    admin("sale.order", "action_confirm", [order], context={"allowed_company_ids": [branch, 1]})
    # The clerk works for the first company only: the branch's customer is not his to plan.
    w["clerk"]("aftersales.revisit", "action_generate_revisits")
    assert admin("aftersales.revisit", "search", [("partner_id", "=", customer)]) == []


def test_6_a_survey_officer_does_not_change_a_tickets_satisfaction(w):
    admin, surveyor = w["admin"], w["surveyor"]
    survey = admin("survey.survey", "search", [], limit=1)[0]
    answer = admin("survey.user_input", "create", {"survey_id": survey})
    with unchanged(admin, ("survey.user_input", answer, ["aftersales_ticket_id"])):
        refused(
            surveyor,
            "survey.user_input",
            "write",
            [answer],
            {"aftersales_ticket_id": w["billable"]},
            match="may link a survey answer to an after-sales ticket",
        )


def test_6_an_undisputed_ticket_has_no_inspection_to_decide_who_pays(w):
    admin, clerk = w["admin"], w["clerk"]
    ticket = w["ticket"](product_id=w["pump"])
    with unchanged(admin, ("aftersales.ticket", ticket, ["billing_override", "is_billable"])):
        refused(clerk, "aftersales.inspection", "create", {"ticket_id": ticket}, match="is not disputed")


# 7. Input limits -----------------------------------------------------------------


def bomb_png():
    """A PNG of a few bytes whose header declares 30,000 x 30,000 pixels."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 30000, 30000, 1, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    return base64.b64encode(png).decode()


def test_7_a_decompression_bomb_is_refused_clearly(w):
    admin, tech = w["admin"], w["tech"]
    form = w["on_site"]
    with unchanged(admin, ("aftersales.dispatch", form, ["signed_by", "state"])):
        refused(
            tech,
            "aftersales.dispatch",
            "write",
            [form],
            {"signature": bomb_png(), "signed_by": "Bomb"},
            match="(?i)pixels|too large|image",
        )
