from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .aftersales_guard_mixin import QUALITY, editable, transition


class AftersalesFaultSolution(models.Model):
    """A known cause and proven fix of a fault (总结解决方案，以便参考), proposed from a
    finished ticket and shown to reviewers and technicians once quality approved it."""

    _name = "aftersales.fault.solution"
    _description = "Known Fault Solution"
    # What each status allows (see aftersales.state.mixin).
    _actions = {"action_approve": ("proposed",), "action_reject": ("proposed",)}
    _inherit = ["mail.thread", "aftersales.state.mixin"]
    _order = "fault_category_id, sequence, id desc"
    _rec_name = "symptom"
    _deletable_states = ("proposed", "rejected")

    fault_category_id = fields.Many2one("aftersales.fault.category", required=True, index=True, tracking=True)
    company_id = fields.Many2one(related="fault_category_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    symptom = fields.Char(required=True, tracking=True, help="What the customer sees.")
    cause = fields.Text(tracking=True)
    solution = fields.Text(required=True, tracking=True, help="The proven fix and the checks to make on site.")
    source_ticket_id = fields.Many2one("aftersales.ticket", string="From Ticket", readonly=True, index="btree_not_null")
    state = fields.Selection(
        [("proposed", "Proposed"), ("approved", "Approved"), ("rejected", "Rejected")],
        default="proposed",
        required=True,
        tracking=True,
    )
    reviewer_id = fields.Many2one("res.users", string="Reviewed By", readonly=True)
    use_count = fields.Integer(string="Tickets Solved", compute="_compute_use_count")

    def _editable_fields(self):
        return super()._editable_fields() + [
            editable("fault_category_id symptom cause solution sequence", ("proposed",)),
            # Quality keeps approved knowledge up to date.
            editable("symptom cause solution sequence", ("approved",), QUALITY),
        ]

    @api.depends("fault_category_id")
    def _compute_use_count(self):
        counts = dict(
            self.env["aftersales.ticket"]._read_group(
                [("fault_category_id", "in", self.fault_category_id.ids), ("state", "in", ("done", "closed"))],
                ["fault_category_id"],
                ["__count"],
            )
        )
        for solution in self:
            solution.use_count = counts.get(solution.fault_category_id, 0)

    @transition
    def action_approve(self):
        self._review("approved")
        return True

    @transition
    def action_reject(self):
        self._review("rejected")
        return True

    def _review(self, state):
        self._check_group(QUALITY, _("review known solutions"))
        if self.filtered(lambda solution: solution.state not in self._actions["action_approve"]):
            raise UserError(_("Only proposed solutions can be reviewed."))
        self._write_transition({"state": state, "reviewer_id": self.env.user.id})
