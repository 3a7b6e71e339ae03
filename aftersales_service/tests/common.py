from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user

# A 1x1 PNG: a valid image for signature and stamp fields.
PNG_PIXEL = b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
USER = "aftersales_service.group_aftersales_user"
# An email as a customer's mail client sends it to an after-sales alias.
CUSTOMER_MAIL = """Return-Path: <{email}>
From: Customer <{email}>
To: {to}
Subject: {subject}
Message-ID: <{msgid}@example.com>
Content-Type: text/plain; charset=utf-8

The pump makes a grinding noise since Monday.
"""


def portal_customer(env, login, values):
    """A customer (``values``) who signs in to the portal as ``login``, password ``{login}_pw``."""
    customer = env["res.partner"].create(values)
    new_test_user(env, login, password=f"{login}_pw", groups="base.group_portal", partner_id=customer.id)
    return customer


class AftersalesCommon(TransactionCase):
    """A customer, a serial-tracked product with a 12-month warranty, and one user per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write({"aftersales_response_hours": 24, "aftersales_repeat_days": 90})
        cls.customer = cls.env["res.partner"].create({"name": "Huabei Water Works", "email": "service@huabei.example"})
        cls.other_customer = cls.env["res.partner"].create({"name": "Donghai Textiles", "email": "it@donghai.example"})
        cls.pump = cls.env["product.product"].create(
            {
                "name": "Test Pump",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "list_price": 1000.0,
                "aftersales_warranty_months": 12,
                "aftersales_warranty_start": "delivery",
            }
        )
        cls.seal = cls.env["product.product"].create({"name": "Seal", "type": "consu", "list_price": 30.0})
        cls.fault = cls.env["aftersales.fault.category"].create({"name": "Test fault"})
        cls.stock_location = cls.env.ref("stock.stock_location_stock")
        groups = "aftersales_service.group_aftersales_"
        cls.user_sales = new_test_user(
            cls.env, "as_sales", groups=f"{groups}user,sales_team.group_sale_salesman_all_leads"
        )
        cls.user_tech = new_test_user(cls.env, "as_tech", groups=f"{groups}technician")
        cls.user_quality = new_test_user(cls.env, "as_quality", groups=f"{groups}quality")
        cls.user_manager = new_test_user(
            cls.env, "as_manager", groups=f"{groups}manager,sales_team.group_sale_salesman_all_leads"
        )
        cls.user_gm = new_test_user(
            cls.env, "as_gm", groups=f"{groups}general_manager,sales_team.group_sale_salesman_all_leads"
        )
        cls.user_internal = new_test_user(cls.env, "as_internal", groups="base.group_user")

    @classmethod
    def escalate_to_the_manager_and_quality(cls):
        """Name the company's after-sales manager and quality person, who receive escalations."""
        cls.company.write(
            {"aftersales_manager_id": cls.user_manager.id, "aftersales_quality_user_id": cls.user_quality.id}
        )

    @classmethod
    def new_spare_part(cls, **values):
        """A storable spare part a technician takes from stock."""
        values = {"name": "Spare Motor", "type": "consu", "is_storable": True, "aftersales_spare_part": True, **values}
        return cls.env["product.product"].create(values)

    @classmethod
    def sell(cls, product=None, partner=None, **line_values):
        order = cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "order_line": [
                    Command.create({"product_id": (product or cls.pump).id, "product_uom_qty": 1, **line_values})
                ],
            }
        )
        order.action_confirm()
        return order

    @classmethod
    def deliver_serial(cls, order, serial):
        """Put a serial in stock and deliver it on ``order``."""
        product = order.order_line.product_id
        lot = cls.env["stock.lot"].create({"name": serial, "product_id": product.id, "company_id": cls.company.id})
        cls.env["stock.quant"]._update_available_quantity(product, cls.stock_location, 1, lot_id=lot)
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.picked = True
        picking.button_validate()
        return lot

    def branch_user(self, login, groups, name="Branch B"):
        """A user of another company only, who must see none of this company's documents."""
        branch = self.env["res.company"].create({"name": name})
        return new_test_user(
            self.env, login, groups=groups, company_id=branch.id, company_ids=[Command.set(branch.ids)]
        )

    def scheduler_call(self, cron, method, **kwargs):
        """Call ``method`` of ``cron``'s model once, as Odoo's scheduler does (with a progress
        record): ``(done, remaining)`` as the job reported them."""
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id, "remaining": 0, "done": 0})
        getattr(self.env[cron.model_id.model].with_context(ir_cron_progress_id=progress.id), method)(**kwargs)
        return progress.done, progress.remaining

    def flush_tracking(self):
        """Tracking values are written when the transaction is about to commit."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()

    @classmethod
    def new_ticket(cls, **values):
        values.setdefault("partner_id", cls.customer.id)
        values.setdefault("title", "It stopped")
        values.setdefault("technician_ids", [Command.set(cls.user_tech.ids)])
        return cls.env["aftersales.ticket"].create(values)

    def waive_evaluation(self, ticket, reason="The customer declined to evaluate the service."):
        """Let a finished ticket close without the customer's evaluation: the manager's waiver."""
        ticket.with_user(self.user_manager).evaluation_waiver_reason = reason
        ticket.with_user(self.user_manager).action_waive_evaluation()


class RecordRulesCommon(AftersalesCommon):
    """Two after-sales users of the company without Sales rights (what they read of sale orders
    comes from after-sales alone), and how to prove what a user sees."""

    # Logins of the two users: ``{prefix}_a`` and ``{prefix}_b``.
    _users_prefix = "rr_user"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_a = new_test_user(cls.env, f"{cls._users_prefix}_a", groups=USER)
        cls.user_b = new_test_user(cls.env, f"{cls._users_prefix}_b", groups=USER)

    def assertSees(self, user, records, expected, msg=None):
        """``user`` finds exactly ``expected`` among ``records``, by search and by read."""
        self.assertEqual(self.env[records._name].with_user(user).search([("id", "in", records.ids)]), expected, msg)
        for record in records - expected:
            with self.assertRaises(AccessError, msg=msg):
                record.with_user(user).read(["id"])
        expected.with_user(user).read(["id"])
