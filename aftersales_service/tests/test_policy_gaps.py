from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PNG_PIXEL, AftersalesCommon


@tagged("post_install", "-at_install")
class TestKnownSolutions(AftersalesCommon):
    def _finished_ticket(self):
        ticket = self.new_ticket(
            title="Pump vibrates above 80% load",
            fault_category_id=self.fault.id,
            request_type="consultation",
            review_note="<p>Balance the impeller.</p>",
        )
        ticket.action_submit_review()
        ticket.action_approve()
        ticket.action_dispatch()
        form = ticket.dispatch_ids
        form.action_start()
        form.write(
            {
                "findings": "Impeller out of balance",
                "work_summary": "<p>Rebalanced the impeller</p>",
                "signature": PNG_PIXEL,
                "signed_by": "Zhao",
            }
        )
        form.action_done()
        return ticket

    def test_finished_ticket_shares_its_fix_and_quality_approves_it(self):
        ticket = self._finished_ticket()
        with self.assertRaisesRegex(UserError, "finished"):
            self.new_ticket(fault_category_id=self.fault.id).action_propose_solution()
        ticket.action_propose_solution()
        solution = self.env["aftersales.fault.solution"].search([("source_ticket_id", "=", ticket.id)])
        self.assertEqual(solution.state, "proposed")
        self.assertEqual(solution.symptom, "Pump vibrates above 80% load")
        self.assertIn("Impeller out of balance", solution.cause)
        self.assertIn("Rebalanced the impeller", solution.solution)
        self.assertTrue(ticket.solution_proposed)
        new = self.new_ticket(fault_category_id=self.fault.id, request_type="consultation")
        self.assertFalse(new.known_solution_ids, "shown only once quality approved it")
        with self.assertRaises(AccessError):
            solution.with_user(self.user_sales).action_approve()
        solution.with_user(self.user_quality).action_approve()
        new.invalidate_recordset(["known_solution_ids"])
        self.assertEqual(new.known_solution_ids, solution)
        new.action_submit_review()
        new.review_note = "<p>Check the impeller</p>"
        new.action_approve()
        new.action_dispatch()
        self.assertEqual(new.dispatch_ids.known_solution_ids, solution, "the technician sees it on the form")
        report = self.env["ir.actions.report"]
        html = report._render_qweb_html(
            "aftersales_service.action_report_aftersales_dispatch_internal", new.dispatch_ids.ids
        )[0].decode()
        self.assertIn("Recommended Checks", html)
        self.assertIn("Rebalanced the impeller", html)
        # Our knowledge base is not printed on the customer's copy.
        html = report._render_qweb_html("aftersales_service.action_report_aftersales_dispatch", new.dispatch_ids.ids)[
            0
        ].decode()
        self.assertNotIn("Recommended Checks", html)
        self.assertNotIn("Rebalanced the impeller", html)
        found = self.env["aftersales.fault.solution"].name_search("vibrates")
        self.assertIn(solution.id, [row[0] for row in found])


@tagged("post_install", "-at_install")
class TestDisputedQuality(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.inspector = cls.env["res.partner"].create({"name": "Provincial Quality Inspection Institute"})
        cls.order = cls.sell()
        cls.order.aftersales_inspection_partner_id = cls.inspector

    def _disputed(self):
        ticket = self.new_ticket(
            product_id=self.pump.id, sale_order_id=self.order.id, review_note="<p>Repair</p>", planned_labour_hours=1
        )
        ticket.sale_line_id = False  # a claim on a unit whose sale line is unknown: billable
        ticket.action_submit_review()
        ticket.with_user(self.user_quality).action_dispute()
        return ticket

    def test_disputed_billable_work_waits_for_the_inspection(self):
        ticket = self._disputed()
        self.assertTrue(ticket.is_disputed and ticket.inspection_pending and ticket.is_billable)
        inspection = ticket.inspection_ids
        self.assertEqual(inspection.inspector_id, self.inspector, "the body named in the contract")
        with self.assertRaisesRegex(UserError, "disputed"):
            ticket.with_user(self.user_quality).action_approve()
        self.assertEqual(ticket.state, "review")
        with self.assertRaisesRegex(UserError, "inspection body, its report date"):
            inspection.with_user(self.user_quality).action_conclude()
        inspection.write({"report_date": inspection.sent_date, "conclusion": "our_fault"})
        with self.assertRaises(AccessError):
            inspection.with_user(self.user_sales).action_conclude()
        inspection.with_user(self.user_quality).action_conclude()
        self.assertFalse(ticket.inspection_pending)
        self.assertFalse(ticket.is_billable, "our fault: free of charge")
        self.assertIn("Provincial Quality Inspection Institute", ticket.billing_override_reason)
        ticket.with_user(self.user_quality).action_approve()
        self.assertEqual(ticket.state, "ready")

    def test_customers_fault_makes_it_paid_service(self):
        ticket = self._disputed()
        ticket.billing_override = False
        inspection = ticket.inspection_ids
        inspection.write({"report_date": inspection.sent_date, "conclusion": "customer_fault"})
        inspection.action_conclude()
        self.assertTrue(ticket.is_billable)
        self.assertEqual(ticket.billing_override, "billable")
        with self.assertRaisesRegex(UserError, "already concluded"):
            inspection.action_conclude()


@tagged("post_install", "-at_install")
class TestSalesInterest(AftersalesCommon):
    def _form(self):
        self.customer.user_id = self.user_manager
        ticket = self.new_ticket(request_type="consultation", review_note="<p>Visit</p>")
        ticket.action_submit_review()
        ticket.action_approve()
        ticket.action_dispatch()
        return ticket.dispatch_ids

    def test_interest_without_crm_becomes_a_quotation_for_the_salesperson(self):
        form = self._form()
        with self.assertRaisesRegex(UserError, "Note the products"):
            form.action_create_opportunity()
        form.write({"interest_product_ids": [(6, 0, self.seal.ids)], "interest_note": "Wants spare seals"})
        with patch.object(type(form), "_crm_available", lambda self: False):
            form.with_user(self.user_tech).action_create_opportunity()
        order = form.opportunity_ref
        self.assertEqual(order._name, "sale.order")
        self.assertEqual((order.state, order.user_id, order.partner_id), ("draft", self.user_manager, self.customer))
        self.assertEqual(order.order_line.product_id, self.seal)
        self.assertTrue(order.activity_ids.filtered(lambda a: a.user_id == self.user_manager))
        with self.assertRaisesRegex(UserError, "already"):
            form.action_create_opportunity()

    def test_interest_with_crm_becomes_an_opportunity(self):
        if "crm.lead" not in self.env:
            self.skipTest("CRM is not installed in this database")  # covered by the suite's test database
        form = self._form()
        form.write({"interest_product_ids": [(6, 0, self.seal.ids)]})
        form.with_user(self.user_tech).action_create_opportunity()
        lead = form.opportunity_ref
        self.assertEqual((lead._name, lead.type, lead.user_id), ("crm.lead", "opportunity", self.user_manager))
        self.assertIn(self.seal.display_name, lead.description)
