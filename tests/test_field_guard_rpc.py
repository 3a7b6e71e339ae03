"""Every field of every after-sales model, tried by every role over XML-RPC.

The table below says, independently of the code, who may write which field (in some state of
its document). Every other stored field (statuses, stored computations, audit fields such as
who approved and when, links to the documents an action created) must be refused to every
role: on ``write``, as a value of ``create`` and as a ``default_*`` key of the context. A new
field is covered the day it appears: it is refused until both the model and this table say
who may write it. The database must be exactly as before: the records tried and the number
of rows of every model.
"""

import time
import xmlrpc.client

import pytest

from conftest import ROLE_GROUPS

SUFFIX = str(int(time.time() * 1000))[-8:]

# Every role, each tried on every field.
ROLES = [role for role in ROLE_GROUPS if role != "survey"]
# Each group implies the ones before it: a general manager is also a manager, and so on.
GENERAL_MANAGERS = {"general_manager"}
MANAGERS = {"manager"} | GENERAL_MANAGERS
QUALITY = {"quality"} | MANAGERS
TECHNICIANS = {"technician"} | QUALITY
STAFF = {"user"} | TECHNICIANS
PURCHASING = {"purchase"} | MANAGERS


def rows(*groups):
    """``rows(("f1 f2", roles), …)`` → {field: roles that may write it}."""
    return {name: roles for names, roles in groups for name in names.split()}


# Who may write what (the policy), per model. Roles not named are refused.
WRITABLE = {
    "aftersales.ticket": rows(
        (
            (
                "company_id partner_id product_id lot_id sale_line_id sale_order_id purchase_date product_grade "
                "request_type channel request_date part_ids planned_labour_hours travel_required inspect_first "
                "title description priority contact_name phone email address fault_category_id user_id "
                "requested_arrival is_major dispatch_ids inspection_ids technician_ids team_id tag_ids"
            ),
            STAFF,
        ),
        ("review_note major_outcome fault_cause", QUALITY),
        ("billing_override billing_override_reason evaluation_waiver_reason", MANAGERS),
    ),
    "aftersales.ticket.part": rows(("ticket_id product_id quantity price_unit sequence", STAFF)),
    "aftersales.dispatch": rows(
        (
            (
                "ticket_id company_id technician_ids planned_start planned_end work_summary findings part_line_ids "
                "labour_hours travel_cost expense_amount fee_collected payment_method cancel_reason "
                "change_request_ids interest_product_ids interest_note departure_date resolved_on_site signature "
                "signed_by stamp fault_photo work_photo travel_start travel_return lodging_cost allowance_amount"
            ),
            TECHNICIANS,
        ),
        ("handling_plan", QUALITY),
        ("active", MANAGERS),
    ),
    "aftersales.dispatch.part": rows(("dispatch_id product_id quantity lot_id sequence", TECHNICIANS)),
    "aftersales.change.request": rows(
        ("dispatch_id request_type reason new_date", TECHNICIANS), ("decision_note", MANAGERS)
    ),
    "aftersales.inspection": rows(
        ("ticket_id inspector_id sent_date", STAFF),
        ("report_date report_attachment_ids conclusion conclusion_note", QUALITY),
    ),
    "aftersales.settlement": rows(
        ("ticket_id kind reason compensation_amount line_ids", STAFF),
        ("meeting_date meeting_attendee_ids meeting_minutes_ids meeting_note rejection_reason", GENERAL_MANAGERS),
    ),
    "aftersales.settlement.line": rows(("settlement_id sequence lot_id sale_line_id product_id quantity", STAFF)),
    "aftersales.fault.solution": rows(("fault_category_id symptom cause solution sequence", STAFF)),
    "aftersales.fault.category": rows(
        ("name sequence active company_id description solution_ids fault_cause", MANAGERS)
    ),
    "aftersales.team": rows(
        ("name sequence active color company_id member_ids assignment alias_name alias_contact", MANAGERS)
    ),
    "aftersales.tag": rows(("name color active company_id", MANAGERS)),
    "aftersales.supplier.claim": rows(
        (
            (
                "company_id ticket_id product_id lot_id quantity claim_type description purchase_order_id "
                "partner_id expected_amount"
            ),
            STAFF | PURCHASING,
        ),
        ("deadline user_id recovered_amount resolution", PURCHASING),
    ),
    "aftersales.revisit": rows(
        (
            (
                "company_id partner_id sale_order_id due_date channel user_id note outcome interest_product_ids "
                "interest_note"
            ),
            STAFF,
        )
    ),
    "aftersales.revisit.tier": rows(("name interval_months channel active", MANAGERS)),
    "aftersales.feedback": rows(
        (
            "company_id ticket_id revisit_id partner_id kind severity description user_id resolution received_date",
            STAFF,
        )
    ),
    "aftersales.care.plan": rows(("name partner_id year user_id company_id active note line_ids", STAFF)),
    "aftersales.care.plan.line": rows(("plan_id sequence name planned_date user_id done done_date", STAFF)),
    "aftersales.quality.review": rows(("company_id year quarter departments conclusions action_ids", QUALITY)),
    "aftersales.corrective.action": rows(
        ("review_id name problem product_id fault_category_id user_id date_deadline", QUALITY),
        ("result", STAFF),
    ),
}
# Documents whose status, written alone, is a card dropped on a kanban column: the write runs the
# action leading there (tested below), so the sweep does not try it.
DROPS = {
    "aftersales.ticket",
    "aftersales.dispatch",
    "aftersales.settlement",
    "aftersales.change.request",
    "aftersales.inspection",
    "aftersales.feedback",
    "aftersales.revisit",
    "aftersales.supplier.claim",
}
# Odoo's own mixins (chatter, activities, portal link) guard their fields themselves.
FRAMEWORK_MODELS = ("mail.thread", "mail.activity.mixin", "portal.mixin")
MAGIC = {"id", "create_uid", "create_date", "write_uid", "write_date", "display_name"}
SKIPPED_TYPES = {"binary", "image", "properties", "properties_definition", "json"}
# What a refusal says: the field guard, the access rights or the record rules.
REFUSALS = (
    "cannot be written",
    "may change",
    "cannot be changed while",
    "changes only through its actions",
    "not allowed to",
    "security restrictions",
    "top-secret",
    "you may not see it",
    "Only members of",
)


