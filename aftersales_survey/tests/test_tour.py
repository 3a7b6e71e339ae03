from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRevisitTour(HttpCase):
    def test_salesperson_records_a_revisit_outcome(self):
        seller = new_test_user(
            self.env,
            "tour_seller",
            password="tour_seller_pw",
            groups="aftersales_service.group_aftersales_user,sales_team.group_sale_salesman",
        )
        customer = self.env["res.partner"].create({"name": "Revisit Customer", "is_company": True})
        revisit = self.env["aftersales.revisit"].create(
            {
                "partner_id": customer.id,
                "due_date": "2026-01-15",
                "channel": "phone",
                "user_id": seller.id,
            }
        )
        self.start_tour(
            f"/odoo/action-aftersales_survey.aftersales_revisit_action/{revisit.id}",
            "aftersales_revisit_outcome_tour",
            login="tour_seller",
        )
        self.assertEqual((revisit.state, revisit.outcome), ("done", "satisfied"))
        self.assertIn("operators trained", revisit.note)
