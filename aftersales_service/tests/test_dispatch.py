from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import PNG_PIXEL, AftersalesCommon


@tagged("post_install", "-at_install")
class TestDispatch(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.escalate_to_the_manager_and_quality()
        cls.spare = cls.new_spare_part(tracking="serial", standard_price=80)
        cls.spare_lot = cls.env["stock.lot"].create({"name": "MOTOR-1", "product_id": cls.spare.id})
        cls.env["stock.quant"]._update_available_quantity(cls.spare, cls.stock_location, 1, lot_id=cls.spare_lot)

    def _dispatched(self, **ticket_values):
        ticket_values.setdefault("request_type", "consultation")
        with freeze_time("2026-01-15 09:00:00"):
            ticket = self.new_ticket(
                review_note="<p>Visit</p>", requested_arrival="2026-01-16 09:00:00", **ticket_values
            )
            ticket.action_submit_review()
            ticket.action_approve()
            ticket.action_dispatch()
        return ticket, ticket.dispatch_ids

    def _sign(self, form):
        form.write({"signature": PNG_PIXEL, "signed_by": "Mr. Zhang"})

    def test_full_visit_from_arrival_to_filing(self):
        ticket, form = self._dispatched(user_id=self.user_sales.id)
        self.assertEqual((ticket.state, form.state), ("dispatched", "planned"))
        with freeze_time("2026-01-16 10:30:00"):
            form.with_user(self.user_tech).action_start()
        self.assertTrue(form.arrived_late)
        self.assertAlmostEqual(form.arrival_delay_hours, 1.5)
        with self.assertRaisesRegex(UserError, "signed"):
            form.action_done()
        self._sign(form)
        with freeze_time("2026-01-16 12:00:00"):
            form.with_user(self.user_tech).action_done()
        self.assertEqual(form.state, "done")
        self.assertEqual(str(form.departure_date), "2026-01-16 12:00:00")
        self.assertEqual(ticket.state, "done", "the ticket follows its forms")
        with self.assertRaisesRegex(UserError, "Signature cannot be changed while .* is Done"):
            form.with_user(self.user_tech).write({"signature": PNG_PIXEL})
        form.with_user(self.user_sales).action_file()
        self.assertEqual(form.state, "filed")

    def test_filing_refuses_anything_not_done(self):
        _ticket, form = self._dispatched()
        with self.assertRaisesRegex(UserError, "You cannot file"):
            form.action_file()
        form.action_start()
        with self.assertRaisesRegex(UserError, "You cannot file"):
            form.action_file()

    def test_parts_are_consumed_from_stock(self):
        _ticket, form = self._dispatched()
        form.action_start()
        form.part_line_ids = [(0, 0, {"product_id": self.spare.id, "quantity": 1, "lot_id": self.spare_lot.id})]
        self._sign(form)
        form.with_user(self.user_tech).action_done()
        move = form.part_line_ids.move_id
        self.assertEqual(move.state, "done")
        self.assertEqual(move.move_line_ids.lot_id, self.spare_lot)
        self.assertEqual(move.location_dest_id.usage, "customer")
        self.assertEqual(self.spare.with_context(location=self.stock_location.id).qty_available, 0)
        self.assertEqual(form.part_line_ids.cost, 80)

    def test_a_quoted_part_leaves_stock_once_through_the_orders_delivery(self):
        """The part on the accepted quotation and the same part used on site are one movement:
        the order's delivery records what was used, and the order follows the work done."""
        bearing = self.env["product.product"].create(
            {"name": "Bearing", "type": "consu", "is_storable": True, "aftersales_spare_part": True, "list_price": 40}
        )
        self.env["stock.quant"]._update_available_quantity(bearing, self.stock_location, 3)
        ticket = self.new_ticket(
            product_id=self.pump.id,
            review_note="<p>Replace the bearing</p>",
            part_ids=[(0, 0, {"product_id": bearing.id, "quantity": 1})],
        )
        ticket.action_submit_review()
        ticket.action_approve()
        ticket.action_approve_quotation()
        ticket.quotation_id.action_confirm()
        order_line = ticket.quotation_id.order_line.filtered(lambda line: line.product_id == bearing)
        self.assertTrue(order_line.move_ids, "confirming the quotation plans the delivery of the bearing")
        ticket.action_dispatch()
        form = ticket.dispatch_ids
        form.with_user(self.user_tech).action_start()
        form.with_user(self.user_tech).write({"part_line_ids": [(0, 0, {"product_id": bearing.id, "quantity": 2})]})
        self._sign(form)
        form.with_user(self.user_tech).action_done()
        moves = self.env["stock.move"].search(
            [("product_id", "=", bearing.id), ("state", "=", "done"), ("location_dest_id.usage", "=", "customer")]
        )
        self.assertEqual(len(moves), 1, "one movement, not the delivery and a consumption")
        self.assertEqual(moves.quantity, 2)
        self.assertEqual(form.part_line_ids.move_id, moves)
        self.assertEqual(moves.sale_line_id, order_line)
        self.assertEqual(order_line.qty_delivered, 2, "the order follows what was used on site")
        self.assertFalse(
            order_line.move_ids.filtered(lambda move: move.state not in ("done", "cancel")),
            "nothing is left to deliver a second time",
        )
        self.assertEqual(bearing.with_context(location=self.stock_location.id).qty_available, 1)

    def test_fee_only_on_paid_service_and_with_a_payment_method(self):
        _free_ticket, free_form = self._dispatched()
        with self.assertRaisesRegex(ValidationError, "free of charge"):
            free_form.write({"fee_collected": 50, "payment_method": "cash"})
        paid_ticket = self.new_ticket(product_id=self.pump.id, review_note="<p>Repair</p>")
        paid_ticket.action_submit_review()
        paid_ticket.action_approve()
        paid_ticket.action_approve_quotation()
        paid_ticket.quotation_id.action_confirm()
        paid_ticket.action_dispatch()
        form = paid_ticket.dispatch_ids
        with self.assertRaisesRegex(ValidationError, "how the customer paid"):
            form.write({"fee_collected": 120})
        form.write({"fee_collected": 120, "payment_method": "mobile"})
        self.assertEqual(form.fee_collected, 120)

    def test_pending_change_request_blocks_completion_until_decided(self):
        ticket, form = self._dispatched()
        form.action_start()
        self._sign(form)
        request = (
            self.env["aftersales.change.request"]
            .with_user(self.user_tech)
            .create(
                {
                    "dispatch_id": form.id,
                    "request_type": "postpone",
                    "reason": "Part on back order",
                    "new_date": "2026-01-20 17:00:00",
                }
            )
        )
        self.assertTrue(form.activity_ids.filtered(lambda a: a.user_id == self.user_manager))
        with self.assertRaisesRegex(UserError, "change request"):
            form.action_done()
        with self.assertRaises(UserError):
            request.with_user(self.user_tech).action_approve()
        request.with_user(self.user_manager).action_approve()
        self.assertEqual((request.state, request.approver_id), ("approved", self.user_manager))
        self.assertEqual(str(form.planned_end), "2026-01-20 17:00:00")
        for record in (form, ticket):
            self.assertIn("Change approved", " ".join(record.message_ids.mapped("body")))
        with self.assertRaisesRegex(UserError, "already decided"):
            request.with_user(self.user_manager).action_reject()
        form.action_done()
        self.assertEqual(form.state, "done")

    def test_rejected_alternative_and_postpone_without_date(self):
        _ticket, form = self._dispatched()
        with self.assertRaises(ValidationError):
            self.env["aftersales.change.request"].create(
                {"dispatch_id": form.id, "request_type": "postpone", "reason": "x"}
            )
        request = self.env["aftersales.change.request"].create(
            {
                "dispatch_id": form.id,
                "request_type": "alternative",
                "reason": "Replace the whole unit",
            }
        )
        request.with_user(self.user_manager).action_reject()
        self.assertEqual(request.state, "rejected")
        self.assertFalse(form.has_pending_change)

    def test_reimbursable_only_once_signed_and_filed(self):
        _ticket, form = self._dispatched()
        form.write({"travel_cost": 60, "expense_amount": 15, "travel_start": "2026-01-16 07:00:00"})
        with freeze_time("2026-01-16 09:00:00"):
            form.action_start()
        self._sign(form)
        with freeze_time("2026-01-16 11:00:00"):
            form.action_done()
        # Back at the company in the evening: the night's lodging and the allowance are claimed too.
        form.write({"travel_return": "2026-01-16 18:00:00", "lodging_cost": 120, "allowance_amount": 30})
        self.assertFalse(form.is_reimbursable)
        form.action_file()
        self.assertTrue(form.is_reimbursable)
        self.assertEqual(form.reimbursable_amount, 225)
        self.assertEqual(form.travel_hours, 11)
        action = self.env.ref("aftersales_service.aftersales_dispatch_action_reimbursable")
        self.assertIn("search_default_reimbursable", action.context)

    def test_findings_create_then_update_one_quality_follow_up(self):
        ticket, form = self._dispatched()
        second = self.env["aftersales.dispatch"].create({"ticket_id": ticket.id})
        for visit, finding in ((form, "Bearing batch 42 <b>worn</b>"), (second, "Seal too soft")):
            visit.write({"findings": finding})
            visit.action_start()
            self._sign(visit)
            visit.action_done()
        follow_up = ticket.activity_ids.filtered(lambda a: a.summary == "Field findings")
        self.assertEqual(len(follow_up), 1)
        self.assertEqual(follow_up.user_id, self.user_quality)
        self.assertIn("Seal too soft", follow_up.note)
        self.assertIn("&lt;b&gt;worn", follow_up.note, "customer-facing text is escaped")

    def test_signed_forms_and_their_tickets_cannot_be_deleted(self):
        ticket, form = self._dispatched()
        form.action_start()
        self._sign(form)
        with self.assertRaisesRegex(UserError, "archive"):
            form.unlink()
        with self.assertRaises(UserError):
            ticket.unlink()
        form.active = False
        self.assertFalse(form.active)

    def test_cancel_needs_a_reason(self):
        ticket, form = self._dispatched()
        with self.assertRaisesRegex(UserError, "reason"):
            form.action_cancel()
        form.cancel_reason = "Customer closed for holidays"
        form.action_cancel()
        self.assertEqual(form.state, "cancel")
        self.assertEqual(ticket.state, "dispatched", "a cancelled visit does not finish the ticket")

    def test_resolved_on_site_is_stated_on_site_only(self):
        # 凡可当场处理完妥者 (P4 §3.4): the technician says so at the customer's, not before or after.
        _ticket, form = self._dispatched()
        with self.assertRaisesRegex(UserError, "Resolved on Site cannot be changed while .* is Planned"):
            form.with_user(self.user_tech).write({"resolved_on_site": False})
        self.assertTrue(form.resolved_on_site, "ticked unless the technician says otherwise")
        form.with_user(self.user_tech).action_start()
        form.with_user(self.user_tech).write({"resolved_on_site": False})
        form.with_user(self.user_tech).write({"resolved_on_site": True})
        self._sign(form)
        form.with_user(self.user_tech).action_done()
        self.assertTrue(form.resolved_on_site)
        with self.assertRaisesRegex(UserError, "Resolved on Site cannot be changed while .* is Done"):
            form.with_user(self.user_tech).write({"resolved_on_site": False})
        with self.assertRaises(AccessError):
            form.with_user(self.user_sales).write({"resolved_on_site": False})
        self.assertTrue(form.resolved_on_site)

    def test_plain_users_cannot_run_the_form(self):
        _ticket, form = self._dispatched(user_id=self.user_sales.id)
        with self.assertRaises(AccessError):
            form.with_user(self.user_sales).write({"labour_hours": 2})
        with self.assertRaises(AccessError):
            form.with_user(self.user_internal).read(["name"])


@tagged("post_install", "-at_install")
class TestDispatchKanbanDrop(AftersalesCommon):
    """A field form dropped on a kanban column runs that column's action, with its checks."""

    _dispatched = TestDispatch._dispatched

    def test_a_form_dropped_on_a_column_runs_that_columns_action(self):
        _ticket, form = self._dispatched(user_id=self.user_sales.id)
        technician = form.with_user(self.user_tech)
        with self.assertRaisesRegex(UserError, "cannot go from Planned to Filed"):
            form.with_user(self.user_manager).write({"state": "filed"})
        technician.write({"state": "on_site"})
        self.assertEqual(form.state, "on_site")
        self.assertTrue(form.arrival_date, "the arrival is recorded, as by the button")
        with self.assertRaisesRegex(UserError, "must be signed by the customer"):
            technician.write({"state": "done"})
        form.write({"signature": PNG_PIXEL, "signed_by": "Li Wei"})
        technician.write({"state": "done"})
        self.assertEqual(form.state, "done")
        with self.assertRaises(AccessError):  # sales files the form, never its technician
            technician.write({"state": "filed"})
        form.with_user(self.user_sales).write({"state": "filed"})
        self.assertEqual((form.state, form.filed_by_id), ("filed", self.user_sales))

    def test_a_change_request_dropped_on_approved_is_the_managers_decision(self):
        _ticket, form = self._dispatched()
        form.action_start()
        request = self.env["aftersales.change.request"].create(
            {"dispatch_id": form.id, "request_type": "alternative", "reason": "Swap the motor"}
        )
        with self.assertRaises(AccessError):
            request.with_user(self.user_tech).write({"state": "approved"})
        request.with_user(self.user_manager).write({"state": "approved"})
        self.assertEqual((request.state, request.approver_id), ("approved", self.user_manager))
        with self.assertRaisesRegex(UserError, "cannot go from Approved to Rejected"):
            request.with_user(self.user_manager).write({"state": "rejected"})
