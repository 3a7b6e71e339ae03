from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AftersalesSurveyCommon


@tagged("post_install", "-at_install")
class TestCustomerCareAccess(AftersalesSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.revisit = cls.env["aftersales.revisit"].create(
            {
                "partner_id": cls.key_customer.id,
                "due_date": date(2026, 3, 1),
                "user_id": cls.user_sales.id,
            }
        )

    def test_internal_user_without_aftersales_group_is_refused(self):
        for model in ("aftersales.revisit", "aftersales.feedback", "aftersales.care.plan", "aftersales.care.plan.line"):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.user_internal).search([])
        with self.assertRaises(AccessError):
            self.revisit.with_user(self.user_internal).read(["partner_id"])

    def test_sales_user_works_revisits_but_cannot_delete(self):
        revisit = self.revisit.with_user(self.user_sales)
        revisit.note = "Called, no answer."
        with self.assertRaises(AccessError):
            revisit.unlink()
        self.revisit.with_user(self.user_manager).action_cancel()
        self.revisit.with_user(self.user_manager).unlink()

    def test_other_company_records_are_hidden(self):
        other = self.env["res.company"].create({"name": "Other Branch"})
        partner = self.env["res.partner"].create({"name": "Far Customer", "company_id": other.id})
        hidden = self.env["aftersales.revisit"].create(
            {
                "partner_id": partner.id,
                "company_id": other.id,
                "due_date": date(2026, 3, 1),
                "user_id": False,
            }
        )
        visible = (
            self.env["aftersales.revisit"]
            .with_user(self.user_manager)
            .search([("id", "in", (hidden | self.revisit).ids)])
        )
        self.assertEqual(visible, self.revisit)
