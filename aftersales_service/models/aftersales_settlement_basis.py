"""What a return, exchange or compensation rests on: goods that were sold and delivered to the
customer, no more than he still has, and a compensation within what they are worth.

Policy P5 三.4(7): 登记清楚后 — the settlement is decided on a clear record; these checks run
before it is submitted and again before it is decided.
"""

from collections import defaultdict

from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, format_amount

from .aftersales_settlement import GOODS_KINDS


class AftersalesSettlementBasis(models.Model):
    # One concern of the settlement per file, so that the settlement stays readable (see aftersales_settlement.py).
    _inherit = "aftersales.settlement"  # pylint: disable=consider-merging-classes-inherited

    def _refresh_amounts(self):
        """The value of the goods from the sale lines as they are now, at today's rate."""
        self.line_ids._compute_amount()

    def _check_basis(self):
        """Lines on sold goods, no more than the customer has, a compensation within their value."""
        self.ensure_one()
        if self.ticket_id.state == "cancel":
            raise UserError(
                _(
                    "Ticket %(ticket)s was cancelled: its return, exchange or compensation is not decided.",
                    ticket=self.ticket_id.name,
                )
            )
        if not self.line_ids:
            raise UserError(
                _(
                    "%(settlement)s has no goods: list the products (and serials) concerned, with their sale order "
                    "lines.",
                    settlement=self.name,
                )
            )
        unsold = self.line_ids.filtered(lambda line: not line.sale_line_id)
        if unsold:
            raise UserError(
                _(
                    "%(product)s on %(settlement)s has no sale order line: a return, exchange or compensation is "
                    "valued and approved from what was sold.",
                    product=unsold[0].product_id.display_name,
                    settlement=self.name,
                )
            )
        self._check_quantities()
        if self.kind == "compensation":
            if self.currency_id.compare_amounts(self.compensation_amount, 0.0) <= 0:
                raise UserError(_("Give the compensation asked in %(settlement)s.", settlement=self.name))
            if self.currency_id.compare_amounts(self.compensation_amount, self.goods_value) > 0:
                raise UserError(
                    _(
                        "The compensation asked in %(settlement)s (%(amount)s) is more than the goods it concerns "
                        "are worth (%(value)s).",
                        settlement=self.name,
                        amount=format_amount(self.env, self.compensation_amount, self.currency_id),
                        value=format_amount(self.env, self.goods_value, self.currency_id),
                    )
                )

    def _check_quantities(self):
        """No line takes back (or is compensated for) more than was delivered, net of what
        came back, of what returns under way take back and of what other settlements waiting
        for approval ask back."""
        self.ensure_one()
        asked = defaultdict(float)
        for line in self.line_ids:
            asked[line.sale_line_id] += line.quantity
        for sale_line, quantity in asked.items():
            available = sale_line.sudo()._aftersales_returnable_qty()
            if self.kind in GOODS_KINDS:
                available -= self._quantity_asked_elsewhere(sale_line)
            if float_compare(quantity, available, precision_rounding=sale_line.sudo().product_uom.rounding) > 0:
                raise UserError(
                    _(
                        "%(settlement)s counts %(quantity)s %(product)s of %(order)s, but only %(available)s were "
                        "delivered and are neither returned nor on their way back.",
                        settlement=self.name,
                        quantity=quantity,
                        product=sale_line.sudo().product_id.display_name,
                        order=sale_line.sudo().order_id.name,
                        available=max(available, 0.0),
                    )
                )

    def _quantity_asked_elsewhere(self, sale_line):
        """What other returns and exchanges waiting for a decision ask back on ``sale_line``."""
        lines = (
            self.env["aftersales.settlement.line"]
            .sudo()
            .search(
                [
                    ("sale_line_id", "=", sale_line.id),
                    ("settlement_id", "!=", self.id),
                    ("settlement_id.state", "=", "to_approve"),
                    ("settlement_id.kind", "in", GOODS_KINDS),
                ]
            )
        )
        return sum(lines.mapped("quantity"))
