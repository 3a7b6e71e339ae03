from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.aftersales_service.tests.common import PNG_PIXEL

from .common import AftersalesSurveyCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-01-15 09:00:00")
class TestMandatoryEvaluation(AftersalesSurveyCommon):
    """必须让用户填写售后服务满意度调查表 (P6 三.7): no ticket closes unevaluated, unless a manager
    waives it with a reason; a customer without email is called, not skipped."""

    def phone_call(self, ticket):
        kind = self.env.ref("aftersales_survey.mail_activity_data_phone_evaluation")
        return ticket.activity_ids.filtered(lambda act: act.activity_type_id == kind)

    def choose(self, answer, question_xmlid, value):
        question = self.env.ref(f"aftersales_survey.survey_aftersales_satisfaction_q_{question_xmlid}")
        choice = question.suggested_answer_ids.filtered(lambda option: option.value == value)
        answer._save_lines(question, str(choice.id))

    def finish(self, form):
        form.with_user(self.user_tech).write({"signature": PNG_PIXEL, "signed_by": "Mr. Li"})
        form.with_user(self.user_tech).action_done()

    def test_an_unevaluated_ticket_does_not_close(self):
        ticket = self.done_ticket()
        self.assertEqual(ticket.evaluation_state, "pending")
        with self.assertRaisesRegex(UserError, "before the customer evaluated the service"):
            ticket.action_close()
        self.assertEqual(ticket.state, "done")
        self.answer_rating(ticket.sudo().survey_user_input_ids, 5)
        self.assertEqual(ticket.evaluation_state, "evaluated")
        self.assertTrue(ticket.action_close())
        self.assertEqual(ticket.state, "closed")

    def test_an_open_answer_is_no_evaluation(self):
        ticket = self.done_ticket()
        self.choose(ticket.sudo().survey_user_input_ids, "rating", "5 - Very satisfied")
        self.assertEqual(ticket.evaluation_state, "pending", "started, not submitted")
        with self.assertRaises(UserError):
            ticket.action_close()

    def test_the_customer_without_email_evaluates_by_phone(self):
        self.customer.email = False
        ticket = self.done_ticket()
        self.assertEqual(len(self.phone_call(ticket)), 1, "a call to make, not a silent skip")
        action = ticket.with_user(self.user_sales).action_record_phone_evaluation()
        answer = ticket.sudo().survey_user_input_ids
        self.assertEqual(len(answer), 1)
        self.assertEqual(answer.aftersales_channel, "phone")
        self.assertEqual(answer.partner_id, self.user_sales.partner_id, "staff enter the answers")
        self.assertEqual(answer.nickname, self.customer.name)
        self.assertEqual(action["url"], answer.get_start_url())
        self.answer_rating(answer, 4)
        self.assertEqual(ticket.evaluation_state, "evaluated")
        self.assertFalse(self.phone_call(ticket), "the planned call is done")
        ticket.action_close()
        self.assertEqual(ticket.state, "closed")

    def test_phone_evaluation_only_once_the_work_is_done(self):
        ticket = self.new_ticket(request_type="consultation")
        with self.assertRaisesRegex(UserError, "once the work is done"):
            ticket.action_record_phone_evaluation()

    def test_evaluated_on_site_is_not_asked_again(self):
        ticket, form = self.dispatched_ticket()
        action = form.with_user(self.user_tech).action_fill_survey_on_site()
        answer = ticket.sudo().survey_user_input_ids
        self.assertEqual((answer.aftersales_channel, action["url"]), ("on_site", answer.get_start_url()))
        self.answer_rating(answer, 5)
        self.finish(form)
        self.assertEqual(ticket.state, "done")
        self.assertEqual(len(ticket.sudo().survey_user_input_ids), 1, "no second invitation by email")
        self.assertFalse(self.phone_call(ticket))
        ticket.action_close()
        self.assertEqual(ticket.state, "closed")

    def test_the_evaluation_channel_is_set_by_the_invitation_only(self):
        ticket = self.done_ticket()
        answer = ticket.sudo().survey_user_input_ids
        self.assertEqual(answer.aftersales_channel, "email")
        with self.assertRaises(AccessError):
            answer.with_user(self.user_sales).sudo(False).write({"aftersales_channel": "on_site"})

    def test_a_reported_breach_alerts_the_manager(self):
        ticket = self.done_ticket()
        answer = ticket.sudo().survey_user_input_ids
        self.choose(answer, "courtesy", "Yes")
        self.choose(answer, "money", "Yes")
        self.answer_rating(answer, 5)
        alert = ticket.activity_ids.filtered(lambda act: act.summary == "Service standard breach reported")
        self.assertEqual(alert.user_id, self.user_manager)
        self.assertIn("money, gifts", str(alert.note))
        self.assertNotIn("courteous", str(alert.note), "only the answers that report a breach")

    def test_the_questionnaire_asks_what_the_policy_checks(self):
        titles = self.survey.question_ids.mapped("title")
        for words in ("courteous", "money, gifts", "arrive at the time", "problem solved", "operate and maintain"):
            self.assertTrue([title for title in titles if words in title], words)


@tagged("post_install", "-at_install")
@freeze_time("2026-01-15 09:00:00")
class TestSatisfactionAnalysis(AftersalesSurveyCommon):
    def test_satisfaction_per_technician_product_and_month(self):
        ticket, form = self.dispatched_ticket()
        form.with_user(self.user_tech).action_fill_survey_on_site()
        self.answer_rating(ticket.sudo().survey_user_input_ids, 4)
        self.env.flush_all()
        Analysis = self.env["aftersales.satisfaction.analysis"].with_user(self.user_quality)
        rows = Analysis.search([("ticket_id", "=", ticket.id)])
        self.assertEqual(len(rows), 1)
        self.assertEqual(
            (rows.technician_id, rows.product_id, rows.channel, rows.score, rows.breach_pct),
            (self.user_tech, ticket.product_id, "on_site", 80.0, 0.0),
        )
        groups = Analysis._read_group(
            [("ticket_id", "=", ticket.id)], ["technician_id", "product_id", "date:month"], ["score:avg"]
        )
        self.assertEqual(groups[0][0], self.user_tech)
        self.assertEqual(groups[0][3], 80.0)
        with self.assertRaises(AccessError):
            self.env["aftersales.satisfaction.analysis"].with_user(self.user_sales).search([])
