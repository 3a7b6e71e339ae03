from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from .aftersales_guard_mixin import QUALITY, editable, staff_field, transition


class AftersalesCorrectiveAction(models.Model):
    """One corrective action decided in a quarterly quality review: who does what by when, and
    what was done, so that the same problem does not come back (避免以后设备出现类似问题, P3 std 6)."""

    _name = "aftersales.corrective.action"
    _description = "Corrective Action"
    # What each status allows (see aftersales.state.mixin).
    _actions = {"action_done": ("open",)}
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.state.mixin"]
    _order = "date_deadline, id"
    _check_company_auto = True
    _deletable_states = ("open",)

    review_id = fields.Many2one(
        "aftersales.quality.review", string="Quality Review", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True)
    name = fields.Char(string="Action", required=True, tracking=True)
    problem = fields.Text(help="The problem this action prevents from happening again.")
    product_id = fields.Many2one("product.product", check_company=True)
    fault_category_id = fields.Many2one("aftersales.fault.category")
    user_id = staff_field("Owner", creator_default=False, required=True)
    date_deadline = fields.Date(string="Due Date", required=True, tracking=True)
    state = fields.Selection(
        [("open", "Open"), ("done", "Done")], default="open", required=True, tracking=True, copy=False
    )
    result = fields.Text(string="What Was Done", tracking=True)
    done_date = fields.Date(string="Done On", readonly=True, copy=False)
    is_overdue = fields.Boolean(string="Overdue", compute="_compute_is_overdue")

    @api.depends("state", "date_deadline")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = action.state == "open" and action.date_deadline < today

    def _editable_fields(self):
        return super()._editable_fields() + [
            # Quality records what the departments decided.
            editable("review_id name problem product_id fault_category_id user_id date_deadline", ("open",), QUALITY),
            # The owner reports what was done (checked in ``write``: the owner or quality).
            editable("result", ("open",)),
        ]

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        actions._schedule_for_owner()
        return actions

    def write(self, vals):
        if "result" in vals and self._guard_applies():
            self._check_owner_or_quality(_("report on"))
        result = super().write(vals)
        if "user_id" in vals or "date_deadline" in vals:
            moved = self.filtered(lambda action: action.state == "open")
            moved.activity_unlink(["mail.mail_activity_data_todo"])
            moved._schedule_for_owner()
        return result

    def _schedule_for_owner(self):
        for action in self:
            action.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=action.date_deadline,
                summary=_("Corrective action"),
                note=action.name,
                user_id=action.user_id.id,
            )

    def _check_owner_or_quality(self, what):
        if self.env.su or self.env.user.has_group(QUALITY):
            return
        others = self.filtered(lambda action: action.user_id != self.env.user)
        if others:
            raise AccessError(
                _(
                    "Only its owner or quality may %(what)s corrective action %(action)s.",
                    what=what,
                    action=others[0].name,
                )
            )

    @transition
    def action_done(self):
        self._check_action("action_done", _("complete"))
        self._check_owner_or_quality(_("complete"))
        self.check_access("read")
        self._write_transition({"state": "done", "done_date": fields.Date.context_today(self)})
        self.activity_feedback(["mail.mail_activity_data_todo"], feedback=_("Corrective action done."))
        return True
