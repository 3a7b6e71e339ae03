from odoo import _, api, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_revisited(self):
        revisit = self.env["aftersales.revisit"].sudo().search([("sale_order_id", "in", self.ids)], limit=1)
        if revisit:
            raise UserError(
                _(
                    "Sale order %(order)s is followed up by revisit %(revisit)s: cancel the order instead of "
                    "deleting it.",
                    order=revisit.sale_order_id.name,
                    revisit=revisit.name,
                )
            )
