from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.aftersales_service.models.aftersales_guard_mixin import MANAGER, check_group

# What decides the satisfaction score of the ticket an answer belongs to.
SCORE_FIELDS = {"scoring_percentage", "scoring_total", "scoring_success", "test_entry", "survey_id", "state"}


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    aftersales_ticket_id = fields.Many2one(
        "aftersales.ticket", string="After-Sales Ticket", index="btree_not_null", ondelete="set null"
    )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("aftersales_ticket_id") for vals in vals_list) or self.env.context.get(
            "default_aftersales_ticket_id"
        ):
            self._aftersales_check_link()
        return super().create(vals_list)

    def write(self, vals):
        if "aftersales_ticket_id" in vals:
            self._aftersales_check_link()
        linked = self.filtered("aftersales_ticket_id")
        if linked:
            linked._aftersales_check_answer_open()
            if SCORE_FIELDS & set(vals) and not self.env.su:
                raise AccessError(_("The score of a ticket's satisfaction survey comes from the customer's answers."))
        return super().write(vals)

    def _aftersales_check_link(self):
        """Only the ticket's own invitation links an answer to a ticket: the score it gives
        the ticket is the customer's, not a survey officer's."""
        # A survey answer is linked to a ticket by the ticket's invitation; managers may correct it.
        check_group(self.env, MANAGER, _("link a survey answer to an after-sales ticket"))

    def _aftersales_check_answer_open(self):
        """A completed satisfaction answer is the customer's evaluation of the ticket: it stays as given."""
        if self.env.su:
            return
        if self.filtered(lambda answer: answer.state == "done"):
            raise AccessError(_("The customer's completed satisfaction survey of a ticket cannot be changed."))

    def _mark_done(self):
        result = super()._mark_done()
        # Answers are submitted by customers through the public survey pages.
        self.filtered("aftersales_ticket_id").sudo()._aftersales_notify_ticket()
        return result

    def _aftersales_notify_ticket(self):
        odoobot = self.env.ref("base.partner_root")
        for answer in self:
            ticket = answer.aftersales_ticket_id
            scored = answer.survey_id.scoring_type != "no_scoring"
            if scored:
                body = _(
                    "%(customer)s answered the satisfaction survey %(survey)s: score %(score)s%%.",
                    customer=answer.partner_id.name or answer.nickname or answer.email or "",
                    survey=answer.survey_id.title,
                    score=answer.scoring_percentage,
                )
            else:
                body = _(
                    "%(customer)s answered the satisfaction survey %(survey)s.",
                    customer=answer.partner_id.name or answer.nickname or answer.email or "",
                    survey=answer.survey_id.title,
                )
            ticket.message_post(body=Markup("<p>%s</p>") % body, author_id=odoobot.id, subtype_xmlid="mail.mt_note")
            threshold = ticket.company_id.aftersales_low_score_threshold
            if scored and answer.scoring_percentage < threshold:
                ticket._escalate(
                    "manager",
                    _("Low satisfaction score"),
                    _(
                        "The customer scored the service %(score)s%% (threshold %(threshold)s%%): call them back.",
                        score=answer.scoring_percentage,
                        threshold=threshold,
                    ),
                )
