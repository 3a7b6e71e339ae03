from odoo import api, fields, models

from odoo.addons.aftersales_service.models.aftersales_guard_mixin import customer_field, editable, staff_field


class AftersalesCarePlan(models.Model):
    """The care plan of one key customer for a year (重点客户关怀计划)."""

    _name = "aftersales.care.plan"
    _description = "Key-Customer Care Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.guard.mixin"]
    _order = "year desc, partner_id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    partner_id = customer_field(domain="[('is_company', '=', True)]")
    tier_id = fields.Many2one(related="partner_id.aftersales_tier_id", string="Tier")
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year, tracking=True)
    user_id = staff_field("Account Manager")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    active = fields.Boolean(default=True)
    note = fields.Html(string="Customer Needs")
    line_ids = fields.One2many("aftersales.care.plan.line", "plan_id", string="Planned Actions", copy=True)
    line_count = fields.Integer(compute="_compute_progress", string="Actions")
    progress = fields.Float(compute="_compute_progress", string="Progress (%)")

    _sql_constraints = [
        ("year_valid", "CHECK(year > 1900)", "Give the year of the care plan."),
    ]

    def _editable_fields(self):
        return super()._editable_fields() + [
            editable("name partner_id year user_id company_id active note line_ids"),
        ]

    @api.depends("line_ids.done")
    def _compute_progress(self):
        for plan in self:
            plan.line_count = len(plan.line_ids)
            done = len(plan.line_ids.filtered("done"))
            plan.progress = 100.0 * done / plan.line_count if plan.line_count else 0.0
