from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AftersalesSurveyCommon


@tagged("post_install", "-at_install")
class TestRevisitPlanning(AftersalesSurveyCommon):
    def revisits_of(self, partner):
        return self.env["aftersales.revisit"].search([("partner_id", "=", partner.id)], order="id")

    def test_due_dates_follow_the_tier(self):
        with freeze_time("2025-03-10 08:00:00"):
            self.confirmed_order(self.key_customer)
        with freeze_time("2026-01-15 09:00:00"):
            latest = self.confirmed_order(self.key_customer)
            self.confirmed_order(self.long_customer)
            self.env["aftersales.revisit"]._cron_generate_revisits()
        key = self.revisits_of(self.key_customer)
        self.assertEqual(len(key), 1, "one revisit per customer, not per order")
        self.assertEqual(key.due_date, date(2026, 7, 15), "key customers: 6 months after the latest order")
        self.assertEqual((key.sale_order_id, key.user_id, key.channel), (latest, self.salesperson, "visit"))
        self.assertEqual(key.activity_ids.user_id, self.salesperson, "the salesperson gets a To-Do")
        self.assertEqual(key.activity_ids.date_deadline, date(2026, 7, 15))
        long_term = self.revisits_of(self.long_customer)
        self.assertEqual(long_term.due_date, date(2027, 1, 15), "long-term customers: 12 months")
        self.assertEqual(long_term.channel, "email", "the tier's default channel")

    def test_contacts_orders_count_for_their_company(self):
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": self.key_customer.id})
        self.assertEqual(contact.aftersales_tier_id, self.tier_key, "the tier is a commercial field")
        with freeze_time("2026-01-15 09:00:00"):
            order = self.confirmed_order(contact)
            self.env["aftersales.revisit"]._cron_generate_revisits()
        revisit = self.revisits_of(self.key_customer)
        self.assertEqual((revisit.sale_order_id, revisit.due_date), (order, date(2026, 7, 15)))
        self.assertFalse(self.revisits_of(contact))
        manual = self.env["aftersales.revisit"].create({"partner_id": contact.id, "due_date": date(2026, 3, 1)})
        self.assertEqual(manual.partner_id, self.key_customer, "a revisit belongs to the commercial partner")

    def test_untiered_customers_are_not_planned(self):
        with freeze_time("2026-01-15 09:00:00"):
            self.confirmed_order(self.customer)
            self.env["aftersales.revisit"]._cron_generate_revisits()
        self.assertFalse(self.revisits_of(self.customer))

    def test_running_twice_creates_nothing_new(self):
        with freeze_time("2026-01-15 09:00:00"):
            self.confirmed_order(self.key_customer)
            first = self.env["aftersales.revisit"]._cron_generate_revisits()
            self.assertIn(self.key_customer, first.partner_id)
            second = self.env["aftersales.revisit"]._cron_generate_revisits()
            self.confirmed_order(self.key_customer)
            third = self.env["aftersales.revisit"]._cron_generate_revisits()
        self.assertFalse(second, "a customer has one planned revisit at a time")
        self.assertFalse(third, "a new order does not add a second open revisit")
        self.assertEqual(len(self.revisits_of(self.key_customer)), 1)

    def test_next_revisit_counts_from_the_last_one_done(self):
        with freeze_time("2026-01-15 09:00:00"):
            self.confirmed_order(self.key_customer)
            self.env["aftersales.revisit"]._cron_generate_revisits()
        revisit = self.revisits_of(self.key_customer)
        with freeze_time("2026-08-01 10:00:00"):
            revisit.outcome = "satisfied"
            revisit.with_user(self.salesperson).action_done()
            self.assertEqual(revisit.done_date, date(2026, 8, 1))
            self.env.invalidate_all()
            self.assertFalse(revisit.activity_ids, "the To-Do is marked done")
            created = (
                self.env["aftersales.revisit"]
                ._cron_generate_revisits()
                .filtered(lambda new: new.partner_id == self.key_customer)
            )
        self.assertEqual(created.due_date, date(2027, 2, 1), "6 months after the last revisit, later than the order")

    def test_query_count_does_not_grow_with_orders(self):
        """Planning is set-based: 10 or 50 orders cost the same number of queries."""
        revisit_model = self.env["aftersales.revisit"]
        revisit_model._cron_generate_revisits()  # plan whatever already exists in the database

        def run_with(orders_per_customer, prefix):
            self.tiered_customers_with_orders(5, prefix, orders_per_customer)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            created = revisit_model._cron_generate_revisits()
            self.env.flush_all()
            self.assertEqual(len(created), 5)
            return self.env.cr.sql_log_count - before

        with freeze_time("2026-02-01 09:00:00"):
            few = run_with(2, "Few")  # 10 orders
            many = run_with(10, "Many")  # 50 orders
        self.assertLessEqual(many, few + 2, f"10 orders: {few} queries, 50 orders: {many} queries")

    def test_public_wrapper_returns_the_count(self):
        with freeze_time("2026-01-15 09:00:00"):
            self.env["aftersales.revisit"]._cron_generate_revisits()
            self.confirmed_order(self.key_customer)
            self.confirmed_order(self.long_customer)
            count = self.env["aftersales.revisit"].with_user(self.salesperson).action_generate_revisits()
        self.assertEqual(count, 2)


