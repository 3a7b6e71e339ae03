from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestWarranty(AftersalesCommon):
    def test_delivery_start_is_the_delivery_of_that_serial(self):
        with freeze_time("2025-03-10 10:00:00"):
            order = self.sell()
            lot = self.deliver_serial(order, "SN-DELIV-1")
        with freeze_time("2026-01-15 09:00:00"):
            ticket = self.new_ticket(lot_id=lot.id)
        self.assertEqual(ticket.sale_line_id, order.order_line, "the serial proposes its sale line")
        self.assertEqual(ticket.sale_order_id, order)
        self.assertEqual(ticket.product_id, self.pump)
        self.assertEqual(ticket.picking_id, order.picking_ids)
        self.assertEqual(ticket.warranty_start_date, fields.Date.to_date("2025-03-10"))
        self.assertEqual(ticket.warranty_end_date, fields.Date.to_date("2026-03-09"))
        self.assertEqual(ticket.warranty_state, "in_warranty")
        self.assertFalse(ticket.is_billable)

    def test_request_after_the_end_is_expired_and_billable(self):
        with freeze_time("2024-01-05 10:00:00"):
            order = self.sell()
            lot = self.deliver_serial(order, "SN-OLD-1")
        with freeze_time("2026-01-15 09:00:00"):
            ticket = self.new_ticket(lot_id=lot.id)
        self.assertEqual(ticket.warranty_end_date, fields.Date.to_date("2025-01-04"))
        self.assertEqual(ticket.warranty_state, "expired")
        self.assertTrue(ticket.is_billable)

    def test_sale_confirmation_start(self):
        with freeze_time("2025-06-30 08:00:00"):
            order = self.sell(aftersales_warranty_start="sale", aftersales_warranty_months=6)
        status = order.order_line._aftersales_warranty_status(on_date=fields.Date.to_date("2025-12-29"))
        self.assertEqual(status["start_date"], fields.Date.to_date("2025-06-30"))
        self.assertEqual(status["end_date"], fields.Date.to_date("2025-12-29"))
        self.assertEqual(status["state"], "in_warranty")
        status = order.order_line._aftersales_warranty_status(on_date=fields.Date.to_date("2025-12-30"))
        self.assertEqual(status["state"], "expired")

    def test_invoice_start(self):
        service = self.env["product.product"].create(
            {
                "name": "Controller",
                "type": "consu",
                "invoice_policy": "order",
                "list_price": 100,
                "aftersales_warranty_months": 3,
                "aftersales_warranty_start": "invoice",
            }
        )
        with freeze_time("2025-02-01 08:00:00"):
            order = self.sell(product=service)
        line = order.order_line
        self.assertEqual(line._aftersales_warranty_status()["state"], "none", "not invoiced yet: not started")
        with freeze_time("2025-02-20 08:00:00"):
            invoice = order._create_invoices()
            invoice.action_post()
        status = line._aftersales_warranty_status(on_date=fields.Date.to_date("2025-05-19"))
        self.assertEqual(status["start_date"], fields.Date.to_date("2025-02-20"))
        self.assertEqual(status["end_date"], fields.Date.to_date("2025-05-19"))
        self.assertEqual(status["state"], "in_warranty")

    def test_terms_are_frozen_when_the_order_is_confirmed(self):
        order = self.sell()
        self.pump.aftersales_warranty_months = 36
        self.assertEqual(order.order_line.aftersales_warranty_months, 12)
        quotation = self.env["sale.order"].create({"partner_id": self.customer.id})
        with Form(quotation) as form, form.order_line.new() as line:
            line.product_id = self.pump
        self.assertEqual(quotation.order_line.aftersales_warranty_months, 36, "quotations take today's terms")

    def test_contract_terms_on_the_line_override_the_product(self):
        order = self.sell(aftersales_warranty_months=60)
        self.assertEqual(order.order_line.aftersales_warranty_months, 60)

    def test_only_a_manager_changes_confirmed_terms(self):
        order = self.sell()
        with self.assertRaisesRegex(AccessError, "may change the warranty terms of a confirmed order"):
            order.order_line.with_user(self.user_sales).write({"aftersales_warranty_months": 48})
        order.order_line.with_user(self.user_manager).write({"aftersales_warranty_months": 48})
        self.assertEqual(order.order_line.aftersales_warranty_months, 48)

    def test_get_warranty_status_of_a_serial(self):
        with freeze_time("2025-03-10 10:00:00"):
            lot = self.deliver_serial(self.sell(), "SN-RPC-1")
        with freeze_time("2025-04-01 09:00:00"):
            status = self.env["aftersales.ticket"].get_warranty_status(lot_id=lot.id)
        self.assertEqual(status, {"state": "in_warranty", "start_date": "2025-03-10", "end_date": "2026-03-09"})
        unsold = self.env["stock.lot"].create({"name": "SN-UNSOLD", "product_id": self.pump.id})
        self.assertEqual(self.env["aftersales.ticket"].get_warranty_status(lot_id=unsold.id)["state"], "none")
        with self.assertRaises(UserError):
            self.env["aftersales.ticket"].get_warranty_status(lot_id="SN-RPC-1")

    def test_get_warranty_status_of_a_serial_in_three_queries(self):
        with freeze_time("2025-03-10 10:00:00"):
            lot = self.deliver_serial(self.sell(), "SN-RPC-Q")
        tickets = self.env["aftersales.ticket"].with_user(self.user_manager)
        with freeze_time("2025-04-01 09:00:00"):
            tickets.get_warranty_status(lot_id=lot.id)  # warm: access rights, record rules, the user
            for model in ("stock.lot", "stock.move", "stock.move.line", "sale.order.line", "sale.order"):
                self.env[model].invalidate_model()  # cold records
            # The serial under its record rules, its sale line with the first delivery, the line's terms.
            with self.assertQueryCount(3):
                status = tickets.get_warranty_status(lot_id=lot.id)
        self.assertEqual(status, {"state": "in_warranty", "start_date": "2025-03-10", "end_date": "2026-03-09"})

    def test_installation_beyond_the_contract_is_billable(self):
        included = self.sell()
        excluded = self.sell(aftersales_service_included=False)
        self.assertFalse(self.new_ticket(sale_line_id=included.order_line.id, request_type="installation").is_billable)
        self.assertTrue(self.new_ticket(sale_line_id=excluded.order_line.id, request_type="training").is_billable)

    def test_billing_override_needs_a_manager(self):
        ticket = self.new_ticket(product_id=self.pump.id, user_id=self.user_sales.id).with_user(self.user_sales)
        with self.assertRaises(AccessError):
            ticket.write({"billing_override": "free", "billing_override_reason": "Goodwill"})

    def test_billing_override_is_tracked_with_a_reason(self):
        ticket = self.new_ticket(product_id=self.pump.id).with_user(self.user_manager)
        self.assertTrue(ticket.is_billable)
        with self.assertRaises(ValidationError):
            ticket.write({"billing_override": "free"})
        ticket.write({"billing_override": "free", "billing_override_reason": "Goodwill for a key customer"})
        self.assertFalse(ticket.is_billable)
        self.flush_tracking()
        tracked = ticket.sudo().message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "billing_override_reason"
        )
        self.assertEqual(tracked.new_value_char, "Goodwill for a key customer")


