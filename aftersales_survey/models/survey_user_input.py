from markupsafe import Markup

from odoo import _, fields, models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    aftersales_ticket_id = fields.Many2one(
        "aftersales.ticket", string="After-Sales Ticket", index="btree_not_null", ondelete="set null"
    )

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
                ticket.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=_("Low satisfaction score"),
                    note=_(
                        "The customer scored the service %(score)s%% (threshold %(threshold)s%%): call them back.",
                        score=answer.scoring_percentage,
                        threshold=threshold,
                    ),
                    user_id=(ticket.company_id.aftersales_manager_id or ticket.user_id or self.env.user).id,
                )
