from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

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


@tagged("post_install", "-at_install")
class TestStatesDeclaredOnce(TransactionCase):
    """Each document declares once which actions each status allows (``_actions``): its actions
    check that table, its buttons read it (``allowed_actions``), a kanban drop runs from it."""

    def test_every_declared_action_exists_and_every_drop_is_declared(self):
        documents = [
            self.env[name]
            for name in self.env.registry
            if name.startswith("aftersales.")
            and not self.env[name]._abstract
            and "allowed_actions" in self.env[name]._fields
        ]
        self.assertGreaterEqual(len(documents), 10)
        for model in documents:
            states = {key for key, _label in model._fields["state"]._description_selection(self.env)}
            with self.subTest(model=model._name):
                self.assertTrue(model._actions, "the document declares what each status allows")
                for action, allowed in model._actions.items():
                    self.assertTrue(callable(getattr(model, action, None)), action)
                    self.assertLessEqual(set(allowed), states, action)
                for target, actions in model._state_actions.items():
                    for action in (actions,) if isinstance(actions, str) else actions:
                        self.assertIn(action, model._actions, f"dropping on {target}")

    def test_the_buttons_read_the_declaration(self):
        """A button of a declared action is shown exactly in the states the table allows."""
        for model_name in ("aftersales.ticket", "aftersales.dispatch", "aftersales.settlement"):
            model = self.env[model_name]
            arch = model.get_view(view_type="form")["arch"]
            with self.subTest(model=model_name):
                for action in model._actions:
                    if f'name="{action}"' in arch:
                        self.assertIn(f"' {action} ' not in allowed_actions", arch, action)

    def test_allowed_actions_follow_the_status(self):
        ticket = self.env["aftersales.ticket"].create(
            {"partner_id": self.env["res.partner"].create({"name": "Declared"}).id, "title": "Once"}
        )
        self.assertIn(" action_submit_review ", ticket.allowed_actions)
        self.assertNotIn(" action_approve ", ticket.allowed_actions, "not the prefix of another action")
        self.assertIn(" action_cancel ", ticket.allowed_actions)
        ticket.action_submit_review()
        self.assertIn(" action_approve ", ticket.allowed_actions)
        self.assertNotIn(" action_submit_review ", ticket.allowed_actions)
