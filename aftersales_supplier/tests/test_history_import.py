from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestClaimHistoryImport(TransactionCase):
    """Resolved claims of a previous system come in through Odoo's import tool, by a manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env["res.partner"].create({"name": "Old Bearings Ltd"})
        cls.part = cls.env["product.product"].create({"name": "Bearing 6305", "type": "consu"})
        cls.manager = new_test_user(cls.env, "as_claim_mgr", groups="aftersales_service.group_aftersales_manager")
        cls.buyer = new_test_user(cls.env, "as_claim_buyer", groups="purchase.group_purchase_user")

    def run_import(self, user):
        content = (
            "partner_id/.id,product_id/.id,claim_type,state,expected_amount,recovered_amount\n"
            f"{self.vendor.id},{self.part.id},refund,resolved,120,120\n"
        ).encode()
        wizard = (
            self.env["base_import.import"]
            .with_user(user)
            .create({"res_model": "aftersales.supplier.claim", "file": content, "file_type": "text/csv"})
        )
        header = content.decode().splitlines()[0].split(",")
        return wizard.execute_import(header, header, {"quoting": '"', "separator": ",", "has_headers": True})

    def claims(self):
        return self.env["aftersales.supplier.claim"].search([("partner_id", "=", self.vendor.id)])

    def test_only_a_manager_imports_resolved_claims(self):
        result = self.run_import(self.buyer.with_context(import_file=True))
        self.assertIn("may import historical", " ".join(m["message"] for m in result["messages"]))
        self.assertFalse(self.claims())
        result = self.run_import(self.manager)
        self.assertFalse([m for m in result["messages"] if m["type"] == "error"], result["messages"])
        self.assertEqual((self.claims().state, self.claims().recovered_amount), ("resolved", 120))
