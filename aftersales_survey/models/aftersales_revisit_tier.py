from odoo import fields, models

from odoo.addons.aftersales_service.models.aftersales_guard_mixin import MANAGER, editable, set_counts

REVISIT_CHANNELS = [("phone", "Phone"), ("letter", "Letter"), ("email", "Email"), ("visit", "Visit")]


class AftersalesRevisitTier(models.Model):
    """How often a class of customers must be revisited (key: 6 months, long-term: 12)."""

    _name = "aftersales.revisit.tier"
    _description = "Revisit Tier"
    _inherit = ["aftersales.guard.mixin"]
    _order = "interval_months, name"

    name = fields.Char(required=True, translate=True)
    interval_months = fields.Integer(string="Revisit Every (months)", required=True, default=12)
    channel = fields.Selection(REVISIT_CHANNELS, string="Default Channel", required=True, default="phone")
    active = fields.Boolean(default=True)
    partner_count = fields.Integer(compute="_compute_partner_count")

    _sql_constraints = [
        ("interval_positive", "CHECK(interval_months > 0)", "The revisit interval must be at least one month."),
    ]

    def _editable_fields(self):
        return super()._editable_fields() + [editable("name interval_months channel active", None, MANAGER)]

    def _compute_partner_count(self):
        set_counts(self, "partner_count", "res.partner", "aftersales_tier_id")