@tagged("post_install", "-at_install")
class TestWarrantyCauses(AftersalesCommon):
    """Free in warranty is the repair of a quality defect (P3 §1, P6 二.1), decided in quality's review."""

    PLAN = "<p>Replace the seal kit.</p>"

    def in_warranty_ticket(self, **values):
        with freeze_time("2026-01-10 10:00:00"):
            order = self.sell(aftersales_warranty_start="sale")
        with freeze_time("2026-01-15 09:00:00"):
            ticket = self.new_ticket(sale_line_id=order.order_line.id, review_note=self.PLAN, **values)
        self.assertEqual(ticket.warranty_state, "in_warranty")
        return ticket

    def test_misuse_found_by_quality_is_paid_even_in_warranty(self):
        self.company.aftersales_travel_product_id = self.env["product.product"].create(
            {"name": "Travel", "type": "service", "list_price": 80.0}
        )
        ticket = self.in_warranty_ticket()
        self.assertFalse(ticket.is_billable)
        ticket.action_submit_review()
        with self.assertRaises(AccessError):
            ticket.with_user(self.user_sales).write({"fault_cause": "misuse"})
        ticket.with_user(self.user_quality).fault_cause = "misuse"
        self.assertTrue(ticket.is_billable, "an operating error is the customer's")
        ticket.with_user(self.user_quality).action_approve()
        self.assertEqual(ticket.state, "quotation")
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            ticket.with_user(self.user_quality).write({"fault_cause": "quality"})

    def test_the_fault_category_proposes_the_cause_at_approval(self):
        operating_error = self.env["aftersales.fault.category"].create(
            {"name": "Operating error (test)", "fault_cause": "misuse"}
        )
        self.company.aftersales_labour_product_id = self.env["product.product"].create(
            {"name": "Labour", "type": "service", "list_price": 40.0}
        )
        ticket = self.in_warranty_ticket(fault_category_id=operating_error.id, planned_labour_hours=2)
        ticket.action_submit_review()
        ticket.with_user(self.user_quality).action_approve()
        self.assertEqual((ticket.fault_cause, ticket.is_billable, ticket.state), ("misuse", True, "quotation"))

    def test_a_quality_defect_stays_free(self):
        ticket = self.in_warranty_ticket(fault_category_id=self.fault.id)
        ticket.action_submit_review()
        ticket.with_user(self.user_quality).action_approve()
        self.assertEqual((ticket.fault_cause, ticket.is_billable, ticket.state), ("quality", False, "ready"))

    def test_routine_maintenance_is_paid_unless_the_contract_includes_it(self):
        ticket = self.in_warranty_ticket(request_type="maintenance")
        self.assertTrue(ticket.is_billable, "upkeep is no quality defect, warranty or not")
        ticket.with_user(self.user_manager).write(
            {"billing_override": "free", "billing_override_reason": "Yearly upkeep is in the contract"}
        )
        self.assertFalse(ticket.is_billable)

    def test_a_serial_without_sale_line_is_looked_up_before_billing(self):
        with freeze_time("2026-01-10 10:00:00"):
            order = self.sell()
        with freeze_time("2026-01-15 09:00:00"):
            ticket = self.new_ticket(product_id=self.pump.id, review_note=self.PLAN)
            lot = self.deliver_serial(order, "SN-LATE-DELIVERY")
            # The serial is given after registration, once the unit's delivery is known: the
            # look-up at approval finds the sale and its warranty.
            ticket.sudo().write({"lot_id": lot.id, "sale_line_id": False, "sale_order_id": False})
            self.assertTrue(ticket.is_billable)
            ticket.action_submit_review()
            ticket.with_user(self.user_quality).action_approve()
        self.assertEqual(ticket.sale_line_id, order.order_line)
        self.assertEqual((ticket.warranty_state, ticket.is_billable, ticket.state), ("in_warranty", False, "ready"))

    def test_a_unit_the_customer_holds_in_warranty_is_not_billed_without_its_serial(self):
        with freeze_time("2026-01-10 10:00:00"):
            order = self.sell(aftersales_warranty_start="sale")
        with freeze_time("2026-01-15 09:00:00"):
            ticket = self.new_ticket(product_id=self.pump.id, review_note=self.PLAN)
        self.assertTrue(ticket.is_billable, "nothing links the ticket to a sale yet")
        ticket.action_submit_review()
        with self.assertRaisesRegex(UserError, f"under warranty \\({order.name}\\): enter the serial number"):
            ticket.with_user(self.user_quality).action_approve()
        self.assertEqual((ticket.state, ticket.quotation_id.id), ("review", False))