@tagged("post_install", "-at_install")
@freeze_time("2026-01-15 09:00:00")
class TestRevisitOutcome(AftersalesSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls.confirmed_order(cls.key_customer)

    def new_revisit(self, **values):
        values = {
            "partner_id": self.key_customer.id,
            "sale_order_id": self.order.id,
            "due_date": date(2026, 1, 20),
            "user_id": self.salesperson.id,
            **values,
        }
        return self.env["aftersales.revisit"].with_user(self.salesperson).create(values)

    def test_done_needs_an_outcome(self):
        revisit = self.new_revisit()
        self.assertEqual(revisit.channel, "visit", "the tier proposes the channel")
        with self.assertRaisesRegex(UserError, "Record the outcome"):
            revisit.action_done()
        self.assertEqual(revisit.state, "planned")

    def test_only_planned_revisits_are_done(self):
        revisit = self.new_revisit(outcome="satisfied")
        revisit.action_cancel()
        with self.assertRaisesRegex(UserError, "You cannot mark as done"):
            revisit.action_done()
        revisit.action_reset_planned()
        self.assertIs(revisit.action_done(), True)
        with self.assertRaisesRegex(UserError, "You cannot"):
            revisit.action_done()

    def test_a_revisit_dropped_on_a_column_runs_that_columns_action(self):
        revisit = self.new_revisit().with_user(self.salesperson)
        with self.assertRaisesRegex(UserError, "Record the outcome"):
            revisit.write({"state": "done"})
        revisit.write({"state": "cancel"})
        with self.assertRaisesRegex(UserError, "cannot go from Cancelled to Done"):
            revisit.write({"state": "done"})
        revisit.write({"state": "planned"})
        revisit.outcome = "satisfied"
        revisit.write({"state": "done"})
        self.assertEqual(revisit.state, "done")
        self.assertTrue(revisit.done_date)
        # The kanban shows every column, so that any card can be dropped on any of them.
        groups = self.env["aftersales.revisit"].read_group([("id", "=", revisit.id)], ["state"], ["state"])
        self.assertEqual([group["state"] for group in groups], ["planned", "done", "cancel"])
        for model in (
            "aftersales.revisit",
            "aftersales.feedback",
            "aftersales.settlement",
        ):
            arch = self.env[model].get_views([(False, "kanban")])["views"]["kanban"]["arch"]
            self.assertIn('default_group_by="state"', arch, model)

    def test_complaint_opens_a_ticket(self):
        revisit = self.new_revisit(channel="phone", outcome="complaint", note="The seal leaks again.")
        revisit.action_done()
        ticket = revisit.ticket_id
        self.assertTrue(ticket)
        self.assertEqual(
            (ticket.request_type, ticket.channel, ticket.partner_id, ticket.sale_order_id),
            ("complaint", "phone", self.key_customer, self.order),
        )
        self.assertIn("The seal leaks again.", ticket.description)
        self.assertEqual(ticket.revisit_ids, revisit)

    def test_suggestion_is_logged_for_sales(self):
        revisit = self.new_revisit(outcome="suggestion", note="Offer a maintenance contract.")
        revisit.action_done()
        self.assertFalse(revisit.ticket_id)
        feedback = revisit.feedback_id
        self.assertEqual(
            (feedback.kind, feedback.severity, feedback.partner_id), ("suggestion", "minor", self.key_customer)
        )
        self.assertEqual(feedback.description, "Offer a maintenance contract.")

    def test_overdue_is_computed_and_searchable(self):
        late = self.new_revisit(due_date=date(2026, 1, 10))
        on_time = self.new_revisit(due_date=date(2026, 1, 30))
        done_late = self.new_revisit(due_date=date(2026, 1, 5), outcome="satisfied")
        done_late.action_done()
        self.assertEqual((late.is_overdue, on_time.is_overdue, done_late.is_overdue), (True, False, False))
        revisits = self.env["aftersales.revisit"]
        mine = [("id", "in", (late | on_time | done_late).ids)]
        self.assertEqual(revisits.search(mine + [("is_overdue", "=", True)]), late)
        self.assertEqual(revisits.search(mine + [("is_overdue", "=", False)]), on_time | done_late)
        self.assertEqual(revisits.search(mine + [("is_overdue", "!=", True)]), on_time | done_late)

    def test_email_revisit_sends_the_letter(self):
        revisit = self.new_revisit(channel="email")
        self.assertIs(revisit.action_send_email(), True)
        sent = revisit.message_ids.filtered(lambda message: self.key_customer in message.partner_ids)
        self.assertEqual(len(sent), 1)
        phone = self.new_revisit(channel="phone")
        with self.assertRaisesRegex(UserError, "not done by email"):
            phone.action_send_email()


@tagged("post_install", "-at_install")
class TestRevisitKeepsItsOrder(AftersalesSurveyCommon):
    def test_an_order_with_a_revisit_cannot_be_deleted(self):
        order = self.confirmed_order(self.key_customer)
        self.env["aftersales.revisit"].create({"partner_id": self.key_customer.id, "sale_order_id": order.id})
        order._action_cancel()
        with self.assertRaisesRegex(UserError, "cancel the order instead of deleting it"):
            order.unlink()
        self.assertTrue(order.exists())

    def test_a_revisit_is_named_with_its_customer(self):
        revisit = self.env["aftersales.revisit"].create({"partner_id": self.key_customer.id})
        self.assertEqual(revisit.display_name, f"{revisit.name} · {self.key_customer.name}")
