"""Paid service end to end (P3 §2): quote first or inspect then quote; each part leaves stock
once; the order and its invoice bill the work done; the fee collected on site is a payment
matched with that invoice; free service bills nothing."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .. import post_init_hook
from .common import PNG_PIXEL, AftersalesCommon


@tagged("post_install", "-at_install")
class TestPaidService(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tax = cls.env["account.tax"].create({"name": "VAT 13%", "amount": 13, "type_tax_use": "sale"})
        cls.bearing = cls.env["product.product"].create(
            {
                "name": "Bearing",
                "type": "consu",
                "is_storable": True,
                "aftersales_spare_part": True,
                "list_price": 40,
                "taxes_id": [Command.set(cls.tax.ids)],
            }
        )
        cls.env["stock.quant"]._update_available_quantity(cls.bearing, cls.stock_location, 5)
        cls.labour = cls.company.aftersales_labour_product_id
        cls.travel = cls.company.aftersales_travel_product_id
        cls.callout = cls.env.ref("aftersales_service.product_aftersales_callout")
        cls.company.aftersales_callout_product_id = cls.callout
        (cls.labour | cls.travel | cls.callout | cls.seal).taxes_id = [Command.set(cls.tax.ids)]

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _approved(self, **values):
        """A paid-service ticket (the pump was never sold: no warranty) approved by quality."""
        ticket = self.new_ticket(product_id=self.pump.id, review_note="<p>Repair</p>", **values)
        ticket.action_submit_review()
        ticket.with_user(self.user_quality).action_approve()
        self.assertTrue(ticket.is_billable)
        return ticket

    def _accept(self, ticket):
        ticket.with_user(self.user_manager).action_approve_quotation()
        ticket.quotation_id.sudo().action_confirm()

    def _visit(self, ticket):
        ticket.action_dispatch()
        form = ticket.dispatch_ids.filtered(lambda form: form.state == "planned")
        form.with_user(self.user_tech).action_start()
        return form.with_user(self.user_tech)

    def _complete(self, form, **values):
        form.write({"signature": PNG_PIXEL, "signed_by": "Mr. Wang", **values})
        form.action_done()

    def _billed(self, order):
        """{product: (ordered, delivered)} of the lines that bill something."""
        return {
            line.product_id: (line.product_uom_qty, line.qty_delivered)
            for line in order.order_line
            if line.product_uom_qty or line.qty_delivered
        }

    def _on_hand(self, product, location=None):
        return product.with_context(location=(location or self.stock_location).id).qty_available

    def _deliveries(self, product):
        return self.env["stock.move"].search(
            [("product_id", "=", product.id), ("state", "=", "done"), ("location_dest_id.usage", "=", "customer")]
        )

    def _invoice(self, order):
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice

    def assertBalanced(self, move):
        debit = sum(move.line_ids.mapped("debit"))
        credit = sum(move.line_ids.mapped("credit"))
        self.assertAlmostEqual(debit, credit, places=2)
        self.assertGreater(debit, 0)

    # ------------------------------------------------------------------
    # Quote first
    # ------------------------------------------------------------------

    def test_quote_first_bills_exactly_the_work_done_and_the_fee_settles_the_invoice(self):
        ticket = self._approved(
            part_ids=[Command.create({"product_id": self.bearing.id, "quantity": 1})], planned_labour_hours=2
        )
        self.assertEqual(ticket.state, "quotation")
        self._accept(ticket)
        order = ticket.quotation_id
        self.assertEqual(self._billed(order)[self.bearing], (1, 0))
        form = self._visit(ticket)
        self.assertFalse(form.diagnostic, "the fault was quoted before the visit")
        # On site: one bearing more than quoted, a seal nobody foresaw, three hours instead of two.
        form.write(
            {
                "part_line_ids": [
                    Command.create({"product_id": self.bearing.id, "quantity": 2}),
                    Command.create({"product_id": self.seal.id, "quantity": 1}),
                ],
                "labour_hours": 3,
            }
        )
        total = 2 * 40 + 30 + 3 * 60 + 40
        self._complete(form, fee_collected=total * 1.13, payment_method="cash")
        self.assertEqual(ticket.state, "done")
        self.assertEqual(
            self._billed(order),
            {self.bearing: (2, 2), self.seal: (1, 1), self.labour: (3, 3), self.travel: (1, 1)},
            "the order follows the work done on site",
        )
        self.assertEqual(len(self._deliveries(self.bearing)), 1, "one delivery of the bearings, not two")
        self.assertEqual(self._on_hand(self.bearing), 3)
        self.assertEqual(form.sudo().sale_order_id, order)
        payment = form.sudo().payment_id
        self.assertEqual(payment.journal_id.type, "cash")
        self.assertAlmostEqual(payment.amount, total * 1.13)
        self.assertFalse(form.sudo().payment_reconciled, "no invoice yet to match")

        invoice = self._invoice(order)
        billed = {line.product_id: line.quantity for line in invoice.invoice_line_ids}
        self.assertEqual(billed, {self.bearing: 2, self.seal: 1, self.labour: 3, self.travel: 1})
        self.assertAlmostEqual(invoice.amount_untaxed, total)
        self.assertAlmostEqual(invoice.amount_tax, total * 0.13, places=2)
        self.assertBalanced(invoice)
        self.assertBalanced(payment.move_id)
        self.assertTrue(form.sudo().payment_reconciled, "the fee collected settles the invoice once posted")
        self.assertTrue(invoice.currency_id.is_zero(invoice.amount_residual))
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_quoted_parts_not_used_are_neither_delivered_nor_billed(self):
        ticket = self._approved(part_ids=[Command.create({"product_id": self.bearing.id, "quantity": 3})])
        self._accept(ticket)
        form = self._visit(ticket)
        form.write({"part_line_ids": [Command.create({"product_id": self.bearing.id, "quantity": 1})]})
        self._complete(form)
        line = ticket.quotation_id.order_line.filtered(lambda line: line.product_id == self.bearing)
        self.assertEqual((line.product_uom_qty, line.qty_delivered), (1, 1))
        self.assertFalse(line.move_ids.filtered(lambda move: move.state not in ("done", "cancel")))
        self.assertEqual(self._on_hand(self.bearing), 4)

    def test_a_part_the_warehouse_shipped_before_the_visit_is_not_delivered_again(self):
        ticket = self._approved(part_ids=[Command.create({"product_id": self.bearing.id, "quantity": 1})])
        self._accept(ticket)
        delivery = ticket.quotation_id.picking_ids
        delivery.move_ids.quantity = 1
        delivery.move_ids.picked = True
        delivery.button_validate()
        form = self._visit(ticket)
        form.write({"part_line_ids": [Command.create({"product_id": self.bearing.id, "quantity": 1})]})
        self._complete(form)
        self.assertEqual(len(self._deliveries(self.bearing)), 1, "the bearing sent to the site is the one fitted")
        self.assertEqual(form.part_line_ids.move_id, delivery.move_ids)
        self.assertEqual(self._on_hand(self.bearing), 4)
        self.assertEqual(self._billed(ticket.quotation_id)[self.bearing], (1, 1))

    # ------------------------------------------------------------------
    # Inspect, then quote
    # ------------------------------------------------------------------

    def test_inspect_then_quote_accepted_on_the_spot_repairs_on_the_same_visit(self):
        ticket = self._approved(inspect_first=True)
        self.assertEqual(ticket.state, "ready", "nothing to quote before the inspection")
        self.assertFalse(ticket.quotation_id)
        form = self._visit(ticket)
        self.assertTrue(form.diagnostic)
        form.write(
            {
                "proposed_part_ids": [Command.create({"product_id": self.bearing.id, "quantity": 1})],
                "proposed_labour_hours": 1,
            }
        )
        form.action_propose_quotation()
        order = ticket.quotation_id
        self.assertEqual(order.state, "draft")
        self.assertEqual(self._billed(order)[self.bearing], (1, 0))
        with self.assertRaisesRegex(UserError, "already has quotation"):
            form.action_propose_quotation()
        with self.assertRaisesRegex(ValidationError, "are fixed"):
            form.write({"proposed_part_ids": [Command.create({"product_id": self.seal.id, "quantity": 1})]})
        ticket.invalidate_recordset(["part_ids"], flush=False)
        form.write({"part_line_ids": [Command.create({"product_id": self.bearing.id, "quantity": 1})]})
        with self.assertRaisesRegex(UserError, "has not accepted a quotation"):
            self._complete(form)
        with self.assertRaises(AccessError):
            ticket.with_user(self.user_tech).action_approve_quotation()
        with self.assertRaisesRegex(UserError, "department head's approval"):
            form.action_customer_accepts_here()
        ticket.with_user(self.user_manager).action_approve_quotation()
        url = form.action_customer_accepts_here()["url"]
        self.assertIn(f"/my/orders/{order.id}", url)
        self.assertIn("access_token=", url, "the customer signs on the technician's device, without logging in")
        order.sudo().action_confirm()
        self.assertEqual(ticket.state, "dispatched", "accepted on the spot: the repair goes on")
        self._complete(form, labour_hours=1.5)
        self.assertEqual(ticket.state, "done")
        self.assertEqual(
            self._billed(order),
            {self.bearing: (1, 1), self.labour: (1.5, 1.5), self.callout: (1, 1)},
            "the inspection is billed as the call-out, the repair as what was done",
        )
        self.assertEqual(len(self._deliveries(self.bearing)), 1)

    def test_inspect_then_quote_accepted_later_repairs_on_a_new_visit(self):
        ticket = self._approved(inspect_first=True)
        inspection = self._visit(ticket)
        inspection.write({"proposed_part_ids": [Command.create({"product_id": self.bearing.id, "quantity": 2})]})
        inspection.action_propose_quotation()
        self._complete(inspection, labour_hours=0.5)
        self.assertEqual(ticket.state, "quotation", "the repair waits for the customer's answer")
        callout_order = inspection.sudo().sale_order_id
        self.assertEqual(callout_order.state, "sale")
        self.assertEqual(self._billed(callout_order), {self.callout: (1, 1)})
        self.assertNotEqual(callout_order, ticket.quotation_id)
        with self.assertRaisesRegex(UserError, "cannot be changed while .* is Awaiting Quotation"):
            ticket.part_ids.with_user(self.user_tech).quantity = 5
        self._accept(ticket)
        self.assertEqual(ticket.state, "ready")
        repair = self._visit(ticket)
        self.assertFalse(repair.diagnostic, "the second visit repairs what was quoted")
        repair.write({"part_line_ids": [Command.create({"product_id": self.bearing.id, "quantity": 2})]})
        self._complete(repair, labour_hours=2)
        self.assertEqual(
            self._billed(ticket.quotation_id),
            {self.bearing: (2, 2), self.travel: (1, 1), self.labour: (2, 2)},
        )
        self.assertEqual(self._on_hand(self.bearing), 3)

    def test_only_a_diagnostic_visit_proposes_a_quotation(self):
        ticket = self._approved(planned_labour_hours=1)
        self._accept(ticket)
        form = self._visit(ticket)
        with self.assertRaisesRegex(UserError, "not a diagnostic visit"):
            form.action_propose_quotation()
        with self.assertRaises(AccessError):
            form.with_user(self.user_sales).action_propose_quotation()

    # ------------------------------------------------------------------
    # Free service, stock, serials
    # ------------------------------------------------------------------

    def test_a_warranty_repair_delivers_its_parts_on_the_form_and_bills_nothing(self):
        order = self.sell()
        lot = self.deliver_serial(order, "PUMP-PAID-1")
        ticket = self.new_ticket(lot_id=lot.id, review_note="<p>Warranty repair</p>")
        ticket.action_submit_review()
        ticket.with_user(self.user_quality).action_approve()
        self.assertFalse(ticket.is_billable)
        form = self._visit(ticket)
        form.write({"part_line_ids": [Command.create({"product_id": self.bearing.id, "quantity": 2})]})
        orders_before = self.env["sale.order"].search_count([])
        self._complete(form, labour_hours=2)
        picking = form.sudo().parts_picking_id
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.origin, form.name)
        self.assertEqual(picking.move_ids.quantity, 2)
        self.assertEqual(self._on_hand(self.bearing), 3)
        self.assertFalse(ticket.quotation_id)
        self.assertFalse(form.sudo().sale_order_id)
        self.assertFalse(form.sudo().payment_id)
        self.assertEqual(self.env["sale.order"].search_count([]), orders_before, "nothing to bill")

    def test_parts_leave_from_the_technicians_van(self):
        van = self.env["stock.location"].create(
            {"name": "Van 7", "usage": "internal", "location_id": self.stock_location.location_id.id}
        )
        self.env["stock.quant"]._update_available_quantity(self.bearing, van, 2)
        self.user_tech.aftersales_stock_location_id = van
        ticket = self._approved(part_ids=[Command.create({"product_id": self.bearing.id, "quantity": 1})])
        self._accept(ticket)
        form = self._visit(ticket)
        form.write({"part_line_ids": [Command.create({"product_id": self.bearing.id, "quantity": 2})]})
        self._complete(form)
        self.assertEqual(self._on_hand(self.bearing, van), 0)
        self.assertEqual(self._on_hand(self.bearing), 5, "the warehouse keeps its bearings")
        self.assertEqual(self._deliveries(self.bearing).move_line_ids.location_id, van)
        ticket2 = self._approved(part_ids=[Command.create({"product_id": self.bearing.id, "quantity": 1})])
        self._accept(ticket2)
        form2 = self._visit(ticket2)
        form2.write({"part_line_ids": [Command.create({"product_id": self.bearing.id, "quantity": 1})]})
        self.env.flush_all()
        with self.assertRaisesRegex(UserError, "Only 0.0 Bearing in .*Van 7"):
            self._complete(form2)
        self.env.cr.execute("SELECT state FROM aftersales_dispatch WHERE id = %s", [form2.id])
        self.assertEqual(self.env.cr.fetchone()[0], "on_site", "nothing changed")

    def _serial_visit(self):
        motor = self.env["product.product"].create(
            {"name": "Motor", "type": "consu", "is_storable": True, "aftersales_spare_part": True, "tracking": "serial"}
        )
        lot = self.env["stock.lot"].create({"name": "M-1", "product_id": motor.id})
        self.env["stock.quant"]._update_available_quantity(motor, self.stock_location, 1, lot_id=lot)
        ticket = self._approved(part_ids=[Command.create({"product_id": motor.id, "quantity": 1})])
        self._accept(ticket)
        return self._visit(ticket), motor, lot

    def test_a_serial_is_one_unit(self):
        form, motor, lot = self._serial_visit()
        with self.assertRaisesRegex(ValidationError, "one unit"):
            form.write({"part_line_ids": [Command.create({"product_id": motor.id, "quantity": 2, "lot_id": lot.id})]})

    def test_a_serial_is_recorded_once_on_a_form(self):
        form, motor, lot = self._serial_visit()
        lines = [Command.create({"product_id": motor.id, "lot_id": lot.id}) for _i in range(2)]
        with self.assertRaisesRegex(ValidationError, "recorded twice"):
            form.write({"part_line_ids": lines})

    def test_a_fitted_serial_is_named_and_leaves_stock_once(self):
        form, motor, lot = self._serial_visit()
        form.write({"part_line_ids": [Command.create({"product_id": motor.id})]})
        self.env.flush_all()
        with self.assertRaisesRegex(UserError, "Record the serial"):
            self._complete(form)
        form.part_line_ids.lot_id = lot
        self._complete(form)
        self.assertEqual(self._deliveries(motor).move_line_ids.lot_id, lot)
        self.assertEqual(self._on_hand(motor), 0)

    # ------------------------------------------------------------------
    # Sales confirmed before the suite was installed
    # ------------------------------------------------------------------

    def test_sales_confirmed_before_installation_get_their_warranty_terms(self):
        order = self.sell()
        lot = self.deliver_serial(order, "PUMP-OLD-1")
        line = order.order_line
        # As the columns were when the suite was installed on a database with this sale.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sale_order_line SET aftersales_warranty_months = NULL, aftersales_warranty_start = NULL "
            "WHERE id = %s",
            [line.id],
        )
        line.invalidate_recordset()
        self.assertFalse(line.aftersales_warranty_start)
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.user_sales).action_aftersales_freeze_terms()
        post_init_hook(self.env)
        self.assertEqual((line.aftersales_warranty_months, line.aftersales_warranty_start), (12, "delivery"))
        ticket = self.new_ticket(lot_id=lot.id)
        self.assertEqual(ticket.warranty_state, "in_warranty")
        self.assertFalse(ticket.is_billable)
        self.env.flush_all()
        self.env.cr.execute("UPDATE sale_order_line SET aftersales_warranty_start = NULL WHERE id = %s", [line.id])
        line.invalidate_recordset()
        result = self.env["sale.order"].with_user(self.user_manager).action_aftersales_freeze_terms()
        self.assertIn("1", result["params"]["message"])
        self.assertEqual(line.aftersales_warranty_start, "delivery")
