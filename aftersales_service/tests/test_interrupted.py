"""A request or a scheduled job cut off halfway (a worker killed, the database gone) leaves
nothing half-written, and running it again does everything once.

A worker killed mid-request never commits: PostgreSQL rolls its transaction back. Here the
kill is an exception raised after part of the work was written, inside a savepoint that is
rolled back (``assertRaises``), as the database does; the client's retry is the same call
again. These tests hold as long as no step commits on its own in the middle of its work."""

from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PNG_PIXEL, AftersalesCommon

PLAN = "<p>Replace the seal</p>"


class WorkerKilled(Exception):
    """The worker is gone: what it wrote is rolled back, the client gets no answer."""


def killed_after(model, method):
    """Patch ``method`` of ``model`` to do its work, then die before the transaction ends."""
    original = getattr(type(model), method)

    def run_then_die(records, *args, **kwargs):
        original(records, *args, **kwargs)
        raise WorkerKilled

    return patch.object(type(model), method, run_then_die)


@tagged("post_install", "-at_install")
class TestInterruptedRequests(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.escalate_to_the_manager_and_quality()
        cls.spare = cls.new_spare_part()
        cls.env["stock.quant"]._update_available_quantity(cls.spare, cls.stock_location, 3)

    def _form_on_site(self):
        ticket = self.new_ticket(request_type="consultation", review_note="<p>Visit</p>")
        ticket.action_submit_review()
        ticket.action_approve()
        ticket.action_dispatch()
        form = ticket.dispatch_ids
        form.action_start()
        form.part_line_ids = [(0, 0, {"product_id": self.spare.id, "quantity": 2})]
        form.write({"signature": PNG_PIXEL, "signed_by": "Mr. Zhang"})
        return ticket, form

    def _spare_moves(self):
        return self.env["stock.move"].search([("product_id", "=", self.spare.id)])

    def test_form_killed_after_its_stock_moves_is_not_done_and_the_retry_moves_once(self):
        ticket, form = self._form_on_site()
        with self.assertRaises(WorkerKilled), killed_after(form, "_report_findings"):
            form.action_done()  # the parts left stock, then the worker died
        self.env.invalidate_all()
        self.assertEqual((form.state, ticket.state), ("on_site", "dispatched"), "no form done half-way")
        self.assertFalse(self._spare_moves(), "no stock move without its done form")
        self.assertEqual(self.spare.with_context(location=self.stock_location.id).qty_available, 3)

        form.action_done()  # the client's retry
        self.assertEqual((form.state, ticket.state), ("done", "done"))
        self.assertEqual(len(self._spare_moves()), 1)
        self.assertEqual(self.spare.with_context(location=self.stock_location.id).qty_available, 1)
        form.invalidate_recordset()
        with self.assertRaisesRegex(UserError, "complete"):
            form.action_done()  # a retry of a call that did succeed changes nothing
        self.assertEqual(len(self._spare_moves()), 1)

    def test_approval_killed_after_the_quotation_leaves_no_quotation_and_the_retry_makes_one(self):
        ticket = self.new_ticket(product_id=self.pump.id, review_note=PLAN, planned_labour_hours=1)
        ticket.action_submit_review()
        self.assertTrue(ticket.is_billable)
        orders = self.env["sale.order"].search_count([("origin", "=", ticket.name)])
        with self.assertRaises(WorkerKilled), killed_after(ticket, "_create_quotation"):
            ticket.with_user(self.user_quality).action_approve()
        self.env.invalidate_all()
        self.assertEqual(ticket.state, "review", "no ticket waiting for a quotation that does not exist")
        self.assertFalse(ticket.quotation_id)
        self.assertEqual(self.env["sale.order"].search_count([("origin", "=", ticket.name)]), orders)

        ticket.with_user(self.user_quality).action_approve()
        self.assertEqual(ticket.state, "quotation")
        self.assertEqual(self.env["sale.order"].search_count([("origin", "=", ticket.name)]), orders + 1)

    @freeze_time("2026-01-15 09:00:00")
    def test_sla_job_killed_mid_batch_resumes_without_doing_anything_twice(self):
        Ticket = self.env["aftersales.ticket"]
        Ticket._cron_flag_response_breaches()  # whatever the database holds
        late = Ticket.create(
            [
                {"partner_id": self.customer.id, "title": f"Late {n}", "request_date": "2026-01-10 09:00:00"}
                for n in range(5)
            ]
        )
        cron = self.env.ref("aftersales_service.ir_cron_aftersales_response_breach")

        def scheduler_call():
            progress = self.env["ir.cron.progress"].create({"cron_id": cron.id, "remaining": 0, "done": 0})
            Ticket.with_context(ir_cron_progress_id=progress.id)._cron_flag_response_breaches(batch_size=2)
            return progress.done

        self.assertEqual(scheduler_call(), 2)  # first batch, committed by the scheduler
        with self.assertRaises(WorkerKilled), killed_after(Ticket, "_flag_response_breach"):
            scheduler_call()  # second batch flagged and its activities made, then killed
        self.env.invalidate_all()
        self.assertEqual(sum(late.mapped("response_breached")), 2, "the killed batch is not half-flagged")
        done = [scheduler_call() for _ in range(3)]
        self.assertEqual(done, [2, 1, 0], "the job resumes where the last committed batch ended")
        self.env.invalidate_all()
        for ticket in late:
            overdue = ticket.activity_ids.filtered(lambda activity: activity.summary == "Response overdue")
            self.assertEqual(len(overdue), 1, f"{ticket.title}: one overdue activity, not one per run")
