from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PNG_PIXEL, AftersalesCommon


@tagged("post_install", "-at_install")
class TestQualityReview(AftersalesCommon):
    """总结季度维护内容…上报相关部门分析讨论,避免以后设备出现类似问题 (P3 std 6): the departments'
    conclusions and corrective actions, each with an owner and a due date, tracked to closure."""

    def new_review(self):
        Review = self.env["aftersales.quality.review"].with_user(self.user_quality)
        return Review.create(
            {
                "year": 2026,
                "quarter": "1",
                "departments": "Quality, Engineering, Production",
                "conclusions": "<p>Seal leaks on the pumps: the seal batch of January is soft.</p>",
            }
        )

    def test_actions_are_tracked_until_the_review_closes(self):
        review = self.new_review()
        action = (
            self.env["aftersales.corrective.action"]
            .with_user(self.user_quality)
            .create(
                {
                    "review_id": review.id,
                    "name": "Change the seal supplier",
                    "user_id": self.user_sales.id,
                    "date_deadline": "2026-05-31",
                    "product_id": self.pump.id,
                }
            )
        )
        todo = action.activity_ids
        self.assertEqual((todo.user_id, todo.date_deadline), (self.user_sales, date(2026, 5, 31)))
        with self.assertRaisesRegex(UserError, "still has 1 corrective actions"):
            review.with_user(self.user_quality).action_close()
        with self.assertRaises(AccessError):
            action.with_user(self.user_tech).write({"result": "Not mine"})
        with self.assertRaises(AccessError):
            action.with_user(self.user_tech).action_done()
        with self.assertRaises(AccessError):
            action.with_user(self.user_sales).write({"date_deadline": "2026-12-31"})
        action.with_user(self.user_sales).result = "New supplier qualified; first batch tested."
        with freeze_time("2026-05-20"):
            self.assertIs(action.with_user(self.user_sales).action_done(), True)
        self.assertEqual((action.state, action.done_date), ("done", date(2026, 5, 20)))
        self.assertFalse(action.activity_ids, "the owner's to-do is done")
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            action.with_user(self.user_sales).write({"result": "Rewritten"})
        with self.assertRaises(AccessError):
            review.with_user(self.user_sales).action_close()
        review.with_user(self.user_quality).action_close()
        self.assertEqual((review.state, review.closed_by_id), ("closed", self.user_quality))
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            review.with_user(self.user_quality).write({"conclusions": "<p>Other</p>"})

    def test_a_review_closes_with_its_conclusions_only(self):
        review = self.new_review()
        review.conclusions = False
        with self.assertRaisesRegex(UserError, "Record the conclusions"):
            review.with_user(self.user_quality).action_close()

    def test_one_review_per_quarter(self):
        self.new_review()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.new_review()
            self.env.flush_all()

    def test_the_quarterly_summary_prints_conclusions_actions_and_repair_time(self):
        review = self.new_review()
        self.env["aftersales.corrective.action"].create(
            {
                "review_id": review.id,
                "name": "Harden the seal",
                "user_id": self.user_sales.id,
                "date_deadline": "2026-06-30",
            }
        )
        with freeze_time("2026-02-02 08:00:00"):
            ticket = self.new_ticket(request_type="consultation", review_note="<p>Visit</p>")
            ticket.action_submit_review()
            ticket.with_user(self.user_quality).action_approve()
            ticket.action_dispatch()
            form = ticket.dispatch_ids
        with freeze_time("2026-02-02 10:00:00"):
            form.with_user(self.user_tech).action_start()
        with freeze_time("2026-02-02 13:00:00"):
            form.with_user(self.user_tech).write({"signature": PNG_PIXEL, "signed_by": "Mr. Li"})
            form.with_user(self.user_tech).action_done()
        self.assertEqual(ticket.state, "done")
        self.env.flush_all()
        row = self.env["aftersales.ticket.analysis"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual((row.repair_hours, row.site_hours), (5.0, 3.0))
        summary = self.env["aftersales.quarter.summary"].create({"year": 2026, "quarter": "1"})
        figures = summary._summary()
        self.assertEqual(figures["review"], review)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("aftersales_service.action_report_quarter_summary", summary.ids)[0]
            .decode()
        )
        self.assertIn("Harden the seal", html)
        self.assertIn("Seal leaks on the pumps", html)
        self.assertIn("Average Hours to Repair", html)