@pytest.fixture(scope="module")
def world(admin, make_user, make_staff):
    """One record of each model in its first state, as the admin made it, and one user per role."""
    users = make_staff("guard", SUFFIX, **{role: role for role in ROLES})
    customer = admin("res.partner", "create", {"name": f"Guard Plant {SUFFIX}", "is_company": True})
    vendor = admin("res.partner", "create", {"name": f"Guard Vendor {SUFFIX}", "email": "v@example.com"})
    part = admin(
        "product.product",
        "create",
        {"name": f"Guard Seal {SUFFIX}", "type": "consu", "seller_ids": [(0, 0, {"partner_id": vendor})]},
    )
    category = admin("aftersales.fault.category", "create", {"name": f"Guard fault {SUFFIX}"})
    # Unassigned: every after-sales role sees it, so the field guard (not a record rule) answers.
    ticket = admin("aftersales.ticket", "create", {"partner_id": customer, "title": "Guarded", "user_id": False})
    disputed = admin("aftersales.ticket", "create", {"partner_id": customer, "title": "Disputed"})
    admin("aftersales.ticket", "action_dispute", [disputed])
    dispatch = admin("aftersales.dispatch", "create", {"ticket_id": ticket})
    returned = admin(
        "aftersales.ticket",
        "create",
        {"partner_id": customer, "title": "Returned", "user_id": False, "request_type": "return"},
    )
    settlement = admin("aftersales.settlement", "create", {"ticket_id": returned})
    plan = admin("aftersales.care.plan", "create", {"name": "Care", "partner_id": customer, "user_id": False})
    review = admin(
        "aftersales.quality.review",
        "create",
        {"year": 2000 + int(SUFFIX[-2:]), "quarter": str(int(SUFFIX[-3]) % 4 + 1)},
    )
    create_values = {
        "aftersales.ticket": {"partner_id": customer, "title": "Forged"},
        "aftersales.ticket.part": {"ticket_id": ticket, "product_id": part},
        "aftersales.dispatch": {"ticket_id": ticket},
        "aftersales.dispatch.part": {"dispatch_id": dispatch, "product_id": part},
        "aftersales.change.request": {"dispatch_id": dispatch, "request_type": "alternative", "reason": "Swap"},
        "aftersales.inspection": {"ticket_id": disputed},
        "aftersales.settlement": {"ticket_id": returned},
        "aftersales.settlement.line": {"settlement_id": settlement, "product_id": part},
        "aftersales.fault.solution": {"fault_category_id": category, "symptom": "Noise", "solution": "Tighten"},
        "aftersales.fault.category": {"name": f"Forged fault {SUFFIX}"},
        "aftersales.team": {"name": f"Forged team {SUFFIX}"},
        "aftersales.tag": {"name": f"Forged tag {SUFFIX}"},
        "aftersales.supplier.claim": {"product_id": part, "partner_id": vendor},
        "aftersales.revisit": {"partner_id": customer, "user_id": False},
        "aftersales.revisit.tier": {"name": f"Forged tier {SUFFIX}", "interval_months": 3},
        "aftersales.feedback": {"partner_id": customer, "description": "Too loud", "user_id": False},
        "aftersales.care.plan": {"name": "Forged plan", "partner_id": customer},
        "aftersales.care.plan.line": {"plan_id": plan, "name": "Call"},
        "aftersales.quality.review": {"year": 2100, "quarter": str(int(SUFFIX[-4]) % 4 + 1)},
        "aftersales.corrective.action": {
            "review_id": review,
            "name": "Change the seal supplier",
            "user_id": admin.uid,
            "date_deadline": "2030-01-01",
        },
    }
    targets = {
        "aftersales.ticket": ticket,
        "aftersales.dispatch": dispatch,
        "aftersales.care.plan": plan,
        "aftersales.settlement": settlement,
        "aftersales.quality.review": review,
    }
    targets["aftersales.inspection"] = admin("aftersales.inspection", "search", [("ticket_id", "=", disputed)])[0]
    targets["aftersales.fault.category"] = category
    for model, values in create_values.items():
        targets.setdefault(model, admin(model, "create", values))
    return {"users": users, "create_values": create_values, "targets": targets}


