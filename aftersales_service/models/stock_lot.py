from odoo import api, fields, models


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
        """``{lot_id: sale.order.line}`` from the latest done delivery of each serial."""
        move_lines = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", self.ids),
                    ("state", "=", "done"),
                    ("move_id.sale_line_id", "!=", False),
                    ("location_dest_id.usage", "=", "customer"),
                ],
                order="date desc, id desc",
            )
        )
        result = {}
        for move_line in move_lines:
            result.setdefault(move_line.lot_id.id, move_line.move_id.sale_line_id.with_env(self.env))
        return result

    def action_view_aftersales_tickets(self):
        return self.env["aftersales.ticket"]._action_open(
            [("lot_id", "in", self.ids)], {"default_lot_id": self.id, "default_product_id": self.product_id.id}
        )
