from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    # The parts a technician carries (his van): field forms take what he fits from there.
    aftersales_stock_location_id = fields.Many2one(
        "stock.location",
        string="Technician's Stock",
        domain=[("usage", "=", "internal")],
        help="The stock location of the parts this technician carries. Parts he fits on site leave "
        "from here; when empty, from the company's warehouse.",
    )