def our_models(admin):
    models = admin(
        "ir.model",
        "search_read",
        [("model", "=like", "aftersales.%"), ("transient", "=", False)],
        ["model"],
    )
    framework = set()
    for mixin in FRAMEWORK_MODELS:
        framework |= set(admin(mixin, "fields_get", attributes=["type"]))
    # Abstract mixins (the guard, the state machine, the visit interest) have no records.
    return sorted(row["model"] for row in models if not row["model"].endswith(".mixin")), framework


def test_every_model_is_in_the_table(admin):
    """A new model of the three addons must say who may write what (reports excepted: SQL views)."""
    models, _framework = our_models(admin)
    views = {"aftersales.dispatch.analysis", "aftersales.ticket.analysis", "aftersales.satisfaction.analysis"}
    assert sorted(set(models) - views) == sorted(WRITABLE)


def forged_value(admin, model, name, field, current, default):
    """A value for ``field`` that is neither its current value, its default nor empty."""
    kind = field["type"]
    avoid = {current, default, False, None}
    if kind in ("char", "text"):
        return "FORGED"
    if kind == "html":
        return "<p>FORGED</p>"
    if kind == "boolean":
        return not (current or default)
    if kind == "integer":
        return 7
    if kind in ("float", "monetary"):
        return 7.5
    if kind == "date":
        return "2020-02-02"
    if kind == "datetime":
        return "2020-02-02 02:02:02"
    if kind == "selection":
        keys = [key for key, _label in field["selection"] if key not in avoid]
        return keys[0] if keys else None
    if kind == "reference":
        order = admin("sale.order", "search", [], limit=1)
        return f"sale.order,{order[0]}" if order else None
    if kind in ("many2one", "many2many", "one2many"):
        ids = admin(field["relation"], "search", [], limit=3, context={"active_test": False})
        ids = [record_id for record_id in ids if record_id not in avoid and (record_id,) != current]
        if not ids:
            return None
        if kind == "many2one":
            return ids[0]
        return [(6, 0, ids[:1])] if kind == "many2many" else [(4, ids[0])]
    return None


