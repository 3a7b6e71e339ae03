from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.aftersales_service.models.aftersales_guard_mixin import set_counts


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    aftersales_claim_ids = fields.One2many("aftersales.supplier.claim", "purchase_order_id", string="Supplier Claims")
    aftersales_claim_count = fields.Integer(compute="_compute_aftersales_claim_count")

    def _compute_aftersales_claim_count(self):
        set_counts(self, "aftersales_claim_count", "aftersales.supplier.claim", "purchase_order_id")

    @api.ondelete(at_uninstall=False)
    def _unlink_except_claimed(self):
        claim = (
            self.env["aftersales.supplier.claim"]
            .sudo()
            .search(["|", ("purchase_order_id", "in", self.ids), ("replacement_order_id", "in", self.ids)], limit=1)
        )
        if claim:
            raise UserError(
                _(
                    "Purchase order %(order)s is part of supplier claim %(claim)s: cancel it instead of deleting it.",
                    order=((claim.purchase_order_id | claim.replacement_order_id) & self)[:1].name,
                    claim=claim.name,
                )
            )

    def action_view_aftersales_claims(self):
        return self.env["aftersales.supplier.claim"]._action_open(
            [("purchase_order_id", "in", self.ids)],
            {
                "default_purchase_order_id": self.id,
                "default_partner_id": self.partner_id.id,
            },
        )
