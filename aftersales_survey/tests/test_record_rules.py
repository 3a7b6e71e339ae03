"""Record rules of the customer-care documents, per role, at the model layer (as over XML-RPC)."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.aftersales_service.tests.common import RecordRulesCommon

from .common import AftersalesSurveyCommon


@tagged("post_install", "-at_install")
class TestCustomerCareRecordRules(AftersalesSurveyCommon, RecordRulesCommon):
    _users_prefix = "rr_care"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order_a = cls.confirmed_order(cls.key_customer)
        cls.order_b = cls.confirmed_order(cls.long_customer)
        cls.order_none = cls.confirmed_order(cls.key_customer)
        Revisit = cls.env["aftersales.revisit"]
        cls.revisit_a = Revisit.create(cls._revisit(cls.user_a, cls.order_a))
        cls.revisit_b = Revisit.create(cls._revisit(cls.user_b, cls.order_b))
        cls.revisit_free = Revisit.create(cls._revisit(False, False))
        cls.revisits = cls.revisit_a | cls.revisit_b | cls.revisit_free

        cls.ticket_a = cls.new_ticket(user_id=cls.user_a.id)
        Feedback = cls.env["aftersales.feedback"]
        cls.feedback_a = Feedback.create(cls._feedback(cls.user_a))
        cls.feedback_b = Feedback.create(cls._feedback(cls.user_b))
        # B handles them, but they came from A's ticket and from A's revisit.
        cls.feedback_ticket_a = Feedback.create(cls._feedback(cls.user_b, ticket_id=cls.ticket_a.id))
        cls.feedback_revisit_a = Feedback.create(cls._feedback(cls.user_b, revisit_id=cls.revisit_a.id))
        cls.feedbacks = cls.feedback_a | cls.feedback_b | cls.feedback_ticket_a | cls.feedback_revisit_a

        Plan = cls.env["aftersales.care.plan"]
        cls.plan_a = Plan.create(cls._plan(cls.user_a))
        cls.plan_b = Plan.create(cls._plan(cls.user_b))
        # B's plan, with one action for A.
        cls.plan_shared = Plan.create(cls._plan(cls.user_b, action_for=cls.user_a))
        cls.plans = cls.plan_a | cls.plan_b | cls.plan_shared

    @classmethod
    def _revisit(cls, user, order):
        return {
            "partner_id": (order.partner_id if order else cls.long_customer).id,
            "sale_order_id": order.id if order else False,
            "due_date": date(2026, 3, 1),
            "user_id": user.id if user else False,
        }

    @classmethod
    def _feedback(cls, user, **values):
        return {
            "partner_id": cls.key_customer.id,
            "description": "The manual is hard to read.",
            "user_id": user.id,
            **values,
        }

    @classmethod
    def _plan(cls, user, action_for=None):
        lines = [Command.create({"name": "Operator training", "planned_date": date(2026, 4, 1)})]
        if action_for:
            lines.append(
                Command.create({"name": "Site visit", "planned_date": date(2026, 5, 1), "user_id": action_for.id})
            )
        return {"name": "2026 care plan", "partner_id": cls.key_customer.id, "user_id": user.id, "line_ids": lines}

    def test_revisits_own_or_unassigned_quality_and_managers_all(self):
        expected = {
            self.user_a: self.revisit_a | self.revisit_free,
            self.user_b: self.revisit_b | self.revisit_free,
            self.user_tech: self.revisit_free,
            self.user_quality: self.revisits,
            self.user_manager: self.revisits,
        }
        for user, revisits in expected.items():
            with self.subTest(user=user.login):
                self.assertSees(user, self.revisits, revisits)
        hidden = self.revisit_b.with_user(self.user_a)
        with self.assertRaises(AccessError):
            hidden.write({"note": "Called him."})
        with self.assertRaises(AccessError):
            hidden.action_cancel()
        self.assertEqual(self.revisit_b.state, "planned")

    def test_feedback_own_unassigned_or_of_visible_tickets_and_revisits(self):
        expected = {
            self.user_a: self.feedback_a | self.feedback_ticket_a | self.feedback_revisit_a,
            self.user_b: self.feedback_b | self.feedback_ticket_a | self.feedback_revisit_a,
            # Technicians see every ticket, so every suggestion raised on one; not the revisits'.
            self.user_tech: self.feedback_ticket_a,
            self.user_quality: self.feedbacks,
            self.user_manager: self.feedbacks,
        }
        for user, feedbacks in expected.items():
            with self.subTest(user=user.login):
                self.assertSees(user, self.feedbacks, feedbacks)
        with self.assertRaises(AccessError):
            self.feedback_b.with_user(self.user_a).write({"resolution": "Nothing to do."})
        self.feedback_b.user_id = False
        self.assertSees(self.user_a, self.feedback_b, self.feedback_b, "an unassigned one is anybody's")

    def test_care_plans_and_their_actions_follow_the_account_manager(self):
        lines = self.plans.line_ids
        expected = {
            self.user_a: self.plan_a | self.plan_shared,
            self.user_b: self.plan_b | self.plan_shared,
            self.user_tech: self.plans.browse(),
            self.user_quality: self.plans.browse(),
            self.user_manager: self.plans,
        }
        for user, plans in expected.items():
            with self.subTest(user=user.login):
                self.assertSees(user, self.plans, plans)
                self.assertSees(user, lines, plans.line_ids)
        with self.assertRaises(AccessError):
            self.plan_b.with_user(self.user_a).write({"note": "<p>Mine now</p>"})
        with self.assertRaises(AccessError):
            self.plan_b.line_ids.with_user(self.user_a).write({"done": True})
        with self.assertRaises(AccessError):
            self.env["aftersales.care.plan.line"].with_user(self.user_a).create(
                {"plan_id": self.plan_b.id, "name": "Sneaked in"}
            )
        self.assertEqual(len(self.plan_b.line_ids), 1)
        self.env["aftersales.care.plan.line"].with_user(self.user_a).create(
            {"plan_id": self.plan_a.id, "name": "Management visit"}
        )

    def test_sale_orders_are_read_through_visible_revisits_only(self):
        orders = self.order_a | self.order_b | self.order_none
        expected = {
            self.user_a: self.order_a,
            self.user_b: self.order_b,
            self.user_quality: self.order_a | self.order_b,
        }
        for user, visible in expected.items():
            with self.subTest(user=user.login):
                self.assertSees(user, orders, visible)
                self.assertSees(user, orders.order_line, visible.order_line)
        with self.assertRaises(AccessError):
            self.order_a.with_user(self.user_a).write({"note": "read only"})
        self.revisit_b.user_id = False
        self.assertSees(self.user_a, orders, self.order_a | self.order_b, "an unassigned revisit's order")
