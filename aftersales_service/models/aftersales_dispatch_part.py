from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from .aftersales_guard_mixin import TECHNICIAN, editable


class AftersalesDispatchPart(models.Model):
    _name = "aftersales.dispatch.part"
    _inherit = ["aftersales.guard.mixin"]
    _guard_parent = "dispatch_id"
    _deletable_states = ("planned", "on_site")
    _description = "Part Used on a Field Form"
    _order = "dispatch_id, sequence, id"
    _check_company_auto = True

    dispatch_id = fields.Many2one("aftersales.dispatch", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="dispatch_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", string="Part", required=True, check_company=True)
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)
    lot_id = fields.Many2one(
        "stock.lot", string="Serial / Lot", domain="[('product_id', '=', product_id)]", check_company=True
    )
    cost = fields.Float(
        string="Unit Cost",
        digits="Product Price",
        compute="_compute_cost",
        store=True,
        groups="aftersales_service.group_aftersales_user",
    )
    move_id = fields.Many2one("stock.move", string="Stock Move", readonly=True, copy=False)

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The quantity of a part must be positive."),
    ]

    def _editable_fields(self):
        # Parts are recorded until the customer signs the form; then they leave stock.
        return super()._editable_fields() + [
            editable("dispatch_id product_id quantity lot_id sequence", ("planned", "on_site"), TECHNICIAN),
        ]

    @api.depends("product_id")
    def _compute_cost(self):
        for part in self:
            part.cost = part.product_id.standard_price

    @api.constrains("product_id")
    def _check_spare_part(self):
        for part in self:
            if part.product_id.is_storable and not part.product_id.aftersales_spare_part:
                raise ValidationError(
                    _(
                        "%(product)s is not a spare part: only products marked as spare parts leave stock "
                        "on a field form.",
                        product=part.product_id.display_name,
                    )
                )

    @api.constrains("product_id", "lot_id")
    def _check_lot(self):
        for part in self:
            if part.lot_id and part.lot_id.product_id != part.product_id:
                raise ValidationError(
                    _(
                        "Serial %(lot)s is not a %(product)s.",
                        lot=part.lot_id.name,
                        product=part.product_id.display_name,
                    )
                )

    def _consume(self):
        """Take the parts of stored products out of the company's stock, to the customer.

        The moves are made as superuser (technicians need no stock rights), so what leaves is
        checked first: spare parts only (a constraint), never more than the stock holds."""
        for part in self.filtered(lambda p: p.product_id.is_storable and not p.move_id).sudo():
            # A part on the customer's accepted quotation leaves stock once: through the order's
            # own delivery, which then records what was really used (and the invoice follows it).
            delivery = part._quoted_delivery_move()
            part._check_available(reserved=delivery)
            part.move_id = part._deliver_quoted(delivery) if delivery else part._create_consumption_move()

    def _quoted_delivery_move(self):
        """The open delivery of this part from the ticket's confirmed quotation, straight from stock."""
        self.ensure_one()
        source = self._source_location()
        return self.dispatch_id.ticket_id.quotation_id.order_line.move_ids.filtered(
            lambda move: (
                move.product_id == self.product_id
                and move.state not in ("done", "cancel")
                and move.location_id == source
                and move.location_dest_id.usage == "customer"
            )
        )[:1]

    def _deliver_quoted(self, move):
        """Deliver what the technician used on the order's own move: more than quoted raises the
        move's demand (the order follows the work done), less cancels the rest."""
        self.ensure_one()
        used = self.product_id.uom_id._compute_quantity(self.quantity, move.product_uom)
        if float_compare(used, move.product_uom_qty, precision_rounding=move.product_uom.rounding) > 0:
            move.product_uom_qty = used
        return self._move_out(move, used)

    def _move_out(self, move, quantity):
        """Validate ``move`` with what was really used (``quantity`` of this part's serial, in the
        move's unit) in place of its reservation; what was planned and not used is cancelled."""
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "product_id": self.product_id.id,
                "lot_id": self.lot_id.id,
                "quantity": quantity,
                "product_uom_id": move.product_uom.id,
                "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
                "company_id": move.company_id.id,
            }
        )
        move.picked = True
        move._action_done(cancel_backorder=True)
        return move

    def _source_location(self):
        self.ensure_one()
        company = self.dispatch_id.company_id
        return self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1).lot_stock_id

    def _check_available(self, reserved=None):
        """Never more than the stock holds; what the order's delivery ``reserved`` counts as there."""
        self.ensure_one()
        location = self._source_location()
        available = self.env["stock.quant"]._get_available_quantity(
            self.product_id, location, lot_id=self.lot_id or None, strict=bool(self.lot_id)
        )
        if reserved:
            held = reserved.move_line_ids.filtered(lambda line: not self.lot_id or line.lot_id == self.lot_id)
            available += sum(held.mapped("quantity"))
        if float_compare(available, self.quantity, precision_rounding=self.product_id.uom_id.rounding) < 0:
            product = self.product_id.display_name
            if self.lot_id:
                product = f"{product} ({self.lot_id.name})"
            raise UserError(
                _(
                    "Only %(available)s %(product)s in %(location)s: field form %(form)s uses %(quantity)s.",
                    available=available,
                    product=product,
                    location=location.display_name,
                    form=self.dispatch_id.name,
                    quantity=self.quantity,
                )
            )

    def _create_consumption_move(self):
        self.ensure_one()
        form = self.dispatch_id
        source = self._source_location()
        destination = form.partner_id.property_stock_customer or self.env.ref("stock.stock_location_customers")
        move = self.env["stock.move"].create(
            {
                "name": _("%(form)s: %(part)s", form=form.name, part=self.product_id.display_name),
                "origin": form.name,
                "product_id": self.product_id.id,
                "product_uom": self.product_id.uom_id.id,
                "product_uom_qty": self.quantity,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "company_id": form.company_id.id,
                "partner_id": form.partner_id.id,
            }
        )
        move._action_confirm()
        move._action_assign()
        return self._move_out(move, self.quantity)
