"""The revisit planner as a scheduled job: incremental, resumable, safe when run twice at once."""

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged, warmup

from ..models.aftersales_revisit import REVISIT_MARK_KEY
from .common import AftersalesSurveyCommon


@tagged("post_install", "-at_install")
class TestRevisitPlanner(AftersalesSurveyCommon):
    def age_everything(self):
        """Move every write of this test's transaction before the planner's mark, as if it
        had happened before the last complete run."""
        self.env.flush_all()
        for table in ("sale_order", "res_partner", "aftersales_revisit"):
            self.env.cr.execute(f"UPDATE {table} SET write_date = write_date - interval '1 hour'")
        self.env.invalidate_all()

    def mark(self):
        return self.env["ir.config_parameter"].sudo().search([("key", "=", REVISIT_MARK_KEY)]).value

    @freeze_time("2026-02-01 09:00:00")
    def test_rerun_only_looks_at_what_changed(self):
        Revisit = self.env["aftersales.revisit"]
        customers = self.tiered_customers_with_orders(4, "Steady")
        first = Revisit._cron_generate_revisits()
        self.assertEqual(first.filtered(lambda revisit: revisit.partner_id in customers).partner_id, customers)
        self.assertNotEqual(self.mark(), "never", "a complete run leaves its high-water mark")
        self.age_everything()
        with self.assertQueryCount(6):  # lock, scan start, three look-ups of changes, mark
            self.assertFalse(Revisit._cron_generate_revisits(), "nothing changed: nothing is read or planned")

        # A customer given a tier after buying: its orders are older than the mark, the customer is not.
        promoted = self.env["res.partner"].create({"name": "Promoted", "is_company": True})
        self.confirmed_order(promoted)
        self.assertFalse(Revisit._cron_generate_revisits(), "untiered customers are not planned")
        self.age_everything()
        done, cancelled, untouched, _other = (Revisit.search([("partner_id", "=", c.id)]) for c in customers)
        done.outcome = "satisfied"
        done.action_done()
        cancelled.action_cancel()
        promoted.aftersales_tier_id = self.tier_long
        newcomer = self.tiered_customers_with_orders(1, "Newcomer")
        planned = Revisit._cron_generate_revisits()
        self.assertEqual(
            planned.partner_id,
            done.partner_id | cancelled.partner_id | newcomer | promoted,
            "a revisit done or cancelled, a new order, a newly tiered customer: each plans the next revisit",
        )
        self.assertNotIn(untouched.partner_id, planned.partner_id)
        next_one = planned.filtered(lambda revisit: revisit.partner_id == done.partner_id)
        self.assertEqual(next_one.due_date.isoformat(), "2026-08-01", "6 months after the revisit done")
        self.assertFalse(Revisit._cron_generate_revisits(), "once planned, a rerun plans nothing")

    @freeze_time("2026-02-01 09:00:00")
    def test_scheduler_gets_one_batch_per_call_and_the_progress(self):
        Revisit = self.env["aftersales.revisit"]
        Revisit._cron_generate_revisits()  # whatever the database holds
        # The company's own revisit numbering is made once, on its first revisit ever.
        self.env["ir.sequence"]._aftersales_company_sequence("aftersales.revisit", self.env.company)
        before = self.mark()
        customers = self.tiered_customers_with_orders(3, "Batched")
        cron = self.env.ref("aftersales_survey.ir_cron_aftersales_generate_revisits")
        calls = []
        for _call in range(3):
            calls.append(self.scheduler_call(cron, "_cron_generate_revisits", batch_size=2))
            if calls[-1][1]:
                self.assertEqual(self.mark(), before, "the mark moves only once everything is planned")
        self.assertEqual(calls, [(2, 1), (1, 0), (0, 0)])
        self.assertEqual(len(Revisit.search([("partner_id", "in", customers.ids)])), 3)

    @warmup
    @freeze_time("2026-02-01 09:00:00")
    def test_queries_per_batch_are_constant(self):
        Revisit = self.env["aftersales.revisit"]
        Revisit._cron_generate_revisits()  # whatever the database holds
        # The company's own revisit numbering is made once, on its first revisit ever.
        self.env["ir.sequence"]._aftersales_company_sequence("aftersales.revisit", self.env.company)
        self.tiered_customers_with_orders(6, "One batch", orders_each=2)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(29):
            self.assertEqual(len(Revisit._cron_generate_revisits(batch_size=6)), 6)
        self.tiered_customers_with_orders(6, "Three batches", orders_each=2)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(49):  # two more batches: 10 queries each
            self.assertEqual(len(Revisit._cron_generate_revisits(batch_size=2)), 6)


@tagged("post_install", "-at_install")
class TestRevisitPlannerConcurrency(BaseCase):
    """Two planners at the same time, each with its own cursor (nothing is committed)."""

    def test_second_run_plans_nothing_while_the_first_holds_the_mark(self):
        registry = Registry(get_db_name())
        with registry.cursor() as cr1, registry.cursor() as cr2:
            try:
                env1 = api.Environment(cr1, SUPERUSER_ID, {})
                env2 = api.Environment(cr2, SUPERUSER_ID, {})
                customer = env1["res.partner"].create(
                    {
                        "name": "Concurrent Key",
                        "is_company": True,
                        "aftersales_tier_id": env1.ref("aftersales_survey.revisit_tier_key").id,
                    }
                )
                product = env1["product.product"].create({"name": "Concurrent Service", "type": "service"})
                env1["sale.order"].create(
                    {
                        "partner_id": customer.id,
                        "state": "sale",
                        "order_line": [Command.create({"product_id": product.id})],
                    }
                )
                self.assertIn(customer, env1["aftersales.revisit"]._cron_generate_revisits().partner_id)
                env1.flush_all()
                cr2.execute("SET LOCAL statement_timeout = 10000")  # a wait here would be the bug
                self.assertFalse(env2["aftersales.revisit"]._cron_generate_revisits())
            finally:
                cr1.rollback()
                cr2.rollback()
