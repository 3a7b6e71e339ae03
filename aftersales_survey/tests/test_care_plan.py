from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged

from .common import AftersalesSurveyCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-01-15 09:00:00")
class TestCarePlan(AftersalesSurveyCommon):
    def test_plan_lines_are_tracked(self):
        plan = (
            self.env["aftersales.care.plan"]
            .with_user(self.user_sales)
            .create(
                {
                    "name": "2026 care plan",
                    "partner_id": self.key_customer.id,
                    "user_id": self.user_sales.id,
                    "line_ids": [
                        Command.create({"name": "Operator training", "planned_date": date(2026, 1, 10)}),
                        Command.create(
                            {
                                "name": "Preventive inspection",
                                "planned_date": date(2026, 5, 1),
                                "user_id": self.user_tech.id,
                            }
                        ),
                    ],
                }
            )
        )
        self.assertEqual(plan.year, 2026)
        training, inspection = plan.line_ids
        self.assertEqual(training.user_id, self.user_sales, "lines default to the plan's owner")
        self.assertEqual(inspection.user_id, self.user_tech)
        self.assertEqual((training.is_overdue, inspection.is_overdue), (True, False))
        self.assertEqual(plan.progress, 0.0)
        training.done = True
        self.assertEqual(training.done_date, date(2026, 1, 15))
        self.assertFalse(training.is_overdue)
        self.assertEqual(plan.progress, 50.0)
        training.done = False
        self.assertFalse(training.done_date)
        self.assertEqual(training.company_id, self.company)
        self.assertEqual(training.partner_id, self.key_customer)

    def test_plan_in_the_form(self):
        form = Form(self.env["aftersales.care.plan"].with_user(self.user_sales))
        form.name = "Key plan"
        form.partner_id = self.key_customer
        with form.line_ids.new() as line:
            line.name = "Management visit"
        plan = form.save()
        self.assertEqual(plan.line_ids.planned_date, date(2026, 1, 15))
        self.assertEqual(plan.tier_id, self.tier_key)
