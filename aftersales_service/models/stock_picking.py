from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _aftersales_return_moves_wizard(self, quantities):
        """Stock's return wizard for this picking, returning ``{move: quantity}`` of its moves only:
        customer returns and returns to vendors both go through it."""
        self.ensure_one()
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=self.id, active_model="stock.picking")
            .create({"picking_id": self.id})
        )
        for line in wizard.product_return_moves:
            line.quantity = quantities.get(line.move_id, 0.0)
        return wizard

    def _aftersales_set_returned_lots(self, lots_by_move):
        """Name on this return the serials or lots coming back (``{returned move: lots}``)."""
        for move in self.move_ids:
            lots = lots_by_move.get(move.origin_returned_move_id)
            if not lots or move.product_id.tracking == "none":
                continue
            move_lines = move.move_line_ids
            if move.product_id.tracking == "serial":
                for move_line, lot in zip(move_lines, lots, strict=False):
                    move_line.lot_id = lot
            elif len(lots) == 1:
                move_lines.lot_id = lots
