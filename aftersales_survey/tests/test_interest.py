from odoo.tests import tagged

from .common import AftersalesSurveyCommon


@tagged("post_install", "-at_install")
class TestRevisitInterest(AftersalesSurveyCommon):
    def test_interest_noted_on_a_revisit_reaches_the_salesperson(self):
        self.key_customer.user_id = self.user_manager
        revisit = self.env["aftersales.revisit"].create(
            {
                "partner_id": self.key_customer.id,
                "due_date": "2026-02-01",
                "channel": "visit",
                "user_id": self.user_sales.id,
            }
        )
        revisit.write({"interest_product_ids": [(6, 0, self.seal.ids)], "interest_note": "Wants a spare seal kit"})
        revisit.with_user(self.user_sales).action_create_opportunity()
        follow_up = revisit.opportunity_ref
        self.assertTrue(follow_up)
        self.assertEqual(follow_up.user_id, self.user_manager, "the customer's own salesperson")
        self.assertEqual(follow_up.partner_id, self.key_customer)
        expected = "crm.lead" if "crm.lead" in self.env else "sale.order"
        self.assertEqual(follow_up._name, expected)
