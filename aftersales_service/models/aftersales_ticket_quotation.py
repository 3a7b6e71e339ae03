from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from .aftersales_guard_mixin import MANAGER, form_action, transition


class AftersalesTicketQuotation(models.Model):
    """The paid-service quotation of a ticket (有费服务): planned from quality's review or proposed
    by a diagnostic visit, approved by the after-sales department head (售后服务部长审核报价),
    accepted by the customer (业主确认) before the repair."""

    # One concern of the ticket per file, so that the ticket stays readable (see aftersales_ticket.py).
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited

    part_ids = fields.One2many("aftersales.ticket.part", "ticket_id", string="Planned Parts", copy=True)
    planned_labour_hours = fields.Float(string="Planned Labour (hours)")
    travel_required = fields.Boolean(string="On-Site Visit", default=True)
    # Quote first when the fault is known; when it is not, the engineer inspects first and
    # quotes what he found (P3 §2: 初步检查和判断…报价).
    inspect_first = fields.Boolean(
        string="Inspect Before Quoting",
        help="Paid service whose fault is not known yet: a diagnostic visit is dispatched first and its "
        "engineer proposes the quotation.",
    )
    quotation_id = fields.Many2one("sale.order", readonly=True, copy=False, check_company=True, ondelete="restrict")
    # 报价由售后服务部长审核: the department head approves the quotation before the customer sees it.
    quotation_approved_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    quotation_approved_date = fields.Datetime(string="Quotation Approved On", readonly=True, copy=False)
    quotation_state = fields.Selection(related="quotation_id.state", string="Quotation Status")
    quotation_waiting_approval = fields.Boolean(compute="_compute_quotation_waiting_approval")

    @api.depends("quotation_state", "quotation_approved_by_id")
    def _compute_quotation_waiting_approval(self):
        for ticket in self:
            ticket.quotation_waiting_approval = (
                ticket.quotation_state in ("draft", "sent") and not ticket.quotation_approved_by_id
            )

    @transition
    def action_approve_quotation(self):
        """The after-sales department head approves the paid-service quotation: then it may be
        sent to the customer, who accepts it on the portal or on the spot."""
        self._check_action("action_approve_quotation", _("approve the quotation of"))
        self._check_group(MANAGER, _("approve a paid-service quotation"))
        unquoted = self.filtered(lambda ticket: ticket.quotation_id.state not in ("draft", "sent"))
        if unquoted:
            raise UserError(_("Ticket %(ticket)s has no quotation waiting for approval.", ticket=unquoted[0].name))
        approved = self.filtered("quotation_approved_by_id")
        if approved:
            raise UserError(_("The quotation of %(ticket)s is already approved.", ticket=approved[0].name))
        self._write_transition(
            {"quotation_approved_by_id": self.env.user.id, "quotation_approved_date": fields.Datetime.now()}
        )
        for ticket in self:
            ticket.message_post(
                body=_("Quotation %(order)s approved: it can be sent to the customer.", order=ticket.quotation_id.name),
                subtype_xmlid="mail.mt_note",
            )
        self._notify_customer("quotation")
        return True

    def action_view_quotation(self):
        self.ensure_one()
        if not self.quotation_id:
            raise UserError(
                _("Ticket %(ticket)s has no quotation: it is free of charge or not approved yet.", ticket=self.name)
            )
        return form_action(self.quotation_id)

    def _on_quotation_confirmed(self):
        waiting = self.filtered(lambda ticket: ticket.state == "quotation")
        waiting._write_transition({"state": "ready"})
        for ticket in waiting:
            ticket.message_post(
                body=_(
                    "Quotation %(order)s was confirmed: the ticket can be dispatched.", order=ticket.quotation_id.name
                )
            )
        # Accepted on the spot, during the diagnostic visit: the repair goes on on the same visit.
        for ticket in self.filtered(lambda ticket: ticket.state == "dispatched"):
            ticket.message_post(
                body=_(
                    "Quotation %(order)s was accepted during the visit: the repair can go on.",
                    order=ticket.quotation_id.name,
                )
            )

    def _create_quotation(self):
        """A paid-service quotation with the planned parts, labour and travel."""
        self.ensure_one()
        company = self.company_id
        lines = [
            Command.create(
                {"product_id": part.product_id.id, "product_uom_qty": part.quantity, "price_unit": part.price_unit}
            )
            for part in self.part_ids
        ]
        if self.planned_labour_hours and company.aftersales_labour_product_id:
            lines.append(
                Command.create(
                    {
                        "product_id": company.aftersales_labour_product_id.id,
                        "product_uom_qty": self.planned_labour_hours,
                    }
                )
            )
        if self.travel_required and company.aftersales_travel_product_id:
            lines.append(Command.create({"product_id": company.aftersales_travel_product_id.id, "product_uom_qty": 1}))
        if not lines:
            raise UserError(
                _(
                    "Ticket %(ticket)s is paid service: plan its parts, labour or travel before approving it.",
                    ticket=self.name,
                )
            )
        # Approving quality staff need no sales rights to propose the quotation.
        order = (
            self.env["sale.order"]
            .sudo()
            .create(
                {
                    "partner_id": self.partner_id.id,
                    "company_id": company.id,
                    "origin": self.name,
                    "user_id": self.user_id.id,
                    "order_line": lines,
                    # The customer accepts by signing (业主确认), on the portal or the technician's
                    # device; the fee is collected on site or invoiced, not prepaid online.
                    "require_signature": True,
                    "require_payment": False,
                }
            )
        )
        order.message_post_with_source(
            "mail.message_origin_link", render_values={"self": order, "origin": self}, subtype_xmlid="mail.mt_note"
        )
        return order
