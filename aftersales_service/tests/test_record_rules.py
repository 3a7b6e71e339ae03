"""Record rules at the model layer: what each role reads and touches, as over XML-RPC.

Every line or child document follows the visibility of the document it belongs to: a user
who cannot see a ticket cannot read, change or add its planned parts, inspections, field-form
parts or change requests; another company's staff see none of them; a portal customer reads
the parts used at their own sites only; after-sales staff without Sales rights read the sale
orders of the tickets they see, no others.
"""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import USER, RecordRulesCommon

TECHNICIAN = "aftersales_service.group_aftersales_technician"
MANAGER = "aftersales_service.group_aftersales_manager"


class TicketRecordRulesCommon(RecordRulesCommon):
    """Two after-sales users of the same company, a ticket for each with all its children."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket_a = cls.new_ticket(user_id=cls.user_a.id, title="A's ticket")
        cls.ticket_b = cls.new_ticket(user_id=cls.user_b.id, partner_id=cls.other_customer.id, title="B's ticket")
        cls.tickets = cls.ticket_a | cls.ticket_b
        cls.tickets.write({"is_disputed": True})
        cls.ticket_part_a, cls.ticket_part_b = cls._children("aftersales.ticket.part", "ticket_id", cls.tickets)
        cls.inspection_a, cls.inspection_b = cls._children("aftersales.inspection", "ticket_id", cls.tickets)
        cls.form_a, cls.form_b = cls._children("aftersales.dispatch", "ticket_id", cls.tickets)
        cls.forms = cls.form_a | cls.form_b
        cls.form_part_a, cls.form_part_b = cls._children("aftersales.dispatch.part", "dispatch_id", cls.forms)
        cls.change_a, cls.change_b = cls._children("aftersales.change.request", "dispatch_id", cls.forms)

    @classmethod
    def _children(cls, model, parent_field, parents):
        extra = {
            "aftersales.ticket.part": {"product_id": cls.seal.id, "quantity": 2},
            "aftersales.dispatch.part": {"product_id": cls.seal.id},
            "aftersales.change.request": {"request_type": "alternative", "reason": "Needs another pump"},
        }.get(model, {})
        return cls.env[model].create([{parent_field: parent.id, **extra} for parent in parents])


@tagged("post_install", "-at_install")
class TestChildrenFollowTheirDocument(TicketRecordRulesCommon):
    def children(self):
        return {
            "aftersales.ticket.part": (self.ticket_part_a, self.ticket_part_b),
            "aftersales.inspection": (self.inspection_a, self.inspection_b),
            "aftersales.dispatch.part": (self.form_part_a, self.form_part_b),
            "aftersales.change.request": (self.change_a, self.change_b),
        }

    def test_each_role_sees_the_children_of_the_documents_it_sees(self):
        # Which of the two tickets' children each role reads.
        roles = {
            self.user_a: "a",
            self.user_b: "b",
            self.user_tech: "ab",
            self.user_quality: "ab",
            self.user_manager: "ab",
        }
        for model, (child_a, child_b) in self.children().items():
            for user, which in roles.items():
                expected = (child_a if "a" in which else child_a.browse()) | (
                    child_b if "b" in which else child_b.browse()
                )
                with self.subTest(model=model, user=user.login):
                    self.assertSees(user, child_a | child_b, expected)

    def test_planned_parts_of_a_hidden_ticket_cannot_be_changed_added_or_removed(self):
        hidden = self.ticket_part_b.with_user(self.user_a)
        with self.assertRaises(AccessError):
            hidden.read(["price_unit"])
        with self.assertRaises(AccessError):
            hidden.write({"price_unit": 0.0})
        with self.assertRaises(AccessError):
            hidden.unlink()
        with self.assertRaises(AccessError):
            self.env["aftersales.ticket.part"].with_user(self.user_a).create(
                {"ticket_id": self.ticket_b.id, "product_id": self.seal.id}
            )
        self.assertEqual(self.ticket_b.part_ids, self.ticket_part_b)
        self.assertEqual(self.ticket_part_b.price_unit, self.seal.lst_price)
        # His own ticket's parts he plans freely, and so does a technician on any ticket.
        self.ticket_part_a.with_user(self.user_a).write({"price_unit": 25.0})
        self.env["aftersales.ticket.part"].with_user(self.user_a).create(
            {"ticket_id": self.ticket_a.id, "product_id": self.pump.id}
        )
        self.env["aftersales.ticket.part"].with_user(self.user_tech).create(
            {"ticket_id": self.ticket_b.id, "product_id": self.pump.id}
        )

    def test_no_inspection_is_asked_on_a_hidden_ticket(self):
        with self.assertRaises(AccessError):
            self.inspection_b.with_user(self.user_a).read(["state"])
        with self.assertRaises(AccessError):
            self.env["aftersales.inspection"].with_user(self.user_a).create({"ticket_id": self.ticket_b.id})
        self.env["aftersales.inspection"].with_user(self.user_a).create({"ticket_id": self.ticket_a.id})

    def test_a_technician_named_on_the_form_sees_its_parts_and_requests(self):
        children = (self.form_part_b, self.change_b)
        for child in children:
            with self.assertRaises(AccessError):
                child.with_user(self.user_a).read(["id"])
        self.form_b.technician_ids = self.user_a
        for child in children:
            self.assertSees(self.user_a, child, child)

    def test_a_follower_of_the_ticket_sees_its_parts_and_inspections(self):
        children = (self.ticket_part_b, self.inspection_b)
        for child in children:
            with self.assertRaises(AccessError):
                child.with_user(self.user_a).read(["id"])
        self.ticket_b.message_subscribe(partner_ids=self.user_a.partner_id.ids)
        for child in children:
            self.assertSees(self.user_a, child, child)

    def test_the_children_of_an_unassigned_ticket_are_everybodys(self):
        for _child_a, child_b in self.children().values():
            with self.assertRaises(AccessError):
                child_b.with_user(self.user_a).read(["id"])
        self.ticket_b.user_id = False
        for model, (child_a, child_b) in self.children().items():
            with self.subTest(model=model):
                self.assertSees(self.user_a, child_a | child_b, child_a | child_b)


@tagged("post_install", "-at_install")
class TestOtherCompanies(TicketRecordRulesCommon):
    def test_another_companys_staff_see_nothing(self):
        manager_b = self.branch_user("rr_branch_manager", MANAGER)
        for records in (
            self.tickets,
            self.ticket_part_a | self.ticket_part_b,
            self.inspection_a | self.inspection_b,
            self.forms,
            self.form_part_a | self.form_part_b,
            self.change_a | self.change_b,
        ):
            with self.subTest(model=records._name):
                self.assertSees(manager_b, records, records.browse())
        with self.assertRaises(AccessError):
            self.ticket_part_a.with_user(manager_b).write({"quantity": 5})
        with self.assertRaises(AccessError):
            self.ticket_part_a.with_user(manager_b).unlink()


@tagged("post_install", "-at_install")
class TestPortalParts(TicketRecordRulesCommon):
    def test_a_customer_reads_the_parts_used_at_their_own_sites_only(self):
        contact = self.env["res.partner"].create({"name": "Engineer Zhao", "parent_id": self.customer.id})
        portal_a = new_test_user(self.env, "rr_portal_a", groups="base.group_portal", partner_id=contact.id)
        self.assertSees(portal_a, self.forms, self.form_a)
        parts = self.form_part_a | self.form_part_b
        self.assertSees(portal_a, parts, self.form_part_a)
        self.assertEqual(self.env["aftersales.dispatch.part"].with_user(portal_a).search([]), self.form_part_a)
        with self.assertRaises(AccessError):
            self.form_part_b.with_user(portal_a).read(["product_id", "quantity"])


@tagged("post_install", "-at_install")
class TestSaleOrdersThroughTickets(TicketRecordRulesCommon):
    """After-sales staff read the orders of the tickets they see; Sales' own rules stay as they are."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(cls.env, "rr_salesman", groups=f"{USER},sales_team.group_sale_salesman")
        cls.other_salesman = new_test_user(cls.env, "rr_other_salesman", groups="sales_team.group_sale_salesman")
        order = cls.env["sale.order"]

        def new_order(customer):
            return order.create(
                {
                    "partner_id": customer.id,
                    "user_id": cls.other_salesman.id,
                    "order_line": [Command.create({"product_id": cls.seal.id, "product_uom_qty": 1})],
                }
            )

        cls.order_a = new_order(cls.customer)  # the sale ticket A was raised against
        cls.quotation_a = new_order(cls.customer)  # the paid-service quotation of ticket A
        cls.order_b = new_order(cls.other_customer)  # B's ticket's sale
        cls.unrelated = new_order(cls.customer)  # no ticket at all
        cls.own_order = order.create(
            {
                "partner_id": cls.other_customer.id,
                "user_id": cls.salesman.id,
                "order_line": [Command.create({"product_id": cls.seal.id, "product_uom_qty": 1})],
            }
        )
        cls.ticket_a.write({"sale_order_id": cls.order_a.id, "quotation_id": cls.quotation_a.id})
        cls.ticket_b.sale_order_id = cls.order_b
        cls.orders = cls.order_a | cls.quotation_a | cls.order_b | cls.unrelated | cls.own_order

    def test_without_sales_rights_only_the_orders_of_visible_tickets(self):
        linked = self.order_a | self.quotation_a
        self.assertSees(self.user_a, self.orders, linked)
        self.assertSees(self.user_a, self.orders.order_line, linked.order_line)
        everything = self.env["sale.order"].with_user(self.user_a).search([])
        self.assertFalse((self.unrelated | self.order_b | self.own_order) & everything)

    def test_the_orders_come_and_go_with_the_ticket(self):
        self.ticket_b.message_subscribe(partner_ids=self.user_a.partner_id.ids)
        self.assertSees(self.user_a, self.orders, self.order_a | self.quotation_a | self.order_b)
        # Handed over to B, and A no longer follows it.
        self.ticket_a.user_id = self.user_b
        self.ticket_a.message_unsubscribe(partner_ids=self.user_a.partner_id.ids)
        self.assertSees(self.user_a, self.orders, self.order_b)

    def test_technicians_read_the_orders_of_every_ticket_only(self):
        linked = self.order_a | self.quotation_a | self.order_b
        for user in (self.user_tech, self.user_quality):
            with self.subTest(user=user.login):
                self.assertSees(user, self.orders, linked)
                self.assertSees(user, self.orders.order_line, linked.order_line)

    def test_a_salesman_keeps_his_own_orders_and_reads_the_ticket_linked_ones_only(self):
        self.ticket_a.message_subscribe(partner_ids=self.salesman.partner_id.ids)
        self.assertSees(self.salesman, self.orders, self.own_order | self.order_a | self.quotation_a)
        self.assertSees(
            self.salesman, self.orders.order_line, (self.own_order | self.order_a | self.quotation_a).order_line
        )
        # Reading is all the after-sales rule grants: the order stays another salesman's.
        with self.assertRaises(AccessError):
            self.order_a.with_user(self.salesman).write({"note": "changed by after-sales"})
        self.own_order.with_user(self.salesman).write({"note": "his own"})
        # A "see all" salesman in after-sales still sees all.
        self.assertSees(self.user_sales, self.orders, self.orders)
