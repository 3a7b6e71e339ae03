from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .aftersales_guard_mixin import TECHNICIAN, editable


class AftersalesTicketPart(models.Model):
    _name = "aftersales.ticket.part"
    _inherit = ["aftersales.guard.mixin"]
    _guard_parent = "ticket_id"
    _deletable_states = ("draft", "review", "dispatched")
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
            # The engineer of a diagnostic visit lists what the repair needs, for its quotation.
            editable("ticket_id product_id quantity price_unit sequence", ("dispatched",), TECHNICIAN),
        ]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_quoted(self):
        self._check_still_to_quote()

    @api.constrains("product_id", "quantity", "price_unit")
    def _check_still_to_quote(self):
        """On a dispatched ticket, the list is the diagnostic visit's, until it is quoted."""
        for part in self.filtered(lambda part: part.ticket_id.state == "dispatched"):
            ticket = part.ticket_id
            if ticket.quotation_id.state in ("draft", "sent", "sale") or not ticket.dispatch_ids.filtered("diagnostic"):
                raise ValidationError(
                    _(
                        "The parts to quote for %(ticket)s are fixed: its quotation is made. Record the parts "
                        "fitted on the field form.",
                        ticket=ticket.name,
                    )
                )

    @api.depends("product_id")
    def _compute_price_unit(self):
        for part in self:
            part.price_unit = part.product_id.lst_price
