from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.aftersales_service.models.aftersales_guard_mixin import MANAGER, check_group

# What decides the satisfaction score of the ticket an answer belongs to.
SCORE_FIELDS = {"scoring_percentage", "scoring_total", "scoring_success", "test_entry", "survey_id", "state"}
# How the customer's evaluation of a ticket was taken: set by the invitation, never typed.
LINK_FIELDS = {"aftersales_ticket_id", "aftersales_channel"}
EVALUATION_CHANNELS = [("email", "By Email"), ("on_site", "On Site"), ("phone", "By Phone")]


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    aftersales_ticket_id = fields.Many2one(
        "aftersales.ticket", string="After-Sales Ticket", index="btree_not_null", ondelete="set null"
    )
    aftersales_channel = fields.Selection(
        EVALUATION_CHANNELS,
        string="Evaluated",
        help="How the customer evaluated the ticket: the emailed survey, on the technician's device on site, "
        "or by phone with after-sales staff.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if any(LINK_FIELDS & {key for key, value in vals.items() if value} for vals in vals_list) or any(
            self.env.context.get(f"default_{name}") for name in LINK_FIELDS
        ):
            self._aftersales_check_link()
        return super().create(vals_list)

    def write(self, vals):
        if LINK_FIELDS & set(vals):
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
            ticket._aftersales_evaluation_received()
            answer._aftersales_report_breaches()
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

    def _aftersales_report_breaches(self):
        """An answer that reports a breach of the service standards (rude staff, money or gifts
        asked for, late arrival, problem not solved: P6 三.1-三.6) reaches the after-sales
        manager at once, whatever the overall score."""
        self.ensure_one()
        lines = self.user_input_line_ids.filtered(lambda line: line.suggested_answer_id.aftersales_alert)
        if not lines:
            return
        reported = "; ".join(f"{line.question_id.title}: {line.suggested_answer_id.value}" for line in lines)
        self.aftersales_ticket_id._escalate(
            "manager",
            _("Service standard breach reported"),
            _("The customer reports: %(answers)s. Find out what happened and act on it.", answers=reported),
        )
