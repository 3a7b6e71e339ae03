from odoo import fields, models

from .aftersales_guard_mixin import MANAGER, editable, set_counts
from .aftersales_ticket import FAULT_CAUSES


class AftersalesFaultCategory(models.Model):
    _name = "aftersales.fault.category"
    _description = "Fault Category"
    _inherit = ["aftersales.guard.mixin"]
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company")
    description = fields.Text(translate=True)
    fault_cause = fields.Selection(
        FAULT_CAUSES,
        string="Usual Cause",
        help="Proposed on the tickets of this category; quality's review decides.",
    )
    ticket_count = fields.Integer(compute="_compute_ticket_count")
    solution_ids = fields.One2many("aftersales.fault.solution", "fault_category_id", string="Known Solutions")

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "A fault category with this name already exists."),
    ]

    def _editable_fields(self):
        return super()._editable_fields() + [
            editable("name sequence active company_id description solution_ids fault_cause", None, MANAGER)
        ]

    def _compute_ticket_count(self):
        set_counts(self, "ticket_count", "aftersales.ticket", "fault_category_id")
