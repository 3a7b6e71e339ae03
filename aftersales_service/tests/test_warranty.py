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
