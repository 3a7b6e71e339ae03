from odoo import _, api, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    aftersales_inspection_partner_id = fields.Many2one(
        "res.partner",
        string="Inspection Body",
        help="The inspection body named in the contract for disputed quality (合同约定的检验机构).",
    )
    aftersales_ticket_ids = fields.One2many("aftersales.ticket", "sale_order_id", string="After-Sales Tickets")
    aftersales_ticket_count = fields.Integer(compute="_compute_aftersales_ticket_count")
    aftersales_quoted_ticket_ids = fields.One2many("aftersales.ticket", "quotation_id", string="Paid-Service Tickets")

    def _compute_aftersales_ticket_count(self):
        counts = dict(
            self.env["aftersales.ticket"]._read_group(
                [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.aftersales_ticket_count = counts.get(order, 0)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_aftersales(self):
        tickets = (
            self.env["aftersales.ticket"]
            .sudo()
            .search(["|", ("sale_order_id", "in", self.ids), ("quotation_id", "in", self.ids)], limit=1)
        )
        if tickets:
            raise UserError(
                _(
                    "Sale order %(order)s has after-sales ticket %(ticket)s: cancel the order instead of deleting it.",
                    order=((tickets.sale_order_id | tickets.quotation_id) & self)[:1].name,
                    ticket=tickets.name,
                )
            )

    def _aftersales_check_quotation_approved(self):
        """A paid-service quotation reaches the customer only once the after-sales department
        head approved it (售后服务部长审核报价)."""
        waiting = self.sudo().aftersales_quoted_ticket_ids.filtered(lambda ticket: not ticket.quotation_approved_by_id)
        if waiting:
            raise UserError(
                _(
                    "Quotation %(order)s of ticket %(ticket)s waits for the after-sales department head's "
                    "approval before the customer sees or accepts it.",
                    order=waiting[0].quotation_id.name,
                    ticket=waiting[0].name,
                )
            )

    def action_quotation_send(self):
        self._aftersales_check_quotation_approved()
        return super().action_quotation_send()

    def action_quotation_sent(self):
        self._aftersales_check_quotation_approved()
        return super().action_quotation_sent()

    def action_preview_sale_order(self):
        self._aftersales_check_quotation_approved()
        return super().action_preview_sale_order()

    def action_confirm(self):
        self._aftersales_check_quotation_approved()
        result = super().action_confirm()
        # The customer accepted a paid-service quotation: its ticket may now be dispatched.
        self.aftersales_quoted_ticket_ids.sudo()._on_quotation_confirmed()
        return result

    def action_view_aftersales_tickets(self):
        return self.env["aftersales.ticket"]._action_open(
            [("sale_order_id", "in", self.ids)],
            {"default_sale_order_id": self.id, "default_partner_id": self.partner_id.id},
        )
