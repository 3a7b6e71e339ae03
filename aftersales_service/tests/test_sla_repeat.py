from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestResponseSla(AftersalesCommon):
    def test_deadline_follows_the_company_hours(self):
        self.company.aftersales_response_hours = 8
        ticket = self.new_ticket(request_date="2026-01-15 09:00:00")
        self.assertEqual(ticket.response_deadline, datetime(2026, 1, 15, 17, 0))

    def _office_hours(self):
        """Mon-Fri 08:00-12:00 and 13:00-17:00 UTC, with a public holiday on Monday 19 January."""
        calendar = self.env["resource.calendar"].create(
            {
                "name": "Office hours",
                "tz": "UTC",
                "attendance_ids": [
                    (0, 0, {"name": f"{day} {start}", "dayofweek": str(day), "hour_from": start, "hour_to": end})
                    for day in range(5)
                    for start, end in ((8, 12), (13, 17))
                ],
            }
        )
        return calendar

    def test_deadline_counts_working_hours_of_the_calendar(self):
        self.company.aftersales_response_calendar_id = self._office_hours()
        # Friday 15:00: 2 h on Friday, 8 h Monday and Tuesday, 6 h on Wednesday.
        ticket = self.new_ticket(request_date="2026-01-16 15:00:00")
        self.assertEqual(ticket.response_deadline, datetime(2026, 1, 21, 15, 0))

    def test_deadline_skips_public_holidays(self):
        calendar = self._office_hours()
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": calendar.id,
                "date_from": "2026-01-19 00:00:00",
                "date_to": "2026-01-19 23:59:59",
            }
        )
        self.company.aftersales_response_calendar_id = calendar
        ticket = self.new_ticket(request_date="2026-01-16 15:00:00")
        self.assertEqual(ticket.response_deadline, datetime(2026, 1, 22, 15, 0))

    def test_without_calendar_the_clock_runs_round_the_clock(self):
        self.company.aftersales_response_calendar_id = False
        ticket = self.new_ticket(request_date="2026-01-16 15:00:00")
        self.assertEqual(ticket.response_deadline, datetime(2026, 1, 17, 15, 0))

    def test_breach_gets_one_manager_activity(self):
        self.company.aftersales_manager_id = self.user_manager
        with freeze_time("2026-01-15 09:00:00"):
            late = self.new_ticket()
            answered = self.new_ticket()
            answered.message_post(body="We come tomorrow", message_type="comment", subtype_xmlid="mail.mt_comment")
        Ticket = self.env["aftersales.ticket"]
        with freeze_time("2026-01-16 08:59:00"):
            Ticket._cron_flag_response_breaches()
        self.assertFalse(late.response_breached, "not overdue before 24 h")
        with freeze_time("2026-01-16 09:01:00"):
            Ticket._cron_flag_response_breaches()
            Ticket._cron_flag_response_breaches()
        self.assertTrue(late.response_breached)
        self.assertFalse(answered.response_breached)
        activities = late.activity_ids.filtered(lambda a: a.summary == "Response overdue")
        self.assertEqual(len(activities), 1, "one activity, however often the cron runs")
        self.assertEqual(activities.user_id, self.user_manager)
        self.assertIn(late, Ticket.search([("response_breached", "=", True)]))

    def test_a_run_of_many_gives_each_manager_the_to_do_create_gives(self):
        """The job writes its to-dos in bulk: each is the activity ``mail.activity.create``
        makes of the same values (document name, note, time zone, state, follower), one per
        ticket and manager, and a rerun adds none."""
        self.company.aftersales_manager_id = False  # every after-sales manager of the company
        self.user_manager.tz = "Asia/Shanghai"
        managers = self.company._aftersales_escalation_users("manager")
        self.assertGreaterEqual(len(managers), 1)
        with freeze_time("2026-01-15 09:00:00"):
            late = self.env["aftersales.ticket"].create(
                [{"partner_id": self.customer.id, "title": f"Late {index}"} for index in range(4)]
            )
            reference = self.new_ticket()  # answered: its to-dos are made by create below
            reference.message_post(body="We come tomorrow", message_type="comment", subtype_xmlid="mail.mt_comment")
        Ticket = self.env["aftersales.ticket"]
        with freeze_time("2026-01-16 09:01:00"):
            created = self.env["mail.activity"].create(
                [
                    {
                        "res_model_id": self.env["ir.model"]._get_id("aftersales.ticket"),
                        "res_id": reference.id,
                        "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                        "summary": "Response overdue",
                        "note": f"{reference.name} was not answered within 24 hours.",
                        "user_id": manager.id,
                        "date_deadline": "2026-01-16",
                    }
                    for manager in managers
                ]
            )
            Ticket._cron_flag_response_breaches(batch_size=3)
            Ticket._cron_flag_response_breaches()
            self.env.invalidate_all()
            compared = ("res_model", "summary", "user_id", "user_tz", "date_deadline", "automated", "active", "state")
            for ticket in late | reference:
                todos = ticket.activity_ids.filtered(lambda activity: activity.summary == "Response overdue")
                self.assertEqual(sorted(todos.user_id.ids), sorted(managers.ids), "one per manager, once")
                self.assertLessEqual(managers.partner_id, ticket.message_partner_ids, "each manager follows it")
                if ticket == reference:
                    continue
                for todo in todos:
                    expected = created.filtered(lambda activity, todo=todo: activity.user_id == todo.user_id)
                    self.assertEqual(dict(todo.read(compared)[0], id=None), dict(expected.read(compared)[0], id=None))
                    self.assertEqual(todo.res_name, ticket.display_name)
                    self.assertEqual(str(todo.note), str(expected.note).replace(reference.name, ticket.name))
                    self.assertEqual(todo.activity_type_id, expected.activity_type_id)
            self.assertEqual(late.mapped("activity_state"), ["today"] * 4)

    def test_late_answer_is_a_breach(self):
        with freeze_time("2026-01-15 09:00:00"):
            ticket = self.new_ticket()
        with freeze_time("2026-01-17 09:00:00"):
            ticket.message_post(
                body="We are sorry for the wait", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertTrue(ticket.response_breached)

    def test_handing_to_quality_is_not_an_answer(self):
        with freeze_time("2026-01-15 09:00:00"):
            ticket = self.new_ticket()
            ticket.action_submit_review()
        self.assertFalse(ticket.first_response_date)
        with freeze_time("2026-01-17 09:00:00"):
            self.env["aftersales.ticket"]._cron_flag_response_breaches()
        self.assertTrue(ticket.response_breached, "the customer heard nothing within 24 hours")

    def test_a_logged_phone_call_is_the_first_response(self):
        with freeze_time("2026-01-15 09:00:00"):
            ticket = self.new_ticket(user_id=self.user_sales.id)
            call = ticket.activity_schedule("mail.mail_activity_data_call", user_id=self.user_sales.id)
        with freeze_time("2026-01-15 15:00:00"):
            call.with_user(self.user_sales).action_feedback(feedback="Told the customer we replace the seal on Monday")
        self.assertEqual(ticket.first_response_date, datetime(2026, 1, 15, 15, 0))
        self.assertFalse(ticket.response_breached)

    def test_reply_to_the_customer_is_the_first_response(self):
        with freeze_time("2026-01-15 09:00:00"):
            ticket = self.new_ticket()
        with freeze_time("2026-01-15 11:00:00"):
            ticket.message_post(body="Internal note", message_type="comment", subtype_xmlid="mail.mt_note")
            self.assertFalse(ticket.first_response_date, "an internal note is not an answer")
            ticket.message_post(body="We will come tomorrow", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.assertEqual(ticket.first_response_date, datetime(2026, 1, 15, 11, 0))
        self.assertFalse(ticket.response_breached)


@tagged("post_install", "-at_install")
class TestRepeatAndMajor(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.aftersales_quality_user_id = cls.user_quality
        cls.lot = cls.deliver_serial(cls.sell(), "SN-REP-1")

    def _finished(self, when, **values):
        with freeze_time(when):
            ticket = self.new_ticket(fault_category_id=self.fault.id, request_type="consultation", **values)
            ticket.write({"state": "done", "done_date": when})
        return ticket

    def test_same_serial_same_fault_within_window_is_a_repeat(self):
        first = self._finished("2026-01-01 10:00:00", lot_id=self.lot.id)
        with freeze_time("2026-03-01 10:00:00"):
            second = self.new_ticket(lot_id=self.lot.id, fault_category_id=self.fault.id)
        self.assertTrue(second.is_repeat)
        self.assertEqual(second.repeat_of_id, first)
        todo = second.activity_ids.filtered(lambda a: a.summary == "Repeat repair")
        self.assertEqual(todo.user_id, self.user_quality, "quality is notified")

    def test_outside_the_window_or_other_fault_is_not_a_repeat(self):
        self._finished("2026-01-01 10:00:00", lot_id=self.lot.id)
        with freeze_time("2026-04-15 10:00:00"):
            late = self.new_ticket(lot_id=self.lot.id, fault_category_id=self.fault.id)
            other_fault = self.env["aftersales.fault.category"].create({"name": "Other"})
            different = self.new_ticket(lot_id=self.lot.id, fault_category_id=other_fault.id)
        self.assertFalse(late.is_repeat, "105 days > 90-day window")
        self.assertFalse(different.is_repeat)

    def test_without_serial_customer_and_product_decide(self):
        first = self._finished("2026-01-01 10:00:00", product_id=self.seal.id)
        with freeze_time("2026-01-20 10:00:00"):
            same = self.new_ticket(product_id=self.seal.id, fault_category_id=self.fault.id)
            other = self.new_ticket(
                product_id=self.seal.id, fault_category_id=self.fault.id, partner_id=self.other_customer.id
            )
        self.assertEqual(same.repeat_of_id, first)
        self.assertFalse(other.is_repeat)

    def test_setting_the_fault_later_flags_and_notifies(self):
        self._finished("2026-01-01 10:00:00", lot_id=self.lot.id)
        with freeze_time("2026-01-10 10:00:00"):
            ticket = self.new_ticket(lot_id=self.lot.id)
            self.assertFalse(ticket.is_repeat)
            ticket.fault_category_id = self.fault
        self.assertTrue(ticket.is_repeat)
        self.assertEqual(len(ticket.activity_ids.filtered(lambda a: a.summary == "Repeat repair")), 1)

    def test_major_issue_escalates_to_quality(self):
        ticket = self.new_ticket()
        self.flush_tracking()  # records created in the same transaction are not tracked
        ticket.is_major = True
        todo = ticket.activity_ids.filtered(lambda a: a.summary == "Major quality issue")
        self.assertEqual(todo.user_id, self.user_quality)
        ticket.major_outcome = "Supplier changed the bearing batch."
        self.flush_tracking()
        self.assertIn("major_outcome", ticket.message_ids.tracking_value_ids.field_id.mapped("name"))


@tagged("post_install", "-at_install")
class TestPossibleRepeat(AftersalesCommon):
    """不允许同一问题重复修理 (P3 std 3, P6 三.6): without a fault category, quality confirms."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.aftersales_quality_user_id = cls.user_quality
        cls.lot = cls.deliver_serial(cls.sell(), "SN-POSSIBLE-1")

    def _finished(self, when, **values):
        with freeze_time(when):
            ticket = self.new_ticket(request_type="consultation", **values)
            ticket.write({"state": "done", "done_date": when})
        return ticket

    def _possible_todo(self, ticket):
        return ticket.activity_ids.filtered(lambda a: a.summary == "Possible repeat repair")

    def test_without_fault_category_quality_confirms_the_repeat(self):
        first = self._finished("2026-01-01 10:00:00", lot_id=self.lot.id)
        with freeze_time("2026-02-01 10:00:00"):
            second = self.new_ticket(lot_id=self.lot.id)
        self.assertFalse(second.is_repeat)
        self.assertEqual(second.possible_repeat_of_id, first)
        self.assertEqual(self._possible_todo(second).user_id, self.user_quality)
        with self.assertRaises(AccessError):
            second.with_user(self.user_sales).action_confirm_repeat()
        with self.assertRaises(AccessError):
            second.with_user(self.user_quality).write({"repeat_decision": "dismissed"})
        self.assertIs(second.with_user(self.user_quality).action_confirm_repeat(), True)
        self.assertEqual((second.is_repeat, second.repeat_of_id), (True, first))
        self.assertFalse(self._possible_todo(second), "the to-do is done")
        with self.assertRaisesRegex(UserError, "no possible repeat to decide"):
            second.with_user(self.user_quality).action_dismiss_repeat()

    def test_quality_dismisses_a_different_problem(self):
        self._finished("2026-01-01 10:00:00", product_id=self.seal.id)
        with freeze_time("2026-01-20 10:00:00"):
            second = self.new_ticket(product_id=self.seal.id, fault_category_id=self.fault.id)
        self.assertTrue(second.possible_repeat_of_id, "the earlier one has no fault category")
        second.with_user(self.user_quality).action_dismiss_repeat()
        self.assertEqual((second.is_repeat, second.repeat_decision), (False, "dismissed"))

    def test_the_window_is_a_setting_and_zero_means_no_limit(self):
        first = self._finished("2024-01-01 10:00:00", lot_id=self.lot.id, fault_category_id=self.fault.id)
        with freeze_time("2026-01-20 10:00:00"):
            self.company.aftersales_repeat_days = 90
            late = self.new_ticket(lot_id=self.lot.id, fault_category_id=self.fault.id)
            self.company.aftersales_repeat_days = 0
            unlimited = self.new_ticket(lot_id=self.lot.id, fault_category_id=self.fault.id)
        self.assertFalse(late.is_repeat)
        self.assertEqual(unlimited.repeat_of_id, first)
