from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestIntegrity(AftersalesCommon):
    """Nothing is lost and no step is skipped, whatever a client writes."""

    def test_status_changes_only_through_actions(self):
        ticket = self.new_ticket(user_id=self.user_sales.id)
        with self.assertRaisesRegex(UserError, "only through its actions"):
            ticket.with_user(self.user_manager).write({"state": "closed"})
        with self.assertRaisesRegex(UserError, "only through its actions"):
            self.env["aftersales.ticket"].with_user(self.user_manager).create(
                {"partner_id": self.customer.id, "state": "done"}
            )
        self.assertEqual(ticket.state, "draft")
        ticket.with_user(self.user_sales).action_submit_review()
        self.assertEqual(ticket.state, "review", "the action itself still moves it")

    def test_a_card_dropped_on_a_kanban_column_runs_that_columns_action(self):
        ticket = self.new_ticket(user_id=self.user_sales.id, request_type="consultation")
        ticket.with_user(self.user_sales).write({"state": "review"})  # what the kanban sends
        self.assertEqual(ticket.state, "review")
        ticket.review_note = "<p>Advise by phone</p>"
        with self.assertRaises(AccessError):
            ticket.with_user(self.user_sales).write({"state": "ready"})  # approving is quality's
        self.assertEqual(ticket.state, "review")
        ticket.with_user(self.user_quality).write({"state": "ready"})
        self.assertEqual((ticket.state, ticket.reviewer_id), ("ready", self.user_quality))
        with self.assertRaisesRegex(UserError, "cannot go from Ready to Dispatch to Closed"):
            ticket.with_user(self.user_manager).write({"state": "closed"})
        self.assertEqual(ticket.state, "ready")

    def test_the_registered_state_is_accepted_on_create(self):
        """Forms send every default, the state included."""
        ticket = (
            self.env["aftersales.ticket"]
            .with_user(self.user_sales)
            .create({"partner_id": self.customer.id, "state": "draft", "user_id": self.user_sales.id})
        )
        self.assertEqual(ticket.state, "draft")

    def test_a_sale_with_tickets_cannot_be_deleted(self):
        order = self.sell()
        self.new_ticket(sale_order_id=order.id)
        order._action_cancel()
        with self.assertRaisesRegex(UserError, "cancel the order instead of deleting it"):
            order.unlink()
        self.assertTrue(order.exists())