def plain(value):
    """A read value as something comparable: the id of a many2one, the ids of an x2many."""
    if isinstance(value, list):
        if len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str):
            return value[0]
        return repr(value)
    return value


def cases(admin, world):
    """(model, field, role, value): every stored field × every role that must be refused."""
    models, framework = our_models(admin)
    for model in sorted(WRITABLE):
        assert model in models, model
        fields = admin(model, "fields_get", attributes=["type", "store", "selection", "relation", "readonly"])
        target = world["targets"][model]
        current = admin(model, "read", [target], list(fields))[0]
        defaults = admin(model, "default_get", list(fields))
        for name, field in sorted(fields.items()):
            if name in MAGIC or name in framework or not field.get("store") or field["type"] in SKIPPED_TYPES:
                continue
            value = forged_value(admin, model, name, field, plain(current.get(name)), plain(defaults.get(name)))
            if value is None:
                continue
            allowed = WRITABLE[model].get(name, set())
            for role in ROLES:
                if role not in allowed:
                    yield model, name, role, value


def snapshot(admin, world):
    state = {}
    for model, target in world["targets"].items():
        fields = [
            name
            for name, field in admin(model, "fields_get", attributes=["type", "store"]).items()
            if field.get("store") and field["type"] not in SKIPPED_TYPES and name not in MAGIC
        ]
        state[model] = (
            admin(model, "search_count", [], context={"active_test": False}),
            admin(model, "read", [target], fields),
        )
    return state


def test_every_protected_field_is_refused_to_every_role(admin, world):
    before = snapshot(admin, world)
    tried = set()
    accepted = []
    for model, name, role, value in cases(admin, world):
        rpc = world["users"][role]
        target = world["targets"][model]
        create_values = world["create_values"][model]
        attempts = [
            ("write", ("write", [target], {name: value}), {}),
            ("create", ("create", {**create_values, name: value}), {}),
            ("default", ("create", create_values), {"context": {f"default_{name}": value}}),
        ]
        for how, args, kwargs in attempts:
            if how == "write" and name == "state" and model in DROPS:
                continue
            tried.add((model, name))
            try:
                rpc(model, *args, **kwargs)
            except xmlrpc.client.Fault as fault:
                if not any(refusal in fault.faultString for refusal in REFUSALS):
                    accepted.append(f"{model}.{name} {how} by {role}: {fault.faultString.splitlines()[-1]}")
            else:
                accepted.append(f"{model}.{name} {how} by {role}: accepted")
    assert not accepted, "\n".join(accepted)
    assert snapshot(admin, world) == before, "a refused attempt changed the database"
    # The sweep really covered the audit fields that an attack wrote before.
    for field in [
        ("aftersales.ticket", "is_billable"),
        ("aftersales.ticket", "warranty_state"),
        ("aftersales.ticket", "reviewer_id"),
        ("aftersales.ticket", "first_response_date"),
        ("aftersales.ticket", "response_breached"),
        ("aftersales.ticket", "state"),
        ("aftersales.ticket", "billing_override"),
        ("aftersales.dispatch", "reimbursable_amount"),
        ("aftersales.dispatch", "arrival_date"),
        ("aftersales.dispatch", "state"),
        ("aftersales.change.request", "approver_id"),
        ("aftersales.change.request", "decision_date"),
        ("aftersales.change.request", "requested_by_id"),
        ("aftersales.supplier.claim", "refund_move_id"),
        ("aftersales.supplier.claim", "state"),
        ("aftersales.inspection", "state"),
        ("aftersales.revisit", "done_date"),
        ("aftersales.feedback", "state"),
        ("aftersales.dispatch.part", "move_id"),
        ("aftersales.care.plan.line", "partner_id"),
        ("aftersales.settlement", "state"),
        ("aftersales.settlement", "amount"),
        ("aftersales.settlement", "decision"),
        ("aftersales.settlement", "decided_by"),
        ("aftersales.settlement", "approver_id"),
        ("aftersales.settlement", "return_picking_ids"),
        ("aftersales.settlement", "meeting_date"),
        ("aftersales.settlement.line", "amount"),
    ]:
        assert field in tried, field


