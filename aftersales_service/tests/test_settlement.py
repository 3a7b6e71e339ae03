"""Returns, exchanges and compensations (policy P5 三.4(7)): 根据权限范围报总经理办公会或总经理批准.

Up to the company's limit the general manager decides; above it only his office meeting, its
date, attendees and minutes recorded. Nobody below the general manager decides. The amount
comes from the sale lines; quantities never exceed what the customer still has; the outcome
is stock's return (and exchange) and the reversal of the customer invoice."""

import base64

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import AftersalesCommon

PLAN = "<p>Take the unit back.</p>"
GM_GROUP = "After-Sales / General Manager"


class SettlementCommon(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.aftersales_gm_approval_amount = 10000
        cls.tax = cls.env["account.tax"].create({"name": "VAT 13%", "amount": 13, "type_tax_use": "sale"})
        cls.pump.write({"taxes_id": [Command.set(cls.tax.ids)], "invoice_policy": "delivery"})
        cls.order = cls.sell()
        cls.sold_for = cls.order.order_line.price_total  # one pump, taxes included
        cls.lot = cls.deliver_serial(cls.order, "SN-RET-1")
        cls.valve = cls.env["product.product"].create(
            {
                "name": "Test Valve",
                "type": "consu",
                "list_price": 200.0,
                "invoice_policy": "delivery",
                "taxes_id": [Command.set(cls.tax.ids)],
            }
        )

    @classmethod
    def reviewed_ticket(cls, request_type="return", **values):
        """A ticket quality has approved: the settlement is raised from it."""
        values.setdefault("user_id", cls.user_sales.id)
        ticket = cls.new_ticket(request_type=request_type, review_note=PLAN, **values)
        ticket.action_submit_review()
        ticket.with_user(cls.user_quality).action_approve()
        return ticket

    @classmethod
    def settlement(cls, lines, kind="return", ticket=None, **values):
        """A draft with ``lines`` as ``[(sale line, quantity, lot)]``."""
        ticket = ticket or cls.reviewed_ticket({"compensation": "complaint"}.get(kind, kind))
        return cls.env["aftersales.settlement"].create(
            {
                "ticket_id": ticket.id,
                "kind": kind,
                "line_ids": [
                    Command.create({"sale_line_id": line.id, "quantity": quantity, "lot_id": lot.id if lot else False})
                    for line, quantity, lot in lines
                ],
                **values,
            }
        )

    def submitted(self, *args, **kwargs):
        settlement = self.settlement(*args, **kwargs)
        settlement.with_user(self.user_sales).action_submit()
        return settlement

    @classmethod
    def sell_valves(cls, quantity, invoice=True):
        order = cls.sell(product=cls.valve, product_uom_qty=quantity)
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.picked = True
        picking.button_validate()
        if invoice:
            order._create_invoices().action_post()
        return order

    def minutes(self, settlement):
        return self.env["ir.attachment"].create(
            {
                "name": "minutes.pdf",
                "datas": base64.b64encode(b"%PDF-1.4 minutes"),
                "res_model": "aftersales.settlement",
                "res_id": settlement.id,
            }
        )


@tagged("post_install", "-at_install")
class TestSettlementAuthority(SettlementCommon):
    def test_the_general_manager_approves_within_the_limit_and_the_return_is_made(self):
        settlement = self.submitted([(self.order.order_line, 1, self.lot)])
        self.assertEqual(settlement.state, "to_approve")
        self.assertEqual(settlement.amount, self.sold_for, "valued at the price sold, taxes included")
        self.assertEqual(settlement.authority, "general_manager")
        settlement.with_user(self.user_gm).action_approve()
        self.assertEqual(settlement.state, "approved")
        self.assertEqual(
            (settlement.decision, settlement.decided_by, settlement.approver_id),
            ("approved", "general_manager", self.user_gm),
        )
        picking = settlement.return_picking_ids
        self.assertEqual(picking.picking_type_id.code, "incoming")
        self.assertEqual(
            picking.return_id, self.order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        )
        self.assertEqual(picking.move_ids.product_id, self.pump)
        self.assertEqual(picking.move_ids.move_line_ids.lot_id, self.lot, "the serial named on the line comes back")
        self.assertFalse(settlement.replacement_picking_ids)

    def test_nobody_below_the_general_manager_decides(self):
        settlement = self.submitted([(self.order.order_line, 1, self.lot)])
        for user in (self.user_sales, self.user_tech, self.user_quality, self.user_manager):
            for action in ("action_approve", "action_reject"):
                with self.subTest(user=user.login, action=action), self.assertRaisesRegex(AccessError, GM_GROUP):
                    getattr(settlement.with_user(user), action)()
        with self.assertRaisesRegex(AccessError, GM_GROUP):
            settlement.with_user(self.user_manager).write({"rejection_reason": "Too expensive"})
        self.assertEqual(settlement.state, "to_approve")
        self.assertFalse(settlement.return_picking_ids or settlement.decision or settlement.approver_id)

    def test_the_decision_is_not_written_directly(self):
        settlement = self.submitted([(self.order.order_line, 1, self.lot)])
        for values in (
            {"state": "approved", "approver_id": self.user_gm.id},
            {"decision": "approved"},
            {"decided_by": "office_meeting"},
            {"approver_id": self.user_gm.id},
            {"amount": 1.0},
        ):
            # AccessError is a UserError: either refusal will do.
            with self.subTest(values=values), self.assertRaises(UserError):
                settlement.with_user(self.user_gm).write(values)
        with self.assertRaisesRegex(AccessError, "set by the application"):
            settlement.line_ids.with_user(self.user_sales).write({"amount": 1.0})
        # The status written alone is a card dropped on the kanban: the approval itself runs,
        # with its authority check (the general manager's, not a manager's).
        with self.assertRaisesRegex(AccessError, "approve a return, exchange or compensation"):
            settlement.with_user(self.user_manager).write({"state": "approved"})
        self.assertEqual(settlement.state, "to_approve")

    def test_above_the_limit_only_the_office_meeting_decides(self):
        self.company.aftersales_gm_approval_amount = 500
        settlement = self.submitted([(self.order.order_line, 1, self.lot)])
        self.assertEqual(settlement.authority, "office_meeting")
        with self.assertRaisesRegex(UserError, "office meeting decides"):
            settlement.with_user(self.user_gm).action_approve()
        with self.assertRaisesRegex(AccessError, GM_GROUP):
            settlement.with_user(self.user_manager).write({"meeting_date": "2025-01-10"})
        gm = settlement.with_user(self.user_gm)
        gm.write(
            {
                "meeting_date": "2025-01-10",
                "meeting_attendee_ids": [Command.set((self.user_gm | self.user_manager).ids)],
            }
        )
        with self.assertRaisesRegex(UserError, "Minutes"):
            gm.action_approve()
        self.assertFalse(settlement.return_picking_ids)
        gm.write({"meeting_minutes_ids": [Command.link(self.minutes(settlement).id)], "meeting_note": "Take it back."})
        gm.action_approve()
        self.assertEqual((settlement.state, settlement.decided_by), ("approved", "office_meeting"))
        self.assertTrue(settlement.return_picking_ids)
        decision = settlement.message_ids.filtered(lambda message: "Office meeting of" in (message.body or ""))
        self.assertIn("minutes.pdf (sha1 ", decision.body, "the chatter keeps which minutes were decided on")
        # The record of the meeting is final once decided, its minutes' file included.
        with self.assertRaisesRegex(UserError, "cannot be changed while"):
            gm.write({"meeting_date": "2025-01-11"})
        minutes = settlement.meeting_minutes_ids
        for change in (
            lambda file: file.unlink(),
            lambda file: file.write({"datas": base64.b64encode(b"%PDF-1.4 other minutes")}),
            lambda file: file.write({"res_id": self.order.id, "res_model": "sale.order"}),
        ):
            with self.assertRaisesRegex(UserError, "minutes .* was decided on"):
                change(minutes.with_user(self.user_gm))
        self.assertEqual(base64.b64decode(minutes.datas), b"%PDF-1.4 minutes")

    def test_the_office_meeting_is_chaired_by_a_general_manager(self):
        self.company.aftersales_gm_approval_amount = 500
        settlement = self.submitted([(self.order.order_line, 1, self.lot)])
        settlement.with_user(self.user_gm).write(
            {
                "meeting_date": "2025-01-10",
                "meeting_attendee_ids": [Command.set(self.user_manager.ids)],
                "meeting_minutes_ids": [Command.link(self.minutes(settlement).id)],
            }
        )
        with self.assertRaisesRegex(UserError, "No general manager attended"):
            settlement.with_user(self.user_gm).action_approve()

    def test_nothing_is_decided_on_a_cancelled_ticket(self):
        settlement = self.submitted([(self.order.order_line, 1, self.lot)])
        settlement.ticket_id.action_cancel()
        with self.assertRaisesRegex(UserError, "was cancelled"):
            settlement.with_user(self.user_gm).action_approve()
        self.assertEqual(settlement.state, "to_approve")

    def test_a_rejection_gives_its_reason(self):
        settlement = self.submitted([(self.order.order_line, 1, self.lot)])
        gm = settlement.with_user(self.user_gm)
        with self.assertRaisesRegex(UserError, "reason"):
            gm.action_reject()
        gm.rejection_reason = "Damaged by the customer's crane."
        gm.action_reject()
        self.assertEqual((settlement.state, settlement.decision), ("rejected", "rejected"))
        self.assertFalse(settlement.return_picking_ids)
        with self.assertRaises(UserError):
            gm.action_approve()


@tagged("post_install", "-at_install")
class TestSettlementBasis(SettlementCommon):
    def test_the_amount_follows_the_sale_lines_not_a_typed_number(self):
        settlement = self.settlement([(self.order.order_line, 1, self.lot)])
        self.assertEqual(settlement.amount, self.sold_for)
        with self.assertRaisesRegex(AccessError, "set by the application"):
            settlement.with_user(self.user_sales).write({"amount": 10.0})
        with self.assertRaisesRegex(AccessError, "set by the application"):
            settlement.with_user(self.user_sales).write({"goods_value": 10.0})
        self.assertEqual(settlement.amount, self.sold_for)

    def test_no_more_comes_back_than_the_customer_has(self):
        two = self.settlement([(self.order.order_line, 2, False)])
        with self.assertRaisesRegex(UserError, "only 1.0 were delivered"):
            two.action_submit()
        first = self.submitted([(self.order.order_line, 1, self.lot)])
        second = self.settlement([(self.order.order_line, 1, self.lot)])
        with self.assertRaisesRegex(UserError, "only 0.0 were delivered"):
            second.action_submit()
        first.with_user(self.user_gm).action_approve()
        with self.assertRaisesRegex(UserError, "only 0.0 were delivered"):
            second.action_submit()
        self.assertEqual(second.state, "draft")

    def test_a_serial_is_one_unit_delivered_on_its_line(self):
        with self.assertRaisesRegex(ValidationError, "single unit"):
            self.settlement([(self.order.order_line, 2, self.lot)])
        other_order = self.sell()
        with self.assertRaisesRegex(ValidationError, "not delivered on that line"):
            self.settlement([(other_order.order_line, 1, self.lot)])

    def test_only_the_customers_own_sales(self):
        stranger_order = self.sell(partner=self.other_customer)
        with self.assertRaisesRegex(ValidationError, "covers the goods the customer bought"):
            self.settlement([(stranger_order.order_line, 1, False)])

    def test_no_goods_or_no_sale_line_is_refused_clearly(self):
        empty = self.settlement([])
        with self.assertRaisesRegex(UserError, "has no goods"):
            empty.action_submit()
        unsold = self.settlement([])
        unsold.line_ids = [Command.create({"product_id": self.pump.id, "quantity": 1})]
        with self.assertRaisesRegex(UserError, "has no sale order line"):
            unsold.action_submit()
        # Even if a draft reached the general manager, he could not approve it.
        empty.sudo()._write_transition({"state": "to_approve"})
        with self.assertRaisesRegex(UserError, "has no goods"):
            empty.with_user(self.user_gm).action_approve()
        self.assertEqual(empty.state, "to_approve")

    def test_quality_decides_the_ticket_first(self):
        ticket = self.new_ticket(request_type="return", lot_id=self.lot.id, user_id=self.user_sales.id)
        settlement = self.env["aftersales.settlement"].browse(
            ticket.with_user(self.user_sales).action_create_settlement()["res_id"]
        )
        self.assertEqual(settlement.line_ids.mapped("lot_id"), self.lot, "the ticket's unit is the first line")
        self.assertEqual(settlement.line_ids.sale_line_id, self.order.order_line)
        with self.assertRaisesRegex(UserError, "Quality has not approved"):
            settlement.action_submit()

    def test_only_complaints_returns_and_exchanges_are_settled(self):
        repair = self.new_ticket(request_type="repair")
        with self.assertRaisesRegex(UserError, "not a complaint, return or exchange"):
            repair.action_create_settlement()
        with self.assertRaisesRegex(ValidationError, "not a complaint, return or exchange"):
            self.env["aftersales.settlement"].create({"ticket_id": repair.id})

    def test_the_ticket_approval_is_a_plain_quality_decision(self):
        ticket = self.reviewed_ticket("complaint", lot_id=self.lot.id)
        self.assertEqual((ticket.state, ticket.reviewer_id), ("ready", self.user_quality))
        self.assertFalse(ticket.quotation_id)
        action = ticket.action_create_settlement()
        settlement = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(settlement.kind, "compensation")
        self.assertRegex(settlement.name, r"^RX\d{4}/\d{5}$")
        self.assertEqual((ticket.settlement_ids, ticket.settlement_count), (settlement, 1))
        self.assertEqual(ticket.action_view_settlements()["res_id"], settlement.id)

    def test_each_company_numbers_its_own(self):
        branch = self.env["res.company"].create({"name": "Settlement Branch"})
        first = self.settlement([])
        customer = self.env["res.partner"].create({"name": "Branch customer", "company_id": branch.id})
        ticket = self.new_ticket(request_type="return", company_id=branch.id, partner_id=customer.id)
        second = self.env["aftersales.settlement"].create({"ticket_id": ticket.id})
        self.assertEqual(second.company_id, branch)
        self.assertTrue(second.name.endswith("00001"), second.name)
        # The branch's number did not use the first company's sequence (demo data may have used some).
        third = self.settlement([])
        self.assertEqual(int(third.name[-5:]), int(first.name[-5:]) + 1, (first.name, third.name))


@tagged("post_install", "-at_install")
class TestSettlementKeepsTheTicketOpen(SettlementCommon):
    def test_a_ticket_is_not_closed_while_its_settlement_is_under_way(self):
        settlement = self.submitted([(self.order.order_line, 1, self.lot)])
        ticket = settlement.ticket_id
        ticket.action_done()
        with self.assertRaisesRegex(UserError, "cannot be closed while"):
            ticket.action_close()
        self.assertEqual(ticket.state, "done")
        settlement.action_cancel()
        self.waive_evaluation(ticket)
        ticket.action_close()
        self.assertEqual(ticket.state, "closed")


@tagged("post_install", "-at_install")
class TestSettlementOutcome(SettlementCommon):
    def test_the_credit_note_of_a_return_is_the_invoice_reversed_for_the_goods_returned(self):
        order = self.sell_valves(3)
        invoice = order.invoice_ids
        settlement = self.submitted([(order.order_line, 2, False)])
        settlement.with_user(self.user_gm).action_approve()
        credit_note = settlement.credit_note_ids
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.state, "draft", "accounting posts it")
        self.assertEqual(credit_note.reversed_entry_id, invoice)
        line = credit_note.invoice_line_ids
        invoice_line = invoice.invoice_line_ids
        self.assertEqual(line.quantity, 2)
        self.assertEqual(line.tax_ids, invoice_line.tax_ids, "the invoice's taxes")
        self.assertEqual(line.account_id, invoice_line.account_id, "the invoice's account")
        self.assertEqual(line.price_unit, invoice_line.price_unit)
        self.assertAlmostEqual(credit_note.amount_tax, invoice.amount_tax * 2 / 3, places=2)
        self.assertAlmostEqual(credit_note.amount_total, settlement.amount, places=2)
        self.assertEqual(settlement.return_picking_ids.move_ids.product_uom_qty, 2)
        self.assertEqual(order.order_line.qty_invoiced, 1, "the credit note counts against what was invoiced")

    def test_several_products_on_one_settlement(self):
        order = self.sell_valves(2, invoice=False)
        self.env["sale.order.line"].create({"order_id": order.id, "product_id": self.seal.id, "product_uom_qty": 5})
        order.picking_ids.filtered(lambda p: p.state != "done").button_validate()
        order._create_invoices().action_post()
        valve_line, seal_line = order.order_line
        settlement = self.submitted([(valve_line, 1, False), (seal_line, 3, False)])
        self.assertAlmostEqual(
            settlement.amount, valve_line.price_reduce_taxinc + 3 * seal_line.price_reduce_taxinc, places=2
        )
        settlement.with_user(self.user_gm).action_approve()
        returned = settlement.return_picking_ids.move_ids
        self.assertEqual(
            {(move.product_id, move.product_uom_qty) for move in returned}, {(self.valve, 1), (self.seal, 3)}
        )
        credited = settlement.credit_note_ids.invoice_line_ids
        self.assertEqual({(line.product_id, line.quantity) for line in credited}, {(self.valve, 1), (self.seal, 3)})

    def test_a_compensation_credits_the_amount_asked_with_the_invoices_taxes(self):
        order = self.sell_valves(2)
        invoice = order.invoice_ids
        ticket = self.reviewed_ticket("complaint", sale_line_id=order.order_line.id)
        with self.assertRaisesRegex(UserError, "more than the goods"):
            self.submitted([(order.order_line, 1, False)], kind="compensation", ticket=ticket, compensation_amount=500)
        settlement = self.submitted(
            [(order.order_line, 1, False)], kind="compensation", ticket=ticket, compensation_amount=113
        )
        self.assertEqual(settlement.amount, 113)
        settlement.with_user(self.user_gm).action_approve()
        self.assertFalse(settlement.return_picking_ids, "the goods stay with the customer")
        credit_note = settlement.credit_note_ids
        self.assertEqual(credit_note.reversed_entry_id, invoice)
        self.assertEqual(credit_note.invoice_line_ids.tax_ids, invoice.invoice_line_ids.tax_ids)
        self.assertAlmostEqual(credit_note.amount_total, 113, places=2)
        self.assertAlmostEqual(credit_note.amount_tax, 13, places=2)

    def test_a_compensation_needs_a_posted_invoice(self):
        order = self.sell_valves(1, invoice=False)
        settlement = self.submitted([(order.order_line, 1, False)], kind="compensation", compensation_amount=50)
        with self.assertRaisesRegex(UserError, "not on a posted customer invoice"):
            settlement.with_user(self.user_gm).action_approve()
        self.assertEqual(settlement.state, "to_approve")
        self.assertFalse(settlement.credit_note_ids)

    def test_a_return_of_uninvoiced_goods_says_why_there_is_no_credit_note(self):
        settlement = self.submitted([(self.order.order_line, 1, self.lot)])
        settlement.with_user(self.user_gm).action_approve()
        self.assertFalse(settlement.credit_note_ids)
        self.assertTrue(
            any("not on a posted customer invoice" in body for body in settlement.message_ids.mapped("body"))
        )

    def test_an_exchange_ships_a_replacement(self):
        settlement = self.submitted([(self.order.order_line, 1, self.lot)], kind="exchange")
        settlement.with_user(self.user_gm).action_approve()
        self.assertEqual(settlement.return_picking_ids.picking_type_id.code, "incoming")
        replacement = settlement.replacement_picking_ids
        self.assertEqual(replacement.picking_type_id.code, "outgoing")
        self.assertEqual(replacement.move_ids.product_id, self.pump)
        self.assertEqual(replacement.move_ids.sale_line_id, self.order.order_line, "the sale delivers it again")
        self.assertFalse(settlement.credit_note_ids)

    def test_done_once_the_goods_are_back(self):
        settlement = self.submitted([(self.order.order_line, 1, self.lot)])
        settlement.with_user(self.user_gm).action_approve()
        with self.assertRaisesRegex(UserError, "not carried out yet"):
            settlement.with_user(self.user_sales).action_done()
        picking = settlement.return_picking_ids
        picking.move_ids.picked = True
        picking.button_validate()
        settlement.with_user(self.user_sales).action_done()
        self.assertEqual(settlement.state, "done")
        self.assertEqual(self.order.order_line.qty_delivered, 0)


