from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from odoo.addons.aftersales_service.models.aftersales_guard_mixin import (
    QUALITY,
    customer_field,
    editable,
    staff_field,
    transition,
)
from odoo.addons.aftersales_service.models.aftersales_state_mixin import state_field

FEEDBACK_KINDS = [("suggestion", "Suggestion"), ("complaint", "Complaint")]
FEEDBACK_SEVERITIES = [("minor", "Minor"), ("major", "Major")]
FEEDBACK_STATES = [("new", "New"), ("in_progress", "In Progress"), ("closed", "Closed")]


class AftersalesFeedback(models.Model):
    """A customer's suggestion or complaint (建议或抱怨).

    Major ones go to quality and end with a result letter to the customer (函告该客户);
    minor ones are handled by sales, who notify the customer of the result."""

    _name = "aftersales.feedback"
    _description = "Customer Suggestion or Complaint"
    _inherit = ["aftersales.response.mixin", "mail.thread", "mail.activity.mixin", "aftersales.state.mixin"]
    # A card dropped on a kanban column runs that column's action (see aftersales.state.mixin).
    # What each status allows (see aftersales.state.mixin).
    _actions = {
        "action_start": ("new",),
        "action_close": ("new", "in_progress"),
        "action_reopen": ("closed",),
    }
    _state_actions = {"in_progress": ("action_start", "action_reopen"), "closed": "action_close"}
    _response_start_field = "received_date"
    _order = "create_date desc, id desc"
    _check_company_auto = True
    _guard_links = ("ticket_id", "revisit_id")
    _deletable_states = ("new",)

    name = fields.Char(string="Reference", readonly=True, copy=False, default="New")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    partner_id = customer_field()
    kind = fields.Selection(FEEDBACK_KINDS, required=True, default="suggestion", tracking=True)
    severity = fields.Selection(FEEDBACK_SEVERITIES, required=True, default="minor", tracking=True)
    description = fields.Text(required=True)
    state = state_field(FEEDBACK_STATES, default="new")
    resolution = fields.Text(string="Result", copy=False, help="How it was handled: told to the customer on closing.")
    user_id = staff_field("Responsible")
    ticket_id = fields.Many2one("aftersales.ticket", index="btree_not_null", check_company=True)
    revisit_id = fields.Many2one("aftersales.revisit", index="btree_not_null", check_company=True)
    close_date = fields.Datetime(string="Closed On", readonly=True, copy=False)
    # 24小时内答复: suggestions and complaints are answered on the same clock as service requests.
    received_date = fields.Datetime(string="Received On", required=True, default=fields.Datetime.now, copy=False)

    # ------------------------------------------------------------------
    # Response clock
    # ------------------------------------------------------------------

    @api.model
    def _cron_flag_response_breaches(self):
        """Flag the unanswered suggestions and complaints whose deadline passed, once, with a
        to-do for the managers."""
        overdue = self.search(
            [
                ("state", "!=", "closed"),
                ("first_response_date", "=", False),
                ("response_breached", "=", False),
                ("response_deadline", "<", fields.Datetime.now()),
            ]
        )
        overdue.write({"response_breached": True})
        for feedback in overdue:
            feedback._escalate(
                "manager",
                _("Response overdue"),
                _(
                    "%(feedback)s was not answered within %(hours)s hours.",
                    feedback=feedback.name,
                    hours=feedback.company_id.aftersales_response_hours,
                ),
            )
        return True

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def _editable_fields(self):
        return super()._editable_fields() + [
            editable("company_id ticket_id revisit_id received_date", ("new",)),
            editable("partner_id kind severity description user_id resolution", ("new", "in_progress")),
        ]

    @api.model
    def _prepare_new_values(self, vals_list):
        vals_list = super()._prepare_new_values(vals_list)
        self.env["ir.sequence"]._assign_names(vals_list, "aftersales.feedback")
        return vals_list

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records.filtered(lambda feedback: feedback.severity == "major")._notify_quality()
        return records

    def write(self, vals):
        minor = self.filtered(lambda feedback: feedback.severity != "major")
        if vals.get("severity", "major") != "major" and self - minor:
            # A major one is quality's (重大问题报质量部): only quality may call it minor.
            self._check_group(QUALITY, _("downgrade a major suggestion or complaint"))
        result = super().write(vals)
        if vals.get("severity") == "major":
            minor._notify_quality()
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @transition
    def action_start(self):
        return self._run_action("action_start", _("start handling"), {"state": "in_progress"})

    @transition
    def action_close(self):
        """Close with the result told to the customer: a result letter (PDF by email) for
        major ones, a notification by sales for minor ones."""
        self._check_action("action_close", _("close"))
        missing = self.filtered(lambda feedback: not (feedback.resolution or "").strip())
        if missing:
            raise UserError(
                _(
                    "Write the result of %(feedback)s before closing it: the customer is told about it.",
                    feedback=missing[0].name,
                )
            )
        major = self.filtered(lambda feedback: feedback.severity == "major")
        if major:
            self._check_group(QUALITY, _("close major suggestions and complaints"))
        self._write_transition({"state": "closed", "close_date": fields.Datetime.now()})
        if major:
            template = self.env.ref("aftersales_survey.mail_template_feedback_result")
            major.message_post_with_source(template, subtype_xmlid="mail.mt_comment", message_type="comment")
        for feedback in self - major:
            feedback.message_post(
                body=Markup("<p>%s</p>%s")
                % (
                    _(
                        "Dear %(customer)s, about your %(kind)s %(feedback)s, here is what we did:",
                        customer=feedback.partner_id.name,
                        kind=feedback._kind_label(),
                        feedback=feedback.name,
                    ),
                    plaintext2html(feedback.resolution),
                ),
                partner_ids=feedback.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
            )
        self.activity_feedback(["mail.mail_activity_data_todo"], feedback=_("Closed."))
        return True

    @transition
    def action_reopen(self):
        return self._run_action("action_reopen", _("reopen"), {"state": "in_progress", "close_date": False})

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    def _kind_label(self):
        self.ensure_one()
        return dict(self._fields["kind"]._description_selection(self.env))[self.kind].lower()

    def _notify_quality(self):
        """Major ones are reported to the quality department (信息处理单)."""
        for feedback in self:
            feedback._escalate(
                "quality", _("Major %(kind)s to handle", kind=feedback._kind_label()), feedback.description
            )

    def _get_report_base_filename(self):
        self.ensure_one()
        return _("Result Letter %(name)s", name=self.name)