def test_a_forged_transition_marker_in_the_context_moves_nothing(admin, world):
    """The context key the first build trusted is just a key: the status stays where it was."""
    tech = world["users"]["technician"]
    ticket = world["targets"]["aftersales.ticket"]
    for context in ({"aftersales_transition": True}, {"aftersales_server_decides": True}):
        with pytest.raises(xmlrpc.client.Fault, match="changes only through its actions"):
            tech("aftersales.ticket", "write", [ticket], {"state": "ready"}, context=context)
    assert admin("aftersales.ticket", "read", [ticket], ["state"])[0]["state"] == "draft"


@pytest.fixture(scope="module")
def hidden(admin, make_user, world):
    """One record of each model whose document a plain after-sales user cannot see (it is the
    admin's and he does not follow it), and a manager of another company."""
    branch = admin("res.company", "create", {"name": f"Guard Branch {SUFFIX}"})
    outsider = make_user(f"guard_branch_{SUFFIX}", ["aftersales_service.group_aftersales_manager"])
    admin("res.users", "write", [outsider.uid], {"company_ids": [(6, 0, [branch])], "company_id": branch})
    values = world["create_values"]
    mine = {"user_id": admin.uid}
    ticket = admin("aftersales.ticket", "create", {**values["aftersales.ticket"], **mine})
    disputed = admin("aftersales.ticket", "create", {**values["aftersales.ticket"], **mine})
    admin("aftersales.ticket", "action_dispute", [disputed])
    dispatch = admin("aftersales.dispatch", "create", {"ticket_id": ticket, "technician_ids": [(6, 0, [admin.uid])]})
    returned = admin("aftersales.ticket", "create", {**values["aftersales.ticket"], **mine, "request_type": "return"})
    settlement = admin("aftersales.settlement", "create", {"ticket_id": returned})
    plan = admin("aftersales.care.plan", "create", {**values["aftersales.care.plan"], **mine})
    records = {
        "aftersales.ticket": ticket,
        "aftersales.dispatch": dispatch,
        "aftersales.inspection": admin("aftersales.inspection", "search", [("ticket_id", "=", disputed)])[0],
        "aftersales.care.plan": plan,
        "aftersales.settlement": settlement,
        "aftersales.settlement.line": admin(
            "aftersales.settlement.line",
            "create",
            {**values["aftersales.settlement.line"], "settlement_id": settlement},
        ),
        "aftersales.ticket.part": admin(
            "aftersales.ticket.part", "create", {**values["aftersales.ticket.part"], "ticket_id": ticket}
        ),
        "aftersales.dispatch.part": admin(
            "aftersales.dispatch.part", "create", {**values["aftersales.dispatch.part"], "dispatch_id": dispatch}
        ),
        "aftersales.change.request": admin(
            "aftersales.change.request", "create", {**values["aftersales.change.request"], "dispatch_id": dispatch}
        ),
        "aftersales.supplier.claim": admin(
            "aftersales.supplier.claim", "create", {**values["aftersales.supplier.claim"], "ticket_id": ticket, **mine}
        ),
        "aftersales.revisit": admin("aftersales.revisit", "create", {**values["aftersales.revisit"], **mine}),
        "aftersales.feedback": admin(
            "aftersales.feedback", "create", {**values["aftersales.feedback"], "ticket_id": ticket, **mine}
        ),
        "aftersales.care.plan.line": admin(
            "aftersales.care.plan.line", "create", {**values["aftersales.care.plan.line"], "plan_id": plan, **mine}
        ),
    }
    return {"records": records, "outsider": outsider}


