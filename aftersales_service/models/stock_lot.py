from odoo import api, fields, models
from odoo.tools import SQL

from .stock_move import DELIVERED_JOIN, DELIVERED_WHERE


def take_sale_line_from_serial(records):
    """Set each record's ``sale_line_id`` to the sale line that delivered its serial (``lot_id``);
    a record whose serial was not delivered on a sale keeps the line it has."""
    sold_on = records.lot_id._aftersales_delivered_sale_lines()
    for record in records:
        if record.lot_id and record.lot_id.id in sold_on:
            record.sale_line_id = sold_on[record.lot_id.id]


class StockLot(models.Model):
    _inherit = "stock.lot"

    aftersales_ticket_ids = fields.One2many("aftersales.ticket", "lot_id", string="After-Sales Tickets")
    aftersales_ticket_count = fields.Integer(compute="_compute_aftersales_ticket_count")
    aftersales_sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Sold On",
        compute="_compute_aftersales_sale_line_id",
        help="The sale order line this serial was delivered on.",
    )
    aftersales_warranty_state = fields.Selection(
        [("in_warranty", "In Warranty"), ("expired", "Expired"), ("none", "No Warranty")],
        string="Warranty",
        compute="_compute_aftersales_warranty",
    )
    aftersales_warranty_end_date = fields.Date(string="Warranty Until", compute="_compute_aftersales_warranty")

    @api.depends("aftersales_ticket_ids")
    def _compute_aftersales_ticket_count(self):
        for lot in self:
            lot.aftersales_ticket_count = len(lot.aftersales_ticket_ids)

    def _compute_aftersales_sale_line_id(self):
        sold_on = self._aftersales_delivered_sale_lines()
        for lot in self:
            lot.aftersales_sale_line_id = sold_on.get(lot.id, False)

    def _compute_aftersales_warranty(self):
        for lot in self:
            line = lot.aftersales_sale_line_id
            status = (
                line.sudo()._aftersales_warranty_status(lot.sudo()) if line else {"state": "none", "end_date": False}
            )
            lot.aftersales_warranty_state = status["state"]
            lot.aftersales_warranty_end_date = status["end_date"]

    def _aftersales_delivered_sale_lines(self):
        """``{lot_id: sale.order.line}`` from the latest done delivery of each serial.

        One query whatever the number of serials: it runs for every ticket created with a
        serial and for every warranty look-up."""
        lines = self.env["sale.order.line"]
        return {lot_id: lines.browse(line_id) for lot_id, (line_id, _first) in self._aftersales_sold_on().items()}

    def _aftersales_sold_on(self):
        """``{lot_id: (sale_line_id, first delivery date of the serial on that line)}``, the
        line from the latest done delivery of each serial, in one query: the warranty look-up
        needs both, and the date saves it a second query."""
        lot_ids = tuple(lot_id for lot_id in self.ids if lot_id)  # a form's new records have none
        if not lot_ids:
            return {}
        self.env["stock.move"]._aftersales_flush_delivered()
        # The window runs before DISTINCT ON: each row carries its line's first delivery.
        rows = self.env.execute_query(
            SQL(
                """SELECT DISTINCT ON (line.lot_id) line.lot_id, move.sale_line_id,
                          MIN(line.date) OVER (PARTITION BY line.lot_id, move.sale_line_id)
                     FROM stock_move_line line
                     JOIN stock_move move ON move.id = line.move_id
                     %s
                    WHERE line.lot_id IN %s
                      AND move.sale_line_id IS NOT NULL
                      AND %s
                 ORDER BY line.lot_id, line.date DESC, line.id DESC""",
                DELIVERED_JOIN,
                lot_ids,
                DELIVERED_WHERE,
            )
        )
        return {lot_id: (line_id, first.date() if first else False) for lot_id, line_id, first in rows}

    def action_view_aftersales_tickets(self):
        return self.env["aftersales.ticket"]._action_open(
            [("lot_id", "in", self.ids)], {"default_lot_id": self.id, "default_product_id": self.product_id.id}
        )
