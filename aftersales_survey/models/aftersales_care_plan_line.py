from odoo import api, fields, models

from odoo.addons.aftersales_service.models.aftersales_guard_mixin import editable, staff_field


class AftersalesCarePlanLine(models.Model):
    _name = "aftersales.care.plan.line"
    _description = "Care Plan Action"
    _order = "plan_id, sequence, planned_date, id"
    _inherit = ["aftersales.guard.mixin"]
    _check_company_auto = True

    plan_id = fields.Many2one("aftersales.care.plan", string="Care Plan", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Action", required=True)
    planned_date = fields.Date(required=True, default=fields.Date.context_today)
    user_id = staff_field(
        "Owner",
        creator_default=False,
        tracking=False,
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    done = fields.Boolean()
    done_date = fields.Date(compute="_compute_done_date", store=True, readonly=False, precompute=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="plan_id.partner_id", store=True, string="Customer")
    is_overdue = fields.Boolean(compute="_compute_is_overdue")

    def _editable_fields(self):
        # The customer and company are the plan's: a line cannot move them.
        return super()._editable_fields() + [
            editable("plan_id sequence name planned_date user_id done done_date"),
        ]

    @api.depends("plan_id.user_id")
    def _compute_user_id(self):
        for line in self:
            if not line.user_id:
                line.user_id = line.plan_id.user_id

    @api.depends("done")
    def _compute_done_date(self):
        today = fields.Date.context_today(self)
        for line in self:
            line.done_date = (line.done_date or today) if line.done else False

    @api.depends("done", "planned_date")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for line in self:
            line.is_overdue = not line.done and line.planned_date < today
