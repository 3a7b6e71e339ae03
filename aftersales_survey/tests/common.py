from datetime import datetime

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.aftersales_service.tests.common import AftersalesCommon

PLAN = "<p>Explain the settings to the operators.</p>"


class AftersalesSurveyCommon(AftersalesCommon):
    """Tiers, tiered customers, a salesperson and the satisfaction survey."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "aftersales_low_score_threshold": 60.0,
                "aftersales_manager_id": cls.user_manager.id,
                "aftersales_quality_user_id": cls.user_quality.id,
                "aftersales_survey_id": False,
            }
        )
        cls.survey = cls.env.ref("aftersales_survey.survey_aftersales_satisfaction")
        cls.rating_question = cls.env.ref("aftersales_survey.survey_aftersales_satisfaction_q_rating")
        cls.tier_key = cls.env["aftersales.revisit.tier"].create(
            {"name": "Test Key", "interval_months": 6, "channel": "visit"}
        )
        cls.tier_long = cls.env["aftersales.revisit.tier"].create(
            {"name": "Test Long-Term", "interval_months": 12, "channel": "email"}
        )
        cls.key_customer = cls.env["res.partner"].create(
            {
                "name": "Key Pumps Ltd",
                "is_company": True,
                "email": "key@pumps.example",
                "aftersales_tier_id": cls.tier_key.id,
            }
        )
        cls.long_customer = cls.env["res.partner"].create(
            {
                "name": "Long Term Mills",
                "is_company": True,
                "email": "mills@long.example",
                "aftersales_tier_id": cls.tier_long.id,
            }
        )
        cls.service_product = cls.env["product.product"].create(
            {"name": "Test Service Contract", "type": "service", "list_price": 100.0}
        )
        cls.salesperson = new_test_user(
            cls.env, "as_salesperson", groups="aftersales_service.group_aftersales_user,sales_team.group_sale_salesman"
        )

    @classmethod
    def confirmed_order(cls, partner, user=None):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": (user or cls.salesperson).id,
                "order_line": [Command.create({"product_id": cls.service_product.id, "product_uom_qty": 1})],
            }
        )
        order.action_confirm()
        return order

    def tiered_customers_with_orders(self, count, prefix, orders_each=1):
        """``count`` key customers, each with ``orders_each`` confirmed orders, from 1 January 2026 on."""
        customers = self.env["res.partner"].create(
            [
                {"name": f"{prefix} {index}", "is_company": True, "aftersales_tier_id": self.tier_key.id}
                for index in range(count)
            ]
        )
        self.env["sale.order"].create(
            [
                {
                    "partner_id": customer.id,
                    "user_id": self.salesperson.id,
                    "state": "sale",
                    "date_order": datetime(2026, 1, 1 + number, 9, 0),
                    "order_line": [Command.create({"product_id": self.service_product.id, "product_uom_qty": 1})],
                }
                for customer in customers
                for number in range(orders_each)
            ]
        )
        return customers

    def dispatched_ticket(self):
        """A consultation ticket approved and dispatched, its field form started: ``(ticket, form)``."""
        ticket = self.new_ticket(request_type="consultation", user_id=self.user_sales.id)
        ticket.action_submit_review()
        ticket.review_note = PLAN
        ticket.with_user(self.user_quality).action_approve()
        ticket.action_dispatch()
        form = ticket.dispatch_ids
        form.with_user(self.user_tech).action_start()
        return ticket, form

    def done_ticket(self, **values):
        """A free consultation ticket taken through review to done."""
        values.setdefault("request_type", "consultation")
        values.setdefault("user_id", self.user_sales.id)
        ticket = self.new_ticket(**values)
        ticket.action_submit_review()
        ticket.review_note = PLAN
        ticket.with_user(self.user_quality).action_approve()
        ticket.action_done()
        return ticket

    def answer_rating(self, answer, score):
        """The customer picks ``score`` (1-5) on the rating question and submits."""
        choice = self.rating_question.suggested_answer_ids.filtered(lambda option: option.answer_score == score)
        answer._save_lines(self.rating_question, str(choice.id))
        answer._mark_done()
