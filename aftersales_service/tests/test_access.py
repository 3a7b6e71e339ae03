from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestAccess(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own = cls.new_ticket(user_id=cls.user_sales.id)
        cls.others = cls.new_ticket(user_id=cls.user_tech.id)

    def test_internal_user_without_aftersales_rights_sees_nothing(self):
        with self.assertRaises(AccessError):
            self.own.with_user(self.user_internal).read(["name"])
        with self.assertRaises(AccessError):
            self.env["aftersales.ticket"].with_user(self.user_internal).create({"partner_id": self.customer.id})

    def test_user_sees_own_tickets_only(self):
        visible = (
            self.env["aftersales.ticket"]
            .with_user(self.user_sales)
            .search([("id", "in", (self.own | self.others).ids)])
        )
        self.assertEqual(visible, self.own)
        with self.assertRaises(AccessError):
            self.others.with_user(self.user_sales).read(["name"])
        with self.assertRaises(AccessError):
            self.own.with_user(self.user_sales).unlink()

    def test_field_forms_follow_the_tickets_a_user_sees(self):
        own_form = self.env["aftersales.dispatch"].create({"ticket_id": self.own.id})
        other_form = self.env["aftersales.dispatch"].create({"ticket_id": self.others.id})
        forms = own_form | other_form
        visible = self.env["aftersales.dispatch"].with_user(self.user_sales).search([("id", "in", forms.ids)])
        self.assertEqual(visible, own_form)
        self.assertEqual(
            self.env["aftersales.dispatch"].with_user(self.user_tech).search([("id", "in", forms.ids)]), forms
        )

    def test_technicians_and_above_see_all(self):
        for user in (self.user_tech, self.user_quality, self.user_manager):
            visible = self.env["aftersales.ticket"].with_user(user).search([("id", "in", (self.own | self.others).ids)])
            self.assertEqual(visible, self.own | self.others, user.login)

    def test_only_managers_configure_fault_categories(self):
        with self.assertRaises(AccessError):
            self.env["aftersales.fault.category"].with_user(self.user_quality).create({"name": "Nope"})
        self.env["aftersales.fault.category"].with_user(self.user_manager).create({"name": "Yes"})

    def test_other_company_tickets_are_invisible(self):
        branch = self.env["res.company"].create({"name": "Branch B"})
        foreign = self.env["aftersales.ticket"].create(
            {
                "partner_id": self.env["res.partner"].create({"name": "B customer", "company_id": branch.id}).id,
                "company_id": branch.id,
            }
        )
        with self.assertRaises(AccessError):
            foreign.with_user(self.user_manager).read(["name"])

    def test_portal_customer_sees_own_commercial_entity_only(self):
        contact = self.env["res.partner"].create({"name": "Engineer Zhao", "parent_id": self.customer.id})
        portal = new_test_user(self.env, "as_portal_a", groups="base.group_portal", partner_id=contact.id)
        foreign = self.new_ticket(partner_id=self.other_customer.id)
        visible = self.env["aftersales.ticket"].with_user(portal).search([])
        self.assertIn(self.own, visible)
        self.assertNotIn(foreign, visible)
        with self.assertRaises(AccessError):
            self.own.with_user(portal).write({"title": "hacked"})


@tagged("post_install", "-at_install")
class TestInternalFields(AftersalesCommon):
    """Costs and internal notes are for after-sales staff only, whoever else may read the record."""

    INTERNAL = {
        "aftersales.ticket": ["review_note"],
        "aftersales.dispatch": ["travel_cost", "expense_amount", "reimbursable_amount", "interest_note"],
        "aftersales.dispatch.part": ["cost"],
    }

    def test_customers_and_outsiders_cannot_read_costs_or_internal_notes(self):
        contact = self.env["res.partner"].create({"name": "Engineer Li", "parent_id": self.customer.id})
        readers = {
            "portal": new_test_user(self.env, "as_portal_costs", groups="base.group_portal", partner_id=contact.id),
            "internal": self.user_internal,
        }
        for model, names in self.INTERNAL.items():
            for role, user in readers.items():
                fields = self.env[model].with_user(user).fields_get()
                for name in names:
                    with self.subTest(model=model, field=name, role=role):
                        self.assertNotIn(name, fields, "not even offered in views or fields_get")
                        with self.assertRaises(AccessError):
                            self.env[model].with_user(user).search_read([], [name])

    def test_after_sales_staff_read_them(self):
        for model, names in self.INTERNAL.items():
            self.assertFalse(set(names) - set(self.env[model].with_user(self.user_sales).fields_get()), model)


@tagged("post_install", "-at_install")
class TestCompaniesDoNotMix(AftersalesCommon):
    """A branch's records can be neither seen nor linked from another company's documents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.branch = cls.env["res.company"].create({"name": "Branch B"})
        cls.branch_customer = cls.env["res.partner"].create({"name": "B customer", "company_id": cls.branch.id})
        cls.branch_order = (
            cls.env["sale.order"]
            .with_company(cls.branch)
            .create(
                {
                    "partner_id": cls.branch_customer.id,
                    "company_id": cls.branch.id,
                    "order_line": [Command.create({"product_id": cls.seal.id, "product_uom_qty": 1})],
                }
            )
        )

    def test_a_ticket_cannot_point_at_another_companys_sale(self):
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            self.new_ticket(sale_order_id=self.branch_order.id)

    def test_a_field_form_cannot_use_another_companys_ticket(self):
        foreign = self.env["aftersales.ticket"].create(
            {"partner_id": self.branch_customer.id, "company_id": self.branch.id}
        )
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            self.env["aftersales.dispatch"].create({"ticket_id": foreign.id, "company_id": self.company.id})
