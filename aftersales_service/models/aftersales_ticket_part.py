from odoo import api, fields, models

from .aftersales_guard_mixin import editable


class AftersalesTicketPart(models.Model):
    _name = "aftersales.ticket.part"
    _inherit = ["aftersales.guard.mixin"]
    _guard_parent = "ticket_id"
    _deletable_states = ("draft", "review")
    _description = "Planned Part of an After-Sales Ticket"
    _order = "ticket_id, sequence, id"
    _check_company_auto = True

    ticket_id = fields.Many2one("aftersales.ticket", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", string="Part", required=True, check_company=True)
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)
    price_unit = fields.Float(
        string="Unit Price",
        digits="Product Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
    )

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The quantity of a part must be positive."),
        ("price_unit_positive", "CHECK(price_unit >= 0)", "The price of a part cannot be negative."),
    ]

    def _editable_fields(self):
        # The repair is planned until quality decides; then the quotation carries it.
        return super()._editable_fields() + [
            editable("ticket_id product_id quantity price_unit sequence", ("draft", "review")),
        ]

    @api.depends("product_id")
    def _compute_price_unit(self):
        for part in self:
            part.price_unit = part.product_id.lst_price
