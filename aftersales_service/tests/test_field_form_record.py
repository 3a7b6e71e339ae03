"""The field form 外出调试、维修跟踪报告单 as the policy fills it (售后管理制度 P4 §3.3–3.6, §5.1–5.3):
the handling plan quality decided, who issued the form and who sent the technicians, the
times of leaving and coming back to the company with the trip's costs (报销依据), and what
happens when the fault could not be resolved on site (请示公司)."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import PNG_PIXEL, AftersalesCommon


@tagged("post_install", "-at_install")
class TestFieldFormRecord(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"aftersales_manager_id": cls.user_manager.id, "aftersales_quality_user_id": cls.user_quality.id}
        )

    def _dispatched(self, dispatcher=None):
        """A free visit: quality's review is the plan, ``dispatcher`` (sales) sends the technician."""
        dispatcher = dispatcher or self.user_sales
        with freeze_time("2026-03-02 08:00:00"):
            ticket = self.new_ticket(request_type="consultation", user_id=dispatcher.id)
            ticket.write({"review_note": "<p>Replace the shaft seal, check the bearing</p>"})
            ticket.action_submit_review()
            ticket.action_approve()
            ticket.with_user(dispatcher).action_dispatch()
        return ticket, ticket.dispatch_ids

    def _on_site(self, form, left="2026-03-03 07:30:00", arrived="2026-03-03 09:00:00"):
        form.with_user(self.user_tech).write({"travel_start": left})
        with freeze_time(arrived):
            form.with_user(self.user_tech).action_start()
        form.with_user(self.user_tech).write({"signature": PNG_PIXEL, "signed_by": "Mr. Zhang"})

    # Who issued the form, who sent the technicians, the plan they take ----------------

    def test_the_form_names_who_issued_it_and_who_assigned_the_staff(self):
        _ticket, form = self._dispatched()
        self.assertEqual(form.issued_by_id, self.user_sales, "the office that filled the form (办公室填写)")
        self.assertEqual(form.assigned_by_id, self.user_sales)
        # Production sends another technician: the form says who did.
        other = self.user_quality
        form.with_user(self.user_tech).write({"technician_ids": [Command.link(other.id)]})
        self.assertEqual(form.assigned_by_id, self.user_tech)
        for field in ("issued_by_id", "assigned_by_id"):
            with self.assertRaisesRegex(AccessError, "set by the application"):
                form.with_user(self.user_manager).write({field: self.user_manager.id})
        with self.assertRaisesRegex(AccessError, "set by the application"):
            self.env["aftersales.dispatch"].with_user(self.user_manager).create(
                {"ticket_id": form.ticket_id.id, "issued_by_id": self.user_gm.id}
            )
        self.assertEqual((form.issued_by_id, form.assigned_by_id), (self.user_sales, self.user_tech))

    def test_the_handling_plan_is_quality_s_review_and_set_before_the_visit(self):
        _ticket, form = self._dispatched()
        self.assertIn("Replace the shaft seal", form.handling_plan)
        form.with_user(self.user_quality).handling_plan = "<p>Replace the seal, bring two</p>"
        with self.assertRaisesRegex(AccessError, "Only members of .* may change Handling Plan"):
            form.with_user(self.user_tech).handling_plan = "<p>Only the seal</p>"
        self._on_site(form)
        with self.assertRaisesRegex(UserError, "Handling Plan cannot be changed while .* is On Site"):
            form.with_user(self.user_quality).handling_plan = "<p>Something else</p>"
        form.invalidate_recordset()
        self.assertIn("bring two", form.handling_plan)
        with self.assertRaises(AccessError, msg="an internal plan: customers and other staff do not read it"):
            form.with_user(self.user_internal).read(["handling_plan"])

    # 外出起止时间 and the trip's costs: the basis of the reimbursement --------------------

    def test_a_travel_claim_is_filed_with_its_times_of_leaving_and_coming_back(self):
        _ticket, form = self._dispatched()
        form.with_user(self.user_tech).write({"travel_cost": 80})
        with freeze_time("2026-03-03 09:00:00"):
            form.with_user(self.user_tech).action_start()
        form.with_user(self.user_tech).write({"signature": PNG_PIXEL, "signed_by": "Mr. Zhang"})
        with freeze_time("2026-03-03 12:00:00"):
            form.with_user(self.user_tech).action_done()
        # Back at the company the next day: the night away is claimed with the trip.
        form.with_user(self.user_tech).write({"lodging_cost": 150, "allowance_amount": 40})
        with self.assertRaisesRegex(UserError, "left the company and came back"):
            form.with_user(self.user_sales).action_file()
        self.assertEqual(form.state, "done")
        form.with_user(self.user_tech).write(
            {"travel_start": "2026-03-03 07:00:00", "travel_return": "2026-03-04 10:00:00"}
        )
        form.with_user(self.user_sales).action_file()
        self.assertEqual(form.travel_hours, 27)
        self.assertEqual(form.reimbursable_amount, 270, "transport + lodging + allowance")
        # Filed (备案): the claim is the record.
        for values in ({"lodging_cost": 500}, {"travel_return": "2026-03-05 10:00:00"}):
            with self.assertRaisesRegex(UserError, "cannot be changed while .* is Filed"):
                form.with_user(self.user_tech).write(values)

    def test_a_form_without_travel_costs_is_filed_without_times(self):
        _ticket, form = self._dispatched()
        self._on_site(form)
        form.with_user(self.user_tech).action_done()
        form.with_user(self.user_sales).action_file()
        self.assertEqual((form.state, form.reimbursable_amount), ("filed", 0))

    def test_the_times_of_the_trip_follow_each_other(self):
        _ticket, form = self._dispatched()
        with freeze_time("2026-03-03 09:00:00"):
            form.with_user(self.user_tech).action_start()
        # assertRaises (not …Regex) rolls the refused write back, as a failed RPC call would be.
        for values in ({"travel_start": "2026-03-03 10:00:00"}, {"travel_return": "2026-03-03 08:00:00"}):
            with self.assertRaises(ValidationError) as refused:
                form.with_user(self.user_tech).write(values)
            self.assertIn("out of order", str(refused.exception))
        self.assertFalse(form.travel_start or form.travel_return)
        with self.assertRaises(AccessError, msg="a plain user does not claim a technician's costs"):
            form.with_user(self.user_internal).write({"allowance_amount": 10})

    # 凡服务现场不能处理妥善者，应向公司请示 (P4 §3.6) -------------------------------------------

    def test_a_visit_not_resolved_on_site_completes_only_with_the_company_s_approval(self):
        ticket, form = self._dispatched()
        self._on_site(form)
        self.assertTrue(form.resolved_on_site, "the usual case: resolved, signed")
        form.with_user(self.user_tech).resolved_on_site = False
        with self.assertRaisesRegex(UserError, "not resolved on site: ask the company"):
            form.with_user(self.user_tech).action_done()
        change = (
            self.env["aftersales.change.request"]
            .with_user(self.user_tech)
            .create({"dispatch_id": form.id, "request_type": "alternative", "reason": "The housing is cracked"})
        )
        with self.assertRaisesRegex(UserError, "waits for the company's answer"):
            form.with_user(self.user_tech).action_done()
        change.with_user(self.user_manager).action_reject()
        with self.assertRaisesRegex(UserError, "not resolved on site"):
            form.with_user(self.user_tech).action_done()
        self.assertEqual(form.state, "on_site")
        self.env["aftersales.change.request"].with_user(self.user_tech).create(
            {"dispatch_id": form.id, "request_type": "alternative", "reason": "Replace the whole unit"}
        ).with_user(self.user_manager).action_approve()
        form.with_user(self.user_tech).action_done()
        self.assertEqual((form.state, form.resolved_on_site, ticket.state), ("done", False, "done"))

    # The dispatch register and the cost report -------------------------------------

    def test_register_and_cost_report_read_the_new_columns(self):
        region = self.env["res.country.state"].search([], limit=1)
        self.customer.write({"state_id": region.id, "city": "Tianjin"})
        _ticket, form = self._dispatched()
        form.with_user(self.user_tech).write({"travel_cost": 60, "lodging_cost": 100, "allowance_amount": 20})
        self._on_site(form)
        form.with_user(self.user_tech).action_done()
        self.env.flush_all()
        [row] = self.env["aftersales.dispatch.analysis"].search([("dispatch_id", "=", form.id)])
        self.assertEqual(
            (row.request_type, row.region_id, row.city, row.assigned_by_id, row.technician_id),
            ("consultation", region, "Tianjin", self.user_sales, self.user_tech),
        )
        self.assertEqual(row.requested_arrival, form.ticket_id.requested_arrival)
        self.assertEqual((row.lodging_cost, row.allowance_amount), (100, 20))
        self.assertEqual(row.total_cost, 180, "transport, lodging and allowance are costs")
        self.assertEqual((row.revenue, row.margin), (0, -180), "free service earns nothing")
