"""Each decision by the person the policy names: the department head approves paid-service
quotations, sales files the signed form, the office chooses the technicians, and escalations
reach the quality department or the managers even when no single person is configured."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import PNG_PIXEL, AftersalesCommon

TODO = "mail.mail_activity_data_todo"


@tagged("post_install", "-at_install")
class TestWhoDecides(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Nobody named in the settings: escalations must still reach the departments.
        cls.company.write({"aftersales_manager_id": False, "aftersales_quality_user_id": False})
        cls.other_tech = new_test_user(cls.env, "as_tech2", groups="aftersales_service.group_aftersales_technician")

    def _approved(self, **values):
        ticket = self.new_ticket(review_note="<p>Plan</p>", **values)
        ticket.action_submit_review()
        ticket.with_user(self.user_quality).action_approve()
        return ticket

    def _todo_users(self, record, summary):
        return record.activity_ids.filtered(lambda act: act.summary == summary).user_id

    # Paid-service quotation: 报价由售后服务部长审核 ----------------------------------

    def test_the_quotation_reaches_the_customer_only_once_the_department_head_approved_it(self):
        ticket = self._approved(product_id=self.pump.id, planned_labour_hours=1)
        order = ticket.quotation_id
        self.assertEqual((ticket.state, order.state), ("quotation", "draft"))
        for step in (order.action_quotation_send, order.action_quotation_sent, order.action_confirm):
            with self.assertRaisesRegex(UserError, "department head's approval"):
                step()
        self.assertEqual(order.state, "draft")
        with self.assertRaises(AccessError):
            ticket.with_user(self.user_quality).action_approve_quotation()
        self.assertFalse(ticket.quotation_approved_by_id)
        ticket.with_user(self.user_manager).action_approve_quotation()
        self.assertEqual(ticket.quotation_approved_by_id, self.user_manager)
        self.assertTrue(ticket.quotation_approved_date)
        with self.assertRaisesRegex(UserError, "already approved"):
            ticket.with_user(self.user_manager).action_approve_quotation()
        order.action_confirm()
        self.assertEqual(ticket.state, "ready", "the customer's acceptance releases the dispatch")

    # Dispatch: the office chooses who goes ----------------------------------------

    def test_dispatch_asks_for_the_technicians_and_sends_them_not_the_dispatcher(self):
        ticket = self._approved(
            request_type="consultation", technician_ids=[Command.clear()], user_id=self.user_sales.id
        )
        with self.assertRaisesRegex(UserError, "Choose the technicians"):
            ticket.with_user(self.user_sales).action_dispatch()
        self.assertEqual(ticket.state, "ready")
        ticket.technician_ids = self.user_tech | self.other_tech
        ticket.with_user(self.user_sales).action_dispatch()
        form = ticket.dispatch_ids
        self.assertEqual(form.technician_ids, self.user_tech | self.other_tech)
        self.assertNotIn(self.user_sales, form.technician_ids)

    # Filing: 备案 by sales, never by the technician who did the work -----------------

    def test_sales_files_the_signed_form_not_its_technician(self):
        ticket = self._approved(request_type="consultation", user_id=self.user_sales.id)
        ticket.action_dispatch()
        form = ticket.dispatch_ids
        form.with_user(self.user_tech).write({"travel_start": fields.Datetime.now() - timedelta(hours=1)})
        form.with_user(self.user_tech).action_start()
        form.with_user(self.user_tech).write({"signature": PNG_PIXEL, "signed_by": "Mr. Zhang", "travel_cost": 80})
        form.with_user(self.user_tech).action_done()
        form.with_user(self.user_tech).write({"travel_return": fields.Datetime.now() + timedelta(hours=1)})
        with self.assertRaisesRegex(AccessError, "sales files it, not its technicians"):
            form.with_user(self.user_tech).action_file()
        self.assertEqual(form.state, "done")
        self.assertFalse(form.is_reimbursable, "the technician made nothing reimbursable")
        form.with_user(self.user_sales).action_file()
        self.assertEqual((form.state, form.filed_by_id), ("filed", self.user_sales))
        self.assertTrue(form.filed_date)
        self.assertTrue(form.is_reimbursable)

    # Escalations reach the department -------------------------------------------------

    def test_a_repeat_repair_reaches_the_quality_department_not_the_salesperson(self):
        done = self._approved(product_id=self.seal.id, request_type="consultation", fault_category_id=self.fault.id)
        done.action_done()
        repeat = self.new_ticket(
            product_id=self.seal.id, fault_category_id=self.fault.id, user_id=self.user_sales.id, title="Again"
        )
        self.assertTrue(repeat.is_repeat)
        to_do = self._todo_users(repeat, "Repeat repair")
        self.assertIn(self.user_quality, to_do)
        self.assertNotIn(self.user_sales, to_do, "the salesperson is not the quality department")
        self.assertFalse(to_do.filtered("share"))

    def test_a_named_quality_reviewer_receives_it_alone(self):
        self.company.aftersales_quality_user_id = self.user_quality
        ticket = self.new_ticket(user_id=self.user_sales.id)
        ticket.is_major = True
        self.assertEqual(self._todo_users(ticket, "Major quality issue"), self.user_quality)

    def test_a_change_request_asks_the_managers(self):
        ticket = self._approved(request_type="consultation")
        ticket.action_dispatch()
        form = ticket.dispatch_ids
        form.with_user(self.user_tech).action_start()
        self.env["aftersales.change.request"].with_user(self.user_tech).create(
            {"dispatch_id": form.id, "request_type": "alternative", "reason": "Replace the whole unit"}
        )
        managers = self._todo_users(form, "Change request to decide")
        self.assertIn(self.user_manager, managers)
        self.assertNotIn(self.user_tech, managers)
        self.assertNotIn(self.user_quality, managers, "请示公司: the managers decide, not quality")

    def test_an_overdue_answer_reaches_the_managers(self):
        ticket = self.new_ticket(user_id=self.user_sales.id, request_date="2020-01-01 08:00:00")
        self.env["aftersales.ticket"]._cron_flag_response_breaches()
        self.assertTrue(ticket.response_breached)
        managers = self._todo_users(ticket, "Response overdue")
        self.assertIn(self.user_manager, managers)
        self.assertNotIn(self.user_sales, managers)