# Configuration shared by all companies (fault categories and their solutions without a
# company, revisit tiers) is the only thing another company's user may see.
SHARED = {"aftersales.fault.category", "aftersales.fault.solution", "aftersales.revisit.tier", "aftersales.tag"}
# Company documents every after-sales user of the company reads, hidden only from other
# companies: its teams, the quarterly quality reviews and their corrective actions (P3 std 6).
COMPANY_WIDE = {"aftersales.team", "aftersales.quality.review", "aftersales.corrective.action"}
# What belongs to a document (or to its owner) that a plain after-sales user may not see.
CHILDREN = sorted(set(WRITABLE) - SHARED - COMPANY_WIDE)


@pytest.mark.parametrize("model", sorted(set(CHILDREN) | COMPANY_WIDE))
def test_every_model_is_hidden_from_another_company(world, hidden, model):
    target = world["targets"][model]
    outsider = hidden["outsider"]
    assert outsider(model, "search", [("id", "=", target)]) == []
    refused(outsider, model, "read", [target], ["display_name"])


@pytest.mark.parametrize("model", CHILDREN)
def test_every_record_is_hidden_from_who_cannot_see_its_document(world, hidden, model):
    user = world["users"]["user"]
    record = hidden["records"][model]
    assert user(model, "search", [("id", "=", record)]) == []
    refused(user, model, "read", [record], ["display_name"])


def refused(rpc, model, method, *args):
    with pytest.raises(xmlrpc.client.Fault) as error:
        rpc(model, method, *args)
    assert any(refusal in error.value.faultString for refusal in REFUSALS), error.value.faultString


def test_a_status_written_alone_runs_the_action_that_leads_there(admin, world):
    """A card dropped on a kanban column: the same checks as the button, nothing else."""
    user, quality = world["users"]["user"], world["users"]["quality"]
    values = {**world["create_values"]["aftersales.ticket"], "user_id": False, "request_type": "consultation"}
    ticket = admin("aftersales.ticket", "create", values)
    user("aftersales.ticket", "write", [ticket], {"state": "review"})
    assert admin("aftersales.ticket", "read", [ticket], ["state"])[0]["state"] == "review"
    admin("aftersales.ticket", "write", [ticket], {"review_note": "<p>Advise by phone</p>"})
    refused(user, "aftersales.ticket", "write", [ticket], {"state": "ready"})  # approving is quality's
    assert admin("aftersales.ticket", "read", [ticket], ["state"])[0]["state"] == "review"
    with pytest.raises(xmlrpc.client.Fault, match="cannot go from Quality Review to Closed"):
        quality("aftersales.ticket", "write", [ticket], {"state": "closed"})
    quality("aftersales.ticket", "write", [ticket], {"state": "ready"})
    row = admin("aftersales.ticket", "read", [ticket], ["state", "reviewer_id"])[0]
    assert (row["state"], row["reviewer_id"][0]) == ("ready", quality.uid)


def state_of(admin, model, record):
    return admin(model, "read", [record], ["state"])[0]["state"]


