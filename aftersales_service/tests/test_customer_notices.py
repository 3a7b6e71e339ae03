from freezegun import freeze_time

from odoo.tests import tagged

from .common import PNG_PIXEL, AftersalesCommon

PLAN = "<p>Replace the seal kit on site.</p>"
SWITCHES = ("registered", "quotation", "dispatched", "done", "closed")


@tagged("post_install", "-at_install")
@freeze_time("2026-01-15 09:00:00")
class TestCustomerNotices(AftersalesCommon):
    """What the customer hears from the ticket itself: registration, quotation, dispatch, work done,
    closing; each switchable per company, in the customer's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({f"aftersales_notify_{event}": True for event in SWITCHES})
        cls.customer.tz = "Asia/Shanghai"
        cls.user_tech.name = "Li Wei"

    def notices(self, ticket):
        """The automated messages the ticket sent to its customer, oldest first."""
        return ticket.message_ids.filtered(
            lambda message: self.customer in message.partner_ids and message.message_type == "auto_comment"
        ).sorted("id")

    def free_ticket_through_review(self):
        ticket = self.new_ticket(request_type="consultation", review_note=PLAN, requested_arrival="2026-01-16 02:30:00")
        ticket.action_submit_review()
        ticket.with_user(self.user_quality).action_approve()
        return ticket

    def finish(self, ticket):
        form = ticket.dispatch_ids
        form.action_start()
        form.write({"signature": PNG_PIXEL, "signed_by": "Li Wei"})
        form.action_done()

    def test_each_step_tells_the_customer(self):
        ticket = self.free_ticket_through_review()
        (registered,) = self.notices(ticket)
        self.assertIn(ticket.name, registered.subject)
        self.assertIn(ticket.name, registered.body)
        self.assertFalse(ticket.first_response_date, "an automatic acknowledgement is not the 24-hour answer")
        ticket.action_dispatch()
        dispatched = self.notices(ticket)[-1]
        self.assertIn("Li Wei", dispatched.body, "who comes")
        self.assertIn("Jan 16, 2026", dispatched.body, "the day, in the customer's time zone")
        self.assertIn("10:30", dispatched.body, "the hour, in the customer's time zone (UTC+8)")
        self.finish(ticket)
        self.assertEqual(ticket.state, "done")
        self.assertEqual(len(self.notices(ticket)), 3, "work done (with the survey link when surveys are used)")
        self.assertIn(ticket.name, self.notices(ticket)[-1].subject)
        self.waive_evaluation(ticket)
        ticket.action_close()
        closed = self.notices(ticket)[-1]
        self.assertIn("is closed", closed.subject)
        self.assertEqual(len(self.notices(ticket)), 4)

    def test_a_batch_acknowledges_each_request_through_the_mail_queue(self):
        mail_queue = self.env.ref("mail.ir_cron_mail_scheduler_action")
        job = self.env.ref("aftersales_service.ir_cron_aftersales_registration_notice")
        Trigger = self.env["ir.cron.trigger"]
        queue_triggers = Trigger.search_count([("cron_id", "=", mail_queue.id)])
        job_triggers = Trigger.search_count([("cron_id", "=", job.id)])
        Ticket = self.env["aftersales.ticket"]
        tickets = Ticket.create([{"partner_id": self.customer.id, "title": f"Batch {index}"} for index in range(3)])
        self.assertEqual(Trigger.search_count([("cron_id", "=", job.id)]), job_triggers + 1, "the job is woken")
        self.assertFalse(tickets.message_ids.filtered(lambda message: message.message_type == "auto_comment"))
        Ticket._cron_send_registration_notices()
        Ticket._cron_send_registration_notices()  # each request is acknowledged once
        for ticket in tickets:
            (registered,) = self.notices(ticket)
            self.assertIn(ticket.name, registered.subject, "each request its own reference")
            self.assertIn(ticket.name, registered.body)
            self.assertEqual(registered.mail_ids.mapped("state"), ["outgoing"], "queued, not sent one by one")
        woken = Trigger.search_count([("cron_id", "=", mail_queue.id)])
        self.assertEqual(woken, queue_triggers + 1, "the queue is woken once")
        single = self.new_ticket()
        self.assertNotEqual(self.notices(single).mail_ids.mapped("state"), ["outgoing"], "one request: sent at once")

    def test_quotation_ready_links_the_quotation(self):
        ticket = self.new_ticket(product_id=self.pump.id, review_note=PLAN, planned_labour_hours=2)
        ticket.action_submit_review()
        ticket.with_user(self.user_quality).action_approve()
        self.assertEqual(len(self.notices(ticket)), 1, "nothing before the head of after-sales approved the price")
        ticket.with_user(self.user_manager).action_approve_quotation()
        ready = self.notices(ticket)[-1]
        self.assertIn(ticket.quotation_id.name, ready.body)
        self.assertIn(ticket.quotation_id.access_token, ready.body, "the customer's own link to accept it")

    def test_none_when_switched_off(self):
        self.company.write({f"aftersales_notify_{event}": False for event in SWITCHES})
        ticket = self.free_ticket_through_review()
        ticket.action_dispatch()
        self.finish(ticket)
        self.waive_evaluation(ticket)
        ticket.action_close()
        self.assertEqual(ticket.state, "closed")
        self.assertFalse(self.notices(ticket))

    def test_each_switch_is_its_own(self):
        self.company.aftersales_notify_registered = False
        ticket = self.free_ticket_through_review()
        self.assertFalse(self.notices(ticket))
        ticket.action_dispatch()
        self.assertEqual(len(self.notices(ticket)), 1, "the dispatch is still announced")

    def test_other_companys_switch_does_not_apply(self):
        other = self.env["res.company"].create({"name": "Second Branch", "aftersales_notify_registered": False})
        ticket = self.new_ticket(company_id=other.id)
        self.assertFalse(self.notices(ticket))
        self.assertTrue(self.notices(self.new_ticket()))

    def test_no_email_no_message(self):
        self.customer.email = False
        self.assertFalse(self.notices(self.new_ticket()))

    def test_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["aftersales_service"], ["zh_CN"], overwrite=True)
        self.customer.lang = "zh_CN"
        ticket = self.new_ticket()
        (registered,) = self.notices(ticket)
        self.assertIn("售后服务单", registered.subject)
        self.assertIn("已登记", registered.body)
        self.assertIn(ticket.name, registered.body)
        self.customer.lang = "en_US"
        (registered,) = self.notices(self.new_ticket())
        self.assertIn("We have registered your request", registered.body)
