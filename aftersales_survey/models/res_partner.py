from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    aftersales_tier_id = fields.Many2one(
        "aftersales.revisit.tier",
        string="Revisit Tier",
        help="Key or long-term customer: decides how often they are revisited.",
    )

    def _commercial_fields(self):
        # The tier belongs to the company, contacts inherit it.
        return super()._commercial_fields() + ["aftersales_tier_id"]
