from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        # A fee the customer paid on site settles the invoice of the work as soon as it is posted.
        invoices = posted.filtered(lambda move: move.move_type == "out_invoice")
        orders = invoices.line_ids.sale_line_ids.order_id
        if orders:
            forms = (
                self.env["aftersales.dispatch"]
                .sudo()
                .search([("sale_order_id", "in", orders.ids), ("payment_id", "!=", False)])
            )
            forms._reconcile_fee_payment()
        return posted
