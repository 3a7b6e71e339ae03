"""Returns, exchanges and compensations (退货、换货、赔偿), each its own approved document.

Policy P5 三.4(7): 登记清楚后，根据权限范围报总经理办公会或总经理批准后落实实施. Up to the
company's limit the general manager decides; above it only the general manager's office
meeting, whose decision is recorded (date, attendees, minutes). Nobody below the general
manager decides. The amount at stake is computed from the sale lines, never typed, and the
approval carries the decision out through Odoo's own documents: stock's return (and
exchange) of the delivery, and the reversal of the customer invoice.

The checks on what the settlement rests on are in aftersales_settlement_basis.py; what an
approved decision creates, in aftersales_settlement_outcome.py.
"""

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import format_amount

from .aftersales_guard_mixin import GENERAL_MANAGER, USER, editable, transition
from .aftersales_state_mixin import state_field

SETTLEMENT_KINDS = [("return", "Return"), ("exchange", "Exchange"), ("compensation", "Compensation")]
SETTLEMENT_STATES = [
    ("draft", "Draft"),
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("done", "Done"),
    ("rejected", "Rejected"),
    ("cancel", "Cancelled"),
]
AUTHORITIES = [("general_manager", "General Manager"), ("office_meeting", "General Manager's Office Meeting")]
DECISIONS = [("approved", "Approved"), ("rejected", "Rejected")]
# The ticket's request types a settlement settles, and the kind each proposes.
KIND_OF_REQUEST = {"return": "return", "exchange": "exchange", "complaint": "compensation"}
# Kinds that take goods back (and count against what the customer still has).
GOODS_KINDS = ("return", "exchange")
# Kinds paid back with a credit note reversing the customer invoice.
CREDIT_KINDS = ("return", "compensation")
# A settlement is raised once quality has decided the ticket (登记清楚后).
REVIEWED_TICKET_STATES = ("ready", "dispatched", "done")
MEETING_FIELDS = ("meeting_date", "meeting_attendee_ids", "meeting_minutes_ids")


