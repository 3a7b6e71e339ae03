"""What an approved return, exchange or compensation creates, through Odoo's own documents:
stock's return (and exchange) of the delivery, and the reversal of the customer invoice.

Policy P5 三.4(7): 批准后落实实施 — the decision is carried out once approved.
"""

from collections import defaultdict

from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import float_compare, float_is_zero

from .aftersales_settlement import CREDIT_KINDS, GOODS_KINDS


class AftersalesSettlementOutcome(models.Model):
    # One concern of the settlement per file, so that the settlement stays readable (see aftersales_settlement.py).
    _inherit = "aftersales.settlement"  # pylint: disable=consider-merging-classes-inherited

    def _carry_out(self, credit):
        """Make the documents the decision calls for (run as superuser, after the checks)."""
        self.ensure_one()
        if self.kind in GOODS_KINDS:
            self._create_returns(exchange=self.kind == "exchange")
        if self.kind in CREDIT_KINDS:
            self._create_credit_notes(credit)

    def _pending_documents(self):
        """The documents of the decision that are not completed yet (returns and replacements
        not done, credit notes not posted)."""
        self.ensure_one()
        documents = self.sudo()
        pickings = (documents.return_picking_ids | documents.replacement_picking_ids).filtered(
            lambda picking: picking.state not in ("done", "cancel")
        )
        credit_notes = documents.credit_note_ids.filtered(lambda move: move.state == "draft")
        return pickings.mapped("display_name") + credit_notes.mapped("display_name")

    # Returns and exchanges -------------------------------------------------

    def _return_allocation(self):
        """``{delivery: {move: [quantity, lots]}}``: the delivered moves the goods go back on,
        the latest deliveries first, a serial on the delivery that carried it."""
        allocation = defaultdict(lambda: defaultdict(lambda: [0.0, self.env["stock.lot"]]))
        taken = defaultdict(float)
        for line in self.line_ids:
            moves = line.sale_line_id.move_ids._aftersales_delivered()
            if line.lot_id:
                moves = moves.filtered(lambda move, lot=line.lot_id: lot in move.move_line_ids.lot_id)
            remaining = line.quantity
            rounding = line.sale_line_id.product_uom.rounding
            for move in moves.sorted(lambda move: (move.date, move.id), reverse=True):
                returned = sum(
                    move.returned_move_ids.filtered(lambda ret: ret.state != "cancel").mapped("product_uom_qty")
                )
                free = move.quantity - returned - taken[move]
                if float_compare(free, 0.0, precision_rounding=rounding) <= 0:
                    continue
                quantity = min(free, remaining)
                taken[move] += quantity
                allocation[move.picking_id][move][0] += quantity
                allocation[move.picking_id][move][1] |= line.lot_id
                remaining -= quantity
                if float_is_zero(remaining, precision_rounding=rounding):
                    break
            if not float_is_zero(remaining, precision_rounding=rounding):
                raise UserError(
                    _(
                        "No delivery of %(product)s to %(customer)s was found to take back %(quantity)s.",
                        product=line._product_and_serial(),
                        customer=self.partner_id.display_name,
                        quantity=remaining,
                    )
                )
        return allocation

    def _create_returns(self, exchange=False):
        """Stock's return of each delivery; for an exchange, stock's exchange ships the replacement."""
        Picking = self.env["stock.picking"]
        returns = replacements = Picking
        for delivery, moves in self._return_allocation().items():
            wizard = delivery._aftersales_return_moves_wizard(
                {move: quantity for move, (quantity, _lots) in moves.items()}
            )
            before = Picking.search([("group_id", "=", delivery.group_id.id)]) if delivery.group_id else Picking
            if exchange:
                returned = Picking.browse(wizard.action_create_exchanges()["res_id"])
                # The exchange re-runs the sale's procurement: the new outgoing picking is the replacement.
                if delivery.group_id:
                    created = Picking.search([("group_id", "=", delivery.group_id.id)]) - before - returned
                    replacements |= created.filtered(lambda picking: picking.picking_type_code == "outgoing")
            else:
                returned = Picking.browse(wizard.action_create_returns()["res_id"])
            returned._aftersales_set_returned_lots({move: lots for move, (_quantity, lots) in moves.items()})
            returns |= returned
        self.write(
            {
                "return_picking_ids": [Command.link(picking.id) for picking in returns],
                "replacement_picking_ids": [Command.link(picking.id) for picking in replacements],
            }
        )

    # Credit notes ------------------------------------------------------------

    def _credit_allocation(self):
        """``({invoice: {sale_line: quantity}}, notes)``: the posted customer invoices the credit notes
        reverse, and how much of each sale line they credit (latest invoices first, never
        more than an invoice holds net of its earlier credit notes).

        A compensation needs its goods invoiced (it is a credit note); a return credits what
        was invoiced, and the notes say what was not."""
        self.ensure_one()
        allocation = defaultdict(lambda: defaultdict(float))
        notes = []
        if self.kind not in CREDIT_KINDS:
            return allocation, notes
        used = defaultdict(float)
        for line in self.line_ids:
            sale_line = line.sale_line_id.sudo()
            rounding = sale_line.product_uom.rounding
            remaining = line.quantity
            invoice_lines = sale_line.invoice_lines.filtered(
                lambda inv: inv.move_id.state == "posted" and inv.move_id.move_type == "out_invoice"
            )
            for invoice_line in invoice_lines.sorted(
                lambda inv: (inv.move_id.invoice_date or inv.date, inv.id), reverse=True
            ):
                credited = sum(
                    sale_line.invoice_lines.filtered(
                        lambda ref, invoice=invoice_line.move_id: (
                            ref.move_id.move_type == "out_refund"
                            and ref.move_id.state != "cancel"
                            and ref.move_id.reversed_entry_id == invoice
                        )
                    ).mapped("quantity")
                )
                free = invoice_line.quantity - credited - used[invoice_line]
                if float_compare(free, 0.0, precision_rounding=rounding) <= 0:
                    continue
                quantity = min(free, remaining)
                used[invoice_line] += quantity
                allocation[invoice_line.move_id][sale_line] += quantity
                remaining -= quantity
                if float_is_zero(remaining, precision_rounding=rounding):
                    break
            if float_is_zero(remaining, precision_rounding=rounding):
                continue
            if self.kind == "compensation":
                raise UserError(
                    _(
                        "%(quantity)s %(product)s of %(order)s are not on a posted customer invoice: a compensation is "
                        "a credit note reversing the invoice. Invoice the goods first.",
                        quantity=remaining,
                        product=sale_line.product_id.display_name,
                        order=sale_line.order_id.name,
                    )
                )
            notes.append(
                _(
                    "%(quantity)s %(product)s of %(order)s are not on a posted customer invoice: no credit note for "
                    "them, the return lowers what remains to invoice.",
                    quantity=remaining,
                    product=sale_line.product_id.display_name,
                    order=sale_line.order_id.name,
                )
            )
        return allocation, notes

    def _create_credit_notes(self, allocation):
        """Odoo's reversal of each invoice, cut down to the goods settled: the credit note
        keeps the invoice's taxes, accounts and prices (scaled down for a compensation)."""
        factor = 1.0
        if self.kind == "compensation":
            factor = self.compensation_amount / self.goods_value if self.goods_value else 0.0
        credit_notes = self.env["account.move"]
        for invoice, quantities in allocation.items():
            reversal = (
                self.env["account.move.reversal"]
                .with_context(active_model="account.move", active_ids=invoice.ids)
                .create(
                    {
                        "journal_id": invoice.journal_id.id,
                        "date": fields.Date.context_today(self),
                        "reason": _(
                            "%(settlement)s of ticket %(ticket)s", settlement=self.name, ticket=self.ticket_id.name
                        ),
                    }
                )
            )
            reversal.refund_moves()
            credit_note = reversal.new_move_ids
            remaining = dict(quantities)
            commands = []
            for credit_line in credit_note.invoice_line_ids:
                sale_line = credit_line.sale_line_ids[:1]
                quantity = min(remaining.get(sale_line, 0.0), credit_line.quantity)
                if credit_line.display_type != "product" or float_is_zero(
                    quantity, precision_rounding=credit_line.product_uom_id.rounding or 0.01
                ):
                    commands.append(Command.unlink(credit_line.id))
                    continue
                remaining[sale_line] -= quantity
                values = {"quantity": quantity}
                if factor != 1.0:
                    values["price_unit"] = credit_line.price_unit * factor
                commands.append(Command.update(credit_line.id, values))
            credit_note.write({"invoice_line_ids": commands})
            credit_note.message_post_with_source(
                "mail.message_origin_link",
                render_values={"self": credit_note, "origin": self},
                subtype_xmlid="mail.mt_note",
            )
            credit_notes |= credit_note
        self.write({"credit_note_ids": [Command.link(move.id) for move in credit_notes]})
