from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    aftersales_claim_count = fields.Integer(string="Supplier Claims", compute="_compute_aftersales_claim_count")

    def _compute_aftersales_claim_count(self):
        counts = dict(
            self.env["aftersales.supplier.claim"]._read_group(
                [("partner_id", "child_of", self.ids)], ["commercial_partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.aftersales_claim_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_aftersales_claims(self):
        return self.env["aftersales.supplier.claim"]._action_open(
            [("commercial_partner_id", "in", self.commercial_partner_id.ids)], {"default_partner_id": self.id}
        )