class AftersalesSettlement(models.Model):
    _name = "aftersales.settlement"
    _description = "Return, Exchange or Compensation"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.state.mixin"]
    # A card dropped on a kanban column runs that column's action (see aftersales.state.mixin).
    # What each status allows (see aftersales.state.mixin).
    _actions = {
        "action_submit": ("draft",),
        "action_approve": ("to_approve",),
        "action_reject": ("to_approve",),
        "action_done": ("approved",),
        "action_cancel": ("draft", "to_approve"),
        "action_draft": ("cancel",),
    }
    _state_actions = {
        "to_approve": "action_submit",
        "approved": "action_approve",
        "rejected": "action_reject",
        "done": "action_done",
        "cancel": "action_cancel",
        "draft": "action_draft",
    }
    _order = "id desc"
    _check_company_auto = True
    _deletable_states = ("draft", "cancel")
    _guard_links = ("ticket_id",)

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------

    name = fields.Char(string="Reference", readonly=True, copy=False, default="New", index="trigram")
    ticket_id = fields.Many2one(
        "aftersales.ticket",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        check_company=True,
        domain="[('request_type', 'in', ('return', 'exchange', 'complaint'))]",
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True, precompute=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(related="ticket_id.partner_id", string="Customer", store=True, index=True)
    commercial_partner_id = fields.Many2one(related="ticket_id.commercial_partner_id")
    state = state_field(SETTLEMENT_STATES, default="draft")
    kind = fields.Selection(
        SETTLEMENT_KINDS,
        required=True,
        tracking=True,
        compute="_compute_kind",
        store=True,
        readonly=False,
        precompute=True,
    )
    reason = fields.Text(string="Customer's Request", help="What the customer asks for, and why.")
    line_ids = fields.One2many("aftersales.settlement.line", "settlement_id", string="Goods", copy=True)

    # What is at stake: from the sale lines, never typed.
    goods_value = fields.Monetary(
        string="Value of the Goods",
        currency_field="currency_id",
        compute="_compute_amount",
        store=True,
        help="The goods of the lines at the price they were sold, taxes included, in the company's currency.",
    )
    compensation_amount = fields.Monetary(
        string="Compensation Asked",
        currency_field="currency_id",
        tracking=True,
        help="For a compensation: the amount credited to the customer, at most the value of the goods.",
    )
    amount = fields.Monetary(
        string="Amount at Stake",
        currency_field="currency_id",
        compute="_compute_amount",
        store=True,
        tracking=True,
        help="What the settlement costs the company: the value of the goods returned or exchanged, or the "
        "compensation. It decides who approves.",
    )
    approval_limit = fields.Monetary(
        related="company_id.aftersales_gm_approval_amount", string="General Manager's Limit"
    )
    authority = fields.Selection(
        AUTHORITIES,
        string="Approved By",
        compute="_compute_authority",
        help="Who decides: the general manager up to the company's limit, the general manager's office "
        "meeting above it.",
    )

    # The decision (总经理 / 总经理办公会)
    meeting_date = fields.Date(string="Office Meeting Date", tracking=True, copy=False)
    meeting_attendee_ids = fields.Many2many(
        "res.users",
        "aftersales_settlement_meeting_user_rel",
        "settlement_id",
        "user_id",
        string="Attendees",
        domain=[("share", "=", False)],
        copy=False,
    )
    meeting_minutes_ids = fields.Many2many(
        "ir.attachment",
        "aftersales_settlement_minutes_rel",
        "settlement_id",
        "attachment_id",
        string="Minutes",
        copy=False,
        help="The signed minutes of the general manager's office meeting.",
    )
    meeting_note = fields.Text(string="Resolution", copy=False, help="What the office meeting resolved.")
    rejection_reason = fields.Text(copy=False, tracking=True)
    decision = fields.Selection(DECISIONS, readonly=True, copy=False, tracking=True)
    decided_by = fields.Selection(AUTHORITIES, readonly=True, copy=False)
    approver_id = fields.Many2one("res.users", string="Recorded By", readonly=True, copy=False)
    decision_date = fields.Datetime(string="Decided On", readonly=True, copy=False)
    done_date = fields.Datetime(string="Carried Out On", readonly=True, copy=False)

    # What the decision created (links set by the server only)
    return_picking_ids = fields.Many2many(
        "stock.picking",
        "aftersales_settlement_return_picking_rel",
        "settlement_id",
        "picking_id",
        string="Returns",
        readonly=True,
        copy=False,
    )
    replacement_picking_ids = fields.Many2many(
        "stock.picking",
        "aftersales_settlement_replacement_picking_rel",
        "settlement_id",
        "picking_id",
        string="Replacement Deliveries",
        readonly=True,
        copy=False,
    )
    credit_note_ids = fields.Many2many(
        "account.move",
        "aftersales_settlement_credit_note_rel",
        "settlement_id",
        "move_id",
        string="Credit Notes",
        readonly=True,
        copy=False,
    )
    picking_count = fields.Integer(compute="_compute_outcome")
    credit_note_count = fields.Integer(compute="_compute_outcome")
    outcome_summary = fields.Text(
        string="Documents",
        compute="_compute_outcome",
        help="The returns, replacement deliveries and credit notes, and where each stands.",
    )

    # The decision's fields are open to the general manager while the settlement waits for him.
    can_decide = fields.Boolean(compute="_compute_can_decide")

    _sql_constraints = [
        (
            "compensation_amount_positive",
            "CHECK(compensation_amount IS NULL OR compensation_amount >= 0)",
            "The compensation asked cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------

    @api.depends("ticket_id.request_type")
    def _compute_kind(self):
        for settlement in self:
            if not settlement.kind:
                settlement.kind = KIND_OF_REQUEST.get(settlement.ticket_id.request_type, "return")

    @api.depends("kind", "compensation_amount", "line_ids.amount")
    def _compute_amount(self):
        for settlement in self:
            settlement.goods_value = sum(settlement.line_ids.mapped("amount"))
            settlement.amount = (
                settlement.compensation_amount if settlement.kind == "compensation" else settlement.goods_value
            )

    @api.depends("amount", "company_id.aftersales_gm_approval_amount")
    def _compute_authority(self):
        for settlement in self:
            limit = settlement.company_id.aftersales_gm_approval_amount
            above = settlement.currency_id.compare_amounts(settlement.amount, limit) > 0
            settlement.authority = "office_meeting" if above else "general_manager"

    @api.depends("return_picking_ids.state", "replacement_picking_ids.state", "credit_note_ids.state")
    def _compute_outcome(self):
        for settlement in self:
            # Stock and accounting documents: after-sales staff need no rights on them to see where they stand.
            documents = settlement.sudo()
            pickings = documents.return_picking_ids | documents.replacement_picking_ids
            settlement.picking_count = len(pickings)
            settlement.credit_note_count = len(documents.credit_note_ids)
            rows = [
                f"{record.display_name}: {self._selection_label(record, 'state')}"
                for record in [*pickings.sorted("id"), *documents.credit_note_ids.sorted("id")]
            ]
            settlement.outcome_summary = "\n".join(rows) or False

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_can_decide(self):
        decides = self._user_in((GENERAL_MANAGER,))
        for settlement in self:
            settlement.can_decide = settlement.state in self._actions["action_approve"] and decides

    @api.constrains("ticket_id")
    def _check_ticket_request_type(self):
        for settlement in self:
            if settlement.ticket_id.request_type not in KIND_OF_REQUEST:
                raise ValidationError(
                    _(
                        "Ticket %(ticket)s is not a complaint, return or exchange: it has no return, exchange or "
                        "compensation to decide.",
                        ticket=settlement.ticket_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def _editable_fields(self):
        return super()._editable_fields() + [
            # Registered by after-sales staff (登记清楚): what the customer asks, for which goods.
            editable("ticket_id kind reason compensation_amount line_ids", ("draft",), USER),
            # The decision: the general manager, or the office meeting recorded by him (报总经理办公会或总经理批准).
            editable(
                "meeting_date meeting_attendee_ids meeting_minutes_ids meeting_note rejection_reason",
                ("to_approve",),
                GENERAL_MANAGER,
            ),
        ]

    @api.model
    def _prepare_new_values(self, vals_list):
        vals_list = super()._prepare_new_values(vals_list)
        tickets = self.env["aftersales.ticket"].sudo()
        self.env["ir.sequence"]._assign_names(
            vals_list, "aftersales.settlement", lambda vals: tickets.browse(vals.get("ticket_id")).company_id
        )
        return vals_list

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "state" in init_values:
            return self.env.ref("aftersales_service.mt_settlement_state")
        return super()._track_subtype(init_values)

    @api.model
    def _create_from_ticket(self, ticket):
        """A draft for ``ticket``, with its product, serial and sale line as the first line."""
        ticket.ensure_one()
        ticket.check_access("read")
        self.check_access("create")
        if ticket.request_type not in KIND_OF_REQUEST:
            raise UserError(
                _(
                    "Ticket %(ticket)s is not a complaint, return or exchange: it has no return, exchange or "
                    "compensation to decide.",
                    ticket=ticket.name,
                )
            )
        if ticket.state in ("closed", "cancel"):
            raise UserError(_("Ticket %(ticket)s is closed or cancelled.", ticket=ticket.name))
        lines = []
        if ticket.product_id:
            lines.append(
                Command.create(
                    {
                        "product_id": ticket.product_id.id,
                        "lot_id": ticket.lot_id.id,
                        "sale_line_id": ticket.sale_line_id.id,
                    }
                )
            )
        return self.create({"ticket_id": ticket.id, "line_ids": lines})

    # ------------------------------------------------------------------
    # Actions (public: the same checks from a button and from execute_kw)
    # ------------------------------------------------------------------

    @transition
    def action_submit(self):
        """Registered: send it to whoever decides at this amount."""
        self._check_action("action_submit", _("submit for approval"))
        for settlement in self:
            settlement._check_ticket_reviewed()
            settlement._refresh_amounts()
            settlement._check_basis()
        self._write_transition({"state": "to_approve"})
        for settlement in self:
            settlement.message_post(body=settlement._authority_note(), subtype_xmlid="mail.mt_note")
        return True

    @transition
    def action_approve(self):
        """The general manager approves, or records the office meeting's approval; the
        returns, replacements and credit notes are made at once (落实实施)."""
        self._check_group(GENERAL_MANAGER, _("approve a return, exchange or compensation"))
        self._check_action("action_approve", _("approve"))
        for settlement in self:
            settlement._refresh_amounts()
            settlement._check_basis()
            settlement._check_decision_record()
            # Checked before anything is made: a compensation needs the invoice it reverses.
            credit, notes = settlement._credit_allocation()
            settlement._write_decision("approved")
            for note in notes:
                settlement.message_post(body=note, subtype_xmlid="mail.mt_note")
            # The authority was checked above; the documents belong to stock and accounting,
            # whose rights a general manager need not have. Quantities and amounts come from
            # the records (capped at what was delivered and invoiced), not from the caller.
            settlement.sudo()._carry_out(credit)
        return True

    @transition
    def action_reject(self):
        self._check_group(GENERAL_MANAGER, _("reject a return, exchange or compensation"))
        self._check_action("action_reject", _("reject"))
        for settlement in self:
            if not (settlement.rejection_reason or "").strip():
                raise UserError(_("Give the reason why %(settlement)s is rejected.", settlement=settlement.name))
            settlement._refresh_amounts()
            settlement._check_decision_record()
            settlement._write_decision("rejected")
        return True

    @transition
    def action_done(self):
        """Carried out: the goods came back, the replacement left, the credit note is posted."""
        self._check_action("action_done", _("mark as done"))
        for settlement in self:
            pending = settlement._pending_documents()
            if pending:
                raise UserError(
                    _(
                        "%(settlement)s is not carried out yet: %(documents)s.",
                        settlement=settlement.name,
                        documents=", ".join(pending),
                    )
                )
        self._write_transition({"state": "done", "done_date": fields.Datetime.now()})
        return True

    @transition
    def action_cancel(self):
        return self._run_action("action_cancel", _("cancel"), {"state": "cancel"})

    @transition
    def action_draft(self):
        return self._run_action("action_draft", _("reset to draft"), {"state": "draft"})

    def action_view_pickings(self):
        self.ensure_one()
        pickings = self.return_picking_ids | self.replacement_picking_ids
        return self._open_records("stock.picking", pickings, _("Returns and Replacements"))

    def action_view_credit_notes(self):
        self.ensure_one()
        return self._open_records("account.move", self.credit_note_ids, _("Credit Notes"))

    def action_view_ticket(self):
        self.ensure_one()
        return self._open_records("aftersales.ticket", self.ticket_id, _("Ticket"))

    def _open_records(self, model, records, name):
        action = {"type": "ir.actions.act_window", "name": name, "res_model": model}
        if len(records) == 1:
            action.update(view_mode="form", views=[[False, "form"]], res_id=records.id)
        else:
            action.update(view_mode="list,form", views=[[False, "list"], [False, "form"]])
            action["domain"] = [("id", "in", records.ids)]
        return action

    # ------------------------------------------------------------------
    # Guards
    # ------------------------------------------------------------------

    def _check_ticket_reviewed(self):
        self.ensure_one()
        if self.ticket_id.state not in REVIEWED_TICKET_STATES:
            raise UserError(
                _(
                    "Quality has not approved ticket %(ticket)s yet: its decision and solution plan come before "
                    "a return, exchange or compensation is submitted.",
                    ticket=self.ticket_id.name,
                )
            )

    def _check_decision_record(self):
        """Above the limit the office meeting decides: its date, attendees and minutes first."""
        self.ensure_one()
        if self.authority != "office_meeting":
            return
        missing = [self._fields[name]._description_string(self.env) for name in MEETING_FIELDS if not self[name]]
        if missing:
            raise UserError(
                _(
                    "%(settlement)s is worth %(amount)s, above the general manager's limit of %(limit)s: the general "
                    "manager's office meeting decides. Record its %(missing)s first.",
                    settlement=self.name,
                    amount=format_amount(self.env, self.amount, self.currency_id),
                    limit=format_amount(self.env, self.approval_limit, self.currency_id),
                    missing=", ".join(missing),
                )
            )
        if self.meeting_date > fields.Date.context_today(self):
            raise UserError(_("The office meeting of %(settlement)s cannot be in the future.", settlement=self.name))
        if not any(attendee.has_group(GENERAL_MANAGER) for attendee in self.meeting_attendee_ids):
            raise UserError(
                _(
                    "No general manager attended the office meeting recorded on %(settlement)s.",
                    settlement=self.name,
                )
            )

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    def _authority_note(self):
        self.ensure_one()
        amount = format_amount(self.env, self.amount, self.currency_id)
        limit = format_amount(self.env, self.approval_limit, self.currency_id)
        if self.authority == "office_meeting":
            return _(
                "Amount at stake %(amount)s, above the general manager's limit of %(limit)s: to be decided by the "
                "general manager's office meeting.",
                amount=amount,
                limit=limit,
            )
        return _(
            "Amount at stake %(amount)s, within the general manager's limit of %(limit)s: to be decided by the "
            "general manager.",
            amount=amount,
            limit=limit,
        )

    def _write_decision(self, decision):
        self.ensure_one()
        self._write_transition(
            {
                "state": decision,
                "decision": decision,
                "decided_by": self.authority,
                "approver_id": self.env.user.id,
                "decision_date": fields.Datetime.now(),
            }
        )
        authority = self._selection_label(self, "decided_by")
        if decision == "approved":
            body = _("Approved by the %(authority)s.", authority=authority)
        else:
            body = _("Rejected by the %(authority)s: %(reason)s", authority=authority, reason=self.rejection_reason)
        if self.decided_by == "office_meeting":
            # The minutes named with their checksum: the chatter keeps what was decided on.
            minutes = ", ".join(
                f"{attachment.name} (sha1 {attachment.checksum})" for attachment in self.sudo().meeting_minutes_ids
            )
            body = Markup("%s<br/>%s") % (
                body,
                _(
                    "Office meeting of %(date)s, attended by %(attendees)s; minutes: %(minutes)s.",
                    date=fields.Date.to_string(self.meeting_date),
                    attendees=", ".join(self.meeting_attendee_ids.mapped("name")),
                    minutes=minutes,
                ),
            )
        self.message_post(body=body, subtype_xmlid="mail.mt_note")
        self.ticket_id.message_post(body=Markup("%s: %s") % (self.name, body), subtype_xmlid="mail.mt_note")

    @staticmethod
    def _selection_label(record, field_name):
        field = record._fields[field_name]
        return dict(field._description_selection(record.env)).get(record[field_name], record[field_name] or "")
