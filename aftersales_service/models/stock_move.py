from odoo import models
from odoo.tools import SQL

# "Delivered to the customer", the one definition the suite uses (warranty start, serial
# look-up, the ticket's delivery, returns): a done move whose destination is a customer
# location. The same rule for queries: ``move`` is the stock_move alias they join from.
DELIVERED_JOIN = SQL("JOIN stock_location destination ON destination.id = move.location_dest_id")
DELIVERED_WHERE = SQL("move.state = 'done' AND destination.usage = 'customer'")


class StockMove(models.Model):
    _inherit = "stock.move"

    def _aftersales_delivered(self):
        """The moves of these that delivered goods to the customer."""
        return self.filtered(lambda move: move.state == "done" and move.location_dest_id.usage == "customer")

    def _aftersales_flush_delivered(self):
        """Write pending changes the delivered queries read."""
        self.env["stock.move"].flush_model(["sale_line_id", "state", "location_dest_id"])
        self.env["stock.move.line"].flush_model(["move_id", "lot_id", "date"])
        self.env["stock.location"].flush_model(["usage"])
