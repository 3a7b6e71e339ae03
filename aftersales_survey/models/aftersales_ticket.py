from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.aftersales_service.models.aftersales_guard_mixin import transition


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    survey_user_input_ids = fields.One2many(
        "survey.user_input", "aftersales_ticket_id", string="Survey Answers", groups="survey.group_survey_user"
    )
    survey_answer_count = fields.Integer(string="Surveys", compute="_compute_survey_answer_count")
    satisfaction_score = fields.Float(
        string="Satisfaction (%)",
        compute="_compute_satisfaction_score",
        store=True,
        aggregator="avg",
        help="Score of the customer's latest completed satisfaction survey.",
    )
    survey_start_url = fields.Char(string="Survey Link", compute="_compute_survey_start_url", groups="base.group_user")
    revisit_ids = fields.One2many("aftersales.revisit", "ticket_id", string="Revisits")
    feedback_ids = fields.One2many("aftersales.feedback", "ticket_id", string="Suggestions and Complaints")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    def _compute_survey_answer_count(self):
        counts = dict(
            self.env["survey.user_input"]
            .sudo()
            ._read_group([("aftersales_ticket_id", "in", self.ids)], ["aftersales_ticket_id"], ["__count"])
        )
        for ticket in self:
            ticket.survey_answer_count = counts.get(ticket, 0)

    @api.depends(
        "survey_user_input_ids.state",
        "survey_user_input_ids.scoring_percentage",
        "survey_user_input_ids.end_datetime",
    )
    def _compute_satisfaction_score(self):
        for ticket in self:
            done = ticket.sudo().survey_user_input_ids.filtered(
                lambda answer: answer.state == "done" and not answer.test_entry
            )
            latest = done.sorted(lambda answer: (answer.end_datetime or answer.create_date, answer.id))[-1:]
            ticket.satisfaction_score = latest.scoring_percentage if latest else 0.0

    @api.depends("survey_user_input_ids.state", "survey_user_input_ids.test_entry")
    # A compute returns nothing, though pylint-odoo wants super()'s result returned.
    def _compute_evaluation_state(self):  # pylint: disable=missing-return
        super()._compute_evaluation_state()
        for ticket in self:
            answers = ticket.sudo().survey_user_input_ids
            if answers.filtered(lambda answer: answer.state == "done" and not answer.test_entry):
                ticket.evaluation_state = "evaluated"

    def _compute_survey_start_url(self):
        for ticket in self:
            customer = ticket.partner_id
            pending = (
                ticket.sudo()
                .survey_user_input_ids.filtered(
                    lambda answer, customer=customer: answer.state != "done" and answer.partner_id == customer
                )
                .sorted("id")[-1:]
            )
            ticket.survey_start_url = f"{ticket.get_base_url()}{pending.get_start_url()}" if pending else False

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @transition
    def action_done(self):
        result = super().action_done()
        # Evaluated on site already: nothing more to ask. The others are asked by email (the
        # work-done message carries the invitation, see _customer_notice_template; where the
        # company switched that message off, the invitation goes on its own), or by phone when
        # the customer has no email address (必须让用户填写售后服务满意度调查表, P6 三.7).
        to_ask = self.filtered(lambda ticket: ticket.state == "done" and ticket.evaluation_state == "pending")
        to_ask.filtered(
            lambda ticket: ticket.partner_id.email and not ticket.company_id.aftersales_notify_done
        )._send_satisfaction_survey(raise_if_missing=False)
        to_ask.filtered(lambda ticket: not ticket.partner_id.email)._schedule_phone_evaluation()
        return result

    def action_record_phone_evaluation(self):
        """Staff call the customer and enter the answers they give into the satisfaction survey:
        the answer is the ticket's evaluation, taken by phone."""
        self.ensure_one()
        self.check_access("write")
        if self.state not in ("dispatched", "done"):
            raise UserError(_("The customer evaluates ticket %(ticket)s once the work is done.", ticket=self.name))
        return self._open_evaluation("phone")

    def action_send_survey(self):
        """Invite the customer to the satisfaction survey by email (满意度调查表)."""
        self.check_access("write")
        missing = self.filtered(lambda ticket: not ticket.partner_id.email)
        if missing:
            raise UserError(
                _(
                    "Customer %(customer)s of ticket %(ticket)s has no email address.",
                    customer=missing[0].partner_id.display_name,
                    ticket=missing[0].name,
                )
            )
        self._send_satisfaction_survey()
        return True

    def action_view_survey_answers(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("survey.action_survey_user_input")
        action["domain"] = [("aftersales_ticket_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    def _customer_notice_template(self, event):
        """Work done: the customer's own survey link goes with it, when a survey is configured."""
        # Evaluated on site already: the plain work-done message, no second invitation.
        if event == "done" and self.evaluation_state == "pending" and self._get_survey_answer(self.partner_id):
            template = self.env.ref("aftersales_survey.mail_template_ticket_survey", raise_if_not_found=False)
            if template:
                return template
        return super()._customer_notice_template(event)

    def _get_satisfaction_survey(self):
        self.ensure_one()
        survey = self.company_id.aftersales_survey_id or self.env.ref(
            "aftersales_survey.survey_aftersales_satisfaction", raise_if_not_found=False
        )
        return survey.sudo().filtered("active")

    def _evaluation_required(self):
        # The evaluation is asked for whenever a satisfaction survey is there to take it.
        return bool(self._get_satisfaction_survey())

    def _get_survey_answer(self, partner, channel="email"):
        """The customer's open answer for this ticket, created when needed; ``channel`` says how
        it is taken (email invitation, on site, by phone).

        Sales staff need no survey rights to invite: access to the ticket was checked."""
        self.ensure_one()
        survey = self._get_satisfaction_survey()
        if not survey:
            return self.env["survey.user_input"].sudo()
        pending = self.sudo().survey_user_input_ids.filtered(
            lambda answer: answer.survey_id == survey and answer.state != "done" and answer.partner_id == partner
        )
        if pending:
            answer = pending[-1]
            if answer.aftersales_channel != channel:
                answer.aftersales_channel = channel
            return answer
        return survey._create_answer(
            partner=partner, check_attempts=False, aftersales_ticket_id=self.id, aftersales_channel=channel
        )

    def _open_evaluation(self, channel):
        """Open the ticket's satisfaction survey in this browser, answered for the customer: on
        the technician's device on site, or by staff on the phone. The survey pages only accept
        an answer of the logged-in person, so the answer is the user's, named after the customer."""
        self.ensure_one()
        answer = self._get_survey_answer(self.env.user.partner_id, channel)
        if not answer:
            raise UserError(
                _("No active satisfaction survey is configured for %(company)s.", company=self.company_id.name)
            )
        if not answer.nickname or answer.nickname == self.env.user.name:
            answer.nickname = self.partner_id.name
        return {
            "type": "ir.actions.act_url",
            "name": _("Satisfaction Survey"),
            "target": "new",
            "url": answer.get_start_url(),
        }

    def _schedule_phone_evaluation(self):
        """A customer without an email address is asked by phone, not skipped: the ticket's
        responsible (else the after-sales managers) gets a call to make."""
        call = self.env.ref("aftersales_survey.mail_activity_data_phone_evaluation")
        for ticket in self:
            users = ticket.user_id or ticket.company_id._aftersales_escalation_users("manager")
            for user in users:
                ticket.activity_schedule(
                    activity_type_id=call.id,
                    summary=_("Satisfaction evaluation by phone"),
                    note=_(
                        "%(customer)s has no email address: call them, ask the satisfaction survey's questions "
                        "and record the answers with Phone Evaluation.",
                        customer=ticket.partner_id.display_name,
                    ),
                    user_id=user.id,
                )

    def _aftersales_evaluation_received(self):
        """The customer has evaluated the service: the call planned to ask them is no longer needed."""
        call = self.env.ref("aftersales_survey.mail_activity_data_phone_evaluation", raise_if_not_found=False)
        if call:
            self.activity_ids.filtered(lambda activity: activity.activity_type_id == call).action_done()

    def _send_satisfaction_survey(self, raise_if_missing=True):
        template = self.env.ref("aftersales_survey.mail_template_ticket_survey", raise_if_not_found=False)
        for ticket in self:
            answer = ticket._get_survey_answer(ticket.partner_id)
            if not answer or not template:
                if raise_if_missing:
                    raise UserError(
                        _(
                            "No active satisfaction survey is configured for %(company)s.",
                            company=ticket.company_id.name,
                        )
                    )
                continue
            ticket.message_post_with_source(template, subtype_xmlid="mail.mt_comment", message_type="comment")
        return True
