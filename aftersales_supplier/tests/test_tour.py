from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestClaimTour(HttpCase):
    def test_purchasing_resolves_a_claim_in_the_browser(self):
        new_test_user(self.env, "tour_buyer", password="tour_buyer_pw", groups="purchase.group_purchase_user")
        vendor = self.env["res.partner"].create({"name": "Tour Vendor", "email": "v@example.com"})
        part = self.env["product.product"].create({"name": "Tour Part", "type": "consu"})
        claim = self.env["aftersales.supplier.claim"].create(
            {
                "partner_id": vendor.id,
                "product_id": part.id,
                "claim_type": "refund",
                "expected_amount": 80,
            }
        )
        claim.state = "in_progress"
        self.start_tour(
            f"/odoo/action-aftersales_supplier.aftersales_supplier_claim_action/{claim.id}",
            "aftersales_claim_resolve_tour",
            login="tour_buyer",
        )
        self.assertEqual(claim.state, "resolved")
        self.assertEqual(claim.recovered_amount, 80)
        self.assertEqual(claim.recovery_rate, 100)
