from random import randint

from odoo import fields, models

from .aftersales_guard_mixin import MANAGER, editable


class AftersalesTag(models.Model):
    """A free label on requests (a product line, a region, a campaign…) to find and group them."""

    _name = "aftersales.tag"
    _description = "After-Sales Tag"
    _inherit = ["aftersales.guard.mixin"]
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer(default=lambda self: randint(1, 11))
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Empty: shared by every company.")

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "A tag with this name already exists."),
    ]

    def _editable_fields(self):
        return super()._editable_fields() + [editable("name color active company_id", None, MANAGER)]