@tagged("post_install", "-at_install")
class TestSettlementVisibility(SettlementCommon):
    def test_a_settlement_follows_its_ticket(self):
        user_a = new_test_user(self.env, "set_user_a", groups="aftersales_service.group_aftersales_user")
        user_b = new_test_user(self.env, "set_user_b", groups="aftersales_service.group_aftersales_user")
        mine = self.settlement([], ticket=self.new_ticket(request_type="return", user_id=user_a.id))
        theirs = self.settlement([], ticket=self.new_ticket(request_type="return", user_id=user_b.id))
        for record in mine | theirs:
            record.line_ids = [Command.create({"product_id": self.seal.id})]
        Settlement = self.env["aftersales.settlement"].with_user(user_a)
        self.assertEqual(Settlement.search([("id", "in", (mine | theirs).ids)]), mine)
        Line = self.env["aftersales.settlement.line"].with_user(user_a)
        self.assertEqual(Line.search([("id", "in", (mine | theirs).line_ids.ids)]), mine.line_ids)
        with self.assertRaises(AccessError):
            theirs.with_user(user_a).read(["amount"])
        with self.assertRaises(AccessError):
            Settlement.create({"ticket_id": theirs.ticket_id.id})
        self.assertEqual(
            self.env["aftersales.settlement"].with_user(self.user_tech).search([("id", "in", (mine | theirs).ids)]),
            mine | theirs,
        )
        outsider = self.branch_user(
            "set_outsider", "aftersales_service.group_aftersales_general_manager", "Other Branch"
        )
        self.assertFalse(self.env["aftersales.settlement"].with_user(outsider).search([("id", "in", mine.ids)]))
