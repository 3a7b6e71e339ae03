from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from .aftersales_guard_mixin import QUALITY, editable, transition

QUARTERS = [("1", "Q1"), ("2", "Q2"), ("3", "Q3"), ("4", "Q4")]


class AftersalesQualityReview(models.Model):
    """The departments' discussion of a quarter's maintenance (总结季度维护内容…上报相关部门分析讨论,
    避免以后设备出现类似问题, P3 std 6): their conclusions and the corrective actions decided,
    each with an owner and a due date, followed until every one is done."""

    _name = "aftersales.quality.review"
    _description = "Quarterly Quality Review"
    # What each status allows (see aftersales.state.mixin).
    _actions = {"action_close": ("open",)}
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.state.mixin"]
    _order = "year desc, quarter desc, id desc"
    _check_company_auto = True
    _deletable_states = ("open",)

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    year = fields.Integer(
        required=True, default=lambda self: self.env["aftersales.quarter.summary"]._default_quarter()[0]
    )
    quarter = fields.Selection(
        QUARTERS,
        required=True,
        default=lambda self: str(self.env["aftersales.quarter.summary"]._default_quarter()[1]),
    )
    departments = fields.Char(string="Departments Present", help="Who took part in the discussion.")
    conclusions = fields.Html(help="What the departments concluded about the quarter's frequent or serious problems.")
    action_ids = fields.One2many("aftersales.corrective.action", "review_id", string="Corrective Actions")
    open_action_count = fields.Integer(compute="_compute_open_action_count")
    state = fields.Selection(
        [("open", "In Progress"), ("closed", "Closed")], default="open", required=True, tracking=True, copy=False
    )
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    close_date = fields.Datetime(string="Closed On", readonly=True, copy=False)

    _sql_constraints = [
        ("quarter_uniq", "unique(company_id, year, quarter)", "This quarter already has its quality review."),
    ]

    @api.depends("year", "quarter")
    def _compute_name(self):
        for review in self:
            review.name = _("%(year)s Q%(quarter)s", year=review.year, quarter=review.quarter)

    @api.depends("action_ids.state")
    def _compute_open_action_count(self):
        for review in self:
            review.open_action_count = len(review.action_ids.filtered(lambda action: action.state == "open"))

    @api.constrains("year")
    def _check_year(self):
        for review in self:
            if not 2000 <= review.year <= 2100:
                raise UserError(_("Choose a year between 2000 and 2100."))

    def _editable_fields(self):
        return super()._editable_fields() + [
            editable("company_id year quarter departments conclusions action_ids", ("open",), QUALITY),
        ]

    @transition
    def action_close(self):
        """Closed once every corrective action decided is done: the loop is closed."""
        self._check_action("action_close", _("close"))
        self._check_group(QUALITY, _("close a quality review"))
        for review in self:
            if not self._html_has_text(review.conclusions):
                raise UserError(_("Record the conclusions of quality review %(review)s first.", review=review.name))
            if review.open_action_count:
                raise UserError(
                    _(
                        "Quality review %(review)s still has %(count)s corrective actions to complete.",
                        review=review.name,
                        count=review.open_action_count,
                    )
                )
        self._write_transition(
            {"state": "closed", "closed_by_id": self.env.user.id, "close_date": fields.Datetime.now()}
        )
        return True

    def action_print_summary(self):
        """The quarter's maintenance summary, with these conclusions and actions."""
        self.ensure_one()
        self.check_access("read")
        summary = self.env["aftersales.quarter.summary"].create(
            {"company_id": self.company_id.id, "year": self.year, "quarter": self.quarter}
        )
        return summary.action_print()

    @staticmethod
    def _html_has_text(html):
        return bool(html and html2plaintext(html).strip())
