from contextlib import contextmanager

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .aftersales_guard_mixin import MANAGER, set_counts


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
        set_counts(self, "aftersales_ticket_count", "aftersales.ticket", "sale_order_id")

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

    def action_aftersales_freeze_terms(self):
        """Managers: record the warranty terms of confirmed lines that have none (sold before the
        suite was installed), from their products, as if frozen at confirmation."""
        self.env["aftersales.ticket"]._check_group(MANAGER, _("freeze the warranty terms of past sales"))
        lines = self.env["sale.order.line"].sudo()._aftersales_freeze_missing_terms()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("Warranty terms recorded on %(count)s confirmed sale lines.", count=len(lines)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------------
    # The order follows the work done on site (P3 §2: 按实际维修内容收费)
    # ------------------------------------------------------------------

    @contextmanager
    def _aftersales_unlocked(self):
        """Record the work on an order even when confirmed orders are locked, and lock it again."""
        locked = self.filtered("locked")
        locked.action_unlock()
        try:
            yield
        finally:
            locked.action_lock()

    def _aftersales_record_work(self):
        """Labour hours, travel and call-out visits of the field forms billed on this order become
        its delivered quantities, added as lines when the quotation did not foresee them."""
        self.ensure_one()
        forms = (
            self.env["aftersales.dispatch"]
            .sudo()
            .search([("sale_order_id", "=", self.id), ("state", "in", ("done", "filed"))])
        )
        company = self.company_id
        callout = company.aftersales_callout_product_id
        callouts = forms.filtered("diagnostic") if callout else forms.browse()
        travels = (forms - callouts).filtered(lambda form: form.ticket_id.travel_required)
        with self._aftersales_unlocked():
            self._aftersales_set_delivered(company.aftersales_labour_product_id, sum(forms.mapped("labour_hours")))
            self._aftersales_set_delivered(company.aftersales_travel_product_id, len(travels))
            self._aftersales_set_delivered(callout, len(callouts))

    def _aftersales_set_delivered(self, product, quantity):
        """Bill ``quantity`` of service ``product`` on this order: ordered and delivered alike."""
        if not product:
            return
        line = self.order_line.filtered(lambda line: line.product_id == product)[:1]
        if not line and not quantity:
            return
        if not line:
            line = self.env["sale.order.line"].create({"order_id": self.id, "product_id": product.id})
        line.write({"product_uom_qty": quantity, "qty_delivered": quantity})

    def _aftersales_close_work(self):
        """The repair is done: quoted parts never used are no longer to deliver nor to bill."""
        for order in self:
            goods = order.order_line.filtered(
                lambda line: (
                    line.product_id.type == "consu"
                    and float_compare(
                        line.product_uom_qty, line.qty_delivered, precision_rounding=line.product_uom.rounding
                    )
                    > 0
                )
            )
            if not goods:
                continue
            goods.move_ids.filtered(lambda move: move.state not in ("done", "cancel"))._action_cancel()
            with order._aftersales_unlocked():
                for line in goods:
                    line.product_uom_qty = line.qty_delivered

    def action_view_aftersales_tickets(self):
        return self.env["aftersales.ticket"]._action_open(
            [("sale_order_id", "in", self.ids)],
            {"default_sale_order_id": self.id, "default_partner_id": self.partner_id.id},
        )
