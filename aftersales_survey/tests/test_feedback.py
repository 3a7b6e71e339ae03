from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AftersalesSurveyCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-01-15 09:00:00")
class TestFeedback(AftersalesSurveyCommon):
    def new_feedback(self, **values):
        values = {
            "partner_id": self.key_customer.id,
            "kind": "complaint",
            "severity": "minor",
            "description": "The technician arrived two hours late.",
            "user_id": self.user_sales.id,
            **values,
        }
        return self.env["aftersales.feedback"].with_user(self.user_sales).create(values)

    def _letter_html(self, feedback):
        """The result letter (函告该客户) as it is printed."""
        report = self.env["ir.actions.report"]
        return report._render_qweb_html("aftersales_survey.report_aftersales_feedback", feedback.ids)[0].decode()

    def quality_activity(self, feedback):
        return feedback.activity_ids.filtered(lambda act: act.user_id == self.user_quality)

    def test_major_goes_to_quality(self):
        feedback = self.new_feedback(severity="major")
        self.assertRegex(feedback.name, r"^FB\d{4}/\d{5}$")
        self.assertEqual(len(self.quality_activity(feedback)), 1, "the quality reviewer gets a To-Do")
        minor = self.new_feedback()
        self.assertFalse(minor.activity_ids)
        minor.severity = "major"
        self.assertEqual(len(self.quality_activity(minor)), 1, "escalating to major notifies quality too")
        minor.severity = "major"
        self.assertEqual(len(self.quality_activity(minor)), 1, "only once")

    def test_only_quality_calls_a_major_complaint_minor(self):
        feedback = self.new_feedback(severity="major")
        with self.assertRaisesRegex(AccessError, "Quality Reviewer may downgrade"):
            feedback.with_user(self.user_sales).write({"severity": "minor"})
        self.assertEqual(feedback.severity, "major")
        feedback.with_user(self.user_quality).write({"severity": "minor"})
        self.assertEqual(feedback.severity, "minor")

    def test_answered_on_the_same_24_hour_clock_as_requests(self):
        feedback = self.new_feedback()
        self.assertEqual(feedback.response_deadline, datetime(2026, 1, 16, 9, 0))
        feedback.with_user(self.user_sales).message_post(
            body="Asked the technician", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.assertFalse(feedback.first_response_date, "an internal note is not an answer")
        with freeze_time("2026-01-16 10:00:00"):
            self.env["aftersales.feedback"]._cron_flag_response_breaches()
            self.env["aftersales.feedback"]._cron_flag_response_breaches()
        self.assertTrue(feedback.response_breached)
        overdue = feedback.activity_ids.filtered(lambda act: act.summary == "Response overdue")
        self.assertEqual(overdue.user_id, self.user_manager, "once, for the after-sales manager")
        with freeze_time("2026-01-16 11:00:00"):
            feedback.with_user(self.user_sales).message_post(
                body="We are sorry: the next visit is on time.", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertEqual(feedback.first_response_date, datetime(2026, 1, 16, 11, 0))
        self.assertTrue(feedback.response_breached, "answered, but late")

    def test_an_answer_within_24_hours_is_in_time(self):
        feedback = self.new_feedback()
        with freeze_time("2026-01-15 15:00:00"):
            feedback.with_user(self.user_sales).message_post(
                body="We call you tomorrow", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertFalse(feedback.response_breached)
        with freeze_time("2026-01-17 09:00:00"):
            self.env["aftersales.feedback"]._cron_flag_response_breaches()
        self.assertFalse(feedback.response_breached)

    def test_close_needs_a_result(self):
        feedback = self.new_feedback()
        with self.assertRaisesRegex(UserError, "Write the result"):
            feedback.action_close()
        self.assertEqual(feedback.state, "new")

    def test_a_card_dropped_on_a_column_runs_that_columns_action(self):
        feedback = self.new_feedback()
        feedback.write({"state": "in_progress"})
        self.assertEqual(feedback.state, "in_progress")
        with self.assertRaisesRegex(UserError, "Write the result"):
            feedback.write({"state": "closed"})
        with self.assertRaisesRegex(UserError, "cannot go from In Progress to New"):
            feedback.write({"state": "new"})
        feedback.resolution = "We apologised and planned the next visit earlier."
        feedback.write({"state": "closed"})
        self.assertEqual(feedback.state, "closed")
        feedback.write({"state": "in_progress"})
        self.assertEqual((feedback.state, feedback.close_date), ("in_progress", False), "reopened")

    def test_major_closes_with_a_result_letter(self):
        feedback = self.new_feedback(severity="major")
        feedback.action_start()
        feedback.resolution = "We replaced the impeller under warranty and retrained the team."
        with self.assertRaises(AccessError):
            feedback.with_user(self.user_sales).action_close()
        self.assertIs(feedback.with_user(self.user_quality).action_close(), True)
        self.assertEqual(feedback.state, "closed")
        self.assertTrue(feedback.close_date)
        letter = feedback.message_ids.filtered(lambda message: self.key_customer in message.partner_ids)
        self.assertEqual(len(letter), 1, "the result letter is emailed to the customer (函告该客户)")
        self.assertEqual(len(letter.attachment_ids), 1, "with the result letter attached")
        self.assertIn(feedback.name, letter.attachment_ids.name)
        self.assertFalse(self.quality_activity(feedback), "the quality To-Do is done")
        with self.assertRaisesRegex(UserError, "You cannot close"):
            feedback.action_close()

    def test_result_letter_renders(self):
        feedback = self.new_feedback(severity="major", resolution="Replaced.")
        html = self._letter_html(feedback)
        self.assertIn("Replaced.", html)
        self.assertIn(feedback.name, html)
        self.assertNotIn("About:", html, "no service request to name")

    def test_result_letter_names_the_service_request_and_product(self):
        ticket = self.env["aftersales.ticket"].create(
            {"partner_id": self.key_customer.id, "title": "Noisy pump", "product_id": self.service_product.id}
        )
        feedback = self.env["aftersales.feedback"].create(
            {"partner_id": self.key_customer.id, "kind": "complaint", "description": "Noisy", "ticket_id": ticket.id}
        )
        html = self._letter_html(feedback)
        self.assertIn(ticket.name, html)
        self.assertIn(self.service_product.name, html)

    def test_minor_closed_by_sales_notifies_the_customer(self):
        feedback = self.new_feedback(kind="suggestion", description="Add a drain valve.")
        feedback.resolution = "Passed to engineering; the next series has one."
        self.assertIs(feedback.with_user(self.user_sales).action_close(), True)
        notice = feedback.message_ids.filtered(lambda message: self.key_customer in message.partner_ids)
        self.assertEqual(len(notice), 1)
        self.assertIn("Passed to engineering", notice.body)
        self.assertFalse(notice.attachment_ids, "minor ones need no letter")
        feedback.action_reopen()
        self.assertEqual(feedback.state, "in_progress")
