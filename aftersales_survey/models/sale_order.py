from odoo import _, api, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # The revisits that follow the order up: after-sales staff read the orders of their
    # revisits through it (record rule sale_order_rule_aftersales_user).
    aftersales_revisit_ids = fields.One2many(
        "aftersales.revisit", "sale_order_id", string="Revisits", groups="aftersales_service.group_aftersales_user"
    )

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