def test_every_document_dropped_on_a_column_runs_its_action(admin, world):
    """Field forms, revisits, suggestions and complaints, supplier claims: the same rule as tickets."""
    users, values = world["users"], world["create_values"]
    technician, manager, purchase = users["technician"], users["manager"], users["purchase"]
    # A field form: the technician records the arrival by dropping it on "On Site"; filing it from
    # there is refused (it must be signed first), whoever asks.
    form = admin(
        "aftersales.dispatch", "create", {**values["aftersales.dispatch"], "technician_ids": [(6, 0, [technician.uid])]}
    )
    with pytest.raises(xmlrpc.client.Fault, match="cannot go from Planned to Filed"):
        manager("aftersales.dispatch", "write", [form], {"state": "filed"})
    technician("aftersales.dispatch", "write", [form], {"state": "on_site"})
    row = admin("aftersales.dispatch", "read", [form], ["state", "arrival_date"])[0]
    assert row["state"] == "on_site" and row["arrival_date"], row
    with pytest.raises(xmlrpc.client.Fault, match="must be signed by the customer"):
        technician("aftersales.dispatch", "write", [form], {"state": "done"})
    assert state_of(admin, "aftersales.dispatch", form) == "on_site"
    # A revisit: done needs its outcome, as the button; cancelled and planned again by drops.
    revisit = admin("aftersales.revisit", "create", values["aftersales.revisit"])
    with pytest.raises(xmlrpc.client.Fault, match="Record the outcome"):
        manager("aftersales.revisit", "write", [revisit], {"state": "done"})
    manager("aftersales.revisit", "write", [revisit], {"state": "cancel"})
    with pytest.raises(xmlrpc.client.Fault, match="cannot go from Cancelled to Done"):
        manager("aftersales.revisit", "write", [revisit], {"state": "done"})
    manager("aftersales.revisit", "write", [revisit], {"state": "planned"})
    assert state_of(admin, "aftersales.revisit", revisit) == "planned"
    # A suggestion: handled, then closed only with the result told to the customer, then reopened.
    feedback = admin("aftersales.feedback", "create", values["aftersales.feedback"])
    manager("aftersales.feedback", "write", [feedback], {"state": "in_progress"})
    with pytest.raises(xmlrpc.client.Fault, match="Write the result"):
        manager("aftersales.feedback", "write", [feedback], {"state": "closed"})
    assert state_of(admin, "aftersales.feedback", feedback) == "in_progress"
    # A supplier claim cannot skip the vendor's acknowledgement.
    claim = admin("aftersales.supplier.claim", "create", values["aftersales.supplier.claim"])
    with pytest.raises(xmlrpc.client.Fault, match="cannot go from Draft to Resolved"):
        purchase("aftersales.supplier.claim", "write", [claim], {"state": "resolved"})
    assert state_of(admin, "aftersales.supplier.claim", claim) == "draft"


def test_history_is_imported_by_managers_only_whatever_the_context(admin, world):
    """Odoo's import tool calls ``load``: the group decides, not the ``import_file`` key."""
    users, customer = world["users"], world["create_values"]["aftersales.ticket"]["partner_id"]
    fields = ["partner_id/.id", "title", "state", "close_date"]
    rows = [[str(customer), f"History {SUFFIX}", "closed", "2024-03-05 17:00:00"]]
    for role in ("user", "quality"):
        result = users[role]("aftersales.ticket", "load", fields, rows, context={"import_file": True})
        assert not result["ids"] and "may import historical" in result["messages"][0]["message"], result
    with pytest.raises(xmlrpc.client.Fault, match="may import historical"):
        users["user"](
            "aftersales.ticket",
            "create",
            {"partner_id": customer, "title": "Forged", "state": "closed"},
            context={"import_file": True},
        )
    result = users["manager"]("aftersales.ticket", "load", fields, rows, context={"import_file": True})
    assert result["ids"], result
    assert admin("aftersales.ticket", "read", result["ids"], ["state"])[0]["state"] == "closed"
