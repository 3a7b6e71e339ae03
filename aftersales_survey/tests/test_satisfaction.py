from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AftersalesSurveyCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-01-15 09:00:00")
class TestSatisfactionSurvey(AftersalesSurveyCommon):
    def test_done_ticket_invites_the_customer(self):
        ticket = self.done_ticket()
        answers = ticket.sudo().survey_user_input_ids
        self.assertEqual(len(answers), 1, "finishing the ticket creates one invitation")
        self.assertEqual((answers.survey_id, answers.partner_id, answers.state), (self.survey, self.customer, "new"))
        self.assertEqual(ticket.survey_answer_count, 1)
        invitation = ticket.message_ids.filtered(
            lambda message: self.customer in message.partner_ids and "How did we do?" in (message.subject or "")
        )
        self.assertEqual(len(invitation), 1, "the invitation is emailed to the customer from the ticket")
        work_done = ticket.message_ids.filtered(lambda message: "is done" in (message.subject or ""))
        self.assertFalse(work_done, "the invitation is the work-done message: one email, not two")
        self.assertIn(answers.access_token, invitation.body, "the email carries the customer's own survey link")

    def test_invitation_still_goes_when_the_work_done_message_is_off(self):
        self.company.aftersales_notify_done = False
        ticket = self.done_ticket()
        answers = ticket.sudo().survey_user_input_ids
        invitation = ticket.message_ids.filtered(lambda message: "How did we do?" in (message.subject or ""))
        self.assertEqual(len(invitation), 1, "the evaluation is mandatory (必须让用户填写满意度调查表)")
        self.assertIn(answers.access_token, invitation.body)

    def test_without_email_the_customer_is_called(self):
        self.customer.email = False
        ticket = self.done_ticket()
        self.assertEqual(ticket.state, "done")
        self.assertFalse(ticket.sudo().survey_user_input_ids)
        with self.assertRaisesRegex(UserError, "has no email address"):
            ticket.action_send_survey()
        call = ticket.activity_ids.filtered(
            lambda act: act.activity_type_id == self.env.ref("aftersales_survey.mail_activity_data_phone_evaluation")
        )
        self.assertEqual(call.user_id, self.user_sales, "the ticket's responsible calls the customer")
        self.assertEqual(call.activity_category, "phonecall")

    def test_resend_reuses_the_open_answer(self):
        ticket = self.done_ticket()
        self.assertIs(ticket.with_user(self.user_sales).action_send_survey(), True)
        self.assertEqual(len(ticket.sudo().survey_user_input_ids), 1, "the open answer is sent again, not duplicated")

    def test_low_score_posts_and_schedules_a_follow_up(self):
        ticket = self.done_ticket()
        answer = ticket.sudo().survey_user_input_ids
        self.answer_rating(answer, 2)
        self.assertEqual(answer.state, "done")
        self.assertEqual(ticket.satisfaction_score, 40.0, "2 out of 5 on the only scored question")
        self.assertTrue(ticket.message_ids.filtered(lambda message: "40.0%" in message.body))
        activity = ticket.activity_ids.filtered(lambda act: act.summary == "Low satisfaction score")
        self.assertEqual(activity.user_id, self.user_manager, "the company's after-sales manager follows up")

    def test_good_score_needs_no_follow_up(self):
        ticket = self.done_ticket()
        self.answer_rating(ticket.sudo().survey_user_input_ids, 5)
        self.assertEqual(ticket.satisfaction_score, 100.0)
        self.assertFalse(ticket.activity_ids.filtered(lambda act: act.summary == "Low satisfaction score"))

    def test_low_score_reaches_the_managers_when_none_is_named(self):
        self.company.aftersales_manager_id = False
        self.company.aftersales_low_score_threshold = 90.0
        ticket = self.done_ticket()
        self.answer_rating(ticket.sudo().survey_user_input_ids, 4)
        self.assertEqual(ticket.satisfaction_score, 80.0)
        activities = ticket.activity_ids.filtered(lambda act: act.summary == "Low satisfaction score")
        self.assertIn(self.user_manager, activities.user_id, "every after-sales manager of the company")
        self.assertNotIn(self.user_sales, activities.user_id, "not the salesperson whose service was scored")

    def test_latest_answer_gives_the_score(self):
        ticket = self.done_ticket()
        self.answer_rating(ticket.sudo().survey_user_input_ids, 1)
        with freeze_time("2026-01-20 10:00:00"):
            ticket.action_send_survey()
            second = ticket.sudo().survey_user_input_ids.filtered(lambda answer: answer.state == "new")
            self.assertEqual(len(second), 1, "a new answer once the first is completed")
            self.answer_rating(second, 4)
        self.assertEqual(ticket.satisfaction_score, 80.0)

    def test_fill_on_site_from_the_field_form(self):
        ticket = self.new_ticket(request_type="consultation")
        ticket.action_submit_review()
        ticket.review_note = "<p>Visit</p>"
        ticket.action_approve()
        ticket.action_dispatch()
        form = ticket.dispatch_ids
        form.technician_ids = self.user_tech
        form.with_user(self.user_tech).action_start()
        action = form.with_user(self.user_tech).action_fill_survey_on_site()
        self.assertEqual(action["type"], "ir.actions.act_url")
        answer = ticket.sudo().survey_user_input_ids
        self.assertEqual(len(answer), 1)
        self.assertEqual(answer.nickname, self.customer.name)
        self.assertEqual(action["url"], answer.get_start_url())
        self.assertIn(self.survey.access_token, action["url"])
        again = form.with_user(self.user_tech).action_fill_survey_on_site()
        self.assertEqual(again["url"], action["url"], "the same open answer is reused")

    def test_company_survey_setting(self):
        other_survey = self.survey.copy({"title": "Short Survey"})
        self.company.aftersales_survey_id = other_survey
        ticket = self.done_ticket()
        self.assertEqual(ticket.sudo().survey_user_input_ids.survey_id, other_survey)

    def test_a_customer_name_with_markup_stays_text_in_the_chatter(self):
        self.customer.name = "<script>alert('x')</script><img src=x onerror=alert(1)>"
        ticket = self.done_ticket()
        self.answer_rating(ticket.sudo().survey_user_input_ids, 2)
        note = ticket.message_ids.filtered(lambda message: "satisfaction survey" in message.body)[:1]
        self.assertIn("&lt;script&gt;", note.body)
        self.assertNotIn("<script", note.body)
        self.assertNotIn("<img", note.body)
