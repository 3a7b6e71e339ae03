from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _aftersales_return_wizard(self, product, quantity):
        """Stock's return wizard for this picking, returning ``quantity`` of ``product`` only:
        customer returns and returns to vendors both go through it."""
        self.ensure_one()
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=self.id, active_model="stock.picking")
            .create({"picking_id": self.id})
        )
        for line in wizard.product_return_moves:
            line.quantity = quantity if line.product_id == product else 0
        return wizard
