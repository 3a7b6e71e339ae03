from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AftersalesCommon

PLAN = "<p>Take the unit back.</p>"


@tagged("post_install", "-at_install")
class TestSettlement(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"aftersales_manager_approval_amount": 2000, "aftersales_gm_approval_amount": 10000})
        cls.order = cls.sell()
        cls.sold_for = cls.order.order_line.price_total  # one pump, taxes included
        cls.lot = cls.deliver_serial(cls.order, "SN-RET-1")

    def _submitted(self, request_type, amount):
        ticket = self.new_ticket(lot_id=self.lot.id, request_type=request_type, claimed_amount=amount, review_note=PLAN)
        ticket.action_submit_review()
        return ticket

    def test_small_return_by_quality_creates_the_return_picking(self):
        ticket = self._submitted("return", 0)
        self.assertEqual(ticket.settlement_amount, self.sold_for, "valued at the price the pump was sold")
        ticket.with_user(self.user_quality).action_approve()
        picking = ticket.return_picking_id
        self.assertTrue(picking)
        self.assertEqual(picking.picking_type_id.code, "incoming")
        self.assertEqual(picking.return_id, self.order.picking_ids[0])
        self.assertEqual(picking.move_ids.product_id, self.pump)
        self.assertEqual(ticket.approved_by_id, self.user_quality)
        self.assertEqual(ticket.state, "ready")

    def test_above_the_manager_limit_needs_a_manager(self):
        self.company.aftersales_manager_approval_amount = 500
        ticket = self._submitted("return", 0)
        with self.assertRaises(AccessError):
            ticket.with_user(self.user_quality).action_approve()
        self.assertFalse(ticket.return_picking_id)
        ticket.with_user(self.user_manager).action_approve()
        self.assertTrue(ticket.return_picking_id)

    def test_above_the_general_manager_limit_needs_the_general_manager(self):
        self.company.write({"aftersales_manager_approval_amount": 300, "aftersales_gm_approval_amount": 800})
        ticket = self._submitted("exchange", 0)
        with self.assertRaises(AccessError):
            ticket.with_user(self.user_manager).action_approve()
        ticket.with_user(self.user_gm).action_approve()
        self.assertTrue(ticket.return_picking_id)
        self.assertTrue(ticket.replacement_picking_ids, "an exchange also ships a replacement")
        self.assertEqual(ticket.replacement_picking_ids.picking_type_id.code, "outgoing")
        self.assertEqual(ticket.replacement_picking_ids.move_ids.product_id, self.pump)

    def test_complaint_refund_is_a_draft_credit_note(self):
        ticket = self._submitted("complaint", 300)
        ticket.with_user(self.user_quality).action_approve()
        refund = ticket.refund_move_id
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.state, "draft")
        self.assertEqual(refund.partner_id, self.customer)
        self.assertAlmostEqual(refund.amount_untaxed, 300)

    def test_a_typed_amount_does_not_lower_the_authority_of_a_return(self):
        """Who approves follows the sale line's price times the quantity, not a number the clerk types."""
        self.company.aftersales_manager_approval_amount = 500
        ticket = self._submitted("return", 1)
        self.assertEqual(ticket.settlement_amount, self.sold_for)
        with self.assertRaises(AccessError):
            ticket.with_user(self.user_quality).action_approve()
        self.assertFalse(ticket.return_picking_id)
        self.assertEqual(ticket.state, "review")

    def test_no_more_comes_back_than_was_delivered(self):
        ticket = self.new_ticket(lot_id=self.lot.id, request_type="return", return_quantity=5, review_note=PLAN)
        ticket.action_submit_review()
        with self.assertRaisesRegex(UserError, "only 1.0 of Test Pump were delivered and not yet returned"):
            ticket.with_user(self.user_gm).action_approve()
        self.assertFalse(ticket.return_picking_id)
        first = self._submitted("return", 0)
        first.with_user(self.user_quality).action_approve()
        second = self._submitted("return", 0)
        with self.assertRaisesRegex(UserError, "only 0.0 of Test Pump"):
            second.with_user(self.user_gm).action_approve()
        self.assertFalse(second.return_picking_id, "the unit is already on its way back")

    def test_a_settlement_without_a_sale_line_is_not_approved(self):
        ticket = self.new_ticket(product_id=self.pump.id, request_type="return", review_note=PLAN)
        ticket.action_submit_review()
        with self.assertRaisesRegex(UserError, "valued and approved from what was sold"):
            ticket.with_user(self.user_gm).action_approve()
        self.assertEqual(ticket.state, "review")

    def test_compensation_above_the_goods_value_is_refused(self):
        ticket = self._submitted("complaint", 5000)
        with self.assertRaisesRegex(UserError, "more than the goods delivered"):
            ticket.with_user(self.user_gm).action_approve()
        self.assertFalse(ticket.refund_move_id)
