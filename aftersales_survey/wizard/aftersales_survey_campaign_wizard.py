from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AftersalesSurveyCampaignWizard(models.TransientModel):
    """An opinion campaign (客户意见调查): send a survey to a chosen set of customers."""

    _name = "aftersales.survey.campaign.wizard"
    _description = "Opinion Campaign"

    survey_id = fields.Many2one(
        "survey.survey",
        required=True,
        domain=[("active", "=", True)],
        default=lambda self: self.env.ref("aftersales_survey.survey_aftersales_satisfaction", raise_if_not_found=False),
    )
    tier_ids = fields.Many2many(
        "aftersales.revisit.tier", string="Revisit Tiers", help="Invite every customer of these tiers."
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        compute="_compute_partner_ids",
        store=True,
        readonly=False,
        domain=[("email", "!=", False)],
    )
    deadline = fields.Datetime(
        string="Answer Deadline", default=lambda self: fields.Datetime.now() + timedelta(days=30)
    )
    partner_count = fields.Integer(compute="_compute_partner_count", string="Recipients")

    @api.depends("tier_ids")
    def _compute_partner_ids(self):
        for wizard in self:
            if wizard.tier_ids:
                wizard.partner_ids = self.env["res.partner"].search(
                    [
                        ("aftersales_tier_id", "in", wizard.tier_ids.ids),
                        ("is_company", "=", True),
                        ("email", "!=", False),
                    ]
                )

    @api.depends("partner_ids")
    def _compute_partner_count(self):
        for wizard in self:
            wizard.partner_count = len(wizard.partner_ids)

    def action_send(self):
        """Invite each customer through the survey's own invitation wizard."""
        self.ensure_one()
        partners = self.partner_ids.filtered("email")
        if not partners:
            raise UserError(_("Choose at least one customer with an email address."))
        template = self.env.ref("survey.mail_template_user_input_invite", raise_if_not_found=False)
        invite = self.env["survey.invite"].create(
            {
                "survey_id": self.survey_id.id,
                "partner_ids": [fields.Command.set(partners.ids)],
                "template_id": template.id if template else False,
                "deadline": self.deadline,
                "existing_mode": "new",
            }
        )
        invite.action_invite()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _(
                    "%(count)s customers were invited to %(survey)s.", count=len(partners), survey=self.survey_id.title
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
